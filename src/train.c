/*
 * The trainer (see train.h): it mirrors the engine's events.
 *   push     the worker's gradient on its own weights and next batch
 *   apply    that gradient joins the update being built
 *   update   PS weights -= lr * (sum or mean of the update's gradients)
 *   release  the worker reads the version it was released with (recent
 *            versions are kept: FastSync may release one a little late)
 *   join     a joining worker reads the current weights
 *   drop     the gradient is thrown away
 *   round    every eval_every rounds of the model, the test set (in a
 *            thread of its own, on a copy of the weights)
 * Anything that does not add up (a gradient applied twice, a version no
 * longer kept) is counted as an error: tests hold it at zero.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rng.h"
#include "sim.h"
#include "train.h"
#include "xmalloc.h"

#define RING		8	/* recent PS versions kept */

struct pending {
	int		 worker, round;
	uint64_t	 v_read;
	float		*g;
};

/*
 * The initial weights' evaluation. Every model starts from the same
 * weights (the seed's), so the first trainer to attach evaluates them
 * and the others, in any thread, take its figures: the same as their
 * own would be. Kept for one network and one set of weights at a time.
 */
struct train_first {
	pthread_mutex_t	 mu;
	enum nn_kind	 kind;
	int		 hidden, filters, n, correct;
	float		*w;		/* NULL: nothing evaluated yet */
	size_t		 np;
	double		 loss;
};

/*
 * A trainer's evaluation thread: the simulation goes on while it
 * evaluates a copy of the weights, one evaluation at a time. Whoever
 * reads the curve waits for it first (settle), so a curve is complete
 * when read and the same whatever the threads did.
 */
struct evaluator {
	pthread_t		 thread;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	struct trainer		*t;
	struct nn		 nn;		/* its own scratch */
	float			*w;		/* the weights evaluated */
	int			 job;		/* their curve point, -1: none */
	int			 stop;
};

struct trainer {
	const struct train_spec	*ts;
	const struct train_data	*data;
	struct sim		*s;
	struct nn		 nn;
	size_t			 np;
	int			 nw;
	float			*ring;		/* RING versions of np */
	uint64_t		 ring_v[RING];
	int			 head;		/* ring slot of the newest */
	double			*acc;		/* the update being built */
	int			 nacc;
	float			*w;		/* each worker's weights */
	uint64_t		*wv;		/*  and their version */
	uint64_t		*count;		/* gradients each worker made */
	uint64_t		 gradients;
	struct pending		*pend;
	int			 npend, cappend;
	int			*idx;
	struct train_eval	*evals;
	int			 nevals, capevals;
	struct evaluator	*ev;		/* NULL: evaluate in line */
	int			 next_eval;
	int			 errors;
	char			 err[160];
};

/*
 * Worker w's k-th minibatch: b indices into n items, drawn (with
 * replacement) from a stream of its own, the same in every model.
 */
void
trainer_batch(uint64_t seed, int w, uint64_t k, int n, int b, int *idx)
{
	struct rng r;

	rng_stream(&r, seed, RNG_BATCH, (uint64_t)w, k);
	for (int i = 0; i < b; i++)
		idx[i] = (int)rng_below(&r, (uint64_t)n);
}

static void
fail(struct trainer *t, const char *what, int worker, int round)
{
	if (t->errors++ == 0)
		snprintf(t->err, sizeof t->err, "training: %s (worker %d,"
		    " round %d)", what, worker, round);
}

static float *
version_weights(struct trainer *t, uint64_t v)
{
	for (int k = 0; k < RING; k++)
		if (t->ring_v[k] == v && (v != UINT64_MAX))
			return (t->ring + (size_t)k * t->np);
	return (NULL);
}

/*
 * The initial weights (version 0) on the first n test items: from
 * data->first if it holds them, else evaluated and kept there.
 */
