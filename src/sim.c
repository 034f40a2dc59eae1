/*
 * The engine (DESIGN.md sections 2 and 3): workers run the task graph
 * once per round; at the sync task a worker pushes its gradient to the
 * parameter server, the model decides when the gradient is applied and
 * when the worker may pull, and the worker goes on. Everything happens in
 * events popped from one queue in (time, sequence) order. This file is
 * the event loop and the workers' lifecycle; sim_services.c holds what
 * models and views may ask of it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "sim_priv.h"
#include "xmalloc.h"

/* How many events ahead sim_step asks for a worker's line. */
#define PREFETCH_AHEAD	6

/*
 * Up to this many workers, each one's task stream prefix is kept (8
 * bytes a worker, in cache): past it, an array read at random would
 * cost more than the two splitmix rounds it saves.
 */
#define TASK_PREFIX_MAX	16384

/* Stamp an event with the engine's state and hand it to every observer. */
void
sim_dispatch(struct sim *s, struct sim_event *ev)
{
	ev->t = s->now;
	ev->min_clock = s->min_clock;
	ev->clock = ev->worker >= 0 ? s->w[ev->worker].clock : -1;
	for (int i = 0; i < s->nobs; i++)
		if (s->obs[i].types & SIM_EV_BIT(ev->type))
			s->obs[i].fn(ev, s->obs[i].ud);
}

/*
 * Queue worker i's next event. With churn, the worker remembers which
 * event is live, so one queued before it left is known for void.
 */
void
sim_push_worker(struct sim *s, double t, enum qkind kind, int i)
{
	uint64_t	seq;

	if (s->track)
		s->cold[i].due = t;
	seq = pq_push(&s->q, t, kind, (uint32_t)i);
	if (s->voids)
		s->cold[i].pending = seq;
}

/* a pending sequence moved by a renumbering (no sequence has bit 63) */
#define PENDING_MOVED	(UINT64_C(1) << 63)

/*
 * The queue numbered its entries anew (after 2^36 insertions): a worker's
 * live event stays the one its pending names. Entry by entry, a match is
 * marked (a marked value meets no later entry's number); at the end the
 * marks go, and a pending that matched nothing becomes UINT64_MAX (void
 * entries' new numbers could otherwise meet it).
 */
static void
queue_renumbered(void *arg, const struct pq_entry *e, uint64_t new_seq)
{
	struct sim	*s = arg;

	if (!s->voids)
		return;
	if (e == NULL) {
		for (int i = 0; i < s->nw; i++) {
			uint64_t *p = &s->cold[i].pending;

			*p = *p != UINT64_MAX && (*p & PENDING_MOVED) ?
			    *p & ~PENDING_MOVED : UINT64_MAX;
		}
		return;
	}
	if (pq_kind(e) <= Q_PULLED && pq_id(e) < (uint32_t)s->nw &&
	    s->cold[pq_id(e)].pending == pq_seq(e))
		s->cold[pq_id(e)].pending = new_seq | PENDING_MOVED;
}

void
sim_queue_seq(struct sim *s, uint64_t next)
{
	s->q.next_seq = next;
}

/* Positions of local tasks that do not depend on the sync task. */
static void
find_pullable(struct sim *s)
{
	const struct dag	*d = &s->cf->dag;
	uint8_t			*after = xcalloc((size_t)d->n, 1);

	/* In run order every dependency comes first: one pass suffices. */
	for (int p = d->sync_pos; p < d->n; p++) {
		const struct task *t = &d->tasks[d->order[p]];

		after[d->order[p]] = p == d->sync_pos;
		for (int j = 0; j < t->ndeps; j++)
			after[d->order[p]] |= after[t->deps[j]];
		s->pos_pullable[p] = t->kind == TASK_LOCAL &&
		    !after[d->order[p]];
	}
	free(after);
}

