/*
 * DSSP(s_low, s_high) (DESIGN.md section 3, after Zhao et al. 2019).
 * Gradients are applied on arrival. At its read, a worker
 *  - with extra iterations left from a grant (r > 0) proceeds, r--;
 *  - else proceeds if c - min_clock <= s_low;
 *  - else, if it is the fastest, the controller projects its next pushes
 *    and the slowest worker's from their last two push times and grants
 *    r* in [0, r_max] extra iterations minimising the gap between the
 *    fastest's k-th future push and the slowest's nearest future push
 *    (ties: the smallest k); with r* > 0 it proceeds and keeps r* - 1;
 *  - else it waits until c - min_clock <= s_low.
 * r_max is s_high - s_low, capped so that no read ever has
 * c - min_clock > s_high: the clock gap stays <= s_high + 1 (the +1 is a
 * pushed gradient whose worker waits).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "model.h"
#include "model_hold.h"
#include "xmalloc.h"

/* A worker's: one 16-byte slot (one cache line), in huge pages. */
struct dssp_worker {
	_Alignas(16) int lnext, lprev;	/* at its clock, in arrival order */
	int		 extra;		/* granted reads left */
};

struct dssp {
	int		 s_low, s_high;
	int		 rounds;
	struct hold	 hold;		/* waiting for min_clock + s_low */
	struct dssp_worker *wk;		/* per worker */
	int		*lhead, *ltail;	/* per clock: workers at that clock */
	int		 max_clock;
};

/* The slowest worker's nearest push after f, from its projection. */
static double
nearest_gap(double f, double s_last, double s_int)
{
	double	j, a, b;

	if (!(s_int > 0))
		return (fabs(f - s_last));
	j = floor((f - s_last) / s_int);
	if (j < 1)
		j = 1;
	a = fabs(f - (s_last + j * s_int));
	b = fabs(f - (s_last + (j + 1) * s_int));
	return (a < b ? a : b);
}

/*
 * The controller's grant: the fastest pushed at f_prev then f_last, the
 * slowest at s_prev then s_last (-1: not yet). Returns r* in [0, r_max].
 */
int
model_dssp_grant(double f_prev, double f_last, double s_prev, double s_last,
    int r_max)
{
	double	best = INFINITY, fi = f_last - f_prev, gap;
	int	r = 0;

	if (f_prev < 0 || s_prev < 0 || r_max <= 0)
		return (0);
	for (int k = 0; k <= r_max; k++) {
		gap = nearest_gap(f_last + k * fi, s_last, s_last - s_prev);
		if (gap < best) {
			best = gap;
			r = k;
		}
	}
	return (r);
}

static void
list_append(struct dssp *d, int w, int c)
{
	d->wk[w].lnext = -1;
	d->wk[w].lprev = d->ltail[c];
	if (d->ltail[c] == -1)
		d->lhead[c] = w;
	else
		d->wk[d->ltail[c]].lnext = w;
	d->ltail[c] = w;
}

static void
list_remove(struct dssp *d, int w, int c)
{
	if (d->wk[w].lprev == -1)
		d->lhead[c] = d->wk[w].lnext;
	else
		d->wk[d->wk[w].lprev].lnext = d->wk[w].lnext;
	if (d->wk[w].lnext == -1)
		d->ltail[c] = d->wk[w].lprev;
	else
		d->wk[d->wk[w].lnext].lprev = d->wk[w].lprev;
}

static void *
dssp_create(struct sim *sim, const struct model_spec *m)
{
	struct dssp	*d = xcalloc(1, sizeof *d);
	int		 n = sim_workers(sim);

	d->s_low = m->s_low;
	d->s_high = m->s_high;
	d->rounds = sim_config(sim)->rounds;
	hold_init(&d->hold, n, d->rounds, m->s_low);
	d->wk = xaligned_calloc(64, (size_t)n, sizeof *d->wk);
	d->lhead = xcalloc((size_t)d->rounds + 1, sizeof *d->lhead);
	d->ltail = xcalloc((size_t)d->rounds + 1, sizeof *d->ltail);
	for (int c = 0; c <= d->rounds; c++)
		d->lhead[c] = d->ltail[c] = -1;
	for (int w = 0; w < n; w++)
		list_append(d, w, 0);
	return (d);
}

