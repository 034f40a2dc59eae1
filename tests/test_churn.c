/*
 * Worker churn: the number present never exceeds workers (nor drops
 * below min), no model deadlocks, and every pushed gradient is applied,
 * dropped or cut by the end, exactly once, under heavy churn for every
 * model; a joiner pays its pull and never starts a round already synced.
 */
#include <inttypes.h>
#include <math.h>

#include "test_util.h"
#include "sim.h"

struct probe {
	int		 workers, min, present;
	int		 max_seen, min_seen;
	uint64_t	 pushes, applied, dropped, cut, leaves, joins;
	uint64_t	 join_in_synced;	/* a joiner in a synced round */
	int		 syncs;		/* syncs so far, -1: not a sync model */
	uint8_t		 joined[16];	/* joined, no task started since */
	double		 joined_t[16];
	uint64_t	 join_no_pull;	/* a joiner's task before its pull */
	uint64_t	 ssp_reads_over;	/* SSP: reads past the bound */
	int		 ssp_s;
};

static void
observer(const struct sim_event *ev, void *ud)
{
	struct probe	*p = ud;

	switch (ev->type) {
	case SIM_EV_LEAVE:
		p->present--;
		p->leaves++;
		break;
	case SIM_EV_JOIN:
		p->present++;
		p->joins++;
		p->joined[ev->worker] = 1;
		p->joined_t[ev->worker] = ev->t;
		break;
	case SIM_EV_TASK_START:
		/* a joiner's first task: a round not yet synced */
		if (p->joined[ev->worker] && p->syncs >= 0 &&
		    ev->round < p->syncs)
			p->join_in_synced++;
		/* ... after its pull (network.pull_ms = 1 here) */
		if (p->joined[ev->worker] &&
		    ev->t < p->joined_t[ev->worker] + 1.0 - 1e-9)
			p->join_no_pull++;
		p->joined[ev->worker] = 0;
		break;
	case SIM_EV_SYNC:
		if (p->syncs >= 0)
			p->syncs++;
		break;
	case SIM_EV_CUT:
		p->cut++;
		break;
	case SIM_EV_PUSH:
		p->pushes++;
		break;
	case SIM_EV_APPLY:
		p->applied++;
		break;
	case SIM_EV_DROP:
		p->dropped++;
		break;
	case SIM_EV_RELEASE:
		if (p->ssp_s >= 0 && ev->clock - ev->min_clock > p->ssp_s)
			p->ssp_reads_over++;
		break;
	default:
		break;
	}
	if (p->present > p->max_seen)
		p->max_seen = p->present;
	if (p->present < p->min_seen)
		p->min_seen = p->present;
}

/* Every model under heavy churn, the drop variants too. */
static const char *heavy_churn =
    "seed = 5; rounds = 1000;\n"
    "workers = { count = 12; min = 3; leave_rate = 3.0;"
    " join_rate = 40.0; };\n"
    "models = ( { model = \"asp\"; }, { model = \"bsp\"; },\n"
    "  { model = \"ssp\"; staleness = 2; },\n"
    "  { model = \"dssp\"; s_low = 1; s_high = 4; },\n"
    "  { model = \"fastsync\"; },\n"
    "  { model = \"fastsync\"; name = \"fs-drop\";"
    " late_gradients = \"drop\"; quorum = 0.9; },\n"
    "  { model = \"quorum\"; },\n"
    "  { model = \"quorum\"; name = \"q-drop\";"
    " late_gradients = \"drop\"; rounding = \"round\"; } );\n";

