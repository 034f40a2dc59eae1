/*
 * A figure's series from recorded runs (plot.h), one kind per row of
 * kinds[]: what it is, and how its panels are filled. No drawing here,
 * so tests can check the numbers a figure will show.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"
#include "sim.h"
#include "xmalloc.h"

/* The figure under construction, and what it is made from. */
struct build {
	struct plot_fig		*f;
	const struct plot_run	*runs;
	int			 nruns;
	const struct plot_spec	*spec;
};

typedef int	kind_fn(struct build *, char *, size_t);

static kind_fn	kind_time, kind_accuracy, kind_rounds, kind_round_dist,
		kind_staleness, kind_syncpoints, kind_sweep;

static const struct {
	const char	*name;
	kind_fn		*fn;
} kinds[] = {
	{ "time", kind_time },
	{ "accuracy", kind_accuracy },
	{ "rounds", kind_rounds },
	{ "round-dist", kind_round_dist },
	{ "staleness", kind_staleness },
	{ "syncpoints", kind_syncpoints },
	{ "sweep", kind_sweep },	/* plot_sweep.c, of a sweep */
};
#define NKINDS	(sizeof kinds / sizeof kinds[0])

const char *
plot_kind_names(void)
{
	return ("time, accuracy, rounds, round-dist, staleness, syncpoints"
	    " or sweep");
}

int
plot_kind_valid(const char *name)
{
	for (size_t k = 0; k < NKINDS; k++)
		if (strcmp(kinds[k].name, name) == 0)
			return (1);
	return (0);
}

/* Accuracy when every run was a training run, else the time figure. */
const char *
plot_default_kind(const struct plot_run *runs, int nruns)
{
	for (int r = 0; r < nruns; r++)
		for (int i = 0; i < runs[r].nm; i++)
			if (runs[r].m[i].nevals == 0)
				return ("time");
	return (nruns > 0 ? "accuracy" : "time");
}

/* Is a model of this name and kind in list (-m: names or kinds; NULL all)? */
int
plot_wanted(const char *list, const char *name, const char *kind)
{
	const char	*e;
	size_t		 len;

	if (list == NULL)
		return (1);
	for (const char *s = list; *s != '\0'; s = *e ? e + 1 : e) {
		e = s + strcspn(s, ",");
		len = (size_t)(e - s);
		if ((strlen(name) == len && strncmp(name, s, len) == 0) ||
		    (strlen(kind) == len && strncmp(kind, s, len) == 0))
			return (1);
	}
	return (0);
}

static int
wanted(const struct plot_spec *spec, const struct plot_model *m)
{
	return (plot_wanted(spec->models, m->row->model, m->kind));
}

/* The seed run r was made with (its first model's row). */
static unsigned long long
run_seed(const struct plot_run *r)
{
	return (r->nm > 0 ? (unsigned long long)r->m[0].row->seed : 0);
}

/*
 * Runs apart: by the label the caller found (db_run_labels: the name, else
 * what differs in their settings), else by name if they all differ in
 * it, else by workers, else by seed, else by id.
 */
static void
run_label(const struct build *b, int r, char *buf, size_t len)
{
	int	names = 1, workers = 1, seeds = 1;

	for (int i = 0; i < b->nruns; i++)
		for (int j = 0; j < i; j++) {
			if (b->runs[i].name == NULL || b->runs[j].name ==
			    NULL || strcmp(b->runs[i].name, b->runs[j].name) ==
			    0)
				names = 0;
			if (b->runs[i].workers == b->runs[j].workers)
				workers = 0;
			if (run_seed(&b->runs[i]) == run_seed(&b->runs[j]))
				seeds = 0;
		}
	if (b->nruns < 2)
		buf[0] = '\0';
	else if (b->runs[r].label != NULL)
		snprintf(buf, len, "%s ", b->runs[r].label);
	else if (names)
		snprintf(buf, len, "%s ", b->runs[r].name);
	else if (workers)
		snprintf(buf, len, "%d workers ", b->runs[r].workers);
	else if (seeds)
		snprintf(buf, len, "seed %llu ", run_seed(&b->runs[r]));
	else
		snprintf(buf, len, "run %lld ", b->runs[r].id);
}

