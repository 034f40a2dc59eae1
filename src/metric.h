/*
 * The per-model summary metrics, one row each in metric.c: the headless
 * table, CSV and JSON columns, the run_models columns the recorder
 * writes and the readers select, compare's lines and the column list of
 * fastsync(1) (a test holds them together) all read this one table.
 * Adding a metric is one row here plus a schema migration in db.c.
 */
#ifndef FS_METRIC_H
#define FS_METRIC_H

#include <stddef.h>
#include <stdint.h>

struct report_row;

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
	int		 training;	/* workload "train" only, else missing */
	const char	*compare;	/* compare's label, NULL: not compared */
	/* the value: a field of struct report_row, or computed */
	size_t		 off;
	void		(*get)(const struct report_row *,
			    struct metric_value *);
	const char	*descr;		/* one line */
};

extern const struct metric	metrics[];
extern const size_t		metrics_count;

const char	*metric_sql_type(const struct metric *);
void		 metric_get(const struct metric *, const struct report_row *,
		    struct metric_value *);
void		 metric_set(const struct metric *, struct report_row *,
		    const struct metric_value *);
double		 metric_shown(const struct metric *,
		    const struct metric_value *);

#endif
