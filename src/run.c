/*
 * Headless runs. Models run on the same configuration and seed, hence on
 * identical worker draws, several at a time in threads (each model's
 * engine and trainer are its own; the recorder locks); a progress bar
 * on stderr (when it is a terminal) shows rounds done over all models.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "run.h"
#include "sim.h"
#include "text.h"
#include "train.h"
#include "wallclock.h"
#include "xmalloc.h"

struct progress {
	int		 enabled;
	long long	 total, done;
	double		 last;		/* wall seconds at the last redraw */
};

static void
progress_draw(struct progress *p, const char *model, int force)
{
	double	now, frac;
	int	width = 40, fill;
	char	name[64];

	if (!p->enabled)
		return;
	now = wallclock();
	if (!force && now - p->last < 0.1)
		return;
	p->last = now;
	frac = p->total > 0 ? (double)p->done / (double)p->total : 1;
	fill = (int)(frac * width);
	fprintf(stderr, "\r%-10s [%.*s%*s] %3d%%", text_safe(name,
	    sizeof name, model), fill,
	    "########################################", width - fill, "",
	    (int)(frac * 100));
	fflush(stderr);
}

/* Keep a model's per-worker and per-round figures past its engine. */
static void
copy_detail(struct report_row *row, const struct sim *s)
{
	const struct stats	*st = sim_stats(s);
	size_t			 n = (size_t)st->rounds;

	row->nwv = sim_workers(s);
	row->wv = xcalloc((size_t)row->nwv, sizeof *row->wv);
	for (int w = 0; w < row->nwv; w++)
		sim_worker(s, w, &row->wv[w]);
	row->st.round = xreallocarray(NULL, n, sizeof *row->st.round);
	memcpy(row->st.round, st->round, n * sizeof *row->st.round);
}

/* What the threads share: the work, its results, one lock. */
struct run {
	const struct fs_config		*cf;
	const struct train_data		*data;
	const struct report_writer	*wr;
	struct recorder			*rec;
	volatile sig_atomic_t		*stop;
	struct report_row		*rows;
	long long			*done;		/* rounds, per model */
	struct progress			 p;
	pthread_mutex_t			 mu;
	int				 next;		/* model to take */
	int				 failed;	/* its model, else nmodels */
	struct run_error		 e;		/* its error */
};

/*
 * Model i failed (under r->mu). The lowest failing model's error is the
 * one kept, as a serial run would stop at it; models after it stop.
 */
static void
run_fail(struct run *r, int i, enum run_err kind, const char *msg)
{
	if (i < r->failed) {
		r->failed = i;
		r->e.kind = kind;
		snprintf(r->e.msg, sizeof r->e.msg, "%s", msg);
	}
}

/* Model i to the end (or a signal), its row filled and recorded. */
static void
run_model(struct run *r, int i)
{
	const struct fs_config	*cf = r->cf;
	const struct model_spec *m = &cf->models[i];
	struct report_row	*row = &r->rows[i];
	struct trainer		*t = NULL;
	struct sim		*s;
	char			 err[512];
	int			 aborted = 0;

	if ((s = sim_create(cf, m, err, sizeof err)) == NULL ||
	    (r->data != NULL && (t = trainer_attach(s, &cf->ts, r->data, err,
	    sizeof err)) == NULL) ||
	    (r->rec != NULL && recorder_model(r->rec, s, i) != 0)) {
		if (s != NULL && r->rec != NULL && recorder_error(r->rec))
			snprintf(err, sizeof err, "%s",
			    recorder_error(r->rec));
		pthread_mutex_lock(&r->mu);
		run_fail(r, i, RUN_ERUNTIME, err);
		pthread_mutex_unlock(&r->mu);
		trainer_free(t);
		sim_free(s);
		return;
	}
	/* step by step: a signal is seen within 4096 events, even when
	 * churn keeps any round from ending */
	for (uint64_t k = 1; !*r->stop && sim_step(s); k++) {
		if ((k & 4095) != 0)
			continue;
		if (r->rec != NULL && recorder_error(r->rec) != NULL)
			break;
		pthread_mutex_lock(&r->mu);
		r->done[i] = sim_rounds_done(s);
		r->p.done = 0;
		for (int j = 0; j < cf->nmodels; j++)
			r->p.done += r->done[j];
		progress_draw(&r->p, m->name, 0);
		aborted = r->failed < i;	/* an earlier model failed */
		pthread_mutex_unlock(&r->mu);
		if (aborted)
			break;
	}
	err[0] = '\0';
	if (aborted)
		;	/* the run fails with the earlier model's error */
	else if (sim_error(s) != NULL)
		snprintf(err, sizeof err, "%s", sim_error(s));
	else if (t != NULL && trainer_error(t) != NULL)
		snprintf(err, sizeof err, "%s: %s", m->name, trainer_error(t));
	else if (r->rec != NULL && recorder_error(r->rec) != NULL)
		snprintf(err, sizeof err, "%s", recorder_error(r->rec));
	else {
		report_row_fill(row, s, t);
		if (r->wr->detail)
			copy_detail(row, s);
		if (r->rec != NULL && recorder_model_end(r->rec, s, row) != 0)
			snprintf(err, sizeof err, "%s", recorder_error(r->rec));
		row->evals = NULL;	/* the trainer's, freed below */
		row->nevals = 0;
	}
	pthread_mutex_lock(&r->mu);
	if (err[0] != '\0')
		run_fail(r, i, RUN_ERUNTIME, err);
	else if (*r->stop)
		run_fail(r, i, RUN_STOPPED, "interrupted");	/* no output */
	r->done[i] = cf->rounds;
	pthread_mutex_unlock(&r->mu);
	trainer_free(t);
	sim_free(s);
}

