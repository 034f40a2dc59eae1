/*
 * What models may ask of the engine (apply, drop, release, pull a local
 * task forward, sync, emit, timers) and what views may read. Models
 * never touch the queue or the workers' tasks except through these.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim_priv.h"
#include "xmalloc.h"

/* How far ahead a loop over many workers asks for their memory. */
#define LOOP_AHEAD	8

static const char *event_names[] = {
	[SIM_EV_TASK_START] = "task_start",
	[SIM_EV_TASK_END] = "task_end",
	[SIM_EV_PUSH] = "push",
	[SIM_EV_ARRIVE] = "arrive",
	[SIM_EV_WAIT] = "wait",
	[SIM_EV_APPLY] = "apply",
	[SIM_EV_UPDATE] = "update",
	[SIM_EV_RELEASE] = "release",
	[SIM_EV_PULLED] = "pulled",
	[SIM_EV_ROUND] = "round",
	[SIM_EV_WORKER_DONE] = "worker_done",
	[SIM_EV_END] = "end",
	[SIM_EV_SYNC] = "sync",
	[SIM_EV_QUORUM] = "quorum",
	[SIM_EV_CLUSTER] = "cluster",
	[SIM_EV_NOTIFY] = "notify",
	[SIM_EV_PULL_FORWARD] = "pull_forward",
	[SIM_EV_LATE] = "late",
	[SIM_EV_DROP] = "drop",
	[SIM_EV_LEAVE] = "leave",
	[SIM_EV_JOIN] = "join",
	[SIM_EV_CUT] = "cut",
	[SIM_EV_ABANDON] = "abandon",
};

static const char *state_names[] = {
	[WS_COMPUTING] = "computing",
	[WS_LOCAL] = "local",
	[WS_PUSHING] = "pushing",
	[WS_WAITING] = "waiting",
	[WS_PULLING] = "pulling",
	[WS_IDLE] = "idle",
	[WS_LEFT] = "left",
};

static const char *point_names[] = {
	[SP_NONE] = "none",
	[SP_BARRIER] = "barrier",
	[SP_TS1] = "ts1",
	[SP_TS2] = "ts2",
	[SP_TS3] = "ts3",
	[SP_FALLBACK] = "fallback",
	[SP_FLUSH] = "flush",
	[SP_QUORUM] = "quorum",
};

const char *
sim_event_name(enum sim_event_type t)
{
	return (event_names[t]);
}

const char *
sim_state_name(enum worker_state s)
{
	return (state_names[s]);
}

_Static_assert(SP_NPOINTS <= sizeof ((struct stats *)0)->points /
    sizeof ((struct stats *)0)->points[0], "stats.points holds every point");

const char *
sim_point_name(enum sim_point p)
{
	return (point_names[p]);
}

/* ---- Gradients. ---- */

/* The gradient worker i pushed last. */
void
sim_gradient(const struct sim *s, int i, struct gradient *g)
{
	g->worker = i;
	g->round = s->w[i].g_round;
	g->v_read = s->w[i].g_vread;
}

/* Apply gradients as one update (one version): tau = v_apply - v_read. */
void
sim_apply_gradients(struct sim *s, const struct gradient *g, int n)
{
	uint64_t	v = s->version;

	s->older = 0;
	for (int k = 0; k < n; k++) {
		uint64_t tau = v - g[k].v_read;

		if (k + LOOP_AHEAD < n)
			sim_prefetch(s, g[k + LOOP_AHEAD].worker);

		s->older += g[k].round < s->st.syncs_done;
		s->w[g[k].worker].flags &= (uint8_t)~WF_GRADIENT;
		s->cold[g[k].worker].last_tau = tau;
		stats_gradient(&s->st, g[k].round, tau);
		SIM_EMIT(s, SIM_EV_APPLY, .worker = g[k].worker,
		    .task = -1, .round = g[k].round, .v_read = g[k].v_read,
		    .v_apply = v);
	}
	s->version++;
	s->st.updates++;
	SIM_EMIT(s, SIM_EV_UPDATE, .worker = -1, .task = -1,
	    .round = -1, .count = n, .v_read = v, .v_apply = s->version);
}

/* Apply the gradients the n workers just pushed, as one update. */
void
sim_apply(struct sim *s, const int *who, int n)
{
	struct gradient	 one, *g = n == 1 ? &one : xcalloc((size_t)n,
			    sizeof *g);

	for (int k = 0; k < n; k++) {
		if (k + LOOP_AHEAD < n)
			__builtin_prefetch(&s->w[who[k + LOOP_AHEAD]]);
		sim_gradient(s, who[k], &g[k]);
	}
	sim_apply_gradients(s, g, n);
	if (g != &one)
		free(g);
}

