/*
 * The dashboard's engines: one per configured model, stepped together
 * in simulated-time order (the model with the earliest next event goes
 * first), so at any moment every model has run exactly the events due
 * by the time shown; going to a round or a time, and the themes. An
 * observer per engine (dash_observe.c) keeps what the panels need beyond
 * the engine's own views; the log is dash_log.c, going back and to
 * decisions dash_seek.c.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dash.h"
#include "wallclock.h"
#include "xmalloc.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/fastsync"
#endif

/* Simulated milliseconds per wall second; the last, 0, is "max". */
const double dash_speeds[] = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000,
    2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000, 1000000, 0 };
const int dash_nspeeds = sizeof dash_speeds / sizeof dash_speeds[0];
#define DEFAULT_SPEED	7	/* 200 ms/s: a default round in half a second */

double
dash_speed(const struct dash *d)
{
	return (dash_speeds[d->speed]);
}

/*
 * Engines for every model of cf, observed, nothing stepped yet. The
 * hooks' model_start runs for each (the recorder attaches there).
 */
struct dash *
dash_create(const struct fs_config *cf, const struct dash_opts *o, char *err,
    size_t errlen)
{
	struct dash	*d = xcalloc(1, sizeof *d);

	d->cf = cf;
	d->o = *o;
	d->nm = cf->nmodels;
	d->m = xcalloc((size_t)d->nm, sizeof *d->m);
	d->log = xcalloc(DASH_LOG, sizeof *d->log);
	d->speed = DEFAULT_SPEED;
	if (o->speed > 0) {
		/* the nearest step of the ladder at or above it */
		for (d->speed = 0; d->speed < dash_nspeeds - 2 &&
		    dash_speeds[d->speed] < o->speed; d->speed++)
			;
	} else if (o->speed < 0)
		d->speed = dash_nspeeds - 1;
	d->paused = o->start_paused;
	d->go_from = xcalloc((size_t)d->nm, sizeof *d->go_from);
	d->log_match = -1;
	d->themes = o->themes;
	d->nthemes = o->nthemes;
	for (int i = 0; i < d->nm; i++) {
		struct dash_model	*m = &d->m[i];

		m->spec = &cf->models[i];
		m->cluster_t = -1;
		m->label = xmalloc((size_t)cf->workers);
		m->hist = xcalloc((size_t)cf->workers, sizeof *m->hist);
		dash_observe_reset(d, i);
		if ((m->sim = sim_create(cf, m->spec, err, errlen)) == NULL) {
			dash_free(d);
			return (NULL);
		}
		sim_track(m->sim);
		if (sim_plan_view(m->sim, &m->plan, NULL)) {
			m->plan_w = xcalloc((size_t)cf->workers,
			    sizeof *m->plan_w);
			m->chk_w = xcalloc((size_t)cf->workers,
			    sizeof *m->chk_w);
			m->clu_w = xcalloc((size_t)cf->workers,
			    sizeof *m->clu_w);
			m->plan.point = -1;
		}
		if (dash_observe(d, i, m->sim) != 0) {
			snprintf(err, errlen, "too many observers");
			dash_free(d);
			return (NULL);
		}
		if (o->data != NULL && (m->tr = trainer_attach(m->sim,
		    &cf->ts, o->data, err, errlen)) == NULL) {
			dash_free(d);
			return (NULL);
		}
		if (o->hooks.model_start != NULL &&
		    o->hooks.model_start(o->hooks.ud, m->sim, i) != 0) {
			/* the hook's owner knows why (the recorder's error) */
			snprintf(err, errlen, "cannot record the run");
			dash_free(d);
			return (NULL);
		}
	}
	return (d);
}

void
dash_free(struct dash *d)
{
	if (d == NULL)
		return;
	for (int i = 0; i < d->nm; i++) {
		sim_free(d->m[i].sim);
		sim_free(d->m[i].live);
		trainer_free(d->m[i].tr);
		free(d->m[i].label);
		free(d->m[i].hist);
		free(d->m[i].plan_w);
		free(d->m[i].chk_w);
		free(d->m[i].clu_w);
		free(d->m[i].obs);
	}
	dash_themes_free(d->themes, d->nthemes);
	free(d->m);
	free(d->log);
	free(d->go_from);
	free(d);
}

