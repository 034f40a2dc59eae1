/* Summary rows as table, CSV or JSON: one column list, three writers. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "sim.h"

enum col_type { COL_STR, COL_INT, COL_MS, COL_REAL, COL_OPT_MS,
	COL_OPT_PCT };

/* A cell's value: the writer formats it by the column's type. */
struct value {
	const char	*s;
	int64_t		 i;
	double		 d;
	int		 missing;	/* COL_OPT_*: no value */
	char		 buf[64];
};

/* One column: its CSV/JSON name, its table header (NULL: not shown). */
struct column {
	const char	*name;
	const char	*head;
	enum col_type	 type;
	void		(*get)(const struct report_row *, struct value *);
};

#define INT_COL(fn, expr)						\
static void								\
fn(const struct report_row *r, struct value *v)				\
{									\
	v->i = (int64_t)(expr);						\
}
#define REAL_COL(fn, expr)						\
static void								\
fn(const struct report_row *r, struct value *v)				\
{									\
	v->d = (expr);							\
}

static void
get_model(const struct report_row *r, struct value *v)
{
	v->s = r->model;
}

/* FastSync's sync-point split, ts1/ts2/ts3/fallback; "-" without. */
static void
get_split(const struct report_row *r, struct value *v)
{
	const uint64_t	*p = r->st.points;

	if (p[SP_TS1] + p[SP_TS2] + p[SP_TS3] + p[SP_FALLBACK] == 0) {
		v->s = "-";
		return;
	}
	snprintf(v->buf, sizeof v->buf, "%" PRIu64 "/%" PRIu64 "/%" PRIu64
	    "/%" PRIu64, p[SP_TS1], p[SP_TS2], p[SP_TS3], p[SP_FALLBACK]);
	v->s = v->buf;
}

INT_COL(get_workers, r->workers)
INT_COL(get_rounds, r->rounds)
INT_COL(get_seed, r->seed)
REAL_COL(get_time, r->sum.time_ms)
REAL_COL(get_round_mean, r->sum.round_mean_ms)
REAL_COL(get_p50, r->sum.round_p50_ms)
REAL_COL(get_p95, r->sum.round_p95_ms)
REAL_COL(get_throughput, r->sum.throughput)
INT_COL(get_gradients, r->st.gradients)
INT_COL(get_updates, r->st.updates)
INT_COL(get_fresh, r->st.fresh)
INT_COL(get_stale, r->st.stale)
REAL_COL(get_stale_pct, r->sum.stale_pct)
REAL_COL(get_tau, r->sum.staleness_mean)
INT_COL(get_tau_max, r->st.staleness_max)
INT_COL(get_dropped, r->st.dropped)
REAL_COL(get_wait, r->sum.wait_mean_ms)
REAL_COL(get_wait_max, r->st.max_wait_ms)
REAL_COL(get_idle, r->sum.idle_mean_ms)
REAL_COL(get_busy, r->sum.busy_mean_ms)
REAL_COL(get_comm, r->sum.comm_mean_ms)
INT_COL(get_ts1, r->st.points[SP_TS1])
INT_COL(get_ts2, r->st.points[SP_TS2])
INT_COL(get_ts3, r->st.points[SP_TS3])
INT_COL(get_fallback, r->st.points[SP_FALLBACK])
REAL_COL(get_quorum, r->sum.quorum_mean)
INT_COL(get_events, r->events)

/* Training figures: missing unless the run trained (and got there). */
static void
get_accuracy(const struct report_row *r, struct value *v)
{
	v->d = r->accuracy;
	v->missing = !r->trained || isnan(r->accuracy);
}

static void
get_to_target(const struct report_row *r, struct value *v)
{
	v->d = r->time_to_target;
	v->missing = !r->trained || isnan(r->time_to_target);
}

