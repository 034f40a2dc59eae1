/*
 * Reading runs back: list them, load a run's rows (the table a headless
 * run prints), hand any table's rows over for export, delete, vacuum.
 * Nothing here prints: the commands (cmd_db.c, cmd_compare.c) do.
 */
#include <inttypes.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_events.h"
#include "db_priv.h"
#include "xmalloc.h"

/* RUN is a positive id, "last", or a run name (the newest of that name). */
int
db_find_run(struct db *d, const char *spec, int64_t *id, char *err,
    size_t errlen)
{
	sqlite3_stmt	*st;
	const char	*sql;
	char		*end;
	long long	 n = strtoll(spec, &end, 10);
	int		 numeric = *spec != '\0' && *end == '\0' && n > 0;

	if (strcmp(spec, "last") == 0)
		sql = "SELECT max(id) FROM runs";
	else if (numeric)
		sql = "SELECT id FROM runs WHERE id = ?1";
	else
		sql = "SELECT max(id) FROM runs WHERE name = ?2";
	if (sqlite3_prepare_v2(d->h, sql, -1, &st, NULL) != SQLITE_OK)
		return (db_fail(d, "finding the run", err, errlen));
	sqlite3_bind_int64(st, 1, n);
	sqlite3_bind_text(st, 2, spec, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		return (0);
	}
	sqlite3_finalize(st);
	snprintf(err, errlen, "%s: no run '%s' (fastsync runs lists them)",
	    d->path, spec);
	return (2);
}

static char *
text_or_null(sqlite3_stmt *st, int c)
{
	const char	*s = (const char *)sqlite3_column_text(st, c);

	return (s != NULL ? xstrdup(s) : NULL);
}

/*
 * The run's fastest model against the baseline kind: the lowest mean
 * inter-sync time over the baseline's (the first of its kind), and that
 * model's name. NAN when the run lacks the baseline or another model.
 */
static double
vs_baseline(struct db *d, int64_t run, const char *baseline, char **best)
{
	sqlite3_stmt	*st;
	double		 ratio = NAN;

	*best = NULL;
	if (sqlite3_prepare_v2(d->h, "SELECT f.model, f.round_mean_ms /"
	    " (SELECT b.round_mean_ms FROM run_models b WHERE b.run = ?1 AND"
	    " b.kind = ?2 ORDER BY b.position LIMIT 1) AS ratio"
	    " FROM run_models f WHERE f.run = ?1 AND f.kind != ?2 AND"
	    " f.round_mean_ms IS NOT NULL AND ratio IS NOT NULL"
	    " ORDER BY ratio, f.position LIMIT 1", -1, &st,
	    NULL) != SQLITE_OK)
		return (ratio);
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, baseline, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 1) != SQLITE_NULL) {
		ratio = sqlite3_column_double(st, 1);
		*best = text_or_null(st, 0);
	}
	sqlite3_finalize(st);
	return (ratio);
}

/*
 * Every run, oldest first, each with its fastest model against the
 * baseline kind. Free with db_free_runs().
 */
/*
 * What a run was: its sweep and point, else its config file, workload
 * (train when it recorded accuracy, else sim) and overrides on one line.
 */
#define RUN_WHAT \
	"CASE WHEN r.sweep IS NOT NULL THEN 'sweep ' || ifnull((SELECT" \
	" s.name FROM sweeps s WHERE s.id = r.sweep), '?') || ' point ' ||" \
	" r.point || ' ' || ifnull(r.point_values, '') ELSE" \
	" ifnull(r.config_path, '(built-in)') || CASE WHEN EXISTS (SELECT 1" \
	" FROM run_models m WHERE m.run = r.id AND m.accuracy IS NOT NULL)" \
	" THEN ' train' ELSE ' sim' END || CASE WHEN r.overrides != '' THEN" \
	" ' ' || replace(trim(r.overrides, char(10)), char(10), ' ') ELSE ''" \
	" END END"

