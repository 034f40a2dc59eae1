/*
 * Metrics every model keeps, so runs can be compared: per round (start,
 * end, gradients, fresh/stale, staleness) and per run (throughput, time to
 * finish, staleness histogram, waits). Updated inline by the engine.
 */
#ifndef FS_STATS_H
#define FS_STATS_H

#include <stdint.h>

#define STATS_HIST	32	/* staleness 0..31, then one overflow bin */

struct round_stats {
	double		t_start;	/* first worker starts the round */
	double		t_end;		/* last worker's gradient arrives */
	double		t_sync;		/* the model synced it (-1: never) */
	double		quorum;		/* ready / present at the sync */
	int		point;		/* enum sim_point of the sync */
	int		participants;	/* gradients in the sync's update */
	int		gradients;	/* applied gradients of this round */
	int		fresh, stale;
	uint64_t	max_staleness;
	uint64_t	staleness_sum;
	/* workers' time while in this round (sums over workers) */
	double		wait_ms, idle_ms, comm_ms;
	int		late;		/* its gradients that missed its sync */
	int		deferred;	/* older gradients in its sync */
	int		notified;	/* late notifications (FastSync) */
	int		pulled;		/* local tasks pulled forward */
	int		c1, c2, noise;	/* cluster sizes, -1: no clusters */
	double		t_quorum;	/* its quorum was at the PS (-1: no) */
	double		reconfig_ms;	/* its sync's release was delayed */
};

/* What a worker's time went to, for stats_round_add. */
enum stats_time {
	STATS_WAIT,
	STATS_IDLE,
	STATS_COMM
};

struct stats {
	int			 rounds;
	int			 rounds_done;
	struct round_stats	*round;
	uint64_t		 gradients, updates, fresh, stale;
	uint64_t		 staleness_sum, staleness_max;
	uint64_t		 hist[STATS_HIST + 1];
	uint64_t		 dropped;	/* gradients never applied */
	uint64_t		 cut;		/* unapplied when the run ended */
	int			 syncs_done;	/* rounds the model synced */
	uint64_t		 points[8];	/* syncs per enum sim_point */
	double			 finish_ms;
	/* Sums over workers, filled when the run ends. */
	int			 workers;
	double			 busy_ms, wait_ms, idle_ms, comm_ms;
	double			 max_wait_ms;
};

struct stats_summary {
	double		time_ms;
	double		round_mean_ms, round_p50_ms, round_p95_ms;
	double		throughput;	/* gradients per simulated second */
	double		staleness_mean;
	double		stale_pct;
	double		wait_mean_ms, idle_mean_ms, busy_mean_ms, comm_mean_ms;
	double		quorum_mean;	/* ready fraction at round syncs */
};

void	stats_init(struct stats *, int rounds);
void	stats_free(struct stats *);
void	stats_round_start(struct stats *, int, double);
void	stats_round_end(struct stats *, int, double);
void	stats_round_add(struct stats *, int, enum stats_time, double);
void	stats_gradient(struct stats *, int round, uint64_t staleness);
void	stats_sync(struct stats *, int, double, int, int, int, int);
void	stats_summarize(const struct stats *, struct stats_summary *);
double	stats_round_time(const struct stats *, int);
int	stats_cmp_double(const void *, const void *);

#endif
