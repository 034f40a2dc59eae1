/*
 * 1-D DBSCAN and exact 2-means for FastSync's controller (DESIGN.md
 * section 3, FastSync step 1; see cluster.h for the labelling rules).
 *
 * Everything works on the values in sorted order. In one dimension a
 * neighbourhood is a window of the sorted values, so two pointers count
 * every neighbourhood in one pass; two cores are connected exactly when
 * no gap wider than eps separates them, so the clusters are runs of
 * consecutive cores; and a border point's nearest core is the core just
 * before or just after it. Clusters are therefore disjoint intervals of
 * x, numbered left to right, and "smaller mean" is "further left".
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "xmalloc.h"

#define SORT_RUN	32	/* insertion-sorted before merging */

/* The indices 0..n-1 sorted by x, stably (equal values keep index order). */
static int *
sort_order(const double *x, size_t n)
{
	int	*a, *b, *t;
	size_t	 lo, mid, hi, i, j, k, w;

	a = xreallocarray(NULL, n, sizeof *a);
	b = xreallocarray(NULL, n, sizeof *b);
	for (i = 0; i < n; i++)
		a[i] = (int)i;
	for (lo = 0; lo < n; lo += SORT_RUN) {
		hi = lo + SORT_RUN < n ? lo + SORT_RUN : n;
		for (i = lo + 1; i < hi; i++) {
			int	v = a[i];

			for (j = i; j > lo && x[a[j - 1]] > x[v]; j--)
				a[j] = a[j - 1];
			a[j] = v;
		}
	}
	/* Bottom-up merges: O(n log n) always, and no recursion depth. */
	for (w = SORT_RUN; w < n; w *= 2) {
		for (lo = 0; lo < n; lo += 2 * w) {
			mid = lo + w < n ? lo + w : n;
			hi = mid + w < n ? mid + w : n;
			i = lo;
			j = mid;
			k = lo;
			while (i < mid && j < hi)
				b[k++] = x[a[j]] < x[a[i]] ? a[j++] : a[i++];
			while (i < mid)
				b[k++] = a[i++];
			while (j < hi)
				b[k++] = a[j++];
		}
		t = a;
		a = b;
		b = t;
	}
	free(b);
	return (a);
}

/* The sort order of x (returned) and the sorted values (*sp); n > 0. */
static int *
sort_values(const double *x, int n, double **sp)
{
	int	*order = sort_order(x, (size_t)n);
	double	*s = xreallocarray(NULL, (size_t)n, sizeof *s);

	for (int k = 0; k < n; k++)
		s[k] = x[order[k]];
	*sp = s;
	return (order);
}

/*
 * Write the labels from per-position cluster numbers (-1: noise) and fill
 * the sizes and means. Sums run in sorted order, so a permuted input gives
 * bit-identical means.
 */
static void
finish(const int *order, const double *s, const int *comp, int n,
    int early, int late, int *labels, struct cluster_result *r)
{
	double	sum[2] = { 0, 0 };
	int	lab;

	for (int k = 0; k < n; k++) {
		if (comp[k] >= 0 && comp[k] == early)
			lab = CLUSTER_EARLY;
		else if (comp[k] >= 0 && comp[k] == late)
			lab = CLUSTER_LATE;
		else
			lab = CLUSTER_NOISE;
		labels[order[k]] = lab;
		if (lab == CLUSTER_NOISE)
			r->noise++;
		else {
			r->size[lab]++;
			sum[lab] += s[k];
		}
	}
	for (int c = 0; c < 2; c++)
		r->mean[c] = r->size[c] > 0 ? sum[c] / r->size[c] : 0;
}

