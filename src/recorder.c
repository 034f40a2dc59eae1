/*
 * Recording a run (DESIGN.md section 4): an engine observer that writes
 * rounds as they complete, and with record.events the update, cluster,
 * quorum and full event logs. The run row says "running" before the
 * first event and "complete" or "interrupted" at the end; every round
 * commits on its own, so a killed process leaves a consistent database
 * with every round it reported. All SQL is prepared, values bound.
 */
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "db_priv.h"
#include "model.h"
#include "sim.h"
#include "train.h"
#include "wallclock.h"
#include "xmalloc.h"

enum stmt {
	S_ROUND,
	S_UPDATE,
	S_CLUSTER,
	S_QUORUM,
	S_EVENT,
	S_NSTMTS
};

static const char *const stmt_sql[S_NSTMTS] = {
	[S_ROUND] = "INSERT OR REPLACE INTO rounds VALUES"
	    " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	[S_UPDATE] = "INSERT INTO updates VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
	    " ?8)",
	[S_CLUSTER] = "INSERT INTO clusters VALUES (?1, ?2, ?3, ?4, ?5)",
	[S_QUORUM] = "INSERT INTO quorum_checks VALUES (?1, ?2, ?3, ?4, ?5,"
	    " ?6, ?7, ?8)",
	[S_EVENT] = "INSERT INTO events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
	    " ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
};

struct recorder {
	struct db	*db;
	int64_t		 run;
	int		 events;
	sqlite3_stmt	*st[S_NSTMTS];
	struct rec_model **m;		/* models being recorded */
	int		 nm;
	int		 failed;
	char		 err[512];
	FILE		*verbose;
	double		 last_commit;	/* wall seconds */
	int		 pending;	/* rows written since the last commit */
	/* headless runs record models from several threads at once */
	pthread_mutex_t	 mu;
};

/*
 * One model's recording. Models may run one after another (headless) or
 * side by side (the dashboard), so each engine observes its own.
 */
struct rec_model {
	struct recorder	*r;
	const char	*model;
	struct sim	*sim;
	int64_t		 seq;
	int		 reported;	/* rounds said committed */
	int		 completed;	/* rounds complete */
};

#define COMMIT_EVERY	0.05	/* seconds of wall time between commits */
#define COMMIT_ROWS	20000	/* ... or rows written since the last */

