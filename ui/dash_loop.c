/*
 * The dashboard's main loop: read keys (and clicks; keys.c acts on them),
 * step the engines by wall time times the speed, and redraw at most
 * FPS times a second. Paused, it sleeps in the terminal read: no busy
 * loop. The simulation rate and the frame rate are independent: a
 * frame spends at most STEP_SHARE of its time stepping engines.
 */
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "dash.h"
#include "keys.h"
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
	int	q = dash_focus_quorum(d);
	int	fs = q < 0 ? 0 : q == d->focus ? 2 : 1;

	getmaxyx(stdscr, d->lines, d->cols);
	layout_compute(&d->lay, d->cols, d->lines, d->cf->workers, d->nm, fs);
	erase();
	dash_census(d);
	if (d->lay.too_small)
		draw_too_small(d);
	else if (d->mode == MODE_HELP) {
		screen_help(d);
		panel_bar_ops.draw(d, &d->lay.bar);
	} else if (d->mode == MODE_LOG || d->mode == MODE_SEARCH) {
		screen_log(d);
		panel_bar_ops.draw(d, &d->lay.bar);
	} else {
		for (size_t i = 0; i < sizeof panels / sizeof panels[0]; i++)
			if (panel_rect(d, (int)i)->h > 0)
				panels[i]->draw(d, panel_rect(d, (int)i));
		/* over the panels: a worker's card, a lesson's box */
		if (d->mode == MODE_CARD)
			screen_card(d);
		else if (d->mode == MODE_LESSON)
			screen_lesson(d);
	}
	refresh();
	d->frames++;
	d->draw_s += wallclock() - t0;
}

/* One key (a KEYS_* code, or a click at y, x); returns 1 to quit. */
static int
key(struct dash *d, int k, int y, int x)
{
	enum keys_result r = k == KEYS_CLICK ? keys_click(d, y, x) :
	    keys_dispatch(d, k);

	if (r == KEYS_REDRAW)
		tty_redraw();
	else if (r == KEYS_RETHEME)
		tty_theme(&d->themes[d->theme]);
	return (r == KEYS_QUIT);
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
	int		quit = 0, k, y = 0, x = 0;

	if (tty_open(&o, stop, err, errlen) != 0)
		return (-1);
	tty_theme(&d->themes[d->theme]);
	last = start = wallclock();
	draw(d);
	while (!quit && !*stop) {
		double	t0 = wallclock(), wait;
		/* typing at a prompt or reading a lesson's box stops time */
		int	running = !d->paused && !d->finished && d->mode !=
			    MODE_PROMPT && d->mode != MODE_SEARCH && d->mode !=
			    MODE_LESSON && !d->lay.too_small;

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
		k = tty_read(wait > 0 ? (int)(wait * 1000) : 0, &y, &x);
		if (k == -1)
			continue;
		do
			quit = key(d, k, y, x);
		while (!quit && (k = tty_read(0, &y, &x)) != -1);
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
