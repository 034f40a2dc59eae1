/*
 * fastsync compare's output: per model (of any run) and compared metric
 * (the metrics table's compare label), each run's value and its
 * difference from the first run; then each model's round times as a
 * sparkline per run. The rows come from the database layer.
 */
#include <inttypes.h>
#include <langinfo.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "metric.h"
#include "report.h"
#include "text.h"
#include "widgets.h"
#include "xmalloc.h"

static const struct report_row *
find_model(const struct report_row *rows, int n, const char *model)
{
	for (int i = 0; i < n; i++)
		if (strcmp(rows[i].model, model) == 0)
			return (&rows[i]);
	return (NULL);
}

/* A compared metric as people read it; NAN: the run lacks it. */
static double
compared(const struct metric *m, const struct report_row *r)
{
	struct metric_value	v;

	if (r == NULL)
		return (NAN);
	metric_get(m, r, &v);
	return (metric_shown(m, &v));
}

/* Training lines show when any run of the model trained. */
static int
any_trained(struct report_row **rows, const int *n, int nids,
    const char *model)
{
	for (int k = 0; k < nids; k++) {
		const struct report_row *r = find_model(rows[k], n[k], model);

		if (r != NULL && r->trained)
			return (1);
	}
	return (0);
}

/* One model's metrics across the runs; "-" where a run lacks it. */
static void
compare_model(FILE *out, struct report_row **rows, const int *n, int nids,
    const char *model)
{
	int	trained = any_trained(rows, n, nids, model), first = 1;
	char	name[64];

	for (size_t m = 0; m < metrics_count; m++) {
		const struct metric *mt = &metrics[m];
		double base = compared(mt, find_model(rows[0], n[0], model));

		if (mt->compare == NULL || (mt->training && !trained))
			continue;
		fprintf(out, "%-10s %-13s", first ? text_safe(name, sizeof name,
		    model) : "", mt->compare);
		first = 0;
		if (isnan(base))
			fprintf(out, " %12s", "-");
		else
			fprintf(out, " %12.2f", base);
		for (int k = 1; k < nids; k++) {
			double v = compared(mt, find_model(rows[k], n[k],
			    model));

			if (isnan(v))
				fprintf(out, " %12s %6s", "-", "");
			else if (!isnan(base) && base != 0)
				fprintf(out, " %12.2f %+5.0f%%", v, 100 *
				    (v / base - 1));
			else
				fprintf(out, " %12.2f %6s", v, "");
		}
		fputc('\n', out);
	}
}

/* One run's round times of one model, as a sparkline. */
static void
spark_model(FILE *out, const struct report_row *o, int64_t id, int first,
    int utf8)
{
	double	*v;
	char	 line[48 * 4 + 1], name[64];
	int	 nv = 0;

	if (o == NULL || o->st.round == NULL)
		return;
	v = xcalloc((size_t)o->rounds + 1, sizeof *v);
	for (int r = 0; r < o->st.rounds_done; r++)
		v[nv++] = stats_round_time(&o->st, r);
	widget_sparkline(line, sizeof line, v, nv, 48, utf8);
	fprintf(out, "%-10s run %-6" PRId64 " %s\n", first ? text_safe(name,
	    sizeof name, o->model) : "", id, line);
	free(v);
}

/*
 * Is the model in -m's list (NULL: every model)? An entry matches its
 * name, or a kind its entries (ssp matches ssp-3).
 */
static int
wanted(const char *only, const struct report_row *r)
{
	size_t	len;

	for (const char *p = only; p != NULL; p = strchr(p, ',') ?
	    strchr(p, ',') + 1 : NULL) {
		len = strcspn(p, ",");
		if ((strncmp(p, r->model, len) == 0 && (r->model[len] == '\0' ||
		    r->model[len] == '-')) || (len == 3 && strncmp(p, "all",
		    3) == 0))
			return (1);
	}
	return (only == NULL);
}

/*
 * Runs ids side by side on out, headed by name or by what differs, only
 * the models in only (NULL: all); returns an exit status, err set.
 */
int
cmd_compare_print(struct db *d, const int64_t *ids, int nids,
    const char *only, FILE *out, char *err, size_t errlen)
{
	char			**labels = NULL;
	struct report_row	**rows = xcalloc((size_t)nids, sizeof *rows);
	int			 *n = xcalloc((size_t)nids, sizeof *n), rc = 0;
	const char		**models = NULL;
	int			  nmodels = 0;
	const char		 *cs = nl_langinfo(CODESET);
	int			  utf8 = cs != NULL && strcmp(cs, "UTF-8") == 0;

	for (int k = 0; k < nids && rc == 0; k++)
		rc = db_load_rows(d, ids[k], &rows[k], &n[k], err, errlen);
	if (rc != 0)
		goto out;
	labels = xcalloc((size_t)nids, sizeof *labels);
	db_run_labels(d, ids, nids, labels);
	/* labels are names and overrides: shown terminal-safe */
	for (int k = 0; k < nids; k++) {
		char safe[256];

		if (!text_needs_escape(labels[k]))
			continue;
		text_safe(safe, sizeof safe, labels[k]);
		free(labels[k]);
		labels[k] = xstrdup(safe);
	}
	/* a heading too wide for its column is said in full above */
	for (int k = 0; k < nids; k++)
		if (strlen(labels[k]) > 12)
			fprintf(out, "%-10s run %" PRId64 ": %s\n", k ? "" :
			    "columns", ids[k], labels[k]);
	fprintf(out, "%-10s %-13s", "model", "metric");
	for (int k = 0; k < nids; k++) {
		char h[32];

		if (strlen(labels[k]) > 12)
			snprintf(h, sizeof h, "run %" PRId64, ids[k]);
		else
			snprintf(h, sizeof h, "%s", labels[k]);
		fprintf(out, " %12s%s", h, k ? "   diff" : "");
	}
	fputc('\n', out);
	/* every model of any run, in order of first appearance */
	for (int k = 0; k < nids; k++) {
		for (int i = 0; i < n[k]; i++) {
			int seen = 0;

			for (int j = 0; j < nmodels; j++)
				seen |= strcmp(models[j], rows[k][i].model) == 0;
			if (!seen && wanted(only, &rows[k][i])) {
				models = xreallocarray(models, (size_t)nmodels + 1,
				    sizeof *models);
				models[nmodels++] = rows[k][i].model;
			}
		}
	}
	for (int i = 0; i < nmodels; i++)
		compare_model(out, rows, n, nids, models[i]);
	fprintf(out, "\nround times (ms), each line scaled to its own range:\n");
	for (int i = 0; i < nmodels; i++)
		for (int k = 0; k < nids; k++)
			spark_model(out, find_model(rows[k], n[k], models[i]),
			    ids[k], k == 0 || find_model(rows[k - 1], n[k - 1],
			    models[i]) == NULL, utf8);
	free(models);
	for (int k = 0; k < nids; k++)
		free(labels[k]);
	free(labels);
out:
	for (int k = 0; k < nids; k++)
		db_free_rows(rows[k], n[k]);
	free(rows);
	free(n);
	return (rc);
}