/* A gradient that will never be applied (FastSync's "drop"). */
void
sim_drop(struct sim *s, const struct gradient *g)
{
	s->st.dropped++;
	s->w[g->worker].flags &= (uint8_t)~WF_GRADIENT;
	SIM_EMIT(s, SIM_EV_DROP, .worker = g->worker, .task = -1,
	    .round = g->round, .v_read = g->v_read);
}

/* ---- Releasing workers. ---- */

/*
 * Let a waiting worker pull weights of version v. A worker running a
 * task pulled forward finishes it first, then reads the same v.
 */
void
sim_release_version(struct sim *s, int i, uint64_t v)
{
	struct worker	*w = &s->w[i];

	if (w->flags & WF_PULLED) {
		s->cold[i].release_held = 1;
		s->cold[i].held_v = v;
		return;
	}
	assert(w->state == WS_WAITING);
	w->wait += s->now - w->t_mark;
	stats_round_add(&s->st, w->round, STATS_WAIT, s->now - w->t_mark);
	w->t_mark = s->now;
	w->v_read = v;
	w->state = WS_PULLING;
	SIM_EMIT(s, SIM_EV_RELEASE, .worker = i, .task = -1,
	    .round = w->round, .v_read = w->g_vread, .v_apply = v);
	sim_push_worker(s, s->now + s->cf->pull_ms, Q_PULLED, i);
}

/*
 * A hint: worker i's state will be touched soon (a loop over many
 * workers asks for the one a few places on). Nothing else changes.
 */
void
sim_prefetch(const struct sim *s, int i)
{
	__builtin_prefetch(&s->w[i], 1);
	__builtin_prefetch(&s->cold[i], 1);
}

/* Let a waiting worker pull: its weights are the current version. */
void
sim_release(struct sim *s, int i)
{
	sim_release_version(s, i, s->version);
}

/*
 * A waiting worker runs, now, the next local task it still owes that
 * does not depend on the sync (FastSync filling a wait). Returns 1 if it
 * started one, 0 if it has none or is not waiting.
 */
int
sim_pull_forward(struct sim *s, int i)
{
	struct worker		*w = &s->w[i];
	struct worker_cold	*c = &s->cold[i];
	const struct dag	*d = &s->cf->dag;
	uint64_t		 early = sim_early(s, i);

	if (w->state != WS_WAITING || (w->flags & WF_PULLED) ||
	    w->pos != d->sync_pos)
		return (0);
	for (int p = d->sync_pos + 1; p < s->ntasks; p++) {
		const struct task *t = &d->tasks[d->order[p]];
		int ready = 1;

		if (!s->pos_pullable[p] || (early & (UINT64_C(1) <<
		    d->order[p])))
			continue;
		/* its dependencies must be done: earlier, or run early */
		for (int j = 0; j < t->ndeps && ready; j++) {
			int dep = t->deps[j], q = 0;

			while (d->order[q] != dep)
				q++;
			ready = q < d->sync_pos ||
			    (early & (UINT64_C(1) << dep));
		}
		if (!ready)
			continue;
		w->wait += s->now - w->t_mark;
		stats_round_add(&s->st, w->round, STATS_WAIT,
		    s->now - w->t_mark);
		w->t_mark = s->now;
		w->state = WS_LOCAL;
		c->pulled = p;
		w->flags |= WF_PULLED;
		s->st.round[w->round].pulled++;
		SIM_EMIT(s, SIM_EV_PULL_FORWARD, .worker = i,
		    .task = d->order[p], .round = w->round);
		SIM_EMIT(s, SIM_EV_TASK_START, .worker = i,
		    .task = d->order[p], .round = w->round);
		sim_push_worker(s, s->now + sim_task_time(s, i, p),
		    Q_TASK_DONE, i);
		return (1);
	}
	return (0);
}

/*
 * Models that abandon work (the quorum's "drop") call this when they are
 * created: a worker's queued event can then be void.
 */
void
sim_enable_abandon(struct sim *s)
{
	s->voids = 1;
}

/*
 * Worker i gives up the round it is computing (before its sync task, or
 * with its gradient on the way, which is dropped), pulls the current
 * version and starts the lowest round not yet synced. Returns 0 if it is
 * in no such state (waiting at the PS, past its sync task, away).
 */
