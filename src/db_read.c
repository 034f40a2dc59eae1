/*
 * Reading runs back: list them, load a run's rows (the table a headless
 * run prints), compare runs side by side with sparklines of their round
 * times, export any table as CSV or JSON, delete, vacuum.
 */
#include <inttypes.h>
#include <langinfo.h>
#include <math.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_priv.h"
#include "widgets.h"
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

/* The headline of a run: FastSync's inter-sync time against BSP's. */
static void
headline(struct db *d, int64_t run, char *buf, size_t len)
{
	sqlite3_stmt	*st;

	snprintf(buf, len, "-");
	if (sqlite3_prepare_v2(d->h, "SELECT f.round_mean_ms, b.round_mean_ms"
	    " FROM run_models f, run_models b WHERE f.run = ?1 AND b.run = ?1"
	    " AND f.kind = 'fastsync' AND b.kind = 'bsp' AND"
	    " f.round_mean_ms IS NOT NULL AND b.round_mean_ms > 0"
	    " ORDER BY f.position, b.position LIMIT 1", -1, &st,
	    NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, run);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(buf, len, "fastsync %+.1f%% vs bsp", 100.0 *
		    (sqlite3_column_double(st, 0) /
		    sqlite3_column_double(st, 1) - 1));
	sqlite3_finalize(st);
}

int
db_list_runs(struct db *d, FILE *out, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	char		 head[64];

	if (sqlite3_prepare_v2(d->h, "SELECT r.id, r.started, r.name,"
	    " (SELECT group_concat(model, ',') FROM (SELECT model FROM"
	    " run_models m WHERE m.run = r.id ORDER BY position)),"
	    " r.workers, r.rounds, r.status FROM runs r ORDER BY r.id", -1,
	    &st, NULL) != SQLITE_OK)
		return (db_fail(d, "listing runs", err, errlen));
	fprintf(out, "%5s  %-20s  %-16s  %-30s  %7s  %6s  %-11s  %s\n", "id",
	    "started (UTC)", "name", "models", "workers", "rounds", "status",
	    "headline");
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 2);
		const char *models = (const char *)sqlite3_column_text(st, 3);
		char shown[17];

		/* long names are cut to the column, marked with '~' */
		if (name != NULL && strlen(name) > 16) {
			snprintf(shown, sizeof shown, "%.15s~", name);
			name = shown;
		}
		headline(d, sqlite3_column_int64(st, 0), head, sizeof head);
		fprintf(out, "%5" PRId64 "  %-20s  %-16s  %-30s  %7d  %6d  %-11s"
		    "  %s\n", (int64_t)sqlite3_column_int64(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    name ? name : "-", models ? models : "-",
		    sqlite3_column_int(st, 4), sqlite3_column_int(st, 5),
		    (const char *)sqlite3_column_text(st, 6), head);
	}
	sqlite3_finalize(st);
	return (0);
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
	if (sqlite3_prepare_v2(d->h, "SELECT round, t_start, t_end, t_sync,"
	    " sync_point, quorum, participants, gradients, fresh, stale,"
	    " max_staleness FROM rounds WHERE run = ?1 AND model = ?2",
	    -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, row->model, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int k = sqlite3_column_int(st, 0);
		struct round_stats *rs;
		const char *p = (const char *)sqlite3_column_text(st, 4);

		if (k < 0 || k >= n)
			continue;
		rs = &row->st.round[k];
		rs->t_start = sqlite3_column_double(st, 1);
		rs->t_end = sqlite3_column_double(st, 2);
		if (sqlite3_column_type(st, 2) != SQLITE_NULL &&
		    k + 1 > row->st.rounds_done)
			row->st.rounds_done = k + 1;
		if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
			rs->t_sync = sqlite3_column_double(st, 3);
			row->st.syncs_done++;
		}
		for (int i = 0; p != NULL && i < SP_NPOINTS; i++)
			if (strcmp(p, sim_point_name((enum sim_point)i)) == 0)
				rs->point = i;
		rs->quorum = sqlite3_column_double(st, 5);
		rs->participants = sqlite3_column_int(st, 6);
		rs->gradients = sqlite3_column_int(st, 7);
		rs->fresh = sqlite3_column_int(st, 8);
		rs->stale = sqlite3_column_int(st, 9);
		rs->max_staleness = (uint64_t)sqlite3_column_int64(st, 10);
	}
	sqlite3_finalize(st);
}

