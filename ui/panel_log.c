/*
 * The event log in words: the panel shows the focus model's newest lines
 * (and the dashboard's own messages); 'l' opens every model's log full
 * screen, scrolling with the arrows, PgUp/PgDn, Home and End (g, G),
 * where '/' searches it (n back, N forward) and '&' shows only one
 * worker's or one kind of event's lines. Lines wrap: a sentence is never
 * cut.
 */
#include <stdio.h>
#include <string.h>

#include "dash.h"
#include "tty.h"
#include "widgets.h"

#define WRAP_MAX	12	/* rows one line may take */

static const struct dash_line *
line_at(const struct dash *d, int k)
{
	return (dash_log_line(d, k));
}

/* The prefix of a line: its time, and in the full log its model. */
static int
prefix(const struct dash *d, const struct dash_line *l, int y, int x, int w,
    int with_model)
{
	int at = x;

	at += tty_printf(y, at, w, SLOT_DIM, with_model ? "t=%9.1f " :
	    "%7.1f ", l->t);
	if (with_model)
		at += tty_printf(y, at, x + w - at, SLOT_TEXT, "%-9.9s ",
		    l->model >= 0 ? d->m[l->model].spec->name : "-");
	return (at - x);
}

/*
 * Lines idx[..last] into r, wrapped under their text, the last at the
 * bottom; those that do not fit above are left out (scroll for them).
 */
static void
draw_lines(const struct dash *d, const struct rect *r, const int *idx,
    int last, int with_model)
{
	int	y = r->y + r->h, pw = with_model ? 22 : 8;
	int	start[WRAP_MAX], len[WRAP_MAX];

	for (int j = last; j >= 0 && y > r->y; j--) {
		const struct dash_line *l = line_at(d, idx[j]);
		enum theme_slot slot = idx[j] == d->log_match && with_model ?
		    SLOT_SELECTED : l->slot;
		int n = widget_wrap(l->text, r->w - pw, start, len, WRAP_MAX);

		if (n > WRAP_MAX)
			n = WRAP_MAX;

		if (n == 0)
			n = 1, start[0] = len[0] = 0;
		/* a line shows whole or not at all; but for the newest,
		 * which gets the room there is and a mark that it goes on */
		if (y - n < r->y && j < last)
			break;
		if (y - n < r->y) {
			n = y - r->y;
			if (n < 1)
				break;
			tty_put(r->y + n - 1, r->x + r->w - 1, 1, SLOT_DIM,
			    tty_utf8() ? "\u2026" : "+");
			len[n - 1] = len[n - 1] > r->w - pw - 1 ? r->w - pw - 1 :
			    len[n - 1];
		}
		for (int k = n - 1; k >= 0; k--) {
			char	part[sizeof l->text];

			--y;
			if (k == 0)
				prefix(d, l, y, r->x, r->w, with_model);
			snprintf(part, sizeof part, "%.*s", len[k],
			    l->text + start[k]);
			tty_put(y, r->x + pw, r->w - pw, slot, part);
		}
	}
}

static void
log_draw(struct dash *d, const struct rect *r)
{
	struct rect	in = { r->x + 1, r->y + 1, r->w - 2, r->h - 2 };
	static int	idx[DASH_LOG];
	char		title[64];
	int		n;

	snprintf(title, sizeof title, "events: %s", d->m[d->focus].spec->name);
	tty_box(r, title, 0);
	if (in.h < 1)
		return;
	n = dash_log_shown(d, idx, 1);
	draw_lines(d, &in, idx, n - 1, 0);
}

const struct panel_ops panel_log_ops = { "log", log_draw };

/* The whole log, every model (filtered), log_scroll lines up from the
 * newest. */
void
screen_log(struct dash *d)
{
	struct rect	r = { 0, 0, d->cols, d->lines - 1 };
	struct rect	in = { 1, 1, d->cols - 2, d->lines - 3 };
	static int	idx[DASH_LOG];
	int		n = dash_log_shown(d, idx, 0);
	char		title[160], what[80] = "";

	if (d->log_scroll > n - 1)
		d->log_scroll = n - 1;
	if (d->log_scroll < 0)
		d->log_scroll = 0;
	if (d->filter[0] != '\0')
		snprintf(what, sizeof what, ", only '%s'", d->filter);
	snprintf(title, sizeof title, "event log, every model (%d of %d lines"
	    "%s; / search, & filter, l or Esc closes)", n, d->nlog, what);
	tty_box(&r, title, 0);
	draw_lines(d, &in, idx, n - 1 - d->log_scroll, 1);
}

