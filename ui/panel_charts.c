/*
 * Charts over the run so far, a line per model: round (inter-sync) time
 * and mean staleness per round, as braille lines (ASCII: a ramp). Each
 * line ends with its latest value.
 */
#include <stdio.h>
#include <stdlib.h>

#include "dash.h"
#include "stats.h"
#include "tty.h"
#include "widgets.h"

#define CHART_MAX	4096	/* rounds drawn: the most recent */

static void
chart(double *v, int n, int y, int x, int w, int decimals, int utf8)
{
	char	buf[1024], last[24];
	int	lw;

	lw = snprintf(last, sizeof last, "%.*f", decimals, n > 0 ?
	    v[n - 1] : 0.0);
	if (w - lw - 1 < 2)
		return;
	widget_braille(buf, sizeof buf, v, n, w - lw - 1, utf8);
	tty_put(y, x, w - lw - 1, SLOT_CHART, buf);
	tty_put(y, x + w - lw, lw, SLOT_TEXT, last);
}

static void
charts_draw(struct dash *d, const struct rect *r)
{
	int	x = r->x + 1, y = r->y + 1, w = r->w - 2, half, namew = 9;
	int	rows;
	double	*v;

	tty_box(r, d->m[0].tr != NULL ? "charts: round time (ms) | test"
	    " accuracy %" : "charts: round time (ms) | staleness (mean)", 0);
	if (r->h < 3 || w < 30)
		return;
	half = (w - namew) / 2;
	v = malloc(CHART_MAX * sizeof *v);
	if (v == NULL)
		return;
	rows = r->h - 2 < d->nm ? r->h - 2 : d->nm;
	for (int row = 0; row < rows; row++, y++) {
		/* short of rows, the focus model takes the last one */
		int			 i = row == rows - 1 && d->focus >= rows ?
					     d->focus : row;
		const struct stats	*st = sim_stats(d->m[i].sim);
		int			 done = sim_rounds_done(d->m[i].sim);
		int			 n = done < CHART_MAX ? done : CHART_MAX;
		int			 a = done - n;

		tty_printf(y, x, namew, i == d->focus ? SLOT_SELECTED :
		    SLOT_TEXT, "%-8.8s", d->m[i].spec->name);
		for (int k = 0; k < n; k++)
			v[k] = stats_round_time(st, a + k);
		chart(v, n, y, x + namew, half - 1, 0, tty_utf8());
		n = 0;
		if (d->m[i].tr != NULL) {
			/* accuracy at each evaluation so far */
			int			 ne;
			const struct train_eval	*e = trainer_evals(d->m[i].tr,
						    &ne);

			for (int k = ne > CHART_MAX ? ne - CHART_MAX : 0;
			    k < ne; k++)
				v[n++] = 100 * e[k].accuracy;
		} else
			/* staleness: the rounds' applied gradients */
			for (int k = a; k < done; k++) {
				const struct round_stats *rs = &st->round[k];

				v[n++] = rs->gradients > 0 ?
				    (double)rs->staleness_sum / rs->gradients :
				    0;
			}
		chart(v, n, y, x + namew + half, w - namew - half, 1,
		    tty_utf8());
	}
	free(v);
}

const struct panel_ops panel_charts_ops = { "charts", charts_draw };
