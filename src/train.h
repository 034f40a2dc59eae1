/*
 * Real training inside the simulation (workload "train"): an engine
 * observer that does the arithmetic the timeline implies. A worker's
 * gradient is computed when it pushes, on the weights it last pulled
 * (version v_read), from its own seeded minibatch; the parameter server
 * applies gradients exactly when the model's rules say (an update is
 * their sum or mean times the learning rate); a worker reads the weights
 * of the version it is released with. The test set is evaluated every
 * E rounds of the model; the initial weights' evaluation is done once
 * for all the models of a train_data. No terminal, no database.
 */
#ifndef FS_TRAIN_H
#define FS_TRAIN_H

#include <stdint.h>

#include "idx.h"
#include "nn.h"

struct sim;

struct train_spec {
	enum nn_kind	net;
	int		hidden;		/* mlp */
	int		filters;	/* cnn */
	int		batch;
	double		lr;
	int		mean;		/* an update is the mean, else the sum */
	int		eval_every;	/* rounds */
	int		eval_samples;	/* test items evaluated, 0: all */
	double		target;		/* accuracy for time_to_target */
	uint64_t	seed;
};

struct train_first;

struct train_data {
	struct dataset		 train, test;
	/* the initial weights' evaluation, shared by the models (train.c) */
	struct train_first	*first;
};

struct train_eval {
	int		round;
	double		t;
	double		accuracy;
	double		loss;
	uint64_t	version;	/* of the PS weights evaluated */
};

struct trainer;

void		 train_data_init(struct train_data *);
int		 train_data_load(struct train_data *, const char *, size_t,
		    char *, size_t);
void		 train_data_free(struct train_data *);

struct trainer	*trainer_attach(struct sim *, const struct train_spec *,
		    const struct train_data *, char *, size_t);
void		 trainer_free(struct trainer *);
const struct train_eval *trainer_evals(const struct trainer *, int *);
double		 trainer_accuracy(const struct trainer *);
double		 trainer_time_to_target(const struct trainer *);
const float	*trainer_weights(const struct trainer *, uint64_t *);
uint64_t	 trainer_gradients(const struct trainer *);
int		 trainer_pending(const struct trainer *);
const char	*trainer_error(const struct trainer *);
void		 trainer_batch(uint64_t, int, uint64_t, int, int, int *);

#endif
