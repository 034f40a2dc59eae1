/*
 * The event log's chunks as fastsync reads them (fs_events, db_evscan.c)
 * against the events view, on one chunk of the input's text, stored as
 * it is and zlib-compressed: fs_events never reads memory it should not,
 * and where it reads a chunk at all, the view reads it too and gives the
 * same rows, value for value.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fuzz_util.h"
#include "db.h"
#include "db_events.h"
#include "db_fresh.h"
#include "db_priv.h"

static sqlite3 *
database(void)
{
	static sqlite3	*h;
	static char	 name[] = ":memory:";
	struct db	 d;
	char		 err[256];

	if (h != NULL)
		return (h);
	if (sqlite3_open(":memory:", &h) != SQLITE_OK ||
	    db_define_functions(h) != 0)
		abort();
	for (int i = 0; db_fresh_schema[i] != NULL; i++)
		if (sqlite3_exec(h, db_fresh_schema[i], NULL, NULL, NULL) !=
		    SQLITE_OK)
			abort();
	memset(&d, 0, sizeof d);
	d.h = h;
	d.path = name;
	if (db_events_names(&d, err, sizeof err) != 0)
		abort();
	return (h);
}

/* Row of a and row of b: the same values (a REAL bit for bit). */
static int
same_row(sqlite3_stmt *a, sqlite3_stmt *b)
{
	if (sqlite3_column_count(a) != sqlite3_column_count(b))
		return (0);
	for (int c = 0; c < sqlite3_column_count(a); c++) {
		sqlite3_value	*x = sqlite3_column_value(a, c);
		sqlite3_value	*y = sqlite3_column_value(b, c);
		int		 t = sqlite3_value_type(x);
		double		 dx, dy;

		if (t != sqlite3_value_type(y))
			return (0);
		dx = sqlite3_value_double(x);
		dy = sqlite3_value_double(y);
		if ((t == SQLITE_INTEGER && sqlite3_value_int64(x) !=
		    sqlite3_value_int64(y)) || (t == SQLITE_FLOAT &&
		    memcmp(&dx, &dy, sizeof dx) != 0) || (t == SQLITE_TEXT &&
		    strcmp((const char *)sqlite3_value_text(x),
		    (const char *)sqlite3_value_text(y)) != 0))
			return (0);
	}
	return (1);
}

/*
 * Where fs_events reads the chunk to its end, the view gives the same
 * rows and ends there too: abort otherwise. (fs_events reads as it goes:
 * a chunk damaged further on gives rows before the error.)
 */
static void
compare(sqlite3 *h)
{
	sqlite3_stmt	*v, *f;
	int		 rv, rf;

	if (sqlite3_prepare_v2(h, "SELECT * FROM events WHERE run = 1"
	    " ORDER BY seq", -1, &v, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, "SELECT * FROM fs_events WHERE run = 1"
	    " ORDER BY position, seq", -1, &f, NULL) != SQLITE_OK)
		abort();
	while ((rf = sqlite3_step(f)) == SQLITE_ROW)
		;
	if (rf == SQLITE_DONE) {
		sqlite3_reset(f);
		while ((rf = sqlite3_step(f)) == SQLITE_ROW)
			if (sqlite3_step(v) != SQLITE_ROW || !same_row(v, f))
				abort();
		rv = sqlite3_step(v);
		if (rf != SQLITE_DONE || rv != SQLITE_DONE)
			abort();
	}
	sqlite3_finalize(v);
	sqlite3_finalize(f);
}

static void
chunk(sqlite3 *h, const void *data, size_t n, size_t size, int scale)
{
	sqlite3_stmt	*st;

	if (sqlite3_exec(h, "DELETE FROM event_chunks", NULL, NULL, NULL) !=
	    SQLITE_OK || sqlite3_prepare_v2(h, "INSERT INTO event_chunks (run,"
	    " model, seq, n, size, scale, data) VALUES (1, 'm', 5, 0, ?1, ?2,"
	    " ?3)", -1, &st, NULL) != SQLITE_OK)
		abort();
	sqlite3_bind_int64(st, 1, (sqlite3_int64)size);
	sqlite3_bind_int(st, 2, scale);
	sqlite3_bind_blob(st, 3, data, (int)n, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		abort();
	sqlite3_finalize(st);
	compare(h);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	sqlite3		*h = database();
	uLongf		 zn;
	Bytef		*z;
	int		 scale = 0;

	if (n > 1 << 20)
		return (0);
	/* the scale from the first byte, when it is not the text's */
	if (n > 0 && data[0] >= 0x80) {
		scale = data[0] & 0x7f;
		data++;
		n--;
	}
	chunk(h, data, n, n, scale);
	zn = compressBound((uLong)n);
	z = malloc(zn);
	if (z != NULL && compress2(z, &zn, data, (uLong)n, 1) == Z_OK &&
	    zn != n)
		chunk(h, z, zn, n, scale);
	free(z);
	return (0);
}
