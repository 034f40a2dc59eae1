/*
 * Themes: files (libconfig syntax) that map the dashboard's semantic
 * slots to colours and attributes, never colour names in draw code.
 * A theme names only the slots it changes; the rest keep the built-in
 * default. See fastsync-theme(5).
 */
#ifndef FS_THEME_H
#define FS_THEME_H

#include <stddef.h>

enum theme_slot {
	SLOT_TEXT,
	SLOT_DIM,
	SLOT_BORDER,
	SLOT_TITLE,
	SLOT_HEADER,
	SLOT_KEY,
	SLOT_SELECTED,
	SLOT_WARNING,
	SLOT_COMPUTING,
	SLOT_LOCAL,
	SLOT_PUSHING,
	SLOT_WAITING,
	SLOT_PULLING,
	SLOT_IDLE,
	SLOT_LEFT,
	SLOT_C1,
	SLOT_C2,
	SLOT_NOISE,
	SLOT_UNCLUSTERED,
	SLOT_FRESH,
	SLOT_STALE,
	SLOT_QUORUM_MET,
	SLOT_QUORUM_SHORT,
	SLOT_GAUGE,
	SLOT_GAUGE_EMPTY,
	SLOT_CHART,
	SLOT_MODEL_ASP,		/* a model's lines: palette.h, by kind */
	SLOT_MODEL_BSP,
	SLOT_MODEL_SSP,
	SLOT_MODEL_DSSP,
	SLOT_MODEL_QUORUM,
	SLOT_MODEL_FASTSYNC,
	SLOT_NSLOTS
};

#define THEME_DEFAULT_COLOR	(-1)	/* the terminal's own */

enum theme_attr {
	THEME_BOLD = 1,
	THEME_DIM = 2,
	THEME_REVERSE = 4,
	THEME_UNDERLINE = 8
};

struct theme_style {
	int		fg, bg;		/* -1 default, else 0..255 */
	unsigned	attrs;		/* enum theme_attr bits */
	char		fill[8];	/* a cell's glyph; "" = the usual */
};

struct theme {
	char			*name;
	struct theme_style	 slot[SLOT_NSLOTS];
};

const char	*theme_slot_name(enum theme_slot);
void		 theme_default(struct theme *);
enum theme_slot	 theme_model_slot(const char *);
int		 theme_load(struct theme *, const char *, char *, size_t);
void		 theme_free(struct theme *);

#endif
