/*
 * The engine: determinism, common random numbers, time accounting, the
 * stepping API and the observer interface, on the default configuration.
 */
#include <math.h>

#include "test_util.h"
#include "sim.h"

static void
load_default(struct fs_config *cf, const char *seed, const char *workers,
    const char *rounds)
{
	struct config_override	o[] = {
		{ "seed", seed, "seed" },
		{ "workers.count", workers, "workers" },
		{ "rounds", rounds, "rounds" },
	};
	char			err[512];

	if (config_load(cf, SRCDIR "/configs/default.cfg", o, 3, err,
	    sizeof err) != 0)
		fail_msg("%s", err);
}

static struct sim *
make(const struct fs_config *cf, int model)
{
	char		 err[256];
	struct sim	*s = sim_create(cf, &cf->models[model], err, sizeof err);

	assert_non_null(s);
	return (s);
}

/* FNV-1a over every field of every event: the run's fingerprint. */
struct digest {
	uint64_t	h;
	uint64_t	n;
	double		last_t;
	int		backwards;
};

static void
mix(struct digest *d, const void *p, size_t len)
{
	const unsigned char	*b = p;

	for (size_t i = 0; i < len; i++) {
		d->h ^= b[i];
		d->h *= 0x100000001b3ULL;
	}
}

static void
digest_observer(const struct sim_event *ev, void *ud)
{
	struct digest	*d = ud;
	int64_t		 f[] = { ev->type, ev->worker, ev->task, ev->round,
	    ev->clock, ev->min_clock, ev->count, (int64_t)ev->v_read,
	    (int64_t)ev->v_apply };

	mix(d, &ev->t, sizeof ev->t);
	mix(d, f, sizeof f);
	if (ev->t < d->last_t)
		d->backwards++;
	d->last_t = ev->t;
	d->n++;
}

static struct digest
run_digest(const char *seed, int model)
{
	struct fs_config	 cf;
	struct digest		 d = { 0xcbf29ce484222325ULL, 0, 0, 0 };
	struct sim		*s;

	load_default(&cf, seed, "10", "40");
	s = make(&cf, model);
	assert_int_equal(sim_observe(s, digest_observer, &d), 0);
	sim_run(s);
	sim_free(s);
	config_free(&cf);
	return (d);
}

static void
test_determinism(void **state)
{
	(void)state;
	for (int m = 0; m < 6; m++) {
		struct digest a = run_digest("42", m);
		struct digest b = run_digest("42", m);
		struct digest c = run_digest("43", m);

		assert_true(a.n > 1000);
		assert_true(a.h == b.h && a.n == b.n);
		assert_true(a.h != c.h);
		/* time never moves backwards */
		assert_int_equal(a.backwards, 0);
		assert_int_equal(c.backwards, 0);
	}
}

/*
 * Common random numbers: every model sees the same duration for worker
 * w's task k in round r, whatever it does with the worker's time.
 */
struct durations {
	int	 workers, rounds, tasks;
	double	*start, *len;
};

static void
duration_observer(const struct sim_event *ev, void *ud)
{
	struct durations	*d = ud;
	size_t			 k;

	if (ev->type != SIM_EV_TASK_START && ev->type != SIM_EV_TASK_END)
		return;
	k = ((size_t)ev->worker * (size_t)d->rounds + (size_t)ev->round) *
	    (size_t)d->tasks + (size_t)ev->task;
	if (ev->type == SIM_EV_TASK_START)
		d->start[k] = ev->t;
	else
		d->len[k] = ev->t - d->start[k];
}

static void
test_common_random_numbers(void **state)
{
	struct fs_config	 cf;
	struct durations	 d[6];
	size_t			 n;

	(void)state;
	load_default(&cf, "5", "12", "30");
	n = (size_t)12 * 30 * (size_t)cf.dag.n;
	assert_int_equal(cf.nmodels, 6);
	for (int m = 0; m < 6; m++) {
		struct sim *s = make(&cf, m);

		d[m].workers = 12;
		d[m].rounds = 30;
		d[m].tasks = cf.dag.n;
		d[m].start = calloc(n, sizeof(double));
		d[m].len = calloc(n, sizeof(double));
		sim_observe(s, duration_observer, &d[m]);
		sim_run(s);
		sim_free(s);
	}
	/* models that sync rounds end at the last sync: its local tasks
	 * after the sync are cut, so compare the tasks both ran */
	for (size_t k = 0, ran = 0, total = 0; k < n; k++) {
		int task = (int)(k % (size_t)cf.dag.n);

		if (cf.dag.tasks[task].kind == TASK_SYNC)
			continue;
		assert_true(d[0].len[k] > 0);
		for (int m = 1; m < 6; m++) {
			total++;
			if (d[m].len[k] == 0)
				continue;
			ran++;
			assert_true(fabs(d[m].len[k] - d[0].len[k]) <
			    1e-9 * d[0].len[k]);
		}
		if (k == n - 1)
			assert_true(ran > total * 9 / 10);
	}
	for (int m = 0; m < 6; m++) {
		free(d[m].start);
		free(d[m].len);
	}
	config_free(&cf);
}