static double
evaluate_first(struct trainer *t, const float *w, int n, int *correct)
{
	struct train_first	*f = t->data->first;
	const struct dataset	*d = &t->data->test;
	double			 loss;

	if (f == NULL)
		return (nn_evaluate(&t->nn, w, d->x, d->y, 0, n, correct));
	pthread_mutex_lock(&f->mu);
	if (f->w == NULL || f->kind != t->nn.kind || f->hidden !=
	    t->nn.hidden || f->filters != t->nn.filters || f->np != t->np ||
	    f->n != n || memcmp(f->w, w, t->np * sizeof *w) != 0) {
		f->loss = nn_evaluate(&t->nn, w, d->x, d->y, 0, n, &f->correct);
		f->w = xreallocarray(f->w, t->np, sizeof *f->w);
		memcpy(f->w, w, t->np * sizeof *w);
		f->kind = t->nn.kind;
		f->hidden = t->nn.hidden;
		f->filters = t->nn.filters;
		f->np = t->np;
		f->n = n;
	}
	*correct = f->correct;
	loss = f->loss;
	pthread_mutex_unlock(&f->mu);
	return (loss);
}

/* The test items evaluated. */
static int
eval_items(const struct trainer *t)
{
	const struct dataset	*d = &t->data->test;

	return (t->ts->eval_samples > 0 && t->ts->eval_samples < d->n ?
	    t->ts->eval_samples : d->n);
}

/* Curve point k's figures, from correct of n and the summed loss. */
static void
score(struct trainer *t, int k, int correct, int n, double loss)
{
	t->evals[k].accuracy = (double)correct / n;
	t->evals[k].loss = loss / n;
}

/* The evaluation thread: each job to the end, until told to stop. */
static void *
evaluator_main(void *arg)
{
	struct evaluator	*e = arg;
	const struct dataset	*d = &e->t->data->test;
	int			 n = eval_items(e->t), correct, k;
	double			 loss;

	pthread_mutex_lock(&e->mu);
	for (;;) {
		while (e->job < 0 && !e->stop)
			pthread_cond_wait(&e->cv, &e->mu);
		if (e->job < 0)
			break;
		k = e->job;
		pthread_mutex_unlock(&e->mu);
		loss = nn_evaluate(&e->nn, e->w, d->x, d->y, 0, n, &correct);
		pthread_mutex_lock(&e->mu);
		score(e->t, k, correct, n, loss);
		e->job = -1;
		pthread_cond_broadcast(&e->cv);
	}
	pthread_mutex_unlock(&e->mu);
	return (NULL);
}

/* An evaluation thread for t, or NULL (then t evaluates in line). */
static struct evaluator *
evaluator_start(struct trainer *t)
{
	struct evaluator	*e = xcalloc(1, sizeof *e);
	char			 err[160];

	e->t = t;
	e->job = -1;
	if (nn_init(&e->nn, t->nn.kind, t->nn.rows, t->nn.cols,
	    t->nn.classes, t->nn.hidden, t->nn.filters, err,
	    sizeof err) != 0) {
		free(e);
		return (NULL);
	}
	e->w = xreallocarray(NULL, t->np, sizeof *e->w);
	pthread_mutex_init(&e->mu, NULL);
	pthread_cond_init(&e->cv, NULL);
	if (pthread_create(&e->thread, NULL, evaluator_main, e) != 0) {
		pthread_cond_destroy(&e->cv);
		pthread_mutex_destroy(&e->mu);
		nn_free(&e->nn);
		free(e->w);
		free(e);
		return (NULL);
	}
	return (e);
}

/* Wait until e (if any) has no evaluation in flight. */
static void
settle(struct evaluator *e)
{
	if (e == NULL)
		return;
	pthread_mutex_lock(&e->mu);
	while (e->job >= 0)
		pthread_cond_wait(&e->cv, &e->mu);
	pthread_mutex_unlock(&e->mu);
}

static void
evaluator_stop(struct evaluator *e)
{
	if (e == NULL)
		return;
	pthread_mutex_lock(&e->mu);
	e->stop = 1;
	pthread_cond_broadcast(&e->cv);
	pthread_mutex_unlock(&e->mu);
	pthread_join(e->thread, NULL);
	pthread_cond_destroy(&e->cv);
	pthread_mutex_destroy(&e->mu);
	nn_free(&e->nn);
	free(e->w);
	free(e);
}

/*
 * The PS weights now on the test set, as the curve's next point: the
 * initial weights in line (shared), others by the evaluation thread.
 */
