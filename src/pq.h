/*
 * The event queue, ordered by (time, sequence number). The sequence
 * number is assigned at insertion, so events at the same simulated time
 * come out in the order they were scheduled, every run.
 *
 * It is a radix heap: the engine never schedules into the past, so the
 * keys only grow, and an entry lives in the bucket named by the highest
 * bit where its time differs from the last minimum. Pushes are appends;
 * a pop that finds bucket 0 empty scans the lowest non-empty bucket once
 * and spreads it over lower buckets. All access is sequential, which is
 * what keeps it fast at 100,000 workers where a binary heap's sift-down
 * chases cache misses.
 *
 * An entry is 16 bytes: the time's bits (times are >= 0, and the bits of
 * non-negative doubles order like the doubles) and one word holding the
 * sequence number, the kind and the id, sequence in the high bits.
 */
#ifndef FS_PQ_H
#define FS_PQ_H

#include <stddef.h>
#include <stdint.h>

#define PQ_ID_BITS	25
#define PQ_KIND_BITS	3
#define PQ_ID_MAX	((1u << PQ_ID_BITS) - 1)
#define PQ_SEQ_SHIFT	(PQ_ID_BITS + PQ_KIND_BITS)

struct pq_entry {
	uint64_t	tbits;
	uint64_t	key;	/* seq << 28 | kind << 25 | id */
};

struct pq_bucket {
	struct pq_entry	*a;
	size_t		 n, cap;
};

struct pq {
	struct pq_bucket b[65];	/* b[0]: entries at time last, by seq */
	size_t		 head;	/* next unread entry of b[0] */
	uint64_t	 mask;	/* bit k-1 set: b[k] not empty */
	uint64_t	 last;	/* time bits of the last minimum */
	size_t		 n;
	uint64_t	 next_seq;
};

void	pq_init(struct pq *, size_t);
void	pq_free(struct pq *);
void	pq_push(struct pq *, double, uint32_t kind, uint32_t id);
int	pq_pop(struct pq *, struct pq_entry *);
const struct pq_entry *pq_peek(struct pq *);
double	pq_time(const struct pq_entry *);
const struct pq_entry *pq_peek_ready(const struct pq *);

static inline size_t
pq_size(const struct pq *q)
{
	return (q->n);
}

static inline uint32_t
pq_id(const struct pq_entry *e)
{
	return ((uint32_t)(e->key & PQ_ID_MAX));
}

static inline uint32_t
pq_kind(const struct pq_entry *e)
{
	return ((uint32_t)(e->key >> PQ_ID_BITS) & ((1u << PQ_KIND_BITS) - 1));
}

static inline uint64_t
pq_seq(const struct pq_entry *e)
{
	return (e->key >> PQ_SEQ_SHIFT);
}

#endif
