/*
 * The per-model summary metrics, one row each in metric.c: the headless
 * table, CSV and JSON columns, the run_models columns the recorder
 * writes and the readers select, compare's lines and the column list of
 * fastsync(1) (a test holds them together) all read this one table.
 * Adding a metric is one row here plus a schema migration in db.c.
 * The per-worker and per-round figures have tables of their own.
 */
#ifndef FS_METRIC_H
#define FS_METRIC_H

#include <stddef.h>
#include <stdint.h>

struct report_row;
struct sim_worker_view;
struct stats;

/* How a value is held: also its SQL type. */
enum metric_type {
	METRIC_TEXT,	/* TEXT */
	METRIC_INT,	/* INTEGER; a uint64_t field */
	METRIC_REAL	/* REAL; a double field */
};

/* How people read it (the table, compare): as is, ms as s, 0..1 as %. */
enum metric_show {
	SHOW_ASIS,
	SHOW_SECONDS,
	SHOW_PERCENT
};

/* One cell's value; missing: no value (NULL in SQL, null in JSON). */
struct metric_value {
	const char	*s;
	int64_t		 i;
	double		 d;
	int		 missing;
	char		 buf[64];
};

struct metric {
	const char	*name;		/* CSV/JSON key */
	const char	*column;	/* run_models column, NULL: not there */
	enum metric_type type;
	const char	*unit;		/* "" for counts and text */
	const char	*head;		/* table header, NULL: CSV/JSON only */
	enum metric_show show;
	int		 training;	/* workload "train" only, else none */
	const char	*compare;	/* compare's label, NULL: not there */
	/* the value: a field of struct report_row, or computed */
	size_t		 off;
	void		(*get)(const struct report_row *,
			    struct metric_value *);
	const char	*descr;		/* one line */
};

extern const struct metric	metrics[];
extern const size_t		metrics_count;

const char	*metric_sql_type(enum metric_type);
void		 metric_get(const struct metric *, const struct report_row *,
		    struct metric_value *);
void		 metric_set(const struct metric *, struct report_row *,
		    const struct metric_value *);
double		 metric_shown(const struct metric *,
		    const struct metric_value *);

/*
 * Per-worker figures (the workers table, JSON's "workers", after the
 * worker's number): a second table in the same style.
 */
struct worker_metric {
	const char	*name;		/* workers column, JSON key */
	enum metric_type type;		/* INT: an int field; REAL: a double */
	const char	*unit;
	size_t		 off;		/* into struct sim_worker_view */
	const char	*descr;
};

extern const struct worker_metric	worker_metrics[];
extern const size_t			worker_metrics_count;

void		 worker_metric_get(const struct worker_metric *,
		    const struct sim_worker_view *, struct metric_value *);
void		 worker_metric_set(const struct worker_metric *,
		    struct sim_worker_view *, const struct metric_value *);

/*
 * Per-round figures (the rounds table, JSON's "rounds", after the
 * round's number): a third table. A figure without a value is NULL in
 * the database; JSON leaves out only a sync's figures of a round that
 * was not synced.
 */
enum round_when {
	WHEN_ALWAYS,
	WHEN_STARTED,	/* a worker started the round */
	WHEN_ENDED,	/* the round completed */
	WHEN_SYNCED,	/* the model synced it */
	WHEN_TIMED,	/* it has an inter-sync time */
	WHEN_APPLIED,	/* some of its gradients were applied */
	WHEN_CLUSTERED,	/* its model clusters workers */
	WHEN_QUORUM	/* its model reached a quorum for it */
};

struct round_metric {
	const char	*column;	/* rounds column */
	const char	*json;		/* JSON key, NULL: not in JSON */
	enum metric_type type;
	const char	*unit;
	enum round_when	 when;
	void		(*get)(const struct stats *, int,
			    struct metric_value *);
	/* read back into the stats (NULL: not read) */
	void		(*set)(struct stats *, int,
			    const struct metric_value *);
	const char	*descr;
};

extern const struct round_metric	round_metrics[];
extern const size_t			round_metrics_count;

int		 round_metric_has(const struct round_metric *,
		    const struct stats *, int);

#endif
