/*
 * Confidence intervals over seeds: Student t (two-sided 95%), the mean's
 * interval, and a paired ratio's (per-seed ratios of two models on the
 * same seeds: common random numbers make the pairs tight).
 */
#ifndef FS_STATS_CI_H
#define FS_STATS_CI_H

struct ci {
	int	n;		/* values used (NaN ones skipped) */
	double	mean;
	double	sd;
	double	lo, hi;		/* NaN with fewer than two values */
};

double	stats_t975(int);
void	stats_ci_mean(const double *, int, struct ci *);
void	stats_ci_ratio(const double *, const double *, int, struct ci *);

#endif
