/* Gradients held at the PS, and the quorum size (DESIGN.md section 3). */
#include <math.h>
#include <stdlib.h>

#include "model_gradients.h"
#include "xmalloc.h"

/* late_gradients = "defer" (K-async) | "drop" (K-sync): drop_late. */
const char *const model_late_names[] = { "defer", "drop", NULL };

void
gradients_push(struct gradients *l, const struct gradient *g)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->g = xreallocarray(l->g, (size_t)l->cap, sizeof *l->g);
	}
	l->g[l->n++] = *g;
}

/* Remove worker w's gradient (order kept); returns 1 if it was there. */
int
gradients_take(struct gradients *l, int w, struct gradient *out)
{
	for (int k = 0; k < l->n; k++) {
		if (l->g[k].worker != w)
			continue;
		*out = l->g[k];
		for (int j = k + 1; j < l->n; j++)
			l->g[j - 1] = l->g[j];
		l->n--;
		return (1);
	}
	return (0);
}

void
gradients_free(struct gradients *l)
{
	free(l->g);
	l->g = NULL;
	l->n = l->cap = 0;
}

/*
 * k = ceil(q n) or, with round_half, round(q n) with halves away from
 * zero (DESIGN.md: "round", the authors'); at least 1. The epsilon keeps
 * 0.7 * 20 at 14, not 15, in binary floating point.
 */
int
model_quorum_size(double q, int present, int round_half)
{
	double	x = q * present;
	int	k = round_half ? (int)floor(x + 0.5 + 1e-9) :
		    (int)ceil(x - 1e-9);

	return (k < 1 ? 1 : k);
}

/*
 * For views: the gradients at the PS for round cur, fresh or deferred
 * (from an earlier round), and each one's worker as at the PS.
 */
void
gradients_view(const struct gradients *l, int cur, struct sim_plan_view *v,
    struct sim_plan_worker *w)
{
	v->ready = l->n;
	v->fresh = v->deferred = 0;
	for (int k = 0; k < l->n; k++) {
		int late = l->g[k].round < cur;

		v->deferred += late;
		v->fresh += !late;
		if (w != NULL) {
			w[l->g[k].worker].known = SIM_KNOWN_AT_PS;
			w[l->g[k].worker].deferred = late;
		}
	}
}
