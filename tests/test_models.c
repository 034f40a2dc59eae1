/*
 * The models against the analytic results of DESIGN.md section 3:
 * BSP's expected maximum of n normals, ASP's update rate and staleness,
 * SSP's bound at every read and its limits s = 0 (BSP) and s large (ASP).
 */
#include <math.h>

#include "test_util.h"
#include "model.h"
#include "sim.h"

/*
 * One async task and one sync task, zero latency: an iteration is one
 * compute draw. mean/sd are the compute time; offset is added for slow
 * workers (slow_fraction of them); dist "const" makes every time equal.
 */
static void
load_simple(struct fs_config *cf, int workers, int rounds, uint64_t seed,
    const char *dist, double mean, double sd, double slow_fraction,
    double offset, const char *models)
{
	char	text[2048], err[512];

	snprintf(text, sizeof text,
	    "seed = %llu; rounds = %d;\n"
	    "workers = { count = %d; slow_fraction = %.17g;"
	    " slow_offset_ms = %.17g; };\n"
	    "network = { push_ms = 0.0; pull_ms = 0.0; };\n"
	    "classes = { x = { dist = \"%s\"; mean = %.17g; sd = %.17g; }; };\n"
	    "tasks = ( { name = \"compute\"; kind = \"async\"; class = \"x\"; },\n"
	    "  { name = \"push\"; kind = \"sync\"; after = \"compute\"; } );\n"
	    "models = ( %s );\n",
	    (unsigned long long)seed, rounds, workers, slow_fraction, offset,
	    dist, mean, strcmp(dist, "const") == 0 ? 0 : sd, models);
	if (test_load_text(cf, text, NULL, 0, err, sizeof err) != 0)
		fail_msg("config: %s", err);
}

static struct sim *
run_model(const struct fs_config *cf, int i)
{
	char		 err[256];
	struct sim	*s = sim_create(cf, &cf->models[i], err, sizeof err);

	assert_non_null(s);
	sim_run(s);
	assert_true(sim_done(s));
	assert_null(sim_error(s));
	return (s);
}

/* Mean and standard error of the rounds' inter-sync times. */
static void
round_time_moments(const struct stats *st, double *mean, double *se)
{
	double	s = 0, ss = 0, x;
	int	n = st->rounds_done;

	for (int r = 0; r < n; r++) {
		x = stats_round_time(st, r);
		s += x;
		ss += x * x;
	}
	*mean = s / n;
	*se = sqrt((ss / n - *mean * *mean) / (n - 1));
}

/* BSP: E[round] = mu + sd * e_n, e_n the expected maximum of n N(0,1). */
static void
test_bsp_expected_maximum(void **state)
{
	static const struct {
		int	n;
		double	e_n;
	} cases[] = { { 5, 1.1630 }, { 20, 1.8675 }, { 100, 2.5076 } };
	const double	mu = 100, sd = 10;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct fs_config	 cf;
		struct sim		*s;
		double			 mean, se, want;

		load_simple(&cf, cases[i].n, 3000, 7 + i, "normal", mu, sd, 0,
		    0, "{ model = \"bsp\"; }");
		s = run_model(&cf, 0);
		round_time_moments(sim_stats(s), &mean, &se);
		want = mu + sd * cases[i].e_n;
		if (fabs(mean - want) > 3 * se)
			fail_msg("n=%d: mean round %.4f, want %.4f +- 3 x %.4f",
			    cases[i].n, mean, want, se);
		/* every BSP update is one round, and all of it fresh */
		assert_int_equal(sim_stats(s)->updates, 3000);
		assert_int_equal(sim_stats(s)->stale, 0);
		assert_int_equal(sim_stats(s)->fresh, 3000 * cases[i].n);
		sim_free(s);
		config_free(&cf);
	}
}

struct asp_probe {
	double		t_first_done;	/* when the first worker finished */
	double		t_warm;		/* updates before this are ignored */
	uint64_t	applied;	/* up to t_first_done */
	uint64_t	window_n, window_tau;
	uint64_t	after_warmup_other;	/* exact-staleness check */
	uint64_t	expect_tau;
};

static void
asp_observer(const struct sim_event *ev, void *ud)
{
	struct asp_probe	*p = ud;

	if (ev->type == SIM_EV_WORKER_DONE && p->t_first_done < 0)
		p->t_first_done = ev->t;
	if (ev->type != SIM_EV_APPLY || p->t_first_done >= 0)
		return;
	p->applied++;
	if (ev->t >= p->t_warm) {
		p->window_n++;
		p->window_tau += ev->v_apply - ev->v_read;
	}
	if (ev->round >= 1 && ev->v_apply - ev->v_read != p->expect_tau)
		p->after_warmup_other++;
}