static void
evaluate(struct trainer *t, int round)
{
	const struct dataset	*d = &t->data->test;
	const float		*w = t->ring + (size_t)t->head * t->np;
	int			 n = eval_items(t), correct, k;
	double			 loss;

	settle(t->ev);
	if (t->nevals == t->capevals) {
		t->capevals = t->capevals ? 2 * t->capevals : 64;
		t->evals = xreallocarray(t->evals, (size_t)t->capevals,
		    sizeof *t->evals);
	}
	k = t->nevals++;
	t->evals[k] = (struct train_eval){ round, sim_now(t->s), (double)NAN,
	    (double)NAN, t->ring_v[t->head] };
	if (t->ev != NULL && t->ring_v[t->head] != 0) {
		memcpy(t->ev->w, w, t->np * sizeof *w);
		pthread_mutex_lock(&t->ev->mu);
		t->ev->job = k;
		pthread_cond_broadcast(&t->ev->cv);
		pthread_mutex_unlock(&t->ev->mu);
		return;
	}
	loss = t->ring_v[t->head] == 0 ? evaluate_first(t, w, n, &correct) :
	    nn_evaluate(&t->nn, w, d->x, d->y, 0, n, &correct);
	score(t, k, correct, n, loss);
}

static void
on_push(struct trainer *t, const struct sim_event *ev)
{
	const struct dataset	*d = &t->data->train;
	struct pending		*p;
	int			 w = ev->worker;

	if (t->wv[w] != ev->v_read)
		fail(t, "a worker's weights are not the version it read", w,
		    ev->round);
	if (t->npend == t->cappend) {
		t->cappend = t->cappend ? 2 * t->cappend : 16;
		t->pend = xreallocarray(t->pend, (size_t)t->cappend,
		    sizeof *t->pend);
	}
	p = &t->pend[t->npend++];
	p->worker = w;
	p->round = ev->round;
	p->v_read = ev->v_read;
	p->g = xmalloc(t->np * sizeof *p->g);
	trainer_batch(t->ts->seed, w, t->count[w]++, d->n, t->ts->batch,
	    t->idx);
	nn_gradient(&t->nn, t->w + (size_t)w * t->np, d->x, d->y, t->idx,
	    t->ts->batch, p->g);
	t->gradients++;
}

/*
 * Take the pending gradient of (worker, round, v_read) out; NULL if none.
 * The version tells apart a deferred gradient from the same worker's
 * in-flight one for the same round (it left and rejoined below it).
 */
static float *
take(struct trainer *t, int worker, int round, uint64_t v_read)
{
	for (int k = 0; k < t->npend; k++) {
		float *g = t->pend[k].g;

		if (t->pend[k].worker != worker || t->pend[k].round != round ||
		    t->pend[k].v_read != v_read)
			continue;
		t->pend[k] = t->pend[--t->npend];
		return (g);
	}
	return (NULL);
}

static void
on_update(struct trainer *t, const struct sim_event *ev)
{
	const float	*cur = t->ring + (size_t)t->head * t->np;
	double		 scale = t->ts->mean && ev->count > 0 ? 1.0 / ev->count :
			     1.0;
	float		*next;

	if (ev->count != t->nacc)
		fail(t, "an update's count differs from its gradients", -1,
		    ev->round);
	t->head = (t->head + 1) % RING;
	next = t->ring + (size_t)t->head * t->np;
	for (size_t i = 0; i < t->np; i++)
		next[i] = (float)((double)cur[i] - t->ts->lr * (t->acc[i] *
		    scale));
	t->ring_v[t->head] = ev->v_apply;
	memset(t->acc, 0, t->np * sizeof *t->acc);
	t->nacc = 0;
}

static void
read_weights(struct trainer *t, int w, uint64_t v, int round)
{
	const float *src = version_weights(t, v);

	if (src == NULL) {
		fail(t, "a released version is no longer kept", w, round);
		src = t->ring + (size_t)t->head * t->np;
	}
	memcpy(t->w + (size_t)w * t->np, src, t->np * sizeof *src);
	t->wv[w] = v;
}

