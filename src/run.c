/*
 * Headless runs. Models run on the same configuration and seed, hence on
 * identical worker draws, several at a time in threads (each model's
 * engine and trainer are its own; the recorder locks only per round);
 * the progress on stderr (when it is a terminal) shows each model's
 * rounds, the time so far and an ETA.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "run.h"
#include "sim.h"
#include "text.h"
#include "train.h"
#include "wallclock.h"
#include "xmalloc.h"

/*
 * The progress on stderr: a line per model (its bar, rounds done, and
 * whether it waits, runs or is done), then the time so far and an ETA
 * from the rounds done over all models; redrawn in place at most ten
 * times a second, cleared at the end.
 */
struct progress {
	int		 enabled;
	const struct fs_config *cf;
	long long	 total, done;	/* rounds, all models */
	long long	*rounds;	/* rounds done, per model */
	int		*state;		/* 0 waiting, 1 running, 2 done */
	double		 start;		/* wall seconds */
	double		 last;		/* at the last redraw */
	int		 lines;		/* drawn last time */
};

static void
progress_draw(struct progress *p, int force)
{
	static const char	*const states[] = { "waiting", "running",
				    "done" };
	const struct fs_config	*cf = p->cf;
	char			 el[16], eta[16];
	double			 now, frac;
	int			 width = 30;
	char			 name[64];
	struct winsize		 ws;

	if (!p->enabled)
		return;
	/* a line that wrapped would break drawing in place */
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		width = ws.ws_col < 34 + 10 ? 10 : ws.ws_col - 34 > 30 ? 30 :
		    ws.ws_col - 34;
	now = wallclock();
	if (!force && now - p->last < 0.1)
		return;
	p->last = now;
	if (p->lines > 0)
		fprintf(stderr, "\r\033[%dA", p->lines);
	for (int i = 0; i < cf->nmodels; i++) {
		int fill;

		frac = cf->rounds > 0 ? (double)p->rounds[i] / cf->rounds : 1;
		fill = (int)(frac * width);
		fprintf(stderr, "\r\033[K%-12.12s [%.*s%*s] %3d%% %lld/%d %s\n",
		    text_safe(name, sizeof name, cf->models[i].name), fill,
		    "##############################", width - fill, "",
		    (int)(frac * 100), p->rounds[i], cf->rounds,
		    states[p->state[i]]);
	}
	text_duration(el, sizeof el, now - p->start);
	if (p->done > 0 && p->done < p->total)
		text_duration(eta, sizeof eta, (now - p->start) *
		    (double)(p->total - p->done) / (double)p->done);
	else
		snprintf(eta, sizeof eta, p->done >= p->total ? "0.0s" : "-");
	fprintf(stderr, "\r\033[Kelapsed %s  ETA %s\n", el, eta);
	p->lines = cf->nmodels + 1;
	fflush(stderr);
}

/* Leave the terminal as it was: the progress lines go. */
static void
progress_clear(struct progress *p)
{
	if (!p->enabled || p->lines == 0)
		return;
	fprintf(stderr, "\r\033[%dA\033[J", p->lines);
	fflush(stderr);
	p->lines = 0;
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
	struct progress			 p;		/* rounds, per model */
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
	pthread_mutex_lock(&r->mu);
	r->p.state[i] = 1;
	progress_draw(&r->p, 1);
	pthread_mutex_unlock(&r->mu);
	/* step by step: a signal is seen within 4096 events, even when
	 * churn keeps any round from ending */
	for (uint64_t k = 1; !*r->stop && sim_step(s); k++) {
		if ((k & 4095) != 0)
			continue;
		if (r->rec != NULL && recorder_error(r->rec) != NULL)
			break;
		pthread_mutex_lock(&r->mu);
		r->p.done += sim_rounds_done(s) - r->p.rounds[i];
		r->p.rounds[i] = sim_rounds_done(s);
		progress_draw(&r->p, 0);
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
	r->p.done += cf->rounds - r->p.rounds[i];
	r->p.rounds[i] = cf->rounds;
	r->p.state[i] = 2;
	progress_draw(&r->p, 1);
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
	r.failed = cf->nmodels;
	r.p.enabled = show_progress;
	r.p.cf = cf;
	r.p.total = (long long)cf->rounds * cf->nmodels;
	r.p.rounds = xcalloc((size_t)cf->nmodels, sizeof *r.p.rounds);
	r.p.state = xcalloc((size_t)cf->nmodels, sizeof *r.p.state);
	r.p.start = wallclock();
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
	progress_clear(&r.p);
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
	free(r.p.rounds);
	free(r.p.state);
	return (e->kind);
}
