/*
 * The training networks: every layer's gradient against finite
 * differences (softmax regression, the MLP's two dense layers, the CNN's
 * convolution and dense layer through ReLU and max-pool), determinism,
 * and plain SGD on a small separable dataset reaching > 95% accuracy
 * with each network. Bad shapes are refused with a message.
 */
#include <math.h>

#include "test_util.h"
#include "nn.h"
#include "rng.h"

/* Random inputs in [0, 1) and labels. */
static void
random_data(float *x, uint8_t *y, int n, int in, int classes, uint64_t seed)
{
	struct rng r;

	rng_seed(&r, seed, 1, 2);
	for (int i = 0; i < n * in; i++)
		x[i] = (float)rng_uniform(&r);
	for (int i = 0; i < n; i++)
		y[i] = (uint8_t)rng_below(&r, (uint64_t)classes);
}

/*
 * The central difference of n's loss at w[i] with step h, the step as
 * the floats took it.
 */
static double
central(struct nn *n, float *w, const float *x, const uint8_t *y,
    size_t i, float h, float *g)
{
	const float	keep = w[i], up = keep + h, down = keep - h;
	int		idx[4] = { 0, 1, 2, 3 };
	double		lp, lm;

	w[i] = up;
	lp = nn_gradient(n, w, x, y, idx, 4, g);
	w[i] = down;
	lm = nn_gradient(n, w, x, y, idx, 4, g);
	w[i] = keep;
	return ((lp - lm) / ((double)up - (double)down));
}

/*
 * Central differences for parameters [from, to) of n (a sample of up
 * to 40 of them), against nn_gradient on a batch of 4. The loss is
 * float arithmetic, so the steps are large (1e-3) and a ReLU or a pool
 * window can switch within one: a parameter gets up to three steps (a
 * quarter of the last each time) and agrees when one is within TOL. A
 * tenth of a block's may be off by up to LOOSE (a kink right at the
 * point); a wrong gradient is off by far more, and in many.
 */
#define TOL	2e-2
#define LOOSE	2e-1

static void
check_block(struct nn *n, float *w, const float *x, const uint8_t *y,
    size_t from, size_t to, const char *what)
{
	int	 idx[4] = { 0, 1, 2, 3 };
	float	*g = calloc(n->nparams, sizeof *g), *g2 = calloc(n->nparams,
		    sizeof *g2);
	size_t	 step = (to - from) / 40 + 1;
	int	 checked = 0, off = 0;

	assert_non_null(g);
	assert_non_null(g2);
	nn_gradient(n, w, x, y, idx, 4, g);
	for (size_t i = from; i < to; i += step) {
		double	bp = (double)g[i], fd = 0, err = INFINITY;

		for (float h = 1e-3f; h > 5e-5f && err > TOL; h /= 4) {
			fd = central(n, w, x, y, i, h, g2);
			err = fabs(fd - bp) / fmax(1e-2, fabs(fd) + fabs(bp));
		}
		off += err > TOL;
		if (err > LOOSE)
			fail_msg("%s %s: parameter %zu: backprop %.9g,"
			    " finite difference %.9g", nn_kind_name(n->kind),
			    what, i - from, bp, fd);
		checked++;
	}
	assert_true(checked > 0);
	if (off > checked / 10)
		fail_msg("%s %s: %d of %d parameters off by more than %g",
		    nn_kind_name(n->kind), what, off, checked, TOL);
	free(g);
	free(g2);
}