/* Run the end hook of model i once its engine is done (or we quit). */
static int
end_model(struct dash *d, int i)
{
	struct dash_model *m = &d->m[i];
	char		   msg[160] = "";
	int		   rc = 0;

	if (m->ended)
		return (0);
	m->ended = 1;
	/* gone back in time: the hooked engine is the one ahead */
	if (d->o.hooks.model_end != NULL)
		rc = d->o.hooks.model_end(d->o.hooks.ud, m->live != NULL ?
		    m->live : m->sim, i, msg, sizeof msg);
	if (msg[0] != '\0')
		dash_say(d, rc != 0 ? SLOT_WARNING : SLOT_TEXT, "%s", msg);
	return (rc);
}

/* Every model's end hook, finished or not (quitting). */
int
dash_end_models(struct dash *d)
{
	int	rc = 0;

	for (int i = 0; i < d->nm; i++)
		if (end_model(d, i) != 0)
			rc = -1;
	return (rc);
}

static void
check_done(struct dash *d, int i)
{
	if (!sim_done(d->m[i].sim) || d->finished)
		return;
	(void)end_model(d, i);
	for (int k = 0; k < d->nm; k++)
		if (!sim_done(d->m[k].sim))
			return;
	d->finished = 1;
	d->paused = 1;
	dash_say(d, SLOT_TITLE, "run complete at t=%.1f ms: q quits", d->now);
}


/*
 * The model whose next event comes first, or -1 when all are done. A
 * model with nothing queued but not done is stepped once here, so the
 * engine records its deadlock (and it is done, with an error).
 */
int
dash_next_model(struct dash *d, double *t)
{
	int	best = -1;

	*t = INFINITY;
	for (int i = 0; i < d->nm; i++) {
		double ti;

		if (sim_done(d->m[i].sim))
			continue;
		if (isinf(ti = sim_next_time(d->m[i].sim))) {
			dash_step_model(d, i);
			continue;
		}
		if (ti < *t || best < 0) {
			*t = ti;
			best = i;
		}
	}
	return (best);
}

/* After model i stepped: the time shown, an error, its end. */
void
dash_after_steps(struct dash *d, int i)
{
	struct sim *s;

	dash_rejoin_live(d, i);
	s = d->m[i].sim;
	if (sim_now(s) > d->now)
		d->now = sim_now(s);
	if (sim_error(s) != NULL && !d->m[i].failed) {
		d->m[i].failed = 1;
		d->failed = 1;
		dash_say(d, SLOT_WARNING, "%s: %s", d->m[i].spec->name,
		    sim_error(s));
		d->paused = 1;
	}
	check_done(d, i);
}

void
dash_step_model(struct dash *d, int i)
{
	sim_step(d->m[i].sim);
	d->events++;
	d->m[i].events++;
	dash_after_steps(d, i);
}

/*
 * Step exactly one engine event (whichever model's is due first), or
 * with focus_only, the events up to and including the focus model's
 * next one (the others' on the way, to keep time order).
 */
int
dash_step_event(struct dash *d)
{
	double	t;
	int	i;

	d->stepping = 1;
	do {
		if ((i = dash_next_model(d, &t)) < 0)
			break;
		dash_step_model(d, i);
	} while (d->focus_only && i != d->focus &&
	    !sim_done(d->m[d->focus].sim));
	d->stepping = 0;
	return (i >= 0);
}

/*
 * Step every event due by simulated time target, for at most budget
 * wall seconds; then the shown time is target (the clock runs between
 * events) or, out of time, the end of the last whole slice. Models run
 * in turn over slices of simulated time, each a burst on its own engine
 * (far kinder to the caches than alternating event by event, and the
 * same state at every slice's end: the models are independent). The
 * slice adapts so that one takes about a tenth of the budget.
 */
