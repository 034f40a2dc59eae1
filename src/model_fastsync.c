/*
 * FastSync (DESIGN.md section 3): the paper's clustered-quorum
 * synchronizer on top of the quorum rule. A round is a sync.
 *
 * 1. Progress reports. Each worker reports after its first async task;
 *    the controller keeps each worker's average report delay (from its
 *    round start, over its reports) and, at the syncs before rounds 1,
 *    cluster_every, 2 cluster_every, ..., clusters the deviations from
 *    the pivot (the lowest-id present worker with history) with 1-D
 *    DBSCAN(eps, min_points) or 2-means. The two largest clusters are C1
 *    (early) and C2 (late), the rest noise; a worker without history is
 *    noise. Membership is by cluster: every present member counts in its
 *    cluster's predictions. Re-clustering costs reconfig_ms: that sync's
 *    participants are released that much later.
 *
 * 2. What the controller knows of a worker this round: its ready time if
 *    its gradient is at the PS, else, once it has reported, report time
 *    + its expected work before the sync (task means, its own speed
 *    class) + the push. Sync points are absolute times from that
 *    knowledge at the decision; one in the past becomes now + local_ms.
 *
 * 3. ts1 = mean + sd of C2's ready times, decided once every present C2
 *    member is known. The quorum holds at a check if ceil(q n) workers
 *    are ready (>= q; the authors' simulator uses > 0.7). Failing ts1,
 *    C2 is notified and ts2 = mean + sd of C2's ready times as known then;
 *    if C1 fits a local task before it (mean + sd of C1's + the task's
 *    mean <= ts2) the waiting C1 workers run one early and ts2 is at
 *    least the end of it. Failing ts2, C1 is notified and ts3 = mean + sd
 *    of C1's ready times. Failing ts3 (or with no cluster at all) the PS
 *    syncs at the ceil(q n)-th gradient: a fallback, not a success. With
 *    one cluster it serves as both C1 and C2.
 *
 * 4. Once every present worker's gradient is at the PS the sync is now,
 *    whatever point was planned (q = 1 costs what BSP costs).
 *
 * 5. All participants sync at one instant and take every gradient at the
 *    PS. A gradient that missed its round's sync is late: "defer" keeps
 *    its worker waiting with it for the next sync, where it counts toward
 *    the quorum (tau >= 1); "drop" abandons it and the worker pulls at
 *    once. Either way the worker then starts the lowest round not yet
 *    synced (the engine's rule), so nobody drifts and nobody is
 *    teleported past a task.
 *
 * 6. The R-th sync ends the run (the engine): gradients at the PS then
 *    are in it; nothing is gathered into a larger final update.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "model_gradients.h"
#include "xmalloc.h"

enum phase {
	PH_COLLECT,	/* waiting to know every C2 member */
	PH_TS1,
	PH_TS2,
	PH_TS3,
	PH_FALLBACK	/* sync at the ceil(q n)-th gradient */
};

#define TIMER_RELEASE	7	/* a delayed release (reconfiguration) */

/*
 * What FastSync keeps of a worker: in one place, 32 bytes (so one cache
 * line), the array in huge pages where the system has them.
 */
struct fs_worker {
	_Alignas(32) double ready_t;	/* known ready time, or -1 */
	double		delay_sum;	/* report delays, over its reports */
	int32_t		reports;
	int8_t		label;		/* enum sim_label */
	uint8_t		present;
};

struct fastsync {
	const struct model_spec	*m;
	int			 n;
	int			 rounds;
	int			 needed;	/* ceil(q n) */
	double			 local_ms;
	double			 remain[2];	/* expected work after report */
	double			 local_mean;	/* one local task, or -1 */
	struct fs_worker	*wk;		/* per worker */
	/* clustering's scratch */
	double			*x;
	int			*xl, *xi;
	/* the round being synced */
	int			 cur;
	enum phase		 phase;
	/* per label (C1, C2): present members, and those with ready_t */
	int			 members[2], known[2];
	double			 at;		/* when the planned check runs */
	struct gradients	 waiting;	/* at the PS: the quorum's */
	int			*release;	/* delayed after re-clustering */
	int			 nrelease;
	uint64_t		 release_v;
};

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

