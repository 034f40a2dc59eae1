/*
 * The synchronization models' side of the engine. Each model exports one
 * struct model_ops; the engine calls it when something happens at the
 * parameter server, and the model answers through the services below
 * (apply gradients, release workers, schedule its own timers). A model
 * never touches the event queue or the workers' tasks directly.
 */
#ifndef FS_MODEL_H
#define FS_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "setting.h"
#include "sim.h"

struct sim;

struct model_ops {
	const char	*name;		/* model = "NAME" in a config */
	/* Its parameters: keys of models[i], stored in struct model_spec
	 * (numbers, booleans or enums: a spec is copied, never freed); rows
	 * flagged ST_LABEL name it when it appears twice. A key two models
	 * share (quorum, late_gradients) must have one type in both. */
	const struct setting *params;
	int		 nparams;
	/* An error across parameters: -1 with the message (after the
	 * "models[i]." prefix) and the key to blame (NULL: the entry). */
	int		 (*validate)(const struct model_spec *, char *, size_t,
			    const char **);
	/* Allocate the model's state for this engine (NULL: none needed). */
	void		*(*create)(struct sim *, const struct model_spec *);
	void		 (*destroy)(void *);
	/* A gradient reached the PS; the worker waits until released. */
	void		 (*arrive)(struct sim *, void *, int worker);
	/* The slowest present worker's clock moved forward. */
	void		 (*advance)(struct sim *, void *, int min_clock);
	/* A worker finished its first async task (progress report). */
	void		 (*report)(struct sim *, void *, int worker);
	/* A timer the model scheduled with sim_timer() fired. */
	void		 (*timer)(struct sim *, void *, uint32_t arg);
	/* A worker left (its queued work is void); sim_present() excludes
	 * it already. Drop what the model holds of it with sim_drop(). */
	void		 (*leave)(struct sim *, void *, int worker);
	/* A worker joined at clock min_clock with the current weights. */
	void		 (*join)(struct sim *, void *, int worker);
	/* Every worker is done: last chance to apply what is held. */
	void		 (*finish)(struct sim *, void *);
	/* A hint (NULL: none): arrive or report will soon be called for
	 * this worker, so its state may be fetched into cache now. It
	 * must change nothing. */
	void		 (*prefetch)(const void *, int worker);
	/* For views: the sync point being tried and when (NULL: none). */
	int		 (*plan)(const void *, int *, double *);
	/* For views: gradients at the PS and the quorum they need (NULL:
	 * the model has no quorum). */
	void		 (*quorum)(const struct sim *, const void *, int *,
			    int *);
	/* For views: the plan's inputs; the engine has filled the view's
	 * round, present and every worker as not known (NULL: no plan). */
	void		 (*view)(const struct sim *, const void *,
			    struct sim_plan_view *, struct sim_plan_worker *);
	/* For views: what a worker the model holds at the PS waits for. */
	const char	*wait_word;
	/* Set if the model clusters workers (SIM_EV_CLUSTER labels). */
	int		 clusters;
	/* A warning about the parameters for this config; 1 if any. */
	int		 (*check)(const struct fs_config *,
			    const struct model_spec *, char *, size_t);
	/* Set if the model syncs rounds (sim_sync): stepping stops there. */
	int		 syncs;
};

/* In a model's ops: its parameter rows. */
#define MODEL_PARAMS(rows)	.params = (rows), \
	.nparams = (int)(sizeof (rows) / sizeof (rows)[0])
/* A row's storage in struct model_spec. */
#define MODEL_FIELD(f)	offsetof(struct model_spec, f)

/* A gradient at the PS: whose, for which round, from which version. */
struct gradient {
	int		worker;
	int		round;
	uint64_t	v_read;
};

extern const struct model_ops model_asp_ops;
extern const struct model_ops model_bsp_ops;
extern const struct model_ops model_ssp_ops;
extern const struct model_ops model_dssp_ops;
extern const struct model_ops model_fastsync_ops;
extern const struct model_ops model_quorum_ops;

int	model_dssp_grant(double, double, double, double, int);
double	model_fastsync_point(const double *, int, double *, double *);

/* The registry (model_registry.c): the built-ins at their enum
 * model_kind index, then the models registered at run time. */
int			 model_count(void);
const struct model_ops	*model_ops_for(enum model_kind);
int			 model_find(const char *);
int			 model_register(const struct model_ops *);
void			 model_label(const struct model_spec *, char *, size_t);
int			 model_warning(const struct fs_config *,
			    const struct model_spec *, char *, size_t);

/* Engine services for models (sim_services.c). */
void	sim_gradient(const struct sim *, int, struct gradient *);
void	sim_apply(struct sim *, const int *, int);
void	sim_apply_gradients(struct sim *, const struct gradient *, int);
void	sim_drop(struct sim *, const struct gradient *);
void	sim_release(struct sim *, int);
void	sim_prefetch(const struct sim *, int);
void	sim_release_version(struct sim *, int, uint64_t);
void	sim_enable_abandon(struct sim *);
int	sim_abandon(struct sim *, int);
int	sim_pull_forward(struct sim *, int);
void	sim_sync(struct sim *, int, enum sim_point, int, int, int);
void	sim_emit(struct sim *, struct sim_event *);
void	sim_late(struct sim *, const struct gradient *);
void	sim_notify(struct sim *, int, int, enum sim_point);
void	sim_cluster_sizes(struct sim *, int, int, int, int);
void	sim_quorum_reached(struct sim *, int);
void	sim_reconfig(struct sim *, int, double);
void	sim_timer(struct sim *, double, uint32_t);
int	sim_clock(const struct sim *, int);
int	sim_round(const struct sim *, int);
int	sim_is_slow(const struct sim *, int);
double	sim_round_start(const struct sim *, int);
int	sim_present(const struct sim *);
double	sim_push_time(const struct sim *, int, int);

#endif