int
dash_advance(struct dash *d, double target, double budget)
{
	double	deadline = wallclock() + budget, t;
	int	n = 0;

	d->behind = 0;
	if (!(d->slice > 0))
		d->slice = 10;
	while (!d->finished && dash_next_model(d, &t) >= 0 && t <= target) {
		double	w0 = wallclock(), w;
		double	end = fmin(target, fmax(t, d->now) + d->slice);

		for (int i = 0; i < d->nm; i++) {
			uint64_t k = sim_run_until(d->m[i].sim, end);

			d->events += k;
			d->m[i].events += k;
			n += (int)k;
			if (k > 0)
				dash_after_steps(d, i);
		}
		if (!d->finished && end > d->now)
			d->now = end;
		w = wallclock() - w0;
		if (w < budget / 20)
			d->slice *= 2;
		else if (w > budget / 5 && d->slice > 1e-3)
			d->slice /= 2;
		if (wallclock() > deadline && end < target) {
			d->behind = isfinite(target);
			return (n);
		}
	}
	if (!d->finished && isfinite(target) && target > d->now)
		d->now = target;
	return (n);
}

/*
 * Step, in time order, until the go-to target of model go_model is
 * reached (dash_reached), for at most budget wall seconds; then the
 * others catch up with its time. Returns 1 if time ran out first.
 */
static int
run_model_to(struct dash *d, double budget)
{
	double	 deadline = wallclock() + budget, t;
	int	 i, n = 0;

	while (!dash_reached(d) && !sim_done(d->m[d->go_model].sim)) {
		if ((i = dash_next_model(d, &t)) < 0)
			break;
		dash_step_model(d, i);
		if (sim_error(d->m[i].sim) != NULL)
			return (0);
		if ((++n & 255) == 0 && wallclock() > deadline)
			return (1);
	}
	/* the others catch up with its time */
	dash_advance(d, d->now, INFINITY);
	return (0);
}

/* 'r': to the focus model's next sync point (its next round). */
int
dash_step_sync(struct dash *d)
{
	struct sim *f = d->m[d->focus].sim;

	if (sim_done(f)) {
		dash_say(d, SLOT_DIM, "%s is done", d->m[d->focus].spec->name);
		return (0);
	}
	d->go_kind = GO_ROUND;
	d->go_model = d->focus;
	d->go_round = sim_rounds_done(f) + 1;
	return (run_model_to(d, INFINITY));
}

/*
 * 'g': "150" (a round of the focus model), "12.5s" or "800ms" (a time).
 * Ahead, sets where to go; dash_pursue() gets there a frame at a time,
 * so the dashboard stays live (and space cancels). Behind, the engines
 * are simulated again up to there (dash_seek.c). Bad input changes
 * nothing; every error is on the status line.
 */
int
dash_goto(struct dash *d, const char *s)
{
	char	*end;
	double	 v;

	while (*s == ' ')
		s++;
	if (strncmp(s, "t=", 2) == 0)
		s += 2;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0 || !(v >= 0) || !isfinite(v)) {
		dash_say(d, SLOT_WARNING, "go to: expected a round (150) or a"
		    " time (12.5s, 800ms), got '%s'", s);
		return (-1);
	}
	while (*end == ' ')
		end++;
	if (*end == '\0') {
		if (v != floor(v) || v > d->cf->rounds) {
			dash_say(d, SLOT_WARNING, "go to: round must be a whole"
			    " number in [0, %d], got '%s'", d->cf->rounds, s);
			return (-1);
		}
		if ((int)v <= sim_rounds_done(d->m[d->focus].sim))
			return (dash_rewind_round(d, (int)v));
		d->go_kind = GO_ROUND;
		d->go_round = (int)v;
		d->go_model = d->focus;
		d->going = 1;
		return (0);
	}
	if (strcmp(end, "s") == 0)
		v *= 1000;
	else if (strcmp(end, "ms") != 0) {
		dash_say(d, SLOT_WARNING, "go to: unknown unit '%s' (use s or"
		    " ms)", end);
		return (-1);
	}
	if (v <= d->now)
		return (dash_rewind_time(d, v));
	d->go_kind = GO_TIME;
	d->go_t = v;
	d->going = 1;
	return (0);
}

/*
 * Work toward the go-to target for at most budget wall seconds. Returns
 * 1 while it is not reached; there, the dashboard pauses.
 */
