/*
 * Clustering of one-dimensional values: FastSync's controller groups the
 * workers by their per-task average deviation from the pivot (DESIGN.md
 * section 3, FastSync step 1) with 1-D DBSCAN(eps, min_points) or, when
 * selected, 2-means.
 *
 * Of the clusters found, the two largest are kept (equal sizes: the one
 * with the smaller mean first); the one with the smaller mean is C1
 * (CLUSTER_EARLY), the other C2 (CLUSTER_LATE), and every other point is
 * CLUSTER_NOISE. One cluster found: its members are EARLY and size[1] is
 * 0 (the caller lets it serve as both C1 and C2). None: all noise.
 *
 * Both functions sort a copy of the indices (O(n log n), no recursion),
 * allocate their scratch per call and free it before returning, and keep
 * no state: the same input gives the same labels, and a permuted input
 * gives the same labels permuted. Values must be finite.
 */
#ifndef FS_CLUSTER_H
#define FS_CLUSTER_H

enum { CLUSTER_NOISE = -1, CLUSTER_EARLY = 0, CLUSTER_LATE = 1 };

struct cluster_result {
	int	found;		/* clusters found before keeping two */
	int	size[2];	/* members of C1 (early) and C2 (late) */
	int	noise;		/* points labelled noise */
	double	mean[2];	/* mean of x over C1 and C2; 0 if empty */
};

void	cluster_dbscan(const double *x, int n, double eps, int min_points,
	    int *labels, struct cluster_result *);
void	cluster_kmeans2(const double *x, int n, int *labels,
	    struct cluster_result *);

#endif
