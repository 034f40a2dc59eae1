/* The radix-heap event queue (see pq.h). */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "pq.h"
#include "xmalloc.h"

#define SEQ_LIMIT	(UINT64_C(1) << (64 - PQ_SEQ_SHIFT))

/* The bucket of time bits t: 0 if equal to last, else 1 + highest bit. */
static inline int
bucket_of(uint64_t last, uint64_t t)
{
	uint64_t	x = t ^ last;

	return (x ? 64 - __builtin_clzll(x) : 0);
}

static inline void
append(struct pq_bucket *b, const struct pq_entry *e)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->a = xreallocarray(b->a, b->cap, sizeof *b->a);
	}
	b->a[b->n++] = *e;
}

void
pq_init(struct pq *q, size_t cap)
{
	memset(q, 0, sizeof *q);
	q->b[0].cap = cap < 64 ? 64 : cap;
	q->b[0].a = xreallocarray(NULL, q->b[0].cap, sizeof *q->b[0].a);
}

void
pq_free(struct pq *q)
{
	for (int k = 0; k < 65; k++)
		free(q->b[k].a);
	memset(q, 0, sizeof *q);
}

static int
cmp_key(const void *x, const void *y)
{
	const struct pq_entry	*a = x, *b = y;

	return ((a->key > b->key) - (a->key < b->key));
}

static int
cmp_entry(const void *x, const void *y)
{
	const struct pq_entry	*a = x, *b = y;

	if (a->tbits != b->tbits)
		return (a->tbits < b->tbits ? -1 : 1);
	return (cmp_key(x, y));
}

/* Put b[0]'s unread entries in sequence order (they usually are). */
static void
sort_head(struct pq *q)
{
	struct pq_bucket	*b = &q->b[0];

	for (size_t i = q->head + 1; i < b->n; i++) {
		if (b->a[i - 1].key > b->a[i].key) {
			qsort(b->a + q->head, b->n - q->head, sizeof *b->a,
			    cmp_key);
			return;
		}
	}
}

/*
 * The sequence field is 36 bits: after 68 billion insertions, renumber
 * the queued entries 0..n-1 in their order and queue them again.
 */
static void
pq_renumber(struct pq *q)
{
	struct pq_entry	*all = xreallocarray(NULL, q->n + 1, sizeof *all);
	size_t		 n = 0;
	uint64_t	 low = (UINT64_C(1) << PQ_SEQ_SHIFT) - 1;

	for (int k = 0; k < 65; k++) {
		size_t from = k == 0 ? q->head : 0;

		for (size_t i = from; i < q->b[k].n; i++)
			all[n++] = q->b[k].a[i];
		q->b[k].n = 0;
	}
	qsort(all, n, sizeof *all, cmp_entry);
	q->head = 0;
	q->mask = 0;
	for (size_t i = 0; i < n; i++) {
		int k = bucket_of(q->last, all[i].tbits);

		all[i].key = ((uint64_t)i << PQ_SEQ_SHIFT) | (all[i].key & low);
		append(&q->b[k], &all[i]);
		if (k > 0)
			q->mask |= UINT64_C(1) << (k - 1);
	}
	q->next_seq = n;
	free(all);
}

void
pq_push(struct pq *q, double t, uint32_t kind, uint32_t id)
{
	struct pq_entry	e;
	int		k;

	t += 0.0;	/* -0.0 becomes +0.0 */
	assert(t >= 0 && id <= PQ_ID_MAX && kind < (1u << PQ_KIND_BITS));
	if (q->next_seq == SEQ_LIMIT)
		pq_renumber(q);
	memcpy(&e.tbits, &t, sizeof t);
	assert(e.tbits >= q->last);	/* never into the past */
	e.key = (q->next_seq++ << PQ_SEQ_SHIFT) |
	    ((uint64_t)kind << PQ_ID_BITS) | id;
	k = bucket_of(q->last, e.tbits);
	append(&q->b[k], &e);
	if (k > 0)
		q->mask |= UINT64_C(1) << (k - 1);
	q->n++;
}

/*
 * Bucket 0 is used up: take the lowest non-empty bucket, make its
 * smallest time the new minimum and spread it over the buckets below.
 */
static void
refill(struct pq *q)
{
	struct pq_bucket	*src;
	uint64_t		 min;
	int			 k;

	q->b[0].n = q->head = 0;
	if (q->mask == 0)
		return;
	k = __builtin_ctzll(q->mask) + 1;
	src = &q->b[k];
	min = src->a[0].tbits;
	for (size_t i = 1; i < src->n; i++)
		min = src->a[i].tbits < min ? src->a[i].tbits : min;
	q->last = min;
	q->mask &= ~(UINT64_C(1) << (k - 1));
	for (size_t i = 0; i < src->n; i++) {
		int j = bucket_of(min, src->a[i].tbits);

		append(&q->b[j], &src->a[i]);
		if (j > 0)
			q->mask |= UINT64_C(1) << (j - 1);
	}
	src->n = 0;
	sort_head(q);
}

/* The next entry. Only push at or after its time from now on. */
const struct pq_entry *
pq_peek(struct pq *q)
{
	if (q->n == 0)
		return (NULL);
	if (q->head == q->b[0].n)
		refill(q);
	return (&q->b[0].a[q->head]);
}

/*
 * The next entry if it is known without a refill, else NULL: for
 * prefetching while events are still being pushed. (pq_peek's refill
 * moves the minimum on; pushing below it afterwards would be an error.)
 */
const struct pq_entry *
pq_peek_ready(const struct pq *q)
{
	return (q->head < q->b[0].n ? &q->b[0].a[q->head] : NULL);
}

double
pq_time(const struct pq_entry *e)
{
	double	t;

	memcpy(&t, &e->tbits, sizeof t);
	return (t);
}

int
pq_pop(struct pq *q, struct pq_entry *out)
{
	const struct pq_entry	*e = pq_peek(q);

	if (e == NULL)
		return (0);
	*out = *e;
	q->head++;
	q->n--;
	return (1);
}
