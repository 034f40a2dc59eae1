/*
 * Deterministic pseudo-random numbers: xoshiro256** seeded through
 * splitmix64. A generator is named by (seed, stream, substream). The
 * program's draws all come from the streams of enum rng_key, through
 * rng_stream: each key names whose draws they are and which one, so a
 * worker's draws never depend on what other workers or models did.
 * rng_seed is the bare generator (its own tests, test data, benchmarks).
 */
#ifndef FS_RNG_H
#define FS_RNG_H

#include <stdint.h>

struct rng {
	uint64_t	s[4];
	double		spare;		/* second normal of a polar pair */
	int		has_spare;
};

/*
 * Every stream the program draws from. rng_stream(r, seed, key, who, n)
 * seeds r with (seed, base stream + who, base substream + n), the bases
 * being the key's (rng.c's table). who is a worker (below 2^24), or 0 for
 * the run-wide streams; n counts that worker's draws of the kind.
 * Workers and counters stay in their own ranges (workers.count and rounds
 * are at most 10^7, tasks 64), so no two keys can meet.
 *
 *   key          stream                 substream         what
 *   RNG_TASK     worker                 round*ntasks+task a task's time
 *   RNG_SPEED    worker                 2^64 - 1          slow or fast
 *   RNG_LEAVE    worker                 2^63 + n          its n-th leave
 *   RNG_JOIN     2^64 - 2               n                 the n-th join
 *   RNG_BATCH    "tr" << 48 + worker    k                 its k-th batch
 *   RNG_INIT     "nn" << 48             0                 initial weights
 */
enum rng_key {
	RNG_TASK,
	RNG_SPEED,
	RNG_LEAVE,
	RNG_JOIN,
	RNG_BATCH,
	RNG_INIT,
	RNG_NKEYS
};

void		rng_seed(struct rng *, uint64_t seed, uint64_t stream,
		    uint64_t substream);
void		rng_stream(struct rng *, uint64_t seed, enum rng_key,
		    uint64_t who, uint64_t n);
void		rng_compose(enum rng_key, uint64_t who, uint64_t n,
		    uint64_t *stream, uint64_t *substream);
/* rng_stream in two steps, the first kept for many n: the same draws */
uint64_t	rng_prefix(uint64_t seed, enum rng_key, uint64_t who);
void		rng_stream_at(struct rng *, uint64_t prefix, enum rng_key,
		    uint64_t n);
uint64_t	rng_next(struct rng *);
double		rng_uniform(struct rng *);	/* [0, 1) */
uint64_t	rng_below(struct rng *, uint64_t);	/* [0, n), unbiased */
double		rng_normal(struct rng *);	/* N(0, 1) */

#endif
