/*
 * fs_events: the events view's rows, read by C. A virtual table on
 * fastsync's own connections (db_define_functions) that decodes each
 * event chunk itself, where the view expands it through json_each and a
 * window: the same columns and the same values, row for row (tests
 * compare the two on every kind of chunk), some tens of times faster.
 * The export of events, updates, clusters and quorum reads it; the
 * sqlite3 shell has the view.
 *
 *   SELECT * FROM fs_events WHERE run = ?1 [AND model = ?2]
 *     ORDER BY position, seq
 *
 * Its columns are the view's, then a hidden one: position (the model's,
 * from run_models). It scans a run's models in position order and each
 * model's chunks in seq order, so that ORDER BY costs nothing. A chunk
 * that is not what the recorder writes stops the scan with
 * SQLITE_CORRUPT and names it.
 */
#include <libdeflate.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_events.h"
#include "xmalloc.h"

enum {
	C_RUN, C_MODEL, C_SEQ, C_T, C_TYPE, C_WORKER, C_TASK, C_ROUND,
	C_CLOCK, C_MIN_CLOCK, C_COUNT, C_POINT, C_READY, C_NEEDED, C_PASS,
	C_LABEL, C_V_READ, C_V_APPLY, C_POSITION
};

static const char schema[] =
    "CREATE TABLE x (run INTEGER, model TEXT, seq INTEGER, t REAL,"
    " type TEXT, worker INTEGER, task INTEGER, round INTEGER,"
    " clock INTEGER, min_clock INTEGER, count INTEGER, point TEXT,"
    " ready INTEGER, needed INTEGER, pass INTEGER, label INTEGER,"
    " v_read INTEGER, v_apply INTEGER, position INTEGER HIDDEN)";

/* An event's fields as the chunk has them: the view's e.value ->> k. */
#define EV_FIELDS	14
enum field { ABSENT, JNULL, INT };

/* A code's name (event_types, sync_points), read once per scan. */
struct names {
	char	**name;
	int	  n;
};

struct vtab {
	sqlite3_vtab	 base;
	sqlite3		*h;
};

struct cursor {
	sqlite3_vtab_cursor base;
	sqlite3		*h;
	sqlite3_stmt	*models;	/* (run, model, position), in order */
	sqlite3_stmt	*chunks;	/* one model's, in seq order */
	sqlite3_stmt	*decimal;	/* a decimal time, read as SQL does */
	struct libdeflate_decompressor *zd;
	struct names	 types, points;
	int		 eof;
	/* the model being read */
	int64_t		 run, position;
	int		 has_position;
	char		*model;
	/* the chunk being read: its text, and where the parse is */
	char		*text;
	size_t		 len, cap;
	const char	*p, *end;
	int64_t		 chunk, seq;	/* its first seq; the next event's */
	int64_t		 scale;
	int		 open;		/* its groups' ']' not yet read */
	int		 ingroup;	/* inside a group, past its d */
	/* the group's time: sum of d's so far (SQL's sum, NULLs skipped) */
	int64_t		 m;
	double		 dm;
	int		 mkind;		/* 0 no value yet, 1 integer, 2 real */
	int		 groups;	/* the chunk's groups before this one */
	/* the event */
	int64_t		 evseq;
	double		 t;
	int		 t_null;
	enum field	 kind[EV_FIELDS];
	int64_t		 v[EV_FIELDS];
};

static int
scan_connect(sqlite3 *h, void *aux, int argc, const char *const *argv,
    sqlite3_vtab **out, char **err)
{
	struct vtab	*vt;
	int		 rc;

	(void)aux;
	(void)argc;
	(void)argv;
	(void)err;
	if ((rc = sqlite3_declare_vtab(h, schema)) != SQLITE_OK)
		return (rc);
	if ((vt = sqlite3_malloc(sizeof *vt)) == NULL)
		return (SQLITE_NOMEM);
	memset(vt, 0, sizeof *vt);
	vt->h = h;
	*out = &vt->base;
	return (SQLITE_OK);
}

static int
scan_disconnect(sqlite3_vtab *vt)
{
	sqlite3_free(vt);
	return (SQLITE_OK);
}

/*
 * idxNum bit 1: run = ?, bit 2: model = ?, in that order of argv. The
 * scan's order is (run, position, seq), position unique in a run: an
 * ORDER BY of those, ascending, the fixed ones (run; model and position)
 * anywhere, needs no sort.
 */
