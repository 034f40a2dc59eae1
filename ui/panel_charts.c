/*
 * Charts over the run so far, a line per model in its model slot: round
 * (inter-sync) time and mean staleness per round, or test accuracy over
 * simulated time (one axis for all models), as braille lines (ASCII: a
 * ramp). Each line ends with its latest value in a column of its own,
 * abbreviated if it must be (10115.5 -> 10.1k), so the lines align.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "dash.h"
#include "stats.h"
#include "theme.h"
#include "tty.h"
#include "widgets.h"

#define CHART_MAX	4096	/* rounds drawn: the most recent */

/* The latest value's column at each line's end: the same on every line. */
#define LAST_W	5

static void
chart(double *v, int n, int y, int x, int w, int decimals, int utf8,
    enum theme_slot slot)
{
	char	buf[1024], last[24];

	if (w - LAST_W - 1 < 2)
		return;
	widget_number(last, sizeof last, n > 0 ? v[n - 1] : 0.0, decimals,
	    LAST_W);
	widget_braille(buf, sizeof buf, v, n, w - LAST_W - 1, utf8);
	tty_put(y, x, w - LAST_W - 1, slot, buf);
	tty_printf(y, x + w - LAST_W, LAST_W, SLOT_TEXT, "%*s", LAST_W, last);
}

/*
 * Accuracy as a step over simulated time: sample k of n is the last
 * evaluation at or before k / n of tmax, up to the model's own now.
 */
static int
accuracy_over_time(const struct train_eval *e, int ne, double now,
    double tmax, double *v, int n)
{
	int	j = 0, got = 0;

	for (int k = 0; k < n && ne > 0; k++) {
		double t = tmax * k / n;

		if (t > now)
			break;
		while (j + 1 < ne && e[j + 1].t <= t)
			j++;
		v[got++] = 100 * e[j].accuracy;
	}
	return (got);
}

/* The panel's title, shorter when the panel is narrow (never cut). */
static const char *
chart_title(const struct dash *d, int w)
{
	static const char *const titles[2][2] = {
	    { "charts: round time (ms) | staleness (mean)",
	      "charts: round ms | staleness" },
	    { "charts: round time (ms) | test accuracy % over time",
	      "charts: round ms | accuracy %" } };
	int	tr = d->m[0].tr != NULL;

	return (titles[tr][(int)strlen(titles[tr][0]) + 6 > w]);
}

static void
charts_draw(struct dash *d, const struct rect *r)
{
	int	x = r->x + 1, y = r->y + 1, w = r->w - 2, half, namew = 9;
	int	rows, samples;
	double	*v, tmax = 0;

	tty_box(r, chart_title(d, r->w), 0);
	if (r->h < 3 || w < 30)
		return;
	half = (w - namew) / 2;
	v = malloc(CHART_MAX * sizeof *v);
	if (v == NULL)
		return;
	rows = r->h - 2 < d->nm ? r->h - 2 : d->nm;
	/* two samples a cell, short of the latest value's label */
	samples = 2 * (w - namew - half - LAST_W - 1);
	samples = samples < 2 ? 2 : samples > CHART_MAX ? CHART_MAX : samples;
	for (int i = 0; i < d->nm; i++)
		tmax = sim_now(d->m[i].sim) > tmax ? sim_now(d->m[i].sim) :
		    tmax;
	for (int row = 0; row < rows; row++, y++) {
		/* short of rows, the focus model takes the last one */
		int			 i = row == rows - 1 && d->focus >= rows ?
					     d->focus : row;
		const struct stats	*st = sim_stats(d->m[i].sim);
		int			 done = sim_rounds_done(d->m[i].sim);
		int			 n = done < CHART_MAX ? done : CHART_MAX;
		int			 a = done - n;
		enum theme_slot		 slot = theme_model_slot(
					     model_kind_name(
					     d->m[i].spec->kind));

		tty_printf(y, x, namew, i == d->focus ? SLOT_SELECTED :
		    SLOT_TEXT, "%-8.8s", d->m[i].spec->name);
		for (int k = 0; k < n; k++)
			v[k] = stats_round_time(st, a + k);
		chart(v, n, y, x + namew, half - 1, 0, tty_utf8(), slot);
		n = 0;
		if (d->m[i].tr != NULL) {
			int			 ne;
			const struct train_eval	*e = trainer_evals(d->m[i].tr,
						    &ne);

			n = accuracy_over_time(e, ne, sim_now(d->m[i].sim),
			    tmax, v, samples);
		} else
			/* staleness: the rounds' applied gradients */
			for (int k = a; k < done; k++) {
				const struct round_stats *rs = &st->round[k];

				v[n++] = rs->gradients > 0 ?
				    (double)rs->staleness_sum / rs->gradients :
				    0;
			}
		chart(v, n, y, x + namew + half, w - namew - half, 1,
		    tty_utf8(), slot);
	}
	free(v);
}

const struct panel_ops panel_charts_ops = { "charts", charts_draw };
