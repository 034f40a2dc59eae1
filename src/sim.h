/*
 * The simulation engine: one instance runs one synchronization model over
 * N workers and a parameter server, event by event, on simulated
 * milliseconds. No terminal, no database, no global state: observers
 * (the dashboard, the recorder, tests) subscribe to its events.
 */
#ifndef FS_SIM_H
#define FS_SIM_H

#include <stdint.h>

#include "config.h"
#include "stats.h"

struct sim;

enum worker_state {
	WS_COMPUTING,	/* running an async task */
	WS_LOCAL,	/* running a local task */
	WS_PUSHING,	/* gradient on its way to the PS */
	WS_WAITING,	/* at the PS, held by the model's rule */
	WS_PULLING,	/* weights on their way back */
	WS_IDLE,	/* finished every round */
	WS_LEFT,	/* not present (churn) */
	WS_NSTATES
};

enum sim_event_type {
	SIM_EV_TASK_START,	/* worker, task, round */
	SIM_EV_TASK_END,	/* worker, task, round */
	SIM_EV_PUSH,		/* worker sent its gradient (v_read) */
	SIM_EV_ARRIVE,		/* gradient reached the PS: clock, min_clock */
	SIM_EV_WAIT,		/* the model holds the worker at the PS */
	SIM_EV_APPLY,		/* one gradient applied: v_read, v_apply */
	SIM_EV_UPDATE,		/* version bumped: count gradients, version */
	SIM_EV_RELEASE,		/* PS sends weights: version read, clock */
	SIM_EV_PULLED,		/* worker has the weights (v_read) */
	SIM_EV_ROUND,		/* round complete: min_clock reached round+1 */
	SIM_EV_WORKER_DONE,	/* worker finished its last round */
	SIM_EV_END,		/* every worker is done */
	SIM_EV_SYNC,		/* a model synced a round: point, count, ready */
	SIM_EV_QUORUM,		/* a quorum check: point, ready, needed, pass */
	SIM_EV_CLUSTER,		/* a worker's cluster label after clustering */
	SIM_EV_NOTIFY,		/* a late notification reached a worker */
	SIM_EV_PULL_FORWARD,	/* a waiting worker runs a local task early */
	SIM_EV_LATE,		/* a gradient missed its round's sync */
	SIM_EV_DROP,		/* a gradient was dropped (late, or left) */
	SIM_EV_LEAVE,		/* a worker left (churn) */
	SIM_EV_JOIN,		/* a worker joined; it pulls (PULLED) first */
	SIM_EV_CUT,		/* the run ended with this gradient unapplied */
	SIM_EV_ABANDON,		/* a worker gave up its round (quorum "drop") */
	SIM_EV_NTYPES
};

/* Which sync point a model synced at (DESIGN.md section 3). */
enum sim_point {
	SP_NONE,
	SP_BARRIER,	/* BSP: everyone */
	SP_TS1,
	SP_TS2,
	SP_TS3,
	SP_FALLBACK,	/* the ceil(q n)-th arrival */
	SP_FLUSH,	/* end of run: deferred gradients applied (old runs) */
	SP_QUORUM,	/* the quorum rule: the k-th gradient waiting */
	SP_NPOINTS
};

/* Cluster labels (FastSync): C1 early, C2 late, or noise. */
enum sim_label {
	LABEL_NOISE = -1,
	LABEL_C1 = 0,
	LABEL_C2 = 1
};

struct sim_event {
	enum sim_event_type	type;
	double			t;
	int			worker;		/* -1: none */
	int			task;		/* task index, -1: none */
	int			round;
	int			clock;
	int			min_clock;
	int			count;		/* UPDATE, SYNC: gradients */
	int			point;		/* SYNC, QUORUM, NOTIFY: sim_point */
	int			ready;		/* SYNC, QUORUM: workers ready */
	int			needed;		/* SYNC, QUORUM: quorum size */
	int			pass;		/* QUORUM: 1 if it held */
	int			label;		/* CLUSTER: sim_label */
	uint64_t		v_read;
	uint64_t		v_apply;	/* APPLY; RELEASE: version read */
};

typedef void (*sim_observer_fn)(const struct sim_event *, void *);

/* A set of event types, for an observer that needs only some. */
#define SIM_EV_BIT(t)	(1u << (t))
#define SIM_EV_ALL	((1u << SIM_EV_NTYPES) - 1)
_Static_assert(SIM_EV_NTYPES <= 32, "event types fit a set's bits");

