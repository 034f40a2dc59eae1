/*
 * The event log, compact (schema 7): one event_chunks row holds a run of
 * a model's events (its seq, the first event's, and n), as the JSON text
 * of an array of groups, one per time, zlib-compressed (with libdeflate)
 * the way the sqlite3 shell's sqlar_compress() does it (a zlib stream,
 * or the text itself when that is no smaller). The view `events` expands
 * the chunks with json_each() into the columns the table of schemas 1-4
 * had, and `updates`, `clusters` and `quorum_checks` are views over it.
 *
 * A group is [d, event, ...]: every time of a chunk is an integer M over
 * 2^scale (the chunk's column), and d is M less the group before's (the
 * view sums them, exactly: integers). An event is [type, worker, round,
 * task, clock - round, round - min_clock, v_read, v_apply, count, point,
 * ready, needed, pass, label], the fields at their default at the end
 * left out. The view needs sqlar_uncompress, which the sqlite3 shell has
 * built in and db_define_functions() gives a fastsync connection (or a
 * test's).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>
#include <zlib.h>

#include "db.h"
#include "db_events.h"
#include "db_priv.h"
#include "sim.h"
#include "xmalloc.h"

/* An event's fields after its type, in the order they are written. */
enum { F_WORKER, F_ROUND, F_TASK, F_DCLOCK, F_DMIN, F_V_READ, F_V_APPLY,
	F_COUNT, F_POINT, F_READY, F_NEEDED, F_PASS, F_LABEL, F_N };

/* Bytes past the end of the text and of the packed text, for a copy 16
 * bytes at a time. */
#define COPY_SLACK	16

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

/* The decimal digits of u. */
static inline size_t
decimal_digits(uint64_t u)
{
	static const uint64_t	pow10[20] = { 1, 10, 100, 1000, 10000,
	    100000, 1000000, 10000000, 100000000, 1000000000, 10000000000u,
	    100000000000u, 1000000000000u, 10000000000000u,
	    100000000000000u, 1000000000000000u, 10000000000000000u,
	    100000000000000000u, 1000000000000000000u,
	    10000000000000000000u };
	/* floor(log10(2^bits)) + 1 digits, or one fewer below its power */
	size_t	n = (size_t)((64 - __builtin_clzll(u | 1)) * 1233) >> 12;

	return (n + (n < 20 && u >= pow10[n]));
}

/* v in decimal at p; returns the characters written. */
static inline size_t
put_int(char *p, int64_t v)
{
	size_t		 k = 0, n;
	uint64_t	 u;
	char		*q;

	if ((uint64_t)v < 10) {
		p[0] = (char)('0' + v);
		return (1);
	}
	if ((uint64_t)v < 100) {
		memcpy(p, digits2 + 2 * v, 2);
		return (2);
	}
	if (v == -1) {
		memcpy(p, "-1", 2);
		return (2);
	}
	if (v < 0) {
		p[k++] = '-';
		u = (uint64_t)0 - (uint64_t)v;
	} else
		u = (uint64_t)v;
	n = decimal_digits(u);
	q = p + k + n;
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
	return (k + n);
}

/*
 * The decimal text of -1 to 999, the fields an event mostly has: three
 * characters (the unused ones zero) and the length in the fourth byte,
 * so that one 4-byte store writes any of them (the length byte is then
 * overwritten by what follows, or left past the text's end).
 */
struct small_int {
	char	c[3];
	char	len;
};
static struct small_int	small_ints[1001];
static pthread_once_t	small_once = PTHREAD_ONCE_INIT;

static void
small_ints_init(void)
{
	for (int v = -1; v <= 999; v++) {
		struct small_int *e = &small_ints[v + 1];
		char		 buf[8];
		int		 n = snprintf(buf, sizeof buf, "%d", v);

		memset(e, 0, sizeof *e);
		memcpy(e->c, buf, (size_t)n);
		e->len = (char)n;
	}
}

/* put_int for an event's field: a table lookup from -1 to 999. */
static inline size_t
put_field(char *p, int64_t v)
{
	if ((uint64_t)(v + 1) <= 1000) {
		const struct small_int *e = &small_ints[v + 1];

		memcpy(p, e, 4);
		return ((size_t)e->len);
	}
	return (put_int(p, v));
}