static void
set_needed(struct sim *s, struct fastsync *f)
{
	f->needed = model_quorum_size(f->m->quorum, sim_present(s), 0);
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
	f->wk = xaligned_calloc(64, n, sizeof *f->wk);
	f->x = xcalloc(n, sizeof *f->x);
	f->xl = xcalloc(n, sizeof *f->xl);
	f->xi = xcalloc(n, sizeof *f->xi);
	f->release = xcalloc(n, sizeof *f->release);
	for (size_t i = 0; i < n; i++) {
		f->wk[i].label = LABEL_NOISE;
		f->wk[i].ready_t = -1;
		f->wk[i].present = 1;
	}
	/* round 0: no history, no clusters: straight to the fallback */
	f->phase = PH_FALLBACK;
	return (f);
}

static void
fs_destroy(void *st)
{
	struct fastsync	*f = st;

	free(f->wk);	/* xaligned_calloc's: free() frees it */
	free(f->x);
	free(f->xl);
	free(f->xi);
	free(f->release);
	gradients_free(&f->waiting);
	free(f);
}

/* Cluster the present workers with history; tell observers each label. */
static void
recluster(struct sim *s, struct fastsync *f)
{
	struct cluster_result	 res;
	int			 k = 0, pivot = -1;

	for (int i = 0; i < f->n; i++) {
		if (f->wk[i].reports == 0 || !f->wk[i].present)
			continue;
		if (pivot == -1)
			pivot = i;
		f->x[k] = f->wk[i].delay_sum / f->wk[i].reports -
		    f->wk[pivot].delay_sum / f->wk[pivot].reports;
		f->xi[k++] = i;
	}
	if (f->m->kmeans)
		cluster_kmeans2(f->x, k, f->xl, &res);
	else
		cluster_dbscan(f->x, k, f->m->eps, f->m->min_points, f->xl,
		    &res);
	for (int i = 0; i < f->n; i++)
		f->wk[i].label = LABEL_NOISE;
	f->members[0] = f->members[1] = 0;
	for (int j = 0; j < k; j++) {
		f->wk[f->xi[j]].label = f->xl[j] == CLUSTER_EARLY ? LABEL_C1 :
		    f->xl[j] == CLUSTER_LATE ? LABEL_C2 : LABEL_NOISE;
		if (f->wk[f->xi[j]].label != LABEL_NOISE)
			f->members[f->wk[f->xi[j]].label]++;
	}
	for (int i = 0; i < f->n; i++)
		sim_emit(s, &(struct sim_event){ .type = SIM_EV_CLUSTER,
		    .worker = i, .task = -1, .round = f->cur,
		    .label = f->wk[i].label, .count = res.found });
}

/* Which label plays C1 (side 0) or C2 (side 1): one cluster plays both. */
static int
side_label(const struct fastsync *f, int side)
{
	if (f->members[side] > 0)
		return (side);
	return (f->members[!side] > 0 ? !side : -1);
}

/* Worker w's ready time is known now (actual or predicted). */
static void
set_ready(struct fastsync *f, int w, double t)
{
	if (f->wk[w].ready_t < 0 && f->wk[w].present && f->wk[w].label != LABEL_NOISE)
		f->known[f->wk[w].label]++;
	f->wk[w].ready_t = t;
}

/*
 * The mean + sd (population; 0 for one member) of n ready times: the
 * sync point DESIGN.md section 3 computes for a cluster.
 */
double
model_fastsync_point(const double *t, int n, double *mean, double *sd)
{
	double	sum = 0, sq = 0;

	for (int i = 0; i < n; i++)
		sum += t[i];
	*mean = sum / n;
	for (int i = 0; i < n; i++)
		sq += (t[i] - *mean) * (t[i] - *mean);
	*sd = sqrt(sq / n);
	return (*mean + *sd);
}

/*
 * A cluster's point from what is known now; -1 if some present member
 * is not known yet. *members is how many entered the prediction.
 */
static double
cluster_point(struct fastsync *f, int side, int *members)
{
	int	label = side_label(f, side), n = 0;
	double	mean, sd;

	*members = 0;
	if (label < 0)
		return (-1);
	for (int i = 0; i < f->n; i++) {
		if (!f->wk[i].present || f->wk[i].label != label)
			continue;
		if (f->wk[i].ready_t < 0)
			return (-1);
		f->x[n++] = f->wk[i].ready_t;
	}
	*members = n;
	return (model_fastsync_point(f->x, n, &mean, &sd));
}

