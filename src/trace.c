/*
 * Loading task-time traces (configs/traces/NOTICE): a CSV of
 * start,end,duration rows read through zlib, which takes gzip and plain
 * files alike. Every row is checked (three finite numbers, a positive
 * duration that agrees with end - start); the first bad one ends the
 * load with a message naming the file and line.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "text.h"
#include "trace.h"
#include "xmalloc.h"

#define TRACE_HEADER	"start,end,duration"
#define TRACE_FIELDS	3

/* Where the reader is, for messages. */
struct reader {
	const char	*path;
	size_t		 line;		/* 0 before the first line */
	char		*err;
	size_t		 errlen;
};

static const char *const trace_field_names[TRACE_FIELDS] = {
	"start", "end", "duration"
};

static int	trace_error(struct reader *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

/* Fill err with "PATH:LINE: msg" (at_line) or "PATH: msg"; returns -1. */
static int
trace_error(struct reader *r, int at_line, const char *fmt, ...)
{
	char	msg[512];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (at_line)
		snprintf(r->err, r->errlen, "%s:%zu: %s", r->path, r->line,
		    msg);
	else
		snprintf(r->err, r->errlen, "%s: %s", r->path, msg);
	return (-1);
}

/* After a failed or short read: report zlib's or the system's error. */
static int
trace_gzcheck(struct reader *r, gzFile gz)
{
	const char	*msg;
	size_t		 plen = strlen(r->path);
	int		 errnum;

	msg = gzerror(gz, &errnum);
	if (errnum == Z_OK)
		return (0);
	/* zlib puts the path in front of its message; we add our own. */
	if (strncmp(msg, r->path, plen) == 0 &&
	    strncmp(msg + plen, ": ", 2) == 0)
		msg += plen + 2;
	switch (errnum) {
	case Z_ERRNO:
		return (trace_error(r, 0, "read error: %s", msg));
	case Z_MEM_ERROR:
		return (trace_error(r, 0, "out of memory in zlib"));
	}
	return (trace_error(r, 0, "corrupt gzip data: %s", msg));
}

/* One field, [s, e): a finite number, blanks around it allowed. */
static int
trace_field(struct reader *r, int i, const char *s, const char *e,
    double *out)
{
	const char	*name = trace_field_names[i], *what;
	char		 shown[TEXT_TOKEN], *end;
	double		 v;
	int		 converted;

	errno = 0;
	v = strtod(s, &end);
	converted = end != s;
	while (end < e && (*end == ' ' || *end == '\t'))
		end++;
	if (converted && end == e && !isnan(v) && !isinf(v)) {
		*out = v;
		return (0);
	}
	/* the field, cut short: never the rest of the line */
	text_token(shown, sizeof shown, s, (size_t)(e - s));
	if (!converted || end != e)
		what = "is not a number:";
	else if (errno == ERANGE)
		what = "is out of range:";
	else
		what = "must be finite, got";
	return (trace_error(r, 1, "%s %s '%s'", name, what, shown));
}

/*
 * One data row: start, end and duration in the file's unit (seconds).
 * The recorded duration must match end - start within 1% + 1 ms: the
 * real traces round it to 10 us, so they differ by at most 5 us.
 */
static int
trace_row(struct reader *r, const char *s, double *dur)
{
	const char	*e;
	double		 v[TRACE_FIELDS], span;
	int		 nf = 1;

	for (e = s; *e != '\0'; e++)
		if (*e == ',')
			nf++;
	if (nf != TRACE_FIELDS) {
		return (trace_error(r, 1,
		    "expected 3 fields (start,end,duration), got %d", nf));
	}
	for (int i = 0; i < TRACE_FIELDS; i++) {
		if ((e = strchr(s, ',')) == NULL)
			e = s + strlen(s);
		if (trace_field(r, i, s, e, &v[i]) != 0)
			return (-1);
		s = e + 1;
	}
	if (v[2] <= 0) {
		return (trace_error(r, 1, "duration must be > 0, got %g",
		    v[2]));
	}
	if (v[1] < v[0]) {
		return (trace_error(r, 1, "end is before start (start %.6f, "
		    "end %.6f)", v[0], v[1]));
	}
	span = v[1] - v[0];
	if (fabs(v[2] - span) > 0.01 * v[2] + 0.001) {
		return (trace_error(r, 1, "duration %g disagrees with "
		    "end - start = %g (more than 1%% + 0.001 apart)", v[2],
		    span));
	}
	*dur = v[2];
	return (0);
}

/* Mean, population standard deviation, minimum and maximum. */
static void
trace_moments(struct trace *t)
{
	double	sum = 0, ss = 0, d;

	t->min = t->max = t->ms[0];
	for (size_t i = 0; i < t->n; i++) {
		sum += t->ms[i];
		if (t->ms[i] < t->min)
			t->min = t->ms[i];
		if (t->ms[i] > t->max)
			t->max = t->ms[i];
	}
	t->mean = sum / (double)t->n;
	/* Two passes: sums of squares of ~1e4 ms values lose digits. */
	for (size_t i = 0; i < t->n; i++) {
		d = t->ms[i] - t->mean;
		ss += d * d;
	}
	t->sd = sqrt(ss / (double)t->n);
}

/* Read every line of gz into t->ms, t->n; -1 on the first bad one. */
static int
trace_read(struct reader *r, gzFile gz, double scale, struct trace *t)
{
	char		 buf[TRACE_LINE_MAX + 3];	/* line, "\r\n", NUL */
	const char	*p;
	double		 dur = 0;
	size_t		 len, cap = 0;
	z_off_t		 pos = 0, next;

	for (;;) {
		if (gzgets(gz, buf, (int)sizeof buf) == NULL) {
			if (trace_gzcheck(r, gz) != 0)
				return (-1);
			break;
		}
		r->line++;
		/* gzgets copies NUL bytes: count what it consumed instead. */
		next = gztell(gz);
		len = strlen(buf);
		if (next < pos || (size_t)(next - pos) != len)
			return (trace_error(r, 1, "NUL byte in line"));
		pos = next;
		if (len > 0 && buf[len - 1] == '\n') {
			buf[--len] = '\0';
		} else {
			/* A cut-off gzip stream ends in a partial line. */
			if (trace_gzcheck(r, gz) != 0)
				return (-1);
			if (len == sizeof buf - 1) {
				return (trace_error(r, 1, "line longer than %d "
				    "bytes", TRACE_LINE_MAX));
			}
		}
		if (len > 0 && buf[len - 1] == '\r')
			buf[--len] = '\0';
		if (len > TRACE_LINE_MAX) {
			return (trace_error(r, 1, "line longer than %d bytes",
			    TRACE_LINE_MAX));
		}

		p = buf + strspn(buf, " \t");
		if (*p == '\0' || buf[0] == '#')
			continue;
		if (t->n == 0 && strcmp(buf, TRACE_HEADER) == 0)
			continue;
		if (trace_row(r, buf, &dur) != 0)
			return (-1);
		if (t->n == cap) {
			cap = cap == 0 ? 4096 : cap * 2;
			t->ms = xreallocarray(t->ms, cap, sizeof *t->ms);
		}
		t->ms[t->n] = dur * scale;
		if (isinf(t->ms[t->n])) {
			return (trace_error(r, 1, "duration %g times scale %g "
			    "is not finite", dur, scale));
		}
		t->n++;
	}
	if (pos == 0)
		return (trace_error(r, 0, "empty file"));
	if (t->n == 0)
		return (trace_error(r, 0, "no data rows"));
	t->ms = xreallocarray(t->ms, t->n, sizeof *t->ms);
	return (0);
}

int
trace_load(struct trace *t, const char *path, double scale, char *err,
    size_t errlen)
{
	struct reader	 r = { path, 0, err, errlen };
	gzFile		 gz;
	int		 rc;

	memset(t, 0, sizeof *t);
	if (isnan(scale) || isinf(scale) || scale <= 0) {
		return (trace_error(&r, 0, "scale must be finite and > 0, "
		    "got %g", scale));
	}
	errno = 0;
	if ((gz = gzopen(path, "rb")) == NULL) {
		return (trace_error(&r, 0, "cannot open: %s",
		    errno != 0 ? strerror(errno) : "out of memory"));
	}
	gzbuffer(gz, 64 * 1024);
	rc = trace_read(&r, gz, scale, t);
	gzclose(gz);
	if (rc != 0) {
		trace_free(t);
		return (-1);
	}
	t->path = xstrdup(path);
	trace_moments(t);
	return (0);
}

void
trace_free(struct trace *t)
{
	free(t->path);
	free(t->ms);
	memset(t, 0, sizeof *t);
}
