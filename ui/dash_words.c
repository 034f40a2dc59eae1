/*
 * The event log in words. Running, only the events worth a line are
 * told (syncs, checks, notifications, late gradients, churn); stepping
 * ('n'), every event is, with the gradient's versions and staleness:
 * never an internal placeholder (a worker -1, a round -1).
 */
#include <stdio.h>
#include <string.h>

#include "dash.h"

static const char *const label_name[] = { "noise", "C1", "C2" };

/* What a failed check at point p leads to (DESIGN.md section 3). */
const char *
dash_after_fail(int p)
{
	switch (p) {
	case SP_TS1:
		return ("C2 is notified late and ts2 is tried next");
	case SP_TS2:
		return ("C1 is notified late and ts3 is tried next");
	case SP_TS3:
		return ("the PS falls back to syncing at the quorum-th"
		    " gradient");
	default:
		return ("the PS waits for more gradients");
	}
}

static const char *
task_name(const struct dash *d, int task)
{
	return (task >= 0 && task < d->cf->dag.n ? d->cf->dag.tasks[task].name :
	    "a task");
}

/* "w1 w4 w7" or "w1 w4 and 3 more": who was not ready at a check. */
static void
missing(const struct dash_model *m, int nw, char *buf, size_t len)
{
	size_t	at = 0;
	int	n = 0, shown = 0;

	buf[0] = '\0';
	for (int i = 0; i < nw; i++) {
		enum sim_known k = m->chk_w[i].known;

		if (k == SIM_KNOWN_AT_PS || k == SIM_KNOWN_ABSENT)
			continue;
		if (++n <= 6 && at + 8 < len) {
			at += (size_t)snprintf(buf + at, len - at, "%sw%d",
			    shown ? " " : "", i);
			shown++;
		}
	}
	if (n > shown)
		snprintf(buf + at, len - at, " and %d more", n - shown);
	if (n == 0)
		snprintf(buf, len, "nobody");
}

static void
describe_check(struct dash *d, int i, const struct sim_event *ev)
{
	struct dash_model	*m = &d->m[i];
	const char		*p = sim_point_name((enum sim_point)ev->point);
	char			 who[96];

	if (m->chk_w != NULL)
		missing(m, d->cf->workers, who, sizeof who);
	else
		snprintf(who, sizeof who, "?");
	if (ev->pass)
		dash_logf(d, i, ev, SLOT_QUORUM_MET, "%s check for round %d"
		    " holds: %d of %d ready >= %d needed, so the ready ones"
		    " sync now", p, ev->round, ev->ready, sim_present_now(
		    m->sim), ev->needed);
	else
		dash_logf(d, i, ev, SLOT_QUORUM_SHORT, "%s check for round %d"
		    " fails: %d of %d ready < %d needed (missing %s), so %s",
		    p, ev->round, ev->ready, sim_present_now(m->sim),
		    ev->needed, who, dash_after_fail(ev->point));
}

static void
describe_sync(struct dash *d, int i, const struct sim_event *ev)
{
	struct dash_model	*m = &d->m[i];
	char			 split[64] = "";

	if (m->deferred > 0)
		snprintf(split, sizeof split, " (%llu fresh, %llu deferred"
		    " from earlier rounds)", (unsigned long long)m->fresh,
		    (unsigned long long)m->deferred);
	dash_logf(d, i, ev, SLOT_QUORUM_MET, "round %d synced at %s: %d"
	    " gradient%s applied as one update%s; %d of %d workers took"
	    " part, %d needed", ev->round, sim_point_name(
	    (enum sim_point)ev->point), ev->count, ev->count == 1 ? "" : "s",
	    split, ev->ready, sim_present_now(m->sim), ev->needed);
}

/* A gradient applied: its versions and staleness. */
static void
describe_apply(struct dash *d, int i, const struct sim_event *ev)
{
	unsigned long long tau = (unsigned long long)(ev->v_apply - ev->v_read);

	dash_logf(d, i, ev, tau > 0 ? SLOT_STALE : SLOT_FRESH, "w%d's round"
	    " %d gradient applied: read v%llu, applied to v%llu, tau %llu"
	    " (%s)", ev->worker, ev->round, (unsigned long long)ev->v_read,
	    (unsigned long long)ev->v_apply, tau, tau > 0 ? "stale" :
	    "fresh");
}

