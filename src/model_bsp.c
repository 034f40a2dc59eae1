/*
 * BSP (DESIGN.md section 3): a barrier at the sync point. The PS holds
 * every gradient until all present workers have pushed, applies them as
 * one update, and releases everyone onto the same version.
 */
#include <stdlib.h>
#include <string.h>

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
	b->held = xcalloc((size_t)sim_workers(s), sizeof *b->held);
	return (b);
}

static void
bsp_destroy(void *st)
{
	struct bsp	*b = st;

	free(b->held);
	free(b);
}

/* Everyone present has pushed: one update, everyone pulls. */
static void
barrier(struct sim *s, struct bsp *b)
{
	int	r = sim_clock(s, b->held[0]) - 1;

	sim_quorum_reached(s, r);
	sim_apply(s, b->held, b->n);
	sim_sync(s, r, SP_BARRIER, b->n, b->n, b->n);
	for (int i = 0; i < b->n; i++) {
		if (i + 8 < b->n)
			sim_prefetch(s, b->held[i + 8]);
		sim_release(s, b->held[i]);
	}
	b->n = 0;
}

static void
bsp_arrive(struct sim *s, void *st, int w)
{
	struct bsp	*b = st;

	b->held[b->n++] = w;
	if (b->n >= sim_present(s))
		barrier(s, b);
}

/* Churn: a held gradient is dropped; the barrier may now be complete. */
static void
bsp_leave(struct sim *s, void *st, int w)
{
	struct bsp	*b = st;
	struct gradient	 g;

	for (int i = 0; i < b->n; i++) {
		if (b->held[i] != w)
			continue;
		sim_gradient(s, w, &g);
		sim_drop(s, &g);
		memmove(&b->held[i], &b->held[i + 1],
		    (size_t)(b->n - i - 1) * sizeof *b->held);
		b->n--;
		break;
	}
	if (b->n > 0 && b->n >= sim_present(s))
		barrier(s, b);
}

/* For views: the barrier is a quorum of everyone present. */
static void
bsp_quorum(const struct sim *s, const void *st, int *ready, int *needed)
{
	*ready = ((const struct bsp *)st)->n;
	*needed = sim_present(s);
}

const struct model_ops model_bsp_ops = {
	.name = "bsp",
	.create = bsp_create,
	.destroy = bsp_destroy,
	.arrive = bsp_arrive,
	.leave = bsp_leave,
	.quorum = bsp_quorum,
	.wait_word = "barrier",
	.syncs = 1,
};