int
db_list_runs(struct db *d, const char *baseline, struct db_run **runsp,
    int *np, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	struct db_run	*runs = NULL;
	int		 n = 0;

	*runsp = NULL;
	*np = 0;
	if (sqlite3_prepare_v2(d->h, "SELECT r.id, r.started, r.name,"
	    " (SELECT group_concat(model, ',') FROM (SELECT model FROM"
	    " run_models m WHERE m.run = r.id ORDER BY position)),"
	    " r.workers, r.rounds, r.status, " RUN_WHAT " FROM runs r ORDER BY"
	    " r.id", -1, &st, NULL) != SQLITE_OK)
		return (db_fail(d, "listing runs", err, errlen));
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct db_run *r;

		runs = xreallocarray(runs, (size_t)n + 1, sizeof *runs);
		r = &runs[n++];
		r->id = sqlite3_column_int64(st, 0);
		r->started = text_or_null(st, 1);
		r->name = text_or_null(st, 2);
		r->models = text_or_null(st, 3);
		r->workers = sqlite3_column_int(st, 4);
		r->rounds = sqlite3_column_int(st, 5);
		r->status = text_or_null(st, 6);
		r->what = text_or_null(st, 7);
		r->vs_base = vs_baseline(d, r->id, baseline, &r->best);
	}
	sqlite3_finalize(st);
	*runsp = runs;
	*np = n;
	return (0);
}

void
db_free_runs(struct db_run *runs, int n)
{
	for (int i = 0; i < n; i++) {
		free(runs[i].started);
		free(runs[i].name);
		free(runs[i].models);
		free(runs[i].status);
		free(runs[i].best);
		free(runs[i].what);
	}
	free(runs);
}

/*
 * "SELECT key<cols> FROM table" for one model of run, by key (cols is
 * freed), prepared and bound; NULL if it cannot be (rows stay empty).
 */
static sqlite3_stmt *
select_model_rows(struct db *d, const char *key, char *cols,
    const char *table, int64_t run, const char *model)
{
	sqlite3_stmt	*st;
	char		*sql;
	int		 rc;

	xasprintf(&sql, "SELECT %s%s FROM %s WHERE run = ?1 AND model = ?2"
	    " ORDER BY %s", key, cols, table, key);
	free(cols);
	rc = sqlite3_prepare_v2(d->h, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return (NULL);
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, model, -1, SQLITE_TRANSIENT);
	return (st);
}

/* Per-round figures of one model, as the engine's stats hold them. */
static void
load_rounds(struct db *d, int64_t run, struct report_row *row)
{
	sqlite3_stmt	*st;
	int		 n = row->rounds;

	row->st.rounds = n;
	row->st.round = xcalloc((size_t)n, sizeof *row->st.round);
	for (int k = 0; k < n; k++)
		row->st.round[k].t_start = row->st.round[k].t_sync = -1;
	st = select_model_rows(d, "round", db_round_columns(""), "rounds", run,
	    row->model);
	while (st != NULL && sqlite3_step(st) == SQLITE_ROW) {
		int k = sqlite3_column_int(st, 0);

		if (k < 0 || k >= n)
			continue;
		for (size_t i = 0; i < round_metrics_count; i++) {
			struct metric_value v;

			if (round_metrics[i].set == NULL)
				continue;
			db_metric_column(st, 1 + (int)i, &v);
			round_metrics[i].set(&row->st, k, &v);
		}
	}
	sqlite3_finalize(st);
}

/* Per-worker figures of one model. */
static void
load_workers(struct db *d, int64_t run, struct report_row *row)
{
	sqlite3_stmt	*st;

	row->wv = xcalloc((size_t)row->workers, sizeof *row->wv);
	st = select_model_rows(d, "worker", db_worker_columns(""), "workers",
	    run, row->model);
	while (st != NULL && sqlite3_step(st) == SQLITE_ROW) {
		int w = sqlite3_column_int(st, 0);

		if (w < 0 || w >= row->workers)
			continue;
		for (size_t i = 0; i < worker_metrics_count; i++) {
			struct metric_value v;

			db_metric_column(st, 1 + (int)i, &v);
			worker_metric_set(&worker_metrics[i], &row->wv[w], &v);
		}
		row->nwv = w + 1 > row->nwv ? w + 1 : row->nwv;
	}
	sqlite3_finalize(st);
}

/* Parse run_models.staleness_hist, "[a, b, ...]". */
static void
parse_hist(const char *s, uint64_t *hist)
{
	char	*end;

	for (int b = 0; s != NULL && *s != '\0' && b <= STATS_HIST; b++) {
		while (*s == '[' || *s == ',' || *s == ' ')
			s++;
		hist[b] = strtoull(s, &end, 10);
		s = end;
	}
}