/* A new series of n points (x, y zeroed) in panel p for model m. */
static struct plot_series *
add_series(struct build *b, struct plot_panel *p, int r,
    const struct plot_model *m, int n)
{
	struct plot_series	*s;
	char			 prefix[96];

	run_label(b, r, prefix, sizeof prefix);
	p->s = xreallocarray(p->s, (size_t)p->ns + 1, sizeof *p->s);
	s = &p->s[p->ns++];
	memset(s, 0, sizeof *s);
	xasprintf(&s->label, "%s%s", prefix, m->row->model);
	s->kind = m->kind;
	for (int i = 0; i < p->ns - 1; i++)
		s->variant += strcmp(p->s[i].kind, s->kind) == 0;
	s->x = xcalloc((size_t)n + 1, sizeof *s->x);
	s->y = xcalloc((size_t)n + 1, sizeof *s->y);
	return (s);
}

static struct plot_panel *
panel(struct build *b, enum plot_style style, const char *xlabel,
    const char *ylabel)
{
	struct plot_panel	*p = &b->f->p[b->f->np++];

	memset(p, 0, sizeof *p);
	p->style = style;
	p->hline = p->vline = p->ymin = NAN;
	snprintf(p->xlabel, sizeof p->xlabel, "%s", xlabel);
	snprintf(p->ylabel, sizeof p->ylabel, "%s", ylabel);
	return (p);
}

/* The title: what, and of which runs. */
static void
title(struct build *b, const char *what)
{
	const struct plot_run	*r = &b->runs[0];
	char			 runs[64];

	if (b->nruns > 1)
		snprintf(runs, sizeof runs, "%d runs", b->nruns);
	else if (r->name != NULL)
		snprintf(runs, sizeof runs, "%s", r->name);
	else
		snprintf(runs, sizeof runs, "run %lld", r->id);
	if (b->nruns > 1 && b->runs[0].workers != b->runs[1].workers)
		snprintf(b->f->title, sizeof b->f->title, "%s (%s)", what,
		    runs);
	else
		snprintf(b->f->title, sizeof b->f->title, "%s, %d workers"
		    " (%s)", what, r->workers, runs);
}

/* Rounds of a model with a recorded end (a run cut short has fewer). */
static int
rounds_done(const struct report_row *row)
{
	int	n = 0;

	while (n < row->st.rounds && (row->st.round[n].t_end >= 0 ||
	    row->st.round[n].t_sync >= 0))
		n++;
	return (n);
}

/* Fail with "run N has no WHAT" unless the panel got a point. */
static int
need(struct build *b, const struct plot_panel *p, const char *what,
    char *err, size_t len)
{
	for (int i = 0; i < p->ns; i++)
		if (p->s[i].n > 0)
			return (0);
	if (b->nruns == 1)
		snprintf(err, len, "run %lld has no %s", b->runs[0].id, what);
	else
		snprintf(err, len, "none of the runs has %s", what);
	return (-1);
}

/* Each model's per-round value fn, over the rounds it recorded. */
static void
per_round(struct build *b, struct plot_panel *p, int cumulative,
    double scale)
{
	for (int r = 0; r < b->nruns; r++)
		for (int i = 0; i < b->runs[r].nm; i++) {
			const struct plot_model *m = &b->runs[r].m[i];
			int n = rounds_done(m->row);
			struct plot_series *s;
			double sum = 0;

			if (!wanted(b->spec, m))
				continue;
			s = add_series(b, p, r, m, n);
			for (int k = 0; k < n; k++) {
				double v = stats_round_time(&m->row->st, k);

				sum = cumulative ? sum + v : v;
				s->x[k] = k + 1;
				s->y[k] = sum * scale;
			}
			s->n = n;
		}
}

/* The paper's Figs. 18 and 19: training time against iterations. */
static int
kind_time(struct build *b, char *err, size_t len)
{
	struct plot_panel	*p = panel(b, PLOT_LINES, "iterations (rounds)",
				    "training time (simulated s)");

	title(b, "Training time against iterations");
	per_round(b, p, 1, 1e-3);
	p->ymin = 0;
	return (need(b, p, "rounds recorded", err, len));
}

