/*
 * The database commands: runs, show, compare, export, delete, vacuum.
 * Each takes --db FILE (default: the file runs are recorded in).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "db.h"
#include "report.h"
#include "text.h"
#include "xmalloc.h"

/* The model kind runs' headlines are measured against. */
#define RUNS_BASELINE	"bsp"

/*
 * An existing database. To read (write 0): writable if it can be, so
 * runs orphaned by a killed process are marked interrupted, else (a
 * read-only file or folder, a busy writer) read-only. To change it
 * (delete, vacuum): writable, or the reason it is not.
 */
struct db *
cmd_db_open(const struct options *o, int write, int *status)
{
	struct db	*d = NULL;
	char		*path = o->db ? xstrdup(o->db) : db_default_path();
	char		 err[1024];

	*status = EXIT_USAGE;
	if (path == NULL) {
		cli_say("%s", db_no_default);
		return (NULL);
	}
	if (access(path, F_OK) != 0) {
		cli_say("%s: no database here yet (record a"
		    " run first, or give --db FILE)", path);
		free(path);
		return (NULL);
	}
	if (write || db_writable(path) == 0)
		d = db_open_status(path, 0, status, err, sizeof err);
	/* busy, or not ours to write: reading needs neither */
	if (!write && d == NULL && (*status == 1 || db_writable(path) != 0))
		d = db_open_status(path, 1, status, err, sizeof err);
	if (d == NULL)
		cli_say("%s", err);
	free(path);
	return (d);
}

/* RUN on the command line into an id. */
int
cmd_db_run(struct db *d, const char *spec, int64_t *id)
{
	char	err[1024];
	int	rc;

	if ((rc = db_find_run(d, spec, id, err, sizeof err)) != 0)
		cli_say("%s", err);
	return (rc);
}

/* -v: a round of run is on disk (FILE *f is where to say so). */
void
cmd_db_recorded(void *f, int64_t run, const char *model, int round)
{
	char	name[64];

	fprintf(f, "fastsync: recorded run %" PRId64 " %s round %d\n", run,
	    text_safe(name, sizeof name, model), round);
}

/* Close up: report err, or a failed write of what was printed. */
static int
done(struct db *d, int rc, const char *err)
{
	if (rc != 0 && err != NULL && *err != '\0')
		cli_say("%s", err);
	else if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout))) {
		perror("fastsync: writing output");
		rc = 1;
	}
	db_close(d);
	return (rc);
}

/* The runs, one line each, with the fastest model against BSP. */
static void
print_runs(FILE *out, const struct db_run *runs, int n)
{
	fprintf(out, "%5s  %-20s  %-16s  %-30s  %7s  %6s  %-11s  %-24s  %s\n",
	    "id", "started (UTC)", "name", "models", "workers", "rounds",
	    "status", "headline", "what");
	for (int i = 0; i < n; i++) {
		const struct db_run *r = &runs[i];
		char name[256], shown[17], head[96] = "-", best[64];
		char models[512], what[512];

		/* names, models and overrides shown terminal-safe */
		text_safe(name, sizeof name, r->name ? r->name : "-");
		/* long names are cut to the column, marked with '~' */
		if (strlen(name) > 16) {
			snprintf(shown, sizeof shown, "%.15s~", name);
			snprintf(name, sizeof name, "%s", shown);
		}
		if (!isnan(r->vs_base))
			snprintf(head, sizeof head, "%s %+.1f%% vs %s",
			    text_safe(best, sizeof best, r->best),
			    100.0 * (r->vs_base - 1), RUNS_BASELINE);
		fprintf(out, "%5" PRId64 "  %-20s  %-16s  %-30s  %7d  %6d  %-11s"
		    "  %-24s  %s\n", r->id, r->started, name,
		    text_safe(models, sizeof models, r->models ? r->models :
		    "-"), r->workers, r->rounds, r->status, head,
		    text_safe(what, sizeof what, r->what ? r->what : "-"));
	}
}

int
cmd_runs(int argc, char **argv, struct options *o)
{
	struct db	*d;
	struct db_run	*runs;
	char		 err[1024] = "";
	int		 rc, n;

	if (argc != 0)
		return (usage_error("runs: unexpected argument '%s'", argv[0]));
	if ((d = cmd_db_open(o, 0, &rc)) == NULL)
		return (rc);
	if ((rc = db_list_runs(d, RUNS_BASELINE, &runs, &n, err,
	    sizeof err)) == 0) {
		print_runs(stdout, runs, n);
		db_free_runs(runs, n);
	}
	return (done(d, rc, err));
}

int
cmd_show(int argc, char **argv, struct options *o)
{
	struct db		*d;
	struct report_row	*rows;
	const struct report_writer *wr = report_writer_find(o->format ?
				    o->format : "table");
	char			 err[1024] = "";
	int64_t			 id;
	int			 rc, n;

	if (argc != 1)
		return (usage_error("show: expected one RUN or SWEEP"));
	if ((d = cmd_db_open(o, 0, &rc)) == NULL)
		return (rc);
	if ((rc = db_sweep_find(d, argv[0], &id, err, sizeof err)) != 0)
		return (done(d, rc < 0 ? 1 : cmd_sweep_show(d, id, argv[0], o,
		    err, sizeof err), err));
	if ((rc = cmd_db_run(d, argv[0], &id)) != 0)
		return (done(d, rc, NULL));
	if ((rc = db_load_rows(d, id, &rows, &n, err, sizeof err)) == 0) {
		wr->write(stdout, rows, n);
		if (strcmp(wr->name, "table") == 0)
			report_breakdown(stdout, rows, n, RUNS_BASELINE);
		db_free_rows(rows, n);
	}
	return (done(d, rc, err));
}