/* A run's rows, as run_headless made them. Free with db_free_rows(). */
int
db_load_rows(struct db *d, int64_t run, struct report_row **rowsp, int *np,
    char *err, size_t errlen)
{
	sqlite3_stmt		*st;
	struct report_row	*rows = NULL;
	char			*sql, *cols;
	int			 n = 0, rc;

	/* the fixed part, then every metric with a column, in table order */
	cols = db_metric_columns(0);
	xasprintf(&sql, "SELECT m.model, r.workers, r.rounds, r.seed,"
	    " m.staleness_hist%s FROM run_models m JOIN runs r ON r.id = m.run"
	    " WHERE m.run = ?1 ORDER BY m.position", cols);
	free(cols);
	rc = sqlite3_prepare_v2(d->h, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return (db_fail(d, "reading the run", err, errlen));
	sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct report_row *r;
		int c = 5;

		rows = xreallocarray(rows, (size_t)n + 1, sizeof *rows);
		r = &rows[n++];
		memset(r, 0, sizeof *r);
		r->run = run;
		r->model = xstrdup((const char *)sqlite3_column_text(st, 0));
		r->workers = sqlite3_column_int(st, 1);
		r->rounds = sqlite3_column_int(st, 2);
		r->seed = (uint64_t)sqlite3_column_int64(st, 3);
		parse_hist((const char *)sqlite3_column_text(st, 4),
		    r->st.hist);
		for (size_t i = 0; i < metrics_count; i++) {
			struct metric_value v;

			if (metrics[i].column == NULL)
				continue;
			db_metric_column(st, c++, &v);
			metric_set(&metrics[i], r, &v);
		}
		r->st.finish_ms = r->sum.time_ms;
		if (r->st.gradients > 0)
			r->sum.stale_pct = 100.0 * (double)r->st.stale /
			    (double)r->st.gradients;
		load_rounds(d, run, r);
		load_workers(d, run, r);
	}
	sqlite3_finalize(st);
	*rowsp = rows;
	*np = n;
	return (0);
}

void
db_free_rows(struct report_row *rows, int n)
{
	for (int i = 0; i < n; i++) {
		free((char *)(uintptr_t)rows[i].model);
		free(rows[i].st.round);
		free(rows[i].wv);
	}
	free(rows);
}

/* Column c of the current row; its name is set once, by db_emit. */
static void
cell(sqlite3_stmt *st, int c, struct db_cell *v)
{
	switch (sqlite3_column_type(st, c)) {
	case SQLITE_NULL:
		v->type = DB_NULL;
		break;
	case SQLITE_INTEGER:
		v->type = DB_INT;
		v->i = sqlite3_column_int64(st, c);
		break;
	case SQLITE_FLOAT:
		v->type = DB_REAL;
		v->d = sqlite3_column_double(st, c);
		break;
	default:
		v->type = DB_TEXT;
		v->s = (const char *)sqlite3_column_text(st, c);
		break;
	}
}

/*
 * Tables a run can be exported from, and the column naming its run; the
 * event views (db_events.h) come from events, in seq order.
 */
static const struct {
	const char	*name, *table, *key, *cols, *where;
} exportable[] = {
	{ "runs", "runs", "id", NULL, NULL },
	{ "models", "run_models", "run", NULL, NULL },
	{ "rounds", "rounds", "run", NULL, NULL },
	{ "workers", "workers", "run", NULL, NULL },
	{ "updates", "events", "run", DB_UPDATES_COLS, DB_UPDATES_WHERE },
	{ "clusters", "events", "run", DB_CLUSTERS_COLS, DB_CLUSTERS_WHERE },
	{ "quorum", "events", "run", DB_QUORUM_COLS, DB_QUORUM_WHERE },
	{ "events", "events", "run", "*", NULL },
	{ "accuracy", "accuracy", "run", NULL, NULL },
};

/*
 * One table's rows of a run, each handed to fn as cells, after a first
 * call with only the column names (header 1).
 */
