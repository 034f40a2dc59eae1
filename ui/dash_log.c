/*
 * The event log: its lines (a ring of DASH_LOG, kept in time order when
 * a model is simulated again), the status line, and the log screen's
 * filter ('&': one worker's lines, "w3", one kind's, "quorum", or a
 * text) and search ('/', n, N). No curses, so key handling (and its
 * test) needs none.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dash.h"
#include "xmalloc.h"

/*
 * Add a line to the event log (model -1: the dashboard's own; ev, if
 * not NULL, gives its time, worker and kind for the log's filter).
 */
static void
log_line(struct dash *d, int model, const struct sim_event *ev,
    enum theme_slot slot, const char *fmt, va_list ap)
{
	struct dash_line *l = &d->log[(d->loghead + d->nlog) % DASH_LOG];

	if (d->nlog == DASH_LOG)
		d->loghead = (d->loghead + 1) % DASH_LOG;
	else
		d->nlog++;
	l->t = ev != NULL ? ev->t : d->now;
	l->model = model;
	l->worker = ev != NULL ? ev->worker : -1;
	l->kind = ev != NULL ? (int)ev->type : -1;
	l->slot = slot;
	vsnprintf(l->text, sizeof l->text, fmt, ap);
}

void
dash_logf(struct dash *d, int model, const struct sim_event *ev,
    enum theme_slot slot, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_line(d, model, ev, slot, fmt, ap);
	va_end(ap);
}

static void
status_v(struct dash *d, enum theme_slot slot, const char *fmt, va_list ap)
{
	vsnprintf(d->message, sizeof d->message, fmt, ap);
	d->msg_slot = slot;
	d->msg_on = 1;
}

/* A message for the status line only (until the next key). */
void
dash_status(struct dash *d, enum theme_slot slot, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	status_v(d, slot, fmt, ap);
	va_end(ap);
}

/* A message for the status line, also kept in the log. */
void
dash_say(struct dash *d, enum theme_slot slot, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	status_v(d, slot, fmt, ap);
	va_end(ap);
	dash_logf(d, -1, NULL, slot, "%s", d->message);
}

/* Forget model i's lines (it is simulated again from the start). */
void
dash_log_drop(struct dash *d, int i)
{
	int	n = 0;

	for (int k = 0; k < d->nlog; k++) {
		struct dash_line *l = &d->log[(d->loghead + k) % DASH_LOG];

		if (l->model != i)
			d->log[(d->loghead + n++) % DASH_LOG] = *l;
	}
	d->nlog = n;
}

struct line_key {
	double	t;
	int	k;
};

static int
by_time(const void *a, const void *b)
{
	const struct line_key *x = a, *y = b;

	if (x->t != y->t)
		return (x->t < y->t ? -1 : 1);
	return (x->k - y->k);
}

/* The log in time order again, after a model's lines were made anew. */
void
dash_log_sort(struct dash *d)
{
	struct line_key		*key = xcalloc((size_t)d->nlog + 1, sizeof *key);
	struct dash_line	*l = xcalloc((size_t)d->nlog + 1, sizeof *l);

	for (int k = 0; k < d->nlog; k++) {
		key[k].t = d->log[(d->loghead + k) % DASH_LOG].t;
		key[k].k = k;
	}
	qsort(key, (size_t)d->nlog, sizeof *key, by_time);
	for (int k = 0; k < d->nlog; k++)
		l[k] = d->log[(d->loghead + key[k].k) % DASH_LOG];
	for (int k = 0; k < d->nlog; k++)
		d->log[(d->loghead + k) % DASH_LOG] = l[k];
	free(l);
	free(key);
}

/* Line k of the log, 0 the oldest kept. */
const struct dash_line *
dash_log_line(const struct dash *d, int k)
{
	return (&d->log[(d->loghead + k) % DASH_LOG]);
}

static const struct dash_line *
line_at(const struct dash *d, int k)
{
	return (dash_log_line(d, k));
}

/* Case-blind: does text contain s? */
static int
contains(const char *text, const char *s)
{
	size_t	n = strlen(s);

	for (; *text != '\0'; text++)
		if (strncasecmp(text, s, n) == 0)
			return (1);
	return (n == 0);
}

/* Whether line l passes the '&' filter: "w3", a kind, or a text. */
static int
passes(const struct dash *d, const struct dash_line *l)
{
	const char	*f = d->filter;
	char		*end;
	long		 w;

	if (f[0] == '\0')
		return (1);
	if (f[0] == 'w' && isdigit((unsigned char)f[1])) {
		w = strtol(f + 1, &end, 10);
		if (*end == '\0')
			return (l->worker == w);
	}
	for (int k = 0; k < SIM_EV_NTYPES; k++)
		if (strcmp(f, sim_event_name((enum sim_event_type)k)) == 0)
			return (l->kind == k);
	return (contains(l->text, f));
}

/*
 * The lines shown, oldest first, as log indexes; returns how many. The
 * panel (focus_only) shows the focus model's, the screen the filter's.
 */
int
dash_log_shown(const struct dash *d, int *idx, int focus_only)
{
	int	n = 0;

	for (int k = 0; k < d->nlog; k++) {
		const struct dash_line *l = line_at(d, k);

		if (focus_only && l->model != d->focus && l->model != -1)
			continue;
		if (!focus_only && !passes(d, l))
			continue;
		idx[n++] = k;
	}
	return (n);
}

/*
 * '/' (dir 0: from the newest line shown), 'n' (1: the next match back
 * in time) and 'N' (-1: forward): the line found is highlighted and
 * scrolled to the bottom of the screen.
 */
void
dash_log_find(struct dash *d, int dir)
{
	static int	idx[DASH_LOG];
	int		n = dash_log_shown(d, idx, 0), from = n - 1 - d->log_scroll;

	for (int j = 0; j < n; j++)
		if (idx[j] == d->log_match && dir != 0)
			from = j - dir;
	for (int j = from; j >= 0 && j < n; j -= dir != 0 ? dir : 1)
		if (contains(line_at(d, idx[j])->text, d->search)) {
			d->log_match = idx[j];
			d->log_scroll = n - 1 - j;
			dash_status(d, SLOT_TEXT, "'%s': line %d of %d", d->search,
			    j + 1, n);
			return;
		}
	dash_status(d, SLOT_WARNING, "'%s': no more matches %s", d->search,
	    dir < 0 ? "forward" : "back in the log");
}
