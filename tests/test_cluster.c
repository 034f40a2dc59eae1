/*
 * 1-D DBSCAN and 2-means (DESIGN.md section 3, FastSync step 1): small
 * data with known answers, then both against brute-force references on
 * random data, and a large run.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cluster.h"
#include "rng.h"

#define E	CLUSTER_EARLY
#define L	CLUSTER_LATE
#define N	CLUSTER_NOISE
#define NELEM(a)	((int)(sizeof (a) / sizeof (a)[0]))

static void
assert_close(double a, double b)
{
	assert_true(fabs(a - b) <= 1e-9 * (1 + fabs(b)));
}

/* Run DBSCAN and check labels, counts and means against expectations. */
static void
check_dbscan(const double *x, int n, double eps, int min_points,
    const int *want, int found, int size0, int size1, double mean0,
    double mean1)
{
	struct cluster_result	r;
	int			labels[64];

	assert_true(n <= NELEM(labels));
	cluster_dbscan(x, n, eps, min_points, labels, &r);
	for (int i = 0; i < n; i++)
		assert_int_equal(labels[i], want[i]);
	assert_int_equal(r.found, found);
	assert_int_equal(r.size[0], size0);
	assert_int_equal(r.size[1], size1);
	assert_int_equal(r.noise, n - size0 - size1);
	assert_close(r.mean[0], mean0);
	assert_close(r.mean[1], mean1);
}

/* Two groups and two isolated points; the late group is the larger. */
static void
test_dbscan_two_groups_and_noise(void **state)
{
	const double	x[] = { 5.0, 1.0, 20.0, 5.2, 1.1, 4.9, 0.9, -10.0,
	    5.1, 1.05, 5.05 };
	const int	want[] = { L, E, N, L, E, L, E, N, L, E, L };

	(void)state;
	check_dbscan(x, NELEM(x), 0.3, 3, want, 2, 4, 5, 1.0125, 5.05);
}

/* Three groups: the smallest (here the leftmost) becomes noise. */
static void
test_dbscan_three_groups(void **state)
{
	const double	x[] = { 0, 10, 20, 0.1, 10.1, 20.1, 0.2, 10.2, 20.2,
	    10.3, 20.3, 10.4 };
	const int	want[] = { N, E, L, N, E, L, N, E, L, E, L, E };

	(void)state;
	check_dbscan(x, NELEM(x), 0.5, 2, want, 3, 5, 4, 10.2, 20.15);
}

/* Equal sizes: the groups with the smaller means are kept. */
static void
test_dbscan_size_tie(void **state)
{
	/* sizes 3, 4, 3, 3 at 30, 10, 0, 20: keep 10 (4) and 0 (3) */
	const double	x[] = { 30, 10, 0, 20, 30, 10, 0, 20, 30, 10, 0, 20,
	    10 };
	const int	want[] = { N, L, E, N, N, L, E, N, N, L, E, N, L };
	/* all of size 3: keep the two leftmost */
	const double	y[] = { 20, 10, 0, 20, 10, 0, 20, 10, 0 };
	const int	wanty[] = { N, L, E, N, L, E, N, L, E };

	(void)state;
	check_dbscan(x, NELEM(x), 1, 2, want, 4, 3, 4, 0, 10);
	check_dbscan(y, NELEM(y), 1, 2, wanty, 3, 3, 3, 0, 10);
}

/* One group: EARLY, size[1] == 0, mean[1] == 0. */
static void
test_dbscan_one_group(void **state)
{
	const double	x[] = { 2.1, 9, 2.0, 2.2, 2.05 };
	const int	want[] = { E, N, E, E, E };

	(void)state;
	check_dbscan(x, NELEM(x), 0.5, 2, want, 1, 4, 0, 2.0875, 0);
}

/* min_points above every neighbourhood: all noise; also n == 0. */
static void
test_dbscan_all_noise(void **state)
{
	const double		x[] = { 0, 1, 2, 3 };
	const int		want[] = { N, N, N, N };
	struct cluster_result	r;

	(void)state;
	check_dbscan(x, NELEM(x), 1.5, 5, want, 0, 0, 0, 0, 0);
	memset(&r, 0x55, sizeof r);
	cluster_dbscan(NULL, 0, 1, 1, NULL, &r);
	assert_int_equal(r.found, 0);
	assert_int_equal(r.size[0] + r.size[1] + r.noise, 0);
}