struct sim *
sim_create(const struct fs_config *cf, const struct model_spec *spec,
    char *err, size_t errlen)
{
	struct sim		*s = xcalloc(1, sizeof *s);
	const struct dag	*d = &cf->dag;
	struct rng		 r;

	s->cf = cf;
	s->spec = spec;
	s->ops = model_ops_for(spec->kind);
	s->nw = cf->workers;
	s->rounds = cf->rounds;
	s->ntasks = d->n;
	s->running = s->nw;
	s->present = s->nw;
	s->churn = cf->leave_rate > 0;
	s->voids = s->churn;
	s->w = xaligned_calloc(64, (size_t)s->nw, sizeof *s->w);
	s->cold = xaligned_calloc(64, (size_t)s->nw, sizeof *s->cold);
	s->pos_class = xcalloc((size_t)s->ntasks, sizeof *s->pos_class);
	s->pos_async = xcalloc((size_t)s->ntasks, sizeof *s->pos_async);
	s->pos_pullable = xcalloc((size_t)s->ntasks,
	    sizeof *s->pos_pullable);
	s->clock_count = xcalloc((size_t)s->rounds + 1,
	    sizeof *s->clock_count);
	s->clock_count[0] = s->nw;
	for (int p = 0; p < s->ntasks; p++) {
		const struct task *t = &d->tasks[d->order[p]];

		if (t->kind != TASK_SYNC)
			s->pos_class[p] = &cf->classes[t->cls];
		s->pos_async[p] = t->kind == TASK_ASYNC;
	}
	find_pullable(s);
	stats_init(&s->st, s->rounds);
	s->st.workers = s->nw;
	pq_init(&s->q, (size_t)s->nw * 2);
	pq_on_renumber(&s->q, queue_renumbered, s);
	/* a few workers' task streams, two splitmix rounds on (rng.c) */
	if (s->nw <= TASK_PREFIX_MAX) {
		s->task_prefix = xcalloc((size_t)s->nw, sizeof *s->task_prefix);
		for (int i = 0; i < s->nw; i++)
			s->task_prefix[i] = rng_prefix(cf->seed, RNG_TASK,
			    (uint64_t)i);
	}
	for (int i = 0; i < s->nw; i++) {
		/* The speed class comes from the worker's own stream. */
		rng_stream(&r, cf->seed, RNG_SPEED, (uint64_t)i, 0);
		s->w[i].slow = rng_uniform(&r) < cf->slow_fraction;
		s->cold[i].push_t[0] = s->cold[i].push_t[1] = -1;
	}
	/* before anything is queued: the model may ask for voidable events */
	if (s->ops->create != NULL &&
	    (s->mstate = s->ops->create(s, spec)) == NULL) {
		snprintf(err, errlen, "model %s: cannot start", spec->name);
		sim_free(s);
		return (NULL);
	}
	for (int i = 0; i < s->nw; i++)
		sim_push_worker(s, 0, Q_START, i);
	churn_start(s);
	return (s);
}

void
sim_free(struct sim *s)
{
	if (s == NULL)
		return;
	if (s->ops->destroy != NULL && s->mstate != NULL)
		s->ops->destroy(s->mstate);
	pq_free(&s->q);
	stats_free(&s->st);
	free(s->w);
	free(s->cold);
	free(s->task_prefix);
	free(s->pos_class);
	free(s->pos_async);
	free(s->pos_pullable);
	free(s->clock_count);
	free(s);
}

/* Observe every event. */
int
sim_observe(struct sim *s, sim_observer_fn fn, void *ud)
{
	return (sim_observe_only(s, fn, ud, SIM_EV_ALL));
}

/* Observe the events whose types are in the set (SIM_EV_BIT()s). */
int
sim_observe_only(struct sim *s, sim_observer_fn fn, void *ud,
    unsigned types)
{
	if (s->nobs == SIM_MAX_OBSERVERS)
		return (-1);
	s->obs[s->nobs].fn = fn;
	s->obs[s->nobs].ud = ud;
	s->obs[s->nobs].types = types;
	s->obs_types |= types;
	s->nobs++;
	return (0);
}

/*
 * A task's time is drawn when it starts, from the worker's stream keyed
 * by (round, task): every model sees the same draw for the same task of
 * the same worker and round, whatever order it runs tasks in (common
 * random numbers), and nothing another worker does can shift it. A trace
 * class gives worker i file i mod n, replayed in order or resampled.
 */
double
sim_task_time(const struct sim *s, int i, int p)
{
	const struct worker	*w = &s->w[i];
	const struct time_class	*tc = s->pos_class[p];
	const struct dist	*dist = &tc->dist;
	struct rng		 r;
	uint64_t		 key = (uint64_t)w->round * (uint64_t)s->ntasks +
				    (uint64_t)s->cf->dag.order[p];
	double			 d;

	if (tc->ntraces > 0) {
		dist = &tc->traces[i % tc->ntraces];
		if (tc->replay) {
			d = dist->values[key % dist->nvalues];
			goto offset;
		}
	}
	if (s->task_prefix != NULL)
		rng_stream_at(&r, s->task_prefix[i], RNG_TASK, key);
	else
		rng_stream(&r, s->cf->seed, RNG_TASK, (uint64_t)i, key);
	d = dist_sample(dist, &r);
offset:
	if (s->pos_async[p] && w->slow)
		d += s->cf->slow_offset_ms;
	return (d);
}

