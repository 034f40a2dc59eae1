/* Summary rows as table, CSV or JSON: the metrics table, three writers. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metric.h"
#include "report.h"
#include "sim.h"
#include "text.h"
#include "train.h"
#include "xmalloc.h"

#define NCOLUMNS metrics_count

/* A table cell as people read it. */
static void
format_cell(char *buf, size_t len, const struct report_row *r, size_t c)
{
	const struct metric	*m = &metrics[c];
	struct metric_value	 v;

	metric_get(m, r, &v);
	if (m->type == METRIC_TEXT)
		text_safe(buf, len, v.s);
	else if (m->type == METRIC_INT)
		snprintf(buf, len, "%" PRId64, v.i);
	else if (v.missing)
		snprintf(buf, len, "-");
	else if (m->show != SHOW_ASIS)
		snprintf(buf, len, "%.2f", metric_shown(m, &v));
	else
		snprintf(buf, len, "%.*f", v.d >= 1000 ? 0 : 2, v.d);
}

/* A table column: shown if it has a head (training ones if trained). */
static int
shown(const struct metric *col, const struct report_row *rows, int n)
{
	if (col->head == NULL)
		return (0);
	if (!col->training)
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
	int	*width = xcalloc(NCOLUMNS, sizeof *width);
	size_t	last = 0;

	for (size_t c = 0; c < NCOLUMNS; c++) {
		width[c] = metrics[c].head ? (int)strlen(metrics[c].head) : 0;
		if (shown(&metrics[c], rows, n))
			last = c;
		for (int i = 0; i < n && shown(&metrics[c], rows, n); i++) {
			format_cell(buf, sizeof buf, &rows[i], c);
			if ((int)strlen(buf) > width[c])
				width[c] = (int)strlen(buf);
		}
	}
	for (int i = -1; i < n; i++) {
		int first = 1;

		for (size_t c = 0; c < NCOLUMNS; c++) {
			if (!shown(&metrics[c], rows, n))
				continue;
			if (i < 0)
				snprintf(buf, sizeof buf, "%s",
				    metrics[c].head);
			else
				format_cell(buf, sizeof buf, &rows[i], c);
			/* text pads right, except at the end of the line */
			fprintf(f, "%s%*s", first ? "" : "  ",
			    metrics[c].type != METRIC_TEXT ? width[c] :
			    c == last ? 0 : -width[c], buf);
			first = 0;
		}
		fputc('\n', f);
	}
	free(width);
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
write_value(FILE *f, enum metric_type type, const struct metric_value *v,
    int json)
{
	if (type == METRIC_TEXT && json)
		report_json_string(f, v->s);
	else if (type == METRIC_TEXT)
		report_csv_field(f, v->s);
	else if (v->missing)
		fputs(json ? "null" : "", f);
	else if (type == METRIC_INT)
		fprintf(f, "%" PRId64, v->i);
	else
		fprintf(f, "%.17g", v->d);
}

static void
write_csv(FILE *f, const struct report_row *rows, int n)
{
	struct metric_value	v;

	for (size_t c = 0; c < NCOLUMNS; c++)
		fprintf(f, "%s%s", c ? "," : "", metrics[c].name);
	fputc('\n', f);
	for (int i = 0; i < n; i++) {
		for (size_t c = 0; c < NCOLUMNS; c++) {
			metric_get(&metrics[c], &rows[i], &v);
			if (c)
				fputc(',', f);
			write_value(f, metrics[c].type, &v, 0);
		}
		fputc('\n', f);
	}
}

/* Per worker (times, speed class) and per round (times, sync, quorum). */
static void
write_json_detail(FILE *f, const struct report_row *r)
{
	const struct round_stats	*rs = r->st.round;

	fputs(",\n   \"per_worker\": [", f);
	for (int i = 0; i < r->nwv; i++) {
		fprintf(f, "%s{\"worker\": %d", i ? ",\n    " : "\n    ", i);
		for (size_t c = 0; c < worker_metrics_count; c++) {
			const struct worker_metric *m = &worker_metrics[c];
			struct metric_value v;

			worker_metric_get(m, &r->wv[i], &v);
			fprintf(f, ", \"%s\": ", m->name);
			write_value(f, m->type, &v, 1);
		}
		fputc('}', f);
	}
	fputs("],\n   \"per_round\": [", f);
	for (int k = 0; rs != NULL && k < r->st.rounds; k++) {
		fprintf(f, "%s{\"round\": %d", k ? ",\n    " : "\n    ", k);
		for (size_t c = 0; c < round_metrics_count; c++) {
			const struct round_metric *m = &round_metrics[c];
			struct metric_value v;

			/* a sync's figures only for a round synced */
			if (m->json == NULL || (m->when == WHEN_SYNCED &&
			    rs[k].t_sync < 0))
				continue;
			memset(&v, 0, sizeof v);
			m->get(&r->st, k, &v);
			fprintf(f, ", \"%s\": ", m->json);
			write_value(f, m->type, &v, 1);
		}
		fputc('}', f);
	}
	fputc(']', f);
}

static void
write_json(FILE *f, const struct report_row *rows, int n)
{
	struct metric_value	v;

	fputs("[\n", f);
	for (int i = 0; i < n; i++) {
		fputs("  {", f);
		for (size_t c = 0; c < NCOLUMNS; c++) {
			metric_get(&metrics[c], &rows[i], &v);
			fprintf(f, "%s\"%s\": ", c ? ", " : "",
			    metrics[c].name);
			write_value(f, metrics[c].type, &v, 1);
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

/*
 * One model's rounds, split where their time went (DESIGN.md section 3,
 * the sync models): from the previous sync (plus its reconfiguration) to
 * the quorum at the PS, and from there to the sync (alignment). The
 * three add up to the inter-sync time. 0 if the model synced nothing.
 */
static int
breakdown(const struct stats *st, double part[4])
{
	int	n = 0;
	double	prev = 0, reconf = 0;

	memset(part, 0, 4 * sizeof *part);
	for (int r = 0; st->round != NULL && r < st->rounds; r++) {
		const struct round_stats *rs = &st->round[r];

		if (rs->t_sync < 0 || rs->t_quorum < 0)
			break;
		part[0] += rs->t_quorum - (prev + reconf);
		part[1] += rs->t_sync - rs->t_quorum;
		part[2] += reconf;
		part[3] += rs->notified;
		prev = rs->t_sync;
		reconf = rs->reconfig_ms;
		n++;
	}
	for (int i = 0; n > 0 && i < 4; i++)
		part[i] /= n;
	return (n);
}

/*
 * For the models that sync rounds: each round's mean time split into
 * the wait for the quorum, the alignment wait after it and the
 * reconfiguration before it, against the baseline model's, term by term:
 * why FastSync or the quorum wins or loses against BSP.
 */
void
report_breakdown(FILE *f, const struct report_row *rows, int n,
    const char *baseline)
{
	double	part[4], base[4];
	int	b = -1, any = 0;
	char	name[64], bname[64];

	for (int i = 0; i < n && b < 0; i++)
		if (strcmp(rows[i].model, baseline) == 0 &&
		    breakdown(&rows[i].st, base) > 0)
			b = i;
	for (int i = 0; i < n; i++) {
		if (breakdown(&rows[i].st, part) == 0)
			continue;
		if (!any++)
			fprintf(f, "\nwhere each sync's time went, mean ms per"
			    " round%s%s:\n%-10s %9s %10s %10s %9s %9s\n",
			    b >= 0 ? " against " : "", b >= 0 ? text_safe(bname,
			    sizeof bname, baseline) : "",
			    "model", "round", "to quorum", "alignment",
			    "reconfig", "notified");
		fprintf(f, "%-10s %9.2f %10.2f %10.2f %9.2f %9.2f\n",
		    text_safe(name, sizeof name, rows[i].model), part[0] + part[1] + part[2], part[0],
		    part[1], part[2], part[3]);
	}
	for (int i = 0; b >= 0 && i < n; i++) {
		if (i == b || breakdown(&rows[i].st, part) == 0)
			continue;
		fprintf(f, "%s - %s: to quorum %+.2f, alignment %+.2f,"
		    " reconfig %+.2f = %+.2f ms a round\n", text_safe(name,
		    sizeof name, rows[i].model), text_safe(bname, sizeof bname,
		    baseline), part[0] - base[0], part[1] - base[1],
		    part[2] - base[2], part[0] + part[1] + part[2] -
		    (base[0] + base[1] + base[2]));
	}
}

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

/*
 * A model's summary row from its engine, and its trainer's figures if
 * it trained (t may be NULL); headless runs and the dashboard both
 * make their rows here. The evaluations are t's, borrowed.
 */
void
report_row_fill(struct report_row *row, const struct sim *s,
    const struct trainer *t)
{
	const struct fs_config	*cf = sim_config(s);

	memset(row, 0, sizeof *row);
	row->model = sim_model(s)->name;
	row->workers = cf->workers;
	row->rounds = cf->rounds;
	row->seed = cf->seed;
	row->events = sim_events(s);
	stats_summarize(sim_stats(s), &row->sum);
	row->st = *sim_stats(s);
	row->st.round = NULL;
	if (t != NULL) {
		row->trained = 1;
		row->accuracy = trainer_accuracy(t);
		row->time_to_target = trainer_time_to_target(t);
		row->evals = trainer_evals(t, &row->nevals);
	}
}
