/*
 * The networks of nn.h, forward and backward by hand. Layers:
 *   softmax: logits = W2 x + b2
 *   mlp:     a = relu(W1 x + b1), logits = W2 a + b2
 *   cnn:     c = relu(conv3x3(x; Wc, bc)), a = maxpool2x2(c),
 *            logits = W2 a + b2
 * and the loss -log softmax(logits)[y]. The CNN's backward pass only
 * visits each pool window's winner: the other cells get no gradient.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn.h"
#include "rng.h"
#include "xmalloc.h"

#define NN_MAX_SIDE	1024
#define NN_MAX_WIDTH	4096	/* hidden units or filters */

const char *
nn_kind_name(enum nn_kind k)
{
	static const char *const names[] = { "softmax", "mlp", "cnn" };

	return (names[k]);
}

/*
 * A network for rows x cols inputs and classes outputs; hidden is the
 * MLP's width, filters the CNN's. Returns -1 with err for a bad shape.
 */
int
nn_init(struct nn *n, enum nn_kind kind, int rows, int cols, int classes,
    int hidden, int filters, char *err, size_t errlen)
{
	size_t	at = 0, width;

	memset(n, 0, sizeof *n);
	if (rows < 1 || cols < 1 || rows > NN_MAX_SIDE || cols > NN_MAX_SIDE ||
	    classes < 2 || classes > 256) {
		snprintf(err, errlen, "a %dx%d input with %d classes cannot be"
		    " trained", rows, cols, classes);
		return (-1);
	}
	n->kind = kind;
	n->rows = rows;
	n->cols = cols;
	n->in = rows * cols;
	n->classes = classes;
	switch (kind) {
	case NN_SOFTMAX:
		n->feat = n->in;
		break;
	case NN_MLP:
		if (hidden < 1 || hidden > NN_MAX_WIDTH) {
			snprintf(err, errlen, "hidden units must be in [1, %d],"
			    " got %d", NN_MAX_WIDTH, hidden);
			return (-1);
		}
		n->hidden = hidden;
		n->o_w1 = at;
		at += (size_t)hidden * (size_t)n->in;
		n->o_b1 = at;
		at += (size_t)hidden;
		n->feat = hidden;
		break;
	case NN_CNN:
		if (filters < 1 || filters > NN_MAX_WIDTH) {
			snprintf(err, errlen, "filters must be in [1, %d], got"
			    " %d", NN_MAX_WIDTH, filters);
			return (-1);
		}
		if (rows < 4 || cols < 4) {
			snprintf(err, errlen, "a %dx%d input is too small for a"
			    " 3x3 convolution and a 2x2 pool", rows, cols);
			return (-1);
		}
		if ((size_t)filters * (size_t)(rows - 2) * (size_t)(cols - 2) >
		    ((size_t)1 << 28)) {
			snprintf(err, errlen, "%d filters on a %dx%d input is too"
			    " large", filters, rows, cols);
			return (-1);
		}
		n->filters = filters;
		n->crows = rows - 2;
		n->ccols = cols - 2;
		n->prows = n->crows / 2;
		n->pcols = n->ccols / 2;
		n->o_cw = at;
		at += (size_t)filters * 9;
		n->o_cb = at;
		at += (size_t)filters;
		n->feat = filters * n->prows * n->pcols;
		break;
	}
	n->o_w2 = at;
	at += (size_t)classes * (size_t)n->feat;
	n->o_b2 = at;
	at += (size_t)classes;
	n->nparams = at;
	width = kind == NN_CNN ? (size_t)filters * (size_t)n->crows *
	    (size_t)n->ccols : (size_t)n->feat;
	n->x = xcalloc((size_t)n->in, sizeof *n->x);
	n->a = xcalloc(width, sizeof *n->a);
	n->da = xcalloc(width, sizeof *n->da);
	n->logits = xcalloc((size_t)classes, sizeof *n->logits);
	n->p = xcalloc((size_t)classes, sizeof *n->p);
	if (kind == NN_CNN)
		n->argmax = xcalloc((size_t)n->feat, sizeof *n->argmax);
	return (0);
}