static int
scan_best_index(sqlite3_vtab *vt, sqlite3_index_info *ix)
{
	static const int keys[] = { C_RUN, C_POSITION, C_SEQ };
	int	run = -1, model = -1, n = 0, k = 0;

	(void)vt;
	for (int i = 0; i < ix->nConstraint; i++) {
		const struct sqlite3_index_constraint *c = &ix->aConstraint[i];

		if (!c->usable || c->op != SQLITE_INDEX_CONSTRAINT_EQ)
			continue;
		if (c->iColumn == C_RUN && run < 0)
			run = i;
		else if (c->iColumn == C_MODEL && model < 0)
			model = i;
	}
	ix->idxNum = 0;
	if (run >= 0) {
		ix->aConstraintUsage[run].argvIndex = ++n;
		ix->aConstraintUsage[run].omit = 1;
		ix->idxNum |= 1;
	}
	if (model >= 0) {
		ix->aConstraintUsage[model].argvIndex = ++n;
		ix->aConstraintUsage[model].omit = 1;
		ix->idxNum |= 2;
	}
	ix->orderByConsumed = 1;
	for (int i = 0; i < ix->nOrderBy && k < 3; i++) {
		int col = ix->aOrderBy[i].iColumn;

		if (ix->aOrderBy[i].desc) {
			ix->orderByConsumed = 0;
			break;
		}
		if ((col == C_RUN && run >= 0) || ((col == C_MODEL ||
		    col == C_POSITION) && model >= 0))
			continue;
		/* the next key the constraints leave free */
		while (k < 3 && ((keys[k] == C_RUN && run >= 0) ||
		    (keys[k] == C_POSITION && model >= 0)))
			k++;
		if (k == 3 || keys[k] != col) {
			ix->orderByConsumed = 0;
			break;
		}
		k++;	/* past seq, every event is in order */
	}
	ix->estimatedCost = run >= 0 ? (model >= 0 ? 1e5 : 1e6) : 1e9;
	ix->estimatedRows = run >= 0 ? (model >= 0 ? 100000 : 1000000) :
	    100000000;
	return (SQLITE_OK);
}

static void
names_free(struct names *nm)
{
	for (int i = 0; i < nm->n; i++)
		free(nm->name[i]);
	free(nm->name);
	nm->name = NULL;
	nm->n = 0;
}

/* table's (code, name) rows, codes from 0 to 1023 kept. */
static int
names_load(sqlite3 *h, const char *sql, struct names *nm)
{
	sqlite3_stmt	*st;
	int		 rc;

	names_free(nm);
	if ((rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL)) != SQLITE_OK)
		return (rc);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t		 code = sqlite3_column_int64(st, 0);
		const char	*s = (const char *)sqlite3_column_text(st, 1);

		if (sqlite3_column_type(st, 0) != SQLITE_INTEGER ||
		    code < 0 || code > 1023 || s == NULL)
			continue;
		if (code >= nm->n) {
			nm->name = xreallocarray(nm->name, (size_t)code + 1,
			    sizeof *nm->name);
			memset(nm->name + nm->n, 0, (size_t)(code + 1 -
			    nm->n) * sizeof *nm->name);
			nm->n = (int)code + 1;
		}
		free(nm->name[code]);
		nm->name[code] = xstrdup(s);
	}
	sqlite3_finalize(st);
	return (rc == SQLITE_DONE ? SQLITE_OK : rc);
}

static int
scan_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
	struct cursor	*c;

	if ((c = sqlite3_malloc(sizeof *c)) == NULL)
		return (SQLITE_NOMEM);
	memset(c, 0, sizeof *c);
	c->h = ((struct vtab *)vt)->h;
	c->eof = 1;
	*out = &c->base;
	return (SQLITE_OK);
}

static void
reset(struct cursor *c)
{
	sqlite3_finalize(c->models);
	sqlite3_finalize(c->chunks);
	c->models = c->chunks = NULL;
	free(c->model);
	c->model = NULL;
	c->p = c->end = NULL;
	c->open = 0;
	c->eof = 1;
}

