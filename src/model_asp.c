/*
 * ASP (DESIGN.md section 3): every gradient is applied the moment it
 * reaches the parameter server, and its worker pulls and goes on.
 */
#include "model.h"

static void
asp_arrive(struct sim *s, void *st, int w)
{
	(void)st;
	sim_apply(s, &w, 1);
	sim_release(s, w);
}

const struct model_ops model_asp_ops = {
	.name = "asp",
	.arrive = asp_arrive,
	.wait_word = "wait",
};
