/*
 * Quorum (DESIGN.md section 3): K-sync / K-async SGD, the "Fast Sync"
 * server of the authors' training experiments. The PS applies one
 * update as soon as k = ceil(q n) (or round(q n)) gradients wait there,
 * n the workers present; the update takes every gradient waiting, and
 * their workers pull the new version and go on. A round is a sync.
 *
 * Late gradients, "defer" (K-async): a gradient that missed an update
 * waits at the PS and counts toward the next one; its worker waits for
 * it, pulls, and starts the lowest round not yet synced, so its tau is
 * the number of syncs between its read and its application.
 * "drop" (K-sync with cancellation): at each update every other worker
 * still computing abandons its round, pulls the new version and starts
 * the next round; a gradient on its way is dropped.
 */
#include <stdlib.h>

#include "model_gradients.h"
#include "xmalloc.h"

struct quorum {
	const struct model_spec	*m;
	struct gradients	 waiting;	/* at the PS, arrival order */
	uint8_t			*in;		/* per worker: in this update */
	int			 needed;
	int			 cur;		/* syncs done: the round synced next */
};

static void
set_needed(struct sim *s, struct quorum *q)
{
	q->needed = model_quorum_size(q->m->quorum, sim_present(s),
	    q->m->round_half);
}

static void *
quorum_create(struct sim *s, const struct model_spec *m)
{
	struct quorum	*q = xcalloc(1, sizeof *q);

	q->m = m;
	q->in = xcalloc((size_t)sim_workers(s), 1);
	set_needed(s, q);
	if (m->drop_late)
		sim_enable_abandon(s);
	return (q);
}

static void
quorum_destroy(void *st)
{
	struct quorum	*q = st;

	gradients_free(&q->waiting);
	free(q->in);
	free(q);
}

/* k gradients wait: one update of all of them, their workers pull. */
static void
update(struct sim *s, struct quorum *q)
{
	struct gradients	*l = &q->waiting;
	int			 n = l->n;

	sim_quorum_reached(s, q->cur);
	sim_apply_gradients(s, l->g, n);
	sim_sync(s, q->cur++, SP_QUORUM, n, n, q->needed);
	for (int k = 0; k < n; k++) {
		if (k + 8 < n)
			sim_prefetch(s, l->g[k + 8].worker);
		q->in[l->g[k].worker] = 1;
		sim_release(s, l->g[k].worker);
	}
	if (q->m->drop_late) {
		for (int i = 0; i < sim_workers(s); i++)
			if (!q->in[i])
				(void)sim_abandon(s, i);
	}
	for (int k = 0; k < n; k++)
		q->in[l->g[k].worker] = 0;
	l->n = 0;
}

static void
quorum_arrive(struct sim *s, void *st, int w)
{
	struct quorum	*q = st;
	struct gradient	 g;

	sim_gradient(s, w, &g);
	if (g.round < q->cur)
		sim_late(s, &g);
	gradients_push(&q->waiting, &g);
	if (q->waiting.n >= q->needed)
		update(s, q);
}

/* Churn: a held gradient is dropped; the quorum follows the present. */
static void
quorum_leave(struct sim *s, void *st, int w)
{
	struct quorum	*q = st;
	struct gradient	 g;

	if (gradients_take(&q->waiting, w, &g))
		sim_drop(s, &g);
	set_needed(s, q);
	if (q->waiting.n > 0 && q->waiting.n >= q->needed)
		update(s, q);
}

static void
quorum_join(struct sim *s, void *st, int w)
{
	(void)w;
	set_needed(s, st);
}

/* For views: the update comes at the k-th arrival. */
static int
quorum_plan(const void *st, int *point, double *at)
{
	(void)st;
	*point = SP_QUORUM;
	*at = -1;
	return (1);
}

static void
quorum_view(const struct sim *s, const void *st, int *ready, int *needed)
{
	const struct quorum	*q = st;

	(void)s;
	*ready = q->waiting.n;
	*needed = q->needed;
}

/* For views: the gradients at the PS, fresh or deferred. */
static void
quorum_plan_view(const struct sim *s, const void *st, struct sim_plan_view *v,
    struct sim_plan_worker *w)
{
	const struct quorum	*q = st;

	(void)s;
	v->round = q->cur;
	v->needed = q->needed;
	gradients_view(&q->waiting, q->cur, v, w);
}

static const char *const rounding_names[] = { "ceil", "round", NULL };

static const struct setting quorum_params[] = {
	MODEL_QUORUM_ROW(ST_LABEL),
	{ .key = "rounding", .type = ST_ENUM, .def = "ceil",
	  .choices = rounding_names, .off = MODEL_FIELD(round_half),
	  .doc = "k = ceil(q * present) or round(q * present)" },
	MODEL_LATE_ROW,
};

const struct model_ops model_quorum_ops = {
	.name = "quorum",
	MODEL_PARAMS(quorum_params),
	.create = quorum_create,
	.destroy = quorum_destroy,
	.arrive = quorum_arrive,
	.leave = quorum_leave,
	.join = quorum_join,
	.plan = quorum_plan,
	.quorum = quorum_view,
	.view = quorum_plan_view,
	.wait_word = "quorum",
	.syncs = 1,
};
