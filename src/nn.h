/*
 * Small neural networks for real training (workload "train"): softmax
 * regression, a one-hidden-layer MLP, and a CNN (3x3 convolution with F
 * filters, ReLU, 2x2 max-pool, dense to the classes), all ending in a
 * softmax cross-entropy loss. Parameters are one flat vector of floats,
 * so a parameter server can add gradients and copy weights as arrays.
 * A struct nn holds the shape and one sample's scratch: one per thread.
 */
#ifndef FS_NN_H
#define FS_NN_H

#include <stddef.h>
#include <stdint.h>

enum nn_kind {
	NN_SOFTMAX,
	NN_MLP,
	NN_CNN
};

struct nn {
	enum nn_kind	 kind;
	int		 rows, cols, in, classes;
	int		 hidden;		/* MLP */
	int		 filters;		/* CNN */
	int		 lanes;			/* CNN: filters, padded */
	int		 crows, ccols;		/* CNN: convolution output */
	int		 prows, pcols;		/* CNN: after the pool */
	int		 feat;			/* input of the last layer */
	int		 taps[9];		/* CNN: a patch's offsets */
	size_t		 nparams;
	/* where each layer's parameters start in the vector */
	size_t		 o_cw, o_cb, o_w1, o_b1, o_w2, o_b2;
	/* one sample's activations and their gradients */
	float		*a, *da;
	double		*logits, *p;
	/* CNN, filter-blocked (lanes filters side by side): the kernels
	 * tap by tap and their gradient, the convolution's output, the
	 * pool's output, its gradient and each window's winner (0-3) */
	float		*kern, *gkern, *c, *pa, *pd;
	int32_t		*pw;
};

int	nn_init(struct nn *, enum nn_kind, int, int, int, int, int, char *,
	    size_t);
void	nn_free(struct nn *);
const char *nn_kind_name(enum nn_kind);
void	nn_weights(const struct nn *, float *, uint64_t);
double	nn_gradient(struct nn *, const float *, const float *,
	    const uint8_t *, const int *, int, float *);
double	nn_evaluate(struct nn *, const float *, const float *,
	    const uint8_t *, int, int, int *);
double	nn_macs(const struct nn *, int);

#endif