int
sim_abandon(struct sim *s, int i)
{
	struct worker	*w = &s->w[i];
	struct gradient	 g;

	assert(s->voids);
	/* the last sync ends the run: what is in flight is cut, not dropped */
	if (s->ending)
		return (0);
	if (w->state == WS_PUSHING) {
		sim_gradient(s, i, &g);
		sim_drop(s, &g);
	} else if ((w->state != WS_COMPUTING && w->state != WS_LOCAL) ||
	    w->pos >= s->cf->dag.sync_pos)
		return (0);
	sim_account(s, i);
	SIM_EMIT(s, SIM_EV_ABANDON, .worker = i, .task = -1,
	    .round = w->round);
	w->v_read = s->version;
	w->state = WS_PULLING;
	w->flags |= WF_FRESH_START;
	SIM_EMIT(s, SIM_EV_RELEASE, .worker = i, .task = -1,
	    .round = w->round, .v_read = w->g_vread, .v_apply = w->v_read);
	sim_push_worker(s, s->now + s->cf->pull_ms, Q_PULLED, i);
	return (1);
}

/* ---- Sync points, events, timers. ---- */

/*
 * A model synced round r now: record it and tell observers. The R-th
 * sync ends the run once the model is done with this event.
 */
void
sim_sync(struct sim *s, int r, enum sim_point point, int count, int ready,
    int needed)
{
	if (r >= 0 && r < s->rounds)
		s->st.round[r].deferred = s->older;
	s->older = 0;
	stats_sync(&s->st, r, s->now, (int)point, count, ready, s->present);
	SIM_EMIT(s, SIM_EV_SYNC, .worker = -1, .task = -1, .round = r,
	    .point = (int)point, .count = count, .ready = ready,
	    .needed = needed);
	if (s->ops->syncs && s->st.syncs_done >= s->rounds)
		s->ending = 1;
}

/* A gradient missed its round's sync: counted in its round, and told. */
void
sim_late(struct sim *s, const struct gradient *g)
{
	if (g->round >= 0 && g->round < s->rounds)
		s->st.round[g->round].late++;
	SIM_EMIT(s, SIM_EV_LATE, .worker = g->worker, .task = -1,
	    .round = g->round, .v_read = g->v_read);
}

/* A late notification to worker i, for round r after a failed point. */
void
sim_notify(struct sim *s, int i, int r, enum sim_point point)
{
	if (r >= 0 && r < s->rounds)
		s->st.round[r].notified++;
	SIM_EMIT(s, SIM_EV_NOTIFY, .worker = i, .task = -1,
	    .round = r, .point = (int)point);
}

/*
 * The quorum round r's sync needs is at the PS now (the first time
 * counts): the k-th arrival, against which the sync's alignment wait is
 * measured.
 */
void
sim_quorum_reached(struct sim *s, int r)
{
	if (r >= 0 && r < s->rounds && s->st.round[r].t_quorum < 0)
		s->st.round[r].t_quorum = s->now;
}

/* Round r's sync releases its participants ms later (reconfiguration). */
void
sim_reconfig(struct sim *s, int r, double ms)
{
	if (r >= 0 && r < s->rounds)
		s->st.round[r].reconfig_ms = ms;
}

/* The cluster sizes in force while round r ran (FastSync). */
void
sim_cluster_sizes(struct sim *s, int r, int c1, int c2, int noise)
{
	if (r < 0 || r >= s->rounds)
		return;
	s->st.round[r].c1 = c1;
	s->st.round[r].c2 = c2;
	s->st.round[r].noise = noise;
}

/* A model's own event (quorum checks, clusters, notifications). */
void
sim_emit(struct sim *s, struct sim_event *ev)
{
	if (s->obs_types & SIM_EV_BIT(ev->type))
		sim_dispatch(s, ev);
}

/* A model timer; arg must fit the queue's id field (PQ_ID_MAX). */
void
sim_timer(struct sim *s, double t, uint32_t arg)
{
	assert(arg <= PQ_ID_MAX);
	pq_push(&s->q, t < s->now ? s->now : t, Q_TIMER, arg);
}

int
sim_clock(const struct sim *s, int i)
{
	return (s->w[i].clock);
}

int
sim_round(const struct sim *s, int i)
{
	return (s->w[i].round);
}

int
sim_is_slow(const struct sim *s, int i)
{
	return (s->w[i].slow);
}

double
sim_round_start(const struct sim *s, int i)
{
	return (s->cold[i].round_start);
}

/* Workers present now (churn), the count barriers and quorums use. */
int
sim_present(const struct sim *s)
{
	return (s->present);
}

/* A worker's k-th most recent arrival time at the PS (k = 0, 1), or -1. */
double
sim_push_time(const struct sim *s, int i, int k)
{
	return (s->cold[i].push_t[1 - k]);
}

/* ---- Read-only views. ---- */

int
sim_done(const struct sim *s)
{
	return (s->done);
}

const char *
sim_error(const struct sim *s)
{
	return (s->error[0] ? s->error : NULL);
}

double
sim_now(const struct sim *s)
{
	return (s->now);
}

