/*
 * The dashboard layout: a header line and a key bar; below the header
 * the left column holds the workers (and FastSync's clusters and quorum
 * under them), the right column the models' race, charts, the task graph
 * and the event log, which takes whatever height is left. Wider
 * terminals give the workers more room; taller ones, the log.
 */
#include <string.h>

#include "layout.h"

static struct rect
rect(int x, int y, int w, int h)
{
	struct rect	r = { x, y, w, h };

	return (r);
}

static int
clamp(int v, int lo, int hi)
{
	return (v < lo ? lo : v > hi ? hi : v);
}

/*
 * cols x lines of terminal; nworkers, nmodels to size the panels that
 * show them; quorum 1 if a model has a quorum panel, 2 if it is also the
 * focus (the panel explains its checks: half the height below 40 lines).
 */
void
layout_compute(struct layout *l, int cols, int lines, int nworkers,
    int nmodels, int quorum)
{
	int	body, top = 1, lw, rw, quorum_h, workers_h, models_h;
	int	charts_h, dag_h, log_h;

	memset(l, 0, sizeof *l);
	if (cols < LAYOUT_MIN_COLS || lines < LAYOUT_MIN_LINES) {
		l->too_small = 1;
		return;
	}
	body = lines - 2;
	l->header = rect(0, 0, cols, 1);
	l->bar = rect(0, lines - 1, cols, 1);

	lw = cols >= 120 ? cols * 55 / 100 : cols / 2;
	rw = cols - lw;
	/* the quorum panel's sentences get a third, 7 to 16 lines */
	quorum_h = quorum ? clamp(body / 3, 7, 16) : 0;
	/* short terminals: a failed check's sentence needs the rows */
	if (quorum > 1 && lines < 40 && quorum_h < body / 2)
		quorum_h = body / 2 < 16 ? body / 2 : 16;
	/* a row per worker, the legend, the column heads and the borders,
	 * while they fit */
	workers_h = clamp(nworkers + 4, 5, body - quorum_h);
	if (!quorum || workers_h + quorum_h > body)
		workers_h = body - quorum_h;
	quorum_h = body - workers_h;
	l->workers = rect(0, top, lw, workers_h);
	l->quorum = rect(0, top + workers_h, lw, quorum_h);

	models_h = clamp(nmodels + 3, 5, body / 2);
	charts_h = clamp((body - models_h) / 3, 4, 12);
	dag_h = clamp((body - models_h - charts_h) / 2, 3, 8);
	log_h = body - models_h - charts_h - dag_h;
	l->models = rect(lw, top, rw, models_h);
	l->charts = rect(lw, top + models_h, rw, charts_h);
	l->dag = rect(lw, top + models_h + charts_h, rw, dag_h);
	l->log = rect(lw, top + models_h + charts_h + dag_h, rw, log_h);
}
