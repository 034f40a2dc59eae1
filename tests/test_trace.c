/*
 * Trace loading: each bad file yields -1, a zeroed struct and one line
 * naming the file (and line); good files, plain or gzip, give their rows
 * and moments; the real lab traces load with plausible values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <zlib.h>

#include "config.h"
#include "trace.h"

#ifndef SRCDIR
#error "SRCDIR must name the source directory (Makefile.am defines it)"
#endif
/* The real traces, as shipped in configs/traces. */
static const char *
trace_dir(void)
{
	return (SRCDIR "/configs/traces");
}

/* Rows used where only the file's form matters. */
#define GOOD_ROWS \
	"1584553024.451793449,1584553029.169684415,4.71789\n" \
	"1584553029.181000000,1584553030.000000000,0.819\n" \
	"1584553030.010000000,1584553042.510000000,12.5\n"

enum src {
	SRC_PLAIN,		/* data as is */
	SRC_GZIP,		/* data gzip-compressed */
	SRC_GZIP_CUT,		/* compressed, the last 10 bytes cut off */
	SRC_GZIP_CRC,		/* compressed, its CRC-32 altered */
	SRC_LONG,		/* data, then a row one byte too long */
	SRC_MISSING,		/* no such file */
	SRC_DIR			/* a directory */
};

struct bad {
	const char	*name;
	enum src	 src;
	const char	*data;
	size_t		 len;		/* 0: strlen(data) */
	double		 scale;
	int		 line;		/* 0: a "PATH: " message */
	const char	*phrase;
};

static const char nul_row[] = "1,2,1\n1,2\0,1\n";

static const char corrupt_gzip[] = {
	0x1f, (char)0x8b, 8, 0, 0, 0, 0, 0, 0, 3,	/* a gzip header */
	(char)0xff, (char)0xff, (char)0xff, (char)0xff	/* block type 3 */
};

static const struct bad bad_files[] = {
	{ "missing", SRC_MISSING, "", 0, 1000, 0,
	    "cannot open: No such file or directory" },
	{ "directory", SRC_DIR, "", 0, 1000, 0, "read error: " },
	{ "empty", SRC_PLAIN, "", 0, 1000, 0, "empty file" },
	{ "empty gzip", SRC_GZIP, "", 0, 1000, 0, "empty file" },
	{ "no data rows", SRC_PLAIN, "# lab2-4\n\nstart,end,duration\n  \n",
	    0, 1000, 0, "no data rows" },
	{ "two fields", SRC_PLAIN, "1,2,1\n1,2\n", 0, 1000, 2,
	    "expected 3 fields (start,end,duration), got 2" },
	{ "four fields", SRC_PLAIN, "1,2,1,1\n", 0, 1000, 1,
	    "expected 3 fields (start,end,duration), got 4" },
	{ "word", SRC_PLAIN, "1,2,one\n", 0, 1000, 1,
	    "duration is not a number: 'one'" },
	{ "unit suffix", SRC_PLAIN, "1,2s,1\n", 0, 1000, 1,
	    "end is not a number: '2s'" },
	{ "empty field", SRC_PLAIN, ",2,1\n", 0, 1000, 1,
	    "start is not a number: ''" },
	{ "blank field", SRC_PLAIN, "1, ,1\n", 0, 1000, 1,
	    "end is not a number: ' '" },
	{ "nan", SRC_PLAIN, "1,2,nan\n", 0, 1000, 1,
	    "duration must be finite, got 'nan'" },
	{ "inf", SRC_PLAIN, "-inf,2,1\n", 0, 1000, 1,
	    "start must be finite, got '-inf'" },
	{ "overflow", SRC_PLAIN, "1e999,2,1\n", 0, 1000, 1,
	    "start is out of range: '1e999'" },
	{ "zero duration", SRC_PLAIN, "1,2,1\n5,5,0\n", 0, 1000, 2,
	    "duration must be > 0, got 0" },
	{ "negative duration", SRC_PLAIN, "2,1,-1\n", 0, 1000, 1,
	    "duration must be > 0, got -1" },
	{ "end before start", SRC_PLAIN, "10,9,1\n", 0, 1000, 1,
	    "end is before start" },
	{ "duration disagrees", SRC_PLAIN, "0,10,5\n", 0, 1000, 1,
	    "duration 5 disagrees with end - start = 10" },
	{ "duration just outside 1% + 1 ms", SRC_PLAIN, "0,1,1.0115\n", 0,
	    1000, 1, "disagrees" },
	{ "long line", SRC_LONG, "1,2,1\n", 0, 1000, 2,
	    "line longer than 4096 bytes" },
	{ "NUL byte", SRC_PLAIN, nul_row, sizeof nul_row - 1, 1000, 2,
	    "NUL byte in line" },
	{ "header after data", SRC_PLAIN, "1,2,1\nstart,end,duration\n", 0,
	    1000, 2, "start is not a number: 'start'" },
	{ "lines counted through comments, blanks, CRLF", SRC_PLAIN,
	    "start,end,duration\r\n# c\r\n\r\n1,2,1\r\n1;2;1\r\n", 0, 1000,
	    5, "got 1" },
	{ "bad row in gzip", SRC_GZIP, "1,2,1\n2,3,1\nx,4,1\n", 0, 1000, 3,
	    "start is not a number: 'x'" },
	{ "corrupt gzip", SRC_PLAIN, corrupt_gzip, sizeof corrupt_gzip, 1000,
	    0, "corrupt gzip data: invalid block type" },
	{ "truncated gzip", SRC_GZIP_CUT, GOOD_ROWS GOOD_ROWS, 0, 1000, 0,
	    "corrupt gzip data: unexpected end of file" },
	{ "gzip CRC", SRC_GZIP_CRC, GOOD_ROWS, 0, 1000, 0,
	    "corrupt gzip data: incorrect data check" },
	{ "zero scale", SRC_PLAIN, GOOD_ROWS, 0, 0, 0,
	    "scale must be finite and > 0, got 0" },
	{ "negative scale", SRC_PLAIN, GOOD_ROWS, 0, -1000, 0,
	    "scale must be finite and > 0, got -1000" },
	{ "nan scale", SRC_PLAIN, GOOD_ROWS, 0, (double)NAN, 0,
	    "scale must be finite and > 0, got nan" },
	{ "infinite scale", SRC_PLAIN, GOOD_ROWS, 0, (double)INFINITY, 0,
	    "scale must be finite and > 0, got inf" },
	{ "scaled to infinity", SRC_PLAIN, "0,1e300,1e300\n", 0, 1e10, 1,
	    "is not finite" },
};

