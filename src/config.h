/*
 * Configuration: a libconfig file (plus --set overrides) turned into a
 * validated struct fs_config. Every setting has a type, a range and a
 * default: a row of the settings table (config_table.c) or of a model's
 * parameter descriptor (model.h), documented in man/fastsync.conf.5.
 * Nothing here touches libconfig.
 */
#ifndef FS_CONFIG_H
#define FS_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "dag.h"
#include "dist.h"
#include "setting.h"
#include "train.h"

enum model_kind {
	MODEL_ASP,
	MODEL_BSP,
	MODEL_SSP,
	MODEL_DSSP,
	MODEL_FASTSYNC,
	MODEL_QUORUM,
	MODEL_NKINDS
};

/* Bounds shared by the settings table and the models' parameters. */
#define TIME_MAX_MS	1e9
#define WORKERS_MAX	10000000
#define ROUNDS_MAX	10000000

#define MODEL_NAME_MAX	32
#define MODEL_EXT_MAX	8

/* A parameter slot for a model registered at run time (model.h). */
union model_ext {
	int	i;
	double	d;
};

/* One models[] entry; its parameters are each model's descriptor rows. */
struct model_spec {
	enum model_kind	kind;			/* the index in the registry */
	char		name[MODEL_NAME_MAX];	/* label shown in output */
	int		staleness;		/* ssp */
	int		s_low, s_high;		/* dssp */
	double		quorum;			/* quorum, fastsync: q */
	int		round_half;		/* quorum: "round", not "ceil" */
	int		cluster_every;
	double		eps;
	int		min_points;
	int		kmeans;			/* 2-means, not DBSCAN */
	int		drop_late;		/* "drop", not "defer" */
	double		reconfig_ms;
	union model_ext	ext[MODEL_EXT_MAX];	/* run-time models' own */
	int		line;
};

struct time_class {
	char		*name;
	struct dist	 dist;		/* trace: every file's values */
	struct dist	*traces;	/* trace: one per file, by worker */
	int		 ntraces;
	int		 replay;	/* trace: in order, not resampled */
	int		 line;
};

struct fs_config {
	char			*path;
	uint64_t		 seed;
	int			 rounds;
	int			 workers;
	double			 slow_fraction;
	double			 slow_offset_ms;
	double			 leave_rate;	/* per present worker per s */
	double			 join_rate;	/* per s, while some are away */
	int			 workers_min;
	double			 push_ms;
	double			 pull_ms;
	double			 local_ms;
	struct time_class	*classes;
	int			 nclasses;
	struct dag		 dag;
	struct model_spec	*models;
	int			 nmodels;
	char			*record_db;	/* record.db, or NULL */
	int			 record_events;	/* record.events */
	int			 record_compress; /* record.compress */
	int			 train;		/* workload = "train" */
	struct train_spec	 ts;		/* train.*, its seed the run's */
	char			*train_data;	/* train.data: a folder */
	int			 train_max_pixels; /* train.max_pixels */
	int			 train_line;
};

/* One --set (or --workers, --rounds, --seed): origin names it in errors. */
struct config_override {
	const char	*key;
	const char	*value;
	const char	*origin;
};

/* The settings table (config_table.c); models' parameters: model.h. */
extern const struct setting	config_options[];
extern const int		config_noptions;

const char	*model_kind_name(enum model_kind);
int		 config_load(struct fs_config *, const char *,
		     const struct config_override *, int, char *, size_t);
int		 config_select_models(struct fs_config *, const char *,
		     char *, size_t);
void		 config_free(struct fs_config *);
const char	*config_suggest(const char *, const char *const *);

#endif
