/*
 * fastsync plot RUN... -o FILE: a figure of recorded runs. Reads each
 * run's rows (db_load_rows), its models' kinds and evaluations (the
 * models and accuracy tables, as export sees them) and its accuracy
 * target (its configuration); plot_data.c makes the series, plot.c
 * draws them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "db.h"
#include "plot.h"
#include "xmalloc.h"

#define PLOT_WIDTH	900
#define PLOT_HEIGHT	560

/* A run being read, and its rows (the models point into them). */
struct loaded {
	struct plot_run		 run;
	struct report_row	*rows;
	int			 nrows;
};

static const struct db_cell *
cell(const struct db_cell *c, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(c[i].name, name) == 0)
			return (&c[i]);
	return (NULL);
}

static double
num(const struct db_cell *c)
{
	if (c == NULL || c->type == DB_NULL || c->type == DB_TEXT)
		return (NAN);
	return (c->type == DB_INT ? (double)c->i : c->d);
}

static struct plot_model *
model(struct plot_run *r, const struct db_cell *name)
{
	for (int i = 0; name != NULL && name->type == DB_TEXT && i < r->nm;
	    i++)
		if (strcmp(r->m[i].row->model, name->s) == 0)
			return (&r->m[i]);
	return (NULL);
}

/* export's callback for the runs table: the run's name. */
static void
runs_row(void *ud, const struct db_cell *c, int n, int header)
{
	struct plot_run		*r = ud;
	const struct db_cell	*name = cell(c, n, "name");

	if (!header && name != NULL && name->type == DB_TEXT)
		r->name = xstrdup(name->s);
}

/* ... for the models table: each model's kind. */
static void
models_row(void *ud, const struct db_cell *c, int n, int header)
{
	struct plot_model	*m = model(ud, cell(c, n, "model"));
	const struct db_cell	*kind = cell(c, n, "kind");

	if (!header && m != NULL && kind != NULL && kind->type == DB_TEXT) {
		free(m->kind);
		m->kind = xstrdup(kind->s);
	}
}

/* ... for the accuracy table: one evaluation. */
static void
accuracy_row(void *ud, const struct db_cell *c, int n, int header)
{
	struct plot_model	*m = model(ud, cell(c, n, "model"));
	struct plot_eval	*e;

	if (header || m == NULL)
		return;
	m->evals = xreallocarray(m->evals, (size_t)m->nevals + 1,
	    sizeof *m->evals);
	e = &m->evals[m->nevals++];
	e->round = (int)num(cell(c, n, "round"));
	e->t = num(cell(c, n, "t"));
	e->accuracy = num(cell(c, n, "accuracy"));
}

/* The target accuracy the run was made with (NAN: not a training run). */
static double
target(struct db *d, int64_t id)
{
	struct db_replay	 r;
	struct fs_config	 cf;
	char			 err[1024];
	double			 t = NAN;

	if (db_load_replay(d, id, &r, err, sizeof err) != 0)
		return (t);
	if (cmd_replay_config(&r, &cf, err, sizeof err) == 0) {
		if (cf.train)
			t = cf.ts.target;
		config_free(&cf);
	}
	db_replay_free(&r);
	return (t);
}

static int
load(struct db *d, const char *spec, struct loaded *l)
{
	struct plot_run	*r = &l->run;
	char		 err[1024] = "";
	int64_t		 id;
	int		 rc;

	memset(l, 0, sizeof *l);
	if ((rc = cmd_db_run(d, spec, &id)) != 0)
		return (rc);
	if (db_load_rows(d, id, &l->rows, &l->nrows, err, sizeof err) != 0) {
		cli_say("%s", err);
		return (1);
	}
	r->id = id;
	r->workers = l->nrows > 0 ? l->rows[0].workers : 0;
	r->m = xcalloc((size_t)l->nrows + 1, sizeof *r->m);
	r->nm = l->nrows;
	for (int i = 0; i < l->nrows; i++) {
		r->m[i].row = &l->rows[i];
		r->m[i].kind = xstrdup(l->rows[i].model);
	}
	if (db_export(d, id, "runs", runs_row, r, err, sizeof err) != 0 ||
	    db_export(d, id, "models", models_row, r, err, sizeof err) != 0 ||
	    db_export(d, id, "accuracy", accuracy_row, r, err,
	    sizeof err) != 0) {
		cli_say("%s", err);
		return (1);
	}
	r->target = target(d, id);
	return (0);
}

/*
 * db_sweep_export's callback: the columns' names, which are the varied
 * keys (after point, up to model; not the seed), and each row's numbers.
 */
static void
sweep_row(void *ud, const struct db_cell *c, int n, int header)
{
	struct plot_sweep	*sw = ud;
	struct plot_sweep_row	*r;
	const struct db_cell	*v;
	int			 keys = 0;

	if (header) {
		sw->col = xcalloc((size_t)n + 1, sizeof *sw->col);
		sw->key = xcalloc((size_t)n + 1, sizeof *sw->key);
		sw->ncol = n;
		for (int i = 0; i < n; i++) {
			sw->col[i] = xstrdup(c[i].name);
			if (strcmp(c[i].name, "model") == 0)
				keys = 0;
			else if (keys && strcmp(c[i].name, "seed") != 0)
				sw->key[sw->nkey++] = i;
			if (strcmp(c[i].name, "point") == 0)
				keys = 1;
		}
		return;
	}
	sw->r = xreallocarray(sw->r, (size_t)sw->n + 1, sizeof *sw->r);
	r = &sw->r[sw->n++];
	memset(r, 0, sizeof *r);
	r->point = (long long)num(cell(c, n, "point"));
	r->seed = (long long)num(cell(c, n, "seed"));
	v = cell(c, n, "model");
	r->model = xstrdup(v != NULL && v->type == DB_TEXT ? v->s : "?");
	v = cell(c, n, "kind");
	r->kind = xstrdup(v != NULL && v->type == DB_TEXT ? v->s : r->model);
	r->v = xcalloc((size_t)n + 1, sizeof *r->v);
	for (int i = 0; i < n; i++) {
		r->v[i] = num(&c[i]);
		if (c[i].type != DB_TEXT || !plot_sweep_key(sw, i))
			continue;
		if (r->text == NULL)
			r->text = xcalloc((size_t)n + 1, sizeof *r->text);
		r->text[i] = xstrdup(c[i].s);
	}
}

