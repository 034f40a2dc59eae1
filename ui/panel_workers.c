/*
 * The focus model's workers: a line of state counts, then one row per
 * worker (state, task, progress, cluster, clock, last update fresh or
 * how stale). When the rows do not fit, a heat strip of every worker
 * (a cell each, or the commonest state of a group of them) comes first
 * and the rows scroll (arrows, PgUp/PgDn, Home/End).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dash.h"
#include "tty.h"
#include "widgets.h"

static const enum theme_slot state_slot[WS_NSTATES] = {
	[WS_COMPUTING] = SLOT_COMPUTING, [WS_LOCAL] = SLOT_LOCAL,
	[WS_PUSHING] = SLOT_PUSHING, [WS_WAITING] = SLOT_WAITING,
	[WS_PULLING] = SLOT_PULLING, [WS_IDLE] = SLOT_IDLE,
	[WS_LEFT] = SLOT_LEFT,
};

/* What waiting means under each model. */
static const char *
state_word(enum worker_state s, const struct sim *sim)
{
	switch (s) {
	case WS_COMPUTING:
		return ("compute");
	case WS_LOCAL:
		return ("local");
	case WS_PUSHING:
		return ("push");
	case WS_WAITING:
		return (sim_wait_word(sim));
	case WS_PULLING:
		return ("pull");
	case WS_IDLE:
		return ("idle");
	default:
		return ("left");
	}
}

static void
legend(struct dash *d, struct dash_model *m, int y, int x, int w)
{
	int	at = x, total = 0;
	char	buf[32], n[16];

	/* whole items only: counts abbreviated when narrow, else marked */
	for (int s = 0; s < WS_NSTATES; s++)
		if (d->in_state[s] > 0 || s == WS_COMPUTING) {
			snprintf(buf, sizeof buf, "%s %d ", state_word(
			    (enum worker_state)s, m->sim), d->in_state[s]);
			total += (int)strlen(buf);
		}
	for (int s = 0; s < WS_NSTATES; s++) {
		if (d->in_state[s] == 0 && s != WS_COMPUTING)
			continue;
		widget_count(n, sizeof n, d->in_state[s], total > w ? 4 : 12);
		snprintf(buf, sizeof buf, "%s %s ", state_word(
		    (enum worker_state)s, m->sim), n);
		if ((int)strlen(buf) - 1 > x + w - at) {
			if (x + w - at >= 1)
				tty_put(y, x + w - 1, 1, SLOT_DIM, ">");
			return;
		}
		at += tty_put(y, at, x + w - at, state_slot[s], buf);
	}
}

/* The commonest state of workers [a, b): a strip cell's colour. */
static enum worker_state
group_state(struct sim *s, int a, int b)
{
	int	count[WS_NSTATES] = { 0 }, best = 0;

	for (int i = a; i < b; i++) {
		struct sim_worker_view v;

		sim_worker(s, i, &v);
		count[v.state]++;
	}
	for (int k = 1; k < WS_NSTATES; k++)
		if (count[k] > count[best])
			best = k;
	return ((enum worker_state)best);
}

static void
strip(struct dash_model *m, int y, int x, int w, int lines)
{
	int	n = sim_workers(m->sim), cells = w * lines;
	int	per = (n + cells - 1) / cells;

	for (int c = 0; c * per < n && c < cells; c++) {
		int a = c * per, b = a + per < n ? a + per : n;
		enum worker_state st = group_state(m->sim, a, b);
		enum theme_slot slot = state_slot[st];

		tty_put(y + c / w, x + c % w, 1, slot, tty_fill(slot,
		    tty_utf8() ? "\u2588" : "#"));
	}
}

/* Columns of a worker's id: "w", its digits and a space, at least 5. */
static int
id_width(int n)
{
	int	digits = 1;

	for (int v = n - 1; v >= 10; v /= 10)
		digits++;
	return (digits + 2 > 5 ? digits + 2 : 5);
}

