/*
 * The dashboard's observer of each engine: what the panels need beyond
 * the engine's own views. Cluster labels and sizes, the last quorum
 * check, the plan's inputs as each point was decided and at each check
 * (sim_plan_view), each worker's recent rounds for its card, fresh and
 * deferred gradients since the last sync; then the event in words
 * (dash_words.c) and whether a go-to has found its decision.
 */
#include <string.h>

#include "dash.h"
#include "xmalloc.h"

struct obs_ctx {
	struct dash	*d;
	int		 i;
};

/* Worker w's entry for round r in its card's ring (made if new). */
static struct dash_round *
hist_round(struct dash_model *m, int w, int r)
{
	struct dash_history	*h = &m->hist[w];
	struct dash_round	*e;

	for (int k = 0; k < h->n && k < DASH_HIST; k++)
		if ((e = &h->r[(h->n - 1 - k) % DASH_HIST])->round == r)
			return (e);
	e = &h->r[h->n++ % DASH_HIST];
	*e = (struct dash_round){ r, -1, -1, SP_NONE, -1 };
	return (e);
}

/* What the cards show: each worker's ready, sync and staleness. */
static void
observe_history(struct dash *d, struct dash_model *m,
    const struct sim_event *ev)
{
	int	nw = d->cf->workers;

	if (ev->worker >= 0 && ev->worker < nw && ev->type == SIM_EV_ARRIVE)
		hist_round(m, ev->worker, ev->round)->ready = ev->t;
	else if (ev->worker >= 0 && ev->worker < nw &&
	    ev->type == SIM_EV_APPLY) {
		struct dash_round *e = hist_round(m, ev->worker, ev->round);

		e->synced = ev->t;
		e->tau = (int)(ev->v_apply - ev->v_read);
		if (!sim_syncs(m->sim))
			e->point = SP_NONE;
	} else if (ev->type == SIM_EV_SYNC)
		for (int w = 0; w < nw; w++)
			for (int k = 0; k < DASH_HIST; k++)
				if (m->hist[w].r[k].synced == ev->t)
					m->hist[w].r[k].point = ev->point;
}

/* The plan's inputs, kept as its point is decided (sim_plan_view). */
static void
observe_plan(struct dash_model *m, const struct sim_event *ev)
{
	int	point;
	double	at;

	if (m->plan_w == NULL)
		return;
	if (!sim_plan(m->sim, &point, &at)) {
		point = SP_NONE;
		at = -1;
	}
	if (point != m->plan.point || at != m->plan.at ||
	    sim_rounds_done(m->sim) != m->plan.round) {
		sim_plan_view(m->sim, &m->plan, m->plan_w);
		m->plan_t = ev->t;
	}
	if (ev->type == SIM_EV_QUORUM)
		sim_plan_view(m->sim, &m->chk, m->chk_w);
	/* the deviations the clustering used: as its first label comes */
	if (ev->type == SIM_EV_CLUSTER && (ev->round != m->cluster_round ||
	    ev->t != m->cluster_t))
		sim_plan_view(m->sim, &m->clu, m->clu_w);
}

static void
observer(const struct sim_event *ev, void *ud)
{
	struct obs_ctx		*c = ud;
	struct dash		*d = c->d;
	struct dash_model	*m = &d->m[c->i];

	if (m->mute)
		return;
	observe_plan(m, ev);
	observe_history(d, m, ev);
	switch (ev->type) {
	case SIM_EV_CLUSTER:
		if (ev->round != m->cluster_round || ev->t != m->cluster_t) {
			memset(m->csize, 0, sizeof m->csize);
			m->cluster_round = ev->round;
			m->cluster_t = ev->t;
			dash_logf(d, c->i, ev, SLOT_TITLE, "re-clustering"
			    " before round %d: %d cluster(s) found", ev->round,
			    ev->count);
		}
		if (ev->worker >= 0 && ev->worker < d->cf->workers) {
			m->label[ev->worker] = (signed char)ev->label;
			m->csize[ev->label + 1]++;
		}
		break;
	case SIM_EV_QUORUM:
		m->quorum = *ev;
		m->have_quorum = 1;
		break;
	case SIM_EV_APPLY:
		if (sim_syncs(m->sim) && ev->round < m->sync_round)
			m->deferred++;
		else
			m->fresh++;
		break;
	case SIM_EV_NOTIFY:
		m->notified++;
		break;
	case SIM_EV_PULL_FORWARD:
		m->pulled++;
		break;
	case SIM_EV_LATE:
		m->late++;
		break;
	case SIM_EV_DROP:
		m->dropped++;
		break;
	default:
		break;
	}
	dash_describe(d, c->i, ev);
	if (ev->type == SIM_EV_SYNC) {
		m->sync_round = ev->round + 1;
		m->fresh = m->deferred = 0;
	}
	dash_seek_hit(d, c->i, ev);
}

/*
 * Observe engine s as model i's (dash_seek.c makes engines anew). The
 * context lives as long as the dashboard: dash_free frees it.
 */
int
dash_observe(struct dash *d, int i, struct sim *s)
{
	struct obs_ctx *c = d->m[i].obs;

	if (c == NULL) {
		c = xmalloc(sizeof *c);
		c->d = d;
		c->i = i;
		d->m[i].obs = c;
	}
	return (sim_observe(s, observer, c));
}

/* Model i's observed state as before its first event. */
void
dash_observe_reset(struct dash *d, int i)
{
	struct dash_model	*m = &d->m[i];
	size_t			 nw = (size_t)d->cf->workers;

	memset(m->label, -2, nw);
	memset(m->csize, 0, sizeof m->csize);
	memset(m->hist, 0, nw * sizeof *m->hist);
	m->cluster_round = 0;
	m->cluster_t = -1;
	m->quorum = (struct sim_event){ .worker = -1 };
	m->have_quorum = 0;
	m->sync_round = 0;
	m->notified = m->pulled = m->late = m->dropped = 0;
	m->fresh = m->deferred = 0;
	m->events = 0;
	m->failed = 0;
	m->plan = m->chk = m->clu = (struct sim_plan_view){ .point = -1 };
	m->plan_t = -1;
}
