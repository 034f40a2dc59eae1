/*
 * Per-clock FIFO buckets of held workers (see model_hold.h). A bucket is
 * an array in hold order; a worker that leaves is only marked (its slot's
 * at = -1), and an entry counts only where the worker's slot still names
 * it (at, pos), so a worker held again in the same bucket is released
 * once, at its new place. Released in order, reading ahead: at a million
 * workers each one is a cache miss, and a linked list could not ask for
 * the next before the last arrived.
 */
#include <stdlib.h>

#include "model.h"
#include "model_hold.h"
#include "xmalloc.h"

/* Held workers read this far ahead of the one being released. */
#define AHEAD	8

void
hold_init(struct hold *h, int workers, int rounds, int bound)
{
	h->bound = bound;
	h->nclocks = rounds + 1;
	h->b = xcalloc((size_t)h->nclocks, sizeof *h->b);
	h->l = xaligned_calloc(64, (size_t)workers, sizeof *h->l);
	for (int w = 0; w < workers; w++)
		h->l[w].at = -1;
	h->upto = bound;
}

void
hold_free(struct hold *h)
{
	for (int c = 0; c < h->nclocks; c++)
		free(h->b[c].w);
	free(h->b);
	free(h->l);
}

/* Hold worker w, whose clock is c, until min_clock + bound >= c. */
void
hold_add(struct hold *h, int w, int c)
{
	struct hold_bucket	*b = &h->b[c];

	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		b->w = xreallocarray(b->w, (size_t)b->cap, sizeof *b->w);
	}
	h->l[w].at = c;
	h->l[w].pos = b->n;
	b->w[b->n++] = w;
}

/* Worker w leaves (churn): out of its bucket, if it is in one. */
void
hold_remove(struct hold *h, int w)
{
	h->l[w].at = -1;
}

/* min_clock moved: release every bucket it now allows, oldest first. */
void
hold_release(struct hold *h, struct sim *s, int min_clock)
{
	long	limit = (long)min_clock + h->bound;

	for (long c = h->upto + 1; c <= limit && c < h->nclocks; c++) {
		struct hold_bucket *b = &h->b[c];

		/* b->w is read afresh: nothing is added to it meanwhile, but
		 * an index stays right even if something were */
		for (int i = 0; i < b->n; i++) {
			int w = b->w[i];

			if (i + AHEAD < b->n) {
				__builtin_prefetch(&h->l[b->w[i + AHEAD]], 1);
				sim_prefetch(s, b->w[i + AHEAD]);
			}
			if (h->l[w].at != (int)c || h->l[w].pos != i)
				continue;
			h->l[w].at = -1;
			sim_release(s, w);
		}
		free(b->w);
		b->w = NULL;
		b->n = b->cap = 0;
	}
	if (limit > h->upto)
		h->upto = limit < h->nclocks ? limit : h->nclocks;
}
