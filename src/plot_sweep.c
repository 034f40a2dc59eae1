/*
 * The sweep figure (fastsync plot SWEEP --kind sweep): a metric, or each
 * model's ratio to a baseline, against one varied key; one line per
 * model (and per value of the other varied keys), through the mean over
 * the sweep's seeds at each value, with 95% confidence bars (Student t
 * over the seeds; a ratio's on the paired per-seed ratios, as show SWEEP
 * gives them). No drawing here: tests check the numbers.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"
#include "stats.h"
#include "stats_ci.h"
#include "xmalloc.h"

/* Short names for the usual figures: column, axis label, scale. */
static const struct {
	const char	*name, *column, *label, *what;
	double		 scale;
} aliases[] = {
	{ "time", "time_ms", "time to finish (simulated s)", "Time to finish",
	    1e-3 },
	{ "round", "round_mean_ms", "mean round time (simulated ms)",
	    "Mean round time", 1 },
	{ "staleness", "staleness_mean", "mean staleness (versions)",
	    "Mean staleness", 1 },
	{ "accuracy", "accuracy", "final test accuracy (%)", "Final accuracy",
	    100 },
	{ "target", "time_to_target", "time to target accuracy (simulated s)",
	    "Time to target", 1e-3 },
	{ "throughput", "throughput", "throughput (gradients/s)", "Throughput",
	    1 },
};
#define NALIASES	(sizeof aliases / sizeof aliases[0])

/* What y is: a column of the rows (or the ratio of time_ms), scaled. */
struct yaxis {
	int		 col;
	int		 ratio;
	const char	*base;
	double		 scale;
	char		 label[64];
	char		 what[64];	/* the title's words */
};

static int
column(const struct plot_sweep *sw, const char *name)
{
	for (int c = 0; c < sw->ncol; c++)
		if (strcmp(sw->col[c], name) == 0)
			return (c);
	return (-1);
}

/* Is column c one of the sweep's varied keys? */
int
plot_sweep_key(const struct plot_sweep *sw, int c)
{
	for (int k = 0; k < sw->nkey; k++)
		if (sw->key[k] == c)
			return (1);
	return (0);
}

static int
resolve_y(const struct plot_sweep *sw, const struct plot_spec *spec,
    struct yaxis *y, char *err, size_t len)
{
	const char	*name = spec->y;
	int		 any = 0;

	memset(y, 0, sizeof *y);
	y->base = spec->baseline != NULL ? spec->baseline : "bsp";
	y->scale = 1;
	if (name == NULL) {
		/* the ratio when the baseline ran (or was asked for), else
		 * the time itself */
		name = spec->baseline != NULL ? "ratio" : "time";
		for (int i = 0; i < sw->n; i++)
			if (strcmp(sw->r[i].model, y->base) == 0)
				name = "ratio";
	}
	if (strcmp(name, "ratio") == 0) {
		y->ratio = 1;
		y->col = column(sw, "time_ms");
		snprintf(y->label, sizeof y->label, "time to finish / %s's",
		    y->base);
		snprintf(y->what, sizeof y->what, "Time to finish / %s's",
		    y->base);
		for (int i = 0; i < sw->n; i++)
			any |= strcmp(sw->r[i].model, y->base) == 0;
		if (!any) {
			snprintf(err, len, "--baseline: sweep %s has no model"
			    " '%s' (give --baseline MODEL, or --y METRIC)",
			    sw->name, y->base);
			return (-1);
		}
	} else {
		y->col = column(sw, name);
		snprintf(y->label, sizeof y->label, "%s", name);
		snprintf(y->what, sizeof y->what, "%s", name);
		for (size_t a = 0; a < NALIASES; a++)
			if (strcmp(aliases[a].name, name) == 0 ||
			    strcmp(aliases[a].column, name) == 0) {
				y->col = column(sw, aliases[a].column);
				y->scale = aliases[a].scale;
				snprintf(y->label, sizeof y->label, "%s",
				    aliases[a].label);
				snprintf(y->what, sizeof y->what, "%s",
				    aliases[a].what);
			}
	}
	if (y->col < 0 || plot_sweep_key(sw, y->col) || strcmp(name, "point") == 0 ||
	    strcmp(name, "run") == 0 || strcmp(name, "seed") == 0) {
		snprintf(err, len, "--y: expected ratio, time, round, staleness,"
		    " accuracy, target, throughput or a metric of fastsync(1)"
		    " OUTPUT, got '%s'", name);
		return (-1);
	}
	for (int i = 0; i < sw->n && !any; i++)
		any = isfinite(sw->r[i].v[y->col]);
	if (!any) {
		snprintf(err, len, "sweep %s has no %s values%s", sw->name,
		    sw->col[y->col], strcmp(sw->col[y->col], "accuracy") == 0 ||
		    strcmp(sw->col[y->col], "time_to_target") == 0 ?
		    " (not a training sweep)" : "");
		return (-1);
	}
	return (0);
}