int
db_export(struct db *d, int64_t run, const char *table, db_row_fn *fn,
    void *ud, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	char		 sql[512];
	size_t		 t;

	for (t = 0; t < sizeof exportable / sizeof exportable[0]; t++)
		if (strcmp(exportable[t].name, table) == 0)
			break;
	if (t == sizeof exportable / sizeof exportable[0]) {
		snprintf(err, errlen, "--table: expected runs, models, rounds,"
		    " workers, updates, clusters, quorum, events or accuracy,"
		    " got '%s'", table);
		return (2);
	}
	/*
	 * In the models' order, then as written: models recorded side by
	 * side (threads, the dashboard) interleave their rows on disk.
	 */
	if (t == 0)
		snprintf(sql, sizeof sql, "SELECT * FROM runs WHERE id = ?1");
	else if (exportable[t].cols != NULL)
		/* the events view's rows, decoded in C (db_evscan.c) */
		snprintf(sql, sizeof sql, "SELECT %s FROM fs_events WHERE"
		    " run = ?1%s%s ORDER BY position, seq", exportable[t].cols,
		    exportable[t].where != NULL ? " AND " : "",
		    exportable[t].where != NULL ? exportable[t].where : "");
	else
		snprintf(sql, sizeof sql, "SELECT t.* FROM %s t WHERE t.run ="
		    " ?1 ORDER BY (SELECT m.position FROM run_models m WHERE"
		    " m.run = t.run AND m.model = t.model), t.rowid",
		    exportable[t].table);
	if (sqlite3_prepare_v2(d->h, sql, -1, &st, NULL) != SQLITE_OK)
		return (db_fail(d, "exporting", err, errlen));
	sqlite3_bind_int64(st, 1, run);
	return (db_emit(d, st, fn, ud, "exporting", err, errlen));
}

/*
 * st's rows to fn as cells, after a call with only the names; st is
 * finalized. 0 when every row was read, else db_fail's -1 with what
 * (the error is the statement's: said before it goes).
 */
int
db_emit(struct db *d, sqlite3_stmt *st, db_row_fn *fn, void *ud,
    const char *what, char *err, size_t errlen)
{
	int		 cols = sqlite3_column_count(st), rc;
	struct db_cell	*cells = xcalloc((size_t)cols + 1, sizeof *cells);

	for (int c = 0; c < cols; c++)
		cells[c].name = sqlite3_column_name(st, c);
	fn(ud, cells, cols, 1);
	for (int row = 0; (rc = sqlite3_step(st)) == SQLITE_ROW; row++) {
		/* names again once stepped: the first step may prepare st
		 * again, and the names with it */
		for (int c = 0; c < cols; c++) {
			if (row == 0)
				cells[c].name = sqlite3_column_name(st, c);
			cell(st, c, &cells[c]);
		}
		fn(ud, cells, cols, 0);
	}
	free(cells);
	rc = rc == SQLITE_DONE ? 0 : db_fail(d, what, err, errlen);
	sqlite3_finalize(st);
	return (rc);
}

int
db_delete_run(struct db *d, int64_t run, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(d->h, "DELETE FROM runs WHERE id = ?1", -1,
	    &st, NULL) != SQLITE_OK)
		return (db_fail(d, "deleting", err, errlen));
	sqlite3_bind_int64(st, 1, run);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return (db_fail(d, "deleting", err, errlen));
	return (0);
}

int
db_vacuum(struct db *d, char *err, size_t errlen)
{
	return (db_exec(d, "VACUUM", err, errlen) != 0 ? 1 : 0);
}

/*
 * What replaying run id needs: its configuration text and path, the
 * overrides, and its models in order with the events each stepped (-1
 * where the run ended before the model's summary was written).
 */
int
db_load_replay(struct db *d, int64_t id, struct db_replay *r, char *err,
    size_t errlen)
{
	sqlite3_stmt	*st;
	const char	*s;

	memset(r, 0, sizeof *r);
	if (sqlite3_prepare_v2(d->h, "SELECT config_path, config, overrides"
	    " FROM runs WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
		return (db_fail(d, "reading the run", err, errlen));
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		snprintf(err, errlen, "%s: no run %lld", d->path,
		    (long long)id);
		return (2);
	}
	s = (const char *)sqlite3_column_text(st, 0);
	r->config_path = s != NULL ? xstrdup(s) : NULL;
	s = (const char *)sqlite3_column_text(st, 1);
	r->config = xstrdup(s != NULL ? s : "");
	s = (const char *)sqlite3_column_text(st, 2);
	r->overrides = xstrdup(s != NULL ? s : "");
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(d->h, "SELECT model, sim_events, status = "
	    "'complete' FROM run_models WHERE run = ?1 ORDER BY position", -1,
	    &st,
	    NULL) != SQLITE_OK) {
		db_replay_free(r);
		return (db_fail(d, "reading the run's models", err, errlen));
	}
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		r->names = xreallocarray(r->names, (size_t)r->nmodels + 1,
		    sizeof *r->names);
		r->events = xreallocarray(r->events, (size_t)r->nmodels + 1,
		    sizeof *r->events);
		r->complete = xreallocarray(r->complete, (size_t)r->nmodels +
		    1, sizeof *r->complete);
		r->complete[r->nmodels] = sqlite3_column_int(st, 2);
		s = (const char *)sqlite3_column_text(st, 0);
		r->names[r->nmodels] = xstrdup(s != NULL ? s : "");
		r->events[r->nmodels] = sqlite3_column_type(st, 1) ==
		    SQLITE_NULL ? -1 : sqlite3_column_int64(st, 1);
		r->nmodels++;
	}
	sqlite3_finalize(st);
	return (0);
}