/*
 * t = m / 2^s exactly, m odd (or t and m 0): 0, or -1 where no scale of
 * at most DB_MAX_SCALE can hold it (t negative, not finite, subnormal or
 * below 2^-71: never in practice), and the chunk's text gives t as a
 * decimal.
 */
static int
split_time(double t, uint64_t *mp, int *sp)
{
	uint64_t	bits, m;
	int		e, s;

	*mp = 0;
	*sp = 0;
	if (t == 0)
		return (0);
	memcpy(&bits, &t, sizeof bits);
	e = (int)(bits >> 52 & 0x7ff);
	m = (bits & ((UINT64_C(1) << 52) - 1)) | UINT64_C(1) << 52;
	s = 1075 - e;
	if (!(t > 0) || e == 0 || e == 0x7ff || s < -9)
		return (-1);
	if (s <= 0) {
		m <<= -s;
		s = 0;
	}
	while (s > 0 && (m & 1) == 0) {
		m >>= 1;
		s--;
	}
	if (s > DB_MAX_SCALE)
		return (-1);
	*mp = m;
	*sp = s;
	return (0);
}

/* The bits of m > 0. */
static int
bit_length(uint64_t m)
{
	return (64 - __builtin_clzll(m));
}

/* No group's time yet sets the chunk's top. */
#define NO_TOP	(-4096)

/*
 * Append one event: 0, or -1 with nothing added when its time cannot
 * join the chunk. Every time of a chunk is an integer m / 2^scale, the
 * one scale, its m below 2^63: a time that would need more (a chunk from
 * a nanosecond to a second), or one that can only be a decimal, starts a
 * chunk of its own (pack this one, reset, add again: an empty chunk
 * takes any time). Events at one time share a group (of at most
 * DB_GROUP_EVENTS), its events' text kept here and its time aside: the
 * chunk's scale is known at its end. An event is
 * [type, worker, round, task, clock - round, round - min_clock, v_read,
 * v_apply, count, point, ready, needed, pass, label], the fields at
 * their default at the end left out (-1 for task, else 0).
 */
int
db_evbuf_add(struct db_evbuf *b, const struct sim_event *ev)
{
	int64_t		f[F_N];
	unsigned	set;
	int		last;
	char		*p;

	if (b->n == 0)
		(void)pthread_once(&small_once, small_ints_init);
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
	/* the last field not at its default: a bit per field, no branch */
	set = 0;
	for (int i = F_TASK; i < F_N; i++)
		set |= (unsigned)(f[i] != (i == F_TASK ? -1 : 0)) << i;
	last = set != 0 ? 31 - __builtin_clz(set) : F_ROUND;
	/* a group's text is parsed again for each of its events' rows:
	 * keep groups short */
	if (b->n == 0 || ev->t != b->last_t || b->ingroup >= DB_GROUP_EVENTS) {
		struct db_evgroup *g;
		uint64_t	 m;
		int		 s, top, dec = split_time(ev->t, &m, &s) != 0;

		if (b->n > 0) {
			top = m != 0 && bit_length(m) - s > b->top ?
			    bit_length(m) - s : b->top;
			if (dec || b->decimal ||
			    top + (s > b->scale ? s : b->scale) > 63)
				return (-1);
		}
		if (b->ng == b->gcap) {
			b->gcap = b->gcap ? b->gcap * 2 : 1024;
			b->g = xreallocarray(b->g, (size_t)b->gcap,
			    sizeof *b->g);
		}
		if (b->n == 0) {
			b->scale = 0;
			b->top = NO_TOP;
			b->decimal = dec;
		}
		g = &b->g[b->ng++];
		g->m = m;
		g->s = s;
		if (g->s > b->scale)
			b->scale = g->s;
		if (g->m != 0 && bit_length(g->m) - g->s > b->top)
			b->top = bit_length(g->m) - g->s;
		b->last_t = ev->t;
		b->ingroup = 0;
	}
	b->ingroup++;
	reserve(b, 24 * (F_N + 2) + COPY_SLACK);
	p = b->text + b->len;
	*p++ = ',';
	*p++ = '[';
	p += put_field(p, ev->type);
	for (int i = 0; i <= last; i++) {
		*p++ = ',';
		if (i == F_DCLOCK && f[i] == NO_CLOCK) {
			memcpy(p, "null", 4);
			p += 4;
		} else
			p += put_field(p, f[i]);
	}
	*p++ = ']';
	b->len = (size_t)(p - b->text);
	b->g[b->ng - 1].end = b->len;
	b->n++;
	return (0);
}

