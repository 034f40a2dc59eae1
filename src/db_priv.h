/* Private to libfsdb (db*.c, recorder.c): the handle and helpers. */
#ifndef FS_DB_PRIV_H
#define FS_DB_PRIV_H

#include <sqlite3.h>

struct db {
	sqlite3	*h;
	char	*path;
	int	 readonly;
};

struct metric;
struct metric_value;

int	db_exec(struct db *, const char *, char *, size_t);
int	db_fail(struct db *, const char *, char *, size_t);

/* The metrics table's columns of run_models (db_metric.c). */
char	*db_metric_columns(int);
void	 db_metric_bind(sqlite3_stmt *, const struct metric *,
	    const struct metric_value *);
void	 db_metric_column(sqlite3_stmt *, int, struct metric_value *);

#endif
