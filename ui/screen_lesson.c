/*
 * A lesson's box (lesson.c plays the lesson): its title and step, the
 * explanation wrapped, what the keys do, and a mark on the border of the
 * panel it points at. The box goes in the other column, so the panel it
 * explains stays in view.
 */
#include <stdio.h>
#include <string.h>

#include "dash.h"
#include "lesson.h"
#include "tty.h"
#include "widgets.h"

static const struct rect *
panel(const struct dash *d, enum lesson_panel p)
{
	const struct rect *r[] = { [LP_WORKERS] = &d->lay.workers,
	    [LP_QUORUM] = &d->lay.quorum, [LP_MODELS] = &d->lay.models,
	    [LP_CHARTS] = &d->lay.charts, [LP_DAG] = &d->lay.dag,
	    [LP_LOG] = &d->lay.log };

	return (p == LP_NONE || r[p]->h == 0 ? NULL : r[p]);
}

void
screen_lesson(struct dash *d)
{
	const struct lesson	*l = d->lesson;
	const struct lesson_step *st;
	const struct rect	*p;
	struct rect		 box;
	char			 title[160], text[2048], part[512];
	int			 start[40], len[40], n, last;

	if (l == NULL)
		return;
	st = l->cur >= 0 ? &l->step[l->cur] : NULL;
	p = st != NULL ? panel(d, st->panel) : NULL;
	/* the other column from the panel it points at */
	box.w = d->lay.models.w > 40 ? d->lay.models.w : d->cols - 4;
	box.x = p != NULL && p->x >= d->lay.models.x ? 0 : d->cols - box.w;
	lesson_text(d, text, sizeof text);
	if ((n = widget_wrap(text, box.w - 4, start, len, 40)) > 40)
		n = 40;
	box.h = n + 5;
	if (box.h > d->lines - 3)
		box.h = d->lines - 3;
	box.y = d->lines - 1 - box.h;
	for (int k = 0; k < box.h; k++)
		tty_blank(box.y + k, box.x, box.w);
	if (st == NULL)
		snprintf(title, sizeof title, "lesson %s: %s", l->name,
		    l->title);
	else
		snprintf(title, sizeof title, "lesson %s, step %d of %d%s%s",
		    l->name, l->cur + 1, l->nsteps, st->title != NULL ? ": " :
		    "", st->title != NULL ? st->title : "");
	tty_box(&box, title, 1);
	for (int k = 0; k < n && 1 + k < box.h - 3; k++) {
		snprintf(part, sizeof part, "%.*s", len[k], text + start[k]);
		tty_put(box.y + 1 + k, box.x + 2, box.w - 4, SLOT_TEXT, part);
	}
	last = l->cur + 1 >= l->nsteps;
	snprintf(part, sizeof part, "%s  Esc: close (L: again)  q: quit",
	    last ? "Spc: end the lesson" : "Spc: next step");
	tty_put(box.y + box.h - 2, box.x + 2, box.w - 4, SLOT_KEY, part);
	if (p != NULL) {
		snprintf(part, sizeof part, " %s the %s panel: look here %s ",
		    tty_utf8() ? "\u25b6" : ">", lesson_panel_name(st->panel),
		    tty_utf8() ? "\u25c0" : "<");
		tty_put(p->y + p->h - 1, p->x + 2, p->w - 4, SLOT_SELECTED,
		    part);
		snprintf(part, sizeof part, "(see the %s panel, marked)",
		    lesson_panel_name(st->panel));
		tty_put(box.y + box.h - 3, box.x + 2, box.w - 4, SLOT_DIM,
		    part);
	}
}