/* eps = 0: only identical values are neighbours. */
static void
test_dbscan_eps_zero_duplicates(void **state)
{
	const double	x[] = { 3, 1, 3, 2, 3, 1, 5 };
	const int	want2[] = { L, E, L, N, L, E, N };
	const int	want1[] = { L, E, L, N, L, E, N };

	(void)state;
	check_dbscan(x, NELEM(x), 0, 2, want2, 2, 2, 3, 1, 3);
	/* min_points 1: every distinct value is a cluster; 2 and 5 lose */
	check_dbscan(x, NELEM(x), 0, 1, want1, 4, 2, 3, 1, 3);
	/* min_points 4: nothing repeats that often */
	check_dbscan(x, NELEM(x), 0, 4, (const int[]){ N, N, N, N, N, N, N },
	    0, 0, 0, 0, 0);
}

/*
 * A border point within eps of cores of two clusters joins the nearer
 * one, the lower on a tie; it does not join the clusters (not a core).
 */
static void
test_dbscan_border_nearest_core(void **state)
{
	/* cores 6 6 6 8 | border 10, 2 from each side | cores 12 14 14 14 14 */
	const double	x[] = { 14, 6, 12, 10, 14, 6, 8, 14, 6, 14 };
	const int	want[] = { L, E, L, E, L, E, E, L, E, L };
	/* eps 2.5, border 10.2: nearer to 12 than to 8 */
	const double	y[] = { 14, 6, 12, 10.2, 14, 6, 8, 14, 6 };
	const int	wanty[] = { L, E, L, L, L, E, E, L, E };

	(void)state;
	check_dbscan(x, NELEM(x), 2, 4, want, 2, 5, 5, 7.2, 13.6);
	check_dbscan(y, NELEM(y), 2.5, 4, wanty, 2, 4, 5, 6.5, 12.84);
}

/* Cores chain into one cluster; a gap wider than eps splits it. */
static void
test_dbscan_chain_vs_gap(void **state)
{
	double			x[10];
	int			want[10];
	struct cluster_result	r;
	int			labels[10];

	(void)state;
	/* 0..9 step 1: ends are border points, all one cluster */
	for (int i = 0; i < 10; i++) {
		x[i] = 9 - i;
		want[i] = E;
	}
	check_dbscan(x, 10, 1, 3, want, 1, 10, 0, 4.5, 0);
	/* 0..4 and 7..11 */
	for (int i = 0; i < 10; i++) {
		x[i] = i < 5 ? i : i + 2;
		want[i] = i < 5 ? E : L;
	}
	check_dbscan(x, 10, 1, 3, want, 2, 5, 5, 2, 9);
	/* eps 3 bridges the gap of 3 (distance <= eps counts) */
	cluster_dbscan(x, 10, 3, 3, labels, &r);
	assert_int_equal(r.found, 1);
	assert_int_equal(r.size[0], 10);
}

/* Labels refer to the original indices of unsorted input. */
static void
test_dbscan_unsorted_input(void **state)
{
	const double	x[] = { 5.1, 0.2, 9.0, 5.0, 0.1, 5.2, 0.0, -3.0 };
	const int	want[] = { L, E, N, L, E, L, E, N };

	(void)state;
	check_dbscan(x, NELEM(x), 0.15, 2, want, 2, 3, 3, 0.1, 5.1);
}

/* Shuffle p[0..n-1] (Fisher-Yates). */
static void
shuffle(struct rng *r, int *p, int n)
{
	for (int i = n - 1; i > 0; i--) {
		int	j = (int)rng_below(r, (uint64_t)i + 1);
		int	t = p[i];

		p[i] = p[j];
		p[j] = t;
	}
}

static void
assert_same_result(const struct cluster_result *a,
    const struct cluster_result *b)
{
	assert_int_equal(a->found, b->found);
	assert_int_equal(a->size[0], b->size[0]);
	assert_int_equal(a->size[1], b->size[1]);
	assert_int_equal(a->noise, b->noise);
	assert_true(a->mean[0] == b->mean[0]);
	assert_true(a->mean[1] == b->mean[1]);
}

