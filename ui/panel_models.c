/*
 * The race: a row per model with rounds done, mean inter-sync time and
 * a sparkline of recent round times, throughput, fresh and stale
 * updates, the stale share and the largest staleness. Columns drop out,
 * least telling first, when the panel is narrow; the leader is marked.
 * Every figure fits its column: abbreviated with a unit (11.8k, 12.3s),
 * else marked with '>', never cut (widgets.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "stats.h"
#include "tty.h"
#include "widgets.h"

enum col { C_NAME, C_ROUNDS, C_ACC, C_STALEPCT, C_SYNC, C_SPARK, C_THR,
	C_TIME, C_MAX, C_FRESH, C_STALE, C_NCOLS };

static const struct {
	const char	*head;
	int		 w;
} cols[C_NCOLS] = {
	[C_NAME] = { "model", 10 }, [C_ROUNDS] = { "rnd", 6 },
	[C_ACC] = { "acc%", 6 },
	[C_STALEPCT] = { "stale%", 7 }, [C_SYNC] = { "sync ms", 8 },
	[C_SPARK] = { "rounds", 0 }, [C_THR] = { "grad/s", 8 },
	[C_TIME] = { "time s", 8 }, [C_MAX] = { "max", 5 }, [C_FRESH] = { "fresh", 7 },
	[C_STALE] = { "stale", 7 },
};

#define SPARK_MIN	8
#define SPARK_MAX	24
#define SPARK_ROUNDS	48	/* the sparkline shows the last rounds */

/* Mean time between the model's syncs (or slowest-worker rounds). */
static double
inter_sync(const struct stats *st, int done)
{
	double	sum = 0;

	for (int k = 0; k < done; k++)
		sum += stats_round_time(st, k);
	return (done > 0 ? sum / done : 0);
}

static void
models_draw(struct dash *d, const struct rect *r)
{
	int	show[C_NCOLS] = { 0 }, x, y = r->y + 1, w = r->w - 2;
	int	used = 0, sparkw = 0, lead = 0, best = -1;
	/* columns in this order; the sparkline takes what is left */
	double	v[SPARK_ROUNDS];
	char	buf[256], num[32];

	tty_box(r, "models: the race", 0);
	if (r->h < 3 || w < 10)
		return;
	for (int c = 0; c < C_NCOLS; c++) {
		int cw = c == C_SPARK ? SPARK_MIN + 1 : cols[c].w;

		if (c == C_ACC && d->m[0].tr == NULL)
			continue;	/* not training */
		if (used + cw <= w) {
			show[c] = 1;
			used += cw;
		}
	}
	if (show[C_SPARK]) {
		sparkw = SPARK_MIN + (w - used);
		if (sparkw > SPARK_MAX)
			sparkw = SPARK_MAX;
	}
	for (int i = 0; i < d->nm; i++)
		if (sim_rounds_done(d->m[i].sim) > best) {
			best = sim_rounds_done(d->m[i].sim);
			lead = i;
		}
	x = r->x + 1;
	for (int c = 0; c < C_NCOLS; c++) {
		if (!show[c])
			continue;
		if (c == C_SPARK) {
			x += tty_printf(y, x, sparkw + 1, SLOT_TITLE, "%-*s",
			    sparkw + 1, cols[c].head);
			continue;
		}
		x += tty_printf(y, x, cols[c].w, SLOT_TITLE, c == C_NAME ?
		    "%-*s" : "%*s ", c == C_NAME ? cols[c].w : cols[c].w - 1,
		    cols[c].head);
	}
	for (int i = 0; i < d->nm && y + 1 < r->y + r->h - 1; i++) {
		struct dash_model	*m = &d->m[i];
		const struct stats	*st = sim_stats(m->sim);
		int			 done = sim_rounds_done(m->sim), n;
		uint64_t		 upd = st->fresh + st->stale;
		double			 t = sim_done(m->sim) ? sim_now(m->sim) :
					     d->now;

		y++;
		x = r->x + 1;
		for (int c = 0; c < C_NCOLS; c++) {
			enum theme_slot slot = SLOT_TEXT;

			if (!show[c])
				continue;
			switch (c) {
			case C_NAME:
				snprintf(buf, sizeof buf, "%c%-8.8s%s",
				    i == d->focus ? '>' : ' ', m->spec->name,
				    i == lead && best > 0 ? (tty_utf8() ?
				    "\u2605" : "*") : " ");
				slot = i == d->focus ? SLOT_SELECTED :
				    SLOT_TEXT;
				break;
			case C_ROUNDS:
				widget_count(num, sizeof num, done, 5);
				snprintf(buf, sizeof buf, "%5s%s", num,
				    !sim_done(m->sim) ? " " : tty_utf8() ?
				    "\u2713" : "+");
				break;
			case C_ACC:
				if (m->tr != NULL &&
				    !isnan(trainer_accuracy(m->tr)))
					snprintf(buf, sizeof buf, "%5.1f ", 100 *
					    trainer_accuracy(m->tr));
				else
					snprintf(buf, sizeof buf, "%5s ", "-");
				slot = SLOT_QUORUM_MET;
				break;
			case C_STALEPCT:
				snprintf(buf, sizeof buf, "%6.1f ", upd ?
				    100.0 * (double)st->stale / (double)upd :
				    0.0);
				slot = st->stale ? SLOT_STALE : SLOT_FRESH;
				break;
			case C_SYNC:
				widget_ms(num, sizeof num, inter_sync(st, done),
				    1, 1, 7);
				snprintf(buf, sizeof buf, "%7s ", num);
				break;
			case C_SPARK:
				n = done < SPARK_ROUNDS ? done : SPARK_ROUNDS;
				for (int k = 0; k < n; k++)
					v[k] = stats_round_time(st,
					    done - n + k);
				widget_sparkline(buf, sizeof buf, v, n,
				    n < sparkw ? n : sparkw, tty_utf8());
				tty_put(y, x, sparkw, SLOT_CHART, buf);
				x += sparkw + 1;
				continue;
			case C_THR:
				widget_number(num, sizeof num, t > 0 ?
				    (double)st->gradients / (t / 1000) : 0.0, 1,
				    7);
				snprintf(buf, sizeof buf, "%7s ", num);
				break;
			case C_TIME:
				widget_ms(num, sizeof num, t, 1000, 2, 7);
				snprintf(buf, sizeof buf, "%7s ", num);
				break;
			case C_MAX:
				widget_count(num, sizeof num,
				    (double)st->staleness_max, 4);
				snprintf(buf, sizeof buf, "%4s ", num);
				slot = st->staleness_max ? SLOT_STALE :
				    SLOT_FRESH;
				break;
			case C_FRESH:
				widget_count(num, sizeof num, (double)st->fresh,
				    6);
				snprintf(buf, sizeof buf, "%6s ", num);
				slot = SLOT_FRESH;
				break;
			case C_STALE:
				widget_count(num, sizeof num, (double)st->stale,
				    6);
				snprintf(buf, sizeof buf, "%6s ", num);
				slot = SLOT_STALE;
				break;
			}
			x += tty_put(y, x, r->x + 1 + w - x, slot, buf);
		}
	}
}

const struct panel_ops panel_models_ops = { "models", models_draw };
