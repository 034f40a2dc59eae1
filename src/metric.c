/*
 * The summary metrics table (tmux's options-table.c idea): each metric's
 * name, run_models column, SQL type, unit, how to read it from a report
 * row, table header, compare label and a one-line description. The
 * order is the CSV/JSON column order; fastsync(1) lists them in it.
 * Then the same for a worker's figures and a round's.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "metric.h"
#include "report.h"
#include "sim.h"
#include "stats.h"

#define ROW(f)	offsetof(struct report_row, f)

/* The run a row belongs to: missing when it was not recorded. */
static void
get_run(const struct report_row *r, struct metric_value *v)
{
	v->i = r->run;
	v->missing = r->run <= 0;
}

static void
get_model(const struct report_row *r, struct metric_value *v)
{
	v->s = r->model;
}

static void
get_workers(const struct report_row *r, struct metric_value *v)
{
	v->i = r->workers;
}

static void
get_rounds(const struct report_row *r, struct metric_value *v)
{
	v->i = r->rounds;
}

/* FastSync's sync-point split, ts1/ts2/ts3/fallback; "-" without. */
static void
get_split(const struct report_row *r, struct metric_value *v)
{
	const uint64_t	*p = r->st.points;

	if (p[SP_TS1] + p[SP_TS2] + p[SP_TS3] + p[SP_FALLBACK] == 0) {
		v->s = "-";
		return;
	}
	snprintf(v->buf, sizeof v->buf, "%" PRIu64 "/%" PRIu64 "/%" PRIu64
	    "/%" PRIu64, p[SP_TS1], p[SP_TS2], p[SP_TS3], p[SP_FALLBACK]);
	v->s = v->buf;
}

