/*
 * FastSync (DESIGN.md section 3): the quorum invariant over whole runs,
 * q = 1 behaving like BSP, ts1/ts2/ts3 against hand calculations, late
 * gradients under "drop" and "defer", the fallback's order statistic,
 * and every worker running every task it owes.
 */
#include <math.h>

#include "test_util.h"
#include "model.h"
#include "sim.h"

/* The default configuration with overrides, FastSync only. */
static void
load_fastsync(struct fs_config *cf, const struct config_override *extra,
    int nextra)
{
	struct config_override	o[16];
	char			err[512];
	int			n = 0;

	o[n++] = (struct config_override){ "workers.count", "20", "test" };
	o[n++] = (struct config_override){ "rounds", "300", "test" };
	for (int i = 0; i < nextra; i++)
		o[n++] = extra[i];
	if (config_load(cf, SRCDIR "/configs/default.cfg", o, n, err,
	    sizeof err) != 0 ||
	    config_select_models(cf, "fastsync", err, sizeof err) != 0)
		fail_msg("%s", err);
}

struct probe {
	int		 workers, rounds, tasks;
	double		 q;
	int		 needed;
	uint64_t	 syncs[SP_NPOINTS];
	uint64_t	 bad_quorum;	/* a success below q, or a wrong pass */
	uint64_t	 checks;
	uint64_t	 pulled;	/* local tasks pulled forward */
	uint64_t	 late, stale_applied, backwards;
	int		*applied;	/* per (worker, round): times applied */
	uint8_t		*was_late;	/* per (worker, round) */
	int		*task_ends;	/* per (worker, round, task) */
	double		*last_t;	/* per worker */
	double		*arrive_max;	/* per round: last arrival */
	double		*sync_t;	/* per round */
	int		*sync_count;	/* per round: gradients synced */
};

static void
probe_init(struct probe *p, const struct fs_config *cf)
{
	size_t	wr = (size_t)cf->workers * (size_t)cf->rounds;

	memset(p, 0, sizeof *p);
	p->workers = cf->workers;
	p->rounds = cf->rounds;
	p->tasks = cf->dag.n;
	p->q = cf->models[0].quorum;
	p->needed = (int)ceil(p->q * cf->workers - 1e-9);
	p->applied = calloc(wr, sizeof *p->applied);
	p->was_late = calloc(wr, 1);
	p->task_ends = calloc(wr * (size_t)cf->dag.n, sizeof *p->task_ends);
	p->last_t = calloc((size_t)cf->workers, sizeof *p->last_t);
	p->arrive_max = calloc((size_t)cf->rounds, sizeof *p->arrive_max);
	p->sync_t = calloc((size_t)cf->rounds, sizeof *p->sync_t);
	p->sync_count = calloc((size_t)cf->rounds, sizeof *p->sync_count);
	assert_non_null(p->sync_count);
}

static void
probe_free(struct probe *p)
{
	free(p->applied);
	free(p->was_late);
	free(p->task_ends);
	free(p->last_t);
	free(p->arrive_max);
	free(p->sync_t);
	free(p->sync_count);
}

