/*
 * The quorum rule's panel (DESIGN.md section 3) for FastSync or the
 * quorum model, in sentences that wrap into the room there is (one that
 * does not fit whole is left out, never cut): the clusters, the round
 * being synced and the point tried, the plan's inputs as it was decided
 * (C2's predicted ready times, their mean and sd, ts1 = mean + sd), the
 * gradients at the PS against the quorum (fresh and deferred apart),
 * who is missing, the last check and what it led to, the counters.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "model.h"
#include "tty.h"
#include "widgets.h"
#include "xmalloc.h"

struct pen {
	int	x, y, w, bottom;
};

/*
 * A sentence, wrapped (its later lines indented by one), if it fits
 * whole; returns 1 if drawn.
 */
static int
say(struct pen *p, enum theme_slot slot, const char *text)
{
	int	start[16], len[16], n = widget_wrap(text, p->w - 1, start, len,
		    16);
	char	part[1024];

	if (n == 0 || n > 16 || p->y + n > p->bottom)
		return (0);
	for (int k = 0; k < n; k++) {
		snprintf(part, sizeof part, "%.*s", len[k], text + start[k]);
		tty_put(p->y++, p->x + (k > 0), p->w - (k > 0), slot, part);
	}
	return (1);
}

static const char *
pname(int point)
{
	return (sim_point_name((enum sim_point)point));
}

