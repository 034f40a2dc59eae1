/*
 * The command line, shared by main.c (parsing, dispatch) and the
 * commands: cmd_run.c (run, check) and cmd_db.c (runs, show, compare,
 * export, delete, vacuum). Only these print errors and pick exit codes.
 */
#ifndef FS_CLI_H
#define FS_CLI_H

#include "config.h"

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
	struct config_override	*sets;
	int			 nsets;
};

int		 usage_error(const char *, ...)
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

#endif
