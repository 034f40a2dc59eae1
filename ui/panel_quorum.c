/*
 * The quorum rule's panel (DESIGN.md section 3) for FastSync or the
 * quorum model, in sentences that wrap into the room there is (short of
 * rows, the least important are left out whole, never cut): the clusters, the round
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
 * The panel's sentences, gathered first and drawn in their order once
 * the least important have been left out until the rest fit whole.
 */
#define ITEMS		8
#define ITEM_LINES	16

enum item_kind { IT_TEXT, IT_GAUGE };

struct item {
	enum item_kind	kind;
	enum theme_slot	slot;
	int		prio;		/* 0: kept longest */
	int		lines;		/* wrapped into the panel's width */
	char		text[1024];
};

struct items {
	struct item	it[ITEMS];
	int		n;
};

/* Lines text takes wrapped at width (later lines indented by one). */
static int
lines_of(const char *text, int w)
{
	int	start[ITEM_LINES], len[ITEM_LINES];

	return (widget_wrap(text, w - 1, start, len, ITEM_LINES));
}

static struct item *
add(struct items *is, enum item_kind kind, enum theme_slot slot, int prio)
{
	struct item *it = &is->it[is->n++];

	it->kind = kind;
	it->slot = slot;
	it->prio = prio;
	it->text[0] = '\0';
	return (it);
}

