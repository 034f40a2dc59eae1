/*
 * Workers held at the parameter server until the slowest catches up:
 * per-clock FIFO buckets, released when min_clock + bound reaches their
 * clock. Shared by SSP (bound s) and DSSP (bound s_low). Each held worker
 * is touched once, however many are held.
 */
#ifndef FS_MODEL_HOLD_H
#define FS_MODEL_HOLD_H

struct sim;

struct hold {
	int	 bound;
	int	 nclocks;
	int	*head, *tail;	/* per clock value: first and last held */
	int	*next, *prev;	/* per worker: neighbours in its bucket */
	int	*at;		/* per worker: its bucket, -1 if not held */
	long	 upto;		/* buckets <= upto have been released */
};

void	hold_init(struct hold *, int, int, int);
void	hold_free(struct hold *);
void	hold_add(struct hold *, int, int);
void	hold_release(struct hold *, struct sim *, int);
void	hold_remove(struct hold *, int);

#endif
