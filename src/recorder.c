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
 *
 * With the event log, packing a chunk (its JSON text, compressed) is
 * most of the cost: a model hands each chunk, with the round row it
 * ends as that row's values were then, to packer threads (one a core)
 * and goes on. A model's chunks are written in order, one at a time,
 * each followed by its round; a model with QUEUE_MAX chunks waiting
 * waits. The cores an engine leaves (the end of a run, -j 1) pack.
 * The WAL's checkpoints, which SQLite makes inside a commit, the flusher
 * makes on a connection of its own, outside the lock.
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
	/* the packers: they take chunks from the models' queues */
	pthread_t	*packer;
	int		 npackers;
	pthread_cond_t	 work;		/* a chunk queued, or stop */
	pthread_cond_t	 done;		/* a chunk written */
	int		 stop_packers;
	unsigned	 pick;		/* the model a packer looks at first */
	/* the flusher's connection, for checkpoints (NULL: SQLite's own) */
	sqlite3		*ckpt;
	int		 ckpt_due;
};

/*
 * A chunk on its way to the file, and the round row written after it (as
 * the round's figures were when it ended: the engine goes on changing
 * its stats).
 */
struct rec_job {
	struct rec_job		*next;
	struct db_evbuf		 buf;
	int			 round;		/* -1: no round row */
	int			 completed;	/* rounds complete after; -1 */
	struct metric_value	*v;		/* round_metrics_count */
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
	struct rec_job	*cur;		/* its chunk: events since the last */
	struct rec_job	*queue, *tail;	/* chunks for the packers, in order */
	int		 queued;	/* ... and the one being packed */
	int		 busy;		/* a packer has its first */
	struct rec_job	*free;		/* written, to be filled again */
	int		 reported;	/* rounds said committed */
	int		 completed;	/* rounds complete */
};

/* A model's chunks waiting at most; then its engine waits. */
#define QUEUE_MAX	3

/* Packer threads: one a core, at most PACKERS_MAX (tests set 0: none). */
#define PACKERS_MAX	8
static int	packers_wanted = -1;

void
recorder_use_packers(int n)
{
	packers_wanted = n;
}

#define COMMIT_EVERY	0.05	/* seconds of wall time between commits */
#define CKPT_FRAMES	1000	/* WAL frames (pages) to checkpoint */
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

/*
 * After each commit, in the committing thread, under the lock: a WAL of
 * CKPT_FRAMES frames or more is the flusher's to checkpoint (SQLite
 * would do it here, in the lock, every 1,000 frames).
 */
static int
wal_hook(void *ud, sqlite3 *h, const char *db, int frames)
{
	struct recorder	*r = ud;

	(void)h;
	(void)db;
	if (frames >= CKPT_FRAMES && !r->ckpt_due) {
		r->ckpt_due = 1;
		pthread_cond_signal(&r->wake);
	}
	return (SQLITE_OK);
}

/*
 * The flusher thread: a batch open for COMMIT_EVERY is committed, and
 * a long WAL checkpointed.
 */