static void
observer(const struct sim_event *ev, void *ud)
{
	struct trainer	*t = ud;
	float		*g;

	switch (ev->type) {
	case SIM_EV_PUSH:
		on_push(t, ev);
		break;
	case SIM_EV_APPLY:
		if ((g = take(t, ev->worker, ev->round, ev->v_read)) == NULL) {
			fail(t, "a gradient applied that was not pushed",
			    ev->worker, ev->round);
			break;
		}
		for (size_t i = 0; i < t->np; i++)
			t->acc[i] += (double)g[i];
		t->nacc++;
		free(g);
		break;
	case SIM_EV_UPDATE:
		on_update(t, ev);
		break;
	case SIM_EV_DROP:
	case SIM_EV_CUT:
		if ((g = take(t, ev->worker, ev->round, ev->v_read)) == NULL)
			fail(t, "a gradient dropped that was not pushed",
			    ev->worker, ev->round);
		free(g);
		break;
	case SIM_EV_RELEASE:
		read_weights(t, ev->worker, ev->v_apply, ev->round);
		break;
	case SIM_EV_PULLED:
		/* a joiner reads the version current as its pull ends */
		if (ev->v_read != t->wv[ev->worker])
			read_weights(t, ev->worker, ev->v_read, ev->round);
		break;
	case SIM_EV_ROUND:
	case SIM_EV_SYNC:
		while (sim_rounds_done(t->s) >= t->next_eval) {
			evaluate(t, t->next_eval);
			t->next_eval += t->ts->eval_every;
		}
		break;
	case SIM_EV_END:
		/* the weights as they end (FastSync's flush updates them
		 * after its last round) */
		if (t->nevals == 0 || t->evals[t->nevals - 1].version !=
		    t->ring_v[t->head])
			evaluate(t, sim_rounds_done(t->s));
		break;
	default:
		break;
	}
}

/*
 * Train with s's events: the weights start from the seed, every worker
 * holds version 0. Returns NULL with err if the network does not fit
 * the data.
 */
struct trainer *
trainer_attach(struct sim *s, const struct train_spec *ts,
    const struct train_data *data, char *err, size_t errlen)
{
	struct trainer	*t = xcalloc(1, sizeof *t);
	const struct dataset *d = &data->train;
	int		 classes = d->classes > data->test.classes ?
			     d->classes : data->test.classes;

	t->ts = ts;
	t->data = data;
	t->s = s;
	t->nw = sim_workers(s);
	if (data->test.rows != d->rows || data->test.cols != d->cols) {
		snprintf(err, errlen, "training: the test images are %dx%d,"
		    " the training ones %dx%d", data->test.rows,
		    data->test.cols, d->rows, d->cols);
		free(t);
		return (NULL);
	}
	if (nn_init(&t->nn, ts->net, d->rows, d->cols, classes < 2 ? 2 :
	    classes, ts->hidden, ts->filters, err, errlen) != 0) {
		free(t);
		return (NULL);
	}
	t->np = t->nn.nparams;
	t->ring = xcalloc((size_t)RING * t->np, sizeof *t->ring);
	for (int k = 0; k < RING; k++)
		t->ring_v[k] = UINT64_MAX;
	nn_weights(&t->nn, t->ring, ts->seed);
	t->ring_v[0] = 0;
	t->acc = xcalloc(t->np, sizeof *t->acc);
	t->w = xreallocarray(NULL, (size_t)t->nw * t->np, sizeof *t->w);
	for (int i = 0; i < t->nw; i++)
		memcpy(t->w + (size_t)i * t->np, t->ring, t->np * sizeof *t->w);
	t->wv = xcalloc((size_t)t->nw, sizeof *t->wv);
	t->count = xcalloc((size_t)t->nw, sizeof *t->count);
	t->idx = xcalloc((size_t)ts->batch, sizeof *t->idx);
	t->ev = evaluator_start(t);
	/* the curve starts with the initial weights, at t = 0 */
	evaluate(t, 0);
	t->next_eval = ts->eval_every;
	if (sim_observe(s, observer, t) != 0) {
		snprintf(err, errlen, "training: too many observers");
		trainer_free(t);
		return (NULL);
	}
	return (t);
}