/* Test accuracy against simulated time (or rounds), with the target. */
static int
kind_accuracy(struct build *b, char *err, size_t len)
{
	int			 rounds = b->spec->x != NULL &&
				    strcmp(b->spec->x, "rounds") == 0;
	struct plot_panel	*p;

	if (b->spec->x != NULL && !rounds && strcmp(b->spec->x, "time") != 0) {
		snprintf(err, len, "--x: accuracy is drawn against time or"
		    " rounds, got '%s'", b->spec->x);
		return (-1);
	}
	p = panel(b, PLOT_LINES, rounds ? "iterations (rounds)" :
	    "simulated time (s)", "test accuracy (%)");
	title(b, "Test accuracy");
	for (int r = 0; r < b->nruns; r++) {
		const struct plot_run *run = &b->runs[r];

		for (int i = 0; i < run->nm; i++) {
			const struct plot_model *m = &run->m[i];
			struct plot_series *s;

			if (!wanted(b->spec, m))
				continue;
			s = add_series(b, p, r, m, m->nevals);
			for (int k = 0; k < m->nevals; k++) {
				s->x[k] = rounds ? m->evals[k].round :
				    m->evals[k].t / 1000;
				s->y[k] = 100 * m->evals[k].accuracy;
			}
			s->n = m->nevals;
		}
		if (!isnan(run->target) && (r == 0 || run->target ==
		    b->runs[0].target))
			p->hline = 100 * run->target;
		else
			p->hline = NAN;
	}
	if (!isnan(p->hline))
		snprintf(p->ref_label, sizeof p->ref_label, "target %.4g%%",
		    p->hline);
	return (need(b, p, "accuracy rows (record a run with workload ="
	    " \"train\")", err, len));
}

/* Inter-sync time of every round. */
static int
kind_rounds(struct build *b, char *err, size_t len)
{
	struct plot_panel	*p = panel(b, PLOT_LINES, "round",
				    "inter-sync time (simulated ms)");

	title(b, "Inter-sync time per round");
	per_round(b, p, 0, 1);
	p->ymin = 0;
	return (need(b, p, "rounds recorded", err, len));
}

/* The distribution of inter-sync times: each model's empirical CDF. */
static int
kind_round_dist(struct build *b, char *err, size_t len)
{
	struct plot_panel	*p = panel(b, PLOT_STEPS,
				    "inter-sync time (simulated ms)",
				    "fraction of rounds at most this long");

	title(b, "Distribution of inter-sync times");
	per_round(b, p, 0, 1);
	for (int i = 0; i < p->ns; i++) {
		struct plot_series *s = &p->s[i];

		/* y holds the times: sort them onto x, y is the rank */
		memcpy(s->x, s->y, (size_t)s->n * sizeof *s->x);
		qsort(s->x, (size_t)s->n, sizeof *s->x, stats_cmp_double);
		for (int k = 0; k < s->n; k++)
			s->y[k] = (double)(k + 1) / s->n;
	}
	p->ymin = 0;
	return (need(b, p, "rounds recorded", err, len));
}

/* Applied gradients' staleness, as a share of each model's gradients. */
static int
kind_staleness(struct build *b, char *err, size_t len)
{
	struct plot_panel	*p = panel(b, PLOT_STEPS,
				    "staleness (versions behind)",
				    "applied gradients (%)");

	title(b, "Staleness of applied gradients");
	for (int r = 0; r < b->nruns; r++)
		for (int i = 0; i < b->runs[r].nm; i++) {
			const struct plot_model *m = &b->runs[r].m[i];
			const uint64_t *h = m->row->st.hist;
			struct plot_series *s;
			uint64_t total = 0;
			int top = 0;

			if (!wanted(b->spec, m))
				continue;
			for (int k = 0; k <= STATS_HIST; k++) {
				total += h[k];
				top = h[k] > 0 ? k : top;
			}
			/* bars centred on each count, closed after the last */
			s = add_series(b, p, r, m, top + 2);
			for (int k = 0; total > 0 && k <= top + 1; k++) {
				s->x[k] = k - 0.5;
				s->y[k] = k > top ? 0 : 100.0 * (double)h[k] /
				    (double)total;
			}
			s->n = total > 0 ? top + 2 : 0;
		}
	if (b->nruns == 1 || b->runs[0].workers == b->runs[1].workers) {
		p->vline = b->runs[0].workers - 1;
		snprintf(p->ref_label, sizeof p->ref_label, "ASP theory:"
		    " P-1 = %d", b->runs[0].workers - 1);
	}
	p->ymin = 0;
	return (need(b, p, "applied gradients", err, len));
}

