/*
 * Recording a run (DESIGN.md section 4): an engine observer that writes
 * rounds as they complete, and with record.events the full event log,
 * in compressed chunks (db_events.c) that end at each round. The run
 * row says "running" before the first event and "complete" or
 * "interrupted" at the end; every round
 * commits on its own, so a killed process leaves a consistent database
 * with every round it reported. All SQL is prepared, values bound.
 *
 * Many processes may record into one file: a write transaction (BEGIN
 * IMMEDIATE, waiting out others with the busy timeout) opens at the
 * first row of a batch and closes at its commit, never in between, and
 * a flusher thread commits a batch left pending (a paused dashboard
 * stops calling the observer) within COMMIT_EVERY.
 */
#include <inttypes.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "db_events.h"
#include "db_priv.h"
#include "model.h"
#include "sim.h"
#include "train.h"
#include "wallclock.h"
#include "xmalloc.h"

enum stmt {
	S_ROUND,
	S_CHUNK,
	S_NSTMTS
};

static const char *const stmt_sql[S_NSTMTS] = {
	[S_ROUND] = NULL,	/* round_sql(): from the rounds table */
	[S_CHUNK] = "INSERT INTO event_chunks (run, model, seq, n, size,"
	    " scale, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
};

struct recorder {
	struct db	*db;
	int64_t		 run;
	int		 events;
	int		 compress;	/* record.compress */
	sqlite3_stmt	*st[S_NSTMTS];
	int		*round_param;	/* S_ROUND's index of each metric */
	int		 round_k;	/* ... and of :round */
	struct rec_model **m;		/* models being recorded */
	int		 nm;
	int		 failed;
	char		 err[512];
	int64_t		 nevents;	/* events recorded, all models */
	int64_t		 bytes;		/* their chunks' packed size */
	recorder_commit_fn *on_commit;	/* each round once on disk */
	void		*on_commit_ud;
	double		 last_commit;	/* wall seconds */
	int		 pending;	/* rows written since the last commit */
	int		 in_tx;		/* a write transaction is open */
	/* headless runs record models from several threads at once */
	pthread_mutex_t	 mu;
	/* the flusher: commits a pending batch nobody else will */
	pthread_t	 flusher;
	pthread_cond_t	 wake;
	int		 flushing;	/* the thread runs */
	int		 stop;
};

/*
 * One model's recording. Models may run one after another (headless) or
 * side by side (the dashboard), so each engine observes its own.
 */
