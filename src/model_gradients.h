/*
 * Gradients a model holds at the parameter server (the quorum rule and
 * FastSync): a growable list in arrival order, at most one per worker.
 */
#ifndef FS_MODEL_GRADIENTS_H
#define FS_MODEL_GRADIENTS_H

#include "model.h"

struct gradients {
	struct gradient	*g;
	int		 n, cap;
};

void	gradients_push(struct gradients *, const struct gradient *);
int	gradients_take(struct gradients *, int, struct gradient *);
void	gradients_free(struct gradients *);
int	model_quorum_size(double, int, int);
void	gradients_view(const struct gradients *, int, struct sim_plan_view *,
	    struct sim_plan_worker *);

#endif
