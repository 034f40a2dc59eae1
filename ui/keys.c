/*
 * The dashboard's key bindings (see keys.h), htop's Action.c idea: one
 * table of key, context, action, help text and key-bar label. Dispatch
 * looks keys up here, the help screen and the bar print it (keys_text.c),
 * and tests/test_keys.c holds it against fastsync(1)'s INTERACTIVE KEYS.
 */
#include <stdio.h>
#include <string.h>

#include "dash.h"
#include "keys.h"
#include "lesson.h"

/* How act_scroll moves: lines, pages (2) or to an end (3). */
enum {
	SCROLL_HOME = -3, SCROLL_PGUP = -2, SCROLL_UP = -1,
	SCROLL_DOWN = 1, SCROLL_PGDN = 2, SCROLL_END = 3
};

static enum keys_result
act_quit(struct dash *d, int arg, int key)
{
	(void)d, (void)arg, (void)key;
	return (KEYS_QUIT);
}

static enum keys_result
act_redraw(struct dash *d, int arg, int key)
{
	(void)d, (void)arg, (void)key;
	return (KEYS_REDRAW);
}

static enum keys_result
act_pause(struct dash *d, int arg, int key)
{
	(void)arg, (void)key;
	if (d->finished)
		dash_say(d, SLOT_DIM, "the run is complete: q quits");
	else
		d->paused = !d->paused;
	return (KEYS_DONE);
}

static enum keys_result
act_step(struct dash *d, int arg, int key)
{
	(void)arg, (void)key;
	d->paused = 1;
	if (!dash_step_event(d))
		dash_say(d, SLOT_DIM, "no event left");
	return (KEYS_DONE);
}

static enum keys_result
act_sync(struct dash *d, int arg, int key)
{
	(void)arg, (void)key;
	d->paused = 1;
	dash_step_sync(d);
	return (KEYS_DONE);
}

/* 'c', 'C', 'K': to the focus model's next decision of a kind. */
static enum keys_result
act_seek(struct dash *d, int kind, int key)
{
	(void)key;
	d->paused = 1;
	dash_seek(d, (enum dash_go)kind);
	return (KEYS_DONE);
}

static enum keys_result
act_back(struct dash *d, int arg, int key)
{
	(void)arg, (void)key;
	d->paused = 1;
	dash_step_back(d);
	return (KEYS_DONE);
}

static enum keys_result
act_focus_only(struct dash *d, int arg, int key)
{
	(void)arg, (void)key;
	d->focus_only = !d->focus_only;
	dash_say(d, SLOT_TEXT, "n and b now step %s", d->focus_only ?
	    "only the focus model's events" : "every model's events");
	return (KEYS_DONE);
}

/* One rung up (arg 1) or down (-1) the speed ladder. */
static enum keys_result
act_speed(struct dash *d, int dir, int key)
{
	(void)key;
	if (d->speed + dir >= 0 && d->speed + dir < dash_nspeeds)
		d->speed += dir;
	return (KEYS_DONE);
}

static void
focus(struct dash *d, int i)
{
	d->focus = i;
	d->worker_scroll = 0;
	d->sel = 0;
}

static enum keys_result
act_focus(struct dash *d, int dir, int key)
{
	(void)key;
	focus(d, (d->focus + d->nm + dir) % d->nm);
	return (KEYS_DONE);
}

static enum keys_result
act_theme(struct dash *d, int dir, int key)
{
	(void)key;
	d->theme = (d->theme + d->nthemes + dir) % d->nthemes;
	dash_say(d, SLOT_TEXT, "theme %s", d->themes[d->theme].name);
	return (KEYS_RETHEME);
}

/* Open a screen (help, log, the prompt) from its start, or go back. */
static enum keys_result
act_screen(struct dash *d, int mode, int key)
{
	(void)key;
	d->mode = (enum dash_mode)mode;
	if (mode == MODE_HELP)
		d->help_scroll = 0;
	else if (mode == MODE_LOG)
		d->log_scroll = 0;
	else if (mode == MODE_PROMPT || mode == MODE_SEARCH)
		d->input[0] = '\0';
	else if (mode == MODE_CARD)
		d->card = d->sel;
	if (mode == MODE_SEARCH)
		d->prompt_for = key;
	return (KEYS_DONE);
}

/* Esc at a prompt: back where it was opened. */
static enum keys_result
act_prompt_cancel(struct dash *d, int arg, int key)
{
	(void)arg, (void)key;
	d->mode = d->mode == MODE_SEARCH ? MODE_LOG : MODE_MAIN;
	return (KEYS_DONE);
}

