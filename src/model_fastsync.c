/*
 * FastSync (DESIGN.md section 3): the paper's clustered-quorum
 * synchronizer.
 *
 * 1. Progress reports. Each worker reports after its first async task;
 *    the controller keeps each worker's average report delay (time from
 *    its round start, averaged over its reports, not over all tasks) and,
 *    at the sync before rounds 1, cluster_every, 2 cluster_every, ...,
 *    clusters the deviations from the pivot (the lowest-id worker with
 *    history) with 1-D DBSCAN(eps, min_points) or 2-means. The two
 *    largest clusters are C1 (early) and C2 (late), the rest noise;
 *    a worker without history is noise. Re-clustering costs reconfig_ms:
 *    that sync's participants are released that much later.
 *
 * 2. Sync points. For cluster X, over the members released at the last
 *    sync (the ones expected to report this round), T_X = mean(report
 *    times) + sd(report times) + mean expected work left before the sync
 *    point (task means, the slow offset, the push). Once they have all
 *    reported:
 *      ts1 = T_C2. If at ts1 the ready fraction (gradients of this round
 *      at the PS) is >= q, the ready workers sync at ts1.
 *      Else C2 is notified (network.local_ms). If C1 can fit a local
 *      task (T_C1 + local <= T_C2, local = the mean of the first local
 *      task after the sync) each waiting C1 worker pulls one forward and
 *      ts2 = the later of (now + local) and (now + local_ms + sd(C2));
 *      else ts2 = now + local_ms + sd(C2).
 *      Else C1 is notified: ts3 = now + local_ms + sd(C1).
 *      Else (fallback, not a success) the PS syncs when the ceil(q n)-th
 *      gradient of the round arrives.
 *    This reads DESIGN.md's ts2 = mean(C2) + sd(C2) and ts3 = mean(C1) +
 *    sd(C1) as waits measured from the failed check and its
 *    notification: as absolute times they would lie before ts1. With one
 *    cluster it is both C1 and C2; with none, the round goes straight to
 *    the fallback. Quorum uses >= q (the authors' simulator: > 0.7).
 *
 * 3. All participants sync at the same instant (early ones wait). A
 *    gradient that arrives after its round's sync is late: "defer" keeps
 *    it for the next sync (tau >= 1, stale; the run's end flushes what
 *    is left), "drop" abandons it. Either way its worker pulls at once
 *    and goes on: no one is teleported past a task. A worker that joined
 *    at a later round than the one being synced (churn) waits with its
 *    gradient until its round's sync.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "model.h"
#include "xmalloc.h"

enum phase {
	PH_COLLECT,	/* waiting for the expected reports */
	PH_TS1,
	PH_TS2,
	PH_TS3,
	PH_FALLBACK	/* sync at the ceil(q n)-th arrival */
};

#define TIMER_RELEASE	7	/* a delayed release (reconfiguration) */

struct gradients {
	struct gradient	*g;
	int		 n, cap;
};

struct fastsync {
	const struct model_spec	*m;
	int			 n;
	int			 rounds;
	int			 needed;	/* ceil(q n) */
	double			 local_ms;
	double			 remain[2];	/* expected work after report */
	double			 local_mean;	/* one local task, or -1 */
	/* history and clusters */
	double			*delay_sum;
	int			*reports;
	int			*label;
	double			*x, *work;
	int			*xl, *xi;
	/* the round being synced */
	int			 cur;
	enum phase		 phase;
	uint8_t			*expect;	/* report awaited this round */
	uint8_t			*got;		/* ... and received */
	int			 awaited;
	double			*rep_t;
	double			 T[2], sd[2];
	double			 at;		/* when the planned check runs */
	int			 ready;
	struct gradients	 held;		/* this round's, workers wait */
	struct gradients	 ahead;		/* a later round's (a joiner) */
	struct gradients	 deferred;	/* late, for the next sync */
	int			*release;	/* delayed after re-clustering */
	int			 nrelease;
	uint64_t		 release_v;
};

static void
push_gradient(struct gradients *l, const struct gradient *g)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->g = xreallocarray(l->g, (size_t)l->cap, sizeof *l->g);
	}
	l->g[l->n++] = *g;
}

