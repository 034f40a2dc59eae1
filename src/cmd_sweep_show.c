/*
 * fastsync show SWEEP: per grid point and model, the mean and 95%
 * confidence interval (Student t over the seeds) of the time to finish,
 * round time, staleness and, when training, accuracy and time to target;
 * and each model's time over the baseline's, its interval computed on
 * the per-seed ratios (every model sees the same draws on a seed, so the
 * pairs are tight: far tighter than two independent intervals).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "stats_ci.h"
#include "text.h"
#include "xmalloc.h"

/* The figures shown, by export column: name, header, scale to shown. */
static const struct {
	const char	*column, *header;
	double		 scale;
	int		 train;		/* only for training sweeps */
} figures[] = {
	{ "time_ms", "time s", 1e-3, 0 },
	{ "round_mean_ms", "round ms", 1, 0 },
	{ "staleness_mean", "tau", 1, 0 },
	{ "accuracy", "acc%", 100, 1 },
	{ "time_to_target", "target s", 1e-3, 1 },
};
#define NFIG	(sizeof figures / sizeof figures[0])

struct entry {
	int64_t	 point, seed;
	char	*label;		/* "key=value ..." */
	char	*model;
	double	 v[NFIG];
};

struct table {
	struct entry	*e;
	int		 n;
	int		 col_point, col_seed, col_model, first_key, last_key;
	int		 col[NFIG];
	int		 train;
};

static double
num(const struct db_cell *c)
{
	return (c->type == DB_INT ? (double)c->i : c->type == DB_REAL ? c->d :
	    (double)NAN);
}

static void
cell_text(char *buf, size_t len, const struct db_cell *c)
{
	if (c->type == DB_INT)
		snprintf(buf, len, "%lld", (long long)c->i);
	else if (c->type == DB_REAL)
		snprintf(buf, len, "%g", c->d);
	else
		text_safe(buf, len, c->type == DB_TEXT ? c->s : "");
}

/* Collect db_sweep_export's rows (columns found by name in the header). */
static void
collect(void *ud, const struct db_cell *cells, int n, int header)
{
	struct table	*t = ud;
	struct entry	*e;
	char		 label[1024] = "", v[256];
	size_t		 at = 0;

	if (header) {
		for (size_t f = 0; f < NFIG; f++)
			t->col[f] = -1;
		for (int c = 0; c < n; c++) {
			if (strcmp(cells[c].name, "point") == 0)
				t->col_point = c;
			else if (strcmp(cells[c].name, "seed") == 0)
				t->col_seed = c;
			else if (strcmp(cells[c].name, "model") == 0)
				t->col_model = c;
			for (size_t f = 0; f < NFIG; f++)
				if (strcmp(cells[c].name, figures[f].column)
				    == 0)
					t->col[f] = c;
		}
		/* the keys: after point, before model (the seed among them) */
		t->first_key = t->col_point + 1;
		t->last_key = t->col_model - 1;
		return;
	}
	t->e = xreallocarray(t->e, (size_t)t->n + 1, sizeof *t->e);
	e = &t->e[t->n++];
	e->point = cells[t->col_point].i;
	e->seed = t->col_seed >= 0 ? cells[t->col_seed].i : 0;
	for (int c = t->first_key; c <= t->last_key; c++) {
		if (c == t->col_seed)
			continue;
		cell_text(v, sizeof v, &cells[c]);
		at += (size_t)snprintf(label + at, sizeof label - at, "%s%s=%s",
		    at ? " " : "", cells[c].name, v);
		if (at >= sizeof label)
			at = sizeof label - 1;
	}
	e->label = xstrdup(label);
	e->model = xstrdup(cells[t->col_model].s);
	for (size_t f = 0; f < NFIG; f++) {
		e->v[f] = t->col[f] >= 0 ? num(&cells[t->col[f]]) :
		    (double)NAN;
		if (figures[f].train && isfinite(e->v[f]))
			t->train = 1;
	}
}

/* "mean ± half-width" in a field of width w. */
static void
print_ci(FILE *f, const struct ci *c, double scale, int w)
{
	char	buf[64];

	if (c->n == 0)
		snprintf(buf, sizeof buf, "-");
	else if (c->n < 2)
		snprintf(buf, sizeof buf, "%.4g", c->mean * scale);
	else {
		double	h = c->hi - c->mean;

		/* equal values: an sd of rounding noise, not a width */
		if (h <= 1e-12 * fabs(c->mean))
			h = 0;
		snprintf(buf, sizeof buf, "%.4g ± %.2g", c->mean * scale,
		    h * scale);
	}
	/* ± is two bytes, one column */
	fprintf(f, "  %-*s", w + (strstr(buf, "±") != NULL), buf);
}

