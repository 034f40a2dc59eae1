/*
 * The quorum model (DESIGN.md section 3, K-sync / K-async SGD) against
 * its analytic results: with "drop" and iid compute times the inter-sync
 * time is the k-th order statistic of n; with "defer" a late gradient is
 * applied by the next update, so tau is 1 while no worker is twice as
 * slow as the quorum's pace; k = ceil(q n) or round(q n).
 */
#include <math.h>

#include "test_util.h"
#include "model.h"
#include "model_gradients.h"
#include "sim.h"

static void
load(struct fs_config *cf, int workers, int rounds, double slow_fraction,
    double offset, const char *model)
{
	char	text[2048], err[512];

	snprintf(text, sizeof text,
	    "seed = 11; rounds = %d;\n"
	    "workers = { count = %d; slow_fraction = %.17g;"
	    " slow_offset_ms = %.17g; };\n"
	    "network = { push_ms = 0.0; pull_ms = 0.0; local_ms = 0.0; };\n"
	    "classes = { x = { dist = \"normal\"; mean = 100.0; sd = 10.0; };"
	    " };\n"
	    "tasks = ( { name = \"c\"; kind = \"async\"; class = \"x\"; },\n"
	    "  { name = \"p\"; kind = \"sync\"; after = \"c\"; } );\n"
	    "models = ( %s );\n", rounds, workers, slow_fraction, offset, model);
	if (test_load_text(cf, text, NULL, 0, err, sizeof err) != 0)
		fail_msg("config: %s", err);
}

struct probe {
	int		 workers, needed, syncs;
	uint64_t	 max_tau, late, late_not_next, bad_update, abandons;
	int		*arrived_sync;	/* per worker: syncs done at arrival */
	uint8_t		*late_now;	/* per worker */
	int		 at_ps;
};

static void
observer(const struct sim_event *ev, void *ud)
{
	struct probe	*p = ud;

	switch (ev->type) {
	case SIM_EV_ARRIVE:
		p->arrived_sync[ev->worker] = p->syncs;
		p->at_ps++;
		break;
	case SIM_EV_LATE:
		p->late++;
		p->late_now[ev->worker] = 1;
		break;
	case SIM_EV_APPLY:
		if (ev->v_apply - ev->v_read > p->max_tau)
			p->max_tau = ev->v_apply - ev->v_read;
		if (p->late_now[ev->worker] &&
		    p->arrived_sync[ev->worker] != p->syncs)
			p->late_not_next++;
		p->late_now[ev->worker] = 0;
		break;
	case SIM_EV_SYNC:
		/* k waiting: one update of every gradient there */
		if (ev->point != SP_QUORUM || ev->count != p->at_ps ||
		    ev->count < p->needed || ev->needed != p->needed ||
		    ev->round != p->syncs)
			p->bad_update++;
		p->at_ps = 0;
		p->syncs++;
		break;
	case SIM_EV_DROP:
		p->at_ps -= p->arrived_sync[ev->worker] == p->syncs;
		break;
	case SIM_EV_ABANDON:
		p->abandons++;
		break;
	default:
		break;
	}
}

static struct sim *
run(const struct fs_config *cf, struct probe *p)
{
	char		 err[256];
	struct sim	*s = sim_create(cf, &cf->models[0], err, sizeof err);

	assert_non_null(s);
	memset(p, 0, sizeof *p);
	p->workers = cf->workers;
	p->needed = model_quorum_size(cf->models[0].quorum, cf->workers,
	    cf->models[0].round_half);
	p->arrived_sync = calloc((size_t)cf->workers, sizeof(int));
	p->late_now = calloc((size_t)cf->workers, 1);
	sim_observe(s, observer, p);
	sim_run(s);
	assert_true(sim_done(s));
	assert_null(sim_error(s));
	assert_int_equal(p->bad_update, 0);
	assert_int_equal(p->syncs, cf->rounds);
	return (s);
}

static void
probe_free(struct probe *p)
{
	free(p->arrived_sync);
	free(p->late_now);
}

