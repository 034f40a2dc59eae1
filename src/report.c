/* Summary rows as table, CSV or JSON. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

enum col_type { COL_STR, COL_INT, COL_MS, COL_REAL };

/* One column: its name for CSV/JSON, its table header (NULL: not shown). */
struct column {
	const char	*name;
	const char	*head;
	enum col_type	 type;
};

static const struct column columns[] = {
	{ "model", "model", COL_STR },
	{ "workers", NULL, COL_INT },
	{ "rounds", NULL, COL_INT },
	{ "seed", NULL, COL_INT },
	{ "time_ms", "time s", COL_MS },
	{ "round_mean_ms", "round ms", COL_REAL },
	{ "round_p50_ms", "p50", COL_REAL },
	{ "round_p95_ms", "p95", COL_REAL },
	{ "throughput", "grad/s", COL_REAL },
	{ "gradients", NULL, COL_INT },
	{ "updates", "updates", COL_INT },
	{ "fresh", "fresh", COL_INT },
	{ "stale", "stale", COL_INT },
	{ "stale_pct", "stale%", COL_REAL },
	{ "staleness_mean", "tau", COL_REAL },
	{ "staleness_max", "max", COL_INT },
	{ "wait_mean_ms", "wait ms", COL_REAL },
	{ "idle_mean_ms", "idle ms", COL_REAL },
	{ "busy_mean_ms", NULL, COL_REAL },
	{ "comm_mean_ms", NULL, COL_REAL },
	{ "events", NULL, COL_INT },
};
#define NCOLUMNS (sizeof columns / sizeof columns[0])

/* The value of column c in row r, as a string or a number. */
static const char *
cell(const struct report_row *r, size_t c, int64_t *iv, double *dv)
{
	const struct stats		*st = r->st;
	const struct stats_summary	*s = &r->sum;
	const int64_t ints[] = {
		0, r->workers, r->rounds, (int64_t)r->seed, 0, 0, 0, 0, 0,
		(int64_t)st->gradients, (int64_t)st->updates,
		(int64_t)st->fresh, (int64_t)st->stale, 0, 0,
		(int64_t)st->staleness_max, 0, 0, 0, 0, (int64_t)r->events
	};
	const double reals[] = {
		0, 0, 0, 0, s->time_ms, s->round_mean_ms, s->round_p50_ms,
		s->round_p95_ms, s->throughput, 0, 0, 0, 0, s->stale_pct,
		s->staleness_mean, 0, s->wait_mean_ms, s->idle_mean_ms,
		s->busy_mean_ms, s->comm_mean_ms, 0
	};

	_Static_assert(sizeof ints / sizeof ints[0] == NCOLUMNS, "ints");
	_Static_assert(sizeof reals / sizeof reals[0] == NCOLUMNS, "reals");
	*iv = ints[c];
	*dv = reals[c];
	return (c == 0 ? r->model : NULL);
}

/* A table cell as people read it. */
static void
format_cell(char *buf, size_t len, const struct report_row *r, size_t c)
{
	int64_t		 iv;
	double		 dv;
	const char	*sv = cell(r, c, &iv, &dv);

	switch (columns[c].type) {
	case COL_STR:
		snprintf(buf, len, "%s", sv);
		break;
	case COL_INT:
		snprintf(buf, len, "%" PRId64, iv);
		break;
	case COL_MS:
		snprintf(buf, len, "%.2f", dv / 1000.0);
		break;
	case COL_REAL:
		snprintf(buf, len, "%.*f", dv >= 1000 ? 0 : 2, dv);
		break;
	}
}

/* Columns as wide as their widest cell; the model name left-aligned. */
static void
write_table(FILE *f, const struct report_row *rows, int n)
{
	char	buf[64];
	int	width[NCOLUMNS];

	for (size_t c = 0; c < NCOLUMNS; c++) {
		width[c] = columns[c].head ? (int)strlen(columns[c].head) : 0;
		for (int i = 0; i < n && columns[c].head != NULL; i++) {
			format_cell(buf, sizeof buf, &rows[i], c);
			if ((int)strlen(buf) > width[c])
				width[c] = (int)strlen(buf);
		}
	}
	for (int i = -1; i < n; i++) {
		int first = 1;

		for (size_t c = 0; c < NCOLUMNS; c++) {
			if (columns[c].head == NULL)
				continue;
			if (i < 0)
				snprintf(buf, sizeof buf, "%s", columns[c].head);
			else
				format_cell(buf, sizeof buf, &rows[i], c);
			fprintf(f, "%s%*s", first ? "" : "  ",
			    columns[c].type == COL_STR ? -width[c] : width[c],
			    buf);
			first = 0;
		}
		fputc('\n', f);
	}
}

/* Numbers print with enough digits to round-trip exactly. */
static void
write_number(FILE *f, const struct column *col, int64_t iv, double dv)
{
	if (col->type == COL_INT)
		fprintf(f, "%" PRId64, iv);
	else
		fprintf(f, "%.17g", dv);
}

static void
write_csv(FILE *f, const struct report_row *rows, int n)
{
	int64_t	iv;
	double	dv;

	for (size_t c = 0; c < NCOLUMNS; c++)
		fprintf(f, "%s%s", c ? "," : "", columns[c].name);
	fputc('\n', f);
	for (int i = 0; i < n; i++) {
		for (size_t c = 0; c < NCOLUMNS; c++) {
			const char *sv = cell(&rows[i], c, &iv, &dv);

			if (c)
				fputc(',', f);
			if (sv != NULL)
				fputs(sv, f);	/* names: no commas (config) */
			else
				write_number(f, &columns[c], iv, dv);
		}
		fputc('\n', f);
	}
}

static void
json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void
write_json(FILE *f, const struct report_row *rows, int n)
{
	int64_t	iv;
	double	dv;

	fputs("[\n", f);
	for (int i = 0; i < n; i++) {
		fputs("  {", f);
		for (size_t c = 0; c < NCOLUMNS; c++) {
			const char *sv = cell(&rows[i], c, &iv, &dv);

			fprintf(f, "%s\"%s\": ", c ? ", " : "", columns[c].name);
			if (sv != NULL)
				json_string(f, sv);
			else
				write_number(f, &columns[c], iv, dv);
		}
		fprintf(f, ", \"staleness_hist\": [");
		for (int b = 0; b <= STATS_HIST; b++)
			fprintf(f, "%s%" PRIu64, b ? ", " : "", rows[i].st->hist[b]);
		fprintf(f, "]}%s\n", i + 1 < n ? "," : "");
	}
	fputs("]\n", f);
}

static const struct report_writer writers[] = {
	{ "table", write_table },
	{ "csv", write_csv },
	{ "json", write_json },
};

const struct report_writer *
report_writer_find(const char *name)
{
	for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++)
		if (strcmp(writers[i].name, name) == 0)
			return (&writers[i]);
	return (NULL);
}

const char *
report_writer_names(void)
{
	return ("table, csv, json");
}
