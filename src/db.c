/*
 * Opening the run database: the file and its folder are created on first
 * use, the journal is WAL, the schema is created or migrated in one
 * transaction, a newer schema is refused, and runs left "running" by a
 * process that no longer exists are marked interrupted (db_orphan.c).
 * Every open checks the file first (db_check.c). Reading never writes:
 * the file is opened read-only, and immutable (no locks, no -shm) when
 * its folder cannot hold the -shm file SQLite's WAL readers share.
 */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "db_events.h"
#include "db_fresh.h"
#include "db_priv.h"
#include "xmalloc.h"

#define DB_BUSY_MS	60000	/* how long a writer waits for the lock */

/* Schema version 1. Documented in fastsync.1 (THE DATABASE). */
static const char schema_v1[] =
"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
"CREATE TABLE runs (\n"
"  id INTEGER PRIMARY KEY,\n"
"  name TEXT,\n"
"  status TEXT NOT NULL CHECK (status IN\n"
"    ('running', 'complete', 'interrupted', 'failed')),\n"
"  started TEXT NOT NULL,\n"
"  finished TEXT,\n"
"  pid INTEGER,\n"
"  host TEXT,\n"
"  version TEXT NOT NULL,\n"
"  seed INTEGER NOT NULL,\n"
"  workers INTEGER NOT NULL,\n"
"  rounds INTEGER NOT NULL,\n"
"  config_path TEXT,\n"
"  config TEXT NOT NULL,\n"
"  overrides TEXT NOT NULL,\n"
"  events INTEGER NOT NULL\n"
");\n"
"CREATE TABLE run_models (\n"
"  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
"  model TEXT NOT NULL,\n"
"  kind TEXT NOT NULL,\n"
"  position INTEGER NOT NULL,\n"
"  params TEXT NOT NULL,\n"
"  status TEXT NOT NULL,\n"
"  time_ms REAL, round_mean_ms REAL, round_p50_ms REAL,\n"
"  round_p95_ms REAL, throughput REAL, gradients INTEGER,\n"
"  updates INTEGER, fresh INTEGER, stale INTEGER, dropped INTEGER,\n"
"  staleness_mean REAL, staleness_max INTEGER, wait_mean_ms REAL,\n"
"  wait_max_ms REAL, idle_mean_ms REAL, busy_mean_ms REAL,\n"
"  comm_mean_ms REAL, syncs_ts1 INTEGER, syncs_ts2 INTEGER,\n"
"  syncs_ts3 INTEGER, syncs_fallback INTEGER, quorum_mean REAL,\n"
"  sim_events INTEGER, staleness_hist TEXT,\n"
"  PRIMARY KEY (run, model)\n"
");\n"
"CREATE TABLE rounds (\n"
"  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
"  model TEXT NOT NULL,\n"
"  round INTEGER NOT NULL,\n"
"  t_start REAL, t_end REAL, t_sync REAL, sync_point TEXT,\n"
"  quorum REAL, participants INTEGER, gradients INTEGER,\n"
"  fresh INTEGER, stale INTEGER, max_staleness INTEGER,\n"
"  round_ms REAL,\n"
"  PRIMARY KEY (run, model, round)\n"
");\n"
"CREATE TABLE workers (\n"
"  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
"  model TEXT NOT NULL,\n"
"  worker INTEGER NOT NULL,\n"
"  slow INTEGER, clock INTEGER, busy_ms REAL, wait_ms REAL,\n"
"  idle_ms REAL, comm_ms REAL, absent_ms REAL,\n"
"  PRIMARY KEY (run, model, worker)\n"
");\n"
"CREATE TABLE updates (\n"
"  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
"  model TEXT NOT NULL,\n"
"  t REAL NOT NULL, worker INTEGER, round INTEGER,\n"
"  v_read INTEGER, v_apply INTEGER, staleness INTEGER\n"
");\n"
"CREATE INDEX updates_run ON updates (run);\n"
"CREATE TABLE clusters (\n"
"  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
"  model TEXT NOT NULL,\n"
"  round INTEGER, worker INTEGER, label TEXT\n"
");\n"
"CREATE INDEX clusters_run ON clusters (run);\n"
"CREATE TABLE quorum_checks (\n"
"  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
"  model TEXT NOT NULL,\n"
"  round INTEGER, t REAL, point TEXT, ready INTEGER, needed INTEGER,\n"
"  pass INTEGER\n"
");\n"
"CREATE INDEX quorum_checks_run ON quorum_checks (run);\n"
"CREATE TABLE events (\n"
"  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
"  model TEXT NOT NULL,\n"
"  seq INTEGER NOT NULL,\n"
"  t REAL NOT NULL, type TEXT NOT NULL, worker INTEGER, task INTEGER,\n"
"  round INTEGER, clock INTEGER, min_clock INTEGER, count INTEGER,\n"
"  point TEXT, ready INTEGER, needed INTEGER, pass INTEGER,\n"
"  label INTEGER, v_read INTEGER, v_apply INTEGER\n"
");\n"
"CREATE INDEX events_run ON events (run);\n"
"CREATE VIEW run_summary AS\n"
"  SELECT r.id AS run, r.name, r.started, r.status, r.seed, r.workers,\n"
"    r.rounds, m.model, m.kind, m.time_ms, m.round_mean_ms,\n"
"    m.round_p95_ms, m.throughput, m.fresh, m.stale,\n"
"    100.0 * m.stale / MAX(m.gradients, 1) AS stale_pct,\n"
"    m.staleness_mean, m.quorum_mean\n"
"  FROM runs r JOIN run_models m ON m.run = r.id;\n";