struct sim_worker_view {
	enum worker_state	state;
	int			slow;
	int			clock;
	int			round;
	int			task;		/* current task index or -1 */
	uint64_t		v_read;
	uint64_t		last_staleness;
	double			t_mark;		/* current task or wait began */
	double			t_due;		/* it ends (sim_track), or -1 */
	double			busy_ms, wait_ms, idle_ms, comm_ms;
	double			absent_ms;	/* time away (churn) */
};

/* What a model's plan knows of one worker (sim_plan_view). */
enum sim_known {
	SIM_KNOWN_NOT,		/* present, not reported yet this round */
	SIM_KNOWN_PREDICTED,	/* reported: a predicted ready time */
	SIM_KNOWN_AT_PS,	/* its gradient is at the PS: ready */
	SIM_KNOWN_ABSENT	/* left (churn) */
};

struct sim_plan_worker {
	int		label;		/* sim_label (FastSync), else noise */
	enum sim_known	known;
	int		deferred;	/* at the PS from an earlier round */
	double		t;		/* ready time (actual or predicted) */
	int		reports;	/* progress reports in its history */
	double		dev;		/* its mean report delay minus the
					   pivot's (what FastSync clusters) */
};

/* A cluster's side of FastSync's plan: C1 (side 0) or C2 (side 1). */
struct sim_plan_side {
	int	label;		/* the label playing it, -1: none */
	int	members;	/* present members */
	int	known;		/* of which a ready time is known */
	double	mean, sd;	/* of the known ready times */
	double	point;		/* mean + sd; -1 until all are known */
};

/*
 * The inputs of a model's next sync decision, for views: the round being
 * synced, the point tried and when (as sim_plan), the gradients at the
 * PS split into fresh and deferred, and FastSync's clusters.
 */
struct sim_plan_view {
	int			round;
	int			point;		/* sim_point; SP_NONE: collecting */
	double			at;		/* -1: at an arrival */
	int			ready, needed, present;
	int			fresh, deferred;
	int			clusters;	/* the sides below mean something */
	int			pivot;		/* deviations are from it, or -1 */
	struct sim_plan_side	side[2];
	double			local_ms;	/* a C1 local task, -1: none */
};

const char	*sim_event_name(enum sim_event_type);
const char	*sim_state_name(enum worker_state);
const char	*sim_point_name(enum sim_point);

struct sim	*sim_create(const struct fs_config *, const struct model_spec *,
		    char *, size_t);
void		 sim_free(struct sim *);
int		 sim_observe(struct sim *, sim_observer_fn, void *);
int		 sim_observe_only(struct sim *, sim_observer_fn, void *,
		    unsigned);

int		 sim_step(struct sim *);
uint64_t	 sim_run_to_round(struct sim *);
uint64_t	 sim_run_until(struct sim *, double);
void		 sim_run(struct sim *);

int		 sim_done(const struct sim *);
const char	*sim_error(const struct sim *);
double		 sim_now(const struct sim *);
double		 sim_next_time(struct sim *);
uint64_t	 sim_events(const struct sim *);
uint64_t	 sim_version(const struct sim *);
int		 sim_min_clock(const struct sim *);
int		 sim_workers(const struct sim *);
int		 sim_present_now(const struct sim *);
void		 sim_worker(const struct sim *, int, struct sim_worker_view *);
void		 sim_track(struct sim *);
int		 sim_syncs(const struct sim *);
int		 sim_rounds_done(const struct sim *);
int		 sim_plan(const struct sim *, int *, double *);
int		 sim_quorum(const struct sim *, int *, int *);
int		 sim_plan_view(const struct sim *, struct sim_plan_view *,
		    struct sim_plan_worker *);
const char	*sim_wait_word(const struct sim *);
int		 sim_clusters(const struct sim *);
int		 sim_plans(const struct sim *);
const struct stats *sim_stats(const struct sim *);
const struct model_spec *sim_model(const struct sim *);
const struct fs_config *sim_config(const struct sim *);
/* Tests: the queue's next sequence number, so a run crosses its 36-bit
 * limit (pq.h) without 68 billion events; before sim_run. */
void		 sim_queue_seq(struct sim *, uint64_t);

#endif
