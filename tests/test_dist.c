/* Task-time distributions: sample moments against the analytic ones. */
#include <math.h>

#include "test_util.h"
#include "dist.h"
#include "rng.h"

#define N 200000

struct moments {
	double	mean, sd, min;
};

static struct moments
sample(const struct dist *d, uint64_t seed)
{
	struct rng	r;
	struct moments	m = { 0, 0, INFINITY };
	double		s = 0, ss = 0, x;

	rng_seed(&r, seed, 0, 0);
	for (int i = 0; i < N; i++) {
		x = dist_sample(d, &r);
		s += x;
		ss += x * x;
		if (x < m.min)
			m.min = x;
	}
	m.mean = s / N;
	m.sd = sqrt(ss / N - m.mean * m.mean);
	return (m);
}

/* Sample mean within 5 standard errors, sd within 2%. */
static void
check_moments(const struct dist *d, double mean, double sd)
{
	struct moments	m = sample(d, 11);

	assert_true(fabs(dist_mean(d) - mean) < 1e-9 * (1 + mean));
	assert_true(fabs(dist_sd(d) - sd) < 1e-9 * (1 + sd));
	assert_true(fabs(m.mean - mean) < 5 * sd / sqrt(N) + 1e-12);
	assert_true(fabs(m.sd - sd) < 0.02 * sd + 1e-12);
}

static void
test_paper_classes(void **state)
{
	static const double classes[][2] = {
		{ 25.10, 4.05 }, { 43.60, 3.32 }, { 80.40, 4.75 },
	};

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct dist d = { .kind = DIST_NORMAL, .mean = classes[i][0],
		    .sd = classes[i][1] };

		check_moments(&d, classes[i][0], classes[i][1]);
	}
}

/* Draws <= 0 are redrawn: with mean 1, sd 2 half the raw draws are. */
static void
test_normal_never_nonpositive(void **state)
{
	struct dist	d = { .kind = DIST_NORMAL, .mean = 1, .sd = 2 };
	struct moments	m;

	(void)state;
	m = sample(&d, 12);
	assert_true(m.min > 0);
	/* truncated N(1, 4) at 0 has mean 1 + 2 phi(0.5)/Phi(0.5) = 2.0213 */
	assert_true(fabs(m.mean - 2.0213) < 0.02);
}

static void
test_const(void **state)
{
	struct dist	d = { .kind = DIST_CONST, .mean = 7.5 };
	struct moments	m;

	(void)state;
	m = sample(&d, 1);
	assert_true(m.mean == 7.5 && m.min == 7.5);
	assert_true(dist_sd(&d) == 0);
}

static void
test_mixture(void **state)
{
	struct dist	d = { .kind = DIST_MIXTURE, .weight = 0.3, .mean = 20,
	    .sd = 2, .mean2 = 50, .sd2 = 5 };
	double		mean = 0.3 * 20 + 0.7 * 50;
	double		ex2 = 0.3 * (4 + 400) + 0.7 * (25 + 2500);

	(void)state;
	check_moments(&d, mean, sqrt(ex2 - mean * mean));
}

static void
test_lognormal(void **state)
{
	struct dist	d = { .kind = DIST_LOGNORMAL, .mean = 40, .sd = 12 };

	(void)state;
	dist_prepare(&d);
	check_moments(&d, 40, 12);
	assert_true(sample(&d, 2).min > 0);
}

static void
test_choice_and_empirical(void **state)
{
	double		v[] = { 3, 5 };
	double		e[] = { 1, 2, 2, 10 };
	struct dist	c = { .kind = DIST_CHOICE, .values = v, .nvalues = 2 };
	struct dist	emp = { .kind = DIST_EMPIRICAL, .values = e,
	    .nvalues = 4 };
	struct rng	r;
	int		threes = 0;

	(void)state;
	check_moments(&c, 4, 1);
	check_moments(&emp, 3.75, sqrt((1 + 4 + 4 + 100) / 4.0 - 3.75 * 3.75));
	rng_seed(&r, 1, 0, 0);
	for (int i = 0; i < 1000; i++) {
		double x = dist_sample(&c, &r);

		assert_true(x == 3 || x == 5);
		threes += x == 3;
	}
	assert_true(threes > 400 && threes < 600);
}

static void
test_kind_names_round_trip(void **state)
{
	enum dist_kind	k;

	(void)state;
	for (int i = DIST_CONST; i <= DIST_EMPIRICAL; i++) {
		assert_int_equal(dist_kind_parse(dist_kind_name(
		    (enum dist_kind)i), &k), 0);
		assert_int_equal(k, i);
	}
	assert_int_equal(dist_kind_parse("gamma", &k), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paper_classes),
		cmocka_unit_test(test_normal_never_nonpositive),
		cmocka_unit_test(test_const),
		cmocka_unit_test(test_mixture),
		cmocka_unit_test(test_lognormal),
		cmocka_unit_test(test_choice_and_empirical),
		cmocka_unit_test(test_kind_names_round_trip),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