/* Version 2: real training's figures (workload = "train"). */
static const char schema_v2[] =
"ALTER TABLE run_models ADD COLUMN accuracy REAL;\n"
"ALTER TABLE run_models ADD COLUMN time_to_target REAL;\n"
"CREATE TABLE accuracy (\n"
"  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
"  model TEXT NOT NULL,\n"
"  round INTEGER NOT NULL, t REAL NOT NULL, accuracy REAL NOT NULL,\n"
"  loss REAL NOT NULL\n"
");\n"
"CREATE INDEX accuracy_run ON accuracy (run);\n";

/*
 * Version 3: the revised sync models (DESIGN.md section 3): gradients cut
 * at the last sync, and every per-round figure (staleness, the workers'
 * time, late and deferred gradients, FastSync's clusters, notifications
 * and local tasks pulled forward).
 */
static const char schema_v3[] =
"ALTER TABLE run_models ADD COLUMN cut INTEGER;\n"
"ALTER TABLE rounds ADD COLUMN mean_staleness REAL;\n"
"ALTER TABLE rounds ADD COLUMN wait_ms REAL;\n"
"ALTER TABLE rounds ADD COLUMN idle_ms REAL;\n"
"ALTER TABLE rounds ADD COLUMN comm_ms REAL;\n"
"ALTER TABLE rounds ADD COLUMN late INTEGER;\n"
"ALTER TABLE rounds ADD COLUMN deferred INTEGER;\n"
"ALTER TABLE rounds ADD COLUMN notified INTEGER;\n"
"ALTER TABLE rounds ADD COLUMN pulled_forward INTEGER;\n"
"ALTER TABLE rounds ADD COLUMN c1 INTEGER;\n"
"ALTER TABLE rounds ADD COLUMN c2 INTEGER;\n"
"ALTER TABLE rounds ADD COLUMN noise INTEGER;\n"
"ALTER TABLE rounds ADD COLUMN t_quorum REAL;\n"
"ALTER TABLE rounds ADD COLUMN reconfig_ms REAL;\n";

/*
 * Version 4: sweeps (fastsync sweep) and merging shards. A sweep's runs
 * say their sweep, grid point and the point's values (JSON, and one
 * run_points row per key, the seed too); every run gets a UUID, which
 * fastsync merge matches runs by.
 */
static const char schema_v4[] =
"CREATE TABLE sweeps (\n"
"  id INTEGER PRIMARY KEY,\n"
"  name TEXT NOT NULL UNIQUE,\n"
"  spec TEXT NOT NULL,\n"
"  keys TEXT NOT NULL,\n"
"  points INTEGER NOT NULL,\n"
"  seeds INTEGER NOT NULL,\n"
"  created TEXT NOT NULL\n"
");\n"
"ALTER TABLE runs ADD COLUMN uuid TEXT;\n"
"ALTER TABLE runs ADD COLUMN sweep INTEGER;\n"
"ALTER TABLE runs ADD COLUMN point INTEGER;\n"
"ALTER TABLE runs ADD COLUMN point_values TEXT;\n"
"CREATE UNIQUE INDEX runs_uuid ON runs (uuid);\n"
"CREATE INDEX runs_sweep ON runs (sweep, point, seed);\n"
"CREATE TABLE run_points (\n"
"  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
"  key TEXT NOT NULL,\n"
"  value,\n"
"  PRIMARY KEY (run, key)\n"
");\n";