/*
 * Close the chunk: its JSON text into b->out (b->size its length) and
 * b->data, compressed the way sqlar_compress does unless compress is 0.
 * The text is an array of groups [d, event, ...], the group's time m /
 * 2^scale with m the sum of the d's so far (integers: the view sums them
 * exactly); a decimal chunk's one group has its time as d and scale 0.
 * Returns 0, or -1 out of memory in zlib.
 */
int
db_evbuf_pack(struct db_evbuf *b, int compress)
{
	uint64_t	prev = 0;
	size_t		start = 0, need;
	size_t		len;
	char		*p;

	if (b->decimal)
		b->scale = 0;
	need = b->len + (size_t)b->ng * 28 + 8 + COPY_SLACK;
	if (need > b->ocap) {
		b->ocap = need;
		b->out = xreallocarray(b->out, b->ocap, 1);
	}
	p = b->out;
	*p++ = '[';
	for (int i = 0; i < b->ng; i++) {
		const struct db_evgroup *g = &b->g[i];
		uint64_t	m = g->m != 0 ? g->m << (b->scale - g->s) : 0;

		if (i > 0)
			*p++ = ',';
		*p++ = '[';
		if (b->decimal && isfinite(b->last_t))
			p += snprintf(p, 26, "%.17g", b->last_t);
		else if (b->decimal) {
			memcpy(p, "null", 4);
			p += 4;
		} else
			p += put_int(p, (int64_t)m - (int64_t)prev);
		prev = m;
		/* 16 bytes at a time, past the end into the slack (a call
		 * to memcpy per group cost more than the copy) */
		for (size_t k = start; k < g->end; k += 16)
			memcpy(p + (k - start), b->text + k, 16);
		p += g->end - start;
		start = g->end;
		*p++ = ']';
	}
	*p++ = ']';
	b->olen = (size_t)(p - b->out);
	b->size = b->olen;
	if (!compress) {
		if (b->olen > b->dcap) {
			b->dcap = b->olen;
			b->data = xreallocarray(b->data, b->dcap, 1);
		}
		memcpy(b->data, b->out, b->olen);
		b->dlen = b->olen;
		return (0);
	}
	if (b->zc == NULL && (b->zc = libdeflate_alloc_compressor(
	    DB_DEFLATE_LEVEL)) == NULL)
		return (-1);
	len = libdeflate_zlib_compress_bound(b->zc, b->olen);
	if (len > b->dcap) {
		b->dcap = len;
		b->data = xreallocarray(b->data, b->dcap, 1);
	}
	len = libdeflate_zlib_compress(b->zc, b->out, b->olen, b->data, len);
	if (len == 0 || len >= b->olen) {
		memcpy(b->data, b->out, b->olen);
		len = b->olen;
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
	b->ng = 0;
	b->ingroup = 0;
	b->seq = seq;
}

void
db_evbuf_free(struct db_evbuf *b)
{
	free(b->text);
	free(b->g);
	free(b->out);
	if (b->zc != NULL)
		libdeflate_free_compressor(b->zc);
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
	    NULL) == SQLITE_OK && db_evscan_register(h) == SQLITE_OK ? 0 :
	    -1);
}

/* The event log's table (version 7), named. */
#define CHUNKS_TABLE(name)						\
"CREATE TABLE " name " (\n"						\
"  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"	\
"  model TEXT NOT NULL,\n"						\
"  seq INTEGER NOT NULL,\n"						\
"  n INTEGER NOT NULL,\n"						\
"  size INTEGER NOT NULL,\n"						\
"  scale INTEGER NOT NULL,\n"						\
"  data BLOB NOT NULL,\n"						\
"  PRIMARY KEY (run, model, seq)\n"					\
");\n"