/* The baseline's time on row r's point and seed (NAN: none). */
static double
base_time(const struct plot_sweep *sw, const struct plot_sweep_row *r,
    const struct yaxis *y)
{
	for (int i = 0; i < sw->n; i++)
		if (sw->r[i].point == r->point && sw->r[i].seed == r->seed &&
		    strcmp(sw->r[i].model, y->base) == 0)
			return (sw->r[i].v[y->col]);
	return (NAN);
}

/* Column c's text in row r, NULL for a number. */
static const char *
text_of(const struct plot_sweep_row *r, int c)
{
	return (r->text != NULL ? r->text[c] : NULL);
}

/* Do rows a and b share the model and every key but column x? */
static int
same_line(const struct plot_sweep *sw, const struct plot_sweep_row *a,
    const struct plot_sweep_row *b, int x)
{
	if (strcmp(a->model, b->model) != 0)
		return (0);
	for (int k = 0; k < sw->nkey; k++) {
		int		 c = sw->key[k];
		const char	*ta = text_of(a, c), *tb = text_of(b, c);

		if (c == x)
			continue;
		if (ta != NULL || tb != NULL) {
			if (ta == NULL || tb == NULL || strcmp(ta, tb) != 0)
				return (0);
		} else if (a->v[c] != b->v[c])
			return (0);
	}
	return (1);
}

/*
 * A key as a legend names it: its last part (models.quorum.quorum:
 * quorum), workers for workers.count; in full if another key of the
 * sweep would read the same.
 */
static void
key_name(const struct plot_sweep *sw, int c, char *buf, size_t len)
{
	const char	*dot;

	for (int k = 0; k < sw->nkey; k++) {
		const char	*a = sw->col[c], *b = sw->col[sw->key[k]];
		const char	*da = strrchr(a, '.'), *db = strrchr(b, '.');

		if (sw->key[k] != c && strcmp(da ? da : a, db ? db : b) == 0) {
			snprintf(buf, len, "%s", a);
			return;
		}
	}
	if (strcmp(sw->col[c], "workers.count") == 0) {
		snprintf(buf, len, "workers");
		return;
	}
	dot = strrchr(sw->col[c], '.');
	snprintf(buf, len, "%s", dot != NULL ? dot + 1 : sw->col[c]);
}

/* "quorum (workers=20)": the model, then the other keys' values. */
static char *
line_label(const struct plot_sweep *sw, const struct plot_sweep_row *r,
    int x)
{
	char		 buf[512];
	const char	*sep = " (";
	size_t		 at;

	at = (size_t)snprintf(buf, sizeof buf, "%s", r->model);
	for (int k = 0; k < sw->nkey && at < sizeof buf; k++) {
		int	c = sw->key[k];

		char	name[128];

		if (c == x)
			continue;
		key_name(sw, c, name, sizeof name);
		if (text_of(r, c) != NULL)
			at += (size_t)snprintf(buf + at, sizeof buf - at,
			    "%s%s=%s", sep, name, text_of(r, c));
		else
			at += (size_t)snprintf(buf + at, sizeof buf - at,
			    "%s%s=%g", sep, name, r->v[c]);
		sep = ", ";
	}
	if (*sep == ',' && at < sizeof buf)
		snprintf(buf + at, sizeof buf - at, ")");
	return (xstrdup(buf));
}

/* One line: the mean (and its interval) at each value of x. */
static void
fill_line(const struct plot_sweep *sw, int first, int x,
    const struct yaxis *y, struct plot_series *s)
{
	double		*xs = xcalloc((size_t)sw->n + 1, sizeof *xs);
	double		*v = xcalloc((size_t)sw->n + 1, sizeof *v);
	double		*b = xcalloc((size_t)sw->n + 1, sizeof *b);
	int		 nx = 0;
	struct ci	 c;

	for (int i = first; i < sw->n; i++)
		if (same_line(sw, &sw->r[first], &sw->r[i], x)) {
			int seen = 0;

			for (int k = 0; k < nx && !seen; k++)
				seen = xs[k] == sw->r[i].v[x];
			if (!seen)
				xs[nx++] = sw->r[i].v[x];
		}
	qsort(xs, (size_t)nx, sizeof *xs, stats_cmp_double);
	s->x = xcalloc((size_t)nx + 1, sizeof *s->x);
	s->y = xcalloc((size_t)nx + 1, sizeof *s->y);
	s->lo = xcalloc((size_t)nx + 1, sizeof *s->lo);
	s->hi = xcalloc((size_t)nx + 1, sizeof *s->hi);
	for (int k = 0; k < nx; k++) {
		int	m = 0;

		for (int i = first; i < sw->n; i++) {
			const struct plot_sweep_row *r = &sw->r[i];

			if (!same_line(sw, &sw->r[first], r, x) ||
			    r->v[x] != xs[k])
				continue;
			v[m] = r->v[y->col];
			b[m++] = y->ratio ? base_time(sw, r, y) : 1;
		}
		if (y->ratio)
			stats_ci_ratio(v, b, m, &c);
		else
			stats_ci_mean(v, m, &c);
		if (c.n == 0)
			continue;
		s->x[s->n] = xs[k];
		s->y[s->n] = c.mean * y->scale;
		/* one seed: no interval, a bar of no length */
		s->lo[s->n] = (c.n < 2 ? c.mean : c.lo) * y->scale;
		s->hi[s->n] = (c.n < 2 ? c.mean : c.hi) * y->scale;
		s->n++;
	}
	free(xs);
	free(v);
	free(b);
}