/*
 * Every worker's time is busy + communication + wait + idle, exactly the
 * run's length; every gradient is applied once (or, for models that sync
 * rounds, cut at the last sync); all rounds complete.
 */
static void
test_accounting(void **state)
{
	struct fs_config	 cf;

	(void)state;
	load_default(&cf, "9", "25", "60");
	for (int m = 0; m < cf.nmodels; m++) {
		struct sim *s = make(&cf, m);
		const struct stats *st;
		struct sim_worker_view v;
		uint64_t hist = 0;

		sim_run(s);
		st = sim_stats(s);
		assert_int_equal(st->fresh + st->stale, st->gradients);
		assert_int_equal(sim_rounds_done(s), 60);
		if (sim_syncs(s)) {
			/* the run ends at the 60th sync */
			assert_int_equal(st->syncs_done, 60);
			assert_true(st->gradients + st->dropped + st->cut <=
			    25 * 60);
			assert_true(st->gradients >= 60);
		} else {
			assert_int_equal(st->gradients, 25 * 60);
			assert_int_equal(sim_min_clock(s), 60);
		}
		for (int b = 0; b <= STATS_HIST; b++)
			hist += st->hist[b];
		assert_int_equal(hist, st->gradients);
		for (int i = 0; i < 25; i++) {
			double total;

			sim_worker(s, i, &v);
			if (!sim_syncs(s)) {
				assert_int_equal(v.state, WS_IDLE);
				assert_int_equal(v.clock, 60);
			}
			total = v.busy_ms + v.comm_ms + v.wait_ms + v.idle_ms;
			assert_true(fabs(total - st->finish_ms) <
			    1e-9 * st->finish_ms);
			assert_true(v.wait_ms >= 0 && v.idle_ms >= 0);
		}
		/* the rounds' time adds up to the workers' */
		{
			double wsum = 0, isum = 0, csum = 0;

			for (int r = 0; r < 60; r++) {
				wsum += st->round[r].wait_ms;
				isum += st->round[r].idle_ms;
				csum += st->round[r].comm_ms;
			}
			assert_true(fabs(wsum - st->wait_ms) <= 1e-6 *
			    (1 + st->wait_ms));
			assert_true(fabs(isum - st->idle_ms) <= 1e-6 *
			    (1 + st->idle_ms));
			assert_true(fabs(csum - st->comm_ms) <= 1e-6 *
			    (1 + st->comm_ms));
		}
		for (int r = 1; r < 60; r++) {
			if (sim_syncs(s))
				assert_true(st->round[r].t_sync >
				    st->round[r - 1].t_sync);
			else
				assert_true(st->round[r].t_end >=
				    st->round[r - 1].t_end);
		}
		sim_free(s);
	}
	config_free(&cf);
}

struct counter {
	uint64_t	events, rounds;
	double		max_t;
};

static void
count_observer(const struct sim_event *ev, void *ud)
{
	struct counter	*c = ud;

	c->events++;
	c->rounds += ev->type == SIM_EV_ROUND;
	if (ev->t > c->max_t)
		c->max_t = ev->t;
}

/* Stepping: one event, to the next sync point, until a time, to the end. */
static void
test_stepping(void **state)
{
	struct fs_config	 cf;
	struct sim		*s;
	struct counter		 c = { 0, 0, 0 };
	uint64_t		 before;

	(void)state;
	load_default(&cf, "3", "8", "20");
	s = make(&cf, 1);		/* bsp */
	sim_observe(s, count_observer, &c);
	assert_int_equal(sim_events(s), 0);
	assert_int_equal(sim_step(s), 1);
	assert_int_equal(sim_events(s), 1);
	for (int k = 1; k <= 5; k++) {
		assert_true(sim_run_to_round(s) > 0);
		assert_int_equal(sim_stats(s)->rounds_done, k);
		assert_int_equal(c.rounds, (uint64_t)k);
	}
	before = sim_events(s);
	assert_true(sim_run_until(s, 2000.0) > 0);
	assert_true(sim_events(s) > before);
	assert_true(c.max_t <= 2000.0);
	assert_true(sim_next_time(s) > 2000.0);
	assert_true(sim_now(s) <= 2000.0);
	sim_run(s);
	assert_true(sim_done(s));
	assert_int_equal(sim_step(s), 0);
	assert_int_equal(sim_run_to_round(s), 0);
	assert_int_equal(c.rounds, 20);
	sim_free(s);
	config_free(&cf);
}

/* sim_run_until(t) takes events at exactly t, and none after. */
static void
test_run_until_boundary(void **state)
{
	struct fs_config	 cf;
	struct sim		*s;
	char			 err[256];
	struct counter		 c = { 0, 0, 0 };
	double			 t;

	(void)state;
	load_default(&cf, "4", "5", "10");
	s = make(&cf, 0);
	sim_observe(s, count_observer, &c);
	sim_run_until(s, 100.0);
	t = sim_next_time(s);
	assert_true(t > 100.0);
	/* run to exactly the next event's time: it is taken */
	assert_true(sim_run_until(s, t) >= 1);
	assert_true(c.max_t == t);
	assert_true(sim_next_time(s) > t);
	sim_free(s);
	config_free(&cf);
	(void)err;
}

