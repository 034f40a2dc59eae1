/*
 * fastsync sweep: run a grid of configurations (the product of every
 * --vary axis) times --seeds, -j at a time, each run recorded as
 * `fastsync run` would record it (same config text, overrides and rows)
 * plus its sweep and point. A run already complete in the database is
 * skipped, so running the same sweep again resumes it; --shard I/N (or
 * a Slurm array task) runs a deterministic slice.
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "db.h"
#include "run.h"
#include "sweep.h"
#include "text.h"
#include "train.h"
#include "wallclock.h"
#include "xmalloc.h"

static volatile sig_atomic_t sweep_signal;

struct job {
	const struct options	*o;
	const struct sweep	*sw;
	const char		*path;		/* the config file */
	const char		*dbpath;
	int64_t			 id;		/* the sweep's row */
	unsigned char		*skip;		/* done, or another shard's */
	int			 nruns, todo;
	pthread_mutex_t		 mu;
	int			 next, finished, failed;
	int			 progress;	/* stderr is a terminal */
	double			 t0;
	char			 err[1024];
};

static void
on_signal(int sig)
{
	sweep_signal = sig;
}

/*
 * Run k's options: the command's, then each axis's value and the seed,
 * as if given to `fastsync run` by --set and --seed. keys and values
 * (n of them, the seed last) point into it. Free with point_free.
 */
static void
point_options(const struct job *j, int k, struct options *po,
    const char **keys, const char **values, int *n)
{
	const struct sweep	*sw = j->sw;
	int			 p = sweep_run_point(sw, k), m = j->o->nsets;
	char			*v;

	*po = *j->o;
	po->sets = xcalloc((size_t)m + (size_t)sw->naxes + 1,
	    sizeof *po->sets);
	/* the command's own are borrowed: point_free leaves them */
	if (m > 0)
		memcpy(po->sets, j->o->sets, (size_t)m * sizeof *po->sets);
	for (int a = 0; a < sw->naxes; a++) {
		struct config_override *c = &po->sets[m++];

		c->key = sw->axes[a].key;
		c->value = sweep_value(sw, a, p);
		xasprintf(&v, "--vary %s=%s", c->key, c->value);
		c->origin = v;
	}
	if (sw->seeded) {
		xasprintf(&v, "%lld", (long long)sweep_run_seed(sw, k));
		po->sets[m].key = "seed";
		po->sets[m].value = v;
		po->sets[m++].origin = xstrdup("--seeds");
	}
	po->nsets = m;
	*n = 0;
	for (int i = j->o->nsets; i < m; i++) {
		keys[*n] = po->sets[i].key;
		values[(*n)++] = po->sets[i].value;
	}
}

static void
point_free(const struct job *j, struct options *po)
{
	for (int i = j->o->nsets; i < po->nsets; i++) {
		free((char *)(uintptr_t)po->sets[i].origin);
		if (strcmp(po->sets[i].key, "seed") == 0)
			free((char *)(uintptr_t)po->sets[i].value);
	}
	free(po->sets);
}

/* Load run k's configuration (libconfig under the job's lock). */
static int
point_load(struct job *j, int k, struct fs_config *cf, struct options *po,
    const char **keys, const char **values, int *n, int quiet)
{
	int	rc;

	point_options(j, k, po, keys, values, n);
	po->quiet = quiet;
	pthread_mutex_lock(&j->mu);
	rc = cmd_load(cf, j->path, po);
	pthread_mutex_unlock(&j->mu);
	return (rc);
}

