/*
 * The metrics table in SQL: run_models' metric columns as a SELECT list
 * or as named assignments, and values bound and read by a metric's type.
 * The recorder and the readers build their statements from these.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "db_priv.h"
#include "metric.h"
#include "xmalloc.h"

/*
 * ", m.c, ..." (assign 0) or ", c = :c, ..." (assign 1) over every
 * metric with a run_models column, in the table's order. Free it.
 */
char *
db_metric_columns(int assign)
{
	size_t	len = 1, n = 0;
	char	*s;

	for (size_t i = 0; i < metrics_count; i++)
		if (metrics[i].column != NULL)
			len += 2 * strlen(metrics[i].column) + 8;
	s = xmalloc(len);
	s[0] = '\0';
	for (size_t i = 0; i < metrics_count; i++) {
		const char *c = metrics[i].column;

		if (c == NULL)
			continue;
		if (assign)
			n += (size_t)snprintf(s + n, len - n, ", %s = :%s", c, c);
		else
			n += (size_t)snprintf(s + n, len - n, ", m.%s", c);
	}
	return (s);
}

/* Bind v to the parameter named ":column"; a missing value stays NULL. */
void
db_metric_bind(sqlite3_stmt *st, const struct metric *m,
    const struct metric_value *v)
{
	char	name[128];
	int	i;

	snprintf(name, sizeof name, ":%s", m->column);
	if ((i = sqlite3_bind_parameter_index(st, name)) == 0 || v->missing)
		return;
	if (m->type == METRIC_INT)
		sqlite3_bind_int64(st, i, v->i);
	else if (m->type == METRIC_REAL)
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