/* A template for mkstemp/mkdtemp under TMPDIR (or /tmp); malloc'd. */
static char *
temp_template(void)
{
	const char	*dir = getenv("TMPDIR");
	char		*path;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	path = malloc(strlen(dir) + 40);
	assert_non_null(path);
	sprintf(path, "%s/fastsync-test-trace-XXXXXX", dir);
	return (path);
}

/* A new temporary file of len bytes, gzip-compressed if gz; malloc'd path. */
static char *
write_temp(const void *data, size_t len, int gz)
{
	char	*path = temp_template();
	gzFile	 z;
	FILE	*f;
	int	 fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	if (gz) {
		z = gzdopen(fd, "wb");
		assert_non_null(z);
		if (len > 0)
			assert_int_equal(gzwrite(z, data, (unsigned)len), len);
		assert_int_equal(gzclose(z), Z_OK);
	} else {
		f = fdopen(fd, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(data, 1, len, f), len);
		assert_int_equal(fclose(f), 0);
	}
	return (path);
}

static off_t
file_size(const char *path)
{
	struct stat	sb;

	assert_int_equal(stat(path, &sb), 0);
	return (sb.st_size);
}

/* Make the file or directory a bad case reads; returns its path. */
static char *
make_bad(const struct bad *b)
{
	char	*path, *text;
	size_t	 len = b->len != 0 ? b->len : strlen(b->data);
	FILE	*f;
	int	 fd;

	switch (b->src) {
	case SRC_MISSING:
		path = temp_template();
		assert_true((fd = mkstemp(path)) >= 0);
		close(fd);
		unlink(path);
		return (path);
	case SRC_DIR:
		path = temp_template();
		assert_non_null(mkdtemp(path));
		return (path);
	case SRC_LONG:
		/* "1,2,1" then blanks: only its length is wrong. */
		text = malloc(len + TRACE_LINE_MAX + 2);
		assert_non_null(text);
		memcpy(text, b->data, len);
		memset(text + len, ' ', TRACE_LINE_MAX + 1);
		memcpy(text + len, "1,2,1", 5);
		text[len + TRACE_LINE_MAX + 1] = '\n';
		path = write_temp(text, len + TRACE_LINE_MAX + 2, 0);
		free(text);
		return (path);
	case SRC_GZIP_CUT:
		path = write_temp(b->data, len, 1);
		assert_int_equal(truncate(path, file_size(path) - 10), 0);
		return (path);
	case SRC_GZIP_CRC:
		path = write_temp(b->data, len, 1);
		f = fopen(path, "r+b");
		assert_non_null(f);
		/* The trailer is CRC-32 then length, 4 bytes each. */
		assert_int_equal(fseek(f, -8, SEEK_END), 0);
		assert_int_equal(fputc(0x5a, f), 0x5a);
		assert_int_equal(fclose(f), 0);
		return (path);
	case SRC_GZIP:
		return (write_temp(b->data, len, 1));
	case SRC_PLAIN:
		break;
	}
	return (write_temp(b->data, len, 0));
}