/*
 * Version 5: a run's recording process is its pid and host, and also
 * its boot and start time (db_orphan.c), since pids are reused.
 */
static const char schema_v5[] =
"ALTER TABLE runs ADD COLUMN pid_start INTEGER;\n"
"ALTER TABLE runs ADD COLUMN boot_id TEXT;\n";

/*
 * Migrations: migrations[v] takes a database from version v to v + 1,
 * as SQL text or, where rows must be rewritten, a function.
 */
/* A migration's SQL, or its function: 0, -1, or -2 for a damaged file. */
static const struct migration {
	const char	*sql;
	int		(*fn)(struct db *, char *, size_t);
} migrations[] = {
	[0] = { schema_v1, NULL },
	[1] = { schema_v2, NULL },
	[2] = { schema_v3, NULL },
	[3] = { schema_v4, NULL },
	[4] = { schema_v5, NULL },
	/* version 6: the event log in compressed chunks (db_events.c) */
	[5] = { NULL, db_migrate_v6 },
	/* version 7: a chunk's times on one scale, no offsets (db_events.c) */
	[6] = { NULL, db_migrate_v7 },
};
_Static_assert(sizeof migrations / sizeof migrations[0] ==
    DB_SCHEMA_VERSION, "a migration for every schema version");

/* How long to wait for another writer: FASTSYNC_BUSY_TIMEOUT ms, else 60 s. */
static int
busy_ms(void)
{
	const char	*e = getenv("FASTSYNC_BUSY_TIMEOUT");
	char		*end;
	long		 v;

	if (e == NULL || *e == '\0')
		return (DB_BUSY_MS);
	v = strtol(e, &end, 10);
	return (*end == '\0' && v >= 0 && v <= 3600000 ? (int)v : DB_BUSY_MS);
}

/*
 * $XDG_DATA_HOME/fastsync/runs.db, else ~/.local/share/fastsync/runs.db;
 * NULL when neither is an absolute path (never the current folder).
 */
char *
db_default_path(void)
{
	const char	*xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	char		*p;

	if (xdg != NULL && *xdg == '/')
		xasprintf(&p, "%s/fastsync/runs.db", xdg);
	else if (home != NULL && *home == '/')
		xasprintf(&p, "%s/.local/share/fastsync/runs.db", home);
	else
		return (NULL);
	return (p);
}

const char db_no_default[] = "no place for the run database: HOME and"
    " XDG_DATA_HOME are unset (or not absolute paths); set one, or give"
    " --db FILE";

/* The folder path is in ("." for a bare name); caller frees. */
static char *
parent_of(const char *path)
{
	const char	*slash = strrchr(path, '/');

	if (slash == NULL)
		return (xstrdup("."));
	if (slash == path)
		return (xstrdup("/"));
	return (xstrndup(path, (size_t)(slash - path)));
}

/*
 * Can path be written as SQLite writes a WAL database: the file (if it
 * is there) and its folder (the -wal and -shm files)? 0, or the errno.
 */
int
db_writable(const char *path)
{
	char	*dir = parent_of(path);
	int	 e = 0;

	if (access(path, F_OK) == 0 && access(path, W_OK) != 0)
		e = errno;
	else if (access(dir, W_OK | X_OK) != 0 && errno != ENOENT)
		e = errno;
	free(dir);
	return (e);
}

/*
 * path as an SQLite URI with query q: bytes other than letters, digits
 * and "/._~-" are %-escaped (a '?' or '#' in a file name is the name's).
 */
static char *
db_uri(const char *path, const char *q)
{
	static const char hex[] = "0123456789abcdef";
	char	*u = xmalloc(strlen(path) * 3 + strlen(q) + 8), *o = u;

	memcpy(o, "file:", 5);
	o += 5;
	/* "file://" would start an authority: one leading slash is enough */
	while (path[0] == '/' && path[1] == '/')
		path++;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/._~-", *p) != NULL)
			*o++ = (char)*p;
		else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o++ = '?';
	strcpy(o, q);
	return (u);
}

