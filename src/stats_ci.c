/*
 * Student t intervals. t_{0.975, df}: a table for df 1..30 (to 12
 * decimals, from the incomplete beta function), then the Cornish-Fisher
 * expansion of t in the normal quantile (Abramowitz and Stegun 26.7.5),
 * within 2e-6 beyond df 30 (1.7e-6 at 31, falling).
 */
#include <math.h>
#include <stdlib.h>

#include "xmalloc.h"

#include "stats_ci.h"

static const double t975[] = {
	0, 12.706204736175, 4.302652729749, 3.182446305284, 2.776445105198,
	2.570581835636, 2.446911851145, 2.364624251593, 2.306004135204,
	2.262157162798, 2.228138851986, 2.200985160092, 2.178812829667,
	2.160368656463, 2.144786687918, 2.131449545560, 2.119905299221,
	2.109815577833, 2.100922040241, 2.093024054408, 2.085963447266,
	2.079613844728, 2.073873067904, 2.068657610419, 2.063898561628,
	2.059538552753, 2.055529438643, 2.051830516480, 2.048407141795,
	2.045229642133, 2.042272456301,
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
