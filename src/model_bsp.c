/*
 * BSP (DESIGN.md section 3): a barrier at the sync point. The PS holds
 * every gradient until all present workers have pushed, applies them as
 * one update, and releases everyone onto the same version.
 */
#include <stdlib.h>

#include "model.h"
#include "xmalloc.h"

struct bsp {
	int	*held;		/* workers whose gradients wait, arrival order */
	int	 n;
};

static void *
bsp_create(struct sim *s, const struct model_spec *m)
{
	struct bsp	*b = xcalloc(1, sizeof *b);

	(void)m;
	b->held = xcalloc((size_t)sim_present(s), sizeof *b->held);
	return (b);
}

static void
bsp_destroy(void *st)
{
	struct bsp	*b = st;

	free(b->held);
	free(b);
}

static void
bsp_arrive(struct sim *s, void *st, int w)
{
	struct bsp	*b = st;

	b->held[b->n++] = w;
	if (b->n < sim_present(s))
		return;
	sim_apply(s, b->held, b->n);
	sim_sync(s, sim_clock(s, w) - 1, SP_BARRIER, b->n, b->n, b->n);
	for (int i = 0; i < b->n; i++)
		sim_release(s, b->held[i]);
	b->n = 0;
}

const struct model_ops model_bsp_ops = {
	.name = "bsp",
	.create = bsp_create,
	.destroy = bsp_destroy,
	.arrive = bsp_arrive,
	.syncs = 1,
};