/* name, column, type, unit, head, show, training, compare, value, descr */
const struct metric metrics[] = {
	{ "model", NULL, METRIC_TEXT, "", "model", SHOW_ASIS, 0, NULL,
	    0, get_model, "the model's name from the configuration" },
	{ "run", NULL, METRIC_INT, "", NULL, SHOW_ASIS, 0, NULL,
	    0, get_run, "the recorded run's id; empty (null) when not recorded" },
	{ "workers", NULL, METRIC_INT, "", NULL, SHOW_ASIS, 0, NULL,
	    0, get_workers, "number of workers" },
	{ "rounds", NULL, METRIC_INT, "", NULL, SHOW_ASIS, 0, NULL,
	    0, get_rounds, "number of rounds" },
	{ "seed", NULL, METRIC_INT, "", NULL, SHOW_ASIS, 0, NULL,
	    ROW(seed), NULL, "the seed" },
	{ "time_ms", "time_ms", METRIC_REAL, "ms", "time s", SHOW_SECONDS, 0,
	    "time s", ROW(sum.time_ms), NULL,
	    "time to finish: the last round's sync (BSP, quorum, FastSync), or"
	    " every worker's last round (ASP, SSP, DSSP)" },
	{ "round_mean_ms", "round_mean_ms", METRIC_REAL, "ms", "round ms",
	    SHOW_ASIS, 0, "round ms", ROW(sum.round_mean_ms), NULL,
	    "mean inter-sync time" },
	{ "round_p50_ms", "round_p50_ms", METRIC_REAL, "ms", "p50", SHOW_ASIS,
	    0, NULL, ROW(sum.round_p50_ms), NULL,
	    "median inter-sync time" },
	{ "round_p95_ms", "round_p95_ms", METRIC_REAL, "ms", "p95", SHOW_ASIS,
	    0, "round p95 ms", ROW(sum.round_p95_ms), NULL,
	    "95th percentile of the inter-sync time" },
	{ "throughput", "throughput", METRIC_REAL, "gradients/s", "grad/s",
	    SHOW_ASIS, 0, "grad/s", ROW(sum.throughput), NULL,
	    "gradients applied per simulated second" },
	{ "gradients", "gradients", METRIC_INT, "", NULL, SHOW_ASIS, 0, NULL,
	    ROW(st.gradients), NULL, "gradients applied" },
	{ "updates", "updates", METRIC_INT, "", "updates", SHOW_ASIS, 0, NULL,
	    ROW(st.updates), NULL, "updates (versions) the PS went through" },
	{ "fresh", "fresh", METRIC_INT, "", "fresh", SHOW_ASIS, 0, NULL,
	    ROW(st.fresh), NULL, "gradients applied with tau = 0" },
	{ "stale", "stale", METRIC_INT, "", "stale", SHOW_ASIS, 0, NULL,
	    ROW(st.stale), NULL, "gradients applied with tau > 0" },
	{ "stale_pct", NULL, METRIC_REAL, "%", "stale%", SHOW_ASIS, 0,
	    "stale %", ROW(sum.stale_pct), NULL,
	    "stale as a percentage of gradients" },
	{ "staleness_mean", "staleness_mean", METRIC_REAL, "versions", "tau",
	    SHOW_ASIS, 0, "tau", ROW(sum.staleness_mean), NULL,
	    "mean tau of the applied gradients" },
	{ "staleness_max", "staleness_max", METRIC_INT, "versions", "max",
	    SHOW_ASIS, 0, NULL, ROW(st.staleness_max), NULL,
	    "largest tau of the applied gradients" },
	{ "dropped", "dropped", METRIC_INT, "", NULL, SHOW_ASIS, 0, NULL,
	    ROW(st.dropped), NULL, "gradients never applied" },
	{ "cut", "cut", METRIC_INT, "", NULL, SHOW_ASIS, 0, NULL,
	    ROW(st.cut), NULL,
	    "gradients still unapplied when the run ended at its last sync" },
	{ "wait_mean_ms", "wait_mean_ms", METRIC_REAL, "ms", "wait ms",
	    SHOW_ASIS, 0, "wait ms", ROW(sum.wait_mean_ms), NULL,
	    "a worker's time held at the PS, mean over the workers" },
	{ "wait_max_ms", "wait_max_ms", METRIC_REAL, "ms", NULL, SHOW_ASIS, 0,
	    NULL, ROW(st.max_wait_ms), NULL,
	    "a worker's time held at the PS, the largest" },
	{ "idle_mean_ms", "idle_mean_ms", METRIC_REAL, "ms", "idle ms",
	    SHOW_ASIS, 0, NULL, ROW(sum.idle_mean_ms), NULL,
	    "a worker's time done, mean over the workers" },
	{ "busy_mean_ms", "busy_mean_ms", METRIC_REAL, "ms", NULL, SHOW_ASIS,
	    0, NULL, ROW(sum.busy_mean_ms), NULL,
	    "a worker's time running tasks, mean over the workers" },
	{ "comm_mean_ms", "comm_mean_ms", METRIC_REAL, "ms", NULL, SHOW_ASIS,
	    0, NULL, ROW(sum.comm_mean_ms), NULL,
	    "a worker's time pushing and pulling, mean over the workers" },
	{ "syncs_ts1", "syncs_ts1", METRIC_INT, "", NULL, SHOW_ASIS, 0, NULL,
	    ROW(st.points[SP_TS1]), NULL, "rounds FastSync synced at ts1" },
	{ "syncs_ts2", "syncs_ts2", METRIC_INT, "", NULL, SHOW_ASIS, 0, NULL,
	    ROW(st.points[SP_TS2]), NULL, "rounds FastSync synced at ts2" },
	{ "syncs_ts3", "syncs_ts3", METRIC_INT, "", NULL, SHOW_ASIS, 0, NULL,
	    ROW(st.points[SP_TS3]), NULL, "rounds FastSync synced at ts3" },
	{ "syncs_fallback", "syncs_fallback", METRIC_INT, "", NULL, SHOW_ASIS,
	    0, NULL, ROW(st.points[SP_FALLBACK]), NULL,
	    "rounds FastSync synced by the fallback" },
	{ "sync_split", NULL, METRIC_TEXT, "", "ts1/ts2/ts3/fb", SHOW_ASIS, 0,
	    NULL, 0, get_split, "the four sync counts as one string" },
	{ "quorum_mean", "quorum_mean", METRIC_REAL, "fraction", NULL,
	    SHOW_ASIS, 0, "quorum", ROW(sum.quorum_mean), NULL,
	    "the mean ready fraction at the round syncs" },
	{ "events", "sim_events", METRIC_INT, "", NULL, SHOW_ASIS, 0, NULL,
	    ROW(events), NULL, "events the simulation engine processed" },
	{ "accuracy", "accuracy", METRIC_REAL, "fraction", "acc%",
	    SHOW_PERCENT, 1, "accuracy %", ROW(accuracy), NULL,
	    "test accuracy at the last evaluation" },
	{ "time_to_target", "time_to_target", METRIC_REAL, "ms", "target s",
	    SHOW_SECONDS, 1, "to target s", ROW(time_to_target), NULL,
	    "time of the first evaluation at train.target" },
};
const size_t metrics_count = sizeof metrics / sizeof metrics[0];

