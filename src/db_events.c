/*
 * The event log, compact (schema 5): one event_chunks row holds a run of
 * a model's events (its seq, the first event's, and n), as the JSON text
 * of an array of arrays, one per event, zlib-compressed the way the
 * sqlite3 shell's sqlar_compress() does it (compress() output, or the
 * text itself when that is no smaller). The view `events` expands the
 * chunks with json_each() into the columns the table of schemas 1-4 had,
 * and `updates`, `clusters` and `quorum_checks` are views over it.
 *
 * One event: [type, m, s, worker, round, task, clock, min_clock, count,
 * v_read, v_apply, point, ready, needed, pass, label], t = m / 2^s
 * exactly (two integers: JSON integers are read exactly, a decimal
 * double need not be); trailing fields at their default (-1 for worker,
 * task and clock, else 0) are left out. The view needs sqlar_uncompress,
 * which the sqlite3 shell has built in and db_define_functions() gives a
 * fastsync connection (or a test's).
 */
#include <inttypes.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "db.h"
#include "db_events.h"
#include "db_priv.h"
#include "sim.h"
#include "xmalloc.h"

/* An event's fields after its type, in the order they are written. */
enum { F_WORKER, F_ROUND, F_TASK, F_DCLOCK, F_DMIN, F_V_READ, F_V_APPLY,
	F_COUNT, F_POINT, F_READY, F_NEEDED, F_PASS, F_LABEL, F_N };

/* clock - round where the clock is unknown: written as JSON null */
#define NO_CLOCK	INT64_MIN

static void
reserve(struct db_evbuf *b, size_t more)
{
	if (b->len + more <= b->cap)
		return;
	b->cap = (b->len + more) * 2;
	b->text = xreallocarray(b->text, b->cap, 1);
}

static const char digits2[] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

/* v in decimal at p; returns the characters written. */
static size_t
put_int(char *p, int64_t v)
{
	char		 tmp[24], *q = tmp + sizeof tmp;
	size_t		 k = 0, n;
	uint64_t	 u;

	if (v >= 0 && v < 10) {
		p[0] = (char)('0' + v);
		return (1);
	}
	if (v >= 10 && v < 100) {
		memcpy(p, digits2 + 2 * v, 2);
		return (2);
	}
	if (v < 0)
		p[k++] = '-';
	u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	while (u >= 100) {
		q -= 2;
		memcpy(q, digits2 + 2 * (u % 100), 2);
		u /= 100;
	}
	if (u >= 10) {
		q -= 2;
		memcpy(q, digits2 + 2 * u, 2);
	} else
		*--q = (char)('0' + u);
	n = (size_t)(tmp + sizeof tmp - q);
	memcpy(p + k, q, n);
	return (k + n);
}

/*
 * t as "m,s" with t = m / 2^s exactly (m odd unless s is 0), or as a
 * decimal double and 0 where that cannot be (t below 2^-71: never in
 * practice).
 */
static size_t
put_time(char *p, double t)
{
	uint64_t	bits, m;
	int		e, s;
	size_t		k;

	memcpy(&bits, &t, sizeof bits);
	e = (int)(bits >> 52 & 0x7ff);
	m = (bits & ((UINT64_C(1) << 52) - 1)) | UINT64_C(1) << 52;
	s = 1075 - e;
	if (t == 0) {
		memcpy(p, "0,0", 3);
		return (3);
	}
	if (!(t > 0) || e == 0 || e == 0x7ff || s < -9)
		return ((size_t)snprintf(p, 40, "%.17g,0", t));
	if (s <= 0) {
		m <<= -s;
		s = 0;
	}
	while (s > 0 && (m & 1) == 0) {
		m >>= 1;
		s--;
	}
	if (s > 124)
		return ((size_t)snprintf(p, 40, "%.17g,0", t));
	k = put_int(p, (int64_t)m);
	p[k++] = ',';
	return (k + put_int(p + k, s));
}

/*
 * Append one event. Events at one time share a group (of at most
 * DB_GROUP_EVENTS): [offset, m, s, event, ...], offset the first one's
 * index in the chunk. An event is
 * [type, worker, round, task, clock - round, round - min_clock, v_read,
 * v_apply, count, point, ready, needed, pass, label], the fields at
 * their default at the end left out (-1 for task, else 0).
 */
