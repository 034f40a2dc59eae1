/*
 * SSP(s) (DESIGN.md section 3, the Bösen rule): gradients are applied on
 * arrival; a worker about to start iteration c (its clock after the push)
 * may read only if c - min_clock <= s, else it waits for the slowest.
 */
#include <stdlib.h>

#include "model.h"
#include "model_hold.h"
#include "xmalloc.h"

static void *
ssp_create(struct sim *sim, const struct model_spec *m)
{
	struct hold	*h = xcalloc(1, sizeof *h);

	hold_init(h, sim_workers(sim), sim_config(sim)->rounds, m->staleness);
	return (h);
}

static void
ssp_destroy(void *st)
{
	hold_free(st);
	free(st);
}

static void
ssp_arrive(struct sim *sim, void *st, int w)
{
	struct hold	*h = st;
	int		 c = sim_clock(sim, w);

	sim_apply(sim, &w, 1);
	if ((long)c - sim_min_clock(sim) <= h->bound)
		sim_release(sim, w);
	else
		hold_add(h, w, c);
}

/* Worker w will arrive soon (a hint): its hold slot. */
static void
ssp_prefetch(const void *st, int w)
{
	const struct hold	*h = st;

	__builtin_prefetch(&h->l[w], 1);
}

static void
ssp_leave(struct sim *sim, void *st, int w)
{
	(void)sim;
	hold_remove(st, w);
}

static void
ssp_advance(struct sim *sim, void *st, int min_clock)
{
	hold_release(st, sim, min_clock);
}

static const struct setting ssp_params[] = {
	{ .key = "staleness", .type = ST_INT, .lo = 0, .hi = ROUNDS_MAX,
	  .flags = ST_LABEL, .def = "3", .off = MODEL_FIELD(staleness),
	  .doc = "the bound s on how far a worker runs ahead of the slowest" },
};

const struct model_ops model_ssp_ops = {
	.name = "ssp",
	MODEL_PARAMS(ssp_params),
	.wait_word = "bound",
	.create = ssp_create,
	.destroy = ssp_destroy,
	.arrive = ssp_arrive,
	.prefetch = ssp_prefetch,
	.advance = ssp_advance,
	.leave = ssp_leave,
};