/* Mean durations of the tasks between the report and the push. */
static void
expected_remaining(struct fastsync *f, const struct fs_config *cf)
{
	const struct dag	*d = &cf->dag;

	f->remain[0] = f->remain[1] = cf->push_ms;
	for (int p = d->report_pos + 1; p < d->sync_pos; p++) {
		const struct task *t = &d->tasks[d->order[p]];
		double mean = dist_mean(&cf->classes[t->cls].dist);

		f->remain[0] += mean;
		f->remain[1] += mean + (t->kind == TASK_ASYNC ?
		    cf->slow_offset_ms : 0);
	}
	/* what a C1 worker would run if it pulled a local task forward */
	f->local_mean = -1;
	for (int p = d->sync_pos + 1; p < d->n && f->local_mean < 0; p++) {
		const struct task *t = &d->tasks[d->order[p]];

		if (t->kind == TASK_LOCAL)
			f->local_mean = dist_mean(&cf->classes[t->cls].dist);
	}
}

/* The quorum size for the workers present now: ceil(q n), at least 1. */
static void
set_needed(struct sim *s, struct fastsync *f)
{
	f->needed = (int)ceil(f->m->quorum * sim_present(s) - 1e-9);
	if (f->needed < 1)
		f->needed = 1;
}

static void *
fs_create(struct sim *s, const struct model_spec *m)
{
	struct fastsync		*f = xcalloc(1, sizeof *f);
	const struct fs_config	*cf = sim_config(s);
	size_t			 n = (size_t)sim_workers(s);

	f->m = m;
	f->n = (int)n;
	f->rounds = cf->rounds;
	set_needed(s, f);
	f->local_ms = cf->local_ms;
	expected_remaining(f, cf);
	f->delay_sum = xcalloc(n, sizeof *f->delay_sum);
	f->reports = xcalloc(n, sizeof *f->reports);
	f->label = xcalloc(n, sizeof *f->label);
	f->x = xcalloc(n, sizeof *f->x);
	f->work = xcalloc(n, sizeof *f->work);
	f->xl = xcalloc(n, sizeof *f->xl);
	f->xi = xcalloc(n, sizeof *f->xi);
	f->expect = xcalloc(n, sizeof *f->expect);
	f->got = xcalloc(n, sizeof *f->got);
	f->rep_t = xcalloc(n, sizeof *f->rep_t);
	f->release = xcalloc(n, sizeof *f->release);
	for (size_t i = 0; i < n; i++)
		f->label[i] = LABEL_NOISE;
	/* round 0: no history, no clusters: straight to the fallback */
	f->phase = PH_FALLBACK;
	return (f);
}

static void
fs_destroy(void *st)
{
	struct fastsync	*f = st;

	free(f->delay_sum);
	free(f->reports);
	free(f->label);
	free(f->x);
	free(f->work);
	free(f->xl);
	free(f->xi);
	free(f->expect);
	free(f->got);
	free(f->rep_t);
	free(f->release);
	free(f->held.g);
	free(f->ahead.g);
	free(f->deferred.g);
	free(f);
}

/* Cluster the workers with history; tell observers every label. */
static void
recluster(struct sim *s, struct fastsync *f)
{
	struct cluster_result	 res;
	int			 k = 0, pivot = -1;

	for (int i = 0; i < f->n; i++) {
		if (f->reports[i] == 0)
			continue;
		if (pivot == -1)
			pivot = i;
		f->x[k] = f->delay_sum[i] / f->reports[i] -
		    f->delay_sum[pivot] / f->reports[pivot];
		f->xi[k++] = i;
	}
	if (f->m->kmeans)
		cluster_kmeans2(f->x, k, f->xl, &res);
	else
		cluster_dbscan(f->x, k, f->m->eps, f->m->min_points, f->xl,
		    &res);
	for (int i = 0; i < f->n; i++)
		f->label[i] = LABEL_NOISE;
	for (int j = 0; j < k; j++)
		f->label[f->xi[j]] = f->xl[j] == CLUSTER_EARLY ? LABEL_C1 :
		    f->xl[j] == CLUSTER_LATE ? LABEL_C2 : LABEL_NOISE;
	for (int i = 0; i < f->n; i++)
		sim_emit(s, &(struct sim_event){ .type = SIM_EV_CLUSTER,
		    .worker = i, .task = -1, .round = f->cur,
		    .label = f->label[i], .count = res.found });
}

static void
emit_quorum(struct sim *s, struct fastsync *f, enum sim_point p, int pass)
{
	sim_emit(s, &(struct sim_event){ .type = SIM_EV_QUORUM, .worker = -1,
	    .task = -1, .round = f->cur, .point = (int)p, .ready = f->ready,
	    .needed = f->needed, .pass = pass });
}

static void
notify(struct sim *s, struct fastsync *f, int label, enum sim_point p)
{
	for (int i = 0; i < f->n; i++)
		if (f->label[i] == label && f->expect[i])
			sim_emit(s, &(struct sim_event){ .type = SIM_EV_NOTIFY,
			    .worker = i, .task = -1, .round = f->cur,
			    .point = (int)p });
}

