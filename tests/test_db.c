/*
 * The run database: a run's summary read back equals the one in memory;
 * the same config and seed recorded twice give the same rows; a newer
 * schema is refused; bad paths fail with one line; and a recording run
 * killed with SIGKILL leaves an intact database, the run interrupted,
 * and every round it reported.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "test_util.h"
#include "db.h"
#include "db_events.h"
#include "db_fresh.h"
#include "db_priv.h"
#include "sim.h"
#include "xmalloc.h"

static long long	query_int(sqlite3 *, const char *);

static char *
temp_db(void)
{
	char	*p = test_write_temp("");

	unlink(p);
	return (p);
}

/* A new, empty database at a new temporary path (caller frees it). */
static char *
fresh_db(void)
{
	char		*path = temp_db(), err[512];
	struct db	*d = db_open(path, 0, err, sizeof err);

	if (d == NULL)
		fail_msg("%s", err);
	db_close(d);
	return (path);
}

static void
load_default(struct fs_config *cf, const char *workers, const char *rounds)
{
	struct config_override	o[] = {
		{ "workers.count", workers, "w" },
		{ "rounds", rounds, "r" },
	};
	char			err[512];

	if (config_load(cf, SRCDIR "/configs/default.cfg", o, 2, err,
	    sizeof err) != 0)
		fail_msg("%s", err);
}

/*
 * What run.c does, without the terminal: every model, recorded; fn (if
 * not NULL) sees every event too, ud its model's index.
 */
static int64_t
record_observed(struct db *d, const struct fs_config *cf, const char *name,
    struct report_row *rows, sim_observer_fn fn, void **ud)
{
	struct recorder	*rec;
	char		 err[512];
	int64_t		 id;

	rec = recorder_begin(d, cf, "text", "", name, 1, err, sizeof err);
	if (rec == NULL)
		fail_msg("%s", err);
	id = recorder_run_id(rec);
	for (int m = 0; m < cf->nmodels; m++) {
		struct sim *s = sim_create(cf, &cf->models[m], err, sizeof err);

		assert_non_null(s);
		assert_int_equal(recorder_model(rec, s, m), 0);
		if (fn != NULL)
			assert_int_equal(sim_observe(s, fn, ud[m]), 0);
		sim_run(s);
		memset(&rows[m], 0, sizeof rows[m]);
		rows[m].model = cf->models[m].name;
		rows[m].events = sim_events(s);
		stats_summarize(sim_stats(s), &rows[m].sum);
		rows[m].st = *sim_stats(s);
		rows[m].st.round = NULL;
		if (recorder_model_end(rec, s, &rows[m]) != 0)
			fail_msg("%s", recorder_error(rec));
		sim_free(s);
	}
	if (recorder_end(rec, "complete", err, sizeof err) != 0)
		fail_msg("%s", err);
	return (id);
}

static int64_t
record(struct db *d, const struct fs_config *cf, const char *name,
    struct report_row *rows)
{
	return (record_observed(d, cf, name, rows, NULL, NULL));
}

/* The summary read back from the database equals the one in memory. */
static void
test_round_trip(void **state)
{
	struct fs_config	 cf;
	struct report_row	 mem[8], *back;
	struct db		*d;
	char			*path = temp_db(), err[512];
	int64_t			 id;
	int			 n;

	(void)state;
	load_default(&cf, "8", "30");
	d = db_open(path, 0, err, sizeof err);
	if (d == NULL)
		fail_msg("%s", err);
	id = record(d, &cf, "round trip", mem);
	assert_int_equal(db_load_rows(d, id, &back, &n, err, sizeof err), 0);
	assert_int_equal(n, cf.nmodels);
	for (int m = 0; m < n; m++) {
		assert_string_equal(back[m].model, mem[m].model);
		assert_memory_equal(&back[m].sum, &mem[m].sum,
		    sizeof mem[m].sum);
		assert_true(back[m].st.gradients == mem[m].st.gradients);
		assert_true(back[m].st.fresh == mem[m].st.fresh);
		assert_true(back[m].st.stale == mem[m].st.stale);
		assert_true(back[m].st.updates == mem[m].st.updates);
		assert_true(back[m].st.staleness_max == mem[m].st.staleness_max);
		assert_true(back[m].st.max_wait_ms == mem[m].st.max_wait_ms);
		assert_memory_equal(back[m].st.hist, mem[m].st.hist,
		    sizeof mem[m].st.hist);
		assert_memory_equal(&back[m].st.points[SP_TS1],
		    &mem[m].st.points[SP_TS1], 4 * sizeof(uint64_t));
		assert_true(back[m].events == mem[m].events);
		assert_int_equal(back[m].nwv, 8);
	}
	/* "last" and the name find it */
	{
		int64_t a, b;

		assert_int_equal(db_find_run(d, "last", &a, err, sizeof err), 0);
		assert_int_equal(db_find_run(d, "round trip", &b, err,
		    sizeof err), 0);
		assert_true(a == id && b == id);
		assert_int_equal(db_find_run(d, "nosuch", &a, err, sizeof err),
		    2);
	}
	db_free_rows(back, n);
	db_close(d);
	unlink(path);
	free(path);
	config_free(&cf);
}

/* Every column of table but run, for run id, as one ordered text blob. */
static char *
table_text(sqlite3 *h, const char *table, int64_t run)
{
	sqlite3_stmt	*st;
	char		 sql[512], *out = calloc(1, 1024);
	size_t		 len = 0, cap = 1024;

	snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE run = %lld ORDER BY"
	    " %s", table, (long long)run, strcmp(table, "events") == 0 ?
	    "model, seq" : "rowid");
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int c = 0; c < sqlite3_column_count(st); c++) {
			const char *v;

			if (strcmp(sqlite3_column_name(st, c), "run") == 0)
				continue;
			v = (const char *)sqlite3_column_text(st, c);
			v = v ? v : "NULL";
			while (len + strlen(v) + 2 > cap)
				out = realloc(out, cap *= 2);
			assert_non_null(out);
			memcpy(out + len, v, strlen(v));
			len += strlen(v);
			out[len++] = '|';
			out[len] = '\0';
		}
	}
	sqlite3_finalize(st);
	return (out);
}

/*
 * The same config and seed, recorded again: the same rows but ids,
 * whether the model's own thread packs its chunks (no packer threads)
 * or one or several packers do, waiting (QUEUE_MAX) or not.
 */
static void
test_deterministic_rows(void **state)
{
	static const char *const tables[] = { "run_models", "rounds",
	    "workers", "event_chunks", "events" };
	static const int packers[] = { 0, 0, 1, 4, -1 };
	const char *const sizes[][2] = { { "6", "25" }, { "300", "12" } };
	struct report_row	 rows[8];
	struct db		*d;
	sqlite3			*h;
	char			*path = temp_db(), err[512];
	int64_t			 id[5];

	(void)state;
	for (size_t z = 0; z < 2; z++) {
		struct fs_config cf;

		load_default(&cf, sizes[z][0], sizes[z][1]);
		d = db_open(path, 0, err, sizeof err);
		assert_non_null(d);
		for (int k = 0; k < 5; k++) {
			recorder_use_packers(packers[k]);
			id[k] = record(d, &cf, "again", rows);
		}
		recorder_use_packers(-1);
		db_close(d);
		config_free(&cf);
		assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
		assert_int_equal(db_define_functions(h), 0);
		/* the larger run's rounds make chunks faster than one
		 * packer writes them */
		assert_true(query_int(h, "SELECT count(*) FROM event_chunks"
		    " WHERE run = 1") > 12);
		for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
			char *x = table_text(h, tables[t], id[0]);

			assert_true(strlen(x) > 0);
			for (int k = 1; k < 5; k++) {
				char *y = table_text(h, tables[t], id[k]);

				if (strcmp(x, y) != 0)
					fail_msg("%s x %s: table %s differs"
					    " with %d packers", sizes[z][0],
					    sizes[z][1], tables[t],
					    packers[k]);
				free(y);
			}
			free(x);
		}
		sqlite3_close(h);
		unlink(path);
	}
	free(path);
}

/* A schema newer than this program knows is refused, status 2. */
static void
test_newer_schema_refused(void **state)
{
	struct db	*d;
	sqlite3		*h;
	char		*path = fresh_db(), err[512];
	int		 status;

	(void)state;
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "UPDATE meta SET value = '99' WHERE"
	    " key = 'schema_version'", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	d = db_open_status(path, 0, &status, err, sizeof err);
	assert_null(d);
	assert_int_equal(status, 2);
	assert_non_null(strstr(err, "schema version 99 is newer"));
	assert_null(strchr(err, '\n'));
	unlink(path);
	free(path);
}

