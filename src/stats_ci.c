/*
 * Student t intervals. t_{0.975, df}: a table for df 1..30, then the
 * Cornish-Fisher expansion of t in the normal quantile (Abramowitz and
 * Stegun 26.7.5), good to about 1e-4 beyond df 30.
 */
#include <math.h>
#include <stdlib.h>

#include "xmalloc.h"

#include "stats_ci.h"

static const double t975[] = {
	0, 12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060,
	2.2622, 2.2281, 2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199,
	2.1098, 2.1009, 2.0930, 2.0860, 2.0796, 2.0739, 2.0687, 2.0639,
	2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
};

/* The 97.5% quantile of Student's t with df degrees of freedom. */
double
stats_t975(int df)
{
	const double	z = 1.959963984540054, z2 = z * z;
	double		n = df;

	if (df < 1)
		return ((double)NAN);
	if (df < (int)(sizeof t975 / sizeof t975[0]))
		return (t975[df]);
	return (z + (z2 + 1) * z / (4 * n) + ((5 * z2 + 16) * z2 + 3) * z /
	    (96 * n * n) + (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z /
	    (384 * n * n * n));
}

/* Mean, sd and the 95% interval of x's finite values. */
void
stats_ci_mean(const double *x, int n, struct ci *c)
{
	double	sum = 0, ss = 0, h;

	c->n = 0;
	for (int i = 0; i < n; i++)
		if (isfinite(x[i])) {
			sum += x[i];
			c->n++;
		}
	c->mean = c->n > 0 ? sum / c->n : (double)NAN;
	for (int i = 0; i < n; i++)
		if (isfinite(x[i]))
			ss += (x[i] - c->mean) * (x[i] - c->mean);
	c->sd = c->n > 1 ? sqrt(ss / (c->n - 1)) : (double)NAN;
	h = c->n > 1 ? stats_t975(c->n - 1) * c->sd / sqrt(c->n) : (double)NAN;
	c->lo = c->mean - h;
	c->hi = c->mean + h;
}

/* The interval of the mean of the per-pair ratios a[i] / b[i]. */
void
stats_ci_ratio(const double *a, const double *b, int n, struct ci *c)
{
	double	*r = xcalloc(n > 0 ? (size_t)n : 1, sizeof *r);

	for (int i = 0; i < n; i++)
		r[i] = b[i] != 0 ? a[i] / b[i] : (double)NAN;
	stats_ci_mean(r, n, c);
	free(r);
}