const char *
metric_sql_type(enum metric_type type)
{
	static const char *const names[] = {
		[METRIC_TEXT] = "TEXT",
		[METRIC_INT] = "INTEGER",
		[METRIC_REAL] = "REAL",
	};

	return (names[type]);
}

/* A metric of row r; training ones are missing unless r trained. */
void
metric_get(const struct metric *m, const struct report_row *r,
    struct metric_value *v)
{
	const char	*field = (const char *)r + m->off;

	memset(v, 0, sizeof *v);
	if (m->get != NULL)
		m->get(r, v);
	else if (m->type == METRIC_INT) {
		uint64_t u;

		memcpy(&u, field, sizeof u);
		v->i = (int64_t)u;
	} else
		memcpy(&v->d, field, sizeof v->d);
	if (m->training)
		v->missing = !r->trained || isnan(v->d);
}

/* Store a value read back into r's field (a training value: trained). */
void
metric_set(const struct metric *m, struct report_row *r,
    const struct metric_value *v)
{
	char	*field = (char *)r + m->off;
	double	 d = v->d;

	if (m->get != NULL)
		return;
	if (m->type == METRIC_INT) {
		uint64_t u = (uint64_t)v->i;

		memcpy(field, &u, sizeof u);
		return;
	}
	if (m->training && v->missing)
		d = NAN;
	else if (m->training)
		r->trained = 1;
	memcpy(field, &d, sizeof d);
}

/* A real value as people read it: seconds, percent, or as is. */
double
metric_shown(const struct metric *m, const struct metric_value *v)
{
	if (v->missing)
		return (NAN);
	if (m->show == SHOW_SECONDS)
		return (v->d / 1000);
	if (m->show == SHOW_PERCENT)
		return (100 * v->d);
	return (v->d);
}

#define WORKER(f)	offsetof(struct sim_worker_view, f)

/* name, type, unit, field, descr */
const struct worker_metric worker_metrics[] = {
	{ "slow", METRIC_INT, "", WORKER(slow),
	    "1 for a slow worker, 0 for a fast one" },
	{ "clock", METRIC_INT, "", WORKER(clock),
	    "gradients the worker delivered" },
	{ "busy_ms", METRIC_REAL, "ms", WORKER(busy_ms),
	    "time running tasks" },
	{ "wait_ms", METRIC_REAL, "ms", WORKER(wait_ms),
	    "time held at the PS" },
	{ "idle_ms", METRIC_REAL, "ms", WORKER(idle_ms),
	    "time done, after its last round" },
	{ "comm_ms", METRIC_REAL, "ms", WORKER(comm_ms),
	    "time pushing and pulling" },
	{ "absent_ms", METRIC_REAL, "ms", WORKER(absent_ms),
	    "time away (churn)" },
};
const size_t worker_metrics_count = sizeof worker_metrics /
    sizeof worker_metrics[0];

void
worker_metric_get(const struct worker_metric *m,
    const struct sim_worker_view *w, struct metric_value *v)
{
	const char	*field = (const char *)w + m->off;

	memset(v, 0, sizeof *v);
	if (m->type == METRIC_INT) {
		int i;

		memcpy(&i, field, sizeof i);
		v->i = i;
	} else
		memcpy(&v->d, field, sizeof v->d);
}

void
worker_metric_set(const struct worker_metric *m, struct sim_worker_view *w,
    const struct metric_value *v)
{
	char	*field = (char *)w + m->off;

	if (m->type == METRIC_INT) {
		int i = (int)v->i;

		memcpy(field, &i, sizeof i);
	} else
		memcpy(field, &v->d, sizeof v->d);
}

/* A round's plain field, read and written by macro-made accessors. */
#define ROUND_FIELD(f, member, to)					\
static void								\
get_##f(const struct stats *s, int k, struct metric_value *v)		\
{									\
	v->to = (member);						\
}									\
static void								\
set_##f(struct stats *s, int k, const struct metric_value *v)		\
{									\
	(member) = v->to;						\
}