static void
now_iso(char *buf, size_t len)
{
	time_t		t = time(NULL);
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Remember the first failure; every later write is skipped. */
static int
rec_fail(struct recorder *r, const char *what)
{
	if (!r->failed)
		(void)db_fail(r->db, what, r->err, sizeof r->err);
	r->failed = 1;
	return (-1);
}

static int
step(struct recorder *r, sqlite3_stmt *st, const char *what)
{
	int	rc = sqlite3_step(st);

	r->pending++;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return (rec_fail(r, what));
	return (0);
}

/*
 * Commit what is pending and start the next transaction; with -v, say
 * which rounds are now safely on disk.
 */
static int
commit(struct recorder *r)
{
	if (r->failed)
		return (-1);
	if (db_exec(r->db, "COMMIT", r->err, sizeof r->err) != 0 ||
	    db_exec(r->db, "BEGIN", r->err, sizeof r->err) != 0) {
		r->failed = 1;
		return (-1);
	}
	r->last_commit = wallclock();
	r->pending = 0;
	for (int i = 0; i < r->nm; i++) {
		struct rec_model *m = r->m[i];

		for (; r->verbose != NULL && m->reported < m->completed;
		    m->reported++)
			fprintf(r->verbose, "fastsync: recorded run %" PRId64
			    " %s round %d\n", r->run, m->model, m->reported);
		m->reported = m->completed;
	}
	return (0);
}

static void
bind_text(sqlite3_stmt *st, int i, const char *s)
{
	sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

/* Every per-model row starts with (run, model): parameters 1 and 2. */
static sqlite3_stmt *
row_of(struct rec_model *m, enum stmt which)
{
	sqlite3_stmt	*st = m->r->st[which];

	sqlite3_bind_int64(st, 1, m->r->run);
	bind_text(st, 2, m->model);
	return (st);
}

/* Store round k of the current model as the engine has it now. */
static void
write_round(struct rec_model *m, int k)
{
	struct recorder		*r = m->r;
	const struct stats	*s = sim_stats(m->sim);
	const struct round_stats *rs;
	sqlite3_stmt		*st;

	if (k < 0 || k >= s->rounds || r->failed)
		return;
	rs = &s->round[k];
	st = row_of(m, S_ROUND);
	sqlite3_bind_int(st, 3, k);
	if (rs->t_start >= 0)
		sqlite3_bind_double(st, 4, rs->t_start);
	if (k < s->rounds_done)		/* else the round is still open */
		sqlite3_bind_double(st, 5, rs->t_end);
	if (rs->t_sync >= 0) {
		sqlite3_bind_double(st, 6, rs->t_sync);
		bind_text(st, 7, sim_point_name((enum sim_point)rs->point));
		sqlite3_bind_double(st, 8, rs->quorum);
		sqlite3_bind_int(st, 9, rs->participants);
	}
	sqlite3_bind_int(st, 10, rs->gradients);
	sqlite3_bind_int(st, 11, rs->fresh);
	sqlite3_bind_int(st, 12, rs->stale);
	sqlite3_bind_int64(st, 13, (int64_t)rs->max_staleness);
	if (k < s->rounds_done || (s->syncs_done > 0 && rs->t_sync >= 0))
		sqlite3_bind_double(st, 14, stats_round_time(s, k));
	(void)step(r, st, "recording a round");
}

static void
write_event(struct rec_model *m, const struct sim_event *ev)
{
	sqlite3_stmt	*st = row_of(m, S_EVENT);

	sqlite3_bind_int64(st, 3, m->seq++);
	sqlite3_bind_double(st, 4, ev->t);
	bind_text(st, 5, sim_event_name(ev->type));
	if (ev->worker >= 0)
		sqlite3_bind_int(st, 6, ev->worker);
	if (ev->task >= 0)
		sqlite3_bind_int(st, 7, ev->task);
	sqlite3_bind_int(st, 8, ev->round);
	if (ev->clock >= 0)
		sqlite3_bind_int(st, 9, ev->clock);
	sqlite3_bind_int(st, 10, ev->min_clock);
	sqlite3_bind_int(st, 11, ev->count);
	if (ev->point != SP_NONE)
		bind_text(st, 12, sim_point_name((enum sim_point)ev->point));
	sqlite3_bind_int(st, 13, ev->ready);
	sqlite3_bind_int(st, 14, ev->needed);
	sqlite3_bind_int(st, 15, ev->pass);
	sqlite3_bind_int(st, 16, ev->label);
	sqlite3_bind_int64(st, 17, (int64_t)ev->v_read);
	sqlite3_bind_int64(st, 18, (int64_t)ev->v_apply);
	(void)step(m->r, st, "recording an event");
}

static void
write_detail(struct rec_model *m, const struct sim_event *ev)
{
	struct recorder	*r = m->r;
	static const char *const labels[] = { "noise", "C1", "C2" };
	sqlite3_stmt	*st;

	switch (ev->type) {
	case SIM_EV_APPLY:
		st = row_of(m, S_UPDATE);
		sqlite3_bind_double(st, 3, ev->t);
		sqlite3_bind_int(st, 4, ev->worker);
		sqlite3_bind_int(st, 5, ev->round);
		sqlite3_bind_int64(st, 6, (int64_t)ev->v_read);
		sqlite3_bind_int64(st, 7, (int64_t)ev->v_apply);
		sqlite3_bind_int64(st, 8, (int64_t)(ev->v_apply - ev->v_read));
		(void)step(r, st, "recording an update");
		break;
	case SIM_EV_CLUSTER:
		st = row_of(m, S_CLUSTER);
		sqlite3_bind_int(st, 3, ev->round);
		sqlite3_bind_int(st, 4, ev->worker);
		bind_text(st, 5, labels[ev->label + 1]);
		(void)step(r, st, "recording a cluster");
		break;
	case SIM_EV_QUORUM:
		st = row_of(m, S_QUORUM);
		sqlite3_bind_int(st, 3, ev->round);
		sqlite3_bind_double(st, 4, ev->t);
		bind_text(st, 5, sim_point_name((enum sim_point)ev->point));
		sqlite3_bind_int(st, 6, ev->ready);
		sqlite3_bind_int(st, 7, ev->needed);
		sqlite3_bind_int(st, 8, ev->pass);
		(void)step(r, st, "recording a quorum check");
		break;
	default:
		break;
	}
}

static void	observe(struct rec_model *, const struct sim_event *);

static void
observer(const struct sim_event *ev, void *ud)
{
	struct rec_model *m = ud;
	struct recorder	*r = m->r;

	pthread_mutex_lock(&r->mu);
	observe(m, ev);
	pthread_mutex_unlock(&r->mu);
}

static void
observe(struct rec_model *m, const struct sim_event *ev)
{
	struct recorder	*r = m->r;

	if (r->failed)
		return;
	if (r->events) {
		write_event(m, ev);
		write_detail(m, ev);
	}
	if (ev->type != SIM_EV_ROUND && ev->type != SIM_EV_SYNC)
		return;
	write_round(m, ev->round);
	if (ev->type == SIM_EV_ROUND)
		m->completed = ev->round + 1;
	/* whole rounds only, batched: every 50 ms or 20,000 rows */
	if (r->pending >= COMMIT_ROWS ||
	    wallclock() - r->last_commit >= COMMIT_EVERY)
		(void)commit(r);
}

/*
 * Start recording: the run row, marked running, committed before the
 * simulation starts. config is the configuration's text, overrides the
 * --set list as text.
 */
struct recorder *
recorder_begin(struct db *db, const struct fs_config *cf, const char *config,
    const char *overrides, const char *name, int events, char *err,
    size_t errlen)
{
	struct recorder	*r = xcalloc(1, sizeof *r);
	sqlite3_stmt	*st;
	char		 when[32], host[256] = "";

	pthread_mutex_init(&r->mu, NULL);
	r->db = db;
	r->events = events;
	now_iso(when, sizeof when);
	(void)gethostname(host, sizeof host - 1);
	if (sqlite3_prepare_v2(db->h, "INSERT INTO runs (name, status,"
	    " started, pid, host, version, seed, workers, rounds, config_path,"
	    " config, overrides, events) VALUES (?1, 'running', ?2, ?3, ?4,"
	    " ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", -1, &st, NULL) != SQLITE_OK) {
		db_fail(db, "recording a run", err, errlen);
		free(r);
		return (NULL);
	}
	if (name != NULL)
		bind_text(st, 1, name);
	bind_text(st, 2, when);
	sqlite3_bind_int64(st, 3, (int64_t)getpid());
	bind_text(st, 4, host);
	bind_text(st, 5, FASTSYNC_VERSION);
	sqlite3_bind_int64(st, 6, (int64_t)cf->seed);
	sqlite3_bind_int(st, 7, cf->workers);
	sqlite3_bind_int(st, 8, cf->rounds);
	bind_text(st, 9, cf->path);
	bind_text(st, 10, config);
	bind_text(st, 11, overrides);
	sqlite3_bind_int(st, 12, events);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_fail(db, "recording a run", err, errlen);
		sqlite3_finalize(st);
		free(r);
		return (NULL);
	}
	sqlite3_finalize(st);
	r->run = sqlite3_last_insert_rowid(db->h);
	for (int i = 0; i < S_NSTMTS; i++) {
		if (sqlite3_prepare_v2(db->h, stmt_sql[i], -1, &r->st[i],
		    NULL) != SQLITE_OK) {
			db_fail(db, "preparing the recorder", err, errlen);
			recorder_end(r, "failed", NULL, 0);
			return (NULL);
		}
	}
	if (db_exec(db, "BEGIN", err, errlen) != 0) {
		recorder_end(r, "failed", NULL, 0);
		return (NULL);
	}
	return (r);
}

/* The model's parameters as JSON text, for run_models.params. */
static void
params_json(const struct model_spec *m, char *buf, size_t len)
{
	const struct model_ops	*ops = model_ops_for(m->kind);

	setting_json(ops->params, ops->nparams, m, buf, len);
}

static int	model_begin(struct recorder *, struct sim *, int);
static int	model_end(struct recorder *, struct sim *,
		    const struct report_row *);

/* A model starts: its row, and the recorder watches its engine. */
int
recorder_model(struct recorder *r, struct sim *s, int position)
{
	int rc;

	pthread_mutex_lock(&r->mu);
	rc = model_begin(r, s, position);
	pthread_mutex_unlock(&r->mu);
	return (rc);
}

/* The model's summary, its workers and every round's final figures. */
int
recorder_model_end(struct recorder *r, struct sim *s,
    const struct report_row *row)
{
	int rc;

	pthread_mutex_lock(&r->mu);
	rc = model_end(r, s, row);
	pthread_mutex_unlock(&r->mu);
	return (rc);
}

static int
model_begin(struct recorder *r, struct sim *s, int position)
{
	const struct model_spec	*m = sim_model(s);
	struct rec_model	*rm;
	sqlite3_stmt		*st;
	char			 params[512];

	if (r->failed)
		return (-1);
	params_json(m, params, sizeof params);
	if (sqlite3_prepare_v2(r->db->h, "INSERT INTO run_models (run, model,"
	    " kind, position, params, status) VALUES (?1, ?2, ?3, ?4, ?5,"
	    " 'running')", -1, &st, NULL) != SQLITE_OK)
		return (rec_fail(r, "recording a model"));
	sqlite3_bind_int64(st, 1, r->run);
	bind_text(st, 2, m->name);
	bind_text(st, 3, model_kind_name(m->kind));
	sqlite3_bind_int(st, 4, position);
	bind_text(st, 5, params);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		return (rec_fail(r, "recording a model"));
	}
	sqlite3_finalize(st);
	rm = xcalloc(1, sizeof *rm);
	rm->r = r;
	rm->model = m->name;
	rm->sim = s;
	r->m = xreallocarray(r->m, (size_t)r->nm + 1, sizeof *r->m);
	r->m[r->nm++] = rm;
	if (sim_observe(s, observer, rm) != 0)
		return (rec_fail(r, "too many observers"));
	return (commit(r));
}

