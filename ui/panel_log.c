/*
 * The event log in words: the panel shows the focus model's newest lines
 * (and the dashboard's own messages); 'l' opens every model's log full
 * screen, scrolling with the arrows, PgUp/PgDn, Home and End.
 */
#include <stdio.h>

#include "dash.h"
#include "tty.h"

static const struct dash_line *
line_at(const struct dash *d, int k)
{
	return (&d->log[(d->loghead + k) % DASH_LOG]);
}

static void
draw_line(const struct dash *d, const struct dash_line *l, int y, int x,
    int w, int with_model)
{
	int at = x;

	at += tty_printf(y, at, w, SLOT_DIM, with_model ? "t=%9.1f " :
	    "%7.1f ", l->t);
	if (with_model)
		at += tty_printf(y, at, x + w - at, SLOT_TEXT, "%-9.9s ",
		    l->model >= 0 ? d->m[l->model].spec->name : "-");
	tty_put(y, at, x + w - at, l->slot, l->text);
}

static void
log_draw(struct dash *d, const struct rect *r)
{
	int	x = r->x + 1, w = r->w - 2, h = r->h - 2, y;
	char	title[64];

	snprintf(title, sizeof title, "events: %s", d->m[d->focus].spec->name);
	tty_box(r, title, 0);
	if (h < 1)
		return;
	/* newest at the bottom: walk back until the panel is full */
	y = r->y + r->h - 2;
	for (int k = d->nlog - 1; k >= 0 && y > r->y; k--) {
		const struct dash_line *l = line_at(d, k);

		if (l->model != d->focus && l->model != -1)
			continue;
		draw_line(d, l, y--, x, w, 0);
	}
}

const struct panel_ops panel_log_ops = { "log", log_draw };

/* The whole log, every model, log_scroll lines up from the newest. */
void
screen_log(struct dash *d)
{
	struct rect	r = { 0, 0, d->cols, d->lines - 1 };
	int		h = r.h - 2, first;
	char		title[96];

	if (d->log_scroll > d->nlog - h)
		d->log_scroll = d->nlog - h;
	if (d->log_scroll < 0)
		d->log_scroll = 0;
	first = d->nlog - h - d->log_scroll;
	if (first < 0)
		first = 0;
	snprintf(title, sizeof title, "event log, every model (%d lines;"
	    " arrows/PgUp/PgDn/Home/End scroll, l or Esc closes)", d->nlog);
	tty_box(&r, title, 0);
	for (int k = 0; k < h && first + k < d->nlog; k++)
		draw_line(d, line_at(d, first + k), 1 + k, 1, r.w - 2, 1);
}
