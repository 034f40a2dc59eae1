/*
 * The sweep's grid (src/sweep.c) and its statistics (src/stats_ci.c):
 * Student t quantiles against published values, intervals of known
 * samples, paired ratios on constructed data, the grid's order, seeds
 * and shards, and a table of bad --vary, --seeds and --shard.
 */
#include "test_util.h"

#include <math.h>

#include "stats_ci.h"
#include "sweep.h"

static void
test_t_quantiles(void **state)
{
	/* t_{0.975}: the incomplete beta function inverted by bisection */
	static const struct { int df; double t, tol; } known[] = {
		{ 1, 12.706204736174659, 1e-9 }, { 2, 4.302652729749455, 1e-9 },
		{ 9, 2.262157162798202, 1e-9 }, { 10, 2.228138851986274, 1e-9 },
		{ 29, 2.045229642132701, 1e-9 }, { 30, 2.042272456301232, 1e-9 },
		{ 31, 2.039513446396406, 2e-6 }, { 40, 2.021075390306270, 2e-6 },
		{ 60, 2.000297822014257, 2e-6 }, { 120, 1.979930405082441, 2e-6 },
		{ 1000, 1.962339080826436, 2e-6 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		assert_true(fabs(stats_t975(known[i].df) - known[i].t) <
		    known[i].tol);
	assert_true(isnan(stats_t975(0)));
	/* the table and the expansion meet smoothly, and it decreases */
	for (int df = 2; df < 200; df++)
		assert_true(stats_t975(df) < stats_t975(df - 1));
}

static void
test_ci_known(void **state)
{
	const double	x[] = { 1, 2, 3, 4, 5 }, one[] = { 7 };
	const double	gaps[] = { 1, NAN, 3 };
	struct ci	c;

	(void)state;
	stats_ci_mean(x, 5, &c);
	assert_int_equal(c.n, 5);
	assert_true(fabs(c.mean - 3) < 1e-12);
	assert_true(fabs(c.sd - sqrt(2.5)) < 1e-12);
	/* t_{0.975,4} = 2.7764: half-width 2.7764 * 1.5811 / sqrt(5) */
	assert_true(fabs(c.hi - c.mean - 1.9632) < 1e-3);
	assert_true(fabs((c.mean - c.lo) - (c.hi - c.mean)) < 1e-12);
	stats_ci_mean(one, 1, &c);
	assert_int_equal(c.n, 1);
	assert_true(c.mean == 7 && isnan(c.lo) && isnan(c.hi));
	/* a missing value (NULL in the database) is left out */
	stats_ci_mean(gaps, 3, &c);
	assert_int_equal(c.n, 2);
	assert_true(fabs(c.mean - 2) < 1e-12);
}

static void
test_ci_paired(void **state)
{
	const double	b[] = { 1, 2, 3 }, a2[] = { 2, 4, 6 };
	const double	a[] = { 1.1, 2.0, 3.3 };
	struct ci	c;

	(void)state;
	/* pairs in a constant ratio: an interval of width zero */
	stats_ci_ratio(a2, b, 3, &c);
	assert_true(c.mean == 2 && c.lo == 2 && c.hi == 2);
	/* ratios 1.1, 1.0, 1.1: mean 1.0667, sd 0.057735, t2 = 4.3027 */
	stats_ci_ratio(a, b, 3, &c);
	assert_true(fabs(c.mean - 3.2 / 3) < 1e-12);
	assert_true(fabs(c.hi - c.mean - 4.3027 * 0.057735 / sqrt(3)) < 1e-4);
}

static void
test_grid(void **state)
{
	struct sweep	s;
	char		err[256];
	int		seen[24] = { 0 };

	(void)state;
	sweep_init(&s);
	assert_int_equal(sweep_vary(&s, "models.quorum.quorum=0.5,0.7,0.9",
	    err, sizeof err), 0);
	assert_int_equal(sweep_vary(&s, "workers.count=10:20:10", err,
	    sizeof err), 0);
	assert_int_equal(sweep_seeds(&s, "3-6", err, sizeof err), 0);
	assert_int_equal(sweep_check(&s, err, sizeof err), 0);
	assert_int_equal(sweep_points(&s), 6);
	assert_int_equal(sweep_nseeds(&s), 4);
	/* the last axis fastest */
	assert_string_equal(sweep_value(&s, 0, 1), "0.5");
	assert_string_equal(sweep_value(&s, 1, 1), "20");
	assert_string_equal(sweep_value(&s, 0, 2), "0.7");
	assert_string_equal(sweep_value(&s, 1, 2), "10");
	assert_int_equal(sweep_run_point(&s, 9), 2);
	assert_int_equal(sweep_run_seed(&s, 9), 4);
	/* four shards cover every run exactly once */
	for (int i = 1; i <= 4; i++) {
		char spec[8];

		snprintf(spec, sizeof spec, "%d/4", i);
		assert_int_equal(sweep_shard(&s, spec, err, sizeof err), 0);
		for (int k = 0; k < 24; k++)
			seen[k] += sweep_in_shard(&s, k);
	}
	for (int k = 0; k < 24; k++)
		assert_int_equal(seen[k], 1);
	/* a Slurm array 0-3 and 1-4 alike: task 2 of 0-3 is 3/4 */
	unsetenv("SLURM_ARRAY_TASK_MIN");
	assert_int_equal(sweep_shard_env(&s, "2", "4", err, sizeof err), 0);
	assert_int_equal(s.shard, 3);
	setenv("SLURM_ARRAY_TASK_MIN", "1", 1);
	assert_int_equal(sweep_shard_env(&s, "4", "4", err, sizeof err), 0);
	assert_int_equal(s.shard, 4);
	unsetenv("SLURM_ARRAY_TASK_MIN");
	sweep_free(&s);
	/* a range with a fractional step, its end included */
	assert_int_equal(sweep_vary(&s, "quorum=0.1:0.3:0.1", err, sizeof err),
	    0);
	assert_int_equal(s.axes[0].n, 3);
	assert_string_equal(s.axes[0].values[2], "0.3");
	sweep_free(&s);
}

static void
test_bad_input(void **state)
{
	static const struct {
		int	 which;		/* 0 vary, 1 seeds, 2 shard */
		const char *arg, *says;
	} bad[] = {
		{ 0, "rounds", "--vary" }, { 0, "=1", "--vary" },
		{ 0, "rounds=", "--vary" }, { 0, "rounds=1,,2", "empty" },
		{ 0, "rounds=1,", "empty" }, { 0, "rounds=1:5", "START:STOP" },
		{ 0, "rounds=5:1:1", "STOP >= START" },
		{ 0, "rounds=1:5:0", "STEP > 0" },
		{ 0, "rounds=1:5:-1", "STEP > 0" },
		{ 0, "rounds=a:5:1", "numbers" },
		{ 0, "rounds=1:100000:1", "10000" },
		{ 0, "workers.count=1,2", "twice" },
		{ 0, "seed=1,2", "--seeds" },
		{ 1, "0", "--seeds" }, { 1, "-3", "--seeds" },
		{ 1, "5-2", "--seeds" }, { 1, "x", "--seeds" },
		{ 1, "1-", "--seeds" }, { 1, "2000000", "--seeds" },
		{ 2, "0/2", "--shard" }, { 2, "3/2", "--shard" },
		{ 2, "1", "--shard" }, { 2, "1/0", "--shard" },
		{ 2, "a/b", "--shard" }, { 2, "1/2/3", "--shard" },
	};
	struct sweep	s;
	char		err[256];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc;

		sweep_init(&s);
		assert_int_equal(sweep_vary(&s, "workers.count=7", err, sizeof err),
		    0);
		err[0] = '\0';
		rc = bad[i].which == 0 ? sweep_vary(&s, bad[i].arg, err,
		    sizeof err) : bad[i].which == 1 ? sweep_seeds(&s,
		    bad[i].arg, err, sizeof err) : sweep_shard(&s, bad[i].arg,
		    err, sizeof err);
		if (rc != -1 || strstr(err, bad[i].says) == NULL)
			fail_msg("'%s': rc %d, '%s'", bad[i].arg, rc, err);
		/* the sweep before it is left as it was */
		assert_int_equal(s.naxes, 1);
		assert_int_equal(s.seeded, 0);
		assert_int_equal(s.nshards, 1);
		sweep_free(&s);
	}
	sweep_init(&s);
	assert_int_equal(sweep_check(&s, err, sizeof err), -1);
	assert_non_null(strstr(err, "nothing to sweep"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_t_quantiles),
		cmocka_unit_test(test_ci_known),
		cmocka_unit_test(test_ci_paired),
		cmocka_unit_test(test_grid),
		cmocka_unit_test(test_bad_input),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
