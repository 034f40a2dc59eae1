/*
 * The schema a new file gets (version 7): what the migrations in
 * db.c make of an empty file, statement by statement. Generated: when
 * test_db says this is stale, it has written the right one as
 * db_fresh.h.new in the build folder; copy that over this file.
 */
#ifndef FS_DB_FRESH_H
#define FS_DB_FRESH_H

static const char *const db_fresh_schema[] = {
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
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
	", uuid TEXT, sweep INTEGER, point INTEGER, point_values TEXT, pi"
	"d_start INTEGER, boot_id TEXT)",
	"CREATE TABLE run_models (\n"
	"  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
	"  model TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL,\n"
	"  position INTEGER NOT NULL,\n"
	"  params TEXT NOT NULL,\n"
	"  status TEXT NOT NULL,\n"
	"  time_ms REAL, round_mean_ms REAL, round_p50_ms REAL,\n"
	"  round_p95_ms REAL, throughput REAL, gradients INTEGER,\n"
	"  updates INTEGER, fresh INTEGER, stale INTEGER, dropped INTEGER"
	",\n"
	"  staleness_mean REAL, staleness_max INTEGER, wait_mean_ms REAL,\n"
	"  wait_max_ms REAL, idle_mean_ms REAL, busy_mean_ms REAL,\n"
	"  comm_mean_ms REAL, syncs_ts1 INTEGER, syncs_ts2 INTEGER,\n"
	"  syncs_ts3 INTEGER, syncs_fallback INTEGER, quorum_mean REAL,\n"
	"  sim_events INTEGER, staleness_hist TEXT, accuracy REAL, time_t"
	"o_target REAL, cut INTEGER,\n"
	"  PRIMARY KEY (run, model)\n"
	")",
	"CREATE TABLE rounds (\n"
	"  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
	"  model TEXT NOT NULL,\n"
	"  round INTEGER NOT NULL,\n"
	"  t_start REAL, t_end REAL, t_sync REAL, sync_point TEXT,\n"
	"  quorum REAL, participants INTEGER, gradients INTEGER,\n"
	"  fresh INTEGER, stale INTEGER, max_staleness INTEGER,\n"
	"  round_ms REAL, mean_staleness REAL, wait_ms REAL, idle_ms REAL"
	", comm_ms REAL, late INTEGER, deferred INTEGER, notified INTEGER"
	", pulled_forward INTEGER, c1 INTEGER, c2 INTEGER, noise INTEGER,"
	" t_quorum REAL, reconfig_ms REAL,\n"
	"  PRIMARY KEY (run, model, round)\n"
	")",
	"CREATE TABLE workers (\n"
	"  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
	"  model TEXT NOT NULL,\n"
	"  worker INTEGER NOT NULL,\n"
	"  slow INTEGER, clock INTEGER, busy_ms REAL, wait_ms REAL,\n"
	"  idle_ms REAL, comm_ms REAL, absent_ms REAL,\n"
	"  PRIMARY KEY (run, model, worker)\n"
	")",
	"CREATE VIEW run_summary AS\n"
	"  SELECT r.id AS run, r.name, r.started, r.status, r.seed, r.wor"
	"kers,\n"
	"    r.rounds, m.model, m.kind, m.time_ms, m.round_mean_ms,\n"
	"    m.round_p95_ms, m.throughput, m.fresh, m.stale,\n"
	"    100.0 * m.stale / MAX(m.gradients, 1) AS stale_pct,\n"
	"    m.staleness_mean, m.quorum_mean\n"
	"  FROM runs r JOIN run_models m ON m.run = r.id",
	"CREATE TABLE accuracy (\n"
	"  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
	"  model TEXT NOT NULL,\n"
	"  round INTEGER NOT NULL, t REAL NOT NULL, accuracy REAL NOT NUL"
	"L,\n"
	"  loss REAL NOT NULL\n"
	")",
	"CREATE INDEX accuracy_run ON accuracy (run)",
	"CREATE TABLE sweeps (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  name TEXT NOT NULL UNIQUE,\n"
	"  spec TEXT NOT NULL,\n"
	"  keys TEXT NOT NULL,\n"
	"  points INTEGER NOT NULL,\n"
	"  seeds INTEGER NOT NULL,\n"
	"  created TEXT NOT NULL\n"
	")",
	"CREATE UNIQUE INDEX runs_uuid ON runs (uuid)",
	"CREATE INDEX runs_sweep ON runs (sweep, point, seed)",
	"CREATE TABLE run_points (\n"
	"  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
	"  key TEXT NOT NULL,\n"
	"  value,\n"
	"  PRIMARY KEY (run, key)\n"
	")",
	"CREATE TABLE event_types (code INTEGER PRIMARY KEY, name TEXT NO"
	"T NULL)",
	"CREATE TABLE sync_points (code INTEGER PRIMARY KEY, name TEXT NO"
	"T NULL)",
	"CREATE TABLE \"event_chunks\" (\n"
	"  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
	"  model TEXT NOT NULL,\n"
	"  seq INTEGER NOT NULL,\n"
	"  n INTEGER NOT NULL,\n"
	"  size INTEGER NOT NULL,\n"
	"  scale INTEGER NOT NULL,\n"
	"  data BLOB NOT NULL,\n"
	"  PRIMARY KEY (run, model, seq)\n"
	")",
	"CREATE VIEW events AS\n"
	"  WITH g AS (\n"
	"    SELECT c.run AS run, c.model AS model, c.seq AS seq,\n"
	"      c.scale AS scale, g.value AS v,\n"
	"      sum(json_array_length(g.value) - 1) OVER w\n"
	"        - json_array_length(g.value) + 1 AS off,\n"
	"      sum(g.value ->> 0) OVER w AS m\n"
	"    FROM event_chunks c,\n"
	"      json_each(CAST(sqlar_uncompress(c.data, c.size) AS TEXT)) "
	"g\n"
	"    WINDOW w AS (PARTITION BY c.run, c.model, c.seq ORDER BY g.k"
	"ey\n"
	"      ROWS UNBOUNDED PRECEDING))\n"
	"  SELECT g.run AS run, g.model AS model, g.seq + g.off + e.key -"
	" 1 AS seq,\n"
	"    g.m * 1.0 / (1 << min(g.scale, 62)) / (1 << max(g.scale - 62"
	", 0))\n"
	"      AS t,\n"
	"    (SELECT name FROM event_types WHERE code = e.value ->> 0) AS"
	" type,\n"
	"    nullif(e.value ->> 1, -1) AS worker,\n"
	"    nullif(ifnull(e.value ->> 3, -1), -1) AS task,\n"
	"    e.value ->> 2 AS round,\n"
	"    (e.value ->> 2) + ifnull(e.value ->> 4, iif(e.value -> 4 IS "
	"NULL, 0,\n"
	"      NULL)) AS clock,\n"
	"    (e.value ->> 2) - ifnull(e.value ->> 5, 0) AS min_clock,\n"
	"    ifnull(e.value ->> 8, 0) AS count,\n"
	"    (SELECT name FROM sync_points WHERE code = e.value ->> 9) AS"
	" point,\n"
	"    ifnull(e.value ->> 10, 0) AS ready,\n"
	"    ifnull(e.value ->> 11, 0) AS needed,\n"
	"    ifnull(e.value ->> 12, 0) AS pass,\n"
	"    ifnull(e.value ->> 13, 0) AS label,\n"
	"    ifnull(e.value ->> 6, 0) AS v_read,\n"
	"    ifnull(e.value ->> 7, 0) AS v_apply\n"
	"  FROM g, json_each(g.v) e\n"
	"  WHERE e.key >= 1",
	"CREATE VIEW updates AS SELECT run, model, t, worker, round, v_re"
	"ad, v_apply, v_apply - v_read AS staleness\n"
	"  FROM events WHERE type = 'apply'",
	"CREATE VIEW clusters AS SELECT run, model, round, worker, CASE l"
	"abel WHEN 0 THEN 'C1' WHEN 1 THEN 'C2' ELSE 'noise' END AS label\n"
	"  FROM events WHERE type = 'cluster'",
	"CREATE VIEW quorum_checks AS SELECT run, model, round, t, point,"
	" ready, needed, pass\n"
	"  FROM events WHERE type = 'quorum'",
	NULL
};

#endif
