/*
 * Going to decisions, and back in time. Ahead: 'c', 'C' and 'K' run the
 * focus model to its next quorum check, failed check or re-clustering
 * (the observer marks the hit: dash_seek_hit), a frame at a time like
 * 'g'. Back: the engines are deterministic, so 'b' and 'g' to an
 * earlier time or round build a model's engine anew and run it to the
 * wanted event (about 40 ns an event: the whole default run is 16 ms).
 * The engine the recorder watches is kept aside, ahead, and takes over
 * again once the new one has caught up with it (dash_rejoin_live), so
 * the recording sees every event once.
 */
#include <math.h>
#include <stdio.h>

#include "dash.h"
#include "lesson.h"

static const char *const go_what[] = {
	[GO_CHECK] = "quorum check", [GO_FAIL] = "failed quorum check",
	[GO_CLUSTER] = "re-clustering", [GO_LESSON] = "lesson step",
};

/* Whether model i makes the decisions 'c', 'C' and 'K' look for. */
static int
decides(const struct dash *d, int i)
{
	return (sim_clusters(d->m[i].sim));
}

/*
 * 'c', 'C', 'K': go to the focus model's next decision of that kind. A
 * focus model that makes none hands the focus to the first that does.
 */
int
dash_seek(struct dash *d, enum dash_go kind)
{
	int	f = d->focus;

	for (int i = 0; !decides(d, f) && i < d->nm; i++)
		if (decides(d, i))
			f = i;
	if (!decides(d, f)) {
		dash_say(d, SLOT_WARNING, "no model here makes a %s (only"
		    " FastSync does)", go_what[kind]);
		return (-1);
	}
	if (f != d->focus) {
		d->focus = f;
		d->worker_scroll = 0;
	}
	if (sim_done(d->m[f].sim)) {
		dash_say(d, SLOT_DIM, "%s is done: g goes back",
		    d->m[f].spec->name);
		return (0);
	}
	dash_go_decision(d, kind, f);
	return (0);
}

/* Go to model f's next decision of a kind, from here (dash_pursue). */
void
dash_go_decision(struct dash *d, enum dash_go kind, int f)
{
	for (int i = 0; i < d->nm; i++)
		d->go_from[i] = d->m[i].events;
	d->go_kind = kind;
	d->go_model = f;
	d->hit = 0;
	d->going = 1;
}

/* From the observer: is this event what the go-to looks for? */
void
dash_seek_hit(struct dash *d, int i, const struct sim_event *ev)
{
	if (!d->going || i != d->go_model)
		return;
	if (d->hit) {
		if (d->go_kind == GO_LESSON)
			lesson_after(d, i, ev);
		return;
	}
	if ((d->go_kind == GO_CHECK && ev->type == SIM_EV_QUORUM) ||
	    (d->go_kind == GO_FAIL && ev->type == SIM_EV_QUORUM &&
	    !ev->pass) ||
	    (d->go_kind == GO_CLUSTER && ev->type == SIM_EV_CLUSTER) ||
	    (d->go_kind == GO_LESSON && lesson_match(d, i, ev)))
		d->hit = 1;
}

int
dash_reached(struct dash *d)
{
	if (d->go_kind == GO_ROUND)
		return (sim_rounds_done(d->m[d->go_model].sim) >= d->go_round);
	return (d->go_kind != GO_TIME && d->hit);
}

/* What the header says GOING is going to. */
const char *
dash_go_target(const struct dash *d, char *buf, size_t len)
{
	const char *name = d->m[d->go_model].spec->name;

	if (d->go_kind == GO_ROUND)
		snprintf(buf, len, "round %d of %s", d->go_round, name);
	else if (d->go_kind == GO_TIME)
		snprintf(buf, len, "t=%.1f ms", d->go_t);
	else if (d->go_kind == GO_LESSON && d->lesson != NULL)
		snprintf(buf, len, "lesson step %d: %s's next %s",
		    d->lesson->cur + 1, name, sim_event_name(
		    d->lesson->step[d->lesson->cur].until));
	else
		snprintf(buf, len, "%s's next %s", name, go_what[d->go_kind]);
	return (buf);
}

