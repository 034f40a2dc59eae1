/*
 * fastsync merge: the runs of another database file (a shard) copied
 * into this one, matched by UUID, so merging twice adds nothing and a
 * run that differs under the same UUID is refused. One file is attached
 * at a time and merged in one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_priv.h"
#include "xmalloc.h"

/* The tables holding a run's rows (keyed by run), copied with it. */
static const char *const run_tables[] = {
	"run_models", "rounds", "workers", "event_chunks", "accuracy",
	"run_points",
};

/* What makes two copies of a run the same run. */
#define FINGERPRINT(db) \
	"SELECT r.status || '|' || r.seed || '|' || r.config || '|' ||" \
	" r.overrides || '|' || ifnull(r.point, '') || '|' || ifnull((SELECT" \
	" group_concat(m.model || ':' || ifnull(m.sim_events, '') || ':' ||" \
	" ifnull(m.time_ms, ''), ',') FROM " db ".run_models m WHERE m.run =" \
	" r.id), '') FROM " db ".runs r WHERE r.id = ?1"

/* A table's columns but run (id for runs), comma-separated. Free it. */
static char *
other_columns(struct db *d, const char *table, const char *key)
{
	sqlite3_stmt	*st;
	char		*sql, *cols = xstrdup(""), *t;

	xasprintf(&sql, "SELECT name FROM pragma_table_info('%s', 'main')",
	    table);
	if (sqlite3_prepare_v2(d->h, sql, -1, &st, NULL) == SQLITE_OK)
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *c = (const char *)sqlite3_column_text(st,
			    0);

			if (strcmp(c, key) == 0)
				continue;
			xasprintf(&t, "%s%s\"%s\"", cols, *cols ? ", " : "", c);
			free(cols);
			cols = t;
		}
	sqlite3_finalize(st);
	free(sql);
	return (cols);
}

static char *
text_of(struct db *d, const char *sql, int64_t id)
{
	sqlite3_stmt	*st;
	char		*s = NULL;

	if (sqlite3_prepare_v2(d->h, sql, -1, &st, NULL) != SQLITE_OK)
		return (NULL);
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		s = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return (s);
}

static int
run_sql(struct db *d, const char *sql, int64_t a, int64_t b, char *err,
    size_t errlen)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(d->h, sql, -1, &st, NULL) != SQLITE_OK)
		return (db_fail(d, "merging", err, errlen));
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return (rc == SQLITE_DONE ? 0 : db_fail(d, "merging", err, errlen));
}

/* Sweeps by name: the same spec, else the merge is refused. */
static int
merge_sweeps(struct db *d, const char *path, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	int		 rc = 0;

	if (run_sql(d, "INSERT OR IGNORE INTO main.sweeps (name, spec, keys,"
	    " points, seeds, created) SELECT name, spec, keys, points, seeds,"
	    " created FROM s.sweeps", 0, 0, err, errlen) != 0)
		return (1);
	if (sqlite3_prepare_v2(d->h, "SELECT o.name FROM s.sweeps o JOIN"
	    " main.sweeps m ON m.name = o.name WHERE m.spec != o.spec", -1,
	    &st, NULL) != SQLITE_OK)
		return (db_fail(d, "merging sweeps", err, errlen));
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(err, errlen, "%s: sweep '%s' has other settings than"
		    " the one of that name in %s: not merged", path,
		    (const char *)sqlite3_column_text(st, 0), d->path);
		rc = 2;
	}
	sqlite3_finalize(st);
	return (rc);
}