/* The baseline's time on point p, seed s (NaN: none). */
static double
base_of(const struct table *t, int64_t p, int64_t s, const char *base)
{
	for (int i = 0; i < t->n; i++)
		if (t->e[i].point == p && t->e[i].seed == s &&
		    strcmp(t->e[i].model, base) == 0)
			return (t->e[i].v[0]);
	return ((double)NAN);
}

/* One point: a row per model, in the order they ran. */
static void
print_point(FILE *f, const struct table *t, int from, int to,
    const char *base)
{
	double		*x = xcalloc((size_t)(to - from) + 1, sizeof *x);
	double		*b = xcalloc((size_t)(to - from) + 1, sizeof *b);
	struct ci	 c;
	char		 safe[64];

	fprintf(f, "point %lld: %s\n  %-14s %5s", (long long)t->e[from].point,
	    *t->e[from].label ? t->e[from].label : "(the config's values)",
	    "model", "seeds");
	for (size_t g = 0; g < NFIG; g++)
		if (!figures[g].train || t->train)
			fprintf(f, "  %-16s", figures[g].header);
	fprintf(f, "  time/%s [95%% CI]\n", base);
	for (int i = from; i < to; i++) {
		const char	*m = t->e[i].model;
		int		 n = 0, seen = 0;

		for (int k = from; k < i && !seen; k++)
			seen = strcmp(t->e[k].model, m) == 0;
		if (seen)
			continue;
		for (int k = i; k < to; k++)
			if (strcmp(t->e[k].model, m) == 0)
				n++;
		fprintf(f, "  %-14s %5d", text_safe(safe, sizeof safe, m), n);
		for (size_t g = 0; g < NFIG; g++) {
			int	j = 0;

			if (figures[g].train && !t->train)
				continue;
			for (int k = i; k < to; k++)
				if (strcmp(t->e[k].model, m) == 0)
					x[j++] = t->e[k].v[g];
			stats_ci_mean(x, j, &c);
			print_ci(f, &c, figures[g].scale, 16);
		}
		n = 0;
		for (int k = i; k < to; k++)
			if (strcmp(t->e[k].model, m) == 0) {
				x[n] = t->e[k].v[0];
				b[n++] = base_of(t, t->e[k].point, t->e[k].seed,
				    base);
			}
		stats_ci_ratio(x, b, n, &c);
		if (c.n == 0)
			fprintf(f, "  -\n");
		else if (c.n < 2)
			fprintf(f, "  %.3f\n", c.mean);
		else
			fprintf(f, "  %.3f [%.3f, %.3f]\n", c.mean, c.lo, c.hi);
	}
	free(x);
	free(b);
}

/* show SWEEP: every point of sweep id, read from d, on stdout. */
int
cmd_sweep_show(struct db *d, int64_t id, const char *name,
    const struct options *o, char *err, size_t errlen)
{
	struct table	 t;
	const char	*base = o->baseline != NULL ? o->baseline : "bsp";
	int		 rc, from = 0;
	char		 safe[256];

	memset(&t, 0, sizeof t);
	t.col_seed = -1;
	if ((rc = db_sweep_export(d, id, collect, &t, err, errlen)) != 0)
		return (rc);
	printf("sweep %s: %d rows (complete runs x models); mean ± 95%% CI half-width"
	    " (Student t over seeds)\n", text_safe(safe, sizeof safe, name), t.n);
	for (int i = 1; i <= t.n; i++) {
		if (i < t.n && t.e[i].point == t.e[from].point)
			continue;
		print_point(stdout, &t, from, i, base);
		from = i;
	}
	printf("time/%s: the mean of per-seed ratios of the time to finish,"
	    " its interval over those pairs: every model runs on the same"
	    " draws for a seed (common random numbers), so pairs are tight.\n",
	    base);
	for (int i = 0; i < t.n; i++) {
		free(t.e[i].label);
		free(t.e[i].model);
	}
	free(t.e);
	return (0);
}