ROUND_FIELD(t_start, s->round[k].t_start, d)
ROUND_FIELD(quorum, s->round[k].quorum, d)
ROUND_FIELD(participants, s->round[k].participants, i)
ROUND_FIELD(gradients, s->round[k].gradients, i)
ROUND_FIELD(fresh, s->round[k].fresh, i)
ROUND_FIELD(stale, s->round[k].stale, i)
ROUND_FIELD(wait_ms, s->round[k].wait_ms, d)
ROUND_FIELD(idle_ms, s->round[k].idle_ms, d)
ROUND_FIELD(comm_ms, s->round[k].comm_ms, d)
ROUND_FIELD(late, s->round[k].late, i)
ROUND_FIELD(deferred, s->round[k].deferred, i)
ROUND_FIELD(notified, s->round[k].notified, i)
ROUND_FIELD(pulled, s->round[k].pulled, i)
ROUND_FIELD(c1, s->round[k].c1, i)
ROUND_FIELD(c2, s->round[k].c2, i)
ROUND_FIELD(noise, s->round[k].noise, i)
ROUND_FIELD(t_quorum, s->round[k].t_quorum, d)
ROUND_FIELD(reconfig_ms, s->round[k].reconfig_ms, d)

static void
get_t_end(const struct stats *s, int k, struct metric_value *v)
{
	v->d = s->round[k].t_end;
}

/* A round with an end completed: rounds_done counts up to it. */
static void
set_t_end(struct stats *s, int k, const struct metric_value *v)
{
	s->round[k].t_end = v->d;
	if (!v->missing && k + 1 > s->rounds_done)
		s->rounds_done = k + 1;
}

static void
get_t_sync(const struct stats *s, int k, struct metric_value *v)
{
	v->d = s->round[k].t_sync;
}

/* A round with a sync time was synced (else t_sync stays -1). */
static void
set_t_sync(struct stats *s, int k, const struct metric_value *v)
{
	if (v->missing)
		return;
	s->round[k].t_sync = v->d;
	s->syncs_done++;
}

static void
get_point(const struct stats *s, int k, struct metric_value *v)
{
	v->s = sim_point_name((enum sim_point)s->round[k].point);
}

static void
set_point(struct stats *s, int k, const struct metric_value *v)
{
	for (int i = 0; v->s != NULL && i < SP_NPOINTS; i++)
		if (strcmp(v->s, sim_point_name((enum sim_point)i)) == 0)
			s->round[k].point = i;
}

static void
get_max_staleness(const struct stats *s, int k, struct metric_value *v)
{
	v->i = (int64_t)s->round[k].max_staleness;
}

static void
set_max_staleness(struct stats *s, int k, const struct metric_value *v)
{
	s->round[k].max_staleness = (uint64_t)v->i;
}

static void
get_round_ms(const struct stats *s, int k, struct metric_value *v)
{
	v->d = stats_round_time(s, k);
}

static void
get_mean_staleness(const struct stats *s, int k, struct metric_value *v)
{
	const struct round_stats *rs = &s->round[k];

	v->d = rs->gradients > 0 ? (double)rs->staleness_sum / rs->gradients :
	    0;
}

/* Read back: the sum is what the stats keep. */
static void
set_mean_staleness(struct stats *s, int k, const struct metric_value *v)
{
	s->round[k].staleness_sum = (uint64_t)llround(v->d *
	    s->round[k].gradients);
}