/* The log's n and N (and Enter): the next match back, or forward. */
static enum keys_result
act_match(struct dash *d, int dir, int key)
{
	(void)key;
	if (d->search[0] == '\0')
		dash_say(d, SLOT_DIM, "no search yet: / searches the log");
	else
		dash_log_find(d, dir);
	return (KEYS_DONE);
}

/* A lesson's box: on to the next step, or the box closes (Esc). */
static enum keys_result
act_lesson(struct dash *d, int next, int key)
{
	(void)key;
	if (d->lesson == NULL)
		d->mode = MODE_MAIN;
	else if (next)
		lesson_next(d);
	else {
		d->mode = MODE_MAIN;
		dash_say(d, SLOT_TEXT, "the lesson waits: L shows its box"
		    " again");
	}
	return (KEYS_DONE);
}

/* L: a lesson's box again, after Esc. */
static enum keys_result
act_lesson_box(struct dash *d, int arg, int key)
{
	(void)arg, (void)key;
	if (d->lesson == NULL)
		dash_say(d, SLOT_DIM, "no lesson is playing: fastsync lesson"
		    " lists them");
	else
		d->mode = MODE_LESSON;
	return (KEYS_DONE);
}

/* A worker's card: the next or previous worker's. */
static enum keys_result
act_card_move(struct dash *d, int dir, int key)
{
	int	n = d->cf->workers;

	(void)key;
	d->card = (d->card + n + dir) % n;
	d->sel = d->card;
	return (KEYS_DONE);
}

/*
 * Scroll whatever this screen scrolls. The log counts lines up from the
 * newest, so its directions are the other way round.
 */
static enum keys_result
act_scroll(struct dash *d, int how, int key)
{
	int	*pos = &d->worker_scroll, page = d->lay.workers.h / 2, dir = 1;

	(void)key;
	if (d->mode == MODE_HELP) {
		pos = &d->help_scroll;
		page = d->lines - 3;
	} else if (d->mode == MODE_LOG) {
		pos = &d->log_scroll;
		page = d->lines - 3;
		dir = -1;
	}
	if (d->mode == MODE_MAIN) {
		/* the selected worker moves; the rows follow it */
		pos = &d->sel;
		if (how == SCROLL_UP || how == SCROLL_DOWN)
			*pos += how;
		else if (how == SCROLL_PGUP || how == SCROLL_PGDN) {
			/* a page: the rows scroll with it */
			*pos += page * (how / 2);
			d->worker_scroll += page * (how / 2);
			if (d->worker_scroll < 0)
				d->worker_scroll = 0;
		} else
			*pos = how == SCROLL_END ? d->cf->workers - 1 : 0;
		if (*pos >= d->cf->workers)
			*pos = d->cf->workers - 1;
		if (*pos < 0)
			*pos = 0;
		return (KEYS_DONE);
	}
	if (how == SCROLL_UP || how == SCROLL_DOWN)
		*pos += dir * how;
	else if (how == SCROLL_PGUP || how == SCROLL_PGDN)
		*pos += dir * page * (how / 2);
	else
		*pos = (how == SCROLL_END) == (dir > 0) ? 1 << 30 : 0;
	if (*pos < 0)
		*pos = 0;
	return (KEYS_DONE);
}

static enum keys_result
act_cancel_go(struct dash *d, int arg, int key)
{
	(void)arg, (void)key;
	d->going = 0;
	d->paused = 1;
	dash_say(d, SLOT_DIM, "go to cancelled at t=%.1f ms", d->now);
	return (KEYS_DONE);
}

static enum keys_result
act_enter(struct dash *d, int arg, int key)
{
	(void)arg, (void)key;
	if (d->mode == MODE_SEARCH) {
		d->mode = MODE_LOG;
		if (d->prompt_for == '&') {
			snprintf(d->filter, sizeof d->filter, "%s", d->input);
			d->log_scroll = 0;
		} else if (d->input[0] != '\0') {
			snprintf(d->search, sizeof d->search, "%s", d->input);
			dash_log_find(d, 0);
		}
		return (KEYS_DONE);
	}
	d->mode = MODE_MAIN;
	if (d->input[0] != '\0')
		dash_goto(d, d->input);
	return (KEYS_DONE);
}

static enum keys_result
act_erase(struct dash *d, int arg, int key)
{
	size_t	n = strlen(d->input);

	(void)arg, (void)key;
	if (n > 0)
		d->input[n - 1] = '\0';
	return (KEYS_DONE);
}