/* Append to buf what it can hold. */
static void
cat(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
cat(char *buf, size_t len, const char *fmt, ...)
{
	size_t	at = strlen(buf);
	va_list	ap;

	if (at + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + at, len - at, fmt, ap);
	va_end(ap);
}

/* The workers of side's label with their ready times: "w1 801.2 pred". */
static void
members(const struct dash_model *m, int nw, const struct sim_plan_view *v,
    const struct sim_plan_worker *w, int side, char *buf, size_t len)
{
	for (int i = 0; i < nw; i++) {
		if (w[i].label != v->side[side].label || w[i].known ==
		    SIM_KNOWN_ABSENT)
			continue;
		if (w[i].known == SIM_KNOWN_AT_PS)
			cat(buf, len, " w%d in %.1f,", i, w[i].t);
		else if (w[i].known == SIM_KNOWN_PREDICTED)
			cat(buf, len, " w%d pred %.1f,", i, w[i].t);
		else
			cat(buf, len, " w%d not reported,", i);
	}
	(void)m;
	if (strlen(buf) > 0 && buf[strlen(buf) - 1] == ',')
		buf[strlen(buf) - 1] = '.';
}

/* How the point being tried was decided, from the plan's snapshot. */
static void
inputs(struct dash *d, struct dash_model *m, struct pen *p)
{
	const struct sim_plan_view	*v = &m->plan;
	int				 side = v->point == SP_TS3 ? 0 : 1;
	const struct sim_plan_side	*s = &v->side[side];
	char				 buf[1024];

	if (v->point != SP_TS1 && v->point != SP_TS2 && v->point != SP_TS3)
		return;
	snprintf(buf, sizeof buf, "%s = %s's mean %.1f + sd %.1f = %.1f,"
	    " from %d of %d members' ready times known at t=%.1f", pname(
	    v->point), side ? "C2" : "C1", s->mean, s->sd, s->mean + s->sd,
	    s->known, s->members, m->plan_t);
	if (s->label != side)
		snprintf(buf, sizeof buf, "%s = mean %.1f + sd %.1f = %.1f of"
		    " the one cluster's (%s, serving as C1 and C2) ready times,"
		    " %d of %d known at t=%.1f", pname(v->point), s->mean, s->sd,
		    s->mean + s->sd, s->label == LABEL_C1 ? "C1" : "C2",
		    s->known, s->members, m->plan_t);
	if (v->at > s->mean + s->sd + 1e-9)
		cat(buf, sizeof buf, "; planned at t=%.1f (%s)", v->at,
		    v->point == SP_TS2 ? "C1's early local task, or the past"
		    " moved to now + local_ms" : "it was past: now +"
		    " local_ms");
	cat(buf, sizeof buf, ":");
	members(m, d->cf->workers, v, m->plan_w, side, buf, sizeof buf);
	say(p, SLOT_TEXT, buf);
}

/* Who is not at the PS now, and what the model knows of them. */
static void
missing_now(struct dash *d, struct dash_model *m, struct pen *p,
    const struct sim_plan_worker *w)
{
	static const char *const lab[] = { "noise", "C1", "C2" };
	char	buf[1024] = "missing:";
	int	n = 0;

	for (int i = 0; i < d->cf->workers; i++) {
		if (w[i].known == SIM_KNOWN_AT_PS || w[i].known ==
		    SIM_KNOWN_ABSENT)
			continue;
		n++;
		if (!sim_clusters(m->sim))
			cat(buf, sizeof buf, " w%d", i);
		else if (w[i].known == SIM_KNOWN_PREDICTED)
			cat(buf, sizeof buf, " w%d (%s, due %.1f)", i,
			    lab[w[i].label + 1], w[i].t);
		else
			cat(buf, sizeof buf, " w%d (%s)", i,
			    lab[w[i].label + 1]);
	}
	if (n > 0)
		say(p, SLOT_DIM, buf);
}

/* The last check: what held or not, who was missing, what came next. */
static void
last_check(struct dash *d, struct dash_model *m, struct pen *p)
{
	const struct sim_event	*q = &m->quorum;
	char			 buf[1024];

	if (!m->have_quorum)
		return;
	snprintf(buf, sizeof buf, "last check: %s for round %d at t=%.1f %s:"
	    " %d ready %s %d needed", pname(q->point), q->round, q->t,
	    q->pass ? "held" : "failed", q->ready, q->pass ? ">=" : "<",
	    q->needed);
	if (!q->pass) {
		int n = 0;

		cat(buf, sizeof buf, "; missing");
		for (int i = 0; i < d->cf->workers; i++)
			if (m->chk_w[i].known != SIM_KNOWN_AT_PS &&
			    m->chk_w[i].known != SIM_KNOWN_ABSENT && n++ < 12)
				cat(buf, sizeof buf, " w%d", i);
		if (n > 12)
			cat(buf, sizeof buf, " and %d more", n - 12);
		cat(buf, sizeof buf, "; so %s", dash_after_fail(q->point));
	}
	say(p, q->pass ? SLOT_QUORUM_MET : SLOT_QUORUM_SHORT, buf);
}

/* The gauge line: ready of present, needed, fresh and deferred. */
static void
gauge(struct pen *p, const struct sim_plan_view *v)
{
	char	text[128], g[1024];
	int	at;

	if (p->y >= p->bottom)
		return;
	snprintf(text, sizeof text, "ready %d/%d need %d (%d fresh, %d"
	    " deferred) ", v->ready, v->present, v->needed, v->fresh,
	    v->deferred);
	if ((int)strlen(text) > p->w)
		snprintf(text, sizeof text, "ready %d/%d need %d ", v->ready,
		    v->present, v->needed);
	at = p->x + tty_put(p->y, p->x, p->w, v->ready >= v->needed ?
	    SLOT_QUORUM_MET : SLOT_QUORUM_SHORT, text);
	if (p->x + p->w - at >= 4) {
		widget_gauge(g, sizeof g, v->ready, v->needed, v->present,
		    p->x + p->w - at, tty_utf8());
		tty_put(p->y, at, p->x + p->w - at, SLOT_GAUGE, g);
	}
	p->y++;
}

static void
quorum_draw(struct dash *d, const struct rect *r)
{
	int			 fi = dash_focus_quorum(d);
	struct dash_model	*m;
	struct sim_plan_view	 v;
	struct sim_plan_worker	*w;
	struct pen		 p = { r->x + 1, r->y + 1, r->w - 2,
				    r->y + r->h - 1 };
	char			 title[160], params[96], buf[1024];

	if (fi < 0 || r->h < 3)
		return;
	m = &d->m[fi];
	model_label(m->spec, params, sizeof params);
	snprintf(title, sizeof title, "%s: %s (%s)", sim_clusters(m->sim) ?
	    "clusters & quorum" : "quorum", m->spec->name, params);
	tty_box(r, title, 0);
	w = xcalloc((size_t)d->cf->workers, sizeof *w);
	sim_plan_view(m->sim, &v, w);
	if (sim_clusters(m->sim)) {
		snprintf(buf, sizeof buf, "C1 %d  C2 %d  noise %d | ",
		    m->csize[1], m->csize[2], m->csize[0]);
		if (m->cluster_t >= 0)
			cat(buf, sizeof buf, "clustered before round %d,"
			    " t=%.1f", m->cluster_round, m->cluster_t);
		else
			cat(buf, sizeof buf, "not clustered yet (round 0"
			    " falls back)");
		say(&p, SLOT_TEXT, buf);
	}
	if (sim_done(m->sim))
		snprintf(buf, sizeof buf, "every round synced");
	else if (v.point == SP_NONE)
		snprintf(buf, sizeof buf, "round %d: waiting for every C2"
		    " member's progress report to predict ts1 (%d of %d"
		    " known)", v.round, v.side[1].known, v.side[1].members);
	else if (v.point == SP_FALLBACK || v.point == SP_QUORUM)
		snprintf(buf, sizeof buf, "round %d: %s, syncs at the %d-th"
		    " gradient%s", v.round, v.point == SP_FALLBACK ?
		    "fallback" : "quorum", v.needed, v.point == SP_FALLBACK &&
		    m->cluster_t < 0 ? " (no clusters yet)" : "");
	else
		snprintf(buf, sizeof buf, "round %d: trying %s at t=%.1f (in"
		    " %.1f ms)", v.round, pname(v.point), v.at, v.at - d->now);
	say(&p, SLOT_TEXT, buf);
	gauge(&p, &v);
	/* by importance: a sentence that does not fit whole is left out */
	last_check(d, m, &p);
	if (!sim_done(m->sim)) {
		inputs(d, m, &p);
		missing_now(d, m, &p, w);
	}
	snprintf(buf, sizeof buf, "so far: notified %llu, local tasks pulled"
	    " forward %llu, late %llu, dropped %llu", (unsigned long long)
	    m->notified, (unsigned long long)m->pulled,
	    (unsigned long long)m->late, (unsigned long long)m->dropped);
	say(&p, SLOT_DIM, buf);
	free(w);
}

const struct panel_ops panel_quorum_ops = { "quorum", quorum_draw };