static void *
flusher(void *ud)
{
	struct recorder	*r = ud;
	struct timespec	 ts;

	pthread_mutex_lock(&r->mu);
	while (!r->stop) {
		/* the WAL copied into the file on a connection of its own,
		 * outside the lock: writers go on meanwhile */
		if (r->ckpt_due) {
			r->ckpt_due = 0;
			pthread_mutex_unlock(&r->mu);
			(void)sqlite3_wal_checkpoint_v2(r->ckpt, NULL,
			    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
			pthread_mutex_lock(&r->mu);
			continue;
		}
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

/*
 * Round k of m as the engine has it now, into v (round_metrics_count
 * values): 0, or -1 where the engine has no such round. In the model's
 * own thread: the engine changes its stats as it goes.
 */
static int
round_values(struct rec_model *m, int k, struct metric_value *v)
{
	const struct stats	*s = sim_stats(m->sim);

	if (k < 0 || k >= s->rounds)
		return (-1);
	for (size_t i = 0; i < round_metrics_count; i++) {
		const struct round_metric *rm = &round_metrics[i];

		/* filled where it stays: a text may be in v[i].buf */
		memset(&v[i], 0, sizeof v[i]);
		if (round_metric_has(rm, s, k))
			rm->get(s, k, &v[i]);
		else
			v[i].missing = 1;
	}
	return (0);
}

/* Store round k of model m with values v (round_values'). */
static void
write_values(struct rec_model *m, int k, const struct metric_value *v)
{
	struct recorder		*r = m->r;
	sqlite3_stmt		*st;

	if (r->failed)
		return;
	st = row_of(m, S_ROUND);
	sqlite3_bind_int(st, r->round_k, k);
	for (size_t i = 0; i < round_metrics_count; i++)
		db_bind_value_at(st, r->round_param[i], round_metrics[i].type,
		    &v[i]);
	(void)step(r, st, "recording a round");
}

/*
 * Chunk b of model m, packed already, as a row (none once the recorder
 * has failed).
 */
static void
write_chunk(struct rec_model *m, struct db_evbuf *b)
{
	struct recorder	*r = m->r;

	if (b->n == 0)
		return;
	if (begin_tx(r) == 0) {
		if (db_evbuf_write(b, r->st[S_CHUNK], r->run, m->model) != 0)
			(void)rec_fail(r, "recording events");
		/* an event counts as the row it used to be */
		r->pending += b->n;
		r->nevents += b->n;
		r->bytes += (int64_t)b->dlen;
	}
}

/*
 * Job j of m packed (ok 0: it could not be): its chunk and its round
 * row, and a commit if one is due. Under the lock.
 */
static void
write_job(struct rec_model *m, struct rec_job *j, int ok)
{
	struct recorder	*r = m->r;

	if (!ok)
		(void)rec_fail(r, "compressing events");
	write_chunk(m, &j->buf);
	if (r->failed)
		return;
	if (j->round >= 0)
		write_values(m, j->round, j->v);
	if (j->completed >= 0)
		m->completed = j->completed;
	/* whole rounds only, batched: every 50 ms or 20,000 rows */
	if (j->round >= 0 && (r->pending >= COMMIT_ROWS ||
	    wallclock() - r->last_commit >= COMMIT_EVERY))
		(void)commit(r);
}

static struct rec_job *
job_new(void)
{
	struct rec_job	*j = xcalloc(1, sizeof *j);

	j->v = xcalloc(round_metrics_count + 1, sizeof *j->v);
	return (j);
}

static void
job_free(struct rec_job *j)
{
	if (j == NULL)
		return;
	db_evbuf_free(&j->buf);
	free(j->v);
	free(j);
}

/* Pack j's chunk, outside the lock: 1, or 0 where it could not be. */
static int
pack(struct recorder *r, struct rec_job *j)
{
	return (j->buf.n == 0 || db_evbuf_pack(&j->buf, r->compress) == 0);
}

/*
 * m's chunk so far goes, with round k's row (k -1: none; ended: the
 * round is complete), to the packers or, without them, to the file now;
 * m fills a new chunk. In m's own thread.
 */
static void
submit(struct rec_model *m, int k, int ended)
{
	struct recorder	*r = m->r;
	struct rec_job	*j = m->cur;
	int		 ok;

	if (k < 0 && j->buf.n == 0)
		return;
	j->round = k >= 0 && round_values(m, k, j->v) == 0 ? k : -1;
	j->completed = ended && j->round >= 0 ? k + 1 : -1;
	if (r->npackers == 0) {
		ok = pack(r, j);
		pthread_mutex_lock(&r->mu);
		write_job(m, j, ok);
		pthread_mutex_unlock(&r->mu);
		db_evbuf_reset(&j->buf, m->seq);
		return;
	}
	pthread_mutex_lock(&r->mu);
	while (m->queued >= QUEUE_MAX && !r->failed)
		pthread_cond_wait(&r->done, &r->mu);
	/* after a failure nothing is written: the chunk starts again */
	if (r->failed) {
		pthread_mutex_unlock(&r->mu);
		db_evbuf_reset(&j->buf, m->seq);
		return;
	}
	j->next = NULL;
	if (m->tail != NULL)
		m->tail->next = j;
	else
		m->queue = j;
	m->tail = j;
	m->queued++;
	pthread_cond_signal(&r->work);
	if ((j = m->free) != NULL)
		m->free = j->next;
	pthread_mutex_unlock(&r->mu);
	m->cur = j != NULL ? j : job_new();
	db_evbuf_reset(&m->cur->buf, m->seq);
}

/*
 * A packer: the first chunk of a model no other packer has, packed
 * outside the lock, then written with its round. At the end (stop) it
 * leaves no chunk behind.
 */
static void *
packer(void *ud)
{
	struct recorder	*r = ud;

	pthread_mutex_lock(&r->mu);
	for (;;) {
		struct rec_model *m = NULL;
		struct rec_job	*j;
		int		 ok, failed;

		for (int i = 0; i < r->nm && m == NULL; i++) {
			struct rec_model *c = r->m[(r->pick + (unsigned)i) %
			    (unsigned)r->nm];

			if (c->queue != NULL && !c->busy)
				m = c;
		}
		if (m == NULL) {
			if (r->stop_packers)
				break;
			pthread_cond_wait(&r->work, &r->mu);
			continue;
		}
		r->pick++;
		j = m->queue;
		if ((m->queue = j->next) == NULL)
			m->tail = NULL;
		m->busy = 1;
		failed = r->failed;
		pthread_mutex_unlock(&r->mu);
		ok = failed || pack(r, j);
		pthread_mutex_lock(&r->mu);
		write_job(m, j, ok);
		m->busy = 0;
		m->queued--;
		j->next = m->free;
		m->free = j;
		pthread_cond_broadcast(&r->done);
		/* the next of this model's chunks may be waiting */
		if (m->queue != NULL)
			pthread_cond_signal(&r->work);
	}
	pthread_mutex_unlock(&r->mu);
	return (NULL);
}

/*
 * Every event comes here, in the model's own thread. An event is
 * appended to the model's own chunk without a lock; a round's end (or
 * a full chunk, or a time the chunk cannot take) submits the chunk, and
 * the round's row with it.
 */
static void
observer(const struct sim_event *ev, void *ud)
{
	struct rec_model *m = ud;
	struct recorder	*r = m->r;

	if (r->events) {
		if (db_evbuf_add(&m->cur->buf, ev) != 0) {
			submit(m, -1, 0);
			(void)db_evbuf_add(&m->cur->buf, ev);
		}
		m->seq++;
	}
	if (ev->type == SIM_EV_ROUND || ev->type == SIM_EV_SYNC)
		submit(m, ev->round, ev->type == SIM_EV_ROUND);
	else if (ev->type == SIM_EV_END || m->cur->buf.n >= DB_CHUNK_EVENTS)
		submit(m, -1, 0);
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

/* A recorder that never started: its lock and conditions, and itself. */
static void
discard(struct recorder *r)
{
	pthread_cond_destroy(&r->wake);
	pthread_cond_destroy(&r->work);
	pthread_cond_destroy(&r->done);
	pthread_mutex_destroy(&r->mu);
	free(r);
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
	pthread_cond_init(&r->wake, NULL);
	pthread_cond_init(&r->work, NULL);
	pthread_cond_init(&r->done, NULL);
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
		discard(r);
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
		discard(r);
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
	r->last_commit = wallclock();
	/* checkpoints in the flusher, where a second connection can have
	 * them (a file that is not in WAL mode keeps SQLite's own) */
	if (sqlite3_open_v2(db->path, &r->ckpt, SQLITE_OPEN_READWRITE,
	    NULL) != SQLITE_OK) {
		sqlite3_close(r->ckpt);
		r->ckpt = NULL;
	}
	if (pthread_create(&r->flusher, NULL, flusher, r) == 0)
		r->flushing = 1;
	if (r->flushing && r->ckpt != NULL)
		sqlite3_wal_hook(db->h, wal_hook, r);
	/* the packers, with the event log (else a chunk is a round row) */
	if (events) {
		long	cpus = sysconf(_SC_NPROCESSORS_ONLN);
		int	n = packers_wanted >= 0 ? packers_wanted : cpus > 0 ?
			    (int)cpus : 1;

		n = n < PACKERS_MAX ? n : PACKERS_MAX;
		r->packer = xcalloc((size_t)n + 1, sizeof *r->packer);
		while (r->npackers < n && pthread_create(&r->packer[
		    r->npackers], NULL, packer, r) == 0)
			r->npackers++;
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
	rm->cur = job_new();
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

/* Workers rows an INSERT writes at once (a statement per row cost 2x). */
#define WORKERS_ROWS	64

/* INSERT of n workers rows, (run, model, worker, figures...) each. */
static sqlite3_stmt *
workers_stmt(struct recorder *r, int n)
{
	sqlite3_stmt	*st;
	char		*cols = db_worker_columns(""), *sql, *all, *p;
	size_t		 per = 3 + worker_metrics_count;

	/* n times "(?, ?, ..., ?)", one ? a column, comma-separated */
	all = p = xmalloc((size_t)n * (3 * per + 1) + 1);
	for (int i = 0; i < n; i++) {
		if (i > 0)
			*p++ = ',';
		*p++ = '(';
		for (size_t k = 0; k < per; k++) {
			if (k > 0) {
				memcpy(p, ", ", 2);
				p += 2;
			}
			*p++ = '?';
		}
		*p++ = ')';
	}
	*p = '\0';
	xasprintf(&sql, "INSERT OR REPLACE INTO workers (run, model, worker%s)"
	    " VALUES %s", cols, all);
	if (sqlite3_prepare_v2(r->db->h, sql, -1, &st, NULL) != SQLITE_OK)
		st = NULL;
	free(cols);
	free(all);
	free(sql);
	return (st);
}

/*
 * One row per worker, its figures from the workers table, WORKERS_ROWS
 * to a statement.
 */
static int
write_workers(struct rec_model *rm, struct sim *s)
{
	struct recorder	*r = rm->r;
	sqlite3_stmt	*st = NULL;
	int		 nw = sim_workers(s), per = 3 + (int)worker_metrics_count;
	int		 n = 0;

	for (int w = 0; w < nw && !r->failed; w += n) {
		int rest = nw - w < WORKERS_ROWS ? nw - w : WORKERS_ROWS;

		/* the full statement, then one for what is left */
		if (st == NULL || rest != n) {
			sqlite3_finalize(st);
			if ((st = workers_stmt(r, rest)) == NULL)
				return (rec_fail(r, "recording workers"));
			n = rest;
		}
		for (int k = 0; k < n; k++) {
			struct sim_worker_view view;
			int	p = k * per;

			sim_worker(s, w + k, &view);
			sqlite3_bind_int64(st, p + 1, r->run);
			sqlite3_bind_text(st, p + 2, rm->model, -1,
			    SQLITE_STATIC);
			sqlite3_bind_int(st, p + 3, w + k);
			for (size_t i = 0; i < worker_metrics_count; i++) {
				struct metric_value v;

				worker_metric_get(&worker_metrics[i], &view,
				    &v);
				db_bind_value_at(st, p + 4 + (int)i,
				    worker_metrics[i].type, &v);
			}
		}
		(void)step(r, st, "recording workers");
		r->pending += n - 1;
	}
	sqlite3_finalize(st);
	return (r->failed ? -1 : 0);
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
	/* its chunks written, then an interrupted model's last events */
	while (rm->queued > 0)
		pthread_cond_wait(&r->done, &r->mu);
	if (rm->cur->buf.n > 0) {
		if (!pack(r, rm->cur))
			return (rec_fail(r, "compressing events"));
		write_chunk(rm, &rm->cur->buf);
		db_evbuf_reset(&rm->cur->buf, rm->seq);
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
	/* late gradients may have changed a round after it was written:
	 * every round again, as the engine has it now (cur's values are
	 * free: the model submits no more) */
	for (int k = 0; k < sim_stats(s)->rounds; k++)
		if (sim_stats(s)->round[k].t_start >= 0 &&
		    round_values(rm, k, rm->cur->v) == 0)
			write_values(rm, k, rm->cur->v);
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

	/* the packers write what is queued, then stop */
	pthread_mutex_lock(&r->mu);
	r->stop_packers = 1;
	pthread_cond_broadcast(&r->work);
	pthread_mutex_unlock(&r->mu);
	for (int i = 0; i < r->npackers; i++)
		pthread_join(r->packer[i], NULL);
	free(r->packer);
	if (r->flushing) {
		pthread_mutex_lock(&r->mu);
		r->stop = 1;
		pthread_cond_signal(&r->wake);
		pthread_mutex_unlock(&r->mu);
		pthread_join(r->flusher, NULL);
	}
	/* SQLite's own checkpoints again, for whoever uses the file next */
	if (r->ckpt != NULL) {
		sqlite3_wal_autocheckpoint(r->db->h, CKPT_FRAMES);
		sqlite3_close(r->ckpt);
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
		struct rec_model *m = r->m[i];

		job_free(m->cur);
		while (m->free != NULL) {
			struct rec_job *j = m->free;

			m->free = j->next;
			job_free(j);
		}
		free(m);
	}
	free(r->m);
	free(r->round_param);
	discard(r);
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