static enum keys_result
act_type(struct dash *d, int arg, int key)
{
	size_t	n = strlen(d->input);

	(void)arg;
	if (n + 1 < sizeof d->input) {
		d->input[n] = (char)key;
		d->input[n + 1] = '\0';
	}
	return (KEYS_DONE);
}

/* Space: cancels a go-to, resumes when paused. */
static const char *
pause_word(const struct dash *d)
{
	if (d->going)
		return ("cancel");
	return (d->paused && !d->finished ? "resume" : NULL);
}

static const char *
focus_only_word(const struct dash *d)
{
	return (d->focus_only ? "all models" : NULL);
}

#define MAIN	KEYS_IN_MAIN
#define SCREENS	(KEYS_IN_MAIN | KEYS_IN_HELP | KEYS_IN_LOG)
#define PROMPTS	KEYS_IN_PROMPT

/*
 * Every binding, in the order of the help screen, the bar and the man
 * page. In each context a key has one binding (test_keys checks); while
 * 'g' is under way the KEYS_IN_GOING ones win over the main screen's.
 */
const struct keys_binding keys_table[] = {
	{ .key = { ' ', 'p' }, .when = MAIN, .act = act_pause, .item = 1,
	  .help_key = "space", .help = "pause / resume",
	  .bar = { "Spc", "pause" }, .narrow = { "Spc", "pause" },
	  .word = pause_word },
	{ .key = { 'n' }, .when = MAIN, .act = act_step, .item = 1,
	  .help_key = "n",
	  .help = "step one engine event (the earliest due), told in\n"
	    "words; with f, the focus model's next event",
	  .bar = { "n", "step" }, .narrow = { "n", "step" } },
	{ .key = { 'b' }, .when = MAIN, .act = act_back, .item = 1,
	  .help_key = "b",
	  .help = "step back one event (with f, the focus model's)",
	  .bar = { "b", "back" }, .narrow = { "b", "back" } },
	{ .key = { 'f' }, .when = MAIN, .act = act_focus_only, .item = 1,
	  .help_key = "f",
	  .help = "n and b step only the focus model's events (again:\n"
	    "every model's)",
	  .bar = { "f", "focus only" }, .word = focus_only_word },
	{ .key = { 'r' }, .when = MAIN, .act = act_sync, .item = 1,
	  .help_key = "r",
	  .help = "run to the focus model's next sync point (round)",
	  .bar = { "r", "to sync" }, .narrow = { "r", "sync" } },
	{ .key = { 'c' }, .when = MAIN, .act = act_seek, .arg = GO_CHECK,
	  .item = 1, .help_key = "c",
	  .help = "run to the focus model's next quorum check (FastSync)",
	  .bar = { "c", "check" }, .narrow = { "c", "chk" } },
	{ .key = { 'C' }, .when = MAIN, .act = act_seek, .arg = GO_FAIL,
	  .item = 1, .help_key = "C",
	  .help = "run to its next failed quorum check (again: the next)",
	  .bar = { "C", "failed" }, .narrow = { "C", "fail" } },
	{ .key = { 'K' }, .when = MAIN, .act = act_seek, .arg = GO_CLUSTER,
	  .item = 1, .help_key = "K",
	  .help = "run to its next re-clustering",
	  .bar = { "K", "clusters" } },
	{ .key = { '+', '=' }, .when = MAIN, .act = act_speed, .arg = 1,
	  .item = 1, .help_key = "+ / -",
	  .help = "faster / slower (simulated ms per wall second,\n"
	    "1 ms/s up to 1,000,000 ms/s, then max speed)",
	  .bar = { "+", "faster" } },
	{ .key = { '-', '_' }, .when = MAIN, .act = act_speed, .arg = -1,
	  .bar = { "-", "slower" } },
	{ .key = { KEYS_TAB, 'm' }, .when = MAIN, .act = act_focus, .arg = 1,
	  .item = 1, .help_key = "Tab / m",
	  .help = "next focus model (Shift-Tab / M: previous)",
	  .bar = { "Tab", "model" } },
	{ .key = { KEYS_BTAB, 'M' }, .when = MAIN, .act = act_focus,
	  .arg = -1 },
	{ .key = { 'g' }, .when = MAIN, .act = act_screen, .arg = MODE_PROMPT,
	  .item = 1, .help_key = "g",
	  .help = "go to a round (150) or a time (12.5s, 800ms), ahead\n"
	    "or back; space cancels on the way",
	  .bar = { "g", "go to" }, .narrow = { "g", "goto" } },
	{ .key = { ' ', KEYS_ESC, 'p' }, .when = KEYS_IN_GOING,
	  .act = act_cancel_go },
	{ .key = { KEYS_ENTER }, .when = PROMPTS, .act = act_enter },
	{ .key = { KEYS_ESC }, .when = PROMPTS, .act = act_prompt_cancel },
	{ .key = { KEYS_BACKSPACE }, .when = PROMPTS, .act = act_erase },
	{ .key = { KEYS_TEXT }, .when = PROMPTS, .act = act_type },
	{ .key = { KEYS_ENTER }, .when = MAIN, .act = act_screen,
	  .arg = MODE_CARD, .item = 1, .help_key = "Enter",
	  .help = "the selected worker's card (a click on its row too):\n"
	    "its cluster and why, recent rounds, staleness" },
	{ .key = { KEYS_ENTER, KEYS_ESC, 'q' }, .when = KEYS_IN_CARD,
	  .act = act_screen, .arg = MODE_MAIN },
	{ .key = { KEYS_DOWN, 'j' }, .when = KEYS_IN_CARD,
	  .act = act_card_move, .arg = 1 },
	{ .key = { KEYS_UP, 'k' }, .when = KEYS_IN_CARD, .act = act_card_move,
	  .arg = -1 },
	{ .key = { ' ', KEYS_ENTER, 'n' }, .when = KEYS_IN_LESSON,
	  .act = act_lesson, .arg = 1, .item = 1, .help_key = "L",
	  .help = "in a lesson (fastsync lesson): its box again; there,\n"
	    "space or Enter goes on, Esc closes the box" },
	{ .key = { KEYS_ESC }, .when = KEYS_IN_LESSON, .act = act_lesson },
	{ .key = { 'L' }, .when = MAIN, .act = act_lesson_box },
	{ .key = { 'q', 'Q', KEYS_F10 }, .when = KEYS_IN_LESSON,
	  .act = act_quit },
	{ .key = { 't' }, .when = MAIN, .act = act_theme, .arg = 1,
	  .item = 1, .help_key = "t", .help = "next theme",
	  .bar = { "t", "theme" } },
	{ .key = { 'T' }, .when = MAIN, .act = act_theme, .arg = -1 },
	{ .key = { 'l' }, .when = MAIN, .act = act_screen, .arg = MODE_LOG,
	  .item = 1, .help_key = "l",
	  .help = "the full event log (every model), scrolling",
	  .bar = { "l", "log" }, .narrow = { "l", "log" } },
	{ .key = { 'l', KEYS_ESC, 'q' }, .when = KEYS_IN_LOG,
	  .act = act_screen, .arg = MODE_MAIN },
	{ .key = { '/', '&' }, .when = KEYS_IN_LOG, .act = act_screen,
	  .arg = MODE_SEARCH, .item = 1, .help_key = "/ or &",
	  .help = "in the log: search for a text; & shows only a\n"
	    "worker's (w3) or a kind's lines (quorum, sync, late)" },
	{ .key = { 'n', KEYS_ENTER }, .when = KEYS_IN_LOG, .act = act_match,
	  .arg = 1, .item = 1, .help_key = "n / N",
	  .help = "in the log: the next match back (N: forward)" },
	{ .key = { 'N' }, .when = KEYS_IN_LOG, .act = act_match, .arg = -1 },
	{ .key = { KEYS_UP, 'k' }, .when = SCREENS, .act = act_scroll,
	  .arg = SCROLL_UP, .item = 1, .help_key = "Up / Down",
	  .help = "select a worker, scroll the help or the log (j / k,\n"
	    "PgUp / PgDn, Home / End, in the log g / G, the wheel)" },
	{ .key = { KEYS_DOWN, 'j' }, .when = SCREENS, .act = act_scroll,
	  .arg = SCROLL_DOWN },
	{ .key = { KEYS_PGUP }, .when = SCREENS, .act = act_scroll,
	  .arg = SCROLL_PGUP },
	{ .key = { KEYS_PGDN }, .when = SCREENS, .act = act_scroll,
	  .arg = SCROLL_PGDN },
	{ .key = { KEYS_HOME }, .when = MAIN, .act = act_scroll,
	  .arg = SCROLL_HOME },
	{ .key = { KEYS_HOME, 'g' }, .when = KEYS_IN_LOG | KEYS_IN_HELP,
	  .act = act_scroll, .arg = SCROLL_HOME },
	{ .key = { KEYS_END, 'G' }, .when = SCREENS, .act = act_scroll,
	  .arg = SCROLL_END },
	{ .key = { '?', 'h', KEYS_F1 }, .when = MAIN, .act = act_screen,
	  .arg = MODE_HELP, .item = 1, .help_key = "? or F1",
	  .help = "this help (arrows scroll; ? or Esc closes)",
	  .bar = { "?", "help" }, .narrow = { "?", "help" } },
	{ .key = { '?', KEYS_ESC, 'q', 'h', KEYS_F1 }, .when = KEYS_IN_HELP,
	  .act = act_screen, .arg = MODE_MAIN },
	{ .key = { KEYS_CTRL_L, KEYS_RESIZE }, .when = KEYS_IN_ANY,
	  .act = act_redraw, .item = 1 },
	{ .key = { 'q', 'Q', KEYS_F10 }, .when = MAIN | KEYS_IN_SMALL,
	  .act = act_quit, .item = 1, .help_key = "q or F10",
	  .help = "quit: the run is recorded as complete if every\n"
	    "model finished, else as interrupted",
	  .bar = { "q", "quit" }, .narrow = { "q", "quit" } },
};
const int keys_ntable = sizeof keys_table / sizeof keys_table[0];

