/*
 * The engine (DESIGN.md sections 2 and 3): workers run the task graph
 * once per round; at the sync task a worker pushes its gradient to the
 * parameter server, the model decides when the gradient is applied and
 * when the worker may pull, and the worker goes on. Everything happens in
 * events popped from one queue in (time, sequence) order.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "pq.h"
#include "rng.h"
#include "sim.h"
#include "xmalloc.h"

#define SIM_MAX_OBSERVERS	8

enum qkind {
	Q_START,	/* worker begins its first round */
	Q_TASK_DONE,	/* worker finished its current task */
	Q_ARRIVE,	/* worker's gradient reached the PS */
	Q_PULLED,	/* worker received the weights */
	Q_TIMER		/* a model's own timer */
};

/*
 * A worker's hot state: what an event touches, one 64-byte line. With
 * 100,000 workers every event is a likely cache miss on it, so anything
 * read less often lives in struct worker_cold.
 */
struct worker {
	double		t_mark;		/* start of the current task or wait */
	double		busy, wait, comm;
	uint64_t	v_read;		/* version of the worker's weights */
	uint64_t	g_vread;	/* pending gradient: its v_read */
	int32_t		g_round;	/* pending gradient: its round */
	int32_t		round;		/* round being run */
	int32_t		clock;		/* gradients delivered */
	uint16_t	pos;		/* position in the run order */
	uint8_t		state;
	uint8_t		slow;
};

_Static_assert(sizeof(struct worker) == 64, "struct worker is one line");

struct worker_cold {
	double		push_t[2];	/* last two arrivals: [1] newest */
	double		idle;
	uint64_t	last_tau;
};

struct sim {
	const struct fs_config	*cf;
	const struct model_spec	*spec;
	const struct model_ops	*ops;
	void			*mstate;
	struct pq		 q;
	struct worker		*w;
	struct worker_cold	*cold;
	int			 nw;
	int			 ntasks;
	int			 rounds;
	const struct dist	**pos_dist;	/* per position; NULL: sync */
	uint8_t			*pos_async;
	int			*clock_count;	/* workers at each clock */
	int			 min_clock;
	int			 running;	/* workers not finished */
	uint64_t		 version;
	uint64_t		 events;
	double			 now;
	int			 done;
	char			 error[128];
	struct stats		 st;
	struct {
		sim_observer_fn	 fn;
		void		*ud;
	}			 obs[SIM_MAX_OBSERVERS];
	int			 nobs;
};

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
};

static const char *state_names[] = {
	[WS_COMPUTING] = "computing",
	[WS_LOCAL] = "local",
	[WS_PUSHING] = "pushing",
	[WS_WAITING] = "waiting",
	[WS_PULLING] = "pulling",
	[WS_IDLE] = "idle",
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

const struct model_ops *
model_ops_for(enum model_kind k)
{
	static const struct model_ops *const table[MODEL_NKINDS] = {
		[MODEL_ASP] = &model_asp_ops,
		[MODEL_BSP] = &model_bsp_ops,
		[MODEL_SSP] = &model_ssp_ops,
		[MODEL_DSSP] = &model_dssp_ops,
	};

	return (table[k]);
}

/* Observers: the event struct is only built when someone listens. */
static void
emit(struct sim *s, enum sim_event_type type, int worker, int round,
    uint64_t v_read, uint64_t v_apply, int count)
{
	struct sim_event	ev;

	ev.type = type;
	ev.t = s->now;
	ev.worker = worker;
	ev.task = -1;
	ev.round = round;
	ev.clock = worker >= 0 ? s->w[worker].clock : -1;
	ev.min_clock = s->min_clock;
	ev.count = count;
	ev.v_read = v_read;
	ev.v_apply = v_apply;
	if (worker >= 0 && (type == SIM_EV_TASK_START ||
	    type == SIM_EV_TASK_END || type == SIM_EV_PUSH))
		ev.task = s->cf->dag.order[s->w[worker].pos];
	for (int i = 0; i < s->nobs; i++)
		s->obs[i].fn(&ev, s->obs[i].ud);
}

#define EMIT(s, ...) do {				\
	if ((s)->nobs > 0)				\
		emit((s), __VA_ARGS__);			\
} while (0)