void
cluster_dbscan(const double *x, int n, double eps, int min_points,
    int *labels, struct cluster_result *r)
{
	double	*s;
	int	*order, *comp, *csize, best[2];
	int	 k, lo, hi, m, p, q, near_p, near_q;

	assert(n >= 0 && eps >= 0 && min_points >= 1);
	memset(r, 0, sizeof *r);
	if (n == 0)
		return;
	order = sort_values(x, n, &s);
	comp = xreallocarray(NULL, (size_t)n, sizeof *comp);

	/* Neighbourhood of k is s[lo..hi]; both ends only move right. */
	lo = hi = 0;
	for (k = 0; k < n; k++) {
		while (s[k] - s[lo] > eps)
			lo++;
		if (hi < k)
			hi = k;
		while (hi + 1 < n && s[hi + 1] - s[k] <= eps)
			hi++;
		comp[k] = hi - lo + 1 >= min_points ? 0 : -1;
	}

	/* Number the runs of cores; a gap wider than eps starts a new one. */
	m = 0;
	p = -1;
	for (k = 0; k < n; k++) {
		if (comp[k] < 0)
			continue;
		if (p < 0 || s[k] - s[p] > eps)
			m++;
		comp[k] = m - 1;
		p = k;
	}

	/*
	 * Border points join the nearer of the cores just before (p) and just
	 * after (q), the one before on a tie. Only position k is written at
	 * step k, so comp[] >= 0 still marks the cores ahead.
	 */
	p = -1;
	q = 0;
	for (k = 0; m > 0 && k < n; k++) {
		if (comp[k] >= 0) {
			p = k;
			continue;
		}
		if (q <= k) {
			for (q = k + 1; q < n && comp[q] < 0; q++)
				;
		}
		near_p = p >= 0 && s[k] - s[p] <= eps;
		near_q = q < n && s[q] - s[k] <= eps;
		if (near_p && (!near_q || s[k] - s[p] <= s[q] - s[k]))
			comp[k] = comp[p];
		else if (near_q)
			comp[k] = comp[q];
	}

	/* The two largest; equal sizes keep the lower number (smaller mean). */
	best[0] = best[1] = -1;
	if (m > 0) {
		csize = xcalloc((size_t)m, sizeof *csize);
		for (k = 0; k < n; k++) {
			if (comp[k] >= 0)
				csize[comp[k]]++;
		}
		best[0] = 0;
		for (int c = 1; c < m; c++) {
			if (csize[c] > csize[best[0]]) {
				best[1] = best[0];
				best[0] = c;
			} else if (best[1] < 0 || csize[c] > csize[best[1]])
				best[1] = c;
		}
		free(csize);
		if (best[1] >= 0 && best[1] < best[0]) {
			k = best[0];
			best[0] = best[1];
			best[1] = k;
		}
	}
	r->found = m;
	finish(order, s, comp, n, best[0], best[1], labels, r);
	free(comp);
	free(s);
	free(order);
}

/*
 * The split of the sorted values that minimises the within-cluster sum of
 * squares is the one that maximises the between-cluster sum, n times which
 * is (n P - k T)^2 / (k (n - k)) for the first k values, with P and T the
 * sums of the first k and of all values. Values are taken relative to the
 * smallest to keep the cancellation small (and integers exact). Only splits
 * between distinct values are tried: splitting equal values is never
 * optimal, and it would make labels depend on the input order.
 */
void
cluster_kmeans2(const double *x, int n, int *labels,
    struct cluster_result *r)
{
	double	*s, p, t, d, b, best;
	int	*order, *comp, split;

	assert(n >= 0);
	memset(r, 0, sizeof *r);
	if (n == 0)
		return;
	order = sort_values(x, n, &s);
	t = 0;
	for (int k = 0; k < n; k++)
		t += s[k] - s[0];
	split = n;
	best = -1;
	p = 0;
	for (int k = 1; k < n; k++) {
		p += s[k - 1] - s[0];
		if (!(s[k - 1] < s[k]))
			continue;
		d = (double)n * p - (double)k * t;
		b = d * d / ((double)k * (double)(n - k));
		if (b > best) {	/* strict: leftmost of equal splits */
			best = b;
			split = k;
		}
	}
	comp = xreallocarray(NULL, (size_t)n, sizeof *comp);
	for (int k = 0; k < n; k++)
		comp[k] = k < split ? 0 : 1;
	r->found = split < n ? 2 : 1;
	finish(order, s, comp, n, 0, split < n ? 1 : -1, labels, r);
	free(comp);
	free(s);
	free(order);
}
