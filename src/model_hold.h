/*
 * Workers held at the parameter server until the slowest catches up:
 * per-clock FIFO buckets, released when min_clock + bound reaches their
 * clock. Shared by SSP (bound s) and DSSP (bound s_low). Each held worker
 * is touched once, however many are held.
 */
#ifndef FS_MODEL_HOLD_H
#define FS_MODEL_HOLD_H

struct sim;

/* A clock's held workers, in the order they were held. */
struct hold_bucket {
	int	*w;
	int	 n, cap;
};

/* A worker's place: its bucket and index there, or at -1 if not held. */
struct hold_slot {
	int	 at, pos;
};

struct hold {
	int			 bound;
	int			 nclocks;
	struct hold_bucket	*b;	/* per clock value */
	struct hold_slot	*l;	/* per worker, in huge pages where
					   there are */
	long			 upto;	/* buckets <= upto were released */
};

void	hold_init(struct hold *, int, int, int);
void	hold_free(struct hold *);
void	hold_add(struct hold *, int, int);
void	hold_release(struct hold *, struct sim *, int);
void	hold_remove(struct hold *, int);

#endif
