/*
 * fastsync run and fastsync check. A run loads the configuration and
 * (training) its data, checks the dashboard's terminal and themes, opens
 * the database before any work (so a bad --db costs nothing), then runs
 * in the dashboard (cmd_dash.c) or headless (run.c), recording as it
 * goes. On SIGINT, SIGTERM or SIGHUP it stops, records the run as
 * interrupted and exits 128 + the signal.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "db.h"
#include "report.h"
#include "run.h"
#include "text.h"
#include "dash.h"
#include "model.h"
#include "train.h"
#include "xmalloc.h"

static volatile sig_atomic_t stop_signal;

/*
 * Each way a run ends: its exit code (a signal's 128 + n overrides it)
 * and the status it is recorded with.
 */
static const struct {
	int		 exit;
	const char	*status;
} endings[] = {
	[RUN_OK] =	{ 0, "complete" },
	[RUN_EINPUT] =	{ EXIT_USAGE, "failed" },	/* before recording */
	[RUN_ERUNTIME] = { 1, "failed" },
	[RUN_EOUTPUT] =	{ 1, "complete" },	/* every model ran */
	[RUN_STOPPED] =	{ 0, "interrupted" },
};

static void
on_signal(int sig)
{
	stop_signal = sig;
}

/* The configuration with o's overrides and models; errors said. */
int
cmd_load(struct fs_config *cf, const char *path, const struct options *o)
{
	char	err[1024];

	if (config_load(cf, path, o->sets, o->nsets, err, sizeof err) != 0) {
		cli_say("%s", err);
		return (-1);
	}
	if (o->models != NULL &&
	    config_select_models(cf, o->models, err, sizeof err) != 0) {
		cli_say("%s", err);
		config_free(cf);
		return (-1);
	}
	for (int i = 0; i < cf->nmodels && !o->quiet; i++) {
		if (model_warning(cf, &cf->models[i], err, sizeof err))
			cli_say("%s:%d: warning: %s", path,
			    cf->models[i].line, err);
	}
	return (0);
}

int
cmd_check(int argc, char **argv, struct options *o)
{
	struct fs_config	 cf;
	const char		*path = argc == 1 ? argv[0] : o->config;
	char			 shown[1024];

	if (argc > 1 || path == NULL || (argc == 1 && o->config != NULL))
		return (usage_error("check: expected one FILE"));
	if (cmd_load(&cf, path, o) != 0)
		return (endings[RUN_EINPUT].exit);
	printf("%s: ok: %d workers, %d rounds, %d tasks, %d models\n",
	    text_safe(shown, sizeof shown, path), cf.workers, cf.rounds,
	    cf.dag.n, cf.nmodels);
	config_free(&cf);
	return (0);
}

/* The configuration as recorded: the file's text (none for built-ins). */
char *
cmd_config_text(const char *path)
{
	FILE	*f;
	char	*buf;
	long	 n;

	if (path == NULL || (f = fopen(path, "rb")) == NULL)
		return (xstrdup(""));
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return (xstrdup(""));
	}
	buf = xmalloc((size_t)n + 1);
	n = (long)fread(buf, 1, (size_t)n, f);
	buf[n] = '\0';
	fclose(f);
	return (buf);
}

/* The overrides as recorded, one "key=value" a line. */
char *
cmd_overrides_text(const struct options *o)
{
	size_t	 len = 1;
	char	*s;

	for (int i = 0; i < o->nsets; i++)
		len += strlen(o->sets[i].key) + strlen(o->sets[i].value) + 2;
	s = xcalloc(1, len);
	for (int i = 0; i < o->nsets; i++) {
		strcat(s, o->sets[i].key);
		strcat(s, "=");
		strcat(s, o->sets[i].value);
		strcat(s, "\n");
	}
	return (s);
}

/*
 * The database a run records into: --db, record.db, else the default
 * (NULL: there is none, db_no_default says why).
 */
static char *
db_for_run(const struct options *o, const struct fs_config *cf)
{
	if (o->db != NULL)
		return (xstrdup(o->db));
	if (cf->record_db != NULL)
		return (xstrdup(cf->record_db));
	return (db_default_path());
}

/*
 * The training data of cf (workload "train"), else none; a missing or
 * bad file is said, and is EXIT_USAGE.
 */
int
cmd_load_data(const struct fs_config *cf, struct train_data *data)
{
	char	err[1024];

	memset(data, 0, sizeof *data);
	if (cf->train && train_data_load(data, cf->train_data,
	    (size_t)cf->train_max_pixels, err, sizeof err) != 0) {
		cli_say("%s", err);
		return (EXIT_USAGE);
	}
	return (0);
}

static void
catch_signals(void)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* a closed terminal or a lost ssh session stops it the same way */
	sigaction(SIGHUP, &sa, NULL);
	/* a closed pipe is a write error, not death before the run is saved */
	signal(SIGPIPE, SIG_IGN);
}

/* -v: what the run recorded, and the events' size on disk. */
static void
say_recorded(const struct fs_config *cf, int64_t id, int64_t n, int64_t b)
{
	char	ev[32];

	if (!cf->record_events) {
		fprintf(stderr, "fastsync: recorded run %lld: %d rounds x %d"
		    " models, no events (record.events is false)\n",
		    (long long)id, cf->rounds, cf->nmodels);
		return;
	}
	if (n >= 1000000)
		snprintf(ev, sizeof ev, "%.1fM", (double)n / 1e6);
	else if (n >= 1000)
		snprintf(ev, sizeof ev, "%.1fk", (double)n / 1e3);
	else
		snprintf(ev, sizeof ev, "%lld", (long long)n);
	fprintf(stderr, "fastsync: recorded run %lld: %d rounds x %d models,"
	    " events %s (%.1f MB%s)\n", (long long)id, cf->rounds,
	    cf->nmodels, ev, (double)b / 1e6, cf->record_compress ?
	    ", compressed" : "");
}

