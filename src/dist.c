/* Task-time distributions and their moments. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dist.h"
#include "rng.h"
#include "xmalloc.h"

static const char *dist_names[] = {
	[DIST_CONST] = "const",
	[DIST_NORMAL] = "normal",
	[DIST_MIXTURE] = "mixture",
	[DIST_LOGNORMAL] = "lognormal",
	[DIST_CHOICE] = "choice",
	[DIST_EMPIRICAL] = "empirical",
};

const char *
dist_kind_name(enum dist_kind k)
{
	return (dist_names[k]);
}

int
dist_kind_parse(const char *s, enum dist_kind *out)
{
	for (size_t i = 0; i < sizeof dist_names / sizeof dist_names[0]; i++) {
		if (strcmp(s, dist_names[i]) == 0) {
			*out = (enum dist_kind)i;
			return (0);
		}
	}
	return (-1);
}

/* Derive the log-space parameters of a lognormal from its mean and sd. */
void
dist_prepare(struct dist *d)
{
	double	v;

	if (d->kind != DIST_LOGNORMAL || d->mean <= 0)
		return;
	v = log1p((d->sd * d->sd) / (d->mean * d->mean));
	d->sigma = sqrt(v);
	d->mu = log(d->mean) - v / 2;
}

/* A normal draw truncated to (0, inf) by redrawing. */
static double
positive_normal(struct rng *r, double mean, double sd)
{
	double	x;

	if (sd <= 0)
		return (mean);
	do
		x = mean + sd * rng_normal(r);
	while (x <= 0);
	return (x);
}

double
dist_sample(const struct dist *d, struct rng *r)
{
	switch (d->kind) {
	case DIST_CONST:
		return (d->mean);
	case DIST_NORMAL:
		return (positive_normal(r, d->mean, d->sd));
	case DIST_MIXTURE:
		if (rng_uniform(r) < d->weight)
			return (positive_normal(r, d->mean, d->sd));
		return (positive_normal(r, d->mean2, d->sd2));
	case DIST_LOGNORMAL:
		return (exp(d->mu + d->sigma * rng_normal(r)));
	case DIST_CHOICE:
	case DIST_EMPIRICAL:
		return (d->values[rng_below(r, d->nvalues)]);
	}
	return (0);
}

static double
values_mean(const struct dist *d)
{
	double	s = 0;

	for (size_t i = 0; i < d->nvalues; i++)
		s += d->values[i];
	return (d->nvalues ? s / (double)d->nvalues : 0);
}

/* Moments ignore the tiny truncation at 0 of a normal with mean >> sd. */
double
dist_mean(const struct dist *d)
{
	switch (d->kind) {
	case DIST_CONST:
	case DIST_NORMAL:
	case DIST_LOGNORMAL:
		return (d->mean);
	case DIST_MIXTURE:
		return (d->weight * d->mean + (1 - d->weight) * d->mean2);
	case DIST_CHOICE:
	case DIST_EMPIRICAL:
		return (values_mean(d));
	}
	return (0);
}

double
dist_sd(const struct dist *d)
{
	double	m, s, w;

	switch (d->kind) {
	case DIST_CONST:
		return (0);
	case DIST_NORMAL:
	case DIST_LOGNORMAL:
		return (d->sd);
	case DIST_MIXTURE:
		m = dist_mean(d);
		w = d->weight;
		s = w * (d->sd * d->sd + d->mean * d->mean) +
		    (1 - w) * (d->sd2 * d->sd2 + d->mean2 * d->mean2);
		return (sqrt(fmax(0, s - m * m)));
	case DIST_CHOICE:
	case DIST_EMPIRICAL:
		m = values_mean(d);
		s = 0;
		for (size_t i = 0; i < d->nvalues; i++)
			s += (d->values[i] - m) * (d->values[i] - m);
		return (d->nvalues ? sqrt(s / (double)d->nvalues) : 0);
	}
	return (0);
}

void
dist_free(struct dist *d)
{
	free(d->values);
	d->values = NULL;
	d->nvalues = 0;
}