/* mkdir -p of the folder that will hold path. */
static int
make_parent(const char *path, char *err, size_t errlen)
{
	char	*dir = xstrdup(path), *slash;
	int	 r = 0;

	if ((slash = strrchr(dir, '/')) == NULL || slash == dir) {
		free(dir);
		return (0);
	}
	*slash = '\0';
	for (char *p = dir + 1; r == 0; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "%s: cannot create folder %s: %s",
			    path, dir, strerror(errno));
			/* not ours to write: bad input, like a read-only file */
			r = errno == EACCES || errno == EROFS ||
			    errno == EPERM ? -2 : -1;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	free(dir);
	return (r);
}

int
db_exec(struct db *d, const char *sql, char *err, size_t errlen)
{
	char	*msg = NULL;
	int	 code;

	if ((code = sqlite3_exec(d->h, sql, NULL, NULL, &msg)) == SQLITE_OK)
		return (0);
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		snprintf(err, errlen, "%s: the database is busy (another"
		    " fastsync is writing it); try again", d->path);
	else
		snprintf(err, errlen, "%s: %s", d->path, msg ? msg :
		    sqlite3_errmsg(d->h));
	sqlite3_free(msg);
	return (-1);
}

/* An error from the last call on d, with the exit status it deserves. */
int
db_fail(struct db *d, const char *what, char *err, size_t errlen)
{
	int	code = sqlite3_errcode(d->h);

	snprintf(err, errlen, "%s: %s: %s", d->path, what,
	    code == SQLITE_BUSY || code == SQLITE_LOCKED ?
	    "the database is busy (another fastsync is writing it)" :
	    sqlite3_errmsg(d->h));
	return (code == SQLITE_NOTADB || code == SQLITE_CORRUPT ? 2 : 1);
}

static int
schema_version(struct db *d, int *v, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	int		 r;

	*v = 0;
	r = sqlite3_prepare_v2(d->h, "SELECT count(*) FROM sqlite_master"
	    " WHERE name = 'meta'", -1, &st, NULL);
	if (r != SQLITE_OK)
		return (db_fail(d, "not readable as a database", err, errlen));
	r = sqlite3_step(st);
	if (r != SQLITE_ROW) {
		sqlite3_finalize(st);
		return (db_fail(d, "not readable as a database", err, errlen));
	}
	r = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (r == 0)
		return (0);
	if (sqlite3_prepare_v2(d->h, "SELECT value FROM meta WHERE key ="
	    " 'schema_version'", -1, &st, NULL) != SQLITE_OK)
		return (db_fail(d, "reading the schema version", err, errlen));
	if (sqlite3_step(st) == SQLITE_ROW)
		*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return (0);
}

/* No tables at all: a new file (fastsync may create its schema here). */
static int
empty_database(struct db *d)
{
	sqlite3_stmt	*st;
	int		 n = 1;

	if (sqlite3_prepare_v2(d->h, "SELECT count(*) FROM sqlite_master", -1,
	    &st, NULL) != SQLITE_OK)
		return (0);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return (n == 0);
}

/* A new file gets db_fresh_schema (else every migration: tests). */
static int	fresh_schema = 1;

void
db_use_fresh_schema(int on)
{
	fresh_schema = on;
}