int
cmd_compare(int argc, char **argv, struct options *o)
{
	struct db	*d;
	int64_t		*ids;
	char		 err[1024] = "";
	int		 rc = 0;

	if (argc < 1)
		return (usage_error("compare: expected RUN [RUN...]"));
	if ((d = cmd_db_open(o, 0, &rc)) == NULL)
		return (rc);
	ids = xcalloc((size_t)argc, sizeof *ids);
	for (int i = 0; i < argc && rc == 0; i++)
		rc = cmd_db_run(d, argv[i], &ids[i]);
	if (rc == 0)
		rc = cmd_compare_print(d, ids, argc, o->models, stdout, err,
		    sizeof err);
	free(ids);
	return (done(d, rc, err));
}

/* Export's writer: CSV (a header line) or JSON objects, as cells come. */
struct export_out {
	FILE	*f;
	int	 json;
	int	 rows;
};

/* fprintf's "%lld", without its cost (an export has millions). */
static void
put_int(FILE *f, int64_t v)
{
	char		 buf[24], *p = buf + sizeof buf;
	uint64_t	 u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	fwrite(p, 1, (size_t)(buf + sizeof buf - p), f);
}

static void
export_cell(FILE *f, const struct db_cell *v, int json)
{
	switch (v->type) {
	case DB_NULL:
		fputs(json ? "null" : "", f);
		break;
	case DB_INT:
		put_int(f, v->i);
		break;
	case DB_REAL:
		fprintf(f, "%.17g", v->d);
		break;
	case DB_TEXT:
		(json ? report_json_string : report_csv_field)(f, v->s);
		break;
	}
}

static void
export_row(void *ud, const struct db_cell *cells, int n, int header)
{
	struct export_out	*x = ud;

	if (header) {
		if (x->json)
			fputs("[\n", x->f);
		for (int c = 0; c < n && !x->json; c++)
			fprintf(x->f, "%s%s", c ? "," : "", cells[c].name);
		if (!x->json)
			fputc('\n', x->f);
		return;
	}
	if (x->json)
		fputs(x->rows ? ",\n  {" : "  {", x->f);
	for (int c = 0; c < n; c++) {
		if (x->json)
			fprintf(x->f, "%s\"%s\": ", c ? ", " : "",
			    cells[c].name);
		else if (c)
			fputc(',', x->f);
		export_cell(x->f, &cells[c], x->json);
	}
	fputs(x->json ? "}" : "\n", x->f);
	x->rows++;
}

int
cmd_export(int argc, char **argv, struct options *o)
{
	struct db		*d;
	struct export_out	 x = { stdout, 0, 0 };
	char			 err[1024] = "";
	int64_t			 id;
	int			 rc;

	if (argc != 1)
		return (usage_error("export: expected one RUN or SWEEP"));
	if (o->format != NULL && strcmp(o->format, "table") == 0)
		return (usage_error("export: --format is csv or json"));
	if ((d = cmd_db_open(o, 0, &rc)) == NULL)
		return (rc);
	x.json = o->format != NULL && strcmp(o->format, "json") == 0;
	/* a sweep (unless a table is asked for): its tidy table */
	if (o->table == NULL && (rc = db_sweep_find(d, argv[0], &id, err,
	    sizeof err)) != 0)
		rc = rc < 0 ? 1 : db_sweep_export(d, id, export_row, &x, err,
		    sizeof err);
	else if ((rc = cmd_db_run(d, argv[0], &id)) != 0)
		return (done(d, rc, NULL));
	else
		rc = db_export(d, id, o->table ? o->table : "models",
		    export_row, &x, err, sizeof err);
	if (rc == 0 && x.json)
		fputs(x.rows ? "\n]\n" : "]\n", stdout);
	return (done(d, rc, err));
}

int
cmd_delete(int argc, char **argv, struct options *o)
{
	struct db	*d;
	char		 err[1024] = "";
	int64_t		 id;
	int		 rc;

	if (argc != 1)
		return (usage_error("delete: expected one RUN"));
	if ((d = cmd_db_open(o, 1, &rc)) == NULL)
		return (rc);
	if ((rc = cmd_db_run(d, argv[0], &id)) != 0)
		return (done(d, rc, NULL));
	if ((rc = db_delete_run(d, id, err, sizeof err)) == 0 && !o->quiet)
		printf("deleted run %lld\n", (long long)id);
	return (done(d, rc, err));
}

int
cmd_vacuum(int argc, char **argv, struct options *o)
{
	struct db	*d;
	char		 err[1024] = "";
	int		 rc;

	if (argc != 0)
		return (usage_error("vacuum: unexpected argument '%s'",
		    argv[0]));
	if ((d = cmd_db_open(o, 1, &rc)) == NULL)
		return (rc);
	rc = db_vacuum(d, err, sizeof err);
	return (done(d, rc, err));
}

/* merge OUT.db SHARD.db...: each file's runs into OUT, one at a time. */
int
cmd_merge(int argc, char **argv, struct options *o)
{
	struct db	*d;
	struct db_merge	 m;
	char		 err[1024] = "";
	int		 rc = 0, status;

	if (argc < 2)
		return (usage_error("merge: expected OUT.db SHARD.db..."));
	if ((d = db_open_status(argv[0], 0, &status, err, sizeof err)) == NULL)
		return (done(d, status, err));
	for (int i = 1; i < argc && rc == 0; i++) {
		if ((rc = db_merge(d, argv[i], &m, err, sizeof err)) == 0 &&
		    !o->quiet)
			cli_say("%s: %d runs added, %d there"
			    " already, %d left out (running, or no UUID)",
			    argv[i], m.added, m.already, m.left_out);
	}
	return (done(d, rc, err));
}