/* Run and record run k into db; 0, or -1 with j->err said. */
static int
run_one(struct job *j, struct db *db, int k)
{
	struct fs_config	 cf;
	struct options		 po;
	struct train_data	 data;
	struct recorder		*rec;
	struct run_error	 e;
	const char		*keys[64], *values[64], *status;
	char			 err[1024], *text, *over;
	enum run_err		 kind;
	FILE			*null;
	int			 n, rc = -1;

	if (point_load(j, k, &cf, &po, keys, values, &n, 1) != 0) {
		snprintf(err, sizeof err, "run %d: its configuration", k);
		goto said;
	}
	if (cmd_load_data(&cf, &data) != 0) {
		config_free(&cf);
		snprintf(err, sizeof err, "run %d: its data", k);
		goto said;
	}
	text = cmd_config_text(j->path);
	over = cmd_overrides_text(&po);
	rec = recorder_begin(db, &cf, text, over, NULL, cf.record_events,
	    err, sizeof err);
	free(text);
	free(over);
	if (rec == NULL)
		goto out;
	if (db_sweep_point(db, recorder_run_id(rec), j->id,
	    sweep_run_point(j->sw, k), keys, values, n, err, sizeof err) != 0) {
		(void)recorder_end(rec, "failed", NULL, 0);
		goto out;
	}
	if ((null = fopen("/dev/null", "w")) == NULL)
		null = stdout;
	kind = run_headless(&cf, cf.train ? &data : NULL,
	    report_writer_find("csv"), 1, 0, null, rec, &sweep_signal, &e);
	if (null != stdout)
		fclose(null);
	status = sweep_signal ? "interrupted" : kind == RUN_OK ||
	    kind == RUN_EOUTPUT ? "complete" : "failed";
	if (recorder_end(rec, status, err, sizeof err) == 0 &&
	    strcmp(status, "failed") != 0)
		rc = 0;
	else if (kind == RUN_ERUNTIME)
		snprintf(err, sizeof err, "%s", e.msg);
out:
	train_data_free(&data);
	config_free(&cf);
said:
	point_free(j, &po);
	if (rc != 0 && !sweep_signal) {
		pthread_mutex_lock(&j->mu);
		if (!j->failed)
			snprintf(j->err, sizeof j->err, "%s", err);
		j->failed = 1;
		pthread_mutex_unlock(&j->mu);
	}
	return (rc);
}

/* Runs done of those to do, time so far and an estimate of what is left. */
static void
progress(struct job *j)
{
	double	el = wallclock() - j->t0;
	char	a[32], b[32];

	text_duration(a, sizeof a, el);
	if (j->finished > 0)
		text_duration(b, sizeof b, el / j->finished * (j->todo -
		    j->finished));
	else
		snprintf(b, sizeof b, "-");
	fprintf(stderr, "\rsweep: %d/%d runs, %s elapsed, ETA %s  ",
	    j->finished, j->todo, a, b);
	if (j->finished == j->todo)
		fputc('\n', stderr);
	fflush(stderr);
}

/* A thread: its own connection; takes the next run to do until none. */
static void *
worker(void *ud)
{
	struct job	*j = ud;
	struct db	*db;
	char		 err[1024];
	int		 status, k;

	if ((db = db_open_status(j->dbpath, 0, &status, err, sizeof err)) ==
	    NULL) {
		pthread_mutex_lock(&j->mu);
		if (!j->failed)
			snprintf(j->err, sizeof j->err, "%s", err);
		j->failed = 1;
		pthread_mutex_unlock(&j->mu);
		return (NULL);
	}
	for (;;) {
		pthread_mutex_lock(&j->mu);
		while (j->next < j->nruns && j->skip[j->next])
			j->next++;
		k = j->failed || sweep_signal ? j->nruns : j->next++;
		pthread_mutex_unlock(&j->mu);
		if (k >= j->nruns || run_one(j, db, k) != 0)
			break;
		pthread_mutex_lock(&j->mu);
		j->finished++;
		if (j->progress)
			progress(j);
		pthread_mutex_unlock(&j->mu);
	}
	db_close(db);
	return (NULL);
}