/* Close the time of whatever worker i was doing until now. */
void
sim_account(struct sim *s, int i)
{
	struct worker	*w = &s->w[i];
	double		 d = s->now - w->t_mark;

	switch (w->state) {
	case WS_COMPUTING:
	case WS_LOCAL:
		w->busy += d;
		break;
	case WS_PUSHING:
	case WS_PULLING:
		w->comm += d;
		stats_round_add(&s->st, w->round, STATS_COMM, d);
		break;
	case WS_WAITING:
		w->wait += d;
		stats_round_add(&s->st, w->round, STATS_WAIT, d);
		break;
	case WS_IDLE:
		s->cold[i].idle += d;
		stats_round_add(&s->st, w->round, STATS_IDLE, d);
		break;
	case WS_LEFT:
		s->cold[i].absent += d;
		break;
	}
	w->t_mark = s->now;
}

/*
 * The R-th sync of a model that syncs rounds ends its run (DESIGN.md
 * section 3, "Rounds of the sync models"): every gradient still on its
 * way or held unapplied is cut, counted and told, never applied.
 */
static void
cut_in_flight(struct sim *s)
{
	for (int i = 0; i < s->nw; i++) {
		struct worker *w = &s->w[i];

		if (!(w->flags & WF_GRADIENT) || w->state == WS_LEFT)
			continue;
		w->flags &= (uint8_t)~WF_GRADIENT;
		s->st.cut++;
		SIM_EMIT(s, SIM_EV_CUT, .worker = i, .task = -1,
		    .round = w->g_round, .v_read = w->g_vread);
	}
}

static void
finish(struct sim *s)
{
	if (s->ops->finish != NULL)
		s->ops->finish(s, s->mstate);
	if (s->ops->syncs)
		cut_in_flight(s);
	s->done = 1;
	s->st.finish_ms = s->now;
	for (int i = 0; i < s->nw; i++) {
		struct worker *w = &s->w[i];

		sim_account(s, i);
		s->st.busy_ms += w->busy;
		s->st.wait_ms += w->wait;
		s->st.idle_ms += s->cold[i].idle;
		s->st.comm_ms += w->comm;
		if (w->wait > s->st.max_wait_ms)
			s->st.max_wait_ms = w->wait;
	}
	SIM_EMIT(s, SIM_EV_END, .worker = -1, .task = -1,
	    .round = s->rounds);
}

/* Start the task at run-order position p (the sync task: push). */
void
sim_start_task(struct sim *s, int i, int p)
{
	struct worker	*w = &s->w[i];
	int		 task = s->cf->dag.order[p];

	if (s->pos_class[p] == NULL) {
		w->state = WS_PUSHING;
		w->t_mark = s->now;
		w->g_vread = w->v_read;
		w->g_round = w->round;
		w->flags |= WF_GRADIENT;
		SIM_EMIT(s, SIM_EV_PUSH, .worker = i, .task = task,
		    .round = w->round, .v_read = w->v_read);
		sim_push_worker(s, s->now + s->cf->push_ms, Q_ARRIVE, i);
		return;
	}
	w->state = s->pos_async[p] ? WS_COMPUTING : WS_LOCAL;
	w->t_mark = s->now;
	SIM_EMIT(s, SIM_EV_TASK_START, .worker = i, .task = task,
	    .round = w->round);
	sim_push_worker(s, s->now + sim_task_time(s, i, p), Q_TASK_DONE, i);
}

/* One fewer present worker has rounds to run: the end, if none has. */
void
sim_worker_done(struct sim *s)
{
	if (--s->running == 0)
		finish(s);
}

/* Models that sync rounds: the worker's round is one not yet synced. */
void
sim_skip_synced(struct sim *s, int i)
{
	if (s->ops->syncs && s->w[i].round < s->st.syncs_done)
		s->w[i].round = s->st.syncs_done;
}

/*
 * Worker i starts its next round. Under a model that syncs rounds that
 * is the lowest round not yet synced (DESIGN.md section 3): a worker
 * whose gradient was applied late skips the labels it missed and never
 * runs a round twice.
 */
void
sim_start_round(struct sim *s, int i)
{
	struct worker	*w = &s->w[i];

	sim_skip_synced(s, i);
	if (w->round == s->rounds) {
		w->state = WS_IDLE;
		w->t_mark = s->now;
		SIM_EMIT(s, SIM_EV_WORKER_DONE, .worker = i,
		    .task = -1, .round = w->round);
		sim_worker_done(s);
		return;
	}
	stats_round_start(&s->st, w->round, s->now);
	s->cold[i].round_start = s->now;
	w->flags &= (uint8_t)~WF_EARLY;
	w->pos = 0;
	sim_start_task(s, i, 0);
}

