/* The PRNG: determinism, stream independence, uniform and normal moments. */
#include <math.h>

#include "test_util.h"
#include "rng.h"

#define N 200000

static void
test_same_key_same_stream(void **state)
{
	struct rng	a, b;

	(void)state;
	rng_seed(&a, 42, 3, 7);
	rng_seed(&b, 42, 3, 7);
	for (int i = 0; i < 1000; i++)
		assert_true(rng_next(&a) == rng_next(&b));
}

/* Keys differing in any one component give unrelated streams. */
static void
test_streams_differ(void **state)
{
	static const uint64_t keys[][3] = {
		{ 42, 0, 0 }, { 43, 0, 0 }, { 42, 1, 0 }, { 42, 0, 1 },
		{ 1, 2, 0 }, { 3, 0, 0 }, { 0, 0, UINT64_MAX },
	};
	const size_t	 n = sizeof keys / sizeof keys[0];
	uint64_t	 first[sizeof keys / sizeof keys[0]][4];
	struct rng	 r;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		rng_seed(&r, keys[i][0], keys[i][1], keys[i][2]);
		for (int k = 0; k < 4; k++)
			first[i][k] = rng_next(&r);
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			assert_memory_not_equal(first[i], first[j],
			    sizeof first[i]);
}

/* Two neighbouring worker streams are uncorrelated. */
static void
test_streams_uncorrelated(void **state)
{
	struct rng	a, b;
	double		sxy = 0, sx = 0, sy = 0, sxx = 0, syy = 0, r;

	(void)state;
	rng_seed(&a, 7, 0, 0);
	rng_seed(&b, 7, 1, 0);
	for (int i = 0; i < N; i++) {
		double x = rng_uniform(&a), y = rng_uniform(&b);

		sx += x;
		sy += y;
		sxy += x * y;
		sxx += x * x;
		syy += y * y;
	}
	r = (sxy - sx * sy / N) / sqrt((sxx - sx * sx / N) *
	    (syy - sy * sy / N));
	/* sd of r under independence is 1/sqrt(N) = 0.0022 */
	assert_true(fabs(r) < 0.0112);
}

static void
test_uniform_moments(void **state)
{
	struct rng	r;
	double		s = 0, ss = 0, x;
	int		below_half = 0;

	(void)state;
	rng_seed(&r, 1, 0, 0);
	for (int i = 0; i < N; i++) {
		x = rng_uniform(&r);
		assert_true(x >= 0 && x < 1);
		s += x;
		ss += x * x;
		below_half += x < 0.5;
	}
	/* mean 1/2 (sd of mean 0.00065), variance 1/12 */
	assert_true(fabs(s / N - 0.5) < 0.0033);
	assert_true(fabs(ss / N - (s / N) * (s / N) - 1.0 / 12) < 0.002);
	assert_true(abs(below_half - N / 2) < 5 * 224);
}

static void
test_below_range_and_balance(void **state)
{
	struct rng	r;
	int		counts[7] = { 0 };

	(void)state;
	rng_seed(&r, 9, 0, 0);
	assert_true(rng_below(&r, 1) == 0);
	for (int i = 0; i < 70000; i++) {
		uint64_t v = rng_below(&r, 7);

		assert_true(v < 7);
		counts[v]++;
	}
	/* each bin ~ Binomial(70000, 1/7): sd 92.6 */
	for (int k = 0; k < 7; k++)
		assert_true(abs(counts[k] - 10000) < 5 * 93);
}

static void
test_normal_moments(void **state)
{
	struct rng	r;
	double		s = 0, ss = 0, s4 = 0, x, m, v;

	(void)state;
	rng_seed(&r, 5, 0, 0);
	for (int i = 0; i < N; i++) {
		x = rng_normal(&r);
		s += x;
		ss += x * x;
		s4 += x * x * x * x;
	}
	m = s / N;
	v = ss / N - m * m;
	assert_true(fabs(m) < 5 / sqrt(N));
	assert_true(fabs(v - 1) < 5 * sqrt(2.0 / N));
	/* the fourth moment of N(0,1) is 3 (sd of the estimate ~ sqrt(96/N)) */
	assert_true(fabs(s4 / N - 3) < 5 * sqrt(96.0 / N));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_key_same_stream),
		cmocka_unit_test(test_streams_differ),
		cmocka_unit_test(test_streams_uncorrelated),
		cmocka_unit_test(test_uniform_moments),
		cmocka_unit_test(test_below_range_and_balance),
		cmocka_unit_test(test_normal_moments),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
