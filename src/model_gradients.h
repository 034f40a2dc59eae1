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

extern const char *const model_late_names[];

/* The parameter rows the quorum model and FastSync share. */
#define MODEL_QUORUM_ROW(label) \
	{ .key = "quorum", .type = ST_DOUBLE, .min = 0, .max = 1, \
	  .flags = ST_LO_OPEN | (label), .def = "0.7", \
	  .off = MODEL_FIELD(quorum), \
	  .doc = "the fraction q of present workers a sync needs" }
#define MODEL_LATE_ROW \
	{ .key = "late_gradients", .type = ST_ENUM, .def = "defer", \
	  .choices = model_late_names, .off = MODEL_FIELD(drop_late), \
	  .doc = "what happens to a gradient that missed its sync" }

#endif
