/*
 * The networks of nn.h, forward and backward by hand. Layers:
 *   softmax: logits = W2 x + b2
 *   mlp:     a = relu(W1 x + b1), logits = W2 a + b2
 *   cnn:     c = relu(conv3x3(x; Wc, bc)), a = maxpool2x2(c),
 *            logits = W2 a + b2
 * and the loss -log softmax(logits)[y]. The CNN's backward pass only
 * takes each pool window's winner: the other cells get no gradient.
 *
 * Arithmetic is float; the softmax and the loss are double. The
 * convolution is filter-blocked: its output is position-major with
 * LANES filters side by side (n->lanes, the filters rounded up), so one
 * input pixel feeds LANES multiply-adds in one vector operation, and the
 * pool and the backward pass work on the same blocks. The CNN's
 * features are position-major too: feature (i, j, f) is at
 * (i * pcols + j) * filters + f, and W2's rows follow. Every sum has one
 * order (a lane per filter; dot products in 4 x LANES partial sums added
 * pairwise), so the kernels give the same bits whichever instruction set
 * runs them: AVX2 where the CPU has it, else baseline x86-64, picked at
 * load time (NN_KERNEL). AVX2 without FMA: a fused multiply-add would
 * round differently.
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
#define LANES		8	/* floats a kernel's inner loop handles */

#if defined(__x86_64__) && defined(__linux__) && !defined(NN_NO_DISPATCH) \
    && defined(__has_attribute)
#if __has_attribute(target_clones)
#define NN_KERNEL	__attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef NN_KERNEL
#define NN_KERNEL
#endif
/* a kernel's helpers: inlined, so that they are built for its target */
#if defined(__has_attribute)
#if __has_attribute(always_inline)
#define NN_INLINE	inline __attribute__((always_inline))
#endif
#endif
#ifndef NN_INLINE
#define NN_INLINE	inline
#endif

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
	size_t	at = 0, cells, pooled;

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
		n->lanes = (filters + LANES - 1) / LANES * LANES;
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
	n->a = xcalloc((size_t)n->feat, sizeof *n->a);
	n->da = xcalloc((size_t)n->feat, sizeof *n->da);
	n->logits = xcalloc((size_t)classes, sizeof *n->logits);
	n->p = xcalloc((size_t)classes, sizeof *n->p);
	if (kind == NN_CNN) {
		cells = (size_t)n->crows * (size_t)n->ccols * (size_t)n->lanes;
		pooled = (size_t)n->prows * (size_t)n->pcols * (size_t)n->lanes;
		n->kern = xcalloc(10 * (size_t)n->lanes, sizeof *n->kern);
		n->gkern = xcalloc(40 * (size_t)n->lanes, sizeof *n->gkern);
		n->c = xcalloc(cells, sizeof *n->c);
		n->pa = xcalloc(pooled, sizeof *n->pa);
		n->pd = xcalloc(pooled, sizeof *n->pd);
		n->pw = xcalloc(pooled, sizeof *n->pw);
		for (int t = 0; t < 9; t++)
			n->taps[t] = (t / 3) * cols + t % 3;
	}
	return (0);
}

void
nn_free(struct nn *n)
{
	free(n->a);
	free(n->da);
	free(n->logits);
	free(n->p);
	free(n->kern);
	free(n->gkern);
	free(n->c);
	free(n->pa);
	free(n->pd);
	free(n->pw);
	memset(n, 0, sizeof *n);
}

/*
 * Where the last layer's j-th weight of a row was drawn: the CNN's
 * features were first laid out filter-major, and drawing in that order
 * keeps each seed's initial network.
 */
static size_t
drawn_at(const struct nn *n, int j)
{
	int	p = n->prows * n->pcols;

	return (n->kind == NN_CNN ? (size_t)(j % p) * (size_t)n->filters +
	    (size_t)(j / p) : (size_t)j);
}

/*
 * Initial weights from the seed: He-normal for layers followed by a
 * ReLU, Glorot-like for the last one; biases zero.
 */
void
nn_weights(const struct nn *n, float *w, uint64_t seed)
{
	struct rng	r;
	double		sc;

	rng_stream(&r, seed, RNG_INIT, 0, 0);
	memset(w, 0, n->nparams * sizeof *w);
	if (n->kind == NN_MLP) {
		sc = sqrt(2.0 / n->in);
		for (size_t i = 0; i < (size_t)n->hidden * (size_t)n->in; i++)
			w[n->o_w1 + i] = (float)(sc * rng_normal(&r));
	} else if (n->kind == NN_CNN) {
		sc = sqrt(2.0 / 9);
		for (size_t i = 0; i < (size_t)n->filters * 9; i++)
			w[n->o_cw + i] = (float)(sc * rng_normal(&r));
	}
	sc = sqrt(1.0 / n->feat);
	for (int k = 0; k < n->classes; k++)
		for (int j = 0; j < n->feat; j++)
			w[n->o_w2 + (size_t)k * n->feat + drawn_at(n, j)] =
			    (float)(sc * rng_normal(&r));
}