/* The worker is done with the task at w->pos: on to the next it owes. */
static void
next_task(struct sim *s, int i)
{
	struct worker	*w = &s->w[i];
	uint64_t	 early = sim_early(s, i);

	while (++w->pos < s->ntasks) {
		if (!(early & (UINT64_C(1) << s->cf->dag.order[w->pos]))) {
			sim_start_task(s, i, w->pos);
			return;
		}
	}
	w->round++;
	sim_start_round(s, i);
}

/* Move the worker's clock to c; returns the old min_clock. */
static int
tick_clock(struct sim *s, struct worker *w, int c)
{
	int	old = s->min_clock;

	s->clock_count[w->clock]--;
	w->clock = c;
	s->clock_count[w->clock]++;
	while (s->min_clock < s->rounds && s->clock_count[s->min_clock] == 0)
		s->min_clock++;
	return (old);
}

/*
 * min_clock moved on from old (an arrival, or the slowest leaving): the
 * rounds in between are complete, and the model hears of it.
 */
void
sim_rounds_advanced(struct sim *s, int old)
{
	for (int r = old; r < s->min_clock; r++) {
		stats_round_end(&s->st, r, s->now);
		SIM_EMIT(s, SIM_EV_ROUND, .worker = -1, .task = -1,
		    .round = r);
	}
	if (s->ops->advance != NULL)
		s->ops->advance(s, s->mstate, s->min_clock);
}

static void
on_arrive(struct sim *s, int i)
{
	struct worker	*w = &s->w[i];
	int		 old;

	w->comm += s->now - w->t_mark;
	stats_round_add(&s->st, w->round, STATS_COMM, s->now - w->t_mark);
	w->state = WS_WAITING;
	w->t_mark = s->now;
	s->cold[i].push_t[0] = s->cold[i].push_t[1];
	s->cold[i].push_t[1] = s->now;
	/* the clock counts the rounds behind it (labels may be skipped) */
	old = tick_clock(s, w, w->g_round + 1 > w->clock ? w->g_round + 1 :
	    w->clock);
	SIM_EMIT(s, SIM_EV_ARRIVE, .worker = i, .task = -1,
	    .round = w->g_round, .v_read = w->g_vread);
	s->ops->arrive(s, s->mstate, i);
	if (w->state == WS_WAITING)
		SIM_EMIT(s, SIM_EV_WAIT, .worker = i, .task = -1,
		    .round = w->g_round);
	if (s->min_clock != old)
		sim_rounds_advanced(s, old);
}

/* A task pulled forward into a wait is done: back to waiting. */
static void
on_pulled_done(struct sim *s, int i)
{
	struct worker		*w = &s->w[i];
	struct worker_cold	*c = &s->cold[i];
	int			 task = s->cf->dag.order[c->pulled];

	w->busy += s->now - w->t_mark;
	c->early = sim_early(s, i) | UINT64_C(1) << task;
	w->flags = (uint8_t)((w->flags | WF_EARLY) & ~WF_PULLED);
	SIM_EMIT(s, SIM_EV_TASK_END, .worker = i, .task = task,
	    .round = w->round);
	w->state = WS_WAITING;
	w->t_mark = s->now;
	if (c->release_held) {
		c->release_held = 0;
		sim_release_version(s, i, c->held_v);
	}
}

static void
on_task_done(struct sim *s, int i)
{
	struct worker	*w = &s->w[i];

	if (w->flags & WF_PULLED) {
		on_pulled_done(s, i);
		return;
	}
	w->busy += s->now - w->t_mark;
	SIM_EMIT(s, SIM_EV_TASK_END, .worker = i,
	    .task = s->cf->dag.order[w->pos], .round = w->round);
	if (w->pos == s->cf->dag.report_pos && s->ops->report != NULL)
		s->ops->report(s, s->mstate, i);
	next_task(s, i);
}

/*
 * The weights arrived. After a release the worker goes on with the
 * round's tasks; after a join (it reads the version current now, as the
 * pull ends) or an abandoned round it starts a fresh round.
 */
