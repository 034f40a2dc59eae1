/*
 * The dashboard's main loop: read keys (and clicks on the key bar),
 * step the engines by wall time times the speed, and redraw at most
 * FPS times a second. Paused, it sleeps in the terminal read: no busy
 * loop. The simulation rate and the frame rate are independent: a
 * frame spends at most STEP_SHARE of its time stepping engines.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dash.h"
#include "tty.h"
#include "wallclock.h"

#define FPS		30
#define STEP_SHARE	0.6	/* of a frame, for stepping the engines */
#define MAX_DT		0.1	/* s: a stall does not jump the clock */

static const struct panel_ops *const panels[] = {
	&panel_header_ops, &panel_workers_ops, &panel_quorum_ops,
	&panel_models_ops, &panel_charts_ops, &panel_dag_ops,
	&panel_log_ops, &panel_bar_ops,
};

static const struct rect *
panel_rect(const struct dash *d, int i)
{
	const struct rect *r[] = { &d->lay.header, &d->lay.workers,
	    &d->lay.quorum, &d->lay.models, &d->lay.charts, &d->lay.dag,
	    &d->lay.log, &d->lay.bar };

	return (r[i]);
}

/* Below the minimum: say so plainly, in whatever room there is. */
static void
draw_too_small(struct dash *d)
{
	char	msg[96];

	snprintf(msg, sizeof msg, "terminal too small: need %dx%d, have"
	    " %dx%d", LAYOUT_MIN_COLS, LAYOUT_MIN_LINES, d->cols, d->lines);
	tty_put(0, 0, d->cols, SLOT_WARNING, msg);
	if (d->lines > 1)
		tty_put(1, 0, d->cols, SLOT_TEXT, "enlarge it, or q quits");
}

static void
draw(struct dash *d)
{
	double	t0 = wallclock();
	int	fs = dash_focus_quorum(d) >= 0;

	getmaxyx(stdscr, d->lines, d->cols);
	layout_compute(&d->lay, d->cols, d->lines, d->cf->workers, d->nm, fs);
	erase();
	dash_census(d);
	if (d->lay.too_small)
		draw_too_small(d);
	else if (d->mode == MODE_HELP) {
		screen_help(d);
		panel_bar_ops.draw(d, &d->lay.bar);
	} else if (d->mode == MODE_LOG) {
		screen_log(d);
		panel_bar_ops.draw(d, &d->lay.bar);
	} else
		for (size_t i = 0; i < sizeof panels / sizeof panels[0]; i++)
			if (panel_rect(d, (int)i)->h > 0)
				panels[i]->draw(d, panel_rect(d, (int)i));
	refresh();
	d->frames++;
	d->draw_s += wallclock() - t0;
}

static void
next_theme(struct dash *d, int dir)
{
	d->theme = (d->theme + d->nthemes + dir) % d->nthemes;
	tty_theme(&d->themes[d->theme]);
	dash_say(d, SLOT_TEXT, "theme %s", d->themes[d->theme].name);
}

static void
next_focus(struct dash *d, int dir)
{
	d->focus = (d->focus + d->nm + dir) % d->nm;
	d->worker_scroll = 0;
}

/* A click: a key on the bar, or a model's row in the race. */
static int
click(struct dash *d)
{
	MEVENT	ev;

	if (getmouse(&ev) != OK)
		return (0);
	/* the wheel scrolls whatever scrolls here */
	if (ev.bstate & BUTTON4_PRESSED)
		return (KEY_UP);
	if (ev.bstate & BUTTON5_PRESSED)
		return (KEY_DOWN);
	if (!(ev.bstate & BUTTON1_PRESSED))
		return (0);
	for (int i = 0; i < d->nkeys; i++)
		if (ev.y == d->keys[i].y && ev.x >= d->keys[i].x &&
		    ev.x < d->keys[i].x + d->keys[i].w)
			return (d->keych[i]);
	if (d->mode == MODE_MAIN && ev.x >= d->lay.models.x &&
	    ev.x < d->lay.models.x + d->lay.models.w) {
		int row = ev.y - d->lay.models.y - 2;

		if (row >= 0 && row < d->nm && ev.y < d->lay.models.y +
		    d->lay.models.h - 1) {
			d->focus = row;
			d->worker_scroll = 0;
		}
	}
	return (0);
}

/* Keys of the 'g' prompt. */
static void
prompt_key(struct dash *d, int ch)
{
	size_t	n = strlen(d->input);

	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		d->mode = MODE_MAIN;
		if (n > 0)
			dash_goto(d, d->input);
	} else if (ch == 27)
		d->mode = MODE_MAIN;
	else if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && n > 0)
		d->input[n - 1] = '\0';
	else if (ch >= 0x20 && ch < 0x7f && n + 1 < sizeof d->input) {
		d->input[n] = (char)ch;
		d->input[n + 1] = '\0';
	}
}