void
nn_free(struct nn *n)
{
	free(n->x);
	free(n->a);
	free(n->da);
	free(n->logits);
	free(n->p);
	free(n->argmax);
	memset(n, 0, sizeof *n);
}

/*
 * Initial weights from the seed: He-normal for layers followed by a
 * ReLU, Glorot-like for the last one; biases zero.
 */
void
nn_weights(const struct nn *n, double *w, uint64_t seed)
{
	struct rng	r;
	double		sc;

	rng_stream(&r, seed, RNG_INIT, 0, 0);
	memset(w, 0, n->nparams * sizeof *w);
	if (n->kind == NN_MLP) {
		sc = sqrt(2.0 / n->in);
		for (size_t i = 0; i < (size_t)n->hidden * (size_t)n->in; i++)
			w[n->o_w1 + i] = sc * rng_normal(&r);
	} else if (n->kind == NN_CNN) {
		sc = sqrt(2.0 / 9);
		for (size_t i = 0; i < (size_t)n->filters * 9; i++)
			w[n->o_cw + i] = sc * rng_normal(&r);
	}
	sc = sqrt(1.0 / n->feat);
	for (size_t i = 0; i < (size_t)n->classes * (size_t)n->feat; i++)
		w[n->o_w2 + i] = sc * rng_normal(&r);
}

/* The features the last layer reads, for the sample in n->x. */
static const double *
forward_features(struct nn *n, const double *w)
{
	switch (n->kind) {
	case NN_SOFTMAX:
		return (n->x);
	case NN_MLP:
		for (int j = 0; j < n->hidden; j++) {
			const double	*row = w + n->o_w1 + (size_t)j * n->in;
			double		 s = w[n->o_b1 + j];

			for (int i = 0; i < n->in; i++)
				s += row[i] * n->x[i];
			n->a[j] = s > 0 ? s : 0;
		}
		return (n->a);
	case NN_CNN:
		break;
	}
	/* convolution and ReLU into n->da (reused), pool into n->a */
	for (int f = 0; f < n->filters; f++) {
		const double	*k = w + n->o_cw + (size_t)f * 9;
		double		*c = n->da + (size_t)f * n->crows * n->ccols;

		for (int i = 0; i < n->crows; i++) {
			const double *x0 = n->x + (size_t)i * n->cols;
			const double *x1 = x0 + n->cols, *x2 = x1 + n->cols;

			for (int j = 0; j < n->ccols; j++) {
				double s = w[n->o_cb + f] +
				    k[0] * x0[j] + k[1] * x0[j + 1] +
				    k[2] * x0[j + 2] + k[3] * x1[j] +
				    k[4] * x1[j + 1] + k[5] * x1[j + 2] +
				    k[6] * x2[j] + k[7] * x2[j + 1] +
				    k[8] * x2[j + 2];

				c[i * n->ccols + j] = s > 0 ? s : 0;
			}
		}
		for (int i = 0; i < n->prows; i++)
			for (int j = 0; j < n->pcols; j++) {
				int	at = (2 * i) * n->ccols + 2 * j;
				int	best = at, o = (f * n->prows + i) *
					    n->pcols + j;
				int	cand[3] = { at + 1, at + n->ccols,
					    at + n->ccols + 1 };

				for (int q = 0; q < 3; q++)
					if (c[cand[q]] > c[best])
						best = cand[q];
				n->a[o] = c[best];
				n->argmax[o] = f * n->crows * n->ccols + best;
			}
	}
	return (n->a);
}

/* Logits and softmax for the sample in n->x; returns the loss for y. */
static double
forward(struct nn *n, const double *w, const double *feat, int y)
{
	double	mx = -INFINITY, sum = 0;

	for (int k = 0; k < n->classes; k++) {
		const double	*row = w + n->o_w2 + (size_t)k * n->feat;
		double		 s = w[n->o_b2 + k];

		for (int j = 0; j < n->feat; j++)
			s += row[j] * feat[j];
		n->logits[k] = s;
		if (s > mx)
			mx = s;
	}
	for (int k = 0; k < n->classes; k++) {
		n->p[k] = exp(n->logits[k] - mx);
		sum += n->p[k];
	}
	for (int k = 0; k < n->classes; k++)
		n->p[k] /= sum;
	return (y >= 0 ? -(n->logits[y] - mx - log(sum)) : 0);
}