static void
test_heavy_churn_every_model(void **state)
{
	struct fs_config	 cf;
	char			 err[512];

	(void)state;
	if (test_load_text(&cf, heavy_churn, NULL, 0, err, sizeof err) != 0)
		fail_msg("%s", err);
	for (int m = 0; m < cf.nmodels; m++) {
		struct probe		 p = { .workers = 12, .min = 3,
		    .present = 12, .max_seen = 12, .min_seen = 12,
		    .ssp_s = cf.models[m].kind == MODEL_SSP ? 2 : -1 };
		struct sim		*s = sim_create(&cf, &cf.models[m], err,
					    sizeof err);
		const struct stats	*st;
		struct sim_worker_view	 v;

		assert_non_null(s);
		p.syncs = sim_syncs(s) ? 0 : -1;
		sim_observe(s, observer, &p);
		sim_run(s);
		if (sim_error(s) != NULL)
			fail_msg("%s: %s", cf.models[m].name, sim_error(s));
		assert_true(sim_done(s));
		st = sim_stats(s);
		/* churn really happened, within bounds */
		assert_true(p.leaves > 100 && p.joins > 100);
		assert_true(p.max_seen <= 12);
		assert_true(p.min_seen >= 3);
		assert_int_equal(p.present, sim_present_now(s));
		/* every gradient pushed: applied, dropped or cut, once */
		assert_int_equal(p.pushes, p.applied + p.dropped + p.cut);
		assert_int_equal(st->cut, p.cut);
		assert_int_equal(p.join_in_synced, 0);
		assert_int_equal(p.join_no_pull, 0);
		assert_int_equal(st->gradients, p.applied);
		assert_int_equal(st->dropped, p.dropped);
		assert_true(p.dropped > 0);
		assert_int_equal(p.ssp_reads_over, 0);
		if (sim_syncs(s))
			assert_int_equal(sim_rounds_done(s), 1000);
		else
			assert_int_equal(sim_min_clock(s), 1000);
		/* each worker's time adds up to the run, absent time included */
		for (int i = 0; i < 12; i++) {
			double total;

			sim_worker(s, i, &v);
			total = v.busy_ms + v.wait_ms + v.comm_ms + v.idle_ms +
			    v.absent_ms;
			if (fabs(total - st->finish_ms) > 1e-6 * st->finish_ms)
				fail_msg("%s: worker %d: %.6f ms of %.6f",
				    cf.models[m].name, i, total, st->finish_ms);
		}
		sim_free(s);
	}
	config_free(&cf);
}

/* Churn draws depend on the seed only: every model sees the same. */
struct timeline {
	double		t[4096];
	int		who[4096];
	int		n;
};

static void
timeline_observer(const struct sim_event *ev, void *ud)
{
	struct timeline	*tl = ud;

	if ((ev->type == SIM_EV_LEAVE || ev->type == SIM_EV_JOIN) &&
	    tl->n < 4096) {
		tl->t[tl->n] = ev->t;
		tl->who[tl->n++] = ev->type == SIM_EV_JOIN ? -1 - ev->worker :
		    ev->worker;
	}
}

static void
test_same_churn_for_every_model(void **state)
{
	static const char *text =
	    "seed = 9; rounds = 100;\n"
	    "workers = { count = 8; min = 2; leave_rate = 2.0;"
	    " join_rate = 20.0; };\n";
	struct fs_config	 cf;
	struct timeline		*tl = calloc(6, sizeof *tl);
	char			 err[512];
	double			 horizon = INFINITY;

	(void)state;
	if (test_load_text(&cf, text, NULL, 0, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(cf.nmodels, 6);
	for (int m = 0; m < 6; m++) {
		struct sim *s = sim_create(&cf, &cf.models[m], err, sizeof err);

		sim_observe(s, timeline_observer, &tl[m]);
		sim_run(s);
		if (sim_stats(s)->finish_ms < horizon)
			horizon = sim_stats(s)->finish_ms;
		sim_free(s);
	}
	/* up to the shortest run, the comings and goings are identical */
	for (int m = 1; m < 6; m++) {
		for (int k = 0; k < tl[0].n && tl[0].t[k] < horizon; k++) {
			assert_true(k < tl[m].n);
			assert_true(tl[m].t[k] == tl[0].t[k]);
			assert_int_equal(tl[m].who[k], tl[0].who[k]);
		}
	}
	assert_true(tl[0].n > 10);
	free(tl);
	config_free(&cf);
}

/*
 * A worker rejoining when every round is done starts no work; the event
 * it had queued before it left must stay void (it once ran a round past
 * the last). Seeds found by fuzzing; ASan builds watch the bounds.
 */
static void
test_rejoin_after_the_end(void **state)
{
	static const char *const seeds[] = { "4531", "1", "2", "3", "4",
	    "5", "6", "7", "8", "9" };
	static const char *text =
	    "rounds = 6;\n"
	    "workers = { count = 6; min = 4; leave_rate = 1.0;"
	    " join_rate = 500.0; };\n";

	(void)state;
	for (size_t k = 0; k < sizeof seeds / sizeof seeds[0]; k++) {
		struct config_override	 o = { "seed", seeds[k], "seed" };
		struct fs_config	 cf;
		char			 err[512];

		if (test_load_text(&cf, text, &o, 1, err, sizeof err) != 0)
			fail_msg("%s", err);
		for (int m = 0; m < cf.nmodels; m++) {
			struct sim *s = sim_create(&cf, &cf.models[m], err,
			    sizeof err);

			sim_run(s);
			assert_null(sim_error(s));
			assert_int_equal(sim_rounds_done(s), 6);
			for (int i = 0; i < 6; i++) {
				struct sim_worker_view v;

				sim_worker(s, i, &v);
				assert_true(v.clock <= 6 && v.round <= 6);
			}
			sim_free(s);
		}
		config_free(&cf);
	}
}

/* Every event's fields, hashed (FNV-1a over their bytes). */
struct digest {
	uint64_t	h;
	uint64_t	n;
};

static void
digest_mix(struct digest *d, const void *p, size_t len)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < len; i++)
		d->h = (d->h ^ b[i]) * UINT64_C(0x100000001b3);
}