void
db_evbuf_add(struct db_evbuf *b, const struct sim_event *ev)
{
	int64_t	f[F_N];
	int	last = F_ROUND;
	char	*p;

	f[F_WORKER] = ev->worker < 0 ? -1 : ev->worker;
	f[F_ROUND] = ev->round;
	f[F_TASK] = ev->task < 0 ? -1 : ev->task;
	f[F_DCLOCK] = ev->clock < 0 ? NO_CLOCK : (int64_t)ev->clock -
	    ev->round;
	f[F_DMIN] = (int64_t)ev->round - ev->min_clock;
	f[F_V_READ] = (int64_t)ev->v_read;
	f[F_V_APPLY] = (int64_t)ev->v_apply;
	f[F_COUNT] = ev->count;
	f[F_POINT] = ev->point;
	f[F_READY] = ev->ready;
	f[F_NEEDED] = ev->needed;
	f[F_PASS] = ev->pass;
	f[F_LABEL] = ev->label;
	for (int i = F_N - 1; i > F_ROUND; i--)
		if (f[i] != (i == F_TASK ? -1 : 0)) {
			last = i;
			break;
		}
	reserve(b, 24 * (F_N + 8));
	p = b->text + b->len;
	/* a group's text is parsed again for each of its events' rows:
	 * keep groups short */
	if (b->n == 0 || ev->t != b->last_t || b->ingroup >= DB_GROUP_EVENTS) {
		if (b->n > 0)
			*p++ = ']';
		*p++ = b->n == 0 ? '[' : ',';
		*p++ = '[';
		p += put_int(p, b->n);
		*p++ = ',';
		p += put_time(p, ev->t);
		b->last_t = ev->t;
		b->ingroup = 0;
	}
	b->ingroup++;
	*p++ = ',';
	*p++ = '[';
	p += put_int(p, ev->type);
	for (int i = 0; i <= last; i++) {
		*p++ = ',';
		if (i == F_DCLOCK && f[i] == NO_CLOCK) {
			memcpy(p, "null", 4);
			p += 4;
		} else
			p += put_int(p, f[i]);
	}
	*p++ = ']';
	b->len = (size_t)(p - b->text);
	b->n++;
}

/*
 * Close the chunk: its JSON text into b->data (b->size the text's
 * length), compressed the way sqlar_compress does unless compress is 0.
 * Returns 0, or -1 out of memory in zlib.
 */
int
db_evbuf_pack(struct db_evbuf *b, int compress)
{
	uLongf	len;

	reserve(b, 2);
	b->text[b->len++] = ']';
	b->text[b->len++] = ']';
	b->size = b->len;
	if (!compress) {
		if (b->len > b->dcap) {
			b->dcap = b->len;
			b->data = xreallocarray(b->data, b->dcap, 1);
		}
		memcpy(b->data, b->text, b->len);
		b->dlen = b->len;
		return (0);
	}
	len = compressBound((uLong)b->len);
	if (len > b->dcap) {
		b->dcap = len;
		b->data = xreallocarray(b->data, b->dcap, 1);
	}
	if (compress2(b->data, &len, (const Bytef *)b->text, (uLong)b->len,
	    Z_BEST_SPEED) != Z_OK)
		return (-1);
	if (len >= b->len) {
		memcpy(b->data, b->text, b->len);
		len = b->len;
	}
	b->dlen = len;
	return (0);
}

/* The chunk's been written: start the next one at seq. */
void
db_evbuf_reset(struct db_evbuf *b, int64_t seq)
{
	b->len = 0;
	b->n = 0;
	b->seq = seq;
}

void
db_evbuf_free(struct db_evbuf *b)
{
	free(b->text);
	free(b->data);
	memset(b, 0, sizeof *b);
}