/* Version 6's tables (its chunks had no scale), the names filled in by C. */
static const char schema_v6[] =
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

/*
 * Version 7's views. A group's first event's seq is the chunk's plus the
 * events of the groups before it, and its time's m the sum of their d's:
 * one window over the chunk's groups (a query for a run and model
 * expands only their chunks: the window is partitioned by them).
 */
static const char views_v7[] =
"CREATE VIEW events AS\n"
"  WITH g AS (\n"
"    SELECT c.run AS run, c.model AS model, c.seq AS seq,\n"
"      c.scale AS scale, g.value AS v,\n"
"      sum(json_array_length(g.value) - 1) OVER w\n"
"        - json_array_length(g.value) + 1 AS off,\n"
"      sum(g.value ->> 0) OVER w AS m\n"
"    FROM event_chunks c,\n"
"      json_each(CAST(sqlar_uncompress(c.data, c.size) AS TEXT)) g\n"
"    WINDOW w AS (PARTITION BY c.run, c.model, c.seq ORDER BY g.key\n"
"      ROWS UNBOUNDED PRECEDING))\n"
"  SELECT g.run AS run, g.model AS model, g.seq + g.off + e.key - 1 AS seq,\n"
"    g.m * 1.0 / (1 << min(g.scale, 62)) / (1 << max(g.scale - 62, 0))\n"
"      AS t,\n"
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
"  FROM g, json_each(g.v) e\n"
"  WHERE e.key >= 1;\n"
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
 * event_chunks of (run, model, seq, n, size, scale, data).
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
	sqlite3_bind_int(st, 6, b->scale);
	sqlite3_bind_blob(st, 7, b->data, (int)b->dlen, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/*
 * Schema 5 to 6: version 6's chunk tables; the events rows (one per
 * event) wait aside, as events_v5, for version 7 to put them in chunks,
 * and the tables that held copies of them (updates, clusters and
 * quorum_checks) go. Migrations run in one transaction: no file is ever
 * left between the two.
 */
int
db_migrate_v6(struct db *d, char *err, size_t errlen)
{
	if (db_exec(d, "ALTER TABLE events RENAME TO events_v5;"
	    " DROP TABLE updates; DROP TABLE clusters;"
	    " DROP TABLE quorum_checks;", err, errlen) != 0 ||
	    db_exec(d, schema_v6, err, errlen) != 0)
		return (-1);
	return (db_events_names(d, err, errlen));
}

/* A conversion's chunk being filled, for db_migrate_v7. */
struct conv {
	struct db_evbuf	 b;
	sqlite3_stmt	*wr;
	int64_t		 run, next;
	char		*model;
};

/* Pack the chunk and write it; 0 or -1. */
static int
conv_flush(struct conv *c)
{
	if (c->b.n == 0)
		return (0);
	if (db_evbuf_pack(&c->b, 1) != 0 ||
	    db_evbuf_write(&c->b, c->wr, c->run, c->model) != 0)
		return (-1);
	db_evbuf_reset(&c->b, c->next);
	return (0);
}

/*
 * One event, seq of run's model, into the chunks: cut as the recorder
 * cuts them (at each round or sync event, at 65,536 events, where a time
 * cannot share the chunk's scale) and where the events stop following.
 */
static int
conv_put(struct conv *c, int64_t run, const char *model, int64_t seq,
    const struct sim_event *ev)
{
	if (c->b.n > 0 && (run != c->run || strcmp(model, c->model) != 0 ||
	    seq != c->next) && conv_flush(c) != 0)
		return (-1);
	if (c->b.n == 0) {
		c->run = run;
		if (c->model == NULL || strcmp(model, c->model) != 0) {
			free(c->model);
			c->model = xstrdup(model);
		}
		db_evbuf_reset(&c->b, seq);
	}
	/* a time the chunk cannot take: it ends (c->next is seq) */
	if (db_evbuf_add(&c->b, ev) != 0 && (conv_flush(c) != 0 ||
	    db_evbuf_add(&c->b, ev) != 0))
		return (-1);
	c->next = seq + 1;
	if (ev->type == SIM_EV_ROUND || ev->type == SIM_EV_SYNC ||
	    c->b.n >= DB_CHUNK_EVENTS)
		return (conv_flush(c));
	return (0);
}

/* Version 5's events rows (kept aside as events_v5) into c. */
static int
conv_rows(struct db *d, struct conv *c, char *err, size_t errlen)
{
	sqlite3_stmt	*rd;
	int		 step, rc = -1;

	if (sqlite3_prepare_v2(d->h, "SELECT run, model, seq, t, type,"
	    " worker, task, round, clock, min_clock, count, point, ready,"
	    " needed, pass, label, v_read, v_apply FROM events_v5 ORDER BY"
	    " run, model, seq", -1, &rd, NULL) != SQLITE_OK)
		return (db_fail(d, "converting events", err, errlen));
	while ((step = sqlite3_step(rd)) == SQLITE_ROW) {
		const char	*m = (const char *)sqlite3_column_text(rd, 1);
		int64_t		 run = sqlite3_column_int64(rd, 0);
		int64_t		 seq = sqlite3_column_int64(rd, 2);
		struct sim_event ev;

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
			    " type or sync point", d->path, run, m, seq);
			rc = -2;
			goto out;
		}
		if (conv_put(c, run, m, seq, &ev) != 0) {
			db_fail(d, "converting events", err, errlen);
			goto out;
		}
	}
	if (step != SQLITE_DONE)
		db_fail(d, "converting events", err, errlen);
	else
		rc = 0;