struct sim *
sim_create(const struct fs_config *cf, const struct model_spec *spec,
    char *err, size_t errlen)
{
	struct sim	*s = xcalloc(1, sizeof *s);
	const struct dag *d = &cf->dag;
	struct rng	 r;

	s->cf = cf;
	s->spec = spec;
	s->ops = model_ops_for(spec->kind);
	s->nw = cf->workers;
	s->rounds = cf->rounds;
	s->ntasks = d->n;
	s->running = s->nw;
	s->w = xaligned_calloc(64, (size_t)s->nw, sizeof *s->w);
	s->cold = xcalloc((size_t)s->nw, sizeof *s->cold);
	s->pos_dist = xcalloc((size_t)s->ntasks, sizeof *s->pos_dist);
	s->pos_async = xcalloc((size_t)s->ntasks, sizeof *s->pos_async);
	s->clock_count = xcalloc((size_t)s->rounds + 1,
	    sizeof *s->clock_count);
	s->clock_count[0] = s->nw;
	for (int p = 0; p < s->ntasks; p++) {
		const struct task *t = &d->tasks[d->order[p]];

		if (t->kind != TASK_SYNC)
			s->pos_dist[p] = &cf->classes[t->cls].dist;
		s->pos_async[p] = t->kind == TASK_ASYNC;
	}
	stats_init(&s->st, s->rounds);
	s->st.workers = s->nw;
	pq_init(&s->q, (size_t)s->nw * 2);
	for (int i = 0; i < s->nw; i++) {
		/* The speed class comes from the worker's own stream. */
		rng_seed(&r, cf->seed, (uint64_t)i, UINT64_MAX);
		s->w[i].slow = rng_uniform(&r) < cf->slow_fraction;
		s->cold[i].push_t[0] = s->cold[i].push_t[1] = -1;
		pq_push(&s->q, 0, Q_START, (uint32_t)i);
	}
	if (s->ops->create != NULL &&
	    (s->mstate = s->ops->create(s, spec)) == NULL) {
		snprintf(err, errlen, "model %s: cannot start", spec->name);
		sim_free(s);
		return (NULL);
	}
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
	free(s->pos_dist);
	free(s->pos_async);
	free(s->clock_count);
	free(s);
}

int
sim_observe(struct sim *s, sim_observer_fn fn, void *ud)
{
	if (s->nobs == SIM_MAX_OBSERVERS)
		return (-1);
	s->obs[s->nobs].fn = fn;
	s->obs[s->nobs].ud = ud;
	s->nobs++;
	return (0);
}

/*
 * A task's time is drawn when it starts, from the worker's stream keyed
 * by (round, task): every model sees the same draw for the same task of
 * the same worker and round, whatever order it runs tasks in (common
 * random numbers), and nothing another worker does can shift it.
 */
static double
task_time(const struct sim *s, const struct worker *w, int i, int p)
{
	struct rng	r;
	uint64_t	key = (uint64_t)w->round * (uint64_t)s->ntasks +
			    (uint64_t)s->cf->dag.order[p];
	double		d;

	rng_seed(&r, s->cf->seed, (uint64_t)i, key);
	d = dist_sample(s->pos_dist[p], &r);
	if (s->pos_async[p] && w->slow)
		d += s->cf->slow_offset_ms;
	return (d);
}

static void
finish(struct sim *s)
{
	s->done = 1;
	s->st.finish_ms = s->now;
	for (int i = 0; i < s->nw; i++) {
		struct worker *w = &s->w[i];

		s->cold[i].idle = s->now - w->t_mark;
		s->st.busy_ms += w->busy;
		s->st.wait_ms += w->wait;
		s->st.idle_ms += s->cold[i].idle;
		s->st.comm_ms += w->comm;
		if (w->wait > s->st.max_wait_ms)
			s->st.max_wait_ms = w->wait;
	}
	EMIT(s, SIM_EV_END, -1, s->rounds, 0, 0, 0);
}

static void
start_task(struct sim *s, int i)
{
	struct worker	*w = &s->w[i];
	int		 p = w->pos;

	if (s->pos_dist[p] == NULL) {
		w->state = WS_PUSHING;
		w->g_vread = w->v_read;
		w->g_round = w->round;
		EMIT(s, SIM_EV_PUSH, i, w->round, w->v_read, 0, 0);
		pq_push(&s->q, s->now + s->cf->push_ms, Q_ARRIVE, (uint32_t)i);
		return;
	}
	w->state = s->pos_async[p] ? WS_COMPUTING : WS_LOCAL;
	w->t_mark = s->now;
	EMIT(s, SIM_EV_TASK_START, i, w->round, 0, 0, 0);
	pq_push(&s->q, s->now + task_time(s, w, i, p), Q_TASK_DONE,
	    (uint32_t)i);
}

static void
start_round(struct sim *s, int i)
{
	struct worker	*w = &s->w[i];

	if (w->round == s->rounds) {
		w->state = WS_IDLE;
		w->t_mark = s->now;
		EMIT(s, SIM_EV_WORKER_DONE, i, w->round, 0, 0, 0);
		if (--s->running == 0)
			finish(s);
		return;
	}
	stats_round_start(&s->st, w->round, s->now);
	w->pos = 0;
	start_task(s, i);
}

/* The worker is done with the task at w->pos: on to the next. */
static void
next_task(struct sim *s, int i)
{
	struct worker	*w = &s->w[i];

	if (++w->pos < s->ntasks) {
		start_task(s, i);
		return;
	}
	w->round++;
	start_round(s, i);
}

/* Count the worker's new clock; returns the old min_clock. */
static int
tick_clock(struct sim *s, struct worker *w)
{
	int	old = s->min_clock;

	s->clock_count[w->clock]--;
	w->clock++;
	s->clock_count[w->clock]++;
	while (s->min_clock < s->rounds && s->clock_count[s->min_clock] == 0)
		s->min_clock++;
	return (old);
}