/* A permuted input gives bit-identical results, labels following points. */
static void
test_permutation_invariant(void **state)
{
	enum { M = 400 };
	double			x[M], y[M];
	int			perm[M], la[M], lb[M];
	struct cluster_result	ra, rb;
	struct rng		r;

	(void)state;
	for (uint64_t seed = 1; seed <= 20; seed++) {
		rng_seed(&r, seed, 0, 0);
		for (int i = 0; i < M; i++) {
			/* three groups, duplicates, scattered noise */
			x[i] = (double)rng_below(&r, 3) * 5 +
			    (double)rng_below(&r, 40) / 16;
			if (rng_below(&r, 10) == 0)
				x[i] = rng_uniform(&r) * 20;
			perm[i] = i;
		}
		shuffle(&r, perm, M);
		for (int i = 0; i < M; i++)
			y[i] = x[perm[i]];
		cluster_dbscan(x, M, 0.1, (int)seed % 7 + 1, la, &ra);
		cluster_dbscan(y, M, 0.1, (int)seed % 7 + 1, lb, &rb);
		assert_true(ra.found >= 2);
		assert_same_result(&ra, &rb);
		for (int i = 0; i < M; i++)
			assert_int_equal(lb[i], la[perm[i]]);
		cluster_kmeans2(x, M, la, &ra);
		cluster_kmeans2(y, M, lb, &rb);
		assert_int_equal(ra.found, 2);
		assert_same_result(&ra, &rb);
		for (int i = 0; i < M; i++)
			assert_int_equal(lb[i], la[perm[i]]);
	}
}

/*
 * Reference DBSCAN straight from the definition, O(n^2): core counts by
 * scanning, components by search over core-core edges, borders by the
 * nearest core (lower x on a tie), clusters ranked by (size, -mean).
 */
static void
ref_dbscan(const double *x, int n, double eps, int min_points, int *labels,
    struct cluster_result *r)
{
	int	core[64], comp[64], stack[64], csize[64];
	double	csum[64], bd;
	int	m = 0, top, b, keep[2] = { -1, -1 };

	assert_true(n <= 64);
	memset(r, 0, sizeof *r);
	for (int i = 0; i < n; i++) {
		int	cnt = 0;

		for (int j = 0; j < n; j++)
			cnt += fabs(x[i] - x[j]) <= eps;
		core[i] = cnt >= min_points;
		comp[i] = -1;
	}
	for (int i = 0; i < n; i++) {
		if (!core[i] || comp[i] >= 0)
			continue;
		comp[i] = m;
		stack[0] = i;
		top = 1;
		while (top > 0) {
			int	a = stack[--top];

			for (int j = 0; j < n; j++) {
				if (core[j] && comp[j] < 0 &&
				    fabs(x[a] - x[j]) <= eps) {
					comp[j] = m;
					stack[top++] = j;
				}
			}
		}
		m++;
	}
	for (int i = 0; i < n; i++) {
		if (core[i])
			continue;
		b = -1;
		bd = 0;
		for (int c = 0; c < n; c++) {
			double	d = fabs(x[i] - x[c]);

			if (!core[c] || d > eps)
				continue;
			if (b < 0 || d < bd || (d == bd && x[c] < x[b])) {
				b = c;
				bd = d;
			}
		}
		if (b >= 0)
			comp[i] = comp[b];
	}
	for (int c = 0; c < m; c++) {
		csize[c] = 0;
		csum[c] = 0;
	}
	for (int i = 0; i < n; i++) {
		if (comp[i] >= 0) {
			csize[comp[i]]++;
			csum[comp[i]] += x[i];
		}
	}
	for (int c = 0; c < m; c++)
		csum[c] /= csize[c];	/* now the mean */
	for (int k = 0; k < 2; k++) {
		for (int c = 0; c < m; c++) {
			if (c == keep[0])
				continue;
			if (keep[k] < 0 || csize[c] > csize[keep[k]] ||
			    (csize[c] == csize[keep[k]] &&
			    csum[c] < csum[keep[k]]))
				keep[k] = c;
		}
	}
	if (keep[1] >= 0 && csum[keep[1]] < csum[keep[0]]) {
		b = keep[0];
		keep[0] = keep[1];
		keep[1] = b;
	}
	r->found = m;
	for (int i = 0; i < n; i++) {
		if (comp[i] >= 0 && comp[i] == keep[0])
			labels[i] = CLUSTER_EARLY;
		else if (comp[i] >= 0 && comp[i] == keep[1])
			labels[i] = CLUSTER_LATE;
		else
			labels[i] = CLUSTER_NOISE;
		if (labels[i] == CLUSTER_NOISE)
			r->noise++;
		else
			r->size[labels[i]]++;
	}
	for (int k = 0; k < 2; k++)
		r->mean[k] = keep[k] >= 0 ? csum[keep[k]] : 0;
}