static struct sim *
run_probed(const struct fs_config *cf, struct asp_probe *p)
{
	char		 err[256];
	struct sim	*s = sim_create(cf, &cf->models[0], err, sizeof err);

	assert_non_null(s);
	assert_int_equal(sim_observe(s, asp_observer, p), 0);
	sim_run(s);
	assert_null(sim_error(s));
	return (s);
}

/*
 * ASP with heterogeneous speeds: the PS applies sum_p 1/E[X_p] updates per
 * ms, and the long-run mean staleness is P - 1 (each update lands inside
 * one open cycle of every other worker).
 */
static void
test_asp_rate_and_staleness(void **state)
{
	struct fs_config	 cf;
	struct asp_probe	 p = { -1, 2000, 0, 0, 0, 0, 0 };
	struct sim		*s;
	struct sim_worker_view	 v;
	const int		 P = 12;
	double			 rate = 0, measured, tau;
	int			 slow = 0;

	(void)state;
	load_simple(&cf, P, 4000, 3, "normal", 50, 5, 0.5, 25,
	    "{ model = \"asp\"; }");
	s = run_probed(&cf, &p);
	for (int i = 0; i < P; i++) {
		sim_worker(s, i, &v);
		slow += v.slow;
		rate += 1.0 / (50 + (v.slow ? 25 : 0));
	}
	/* the speeds really are heterogeneous */
	assert_true(slow > 0 && slow < P);
	measured = (double)p.applied / p.t_first_done;
	if (fabs(measured / rate - 1) > 0.01)
		fail_msg("update rate %.6f/ms, want %.6f/ms", measured, rate);
	tau = (double)p.window_tau / (double)p.window_n;
	if (fabs(tau / (P - 1) - 1) > 0.02)
		fail_msg("mean staleness %.4f, want %d", tau, P - 1);
	sim_free(s);
	config_free(&cf);
}

/* ASP with equal deterministic times: after warm-up, tau == P - 1. */
static void
test_asp_deterministic_staleness(void **state)
{
	struct fs_config	 cf;
	struct asp_probe	 p = { -1, 0, 0, 0, 0, 0, 0 };
	struct sim		*s;
	const int		 P = 8;

	(void)state;
	load_simple(&cf, P, 50, 1, "const", 10, 0, 0, 0,
	    "{ model = \"asp\"; }");
	p.expect_tau = P - 1;
	s = run_probed(&cf, &p);
	/* all P pushes of the last round land before anyone finishes */
	assert_int_equal(p.applied, (uint64_t)P * 50);
	assert_int_equal(p.after_warmup_other, 0);
	assert_int_equal(sim_stats(s)->staleness_max, P - 1);
	sim_free(s);
	config_free(&cf);
}

struct ssp_probe {
	int		s;
	uint64_t	reads, violations, waits;
	int		clock[30];	/* from ARRIVE events, not the engine */
};

static void
ssp_observer(const struct sim_event *ev, void *ud)
{
	struct ssp_probe	*p = ud;
	int			 min = p->clock[0];

	if (ev->type == SIM_EV_WAIT)
		p->waits++;
	if (ev->type == SIM_EV_ARRIVE)
		p->clock[ev->worker]++;
	if (ev->type != SIM_EV_RELEASE)
		return;
	for (int i = 1; i < 30; i++)
		min = p->clock[i] < min ? p->clock[i] : min;
	p->reads++;
	if (p->clock[ev->worker] - min > p->s || min != ev->min_clock)
		p->violations++;
}

/* SSP: at every read, c - min_clock <= s; and the rule really bites. */
static void
test_ssp_bound_every_read(void **state)
{
	static const int	 bounds[] = { 0, 1, 3 };

	(void)state;
	for (size_t k = 0; k < sizeof bounds / sizeof bounds[0]; k++) {
		struct fs_config	 cf;
		struct ssp_probe	 p = { bounds[k], 0, 0, 0, { 0 } };
		struct sim		*s;
		char			 models[64], err[256];

		snprintf(models, sizeof models,
		    "{ model = \"ssp\"; staleness = %d; }", bounds[k]);
		load_simple(&cf, 30, 1000, 5, "normal", 40, 8, 0.5, 30, models);
		s = sim_create(&cf, &cf.models[0], err, sizeof err);
		assert_non_null(s);
		sim_observe(s, ssp_observer, &p);
		sim_run(s);
		assert_null(sim_error(s));
		assert_int_equal(p.reads, 30 * 1000);
		assert_int_equal(p.violations, 0);
		assert_true(p.waits > 1000);
		sim_free(s);
		config_free(&cf);
	}
}