/* SQL's single integer answer, or -1. */
static long long
query_int(sqlite3 *h, const char *sql)
{
	sqlite3_stmt	*st;
	long long	 v = -1;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		return (-1);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return (v);
}

/* Take a fresh file back to version 4: drop what version 5 added. */
static const char v5_undo[] =
    "ALTER TABLE runs DROP COLUMN pid_start;"
    " ALTER TABLE runs DROP COLUMN boot_id;";

/*
 * A file at an older schema version: refused read-only (status 2, "needs
 * upgrading"), then converted by a writable open.
 */
static void
upgrade(const char *path, int version)
{
	struct db	*d;
	char		 err[512], want[64];
	int		 status;

	d = db_open_status(path, 1, &status, err, sizeof err);
	assert_null(d);
	assert_int_equal(status, 2);
	snprintf(want, sizeof want, "schema version %d needs upgrading to %d",
	    version, DB_SCHEMA_VERSION);
	if (strstr(err, want) == NULL)
		fail_msg("%s: not \"%s\"", err, want);
	d = db_open_status(path, 0, &status, err, sizeof err);
	if (d == NULL)
		fail_msg("%s", err);
	db_close(d);
}

/*
 * Take a file back to version 5: the event views' rows into schema 5's
 * tables (in the order they were recorded), the chunks gone.
 */
static const char v6_undo[] =
    "CREATE TABLE v4_updates (\n"
    "  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
    "  model TEXT NOT NULL,\n"
    "  t REAL NOT NULL, worker INTEGER, round INTEGER,\n"
    "  v_read INTEGER, v_apply INTEGER, staleness INTEGER\n"
    ");\n"
    "CREATE TABLE v4_clusters (\n"
    "  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
    "  model TEXT NOT NULL,\n"
    "  round INTEGER, worker INTEGER, label TEXT\n"
    ");\n"
    "CREATE TABLE v4_quorum_checks (\n"
    "  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
    "  model TEXT NOT NULL,\n"
    "  round INTEGER, t REAL, point TEXT, ready INTEGER, needed INTEGER,\n"
    "  pass INTEGER\n"
    ");\n"
    "CREATE TABLE v4_events (\n"
    "  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
    "  model TEXT NOT NULL,\n"
    "  seq INTEGER NOT NULL,\n"
    "  t REAL NOT NULL, type TEXT NOT NULL, worker INTEGER, task INTEGER,\n"
    "  round INTEGER, clock INTEGER, min_clock INTEGER, count INTEGER,\n"
    "  point TEXT, ready INTEGER, needed INTEGER, pass INTEGER,\n"
    "  label INTEGER, v_read INTEGER, v_apply INTEGER\n"
    ");\n"
    "CREATE TEMP VIEW ev AS SELECT e.* FROM events e JOIN run_models m"
    "  ON m.run = e.run AND m.model = e.model ORDER BY e.run, m.position,"
    "  e.seq;\n"
    "INSERT INTO v4_events SELECT * FROM ev;\n"
    "INSERT INTO v4_updates SELECT run, model, t, worker, round, v_read,"
    "  v_apply, v_apply - v_read FROM ev WHERE type = 'apply';\n"
    "INSERT INTO v4_clusters SELECT run, model, round, worker, CASE label"
    "  WHEN 0 THEN 'C1' WHEN 1 THEN 'C2' ELSE 'noise' END FROM ev"
    "  WHERE type = 'cluster';\n"
    "INSERT INTO v4_quorum_checks SELECT run, model, round, t, point,"
    "  ready, needed, pass FROM ev WHERE type = 'quorum';\n"
    "DROP VIEW ev; DROP VIEW updates; DROP VIEW clusters;"
    " DROP VIEW quorum_checks; DROP VIEW events; DROP TABLE event_chunks;"
    " DROP TABLE event_types; DROP TABLE sync_points;\n"
    "ALTER TABLE v4_updates RENAME TO updates;"
    " ALTER TABLE v4_clusters RENAME TO clusters;"
    " ALTER TABLE v4_quorum_checks RENAME TO quorum_checks;"
    " ALTER TABLE v4_events RENAME TO events;\n"
    "CREATE INDEX updates_run ON updates (run);"
    " CREATE INDEX clusters_run ON clusters (run);"
    " CREATE INDEX quorum_checks_run ON quorum_checks (run);"
    " CREATE INDEX events_run ON events (run);\n"
    "UPDATE meta SET value = '5' WHERE key = 'schema_version';\n";

/* A growing text, for export_text. */
struct text {
	char	*s;
	size_t	 len, cap;
};

/* Export callback: every cell of every row appended to a text. */
static void
export_text(void *ud, const struct db_cell *c, int n, int header)
{
	struct text	*out = ud;

	for (int i = 0; i < n; i++) {
		char	v[64];
		int	k;

		if (header)
			k = snprintf(v, sizeof v, "%s", c[i].name);
		else if (c[i].type == DB_INT)
			k = snprintf(v, sizeof v, "%lld", (long long)c[i].i);
		else if (c[i].type == DB_REAL)
			k = snprintf(v, sizeof v, "%.17g", c[i].d);
		else
			k = snprintf(v, sizeof v, "%s", c[i].type == DB_NULL ?
			    "NULL" : c[i].s);
		if (out->len + (size_t)k + 2 > out->cap) {
			out->cap = (out->len + (size_t)k + 2) * 2;
			out->s = xreallocarray(out->s, out->cap, 1);
		}
		memcpy(out->s + out->len, v, (size_t)k);
		out->len += (size_t)k;
		out->s[out->len++] = i + 1 < n ? '|' : '\n';
		out->s[out->len] = '\0';
	}
}

/* Every exported event table of run, one text. */
static char *
export_events(const char *path, int64_t run)
{
	static const char *const tables[] = { "events", "updates",
	    "clusters", "quorum" };
	struct db	*d;
	struct text	 out = { NULL, 0, 0 };
	char		 err[512];

	d = db_open(path, 1, err, sizeof err);
	if (d == NULL)
		fail_msg("%s", err);
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
		assert_int_equal(db_export(d, run, tables[t], export_text, &out,
		    err, sizeof err), 0);
	db_close(d);
	return (out.s);
}

/*
 * A version 5 file with events rows (one row per event) is converted
 * into chunks when opened writable: the events, updates, clusters and
 * quorum exports are what they were, and a new recording's too.
 */
static void
test_migrate_v5(void **state)
{
	struct fs_config	 cf;
	struct report_row	 rows[8];
	struct db		*d;
	sqlite3			*h;
	char			*path = temp_db(), err[512], *before, *after;
	char			*fresh;
	int64_t			 a, b;

	(void)state;
	load_default(&cf, "6", "25");
	d = db_open(path, 0, err, sizeof err);
	assert_non_null(d);
	a = record(d, &cf, "old", rows);
	b = record(d, &cf, "new", rows);
	db_close(d);
	before = export_events(path, a);
	assert_true(strstr(before, "|cluster|") != NULL);
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(db_define_functions(h), 0);
	assert_int_equal(sqlite3_exec(h, v6_undo, NULL, NULL, NULL),
	    SQLITE_OK);
	assert_true(query_int(h, "SELECT count(*) FROM events") > 1000);
	assert_true(query_int(h, "SELECT count(*) FROM updates") > 100);
	assert_true(query_int(h, "SELECT count(*) FROM clusters") > 0);
	assert_true(query_int(h, "SELECT count(*) FROM quorum_checks") > 0);
	sqlite3_close(h);

	upgrade(path, 5);
	after = export_events(path, a);
	if (strcmp(before, after) != 0)
		fail_msg("the events of run %lld changed in the migration",
		    (long long)a);
	free(after);
	/* run b, converted, equals run a, converted (names and ids aside) */
	fresh = export_events(path, b);
	assert_int_equal(strlen(fresh), strlen(before));
	free(fresh);
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(query_int(h, "SELECT value FROM meta WHERE key ="
	    " 'schema_version'"), DB_SCHEMA_VERSION);
	assert_int_equal(query_int(h, "SELECT count(*) FROM sqlite_master"
	    " WHERE type = 'view' AND name IN ('events', 'updates',"
	    " 'clusters', 'quorum_checks')"), 4);
	assert_true(query_int(h, "SELECT count(*) FROM event_chunks WHERE"
	    " run = 1") > 25);
	sqlite3_close(h);
	free(before);
	unlink(path);
	free(path);
	config_free(&cf);
}

/*
 * Every row of sql as one text, a REAL bit for bit ("%a"): what a view
 * gives, to compare before and after a conversion.
 */
