/*
 * Real training inside the simulation: one worker under BSP is plain
 * sequential SGD bit for bit; under every model (with churn, and with
 * FastSync deferring or dropping late gradients) every pushed gradient
 * is applied or dropped once and every read is of the right version;
 * five BSP workers learn a separable problem; the same seed trains the
 * same weights; the initial evaluation shared by the models is each
 * one's own.
 */
#include <math.h>

#include "test_util.h"
#include "rng.h"
#include "sim.h"
#include "stats.h"
#include "train.h"

#define SIDE	12

static struct train_data data;

/* Class k lights a 3x3 patch at its own place; noise everywhere. */
static void
separable(struct dataset *d, int n, uint64_t seed)
{
	struct rng r;

	d->n = n;
	d->rows = d->cols = SIDE;
	d->classes = 10;
	d->x = calloc((size_t)n * SIDE * SIDE, sizeof *d->x);
	d->y = calloc((size_t)n, 1);
	assert_non_null(d->x);
	assert_non_null(d->y);
	rng_seed(&r, seed, 5, 6);
	for (int s = 0; s < n; s++) {
		int	 k = (int)rng_below(&r, 10);
		int	 pr = 1 + (k / 5) * 5, pc = 1 + (k % 5) * 2;
		float	*img = d->x + (size_t)s * SIDE * SIDE;

		d->y[s] = (uint8_t)k;
		for (int i = 0; i < SIDE * SIDE; i++)
			img[i] = (float)(0.3 * rng_uniform(&r));
		for (int a = 0; a < 3; a++)
			for (int b = 0; b < 3; b++)
				img[(pr + a) * SIDE + pc + b] += 0.7f;
	}
}

static int
setup(void **state)
{
	(void)state;
	train_data_init(&data);
	separable(&data.train, 2000, 1);
	separable(&data.test, 300, 2);
	return (0);
}

static int
teardown(void **state)
{
	(void)state;
	train_data_free(&data);
	return (0);
}

static struct train_spec
spec(void)
{
	struct train_spec ts = {
		.net = NN_CNN, .filters = 4, .batch = 8, .lr = 0.1, .mean = 1,
		.eval_every = 10, .eval_samples = 0, .target = 0.8, .seed = 5,
	};

	return (ts);
}

static void
load(struct fs_config *cf, const char *models, const char *workers,
    const char *rounds, const char *extra_key, const char *extra_value)
{
	char			err[512];
	struct config_override	o[3] = {
		{ "workers.count", workers, "test" },
		{ "rounds", rounds, "test" },
		{ extra_key, extra_value, "test" },
	};

	if (config_load(cf, SRCDIR "/configs/default.cfg", o, extra_key ? 3 :
	    2, err, sizeof err) != 0 || config_select_models(cf, models, err,
	    sizeof err) != 0)
		fail_msg("%s", err);
}

/*
 * BSP with n (1 or 2) workers: the weights are sequential SGD's, each
 * step lr times the sum (or the mean) of the workers' gradients on the
 * same weights, bit for bit. With two, a + b is b + a exactly, so the
 * order gradients arrive in is moot.
 */
static void
bsp_is_sgd(int n, const char *rounds, int mean)
{
	struct fs_config	 cf;
	struct train_spec	 ts = spec();
	struct trainer		*t;
	struct sim		*s;
	struct nn		 nn;
	char			 err[256], nw[8];
	const float		*got;
	float			*w, *g[2];
	double			*sum;
	uint64_t		 v, r = (uint64_t)atoi(rounds);
	int			 idx[8];

	ts.mean = mean;
	snprintf(nw, sizeof nw, "%d", n);
	load(&cf, "bsp", nw, rounds, NULL, NULL);
	s = sim_create(&cf, &cf.models[0], err, sizeof err);
	assert_non_null(s);
	t = trainer_attach(s, &ts, &data, err, sizeof err);
	assert_non_null(t);
	sim_run(s);
	assert_null(trainer_error(t));
	got = trainer_weights(t, &v);
	assert_int_equal(v, r);
	assert_int_equal(trainer_gradients(t), (uint64_t)n * r);

	assert_int_equal(nn_init(&nn, NN_CNN, SIDE, SIDE, 10, 0, 4, err,
	    sizeof err), 0);
	w = calloc(nn.nparams, sizeof *w);
	sum = calloc(nn.nparams, sizeof *sum);
	for (int i = 0; i < n; i++)
		g[i] = calloc(nn.nparams, sizeof *g[i]);
	nn_weights(&nn, w, ts.seed);
	for (uint64_t k = 0; k < r; k++) {
		for (int i = 0; i < n; i++) {
			trainer_batch(ts.seed, i, k, data.train.n, ts.batch,
			    idx);
			nn_gradient(&nn, w, data.train.x, data.train.y, idx,
			    ts.batch, g[i]);
		}
		for (size_t p = 0; p < nn.nparams; p++) {
			sum[p] = 0;
			for (int i = 0; i < n; i++)
				sum[p] += (double)g[i][p];
			w[p] = (float)((double)w[p] - ts.lr * (sum[p] *
			    (mean ? 1.0 / n : 1.0)));
		}
	}
	assert_memory_equal(w, got, nn.nparams * sizeof *w);
	free(w);
	free(sum);
	for (int i = 0; i < n; i++)
		free(g[i]);
	nn_free(&nn);
	trainer_free(t);
	sim_free(s);
	config_free(&cf);
}

