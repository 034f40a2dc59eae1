/*
 * Figures from recorded runs (fastsync plot). plot_data.c turns runs'
 * rows into a figure's series, with no drawing library; plot.c draws a
 * figure with PLplot (cairo: PNG, SVG, PDF). cmd_plot.c reads the
 * database and picks the kind.
 */
#ifndef FS_PLOT_H
#define FS_PLOT_H

#include <stddef.h>

#include "report.h"

/* One evaluation of a model's weights (the accuracy table). */
struct plot_eval {
	int	round;
	double	t;		/* simulated ms */
	double	accuracy;	/* 0..1 */
};

/* One model of a recorded run, as the figures need it. */
struct plot_model {
	const struct report_row	*row;	/* db_load_rows: per-round stats */
	char			*kind;	/* run_models.kind: its colour */
	struct plot_eval	*evals;
	int			 nevals;
};

struct plot_run {
	long long		 id;
	char			*name;		/* NULL: unnamed */
	char			*label;		/* what tells it from the
						   others; NULL: made here */
	int			 workers;
	double			 target;	/* accuracy target, NAN: none */
	struct plot_model	*m;
	int			 nm;
};

/* A line (or steps, or points) of a panel: one model of one run. */
struct plot_series {
	char		*label;
	const char	*kind;		/* colour */
	int		 variant;	/* nth of its kind here: dashes */
	double		*x, *y;
	int		 n;
	double		*lo, *hi;	/* error bars, NULL: none */
};

enum plot_style { PLOT_LINES, PLOT_STEPS, PLOT_POINTS };

struct plot_panel {
	char			 xlabel[64], ylabel[64];
	enum plot_style		 style;
	struct plot_series	*s;
	int			 ns;
	double			 hline;		/* dashed reference, NAN: none */
	double			 vline;		/* dashed reference, NAN: none */
	char			 ref_label[64];
	const char *const	*yticks;	/* category names for 0..n-1 */
	int			 nyticks;
	double			 ymin;		/* NAN: from the data */
};

struct plot_fig {
	char			 title[160];
	struct plot_panel	 p[2];
	int			 np;
};

/* What to draw: a kind's name and its options. */
struct plot_spec {
	const char	*kind;		/* NULL: the best the runs hold */
	const char	*x;		/* accuracy: "time" or "rounds";
					   sweep: a varied key */
	const char	*models;	/* "m1,kind2,...": NULL all */
	const char	*y;		/* sweep: a metric or "ratio" */
	const char	*baseline;	/* sweep's ratio: NULL bsp */
};

/*
 * A sweep's tidy rows (db_sweep_export: one per complete run and
 * model). col[] names every column; a row's v[c] is column c's number
 * (NAN: text or none), text[c] its text (a key varied over words, e.g.
 * late_gradients=drop,wait). The varied keys are key[0..nkey-1].
 */
struct plot_sweep_row {
	long long	 point, seed;
	char		*model, *kind;
	double		*v;
	char		**text;		/* a text value's column, else NULL
					   (NULL: no text at all) */
};

struct plot_sweep {
	char			*name;
	char			**col;
	int			 ncol;
	int			*key;
	int			 nkey;
	struct plot_sweep_row	*r;
	int			 n;
};

const char	*plot_kind_names(void);
int		 plot_kind_valid(const char *);
const char	*plot_default_kind(const struct plot_run *, int);
int		 plot_build(struct plot_fig *, const struct plot_run *, int,
		    const struct plot_spec *, char *, size_t);
void		 plot_fig_free(struct plot_fig *);
int		 plot_wanted(const char *, const char *, const char *);
int		 plot_sweep_key(const struct plot_sweep *, int);
int		 plot_build_sweep(struct plot_fig *, const struct plot_sweep *,
		    const struct plot_spec *, char *, size_t);
void		 plot_sweep_free(struct plot_sweep *);

/* plot.c: draw to path, format "png", "svg" or "pdf". */
struct plot_out {
	const char	*path;
	const char	*format;
	int		 width, height;
	int		 mono;
};

const char	*plot_format(const char *);
int		 plot_draw(const struct plot_fig *, const struct plot_out *,
		    char *, size_t);

#endif