/* FastSync's sync points, by name, in the order its rules try them. */
static const char *const sync_points[] = { "ts1", "ts2", "ts3", "fallback" };
static const int sync_point_ids[] = { SP_TS1, SP_TS2, SP_TS3, SP_FALLBACK };

/* FastSync: which rule synced each round, and the quorum fraction. */
static int
kind_syncpoints(struct build *b, char *err, size_t len)
{
	struct plot_panel	*pts = panel(b, PLOT_POINTS, "round",
				    "sync point");
	struct plot_panel	*q = panel(b, PLOT_LINES, "round",
				    "quorum (ready / present)");

	title(b, "FastSync's sync points and quorum");
	pts->yticks = sync_points;
	pts->nyticks = 4;
	q->ymin = 0;
	for (int r = 0; r < b->nruns; r++)
		for (int i = 0; i < b->runs[r].nm; i++) {
			const struct plot_model *m = &b->runs[r].m[i];
			int n = rounds_done(m->row);
			struct plot_series *s, *sq;

			if (strcmp(m->kind, "fastsync") != 0 ||
			    !wanted(b->spec, m))
				continue;
			s = add_series(b, pts, r, m, n);
			sq = add_series(b, q, r, m, n);
			for (int k = 0; k < n; k++) {
				const struct round_stats *rs =
				    &m->row->st.round[k];

				if (rs->t_sync < 0)
					continue;
				for (int c = 0; c < 4; c++)
					if (rs->point == sync_point_ids[c]) {
						s->x[s->n] = k + 1;
						s->y[s->n++] = c;
					}
				sq->x[sq->n] = k + 1;
				sq->y[sq->n++] = rs->quorum;
			}
		}
	return (need(b, pts, "FastSync rounds synced (syncpoints are"
	    " FastSync's: -m fastsync)", err, len));
}

/* Runs are not a sweep: plot_build_sweep draws sweeps. */
static int
kind_sweep(struct build *b, char *err, size_t len)
{
	if (b->nruns == 1)
		snprintf(err, len, "--kind sweep: run %lld is not a sweep (give"
		    " a sweep's name: fastsync runs lists them)", b->runs[0].id);
	else
		snprintf(err, len, "--kind sweep: expected one sweep's name,"
		    " not runs");
	return (-1);
}

/* Build the figure of spec's kind; -1 and err when the runs lack it. */
int
plot_build(struct plot_fig *f, const struct plot_run *runs, int nruns,
    const struct plot_spec *spec, char *err, size_t len)
{
	struct build	 b = { f, runs, nruns, spec };
	const char	*kind = spec->kind != NULL ? spec->kind :
			    plot_default_kind(runs, nruns);

	memset(f, 0, sizeof *f);
	for (size_t k = 0; k < NKINDS; k++)
		if (strcmp(kinds[k].name, kind) == 0) {
			if (kinds[k].fn(&b, err, len) == 0)
				return (0);
			plot_fig_free(f);
			return (-1);
		}
	snprintf(err, len, "--kind: expected %s, got '%s'", plot_kind_names(),
	    kind);
	return (-1);
}

void
plot_fig_free(struct plot_fig *f)
{
	for (int p = 0; p < f->np; p++) {
		for (int i = 0; i < f->p[p].ns; i++) {
			free(f->p[p].s[i].label);
			free(f->p[p].s[i].x);
			free(f->p[p].s[i].y);
			free(f->p[p].s[i].lo);
			free(f->p[p].s[i].hi);
		}
		free(f->p[p].s);
	}
	memset(f, 0, sizeof *f);
}
