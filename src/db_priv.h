/* Private to libfsdb (db*.c, recorder.c): the handle and helpers. */
#ifndef FS_DB_PRIV_H
#define FS_DB_PRIV_H

#include <sqlite3.h>
#include <sys/types.h>

#include "db.h"
#include "metric.h"

struct db {
	sqlite3	*h;
	char	*path;
	int	 readonly;
	int	 checked;	/* passed db_check (db_check.c) */
};

int	db_exec(struct db *, const char *, char *, size_t);
/* 0: a new file runs every migration instead (tests compare the two). */
void	db_use_fresh_schema(int);
int	db_fail(struct db *, const char *, char *, size_t);
int	db_emit(struct db *, sqlite3_stmt *, db_row_fn *, void *,
	    const char *, char *, size_t);

/* The file's soundness (db_check.c) and its orphans (db_orphan.c). */
int	db_check(struct db *, char *, size_t);
void	db_check_remember(const char *);
void	db_mark_orphans(struct db *);
int64_t	db_proc_start(pid_t);
void	db_boot_id(char *, size_t);

/* The metrics tables' columns (db_metric.c). */
char	*db_metric_columns(int);
char	*db_worker_columns(const char *);
char	*db_round_columns(const char *);
void	 db_bind_value(sqlite3_stmt *, const char *, enum metric_type,
	    const struct metric_value *);
int	 db_param_index(sqlite3_stmt *, const char *);
void	 db_bind_value_at(sqlite3_stmt *, int, enum metric_type,
	    const struct metric_value *);
void	 db_metric_column(sqlite3_stmt *, int, struct metric_value *);

#endif