/* SSP(0) gives BSP's iteration times exactly, on the same seed. */
static void
test_ssp0_is_bsp(void **state)
{
	struct fs_config	 cf;
	struct sim		*bsp, *ssp;
	const struct stats	*a, *b;

	(void)state;
	load_simple(&cf, 16, 500, 11, "normal", 40, 8, 0.5, 30,
	    "{ model = \"bsp\"; }, { model = \"ssp\"; staleness = 0; }");
	bsp = run_model(&cf, 0);
	ssp = run_model(&cf, 1);
	a = sim_stats(bsp);
	b = sim_stats(ssp);
	assert_int_equal(a->rounds_done, 500);
	assert_int_equal(b->rounds_done, 500);
	for (int r = 0; r < 500; r++)
		assert_true(a->round[r].t_end == b->round[r].t_end);
	assert_true(a->finish_ms == b->finish_ms);
	sim_free(bsp);
	sim_free(ssp);
	config_free(&cf);
}

/*
 * SSP with a bound no worker can reach is ASP: the same rounds, times and
 * staleness, exactly; a tight bound costs waiting and cuts staleness.
 */
static void
test_ssp_large_is_asp(void **state)
{
	struct fs_config	 cf;
	struct sim		*asp, *ssp, *ssp3;
	const struct stats	*a, *b;
	struct stats_summary	 y, z;

	(void)state;
	load_simple(&cf, 16, 500, 13, "normal", 40, 8, 0.5, 30,
	    "{ model = \"asp\"; }, { model = \"ssp\"; staleness = 100000; },"
	    " { model = \"ssp\"; staleness = 3; }");
	asp = run_model(&cf, 0);
	ssp = run_model(&cf, 1);
	ssp3 = run_model(&cf, 2);
	a = sim_stats(asp);
	b = sim_stats(ssp);
	assert_true(a->finish_ms == b->finish_ms);
	for (int r = 0; r < 500; r++)
		assert_true(a->round[r].t_end == b->round[r].t_end);
	assert_memory_equal(a->hist, b->hist, sizeof a->hist);
	assert_true(a->staleness_sum == b->staleness_sum);
	stats_summarize(b, &y);
	stats_summarize(sim_stats(ssp3), &z);
	assert_true(z.staleness_mean < y.staleness_mean);
	assert_true(z.wait_mean_ms > y.wait_mean_ms);
	sim_free(asp);
	sim_free(ssp);
	sim_free(ssp3);
	config_free(&cf);
}

/* Constant task times give exact figures: every round takes 10 ms. */
static void
test_constant_times_exact(void **state)
{
	struct fs_config	 cf;
	struct sim		*s;
	struct stats_summary	 x;

	(void)state;
	load_simple(&cf, 4, 10, 1, "const", 10, 0, 0, 0,
	    "{ model = \"bsp\"; }, { model = \"asp\"; }");
	for (int m = 0; m < 2; m++) {
		s = run_model(&cf, m);
		stats_summarize(sim_stats(s), &x);
		assert_true(x.time_ms == 100);
		assert_true(x.round_mean_ms == 10);
		assert_true(x.round_p50_ms == 10);
		assert_true(x.round_p95_ms == 10);
		/* 40 gradients in 0.1 s */
		assert_true(fabs(x.throughput - 400) < 1e-9);
		assert_true(x.wait_mean_ms == 0 && x.idle_mean_ms == 0);
		sim_free(s);
	}
	config_free(&cf);
}

/* DSSP's controller on DESIGN.md's worked examples (r_max 4). */
static void
test_dssp_worked_examples(void **state)
{
	(void)state;
	/* fastest pushed at 10 and 12, slowest at 4 and 11: r* = 3 */
	assert_int_equal(model_dssp_grant(10, 12, 4, 11, 4), 3);
	/* slowest at 5 and 11: k = 2 and k = 3 tie, the smaller wins */
	assert_int_equal(model_dssp_grant(10, 12, 5, 11, 4), 2);
	/* the cap holds, and no history means no grant */
	assert_int_equal(model_dssp_grant(10, 12, 4, 11, 2), 2);
	assert_int_equal(model_dssp_grant(-1, 12, 4, 11, 4), 0);
	assert_int_equal(model_dssp_grant(10, 12, -1, 11, 4), 0);
	assert_int_equal(model_dssp_grant(10, 12, 4, 11, 0), 0);
}