static void
observer(const struct sim_event *ev, void *ud)
{
	struct probe	*p = ud;
	size_t		 wr = (size_t)ev->worker * (size_t)p->rounds +
			    (size_t)ev->round;

	if (ev->worker >= 0) {
		if (ev->t < p->last_t[ev->worker])
			p->backwards++;
		p->last_t[ev->worker] = ev->t;
	}
	switch (ev->type) {
	case SIM_EV_SYNC:
		p->syncs[ev->point]++;
		if (ev->point >= SP_TS1 && ev->point <= SP_TS3 &&
		    (ev->ready < p->needed ||
		    (double)ev->ready / p->workers < p->q))
			p->bad_quorum++;
		if (ev->point == SP_FALLBACK && ev->ready != p->needed)
			p->bad_quorum++;
		if (ev->round >= 0) {
			p->sync_t[ev->round] = ev->t;
			p->sync_count[ev->round] = ev->count;
		}
		break;
	case SIM_EV_QUORUM:
		p->checks++;
		if (ev->pass != (ev->ready >= ev->needed))
			p->bad_quorum++;
		break;
	case SIM_EV_PULL_FORWARD:
		p->pulled++;
		break;
	case SIM_EV_LATE:
		p->late++;
		p->was_late[wr] = 1;
		break;
	case SIM_EV_APPLY:
		p->applied[wr]++;
		if (ev->v_apply != ev->v_read)
			p->stale_applied++;
		break;
	case SIM_EV_ARRIVE:
		if (ev->t > p->arrive_max[ev->round])
			p->arrive_max[ev->round] = ev->t;
		break;
	case SIM_EV_TASK_END:
		p->task_ends[wr * (size_t)p->tasks + (size_t)ev->task]++;
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
	probe_init(p, cf);
	assert_int_equal(sim_observe(s, observer, p), 0);
	sim_run(s);
	assert_true(sim_done(s));
	assert_null(sim_error(s));
	return (s);
}

/*
 * Quorum >= q at every successful sync, whatever the point; the checks'
 * pass flags agree with their counts; runs that reach ts2, ts3 and the
 * fallback, so each path is exercised.
 */
static void
test_quorum_invariant(void **state)
{
	static const char *const qs[] = { "0.7", "0.9", "0.95", "1.0" };
	uint64_t	 all[SP_NPOINTS] = { 0 };

	(void)state;
	for (size_t k = 0; k < sizeof qs / sizeof qs[0]; k++) {
		struct config_override	 o[] = {
			{ "models.fastsync.quorum", qs[k], "q" },
		};
		struct fs_config	 cf;
		struct probe		 p;
		struct sim		*s;

		load_fastsync(&cf, o, 1);
		s = run(&cf, &p);
		assert_int_equal(p.bad_quorum, 0);
		assert_int_equal(p.backwards, 0);
		assert_true(p.checks > 0);
		assert_int_equal(sim_stats(s)->syncs_done, 300);
		for (int i = 0; i < SP_NPOINTS; i++)
			all[i] += p.syncs[i];
		sim_free(s);
		probe_free(&p);
		config_free(&cf);
	}
	assert_true(all[SP_TS1] > 0 && all[SP_TS2] > 0 && all[SP_TS3] > 0);
	assert_true(all[SP_FALLBACK] > 0);
}

/*
 * q = 1 with one speed class (one cluster): every round syncs all n
 * gradients, fresh, in one update per round, never before the last of
 * them arrived: BSP's behaviour.
 */
static void
test_q1_is_bsp(void **state)
{
	struct config_override	 o[] = {
		{ "models.fastsync.quorum", "1", "q" },
		{ "workers.slow_fraction", "0", "one class" },
	};
	struct fs_config	 cf;
	struct probe		 p;
	struct sim		*s;
	const struct stats	*st;

	(void)state;
	load_fastsync(&cf, o, 2);
	s = run(&cf, &p);
	st = sim_stats(s);
	assert_int_equal(st->stale, 0);
	assert_int_equal(st->updates, 300);
	assert_int_equal(p.late, 0);
	for (int r = 0; r < 300; r++) {
		assert_int_equal(p.sync_count[r], 20);
		assert_true(p.sync_t[r] >= p.arrive_max[r]);
		assert_true(st->round[r].quorum == 1.0);
	}
	/* one cluster: the syncs are at ts points, not all fallbacks */
	assert_true(st->points[SP_TS1] + st->points[SP_TS2] +
	    st->points[SP_TS3] > 0);
	sim_free(s);
	probe_free(&p);
	config_free(&cf);
}

/* ts1, ts2 and ts3 from a hand-made state, against hand calculations. */
static void
test_points_by_hand(void **state)
{
	const double	rep[] = { 10, 12, 14 }, work[] = { 40, 40, 46 };
	const double	T[2] = { 50, 60 }, sd[2] = { 1, 2 };
	double		t, d;
	int		pull;

	(void)state;
	/* ts1 = mean 12 + sd sqrt(8/3) + mean work 42 */
	model_fastsync_cluster(rep, work, 3, &t, &d);
	assert_true(fabs(d - sqrt(8.0 / 3)) < 1e-12);
	assert_true(fabs(t - (12 + sqrt(8.0 / 3) + 42)) < 1e-12);
	/* one member: sd 0 */
	model_fastsync_cluster(rep + 1, work + 1, 1, &t, &d);
	assert_true(d == 0 && t == 52);
	/* ts2, C1 fits a 4 ms task (50 + 4 <= 60): later of 64, 62.5 */
	assert_true(model_fastsync_next(SP_TS1, 60, 0.5, T, sd, 4, &pull) ==
	    64);
	assert_int_equal(pull, 1);
	/* it fits but is short: the notification and C2's sd decide */
	assert_true(model_fastsync_next(SP_TS1, 60, 0.5, T, sd, 1, &pull) ==
	    62.5);
	assert_int_equal(pull, 1);
	/* no fit (50 + 20 > 60), or no local task at all */
	assert_true(model_fastsync_next(SP_TS1, 60, 0.5, T, sd, 20, &pull) ==
	    62.5);
	assert_int_equal(pull, 0);
	assert_true(model_fastsync_next(SP_TS1, 60, 0.5, T, sd, -1, &pull) ==
	    62.5);
	assert_int_equal(pull, 0);
	/* ts3 after notifying C1: 64 + 0.5 + sd(C1) */
	assert_true(model_fastsync_next(SP_TS2, 64, 0.5, T, sd, 4, &pull) ==
	    65.5);
	assert_int_equal(pull, 0);
}

/* "drop": late gradients are never applied, so nothing stale is. */
static void
test_drop_never_stale(void **state)
{
	struct config_override	 o[] = {
		{ "models.fastsync.late_gradients", "drop", "drop" },
	};
	struct fs_config	 cf;
	struct probe		 p;
	struct sim		*s;
	const struct stats	*st;

	(void)state;
	load_fastsync(&cf, o, 1);
	s = run(&cf, &p);
	st = sim_stats(s);
	assert_true(p.late > 0);
	assert_int_equal(p.stale_applied, 0);
	assert_int_equal(st->stale, 0);
	assert_int_equal(st->dropped, p.late);
	assert_int_equal(st->gradients + st->dropped, 20 * 300);
	for (size_t k = 0; k < 20 * 300; k++)
		assert_int_equal(p.applied[k], p.was_late[k] ? 0 : 1);
	sim_free(s);
	probe_free(&p);
	config_free(&cf);
}

/* "defer": every gradient is applied exactly once, the late ones stale. */
static void
test_defer_each_once(void **state)
{
	struct fs_config	 cf;
	struct probe		 p;
	struct sim		*s;

	(void)state;
	load_fastsync(&cf, NULL, 0);
	s = run(&cf, &p);
	assert_true(p.late > 0);
	for (size_t k = 0; k < 20 * 300; k++)
		assert_int_equal(p.applied[k], 1);
	assert_int_equal(sim_stats(s)->gradients, 20 * 300);
	assert_int_equal(sim_stats(s)->stale, p.late);
	assert_int_equal(sim_stats(s)->dropped, 0);
	sim_free(s);
	probe_free(&p);
	config_free(&cf);
}

/*
 * Every worker runs every task it owes, once per round, local tasks
 * pulled forward included; and pulling forward really happens.
 */
static void
test_every_task_once(void **state)
{
	struct config_override	 o[] = {
		{ "models.fastsync.quorum", "0.95", "q" },
	};
	struct fs_config	 cf;
	struct probe		 p;
	struct sim		*s;

	(void)state;
	load_fastsync(&cf, o, 1);
	s = run(&cf, &p);
	assert_true(p.pulled > 0);
	for (int w = 0; w < 20; w++) {
		for (int r = 0; r < 300; r++) {
			for (int t = 0; t < cf.dag.n; t++) {
				size_t k = ((size_t)w * 300 + (size_t)r) *
				    (size_t)cf.dag.n + (size_t)t;

				assert_int_equal(p.task_ends[k],
				    cf.dag.tasks[t].kind == TASK_SYNC ? 0 : 1);
			}
		}
	}
	sim_free(s);
	probe_free(&p);
	config_free(&cf);
}

struct first_sync {
	double	t;
	int	point;
};

static void
first_sync_observer(const struct sim_event *ev, void *ud)
{
	struct first_sync	*f = ud;

	if (ev->type == SIM_EV_SYNC && ev->round == 0) {
		f->t = ev->t;
		f->point = ev->point;
	}
}

/*
 * No clusters yet (round 0): the fallback syncs at the ceil(q n)-th
 * arrival. For n = 20 iid N(mu, sd^2) compute times and q = 0.7 that is
 * the 14th of 20 order statistic: mean mu + 0.4483 sd.
 */
static void
test_fallback_order_statistic(void **state)
{
	const char	*text = "rounds = 1;\n"
	    "workers = { count = 20; slow_fraction = 0.0; };\n"
	    "network = { push_ms = 0.0; pull_ms = 0.0; local_ms = 0.0; };\n"
	    "classes = { x = { dist = \"normal\"; mean = 100.0; sd = 10.0; };"
	    " };\n"
	    "tasks = ( { name = \"c\"; kind = \"async\"; class = \"x\"; },\n"
	    "  { name = \"p\"; kind = \"sync\"; after = \"c\"; } );\n"
	    "models = ( { model = \"fastsync\"; quorum = 0.7; } );\n";
	const int	 runs = 3000;
	double		 sum = 0, sq = 0, mean, se;
	char		 seed[32], err[512];

	(void)state;
	for (int k = 0; k < runs; k++) {
		struct config_override	 o = { "seed", seed, "seed" };
		struct fs_config	 cf;
		struct first_sync	 f = { -1, SP_NONE };
		struct sim		*s;

		snprintf(seed, sizeof seed, "%d", 1000 + k);
		if (test_load_text(&cf, text, &o, 1, err, sizeof err) != 0)
			fail_msg("%s", err);
		s = sim_create(&cf, &cf.models[0], err, sizeof err);
		assert_non_null(s);
		sim_observe(s, first_sync_observer, &f);
		sim_run(s);
		assert_int_equal(f.point, SP_FALLBACK);
		sum += f.t;
		sq += f.t * f.t;
		sim_free(s);
		config_free(&cf);
	}
	mean = sum / runs;
	se = sqrt((sq / runs - mean * mean) / (runs - 1));
	if (fabs(mean - (100 + 0.4483 * 10)) > 3 * se)
		fail_msg("fallback mean %.4f, want %.4f +- 3 x %.4f", mean,
		    100 + 0.4483 * 10, se);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quorum_invariant),
		cmocka_unit_test(test_q1_is_bsp),
		cmocka_unit_test(test_points_by_hand),
		cmocka_unit_test(test_drop_never_stale),
		cmocka_unit_test(test_defer_each_once),
		cmocka_unit_test(test_every_task_once),
		cmocka_unit_test(test_fallback_order_statistic),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
