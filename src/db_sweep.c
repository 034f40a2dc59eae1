/*
 * Sweeps in the database: the sweeps row (found again by name, so a
 * re-run resumes), which of its runs are complete, and a run's grid
 * point (runs.sweep, point, point_values and its run_points rows).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "db_priv.h"
#include "xmalloc.h"

/*
 * The sweep called name: created, or found with the same spec (a
 * resume). Another spec under that name is refused (2).
 */
int
db_sweep_begin(struct db *d, const char *name, const char *spec,
    const char *keys, int points, int seeds, int64_t *id, char *err,
    size_t errlen)
{
	sqlite3_stmt	*st;
	char		 when[32];
	time_t		 t = time(NULL);
	struct tm	 tm;
	int		 rc = 1;

	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (sqlite3_prepare_v2(d->h, "INSERT OR IGNORE INTO sweeps (name,"
	    " spec, keys, points, seeds, created) VALUES (?1, ?2, ?3, ?4, ?5,"
	    " ?6)", -1, &st, NULL) != SQLITE_OK)
		return (db_fail(d, "recording a sweep", err, errlen));
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, spec, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, keys, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, points);
	sqlite3_bind_int(st, 5, seeds);
	sqlite3_bind_text(st, 6, when, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = db_fail(d, "recording a sweep", err, errlen);
		sqlite3_finalize(st);
		return (rc);
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(d->h, "SELECT id, spec FROM sweeps WHERE name"
	    " = ?1", -1, &st, NULL) != SQLITE_OK)
		return (db_fail(d, "reading a sweep", err, errlen));
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		rc = db_fail(d, "reading a sweep", err, errlen);
	else if (strcmp((const char *)sqlite3_column_text(st, 1), spec) != 0) {
		snprintf(err, errlen, "%s: sweep '%s' is recorded there with"
		    " other settings; give another --name", d->path, name);
		rc = 2;
	} else {
		*id = sqlite3_column_int64(st, 0);
		rc = 0;
	}
	sqlite3_finalize(st);
	return (rc);
}

/* done[point * nseeds + seed - seed_lo] = 1 for each complete run. */
int
db_sweep_done(struct db *d, int64_t sweep, int nseeds, int64_t seed_lo,
    unsigned char *done, int nruns, char *err, size_t errlen)
{
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v2(d->h, "SELECT point, seed FROM runs WHERE"
	    " sweep = ?1 AND status = 'complete'", -1, &st, NULL) != SQLITE_OK)
		return (db_fail(d, "reading a sweep", err, errlen));
	sqlite3_bind_int64(st, 1, sweep);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t	p = sqlite3_column_int64(st, 0);
		int64_t	s = sqlite3_column_int64(st, 1) - seed_lo;
		int64_t	k = p * nseeds + s;

		if (s >= 0 && s < nseeds && k >= 0 && k < nruns)
			done[k] = 1;
	}
	sqlite3_finalize(st);
	return (0);
}

