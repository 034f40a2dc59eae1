/*
 * Where the dashboard's panels go for a terminal size: a pure function,
 * so every size can be tested without a terminal.
 */
#ifndef FS_LAYOUT_H
#define FS_LAYOUT_H

#define LAYOUT_MIN_COLS		80
#define LAYOUT_MIN_LINES	24

struct rect {
	int	x, y, w, h;
};

struct layout {
	int		too_small;	/* below LAYOUT_MIN_*: say so */
	struct rect	header;		/* top line */
	struct rect	workers;	/* left: worker rows or heat strip */
	struct rect	quorum;		/* left, below: clusters and quorum */
	struct rect	models;		/* right: the race of models */
	struct rect	charts;		/* right: round time and staleness */
	struct rect	dag;		/* right: the task graph */
	struct rect	log;		/* right: the event log */
	struct rect	bar;		/* bottom line: keys */
};

void	layout_compute(struct layout *, int, int, int, int, int);

#endif