/*
 * Going back makes engines anew; a trainer's model is not: its weights
 * would have to be trained again from the start (seconds to minutes a
 * step, where the engine alone takes milliseconds), so it is refused.
 */
static int
training(const struct dash *d)
{
	for (int i = 0; i < d->nm; i++)
		if (d->m[i].tr != NULL)
			return (1);
	return (0);
}

static int
can_rewind(struct dash *d)
{
	if (!training(d))
		return (1);
	dash_say(d, SLOT_WARNING, "no going back in a training run: it would"
	    " retrain from the start");
	return (0);
}

/* Model i's engine anew, observed, before its first event. */
static int
restart(struct dash *d, int i)
{
	struct dash_model	*m = &d->m[i];
	struct sim		*s;
	char			 err[160];

	if ((s = sim_create(d->cf, m->spec, err, sizeof err)) == NULL) {
		dash_say(d, SLOT_WARNING, "cannot go back: %s", err);
		return (-1);
	}
	sim_track(s);
	if (dash_observe(d, i, s) != 0) {
		sim_free(s);
		dash_say(d, SLOT_WARNING, "cannot go back: too many"
		    " observers");
		return (-1);
	}
	if (m->live == NULL) {
		m->live = m->sim;
		m->live_events = m->events;
	} else
		sim_free(m->sim);
	m->sim = s;
	dash_observe_reset(d, i);
	dash_log_drop(d, i);
	return (0);
}

/* Model i again from the start, up to its n-th event. */
static int
replay_events(struct dash *d, int i, uint64_t n)
{
	struct dash_model *m = &d->m[i];

	if (restart(d, i) != 0)
		return (-1);
	while (m->events < n && sim_step(m->sim))
		m->events++;
	dash_after_steps(d, i);
	return (0);
}

/* Model i again from the start, up to every event due by t. */
static int
replay_time(struct dash *d, int i, double t)
{
	struct dash_model *m = &d->m[i];

	if (!(sim_now(m->sim) > t) || m->events == 0)
		return (0);
	if (restart(d, i) != 0)
		return (-1);
	m->events = sim_run_until(m->sim, t);
	dash_after_steps(d, i);
	return (0);
}

/* After going back: the totals, the time shown, paused there. */
static void
rewound(struct dash *d, double now)
{
	d->events = 0;
	d->finished = 1;
	for (int i = 0; i < d->nm; i++) {
		d->events += d->m[i].events;
		if (!sim_done(d->m[i].sim))
			d->finished = 0;
	}
	d->now = now;
	d->going = 0;
	d->paused = 1;
	dash_log_sort(d);
}

/* The latest time any model's engine has reached (its last event). */
static double
latest(const struct dash *d)
{
	double	t = 0;

	for (int i = 0; i < d->nm; i++)
		t = fmax(t, sim_now(d->m[i].sim));
	return (t);
}

/*
 * 'b': undo the latest event (of any model; with focus_only, the focus
 * model's, and the others' since then).
 */
int
dash_step_back(struct dash *d)
{
	int	f = -1;

	if (!can_rewind(d))
		return (-1);
	if (d->focus_only)
		f = d->m[d->focus].events > 0 ? d->focus : -1;
	else
		for (int i = 0; i < d->nm; i++)
			if (d->m[i].events > 0 && (f < 0 ||
			    sim_now(d->m[i].sim) >= sim_now(d->m[f].sim)))
				f = i;
	if (f < 0) {
		dash_say(d, SLOT_DIM, "at the start: nothing to step back");
		return (0);
	}
	if (replay_events(d, f, d->m[f].events - 1) != 0)
		return (-1);
	if (d->focus_only)
		for (int i = 0; i < d->nm; i++)
			if (i != f && replay_time(d, i, sim_now(d->m[f].sim)))
				return (-1);
	rewound(d, latest(d));
	dash_say(d, SLOT_DIM, "back one event of %s: t=%.1f ms, %llu events",
	    d->m[f].spec->name, d->now, (unsigned long long)d->m[f].events);
	return (0);
}

