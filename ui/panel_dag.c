/*
 * The task graph in run order, a line per task (kind, time class,
 * dependencies) with how many of the focus model's workers are on it;
 * the busiest task is highlighted. Short of room, one line: a chain.
 */
#include <stdio.h>
#include <string.h>

#include "dash.h"
#include "tty.h"
#include "widgets.h"

static const char *
kind_word(enum task_kind k)
{
	return (k == TASK_ASYNC ? "async" : k == TASK_SYNC ? "sync" : "local");
}

static void
dag_draw(struct dash *d, const struct rect *r)
{
	const struct dag	*g = &d->cf->dag;
	const int		*on = d->on_task;
	int			 busiest = -1;
	int			 x = r->x + 1, y = r->y + 1, w = r->w - 2;
	int			 h = r->h - 2, at;
	char			 buf[160];

	tty_box(r, h < g->n ? "tasks: workers on each (*sync)" :
	    "tasks: workers on each", 0);
	if (h < 1 || w < 10)
		return;
	for (int t = 0; t < g->n; t++)
		if (on[t] > 0 && (busiest < 0 || on[t] > on[busiest]))
			busiest = t;
	if (h < g->n && w / ((g->n + h - 1) / h) >= 12) {
		/* a grid, in run order down the columns */
		int ncol = (g->n + h - 1) / h, colw = w / ncol;

		for (int p = 0; p < g->n; p++) {
			int	t = g->order[p], nw;
			char	n[16];

			/* the count apart from the name, abbreviated (1.2k) */
			widget_count(n, sizeof n, on[t], 4);
			nw = colw - 4 - (int)strlen(n);
			snprintf(buf, sizeof buf, "%c%s%-*.*s %s", t == busiest ?
			    '>' : ' ', g->tasks[t].kind == TASK_SYNC ? "*" :
			    " ", nw, nw, g->tasks[t].name, n);
			tty_put(y + p % h, x + (p / h) * colw, colw - 1,
			    t == busiest ? SLOT_SELECTED : on[t] ? SLOT_TEXT :
			    SLOT_DIM, buf);
		}
		return;
	}
	if (h < g->n) {
		at = x;
		for (int p = 0; p < g->n; p++) {
			int t = g->order[p];

			snprintf(buf, sizeof buf, "%s%s%s %d", p ? (tty_utf8() ?
			    " \u2192 " : " > ") : "", g->tasks[t].kind ==
			    TASK_SYNC ? "[" : "", g->tasks[t].name, on[t]);
			if (g->tasks[t].kind == TASK_SYNC)
				strncat(buf, "]", sizeof buf - strlen(buf) - 1);
			at += tty_put(y, at, x + w - at, t == busiest ?
			    SLOT_SELECTED : on[t] ? SLOT_TEXT : SLOT_DIM, buf);
		}
		return;
	}
	for (int p = 0; p < g->n && p < h; p++) {
		const struct task	*t = &g->tasks[g->order[p]];
		char			 deps[96] = "", num[16];
		int			 ti = g->order[p];

		for (int j = 0; j < t->ndeps; j++) {
			strncat(deps, j ? ", " : "after ", sizeof deps -
			    strlen(deps) - 1);
			strncat(deps, g->tasks[t->deps[j]].name, sizeof deps -
			    strlen(deps) - 1);
		}
		widget_count(num, sizeof num, on[ti], 6);
		snprintf(buf, sizeof buf, "%c %-9.9s %-5s %-17.17s %6s",
		    ti == busiest ? '>' : ' ', t->name, kind_word(t->kind),
		    deps, num);
		tty_put(y + p, x, w, ti == busiest ? SLOT_SELECTED : on[ti] ?
		    SLOT_TEXT : SLOT_DIM, buf);
	}
}

const struct panel_ops panel_dag_ops = { "dag", dag_draw };