static void
test_bad_files(void **state)
{
	static char	 junk[] = "junk";
	static double	 junk_ms[] = { 1 };
	struct trace	 t;
	char		 err[1024], want[512], *path;
	size_t		 wl;

	(void)state;
	for (size_t i = 0; i < sizeof bad_files / sizeof bad_files[0]; i++) {
		const struct bad *b = &bad_files[i];

		path = make_bad(b);
		/* Stale contents that must be overwritten, never freed. */
		t = (struct trace){ junk, junk_ms, 1, 1, 1, 1, 1 };
		strcpy(err, "(unset)");
		if (trace_load(&t, path, b->scale, err, sizeof err) != -1)
			fail_msg("%s: loaded, expected an error", b->name);
		if (b->line > 0)
			snprintf(want, sizeof want, "%s:%d: ", path, b->line);
		else
			snprintf(want, sizeof want, "%s: ", path);
		wl = strlen(want);
		if (strncmp(err, want, wl) != 0)
			fail_msg("%s: want prefix '%s', got '%s'", b->name,
			    want, err);
		if (strstr(err + wl, b->phrase) == NULL)
			fail_msg("%s: want '%s' in '%s'", b->name, b->phrase,
			    err);
		if (strchr(err, '\n') != NULL || strchr(err, '\r') != NULL)
			fail_msg("%s: not one line: '%s'", b->name, err);
		if (t.path != NULL || t.ms != NULL || t.n != 0 ||
		    t.mean != 0 || t.sd != 0 || t.min != 0 || t.max != 0)
			fail_msg("%s: struct not zeroed", b->name);
		if (b->src == SRC_DIR)
			assert_int_equal(rmdir(path), 0);
		else if (b->src != SRC_MISSING)
			assert_int_equal(unlink(path), 0);
		free(path);
	}
}

/* Load text written plainly (gz 0) or compressed (gz 1); fail on error. */
static void
load_text(struct trace *t, const char *text, size_t len, int gz,
    double scale)
{
	char	 err[1024], *path = write_temp(text, len, gz);

	if (trace_load(t, path, scale, err, sizeof err) != 0)
		fail_msg("unexpected error: %s", err);
	assert_string_equal(t->path, path);
	unlink(path);
	free(path);
}

/* 10,000 rows (past several doublings), plain and gzip: the same array. */
static void
test_plain_equals_gzip(void **state)
{
	enum { ROWS = 10000 };
	struct trace	 plain, gz;
	char		*text, *p;
	double		 d, start;

	(void)state;
	p = text = malloc((size_t)ROWS * 64);
	assert_non_null(text);
	for (int i = 0; i < ROWS; i++) {
		/* exact in binary, and so is d * 1000 */
		d = 0.5 + (i % 97) * 0.125;
		start = 1584553000.0 + 20.0 * i;
		p += sprintf(p, "%.6f,%.6f,%.3f\n", start, start + d, d);
	}
	load_text(&plain, text, (size_t)(p - text), 0, 1000);
	load_text(&gz, text, (size_t)(p - text), 1, 1000);
	assert_int_equal(plain.n, ROWS);
	assert_int_equal(gz.n, ROWS);
	assert_memory_equal(plain.ms, gz.ms, ROWS * sizeof *plain.ms);
	for (int i = 0; i < ROWS; i++)
		assert_true(plain.ms[i] == (0.5 + (i % 97) * 0.125) * 1000);
	assert_true(plain.mean == gz.mean && plain.sd == gz.sd);
	assert_true(plain.min == 500 && plain.max == 12500);
	trace_free(&plain);
	trace_free(&gz);
	free(text);
}