static const struct column columns[] = {
	{ "model", "model", COL_STR, get_model },
	{ "workers", NULL, COL_INT, get_workers },
	{ "rounds", NULL, COL_INT, get_rounds },
	{ "seed", NULL, COL_INT, get_seed },
	{ "time_ms", "time s", COL_MS, get_time },
	{ "round_mean_ms", "round ms", COL_REAL, get_round_mean },
	{ "round_p50_ms", "p50", COL_REAL, get_p50 },
	{ "round_p95_ms", "p95", COL_REAL, get_p95 },
	{ "throughput", "grad/s", COL_REAL, get_throughput },
	{ "gradients", NULL, COL_INT, get_gradients },
	{ "updates", "updates", COL_INT, get_updates },
	{ "fresh", "fresh", COL_INT, get_fresh },
	{ "stale", "stale", COL_INT, get_stale },
	{ "stale_pct", "stale%", COL_REAL, get_stale_pct },
	{ "staleness_mean", "tau", COL_REAL, get_tau },
	{ "staleness_max", "max", COL_INT, get_tau_max },
	{ "dropped", NULL, COL_INT, get_dropped },
	{ "wait_mean_ms", "wait ms", COL_REAL, get_wait },
	{ "wait_max_ms", NULL, COL_REAL, get_wait_max },
	{ "idle_mean_ms", "idle ms", COL_REAL, get_idle },
	{ "busy_mean_ms", NULL, COL_REAL, get_busy },
	{ "comm_mean_ms", NULL, COL_REAL, get_comm },
	{ "syncs_ts1", NULL, COL_INT, get_ts1 },
	{ "syncs_ts2", NULL, COL_INT, get_ts2 },
	{ "syncs_ts3", NULL, COL_INT, get_ts3 },
	{ "syncs_fallback", NULL, COL_INT, get_fallback },
	{ "sync_split", "ts1/ts2/ts3/fb", COL_STR, get_split },
	{ "quorum_mean", NULL, COL_REAL, get_quorum },
	{ "events", NULL, COL_INT, get_events },
	{ "accuracy", "acc%", COL_OPT_PCT, get_accuracy },
	{ "time_to_target", "target s", COL_OPT_MS, get_to_target },
};
#define NCOLUMNS (sizeof columns / sizeof columns[0])

static void
cell(const struct report_row *r, size_t c, struct value *v)
{
	memset(v, 0, sizeof *v);
	columns[c].get(r, v);
}

/* A table cell as people read it. */
static void
format_cell(char *buf, size_t len, const struct report_row *r, size_t c)
{
	struct value	v;

	cell(r, c, &v);
	switch (columns[c].type) {
	case COL_STR:
		snprintf(buf, len, "%s", v.s);
		break;
	case COL_INT:
		snprintf(buf, len, "%" PRId64, v.i);
		break;
	case COL_MS:
		snprintf(buf, len, "%.2f", v.d / 1000.0);
		break;
	case COL_REAL:
		snprintf(buf, len, "%.*f", v.d >= 1000 ? 0 : 2, v.d);
		break;
	case COL_OPT_MS:
		if (v.missing)
			snprintf(buf, len, "-");
		else
			snprintf(buf, len, "%.2f", v.d / 1000.0);
		break;
	case COL_OPT_PCT:
		if (v.missing)
			snprintf(buf, len, "-");
		else
			snprintf(buf, len, "%.2f", 100 * v.d);
		break;
	}
}

/* A table column: shown if it has a head (training ones if trained). */
static int
shown(const struct column *col, const struct report_row *rows, int n)
{
	if (col->head == NULL)
		return (0);
	if (col->type != COL_OPT_MS && col->type != COL_OPT_PCT)
		return (1);
	for (int i = 0; i < n; i++)
		if (rows[i].trained)
			return (1);
	return (0);
}

/* Columns as wide as their widest cell; text left-aligned. */
static void
write_table(FILE *f, const struct report_row *rows, int n)
{
	char	buf[64];
	int	width[NCOLUMNS];
	size_t	last = 0;

	for (size_t c = 0; c < NCOLUMNS; c++) {
		width[c] = columns[c].head ? (int)strlen(columns[c].head) : 0;
		if (shown(&columns[c], rows, n))
			last = c;
		for (int i = 0; i < n && shown(&columns[c], rows, n); i++) {
			format_cell(buf, sizeof buf, &rows[i], c);
			if ((int)strlen(buf) > width[c])
				width[c] = (int)strlen(buf);
		}
	}
	for (int i = -1; i < n; i++) {
		int first = 1;

		for (size_t c = 0; c < NCOLUMNS; c++) {
			if (!shown(&columns[c], rows, n))
				continue;
			if (i < 0)
				snprintf(buf, sizeof buf, "%s", columns[c].head);
			else
				format_cell(buf, sizeof buf, &rows[i], c);
			/* text pads right, except at the end of the line */
			fprintf(f, "%s%*s", first ? "" : "  ",
			    columns[c].type != COL_STR ? width[c] :
			    c == last ? 0 : -width[c], buf);
			first = 0;
		}
		fputc('\n', f);
	}
}

