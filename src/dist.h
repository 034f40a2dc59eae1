/*
 * Task-time distributions (milliseconds). Every draw is strictly positive
 * except a constant or choice that is configured as 0: normal draws that
 * come out <= 0 are drawn again (the authors' code meant to and did not).
 */
#ifndef FS_DIST_H
#define FS_DIST_H

#include <stddef.h>

struct rng;

enum dist_kind {
	DIST_CONST,
	DIST_NORMAL,
	DIST_MIXTURE,		/* two normals: weight for the first */
	DIST_LOGNORMAL,		/* given by the mean and sd of the result */
	DIST_CHOICE,		/* one of values[], uniformly */
	DIST_EMPIRICAL		/* resampled from values[] (traces) */
};

struct dist {
	enum dist_kind	 kind;
	double		 mean, sd;	/* const, normal, lognormal, mixture a */
	double		 mean2, sd2;	/* mixture b */
	double		 weight;	/* mixture: P(component a) */
	double		 mu, sigma;	/* lognormal: derived log-space params */
	double		*values;	/* choice, empirical: owned */
	size_t		 nvalues;
};

const char	*dist_kind_name(enum dist_kind);
int		 dist_kind_parse(const char *, enum dist_kind *);
void		 dist_prepare(struct dist *);
double		 dist_sample(const struct dist *, struct rng *);
double		 dist_mean(const struct dist *);
double		 dist_sd(const struct dist *);
void		 dist_free(struct dist *);

#endif