struct rec_model {
	struct recorder	*r;
	const char	*model;
	struct sim	*sim;
	int64_t		 seq;		/* the next event's */
	struct db_evbuf	 buf;		/* events since the last chunk */
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

/* A random (version 4) UUID: the run's name across merged files. */
static void
new_uuid(char out[40])
{
	unsigned char	 b[16];
	FILE		*f = fopen("/dev/urandom", "rb");
	size_t		 n = f != NULL ? fread(b, 1, sizeof b, f) : 0;

	if (f != NULL)
		fclose(f);
	/* no /dev/urandom: time, pid and address still tell runs apart */
	for (size_t i = n; i < sizeof b; i++)
		b[i] = (unsigned char)(((uint64_t)time(NULL) * 2654435761u ^
		    (uint64_t)getpid() << (i % 8) ^ (uintptr_t)out >> i) &
		    0xff);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 40, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
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

/* Take the write lock for a batch, if this batch does not hold it. */
static int
begin_tx(struct recorder *r)
{
	if (r->failed)
		return (-1);
	if (r->in_tx)
		return (0);
	if (db_exec(r->db, "BEGIN IMMEDIATE", r->err, sizeof r->err) != 0) {
		r->failed = 1;
		return (-1);
	}
	r->in_tx = 1;
	if (r->flushing)
		pthread_cond_signal(&r->wake);
	return (0);
}

static int
step(struct recorder *r, sqlite3_stmt *st, const char *what)
{
	int	rc = begin_tx(r) != 0 ? SQLITE_ERROR : sqlite3_step(st);

	r->pending++;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return (rec_fail(r, what));
	return (0);
}

/*
 * Commit what is pending, releasing the write lock; tell the on_commit
 * hook (-v) which rounds are now safely on disk.
 */
static int
commit(struct recorder *r)
{
	if (r->failed)
		return (-1);
	if (r->in_tx && db_exec(r->db, "COMMIT", r->err, sizeof r->err) != 0) {
		r->failed = 1;
		return (-1);
	}
	r->in_tx = 0;
	r->last_commit = wallclock();
	r->pending = 0;
	for (int i = 0; i < r->nm; i++) {
		struct rec_model *m = r->m[i];

		for (; r->on_commit != NULL && m->reported < m->completed;
		    m->reported++)
			r->on_commit(r->on_commit_ud, r->run, m->model,
			    m->reported);
		m->reported = m->completed;
	}
	return (0);
}

/* The flusher thread: a batch open for COMMIT_EVERY is committed. */
static void *
flusher(void *ud)
{
	struct recorder	*r = ud;
	struct timespec	 ts;

	pthread_mutex_lock(&r->mu);
	while (!r->stop) {
		if (!r->in_tx) {
			pthread_cond_wait(&r->wake, &r->mu);
			continue;
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += (long)(COMMIT_EVERY * 1e9);
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		(void)pthread_cond_timedwait(&r->wake, &r->mu, &ts);
		if (r->in_tx && !r->stop &&
		    wallclock() - r->last_commit >= COMMIT_EVERY)
			(void)commit(r);
	}
	pthread_mutex_unlock(&r->mu);
	return (NULL);
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
	sqlite3_stmt		*st;

	if (k < 0 || k >= s->rounds || r->failed)
		return;
	st = row_of(m, S_ROUND);
	sqlite3_bind_int(st, r->round_k, k);
	for (size_t i = 0; i < round_metrics_count; i++) {
		const struct round_metric *rm = &round_metrics[i];
		struct metric_value v;

		if (!round_metric_has(rm, s, k))
			continue;
		memset(&v, 0, sizeof v);
		rm->get(s, k, &v);
		db_bind_value_at(st, r->round_param[i], rm->type, &v);
	}
	(void)step(r, st, "recording a round");
}

/*
 * The model's chunk, packed already, as a row (none once the recorder
 * has failed); the next starts after.
 */
static void
write_chunk(struct rec_model *m)
{
	struct recorder	*r = m->r;

	if (m->buf.n == 0)
		return;
	if (begin_tx(r) == 0) {
		if (db_evbuf_write(&m->buf, r->st[S_CHUNK], r->run,
		    m->model) != 0)
			(void)rec_fail(r, "recording events");
		/* an event counts as the row it used to be */
		r->pending += m->buf.n;
		r->nevents += m->buf.n;
		r->bytes += (int64_t)m->buf.dlen;
	}
	db_evbuf_reset(&m->buf, m->seq);
}

static void	observe(struct rec_model *, const struct sim_event *, int);

/*
 * Pack the model's chunk, outside the lock: 0, or -1 with the recorder
 * failed and the chunk dropped.
 */
static int
pack_chunk(struct rec_model *m)
{
	struct recorder	*r = m->r;

	if (db_evbuf_pack(&m->buf, r->compress) == 0)
		return (0);
	pthread_mutex_lock(&r->mu);
	(void)rec_fail(r, "compressing events");
	pthread_mutex_unlock(&r->mu);
	db_evbuf_reset(&m->buf, m->seq);
	return (-1);
}

/*
 * Every event comes here, in the model's own thread. An event is
 * appended to the model's own chunk without a lock; only a round's end
 * (or a full chunk, or a time the chunk cannot take) packs the chunk,
 * still outside the lock, then takes the lock to write it and the round.
 */
static void
observer(const struct sim_event *ev, void *ud)
{
	struct rec_model *m = ud;
	struct recorder	*r = m->r;
	int		 packed = 0;

	if (r->events) {
		if (db_evbuf_add(&m->buf, ev) != 0) {
			if (pack_chunk(m) != 0)
				return;
			pthread_mutex_lock(&r->mu);
			write_chunk(m);
			pthread_mutex_unlock(&r->mu);
			(void)db_evbuf_add(&m->buf, ev);
		}
		m->seq++;
	}
	if (ev->type != SIM_EV_ROUND && ev->type != SIM_EV_SYNC &&
	    ev->type != SIM_EV_END && m->buf.n < DB_CHUNK_EVENTS)
		return;
	if (m->buf.n > 0) {
		if (pack_chunk(m) != 0)
			return;
		packed = 1;
	}
	pthread_mutex_lock(&r->mu);
	observe(m, ev, packed);
	pthread_mutex_unlock(&r->mu);
}

static void
observe(struct rec_model *m, const struct sim_event *ev, int packed)
{
	struct recorder	*r = m->r;

	/* after a failure it writes nothing, but the chunk starts again */
	if (packed)
		write_chunk(m);
	if (r->failed || (ev->type != SIM_EV_ROUND && ev->type != SIM_EV_SYNC))
		return;
	write_round(m, ev->round);
	if (ev->type == SIM_EV_ROUND)
		m->completed = ev->round + 1;
	/* whole rounds only, batched: every 50 ms or 20,000 rows */
	if (r->pending >= COMMIT_ROWS ||
	    wallclock() - r->last_commit >= COMMIT_EVERY)
		(void)commit(r);
}

/* The rounds row, its figures named from the rounds table. Free it. */
static char *
round_sql(void)
{
	char	*cols = db_round_columns(""), *params = db_round_columns(":");
	char	*sql;

	xasprintf(&sql, "INSERT OR REPLACE INTO rounds (run, model, round%s)"
	    " VALUES (:run, :model, :round%s)", cols, params);
	free(cols);
	free(params);
	return (sql);
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
	char		 when[32], host[256] = "", uuid[40], boot[64];
	int64_t		 start = db_proc_start(getpid());

	pthread_mutex_init(&r->mu, NULL);
	r->db = db;
	r->events = events;
	r->compress = cf->record_compress;
	now_iso(when, sizeof when);
	(void)gethostname(host, sizeof host - 1);
	if (sqlite3_prepare_v2(db->h, "INSERT INTO runs (name, status,"
	    " started, pid, host, version, seed, workers, rounds, config_path,"
	    " config, overrides, events, uuid, pid_start, boot_id) VALUES (?1,"
	    " 'running', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	    " ?14, ?15)", -1, &st, NULL) !=
	    SQLITE_OK) {
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
	new_uuid(uuid);
	bind_text(st, 13, uuid);
	/* the pid is reused: its start time and boot tell (db_orphan.c) */
	if (start >= 0)
		sqlite3_bind_int64(st, 14, start);
	db_boot_id(boot, sizeof boot);
	if (*boot != '\0')
		bind_text(st, 15, boot);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_fail(db, "recording a run", err, errlen);
		sqlite3_finalize(st);
		free(r);
		return (NULL);
	}
	sqlite3_finalize(st);
	r->run = sqlite3_last_insert_rowid(db->h);
	/* the view's names: a newer fastsync may know more event types */
	if (events && db_events_names(db, err, errlen) != 0) {
		recorder_end(r, "failed", NULL, 0);
		return (NULL);
	}
	for (int i = 0; i < S_NSTMTS; i++) {
		char	*sql = stmt_sql[i] != NULL ? xstrdup(stmt_sql[i]) :
			    round_sql();
		int	 rc = sqlite3_prepare_v2(db->h, sql, -1, &r->st[i],
			    NULL);

		free(sql);
		if (rc != SQLITE_OK) {
			db_fail(db, "preparing the recorder", err, errlen);
			recorder_end(r, "failed", NULL, 0);
			return (NULL);
		}
	}
	/* a round's parameters, looked up once */
	r->round_param = xcalloc(round_metrics_count + 1,
	    sizeof *r->round_param);
	for (size_t i = 0; i < round_metrics_count; i++)
		r->round_param[i] = db_param_index(r->st[S_ROUND],
		    round_metrics[i].column);
	r->round_k = db_param_index(r->st[S_ROUND], "round");
	pthread_cond_init(&r->wake, NULL);
	r->last_commit = wallclock();
	if (pthread_create(&r->flusher, NULL, flusher, r) == 0)
		r->flushing = 1;
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

	if (begin_tx(r) != 0)
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
	/* without the event log, only what ends a round or the run */
	if (sim_observe_only(s, observer, rm, r->events ? SIM_EV_ALL :
	    SIM_EV_BIT(SIM_EV_ROUND) | SIM_EV_BIT(SIM_EV_SYNC) |
	    SIM_EV_BIT(SIM_EV_END)) != 0)
		return (rec_fail(r, "too many observers"));
	return (commit(r));
}

/* The model's summary: status, histogram, every metric with a column. */
static int
write_summary(struct rec_model *rm, struct sim *s,
    const struct report_row *row)
{
	struct recorder	*r = rm->r;
	sqlite3_stmt	*st;
	char		 hist[STATS_HIST * 24 + 8], *sql, *cols;
	size_t		 n = 0;
	int		 rc;

	if (begin_tx(r) != 0)
		return (-1);
	n += (size_t)snprintf(hist, sizeof hist, "[");
	for (int b = 0; b <= STATS_HIST; b++)
		n += (size_t)snprintf(hist + n, sizeof hist - n, "%s%" PRIu64,
		    b ? ", " : "", row->st.hist[b]);
	snprintf(hist + n, sizeof hist - n, "]");
	cols = db_metric_columns(1);
	xasprintf(&sql, "UPDATE run_models SET status = :status,"
	    " staleness_hist = :staleness_hist%s WHERE run = :run AND"
	    " model = :model", cols);
	free(cols);
	rc = sqlite3_prepare_v2(r->db->h, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return (rec_fail(r, "recording a summary"));
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":run"),
	    r->run);
	bind_text(st, sqlite3_bind_parameter_index(st, ":model"), rm->model);
	bind_text(st, sqlite3_bind_parameter_index(st, ":status"),
	    sim_done(s) ? "complete" : "interrupted");
	bind_text(st, sqlite3_bind_parameter_index(st, ":staleness_hist"),
	    hist);
	for (size_t i = 0; i < metrics_count; i++) {
		struct metric_value v;

		if (metrics[i].column == NULL)
			continue;
		metric_get(&metrics[i], row, &v);
		db_bind_value(st, metrics[i].column, metrics[i].type, &v);
	}
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return (rc == SQLITE_DONE ? 0 : rec_fail(r, "recording a summary"));
}

/* One row per worker, its figures from the workers table. */
static int
write_workers(struct rec_model *rm, struct sim *s)
{
	struct recorder	*r = rm->r;
	sqlite3_stmt	*st;
	char		*sql, *cols, *params;
	int		 rc, pi[3], *p;

	cols = db_worker_columns("");
	params = db_worker_columns(":");
	xasprintf(&sql, "INSERT OR REPLACE INTO workers (run, model, worker%s)"
	    " VALUES (:run, :model, :worker%s)", cols, params);
	free(cols);
	free(params);
	rc = sqlite3_prepare_v2(r->db->h, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return (rec_fail(r, "recording workers"));
	/* the parameters' indexes, once: a run has many workers */
	pi[0] = db_param_index(st, "run");
	pi[1] = db_param_index(st, "model");
	pi[2] = db_param_index(st, "worker");
	p = xcalloc(worker_metrics_count + 1, sizeof *p);
	for (size_t i = 0; i < worker_metrics_count; i++)
		p[i] = db_param_index(st, worker_metrics[i].name);
	for (int w = 0; w < sim_workers(s) && !r->failed; w++) {
		struct sim_worker_view view;

		sim_worker(s, w, &view);
		sqlite3_bind_int64(st, pi[0], r->run);
		sqlite3_bind_text(st, pi[1], rm->model, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, pi[2], w);
		for (size_t i = 0; i < worker_metrics_count; i++) {
			struct metric_value v;

			worker_metric_get(&worker_metrics[i], &view, &v);
			db_bind_value_at(st, p[i], worker_metrics[i].type, &v);
		}
		(void)step(r, st, "recording workers");
	}
	free(p);
	sqlite3_finalize(st);
	return (0);
}

static int
model_end(struct recorder *r, struct sim *s, const struct report_row *row)
{
	sqlite3_stmt			*st;
	struct rec_model		*rm = NULL;
	int				 rc;

	if (r->failed)
		return (-1);
	for (int i = 0; i < r->nm; i++)
		if (r->m[i]->sim == s)
			rm = r->m[i];
	if (rm == NULL)
		return (rec_fail(r, "recording a summary of an unknown model"));
	/* an interrupted model's last events */
	if (rm->buf.n > 0) {
		if (db_evbuf_pack(&rm->buf, r->compress) != 0)
			return (rec_fail(r, "compressing events"));
		write_chunk(rm);
	}
	if (write_summary(rm, s, row) != 0 || write_workers(rm, s) != 0)
		return (-1);
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
	int		 rc;

	if (r->flushing) {
		pthread_mutex_lock(&r->mu);
		r->stop = 1;
		pthread_cond_signal(&r->wake);
		pthread_mutex_unlock(&r->mu);
		pthread_join(r->flusher, NULL);
		pthread_cond_destroy(&r->wake);
	}
	rc = r->failed ? -1 : 0;
	for (int i = 0; i < S_NSTMTS; i++)
		sqlite3_finalize(r->st[i]);
	if (r->in_tx)
		(void)sqlite3_exec(r->db->h, r->failed ? "ROLLBACK" : "COMMIT",
		    NULL, NULL, NULL);
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
	for (int i = 0; i < r->nm; i++) {
		db_evbuf_free(&r->m[i]->buf);
		free(r->m[i]);
	}
	free(r->m);
	free(r->round_param);
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

/* What was recorded so far: events, and their packed size in bytes. */
void
recorder_totals(struct recorder *r, int64_t *events, int64_t *bytes)
{
	pthread_mutex_lock(&r->mu);
	*events = r->nevents;
	*bytes = r->bytes;
	pthread_mutex_unlock(&r->mu);
}

/* fn(ud, run, model, round) for every round once it is committed. */
void
recorder_on_commit(struct recorder *r, recorder_commit_fn *fn, void *ud)
{
	r->on_commit = fn;
	r->on_commit_ud = ud;
}