static char *
rows_exact(sqlite3 *h, const char *sql)
{
	sqlite3_stmt	*st;
	char		*out = calloc(1, 1024);
	size_t		 len = 0, cap = 1024;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(h));
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int c = 0; c < sqlite3_column_count(st); c++) {
			char		 v[64];
			const char	*t = v;

			if (sqlite3_column_type(st, c) == SQLITE_FLOAT)
				snprintf(v, sizeof v, "%a",
				    sqlite3_column_double(st, c));
			else if ((t = (const char *)sqlite3_column_text(st,
			    c)) == NULL)
				t = "NULL";
			while (len + strlen(t) + 2 > cap)
				out = realloc(out, cap *= 2);
			assert_non_null(out);
			memcpy(out + len, t, strlen(t));
			len += strlen(t);
			out[len++] = c + 1 < sqlite3_column_count(st) ? '|' :
			    '\n';
			out[len] = '\0';
		}
	}
	sqlite3_finalize(st);
	return (out);
}

/* The rows of n queries of path's, one text (REALs exact). */
static char *
queries_text(const char *path, const char *const *sql, size_t n)
{
	sqlite3		*h;
	char		*all = xstrdup("");

	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(db_define_functions(h), 0);
	for (size_t i = 0; i < n; i++) {
		char *r = rows_exact(h, sql[i]), *both;

		xasprintf(&both, "%s%s--\n", all, r);
		free(all);
		free(r);
		all = both;
	}
	sqlite3_close(h);
	return (all);
}

/* The event views of a file, in order, every value exact. */
static char *
event_views(const char *path)
{
	static const char *const sql[] = {
		"SELECT * FROM events ORDER BY run, model, seq",
		/* these views keep no order of their own */
		"SELECT * FROM updates ORDER BY 1, 2, 3, 4, 5, 6, 7, 8",
		"SELECT * FROM clusters ORDER BY 1, 2, 3, 4, 5",
		"SELECT * FROM quorum_checks ORDER BY 1, 2, 3, 4, 5, 6, 7, 8",
		"SELECT count(*), sum(seq), min(t), max(t) FROM events",
	};

	return (queries_text(path, sql, sizeof sql / sizeof sql[0]));
}

/* A copy of tests/data/schema6.db at a new path (caller frees it). */
static char *
copy_schema6(void)
{
	char	*path = temp_db();
	FILE	*in, *out;
	int	 c;

	in = fopen(SRCDIR "/tests/data/schema6.db", "rb");
	assert_non_null(in);
	out = fopen(path, "wb");
	assert_non_null(out);
	while ((c = getc(in)) != EOF)
		putc(c, out);
	fclose(in);
	assert_int_equal(fclose(out), 0);
	return (path);
}

/* Two rows' column c: the same type and value (a REAL bit for bit). */
static int
same_cell(sqlite3_stmt *a, sqlite3_stmt *b, int c)
{
	double	x, y;
	int	t = sqlite3_column_type(a, c);

	if (t != sqlite3_column_type(b, c))
		return (0);
	switch (t) {
	case SQLITE_NULL:
		return (1);
	case SQLITE_INTEGER:
		return (sqlite3_column_int64(a, c) == sqlite3_column_int64(b,
		    c));
	case SQLITE_FLOAT:
		x = sqlite3_column_double(a, c);
		y = sqlite3_column_double(b, c);
		return (memcmp(&x, &y, sizeof x) == 0);
	default:
		return (strcmp((const char *)sqlite3_column_text(a, c),
		    (const char *)sqlite3_column_text(b, c)) == 0);
	}
}

/*
 * The events view's rows of run (and model, if not NULL) and fs_events'
 * (db_evscan.c), in the export's order: the same, value for value.
 * Returns how many.
 */
static long long
scan_matches(sqlite3 *h, int64_t run, const char *model)
{
	sqlite3_stmt	*v, *f;
	char		 sql[512];
	long long	 rows = 0;
	int		 rv, rf;

	snprintf(sql, sizeof sql, "SELECT * FROM events e WHERE run = ?1%s"
	    " ORDER BY (SELECT m.position FROM run_models m WHERE m.run ="
	    " e.run AND m.model = e.model), e.model, seq", model != NULL ?
	    " AND model = ?2" : "");
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &v, NULL), SQLITE_OK);
	snprintf(sql, sizeof sql, "SELECT * FROM fs_events WHERE run = ?1%s"
	    " ORDER BY position, seq", model != NULL ? " AND model = ?2" : "");
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &f, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_column_count(v), sqlite3_column_count(f));
	for (int c = 0; c < sqlite3_column_count(v); c++)
		assert_string_equal(sqlite3_column_name(v, c),
		    sqlite3_column_name(f, c));
	sqlite3_bind_int64(v, 1, run);
	sqlite3_bind_int64(f, 1, run);
	sqlite3_bind_text(v, 2, model, -1, SQLITE_STATIC);
	sqlite3_bind_text(f, 2, model, -1, SQLITE_STATIC);
	while ((rv = sqlite3_step(v)) == (rf = sqlite3_step(f)) &&
	    rv == SQLITE_ROW) {
		for (int c = 0; c < sqlite3_column_count(v); c++)
			if (!same_cell(v, f, c))
				fail_msg("run %lld seq %lld: %s is '%s' in the"
				    " view, '%s' in fs_events", (long long)run,
				    (long long)sqlite3_column_int64(v, 2),
				    sqlite3_column_name(v, c),
				    sqlite3_column_text(v, c),
				    sqlite3_column_text(f, c));
		rows++;
	}
	if (rv != rf || rv != SQLITE_DONE)
		fail_msg("run %lld: the view gives %d, fs_events %d (%s) after"
		    " %lld rows", (long long)run, rv, rf, sqlite3_errmsg(h),
		    rows);
	sqlite3_finalize(v);
	sqlite3_finalize(f);
	return (rows);
}

/*
 * Every run of the file, whole and model by model, through both: the
 * rows compared.
 */
