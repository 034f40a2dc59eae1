/* 4-ary heap: half the depth of a binary heap, children share a cache line. */
#include <stdlib.h>

#include "pq.h"
#include "xmalloc.h"

static inline int
pq_before(const struct pq_entry *x, const struct pq_entry *y)
{
	return (x->t < y->t || (x->t == y->t && x->seq < y->seq));
}

void
pq_init(struct pq *q, size_t cap)
{
	q->cap = cap < 16 ? 16 : cap;
	q->a = xreallocarray(NULL, q->cap, sizeof *q->a);
	q->n = 0;
	q->next_seq = 0;
}

void
pq_free(struct pq *q)
{
	free(q->a);
	q->a = NULL;
	q->n = q->cap = 0;
}

void
pq_push(struct pq *q, double t, uint32_t kind, uint32_t id)
{
	struct pq_entry	 e = { t, q->next_seq++, id, kind };
	size_t		 i, parent;

	if (q->n == q->cap) {
		q->cap *= 2;
		q->a = xreallocarray(q->a, q->cap, sizeof *q->a);
	}
	i = q->n++;
	while (i > 0) {
		parent = (i - 1) / 4;
		if (!pq_before(&e, &q->a[parent]))
			break;
		q->a[i] = q->a[parent];
		i = parent;
	}
	q->a[i] = e;
}

const struct pq_entry *
pq_peek(const struct pq *q)
{
	return (q->n ? &q->a[0] : NULL);
}

int
pq_pop(struct pq *q, struct pq_entry *out)
{
	struct pq_entry	 last;
	size_t		 i, c, best, end;

	if (q->n == 0)
		return (0);
	*out = q->a[0];
	last = q->a[--q->n];
	i = 0;
	for (;;) {
		c = 4 * i + 1;
		if (c >= q->n)
			break;
		end = c + 4 < q->n ? c + 4 : q->n;
		best = c;
		for (c++; c < end; c++)
			if (pq_before(&q->a[c], &q->a[best]))
				best = c;
		if (!pq_before(&q->a[best], &last))
			break;
		q->a[i] = q->a[best];
		i = best;
	}
	if (q->n > 0)
		q->a[i] = last;
	return (1);
}
