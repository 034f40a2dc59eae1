/*
 * The command line, shared by main.c (parsing, dispatch) and the
 * commands: cmd_run.c (run, check), cmd_db.c (runs, show, compare,
 * export, delete, vacuum), cmd_compare.c (compare's output) and
 * cmd_plot.c (plot). Only
 * these print errors and pick exit codes.
 */
#ifndef FS_CLI_H
#define FS_CLI_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"

struct dash_opts;
struct db;
struct db_replay;
struct recorder;
struct theme;
struct train_data;

#define EXIT_USAGE	2

struct options {
	const char		*config;
	const char		*models;
	const char		*format;
	const char		*db;
	const char		*name;
	const char		*table;
	int			 no_db;
	int			 headless;
	int			 quiet;
	int			 verbose;
	int			 jobs;		/* models at once, 0: CPUs */
	const char		*theme;		/* dashboard */
	int			 no_color;
	int			 ascii;
	int			 paused;
	double			 speed;		/* 0 default, -1 max */
	const char		*kind;		/* plot */
	const char		*output;
	const char		*plot_x, *plot_y;
	int			 width, height;
	int			 mono;
	struct config_override	*sets;
	int			 nsets;
	const char		**varies;	/* sweep: --vary, in order */
	int			 nvaries;
	const char		*seeds;
	const char		*shard;
	const char		*baseline;	/* show SWEEP */
};

int		 usage_error(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
void		 cli_say(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
const char	*default_config(void);

int		 cmd_run(int, char **, struct options *);
int		 cmd_check(int, char **, struct options *);
int		 cmd_runs(int, char **, struct options *);
int		 cmd_show(int, char **, struct options *);
int		 cmd_compare(int, char **, struct options *);
int		 cmd_export(int, char **, struct options *);
int		 cmd_delete(int, char **, struct options *);
int		 cmd_vacuum(int, char **, struct options *);
int		 cmd_replay(int, char **, struct options *);
int		 cmd_plot(int, char **, struct options *);
int		 cmd_sweep(int, char **, struct options *);
int		 cmd_merge(int, char **, struct options *);
int		 cmd_sweep_show(struct db *, int64_t, const char *,
		    const struct options *, char *, size_t);
int		 cmd_lesson(int, char **, struct options *);

struct db	*cmd_db_open(const struct options *, int, int *);
int		 cmd_db_run(struct db *, const char *, int64_t *);
void		 cmd_db_recorded(void *, int64_t, const char *, int);
int		 cmd_compare_print(struct db *, const int64_t *, int,
		    const char *, FILE *, char *, size_t);
int		 cmd_replay_config(const struct db_replay *, struct fs_config *,
		    char *, size_t);
int		 cmd_load(struct fs_config *, const char *,
		    const struct options *);
char		*cmd_config_text(const char *);
char		*cmd_overrides_text(const struct options *);
int		 cmd_load_data(const struct fs_config *, struct train_data *);
int		 cmd_check_theme(const struct options *);
int		 cmd_dash_prepare(const struct options *, struct theme **,
		    int *);
void		 cmd_dash_options(struct dash_opts *, const struct options *,
		    const char *, const char *, struct theme *, int);
int		 cmd_dashboard(const struct fs_config *,
		    const struct train_data *, const char *, struct options *,
		    struct recorder *, struct theme *, int,
		    volatile sig_atomic_t *, int *);

#endif
