/* Per-clock FIFO buckets of held workers (see model_hold.h). */
#include <stdlib.h>

#include "model.h"
#include "model_hold.h"
#include "xmalloc.h"

void
hold_init(struct hold *h, int workers, int rounds, int bound)
{
	h->bound = bound;
	h->nclocks = rounds + 1;
	h->head = xcalloc((size_t)h->nclocks, sizeof *h->head);
	h->tail = xcalloc((size_t)h->nclocks, sizeof *h->tail);
	h->l = xaligned_calloc(64, (size_t)workers, sizeof *h->l);
	for (int c = 0; c < h->nclocks; c++)
		h->head[c] = h->tail[c] = -1;
	for (int w = 0; w < workers; w++)
		h->l[w].at = -1;
	h->upto = bound;
}

void
hold_free(struct hold *h)
{
	free(h->head);
	free(h->tail);
	free(h->l);
}

/* Hold worker w, whose clock is c, until min_clock + bound >= c. */
void
hold_add(struct hold *h, int w, int c)
{
	h->l[w].next = -1;
	h->l[w].prev = h->tail[c];
	if (h->tail[c] == -1)
		h->head[c] = w;
	else
		h->l[h->tail[c]].next = w;
	h->tail[c] = w;
	h->l[w].at = c;
}

/* Worker w leaves (churn): out of its bucket, if it is in one. */
void
hold_remove(struct hold *h, int w)
{
	int	c = h->l[w].at;

	if (c < 0)
		return;
	if (h->l[w].prev == -1)
		h->head[c] = h->l[w].next;
	else
		h->l[h->l[w].prev].next = h->l[w].next;
	if (h->l[w].next == -1)
		h->tail[c] = h->l[w].prev;
	else
		h->l[h->l[w].next].prev = h->l[w].prev;
	h->l[w].at = -1;
}

/* min_clock moved: release every bucket it now allows, oldest first. */
void
hold_release(struct hold *h, struct sim *s, int min_clock)
{
	long	limit = (long)min_clock + h->bound;

	for (long c = h->upto + 1; c <= limit && c < h->nclocks; c++) {
		for (int w = h->head[c]; w != -1; w = h->l[w].next) {
			h->l[w].at = -1;
			sim_release(s, w);
		}
		h->head[c] = h->tail[c] = -1;
	}
	if (limit > h->upto)
		h->upto = limit < h->nclocks ? limit : h->nclocks;
}