/* DBSCAN agrees with the reference on random data with many ties. */
static void
test_dbscan_vs_reference(void **state)
{
	double			x[60], eps;
	int			la[60], lb[60], n, min_points, clustered = 0;
	struct cluster_result	ra, rb;
	struct rng		r;

	(void)state;
	rng_seed(&r, 11, 0, 0);
	for (int inst = 0; inst < 200; inst++) {
		n = (int)rng_below(&r, 61);
		for (int i = 0; i < n; i++) {
			switch (inst % 3) {
			case 0:	/* small integers: duplicates, ties */
				x[i] = (double)rng_below(&r, 30);
				break;
			case 1:	/* a few groups */
				x[i] = (double)rng_below(&r, 4) * 8 +
				    rng_uniform(&r) * 3;
				break;
			default:
				x[i] = rng_uniform(&r) * 40 - 20;
				break;
			}
		}
		switch (rng_below(&r, 3)) {
		case 0:
			eps = 0;
			break;
		case 1:
			eps = (double)rng_below(&r, 4);
			break;
		default:
			eps = rng_uniform(&r) * 4;
			break;
		}
		min_points = 1 + (int)rng_below(&r, 6);
		cluster_dbscan(x, n, eps, min_points, la, &ra);
		ref_dbscan(x, n, eps, min_points, lb, &rb);
		assert_int_equal(ra.found, rb.found);
		assert_int_equal(ra.size[0], rb.size[0]);
		assert_int_equal(ra.size[1], rb.size[1]);
		assert_int_equal(ra.noise, rb.noise);
		assert_close(ra.mean[0], rb.mean[0]);
		assert_close(ra.mean[1], rb.mean[1]);
		for (int i = 0; i < n; i++)
			assert_int_equal(la[i], lb[i]);
		clustered += ra.found >= 3;
	}
	assert_true(clustered > 20);	/* the data did exercise noise */
}

/* Run 2-means and check every label and the counts. */
static void
check_kmeans2(const double *x, int n, const int *want, int found,
    int size0, int size1, double mean0, double mean1)
{
	struct cluster_result	r;
	int			labels[64];

	cluster_kmeans2(x, n, labels, &r);
	for (int i = 0; i < n; i++)
		assert_int_equal(labels[i], want[i]);
	assert_int_equal(r.found, found);
	assert_int_equal(r.size[0], size0);
	assert_int_equal(r.size[1], size1);
	assert_int_equal(r.noise, 0);
	assert_close(r.mean[0], mean0);
	assert_close(r.mean[1], mean1);
}

static void
test_kmeans2_obvious_split(void **state)
{
	const double	x[] = { 10, 1, 11, 2, 12, 3 };
	const int	want[] = { L, E, L, E, L, E };
	const double	y[] = { 0, 0, 100, 0, 0 };
	const int	wanty[] = { E, E, L, E, E };

	(void)state;
	check_kmeans2(x, NELEM(x), want, 2, 3, 3, 2, 11);
	check_kmeans2(y, NELEM(y), wanty, 2, 4, 1, 0, 100);
}

/* Equal values and n == 0: one cluster, none. */
static void
test_kmeans2_equal_values(void **state)
{
	const double		x[] = { 4, 4, 4 };
	const int		want[] = { E, E, E };
	struct cluster_result	r;

	(void)state;
	check_kmeans2(x, NELEM(x), want, 1, 3, 0, 4, 0);
	memset(&r, 0x55, sizeof r);
	cluster_kmeans2(NULL, 0, NULL, &r);
	assert_int_equal(r.found, 0);
	assert_int_equal(r.size[0] + r.size[1] + r.noise, 0);
}

/* n = 1, n = 2, and a tie between two splits (the leftmost wins). */
static void
test_kmeans2_small_n(void **state)
{
	(void)state;
	check_kmeans2((const double[]){ 7 }, 1, (const int[]){ E }, 1, 1, 0,
	    7, 0);
	check_kmeans2((const double[]){ 5, 3 }, 2, (const int[]){ L, E }, 2,
	    1, 1, 3, 5);
	/* {0 | 1 2} and {0 1 | 2} both leave 0.5 */
	check_kmeans2((const double[]){ 2, 0, 1 }, 3,
	    (const int[]){ L, E, L }, 2, 1, 2, 0, 1.5);
}

