/*
 * Headless runs. Models run one after another on the same configuration
 * and seed, hence on identical worker draws; a progress bar on stderr
 * (when it is a terminal) shows rounds done over all models.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "run.h"
#include "sim.h"
#include "train.h"
#include "wallclock.h"
#include "xmalloc.h"

struct progress {
	int		 enabled;
	long long	 total, done;
	double		 last;		/* wall seconds at the last redraw */
};

static void
progress_draw(struct progress *p, const char *model, int force)
{
	double	now, frac;
	int	width = 40, fill;

	if (!p->enabled)
		return;
	now = wallclock();
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

/* Keep a model's per-worker and per-round figures past its engine. */
static void
copy_detail(struct report_row *row, const struct sim *s)
{
	const struct stats	*st = sim_stats(s);
	size_t			 n = (size_t)st->rounds;

	row->nwv = sim_workers(s);
	row->wv = xcalloc((size_t)row->nwv, sizeof *row->wv);
	for (int w = 0; w < row->nwv; w++)
		sim_worker(s, w, &row->wv[w]);
	row->st.round = xreallocarray(NULL, n, sizeof *row->st.round);
	memcpy(row->st.round, st->round, n * sizeof *row->st.round);
}

/*
 * Run every model of cf to the end, one after another, and write one row
 * each (recording them with rec, if not NULL). Each engine is freed as
 * soon as its row is copied out, so memory is one model's at a time.
 * Returns 0; 1 with a message in err; 2 if *stop was set (a signal).
 */
int
run_headless(const struct fs_config *cf, const struct train_data *data,
    const struct report_writer *wr, int show_progress, FILE *out,
    struct recorder *rec, volatile sig_atomic_t *stop, char *err,
    size_t errlen)
{
	struct report_row	*rows = xcalloc((size_t)cf->nmodels,
				    sizeof *rows);
	struct progress		 p = { show_progress, 0, 0, 0 };
	int			 rc = 0;

	p.total = (long long)cf->rounds * cf->nmodels;
	for (int i = 0; i < cf->nmodels && rc == 0; i++) {
		const struct model_spec *m = &cf->models[i];
		struct sim *s = sim_create(cf, m, err, errlen);
		struct trainer *t = NULL;

		if (s == NULL) {
			rc = 1;
			break;
		}
		if (data != NULL && (t = trainer_attach(s, &cf->ts, data, err,
		    errlen)) == NULL) {
			sim_free(s);
			rc = 1;
			break;
		}
		if (rec != NULL && recorder_model(rec, s, i) != 0) {
			snprintf(err, errlen, "%s", recorder_error(rec));
			sim_free(s);
			rc = 1;
			break;
		}
		/* step by step: a signal is seen within 4096 events, even
		 * when churn keeps any round from ending */
		for (uint64_t k = 1; !*stop && sim_step(s); k++) {
			const struct stats *st = sim_stats(s);

			if ((k & 4095) != 0)
				continue;
			if (rec != NULL && recorder_error(rec) != NULL)
				break;
			p.done = (long long)cf->rounds * i + (st->syncs_done ?
			    st->syncs_done : st->rounds_done);
			progress_draw(&p, m->name, 0);
		}
		if (sim_error(s) != NULL) {
			snprintf(err, errlen, "%s", sim_error(s));
			rc = 1;
		} else if (t != NULL && trainer_error(t) != NULL) {
			snprintf(err, errlen, "%s: %s", m->name,
			    trainer_error(t));
			rc = 1;
		} else if (rec != NULL && recorder_error(rec) != NULL) {
			snprintf(err, errlen, "%s", recorder_error(rec));
			rc = 1;
		} else {
			rows[i].model = m->name;
			rows[i].workers = cf->workers;
			rows[i].rounds = cf->rounds;
			rows[i].seed = cf->seed;
			rows[i].events = sim_events(s);
			stats_summarize(sim_stats(s), &rows[i].sum);
			rows[i].st = *sim_stats(s);
			rows[i].st.round = NULL;
			if (t != NULL) {
				rows[i].trained = 1;
				rows[i].accuracy = trainer_accuracy(t);
				rows[i].time_to_target =
				    trainer_time_to_target(t);
			}
			if (wr->detail)
				copy_detail(&rows[i], s);
			if (rec != NULL && recorder_model_end(rec, s,
			    &rows[i]) != 0) {
				snprintf(err, errlen, "%s", recorder_error(rec));
				rc = 1;
			}
		}
		trainer_free(t);
		sim_free(s);
		if (*stop)
			rc = 2;		/* interrupted: no output */
	}
	if (p.enabled) {
		p.done = p.total;
		progress_draw(&p, "done", 1);
		fputs("\r\033[K", stderr);
	}
	if (rc == 0) {
		wr->write(out, rows, cf->nmodels);
		if (fflush(out) != 0 || ferror(out)) {
			snprintf(err, errlen, "writing output: %s",
			    strerror(errno));
			rc = 1;
		}
	}
	for (int i = 0; i < cf->nmodels; i++) {
		free(rows[i].wv);
		free(rows[i].st.round);
	}
	free(rows);
	return (rc);
}
