/*
 * Worker churn (DESIGN.md section 2, the paper's "worker size"): workers
 * is the most present at once. Each present worker leaves after an
 * exponential time (workers.leave_rate per second), unless that would
 * leave fewer than workers.min; absent workers come back one at a time
 * as a Poisson process (workers.join_rate per second). Every draw comes
 * from streams keyed by the worker and a counter, never by what a model
 * did, so every model sees the same comings and goings.
 *
 * A leaving worker's queued event is voided, its in-flight gradient
 * dropped, and the model told (it drops what it holds). A joining worker
 * pulls the weights first (churn_join); FastSync sees it as noise until
 * it has history.
 */
#include <math.h>
#include <stdint.h>

#include "rng.h"
#include "sim_priv.h"

/* An exponential wait (ms) at rate per second, from who's n-th key draw. */
static double
exp_wait(const struct sim *s, enum rng_key key, uint64_t who, uint64_t n,
    double rate)
{
	struct rng	r;
	double		u;

	rng_stream(&r, s->cf->seed, key, who, n);
	do
		u = rng_uniform(&r);
	while (u == 0);
	return (-log(u) / rate * 1000.0);
}

static void
schedule_leave(struct sim *s, int i)
{
	if (s->cf->leave_rate <= 0)
		return;
	pq_push(&s->q, s->now + exp_wait(s, RNG_LEAVE, (uint64_t)i,
	    s->cold[i].leaves++, s->cf->leave_rate), Q_LEAVE, (uint32_t)i);
}

static void
schedule_join(struct sim *s)
{
	if (s->cf->join_rate <= 0)
		return;
	pq_push(&s->q, s->now + exp_wait(s, RNG_JOIN, 0, s->joins++,
	    s->cf->join_rate), Q_JOIN, 0);
}

void
churn_start(struct sim *s)
{
	for (int i = 0; i < s->nw; i++)
		schedule_leave(s, i);
	schedule_join(s);
}

void
churn_leave(struct sim *s, int i)
{
	struct worker		*w = &s->w[i];
	struct worker_cold	*c = &s->cold[i];
	struct gradient		 g;
	int			 old = s->min_clock;

	if (w->state == WS_LEFT)
		return;
	if (s->present <= s->cf->workers_min) {
		schedule_leave(s, i);	/* not now: try again later */
		return;
	}
	/* its queued event, if any, is void from now (sim_step checks) */
	sim_account(s, i);
	if (w->state == WS_PUSHING) {
		sim_gradient(s, i, &g);
		sim_drop(s, &g);
	}
	c->release_held = 0;
	w->flags &= (uint8_t)~(WF_JOINING | WF_FRESH_START | WF_PULLED);
	c->pending = UINT64_MAX;	/* whatever is queued for it is void */
	if (w->state != WS_IDLE)
		s->running--;
	s->present--;
	s->clock_count[w->clock]--;
	w->state = WS_LEFT;
	w->t_mark = s->now;
	SIM_EMIT(s, SIM_EV_LEAVE, .worker = i, .task = -1,
	    .round = w->round);
	if (s->ops->leave != NULL)
		s->ops->leave(s, s->mstate, i);
	while (s->min_clock < s->rounds && s->clock_count[s->min_clock] == 0)
		s->min_clock++;
	if (s->min_clock != old)
		sim_rounds_advanced(s, old);
	if (s->running == 0 && !s->done) {
		s->running = 1;		/* sim_worker_done() counts it down */
		sim_worker_done(s);
	}
}

/*
 * An absent worker comes back (DESIGN.md section 3, "Joining workers"):
 * it is present at once, pays a pull, reads the version current as the
 * pull ends, and starts the lowest round not yet synced (models that
 * sync rounds) or the slowest present worker's clock (the others).
 */
void
churn_join(struct sim *s)
{
	struct worker	*w;
	int		 i;

	schedule_join(s);
	if (s->present == s->nw)
		return;
	for (i = 0; s->w[i].state != WS_LEFT; i++)
		;
	w = &s->w[i];
	sim_account(s, i);
	s->present++;
	w->clock = s->min_clock;
	w->round = s->ops->syncs ? 0 : s->min_clock;	/* sim_start_round */
	s->clock_count[w->clock]++;
	s->cold[i].push_t[0] = s->cold[i].push_t[1] = -1;
	sim_skip_synced(s, i);
	SIM_EMIT(s, SIM_EV_JOIN, .worker = i, .task = -1,
	    .round = w->round, .v_apply = s->version);
	if (s->ops->join != NULL)
		s->ops->join(s, s->mstate, i);
	schedule_leave(s, i);
	s->running++;
	w->state = WS_PULLING;
	w->flags |= WF_JOINING;
	sim_push_worker(s, s->now + s->cf->pull_ms, Q_PULLED, i);
}