static int
cmp_int(const void *a, const void *b)
{
	int	x = *(const int *)a, y = *(const int *)b;

	return ((x > y) - (x < y));
}

/*
 * SSE of integer data split before k, as an exact fraction: num / den
 * with den = k (n - k), so splits compare exactly by cross-multiplying.
 */
static void
sse_frac(const int *v, int n, int k, int64_t *num, int64_t *den)
{
	int64_t	sl = 0, sr = 0, sq = 0;

	for (int i = 0; i < n; i++) {
		sq += (int64_t)v[i] * v[i];
		if (i < k)
			sl += v[i];
		else
			sr += v[i];
	}
	*den = (int64_t)k * (n - k);
	*num = sq * *den - sl * sl * (n - k) - sr * sr * k;
}

/*
 * 2-means against the exact optimum over every split of small integer
 * data (duplicates and exact ties): the leftmost optimal split between
 * distinct values, which no split at all (even inside a run of equal
 * values) beats.
 */
static void
test_kmeans2_vs_bruteforce_exact(void **state)
{
	int			v[40], s[40], labels[40], n, bk, ties = 0;
	int64_t			bn = 0, bd = 1, num, den;
	double			x[40];
	struct cluster_result	res;
	struct rng		r;

	(void)state;
	rng_seed(&r, 21, 0, 0);
	for (int inst = 0; inst < 200; inst++) {
		/* every fourth instance small and narrow, where ties happen */
		n = inst % 4 == 3 ? 2 + (int)rng_below(&r, 5) :
		    1 + (int)rng_below(&r, 40);
		for (int i = 0; i < n; i++) {
			v[i] = (int)rng_below(&r, inst % 4 == 3 ? 3 :
			    inst % 2 ? 6 : 21);
			x[i] = v[i];
			s[i] = v[i];
		}
		qsort(s, (size_t)n, sizeof *s, cmp_int);
		bk = n;
		for (int k = 1; k < n; k++) {
			if (s[k - 1] == s[k])
				continue;
			sse_frac(s, n, k, &num, &den);
			if (bk == n || num * bd < bn * den) {
				bk = k;
				bn = num;
				bd = den;
			}
		}
		for (int k = 1; k < n && bk < n; k++) {
			sse_frac(s, n, k, &num, &den);
			assert_true(num * bd >= bn * den);
			ties += k > bk && s[k - 1] < s[k] &&
			    num * bd == bn * den;
		}
		cluster_kmeans2(x, n, labels, &res);
		assert_int_equal(res.found, bk < n ? 2 : 1);
		assert_int_equal(res.noise, 0);
		assert_int_equal(res.size[0], bk);
		assert_int_equal(res.size[1], n - bk);
		for (int i = 0; i < n; i++)
			assert_int_equal(labels[i],
			    bk < n && v[i] >= s[bk] ? L : E);
	}
	assert_true(ties > 0);	/* the data did exercise the tie rule */
}

/* Sum of squares of x[] around the means of its labelled groups. */
static double
labelled_sse(const double *x, const int *labels, int n)
{
	double	sum[2] = { 0, 0 }, sse = 0;
	int	cnt[2] = { 0, 0 };

	for (int i = 0; i < n; i++) {
		assert_true(labels[i] == E || labels[i] == L);
		sum[labels[i]] += x[i];
		cnt[labels[i]]++;
	}
	for (int i = 0; i < n; i++) {
		double	d = x[i] - sum[labels[i]] / cnt[labels[i]];

		sse += d * d;
	}
	return (sse);
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return ((x > y) - (x < y));
}