static int
scan_close(sqlite3_vtab_cursor *cur)
{
	struct cursor	*c = (struct cursor *)cur;

	reset(c);
	sqlite3_finalize(c->decimal);
	if (c->zd != NULL)
		libdeflate_free_decompressor(c->zd);
	names_free(&c->types);
	names_free(&c->points);
	free(c->text);
	sqlite3_free(c);
	return (SQLITE_OK);
}

/* Stop the scan: chunk is not what the recorder writes. */
static int
damaged(struct cursor *c, const char *why)
{
	sqlite3_free(c->base.pVtab->zErrMsg);
	c->base.pVtab->zErrMsg = sqlite3_mprintf("event chunk (run %lld,"
	    " model %s, seq %lld) is damaged: %s", (long long)c->run,
	    c->model, (long long)c->chunk, why);
	c->eof = 1;
	return (SQLITE_CORRUPT);
}

static void
skip_ws(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' ||
	    *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

/* c->p at ch (after white space): step over it. */
static int
expect(struct cursor *c, char ch)
{
	skip_ws(c);
	if (c->p >= c->end || *c->p != ch)
		return (-1);
	c->p++;
	return (0);
}

/* The next character after white space, not taken (0 at the end). */
static char
peek(struct cursor *c)
{
	skip_ws(c);
	return (c->p < c->end ? *c->p : 0);
}

/*
 * A JSON integer (an int64) or null: INT, JNULL, or ABSENT where it is
 * anything else (a real, a string: not an event's).
 */
static enum field
value(struct cursor *c, int64_t *v)
{
	const char	*p;
	uint64_t	 u = 0;
	int		 neg = 0, digits = 0;

	skip_ws(c);
	p = c->p;
	if (c->end - p >= 4 && memcmp(p, "null", 4) == 0) {
		c->p = p + 4;
		return (JNULL);
	}
	if (p < c->end && *p == '-') {
		neg = 1;
		p++;
	}
	/* JSON has no leading zeros: 0 alone, or 1-9 then digits */
	while (p < c->end && *p >= '0' && *p <= '9') {
		unsigned d = (unsigned)(*p++ - '0');

		if ((++digits == 2 && u == 0) || u > (UINT64_MAX - d) / 10)
			return (ABSENT);
		u = u * 10 + d;
	}
	if (digits == 0 || u > (uint64_t)INT64_MAX + neg || (p < c->end &&
	    (*p == '.' || *p == 'e' || *p == 'E')))
		return (ABSENT);
	c->p = p;
	*v = neg ? (int64_t)((uint64_t)0 - u) : (int64_t)u;
	return (INT);
}

/* A group's d that is a decimal, read as the view's ->> 0 reads it. */
static int
decimal_time(struct cursor *c, double *d)
{
	const char	*p = c->p;
	char		*text;
	int		 rc;

	while (c->p < c->end && *c->p != '\0' &&
	    strchr("0123456789+-.eE", *c->p) != NULL)
		c->p++;
	if (c->p == p)
		return (-1);
	if (c->decimal == NULL && sqlite3_prepare_v2(c->h,
	    "SELECT ('[' || ?1 || ']') ->> 0", -1, &c->decimal, NULL) !=
	    SQLITE_OK)
		return (-1);
	text = xmalloc((size_t)(c->p - p) + 1);
	memcpy(text, p, (size_t)(c->p - p));
	text[c->p - p] = '\0';
	sqlite3_bind_text(c->decimal, 1, text, -1, SQLITE_TRANSIENT);
	free(text);
	rc = sqlite3_step(c->decimal) == SQLITE_ROW &&
	    sqlite3_column_type(c->decimal, 0) != SQLITE_TEXT &&
	    sqlite3_column_type(c->decimal, 0) != SQLITE_NULL ? 0 : -1;
	if (rc == 0)
		*d = sqlite3_column_double(c->decimal, 0);
	sqlite3_reset(c->decimal);
	return (rc);
}

/*
 * Add a group's d to the time, as SQL's sum does (NULL skipped). A
 * decimal d (a time no scale holds) is a chunk's only group, as the
 * recorder writes it: what SQL's sum makes of integers and reals mixed
 * changes with SQLite's version.
 */
static int
add_time(struct cursor *c)
{
	int64_t		 d;
	double		 x;
	enum field	 f;

	if (c->mkind == 2)
		return (-1);
	f = value(c, &d);
	if (f == JNULL)
		return (0);
	if (f == INT) {
		if (__builtin_add_overflow(c->m, d, &c->m))
			return (-1);
		c->mkind = 1;
		return (0);
	}
	if (c->groups > 0 || decimal_time(c, &x) != 0)
		return (-1);
	c->dm = x;
	c->mkind = 2;
	return (0);
}

/* 1 << n as SQL has it: n >= 64 gives 0, a negative n shifts right. */
static int64_t
sql_one_shl(int64_t n)
{
	if (n < 0 || n >= 64)
		return (0);
	return ((int64_t)((uint64_t)1 << n));
}

/*
 * The time of the group's events as the view has it: m * 1.0 /
 * (1 << min(scale, 62)) / (1 << max(scale - 62, 0)), NULL where SQL
 * divides by 0 (a scale the recorder never writes).
 */
static void
group_time(struct cursor *c)
{
	int64_t	s = c->scale, a, b;

	c->t_null = c->mkind == 0;
	a = sql_one_shl(s < 62 ? s : 62);
	b = sql_one_shl(s - 62 > 0 ? s - 62 : 0);
	if (a == 0 || b == 0)
		c->t_null = 1;
	else
		c->t = (c->mkind == 2 ? c->dm : (double)c->m) / (double)a /
		    (double)b;
}

/* One event's fields, c->p at its '['. */
static int
event(struct cursor *c)
{
	int	k = 0;

	for (int i = 0; i < EV_FIELDS; i++)
		c->kind[i] = ABSENT;
	if (expect(c, '[') != 0)
		return (-1);
	if (peek(c) == ']') {
		c->p++;
		return (0);
	}
	for (;;) {
		int64_t		v = 0;
		enum field	f = value(c, &v);

		if (f == ABSENT)
			return (-1);
		if (k < EV_FIELDS) {
			c->kind[k] = f;
			c->v[k] = v;
		}
		k++;
		if (peek(c) == ',') {
			c->p++;
			continue;
		}
		return (expect(c, ']'));
	}
}

/* The chunk's last ']' read: only white space may follow. 0, or -1. */
static int
chunk_end(struct cursor *c)
{
	c->open = 0;
	return (peek(c) != 0 ? -1 : 0);
}

/* The chunk's text, from its row of c->chunks: 0, or -1. */
static int
load_chunk(struct cursor *c)
{
	sqlite3_stmt	*st = c->chunks;
	const void	*data = sqlite3_column_blob(st, 3);
	int64_t		 size = sqlite3_column_int64(st, 1);
	size_t		 n = (size_t)sqlite3_column_bytes(st, 3), got;

	c->chunk = c->seq = sqlite3_column_int64(st, 0);
	c->scale = sqlite3_column_int64(st, 2);
	if (sqlite3_column_type(st, 2) != SQLITE_INTEGER)
		return (-1);
	if (size <= 0 || (uint64_t)size == n) {
		/* sqlar: the text itself */
		if (n + 1 > c->cap) {
			c->cap = n + 1;
			c->text = xreallocarray(c->text, c->cap, 1);
		}
		if (n > 0)
			memcpy(c->text, data, n);
		c->len = n;
	} else {
		if (size > INT32_MAX)
			return (-1);
		if ((size_t)size + 1 > c->cap) {
			c->cap = (size_t)size + 1;
			c->text = xreallocarray(c->text, c->cap, 1);
		}
		if (c->zd == NULL && (c->zd =
		    libdeflate_alloc_decompressor()) == NULL)
			return (-1);
		if (libdeflate_zlib_decompress(c->zd, data, n, c->text,
		    (size_t)size, &got) != LIBDEFLATE_SUCCESS)
			return (-1);
		c->len = got;
	}
	c->text[c->len] = '\0';
	c->p = c->text;
	c->end = c->text + c->len;
	c->open = 1;
	c->groups = 0;
	c->ingroup = 0;
	c->m = 0;
	c->dm = 0;
	c->mkind = 0;
	if (expect(c, '[') != 0)
		return (-1);
	/* an empty chunk: [] */
	if (peek(c) == ']') {
		c->p++;
		return (chunk_end(c));
	}
	return (0);
}

/*
 * The next model with chunks: 1, 0 at the end, or an SQLite error.
 */
static int
next_model(struct cursor *c)
{
	int	rc = sqlite3_step(c->models);

	if (rc != SQLITE_ROW)
		return (rc == SQLITE_DONE ? 0 : rc);
	free(c->model);
	c->run = sqlite3_column_int64(c->models, 0);
	c->model = xstrdup((const char *)sqlite3_column_text(c->models, 1));
	c->has_position = sqlite3_column_type(c->models, 2) != SQLITE_NULL;
	c->position = sqlite3_column_int64(c->models, 2);
	sqlite3_reset(c->chunks);
	sqlite3_bind_int64(c->chunks, 1, c->run);
	sqlite3_bind_text(c->chunks, 2, c->model, -1, SQLITE_STATIC);
	return (1);
}

/*
 * Parse on to the next event: SQLITE_OK with c->eof set at the end, or
 * an error (SQLITE_CORRUPT naming the chunk).
 */
static int
advance(struct cursor *c)
{
	for (;;) {
		char	ch;
		int	rc;

		if (!c->open) {
			/* this chunk is done: the next */
			while ((rc = sqlite3_step(c->chunks)) != SQLITE_ROW) {
				if (rc != SQLITE_DONE)
					return (rc);
				if ((rc = next_model(c)) <= 0) {
					c->eof = 1;
					return (rc == 0 ? SQLITE_OK : rc);
				}
			}
			if (load_chunk(c) != 0)
				return (damaged(c, "not the JSON text of"
				    " an event chunk"));
			continue;
		}
		if (c->ingroup) {
			ch = peek(c);
			if (ch == ',') {
				c->p++;
				if (event(c) != 0)
					return (damaged(c, "an event that is"
					    " not an array of integers"));
				c->evseq = c->seq++;
				return (SQLITE_OK);
			}
			if (expect(c, ']') != 0)
				return (damaged(c, "a group not closed"));
			c->ingroup = 0;
			c->groups++;
			ch = peek(c);
			if (ch == ',') {
				c->p++;
				continue;
			}
			if (expect(c, ']') != 0)
				return (damaged(c, "the groups not closed"));
			if (chunk_end(c) != 0)
				return (damaged(c, "text after the end"));
			continue;
		}
		/* a group: [d, event, ...] */
		if (expect(c, '[') != 0 || add_time(c) != 0)
			return (damaged(c, "a group without its time"));
		group_time(c);
		c->ingroup = 1;
	}
}

static int
scan_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxstr, int argc,
    sqlite3_value **argv)
{
	struct cursor	*c = (struct cursor *)cur;
	sqlite3		*h;
	char		 sql[512];
	int		 rc;

	(void)idxstr;
	reset(c);
	h = c->h;
	if (h == NULL)
		return (SQLITE_MISUSE);
	if ((rc = names_load(h, "SELECT code, name FROM event_types",
	    &c->types)) != SQLITE_OK || (rc = names_load(h, "SELECT code,"
	    " name FROM sync_points", &c->points)) != SQLITE_OK)
		return (rc);
	snprintf(sql, sizeof sql, "SELECT run, model, (SELECT m.position"
	    " FROM run_models m WHERE m.run = c.run AND m.model = c.model)"
	    " AS position FROM (SELECT DISTINCT run, model FROM event_chunks"
	    " WHERE 1%s%s) c ORDER BY run, position, model",
	    idx & 1 ? " AND run = ?1" : "", idx & 2 ? (idx & 1 ?
	    " AND model = ?2" : " AND model = ?1") : "");
	if ((rc = sqlite3_prepare_v2(h, sql, -1, &c->models, NULL)) !=
	    SQLITE_OK || (rc = sqlite3_prepare_v2(h, "SELECT seq, size,"
	    " scale, data FROM event_chunks WHERE run = ?1 AND model = ?2"
	    " ORDER BY seq", -1, &c->chunks, NULL)) != SQLITE_OK)
		return (rc);
	for (int a = 0; a < argc; a++)
		sqlite3_bind_value(c->models, a + 1, argv[a]);
	c->eof = 0;
	if ((rc = next_model(c)) <= 0) {
		c->eof = 1;
		return (rc == 0 ? SQLITE_OK : rc);
	}
	return (advance(c));
}