out:
	sqlite3_finalize(rd);
	return (rc);
}

/* A version 6 chunk's text being read. */
struct v6_text {
	const char	*p, *end;
};

static int
v6_char(struct v6_text *x, char ch)
{
	if (x->p < x->end && *x->p == ch) {
		x->p++;
		return (0);
	}
	return (-1);
}

/*
 * The number at x: an integer into *i (and *isint 1), or a decimal into
 * *d; "null" sets *isnull. 0, or -1 where there is none.
 */
static int
v6_number(struct v6_text *x, int64_t *i, double *d, int *isint,
    int *isnull)
{
	char		 tok[40], *e;
	size_t		 n = 0;
	int		 dec = 0;

	*isnull = 0;
	if (x->end - x->p >= 4 && memcmp(x->p, "null", 4) == 0) {
		x->p += 4;
		*isnull = 1;
		*i = 0;
		*d = 0;
		return (0);
	}
	while (x->p + n < x->end && n < sizeof tok - 1 &&
	    strchr("-+0123456789.eE", x->p[n]) != NULL && x->p[n] != '\0') {
		dec |= x->p[n] == '.' || x->p[n] == 'e' || x->p[n] == 'E';
		tok[n] = x->p[n];
		n++;
	}
	if (n == 0)
		return (-1);
	tok[n] = '\0';
	errno = 0;
	if (dec) {
		*d = strtod(tok, &e);
		*isint = 0;
	} else {
		*i = strtoll(tok, &e, 10);
		*d = (double)*i;
		*isint = 1;
	}
	if (*e != '\0' || errno != 0)
		return (-1);
	x->p += n;
	return (0);
}

/*
 * A version 6 chunk (its text: groups [offset, m, s, event...], t =
 * m / 2^s, events as now) into c; types and points map the file's codes
 * to this program's. 0, or -1 if the text is not one.
 */