/* 'g' to a round the focus model has done: as it was done. */
int
dash_rewind_round(struct dash *d, int round)
{
	struct dash_model	*m = &d->m[d->focus];
	double			 t;

	if (!can_rewind(d) || restart(d, d->focus) != 0)
		return (-1);
	while (sim_rounds_done(m->sim) < round && sim_step(m->sim))
		m->events++;
	dash_after_steps(d, d->focus);
	t = sim_now(m->sim);
	for (int i = 0; i < d->nm; i++)
		if (i != d->focus && replay_time(d, i, t) != 0)
			return (-1);
	rewound(d, t);
	dash_advance(d, t, INFINITY);
	dash_say(d, SLOT_TEXT, "back at round %d of %s, t=%.1f ms",
	    sim_rounds_done(m->sim), m->spec->name, d->now);
	return (0);
}

/* 'g' to an earlier time: every model as it was then. */
int
dash_rewind_time(struct dash *d, double t)
{
	if (!can_rewind(d))
		return (-1);
	for (int i = 0; i < d->nm; i++)
		if (replay_time(d, i, t) != 0)
			return (-1);
	rewound(d, t);
	dash_say(d, SLOT_TEXT, "back at t=%.1f ms", d->now);
	return (0);
}

/* A 'c', 'C' or 'K' ended: there, or nothing more (back where it began). */
void
dash_seek_end(struct dash *d)
{
	struct dash_model *m = &d->m[d->go_model];

	if (d->go_kind == GO_LESSON) {
		lesson_arrived(d, d->hit);
		return;
	}
	/* the status line only: the log has the model's own sentence */
	if (d->hit) {
		if (d->go_kind == GO_CLUSTER)
			dash_status(d, SLOT_TEXT, "%s re-clustered before round %d"
			    " (t=%.1f ms): C1 %d, C2 %d, noise %d",
			    m->spec->name, m->cluster_round, d->now,
			    m->csize[1], m->csize[2], m->csize[0]);
		else
			dash_status(d, m->quorum.pass ? SLOT_QUORUM_MET :
			    SLOT_QUORUM_SHORT, "%s's %s check for round %d %s"
			    " at t=%.1f ms: %d ready, %d needed", m->spec->name,
			    sim_point_name((enum sim_point)m->quorum.point),
			    m->quorum.round, m->quorum.pass ? "held" : "failed",
			    m->quorum.t, m->quorum.ready, m->quorum.needed);
		return;
	}
	if (training(d)) {
		dash_say(d, SLOT_DIM, "no %s of %s before its end (a training"
		    " run does not go back)", go_what[d->go_kind],
		    m->spec->name);
		return;
	}
	for (int i = 0; i < d->nm; i++)
		if (d->m[i].events != d->go_from[i] &&
		    replay_events(d, i, d->go_from[i]) != 0)
			return;
	rewound(d, latest(d));
	dash_say(d, SLOT_WARNING, "no %s of %s from here to its end: stayed"
	    " at t=%.1f ms", go_what[d->go_kind], m->spec->name, d->now);
}

/*
 * After model i stepped: if it was simulated again and has caught up
 * with the recorded engine, that one takes over (stepped to the same
 * event, its events already seen: muted for the dashboard).
 */
void
dash_rejoin_live(struct dash *d, int i)
{
	struct dash_model *m = &d->m[i];

	if (m->live == NULL || m->events < m->live_events)
		return;
	m->mute = 1;
	while (m->live_events < m->events && sim_step(m->live))
		m->live_events++;
	m->mute = 0;
	sim_free(m->sim);
	m->sim = m->live;
	m->live = NULL;
}
