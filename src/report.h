/*
 * Headless output: one summary row per model, written as an aligned
 * table for people or as CSV / JSON for scripts. Each format is one
 * writer behind struct report_writer; all read the metrics table
 * (metric.h).
 */
#ifndef FS_REPORT_H
#define FS_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "sim.h"
#include "stats.h"

struct train_eval;
struct trainer;

struct report_row {
	int64_t			 run;	/* the recorded run's id, 0: none */
	const char		*model;
	int			 workers;
	int			 rounds;
	uint64_t		 seed;
	uint64_t		 events;
	struct stats		 st;	/* a copy; round is NULL unless detail */
	struct stats_summary	 sum;
	/* real training (workload "train"): else not trained */
	int			 trained;
	double			 accuracy;	/* the last evaluation */
	double			 time_to_target;	/* ms, NAN: never */
	const struct train_eval	*evals;		/* recording: borrowed */
	int			 nevals;
	/* detail (JSON): per worker and per round, owned by the row */
	struct sim_worker_view	*wv;
	int			 nwv;
};

struct report_writer {
	const char	*name;
	void		(*write)(FILE *, const struct report_row *, int);
	int		 detail;	/* wants workers and rounds */
};

const struct report_writer *report_writer_find(const char *);
const char	*report_writer_names(void);
void		 report_breakdown(FILE *, const struct report_row *, int,
		    const char *);
void		 report_csv_field(FILE *, const char *);
void		 report_json_string(FILE *, const char *);
void		 report_row_fill(struct report_row *, const struct sim *,
		    const struct trainer *);

#endif