static void
gradient_check(enum nn_kind kind, int rows, int cols, int hidden,
    int filters)
{
	struct nn	 n;
	char		 err[128];
	float		 x[4 * 14 * 14];
	uint8_t		 y[4];
	float		*w;

	assert_int_equal(nn_init(&n, kind, rows, cols, 5, hidden, filters,
	    err, sizeof err), 0);
	random_data(x, y, 4, rows * cols, 5, 9);
	w = calloc(n.nparams, sizeof *w);
	assert_non_null(w);
	nn_weights(&n, w, 3);
	/* non-zero biases, so their gradients are tested off zero */
	for (int k = 0; k < 5; k++)
		w[n.o_b2 + k] = 0.1f * (float)k;
	switch (kind) {
	case NN_SOFTMAX:
		break;
	case NN_MLP:
		check_block(&n, w, x, y, n.o_w1, n.o_b1, "hidden weights");
		check_block(&n, w, x, y, n.o_b1, n.o_w2, "hidden biases");
		break;
	case NN_CNN:
		for (int f = 0; f < filters; f++)
			w[n.o_cb + f] = 0.05f;
		check_block(&n, w, x, y, n.o_cw, n.o_cb, "convolution");
		check_block(&n, w, x, y, n.o_cb, n.o_w2, "convolution biases");
		break;
	}
	check_block(&n, w, x, y, n.o_w2, n.o_b2, "output weights");
	check_block(&n, w, x, y, n.o_b2, n.nparams, "output biases");
	free(w);
	nn_free(&n);
}

static void
test_gradient_softmax(void **state)
{
	(void)state;
	gradient_check(NN_SOFTMAX, 6, 5, 0, 0);
}

static void
test_gradient_mlp(void **state)
{
	(void)state;
	gradient_check(NN_MLP, 6, 5, 7, 0);
}

static void
test_gradient_cnn(void **state)
{
	(void)state;
	gradient_check(NN_CNN, 10, 10, 0, 3);
	/* odd sides: the pool drops the last row and column */
	gradient_check(NN_CNN, 9, 11, 0, 2);
	gradient_check(NN_CNN, 14, 14, 0, 8);
}

/* Shapes and parameter counts, e.g. the default 28x28 CNN. */
static void
test_shapes(void **state)
{
	static const struct {
		enum nn_kind	kind;
		int		rows, cols, classes, hidden, filters;
	} bad[] = {
		{ NN_MLP, 28, 28, 10, 0, 0 },
		{ NN_CNN, 28, 28, 10, 0, 0 },
		{ NN_CNN, 3, 28, 10, 0, 8 },
		{ NN_SOFTMAX, 0, 28, 10, 0, 0 },
		{ NN_SOFTMAX, 28, 28, 1, 0, 0 },
		{ NN_MLP, 28, 28, 10, 100000, 0 },
	};
	struct nn	n;
	char		err[128];

	(void)state;
	assert_int_equal(nn_init(&n, NN_CNN, 28, 28, 10, 0, 8, err,
	    sizeof err), 0);
	assert_int_equal(n.feat, 8 * 13 * 13);
	assert_int_equal(n.nparams, 8 * 9 + 8 + 10 * 8 * 13 * 13 + 10);
	nn_free(&n);
	assert_int_equal(nn_init(&n, NN_MLP, 28, 28, 10, 64, 0, err,
	    sizeof err), 0);
	assert_int_equal(n.nparams, 784 * 64 + 64 + 64 * 10 + 10);
	nn_free(&n);
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		err[0] = '\0';
		assert_int_equal(nn_init(&n, bad[k].kind, bad[k].rows,
		    bad[k].cols, bad[k].classes, bad[k].hidden, bad[k].filters,
		    err, sizeof err), -1);
		assert_true(strlen(err) > 0);
		assert_null(strchr(err, '\n'));
	}
}

/* The same seed gives the same weights and the same gradient. */
static void
test_deterministic(void **state)
{
	struct nn	n;
	char		err[128];
	float		x[4 * 100];
	uint8_t		y[4];
	int		idx[4] = { 3, 1, 2, 0 };
	float		*w1, *w2, *g1, *g2;

	(void)state;
	assert_int_equal(nn_init(&n, NN_CNN, 10, 10, 4, 0, 4, err,
	    sizeof err), 0);
	w1 = calloc(n.nparams, sizeof *w1);
	w2 = calloc(n.nparams, sizeof *w2);
	g1 = calloc(n.nparams, sizeof *g1);
	g2 = calloc(n.nparams, sizeof *g2);
	random_data(x, y, 4, 100, 4, 1);
	nn_weights(&n, w1, 42);
	nn_weights(&n, w2, 42);
	assert_memory_equal(w1, w2, n.nparams * sizeof *w1);
	nn_weights(&n, w2, 43);
	assert_memory_not_equal(w1, w2, n.nparams * sizeof *w1);
	assert_true(nn_gradient(&n, w1, x, y, idx, 4, g1) ==
	    nn_gradient(&n, w1, x, y, idx, 4, g2));
	assert_memory_equal(g1, g2, n.nparams * sizeof *g1);
	free(w1);
	free(w2);
	free(g1);
	free(g2);
	nn_free(&n);
}