/*
 * a . b over len floats: four vectors of LANES partial sums (their
 * additions overlap), then those added pairwise.
 */
static NN_INLINE float
dot(const float *restrict a, const float *restrict b, int len)
{
	float	s0[LANES] = { 0 }, s1[LANES] = { 0 }, s2[LANES] = { 0 };
	float	s3[LANES] = { 0 };
	int	j = 0;

	for (; j + 4 * LANES <= len; j += 4 * LANES)
		for (int q = 0; q < LANES; q++) {
			s0[q] += a[j + q] * b[j + q];
			s1[q] += a[j + LANES + q] * b[j + LANES + q];
			s2[q] += a[j + 2 * LANES + q] * b[j + 2 * LANES + q];
			s3[q] += a[j + 3 * LANES + q] * b[j + 3 * LANES + q];
		}
	for (int q = 0; q < LANES; q++)
		s0[q] = (s0[q] + s1[q]) + (s2[q] + s3[q]);
	for (int q = 0; j < len; j++, q = (q + 1) % LANES)
		s0[q] += a[j] * b[j];
	for (int h = LANES / 2; h > 0; h /= 2)
		for (int q = 0; q < h; q++)
			s0[q] += s0[q + h];
	return (s0[0]);
}

/* y += k x over len floats. */
static NN_INLINE void
axpy(float *restrict y, float k, const float *restrict x, int len)
{
	int	j = 0;

	for (; j + LANES <= len; j += LANES)
		for (int q = 0; q < LANES; q++)
			y[j + q] += k * x[j + q];
	for (; j < len; j++)
		y[j] += k * x[j];
}

/*
 * Where filter f's tap t (9: its bias) is in n->kern: blocks of LANES
 * filters, each tap by tap, LANES floats a tap.
 */
static size_t
kern_at(int f, int t)
{
	return ((size_t)(f / LANES) * 10 * LANES + (size_t)t * LANES +
	    (size_t)(f % LANES));
}

/* The kernels and biases of w into n->kern. */
static void
pack_kernels(struct nn *n, const float *w)
{
	for (int f = 0; f < n->filters; f++) {
		for (int t = 0; t < 9; t++)
			n->kern[kern_at(f, t)] = w[n->o_cw + (size_t)f * 9 +
			    (size_t)t];
		n->kern[kern_at(f, 9)] = w[n->o_cb + (size_t)f];
	}
}

/*
 * One block of LANES filters of a pool window (cells a b / c d): the
 * maximum and which cell it is, the first of equal ones. Masks, not
 * branches: the compiler vectorises the chain so.
 */
static NN_INLINE void
pool_block(const float *a, const float *b, const float *c, const float *d,
    float *restrict out, int32_t *restrict win)
{
	for (int q = 0; q < LANES; q++) {
		float	m = a[q];
		int32_t	w = 0, gt;

		gt = -(b[q] > m);
		w = (w & ~gt) | (1 & gt);
		m = gt ? b[q] : m;
		gt = -(c[q] > m);
		w = (w & ~gt) | (2 & gt);
		m = gt ? c[q] : m;
		gt = -(d[q] > m);
		w = (w & ~gt) | (3 & gt);
		m = gt ? d[q] : m;
		out[q] = m;
		win[q] = w;
	}
}

/*
 * One convolution cell for one block of LANES filters: the patch at x0,
 * the block's kernels k, the ReLU, into out. A sum for each row of the
 * patch, added last: three short chains of additions, not one long one.
 */
static NN_INLINE void
conv_cell(const struct nn *n, const float *restrict k, const float *x0,
    float *restrict out)
{
	const float	*x1 = x0 + n->cols, *x2 = x1 + n->cols;
	float		 r0[LANES], r1[LANES], r2[LANES];

	for (int q = 0; q < LANES; q++) {
		r0[q] = k[9 * LANES + q] + k[q] * x0[0];
		r1[q] = k[3 * LANES + q] * x1[0];
		r2[q] = k[6 * LANES + q] * x2[0];
	}
	for (int t = 1; t < 3; t++)
		for (int q = 0; q < LANES; q++) {
			r0[q] += k[t * LANES + q] * x0[t];
			r1[q] += k[(3 + t) * LANES + q] * x1[t];
			r2[q] += k[(6 + t) * LANES + q] * x2[t];
		}
	for (int q = 0; q < LANES; q++) {
		float	s = (r0[q] + r1[q]) + r2[q];

		out[q] = s > 0 ? s : 0;
	}
}