/* migrate()'s work, in one transaction: 0, or 1 or 2 as db_open says. */
static int
migrate_tx(struct db *d, char *err, size_t errlen)
{
	char	sql[128];
	int	v, r;

	if (db_exec(d, "BEGIN IMMEDIATE", err, errlen) != 0)
		return (1);
	/* another process may have created it while we waited */
	if ((r = schema_version(d, &v, err, errlen)) != 0) {
		(void)sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
		return (r);
	}
	/*
	 * A new file takes the schema the migrations would give it, at once
	 * (they re-read the schema at every ALTER TABLE: ~20 ms a file).
	 */
	if (v == 0 && fresh_schema && db_fresh_schema[0] != NULL) {
		for (int i = 0; db_fresh_schema[i] != NULL; i++)
			if (db_exec(d, db_fresh_schema[i], err, errlen) != 0) {
				(void)sqlite3_exec(d->h, "ROLLBACK", NULL, NULL,
				    NULL);
				return (1);
			}
		if (db_events_names(d, err, errlen) != 0) {
			(void)sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
			return (1);
		}
		v = DB_SCHEMA_VERSION;
	}
	for (; v < DB_SCHEMA_VERSION; v++) {
		const struct migration *m = &migrations[v];

		if ((r = m->fn != NULL ? m->fn(d, err, errlen) :
		    db_exec(d, m->sql, err, errlen)) != 0) {
			(void)sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
			/* -2: the file's contents are not what they should be */
			return (r == -2 ? 2 : 1);
		}
	}
	snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO meta VALUES"
	    " ('schema_version', '%d')", DB_SCHEMA_VERSION);
	if (db_exec(d, sql, err, errlen) != 0 ||
	    db_exec(d, "COMMIT", err, errlen) != 0) {
		(void)sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
		return (1);
	}
	return (0);
}

/* Create or migrate the schema in one transaction; refuse a newer one. */
static int
migrate(struct db *d, char *err, size_t errlen)
{
	int	v, r;

	if ((r = schema_version(d, &v, err, errlen)) != 0)
		return (r);
	if (v > DB_SCHEMA_VERSION) {
		snprintf(err, errlen, "%s: schema version %d is newer than this"
		    " fastsync knows (%d): use a newer fastsync", d->path, v,
		    DB_SCHEMA_VERSION);
		return (2);
	}
	if (v == DB_SCHEMA_VERSION)
		return (0);
	if (v == 0 && !empty_database(d)) {
		snprintf(err, errlen, "%s: an SQLite database, but not one of"
		    " fastsync's: give another --db", d->path);
		return (2);
	}
	if (d->readonly) {
		snprintf(err, errlen, "%s: schema version %d needs upgrading"
		    " to %d: open it writable", d->path, v, DB_SCHEMA_VERSION);
		return (2);
	}
	/*
	 * Renaming a table must leave the file's other views and triggers
	 * alone: a user's view over updates or event_chunks would otherwise
	 * be checked, and fail, while its tables are being replaced (the
	 * new views keep the old names).
	 */
	(void)sqlite3_exec(d->h, "PRAGMA legacy_alter_table = ON", NULL, NULL,
	    NULL);
	r = migrate_tx(d, err, errlen);
	(void)sqlite3_exec(d->h, "PRAGMA legacy_alter_table = OFF", NULL, NULL,
	    NULL);
	return (r);
}

/*
 * Switch to WAL. Changing the journal mode needs the file to itself and
 * SQLite does not wait for that with the busy timeout: another process
 * reading a just-created file (a poller, a second recorder) makes it fail
 * at once, so try again for as long as a writer would wait.
 */
static int
wal_mode(struct db *d, char *err, size_t errlen)
{
	int	rc, waited = 0, limit = busy_ms();

	while ((rc = sqlite3_exec(d->h, "PRAGMA journal_mode = WAL", NULL,
	    NULL, NULL)) == SQLITE_BUSY && waited < limit) {
		sqlite3_sleep(10);
		waited += 10;
	}
	if (rc == SQLITE_OK)
		return (0);
	return (db_exec(d, "PRAGMA journal_mode = WAL", err, errlen));
}

/*
 * Can the schema be read? A read-only open of a WAL file whose -shm is
 * not there cannot make one in a folder it may not write: such a file
 * has no writer (no -wal either), so it is read immutable, without
 * locks or shared memory.
 */
