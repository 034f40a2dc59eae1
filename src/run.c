/*
 * Headless runs. Models run one after another on the same configuration
 * and seed, hence on identical worker draws; a progress bar on stderr
 * (when it is a terminal) shows rounds done over all models.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "run.h"
#include "sim.h"
#include "xmalloc.h"

struct progress {
	int		 enabled;
	long long	 total, done;
	double		 last;		/* wall seconds at the last redraw */
};

static double
wall_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static void
progress_draw(struct progress *p, const char *model, int force)
{
	double	now, frac;
	int	width = 40, fill;

	if (!p->enabled)
		return;
	now = wall_now();
	if (!force && now - p->last < 0.1)
		return;
	p->last = now;
	frac = p->total > 0 ? (double)p->done / (double)p->total : 1;
	fill = (int)(frac * width);
	fprintf(stderr, "\r%-10s [%.*s%*s] %3d%%", model, fill,
	    "########################################", width - fill, "",
	    (int)(frac * 100));
	fflush(stderr);
}

int
run_headless(const struct fs_config *cf, const struct report_writer *wr,
    int show_progress, FILE *out)
{
	struct sim		**sims = xcalloc((size_t)cf->nmodels, sizeof *sims);
	struct report_row	 *rows = xcalloc((size_t)cf->nmodels,
				    sizeof *rows);
	struct progress		  p = { show_progress, 0, 0, 0 };
	char			  err[256];
	int			  rc = 0, n = 0;

	p.total = (long long)cf->rounds * cf->nmodels;
	for (int i = 0; i < cf->nmodels && rc == 0; i++) {
		const struct model_spec *m = &cf->models[i];
		struct sim *s = sim_create(cf, m, err, sizeof err);

		if (s == NULL) {
			fprintf(stderr, "fastsync: %s\n", err);
			rc = 1;
			break;
		}
		sims[n++] = s;
		while (sim_run_to_round(s) > 0) {
			p.done = (long long)cf->rounds * i +
			    sim_stats(s)->rounds_done;
			progress_draw(&p, m->name, 0);
		}
		if (sim_error(s) != NULL) {
			fprintf(stderr, "%sfastsync: %s\n", p.enabled ? "\n" :
			    "", sim_error(s));
			rc = 1;
			break;
		}
		rows[i].model = m->name;
		rows[i].workers = cf->workers;
		rows[i].rounds = cf->rounds;
		rows[i].seed = cf->seed;
		rows[i].events = sim_events(s);
		rows[i].st = sim_stats(s);
		stats_summarize(rows[i].st, &rows[i].sum);
	}
	if (p.enabled) {
		p.done = p.total;
		progress_draw(&p, "done", 1);
		fputs("\r\033[K", stderr);
	}
	if (rc == 0) {
		wr->write(out, rows, cf->nmodels);
		if (fflush(out) != 0 || ferror(out)) {
			perror("fastsync: writing output");
			rc = 1;
		}
	}
	for (int i = 0; i < n; i++)
		sim_free(sims[i]);
	free(sims);
	free(rows);
	return (rc);
}
