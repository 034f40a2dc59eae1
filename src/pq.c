/* The radix-heap event queue (see pq.h). */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "pq.h"
#include "xmalloc.h"

#define SEQ_LIMIT	(UINT64_C(1) << (64 - PQ_SEQ_SHIFT))

/*
 * A bucket of at most SMALL entries goes onto the run sorted as it is; a
 * larger one is split first. A refill stops adding buckets once the run
 * holds RUN entries, enough to see a few events ahead.
 */
#define SMALL	16
#define RUN	48

/* An emptied bucket keeps an array of up to KEEP entries. */
#define KEEP	4096

static inline void
grow(struct pq_bucket *b, size_t want)
{
	if (want <= b->cap)
		return;
	b->cap = b->cap ? b->cap * 2 : 64;
	if (b->cap < want)
		b->cap = want;
	b->a = xreallocarray(b->a, b->cap, sizeof *b->a);
}

static inline void
append(struct pq_bucket *b, const struct pq_entry *e)
{
	if (b->n == b->cap)
		grow(b, b->n + 1);
	b->a[b->n++] = *e;
}

/*
 * An emptied bucket gives back a big array: each of the 256 buckets would
 * otherwise keep the most it ever held (gigabytes at a million workers);
 * malloc hands the memory to the bucket that grows next.
 */
static inline void
release(struct pq_bucket *b)
{
	if (b->cap > KEEP) {
		free(b->a);
		b->a = NULL;
		b->cap = 0;
	}
}

/* Into the bucket of e's time around last (e's time >= last). */
static inline void
bucket_put(struct pq *q, const struct pq_entry *e)
{
	uint64_t		 x = e->tbits ^ q->last;
	struct pq_bucket	*b;
	int			 lv, d;

	if (x == 0) {
		append(&q->zero, e);
		return;
	}
	lv = (63 - __builtin_clzll(x)) / PQ_DIGIT_BITS;
	d = (int)(e->tbits >> (lv * PQ_DIGIT_BITS)) & (PQ_DIGITS - 1);
	b = &q->b[lv][d];
	/* kept as entries come, so a split need not read its bucket twice */
	b->min = e->tbits < b->min ? e->tbits : b->min;
	append(b, e);
	q->dmask[lv][d / 64] |= UINT64_C(1) << (d % 64);
	q->lmask |= UINT32_C(1) << lv;
}

/* Level lv's bit goes when none of its buckets is used. */
static inline void
level_check(struct pq *q, int lv)
{
	for (int k = 0; k < PQ_MASK_WORDS; k++)
		if (q->dmask[lv][k] != 0)
			return;
	q->lmask &= ~(UINT32_C(1) << lv);
}

/* Bucket b[lv][d] is empty now: clear its bits. */
static inline void
mark_empty(struct pq *q, int lv, int d)
{
	q->dmask[lv][d / 64] &= ~(UINT64_C(1) << (d % 64));
	level_check(q, lv);
}

/* The lowest mask word of level lv (which has a bucket used) not 0. */
static inline int
lowest_word(const struct pq *q, int lv)
{
	int	k = 0;

	while (q->dmask[lv][k] == 0)
		k++;
	return (k);
}

void
pq_init(struct pq *q, size_t cap)
{
	memset(q, 0, sizeof *q);
	for (int lv = 0; lv < PQ_LEVELS; lv++)
		for (int d = 0; d < PQ_DIGITS; d++)
			q->b[lv][d].min = UINT64_MAX;	/* empty */
	grow(&q->run, cap < 64 ? 64 : cap);
}

void
pq_free(struct pq *q)
{
	free(q->run.a);
	free(q->zero.a);
	for (int lv = 0; lv < PQ_LEVELS; lv++)
		for (int d = 0; d < PQ_DIGITS; d++)
			free(q->b[lv][d].a);
	memset(q, 0, sizeof *q);
}

static int
cmp_entry(const void *x, const void *y)
{
	const struct pq_entry	*a = x, *b = y;

	if (a->tbits != b->tbits)
		return (a->tbits < b->tbits ? -1 : 1);
	return ((a->key > b->key) - (a->key < b->key));
}

/* Every queued entry, in order, into all (q->n of them); queue emptied. */
static void
take_all(struct pq *q, struct pq_entry *all)
{
	size_t	n = 0;

	for (size_t i = q->head; i < q->run.n; i++)
		all[n++] = q->run.a[i];
	for (size_t i = 0; i < q->zero.n; i++)
		all[n++] = q->zero.a[i];
	for (int lv = 0; lv < PQ_LEVELS; lv++) {
		for (int d = 0; d < PQ_DIGITS; d++) {
			struct pq_bucket *b = &q->b[lv][d];

			for (size_t i = 0; i < b->n; i++)
				all[n++] = b->a[i];
			b->n = 0;
			b->min = UINT64_MAX;
		}
		memset(q->dmask[lv], 0, sizeof q->dmask[lv]);
	}
	q->lmask = 0;
	q->run.n = q->head = q->zero.n = 0;
	q->run_max = 0;	/* else a push could join the emptied run */
	assert(n == q->n);
	qsort(all, n, sizeof *all, cmp_entry);
}

/*
 * The sequence field is 36 bits: after 68 billion insertions, renumber
 * the queued entries 0..n-1 in their order and queue them again, telling
 * whoever keeps their numbers (the engine: each worker's live event).
 */