int
dash_pursue(struct dash *d, double budget)
{
	struct dash_model *m = &d->m[d->go_model];

	if (!d->going)
		return (0);
	if (d->go_kind != GO_TIME) {
		if (run_model_to(d, budget))
			return (1);
		if (d->go_kind == GO_ROUND)
			dash_say(d, SLOT_TEXT, "at round %d of %s, t=%.1f ms",
			    sim_rounds_done(m->sim), m->spec->name, d->now);
		else
			dash_seek_end(d);
	} else {
		dash_advance(d, d->go_t, budget);
		if (d->behind)
			return (1);
		dash_say(d, SLOT_TEXT, "at t=%.1f ms", d->now);
	}
	d->going = 0;
	d->paused = 1;
	return (0);
}

/*
 * The model the quorum panel shows: the focus if it plans syncs (a
 * quorum rule), else the first that clusters, else the first that plans.
 */
int
dash_focus_quorum(const struct dash *d)
{
	if (sim_plans(d->m[d->focus].sim))
		return (d->focus);
	for (int i = 0; i < d->nm; i++)
		if (sim_clusters(d->m[i].sim))
			return (i);
	for (int i = 0; i < d->nm; i++)
		if (sim_plans(d->m[i].sim))
			return (i);
	return (-1);
}

/* NAME: themes/NAME.theme here, else the installed one; else a path. */
static char *
theme_path(const char *name)
{
	char	*p;

	if (strchr(name, '/') != NULL || access(name, R_OK) == 0)
		return (xstrdup(name));
	xasprintf(&p, "themes/%s.theme", name);
	if (access(p, R_OK) == 0)
		return (p);
	free(p);
	xasprintf(&p, "%s/themes/%s.theme", PKGDATADIR, name);
	return (p);
}

/*
 * The themes 't' cycles through: the --theme one (want) first, then the
 * shipped ones that are found. A bad --theme is an error: -1 with err.
 * With no_color and no --theme, the monochrome theme comes first.
 */
int
dash_themes(const char *want, int no_color, struct theme **out, int *n,
    char *err, size_t errlen)
{
	static const char *const shipped[] = { "default", "light",
	    "high-contrast", "mono" };
	struct theme	*th;
	char		*path;
	int		 nt = 0, mono_first = no_color && want == NULL;

	th = xcalloc(2 + sizeof shipped / sizeof shipped[0], sizeof *th);
	if (want != NULL || mono_first) {
		path = theme_path(want != NULL ? want : "mono");
		/* a theme that fails to load is left as the built-in one */
		if (theme_load(&th[0], path, err, errlen) != 0 && !mono_first) {
			theme_free(&th[0]);
			free(th);
			free(path);
			return (-1);
		}
		/* (no mono file installed: colours are off anyway) */
		free(path);
		nt = 1;
	}
	for (size_t k = 0; k < sizeof shipped / sizeof shipped[0]; k++) {
		char e[256];

		if (nt > 0 && strcmp(th[0].name, shipped[k]) == 0)
			continue;
		path = theme_path(shipped[k]);
		/* the default not installed: the built-in one */
		if (theme_load(&th[nt], path, e, sizeof e) == 0 || k == 0)
			nt++;
		else
			theme_free(&th[nt]);
		free(path);
	}
	*out = th;
	*n = nt;
	return (0);
}

void
dash_themes_free(struct theme *th, int n)
{
	for (int i = 0; i < n; i++)
		theme_free(&th[i]);
	free(th);
}

/* Count the focus model's workers by state and by task, for the panels. */
void
dash_census(struct dash *d)
{
	struct sim	*s = d->m[d->focus].sim;
	int		 ntasks = d->cf->dag.n;

	memset(d->in_state, 0, sizeof d->in_state);
	memset(d->on_task, 0, sizeof d->on_task);
	for (int i = 0; i < sim_workers(s); i++) {
		struct sim_worker_view v;

		sim_worker(s, i, &v);
		d->in_state[v.state]++;
		if (v.task >= 0 && v.task < ntasks)
			d->on_task[v.task]++;
	}
}