/*
 * A separable problem: class k lights a 3x3 patch at its own place on a
 * 12x12 image, with noise everywhere. Plain SGD (batch 16) must get
 * > 95% of a held-out set right with each network.
 */
#define SIDE	12
#define NTRAIN	2000
#define NTEST	500

static void
separable(float *x, uint8_t *y, int n, uint64_t seed)
{
	struct rng r;

	rng_seed(&r, seed, 5, 6);
	for (int s = 0; s < n; s++) {
		int k = (int)rng_below(&r, 10);
		int pr = 1 + (k / 5) * 5, pc = 1 + (k % 5) * 2;
		float *img = x + (size_t)s * SIDE * SIDE;

		y[s] = (uint8_t)k;
		for (int i = 0; i < SIDE * SIDE; i++)
			img[i] = (float)(0.3 * rng_uniform(&r));
		for (int a = 0; a < 3; a++)
			for (int b = 0; b < 3; b++)
				img[(pr + a) * SIDE + pc + b] += 0.7f;
	}
}

static void
train_separable(enum nn_kind kind, int hidden, int filters, double lr)
{
	struct nn	 n;
	struct rng	 r;
	char		 err[128];
	float		*x = malloc((NTRAIN + NTEST) * SIDE * SIDE * sizeof *x);
	uint8_t		 y[NTRAIN + NTEST];
	float		*w, *g;
	double		 acc0, acc;
	int		 idx[16], correct;

	assert_non_null(x);
	separable(x, y, NTRAIN + NTEST, 11);
	assert_int_equal(nn_init(&n, kind, SIDE, SIDE, 10, hidden, filters,
	    err, sizeof err), 0);
	w = calloc(n.nparams, sizeof *w);
	g = calloc(n.nparams, sizeof *g);
	nn_weights(&n, w, 7);
	nn_evaluate(&n, w, x, y, NTRAIN, NTEST, &correct);
	acc0 = (double)correct / NTEST;
	rng_seed(&r, 8, 0, 0);
	for (int step = 0; step < 600; step++) {
		for (int b = 0; b < 16; b++)
			idx[b] = (int)rng_below(&r, NTRAIN);
		nn_gradient(&n, w, x, y, idx, 16, g);
		for (size_t i = 0; i < n.nparams; i++)
			w[i] = (float)((double)w[i] - lr * (double)g[i]);
	}
	nn_evaluate(&n, w, x, y, NTRAIN, NTEST, &correct);
	acc = (double)correct / NTEST;
	if (!(acc > 0.95) || !(acc0 < 0.5))
		fail_msg("%s: accuracy %.3f before, %.3f after training",
		    nn_kind_name(kind), acc0, acc);
	free(w);
	free(g);
	free(x);
	nn_free(&n);
}

static void
test_train_softmax(void **state)
{
	(void)state;
	train_separable(NN_SOFTMAX, 0, 0, 0.5);
}

static void
test_train_mlp(void **state)
{
	(void)state;
	train_separable(NN_MLP, 32, 0, 0.2);
}

static void
test_train_cnn(void **state)
{
	(void)state;
	train_separable(NN_CNN, 0, 4, 0.2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gradient_softmax),
		cmocka_unit_test(test_gradient_mlp),
		cmocka_unit_test(test_gradient_cnn),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_train_softmax),
		cmocka_unit_test(test_train_mlp),
		cmocka_unit_test(test_train_cnn),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