/* One worker under BSP: the weights are sequential SGD's, bit for bit. */
static void
test_bsp_one_worker_is_sgd(void **state)
{
	(void)state;
	bsp_is_sgd(1, "40", 1);
}

/* Two BSP workers, sum and mean. */
static void
test_bsp_two_workers(void **state)
{
	(void)state;
	bsp_is_sgd(2, "15", 0);
	bsp_is_sgd(2, "15", 1);
}

/*
 * Every model, with churn and FastSync's two late-gradient policies:
 * the trainer's books balance (no gradient applied twice or never
 * pushed, every read of a kept version) and its gradients are the
 * engine's pushes: applied + dropped.
 */
static void
test_books_balance(void **state)
{
	static const struct {
		const char *key, *value;
	} variants[] = {
		{ NULL, NULL },
		{ "models.fastsync.late_gradients", "drop" },
		{ "workers.leave_rate", "2" },
	};

	(void)state;
	for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
		struct fs_config cf;

		/* 20 rounds, a multiple of eval_every: the end's evaluation
		 * must still see FastSync's flush */
		load(&cf, "all", "6", "20", variants[v].key, variants[v].value);
		if (variants[v].key != NULL &&
		    strcmp(variants[v].key, "workers.leave_rate") == 0) {
			/* come back quickly, keep some present */
			cf.join_rate = 20;
			cf.workers_min = 2;
		}
		for (int m = 0; m < cf.nmodels; m++) {
			struct train_spec	 ts = spec();
			char			 err[256];
			struct sim		*s = sim_create(&cf, &cf.models[m],
						    err, sizeof err);
			struct trainer		*t;
			const struct stats	*st;
			int			 ne;

			assert_non_null(s);
			t = trainer_attach(s, &ts, &data, err, sizeof err);
			assert_non_null(t);
			sim_run(s);
			if (trainer_error(t) != NULL)
				fail_msg("%s (%s=%s): %s", cf.models[m].name,
				    variants[v].key ? variants[v].key : "-",
				    variants[v].value ? variants[v].value : "-",
				    trainer_error(t));
			st = sim_stats(s);
			assert_int_equal(trainer_gradients(t),
			    st->gradients + st->dropped);
			/* nothing left behind at the end */
			assert_int_equal(trainer_pending(t), 0);
			/* the last evaluation is of the final weights (25
			 * rounds: FastSync's flush comes after round 20's) */
			{
				const struct train_eval	*e = trainer_evals(t,
							    &ne);
				uint64_t		 ver;

				(void)trainer_weights(t, &ver);
				assert_true(ne >= 3);
				assert_int_equal(e[ne - 1].version, ver);
				assert_true(e[0].t == 0 && e[0].round == 0 &&
				    e[0].version == 0);
			}
			trainer_free(t);
			sim_free(s);
		}
		config_free(&cf);
	}
}