/*
 * Before a headless run whose event log will be large, say so: about
 * 2 events a task and 6 more a worker's round, ~6.4 bytes each
 * compressed and ~24 as JSON text (1,000 workers x 200 rounds, every
 * model: bench/bench.sh).
 */
#define BIG_EVENT_LOG	1e8	/* bytes */

static void
say_big_event_log(const struct fs_config *cf)
{
	double	n = (double)cf->workers * cf->rounds * cf->nmodels *
		    (2.0 * cf->dag.n + 6);
	double	b = n * (cf->record_compress ? 6.4 : 24);

	if (!cf->record_events || b < BIG_EVENT_LOG)
		return;
	cli_say("recording every event: about %.0fM events, some %.0f MB"
	    " (record.events=false keeps every per-round figure without"
	    " them)", n / 1e6, b / 1e6);
}

int
cmd_run(int argc, char **argv, struct options *o)
{
	struct fs_config	 cf;
	struct db		*db = NULL;
	struct recorder		*rec = NULL;
	struct theme		*th = NULL;
	struct train_data	 data;
	const char		*path = o->config;
	struct run_error	 e;
	enum run_err		 kind;
	char			 err[1024], *dbpath = NULL, *text, *over;
	int			 rc, status, nth = 0, finished = 0, said;
	int			 live = !o->headless && o->format == NULL;

	if (argc != 0)
		return (usage_error("run: unexpected argument '%s'", argv[0]));
	if (o->name != NULL && (*o->name == '\0' ||
	    strspn(o->name, "0123456789 ") == strlen(o->name) ||
	    strcmp(o->name, "last") == 0))
		return (usage_error("--name: '%s' would read as a run id or"
		    " 'last'; pick a name with a letter", o->name));
	/* No file found: the built-in defaults, the same as default.cfg. */
	if (path == NULL)
		path = default_config();
	if (cmd_load(&cf, path, o) != 0)
		return (endings[RUN_EINPUT].exit);
	/* the training data, before anything is recorded */
	if ((rc = cmd_load_data(&cf, &data)) != 0) {
		config_free(&cf);
		return (rc);
	}
	/* the dashboard's terminal and themes (a headless run's --theme
	 * too), before anything is recorded */
	rc = live ? cmd_dash_prepare(o, &th, &nth) : cmd_check_theme(o);
	if (rc != 0) {
		train_data_free(&data);
		config_free(&cf);
		return (rc);
	}
	if (!o->no_db) {
		if ((dbpath = db_for_run(o, &cf)) == NULL)
			snprintf(err, sizeof err, "%s", db_no_default);
		if (dbpath == NULL || (db = db_open_status(dbpath, 0, &status,
		    err, sizeof err)) == NULL) {
			cli_say("%s", err);
			status = dbpath == NULL ? EXIT_USAGE : status;
			free(dbpath);
			config_free(&cf);
			dash_themes_free(th, nth);
			train_data_free(&data);
			return (status);
		}
		text = cmd_config_text(path);
		over = cmd_overrides_text(o);
		rec = recorder_begin(db, &cf, text, over, o->name,
		    cf.record_events, err, sizeof err);
		free(text);
		free(over);
		if (rec == NULL) {
			cli_say("%s", err);
			db_close(db);
			free(dbpath);
			config_free(&cf);
			dash_themes_free(th, nth);
			train_data_free(&data);
			return (1);
		}
		/* not under the dashboard: stderr is its screen */
		if (o->verbose && !live)
			recorder_on_commit(rec, cmd_db_recorded, stderr);
	}
	if (live) {
		/* the dashboard owns the themes and its own signal handling,
		 * and says its own errors */
		rc = cmd_dashboard(&cf, cf.train ? &data : NULL, path, o, rec,
		    th, nth, &stop_signal, &finished);
		kind = rc != 0 ? RUN_ERUNTIME : finished ? RUN_OK :
		    RUN_STOPPED;
	} else {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		catch_signals();
		if (rec != NULL && !o->quiet)
			say_big_event_log(&cf);
		kind = run_headless(&cf, cf.train ? &data : NULL,
		    report_writer_find(o->format ? o->format : "table"),
		    o->jobs > 0 ? o->jobs : cpus > 0 ? (int)cpus : 1,
		    !o->quiet && isatty(STDERR_FILENO), stdout, rec,
		    &stop_signal, &e);
		if (kind == RUN_ERUNTIME || kind == RUN_EOUTPUT)
			cli_say("%s", e.msg);
	}
	said = kind == RUN_ERUNTIME || kind == RUN_EOUTPUT;
	if (stop_signal)
		kind = RUN_STOPPED;
	rc = endings[kind].exit;
	if (rec != NULL) {
		int64_t		 id = recorder_run_id(rec);
		const char	*st = endings[kind].status;
		int64_t		 nevents, nbytes;

		recorder_totals(rec, &nevents, &nbytes);

		if (recorder_end(rec, st, err, sizeof err) != 0) {
			/* a recorder error is already said once, above */
			if (!said)
				cli_say("%s", err);
			rc = 1;
		} else if (!o->quiet)
			cli_say("recorded as run %lld in %s"
			    "%s%s%s", (long long)id, dbpath, strcmp(st,
			    "complete") ? " (" : "", strcmp(st, "complete") ?
			    st : "", strcmp(st, "complete") ? ")" : "");
		if (o->verbose && !o->quiet && !said)
			say_recorded(&cf, id, nevents, nbytes);
		db_close(db);
	}
	if (stop_signal)
		rc = 128 + stop_signal;
	free(dbpath);
	train_data_free(&data);
	config_free(&cf);
	return (rc);
}