/* Header, comments, blanks, CRLF, blanks around fields, no final newline. */
static void
test_syntax(void **state)
{
	static const char text[] =
	    "start,end,duration\r\n"
	    "# lab2-4, first run\r\n"
	    "\r\n"
	    "100,102,2\r\n"
	    "   \t\n"
	    "  102 , 105.5\t, 3.5 \n"
	    "#100,101,1\n"
	    "0,1,1.0105\n"		/* just inside 1% + 1 ms */
	    "200,204,4";
	static const double want[] = { 2000, 3500, 1010.5, 4000 };
	struct trace	t;

	(void)state;
	for (int gz = 0; gz <= 1; gz++) {
		load_text(&t, text, sizeof text - 1, gz, 1000);
		assert_int_equal(t.n, 4);
		for (size_t i = 0; i < 4; i++)
			assert_true(fabs(t.ms[i] - want[i]) < 1e-9);
		trace_free(&t);
	}
}

/* A row of exactly TRACE_LINE_MAX bytes (plus CRLF) is accepted. */
static void
test_longest_line(void **state)
{
	char		text[TRACE_LINE_MAX + 2];
	struct trace	t;

	(void)state;
	memset(text, ' ', TRACE_LINE_MAX);
	memcpy(text, "1,2,1", 5);
	memcpy(text + TRACE_LINE_MAX, "\r\n", 2);
	load_text(&t, text, sizeof text, 0, 1000);
	assert_int_equal(t.n, 1);
	assert_true(t.ms[0] == 1000);
	trace_free(&t);
}

/* Durations 2 4 4 4 5 5 7 9: mean 5, population sd 2, min 2, max 9. */
static void
test_moments_and_scale(void **state)
{
	static const char text[] =
	    "0,2,2\n10,14,4\n20,24,4\n30,34,4\n"
	    "40,45,5\n50,55,5\n60,67,7\n70,79,9\n";
	static const double raw[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	static const double scales[] = { 1, 1000, 0.5 };
	struct trace	t;
	double		s;

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		s = scales[k];
		load_text(&t, text, sizeof text - 1, 0, s);
		assert_int_equal(t.n, 8);
		for (size_t i = 0; i < 8; i++)
			assert_true(t.ms[i] == raw[i] * s);
		assert_true(fabs(t.mean - 5 * s) < 1e-12 * s);
		assert_true(fabs(t.sd - 2 * s) < 1e-12 * s);
		assert_true(t.min == 2 * s);
		assert_true(t.max == 9 * s);
		trace_free(&t);
	}
}

/* A short buffer gets a cut, terminated message; no buffer is allowed. */
static void
test_short_err_buffer(void **state)
{
	struct trace	 t;
	char		 err[8], *path = write_temp("1,2\n", 4, 0);

	(void)state;
	memset(err, 'x', sizeof err);
	assert_int_equal(trace_load(&t, path, 1000, err, sizeof err), -1);
	assert_int_equal(strlen(err), sizeof err - 1);
	assert_memory_equal(err, path, sizeof err - 1);
	assert_int_equal(trace_load(&t, path, 1000, NULL, 0), -1);
	assert_null(t.ms);
	unlink(path);
	free(path);
}

static void
test_free_twice(void **state)
{
	struct trace	t;

	(void)state;
	load_text(&t, GOOD_ROWS, strlen(GOOD_ROWS), 0, 1000);
	assert_int_equal(t.n, 3);
	trace_free(&t);
	assert_null(t.path);
	assert_null(t.ms);
	assert_int_equal(t.n, 0);
	trace_free(&t);
}

/* The real traces: their directory must be there (no silent skip). */
static void
require_trace_dir(void)
{
	struct stat	sb;

	if (stat(trace_dir(), &sb) != 0 || !S_ISDIR(sb.st_mode))
		fail_msg("real traces not found: %s is not a directory "
		    "(they ship in configs/traces)", trace_dir());
}

