/*
 * The engine's private state, shared by sim.c (the event loop and the
 * workers' lifecycle) and sim_services.c (what models and views may ask).
 * Nothing outside those two files includes this.
 */
#ifndef FS_SIM_PRIV_H
#define FS_SIM_PRIV_H

#include <stdint.h>

#include "model.h"
#include "pq.h"
#include "sim.h"

#define SIM_MAX_OBSERVERS	8

enum qkind {
	Q_START,	/* worker begins its first round */
	Q_TASK_DONE,	/* worker finished its current task */
	Q_ARRIVE,	/* worker's gradient reached the PS */
	Q_PULLED,	/* worker received the weights */
	Q_TIMER,	/* a model's own timer */
	Q_LEAVE,	/* worker leaves (churn) */
	Q_JOIN		/* an absent worker comes back (churn) */
};

/*
 * A worker's hot state: what an event touches, one 64-byte line. With
 * 100,000 workers every event is a likely cache miss on it, so anything
 * read less often lives in struct worker_cold, and a flag here says
 * whether the cold field means anything (WF_EARLY, WF_PULLED): the usual
 * event reads no cold line.
 */
struct worker {
	double		t_mark;		/* start of the current task or wait */
	double		busy, wait, comm;
	uint64_t	v_read;		/* version of the worker's weights */
	uint64_t	g_vread;	/* newest gradient: its v_read */
	int32_t		g_round;	/* newest gradient: its round */
	int32_t		round;		/* round being run */
	int32_t		clock;		/* gradients delivered */
	uint8_t		pos;		/* position in the run order */
	uint8_t		state;
	uint8_t		slow;
	uint8_t		flags;		/* WF_* */
};

/* struct worker's flags. */
#define WF_GRADIENT	0x01	/* pushed a gradient not yet applied or dropped */
#define WF_FRESH_START	0x02	/* after this pull: a new round, from task 0 */
#define WF_JOINING	0x04	/* this pull is a join's: it reads the version
				   current as it ends */
#define WF_EARLY	0x08	/* ran a task early this round: cold.early */
#define WF_PULLED	0x10	/* running the task pulled forward to
				   cold.pulled */

/*
 * The rest of a worker, 64-byte aligned: its first line holds what
 * events touch about once a round (the arrival times, the round's
 * start, the last staleness) and, under churn, every event (pending),
 * so sim_step can ask for that one line ahead; the second line is read
 * seldom.
 */
struct worker_cold {
	double		push_t[2];	/* last two arrivals: [1] newest */
	double		round_start;	/* when the current round began */
	uint64_t	last_tau;
	uint64_t	pending;	/* churn: sequence of its live event */
	double		due;		/* next event, when tracked */
	uint64_t	early;		/* tasks run early this round (bits),
					   if flags has WF_EARLY */
	int32_t		pulled;		/* position of the task pulled forward,
					   if flags has WF_PULLED */
	int8_t		release_held;	/* released while running it */
	/* the second line */
	_Alignas(64) double idle;
	double		absent;		/* time away (churn) */
	uint64_t	leaves;		/* leave draws so far: their keys */
	uint64_t	held_v;		/* version a deferred release reads */
};

_Static_assert(sizeof(struct worker_cold) == 128,
    "struct worker_cold is two lines");
_Static_assert(sizeof(struct worker) == 64, "struct worker is one line");

struct sim {
	const struct fs_config	*cf;
	const struct model_spec	*spec;
	const struct model_ops	*ops;
	void			*mstate;
	struct pq		 q;
	struct worker		*w;
	struct worker_cold	*cold;
	uint64_t		*task_prefix;	/* rng_prefix per worker, or NULL */
	int			 nw;
	int			 ntasks;
	int			 rounds;
	const struct time_class	**pos_class;	/* per position; NULL: sync */
	uint8_t			*pos_async;
	uint8_t			*pos_pullable;	/* local, not after the sync */
	int			*clock_count;	/* workers at each clock */
	int			 min_clock;
	int			 running;	/* present workers not finished */
	int			 present;
	int			 churn;		/* leave_rate > 0 */
	int			 voids;		/* queued events can be void */
	int			 ending;	/* the last round synced */
	int			 older;		/* the last update's gradients of
						   rounds before the one synced */
	int			 track;		/* keep cold.due (sim_track) */
	uint64_t		 joins;		/* join draws so far: their keys */
	uint64_t		 version;
	uint64_t		 events;
	double			 now;
	int			 done;
	char			 error[128];
	struct stats		 st;
	struct {
		sim_observer_fn	 fn;
		void		*ud;
		unsigned	 types;		/* SIM_EV_BIT()s it wants */
	}			 obs[SIM_MAX_OBSERVERS];
	int			 nobs;
	unsigned		 obs_types;	/* what any observer wants */
};

void	sim_dispatch(struct sim *, struct sim_event *);
void	sim_push_worker(struct sim *, double, enum qkind, int);
void	sim_start_task(struct sim *, int, int);
double	sim_task_time(const struct sim *, int, int);
void	sim_rounds_advanced(struct sim *, int);
void	sim_start_round(struct sim *, int);
void	sim_worker_done(struct sim *);
void	sim_account(struct sim *, int);
void	sim_skip_synced(struct sim *, int);

/* The tasks worker i ran early this round (bits by task id). */
static inline uint64_t
sim_early(const struct sim *s, int i)
{
	return (s->w[i].flags & WF_EARLY ? s->cold[i].early : 0);
}

/* churn.c: workers leaving and joining. */
void	churn_start(struct sim *);
void	churn_leave(struct sim *, int);
void	churn_join(struct sim *);

/*
 * Tell observers: the event struct is only built when one listens for
 * its type (a recorder without the event log wants rounds and syncs).
 */
#define SIM_EMIT(s, TYPE, ...) do {					\
	if ((s)->obs_types & SIM_EV_BIT(TYPE)) {			\
		struct sim_event ev_ = { .type = (TYPE), __VA_ARGS__ };	\
		sim_dispatch((s), &ev_);				\
	}								\
} while (0)

#endif