/* column, json, type, unit, when, get, set, descr; JSON's order */
const struct round_metric round_metrics[] = {
	{ "t_start", "t_start", METRIC_REAL, "ms", WHEN_STARTED,
	    get_t_start, set_t_start, "the first worker started the round" },
	{ "t_end", "t_end", METRIC_REAL, "ms", WHEN_ENDED, get_t_end,
	    set_t_end, "the round's last gradient reached the PS" },
	{ "gradients", "gradients", METRIC_INT, "", WHEN_ALWAYS,
	    get_gradients, set_gradients, "gradients of the round applied" },
	{ "fresh", "fresh", METRIC_INT, "", WHEN_ALWAYS, get_fresh,
	    set_fresh, "fresh ones" },
	{ "stale", "stale", METRIC_INT, "", WHEN_ALWAYS, get_stale,
	    set_stale, "stale ones" },
	{ "max_staleness", "max_staleness", METRIC_INT, "versions",
	    WHEN_ALWAYS, get_max_staleness, set_max_staleness,
	    "the largest tau among them" },
	{ "t_sync", "t_sync", METRIC_REAL, "ms", WHEN_SYNCED, get_t_sync,
	    set_t_sync, "the model synced the round" },
	{ "sync_point", "point", METRIC_TEXT, "", WHEN_SYNCED, get_point,
	    set_point, "where it synced" },
	{ "participants", "participants", METRIC_INT, "", WHEN_SYNCED,
	    get_participants, set_participants,
	    "gradients in the sync's update" },
	{ "quorum", "quorum", METRIC_REAL, "fraction", WHEN_SYNCED,
	    get_quorum, set_quorum, "the ready fraction at the sync" },
	{ "round_ms", NULL, METRIC_REAL, "ms", WHEN_TIMED, get_round_ms,
	    NULL, "the round's inter-sync time" },
	{ "mean_staleness", "mean_staleness", METRIC_REAL, "versions",
	    WHEN_APPLIED, get_mean_staleness, set_mean_staleness,
	    "the mean tau of its gradients applied" },
	{ "wait_ms", "wait_ms", METRIC_REAL, "ms", WHEN_ALWAYS, get_wait_ms,
	    set_wait_ms, "workers' time held at the PS in this round, summed" },
	{ "idle_ms", "idle_ms", METRIC_REAL, "ms", WHEN_ALWAYS, get_idle_ms,
	    set_idle_ms,
	    "workers' time with every round done (in the last round), summed" },
	{ "comm_ms", "comm_ms", METRIC_REAL, "ms", WHEN_ALWAYS, get_comm_ms,
	    set_comm_ms, "workers' push and pull time in this round, summed" },
	{ "late", "late", METRIC_INT, "", WHEN_ALWAYS, get_late, set_late,
	    "its gradients that reached the PS after its sync" },
	{ "deferred", "deferred", METRIC_INT, "", WHEN_ALWAYS, get_deferred,
	    set_deferred, "late gradients of earlier rounds applied in its sync" },
	{ "notified", "notified", METRIC_INT, "", WHEN_ALWAYS, get_notified,
	    set_notified, "late notifications sent while it was synced" },
	{ "pulled_forward", "pulled_forward", METRIC_INT, "", WHEN_ALWAYS,
	    get_pulled, set_pulled, "local tasks run early in its waits" },
	{ "c1", "c1", METRIC_INT, "", WHEN_CLUSTERED, get_c1, set_c1,
	    "workers present in C1 while it ran" },
	{ "c2", "c2", METRIC_INT, "", WHEN_CLUSTERED, get_c2, set_c2,
	    "workers present in C2 while it ran" },
	{ "noise", "noise", METRIC_INT, "", WHEN_CLUSTERED, get_noise,
	    set_noise, "workers present in neither" },
	{ "t_quorum", "t_quorum", METRIC_REAL, "ms", WHEN_QUORUM, get_t_quorum,
	    set_t_quorum, "the quorum its sync needs was first at the PS" },
	{ "reconfig_ms", "reconfig_ms", METRIC_REAL, "ms", WHEN_SYNCED,
	    get_reconfig_ms, set_reconfig_ms,
	    "its sync released the participants this much later" },
};
const size_t round_metrics_count = sizeof round_metrics /
    sizeof round_metrics[0];

/* Whether round k has a value of m now (else NULL in the database). */
int
round_metric_has(const struct round_metric *m, const struct stats *s,
    int k)
{
	const struct round_stats	*rs = &s->round[k];

	switch (m->when) {
	case WHEN_STARTED:
		return (rs->t_start >= 0);
	case WHEN_ENDED:	/* else the round is still open */
		return (k < s->rounds_done);
	case WHEN_SYNCED:
		return (rs->t_sync >= 0);
	case WHEN_TIMED:
		return (k < s->rounds_done || (s->syncs_done > 0 &&
		    rs->t_sync >= 0));
	case WHEN_APPLIED:
		return (rs->gradients > 0);
	case WHEN_CLUSTERED:
		return (rs->c1 >= 0);
	case WHEN_QUORUM:
		return (rs->t_quorum >= 0);
	default:
		return (1);
	}
}