void
db_replay_free(struct db_replay *r)
{
	free(r->config_path);
	free(r->config);
	free(r->overrides);
	for (int i = 0; i < r->nmodels; i++)
		free(r->names[i]);
	free(r->names);
	free(r->events);
	free(r->complete);
	memset(r, 0, sizeof *r);
}

/* Run id's "key=value" facts: config file, overrides, seed. Free it. */
static char *
run_facts(struct db *d, int64_t id)
{
	sqlite3_stmt	*st;
	char		*s = NULL;

	if (sqlite3_prepare_v2(d->h, "SELECT 'config=' || ifnull(config_path,"
	    " '(built-in)') || char(10) || overrides || CASE WHEN"
	    " instr(char(10) || overrides, char(10) || 'seed=') THEN '' ELSE"
	    " 'seed=' || seed || char(10) END FROM runs WHERE id = ?1", -1,
	    &st, NULL) !=
	    SQLITE_OK)
		return (NULL);
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		s = text_or_null(st, 0);
	sqlite3_finalize(st);
	return (s);
}

/* Is line (up to its newline) one of the lines of text? */
static int
has_line(const char *text, const char *line)
{
	size_t	len = strcspn(line, "\n");

	for (const char *p = text; p != NULL && *p != '\0';
	    p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, line, len) == 0 && (p[len] == '\n' ||
		    p[len] == '\0'))
			return (1);
	return (0);
}

/*
 * A heading for each run: its name when every run has a distinct one,
 * else what differs between them (config, overrides, seed; the last
 * value of a key counts), else "run N". Free each.
 */
void
db_run_labels(struct db *d, const int64_t *ids, int n, char **labels)
{
	char	**facts = xcalloc((size_t)n + 1, sizeof *facts);
	char	**names = xcalloc((size_t)n + 1, sizeof *names);
	int	  named = 1;

	for (int k = 0; k < n; k++) {
		sqlite3_stmt *st;

		facts[k] = run_facts(d, ids[k]);
		if (sqlite3_prepare_v2(d->h, "SELECT name FROM runs WHERE id ="
		    " ?1", -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_int64(st, 1, ids[k]);
			if (sqlite3_step(st) == SQLITE_ROW)
				names[k] = text_or_null(st, 0);
			sqlite3_finalize(st);
		}
		named &= names[k] != NULL;
		for (int j = 0; j < k && named; j++)
			named = strcmp(names[j], names[k]) != 0;
	}
	for (int k = 0; k < n; k++) {
		char	*out = xstrdup(""), *t;

		for (const char *p = facts[k]; !named && p != NULL && *p;
		    p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
			int	common = 1;

			if (*p == '\n')
				continue;
			for (int j = 0; j < n && common; j++)
				common = facts[j] != NULL &&
				    has_line(facts[j], p);
			if (common)
				continue;
			xasprintf(&t, "%s%s%.*s", out, *out ? " " : "",
			    (int)strcspn(p, "\n"), p);
			free(out);
			out = t;
		}
		if (named) {
			free(out);
			out = xstrdup(names[k]);
		} else if (*out == '\0') {
			free(out);
			xasprintf(&out, "run %lld", (long long)ids[k]);
		}
		labels[k] = out;
	}
	for (int k = 0; k < n; k++) {
		free(facts[k]);
		free(names[k]);
	}
	free(facts);
	free(names);
}
