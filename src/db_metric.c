/*
 * The metrics tables in SQL: run_models', workers' and rounds' figure
 * columns as lists or named assignments, values bound and read by type.
 * The recorder and the readers build their statements from these.
 */
#include <sqlite3.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "metric.h"
#include "xmalloc.h"

/*
 * ", <prefix>c, ..." or (assign) ", c = :c, ..." over the n rows of a
 * table (stride apart) whose column name is at name_off, NULL skipped.
 */
static char *
column_list(const void *rows, size_t n, size_t stride, size_t name_off,
    const char *prefix, int assign)
{
	const char	**names = xcalloc(n + 1, sizeof *names);
	size_t		  len = 1, at = 0;
	char		 *s;

	for (size_t i = 0; i < n; i++) {
		memcpy(&names[i], (const char *)rows + i * stride + name_off,
		    sizeof names[i]);
		if (names[i] != NULL)
			len += 2 * strlen(names[i]) + strlen(prefix) + 8;
	}
	s = xmalloc(len);
	s[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (names[i] == NULL)
			continue;
		if (assign)
			at += (size_t)snprintf(s + at, len - at, ", %s = :%s",
			    names[i], names[i]);
		else
			at += (size_t)snprintf(s + at, len - at, ", %s%s",
			    prefix, names[i]);
	}
	free(names);
	return (s);
}

/*
 * ", m.c, ..." (assign 0) or ", c = :c, ..." (assign 1) over every
 * metric with a run_models column, in the table's order. Free it.
 */
char *
db_metric_columns(int assign)
{
	return (column_list(metrics, metrics_count, sizeof metrics[0],
	    offsetof(struct metric, column), "m.", assign));
}

/* ", <prefix>c, ..." over the workers table's figures. Free it. */
char *
db_worker_columns(const char *prefix)
{
	return (column_list(worker_metrics, worker_metrics_count,
	    sizeof worker_metrics[0], offsetof(struct worker_metric, name),
	    prefix, 0));
}

/* ", <prefix>c, ..." over the rounds table's figures. Free it. */
char *
db_round_columns(const char *prefix)
{
	return (column_list(round_metrics, round_metrics_count,
	    sizeof round_metrics[0], offsetof(struct round_metric, column),
	    prefix, 0));
}

/* Bind v to the parameter ":name"; a missing value stays NULL. */
void
db_bind_value(sqlite3_stmt *st, const char *name, enum metric_type type,
    const struct metric_value *v)
{
	db_bind_value_at(st, db_param_index(st, name), type, v);
}

/* The index of parameter :name in st, or 0 if it has none. */
int
db_param_index(sqlite3_stmt *st, const char *name)
{
	char	param[128];

	snprintf(param, sizeof param, ":%s", name);
	return (sqlite3_bind_parameter_index(st, param));
}

/* Bind v to parameter i of st (from db_param_index; 0: none). */
void
db_bind_value_at(sqlite3_stmt *st, int i, enum metric_type type,
    const struct metric_value *v)
{
	if (i == 0 || v->missing)
		return;
	if (type == METRIC_INT)
		sqlite3_bind_int64(st, i, v->i);
	else if (type == METRIC_REAL)
		sqlite3_bind_double(st, i, v->d);
	else
		sqlite3_bind_text(st, i, v->s, -1, SQLITE_TRANSIENT);
}

/* Column c of the current row as a value (NULL: missing). */
void
db_metric_column(sqlite3_stmt *st, int c, struct metric_value *v)
{
	memset(v, 0, sizeof *v);
	v->missing = sqlite3_column_type(st, c) == SQLITE_NULL;
	v->i = sqlite3_column_int64(st, c);
	v->d = sqlite3_column_double(st, c);
	v->s = (const char *)sqlite3_column_text(st, c);
}