static void
pq_renumber(struct pq *q)
{
	struct pq_entry	*all = xreallocarray(NULL, q->n + 1, sizeof *all);
	uint64_t	 low = (UINT64_C(1) << PQ_SEQ_SHIFT) - 1;

	take_all(q, all);
	if (q->n > 0)
		q->last = all[0].tbits;	/* the buckets are empty */
	for (size_t i = 0; i < q->n; i++) {
		if (q->renumbered != NULL)
			q->renumbered(q->renumbered_arg, &all[i], i);
		all[i].key = ((uint64_t)i << PQ_SEQ_SHIFT) | (all[i].key & low);
		bucket_put(q, &all[i]);
	}
	q->next_seq = q->n;
	if (q->renumbered != NULL)
		q->renumbered(q->renumbered_arg, NULL, 0);
	free(all);
}

/* Who keeps sequence numbers of queued entries is told when they change. */
void
pq_on_renumber(struct pq *q, pq_renumber_fn *fn, void *arg)
{
	q->renumbered = fn;
	q->renumbered_arg = arg;
}

/* Into the run, after every entry at or before its time. */
static void
run_insert(struct pq *q, const struct pq_entry *e)
{
	struct pq_bucket	*r = &q->run;
	size_t			 lo = q->head, hi = r->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->a[mid].tbits <= e->tbits)
			lo = mid + 1;
		else
			hi = mid;
	}
	grow(r, r->n + 1);
	memmove(r->a + lo + 1, r->a + lo, (r->n - lo) * sizeof *r->a);
	r->a[lo] = *e;
	r->n++;
}

uint64_t
pq_push(struct pq *q, double t, uint32_t kind, uint32_t id)
{
	struct pq_entry	e;

	t += 0.0;	/* -0.0 becomes +0.0 */
	assert(t >= 0 && id <= PQ_ID_MAX && kind < (1u << PQ_KIND_BITS));
	if (q->next_seq >= SEQ_LIMIT)
		pq_renumber(q);
	memcpy(&e.tbits, &t, sizeof t);
	assert(q->head == 0 || e.tbits >= q->run.a[q->head - 1].tbits);
	e.key = (q->next_seq++ << PQ_SEQ_SHIFT) |
	    ((uint64_t)kind << PQ_ID_BITS) | id;
	q->n++;
	/* below the buckets, or before the run's end: among the run's */
	if (e.tbits < q->last || (q->head < q->run.n && e.tbits < q->run_max))
		run_insert(q, &e);
	else
		bucket_put(q, &e);
	return (e.key >> PQ_SEQ_SHIFT);
}

/* Bucket b, in sequence order, onto the run's end sorted by time. */
static void
absorb(struct pq *q, struct pq_bucket *b)
{
	struct pq_bucket	*r = &q->run;
	size_t			 from = r->n;

	grow(r, r->n + b->n);
	/* insertion sort on time alone keeps equal times in sequence order */
	for (size_t i = 0; i < b->n; i++) {
		struct pq_entry	e = b->a[i];
		size_t		j = r->n++;

		while (j > from && r->a[j - 1].tbits > e.tbits) {
			r->a[j] = r->a[j - 1];
			j--;
		}
		r->a[j] = e;
	}
	b->n = 0;
	b->min = UINT64_MAX;
	release(b);
}

/* Bucket b[lv][d] is the lowest: spread it around its minimum. */
static void
split(struct pq *q, int lv, int d)
{
	struct pq_bucket	*src = &q->b[lv][d];
	struct pq_bucket	 tmp = *src;	/* src->a stays: nothing goes back */

	q->last = src->min;
	/* the bucket's own entries all go lower: empty it first */
	src->n = 0;
	src->min = UINT64_MAX;
	mark_empty(q, lv, d);
	for (size_t i = 0; i < tmp.n; i++)
		bucket_put(q, &tmp.a[i]);
	release(src);
}

/* The zero bucket's entries (time last, in sequence) onto the run. */
static void
take_zero(struct pq *q)
{
	struct pq_bucket	*r = &q->run;

	if (r->n == 0) {
		struct pq_bucket t = *r;

		*r = q->zero;
		q->zero = t;
		return;
	}
	grow(r, r->n + q->zero.n);
	memcpy(r->a + r->n, q->zero.a, q->zero.n * sizeof *r->a);
	r->n += q->zero.n;
	q->zero.n = 0;
}

/*
 * Fill the run up to RUN unread entries from the lowest buckets, in
 * order (every entry of a bucket comes before every entry of a higher
 * one), splitting the lowest while it is too big to sort. A split raises
 * last above the run's entries; pushes below last then go into the run.
 */
void
pq_refill(struct pq *q)
{
	struct pq_bucket	*r = &q->run;

	if (q->head > 0) {
		r->n -= q->head;
		memmove(r->a, r->a + q->head, r->n * sizeof *r->a);
		q->head = 0;
	}
	if (q->zero.n > 0)
		take_zero(q);
	while (r->n < RUN && q->lmask != 0) {
		int		 lv = __builtin_ctz(q->lmask);
		int		 k = lowest_word(q, lv), big = -1;
		uint64_t	 w = q->dmask[lv][k];

		/* the small buckets of one mask word, in order, in one go */
		while (w != 0 && r->n < RUN) {
			int d = k * 64 + __builtin_ctzll(w);

			if (q->b[lv][d].n > SMALL) {
				big = d;
				break;
			}
			absorb(q, &q->b[lv][d]);
			w &= w - 1;
		}
		q->dmask[lv][k] = w;
		if (w == 0)
			level_check(q, lv);
		if (big >= 0) {
			split(q, lv, big);
			if (q->zero.n > 0)
				take_zero(q);
		}
	}
	q->run_max = r->n > 0 ? r->a[r->n - 1].tbits : 0;
}

/* The next entry (NULL if none). */
const struct pq_entry *
pq_peek(struct pq *q)
{
	if (q->n == 0)
		return (NULL);
	if (q->head == q->run.n)
		pq_refill(q);
	return (&q->run.a[q->head]);
}