static int
seeds(const struct plot_sweep *sw)
{
	int	n = 0;

	for (int i = 0; i < sw->n; i++) {
		int	seen = 0;

		for (int k = 0; k < i && !seen; k++)
			seen = sw->r[k].seed == sw->r[i].seed;
		n += !seen;
	}
	return (n);
}

int
plot_build_sweep(struct plot_fig *f, const struct plot_sweep *sw,
    const struct plot_spec *spec, char *err, size_t len)
{
	struct plot_panel	*p;
	struct yaxis		 y;
	int			 x = -1, ns;

	memset(f, 0, sizeof *f);
	if (sw->nkey == 0) {
		snprintf(err, len, "sweep %s varies no key (nothing to draw"
		    " against: show %s gives its figures)", sw->name, sw->name);
		return (-1);
	}
	x = spec->x != NULL ? column(sw, spec->x) : sw->key[0];
	if (x < 0 || !plot_sweep_key(sw, x)) {
		char	keys[512] = "";
		size_t	at = 0;

		for (int k = 0; k < sw->nkey && at < sizeof keys; k++)
			at += (size_t)snprintf(keys + at, sizeof keys - at,
			    "%s%s", k ? ", " : "", sw->col[sw->key[k]]);
		snprintf(err, len, "--x: expected a key sweep %s varies (%s),"
		    " got '%s'", sw->name, keys, spec->x);
		return (-1);
	}
	for (int i = 0; i < sw->n; i++)
		if (!isfinite(sw->r[i].v[x])) {
			snprintf(err, len, "--x: %s's values are not numbers"
			    " in sweep %s (draw against another key; its"
			    " values make lines)", sw->col[x], sw->name);
			return (-1);
		}
	if (resolve_y(sw, spec, &y, err, len) != 0)
		return (-1);
	ns = seeds(sw);
	p = &f->p[f->np++];
	memset(p, 0, sizeof *p);
	p->style = PLOT_LINES;
	p->vline = p->ymin = NAN;
	p->hline = y.ratio ? 1 : NAN;
	if (y.ratio)
		snprintf(p->ref_label, sizeof p->ref_label, "%s", y.base);
	snprintf(p->xlabel, sizeof p->xlabel, "%s", sw->col[x]);
	snprintf(p->ylabel, sizeof p->ylabel, "%s", y.label);
	snprintf(f->title, sizeof f->title, "%s against %s (sweep %s, %d"
	    " seed%s, 95%% CI)", y.what, sw->col[x], sw->name, ns,
	    ns == 1 ? "" : "s");
	for (int i = 0; i < sw->n; i++) {
		const struct plot_sweep_row *r = &sw->r[i];
		struct plot_series	*s;
		int			 seen = 0;

		if (!plot_wanted(spec->models, r->model, r->kind) || (y.ratio &&
		    strcmp(r->model, y.base) == 0))
			continue;
		for (int k = 0; k < i && !seen; k++)
			seen = same_line(sw, &sw->r[k], r, x);
		if (seen)
			continue;
		p->s = xreallocarray(p->s, (size_t)p->ns + 1, sizeof *p->s);
		s = &p->s[p->ns++];
		memset(s, 0, sizeof *s);
		s->label = line_label(sw, r, x);
		s->kind = r->kind;
		for (int k = 0; k < p->ns - 1; k++)
			s->variant += strcmp(p->s[k].kind, s->kind) == 0;
		fill_line(sw, i, x, &y, s);
	}
	for (int i = 0; i < p->ns; i++)
		if (p->s[i].n > 0)
			return (0);
	if (spec->models != NULL)
		snprintf(err, len, "sweep %s has no model -m %s names%s",
		    sw->name, spec->models, y.ratio ? " (besides the"
		    " baseline)" : "");
	else
		snprintf(err, len, "sweep %s has no model to draw besides the"
		    " baseline %s", sw->name, y.base);
	plot_fig_free(f);
	return (-1);
}

void
plot_sweep_free(struct plot_sweep *sw)
{
	for (int c = 0; c < sw->ncol; c++)
		free(sw->col[c]);
	for (int i = 0; i < sw->n; i++) {
		for (int c = 0; sw->r[i].text != NULL && c < sw->ncol; c++)
			free(sw->r[i].text[c]);
		free(sw->r[i].text);
		free(sw->r[i].model);
		free(sw->r[i].kind);
		free(sw->r[i].v);
	}
	free(sw->col);
	free(sw->key);
	free(sw->r);
	free(sw->name);
	memset(sw, 0, sizeof *sw);
}