static void
digest_observer(const struct sim_event *ev, void *ud)
{
	struct digest	*d = ud;
	int		 f[] = { (int)ev->type, ev->worker, ev->task, ev->round,
			    ev->clock, ev->min_clock, ev->count, ev->point,
			    ev->ready, ev->needed, ev->pass, ev->label };

	digest_mix(d, &ev->t, sizeof ev->t);
	digest_mix(d, f, sizeof f);
	digest_mix(d, &ev->v_read, sizeof ev->v_read);
	digest_mix(d, &ev->v_apply, sizeof ev->v_apply);
	d->n++;
}

/*
 * The queue's sequence numbers are 36 bits; past 2^36 insertions it
 * numbers its entries anew, and the engine must keep knowing each
 * worker's live event (a renumbering once voided every one of them). A
 * run that crosses the limit, early or late, gives every event the same.
 */
static void
test_sequence_limit_changes_nothing(void **state)
{
	static const uint64_t before[] = { 10, 3000, 20000 };
	const uint64_t		limit = UINT64_C(1) << 36;
	struct config_override	o = { "rounds", "300", "rounds" };
	struct fs_config	cf;
	char			err[512];

	(void)state;
	if (test_load_text(&cf, heavy_churn, &o, 1, err, sizeof err) != 0)
		fail_msg("%s", err);
	for (int m = 0; m < cf.nmodels; m++) {
		struct digest	 want = { UINT64_C(0xcbf29ce484222325), 0 };
		struct sim	*s = sim_create(&cf, &cf.models[m], err,
				    sizeof err);

		assert_non_null(s);
		sim_observe(s, digest_observer, &want);
		sim_run(s);
		assert_null(sim_error(s));
		sim_free(s);
		/* the limit is crossed inside the run */
		assert_true(want.n > 2 * before[2]);
		for (size_t k = 0; k < sizeof before / sizeof before[0]; k++) {
			struct digest got = { UINT64_C(0xcbf29ce484222325), 0 };

			s = sim_create(&cf, &cf.models[m], err, sizeof err);
			sim_queue_seq(s, limit - before[k]);
			sim_observe(s, digest_observer, &got);
			sim_run(s);
			if (sim_error(s) != NULL)
				fail_msg("%s, %" PRIu64 " before the limit: %s",
				    cf.models[m].name, before[k], sim_error(s));
			if (got.n != want.n || got.h != want.h)
				fail_msg("%s, %" PRIu64 " before the limit: %"
				    PRIu64 " events, not %" PRIu64 " (or other"
				    " events)", cf.models[m].name, before[k],
				    got.n, want.n);
			sim_free(s);
		}
	}
	config_free(&cf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heavy_churn_every_model),
		cmocka_unit_test(test_same_churn_for_every_model),
		cmocka_unit_test(test_rejoin_after_the_end),
		cmocka_unit_test(test_sequence_limit_changes_nothing),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