static int
scan_next(sqlite3_vtab_cursor *cur)
{
	return (advance((struct cursor *)cur));
}

static int
scan_eof(sqlite3_vtab_cursor *cur)
{
	return (((struct cursor *)cur)->eof);
}

/* Field k as an INTEGER, or ifnull(field, dflt) where dflt >= 0. */
static void
result_field(struct cursor *c, sqlite3_context *ctx, int k, int dflt)
{
	if (c->kind[k] == INT)
		sqlite3_result_int64(ctx, c->v[k]);
	else if (dflt >= 0)
		sqlite3_result_int(ctx, dflt);
	else
		sqlite3_result_null(ctx);
}

/* a + b as SQL adds two integers: a REAL where it overflows */
static void
result_sum(sqlite3_context *ctx, int64_t a, int64_t b)
{
	int64_t	r;

	if (__builtin_add_overflow(a, b, &r))
		sqlite3_result_double(ctx, (double)a + (double)b);
	else
		sqlite3_result_int64(ctx, r);
}

static void
result_name(sqlite3_context *ctx, const struct names *nm, enum field f,
    int64_t code)
{
	if (f == INT && code >= 0 && code < nm->n && nm->name[code] != NULL)
		sqlite3_result_text(ctx, nm->name[code], -1, SQLITE_STATIC);
	else
		sqlite3_result_null(ctx);
}