/* Five BSP workers learn the separable problem; evaluations are timed. */
static void
test_bsp_learns(void **state)
{
	struct fs_config	 cf;
	struct train_spec	 ts = spec();
	struct trainer		*t;
	struct sim		*s;
	const struct train_eval	*ev;
	char			 err[256];
	int			 n;

	(void)state;
	load(&cf, "bsp", "5", "60", NULL, NULL);
	s = sim_create(&cf, &cf.models[0], err, sizeof err);
	t = trainer_attach(s, &ts, &data, err, sizeof err);
	assert_non_null(t);
	sim_run(s);
	ev = trainer_evals(t, &n);
	assert_int_equal(n, 7);		/* rounds 0, 10, ..., 60 */
	assert_true(ev[0].t == 0);	/* the initial weights */
	assert_true(ev[0].accuracy < 0.5);
	if (!(trainer_accuracy(t) > 0.95))
		fail_msg("accuracy %.3f after 60 rounds", trainer_accuracy(t));
	for (int k = 1; k < n; k++) {
		assert_int_equal(ev[k].round, 10 * k);
		assert_true(ev[k].t > ev[k - 1].t);
	}
	assert_true(trainer_time_to_target(t) > 0);
	assert_true(trainer_time_to_target(t) <= ev[n - 1].t);
	trainer_free(t);
	sim_free(s);
	config_free(&cf);
}

/* The same seed trains the same weights; another seed others. */
static void
test_deterministic(void **state)
{
	struct fs_config	 cf;
	float			*first = NULL;
	size_t			 np = 0;

	(void)state;
	load(&cf, "fastsync", "4", "12", NULL, NULL);
	for (int run = 0; run < 3; run++) {
		struct train_spec	 ts = spec();
		char			 err[256];
		struct sim		*s = sim_create(&cf, &cf.models[0], err,
					    sizeof err);
		struct trainer		*t;
		const float		*w;
		uint64_t		 v;
		struct nn		 nn;

		ts.seed = run == 2 ? 6 : 5;
		t = trainer_attach(s, &ts, &data, err, sizeof err);
		sim_run(s);
		w = trainer_weights(t, &v);
		assert_int_equal(nn_init(&nn, NN_CNN, SIDE, SIDE, 10, 0, 4,
		    err, sizeof err), 0);
		np = nn.nparams;
		nn_free(&nn);
		if (run == 0) {
			first = malloc(np * sizeof *first);
			memcpy(first, w, np * sizeof *first);
		} else if (run == 1)
			assert_memory_equal(first, w, np * sizeof *first);
		else
			assert_memory_not_equal(first, w, np * sizeof *first);
		trainer_free(t);
		sim_free(s);
	}
	free(first);
	config_free(&cf);
}

/* The first point of model m's curve, its trainer seeded seed, on d. */
static struct train_eval
first_point(const struct fs_config *cf, int m, uint64_t seed,
    const struct train_data *d)
{
	struct train_spec	 ts = spec();
	char			 err[256];
	struct sim		*s = sim_create(cf, &cf->models[m], err,
				    sizeof err);
	struct trainer		*t;
	struct train_eval	 e;
	int			 ne;

	assert_non_null(s);
	ts.seed = seed;
	t = trainer_attach(s, &ts, d, err, sizeof err);
	assert_non_null(t);
	e = trainer_evals(t, &ne)[0];
	assert_int_equal(ne, 1);
	trainer_free(t);
	sim_free(s);
	return (e);
}

/*
 * The initial weights are evaluated once for every model: each model's
 * first point is the one a trainer of its own would have computed, for
 * every model, and for another seed (other weights) its own again.
 */
static void
test_first_eval_shared(void **state)
{
	struct fs_config	 cf;
	struct train_data	 own = data;
	struct train_eval	 alone[2], e;

	(void)state;
	own.first = NULL;	/* no sharing: each trainer evaluates */
	load(&cf, "all", "3", "5", NULL, NULL);
	for (int k = 0; k < 2; k++)
		alone[k] = first_point(&cf, 0, 5 + (uint64_t)k, &own);
	for (int rep = 0; rep < 2; rep++)
		for (int m = 0; m < cf.nmodels; m++) {
			int	k = (m / 2 + rep) % 2;

			e = first_point(&cf, m, 5 + (uint64_t)k, &data);
			assert_true(e.accuracy == alone[k].accuracy);
			assert_true(e.loss == alone[k].loss);
			assert_int_equal(e.version, 0);
		}
	assert_true(alone[0].loss != alone[1].loss);
	config_free(&cf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bsp_one_worker_is_sgd),
		cmocka_unit_test(test_bsp_two_workers),
		cmocka_unit_test(test_books_balance),
		cmocka_unit_test(test_bsp_learns),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_first_eval_shared),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