/* A sentence, wrapped (its later lines indented by one). */
static void
say(struct pen *p, enum theme_slot slot, const char *text)
{
	int	start[ITEM_LINES], len[ITEM_LINES];
	int	n = widget_wrap(text, p->w - 1, start, len, ITEM_LINES);
	char	part[1024];

	for (int k = 0; k < n && k < ITEM_LINES && p->y < p->bottom; k++) {
		snprintf(part, sizeof part, "%.*s", len[k], text + start[k]);
		tty_put(p->y++, p->x + (k > 0), p->w - (k > 0), slot, part);
	}
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
inputs(struct dash *d, struct dash_model *m, struct items *is)
{
	const struct sim_plan_view	*v = &m->plan;
	int				 side = v->point == SP_TS3 ? 0 : 1;
	const struct sim_plan_side	*s = &v->side[side];
	char				*buf;

	if (v->point != SP_TS1 && v->point != SP_TS2 && v->point != SP_TS3)
		return;
	buf = add(is, IT_TEXT, SLOT_TEXT, 4)->text;
	snprintf(buf, 1024, "%s = %s's mean %.1f + sd %.1f = %.1f,"
	    " from %d of %d members' ready times known at t=%.1f", pname(
	    v->point), side ? "C2" : "C1", s->mean, s->sd, s->mean + s->sd,
	    s->known, s->members, m->plan_t);
	if (s->label != side)
		snprintf(buf, 1024, "%s = mean %.1f + sd %.1f = %.1f of"
		    " the one cluster's (%s, serving as C1 and C2) ready times,"
		    " %d of %d known at t=%.1f", pname(v->point), s->mean, s->sd,
		    s->mean + s->sd, s->label == LABEL_C1 ? "C1" : "C2",
		    s->known, s->members, m->plan_t);
	if (v->at > s->mean + s->sd + 1e-9)
		cat(buf, 1024, "; planned at t=%.1f (%s)", v->at,
		    v->point == SP_TS2 ? "C1's early local task, or the past"
		    " moved to now + local_ms" : "it was past: now +"
		    " local_ms");
	cat(buf, 1024, ":");
	members(m, d->cf->workers, v, m->plan_w, side, buf, 1024);
}

/* Who is not at the PS now, and what the model knows of them. */
static void
missing_now(struct dash *d, struct dash_model *m, struct items *is,
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
		snprintf(add(is, IT_TEXT, SLOT_DIM, 5)->text, 1024, "%s", buf);
}

/*
 * The last check: what held or not, who was missing (by name, as many
 * as leave the sentence room in rows lines), what came next.
 */
static void
last_check(struct dash *d, struct dash_model *m, struct items *is, int w,
    int rows)
{
	const struct sim_event	*q = &m->quorum;
	char			*buf;

	if (!m->have_quorum)
		return;
	buf = add(is, IT_TEXT, q->pass ? SLOT_QUORUM_MET : SLOT_QUORUM_SHORT,
	    0)->text;
	for (int cap = 32; cap >= 2; cap /= 2) {
		int n = 0;

		snprintf(buf, 1024, "last check: %s for round %d at t=%.1f %s:"
		    " %d ready %s %d needed", pname(q->point), q->round, q->t,
		    q->pass ? "held" : "failed", q->ready, q->pass ? ">=" : "<",
		    q->needed);
		if (q->pass)
			return;
		cat(buf, 1024, "; missing");
		for (int i = 0; i < d->cf->workers; i++)
			if (m->chk_w[i].known != SIM_KNOWN_AT_PS &&
			    m->chk_w[i].known != SIM_KNOWN_ABSENT && n++ < cap)
				cat(buf, 1024, " w%d", i);
		if (n > cap)
			cat(buf, 1024, " and %d more", n - cap);
		cat(buf, 1024, "; so %s", dash_after_fail(q->point));
		if (n <= cap / 2 || lines_of(buf, w) <= rows)
			return;
	}
}

/* The gauge line's words: ready of present, needed, fresh, deferred. */
static void
gauge_text(struct item *it, const struct sim_plan_view *v, int w)
{
	snprintf(it->text, sizeof it->text, "ready %d/%d need %d (%d fresh,"
	    " %d deferred) ", v->ready, v->present, v->needed, v->fresh,
	    v->deferred);
	if ((int)strlen(it->text) > w)
		snprintf(it->text, sizeof it->text, "ready %d/%d need %d ",
		    v->ready, v->present, v->needed);
	it->slot = v->ready >= v->needed ? SLOT_QUORUM_MET :
	    SLOT_QUORUM_SHORT;
}

/* The gauge line: its words, then the gauge in what is left. */
static void
gauge(struct pen *p, const struct item *it, const struct sim_plan_view *v)
{
	char	g[1024];
	int	at;

	if (p->y >= p->bottom)
		return;
	at = p->x + tty_put(p->y, p->x, p->w, it->slot, it->text);
	if (p->x + p->w - at >= 4) {
		widget_gauge(g, sizeof g, v->ready, v->needed, v->present,
		    p->x + p->w - at, tty_utf8());
		tty_put(p->y, at, p->x + p->w - at, SLOT_GAUGE, g);
	}
	p->y++;
}

/*
 * Leave out the least important items (the highest prio, the later of
 * equals) until the rest fit in rows; an item that cannot fit at all
 * goes too.
 */
static void
fit(struct items *is, int w, int rows)
{
	int	total = 0;

	for (int k = 0; k < is->n; k++) {
		struct item *it = &is->it[k];

		it->lines = it->kind == IT_GAUGE ? 1 : lines_of(it->text, w);
		if (it->lines > ITEM_LINES || it->lines > rows)
			it->lines = -1;
		else
			total += it->lines;
	}
	while (total > rows) {
		int worst = -1;

		for (int k = 0; k < is->n; k++)
			if (is->it[k].lines >= 0 && (worst < 0 ||
			    is->it[k].prio >= is->it[worst].prio))
				worst = k;
		total -= is->it[worst].lines;
		is->it[worst].lines = -1;
	}
}

/*
 * By importance (an item left out whole when short of rows): the last
 * check, the gauge, the round and point being tried, the clusters, the
 * plan's inputs, who is missing now, the counters.
 */
static void
quorum_draw(struct dash *d, const struct rect *r)
{
	int			 fi = dash_focus_quorum(d);
	struct dash_model	*m;
	struct sim_plan_view	 v;
	struct sim_plan_worker	*w;
	struct pen		 p = { r->x + 1, r->y + 1, r->w - 2,
				    r->y + r->h - 1 };
	struct items		 is = { .n = 0 };
	struct item		*it;
	char			 title[160], params[96];
	int			 rows = p.bottom - p.y;

	if (fi < 0 || r->h < 3)
		return;
	m = &d->m[fi];
	model_label(m->spec, params, sizeof params);
	snprintf(title, sizeof title, "%s: %s (%s)", sim_clusters(m->sim) ?
	    "clusters & quorum" : "quorum", m->spec->name, params);
	/* narrow: the same in fewer words (a title is never cut) */
	if ((int)strlen(title) + 6 > r->w)
		snprintf(title, sizeof title, "%s (%s)", m->spec->name, params);
	tty_box(r, title, 0);
	w = xcalloc((size_t)d->cf->workers, sizeof *w);
	sim_plan_view(m->sim, &v, w);
	if (sim_clusters(m->sim)) {
		it = add(&is, IT_TEXT, SLOT_TEXT, 3);
		snprintf(it->text, sizeof it->text, "C1 %d  C2 %d  noise %d | ",
		    m->csize[1], m->csize[2], m->csize[0]);
		if (m->cluster_t >= 0)
			cat(it->text, sizeof it->text, "clustered before round"
			    " %d, t=%.1f", m->cluster_round, m->cluster_t);
		else
			cat(it->text, sizeof it->text, "not clustered yet"
			    " (round 0 falls back)");
	}
	it = add(&is, IT_TEXT, SLOT_TEXT, 2);
	if (sim_done(m->sim))
		snprintf(it->text, sizeof it->text, "every round synced");
	else if (v.point == SP_NONE)
		snprintf(it->text, sizeof it->text, "round %d: waiting for"
		    " every C2 member's progress report to predict ts1 (%d of"
		    " %d known)", v.round, v.side[1].known, v.side[1].members);
	else if (v.point == SP_FALLBACK || v.point == SP_QUORUM)
		snprintf(it->text, sizeof it->text, "round %d: %s, syncs at the"
		    " %d-th gradient%s", v.round, v.point == SP_FALLBACK ?
		    "fallback" : "quorum", v.needed, v.point == SP_FALLBACK &&
		    m->cluster_t < 0 ? " (no clusters yet)" : "");
	else
		snprintf(it->text, sizeof it->text, "round %d: trying %s at"
		    " t=%.1f (in %.1f ms)", v.round, pname(v.point), v.at,
		    v.at - d->now);
	gauge_text(add(&is, IT_GAUGE, SLOT_TEXT, 1), &v, p.w);
	/* the gauge's line is the check's company: its room is the rest */
	last_check(d, m, &is, p.w, rows - 1);
	if (!sim_done(m->sim)) {
		inputs(d, m, &is);
		missing_now(d, m, &is, w);
	}
	it = add(&is, IT_TEXT, SLOT_DIM, 6);
	snprintf(it->text, sizeof it->text, "so far: notified %llu, local"
	    " tasks pulled forward %llu, late %llu, dropped %llu",
	    (unsigned long long)m->notified, (unsigned long long)m->pulled,
	    (unsigned long long)m->late, (unsigned long long)m->dropped);
	fit(&is, p.w, rows);
	for (int k = 0; k < is.n; k++) {
		if (is.it[k].lines < 0)
			continue;
		if (is.it[k].kind == IT_GAUGE)
			gauge(&p, &is.it[k], &v);
		else
			say(&p, is.it[k].slot, is.it[k].text);
	}
	free(w);
}

const struct panel_ops panel_quorum_ops = { "quorum", quorum_draw };
