/*
 * The event queue, ordered by (time, sequence number). The sequence
 * number is assigned at insertion, so events at the same simulated time
 * come out in the order they were scheduled, every run.
 *
 * It is a radix heap with 256-way digits: the engine never schedules into
 * the past, so the keys only grow, and an entry lives in the bucket named
 * by the highest 8-bit digit where its time differs from `last` (a past
 * minimum) and by its own value of that digit. Pushes are appends; each
 * bucket keeps its minimum as they come. When the sorted run at the front
 * is used up, the lowest bucket is either small (sorted, onto the run) or
 * split over lower buckets around its minimum, which moves an entry about
 * log256 of the queue's size times.
 * The run holds the next few entries in order, so the engine can ask for
 * their workers' memory ahead (pq_peek_ahead): at a million workers each
 * event is otherwise a cache miss waited for.
 *
 * An entry is 16 bytes: the time's bits (times are >= 0, and the bits of
 * non-negative doubles order like the doubles) and one word holding the
 * sequence number, the kind and the id, sequence in the high bits.
 */
#ifndef FS_PQ_H
#define FS_PQ_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
	uint64_t	 min;	/* b[][]: its earliest entry's time bits,
				   UINT64_MAX when empty */
};

/* pq_pop keeps at least this many next entries in the run, if queued. */
#define PQ_AHEAD	8

/* 8 (against 4): DSSP at 1M workers x 20 rounds x0.93 (5 pairs) */
#define PQ_DIGIT_BITS	8
#define PQ_DIGITS	(1 << PQ_DIGIT_BITS)
#define PQ_LEVELS	((64 + PQ_DIGIT_BITS - 1) / PQ_DIGIT_BITS)
#define PQ_MASK_WORDS	((PQ_DIGITS + 63) / 64)

/*
 * Told of a renumbering (pq_on_renumber): each queued entry, in order,
 * with its old sequence number and its new one; then once with e NULL
 * when every entry has its new number.
 */
typedef void pq_renumber_fn(void *arg, const struct pq_entry *e,
    uint64_t new_seq);

struct pq {
	struct pq_bucket run;		/* the next entries, in order */
	size_t		 head;		/* next unread entry of run */
	uint64_t	 run_max;	/* time bits of run's last entry */
	struct pq_bucket zero;		/* entries at time last, by seq */
	struct pq_bucket b[PQ_LEVELS][PQ_DIGITS];
	/* bit d of dmask[level]: b[level][d] used */
	uint64_t	 dmask[PQ_LEVELS][PQ_MASK_WORDS];
	uint32_t	 lmask;		/* bit level: some b[level][] used */
	uint64_t	 last;		/* time bits the buckets are around */
	size_t		 n;
	uint64_t	 next_seq;
	pq_renumber_fn	*renumbered;
	void		*renumbered_arg;
};

void	pq_init(struct pq *, size_t);
void	pq_free(struct pq *);
/* Returns the entry's sequence number (after a renumbering, if one). */
uint64_t pq_push(struct pq *, double, uint32_t kind, uint32_t id);
void	pq_on_renumber(struct pq *, pq_renumber_fn *, void *);
const struct pq_entry *pq_peek(struct pq *);
void	pq_refill(struct pq *);	/* pq_pop's and pq_peek's slow path */

static inline double
pq_time(const struct pq_entry *e)
{
	double	t;

	memcpy(&t, &e->tbits, sizeof t);
	return (t);
}

/* Take the next entry into out; 0 if the queue is empty. */
static inline int
pq_pop(struct pq *q, struct pq_entry *out)
{
	if (q->n == 0)
		return (0);
	if (q->head == q->run.n)
		pq_refill(q);
	*out = q->run.a[q->head++];
	q->n--;
	/* keep PQ_AHEAD entries in view while more are queued */
	if (q->run.n - q->head <= PQ_AHEAD && (q->lmask != 0 || q->zero.n > 0))
		pq_refill(q);
	return (1);
}

/*
 * The entry k places after the next one, k < PQ_AHEAD, else NULL (fewer
 * queued): for asking for its memory ahead of time.
 */
static inline const struct pq_entry *
pq_peek_ahead(const struct pq *q, size_t k)
{
	return (q->head + k < q->run.n ? &q->run.a[q->head + k] : NULL);
}

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