/* What makes the sweep itself: the same text is the same sweep. */
static char *
sweep_spec(const struct options *o, const char *path, const struct sweep *sw)
{
	char	*s, *t;

	xasprintf(&s, "config %s\nmodels %s\n", path ? path : "(built-in)",
	    o->models ? o->models : "all");
	for (int i = 0; i < o->nsets; i++) {
		xasprintf(&t, "%sset %s=%s\n", s, o->sets[i].key,
		    o->sets[i].value);
		free(s);
		s = t;
	}
	for (int a = 0; a < sw->naxes; a++) {
		xasprintf(&t, "%svary %s=", s, sw->axes[a].key);
		free(s);
		s = t;
		for (int i = 0; i < sw->axes[a].n; i++) {
			xasprintf(&t, "%s%s%s", s, i ? "," : "",
			    sw->axes[a].values[i]);
			free(s);
			s = t;
		}
		xasprintf(&t, "%s\n", s);
		free(s);
		s = t;
	}
	if (sw->seeded) {
		xasprintf(&t, "%sseeds %lld-%lld\n", s,
		    (long long)sw->seed_lo, (long long)sw->seed_hi);
		free(s);
		s = t;
	}
	return (s);
}

/* The varied keys, seed last, as a JSON list. */
static char *
keys_json(const struct sweep *sw)
{
	char	*s = xstrdup("["), *t;

	for (int a = 0; a < sw->naxes; a++) {
		xasprintf(&t, "%s%s\"%s\"", s, a ? ", " : "", sw->axes[a].key);
		free(s);
		s = t;
	}
	xasprintf(&t, "%s%s]", s, sw->seeded ? sw->naxes ? ", \"seed\"" :
	    "\"seed\"" : "");
	free(s);
	return (t);
}

static uint32_t
fnv1a(const char *s)
{
	uint32_t	h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return (h);
}

/* The axes, seeds and shard from the options (and a Slurm array task). */
static int
sweep_parse(const struct options *o, struct sweep *sw)
{
	const char	*id = getenv("SLURM_ARRAY_TASK_ID");
	const char	*count = getenv("SLURM_ARRAY_TASK_COUNT");
	char		 err[512];
	int		 rc = 0;

	sweep_init(sw);
	for (int i = 0; i < o->nvaries && rc == 0; i++)
		rc = sweep_vary(sw, o->varies[i], err, sizeof err);
	if (rc == 0 && o->seeds != NULL)
		rc = sweep_seeds(sw, o->seeds, err, sizeof err);
	if (rc == 0 && o->shard != NULL)
		rc = sweep_shard(sw, o->shard, err, sizeof err);
	else if (rc == 0 && id != NULL && count != NULL)
		rc = sweep_shard_env(sw, id, count, err, sizeof err);
	if (rc == 0)
		rc = sweep_check(sw, err, sizeof err);
	if (rc != 0) {
		cli_say("%s", err);
		sweep_free(sw);
	}
	return (rc);
}

/* Every grid point's configuration loads (at the first seed): else 2. */
static int
check_points(struct job *j, char **dbpath)
{
	struct fs_config	 cf;
	struct options		 po;
	const char		*keys[64], *values[64];
	int			 n;

	if (j->sw->naxes > 60) {
		cli_say("--vary: at most 60 keys");
		return (-1);
	}
	for (int p = 0; p < sweep_points(j->sw); p++) {
		int	k = p * sweep_nseeds(j->sw);
		int	rc = point_load(j, k, &cf, &po, keys, values, &n,
			    p > 0 || j->o->quiet);

		point_free(j, &po);
		if (rc != 0)
			return (-1);
		if (p == 0)
			*dbpath = xstrdup(j->o->db ? j->o->db : cf.record_db ?
			    cf.record_db : "");
		config_free(&cf);
	}
	if (**dbpath == '\0') {
		free(*dbpath);
		if ((*dbpath = db_default_path()) == NULL) {
			cli_say("%s", db_no_default);
			return (-1);
		}
	}
	return (0);
}

