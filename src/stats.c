/* Per-model metrics and their summary (means, percentiles). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "xmalloc.h"

void
stats_init(struct stats *s, int rounds)
{
	memset(s, 0, sizeof *s);
	s->rounds = rounds;
	s->round = xcalloc((size_t)rounds, sizeof *s->round);
	for (int r = 0; r < rounds; r++) {
		s->round[r].t_start = s->round[r].t_sync = -1;
		s->round[r].c1 = s->round[r].c2 = s->round[r].noise = -1;
		s->round[r].t_quorum = -1;
	}
}

/* A worker in round r spent d ms so (past the last round: the last). */
void
stats_round_add(struct stats *s, int r, enum stats_time what, double d)
{
	struct round_stats	*rs;

	if (s->rounds == 0 || d == 0)
		return;
	rs = &s->round[r < s->rounds ? r : s->rounds - 1];
	switch (what) {
	case STATS_WAIT:
		rs->wait_ms += d;
		break;
	case STATS_IDLE:
		rs->idle_ms += d;
		break;
	case STATS_COMM:
		rs->comm_ms += d;
		break;
	}
}

void
stats_free(struct stats *s)
{
	free(s->round);
	s->round = NULL;
}

void
stats_round_start(struct stats *s, int r, double t)
{
	if (r < s->rounds && s->round[r].t_start < 0)
		s->round[r].t_start = t;
}

void
stats_round_end(struct stats *s, int r, double t)
{
	if (r < s->rounds) {
		s->round[r].t_end = t;
		s->rounds_done = r + 1;
	}
}

void
stats_gradient(struct stats *s, int r, uint64_t tau)
{
	struct round_stats	*rs;

	if (r < 0 || r >= s->rounds)
		return;
	rs = &s->round[r];
	s->gradients++;
	s->staleness_sum += tau;
	if (tau > s->staleness_max)
		s->staleness_max = tau;
	s->hist[tau < STATS_HIST ? tau : STATS_HIST]++;
	rs->gradients++;
	rs->staleness_sum += tau;
	if (tau > rs->max_staleness)
		rs->max_staleness = tau;
	if (tau == 0) {
		s->fresh++;
		rs->fresh++;
	} else {
		s->stale++;
		rs->stale++;
	}
}

/* A model synced round r at time t (a round sync, not a final flush). */
void
stats_sync(struct stats *s, int r, double t, int point, int count, int ready,
    int present)
{
	s->points[point]++;
	if (r < 0 || r >= s->rounds)
		return;
	s->round[r].t_sync = t;
	s->round[r].point = point;
	s->round[r].participants = count;
	s->round[r].quorum = present > 0 ? (double)ready / present : 0;
	s->syncs_done++;
}

/*
 * The time round r ended: its sync for models that sync rounds, else
 * when the slowest worker delivered it.
 */
static double
round_end(const struct stats *s, int r)
{
	return (s->syncs_done > 0 ? s->round[r].t_sync : s->round[r].t_end);
}

/* Inter-sync time of round r: from the end of round r-1 (or 0). */
double
stats_round_time(const struct stats *s, int r)
{
	return (round_end(s, r) - (r > 0 ? round_end(s, r - 1) : 0));
}

/* qsort's comparison for doubles, ascending. */
int
stats_cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return ((x > y) - (x < y));
}

/* Nearest-rank percentile of a sorted array. */
static double
percentile(const double *v, int n, double p)
{
	int	k = (int)ceil(p / 100.0 * n);

	if (n == 0)
		return (0);
	if (k < 1)
		k = 1;
	return (v[k - 1]);
}

void
stats_summarize(const struct stats *s, struct stats_summary *out)
{
	int	 n = s->syncs_done > 0 ? s->syncs_done : s->rounds_done;
	double	*v, sum = 0;
	double	 w = s->workers > 0 ? s->workers : 1;

	memset(out, 0, sizeof *out);
	out->time_ms = s->finish_ms;
	v = xcalloc((size_t)n + 1, sizeof *v);
	for (int r = 0; r < n; r++) {
		v[r] = stats_round_time(s, r);
		sum += v[r];
	}
	qsort(v, (size_t)n, sizeof *v, stats_cmp_double);
	if (n > 0) {
		out->round_mean_ms = sum / n;
		out->round_p50_ms = percentile(v, n, 50);
		out->round_p95_ms = percentile(v, n, 95);
	}
	free(v);
	if (s->finish_ms > 0)
		out->throughput = (double)s->gradients / (s->finish_ms / 1000.0);
	if (s->gradients > 0) {
		out->staleness_mean = (double)s->staleness_sum /
		    (double)s->gradients;
		out->stale_pct = 100.0 * (double)s->stale / (double)s->gradients;
	}
	for (int r = 0, k = 0; r < s->rounds; r++) {
		if (s->round[r].t_sync >= 0) {
			k++;
			out->quorum_mean += (s->round[r].quorum -
			    out->quorum_mean) / k;
		}
	}
	out->wait_mean_ms = s->wait_ms / w;
	out->idle_mean_ms = s->idle_ms / w;
	out->busy_mean_ms = s->busy_ms / w;
	out->comm_mean_ms = s->comm_ms / w;
}
