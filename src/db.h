/*
 * The run database (DESIGN.md section 4): one SQLite file holds many
 * runs. db.c opens, checks and migrates it; recorder.c writes a run as
 * an engine observer; db_read.c reads runs back as rows. Nothing outside
 * these files knows SQL, and nothing in them prints: errors come back
 * in the caller's buffer, rows as structs or cells.
 */
#ifndef FS_DB_H
#define FS_DB_H

#include <stdint.h>

#include "config.h"
#include "report.h"

#define DB_SCHEMA_VERSION	7

struct db;
struct recorder;
struct sim;

/* Open (creating the file and its folder) or fail with a one-line err. */
struct db	*db_open(const char *, int, char *, size_t);
struct db	*db_open_status(const char *, int, int *, char *, size_t);
void		 db_close(struct db *);
/* sqlar_uncompress on a connection of one's own (the events view's). */
struct sqlite3;
int		 db_define_functions(struct sqlite3 *);
const char	*db_path(const struct db *);
char		*db_default_path(void);	/* NULL: say db_no_default */
extern const char db_no_default[];
int		 db_writable(const char *);

/* Recording one run. */
struct recorder	*recorder_begin(struct db *, const struct fs_config *,
		    const char *, const char *, const char *, int, char *,
		    size_t);
int		 recorder_model(struct recorder *, struct sim *, int);
int		 recorder_model_end(struct recorder *, struct sim *,
		    const struct report_row *);
int		 recorder_end(struct recorder *, const char *, char *, size_t);
int64_t		 recorder_run_id(const struct recorder *);
/* Packer threads for the next recorders: -1 one a core, 0 none (tests). */
void		 recorder_use_packers(int);
const char	*recorder_error(const struct recorder *);
void		 recorder_totals(struct recorder *, int64_t *, int64_t *);
/* fn(ud, run, model, round): the round is committed (-v says so). */
typedef void	 recorder_commit_fn(void *, int64_t, const char *, int);
void		 recorder_on_commit(struct recorder *, recorder_commit_fn *,
		    void *);

/* Reading runs back. RUN is an id, "last", or a name. */
struct db_run {
	int64_t		 id;
	char		*started;
	char		*name;		/* NULL: unnamed */
	char		*models;	/* "bsp,ssp,...", NULL: none */
	int		 workers;
	int		 rounds;
	char		*status;
	char		*best;		/* the fastest model but the baseline */
	double		 vs_base;	/* its round_mean_ms over the baseline's,
					   NAN: no baseline or no other */
	char		*what;		/* config, workload, overrides; or
					   sweep and point */
};

/*
 * One exported cell: a column's name and its value. db_export calls
 * fn(ud, cells, ncells, header) once with only the names (header 1),
 * then once per row.
 */
enum db_cell_type { DB_NULL, DB_INT, DB_REAL, DB_TEXT };
struct db_cell {
	const char		*name;
	enum db_cell_type	 type;
	int64_t			 i;
	double			 d;
	const char		*s;
};
typedef void	 db_row_fn(void *, const struct db_cell *, int, int);

int		 db_find_run(struct db *, const char *, int64_t *, char *,
		    size_t);
int		 db_list_runs(struct db *, const char *, struct db_run **, int *,
		    char *, size_t);
void		 db_free_runs(struct db_run *, int);
int		 db_load_rows(struct db *, int64_t, struct report_row **, int *,
		    char *, size_t);
void		 db_free_rows(struct report_row *, int);
int		 db_export(struct db *, int64_t, const char *, db_row_fn *,
		    void *, char *, size_t);
int		 db_delete_run(struct db *, int64_t, char *, size_t);
/* compare's headings: names, else what differs, else "run N". */
void		 db_run_labels(struct db *, const int64_t *, int, char **);

/* Replaying a run: what it was run with, and what each model did. */
struct db_replay {
	char		*config_path;	/* NULL: the built-in defaults */
	char		*config;	/* the file's text then */
	char		*overrides;	/* "key=value" lines */
	char		**names;	/* models, in run order */
	int64_t		*events;	/* engine events each (-1: unknown) */
	int		*complete;	/* the model ran to its end */
	int		 nmodels;
};

int		 db_load_replay(struct db *, int64_t, struct db_replay *, char *,
		    size_t);
void		 db_replay_free(struct db_replay *);
int		 db_vacuum(struct db *, char *, size_t);

/* Sweeps (db_sweep.c): the sweep, its complete runs, a run's point. */
int		 db_sweep_begin(struct db *, const char *, const char *,
		    const char *, int, int, int64_t *, char *, size_t);
int		 db_sweep_done(struct db *, int64_t, int, int64_t,
		    unsigned char *, int, char *, size_t);
int		 db_sweep_point(struct db *, int64_t, int64_t, int,
		    const char *const *, const char *const *, int, char *,
		    size_t);
/* Merging another file's runs (db_merge.c), matched by UUID. */
struct db_merge {
	int	added;		/* runs copied */
	int	already;	/* runs here already (the same) */
	int	left_out;	/* still running, or without a UUID */
};
int		 db_merge(struct db *, const char *, struct db_merge *, char *,
		    size_t);
/* 1: name is a sweep (*id), 0: it is not, -1: an error in err. */
int		 db_sweep_find(struct db *, const char *, int64_t *, char *,
		    size_t);
/* One row per complete run and model: run, uuid, point, each key, ... */
int		 db_sweep_export(struct db *, int64_t, db_row_fn *, void *,
		    char *, size_t);

#endif