double
sim_next_time(struct sim *s)
{
	const struct pq_entry	*e = pq_peek(&s->q);

	return (e != NULL && !s->done ? pq_time(e) : (double)INFINITY);
}

uint64_t
sim_events(const struct sim *s)
{
	return (s->events);
}

uint64_t
sim_version(const struct sim *s)
{
	return (s->version);
}

int
sim_min_clock(const struct sim *s)
{
	return (s->min_clock);
}

int
sim_workers(const struct sim *s)
{
	return (s->nw);
}

int
sim_present_now(const struct sim *s)
{
	return (s->present);
}

void
sim_worker(const struct sim *s, int i, struct sim_worker_view *v)
{
	const struct worker	*w = &s->w[i];
	const struct worker_cold *c = &s->cold[i];

	v->state = (enum worker_state)w->state;
	v->slow = w->slow;
	v->clock = w->clock;
	v->round = w->round;
	if (w->state == WS_IDLE || w->state == WS_LEFT)
		v->task = -1;
	else
		v->task = s->cf->dag.order[w->flags & WF_PULLED ? c->pulled :
		    w->pos];
	v->v_read = w->v_read;
	v->last_staleness = c->last_tau;
	v->t_mark = w->t_mark;
	v->t_due = s->track && w->state != WS_WAITING && w->state != WS_IDLE &&
	    w->state != WS_LEFT ? c->due : -1;
	v->busy_ms = w->busy;
	v->wait_ms = w->wait;
	v->idle_ms = c->idle;
	v->comm_ms = w->comm;
	v->absent_ms = c->absent;
}

/* Whether the model syncs rounds (its progress is syncs, not rounds). */
int
sim_syncs(const struct sim *s)
{
	return (s->ops->syncs);
}

/* Rounds the model has completed: synced ones if it syncs. */
int
sim_rounds_done(const struct sim *s)
{
	return (s->ops->syncs ? s->st.syncs_done : s->st.rounds_done);
}

/*
 * The sync point the model is trying (enum sim_point) and its time, -1
 * if it waits for an arrival. Returns 0 if the model has none now.
 */
int
sim_plan(const struct sim *s, int *point, double *at)
{
	if (s->ops->plan == NULL || s->done)
		return (0);
	return (s->ops->plan(s->mstate, point, at));
}

/*
 * Gradients waiting at the PS and the quorum they need, as the model
 * itself counts them. Returns 0 if the model has no quorum.
 */
int
sim_quorum(const struct sim *s, int *ready, int *needed)
{
	if (s->ops->quorum == NULL)
		return (0);
	s->ops->quorum(s, s->mstate, ready, needed);
	return (1);
}

/*
 * The inputs of the model's next sync decision (struct sim_plan_view);
 * w, if not NULL, has sim_workers() entries. Returns 0 if the model
 * plans nothing (then only round and present mean something).
 */
int
sim_plan_view(const struct sim *s, struct sim_plan_view *v,
    struct sim_plan_worker *w)
{
	*v = (struct sim_plan_view){ .round = 0 };
	v->round = sim_rounds_done(s);
	v->present = sim_present(s);
	v->at = -1;
	v->local_ms = -1;
	v->pivot = -1;
	for (int k = 0; k < 2; k++)
		v->side[k] = (struct sim_plan_side){ .label = -1, .point = -1 };
	for (int i = 0; w != NULL && i < s->nw; i++)
		w[i] = (struct sim_plan_worker){ .label = LABEL_NOISE, .t = -1,
		    .known = s->w[i].state == WS_LEFT ? SIM_KNOWN_ABSENT :
		    SIM_KNOWN_NOT };
	if (s->ops->view == NULL)
		return (0);
	if (!sim_plan(s, &v->point, &v->at))
		v->point = SP_NONE;
	s->ops->view(s, s->mstate, v, w);
	return (1);
}

/* The word for a worker the model holds at the PS ("barrier", ...). */
const char *
sim_wait_word(const struct sim *s)
{
	return (s->ops->wait_word != NULL ? s->ops->wait_word : "wait");
}

/* Whether the model plans sync points (a quorum rule: sim_plan). */
int
sim_plans(const struct sim *s)
{
	return (s->ops->plan != NULL);
}

/* Whether the model clusters workers (its labels mean something). */
int
sim_clusters(const struct sim *s)
{
	return (s->ops->clusters);
}

/* Keep each worker's next event time, for views that show progress. */
void
sim_track(struct sim *s)
{
	s->track = 1;
}

const struct stats *
sim_stats(const struct sim *s)
{
	return (&s->st);
}

const struct model_spec *
sim_model(const struct sim *s)
{
	return (s->spec);
}

const struct fs_config *
sim_config(const struct sim *s)
{
	return (s->cf);
}