/* A thread: take the next model until none is left (or one failed). */
static void *
run_thread(void *arg)
{
	struct run	*r = arg;
	int		 i;

	for (;;) {
		pthread_mutex_lock(&r->mu);
		i = r->next < r->failed ? r->next++ : r->cf->nmodels;
		pthread_mutex_unlock(&r->mu);
		if (i >= r->cf->nmodels)
			return (NULL);
		run_model(r, i);
	}
}

/*
 * Run every model of cf to the end, jobs at a time in threads (models
 * are independent and deterministic: the rows are a serial run's), and
 * write one row each in the configuration's order, recording them with
 * rec if not NULL. Each engine is freed as soon as its row is copied.
 * Returns RUN_OK; RUN_ERUNTIME (a model failed) or RUN_EOUTPUT (writing
 * the rows did) with the message in *e; RUN_STOPPED if *stop was set.
 */
enum run_err
run_headless(const struct fs_config *cf, const struct train_data *data,
    const struct report_writer *wr, int jobs, int show_progress, FILE *out,
    struct recorder *rec, volatile sig_atomic_t *stop, struct run_error *e)
{
	struct run	 r;
	pthread_t	*th;
	int		*up, nth = jobs < cf->nmodels ? jobs : cf->nmodels;

	memset(&r, 0, sizeof r);
	r.cf = cf;
	r.data = data;
	r.wr = wr;
	r.rec = rec;
	r.stop = stop;
	r.rows = xcalloc((size_t)cf->nmodels, sizeof *r.rows);
	r.done = xcalloc((size_t)cf->nmodels, sizeof *r.done);
	r.failed = cf->nmodels;
	r.p.enabled = show_progress;
	r.p.total = (long long)cf->rounds * cf->nmodels;
	pthread_mutex_init(&r.mu, NULL);
	if (nth < 1)
		nth = 1;
	th = xcalloc((size_t)nth, sizeof *th);
	up = xcalloc((size_t)nth, sizeof *up);
	/* the calling thread is one of them; one that fails to start is
	 * simply not there */
	for (int k = 1; k < nth; k++)
		up[k] = pthread_create(&th[k], NULL, run_thread, &r) == 0;
	run_thread(&r);
	for (int k = 1; k < nth; k++)
		if (up[k])
			pthread_join(th[k], NULL);
	free(th);
	free(up);
	pthread_mutex_destroy(&r.mu);
	*e = r.e;
	if (r.p.enabled) {
		r.p.done = r.p.total;
		progress_draw(&r.p, "done", 1);
		fputs("\r\033[K", stderr);
	}
	if (e->kind == RUN_OK) {
		for (int i = 0; i < cf->nmodels; i++)
			r.rows[i].run = rec != NULL ? recorder_run_id(rec) : 0;
		wr->write(out, r.rows, cf->nmodels);
		if (fflush(out) != 0 || ferror(out)) {
			e->kind = RUN_EOUTPUT;
			snprintf(e->msg, sizeof e->msg, "writing output: %s",
			    strerror(errno));
		}
	}
	for (int i = 0; i < cf->nmodels; i++) {
		free(r.rows[i].wv);
		free(r.rows[i].st.round);
	}
	free(r.rows);
	free(r.done);
	return (e->kind);
}