static int
model_end(struct recorder *r, struct sim *s, const struct report_row *row)
{
	const struct stats_summary	*u = &row->sum;
	const struct stats		*t = &row->st;
	sqlite3_stmt			*st;
	struct rec_model		*rm = NULL;
	char				 hist[STATS_HIST * 24 + 8];
	size_t				 n = 0;
	int				 rc;

	if (r->failed)
		return (-1);
	for (int i = 0; i < r->nm; i++)
		if (r->m[i]->sim == s)
			rm = r->m[i];
	if (rm == NULL)
		return (rec_fail(r, "recording a summary of an unknown model"));
	n += (size_t)snprintf(hist, sizeof hist, "[");
	for (int b = 0; b <= STATS_HIST; b++)
		n += (size_t)snprintf(hist + n, sizeof hist - n, "%s%" PRIu64,
		    b ? ", " : "", t->hist[b]);
	snprintf(hist + n, sizeof hist - n, "]");
	if (sqlite3_prepare_v2(r->db->h, "UPDATE run_models SET status ="
	    " ?3, time_ms = ?4, round_mean_ms = ?5, round_p50_ms = ?6,"
	    " round_p95_ms = ?7, throughput = ?8, gradients = ?9, updates ="
	    " ?10, fresh = ?11, stale = ?12, dropped = ?13, staleness_mean ="
	    " ?14, staleness_max = ?15, wait_mean_ms = ?16, wait_max_ms = ?17,"
	    " idle_mean_ms = ?18, busy_mean_ms = ?19, comm_mean_ms = ?20,"
	    " syncs_ts1 = ?21, syncs_ts2 = ?22, syncs_ts3 = ?23,"
	    " syncs_fallback = ?24, quorum_mean = ?25, sim_events = ?26,"
	    " staleness_hist = ?27, accuracy = ?28, time_to_target = ?29"
	    " WHERE run = ?1 AND model = ?2", -1, &st,
	    NULL) != SQLITE_OK)
		return (rec_fail(r, "recording a summary"));
	sqlite3_bind_int64(st, 1, r->run);
	bind_text(st, 2, rm->model);
	bind_text(st, 3, sim_done(s) ? "complete" : "interrupted");
	sqlite3_bind_double(st, 4, u->time_ms);
	sqlite3_bind_double(st, 5, u->round_mean_ms);
	sqlite3_bind_double(st, 6, u->round_p50_ms);
	sqlite3_bind_double(st, 7, u->round_p95_ms);
	sqlite3_bind_double(st, 8, u->throughput);
	sqlite3_bind_int64(st, 9, (int64_t)t->gradients);
	sqlite3_bind_int64(st, 10, (int64_t)t->updates);
	sqlite3_bind_int64(st, 11, (int64_t)t->fresh);
	sqlite3_bind_int64(st, 12, (int64_t)t->stale);
	sqlite3_bind_int64(st, 13, (int64_t)t->dropped);
	sqlite3_bind_double(st, 14, u->staleness_mean);
	sqlite3_bind_int64(st, 15, (int64_t)t->staleness_max);
	sqlite3_bind_double(st, 16, u->wait_mean_ms);
	sqlite3_bind_double(st, 17, t->max_wait_ms);
	sqlite3_bind_double(st, 18, u->idle_mean_ms);
	sqlite3_bind_double(st, 19, u->busy_mean_ms);
	sqlite3_bind_double(st, 20, u->comm_mean_ms);
	sqlite3_bind_int64(st, 21, (int64_t)t->points[SP_TS1]);
	sqlite3_bind_int64(st, 22, (int64_t)t->points[SP_TS2]);
	sqlite3_bind_int64(st, 23, (int64_t)t->points[SP_TS3]);
	sqlite3_bind_int64(st, 24, (int64_t)t->points[SP_FALLBACK]);
	sqlite3_bind_double(st, 25, u->quorum_mean);
	sqlite3_bind_int64(st, 26, (int64_t)row->events);
	bind_text(st, 27, hist);
	if (row->trained && !isnan(row->accuracy))
		sqlite3_bind_double(st, 28, row->accuracy);
	if (row->trained && !isnan(row->time_to_target))
		sqlite3_bind_double(st, 29, row->time_to_target);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		return (rec_fail(r, "recording a summary"));
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(r->db->h, "INSERT OR REPLACE INTO workers"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", -1, &st,
	    NULL) != SQLITE_OK)
		return (rec_fail(r, "recording workers"));
	for (int w = 0; w < sim_workers(s) && !r->failed; w++) {
		struct sim_worker_view v;

		sim_worker(s, w, &v);
		sqlite3_bind_int64(st, 1, r->run);
		bind_text(st, 2, rm->model);
		sqlite3_bind_int(st, 3, w);
		sqlite3_bind_int(st, 4, v.slow);
		sqlite3_bind_int(st, 5, v.clock);
		sqlite3_bind_double(st, 6, v.busy_ms);
		sqlite3_bind_double(st, 7, v.wait_ms);
		sqlite3_bind_double(st, 8, v.idle_ms);
		sqlite3_bind_double(st, 9, v.comm_ms);
		sqlite3_bind_double(st, 10, v.absent_ms);
		(void)step(r, st, "recording workers");
	}
	sqlite3_finalize(st);
	/* the test-set evaluations of a training run */
	if (row->nevals > 0) {
		if (sqlite3_prepare_v2(r->db->h, "INSERT INTO accuracy VALUES"
		    " (?1, ?2, ?3, ?4, ?5, ?6)", -1, &st, NULL) != SQLITE_OK)
			return (rec_fail(r, "recording accuracy"));
		for (int k = 0; k < row->nevals && !r->failed; k++) {
			sqlite3_bind_int64(st, 1, r->run);
			bind_text(st, 2, rm->model);
			sqlite3_bind_int(st, 3, row->evals[k].round);
			sqlite3_bind_double(st, 4, row->evals[k].t);
			sqlite3_bind_double(st, 5, row->evals[k].accuracy);
			sqlite3_bind_double(st, 6, row->evals[k].loss);
			(void)step(r, st, "recording accuracy");
		}
		sqlite3_finalize(st);
	}
	/* late gradients may have changed a round after it was written */
	for (int k = 0; k < sim_stats(s)->rounds; k++)
		if (sim_stats(s)->round[k].t_start >= 0)
			write_round(rm, k);
	rc = commit(r);
	rm->sim = NULL;		/* the engine may go now */
	return (rc);
}