/* 2-means on real-valued data reaches the brute-force optimum. */
static void
test_kmeans2_vs_bruteforce_real(void **state)
{
	double			x[50], s[50], lo, hi, best, sse;
	int			labels[50], lab[50], n;
	struct cluster_result	res;
	struct rng		r;

	(void)state;
	rng_seed(&r, 22, 0, 0);
	for (int inst = 0; inst < 200; inst++) {
		n = 2 + (int)rng_below(&r, 49);
		for (int i = 0; i < n; i++) {
			x[i] = rng_uniform(&r) * 10 +
			    (inst % 2 ? (double)rng_below(&r, 2) * 7 : 0);
			s[i] = x[i];
		}
		qsort(s, (size_t)n, sizeof *s, cmp_double);
		best = HUGE_VAL;
		for (int k = 1; k < n; k++) {
			for (int i = 0; i < n; i++)
				lab[i] = x[i] < s[k] ? E : L;
			sse = labelled_sse(x, lab, n);
			best = sse < best ? sse : best;
		}
		cluster_kmeans2(x, n, labels, &res);
		assert_int_equal(res.found, 2);
		assert_true(labelled_sse(x, labels, n) <= best * (1 + 1e-12));
		/* a threshold split: every EARLY value below every LATE one */
		lo = HUGE_VAL;
		hi = -HUGE_VAL;
		for (int i = 0; i < n; i++) {
			if (labels[i] == E)
				hi = x[i] > hi ? x[i] : hi;
			else
				lo = x[i] < lo ? x[i] : lo;
		}
		assert_true(hi < lo);
		for (int c = 0; c < 2; c++) {
			double	sum = 0;
			int	cnt = 0;

			for (int i = 0; i < n; i++) {
				if (labels[i] == c) {
					sum += x[i];
					cnt++;
				}
			}
			assert_int_equal(res.size[c], cnt);
			assert_close(res.mean[c], sum / cnt);
		}
	}
}

/* Count the labels and check them against the result's counts. */
static void
assert_counts(const int *labels, int n, const struct cluster_result *r)
{
	int	cnt[3] = { 0, 0, 0 };

	for (int i = 0; i < n; i++) {
		assert_true(labels[i] >= CLUSTER_NOISE &&
		    labels[i] <= CLUSTER_LATE);
		cnt[labels[i] + 1]++;
	}
	assert_int_equal(cnt[0], r->noise);
	assert_int_equal(cnt[1], r->size[0]);
	assert_int_equal(cnt[2], r->size[1]);
	assert_int_equal(r->size[0] + r->size[1] + r->noise, n);
}

/* A million points: both finish, and labels agree with the counts. */
static void
test_large_run(void **state)
{
	enum { M = 1000000 };
	double			*x = malloc(M * sizeof *x);
	int			*labels = malloc(M * sizeof *labels);
	struct cluster_result	 res;
	struct rng		 r;

	(void)state;
	assert_non_null(x);
	assert_non_null(labels);
	rng_seed(&r, 31, 0, 0);
	for (int i = 0; i < M; i++) {
		uint64_t	u = rng_below(&r, 100);

		/* 1% scattered, 29% around 20, 70% around 0 */
		if (u == 0)
			x[i] = rng_uniform(&r) * 100 - 50;
		else if (u < 30)
			x[i] = 20 + rng_normal(&r);
		else
			x[i] = rng_normal(&r);
	}
	cluster_dbscan(x, M, 0.01, 20, labels, &res);
	assert_counts(labels, M, &res);
	assert_true(res.found >= 2);
	assert_true(res.mean[0] < res.mean[1]);
	assert_true(fabs(res.mean[0]) < 0.5 && fabs(res.mean[1] - 20) < 0.5);
	assert_true(res.noise > 0);
	cluster_kmeans2(x, M, labels, &res);
	assert_counts(labels, M, &res);
	assert_int_equal(res.found, 2);
	assert_true(res.mean[0] < 10 && res.mean[1] > 10);
	/* every point one cluster (min_points 1, huge eps) */
	cluster_dbscan(x, M, 1000, 1, labels, &res);
	assert_counts(labels, M, &res);
	assert_int_equal(res.found, 1);
	assert_int_equal(res.size[0], M);
	free(labels);
	free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dbscan_two_groups_and_noise),
		cmocka_unit_test(test_dbscan_three_groups),
		cmocka_unit_test(test_dbscan_size_tie),
		cmocka_unit_test(test_dbscan_one_group),
		cmocka_unit_test(test_dbscan_all_noise),
		cmocka_unit_test(test_dbscan_eps_zero_duplicates),
		cmocka_unit_test(test_dbscan_border_nearest_core),
		cmocka_unit_test(test_dbscan_chain_vs_gap),
		cmocka_unit_test(test_dbscan_unsorted_input),
		cmocka_unit_test(test_permutation_invariant),
		cmocka_unit_test(test_dbscan_vs_reference),
		cmocka_unit_test(test_kmeans2_obvious_split),
		cmocka_unit_test(test_kmeans2_equal_values),
		cmocka_unit_test(test_kmeans2_small_n),
		cmocka_unit_test(test_kmeans2_vs_bruteforce_exact),
		cmocka_unit_test(test_kmeans2_vs_bruteforce_real),
		cmocka_unit_test(test_large_run),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