#undef MAIN
#undef SCREENS
#undef PROMPTS

/* The binding of key in any of the contexts ctx, or NULL. */
const struct keys_binding *
keys_find(int key, unsigned ctx)
{
	for (int i = 0; i < keys_ntable; i++) {
		const struct keys_binding *b = &keys_table[i];

		if (!(b->when & ctx))
			continue;
		for (int j = 0; j < KEYS_MAX && b->key[j] != KEYS_NONE; j++)
			if (b->key[j] == key || (b->key[j] == KEYS_TEXT &&
			    key >= 0x20 && key < 0x7f))
				return (b);
	}
	return (NULL);
}

/* Where the dashboard is now: a KEYS_IN_* set. */
static unsigned
context(const struct dash *d)
{
	static const unsigned in_mode[] = { [MODE_MAIN] = KEYS_IN_MAIN,
	    [MODE_HELP] = KEYS_IN_HELP, [MODE_LOG] = KEYS_IN_LOG,
	    [MODE_PROMPT] = KEYS_IN_PROMPT, [MODE_SEARCH] = KEYS_IN_PROMPT,
	    [MODE_CARD] = KEYS_IN_CARD, [MODE_LESSON] = KEYS_IN_LESSON };

	if (d->lay.too_small)
		return (KEYS_IN_SMALL);
	if (d->mode == MODE_MAIN && d->going)
		return (KEYS_IN_MAIN | KEYS_IN_GOING);
	return (in_mode[d->mode]);
}