static void
row(struct dash *d, struct dash_model *m, int i, int y, int x, int w,
    int idw)
{
	struct sim_worker_view	 v;
	const struct dag	*g = &d->cf->dag;
	char			 bar[256], clk[16], upd[32];
	const char		*cl = "-";
	enum theme_slot		 clslot = SLOT_UNCLUSTERED;
	int			 at = x, barw;
	double			 frac = 0;

	sim_worker(m->sim, i, &v);
	if (sim_clusters(m->sim)) {
		switch (m->label[i]) {
		case LABEL_C1:
			cl = "C1";
			clslot = SLOT_C1;
			break;
		case LABEL_C2:
			cl = "C2";
			clslot = SLOT_C2;
			break;
		case LABEL_NOISE:
			cl = "nz";
			clslot = SLOT_NOISE;
			break;
		default:
			break;
		}
	} else if (v.slow) {
		cl = "sl";
		clslot = SLOT_DIM;
	}
	if (v.t_due > v.t_mark)
		frac = (d->now - v.t_mark) / (v.t_due - v.t_mark);
	else if (v.state == WS_IDLE)
		frac = 1;
	barw = w - 36 - idw;
	if (barw > 30)
		barw = 30;
	at += tty_printf(y, at, idw, i == d->sel ? SLOT_SELECTED : SLOT_DIM,
	    "w%-*d", idw - 1, i);
	if (barw >= 3)
		at += tty_printf(y, at, 8, state_slot[v.state], "%-8s",
		    state_word(v.state, m->sim));
	else {
		/* no room for a bar: the state word fills as the task runs */
		char	word[16];
		int	lit = (int)(frac * 7 + 0.5);

		snprintf(word, sizeof word, "%-7s", state_word(v.state,
		    m->sim));
		tty_put(y, at, lit, SLOT_SELECTED, word);
		tty_put(y, at + lit, 7 - lit, state_slot[v.state], word + lit);
		at += 8;
	}
	at += tty_printf(y, at, 9, SLOT_TEXT, "%-8.8s ", v.task >= 0 &&
	    v.task < g->n ? g->tasks[v.task].name : "");
	if (barw >= 3) {
		widget_bar(bar, sizeof bar, frac, barw, tty_utf8());
		at += tty_put(y, at, barw, state_slot[v.state], bar);
		at += tty_put(y, at, 1, SLOT_TEXT, " ");
	}
	at += tty_printf(y, at, 3, clslot, "%-3s", cl);
	widget_count(clk, sizeof clk, v.clock, 5);
	at += tty_printf(y, at, 6, SLOT_TEXT, "%5s ", clk);
	if (v.clock == 0 && v.last_staleness == 0)
		snprintf(upd, sizeof upd, "-");
	else if (v.last_staleness == 0)
		snprintf(upd, sizeof upd, "fresh");
	else {
		/* abbreviated (11.8k), never cut; narrow: the number alone */
		char	n[16];
		int	room = x + w - at;

		widget_count(n, sizeof n, (double)v.last_staleness, room - 6 >=
		    3 ? room - 6 : room > 1 ? room : 1);
		snprintf(upd, sizeof upd, room - 6 >= 3 ? "stale %s" : "%s", n);
	}
	tty_put(y, at, x + w - at, v.last_staleness ? SLOT_STALE :
	    SLOT_FRESH, upd);
}

static void
workers_draw(struct dash *d, const struct rect *r)
{
	struct dash_model	*m = &d->m[d->focus];
	int			 n = sim_workers(m->sim);
	int			 x = r->x + 1, y = r->y + 1, w = r->w - 2;
	int			 h = r->h - 2, rows, slines = 0;
	int			 idw = id_width(n);
	char			 title[96];

	snprintf(title, sizeof title, "workers: %s (%d of %d present)",
	    m->spec->name, sim_present_now(m->sim), n);
	/* narrow: the same in fewer words (a title is never cut) */
	if ((int)strlen(title) + 6 > r->w)
		snprintf(title, sizeof title, "%s: %d/%d present",
		    m->spec->name, sim_present_now(m->sim), n);
	tty_box(r, title, 0);
	if (h < 1 || w < 10)
		return;
	legend(d, m, y, x, w);
	y++;
	h--;
	if (n + 1 > h) {
		/* the strip: up to a third of the room, at least a line */
		slines = (n + w - 1) / w;
		if (slines > h / 3)
			slines = h / 3 > 0 ? h / 3 : 1;
		strip(m, y, x, w, slines);
		y += slines;
		h -= slines;
	}
	if (h < 2)
		return;
	{
		int barw = w - 36 - idw > 30 ? 30 : w - 36 - idw;

		tty_printf(y, x, w, SLOT_TITLE, "%-*s%-8s%-9s%-*.*s%s%-3s%6s%s",
		    idw, "w", "state", "task", barw >= 3 ? barw : 0,
		    barw >= 3 ? barw : 0, "progress", barw >= 3 ? " " : "",
		    "cl", "clock ", "update");
	}
	y++;
	h--;
	rows = h;
	/* the selected worker stays in view */
	if (d->sel >= n)
		d->sel = n - 1;
	if (d->sel < d->worker_scroll)
		d->worker_scroll = d->sel;
	if (d->sel >= d->worker_scroll + rows)
		d->worker_scroll = d->sel - rows + 1;
	if (d->worker_scroll > n - rows)
		d->worker_scroll = n - rows;
	if (d->worker_scroll < 0)
		d->worker_scroll = 0;
	d->rows_y = y;
	d->rows_n = rows < n - d->worker_scroll ? rows : n - d->worker_scroll;
	for (int k = 0; k < rows && d->worker_scroll + k < n; k++)
		row(d, m, d->worker_scroll + k, y + k, x, w, idw);
	if (n > rows) {
		char	pos[48];
		int	len = snprintf(pos, sizeof pos, " %d-%d/%d ",
			    d->worker_scroll + 1, d->worker_scroll + rows, n);

		tty_put(r->y + r->h - 1, r->x + r->w - 2 - len, len, SLOT_DIM,
		    pos);
	}
}

const struct panel_ops panel_workers_ops = { "workers", workers_draw };