static int
scan_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
	struct cursor	*c = (struct cursor *)cur;
	int64_t		 r = c->v[2], x;
	int		 k;

	switch (col) {
	case C_RUN:
		sqlite3_result_int64(ctx, c->run);
		break;
	case C_MODEL:
		sqlite3_result_text(ctx, c->model, -1, SQLITE_TRANSIENT);
		break;
	case C_SEQ:
		sqlite3_result_int64(ctx, c->evseq);
		break;
	case C_T:
		if (c->t_null)
			sqlite3_result_null(ctx);
		else
			sqlite3_result_double(ctx, c->t);
		break;
	case C_TYPE:
		result_name(ctx, &c->types, c->kind[0], c->v[0]);
		break;
	case C_WORKER:
	case C_TASK:
		/* nullif(field, -1): none */
		k = col == C_WORKER ? 1 : 3;
		if (c->kind[k] == INT && c->v[k] != -1)
			sqlite3_result_int64(ctx, c->v[k]);
		else
			sqlite3_result_null(ctx);
		break;
	case C_ROUND:
		result_field(c, ctx, 2, -1);
		break;
	case C_CLOCK:
		/* round + (clock - round): missing is 0, JSON null none */
		if (c->kind[2] != INT || c->kind[4] == JNULL)
			sqlite3_result_null(ctx);
		else {
			x = c->kind[4] == INT ? c->v[4] : 0;
			result_sum(ctx, r, x);
		}
		break;
	case C_MIN_CLOCK:
		x = c->kind[5] == INT ? c->v[5] : 0;
		if (c->kind[2] != INT)
			sqlite3_result_null(ctx);
		else if (x == INT64_MIN)
			sqlite3_result_double(ctx, (double)r - (double)x);
		else
			result_sum(ctx, r, -x);
		break;
	case C_COUNT:
		result_field(c, ctx, 8, 0);
		break;
	case C_POINT:
		result_name(ctx, &c->points, c->kind[9], c->v[9]);
		break;
	case C_READY:
	case C_NEEDED:
	case C_PASS:
	case C_LABEL:
		result_field(c, ctx, 10 + col - C_READY, 0);
		break;
	case C_V_READ:
	case C_V_APPLY:
		result_field(c, ctx, 6 + col - C_V_READ, 0);
		break;
	case C_POSITION:
		if (c->has_position)
			sqlite3_result_int64(ctx, c->position);
		else
			sqlite3_result_null(ctx);
		break;
	}
	return (SQLITE_OK);
}

static int
scan_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *id)
{
	*id = ((struct cursor *)cur)->evseq;
	return (SQLITE_OK);
}

static const sqlite3_module module = {
	.iVersion = 0,
	.xConnect = scan_connect,
	.xBestIndex = scan_best_index,
	.xDisconnect = scan_disconnect,
	.xOpen = scan_open,
	.xClose = scan_close,
	.xFilter = scan_filter,
	.xNext = scan_next,
	.xEof = scan_eof,
	.xColumn = scan_column,
	.xRowid = scan_rowid,
};

int
db_evscan_register(sqlite3 *h)
{
	return (sqlite3_create_module(h, "fs_events", &module, NULL));
}