static void
emit_quorum(struct sim *s, struct fastsync *f, enum sim_point p, int pass,
    int members)
{
	sim_emit(s, &(struct sim_event){ .type = SIM_EV_QUORUM, .worker = -1,
	    .task = -1, .round = f->cur, .point = (int)p,
	    .ready = f->waiting.n, .needed = f->needed, .pass = pass,
	    .count = members });
}

static void
notify(struct sim *s, struct fastsync *f, int side, enum sim_point p)
{
	int	label = side_label(f, side);

	for (int i = 0; i < f->n; i++)
		if (f->wk[i].present && f->wk[i].label == label)
			sim_notify(s, i, f->cur, p);
}

static uint32_t
timer_arg(int round, int what)
{
	return (((uint32_t)round & 0x3fffff) << 3 | (uint32_t)what);
}

/* Plan the check at point ph for time t (never in the past). */
static void
plan_check(struct sim *s, struct fastsync *f, enum phase ph, double t)
{
	double	now = sim_now(s);

	f->phase = ph;
	f->at = t < now ? now + f->local_ms : t;
	sim_timer(s, f->at, timer_arg(f->cur, (int)ph));
}

/* Every present C2 member known: ts1 (counted, so a scan once a round). */
static void
try_predict(struct sim *s, struct fastsync *f)
{
	int	members, label = side_label(f, 1);
	double	t;

	if (f->phase != PH_COLLECT || label < 0 ||
	    f->known[label] < f->members[label] ||
	    (t = cluster_point(f, 1, &members)) < 0)
		return;
	plan_check(s, f, PH_TS1, t);
}

static enum sim_point
phase_point(enum phase ph)
{
	switch (ph) {
	case PH_TS2:
		return (SP_TS2);
	case PH_TS3:
		return (SP_TS3);
	case PH_FALLBACK:
		return (SP_FALLBACK);
	default:
		return (SP_TS1);
	}
}

/*
 * Sync round cur now at point p: every gradient at the PS in one update;
 * participants pull together (reconfig_ms later if the controller
 * re-clusters now). Then the next round's knowledge starts empty.
 */
static void
sync_round(struct sim *s, struct fastsync *f, enum sim_point p)
{
	struct gradients	*l = &f->waiting;
	int			 participants = l->n, reclustering;

	sim_cluster_sizes(s, f->cur, f->members[0], f->members[1],
	    sim_present(s) - f->members[0] - f->members[1]);
	sim_quorum_reached(s, f->cur);
	sim_apply_gradients(s, l->g, l->n);
	sim_sync(s, f->cur, p, l->n, l->n, f->needed);
	f->cur++;
	reclustering = f->cur < f->rounds && (f->cur == 1 ||
	    f->cur % f->m->cluster_every == 0);
	if (reclustering)
		recluster(s, f);
	for (int i = 0; i < f->n; i++)
		f->wk[i].ready_t = -1;
	f->known[0] = f->known[1] = 0;
	f->phase = side_label(f, 1) >= 0 ? PH_COLLECT : PH_FALLBACK;
	if (reclustering && f->m->reconfig_ms > 0) {
		sim_reconfig(s, f->cur - 1, f->m->reconfig_ms);
		for (int k = 0; k < participants; k++)
			f->release[f->nrelease++] = l->g[k].worker;
		f->release_v = sim_version(s);
		sim_timer(s, sim_now(s) + f->m->reconfig_ms,
		    timer_arg(0, TIMER_RELEASE));
	} else {
		for (int k = 0; k < participants; k++) {
			if (k + 8 < participants)
				sim_prefetch(s, l->g[k + 8].worker);
			sim_release(s, l->g[k].worker);
		}
	}
	l->n = 0;
}

/* After a change at the PS: sync now if everyone is in, or the fallback. */
static void
maybe_sync_now(struct sim *s, struct fastsync *f)
{
	int	n = f->waiting.n;

	if (n == 0)
		return;
	if (n >= f->needed)
		sim_quorum_reached(s, f->cur);
	if (n >= sim_present(s))
		sync_round(s, f, phase_point(f->phase));
	else if (f->phase == PH_FALLBACK && n >= f->needed)
		sync_round(s, f, SP_FALLBACK);
}

/* Worker w will report or arrive soon: its line. */
static void
fs_prefetch(const void *st, int w)
{
	const struct fastsync	*f = st;

	__builtin_prefetch(&f->wk[w], 1);
}

