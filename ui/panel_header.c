/*
 * The header line (run, config, seed, simulated time, round, speed,
 * paused or running, focus model, events) and the key bar at the bottom,
 * whose keys can be clicked.
 */
#include <stdio.h>
#include <string.h>

#include "dash.h"
#include "keys.h"
#include "tty.h"

struct item {
	char		text[96];
	int		prio;		/* lower: kept first when narrow */
	enum theme_slot	slot;
};

static const char *
base(const char *path)
{
	const char *s;

	if (path == NULL)
		return ("");
	return ((s = strrchr(path, '/')) != NULL ? s + 1 : path);
}

static void
header_draw(struct dash *d, const struct rect *r)
{
	struct dash_model	*f = &d->m[d->focus];
	struct item		 it[9];
	char			 going[96];
	const char		*state;
	double			 sp = dash_speed(d);
	int			 n = 0, x, used, keep[9] = { 0 };

	if (d->going) {
		char	to[80];

		snprintf(going, sizeof going, "GOING to %s", dash_go_target(d,
		    to, sizeof to));
		state = going;
	}
	else if (d->finished)
		state = "DONE";
	else if (d->paused)
		state = "PAUSED";
	else
		state = d->behind ? "RUNNING (behind)" : "RUNNING";
#define ITEM(p, s, ...) do {						\
	snprintf(it[n].text, sizeof it[n].text, __VA_ARGS__);		\
	it[n].prio = (p);						\
	it[n].slot = (s);						\
	n++;								\
} while (0)
	ITEM(3, SLOT_HEADER, "%s", d->o.title && *d->o.title ? d->o.title :
	    "fastsync");
	ITEM(8, SLOT_TEXT, "%s", base(d->o.config_name));
	ITEM(7, SLOT_TEXT, "seed %llu", (unsigned long long)d->cf->seed);
	ITEM(0, SLOT_HEADER, "t=%.1f ms", d->now);
	ITEM(1, SLOT_TEXT, "round %d/%d", sim_rounds_done(f->sim),
	    d->cf->rounds);
	if (sp > 0)
		ITEM(4, SLOT_TEXT, "%g ms/s", sp);
	else
		ITEM(4, SLOT_TEXT, "max speed");
	ITEM(2, d->paused || d->finished ? SLOT_WARNING : SLOT_QUORUM_MET,
	    "%s", state);
	ITEM(5, SLOT_SELECTED, "focus %s", f->spec->name);
	ITEM(6, SLOT_DIM, "ev %llu", (unsigned long long)d->events);
#undef ITEM
	/* keep items by priority while they fit, show them in order */
	used = 0;
	for (int p = 0, full = 0; p < 9 && !full; p++)
		for (int i = 0; i < n && !full; i++) {
			if (it[i].prio != p)
				continue;
			if (used + (int)strlen(it[i].text) + 3 > r->w)
				full = 1;
			else {
				keep[i] = 1;
				used += (int)strlen(it[i].text) + 3;
			}
		}
	tty_blank(r->y, r->x, r->w);
	x = r->x;
	for (int i = 0; i < n; i++) {
		if (!keep[i])
			continue;
		if (x > r->x)
			x += tty_put(r->y, x, r->x + r->w - x, SLOT_BORDER,
			    tty_utf8() ? " \u2502 " : " | ");
		x += tty_put(r->y, x, r->x + r->w - x, it[i].slot,
		    it[i].text);
	}
}

const struct panel_ops panel_header_ops = { "header", header_draw };

/* The bar: each key and its word (keys.c lays it out). */
static void
bar_draw(struct dash *d, const struct rect *r)
{
	struct keys_bar_item	it[KEYS_BAR_MAX];
	int			x = r->x, n;

	tty_blank(r->y, r->x, r->w);
	d->nkeys = 0;
	if (d->mode == MODE_PROMPT || d->mode == MODE_SEARCH) {
		x += tty_put(r->y, x, r->w, SLOT_KEY, d->mode == MODE_PROMPT ?
		    "go to (round 150, time 12.5s or 800ms; earlier goes"
		    " back), Enter/Esc: " : d->prompt_for == '&' ?
		    "show only (w3, quorum, sync, late, a text; empty: all): " :
		    "search the log for: ");
		tty_put(r->y, x, r->x + r->w - x, SLOT_TEXT, d->input);
		return;
	}
	if (d->msg_on) {
		/* the status line: a message until the next key, then keys */
		x += tty_put(r->y, x, r->w, d->msg_slot, d->message);
		if (x + 2 >= r->x + r->w)
			return;
		x += 2;
	}
	{
		struct rect rest = { x, r->y, r->x + r->w - x, 1 };

		n = keys_bar(d, &rest, it);
	}
	for (int i = 0; i < n; i++) {
		x = it[i].x;
		x += tty_put(r->y, x, r->w, SLOT_KEY, it[i].key);
		x += tty_put(r->y, x, r->w, SLOT_TEXT, " ");
		x += tty_put(r->y, x, r->w, SLOT_DIM, it[i].word);
		tty_put(r->y, x, 1, SLOT_TEXT, " ");
	}
}

const struct panel_ops panel_bar_ops = { "bar", bar_draw };