/* The per-gradient events, told only while stepping. */
static void
describe_step(struct dash *d, int i, const struct sim_event *ev)
{
	struct sim	*s = d->m[i].sim;
	int		 w = ev->worker, r = ev->round;

	switch (ev->type) {
	case SIM_EV_TASK_START:
		dash_logf(d, i, ev, SLOT_DIM, "w%d starts %s (round %d)", w,
		    task_name(d, ev->task), r);
		break;
	case SIM_EV_TASK_END:
		dash_logf(d, i, ev, SLOT_DIM, "w%d finishes %s (round %d)", w,
		    task_name(d, ev->task), r);
		break;
	case SIM_EV_PUSH:
		dash_logf(d, i, ev, SLOT_PUSHING, "w%d pushes its round %d"
		    " gradient, computed on v%llu", w, r,
		    (unsigned long long)ev->v_read);
		break;
	case SIM_EV_ARRIVE: {
		struct sim_worker_view v;

		sim_worker(s, w, &v);
		dash_logf(d, i, ev, SLOT_PUSHING, "w%d's round %d gradient"
		    " reaches the PS (its clock %d, the slowest's %d)", w, r,
		    v.clock, sim_min_clock(s));
		break;
	}
	case SIM_EV_WAIT:
		dash_logf(d, i, ev, SLOT_WAITING, "w%d waits at the PS for"
		    " the %s", w, sim_wait_word(s));
		break;
	case SIM_EV_APPLY:
		describe_apply(d, i, ev);
		break;
	case SIM_EV_UPDATE:
		dash_logf(d, i, ev, SLOT_DIM, "the PS makes v%llu from v%llu"
		    " with %d gradient%s", (unsigned long long)ev->v_apply,
		    (unsigned long long)ev->v_read, ev->count, ev->count == 1 ?
		    "" : "s");
		break;
	case SIM_EV_RELEASE:
		dash_logf(d, i, ev, SLOT_PULLING, "the PS sends v%llu to w%d",
		    (unsigned long long)ev->v_apply, w);
		break;
	case SIM_EV_PULLED:
		dash_logf(d, i, ev, SLOT_PULLING, "w%d has the weights (v%llu)",
		    w, (unsigned long long)ev->v_read);
		break;
	case SIM_EV_WORKER_DONE:
		dash_logf(d, i, ev, SLOT_IDLE, "w%d finished its last round",
		    w);
		break;
	case SIM_EV_ROUND:
		dash_logf(d, i, ev, SLOT_DIM, "round %d: every gradient in",
		    r);
		break;
	case SIM_EV_CUT:
		dash_logf(d, i, ev, SLOT_DIM, "w%d's round %d work is cut: the"
		    " run ended first", w, r);
		break;
	case SIM_EV_ABANDON:
		dash_logf(d, i, ev, SLOT_STALE, "w%d abandons round %d: the"
		    " sync went on without it", w, r);
		break;
	case SIM_EV_CLUSTER:
		dash_logf(d, i, ev, ev->label == LABEL_NOISE ? SLOT_NOISE :
		    SLOT_C1 + (ev->label == LABEL_C2), "w%d clustered %s", w,
		    label_name[ev->label + 1]);
		break;
	default:
		break;
	}
}

/* The events worth a line while running; 'n' tells every one. */
void
dash_describe(struct dash *d, int i, const struct sim_event *ev)
{
	struct dash_model	*m = &d->m[i];
	int			 w = ev->worker, r = ev->round;

	switch (ev->type) {
	case SIM_EV_SYNC:
		describe_sync(d, i, ev);
		break;
	case SIM_EV_ROUND:
		if (!sim_syncs(m->sim))
			dash_logf(d, i, ev, SLOT_TEXT, "round %d complete:"
			    " the slowest worker's clock is %d", r,
			    ev->min_clock);
		else if (d->stepping)
			describe_step(d, i, ev);
		break;
	case SIM_EV_QUORUM:
		describe_check(d, i, ev);
		break;
	case SIM_EV_NOTIFY:
		dash_logf(d, i, ev, SLOT_WAITING, "w%d is notified late (%s"
		    " failed): it syncs at the next point", w,
		    sim_point_name((enum sim_point)ev->point));
		break;
	case SIM_EV_PULL_FORWARD:
		dash_logf(d, i, ev, SLOT_LOCAL, "w%d runs local task %s early,"
		    " while it waits for ts2", w, task_name(d, ev->task));
		break;
	case SIM_EV_LATE:
		dash_logf(d, i, ev, SLOT_STALE, "w%d's round %d gradient is"
		    " late: round %d synced without it%s", w, r, r,
		    m->spec->drop_late ? "; it is dropped" : "; it waits at"
		    " the PS for the next sync");
		break;
	case SIM_EV_DROP:
		dash_logf(d, i, ev, SLOT_STALE, "w%d's round %d gradient is"
		    " dropped", w, r);
		break;
	case SIM_EV_LEAVE:
		dash_logf(d, i, ev, SLOT_LEFT, "w%d left", w);
		break;
	case SIM_EV_JOIN:
		dash_logf(d, i, ev, SLOT_COMPUTING, "w%d joined: it pulls the"
		    " weights and starts at clock %d", w, ev->clock);
		break;
	case SIM_EV_END:
		dash_logf(d, i, ev, SLOT_TITLE, "every worker is done");
		break;
	default:
		if (d->stepping)
			describe_step(d, i, ev);
		break;
	}
}