/* sqlar_uncompress(X, SZ) as the sqlite3 shell defines it. */
static void
sqlar_uncompress(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const Bytef	*in;
	sqlite3_int64	 sz;
	uLongf		 len;
	int		 n;
	Bytef		*out;

	(void)argc;
	sz = sqlite3_value_int64(argv[1]);
	n = sqlite3_value_bytes(argv[0]);
	if (sz <= 0 || sz == n) {
		sqlite3_result_value(ctx, argv[0]);
		return;
	}
	in = sqlite3_value_blob(argv[0]);
	if (sz > INT32_MAX || (out = sqlite3_malloc64((sqlite3_uint64)sz)) ==
	    NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	len = (uLongf)sz;
	if (uncompress(out, &len, in, (uLong)n) != Z_OK) {
		sqlite3_free(out);
		sqlite3_result_error(ctx, "sqlar_uncompress: not zlib data", -1);
		return;
	}
	sqlite3_result_blob(ctx, out, (int)len, sqlite3_free);
}

int
db_define_functions(sqlite3 *h)
{
	return (sqlite3_create_function(h, "sqlar_uncompress", 2,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sqlar_uncompress, NULL,
	    NULL) == SQLITE_OK ? 0 : -1);
}

/* The tables and views of version 5, the names filled in by C. */
static const char schema_v5[] =
"CREATE TABLE event_chunks (\n"
"  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
"  model TEXT NOT NULL,\n"
"  seq INTEGER NOT NULL,\n"
"  n INTEGER NOT NULL,\n"
"  size INTEGER NOT NULL,\n"
"  data BLOB NOT NULL,\n"
"  PRIMARY KEY (run, model, seq)\n"
");\n"
"CREATE TABLE event_types (code INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
"CREATE TABLE sync_points (code INTEGER PRIMARY KEY, name TEXT NOT NULL);\n";

static const char views_v5[] =
"CREATE VIEW events AS\n"
"  SELECT c.run AS run, c.model AS model,\n"
"    c.seq + (g.value ->> 0) + e.key - 3 AS seq,\n"
"    (g.value ->> 1) * 1.0 / (1 << min(g.value ->> 2, 62))\n"
"      / (1 << max((g.value ->> 2) - 62, 0)) AS t,\n"
"    (SELECT name FROM event_types WHERE code = e.value ->> 0) AS type,\n"
"    nullif(e.value ->> 1, -1) AS worker,\n"
"    nullif(ifnull(e.value ->> 3, -1), -1) AS task,\n"
"    e.value ->> 2 AS round,\n"
"    (e.value ->> 2) + ifnull(e.value ->> 4, iif(e.value -> 4 IS NULL, 0,\n"
"      NULL)) AS clock,\n"
"    (e.value ->> 2) - ifnull(e.value ->> 5, 0) AS min_clock,\n"
"    ifnull(e.value ->> 8, 0) AS count,\n"
"    (SELECT name FROM sync_points WHERE code = e.value ->> 9) AS point,\n"
"    ifnull(e.value ->> 10, 0) AS ready,\n"
"    ifnull(e.value ->> 11, 0) AS needed,\n"
"    ifnull(e.value ->> 12, 0) AS pass,\n"
"    ifnull(e.value ->> 13, 0) AS label,\n"
"    ifnull(e.value ->> 6, 0) AS v_read,\n"
"    ifnull(e.value ->> 7, 0) AS v_apply\n"
"  FROM event_chunks c,\n"
"    json_each(CAST(sqlar_uncompress(c.data, c.size) AS TEXT)) g,\n"
"    json_each(g.value) e\n"
"  WHERE e.key >= 3;\n"
"CREATE VIEW updates AS SELECT " DB_UPDATES_COLS "\n"
"  FROM events WHERE " DB_UPDATES_WHERE ";\n"
"CREATE VIEW clusters AS SELECT " DB_CLUSTERS_COLS "\n"
"  FROM events WHERE " DB_CLUSTERS_WHERE ";\n"
"CREATE VIEW quorum_checks AS SELECT " DB_QUORUM_COLS "\n"
"  FROM events WHERE " DB_QUORUM_WHERE ";\n";

/* The names of the event types and sync points, as the view shows them. */
int
db_events_names(struct db *d, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	int		 rc = SQLITE_DONE;

	for (int k = 0; k < 2 && rc == SQLITE_DONE; k++) {
		int n = k == 0 ? SIM_EV_NTYPES : SP_NPOINTS;

		if (sqlite3_prepare_v2(d->h, k == 0 ? "INSERT OR REPLACE INTO"
		    " event_types VALUES (?1, ?2)" : "INSERT OR REPLACE INTO"
		    " sync_points VALUES (?1, ?2)", -1, &st, NULL) != SQLITE_OK)
			return (db_fail(d, "naming events", err, errlen));
		/* sync point 0 is none: the view's point is NULL there */
		for (int i = k; i < n && rc == SQLITE_DONE; i++) {
			sqlite3_bind_int(st, 1, i);
			sqlite3_bind_text(st, 2, k == 0 ? sim_event_name(
			    (enum sim_event_type)i) : sim_point_name(
			    (enum sim_point)i), -1, SQLITE_STATIC);
			rc = sqlite3_step(st);
			sqlite3_reset(st);
		}
		sqlite3_finalize(st);
	}
	if (rc != SQLITE_DONE)
		return (db_fail(d, "naming events", err, errlen));
	return (0);
}

/* The code of name among n names, or -1. */
static int
code_of(const char *name, int n, int points)
{
	for (int i = 0; name != NULL && i < n; i++)
		if (strcmp(name, points ? sim_point_name((enum sim_point)i) :
		    sim_event_name((enum sim_event_type)i)) == 0)
			return (i);
	return (-1);
}

/*
 * Write packed b as run/model's chunk with st, an INSERT INTO
 * event_chunks of (run, model, seq, n, size, data).
 */
int
db_evbuf_write(struct db_evbuf *b, sqlite3_stmt *st, int64_t run,
    const char *model)
{
	int	rc;

	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, model, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, b->seq);
	sqlite3_bind_int(st, 4, b->n);
	sqlite3_bind_int64(st, 5, (int64_t)b->size);
	sqlite3_bind_blob(st, 6, b->data, (int)b->dlen, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/*
 * Schema 4 to 5: every events row into chunks (a chunk ends at each
 * round or sync event and at the model's last, as the recorder cuts
 * them), then the old tables go (updates, clusters and quorum_checks
 * held copies of events rows) and the views take their names.
 */
int
db_migrate_event_chunks(struct db *d, char *err, size_t errlen)
{
	sqlite3_stmt		*rd = NULL, *wr = NULL;
	struct db_evbuf		 b;
	char			*model = NULL;
	int64_t			 run = -1, next = 0;
	int			 rc = -1, step;

	memset(&b, 0, sizeof b);
	if (db_exec(d, schema_v5, err, errlen) != 0 ||
	    db_events_names(d, err, errlen) != 0)
		return (-1);
	if (sqlite3_prepare_v2(d->h, "SELECT run, model, seq, t, type,"
	    " worker, task, round, clock, min_clock, count, point, ready,"
	    " needed, pass, label, v_read, v_apply FROM events ORDER BY run,"
	    " model, seq", -1, &rd, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(d->h, "INSERT INTO event_chunks VALUES (?1, ?2,"
	    " ?3, ?4, ?5, ?6)", -1, &wr, NULL) != SQLITE_OK) {
		db_fail(d, "converting events", err, errlen);
		goto out;
	}
	while ((step = sqlite3_step(rd)) == SQLITE_ROW) {
		const char	*m = (const char *)sqlite3_column_text(rd, 1);
		struct sim_event ev;
		int64_t		 seq = sqlite3_column_int64(rd, 2);

		if (b.n > 0 && (sqlite3_column_int64(rd, 0) != run ||
		    strcmp(m, model) != 0 || seq != next)) {
			if (db_evbuf_pack(&b, 1) != 0 ||
			    db_evbuf_write(&b, wr, run, model) != 0)
				goto fail;
			db_evbuf_reset(&b, 0);
		}
		if (b.n == 0) {
			run = sqlite3_column_int64(rd, 0);
			free(model);
			model = xstrdup(m);
			db_evbuf_reset(&b, seq);
		}
		memset(&ev, 0, sizeof ev);
		ev.t = sqlite3_column_double(rd, 3);
		ev.type = (enum sim_event_type)code_of((const char *)
		    sqlite3_column_text(rd, 4), SIM_EV_NTYPES, 0);
		ev.worker = sqlite3_column_type(rd, 5) == SQLITE_NULL ? -1 :
		    sqlite3_column_int(rd, 5);
		ev.task = sqlite3_column_type(rd, 6) == SQLITE_NULL ? -1 :
		    sqlite3_column_int(rd, 6);
		ev.round = sqlite3_column_int(rd, 7);
		ev.clock = sqlite3_column_type(rd, 8) == SQLITE_NULL ? -1 :
		    sqlite3_column_int(rd, 8);
		ev.min_clock = sqlite3_column_int(rd, 9);
		ev.count = sqlite3_column_int(rd, 10);
		ev.point = sqlite3_column_type(rd, 11) == SQLITE_NULL ?
		    SP_NONE : code_of((const char *)sqlite3_column_text(rd,
		    11), SP_NPOINTS, 1);
		ev.ready = sqlite3_column_int(rd, 12);
		ev.needed = sqlite3_column_int(rd, 13);
		ev.pass = sqlite3_column_int(rd, 14);
		ev.label = sqlite3_column_int(rd, 15);
		ev.v_read = (uint64_t)sqlite3_column_int64(rd, 16);
		ev.v_apply = (uint64_t)sqlite3_column_int64(rd, 17);
		if ((int)ev.type < 0 || ev.point < 0) {
			snprintf(err, errlen, "%s: converting events: run %"
			    PRId64 " model %s seq %" PRId64 ": unknown event"
			    " type or sync point", d->path, run, model, seq);
			goto out;
		}
		db_evbuf_add(&b, &ev);
		next = seq + 1;
		if (ev.type == SIM_EV_ROUND || ev.type == SIM_EV_SYNC ||
		    b.n >= DB_CHUNK_EVENTS) {
			if (db_evbuf_pack(&b, 1) != 0 ||
			    db_evbuf_write(&b, wr, run, model) != 0)
				goto fail;
			db_evbuf_reset(&b, next);
		}
	}
	if (step != SQLITE_DONE || (b.n > 0 && (db_evbuf_pack(&b, 1) != 0 ||
	    db_evbuf_write(&b, wr, run, model) != 0)))
		goto fail;
	sqlite3_finalize(rd);
	rd = NULL;
	if (db_exec(d, "DROP TABLE events; DROP TABLE updates;"
	    " DROP TABLE clusters; DROP TABLE quorum_checks;", err,
	    errlen) != 0 || db_exec(d, views_v5, err, errlen) != 0)
		goto out;
	rc = 0;
	goto out;
fail:
	db_fail(d, "converting events", err, errlen);
out:
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	free(model);
	db_evbuf_free(&b);
	return (rc);
}