int
cmd_sweep(int argc, char **argv, struct options *o)
{
	struct sweep	 sw;
	struct job	 j;
	struct db	*db;
	pthread_t	*th;
	char		 err[1024], *spec, *keys, *name, *dbpath = NULL;
	long		 cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int		 rc, status, nth, done = 0;

	if (argc != 0)
		return (usage_error("sweep: unexpected argument '%s'",
		    argv[0]));
	if (o->no_db)
		return (usage_error("sweep: --no-db: a sweep is recorded"));
	if (o->name != NULL && (*o->name == '\0' ||
	    strspn(o->name, "0123456789 ") == strlen(o->name) ||
	    strcmp(o->name, "last") == 0))
		return (usage_error("--name: '%s' would read as a run id or"
		    " 'last'; pick a name with a letter", o->name));
	if (sweep_parse(o, &sw) != 0)
		return (EXIT_USAGE);
	memset(&j, 0, sizeof j);
	pthread_mutex_init(&j.mu, NULL);
	j.o = o;
	j.sw = &sw;
	j.path = o->config != NULL ? o->config : default_config();
	if (check_points(&j, &dbpath) != 0) {
		rc = EXIT_USAGE;
		goto out;
	}
	spec = sweep_spec(o, j.path, &sw);
	keys = keys_json(&sw);
	if (o->name != NULL)
		name = xstrdup(o->name);
	else
		xasprintf(&name, "sweep-%08x", fnv1a(spec));
	j.dbpath = dbpath;
	j.nruns = sweep_points(&sw) * sweep_nseeds(&sw);
	j.skip = xcalloc((size_t)j.nruns, 1);
	if ((db = db_open_status(dbpath, 0, &status, err, sizeof err)) == NULL ||
	    (status = db_sweep_begin(db, name, spec, keys, sweep_points(&sw),
	    sweep_nseeds(&sw), &j.id, err, sizeof err)) != 0 ||
	    (status = db_sweep_done(db, j.id, sweep_nseeds(&sw), sw.seed_lo,
	    j.skip, j.nruns, err, sizeof err)) != 0) {
		cli_say("%s", err);
		rc = status;
		db_close(db);
		goto free;
	}
	db_close(db);
	for (int k = 0; k < j.nruns; k++) {
		if (j.skip[k] && sweep_in_shard(&sw, k))
			done++;
		j.skip[k] |= !sweep_in_shard(&sw, k);
		j.todo += !j.skip[k];
	}
	j.progress = !o->quiet && isatty(STDERR_FILENO) && j.todo > 0;
	j.t0 = wallclock();
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	nth = o->jobs > 0 ? o->jobs : cpus > 0 ? (int)cpus : 1;
	if (nth > j.todo)
		nth = j.todo;
	th = xcalloc((size_t)nth + 1, sizeof *th);
	for (int t = 0; t < nth; t++)
		if (pthread_create(&th[t], NULL, worker, &j) != 0)
			nth = t;
	for (int t = 0; t < nth; t++)
		pthread_join(th[t], NULL);
	free(th);
	rc = sweep_signal ? 128 + sweep_signal : j.failed ? 1 : 0;
	if (j.failed)
		cli_say("sweep %s: %s", name, j.err);
	else if (!o->quiet)
		cli_say("sweep %s: %d runs recorded in %s"
		    " (%d grid points x %d seeds%s%s, %d already complete)%s",
		    name, j.finished, dbpath, sweep_points(&sw),
		    sweep_nseeds(&sw), sw.nshards > 1 ? ", shard " : "",
		    sw.nshards > 1 ? o->shard ? o->shard : "from Slurm" : "",
		    done, sweep_signal ? " (interrupted)" : "");
free:
	free(j.skip);
	free(name);
	free(keys);
	free(spec);
out:
	free(dbpath);
	pthread_mutex_destroy(&j.mu);
	sweep_free(&sw);
	return (rc);
}