/*
 * The end: the run's status and finish time, all committed; r is freed.
 * Returns -1 with the first error of the whole recording in err.
 */
int
recorder_end(struct recorder *r, const char *status, char *err,
    size_t errlen)
{
	sqlite3_stmt	*st;
	char		 when[32];
	int		 rc = r->failed ? -1 : 0;

	for (int i = 0; i < S_NSTMTS; i++)
		sqlite3_finalize(r->st[i]);
	(void)sqlite3_exec(r->db->h, r->failed ? "ROLLBACK" : "COMMIT", NULL,
	    NULL, NULL);
	now_iso(when, sizeof when);
	if (sqlite3_prepare_v2(r->db->h, "UPDATE runs SET status = ?2,"
	    " finished = ?3 WHERE id = ?1", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, r->run);
		bind_text(st, 2, r->failed ? "failed" : status);
		bind_text(st, 3, when);
		if (sqlite3_step(st) != SQLITE_DONE && !r->failed) {
			(void)db_fail(r->db, "finishing the run", r->err,
			    sizeof r->err);
			rc = -1;
		}
		sqlite3_finalize(st);
	}
	if (rc != 0 && err != NULL)
		snprintf(err, errlen, "%s", r->err);
	for (int i = 0; i < r->nm; i++)
		free(r->m[i]);
	free(r->m);
	pthread_mutex_destroy(&r->mu);
	free(r);
	return (rc);
}

int64_t
recorder_run_id(const struct recorder *r)
{
	return (r->run);
}

const char *
recorder_error(const struct recorder *r)
{
	/* models of other threads may be failing it right now */
	struct recorder	*w = (struct recorder *)(uintptr_t)r;
	int		 failed;

	pthread_mutex_lock(&w->mu);
	failed = w->failed;
	pthread_mutex_unlock(&w->mu);
	return (failed ? r->err : NULL);
}

void
recorder_set_verbose(struct recorder *r, FILE *f)
{
	r->verbose = f;
}
