/*
 * Sweeps (fastsync sweep): a grid of config values, the product of every
 * --vary axis, times a range of seeds, and a deterministic slice of it
 * for one shard. Pure: no SQL, no printing; errors name the option.
 */
#ifndef FS_SWEEP_H
#define FS_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#define SWEEP_MAX_RUNS	1000000	/* grid points times seeds */

struct sweep_axis {
	char		 *key;
	char		**values;	/* as they go into --set */
	int		  n;
};

struct sweep {
	struct sweep_axis *axes;
	int		   naxes;
	int		   seeded;	/* --seeds given; else the config's */
	int64_t		   seed_lo, seed_hi;
	int		   shard, nshards;	/* 1-based; 1/1: everything */
};

void	 sweep_init(struct sweep *);
void	 sweep_free(struct sweep *);
int	 sweep_vary(struct sweep *, const char *, char *, size_t);
int	 sweep_seeds(struct sweep *, const char *, char *, size_t);
int	 sweep_shard(struct sweep *, const char *, char *, size_t);
int	 sweep_shard_env(struct sweep *, const char *, const char *, char *,
	    size_t);
int	 sweep_check(const struct sweep *, char *, size_t);
int	 sweep_points(const struct sweep *);
int	 sweep_nseeds(const struct sweep *);
/* run k (0 .. points * nseeds - 1): its grid point and seed */
int	 sweep_run_point(const struct sweep *, int);
int64_t	 sweep_run_seed(const struct sweep *, int);
int	 sweep_in_shard(const struct sweep *, int);
/* the value of axis a at grid point p */
const char *sweep_value(const struct sweep *, int, int);

#endif