/* plot SWEEP: the sweep figure of sweep id, drawn to out. */
static int
plot_sweep(struct db *d, int64_t id, const char *name,
    const struct plot_spec *spec, const struct plot_out *out)
{
	struct plot_sweep	 sw;
	struct plot_fig		 f;
	char			 err[1024] = "";
	int			 rc = 0;

	memset(&sw, 0, sizeof sw);
	sw.name = xstrdup(name);
	if (spec->kind != NULL && strcmp(spec->kind, "sweep") != 0) {
		snprintf(err, sizeof err, "plot: '%s' is a sweep: draw it with"
		    " --kind sweep, or plot some of its runs", name);
		rc = EXIT_USAGE;
	} else if (db_sweep_export(d, id, sweep_row, &sw, err,
	    sizeof err) != 0)
		rc = 1;
	else if (sw.n == 0) {
		snprintf(err, sizeof err, "sweep %s has no complete run yet",
		    name);
		rc = EXIT_USAGE;
	} else if (plot_build_sweep(&f, &sw, spec, err, sizeof err) != 0)
		rc = EXIT_USAGE;
	else {
		if (plot_draw(&f, out, err, sizeof err) != 0)
			rc = EXIT_USAGE;
		plot_fig_free(&f);
	}
	if (err[0] != '\0')
		cli_say("%s", err);
	plot_sweep_free(&sw);
	return (rc);
}

static void
unload(struct loaded *l)
{
	for (int i = 0; i < l->run.nm; i++) {
		free(l->run.m[i].kind);
		free(l->run.m[i].evals);
	}
	free(l->run.m);
	free(l->run.name);
	free(l->run.label);
	db_free_rows(l->rows, l->nrows);
}

int
cmd_plot(int argc, char **argv, struct options *o)
{
	struct plot_spec	 spec = { o->kind, o->plot_x, o->models,
				    o->plot_y, o->baseline };
	struct plot_out		 out;
	struct plot_fig		 f;
	struct plot_run		*runs;
	struct loaded		*l;
	struct db		*d;
	char			 err[1024] = "";
	int			 rc = 0, n = 0;

	int64_t			 sweep;

	if (argc < 1)
		return (usage_error("plot: expected one or more RUNs, or a"
		    " SWEEP"));
	if (o->output == NULL)
		return (usage_error("plot: expected -o FILE.png, .svg or .pdf"));
	memset(&out, 0, sizeof out);
	out.path = o->output;
	if ((out.format = plot_format(o->output)) == NULL)
		return (usage_error("plot: %s: expected a name ending in .png,"
		    " .svg or .pdf", o->output));
	if (o->kind != NULL && !plot_kind_valid(o->kind))
		return (usage_error("--kind: expected %s, got '%s'",
		    plot_kind_names(), o->kind));
	out.width = o->width > 0 ? o->width : PLOT_WIDTH;
	out.height = o->height > 0 ? o->height : PLOT_HEIGHT;
	out.mono = o->mono;
	if ((d = cmd_db_open(o, 0, &rc)) == NULL)
		return (rc);
	if (argc == 1 && (rc = db_sweep_find(d, argv[0], &sweep, err,
	    sizeof err)) != 0) {
		if (rc < 0)
			cli_say("%s", err);
		else
			rc = plot_sweep(d, sweep, argv[0], &spec, &out);
		db_close(d);
		return (rc < 0 ? 1 : rc);
	}
	if (o->plot_y != NULL || o->baseline != NULL) {
		db_close(d);
		return (usage_error("%s: only for a sweep's figure (plot SWEEP"
		    " --kind sweep)", o->plot_y != NULL ? "--y" :
		    "--baseline"));
	}
	rc = 0;
	l = xcalloc((size_t)argc, sizeof *l);
	runs = xcalloc((size_t)argc, sizeof *runs);
	for (n = 0; n < argc && rc == 0; n++) {
		rc = load(d, argv[n], &l[n]);
		runs[n] = l[n].run;
	}
	if (rc == 0 && n > 1) {
		int64_t	*ids = xcalloc((size_t)n, sizeof *ids);
		char	**labels = xcalloc((size_t)n, sizeof *labels);

		for (int i = 0; i < n; i++)
			ids[i] = runs[i].id;
		db_run_labels(d, ids, n, labels);
		for (int i = 0; i < n; i++)
			runs[i].label = l[i].run.label = labels[i];
		free(ids);
		free(labels);
	}
	db_close(d);
	if (rc == 0 && plot_build(&f, runs, n, &spec, err, sizeof err) != 0)
		rc = EXIT_USAGE;
	else if (rc == 0) {
		if (plot_draw(&f, &out, err, sizeof err) != 0)
			rc = EXIT_USAGE;
		plot_fig_free(&f);
	}
	if (err[0] != '\0')
		cli_say("%s", err);
	for (int i = 0; i < n; i++)
		unload(&l[i]);
	free(l);
	free(runs);
	return (rc);
}