static void
on_arrive(struct sim *s, int i)
{
	struct worker	*w = &s->w[i];
	int		 old;

	w->comm += s->cf->push_ms;
	w->state = WS_WAITING;
	w->t_mark = s->now;
	s->cold[i].push_t[0] = s->cold[i].push_t[1];
	s->cold[i].push_t[1] = s->now;
	old = tick_clock(s, w);
	EMIT(s, SIM_EV_ARRIVE, i, w->g_round, w->g_vread, 0, 0);
	s->ops->arrive(s, s->mstate, i);
	if (w->state == WS_WAITING)
		EMIT(s, SIM_EV_WAIT, i, w->g_round, 0, 0, 0);
	if (s->min_clock == old)
		return;
	for (int r = old; r < s->min_clock; r++) {
		stats_round_end(&s->st, r, s->now);
		EMIT(s, SIM_EV_ROUND, -1, r, 0, 0, 0);
	}
	if (s->ops->advance != NULL)
		s->ops->advance(s, s->mstate, s->min_clock);
}

static void
on_task_done(struct sim *s, int i)
{
	struct worker	*w = &s->w[i];

	w->busy += s->now - w->t_mark;
	EMIT(s, SIM_EV_TASK_END, i, w->round, 0, 0, 0);
	if (w->pos == s->cf->dag.report_pos && s->ops->report != NULL)
		s->ops->report(s, s->mstate, i);
	next_task(s, i);
}

/* Process one queued event. Returns 1, or 0 when the run is over. */
int
sim_step(struct sim *s)
{
	struct pq_entry		 e;
	const struct pq_entry	*next;
	uint32_t		 id;

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
	/* The next event's worker is likely not in cache: ask for it now. */
	if ((next = pq_peek_ready(&s->q)) != NULL && pq_kind(next) != Q_TIMER)
		__builtin_prefetch(&s->w[pq_id(next)]);
	switch (pq_kind(&e)) {
	case Q_START:
		start_round(s, (int)id);
		break;
	case Q_TASK_DONE:
		on_task_done(s, (int)id);
		break;
	case Q_ARRIVE:
		on_arrive(s, (int)id);
		break;
	case Q_PULLED:
		s->w[id].comm += s->cf->pull_ms;
		EMIT(s, SIM_EV_PULLED, (int)id, s->w[id].round,
		    s->w[id].v_read, 0, 0);
		next_task(s, (int)id);
		break;
	case Q_TIMER:
		s->ops->timer(s, s->mstate, id);
		break;
	}
	return (1);
}

/* Step until the next round completes (a sync point), or the end. */
int
sim_run_to_round(struct sim *s)
{
	int	before = s->st.rounds_done;
	int	n = 0;

	while (s->st.rounds_done == before && sim_step(s))
		n++;
	return (n);
}

/* Step every event due at or before t. */
int
sim_run_until(struct sim *s, double t)
{
	const struct pq_entry	*e;
	int			 n = 0;

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

/* ---- Services for the models. ---- */

/* Apply the pending gradients of n workers as one update (one version). */
void
sim_apply(struct sim *s, const int *who, int n)
{
	uint64_t	v = s->version;

	for (int k = 0; k < n; k++) {
		struct worker *w = &s->w[who[k]];
		uint64_t tau = v - w->g_vread;

		s->cold[who[k]].last_tau = tau;
		stats_gradient(&s->st, w->g_round, tau);
		EMIT(s, SIM_EV_APPLY, who[k], w->g_round, w->g_vread, v, 0);
	}
	s->version++;
	s->st.updates++;
	EMIT(s, SIM_EV_UPDATE, -1, -1, v, s->version, n);
}

/* Let a waiting worker pull: its weights are the current version. */
void
sim_release(struct sim *s, int i)
{
	struct worker	*w = &s->w[i];

	w->wait += s->now - w->t_mark;
	w->v_read = s->version;
	w->state = WS_PULLING;
	EMIT(s, SIM_EV_RELEASE, i, w->round, w->g_vread, s->version, 0);
	pq_push(&s->q, s->now + s->cf->pull_ms, Q_PULLED, (uint32_t)i);
}

/* A model timer; arg must fit the queue's id field (PQ_ID_MAX). */
void
sim_timer(struct sim *s, double t, uint32_t arg)
{
	pq_push(&s->q, t < s->now ? s->now : t, Q_TIMER, arg);
}

int
sim_clock(const struct sim *s, int i)
{
	return (s->w[i].clock);
}

int
sim_present(const struct sim *s)
{
	return (s->nw);
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

void
sim_worker(const struct sim *s, int i, struct sim_worker_view *v)
{
	const struct worker	*w = &s->w[i];

	v->state = (enum worker_state)w->state;
	v->slow = w->slow;
	v->clock = w->clock;
	v->round = w->round;
	v->task = w->state == WS_IDLE ? -1 : s->cf->dag.order[w->pos];
	v->v_read = w->v_read;
	v->last_staleness = s->cold[i].last_tau;
	v->busy_ms = w->busy;
	v->wait_ms = w->wait;
	v->idle_ms = s->cold[i].idle;
	v->comm_ms = w->comm;
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