/* lab2-4: ~27k rows; tasks of about 0.5 to 13 s, a few longer. */
static void
test_real_lab2_4(void **state)
{
	struct trace	 t;
	char		 err[1024], path[4096];
	double		 sum = 0;

	(void)state;
	require_trace_dir();
	snprintf(path, sizeof path, "%s/lab2-4.csv.gz", trace_dir());
	if (trace_load(&t, path, 1000, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_in_range(t.n, 20000, 30000);
	for (size_t i = 0; i < t.n; i++) {
		if (!(t.ms[i] > 0 && t.ms[i] < 1e6))
			fail_msg("row %zu: %g ms", i, t.ms[i]);
		sum += t.ms[i];
	}
	assert_true(fabs(sum / (double)t.n - t.mean) < 1e-6 * t.mean);
	assert_true(t.min >= 100 && t.min <= 2500);
	assert_true(t.mean >= 1000 && t.mean <= 8000);
	/* the 12.5 s cluster is there; outliers stay within a minute */
	assert_true(t.max >= 12000 && t.max <= 60000);
	assert_true(t.sd > 500 && t.sd < t.max);
	trace_free(&t);
}

/* Every real trace passes every row check, end - start included. */
static void
test_real_all(void **state)
{
	struct trace	 t;
	glob_t		 g;
	char		 err[1024], pattern[4096];

	(void)state;
	require_trace_dir();
	snprintf(pattern, sizeof pattern, "%s/lab2-*.csv.gz", trace_dir());
	assert_int_equal(glob(pattern, 0, NULL, &g), 0);
	assert_int_equal(g.gl_pathc, 19);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		if (trace_load(&t, g.gl_pathv[i], 1000, err, sizeof err) != 0)
			fail_msg("%s", err);
		assert_in_range(t.n, 20000, 30000);
		assert_true(t.min > 0);
		trace_free(&t);
	}
	globfree(&g);
}

/* Copy a shipped trace into dir. */
static void
copy_trace(const char *name, const char *dir)
{
	char	from[512], to[512], buf[8192];
	FILE	*in, *out;
	size_t	 n;

	snprintf(from, sizeof from, "%s/%s", trace_dir(), name);
	snprintf(to, sizeof to, "%s/%s", dir, name);
	assert_non_null(in = fopen(from, "rb"));
	assert_non_null(out = fopen(to, "wb"));
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/*
 * traces.cfg reads the 19 shipped traces beside it; FASTSYNC_TRACES
 * points its relative patterns at another folder (here two of them), and
 * a folder without them is one line naming the pattern it tried.
 */
static void
test_traces_env(void **state)
{
	struct fs_config	 cf;
	char			 dir[] = "/tmp/fastsync-traces-XXXXXX", err[512];
	char			 want[600];

	(void)state;
	unsetenv("FASTSYNC_TRACES");
	assert_int_equal(config_load(&cf, SRCDIR "/configs/traces.cfg", NULL,
	    0, err, sizeof err), 0);
	assert_int_equal(cf.classes[0].ntraces, 19);
	config_free(&cf);

	assert_non_null(mkdtemp(dir));
	copy_trace("lab2-4.csv.gz", dir);
	copy_trace("lab2-5.csv.gz", dir);
	setenv("FASTSYNC_TRACES", dir, 1);
	if (config_load(&cf, SRCDIR "/configs/traces.cfg", NULL, 0, err,
	    sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(cf.classes[0].ntraces, 2);
	assert_int_equal(cf.classes[1].ntraces, 2);
	config_free(&cf);

	setenv("FASTSYNC_TRACES", "/nonexistent-fastsync", 1);
	assert_int_equal(config_load(&cf, SRCDIR "/configs/traces.cfg", NULL,
	    0, err, sizeof err), -1);
	snprintf(want, sizeof want, "no file matches "
	    "/nonexistent-fastsync/lab2-*.csv.gz");
	if (strstr(err, want) == NULL || strchr(err, '\n') != NULL)
		fail_msg("got '%s'", err);
	unsetenv("FASTSYNC_TRACES");
	for (const char *f = "lab2-4.csv.gz\0lab2-5.csv.gz\0"; *f;
	    f += strlen(f) + 1) {
		char path[600];

		snprintf(path, sizeof path, "%s/%s", dir, f);
		unlink(path);
	}
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_plain_equals_gzip),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_longest_line),
		cmocka_unit_test(test_moments_and_scale),
		cmocka_unit_test(test_short_err_buffer),
		cmocka_unit_test(test_free_twice),
		cmocka_unit_test(test_real_lab2_4),
		cmocka_unit_test(test_real_all),
		cmocka_unit_test(test_traces_env),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