/* Scrolling keys; *pos is the first line shown, page its height. */
static int
scroll_key(int ch, int *pos, int page, int reverse)
{
	int	dir = reverse ? -1 : 1;

	switch (ch) {
	case KEY_UP: case 'k':
		*pos -= dir;
		break;
	case KEY_DOWN: case 'j':
		*pos += dir;
		break;
	case KEY_PPAGE:
		*pos -= dir * page;
		break;
	case KEY_NPAGE:
		*pos += dir * page;
		break;
	case KEY_HOME:
		*pos = reverse ? 1 << 30 : 0;
		break;
	case KEY_END:
		*pos = reverse ? 0 : 1 << 30;
		break;
	default:
		return (0);
	}
	if (*pos < 0)
		*pos = 0;
	return (1);
}

/* One key; returns 1 to quit. */
static int
key(struct dash *d, int ch)
{
	if (ch == KEY_MOUSE && (ch = click(d)) == 0)
		return (0);
	if (ch == KEY_RESIZE || ch == 12) {	/* ^L too */
		clearok(curscr, TRUE);
		return (0);
	}
	if (d->lay.too_small)
		return (ch == 'q' || ch == 'Q');
	switch (d->mode) {
	case MODE_PROMPT:
		prompt_key(d, ch);
		return (0);
	case MODE_HELP:
		if (ch == '?' || ch == 27 || ch == 'q' || ch == 'h' ||
		    ch == KEY_F(1))
			d->mode = MODE_MAIN;
		else
			scroll_key(ch, &d->help_scroll, d->lines - 3, 0);
		return (0);
	case MODE_LOG:
		if (ch == 'l' || ch == 27 || ch == 'q')
			d->mode = MODE_MAIN;
		else
			scroll_key(ch, &d->log_scroll, d->lines - 3, 1);
		return (0);
	default:
		break;
	}
	if (scroll_key(ch, &d->worker_scroll, d->lay.workers.h / 2, 0))
		return (0);
	if (d->going && (ch == ' ' || ch == 27 || ch == 'p')) {
		d->going = 0;
		d->paused = 1;
		dash_say(d, SLOT_DIM, "go to cancelled at t=%.1f ms", d->now);
		return (0);
	}
	switch (ch) {
	case 'q': case 'Q':
		return (1);
	case ' ': case 'p':
		if (d->finished)
			dash_say(d, SLOT_DIM, "the run is complete: q quits");
		else
			d->paused = !d->paused;
		break;
	case 'n':
		d->paused = 1;
		if (!dash_step_event(d))
			dash_say(d, SLOT_DIM, "no event left");
		break;
	case 'r':
		d->paused = 1;
		dash_step_sync(d);
		break;
	case '+': case '=':
		if (d->speed < dash_nspeeds - 1)
			d->speed++;
		break;
	case '-': case '_':
		if (d->speed > 0)
			d->speed--;
		break;
	case '\t': case 'm':
		next_focus(d, 1);
		break;
	case KEY_BTAB: case 'M':
		next_focus(d, -1);
		break;
	case 'g':
		d->mode = MODE_PROMPT;
		d->input[0] = '\0';
		break;
	case 't':
		next_theme(d, 1);
		break;
	case 'T':
		next_theme(d, -1);
		break;
	case 'l':
		d->mode = MODE_LOG;
		d->log_scroll = 0;
		break;
	case '?': case 'h': case KEY_F(1):
		d->mode = MODE_HELP;
		d->help_scroll = 0;
		break;
	default:
		break;
	}
	return (0);
}

/*
 * Run the dashboard until q (returns 0) or a terminating signal (returns
 * its number). The terminal is given back before returning.
 */
int
dash_run(struct dash *d, volatile sig_atomic_t *stop, char *err,
    size_t errlen)
{
	struct tty_opts	o = { d->o.no_color, d->o.ascii };
	double		last, start, frame = 1.0 / FPS;
	int		quit = 0, ch;

	if (tty_open(&o, stop, err, errlen) != 0)
		return (-1);
	tty_theme(&d->themes[d->theme]);
	last = start = wallclock();
	draw(d);
	while (!quit && !*stop) {
		double	t0 = wallclock(), wait;
		int	running = !d->paused && !d->finished && d->mode !=
			    MODE_PROMPT && !d->lay.too_small;

		if (d->going) {
			/* 'g': as fast as a frame allows, then pause there */
			dash_pursue(d, frame * STEP_SHARE);
			d->step_s += wallclock() - t0;
			running = d->going;
			draw(d);
		} else if (running) {
			double dt = fmin(t0 - last, MAX_DT);
			double sp = dash_speed(d);

			dash_advance(d, sp > 0 ? d->now + sp * dt :
			    (double)INFINITY, frame * STEP_SHARE);
			d->step_s += wallclock() - t0;
			draw(d);
		}
		last = t0;
		/* paused: sleep in the read (a second at most, for signals) */
		wait = running ? frame - (wallclock() - t0) : 1.0;
		timeout(wait > 0 ? (int)(wait * 1000) : 0);
		ch = getch();
		if (ch == ERR)
			continue;
		do {
			quit = key(d, ch);
			timeout(0);
		} while (!quit && (ch = getch()) != ERR);
		draw(d);
		/* after a pause the clock does not jump by the time paused */
		if (d->paused)
			last = wallclock();
	}
	tty_close();
	d->wall = wallclock() - start;
	return (*stop ? (int)*stop : 0);
}

/* The dashboard needs a terminal: say so before anything is recorded. */
int
dash_check_terminal(char *err, size_t errlen)
{
	return (tty_usable(err, errlen));
}