static void
fs_report(struct sim *s, void *st, int w)
{
	struct fastsync	*f = st;

	f->wk[w].delay_sum += sim_now(s) - sim_round_start(s, w);
	f->wk[w].reports++;
	if (sim_round(s, w) != f->cur || f->wk[w].ready_t >= 0)
		return;
	set_ready(f, w, sim_now(s) + f->remain[sim_is_slow(s, w)]);
	try_predict(s, f);
}

/* A quorum check at ts1, ts2 or ts3; on failure, the next point. */
static void
check(struct sim *s, struct fastsync *f, enum phase ph)
{
	enum sim_point	p = phase_point(ph);
	double		now = sim_now(s), t1, t2;
	int		m1, m2;

	t2 = cluster_point(f, 1, &m2);
	if (f->waiting.n >= f->needed) {
		emit_quorum(s, f, p, 1, m2);
		sync_round(s, f, p);
		return;
	}
	emit_quorum(s, f, p, 0, m2);
	if (ph == PH_TS3) {
		f->phase = PH_FALLBACK;
		return;
	}
	if (ph == PH_TS1) {
		notify(s, f, 1, p);
		if (t2 < now + f->local_ms)
			t2 = now + f->local_ms;
		t1 = cluster_point(f, 0, &m1);
		if (f->local_mean >= 0 && t1 >= 0 && t1 + f->local_mean <= t2) {
			int label = side_label(f, 0);

			for (int k = 0; k < f->waiting.n; k++)
				if (f->wk[f->waiting.g[k].worker].label == label)
					sim_pull_forward(s,
					    f->waiting.g[k].worker);
			if (now + f->local_mean > t2)
				t2 = now + f->local_mean;
		}
		plan_check(s, f, PH_TS2, t2);
		return;
	}
	notify(s, f, 0, p);
	/* C1 hears of it local_ms from now: ts3 is no sooner */
	t1 = cluster_point(f, 0, &m1);
	plan_check(s, f, PH_TS3, fmax(t1, now + f->local_ms));
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
	/* a check for a round that already synced */
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
	if (g.round < f->cur) {
		/* it missed its round's sync: late */
		sim_late(s, &g);
		if (f->m->drop_late) {
			sim_drop(s, &g);
			sim_release(s, w);
			return;
		}
	}
	gradients_push(&f->waiting, &g);
	set_ready(f, w, sim_now(s));
	try_predict(s, f);
	maybe_sync_now(s, f);
}

/*
 * Churn: a leaving worker's gradient at the PS is dropped and it loses
 * its history (it comes back as noise). The quorum shrinks with the
 * workers present, so a sync may be due now.
 */
static void
fs_leave(struct sim *s, void *st, int w)
{
	struct fastsync	*f = st;
	struct gradient	 g;

	if (gradients_take(&f->waiting, w, &g))
		sim_drop(s, &g);
	for (int k = 0; k < f->nrelease; k++)
		if (f->release[k] == w)
			f->release[k--] = f->release[--f->nrelease];
	if (f->wk[w].label != LABEL_NOISE) {
		f->members[f->wk[w].label]--;
		f->known[f->wk[w].label] -= f->wk[w].ready_t >= 0;
	}
	f->wk[w].present = 0;
	f->wk[w].reports = 0;
	f->wk[w].delay_sum = 0;
	f->wk[w].label = LABEL_NOISE;
	f->wk[w].ready_t = -1;
	set_needed(s, f);
	if (f->phase == PH_COLLECT && side_label(f, 1) < 0)
		f->phase = PH_FALLBACK;
	try_predict(s, f);
	maybe_sync_now(s, f);
}

