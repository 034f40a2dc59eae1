/*
 * Workers held at the parameter server until the slowest catches up:
 * per-clock FIFO buckets, released when min_clock + bound reaches their
 * clock. Shared by SSP (bound s) and DSSP (bound s_low). Each held worker
 * is touched once, however many are held.
 */
#ifndef FS_MODEL_HOLD_H
#define FS_MODEL_HOLD_H

struct sim;

/* A worker's place: one 16-byte slot (one cache line), not three. */
struct hold_link {
	_Alignas(16) int next, prev;	/* neighbours in its bucket */
	int	 at;			/* its bucket, -1 if not held */
};

struct hold {
	int	 bound;
	int	 nclocks;
	int	*head, *tail;	/* per clock value: first and last held */
	struct hold_link *l;	/* per worker, in huge pages where there */
	long	 upto;		/* buckets <= upto have been released */
};

void	hold_init(struct hold *, int, int, int);
void	hold_free(struct hold *);
void	hold_add(struct hold *, int, int);
void	hold_release(struct hold *, struct sim *, int);
void	hold_remove(struct hold *, int);

#endif