static int
conv_v6_text(struct conv *c, int64_t run, const char *model, int64_t seq0,
    const char *text, size_t len, const int *types, const int *points)
{
	struct v6_text	 x = { text, text + len };
	int64_t		 off;
	double		 dv, t;
	int		 isint, isnull;

	if (v6_char(&x, '[') != 0)
		return (-1);
	if (v6_char(&x, ']') == 0)
		return (x.p == x.end ? 0 : -1);
	do {
		int64_t	m, s;
		int	mint, k = 0;

		if (v6_char(&x, '[') != 0 ||
		    v6_number(&x, &off, &dv, &isint, &isnull) != 0 || !isint ||
		    v6_char(&x, ',') != 0 ||
		    v6_number(&x, &m, &dv, &mint, &isnull) != 0 || isnull ||
		    v6_char(&x, ',') != 0 ||
		    v6_number(&x, &s, &dv, &isint, &isnull) != 0 || !isint ||
		    s < 0 || s > DB_MAX_SCALE)
			return (-1);
		t = mint ? ldexp((double)m, -(int)s) : dv;
		while (v6_char(&x, ',') == 0) {
			int64_t		 f[14];
			int		 nf = 0, nullclock = 0;
			struct sim_event ev;

			if (v6_char(&x, '[') != 0)
				return (-1);
			do {
				if (nf == 14 || v6_number(&x, &f[nf], &dv,
				    &isint, &isnull) != 0 || (!isint &&
				    !isnull) || (isnull && nf != 4))
					return (-1);
				nullclock |= isnull;
				nf++;
			} while (v6_char(&x, ',') == 0);
			if (v6_char(&x, ']') != 0 || nf < 3 || f[0] < 0 ||
			    f[0] >= 64 || types[f[0]] < 0 || (nf > 9 &&
			    (f[9] < 0 || f[9] >= 64 || points[f[9]] < 0)))
				return (-1);
			memset(&ev, 0, sizeof ev);
			ev.t = t;
			ev.type = (enum sim_event_type)types[f[0]];
			ev.worker = (int)f[1];
			ev.round = (int)f[2];
			ev.task = nf > 3 ? (int)f[3] : -1;
			ev.clock = nullclock ? -1 : (int)(f[2] + (nf > 4 ?
			    f[4] : 0));
			ev.min_clock = (int)(f[2] - (nf > 5 ? f[5] : 0));
			ev.v_read = nf > 6 ? (uint64_t)f[6] : 0;
			ev.v_apply = nf > 7 ? (uint64_t)f[7] : 0;
			ev.count = nf > 8 ? (int)f[8] : 0;
			ev.point = nf > 9 ? (enum sim_point)points[f[9]] :
			    SP_NONE;
			ev.ready = nf > 10 ? (int)f[10] : 0;
			ev.needed = nf > 11 ? (int)f[11] : 0;
			ev.pass = nf > 12 ? (int)f[12] : 0;
			ev.label = nf > 13 ? (int)f[13] : 0;
			if (conv_put(c, run, model, seq0 + off + k++, &ev) != 0)
				return (-2);
		}
		if (v6_char(&x, ']') != 0)
			return (-1);
	} while (v6_char(&x, ',') == 0);
	if (v6_char(&x, ']') != 0 || x.p != x.end)
		return (-1);
	return (0);
}

/* The file's codes of event types (or sync points) to this program's. */
static int
file_codes(struct db *d, int points, int *map, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	int		 step;

	/* a point the file does not name is none, as its view said */
	for (int i = 0; i < 64; i++)
		map[i] = points ? (int)SP_NONE : -1;
	if (sqlite3_prepare_v2(d->h, points ? "SELECT code, name FROM"
	    " sync_points" : "SELECT code, name FROM event_types", -1, &st,
	    NULL) != SQLITE_OK)
		return (db_fail(d, "converting events", err, errlen));
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int code = sqlite3_column_int(st, 0);

		if (code >= 0 && code < 64)
			map[code] = code_of((const char *)
			    sqlite3_column_text(st, 1), points ? SP_NPOINTS :
			    SIM_EV_NTYPES, points);
	}
	sqlite3_finalize(st);
	return (step == SQLITE_DONE ? 0 : db_fail(d, "converting events",
	    err, errlen));
}

