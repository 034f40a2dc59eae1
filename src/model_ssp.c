/*
 * SSP(s) (DESIGN.md section 3, the Bösen rule): gradients are applied on
 * arrival; a worker about to start iteration c (its clock after the push)
 * may read only if c - min_clock <= s, else it waits for the slowest.
 *
 * Held workers sit in per-clock FIFO buckets: when min_clock reaches m,
 * exactly the buckets with c <= m + s are released, oldest first, so each
 * worker is touched once however many are held.
 */
#include <stdlib.h>

#include "model.h"
#include "xmalloc.h"

struct ssp {
	int	 s;
	int	 nclocks;
	int	*head, *tail;	/* per clock value: first and last held */
	int	*next;		/* per worker: next in its bucket, -1 */
	int	 upto;		/* buckets <= upto have been released */
};

static void *
ssp_create(struct sim *sim, const struct model_spec *m)
{
	struct ssp	*p = xcalloc(1, sizeof *p);
	int		 n = sim_present(sim);

	p->s = m->staleness;
	p->nclocks = sim_config(sim)->rounds + 1;
	p->head = xcalloc((size_t)p->nclocks, sizeof *p->head);
	p->tail = xcalloc((size_t)p->nclocks, sizeof *p->tail);
	p->next = xcalloc((size_t)n, sizeof *p->next);
	for (int c = 0; c < p->nclocks; c++)
		p->head[c] = p->tail[c] = -1;
	p->upto = p->s;
	return (p);
}

static void
ssp_destroy(void *st)
{
	struct ssp	*p = st;

	free(p->head);
	free(p->tail);
	free(p->next);
	free(p);
}

static void
ssp_arrive(struct sim *sim, void *st, int w)
{
	struct ssp	*p = st;
	int		 c = sim_clock(sim, w);

	sim_apply(sim, &w, 1);
	if (c - sim_min_clock(sim) <= p->s) {
		sim_release(sim, w);
		return;
	}
	p->next[w] = -1;
	if (p->tail[c] == -1)
		p->head[c] = w;
	else
		p->next[p->tail[c]] = w;
	p->tail[c] = w;
}

static void
ssp_advance(struct sim *sim, void *st, int min_clock)
{
	struct ssp	*p = st;
	long		 limit = (long)min_clock + p->s;

	for (long c = p->upto + 1; c <= limit && c < p->nclocks; c++) {
		for (int w = p->head[c]; w != -1; w = p->next[w])
			sim_release(sim, w);
		p->head[c] = p->tail[c] = -1;
	}
	if (limit > p->upto)
		p->upto = (int)(limit < p->nclocks ? limit : p->nclocks);
}

const struct model_ops model_ssp_ops = {
	.name = "ssp",
	.create = ssp_create,
	.destroy = ssp_destroy,
	.arrive = ssp_arrive,
	.advance = ssp_advance,
};