static void
load_workers(struct db *d, int64_t run, struct report_row *row)
{
	sqlite3_stmt	*st;

	row->wv = xcalloc((size_t)row->workers, sizeof *row->wv);
	if (sqlite3_prepare_v2(d->h, "SELECT worker, slow, clock, busy_ms,"
	    " wait_ms, idle_ms, comm_ms, absent_ms FROM workers WHERE run = ?1"
	    " AND model = ?2 ORDER BY worker", -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, row->model, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int w = sqlite3_column_int(st, 0);
		struct sim_worker_view *v;

		if (w < 0 || w >= row->workers)
			continue;
		v = &row->wv[w];
		v->slow = sqlite3_column_int(st, 1);
		v->clock = sqlite3_column_int(st, 2);
		v->busy_ms = sqlite3_column_double(st, 3);
		v->wait_ms = sqlite3_column_double(st, 4);
		v->idle_ms = sqlite3_column_double(st, 5);
		v->comm_ms = sqlite3_column_double(st, 6);
		v->absent_ms = sqlite3_column_double(st, 7);
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
	int			 n = 0;

	if (sqlite3_prepare_v2(d->h, "SELECT m.model, r.workers, r.rounds,"
	    " r.seed, m.sim_events, m.time_ms, m.round_mean_ms,"
	    " m.round_p50_ms, m.round_p95_ms, m.throughput, m.gradients,"
	    " m.updates, m.fresh, m.stale, m.dropped, m.staleness_mean,"
	    " m.staleness_max, m.wait_mean_ms, m.wait_max_ms, m.idle_mean_ms,"
	    " m.busy_mean_ms, m.comm_mean_ms, m.syncs_ts1, m.syncs_ts2,"
	    " m.syncs_ts3, m.syncs_fallback, m.quorum_mean, m.staleness_hist,"
	    " m.accuracy, m.time_to_target"
	    " FROM run_models m JOIN runs r ON r.id = m.run WHERE m.run = ?1"
	    " ORDER BY m.position", -1, &st, NULL) != SQLITE_OK)
		return (db_fail(d, "reading the run", err, errlen));
	sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct report_row *r;

		rows = xreallocarray(rows, (size_t)n + 1, sizeof *rows);
		r = &rows[n++];
		memset(r, 0, sizeof *r);
		r->model = xstrdup((const char *)sqlite3_column_text(st, 0));
		r->workers = sqlite3_column_int(st, 1);
		r->rounds = sqlite3_column_int(st, 2);
		r->seed = (uint64_t)sqlite3_column_int64(st, 3);
		r->events = (uint64_t)sqlite3_column_int64(st, 4);
		r->sum.time_ms = r->st.finish_ms = sqlite3_column_double(st, 5);
		r->sum.round_mean_ms = sqlite3_column_double(st, 6);
		r->sum.round_p50_ms = sqlite3_column_double(st, 7);
		r->sum.round_p95_ms = sqlite3_column_double(st, 8);
		r->sum.throughput = sqlite3_column_double(st, 9);
		r->st.gradients = (uint64_t)sqlite3_column_int64(st, 10);
		r->st.updates = (uint64_t)sqlite3_column_int64(st, 11);
		r->st.fresh = (uint64_t)sqlite3_column_int64(st, 12);
		r->st.stale = (uint64_t)sqlite3_column_int64(st, 13);
		r->st.dropped = (uint64_t)sqlite3_column_int64(st, 14);
		r->sum.staleness_mean = sqlite3_column_double(st, 15);
		r->st.staleness_max = (uint64_t)sqlite3_column_int64(st, 16);
		r->sum.wait_mean_ms = sqlite3_column_double(st, 17);
		r->st.max_wait_ms = sqlite3_column_double(st, 18);
		r->sum.idle_mean_ms = sqlite3_column_double(st, 19);
		r->sum.busy_mean_ms = sqlite3_column_double(st, 20);
		r->sum.comm_mean_ms = sqlite3_column_double(st, 21);
		r->st.points[SP_TS1] = (uint64_t)sqlite3_column_int64(st, 22);
		r->st.points[SP_TS2] = (uint64_t)sqlite3_column_int64(st, 23);
		r->st.points[SP_TS3] = (uint64_t)sqlite3_column_int64(st, 24);
		r->st.points[SP_FALLBACK] = (uint64_t)sqlite3_column_int64(st,
		    25);
		r->sum.quorum_mean = sqlite3_column_double(st, 26);
		parse_hist((const char *)sqlite3_column_text(st, 27),
		    r->st.hist);
		/* a training run: its accuracy is there (schema 2) */
		if (sqlite3_column_type(st, 28) != SQLITE_NULL) {
			r->trained = 1;
			r->accuracy = sqlite3_column_double(st, 28);
			r->time_to_target = sqlite3_column_type(st, 29) ==
			    SQLITE_NULL ? (double)NAN :
			    sqlite3_column_double(st, 29);
		}
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

static const struct {
	const char	*name;
	size_t		 off;
} metrics[] = {
	{ "time s", offsetof(struct stats_summary, time_ms) },
	{ "round ms", offsetof(struct stats_summary, round_mean_ms) },
	{ "round p95 ms", offsetof(struct stats_summary, round_p95_ms) },
	{ "grad/s", offsetof(struct stats_summary, throughput) },
	{ "stale %", offsetof(struct stats_summary, stale_pct) },
	{ "tau", offsetof(struct stats_summary, staleness_mean) },
	{ "wait ms", offsetof(struct stats_summary, wait_mean_ms) },
	{ "quorum", offsetof(struct stats_summary, quorum_mean) },
};

static double
metric(const struct report_row *r, size_t m)
{
	double	v;

	memcpy(&v, (const char *)&r->sum + metrics[m].off, sizeof v);
	return (m == 0 ? v / 1000 : v);
}

static const struct report_row *
find_model(const struct report_row *rows, int n, const char *model)
{
	for (int i = 0; i < n; i++)
		if (strcmp(rows[i].model, model) == 0)
			return (&rows[i]);
	return (NULL);
}

static void	compare_training(FILE *, struct report_row **, const int *,
		    int, const char *);

/* One model's metrics across the runs; "-" where a run lacks it. */
static void
compare_model(FILE *out, struct report_row **rows, const int *n, int nids,
    const char *model)
{
	for (size_t m = 0; m < sizeof metrics / sizeof metrics[0]; m++) {
		const struct report_row *b = find_model(rows[0], n[0], model);
		double base = b != NULL ? metric(b, m) : 0;

		fprintf(out, "%-10s %-13s", m ? "" : model, metrics[m].name);
		if (b != NULL)
			fprintf(out, " %12.2f", base);
		else
			fprintf(out, " %12s", "-");
		for (int k = 1; k < nids; k++) {
			const struct report_row *o = find_model(rows[k], n[k],
			    model);

			if (o == NULL) {
				fprintf(out, " %12s %6s", "-", "");
				continue;
			}
			fprintf(out, " %12.2f", metric(o, m));
			if (b != NULL && base != 0)
				fprintf(out, " %+5.0f%%", 100 *
				    (metric(o, m) / base - 1));
			else
				fprintf(out, " %6s", "");
		}
		fputc('\n', out);
	}
	compare_training(out, rows, n, nids, model);
}

/* Training figures (percent, seconds); NAN where a run has none. */
static double
train_metric(const struct report_row *r, int which)
{
	if (r == NULL || !r->trained)
		return (NAN);
	return (which == 0 ? 100 * r->accuracy : r->time_to_target / 1000);
}

/* With training in any run: the accuracy and time-to-target lines. */
static void
compare_training(FILE *out, struct report_row **rows, const int *n,
    int nids, const char *model)
{
	static const char *const names[2] = { "accuracy %", "to target s" };
	int	any = 0;

	for (int k = 0; k < nids; k++)
		any |= !isnan(train_metric(find_model(rows[k], n[k], model),
		    0));
	for (int m = 0; any && m < 2; m++) {
		double base = train_metric(find_model(rows[0], n[0], model), m);

		fprintf(out, "%-10s %-13s", "", names[m]);
		if (isnan(base))
			fprintf(out, " %12s", "-");
		else
			fprintf(out, " %12.2f", base);
		for (int k = 1; k < nids; k++) {
			double v = train_metric(find_model(rows[k], n[k],
			    model), m);

			if (isnan(v))
				fprintf(out, " %12s %6s", "-", "");
			else if (!isnan(base) && base != 0)
				fprintf(out, " %12.2f %+5.0f%%", v, 100 *
				    (v / base - 1));
			else
				fprintf(out, " %12.2f %6s", v, "");
		}
		fputc('\n', out);
	}
}

/* One run's round times of one model, as a sparkline. */
static void
spark_model(FILE *out, const struct report_row *o, int64_t id, int first,
    int utf8)
{
	double	*v;
	char	 line[48 * 4 + 1];
	int	 nv = 0;

	if (o == NULL || o->st.round == NULL)
		return;
	v = xcalloc((size_t)o->rounds + 1, sizeof *v);
	for (int r = 0; r < o->st.rounds_done; r++)
		v[nv++] = stats_round_time(&o->st, r);
	widget_sparkline(line, sizeof line, v, nv, 48, utf8);
	fprintf(out, "%-10s run %-6" PRId64 " %s\n", first ? o->model : "",
	    id, line);
	free(v);
}

/*
 * Runs side by side: per model (of any run) and metric, each run's value
 * and its difference from the first run; then each model's round times
 * as a sparkline per run.
 */
int
db_compare(struct db *d, const int64_t *ids, int nids, FILE *out, char *err,
    size_t errlen)
{
	struct report_row	**rows = xcalloc((size_t)nids, sizeof *rows);
	int			 *n = xcalloc((size_t)nids, sizeof *n), rc = 0;
	const char		**models = NULL;
	int			  nmodels = 0;
	const char		 *cs = nl_langinfo(CODESET);
	int			  utf8 = cs != NULL && strcmp(cs, "UTF-8") == 0;

	for (int k = 0; k < nids && rc == 0; k++)
		rc = db_load_rows(d, ids[k], &rows[k], &n[k], err, errlen);
	if (rc != 0)
		goto out;
	fprintf(out, "%-10s %-13s", "model", "metric");
	for (int k = 0; k < nids; k++) {
		char h[32];

		snprintf(h, sizeof h, "run %" PRId64, ids[k]);
		fprintf(out, " %12s%s", h, k ? "   diff" : "");
	}
	fputc('\n', out);
	/* every model of any run, in order of first appearance */
	for (int k = 0; k < nids; k++) {
		for (int i = 0; i < n[k]; i++) {
			int seen = 0;

			for (int j = 0; j < nmodels; j++)
				seen |= strcmp(models[j], rows[k][i].model) == 0;
			if (!seen) {
				models = xreallocarray(models, (size_t)nmodels + 1,
				    sizeof *models);
				models[nmodels++] = rows[k][i].model;
			}
		}
	}
	for (int i = 0; i < nmodels; i++)
		compare_model(out, rows, n, nids, models[i]);
	fprintf(out, "\nround times (ms), each line scaled to its own range:\n");
	for (int i = 0; i < nmodels; i++)
		for (int k = 0; k < nids; k++)
			spark_model(out, find_model(rows[k], n[k], models[i]),
			    ids[k], k == 0 || find_model(rows[k - 1], n[k - 1],
			    models[i]) == NULL, utf8);
	free(models);
out:
	for (int k = 0; k < nids; k++)
		db_free_rows(rows[k], n[k]);
	free(rows);
	free(n);
	return (rc);
}

static void
value(FILE *out, sqlite3_stmt *st, int c, int json)
{
	switch (sqlite3_column_type(st, c)) {
	case SQLITE_NULL:
		fputs(json ? "null" : "", out);
		break;
	case SQLITE_INTEGER:
		fprintf(out, "%lld", (long long)sqlite3_column_int64(st, c));
		break;
	case SQLITE_FLOAT:
		fprintf(out, "%.17g", sqlite3_column_double(st, c));
		break;
	default:
		(json ? report_json_string : report_csv_field)(out,
		    (const char *)sqlite3_column_text(st, c));
		break;
	}
}

/* Tables a run can be exported from, and the column naming its run. */
static const struct {
	const char	*name, *table, *key;
} exportable[] = {
	{ "runs", "runs", "id" },
	{ "models", "run_models", "run" },
	{ "rounds", "rounds", "run" },
	{ "workers", "workers", "run" },
	{ "updates", "updates", "run" },
	{ "clusters", "clusters", "run" },
	{ "quorum", "quorum_checks", "run" },
	{ "events", "events", "run" },
	{ "accuracy", "accuracy", "run" },
};

/* One table's rows of a run, as CSV (a header line) or JSON objects. */
int
db_export(struct db *d, int64_t run, const char *table, const char *format,
    FILE *out, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	char		 sql[256];
	size_t		 t;
	int		 json = strcmp(format, "json") == 0, cols, first = 1;

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
	else
		snprintf(sql, sizeof sql, "SELECT t.* FROM %s t WHERE t.run ="
		    " ?1 ORDER BY (SELECT m.position FROM run_models m WHERE"
		    " m.run = t.run AND m.model = t.model), t.rowid",
		    exportable[t].table);
	if (sqlite3_prepare_v2(d->h, sql, -1, &st, NULL) != SQLITE_OK)
		return (db_fail(d, "exporting", err, errlen));
	sqlite3_bind_int64(st, 1, run);
	cols = sqlite3_column_count(st);
	if (json)
		fputs("[\n", out);
	else
		for (int c = 0; c < cols; c++)
			fprintf(out, "%s%s", c ? "," : "",
			    sqlite3_column_name(st, c));
	if (!json)
		fputc('\n', out);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (json)
			fputs(first ? "  {" : ",\n  {", out);
		for (int c = 0; c < cols; c++) {
			if (json)
				fprintf(out, "%s\"%s\": ", c ? ", " : "",
				    sqlite3_column_name(st, c));
			else if (c)
				fputc(',', out);
			value(out, st, c, json);
		}
		fputs(json ? "}" : "\n", out);
		first = 0;
	}
	if (json)
		fputs(first ? "]\n" : "\n]\n", out);
	sqlite3_finalize(st);
	return (0);
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