static void
on_pulled(struct sim *s, int i)
{
	struct worker	*w = &s->w[i];

	w->comm += s->now - w->t_mark;
	stats_round_add(&s->st, w->round, STATS_COMM, s->now - w->t_mark);
	w->t_mark = s->now;
	if (w->flags & WF_JOINING)
		w->v_read = s->version;
	SIM_EMIT(s, SIM_EV_PULLED, .worker = i, .task = -1,
	    .round = w->round, .v_read = w->v_read);
	if (w->flags & (WF_JOINING | WF_FRESH_START)) {
		w->flags &= (uint8_t)~(WF_JOINING | WF_FRESH_START);
		sim_start_round(s, i);
	} else
		next_task(s, i);
}

/* Process one queued event. Returns 1, or 0 when the run is over. */
int
sim_step(struct sim *s)
{
	struct pq_entry		 e;
	const struct pq_entry	*next;
	uint32_t		 id, k;

	if (s->done)
		return (0);
	if (!pq_pop(&s->q, &e)) {
		/* A model left workers waiting with nothing to wake them. */
		snprintf(s->error, sizeof s->error, "model %s deadlocked at"
		    " t=%.3f ms with %d workers unfinished", s->spec->name,
		    s->now, s->running);
		s->done = 1;
		return (0);
	}
	s->now = pq_time(&e);
	s->events++;
	id = pq_id(&e);
	/* an event of a worker that has since left (or left and came back) */
	if (s->voids && pq_kind(&e) <= Q_PULLED &&
	    (s->w[id].state == WS_LEFT || pq_seq(&e) != s->cold[id].pending))
		return (1);
	/*
	 * The workers of the events a few places on are likely not in cache
	 * (100,000 workers and more): ask for their lines now, so they are
	 * there in time. The hot line always; the cold one's first line
	 * where the event will touch it (an arrival; churn). Only a hint:
	 * what is fetched never changes what happens. (Inline on purpose:
	 * GCC drops a call to a function that only prefetches.)
	 */
	if ((next = pq_peek_ahead(&s->q, PREFETCH_AHEAD)) != NULL &&
	    (k = pq_kind(next)) <= Q_PULLED) {
		__builtin_prefetch(&s->w[pq_id(next)], 1);
		if (k == Q_ARRIVE || s->voids)
			__builtin_prefetch(&s->cold[pq_id(next)], 1);
	}
	/* nearer, that hot line is likely in: is a round ending there, or
	 * a progress report (round_start, and the model's state)? Is an
	 * arrival (the model's)? */
	if ((next = pq_peek_ahead(&s->q, PREFETCH_AHEAD / 2)) != NULL) {
		uint32_t nid = pq_id(next);

		k = pq_kind(next);
		if (k == Q_TASK_DONE && s->w[nid].pos == s->ntasks - 1)
			__builtin_prefetch(&s->cold[nid], 1);
		if (s->ops->prefetch != NULL && ((k == Q_TASK_DONE &&
		    s->w[nid].pos == s->cf->dag.report_pos &&
		    s->ops->report != NULL) || k == Q_ARRIVE)) {
			__builtin_prefetch(&s->cold[nid], 0);
			s->ops->prefetch(s->mstate, (int)nid);
		}
	}
	switch (pq_kind(&e)) {
	case Q_START:
		sim_start_round(s, (int)id);
		break;
	case Q_TASK_DONE:
		on_task_done(s, (int)id);
		break;
	case Q_ARRIVE:
		on_arrive(s, (int)id);
		break;
	case Q_PULLED:
		on_pulled(s, (int)id);
		break;
	case Q_TIMER:
		s->ops->timer(s, s->mstate, id);
		break;
	case Q_LEAVE:
		churn_leave(s, (int)id);
		break;
	case Q_JOIN:
		churn_join(s);
		break;
	}
	/* the model synced its last round: the run ends here */
	if (s->ending && !s->done)
		finish(s);
	return (1);
}

/*
 * Step to the next sync point: the next sync for models that sync
 * rounds (BSP, FastSync), else the next round completed; or the end.
 */
uint64_t
sim_run_to_round(struct sim *s)
{
	int		rounds = s->st.rounds_done, syncs = s->st.syncs_done;
	uint64_t	n = 0;

	while (sim_step(s)) {
		n++;
		if (s->ops->syncs ? s->st.syncs_done != syncs :
		    s->st.rounds_done != rounds)
			break;
	}
	return (n);
}

/* Step every event due at or before t. */
uint64_t
sim_run_until(struct sim *s, double t)
{
	const struct pq_entry	*e;
	uint64_t		 n = 0;

	while (!s->done && (e = pq_peek(&s->q)) != NULL && pq_time(e) <= t) {
		sim_step(s);
		n++;
	}
	return (n);
}

void
sim_run(struct sim *s)
{
	while (sim_step(s))
		;
}
