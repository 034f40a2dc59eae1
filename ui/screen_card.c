/*
 * A worker's card (Enter or a click on its row): its speed class, its
 * cluster and why (FastSync: its mean deviation against eps and
 * min_points, as the last clustering saw it), where it is now, its
 * times, and its recent rounds: when its gradient was ready against the
 * sync that applied it, and how stale it was. Drawn over the panels.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dash.h"
#include "tty.h"
#include "widgets.h"

static const char *const label_name[] = { "noise", "C1 (early)",
    "C2 (late)" };

/* Workers whose deviation lies within eps of w's (w included). */
static int
neighbours(const struct dash_model *m, int nw, int w)
{
	int	n = 0;

	for (int i = 0; i < nw; i++)
		if (m->clu_w[i].reports > 0 && fabs(m->clu_w[i].dev -
		    m->clu_w[w].dev) <= m->spec->eps)
			n++;
	return (n);
}

/* Why w is in its cluster: one sentence into buf. */
static void
why(const struct dash *d, const struct dash_model *m, int w, char *buf,
    size_t len)
{
	const struct sim_plan_worker	*c;
	int				 lab = m->label[w];

	if (!sim_clusters(m->sim)) {
		snprintf(buf, len, "%s does not cluster workers.",
		    m->spec->name);
		return;
	}
	if (m->cluster_t < 0 || m->clu_w == NULL) {
		snprintf(buf, len, "Not clustered yet: the first clustering"
		    " comes at the first sync, from the progress reports.");
		return;
	}
	c = &m->clu_w[w];
	if (c->reports == 0) {
		snprintf(buf, len, "Noise: it had sent no progress report when"
		    " the workers were clustered (round %d).",
		    m->cluster_round);
		return;
	}
	if (m->spec->kmeans)
		snprintf(buf, len, "Its mean report delay was %+.2f ms from the"
		    " pivot w%d's over %d reports; 2-means put it in %s.",
		    c->dev, m->clu.pivot, c->reports, label_name[lab + 1]);
	else if (lab == LABEL_NOISE)
		snprintf(buf, len, "Its mean report delay was %+.2f ms from the"
		    " pivot w%d's over %d reports; %d worker(s) lay within eps"
		    " %.2f ms of it, min_points is %d, and no cluster's core"
		    " was that near: noise (a straggler, outside C1 and C2).",
		    c->dev, m->clu.pivot, c->reports, neighbours(m,
		    d->cf->workers, w), m->spec->eps, m->spec->min_points);
	else
		snprintf(buf, len, "Its mean report delay was %+.2f ms from the"
		    " pivot w%d's over %d reports; %d worker(s) lay within eps"
		    " %.2f ms of it (min_points %d): DBSCAN put it in %s.",
		    c->dev, m->clu.pivot, c->reports, neighbours(m,
		    d->cf->workers, w), m->spec->eps, m->spec->min_points,
		    label_name[lab + 1]);
}

/* Text wrapped into rows y.. of width w; returns the rows used. */
static int
para(int y, int x, int w, int rows, enum theme_slot slot, const char *text)
{
	int	start[12], len[12], n = widget_wrap(text, w, start, len, 12);
	char	part[512];

	if (n > 12)
		n = 12;
	for (int k = 0; k < n && k < rows; k++) {
		snprintf(part, sizeof part, "%.*s", len[k], text + start[k]);
		tty_put(y + k, x, w, slot, part);
	}
	return (n < rows ? n : rows);
}

void
screen_card(struct dash *d)
{
	struct dash_model	*m = &d->m[d->focus];
	struct sim_worker_view	 v;
	const struct dash_history *h;
	struct rect		 r;
	int			 w = d->card, x, y, cw, bottom;
	char			 title[128], buf[512], a[32], b[32];

	if (w < 0 || w >= sim_workers(m->sim))
		w = d->card = 0;
	h = &m->hist[w];
	r.w = d->cols - 8 < 96 ? d->cols - 8 : 96;
	r.h = d->lines - 4 < 22 ? d->lines - 4 : 22;
	r.x = (d->cols - r.w) / 2;
	r.y = 2;
	for (int k = 0; k < r.h; k++)
		tty_blank(r.y + k, r.x, r.w);
	snprintf(title, sizeof title, "w%d of %s (j/k: next, Esc closes)", w,
	    m->spec->name);
	tty_box(&r, title, 1);
	x = r.x + 2;
	cw = r.w - 4;
	y = r.y + 1;
	bottom = r.y + r.h - 1;
	sim_worker(m->sim, w, &v);
	snprintf(buf, sizeof buf, "Class: %s. Now: %s, round %d, clock %d,"
	    " computed on v%llu.", v.slow ? "slow (every async task takes"
	    " slow_offset_ms longer)" : "fast", sim_state_name(v.state),
	    v.round, v.clock, (unsigned long long)v.v_read);
	y += para(y, x, cw, bottom - y, SLOT_TEXT, buf);
	if (sim_clusters(m->sim) && y < bottom) {
		int lab = m->label[w] >= -1 ? m->label[w] : -1;

		snprintf(buf, sizeof buf, "Cluster: %s", label_name[lab + 1]);
		tty_put(y++, x, cw, lab == LABEL_C1 ? SLOT_C1 : lab ==
		    LABEL_C2 ? SLOT_C2 : SLOT_NOISE, buf);
	}
	why(d, m, w, buf, sizeof buf);
	if (y < bottom)
		y += para(y, x, cw, bottom - y, SLOT_DIM, buf);
	snprintf(buf, sizeof buf, "Time so far: busy %.1f ms, waiting %.1f"
	    " ms, idle %.1f ms, communicating %.1f ms, away %.1f ms.",
	    v.busy_ms, v.wait_ms, v.idle_ms, v.comm_ms, v.absent_ms);
	if (y < bottom)
		y += para(y, x, cw, bottom - y, SLOT_TEXT, buf);
	if (y + 1 >= bottom)
		return;
	y++;
	tty_printf(y++, x, cw, SLOT_TITLE, "%-7s %-12s %-12s %-9s %s",
	    "round", "ready at", "applied at", "point", "staleness");
	for (int k = 0; k < DASH_HIST && k < h->n && y < bottom; k++) {
		const struct dash_round *e = &h->r[(h->n - 1 - k) % DASH_HIST];
		const char *p = e->point > SP_NONE ? sim_point_name(
		    (enum sim_point)e->point) : "-";

		snprintf(a, sizeof a, "%.1f", e->ready);
		snprintf(b, sizeof b, "%.1f", e->synced);
		if (e->ready < 0)
			strcpy(a, "-");
		if (e->synced < 0)
			strcpy(b, "-");
		if (e->tau < 0)
			snprintf(buf, sizeof buf, "not applied yet");
		else
			snprintf(buf, sizeof buf, "tau %d (%s)", e->tau,
			    e->tau > 0 ? "stale" : "fresh");
		tty_printf(y++, x, cw, e->tau > 0 ? SLOT_STALE : SLOT_TEXT,
		    "%-7d %-12s %-12s %-9s %s", e->round, a, b, p, buf);
	}
	if (h->n == 0 && y < bottom)
		tty_put(y, x, cw, SLOT_DIM, "no gradient yet");
}