/* Version 6's chunks, read in C (the view takes minutes a big run). */
static int
conv_chunks(struct db *d, struct conv *c, char *err, size_t errlen)
{
	sqlite3_stmt	*rd;
	int		 types[64], points[64], step, rc = -1;
	unsigned char	*buf = NULL;
	size_t		 cap = 0;

	if (file_codes(d, 0, types, err, errlen) != 0 ||
	    file_codes(d, 1, points, err, errlen) != 0)
		return (-1);
	if (sqlite3_prepare_v2(d->h, "SELECT run, model, seq, size, data FROM"
	    " event_chunks ORDER BY run, model, seq", -1, &rd, NULL) !=
	    SQLITE_OK)
		return (db_fail(d, "converting events", err, errlen));
	while ((step = sqlite3_step(rd)) == SQLITE_ROW) {
		int64_t		 run = sqlite3_column_int64(rd, 0);
		const char	*m = (const char *)sqlite3_column_text(rd, 1);
		int64_t		 seq = sqlite3_column_int64(rd, 2);
		int64_t		 size = sqlite3_column_int64(rd, 3);
		const void	*data = sqlite3_column_blob(rd, 4);
		size_t		 n = (size_t)sqlite3_column_bytes(rd, 4);
		const char	*text = data;
		uLongf		 len;
		int		 r;

		if (size < 0 || size > INT32_MAX)
			goto damaged;
		if ((size_t)size != n) {
			if ((size_t)size > cap) {
				cap = (size_t)size;
				buf = xreallocarray(buf, cap, 1);
			}
			len = (uLongf)size;
			if (uncompress(buf, &len, data, (uLong)n) != Z_OK ||
			    len != (uLongf)size)
				goto damaged;
			text = (const char *)buf;
			n = (size_t)size;
		}
		r = conv_v6_text(c, run, m, seq, text, n, types, points);
		if (r == -2) {
			db_fail(d, "converting events", err, errlen);
			goto out;
		}
		if (r != 0) {
damaged:
			snprintf(err, errlen, "%s: converting events: run %"
			    PRId64 " model %s seq %" PRId64 ": not a version 6"
			    " chunk", d->path, run, m, seq);
			rc = -2;
			goto out;
		}
	}
	if (step != SQLITE_DONE)
		db_fail(d, "converting events", err, errlen);
	else
		rc = 0;
out:
	free(buf);
	sqlite3_finalize(rd);
	return (rc);
}

/*
 * Schema 6 to 7: every event (version 6's chunks, decoded here, or
 * version 5's rows kept aside) into version 7's chunks, then the old
 * tables go and the views are version 7's.
 */
int
db_migrate_v7(struct db *d, char *err, size_t errlen)
{
	struct conv	 c;
	sqlite3_stmt	*st;
	int		 rc = -1, v5;

	memset(&c, 0, sizeof c);
	if (sqlite3_prepare_v2(d->h, "SELECT 1 FROM sqlite_master WHERE"
	    " type = 'table' AND name = 'events_v5'", -1, &st, NULL) !=
	    SQLITE_OK)
		return (db_fail(d, "converting events", err, errlen));
	v5 = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (db_exec(d, CHUNKS_TABLE("event_chunks_v7"), err, errlen) != 0)
		return (-1);
	if (sqlite3_prepare_v2(d->h, "INSERT INTO event_chunks_v7 (run, model,"
	    " seq, n, size, scale, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	    -1, &c.wr, NULL) != SQLITE_OK) {
		db_fail(d, "converting events", err, errlen);
		goto out;
	}
	if ((rc = v5 ? conv_rows(d, &c, err, errlen) : conv_chunks(d, &c, err,
	    errlen)) != 0)
		goto out;
	rc = -1;
	if (conv_flush(&c) != 0) {
		db_fail(d, "converting events", err, errlen);
		goto out;
	}
	if (db_exec(d, "DROP VIEW IF EXISTS updates;"
	    " DROP VIEW IF EXISTS clusters; DROP VIEW IF EXISTS quorum_checks;"
	    " DROP VIEW IF EXISTS events; DROP TABLE IF EXISTS events_v5;"
	    " DROP TABLE event_chunks;"
	    " ALTER TABLE event_chunks_v7 RENAME TO event_chunks;", err,
	    errlen) != 0 || db_exec(d, views_v7, err, errlen) != 0)
		goto out;
	rc = 0;
out:
	sqlite3_finalize(c.wr);
	free(c.model);
	db_evbuf_free(&c.b);
	return (rc);
}