/* A CSV field, quoted (RFC 4180) when it holds a comma, quote or newline. */
void
report_csv_field(FILE *out, const char *s)
{
	if (strpbrk(s, ",\"\n\r") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

/* A JSON string literal, escaped. */
void
report_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(out, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

/* Numbers print with enough digits to round-trip exactly. */
static void
write_value(FILE *f, const struct column *col, const struct value *v,
    int json)
{
	if (col->type == COL_STR && json)
		report_json_string(f, v->s);
	else if (col->type == COL_STR)
		report_csv_field(f, v->s);
	else if (col->type == COL_INT)
		fprintf(f, "%" PRId64, v->i);
	else if (v->missing)
		fputs(json ? "null" : "", f);
	else
		fprintf(f, "%.17g", v->d);
}

static void
write_csv(FILE *f, const struct report_row *rows, int n)
{
	struct value	v;

	for (size_t c = 0; c < NCOLUMNS; c++)
		fprintf(f, "%s%s", c ? "," : "", columns[c].name);
	fputc('\n', f);
	for (int i = 0; i < n; i++) {
		for (size_t c = 0; c < NCOLUMNS; c++) {
			cell(&rows[i], c, &v);
			if (c)
				fputc(',', f);
			write_value(f, &columns[c], &v, 0);
		}
		fputc('\n', f);
	}
}

/* Per worker (times, speed class) and per round (times, sync, quorum). */
static void
write_json_detail(FILE *f, const struct report_row *r)
{
	const struct round_stats	*rs = r->st.round;

	fputs(",\n   \"workers\": [", f);
	for (int i = 0; i < r->nwv; i++) {
		const struct sim_worker_view *v = &r->wv[i];

		fprintf(f, "%s{\"worker\": %d, \"slow\": %d, \"clock\": %d,"
		    " \"busy_ms\": %.17g, \"wait_ms\": %.17g,"
		    " \"idle_ms\": %.17g, \"comm_ms\": %.17g,"
		    " \"absent_ms\": %.17g}", i ? ",\n    " : "\n    ", i,
		    v->slow, v->clock, v->busy_ms, v->wait_ms, v->idle_ms,
		    v->comm_ms, v->absent_ms);
	}
	fputs("],\n   \"rounds\": [", f);
	for (int k = 0; rs != NULL && k < r->st.rounds; k++) {
		fprintf(f, "%s{\"round\": %d, \"t_start\": %.17g,"
		    " \"t_end\": %.17g, \"gradients\": %d, \"fresh\": %d,"
		    " \"stale\": %d, \"max_staleness\": %" PRIu64,
		    k ? ",\n    " : "\n    ", k, rs[k].t_start, rs[k].t_end,
		    rs[k].gradients, rs[k].fresh, rs[k].stale,
		    rs[k].max_staleness);
		if (rs[k].t_sync >= 0)
			fprintf(f, ", \"t_sync\": %.17g, \"point\": \"%s\","
			    " \"participants\": %d, \"quorum\": %.17g",
			    rs[k].t_sync, sim_point_name((enum sim_point)
			    rs[k].point), rs[k].participants, rs[k].quorum);
		fputc('}', f);
	}
	fputc(']', f);
}

static void
write_json(FILE *f, const struct report_row *rows, int n)
{
	struct value	v;

	fputs("[\n", f);
	for (int i = 0; i < n; i++) {
		fputs("  {", f);
		for (size_t c = 0; c < NCOLUMNS; c++) {
			cell(&rows[i], c, &v);
			fprintf(f, "%s\"%s\": ", c ? ", " : "", columns[c].name);
			write_value(f, &columns[c], &v, 1);
		}
		fprintf(f, ", \"staleness_hist\": [");
		for (int b = 0; b <= STATS_HIST; b++)
			fprintf(f, "%s%" PRIu64, b ? ", " : "", rows[i].st.hist[b]);
		fputc(']', f);
		write_json_detail(f, &rows[i]);
		fprintf(f, "}%s\n", i + 1 < n ? "," : "");
	}
	fputs("]\n", f);
}

static const struct report_writer writers[] = {
	{ "table", write_table, 0 },
	{ "csv", write_csv, 0 },
	{ "json", write_json, 1 },
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