static int
open_read(struct db *d, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	char		*uri, *wal;
	int		 rc, immutable = 0;

	for (;;) {
		uri = db_uri(d->path, immutable ? "mode=ro&immutable=1" :
		    "mode=ro");
		rc = sqlite3_open_v2(uri, &d->h, SQLITE_OPEN_READONLY |
		    SQLITE_OPEN_URI, NULL);
		free(uri);
		if (rc != SQLITE_OK) {
			snprintf(err, errlen, "%s: cannot open: %s", d->path,
			    d->h ? sqlite3_errmsg(d->h) : "out of memory");
			return (1);
		}
		if ((rc = sqlite3_prepare_v2(d->h, "SELECT count(*) FROM"
		    " sqlite_master", -1, &st, NULL)) == SQLITE_OK) {
			rc = sqlite3_step(st) == SQLITE_ROW ? SQLITE_OK :
			    sqlite3_errcode(d->h);
			sqlite3_finalize(st);
		}
		xasprintf(&wal, "%s-wal", d->path);
		if (immutable || (rc != SQLITE_READONLY &&
		    rc != SQLITE_CANTOPEN) || access(wal, F_OK) == 0) {
			free(wal);
			return (0);	/* other errors: said by the reads */
		}
		free(wal);
		sqlite3_close_v2(d->h);
		d->h = NULL;
		immutable = 1;
	}
}

/*
 * Open path for reading (readonly) or recording. Returns NULL with a
 * one-line message and *status the exit code (1 runtime, 2 bad input).
 */
struct db *
db_open_status(const char *path, int readonly, int *status, char *err,
    size_t errlen)
{
	struct db	*d = xcalloc(1, sizeof *d);
	struct stat	 sb;
	int		 r;

	*status = 1;
	d->path = xstrdup(path);
	d->readonly = readonly;
	if (*path == '\0') {
		snprintf(err, errlen, "--db: expected a file name, got ''");
		*status = 2;
		goto fail;
	}
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "%s: is a folder, not a database", path);
		*status = 2;
		goto fail;
	}
	if (readonly && access(path, F_OK) != 0) {
		snprintf(err, errlen, "%s: no database here yet (record a run"
		    " first)", path);
		*status = 2;
		goto fail;
	}
	if (!readonly) {
		if ((r = make_parent(path, err, errlen)) != 0) {
			*status = r == -2 ? 2 : 1;
			goto fail;
		}
		if ((r = db_writable(path)) != 0) {
			snprintf(err, errlen, "%s: cannot write here (%s): the"
			    " file and its folder (for its -wal and -shm) must"
			    " be writable; give another --db", path,
			    strerror(r));
			*status = 2;
			goto fail;
		}
		if (sqlite3_open_v2(path, &d->h, SQLITE_OPEN_READWRITE |
		    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
			snprintf(err, errlen, "%s: cannot open: %s", path,
			    d->h ? sqlite3_errmsg(d->h) : "out of memory");
			goto fail;
		}
	} else if (open_read(d, err, errlen) != 0)
		goto fail;
	if (db_define_functions(d->h) != 0) {
		snprintf(err, errlen, "%s: cannot define sqlar_uncompress: %s",
		    path, sqlite3_errmsg(d->h));
		goto fail;
	}
	/* other writers hold the lock only while they write a batch */
	sqlite3_busy_timeout(d->h, busy_ms());
	(void)sqlite3_exec(d->h, "PRAGMA foreign_keys = ON", NULL, NULL,
	    NULL);
	/* before anything reads the schema or writes: is the file sound? */
	if ((r = db_check(d, err, errlen)) != 0 ||
	    (r = migrate(d, err, errlen)) != 0) {
		*status = r;
		goto fail;
	}
	if (!readonly) {
		if (wal_mode(d, err, errlen) != 0 ||
		    db_exec(d, "PRAGMA synchronous = NORMAL", err, errlen) != 0)
			goto fail;
		/* a read-only file opens; writing is what fails */
		if (db_exec(d, "BEGIN IMMEDIATE; COMMIT", err, errlen) != 0) {
			*status = sqlite3_errcode(d->h) == SQLITE_READONLY ?
			    2 : 1;
			goto fail;
		}
		db_mark_orphans(d);
	}
	*status = 0;
	return (d);
fail:
	d->checked = 0;
	db_close(d);
	return (NULL);
}

struct db *
db_open(const char *path, int readonly, char *err, size_t errlen)
{
	int	status;

	return (db_open_status(path, readonly, &status, err, errlen));
}

void
db_close(struct db *d)
{
	if (d == NULL)
		return;
	if (d->h != NULL)
		sqlite3_close_v2(d->h);
	/* what a writer leaves is sound: its writes are SQLite's */
	if (d->h != NULL && !d->readonly && d->checked)
		db_check_remember(d->path);
	free(d->path);
	free(d);
}

const char *
db_path(const struct db *d)
{
	return (d->path);
}