/* A value as SQLite should hold it: an integer, a real, else text. */
static void
bind_typed(sqlite3_stmt *st, int i, const char *v)
{
	char		*end;
	long long	 n;
	double		 x;

	errno = 0;
	n = strtoll(v, &end, 10);
	if (*v != '\0' && *end == '\0' && errno == 0) {
		sqlite3_bind_int64(st, i, n);
		return;
	}
	x = strtod(v, &end);
	if (*v != '\0' && *end == '\0' && errno == 0)
		sqlite3_bind_double(st, i, x);
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

/* The point as a JSON object: numbers bare, anything else a string. */
static char *
point_json(const char *const *keys, const char *const *values, int n)
{
	size_t	 len = 3;
	char	*s, *p;

	for (int i = 0; i < n; i++)
		len += 2 * (strlen(keys[i]) + strlen(values[i])) + 8;
	p = s = xmalloc(len);
	*p++ = '{';
	for (int i = 0; i < n; i++) {
		char		*end;
		const char	*v = values[i];
		int		 num;

		(void)strtod(v, &end);
		num = *v != '\0' && *end == '\0' && strspn(v,
		    "0123456789+-.eE") == strlen(v);
		p += sprintf(p, "%s\"%s\": ", i ? ", " : "", keys[i]);
		if (!num)
			*p++ = '"';
		for (; *v != '\0'; v++) {
			if (!num && (*v == '"' || *v == '\\'))
				*p++ = '\\';
			*p++ = *v;
		}
		if (!num)
			*p++ = '"';
	}
	*p++ = '}';
	*p = '\0';
	return (s);
}

static int
exec_bound(struct db *d, sqlite3_stmt *st, const char *what, char *err,
    size_t errlen)
{
	int	rc = sqlite3_step(st);

	sqlite3_reset(st);
	return (rc == SQLITE_DONE ? 0 : db_fail(d, what, err, errlen));
}

/*
 * Run run is the sweep's grid point (keys[i] = values[i], the seed the
 * last of them); an earlier unfinished run of the same point and seed
 * goes (a resume runs it again).
 */
int
db_sweep_point(struct db *d, int64_t run, int64_t sweep, int point,
    const char *const *keys, const char *const *values, int n, char *err,
    size_t errlen)
{
	sqlite3_stmt	*st = NULL;
	char		*json = point_json(keys, values, n);
	int		 rc = 1;

	if (db_exec(d, "BEGIN IMMEDIATE", err, errlen) != 0) {
		free(json);
		return (1);
	}
	if (sqlite3_prepare_v2(d->h, "DELETE FROM runs WHERE sweep = ?1 AND"
	    " point = ?2 AND seed = (SELECT seed FROM runs WHERE id = ?3) AND"
	    " status IN ('interrupted', 'failed')", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, sweep);
	sqlite3_bind_int(st, 2, point);
	sqlite3_bind_int64(st, 3, run);
	if (exec_bound(d, st, "recording a sweep's point", err, errlen) != 0)
		goto out;
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(d->h, "UPDATE runs SET sweep = ?1, point = ?2,"
	    " point_values = ?3 WHERE id = ?4", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, sweep);
	sqlite3_bind_int(st, 2, point);
	sqlite3_bind_text(st, 3, json, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, run);
	if (exec_bound(d, st, "recording a sweep's point", err, errlen) != 0)
		goto out;
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(d->h, "INSERT INTO run_points VALUES (?1, ?2,"
	    " ?3)", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	for (int i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, run);
		sqlite3_bind_text(st, 2, keys[i], -1, SQLITE_STATIC);
		bind_typed(st, 3, values[i]);
		if (exec_bound(d, st, "recording a sweep's point", err,
		    errlen) != 0)
			goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	rc = db_exec(d, "COMMIT", err, errlen) != 0 ? 1 : 0;
	goto out;
fail:
	rc = db_fail(d, "recording a sweep's point", err, errlen);
out:
	sqlite3_finalize(st);
	if (rc != 0)
		(void)sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
	free(json);
	return (rc);
}

int
db_sweep_find(struct db *d, const char *name, int64_t *id, char *err,
    size_t errlen)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(d->h, "SELECT id FROM sweeps WHERE name = ?1",
	    -1, &st, NULL) != SQLITE_OK) {
		(void)db_fail(d, "reading sweeps", err, errlen);
		return (-1);
	}
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st) == SQLITE_ROW) != 0)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return (rc);
}

/*
 * The tidy table of a sweep: one row per complete run and model, the
 * varied keys (and the seed) as columns, then every metric; in sweep
 * order (point, seed, model position), whatever order runs were
 * recorded in.
 */
int
db_sweep_export(struct db *d, int64_t sweep, db_row_fn *fn, void *ud,
    char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	char		*sql, *t, *cols;

	if (sqlite3_prepare_v2(d->h, "SELECT j.value FROM sweeps s,"
	    " json_each(s.keys) j WHERE s.id = ?1 ORDER BY j.key", -1, &st,
	    NULL) != SQLITE_OK)
		return (db_fail(d, "reading a sweep", err, errlen));
	sqlite3_bind_int64(st, 1, sweep);
	sql = xstrdup("SELECT r.id AS run, r.uuid, r.point");
	while (sqlite3_step(st) == SQLITE_ROW) {
		char *k = sqlite3_mprintf("%w", (const char *)
		    sqlite3_column_text(st, 0));
		char *v = sqlite3_mprintf("%q", (const char *)
		    sqlite3_column_text(st, 0));

		xasprintf(&t, "%s, (SELECT p.value FROM run_points p WHERE"
		    " p.run = r.id AND p.key = '%s') AS \"%s\"", sql, v, k);
		sqlite3_free(k);
		sqlite3_free(v);
		free(sql);
		sql = t;
	}
	sqlite3_finalize(st);
	cols = db_metric_columns(0);
	xasprintf(&t, "%s, m.model, m.kind%s FROM runs r JOIN run_models m ON"
	    " m.run = r.id WHERE r.sweep = ?1 AND r.status = 'complete' ORDER"
	    " BY r.point, r.seed, m.position", sql, cols);
	free(cols);
	free(sql);
	sql = t;
	if (sqlite3_prepare_v2(d->h, sql, -1, &st, NULL) != SQLITE_OK) {
		free(sql);
		return (db_fail(d, "exporting a sweep", err, errlen));
	}
	free(sql);
	sqlite3_bind_int64(st, 1, sweep);
	return (db_emit(d, st, fn, ud, "exporting a sweep", err, errlen));
}