/* k = ceil(q n) or round(q n), halves away from zero; at least 1. */
static void
test_quorum_size(void **state)
{
	static const struct {
		double	q;
		int	n, ceil_k, round_k;
	} cases[] = {
		{ 0.7, 20, 14, 14 }, { 0.7, 5, 4, 4 }, { 0.5, 5, 3, 3 },
		{ 0.62, 5, 4, 3 }, { 0.3, 5, 2, 2 }, { 0.1, 5, 1, 1 },
		{ 0.01, 20, 1, 1 }, { 1.0, 20, 20, 20 }, { 0.7, 1, 1, 1 },
		{ 0.65, 10, 7, 7 }, { 0.64, 10, 7, 6 }, { 0.9, 3, 3, 3 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (model_quorum_size(cases[i].q, cases[i].n, 0) !=
		    cases[i].ceil_k ||
		    model_quorum_size(cases[i].q, cases[i].n, 1) !=
		    cases[i].round_k)
			fail_msg("q %g n %d: ceil %d round %d, want %d %d",
			    cases[i].q, cases[i].n,
			    model_quorum_size(cases[i].q, cases[i].n, 0),
			    model_quorum_size(cases[i].q, cases[i].n, 1),
			    cases[i].ceil_k, cases[i].round_k);
	}
}

/*
 * "drop", n = 20 iid N(100, 10^2), q = 0.7: after each update everyone
 * restarts at once, so the inter-sync time is the 14th of 20 order
 * statistics, mean mu + 0.4483 sd (DESIGN.md section 3). Every gradient
 * applied is fresh, and the others are abandoned.
 */
static void
test_drop_order_statistic(void **state)
{
	struct fs_config	 cf;
	struct probe		 p;
	struct sim		*s;
	const struct stats	*st;
	double			 sum = 0, sq = 0, mean, se, want;
	int			 n = 4000;

	(void)state;
	load(&cf, 20, n, 0, 0,
	    "{ model = \"quorum\"; quorum = 0.7; late_gradients = \"drop\"; }");
	s = run(&cf, &p);
	st = sim_stats(s);
	for (int r = 0; r < n; r++) {
		double x = stats_round_time(st, r);

		sum += x;
		sq += x * x;
	}
	mean = sum / n;
	se = sqrt((sq / n - mean * mean) / (n - 1));
	want = 100 + 0.4483 * 10;
	if (fabs(mean - want) > 3 * se)
		fail_msg("inter-sync %.4f, want %.4f +- 3 x %.4f", mean, want,
		    se);
	assert_int_equal(st->stale, 0);
	assert_int_equal(st->gradients, (uint64_t)14 * (uint64_t)n);
	assert_true(p.abandons >= (uint64_t)6 * (uint64_t)(n - 1));
	sim_free(s);
	probe_free(&p);
	config_free(&cf);
}

/*
 * "defer": half the workers 30 ms slower (not twice the quorum's pace):
 * late gradients are applied by the first update after they arrive, with
 * tau 1, never more. With the slow ones 150 ms slower (over twice the
 * pace) tau grows past 1.
 */
static void
test_defer_tau(void **state)
{
	struct fs_config	 cf;
	struct probe		 p;
	struct sim		*s;

	(void)state;
	load(&cf, 20, 500, 0.5, 30, "{ model = \"quorum\"; }");
	s = run(&cf, &p);
	assert_true(p.late > 100);
	assert_int_equal(p.late_not_next, 0);
	assert_int_equal(p.max_tau, 1);
	assert_int_equal(sim_stats(s)->stale, p.late);
	assert_int_equal(sim_stats(s)->dropped, 0);
	sim_free(s);
	probe_free(&p);
	config_free(&cf);

	load(&cf, 20, 500, 0.2, 250, "{ model = \"quorum\"; }");
	s = run(&cf, &p);
	assert_int_equal(p.late_not_next, 0);
	assert_true(p.max_tau >= 2);
	sim_free(s);
	probe_free(&p);
	config_free(&cf);
}

/* "round" rounding is what the syncs use: 0.62 x 5 = 3.1 -> 3, not 4. */
static void
test_rounding_in_runs(void **state)
{
	struct fs_config	 cf;
	struct probe		 p;
	struct sim		*s;

	(void)state;
	load(&cf, 5, 200, 0, 0,
	    "{ model = \"quorum\"; quorum = 0.62; rounding = \"round\"; }");
	s = run(&cf, &p);
	assert_int_equal(p.needed, 3);
	sim_free(s);
	probe_free(&p);
	config_free(&cf);
}

/* Its parameters belong to it; a bad value names the key. */
static void
test_config_errors(void **state)
{
	static const struct {
		const char	*model, *want;
	} cases[] = {
		{ "{ model = \"bsp\"; rounding = \"round\"; }",
		    "rounding applies to model 'quorum' only" },
		{ "{ model = \"quorum\"; rounding = \"floor\"; }",
		    "rounding" },
		{ "{ model = \"quorum\"; quorum = 0.0; }", "quorum" },
		{ "{ model = \"quorum\"; late_gradients = \"keep\"; }",
		    "late_gradients" },
		{ "{ model = \"quorum\"; eps = 2.0; }",
		    "eps applies to model 'fastsync' only" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct fs_config	cf;
		char			text[1024], err[512];

		snprintf(text, sizeof text, "models = ( %s );\n",
		    cases[i].model);
		if (test_load_text(&cf, text, NULL, 0, err, sizeof err) == 0)
			fail_msg("accepted: %s", cases[i].model);
		if (strstr(err, cases[i].want) == NULL)
			fail_msg("%s: got '%s', want '%s'", cases[i].model,
			    err, cases[i].want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quorum_size),
		cmocka_unit_test(test_drop_order_statistic),
		cmocka_unit_test(test_defer_tau),
		cmocka_unit_test(test_rounding_in_runs),
		cmocka_unit_test(test_config_errors),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