static void
dssp_destroy(void *st)
{
	struct dssp	*d = st;

	hold_free(&d->hold);
	free(d->wk);
	free(d->lhead);
	free(d->ltail);
	free(d);
}

/*
 * The fastest worker w is past s_low: ask the controller. The slowest is
 * the worker that reached min_clock last (it started its iteration last).
 */
static int
dssp_ask(struct sim *sim, struct dssp *d, int w, int c)
{
	int	min = sim_min_clock(sim), slow = d->ltail[min];
	int	r_max = d->s_high - d->s_low;

	if (d->s_high - (c - min) + 1 < r_max)
		r_max = d->s_high - (c - min) + 1;
	if (d->rounds - c < r_max)
		r_max = d->rounds - c;
	if (slow == -1)
		return (0);
	return (model_dssp_grant(sim_push_time(sim, w, 1),
	    sim_push_time(sim, w, 0), sim_push_time(sim, slow, 1),
	    sim_push_time(sim, slow, 0), r_max));
}

/* Worker w will arrive soon (a hint): its slot and its hold slot. */
static void
dssp_prefetch(const void *st, int w)
{
	const struct dssp	*d = st;

	__builtin_prefetch(&d->wk[w], 1);
	__builtin_prefetch(&d->hold.l[w], 1);
}

static void
dssp_arrive(struct sim *sim, void *st, int w)
{
	struct dssp	*d = st;
	int		 c = sim_clock(sim, w), r;

	list_remove(d, w, c - 1);
	list_append(d, w, c);
	if (c > d->max_clock)
		d->max_clock = c;
	sim_apply(sim, &w, 1);
	if (d->wk[w].extra > 0) {
		d->wk[w].extra--;
		sim_release(sim, w);
	} else if (c - sim_min_clock(sim) <= d->s_low) {
		sim_release(sim, w);
	} else if (c == d->max_clock && (r = dssp_ask(sim, d, w, c)) > 0) {
		d->wk[w].extra = r - 1;
		sim_release(sim, w);
	} else {
		hold_add(&d->hold, w, c);
	}
}

/* Churn: out of the lists; a joiner starts at its clock, no grant. */
static void
dssp_leave(struct sim *sim, void *st, int w)
{
	struct dssp	*d = st;

	hold_remove(&d->hold, w);
	list_remove(d, w, sim_clock(sim, w));
	d->wk[w].extra = 0;
	/* the fastest may have left: the next fastest is */
	while (d->max_clock > 0 && d->lhead[d->max_clock] == -1)
		d->max_clock--;
}

static void
dssp_join(struct sim *sim, void *st, int w)
{
	list_append(st, w, sim_clock(sim, w));
}

static void
dssp_advance(struct sim *sim, void *st, int min_clock)
{
	struct dssp	*d = st;

	hold_release(&d->hold, sim, min_clock);
}

static const struct setting dssp_params[] = {
	{ .key = "s_low", .type = ST_INT, .lo = 0, .hi = ROUNDS_MAX,
	  .flags = ST_LABEL, .def = "3", .off = MODEL_FIELD(s_low),
	  .doc = "the bound every worker may run ahead without a grant" },
	{ .key = "s_high", .type = ST_INT, .lo = 0, .hi = ROUNDS_MAX,
	  .flags = ST_LABEL, .def = "15", .off = MODEL_FIELD(s_high),
	  .doc = "the bound no read ever passes (at least s_low)" },
};

static int
dssp_validate(const struct model_spec *m, char *msg, size_t len,
    const char **key)
{
	if (m->s_high >= m->s_low)
		return (0);
	snprintf(msg, len, "s_high (%d) must be at least s_low (%d)",
	    m->s_high, m->s_low);
	*key = "s_high";
	return (-1);
}

const struct model_ops model_dssp_ops = {
	.name = "dssp",
	MODEL_PARAMS(dssp_params),
	.validate = dssp_validate,
	.wait_word = "bound",
	.create = dssp_create,
	.destroy = dssp_destroy,
	.arrive = dssp_arrive,
	.prefetch = dssp_prefetch,
	.advance = dssp_advance,
	.leave = dssp_leave,
	.join = dssp_join,
};