void
trainer_free(struct trainer *t)
{
	if (t == NULL)
		return;
	evaluator_stop(t->ev);
	for (int k = 0; k < t->npend; k++)
		free(t->pend[k].g);
	free(t->pend);
	free(t->ring);
	free(t->acc);
	free(t->w);
	free(t->wv);
	free(t->count);
	free(t->idx);
	free(t->evals);
	nn_free(&t->nn);
	free(t);
}

const struct train_eval *
trainer_evals(const struct trainer *t, int *n)
{
	settle(t->ev);
	*n = t->nevals;
	return (t->evals);
}

/* The last evaluation's accuracy (NAN before any). */
double
trainer_accuracy(const struct trainer *t)
{
	settle(t->ev);
	return (t->nevals > 0 ? t->evals[t->nevals - 1].accuracy :
	    (double)NAN);
}

/* Simulated ms when an evaluation first reached the target, or NAN. */
double
trainer_time_to_target(const struct trainer *t)
{
	settle(t->ev);
	for (int k = 0; k < t->nevals; k++)
		if (t->evals[k].accuracy >= t->ts->target)
			return (t->evals[k].t);
	return ((double)NAN);
}

/* The PS weights now, and their version. */
const float *
trainer_weights(const struct trainer *t, uint64_t *v)
{
	*v = t->ring_v[t->head];
	return (t->ring + (size_t)t->head * t->np);
}

uint64_t
trainer_gradients(const struct trainer *t)
{
	return (t->gradients);
}

/* Gradients pushed and neither applied nor dropped yet. */
int
trainer_pending(const struct trainer *t)
{
	return (t->npend);
}

const char *
trainer_error(const struct trainer *t)
{
	return (t->errors > 0 ? t->err : NULL);
}

/* name[.gz] in dir, whichever is there; NULL with err if neither. */
static char *
find_file(const char *dir, const char *name, char *err, size_t errlen)
{
	char	*p;

	xasprintf(&p, "%s/%s.gz", dir, name);
	if (access(p, R_OK) == 0)
		return (p);
	free(p);
	xasprintf(&p, "%s/%s", dir, name);
	if (access(p, R_OK) == 0)
		return (p);
	snprintf(err, errlen, "%s: no %s[.gz] here (train.data: a folder"
	    " of MNIST-format IDX files; Fashion-MNIST comes with the"
	    " package dataset-fashion-mnist)", dir, name);
	free(p);
	return (NULL);
}

/*
 * The four IDX files of dir: train-images-idx3-ubyte, train-labels-
 * idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each
 * gzipped or not (MNIST, Fashion-MNIST and KMNIST ship them so).
 */
/* An empty set, ready for its datasets (train_data_load's start). */
void
train_data_init(struct train_data *d)
{
	memset(d, 0, sizeof *d);
	d->first = xcalloc(1, sizeof *d->first);
	pthread_mutex_init(&d->first->mu, NULL);
}

int
train_data_load(struct train_data *d, const char *dir, size_t max_pixels,
    char *err, size_t errlen)
{
	static const char *const names[4] = { "train-images-idx3-ubyte",
	    "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
	    "t10k-labels-idx1-ubyte" };
	char	*p[4] = { NULL, NULL, NULL, NULL };
	int	 r = -1;

	train_data_init(d);
	for (int i = 0; i < 4; i++)
		if ((p[i] = find_file(dir, names[i], err, errlen)) == NULL)
			goto out;
	if (dataset_load(&d->train, p[0], p[1], 256, max_pixels, err,
	    errlen) != 0)
		goto out;
	if (dataset_load(&d->test, p[2], p[3], 256, max_pixels, err,
	    errlen) != 0)
		goto out;
	r = 0;
out:
	for (int i = 0; i < 4; i++)
		free(p[i]);
	if (r != 0)
		train_data_free(d);
	return (r);
}

void
train_data_free(struct train_data *d)
{
	dataset_free(&d->train);
	dataset_free(&d->test);
	if (d->first != NULL) {
		pthread_mutex_destroy(&d->first->mu);
		free(d->first->w);
		free(d->first);
		d->first = NULL;
	}
}