struct gap_probe {
	int		s_low, s_high;
	int		*clock;
	int		nworkers;
	int		max_gap;	/* max clock - min clock seen */
	uint64_t	beyond_low;	/* reads with c - min > s_low */
	uint64_t	beyond_high;	/* reads with c - min > s_high */
	uint64_t	reads;
};

static void
gap_observer(const struct sim_event *ev, void *ud)
{
	struct gap_probe	*p = ud;
	int			 max = 0;

	if (ev->type == SIM_EV_ARRIVE) {
		p->clock[ev->worker] = ev->clock;
		for (int i = 0; i < p->nworkers; i++)
			max = p->clock[i] > max ? p->clock[i] : max;
		if (max - ev->min_clock > p->max_gap)
			p->max_gap = max - ev->min_clock;
	}
	if (ev->type != SIM_EV_RELEASE)
		return;
	p->reads++;
	p->beyond_low += ev->clock - ev->min_clock > p->s_low;
	p->beyond_high += ev->clock - ev->min_clock > p->s_high;
}

/*
 * DSSP in a long heterogeneous run: the clock gap never exceeds
 * s_high + 1, no read is past s_high, and grants really happen.
 */
static void
test_dssp_clock_gap(void **state)
{
	static const int	 bounds[][2] = { { 0, 4 }, { 2, 6 }, { 3, 15 } };

	(void)state;
	for (size_t k = 0; k < sizeof bounds / sizeof bounds[0]; k++) {
		struct fs_config	 cf;
		struct gap_probe	 p = { bounds[k][0], bounds[k][1], NULL,
		    24, 0, 0, 0, 0 };
		struct sim		*s;
		char			 models[96], err[256];

		snprintf(models, sizeof models, "{ model = \"dssp\";"
		    " s_low = %d; s_high = %d; }", bounds[k][0], bounds[k][1]);
		load_simple(&cf, 24, 1000, 21, "normal", 40, 8, 0.5, 30, models);
		p.clock = calloc(24, sizeof *p.clock);
		s = sim_create(&cf, &cf.models[0], err, sizeof err);
		assert_non_null(s);
		sim_observe(s, gap_observer, &p);
		sim_run(s);
		assert_null(sim_error(s));
		assert_int_equal(p.reads, 24 * 1000);
		assert_true(p.max_gap <= bounds[k][1] + 1);
		assert_int_equal(p.beyond_high, 0);
		assert_true(p.beyond_low > 0);
		free(p.clock);
		sim_free(s);
		config_free(&cf);
	}
}

/* DSSP with s_low == s_high can grant nothing: it is SSP(s) exactly. */
static void
test_dssp_equal_bounds_is_ssp(void **state)
{
	struct fs_config	 cf;
	struct sim		*a, *b;

	(void)state;
	load_simple(&cf, 16, 400, 17, "normal", 40, 8, 0.5, 30,
	    "{ model = \"ssp\"; staleness = 2; },"
	    " { model = \"dssp\"; s_low = 2; s_high = 2; }");
	a = run_model(&cf, 0);
	b = run_model(&cf, 1);
	for (int r = 0; r < 400; r++)
		assert_true(sim_stats(a)->round[r].t_end ==
		    sim_stats(b)->round[r].t_end);
	assert_true(sim_stats(a)->staleness_sum ==
	    sim_stats(b)->staleness_sum);
	sim_free(a);
	sim_free(b);
	config_free(&cf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bsp_expected_maximum),
		cmocka_unit_test(test_asp_rate_and_staleness),
		cmocka_unit_test(test_asp_deterministic_staleness),
		cmocka_unit_test(test_ssp_bound_every_read),
		cmocka_unit_test(test_ssp0_is_bsp),
		cmocka_unit_test(test_ssp_large_is_asp),
		cmocka_unit_test(test_constant_times_exact),
		cmocka_unit_test(test_dssp_worked_examples),
		cmocka_unit_test(test_dssp_clock_gap),
		cmocka_unit_test(test_dssp_equal_bounds_is_ssp),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