static void
fs_join(struct sim *s, void *st, int w)
{
	struct fastsync	*f = st;

	f->wk[w].present = 1;
	set_needed(s, f);
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
		*point = phase_point(f->phase);
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

static const struct setting fs_params[] = {
	MODEL_QUORUM_ROW(ST_LABEL),
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
	MODEL_LATE_ROW,
	{ .key = "reconfig_ms", .type = ST_DOUBLE, .min = 0,
	  .max = TIME_MAX_MS, .def = "20.0", .off = MODEL_FIELD(reconfig_ms),
	  .doc = "the cost of a re-clustering, added to that sync" },
};
static void
fs_quorum(const struct sim *s, const void *st, int *ready, int *needed)
{
	const struct fastsync	*f = st;

	(void)s;
	*ready = f->waiting.n;
	*needed = f->needed;
}

/* For views: one cluster side of the plan, from what is known now. */
static void
view_side(const struct fastsync *f, int side, struct sim_plan_side *v)
{
	double	sum = 0, sq = 0;

	v->label = side_label(f, side);
	v->members = v->known = 0;
	/* model_fastsync_point's mean + population sd, without a copy */
	for (int pass = 0; pass < 2 && v->label >= 0; pass++)
		for (int i = 0; i < f->n; i++) {
			double t = f->wk[i].ready_t;

			if (!f->wk[i].present || f->wk[i].label != v->label)
				continue;
			if (pass == 0) {
				v->members++;
				v->known += t >= 0;
				sum += t >= 0 ? t : 0;
			} else if (t >= 0)
				sq += (t - sum / v->known) * (t - sum / v->known);
		}
	if (v->known == 0)
		return;
	v->mean = sum / v->known;
	v->sd = sqrt(sq / v->known);
	v->point = v->known < v->members ? -1 : v->mean + v->sd;
}

/*
 * For views: the plan's inputs (DESIGN.md section 3, points 2 and 3):
 * every worker's label and known or predicted ready time, each side's
 * mean, sd and point, the gradients at the PS.
 */
static void
fs_view(const struct sim *s, const void *st, struct sim_plan_view *v,
    struct sim_plan_worker *w)
{
	const struct fastsync	*f = st;

	(void)s;
	v->round = f->cur;
	v->needed = f->needed;
	v->clusters = 1;
	v->local_ms = f->local_mean;
	for (int k = 0; k < 2; k++)
		view_side(f, k, &v->side[k]);
	for (int i = 0; i < f->n && v->pivot < 0; i++)
		if (f->wk[i].reports > 0 && f->wk[i].present)
			v->pivot = i;
	for (int i = 0; w != NULL && i < f->n; i++) {
		w[i].label = f->wk[i].label;
		w[i].t = f->wk[i].ready_t;
		w[i].reports = f->wk[i].reports;
		if (f->wk[i].reports > 0 && v->pivot >= 0)
			w[i].dev = f->wk[i].delay_sum / f->wk[i].reports -
			    f->wk[v->pivot].delay_sum / f->wk[v->pivot].reports;
		if (f->wk[i].present && f->wk[i].ready_t >= 0)
			w[i].known = SIM_KNOWN_PREDICTED;
	}
	gradients_view(&f->waiting, f->cur, v, w);
}

/*
 * DBSCAN needs min_points workers in a cluster, 2-means two workers:
 * with fewer than two clusters' worth the one cluster (if any) serves as
 * both C1 and C2, and with none every sync falls back (DESIGN.md
 * section 3). Deviations decide the rest, at run time.
 */
static int
fs_check(const struct fs_config *cf, const struct model_spec *m, char *buf,
    size_t len)
{
	int	one = m->kmeans ? 1 : m->min_points;

	if (cf->workers >= 2 * one)
		return (0);
	if (cf->workers < one)
		snprintf(buf, len, "model %s: min_points %d cannot form a"
		    " cluster of %d workers: every sync falls back to the"
		    " quorum", m->name, m->min_points, cf->workers);
	else if (m->kmeans)
		snprintf(buf, len, "model %s: 2-means cannot form two clusters"
		    " of 1 worker: the one cluster serves as C1 and C2",
		    m->name);
	else
		snprintf(buf, len, "model %s: min_points %d cannot form two"
		    " clusters of %d workers (needs %d): at most one, which"
		    " serves as C1 and C2", m->name, m->min_points,
		    cf->workers, 2 * one);
	return (1);
}

const struct model_ops model_fastsync_ops = {
	.name = "fastsync",
	MODEL_PARAMS(fs_params),
	.create = fs_create,
	.destroy = fs_destroy,
	.arrive = fs_arrive,
	.report = fs_report,
	.prefetch = fs_prefetch,
	.timer = fs_timer,
	.leave = fs_leave,
	.join = fs_join,
	.plan = fs_plan,
	.quorum = fs_quorum,
	.view = fs_view,
	.wait_word = "quorum",
	.clusters = 1,
	.check = fs_check,
	.syncs = 1,
};