static uint32_t
timer_arg(int round, int what)
{
	return (((uint32_t)round & 0x3fffff) << 3 | (uint32_t)what);
}

/*
 * Sync round cur now at point p: the ready gradients and the deferred
 * ones in one update; participants pull together (later by reconfig_ms
 * if the controller re-clusters now). Then the next round begins.
 */
static void
sync_round(struct sim *s, struct fastsync *f, enum sim_point p)
{
	int	participants = f->held.n, reclustering;

	for (int k = 0; k < f->held.n; k++)
		push_gradient(&f->deferred, &f->held.g[k]);
	sim_apply_gradients(s, f->deferred.g, f->deferred.n);
	sim_sync(s, f->cur, p, f->deferred.n, f->ready, f->needed);
	f->deferred.n = 0;
	f->cur++;
	reclustering = f->cur < f->rounds && (f->cur == 1 ||
	    f->cur % f->m->cluster_every == 0);
	if (reclustering)
		recluster(s, f);
	/* the participants are the ones expected to report next round */
	memset(f->expect, 0, (size_t)f->n);
	memset(f->got, 0, (size_t)f->n);
	f->awaited = 0;
	for (int k = 0; k < participants; k++) {
		int w = f->held.g[k].worker;

		if (f->label[w] != LABEL_NOISE) {
			f->expect[w] = 1;
			f->awaited++;
		}
	}
	f->phase = f->awaited > 0 ? PH_COLLECT : PH_FALLBACK;
	f->ready = 0;
	if (reclustering && f->m->reconfig_ms > 0) {
		for (int k = 0; k < participants; k++)
			f->release[f->nrelease++] = f->held.g[k].worker;
		f->release_v = sim_version(s);
		sim_timer(s, sim_now(s) + f->m->reconfig_ms,
		    timer_arg(0, TIMER_RELEASE));
	} else {
		for (int k = 0; k < participants; k++)
			sim_release(s, f->held.g[k].worker);
	}
	f->held.n = 0;
	/* a joiner's gradient for this round, pushed before it began */
	for (int k = 0; k < f->ahead.n; k++) {
		if (f->ahead.g[k].round != f->cur)
			continue;
		push_gradient(&f->held, &f->ahead.g[k]);
		f->ready++;
		f->ahead.g[k--] = f->ahead.g[--f->ahead.n];
	}
	if (f->phase == PH_FALLBACK && f->ready > 0 && f->ready >= f->needed &&
	    f->cur < f->rounds)
		sync_round(s, f, SP_FALLBACK);
}

/*
 * A cluster's expected ready time from its members' report times and
 * expected remaining work: T = mean(report) + sd(report) + mean(work).
 * Returns the sd (population; 0 for one member) in *sd.
 */
void
model_fastsync_cluster(const double *rep, const double *work, int n,
    double *T, double *sd)
{
	double	sum = 0, sq = 0, w = 0, mean;

	for (int i = 0; i < n; i++) {
		sum += rep[i];
		w += work[i];
	}
	mean = sum / n;
	for (int i = 0; i < n; i++)
		sq += (rep[i] - mean) * (rep[i] - mean);
	*sd = sqrt(sq / n);
	*T = mean + *sd + w / n;
}

/*
 * The next sync point after the check at point p (SP_TS1 or SP_TS2)
 * failed at time now; T[0], sd[0] are C1's, T[1], sd[1] C2's. *pull says
 * whether C1 fits a local task (T_C1 + local <= T_C2) and runs one.
 */
double
model_fastsync_next(int p, double now, double local_ms, const double T[2],
    const double sd[2], double local_mean, int *pull)
{
	double	next;

	*pull = 0;
	if (p != SP_TS1)
		return (now + local_ms + sd[0]);
	next = now + local_ms + sd[1];
	if (local_mean >= 0 && T[0] + local_mean <= T[1]) {
		*pull = 1;
		if (now + local_mean > next)
			next = now + local_mean;
	}
	return (next);
}

/* The expected members of one cluster: their T and sd; 0 if none. */
static int
cluster_times(struct sim *s, struct fastsync *f, int label, double *T,
    double *sd)
{
	int	n = 0;

	for (int i = 0; i < f->n; i++) {
		if (f->label[i] != label || !f->expect[i])
			continue;
		f->x[n] = f->rep_t[i];
		f->work[n++] = f->remain[sim_is_slow(s, i)];
	}
	if (n > 0)
		model_fastsync_cluster(f->x, f->work, n, T, sd);
	return (n);
}