static long long
scan_matches_view(sqlite3 *h)
{
	sqlite3_stmt	*st;
	long long	 rows = 0;
	int64_t		 last = -1;

	assert_int_equal(sqlite3_prepare_v2(h, "SELECT DISTINCT run, model"
	    " FROM event_chunks ORDER BY run, model", -1, &st, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t run = sqlite3_column_int64(st, 0);

		if (run != last)
			rows += scan_matches(h, run, NULL);
		last = run;
		rows += scan_matches(h, run, (const char *)
		    sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	return (rows);
}

/*
 * A file fastsync wrote at schema 6 (tests/data/schema6.db: a default
 * run, 5 workers x 10 rounds, and a churn run; every chunk as JSON groups
 * [offset, m, s, event, ...]) is refused read-only and converted when
 * opened writable: its event views give the same rows, bit for bit.
 */
static void
test_migrate_v6(void **state)
{
	sqlite3		*h;
	char		*path = copy_schema6(), *before, *after, *mine;
	char		*after_mine;

	(void)state;
	before = event_views(path);
	assert_true(strlen(before) > 100000);
	assert_non_null(strstr(before, "|cluster|"));
	assert_non_null(strstr(before, "|leave|"));
	/* a user's own views over the tables being replaced stay valid */
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(db_define_functions(h), 0);
	assert_int_equal(sqlite3_exec(h, "CREATE VIEW my_apply AS SELECT run,"
	    " count(*) AS n FROM updates GROUP BY run; CREATE VIEW my_chunks"
	    " AS SELECT run, sum(n) AS n FROM event_chunks GROUP BY run;",
	    NULL, NULL, NULL), SQLITE_OK);
	mine = rows_exact(h, "SELECT * FROM my_apply, my_chunks USING (run)");
	assert_true(strlen(mine) > 8);
	sqlite3_close(h);

	upgrade(path, 6);
	after = event_views(path);
	if (strcmp(before, after) != 0)
		fail_msg("the event views changed in the conversion");
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(db_define_functions(h), 0);
	after_mine = rows_exact(h, "SELECT * FROM my_apply, my_chunks USING"
	    " (run)");
	assert_string_equal(mine, after_mine);
	assert_int_equal(query_int(h, "SELECT value FROM meta WHERE key ="
	    " 'schema_version'"), DB_SCHEMA_VERSION);
	/* every chunk on its scale; no table of version 6 is left */
	assert_true(query_int(h, "SELECT count(*) FROM event_chunks") > 100);
	assert_int_equal(query_int(h, "SELECT count(*) FROM event_chunks"
	    " WHERE scale IS NULL OR scale < 0"), 0);
	assert_int_equal(query_int(h, "SELECT count(*) FROM sqlite_master"
	    " WHERE name LIKE '%_v5' OR name LIKE '%_v7'"), 0);
	/* a converted file reads the same through fastsync's own scan */
	assert_true(scan_matches_view(h) > 10000);
	sqlite3_close(h);
	free(before);
	free(after);
	free(mine);
	free(after_mine);
	unlink(path);
	free(path);
}

/*
 * A version 6 chunk that is not one (damaged text, a type the file does
 * not name, not zlib data) stops the conversion: status 2, one line
 * naming the file and the chunk, and the file as it was.
 */
static void
test_migrate_v6_damaged(void **state)
{
	static const struct {
		const char	*data;
		int		 size;	/* -1: the data's length (not packed) */
	} bad[] = {
		{ "not json", -1 },
		{ "[[0,1,0,[1,2,0]", -1 },
		{ "[[0,1,0,[99,2,0]]]", -1 },
		{ "[[0,1,0,[1,2,0,0,0,0,0,0,0,0,0,0,0,0,0]]]", -1 },
		{ "[[0,x,0,[1,2,0]]]", -1 },
		{ "[[0,1,0,[1,null,0]]]", -1 },
		{ "not zlib at all", 400 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct db	*d;
		sqlite3		*h;
		sqlite3_stmt	*st;
		char		*path = copy_schema6(), err[512];
		int		 status, len = (int)strlen(bad[i].data);
		long long	 n;

		assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(h, "UPDATE event_chunks SET"
		    " data = ?1, size = ?2 WHERE rowid = (SELECT rowid FROM"
		    " event_chunks LIMIT 1 OFFSET 7)", -1, &st, NULL),
		    SQLITE_OK);
		sqlite3_bind_blob(st, 1, bad[i].data, len, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, bad[i].size < 0 ? len : bad[i].size);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_finalize(st);
		n = query_int(h, "SELECT count(*) FROM event_chunks");
		sqlite3_close(h);

		d = db_open_status(path, 0, &status, err, sizeof err);
		if (d != NULL)
			fail_msg("case %zu: \"%s\" converted", i, bad[i].data);
		assert_int_equal(status, 2);
		assert_non_null(strstr(err, path));
		assert_null(strchr(err, '\n'));
		if (strstr(err, "not a version 6 chunk") == NULL)
			fail_msg("case %zu: %s", i, err);
		assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
		assert_int_equal(query_int(h, "SELECT value FROM meta WHERE"
		    " key = 'schema_version'"), 6);
		assert_int_equal(query_int(h, "SELECT count(*) FROM"
		    " event_chunks"), n);
		sqlite3_close(h);
		unlink(path);
		free(path);
	}
}

/*
 * The encoder's times: each event's t comes back from the view bit for
 * bit, whatever the chunk's scale, and its seq in order: times from 0
 * and 2^-70 to 2^61 (a chunk cannot hold them all on one scale: it is
 * cut), nine events at one time (two groups), times that only a decimal
 * can hold (within 1e-15 of t; each in a chunk of its own).
 */
static void
test_event_times(void **state)
{
	const double	 times[] = { 0, 0, 0x1p-70, 3 * 0x1p-70, 0.013,
	    0.013, 0.5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0x1.fffffffffffffp0,
	    100.1, 12345.678901234567, 0x1p40 + 0.5, 1e300, 0x1p61, 1e-300,
	    1e-300, 0x1p-1074, 7.25, -2.5, 7.25 };
	const int	 n = (int)(sizeof times / sizeof times[0]);
	struct db_evbuf	 b;
	sqlite3		*h;
	sqlite3_stmt	*wr, *rd;
	char		*path = fresh_db();
	int		 k = 0, chunks = 0;

	(void)state;
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(db_define_functions(h), 0);
	assert_int_equal(sqlite3_prepare_v2(h, "INSERT INTO event_chunks (run,"
	    " model, seq, n, size, scale, data) VALUES (?1, ?2, ?3, ?4, ?5,"
	    " ?6, ?7)", -1, &wr, NULL), SQLITE_OK);
	memset(&b, 0, sizeof b);
	db_evbuf_reset(&b, 0);
	for (int i = 0; i < n; i++) {
		struct sim_event ev;

		memset(&ev, 0, sizeof ev);
		ev.t = times[i];
		ev.type = SIM_EV_TASK_END;
		ev.worker = i;
		ev.round = i % 3;
		ev.task = i % 4;
		ev.clock = -1;
		if (db_evbuf_add(&b, &ev) != 0) {
			assert_int_equal(db_evbuf_pack(&b, i % 2), 0);
			assert_int_equal(db_evbuf_write(&b, wr, 1, "bsp"), 0);
			db_evbuf_reset(&b, i);
			chunks++;
			assert_int_equal(db_evbuf_add(&b, &ev), 0);
		}
	}
	assert_int_equal(db_evbuf_pack(&b, 1), 0);
	assert_int_equal(db_evbuf_write(&b, wr, 1, "bsp"), 0);
	chunks++;
	sqlite3_finalize(wr);
	db_evbuf_free(&b);
	/* the scale's limits cut it: 2^-70 with 2^61, and each decimal */
	assert_true(chunks >= 7);
	assert_int_equal(query_int(h, "SELECT count(*) FROM event_chunks"),
	    chunks);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT seq, t, worker, round,"
	    " task, clock, type FROM events WHERE run = 1 ORDER BY seq", -1,
	    &rd, NULL), SQLITE_OK);
	while (sqlite3_step(rd) == SQLITE_ROW) {
		double	t = sqlite3_column_double(rd, 1);
		int	exact = times[k] == 0 || (times[k] >= 0x1p-71 &&
		    times[k] < 0x1p62);

		assert_int_equal(sqlite3_column_int(rd, 0), k);
		if (exact && memcmp(&t, &times[k], sizeof t) != 0)
			fail_msg("event %d: t %a, not %a", k, t, times[k]);
		if (!exact && !(fabs(t - times[k]) <= 1e-15 * fabs(times[k])))
			fail_msg("event %d: t %a, not within 1e-15 of %a", k,
			    t, times[k]);
		assert_int_equal(sqlite3_column_int(rd, 2), k);
		assert_int_equal(sqlite3_column_int(rd, 3), k % 3);
		assert_int_equal(sqlite3_column_int(rd, 4), k % 4);
		assert_int_equal(sqlite3_column_type(rd, 5), SQLITE_NULL);
		assert_string_equal((const char *)sqlite3_column_text(rd, 6),
		    "task_end");
		k++;
	}
	sqlite3_finalize(rd);
	assert_int_equal(k, n);
	/* twice: each model, and the run's */
	assert_int_equal(scan_matches_view(h), 2 * n);
	sqlite3_close(h);
	unlink(path);
	free(path);
}

/* Insert text as chunk (run, model, seq) of n events, as it is (no zlib). */
static void
put_chunk(sqlite3 *h, int64_t run, const char *model, int64_t seq,
    int scale, const char *text, int64_t size)
{
	sqlite3_stmt	*st;

	assert_int_equal(sqlite3_prepare_v2(h, "INSERT INTO event_chunks (run,"
	    " model, seq, n, size, scale, data) VALUES (?1, ?2, ?3, 0, ?4, ?5,"
	    " CAST(?6 AS BLOB))", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, model, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, seq);
	sqlite3_bind_int64(st, 4, size >= 0 ? size : (int64_t)strlen(text));
	sqlite3_bind_int(st, 5, scale);
	sqlite3_bind_text(st, 6, text, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

/*
 * fs_events, fastsync's own reading of the event log, against the view
 * on chunks the recorder never writes but the format allows (white
 * space, JSON nulls, fields left out or past the 14th, a group without
 * events, a time that is null, negative, a decimal or 19 digits, a type
 * or point the file does not name, a clock past 2^63); its ORDER BY
 * costs no sort; and a chunk that is not one stops it with
 * SQLITE_CORRUPT naming the chunk, and an export with status 2.
 */
static void
test_evscan(void **state)
{
	static const struct {
		int		 scale;
		const char	*text;
	} good[] = {
		{ 3, "[[5,[0,1,2,3]],[3,[1,1,2,3],[2,-1,0]],[ 0 , [ 7 ] , []"
		    " ]]" },
		{ 0, "[[1,[null,null,null,null,null,null,null,null,null,null,"
		    "null,null,null,null]]]" },
		{ 70, "[[8,[5,2,3,1,0,0,1,2,3,1,4,5,1,2,9,9]],"
		    "[9223372036854775000,[12,4,1,-1,null,2,3,4,5,6,7,8,9,10]]]" },
		{ 1, "[[4],[6,[9,-1,1]],[-11,[13,-1,2,-1,1,0,0,0,1,99]]]" },
		{ 0, "[[null,[0,1,1,1]]]" },
		{ 0, "[[1e300,[1,2,3,4]]]" },
		{ 0, "[[-0.25,[99,0,-0,2]]]" },
		{ 2, "[]" },
		{ 62, "[[1,[1,1,9223372036854775807,1,5,-9223372036854775808]]]" },
	};
	static const struct {
		const char	*text;
		int64_t		 size;		/* -1: the text's length */
	} bad[] = {
		{ "[[1,[0,1]]", -1 },
		{ "[[1,[0,\"x\"]]]", -1 },
		{ "[[1,[0,1.5]]]", -1 },
		{ "[[1,[0,1]]] x", -1 },
		{ "not json", -1 },
		{ "[[[1],[0]]]", -1 },
		{ "[[01,[0]]]", -1 },
		{ "[[1,[0,99999999999999999999]]]", -1 },
		{ "[[9223372036854775807,[0]],[1,[0]]]", -1 },
		{ "[[1,[0]]]", 100 },		/* not zlib data */
	};
	struct text	 out = { NULL, 0, 0 };
	struct db	*d;
	sqlite3		*h;
	sqlite3_stmt	*st;
	char		*path = fresh_db(), err[512];
	long long	 rows;

	(void)state;
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(db_define_functions(h), 0);
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		put_chunk(h, 1, i % 2 ? "b" : "a", 100 * (int64_t)i,
		    good[i].scale, good[i].text, -1);
	/* b comes first: its position is lower */
	assert_int_equal(sqlite3_exec(h, "INSERT INTO runs (id, status, started,"
	    " version, seed, workers, rounds, config, overrides, events) VALUES"
	    " (1, 'complete', 'now', 'test', 1, 4, 1, '', '', 1);"
	    " INSERT INTO run_models (run, model, kind, position, params,"
	    " status) VALUES (1, 'a', 'asp', 1, '{}', 'complete'), (1, 'b',"
	    " 'bsp', 0, '{}', 'complete')", NULL, NULL, NULL), SQLITE_OK);
	rows = scan_matches_view(h);
	assert_int_equal(rows, 2 * query_int(h, "SELECT count(*) FROM events"));
	assert_true(rows >= 2 * 12);
	/* the export's query sorts nothing: the scan is in its order */
	assert_int_equal(sqlite3_prepare_v2(h, "EXPLAIN QUERY PLAN SELECT *"
	    " FROM fs_events WHERE run = 1 ORDER BY position, seq", -1, &st,
	    NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		if (strstr((const char *)sqlite3_column_text(st, 3),
		    "TEMP B-TREE") != NULL)
			fail_msg("fs_events is sorted: %s",
			    sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	assert_int_equal(query_int(h, "SELECT model = 'b' FROM fs_events WHERE"
	    " run = 1 ORDER BY position, seq LIMIT 1"), 1);
	/* ... where a descending one is */
	assert_int_equal(query_int(h, "SELECT seq FROM fs_events WHERE run = 1"
	    " AND model = 'a' ORDER BY seq DESC LIMIT 1"), query_int(h,
	    "SELECT max(seq) FROM events WHERE run = 1 AND model = 'a'"));
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char	want[128];
		int	rc;

		assert_int_equal(sqlite3_exec(h, "DELETE FROM event_chunks"
		    " WHERE run = 2", NULL, NULL, NULL), SQLITE_OK);
		put_chunk(h, 1, "a", 50, 0, "[[1,[0,1,1,1]]]", -1);
		put_chunk(h, 2, "x", 7, 0, bad[i].text, bad[i].size);
		assert_int_equal(sqlite3_prepare_v2(h, "SELECT count(*) FROM"
		    " fs_events WHERE run = 2", -1, &st, NULL), SQLITE_OK);
		rc = sqlite3_step(st);
		if (rc != SQLITE_CORRUPT)
			fail_msg("'%s': %d (%s), not SQLITE_CORRUPT",
			    bad[i].text, rc, sqlite3_errmsg(h));
		snprintf(want, sizeof want, "event chunk (run 2, model x, seq"
		    " 7) is damaged");
		if (strstr(sqlite3_errmsg(h), want) == NULL)
			fail_msg("'%s': %s", bad[i].text, sqlite3_errmsg(h));
		sqlite3_finalize(st);
		assert_int_equal(sqlite3_exec(h, "DELETE FROM event_chunks"
		    " WHERE run = 1 AND seq = 50", NULL, NULL, NULL),
		    SQLITE_OK);
	}
	assert_int_equal(sqlite3_exec(h, "INSERT INTO runs (id, status, started,"
	    " version, seed, workers, rounds, config, overrides, events) VALUES"
	    " (2, 'complete', 'now', 'test', 1, 4, 1, '', '', 1)", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_close(h);
	/* the export says so: status 2, the file and the chunk named */
	d = db_open(path, 1, err, sizeof err);
	assert_non_null(d);
	assert_int_equal(db_export(d, 2, "updates", export_text, &out, err,
	    sizeof err), 2);
	if (strncmp(err, path, strlen(path)) != 0 || strstr(err,
	    "(run 2, model x, seq 7) is damaged") == NULL)
		fail_msg("%s", err);
	assert_null(strchr(err, '\n'));
	db_close(d);
	free(out.s);
	unlink(path);
	free(path);
}

/* One model's events as the engine gave them: their times, in order. */
struct seen {
	double	*t;
	int	*type;
	size_t	 n, cap;
};

static void
see(const struct sim_event *ev, void *ud)
{
	struct seen	*s = ud;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 4096;
		s->t = xreallocarray(s->t, s->cap, sizeof *s->t);
		s->type = xreallocarray(s->type, s->cap, sizeof *s->type);
	}
	s->t[s->n] = ev->t;
	s->type[s->n++] = (int)ev->type;
}

/*
 * A recorded run whose times a chunk's scale cannot all hold (a task of a
 * nanosecond with tasks of ~40 ms: 2^-30 against 2^5, more than 63 bits
 * apart) is cut mid-round by the recorder, and the events view still
 * gives every event, in order, its time bit for bit.
 */
static void
test_record_cut(void **state)
{
	static const char cfg[] =
	    "seed = 3; rounds = 4;\n"
	    "workers = { count = 12; slow_fraction = 0.5;"
	    " slow_offset_ms = 10.0; };\n"
	    "classes = {\n"
	    "  tiny = { dist = \"choice\"; values = [0.000001]; };\n"
	    "  medium = { dist = \"normal\"; mean = 43.6; sd = 3.3; };\n"
	    "};\n"
	    "tasks = (\n"
	    "  { name = \"load\"; kind = \"async\"; class = \"tiny\"; },\n"
	    "  { name = \"compute\"; kind = \"async\"; class = \"medium\";"
	    " after = \"load\"; },\n"
	    "  { name = \"push\"; kind = \"sync\"; after = \"compute\"; }\n"
	    ");\n"
	    "models = ({ model = \"asp\"; }, { model = \"bsp\"; },"
	    " { model = \"fastsync\"; quorum = 0.7; });\n";
	struct fs_config	 cf;
	struct report_row	 rows[8];
	struct seen		 seen[3];
	void			*ud[3];
	struct db		*d;
	sqlite3			*h;
	sqlite3_stmt		*st;
	char			*conf = test_write_temp(cfg), *path = temp_db();
	char			 err[512];
	int64_t			 run;

	(void)state;
	if (config_load(&cf, conf, NULL, 0, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(cf.nmodels, 3);
	memset(seen, 0, sizeof seen);
	for (int m = 0; m < 3; m++)
		ud[m] = &seen[m];
	d = db_open(path, 0, err, sizeof err);
	assert_non_null(d);
	run = record_observed(d, &cf, "cut", rows, see, ud);
	db_close(d);
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(db_define_functions(h), 0);
	for (int m = 0; m < 3; m++) {
		char	 sql[256];
		size_t	 k = 0, cuts = 1;
		long long chunks;

		/* the chunks the rounds, syncs and the end make, and more */
		for (size_t i = 0; i < seen[m].n; i++)
			cuts += seen[m].type[i] == SIM_EV_ROUND ||
			    seen[m].type[i] == SIM_EV_SYNC;
		snprintf(sql, sizeof sql, "SELECT count(*) FROM event_chunks"
		    " WHERE run = %lld AND model = '%s'", (long long)run,
		    cf.models[m].name);
		chunks = query_int(h, sql);
		if (chunks <= (long long)cuts)
			fail_msg("%s: %lld chunks, no more than its %zu rounds,"
			    " syncs and end", cf.models[m].name, chunks, cuts);
		snprintf(sql, sizeof sql, "SELECT seq, t FROM events WHERE"
		    " run = %lld AND model = '%s' ORDER BY seq",
		    (long long)run, cf.models[m].name);
		assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL),
		    SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			double t = sqlite3_column_double(st, 1);

			assert_true(k < seen[m].n);
			assert_int_equal(sqlite3_column_int64(st, 0), k);
			if (memcmp(&t, &seen[m].t[k], sizeof t) != 0)
				fail_msg("%s event %zu: t %a, not %a",
				    cf.models[m].name, k, t, seen[m].t[k]);
			k++;
		}
		sqlite3_finalize(st);
		assert_int_equal(k, seen[m].n);
		free(seen[m].t);
		free(seen[m].type);
	}
	/* chunks cut mid-round read the same through fastsync's scan */
	assert_true(scan_matches_view(h) > 1000);
	sqlite3_close(h);
	unlink(path);
	unlink(conf);
	free(path);
	free(conf);
	config_free(&cf);
}

/* The schema of a file and its fixed rows, as one text. */
static char *
schema_text(const char *path)
{
	static const char *const sql[] = {
		"SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY"
		    " rowid",
		"SELECT * FROM meta ORDER BY key",
		"SELECT * FROM event_types ORDER BY code",
		"SELECT * FROM sync_points ORDER BY code",
	};

	return (queries_text(path, sql, sizeof sql / sizeof sql[0]));
}

/* src/db_fresh.h as it should be: the statements that made path. */
static void
write_fresh_header(const char *path, const char *out)
{
	sqlite3		*h;
	sqlite3_stmt	*st;
	FILE		*f = fopen(out, "w");

	assert_non_null(f);
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT sql FROM"
	    " sqlite_master WHERE sql IS NOT NULL ORDER BY rowid", -1, &st,
	    NULL), SQLITE_OK);
	fprintf(f, "/*\n"
	    " * The schema a new file gets (version %d): what the migrations"
	    " in\n * db.c make of an empty file, statement by statement."
	    " Generated: when\n * test_db says this is stale, it has written"
	    " the right one as\n * db_fresh.h.new in the build folder; copy"
	    " that over this file.\n */\n#ifndef FS_DB_FRESH_H\n"
	    "#define FS_DB_FRESH_H\n\nstatic const char *const"
	    " db_fresh_schema[] = {",
	    DB_SCHEMA_VERSION);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_text(st, 0);

		/* a line at most 64 characters a literal, split if longer */
		while (*p != '\0') {
			size_t	n = strcspn(p, "\n");
			int	nl = p[n] == '\n';

			if (n > 64) {
				n = 64;
				nl = 0;
			}
			fputs("\n\t\"", f);
			for (size_t i = 0; i < n; i++) {
				if (p[i] == '"' || p[i] == '\\')
					fputc('\\', f);
				fputc(p[i], f);
			}
			fputs(nl ? "\\n\"" : "\"", f);
			p += n + nl;
		}
		fputs(",", f);
	}
	fputs("\n\tNULL\n};\n\n#endif\n", f);
	sqlite3_finalize(st);
	sqlite3_close(h);
	assert_int_equal(fclose(f), 0);
}

/*
 * A new file gets src/db_fresh.h's schema at once: the tables, indexes,
 * views and fixed rows every migration from an empty file gives (when it
 * is stale, the right header is written as ./db_fresh.h.new).
 */
static void
test_fresh_schema(void **state)
{
	char	*fresh, *migrated, *a, *b;

	(void)state;
	db_use_fresh_schema(0);
	migrated = fresh_db();
	db_use_fresh_schema(1);
	b = schema_text(migrated);
	assert_non_null(strstr(b, "|event_chunks|"));
	assert_non_null(strstr(b, "task_start"));
	if (db_fresh_schema[0] == NULL) {
		write_fresh_header(migrated, "db_fresh.h.new");
		fail_msg("src/db_fresh.h is empty: the right one is in"
		    " ./db_fresh.h.new");
	}
	fresh = fresh_db();
	a = schema_text(fresh);
	if (strcmp(a, b) != 0) {
		write_fresh_header(migrated, "db_fresh.h.new");
		fail_msg("src/db_fresh.h is not what the migrations give: the"
		    " right one is in ./db_fresh.h.new");
	}
	free(a);
	free(b);
	unlink(fresh);
	unlink(migrated);
	free(fresh);
	free(migrated);
}

/* Take a version 4 file back to version 2: drop what 4 and 3 added. */
static const char v3_undo[] =
    "DROP TABLE run_points; DROP TABLE sweeps; DROP INDEX runs_uuid;"
    " DROP INDEX runs_sweep; ALTER TABLE runs DROP COLUMN uuid;"
    " ALTER TABLE runs DROP COLUMN sweep; ALTER TABLE runs DROP COLUMN"
    " point; ALTER TABLE runs DROP COLUMN point_values;"
    "ALTER TABLE run_models DROP COLUMN cut;"
    " ALTER TABLE rounds DROP COLUMN mean_staleness;"
    " ALTER TABLE rounds DROP COLUMN wait_ms;"
    " ALTER TABLE rounds DROP COLUMN idle_ms;"
    " ALTER TABLE rounds DROP COLUMN comm_ms;"
    " ALTER TABLE rounds DROP COLUMN late;"
    " ALTER TABLE rounds DROP COLUMN deferred;"
    " ALTER TABLE rounds DROP COLUMN notified;"
    " ALTER TABLE rounds DROP COLUMN pulled_forward;"
    " ALTER TABLE rounds DROP COLUMN c1;"
    " ALTER TABLE rounds DROP COLUMN c2;"
    " ALTER TABLE rounds DROP COLUMN noise;"
    " ALTER TABLE rounds DROP COLUMN t_quorum;"
    " ALTER TABLE rounds DROP COLUMN reconfig_ms;";

/*
 * A version 1 file (written before training) is upgraded in place when
 * opened writable, its runs kept; read-only, it is refused (status 2).
 */
static void
test_migrate_v1(void **state)
{
	sqlite3		*h;
	char		*path = fresh_db();

	(void)state;
	/* take a fresh file back to version 1, with a run in it */
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(db_define_functions(h), 0);
	assert_int_equal(sqlite3_exec(h, v6_undo, NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, v5_undo, NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, v3_undo, NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "DROP TABLE accuracy;"
	    " ALTER TABLE run_models DROP COLUMN accuracy;"
	    " ALTER TABLE run_models DROP COLUMN time_to_target;"
	    " UPDATE meta SET value = '1' WHERE key = 'schema_version';"
	    " INSERT INTO runs (id, status, started, version, seed, workers,"
	    " rounds, config, overrides, events) VALUES (7, 'complete',"
	    " '2026-01-01T00:00:00Z', '0.1', 1, 2, 3, '', '', 0);"
	    " INSERT INTO run_models (run, model, kind, position, params,"
	    " status, time_ms) VALUES (7, 'bsp', 'bsp', 0, '{}', 'complete',"
	    " 12.5);", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);

	upgrade(path, 1);
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(query_int(h, "SELECT value FROM meta WHERE key ="
	    " 'schema_version'"), DB_SCHEMA_VERSION);
	assert_int_equal(query_int(h, "SELECT count(*) FROM accuracy"), 0);
	assert_int_equal(query_int(h, "SELECT count(*) FROM run_models WHERE"
	    " run = 7 AND cut IS NULL"), 1);
	assert_int_equal(query_int(h, "SELECT count(*) FROM run_models WHERE"
	    " run = 7 AND accuracy IS NULL AND time_to_target IS NULL"), 1);
	assert_int_equal(query_int(h, "SELECT count(*) FROM runs WHERE"
	    " id = 7"), 1);
	sqlite3_close(h);
	unlink(path);
	free(path);
}

/*
 * A version 4 file (before runs kept their process's start time) is
 * upgraded: its runs kept, the new columns NULL, and a run still
 * recording under a live pid (no start time to compare) left running.
 */
static void
test_migrate_v4(void **state)
{
	struct db	*d;
	sqlite3		*h;
	char		*path = fresh_db(), err[512], sql[768], host[256] = "";

	(void)state;
	(void)gethostname(host, sizeof host - 1);
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(db_define_functions(h), 0);
	assert_int_equal(sqlite3_exec(h, v6_undo, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, v5_undo, NULL, NULL, NULL), SQLITE_OK);
	snprintf(sql, sizeof sql, "UPDATE meta SET value = '4' WHERE key ="
	    " 'schema_version'; INSERT INTO runs (id, status, started, pid,"
	    " host, version, seed, workers, rounds, config, overrides, events)"
	    " VALUES (3, 'running', '2026-01-01T00:00:00Z', %ld, '%s', '0.1',"
	    " 1, 2, 3, '', '', 0);", (long)getpid(), host);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	d = db_open(path, 0, err, sizeof err);
	if (d == NULL)
		fail_msg("%s", err);
	db_close(d);
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(query_int(h, "SELECT value FROM meta WHERE key ="
	    " 'schema_version'"), DB_SCHEMA_VERSION);
	assert_int_equal(query_int(h, "SELECT count(*) FROM runs WHERE id = 3"
	    " AND pid_start IS NULL AND boot_id IS NULL AND status ="
	    " 'running'"), 1);
	sqlite3_close(h);
	unlink(path);
	free(path);
}

/* A pid that no process has: a child's, once it is reaped. */
static pid_t
dead_pid(void)
{
	pid_t	pid = fork();
	int	status;

	if (pid == 0)
		_exit(0);
	assert_true(pid > 0);
	waitpid(pid, &status, 0);
	return (pid);
}

/*
 * Runs left "running": which a writable open marks interrupted. The
 * pid alone is not the process: a live pid that started at another
 * time, or on another boot, is another process (a reused pid).
 */
static void
test_orphans(void **state)
{
	enum { OURS, DEAD };
	static const struct {
		const char	*why;
		int		 pid;		/* OURS or DEAD */
		int		 start;		/* 0 ours, 1 another, -1 NULL */
		int		 boot;		/* 0 ours, 1 another, -1 NULL */
		int		 other_host;
		const char	*want;
	} cases[] = {
		{ "this process", OURS, 0, 0, 0, "running" },
		{ "a reused pid: it started later", OURS, 1, 0, 0,
		    "interrupted" },
		{ "a reused pid: another boot", OURS, 0, 1, 0, "interrupted" },
		{ "a live pid, no start recorded (schema 4)", OURS, -1, -1, 0,
		    "running" },
		{ "a pid that is gone", DEAD, 0, 0, 0, "interrupted" },
		{ "a pid that is gone, no start recorded", DEAD, -1, -1, 0,
		    "interrupted" },
		{ "another host's run: not ours to judge", DEAD, 1, 1, 1,
		    "running" },
	};
	const size_t	 ncases = sizeof cases / sizeof cases[0];
	char		*path = fresh_db(), err[512], host[256] = "", boot[64];
	int64_t		 start = db_proc_start(getpid());
	pid_t		 dead = dead_pid();
	struct db	*d;
	sqlite3		*h;
	sqlite3_stmt	*st;

	(void)state;
	(void)gethostname(host, sizeof host - 1);
	db_boot_id(boot, sizeof boot);
	assert_true(start > 0);
	assert_true(*boot != '\0');
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "INSERT INTO runs (id, status,"
	    " started, pid, host, version, seed, workers, rounds, config,"
	    " overrides, events, pid_start, boot_id) VALUES (?1, 'running',"
	    " '2026-01-01T00:00:00Z', ?2, ?3, '0.1', 1, 2, 3, '', '', 0, ?4,"
	    " ?5)", -1, &st, NULL), SQLITE_OK);
	for (size_t k = 0; k < ncases; k++) {
		sqlite3_bind_int64(st, 1, (int64_t)k + 1);
		sqlite3_bind_int64(st, 2, cases[k].pid == OURS ? getpid() :
		    dead);
		sqlite3_bind_text(st, 3, cases[k].other_host ? "elsewhere" :
		    host, -1, SQLITE_TRANSIENT);
		if (cases[k].start >= 0)
			sqlite3_bind_int64(st, 4, start + cases[k].start);
		else
			sqlite3_bind_null(st, 4);
		if (cases[k].boot >= 0)
			sqlite3_bind_text(st, 5, cases[k].boot ?
			    "00000000-0000-0000-0000-000000000000" : boot, -1,
			    SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, 5);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	d = db_open(path, 0, err, sizeof err);
	if (d == NULL)
		fail_msg("%s", err);
	db_close(d);
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT status FROM runs WHERE"
	    " id = ?1", -1, &st, NULL), SQLITE_OK);
	for (size_t k = 0; k < ncases; k++) {
		sqlite3_bind_int64(st, 1, (int64_t)k + 1);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		if (strcmp((const char *)sqlite3_column_text(st, 0),
		    cases[k].want) != 0)
			fail_msg("%s: %s, not %s", cases[k].why,
			    sqlite3_column_text(st, 0), cases[k].want);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	unlink(path);
	free(path);
}

/*
 * Damaged files: refused on open, read-only or writable, with one line
 * naming the file, status 2, the file left as it was. A file that
 * passed a check before and was damaged since is found all the same
 * (the cache of checked files is keyed by size and mtime).
 */
static void
test_damaged(void **state)
{
	static const struct {
		const char	*why;
		int		 how;	/* 0 garbage page, 1 zeroed page,
					   2 cut in half */
		int		 checked_before;
	} cases[] = {
		{ "a page of 0xff in the middle", 0, 0 },
		{ "a page of zeros in the middle", 1, 0 },
		{ "the file cut in half", 2, 0 },
		{ "a garbage page after a clean check", 0, 1 },
	};
	struct fs_config	 cf;
	struct report_row	 rows[8];
	char			*cache = test_write_temp(""), err[512];

	(void)state;
	/* a cache of our own, so the check's memory is seen */
	unlink(cache);
	assert_int_equal(mkdir(cache, 0700), 0);
	setenv("XDG_CACHE_HOME", cache, 1);
	load_default(&cf, "20", "40");
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char		*path = temp_db();
		struct db	*d = db_open(path, 0, err, sizeof err);
		unsigned char	 page[4096];
		char		*before, *after;
		size_t		 n, m;
		int		 status;
		FILE		*f;

		assert_non_null(d);
		record(d, &cf, "to damage", rows);
		db_close(d);
		if (cases[k].checked_before) {
			d = db_open(path, 1, err, sizeof err);
			assert_non_null(d);
			db_close(d);
		}
		before = test_read_file(path, &n);
		assert_true(n > 16 * sizeof page);
		memset(page, cases[k].how == 0 ? 0xff : 0, sizeof page);
		if (cases[k].how == 2)
			assert_int_equal(truncate(path, (off_t)(n / 2 /
			    sizeof page * sizeof page)), 0);
		else {
			f = fopen(path, "r+b");
			assert_non_null(f);
			assert_int_equal(fseek(f, (long)(n / 2 / sizeof page *
			    sizeof page), SEEK_SET), 0);
			assert_int_equal(fwrite(page, 1, sizeof page, f),
			    sizeof page);
			fclose(f);
		}
		free(before);
		before = test_read_file(path, &n);
		assert_true(n > 0);
		for (int ro = 0; ro < 2; ro++) {
			d = db_open_status(path, ro, &status, err, sizeof err);
			if (d != NULL)
				fail_msg("%s (%s): opened", cases[k].why,
				    ro ? "read-only" : "writable");
			assert_int_equal(status, 2);
			if (strstr(err, "the database is damaged") == NULL ||
			    strstr(err, path) == NULL || strchr(err, '\n'))
				fail_msg("%s: '%s'", cases[k].why, err);
		}
		after = test_read_file(path, &m);
		assert_true(m == n && memcmp(before, after, n) == 0);
		free(before);
		free(after);
		unlink(path);
		free(path);
	}
	config_free(&cf);
	unsetenv("XDG_CACHE_HOME");
	{
		char	 p[600];

		snprintf(p, sizeof p, "%s/fastsync/checked", cache);
		unlink(p);
		snprintf(p, sizeof p, "%s/fastsync", cache);
		rmdir(p);
	}
	rmdir(cache);
	free(cache);
}

/* Bad paths: one line naming the path, the right status, no crash. */
static void
test_bad_paths(void **state)
{
	char		*file = test_write_temp("this is not a database, just"
			    " text that is long enough to have a header\n");
	char		 path[4096], err[512];
	struct db	*d;
	int		 status;

	(void)state;
	/* a file that is not a database */
	d = db_open_status(file, 0, &status, err, sizeof err);
	assert_null(d);
	assert_int_equal(status, 2);
	assert_non_null(strstr(err, file));
	assert_null(strchr(err, '\n'));
	/* a folder */
	d = db_open_status("/tmp", 0, &status, err, sizeof err);
	assert_null(d);
	assert_int_equal(status, 2);
	assert_non_null(strstr(err, "is a folder"));
	/* a folder that cannot be made: under a regular file */
	snprintf(path, sizeof path, "%s/sub/runs.db", file);
	d = db_open_status(path, 0, &status, err, sizeof err);
	assert_null(d);
	assert_int_equal(status, 1);
	assert_non_null(strstr(err, "cannot create folder"));
	/* an SQLite file of someone else's: refused, left alone */
	{
		sqlite3 *h;

		snprintf(path, sizeof path, "%s.foreign", file);
		assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
		assert_int_equal(sqlite3_exec(h, "CREATE TABLE mine (x)", NULL,
		    NULL, NULL), SQLITE_OK);
		sqlite3_close(h);
		d = db_open_status(path, 0, &status, err, sizeof err);
		assert_null(d);
		assert_int_equal(status, 2);
		assert_non_null(strstr(err, "not one of fastsync's"));
		unlink(path);
	}
	/* reading a database that is not there yet */
	snprintf(path, sizeof path, "%s.none", file);
	d = db_open_status(path, 1, &status, err, sizeof err);
	assert_null(d);
	assert_int_equal(status, 2);
	unlink(file);
	free(file);
}

/* Another writer holds the database: busy, then a clear error. */
static void
test_busy(void **state)
{
	char		*path = fresh_db(), err[512];
	struct db	*d;
	sqlite3		*h;
	int		 status;

	(void)state;
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "BEGIN EXCLUSIVE", NULL, NULL, NULL),
	    SQLITE_OK);
	setenv("FASTSYNC_BUSY_TIMEOUT", "200", 1);
	d = db_open_status(path, 0, &status, err, sizeof err);
	unsetenv("FASTSYNC_BUSY_TIMEOUT");
	assert_null(d);
	assert_int_equal(status, 1);
	assert_non_null(strstr(err, "busy"));
	sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(h);
	unlink(path);
	free(path);
}