/* Corner cases every model must get right: 1 worker, 1 round, 0 ms. */
static void
test_corner_cases(void **state)
{
	static const char *const texts[] = {
		/* one worker, one round */
		"workers = 1; rounds = 1;\n",
		/* zero latency, zero-time tasks */
		"workers = { count = 3; slow_fraction = 0.0; }; rounds = 5;\n"
		"network = { push_ms = 0.0; pull_ms = 0.0; local_ms = 0.0; };\n"
		"classes = { z = { dist = \"const\"; mean = 0.0; }; };\n"
		"tasks = ( { name = \"c\"; kind = \"async\"; class = \"z\"; },\n"
		"  { name = \"p\"; kind = \"sync\"; after = \"c\"; },\n"
		"  { name = \"u\"; kind = \"local\"; class = \"z\"; after = \"c\"; } );\n"
		"models = ( { model = \"asp\"; }, { model = \"bsp\"; },\n"
		"  { model = \"ssp\"; }, { model = \"dssp\"; },\n"
		"  { model = \"quorum\"; },\n"
		"  { model = \"fastsync\"; reconfig_ms = 0.0; } );\n",
	};
	static const int	 workers[] = { 1, 3 }, rounds[] = { 1, 5 };

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		struct fs_config cf;
		char err[512];

		if (test_load_text(&cf, texts[k], NULL, 0, err,
		    sizeof err) != 0)
			fail_msg("%s", err);
		for (int m = 0; m < cf.nmodels; m++) {
			struct sim *s = make(&cf, m);
			const struct stats *st;

			sim_run(s);
			st = sim_stats(s);
			assert_null(sim_error(s));
			assert_true(sim_done(s));
			assert_int_equal(st->gradients + st->dropped,
			    (uint64_t)(workers[k] * rounds[k]));
			assert_int_equal(sim_min_clock(s), rounds[k]);
			if (k == 1)
				assert_true(st->finish_ms == 0);
			assert_int_equal(cf.nmodels, 6);
			sim_free(s);
		}
		config_free(&cf);
	}
}

static void
noop_observer(const struct sim_event *ev, void *ud)
{
	(void)ev;
	(void)ud;
}

static void
test_observer_limit_and_names(void **state)
{
	struct fs_config	 cf;
	struct sim		*s;
	int			 ok = 0;

	(void)state;
	load_default(&cf, "1", "2", "2");
	s = make(&cf, 0);
	for (int i = 0; i < 20; i++)
		ok += sim_observe(s, noop_observer, NULL) == 0;
	assert_int_equal(ok, 8);
	for (int t = 0; t < SIM_EV_NTYPES; t++)
		assert_non_null(sim_event_name((enum sim_event_type)t));
	for (int t = 0; t < WS_NSTATES; t++)
		assert_non_null(sim_state_name((enum worker_state)t));
	sim_free(s);
	config_free(&cf);
}

/*
 * An observer of some types sees exactly those, while one of every type
 * beside it still sees all; the run is the same whoever listens.
 */
static void
test_observe_only(void **state)
{
	struct fs_config	 cf;
	struct sim		*s, *t;
	struct counter		 all = { 0, 0, 0 }, rounds = { 0, 0, 0 };
	struct counter		 alone = { 0, 0, 0 };

	(void)state;
	load_default(&cf, "4", "6", "12");
	for (int model = 0; model < cf.nmodels; model++) {
		memset(&all, 0, sizeof all);
		memset(&rounds, 0, sizeof rounds);
		memset(&alone, 0, sizeof alone);
		s = make(&cf, model);
		assert_int_equal(sim_observe_only(s, count_observer, &rounds,
		    SIM_EV_BIT(SIM_EV_ROUND)), 0);
		assert_int_equal(sim_observe(s, count_observer, &all), 0);
		sim_run(s);
		/* only rounds: as many events as rounds, each one a round */
		assert_true(rounds.rounds > 0);
		assert_int_equal(rounds.events, rounds.rounds);
		assert_int_equal(all.rounds, rounds.rounds);
		assert_true(all.events > rounds.events);
		t = make(&cf, model);
		assert_int_equal(sim_observe_only(t, count_observer, &alone,
		    SIM_EV_BIT(SIM_EV_ROUND)), 0);
		sim_run(t);
		assert_int_equal(alone.events, rounds.events);
		assert_int_equal(sim_events(t), sim_events(s));
		assert_true(sim_now(t) == sim_now(s));
		sim_free(t);
		sim_free(s);
	}
	config_free(&cf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_common_random_numbers),
		cmocka_unit_test(test_accounting),
		cmocka_unit_test(test_stepping),
		cmocka_unit_test(test_run_until_boundary),
		cmocka_unit_test(test_corner_cases),
		cmocka_unit_test(test_observer_limit_and_names),
		cmocka_unit_test(test_observe_only),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