/* Every expected report is in: predict ts1 and schedule its check. */
static void
predict(struct sim *s, struct fastsync *f)
{
	int	n1 = cluster_times(s, f, LABEL_C1, &f->T[0], &f->sd[0]);
	int	n2 = cluster_times(s, f, LABEL_C2, &f->T[1], &f->sd[1]);

	if (n1 == 0 && n2 == 0) {
		f->phase = PH_FALLBACK;
		return;
	}
	/* one cluster serves as both C1 and C2 */
	if (n2 == 0) {
		f->T[1] = f->T[0];
		f->sd[1] = f->sd[0];
	} else if (n1 == 0) {
		f->T[0] = f->T[1];
		f->sd[0] = f->sd[1];
	}
	f->phase = PH_TS1;
	/* sim_timer runs a time already past now */
	f->at = fmax(f->T[1], sim_now(s));
	sim_timer(s, f->T[1], timer_arg(f->cur, PH_TS1));
}

static void
fs_report(struct sim *s, void *st, int w)
{
	struct fastsync	*f = st;

	f->delay_sum[w] += sim_now(s) - sim_round_start(s, w);
	f->reports[w]++;
	if (sim_round(s, w) != f->cur || !f->expect[w])
		return;
	f->rep_t[w] = sim_now(s);
	f->got[w] = 1;
	if (--f->awaited == 0 && f->phase == PH_COLLECT)
		predict(s, f);
}

/*
 * Churn: a leaving worker's held gradient is dropped, it is no longer
 * awaited, and it loses its history (it comes back as noise). The
 * quorum shrinks with the workers present, so the fallback may hold now.
 */
static void
fs_leave(struct sim *s, void *st, int w)
{
	struct fastsync	*f = st;

	for (int k = 0; k < f->held.n; k++) {
		if (f->held.g[k].worker != w)
			continue;
		sim_drop(s, &f->held.g[k]);
		f->held.g[k] = f->held.g[--f->held.n];
		f->ready--;
		break;
	}
	for (int k = 0; k < f->ahead.n; k++) {
		if (f->ahead.g[k].worker != w)
			continue;
		sim_drop(s, &f->ahead.g[k]);
		f->ahead.g[k] = f->ahead.g[--f->ahead.n];
		break;
	}
	for (int k = 0; k < f->nrelease; k++)
		if (f->release[k] == w)
			f->release[k--] = f->release[--f->nrelease];
	if (f->expect[w]) {
		f->expect[w] = 0;
		if (!f->got[w] && --f->awaited == 0 && f->phase == PH_COLLECT)
			predict(s, f);
	}
	f->reports[w] = 0;
	f->delay_sum[w] = 0;
	f->label[w] = LABEL_NOISE;
	set_needed(s, f);
	if (f->phase == PH_FALLBACK && f->ready > 0 && f->ready >= f->needed)
		sync_round(s, f, SP_FALLBACK);
}

static void
fs_join(struct sim *s, void *st, int w)
{
	(void)w;
	set_needed(s, st);
}

/* A quorum check at ts1, ts2 or ts3; on failure, the next point. */
static void
check(struct sim *s, struct fastsync *f, enum phase ph)
{
	enum sim_point	p = ph == PH_TS1 ? SP_TS1 : ph == PH_TS2 ? SP_TS2 :
			    SP_TS3;
	double		now = sim_now(s), next;
	int		pull;

	if (f->ready >= f->needed) {
		emit_quorum(s, f, p, 1);
		sync_round(s, f, p);
		return;
	}
	emit_quorum(s, f, p, 0);
	if (ph == PH_TS3) {
		f->phase = PH_FALLBACK;
		return;
	}
	notify(s, f, ph == PH_TS1 ? LABEL_C2 : LABEL_C1, p);
	next = model_fastsync_next(p, now, f->local_ms, f->T, f->sd,
	    f->local_mean, &pull);
	for (int k = 0; pull && k < f->held.n; k++)
		if (f->label[f->held.g[k].worker] == LABEL_C1)
			sim_pull_forward(s, f->held.g[k].worker);
	f->phase = ph + 1;
	f->at = fmax(next, sim_now(s));
	sim_timer(s, next, timer_arg(f->cur, (int)f->phase));
}