/*
 * Image x through the convolution and its ReLU (into n->c) and the pool
 * (into n->pa, the winners into n->pw). The pool reads the cells
 * [0, 2 prows) x [0, 2 pcols): the others are not computed.
 */
NN_KERNEL static void
conv_pool(struct nn *n, const float *restrict x)
{
	const int	L = n->lanes, cc = n->ccols;

	for (int i = 0; i < 2 * n->prows; i++)
		for (int j = 0; j < 2 * n->pcols; j++) {
			for (int fb = 0; fb < L; fb += LANES)
				conv_cell(n, n->kern + (size_t)fb * 10, x + i *
				    n->cols + j, n->c + ((size_t)i * cc +
				    (size_t)j) * L + fb);
		}
	for (int i = 0; i < n->prows; i++)
		for (int j = 0; j < n->pcols; j++) {
			const float	*c0 = n->c + ((size_t)(2 * i) * cc +
					    (size_t)(2 * j)) * L;
			const float	*c1 = c0 + L, *c2 = c0 + (size_t)cc * L;
			const float	*c3 = c2 + L;
			size_t		 o = ((size_t)i * n->pcols + j) * L;

			for (int fb = 0; fb < L; fb += LANES)
				pool_block(c0 + fb, c1 + fb, c2 + fb, c3 + fb,
				    n->pa + o + fb, n->pw + o + fb);
		}
}

/*
 * Add image x's convolution gradient to n->gkern, from the pool's
 * gradient pd: through each window's winner, if its ReLU let it through.
 * Each cell m of a window has its own copy of the sums (laid out as
 * n->kern, one after the other), so consecutive cells do not wait for
 * each other's additions; nn_gradient adds the four.
 */
NN_KERNEL static void
conv_backward(struct nn *n, const float *restrict x, const float *pd)
{
	const int	L = n->lanes;
	const size_t	copy = 10 * (size_t)L;

	for (int fb = 0; fb < L; fb += LANES)
		for (int i = 0; i < n->prows; i++)
			for (int j = 0; j < n->pcols; j++) {
				size_t	at = ((size_t)i * n->pcols + j) * L + fb;

				for (int m = 0; m < 4; m++) {
					const float	*x0 = x + (2 * i + m / 2) *
							    n->cols + 2 * j + m % 2;
					float		*gk = n->gkern + m * copy +
							    (size_t)fb * 10;
					float		 d[LANES];

					for (int q = 0; q < LANES; q++) {
						float	dq = pd[at + q];
						int	on = (n->pw[at + q] == m) &
							    (n->pa[at + q] > 0);

						d[q] = on ? dq : 0;
					}
					for (int t = 0; t < 9; t++)
						for (int q = 0; q < LANES; q++)
							gk[t * LANES + q] += d[q] *
							    x0[n->taps[t]];
					for (int q = 0; q < LANES; q++)
						gk[9 * LANES + q] += d[q];
				}
			}
}

/* The MLP's hidden layer on x. */
NN_KERNEL static void
hidden_forward(struct nn *n, const float *w, const float *x)
{
	for (int j = 0; j < n->hidden; j++) {
		float	s = w[n->o_b1 + j] + dot(w + n->o_w1 + (size_t)j *
			    n->in, x, n->in);

		n->a[j] = s > 0 ? s : 0;
	}
}

/* Add the hidden layer's gradient for x (from n->da) to g. */
NN_KERNEL static void
hidden_backward(struct nn *n, const float *x, float *g)
{
	for (int j = 0; j < n->hidden; j++) {
		float	d = n->a[j] > 0 ? n->da[j] : 0;

		if (d == 0)
			continue;
		g[n->o_b1 + j] += d;
		axpy(g + n->o_w1 + (size_t)j * n->in, d, x, n->in);
	}
}

/* The features the last layer reads, for image x. */
static const float *
forward_features(struct nn *n, const float *w, const float *x)
{
	const size_t	L = (size_t)n->lanes, F = (size_t)n->filters;
	const int	p = n->prows * n->pcols;

	switch (n->kind) {
	case NN_SOFTMAX:
		return (x);
	case NN_MLP:
		hidden_forward(n, w, x);
		return (n->a);
	case NN_CNN:
		break;
	}
	conv_pool(n, x);
	if (F == L)
		return (n->pa);	/* no padding: the same layout */
	for (int i = 0; i < p; i++)
		memcpy(n->a + (size_t)i * F, n->pa + (size_t)i * L,
		    F * sizeof *n->a);
	return (n->a);
}