/* Act on one key (a KEYS_* code); the caller does what it returns. */
enum keys_result
keys_dispatch(struct dash *d, int key)
{
	const struct keys_binding	*b = NULL;
	unsigned			 ctx = context(d);

	if (key != KEYS_RESIZE)
		d->msg_on = 0;
	if (ctx & KEYS_IN_GOING)
		b = keys_find(key, KEYS_IN_GOING);
	if (b == NULL)
		b = keys_find(key, ctx);
	return (b != NULL ? b->act(d, b->arg, key) : KEYS_DONE);
}

/* A left click at (y, x): a key on the bar, or a model's row in the race. */
enum keys_result
keys_click(struct dash *d, int y, int x)
{
	const struct rect	*m = &d->lay.models;
	int			 row = y - m->y - 2;

	for (int i = 0; i < d->nkeys; i++)
		if (y == d->keys[i].y && x >= d->keys[i].x &&
		    x < d->keys[i].x + d->keys[i].w)
			return (keys_dispatch(d, d->keych[i]));
	if (d->mode == MODE_MAIN && x >= m->x && x < m->x + m->w &&
	    row >= 0 && row < d->nm && y < m->y + m->h - 1)
		focus(d, row);
	else if (d->mode == MODE_MAIN && x >= d->lay.workers.x && x <
	    d->lay.workers.x + d->lay.workers.w && y >= d->rows_y &&
	    y < d->rows_y + d->rows_n) {
		/* a worker's row: its card */
		d->sel = d->worker_scroll + y - d->rows_y;
		return (act_screen(d, MODE_CARD, KEYS_CLICK));
	}
	return (KEYS_DONE);
}