static void
fs_timer(struct sim *s, void *st, uint32_t arg)
{
	struct fastsync	*f = st;
	int		 what = (int)(arg & 7);

	if (what == TIMER_RELEASE) {
		for (int k = 0; k < f->nrelease; k++)
			sim_release_version(s, f->release[k], f->release_v);
		f->nrelease = 0;
		return;
	}
	/* a check for a round that already synced (by the fallback) */
	if ((arg >> 3) != ((uint32_t)f->cur & 0x3fffff) ||
	    (int)f->phase != what)
		return;
	check(s, f, (enum phase)what);
}

static void
fs_arrive(struct sim *s, void *st, int w)
{
	struct fastsync	*f = st;
	struct gradient	 g;

	sim_gradient(s, w, &g);
	if (g.round > f->cur) {
		/* a joiner started past the round being synced: it waits */
		push_gradient(&f->ahead, &g);
		return;
	}
	if (g.round == f->cur) {
		push_gradient(&f->held, &g);
		f->ready++;
		if (f->phase == PH_FALLBACK && f->ready >= f->needed)
			sync_round(s, f, SP_FALLBACK);
		return;
	}
	/* it missed its round's sync: late */
	sim_emit(s, &(struct sim_event){ .type = SIM_EV_LATE, .worker = w,
	    .task = -1, .round = g.round, .v_read = g.v_read });
	if (f->m->drop_late)
		sim_drop(s, &g);
	else
		push_gradient(&f->deferred, &g);
	sim_release(s, w);
}

/* The run is over: what is still deferred goes in one last update. */
static void
fs_finish(struct sim *s, void *st)
{
	struct fastsync	*f = st;

	if (f->deferred.n == 0)
		return;
	sim_apply_gradients(s, f->deferred.g, f->deferred.n);
	sim_sync(s, -1, SP_FLUSH, f->deferred.n, 0, 0);
	f->deferred.n = 0;
}

/* The sync point being tried and when (-1: at an arrival), for views. */
static int
fs_plan(const void *st, int *point, double *at)
{
	const struct fastsync *f = st;

	switch (f->phase) {
	case PH_TS1:
	case PH_TS2:
	case PH_TS3:
		*point = f->phase == PH_TS1 ? SP_TS1 : f->phase == PH_TS2 ?
		    SP_TS2 : SP_TS3;
		*at = f->at;
		return (1);
	case PH_FALLBACK:
		*point = SP_FALLBACK;
		*at = -1;
		return (1);
	default:
		return (0);	/* still collecting the progress reports */
	}
}

static const char *const clustering_names[] = { "dbscan", "kmeans", NULL };
static const char *const late_names[] = { "defer", "drop", NULL };

static const struct setting fs_params[] = {
	{ .key = "quorum", .type = ST_DOUBLE, .min = 0, .max = 1,
	  .flags = ST_LO_OPEN | ST_LABEL, .def = "0.7",
	  .off = MODEL_FIELD(quorum),
	  .doc = "the fraction q of present workers a sync needs" },
	{ .key = "cluster_every", .type = ST_INT, .lo = 1, .hi = ROUNDS_MAX,
	  .def = "5", .off = MODEL_FIELD(cluster_every),
	  .doc = "rounds between re-clusterings" },
	{ .key = "eps", .type = ST_DOUBLE, .min = 0, .max = TIME_MAX_MS,
	  .def = "2.0", .off = MODEL_FIELD(eps),
	  .doc = "DBSCAN's neighbourhood radius, in ms of deviation" },
	{ .key = "min_points", .type = ST_INT, .lo = 1, .hi = WORKERS_MAX,
	  .def = "3", .off = MODEL_FIELD(min_points),
	  .doc = "DBSCAN's minimum cluster size" },
	{ .key = "clustering", .type = ST_ENUM, .def = "dbscan",
	  .choices = clustering_names, .off = MODEL_FIELD(kmeans),
	  .doc = "how deviations are clustered" },
	{ .key = "late_gradients", .type = ST_ENUM, .def = "defer",
	  .choices = late_names, .off = MODEL_FIELD(drop_late),
	  .doc = "what happens to a gradient that missed its sync" },
	{ .key = "reconfig_ms", .type = ST_DOUBLE, .min = 0,
	  .max = TIME_MAX_MS, .def = "20.0", .off = MODEL_FIELD(reconfig_ms),
	  .doc = "the cost of a re-clustering, added to that sync" },
};

const struct model_ops model_fastsync_ops = {
	.name = "fastsync",
	MODEL_PARAMS(fs_params),
	.create = fs_create,
	.destroy = fs_destroy,
	.arrive = fs_arrive,
	.report = fs_report,
	.timer = fs_timer,
	.finish = fs_finish,
	.leave = fs_leave,
	.join = fs_join,
	.plan = fs_plan,
	.syncs = 1,
};
