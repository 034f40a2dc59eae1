/*
 * Deterministic pseudo-random numbers: xoshiro256** seeded through
 * splitmix64. A stream is named by (seed, stream, substream): the engine
 * uses one stream per worker and one substream per round, so a worker's
 * draws never depend on what other workers or models did.
 */
#ifndef FS_RNG_H
#define FS_RNG_H

#include <stdint.h>

struct rng {
	uint64_t	s[4];
	double		spare;		/* second normal of a polar pair */
	int		has_spare;
};

void		rng_seed(struct rng *, uint64_t seed, uint64_t stream,
		    uint64_t substream);
uint64_t	rng_next(struct rng *);
double		rng_uniform(struct rng *);	/* [0, 1) */
uint64_t	rng_below(struct rng *, uint64_t);	/* [0, n), unbiased */
double		rng_normal(struct rng *);	/* N(0, 1) */

#endif