static void
load_sample(struct nn *n, const float *x)
{
	for (int i = 0; i < n->in; i++)
		n->x[i] = x[i];
}

/* Add scale * d(loss)/dw of the sample in n->x (label y) to g. */
static void
backward(struct nn *n, const double *w, const double *feat, int y,
    double scale, double *g)
{
	int	deep = n->kind != NN_SOFTMAX;

	/* the last layer; and into n->da, the features' gradient */
	if (deep)
		memset(n->da, 0, (size_t)n->feat * sizeof *n->da);
	for (int k = 0; k < n->classes; k++) {
		double		 dl = (n->p[k] - (k == y)) * scale;
		const double	*row = w + n->o_w2 + (size_t)k * n->feat;
		double		*grow = g + n->o_w2 + (size_t)k * n->feat;

		g[n->o_b2 + k] += dl;
		for (int j = 0; j < n->feat; j++)
			grow[j] += dl * feat[j];
		if (deep)
			for (int j = 0; j < n->feat; j++)
				n->da[j] += dl * row[j];
	}
	if (n->kind == NN_MLP) {
		for (int j = 0; j < n->hidden; j++) {
			double	 d = n->a[j] > 0 ? n->da[j] : 0;
			double	*grow = g + n->o_w1 + (size_t)j * n->in;

			if (d == 0)
				continue;
			g[n->o_b1 + j] += d;
			for (int i = 0; i < n->in; i++)
				grow[i] += d * n->x[i];
		}
	} else if (n->kind == NN_CNN) {
		/* through each pool winner, if its ReLU let it through */
		for (int o = 0; o < n->feat; o++) {
			int	 c = n->argmax[o], f, i, j;
			double	 d = n->da[o];
			double	*gk;

			if (n->a[o] <= 0)
				continue;
			f = c / (n->crows * n->ccols);
			i = (c / n->ccols) % n->crows;
			j = c % n->ccols;
			g[n->o_cb + f] += d;
			gk = g + n->o_cw + (size_t)f * 9;
			for (int a = 0; a < 3; a++)
				for (int b = 0; b < 3; b++)
					gk[a * 3 + b] += d *
					    n->x[(i + a) * n->cols + j + b];
		}
	}
}

/*
 * The mean loss over the samples idx[0..count) of x (rows of n->in
 * floats) with labels y, and its gradient in g (overwritten).
 */
double
nn_gradient(struct nn *n, const double *w, const float *x, const uint8_t *y,
    const int *idx, int count, double *g)
{
	double	loss = 0;

	memset(g, 0, n->nparams * sizeof *g);
	for (int s = 0; s < count; s++) {
		const double	*feat;

		load_sample(n, x + (size_t)idx[s] * n->in);
		feat = forward_features(n, w);
		loss += forward(n, w, feat, y[idx[s]]);
		backward(n, w, feat, y[idx[s]], 1.0 / count, g);
	}
	return (count > 0 ? loss / count : 0);
}

/*
 * Samples [first, first + count) of x with labels y: the summed loss,
 * and in *correct how many are classified right.
 */
double
nn_evaluate(struct nn *n, const double *w, const float *x, const uint8_t *y,
    int first, int count, int *correct)
{
	double	loss = 0;

	*correct = 0;
	for (int s = first; s < first + count; s++) {
		int best = 0;

		load_sample(n, x + (size_t)s * n->in);
		loss += forward(n, w, forward_features(n, w), y[s]);
		for (int k = 1; k < n->classes; k++)
			if (n->p[k] > n->p[best])
				best = k;
		*correct += best == y[s];
	}
	return (loss);
}