/*
 * The disk fills up mid-run (SQLite's max_page_count stands in for a
 * full disk): the recorder fails with one line, and the rounds it had
 * committed are still there.
 */
static void
test_disk_full(void **state)
{
	struct fs_config	 cf;
	struct recorder		*rec;
	struct db		*d;
	struct sim		*s;
	sqlite3_stmt		*st;
	char			*path = temp_db(), err[512], sql[64];
	int			 pages, rounds;

	(void)state;
	load_default(&cf, "50", "400");
	d = db_open(path, 0, err, sizeof err);
	assert_non_null(d);
	assert_int_equal(sqlite3_prepare_v2(d->h, "PRAGMA page_count", -1,
	    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	pages = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	/* room for more than one batch of rows, not for the whole run */
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %d", pages + 300);
	assert_int_equal(db_exec(d, sql, err, sizeof err), 0);
	cf.record_compress = 0;		/* ~8 MB of events, 1.2 MB of room */
	rec = recorder_begin(d, &cf, "text", "", "full", 1, err, sizeof err);
	assert_non_null(rec);
	s = sim_create(&cf, &cf.models[1], err, sizeof err);
	assert_int_equal(recorder_model(rec, s, 1), 0);
	while (recorder_error(rec) == NULL && sim_run_to_round(s) > 0)
		;
	assert_non_null(recorder_error(rec));
	assert_non_null(strstr(recorder_error(rec), "full"));
	assert_null(strchr(recorder_error(rec), '\n'));
	assert_int_equal(recorder_end(rec, "complete", err, sizeof err), -1);
	assert_non_null(strstr(err, path));
	sim_free(s);
	/* what was committed before the disk filled up is there */
	assert_int_equal(sqlite3_prepare_v2(d->h, "SELECT count(*) FROM"
	    " rounds", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	rounds = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	assert_true(rounds > 0 && rounds < 400);
	db_close(d);
	unlink(path);
	free(path);
	config_free(&cf);
}

/*
 * A database that cannot be written (root can write any file, so the
 * handle is opened read-only instead): recording fails with one line
 * before the simulation starts.
 */
static void
test_read_only(void **state)
{
	struct fs_config	 cf;
	struct db		*d;
	char			*path = fresh_db(), err[512];

	(void)state;
	load_default(&cf, "4", "4");
	d = db_open(path, 1, err, sizeof err);
	assert_non_null(d);
	assert_null(recorder_begin(d, &cf, "text", "", NULL, 1, err,
	    sizeof err));
	assert_non_null(strstr(err, "readonly"));
	assert_null(strchr(err, '\n'));
	db_close(d);
	unlink(path);
	free(path);
	config_free(&cf);
}

/*
 * Kill a recording fastsync with SIGKILL after it reported k rounds;
 * then the database is intact, the run interrupted, those rounds there.
 */
static void
kill_after(const char *bin, const char *path, int k)
{
	int		 fds[2], status, seen = 0, present = 0;
	char		 line[256], model[64] = "", last[64] = "";
	int		 last_round = -1;
	pid_t		 pid;
	FILE		*f;
	struct db	*d;
	sqlite3		*h;
	sqlite3_stmt	*st;
	char		 err[512];

	assert_int_equal(pipe(fds), 0);
	if ((pid = fork()) == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		execl(bin, bin, "run", "--headless", "-q", "-v", "--db", path, "-c",
		    SRCDIR "/configs/default.cfg", "-w", "200", "-r", "300",
		    "-m", "bsp", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	while (seen < k && fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "fastsync: recorded run %*d %63s round %d",
		    model, &last_round) == 2) {
			snprintf(last, sizeof last, "%s", model);
			seen++;
		}
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	fclose(f);
	assert_int_equal(seen, k);
	assert_true(WIFSIGNALED(status));
	/* a later command opens it: the run is marked interrupted */
	d = db_open(path, 0, err, sizeof err);
	if (d == NULL)
		fail_msg("%s", err);
	db_close(d);
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1,
	    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT status FROM runs ORDER"
	    " BY id DESC LIMIT 1", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(st, 0), "interrupted");
	sqlite3_finalize(st);
	/* every round it reported committed is there */
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT count(*) FROM rounds"
	    " WHERE run = (SELECT max(id) FROM runs) AND model = ?1 AND"
	    " round <= ?2", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, last, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, last_round);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	present = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	assert_int_equal(present, last_round + 1);
}

/* SIGTERM: the run stops at a round, says interrupted itself, exits 143. */
static void
test_sigterm(void **state)
{
	const char	*bin = getenv("FASTSYNC");
	char		*path = temp_db(), line[256];
	int		 fds[2], status, seen = 0;
	pid_t		 pid;
	FILE		*f;
	sqlite3		*h;
	sqlite3_stmt	*st;

	(void)state;
	if (bin == NULL)
		fail_msg("FASTSYNC (the program's path) is not set");
	assert_int_equal(pipe(fds), 0);
	if ((pid = fork()) == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		execl(bin, bin, "run", "--headless", "-q", "-v", "--db", path, "-w", "200",
		    "-r", "300", "-m", "ssp", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	while (seen < 3 && fgets(line, sizeof line, f) != NULL)
		seen += strstr(line, "recorded run") != NULL;
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	fclose(f);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 128 + SIGTERM);
	/* read it raw: no later fastsync had to mark it */
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT status, finished FROM"
	    " runs", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(st, 0), "interrupted");
	assert_true(sqlite3_column_type(st, 1) != SQLITE_NULL);
	sqlite3_finalize(st);
	sqlite3_close(h);
	unlink(path);
	free(path);
}

static void
test_crash_consistency(void **state)
{
	const char	*bin = getenv("FASTSYNC");
	char		*path = temp_db();
	static const int moments[] = { 1, 7, 40 };

	(void)state;
	if (bin == NULL)
		fail_msg("FASTSYNC (the program's path) is not set");
	for (size_t i = 0; i < sizeof moments / sizeof moments[0]; i++)
		kill_after(bin, path, moments[i]);
	unlink(path);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_deterministic_rows),
		cmocka_unit_test(test_newer_schema_refused),
		cmocka_unit_test(test_migrate_v1),
		cmocka_unit_test(test_migrate_v4),
		cmocka_unit_test(test_orphans),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_migrate_v5),
		cmocka_unit_test(test_migrate_v6),
		cmocka_unit_test(test_migrate_v6_damaged),
		cmocka_unit_test(test_event_times),
		cmocka_unit_test(test_fresh_schema),
		cmocka_unit_test(test_record_cut),
		cmocka_unit_test(test_evscan),
		cmocka_unit_test(test_bad_paths),
		cmocka_unit_test(test_busy),
		cmocka_unit_test(test_disk_full),
		cmocka_unit_test(test_read_only),
		cmocka_unit_test(test_sigterm),
		cmocka_unit_test(test_crash_consistency),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
