/*
 * Lesson files (ui/lesson.c, fastsync-lesson(5)): the input is one,
 * loaded from a file as `fastsync lesson FILE` does; a lesson that loads
 * has its intro and every step's text filled in, into a roomy buffer and
 * a short one, from an event with every field at an edge.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "dash.h"
#include "fuzz_util.h"
#include "lesson.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	struct lesson	*l;
	struct dash	 d;
	char		 err[512], big[2048], small[8];

	if ((l = lesson_load(fuzz_file(0, data, n), err, sizeof err)) == NULL)
		return (0);
	memset(&d, 0, sizeof d);
	d.lesson = l;
	l->ev = (struct sim_event){ .t = 1e300, .worker = INT32_MAX,
	    .round = -1, .clock = INT32_MIN, .v_read = UINT64_MAX,
	    .v_apply = 0, .point = SP_NONE };
	l->last_worker = -1;
	l->last_t = -1e-300;
	for (int k = -1; k < l->nsteps; k++) {
		l->cur = k;
		lesson_text(&d, big, sizeof big);
		lesson_text(&d, small, sizeof small);
		if (k >= 0)
			(void)lesson_panel_name(l->step[k].panel);
	}
	lesson_free(l);
	return (0);
}