/* Logits and softmax of features feat; returns the loss for y. */
NN_KERNEL static double
forward(struct nn *n, const float *w, const float *feat, int y)
{
	double	mx = -(double)INFINITY, sum = 0;

	for (int k = 0; k < n->classes; k++) {
		double	s = (double)(w[n->o_b2 + k] + dot(w + n->o_w2 +
			    (size_t)k * n->feat, feat, n->feat));

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

/* The last layer's gradient into g, and the features' into n->da. */
NN_KERNEL static void
dense_backward(struct nn *n, const float *w, const float *feat, int y,
    double scale, float *g)
{
	int	deep = n->kind != NN_SOFTMAX;

	if (deep)
		memset(n->da, 0, (size_t)n->feat * sizeof *n->da);
	for (int k = 0; k < n->classes; k++) {
		float	dl = (float)((n->p[k] - (k == y)) * scale);
		size_t	row = n->o_w2 + (size_t)k * n->feat;

		g[n->o_b2 + k] += dl;
		axpy(g + row, dl, feat, n->feat);
		if (deep)
			axpy(n->da, dl, w + row, n->feat);
	}
}

/*
 * Add scale * d(loss)/dw of image x (label y) to g (the CNN's kernels
 * to n->gkern).
 */
static void
backward(struct nn *n, const float *w, const float *x, const float *feat,
    int y, double scale, float *g)
{
	const size_t	L = (size_t)n->lanes, F = (size_t)n->filters;
	const int	p = n->prows * n->pcols;

	dense_backward(n, w, feat, y, scale, g);
	if (n->kind == NN_MLP)
		hidden_backward(n, x, g);
	else if (n->kind == NN_CNN && F == L)
		conv_backward(n, x, n->da);
	else if (n->kind == NN_CNN) {
		for (int i = 0; i < p; i++)
			memcpy(n->pd + (size_t)i * L, n->da + (size_t)i * F,
			    F * sizeof *n->pd);
		conv_backward(n, x, n->pd);
	}
}

/*
 * The mean loss over the samples idx[0..count) of x (rows of n->in
 * floats) with labels y, and its gradient in g (overwritten).
 */
double
nn_gradient(struct nn *n, const float *w, const float *x, const uint8_t *y,
    const int *idx, int count, float *g)
{
	double	loss = 0;

	memset(g, 0, n->nparams * sizeof *g);
	if (n->kind == NN_CNN) {
		pack_kernels(n, w);
		memset(n->gkern, 0, 40 * (size_t)n->lanes * sizeof *n->gkern);
	}
	for (int s = 0; s < count; s++) {
		const float	*xs = x + (size_t)idx[s] * n->in, *feat;

		feat = forward_features(n, w, xs);
		loss += forward(n, w, feat, y[idx[s]]);
		backward(n, w, xs, feat, y[idx[s]], 1.0 / count, g);
	}
	for (int f = 0; f < n->filters; f++)
		for (int t = 0; t < 10; t++) {
			const float	*c = n->gkern + kern_at(f, t);
			const size_t	 copy = 10 * (size_t)n->lanes;

			g[t < 9 ? n->o_cw + (size_t)f * 9 + (size_t)t :
			    n->o_cb + (size_t)f] = (c[0] + c[copy]) +
			    (c[2 * copy] + c[3 * copy]);
		}
	return (count > 0 ? loss / count : 0);
}

/*
 * Samples [first, first + count) of x with labels y: the summed loss,
 * and in *correct how many are classified right.
 */
double
nn_evaluate(struct nn *n, const float *w, const float *x, const uint8_t *y,
    int first, int count, int *correct)
{
	double	loss = 0;

	*correct = 0;
	if (n->kind == NN_CNN)
		pack_kernels(n, w);
	for (int s = first; s < first + count; s++) {
		const float	*xs = x + (size_t)s * n->in;
		int		 best = 0;

		loss += forward(n, w, forward_features(n, w, xs), y[s]);
		for (int k = 1; k < n->classes; k++)
			if (n->p[k] > n->p[best])
				best = k;
		*correct += best == y[s];
	}
	return (loss);
}

/*
 * Multiply-adds one image takes through the network (backward: and
 * back, counting the CNN's backward pass through winners only, as the
 * arithmetic needs): for FLOP/s figures, two FLOPs each.
 */
double
nn_macs(const struct nn *n, int backward_too)
{
	double	dense = (double)n->classes * n->feat, first = 0, back = 0;

	if (n->kind == NN_MLP) {
		first = (double)n->hidden * n->in;
		back = first + dense;
	} else if (n->kind == NN_CNN) {
		first = (double)n->filters * n->crows * n->ccols * 9;
		back = (double)n->feat * 9 + dense;
	}
	return (first + dense + (backward_too ? back + dense : 0));
}
