/*
 * The event queue: a 4-ary min-heap ordered by (time, sequence number).
 * The sequence number is assigned at insertion, so events at the same
 * simulated time come out in the order they were scheduled, every run.
 */
#ifndef FS_PQ_H
#define FS_PQ_H

#include <stddef.h>
#include <stdint.h>

struct pq_entry {
	double		t;
	uint64_t	seq;
	uint32_t	id;	/* worker, or a model's timer argument */
	uint32_t	kind;
};

struct pq {
	struct pq_entry	*a;
	size_t		 n, cap;
	uint64_t	 next_seq;
};

void	pq_init(struct pq *, size_t);
void	pq_free(struct pq *);
void	pq_push(struct pq *, double, uint32_t kind, uint32_t id);
int	pq_pop(struct pq *, struct pq_entry *);
const struct pq_entry *pq_peek(const struct pq *);

static inline size_t
pq_size(const struct pq *q)
{
	return (q->n);
}

#endif