/* Copy shard run old (and its rows) as a new run of main. */
static int
copy_run(struct db *d, int64_t old, char *err, size_t errlen)
{
	char	*cols = other_columns(d, "runs", "id"), *sql;
	int64_t	 id;
	int	 rc;

	xasprintf(&sql, "INSERT INTO main.runs (%s) SELECT %s FROM s.runs"
	    " WHERE id = ?1", cols, cols);
	free(cols);
	rc = run_sql(d, sql, old, 0, err, errlen);
	free(sql);
	if (rc != 0)
		return (rc);
	id = sqlite3_last_insert_rowid(d->h);
	/* the sweep's id in this file */
	if ((rc = run_sql(d, "UPDATE main.runs SET sweep = (SELECT m.id FROM"
	    " main.sweeps m JOIN s.sweeps o ON o.name = m.name WHERE o.id ="
	    " main.runs.sweep) WHERE id = ?1", id, 0, err, errlen)) != 0)
		return (rc);
	for (size_t t = 0; t < sizeof run_tables / sizeof run_tables[0]; t++) {
		cols = other_columns(d, run_tables[t], "run");
		xasprintf(&sql, "INSERT INTO main.%s (run, %s) SELECT ?2, %s"
		    " FROM s.%s WHERE run = ?1 ORDER BY rowid", run_tables[t],
		    cols, cols, run_tables[t]);
		free(cols);
		rc = run_sql(d, sql, old, id, err, errlen);
		free(sql);
		if (rc != 0)
			return (rc);
	}
	return (0);
}

/* The runs of the attached file, by UUID. */
static int
merge_runs(struct db *d, const char *path, struct db_merge *m, char *err,
    size_t errlen)
{
	sqlite3_stmt	*st;
	int		 rc = 0;

	if (sqlite3_prepare_v2(d->h, "SELECT o.id, o.uuid, o.status,"
	    " (SELECT r.id FROM main.runs r WHERE r.uuid = o.uuid) FROM s.runs"
	    " o ORDER BY o.id", -1, &st, NULL) != SQLITE_OK)
		return (db_fail(d, "merging runs", err, errlen));
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		int64_t		 old = sqlite3_column_int64(st, 0);
		const char	*status = (const char *)sqlite3_column_text(st,
				    2);

		if (sqlite3_column_type(st, 1) == SQLITE_NULL ||
		    strcmp(status, "running") == 0) {
			m->left_out++;
			continue;
		}
		if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
			int64_t	 mine = sqlite3_column_int64(st, 3);
			char	*a = text_of(d, FINGERPRINT("s"), old);
			char	*b = text_of(d, FINGERPRINT("main"), mine);

			if (a == NULL || b == NULL || strcmp(a, b) != 0) {
				snprintf(err, errlen, "%s: run %lld (UUID %s)"
				    " differs from run %lld of %s, recorded"
				    " under the same UUID: not merged", path,
				    (long long)old, (const char *)
				    sqlite3_column_text(st, 1),
				    (long long)mine, d->path);
				rc = 2;
			}
			m->already++;
			free(a);
			free(b);
			continue;
		}
		if ((rc = copy_run(d, old, err, errlen)) == 0)
			m->added++;
	}
	sqlite3_finalize(st);
	return (rc);
}

/*
 * Merge the runs of the file at path into d. The file must be one of
 * fastsync's at this schema (readable; opened once to check).
 */
int
db_merge(struct db *d, const char *path, struct db_merge *m, char *err,
    size_t errlen)
{
	struct db	*s;
	sqlite3_stmt	*st;
	int		 rc, status;

	memset(m, 0, sizeof *m);
	if ((s = db_open_status(path, 1, &status, err, errlen)) == NULL)
		return (status);
	db_close(s);
	if (sqlite3_prepare_v2(d->h, "ATTACH ?1 AS s", -1, &st, NULL) !=
	    SQLITE_OK)
		return (db_fail(d, "attaching", err, errlen));
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return (db_fail(d, "attaching", err, errlen));
	if (db_exec(d, "BEGIN IMMEDIATE", err, errlen) != 0)
		rc = 1;
	else if ((rc = merge_sweeps(d, path, err, errlen)) == 0 &&
	    (rc = merge_runs(d, path, m, err, errlen)) == 0)
		rc = db_exec(d, "COMMIT", err, errlen) != 0 ? 1 : 0;
	if (rc != 0)
		(void)sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
	(void)sqlite3_exec(d->h, "DETACH s", NULL, NULL, NULL);
	return (rc);
}
