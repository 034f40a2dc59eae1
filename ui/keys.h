/*
 * The dashboard's key bindings: one table (keys.c) that dispatch, the
 * help screen, the key bar and the test against fastsync(1)'s
 * INTERACTIVE KEYS all read. No curses here: tty.c maps the terminal's
 * key codes to these, so key handling runs (and is tested) without one.
 */
#ifndef FS_KEYS_H
#define FS_KEYS_H

#include <stddef.h>

struct dash;
struct rect;

/* Key codes: printable ASCII and control characters are themselves. */
enum {
	KEYS_NONE = 0,			/* input that means nothing */
	KEYS_CTRL_L = 12,
	KEYS_TAB = '\t',
	KEYS_ESC = 27,
	KEYS_SPACE = ' ',
	KEYS_UP = 0x100,
	KEYS_DOWN,
	KEYS_PGUP,
	KEYS_PGDN,
	KEYS_HOME,
	KEYS_END,
	KEYS_BTAB,			/* Shift-Tab */
	KEYS_F1,
	KEYS_F10,
	KEYS_ENTER,
	KEYS_BACKSPACE,
	KEYS_RESIZE,			/* the terminal changed size */
	KEYS_CLICK,			/* a left click: keys_click() */
	KEYS_TEXT			/* in the table: any printable key */
};

/* Where a binding applies (a set of these). */
#define KEYS_IN_MAIN	0x01	/* the panels */
#define KEYS_IN_GOING	0x02	/* the panels, while 'g' is under way */
#define KEYS_IN_HELP	0x04
#define KEYS_IN_LOG	0x08
#define KEYS_IN_PROMPT	0x10	/* the 'g' prompt */
#define KEYS_IN_SMALL	0x20	/* the terminal is too small */
#define KEYS_IN_CARD	0x40	/* a worker's card */
#define KEYS_IN_LESSON	0x80	/* a lesson's explanation box */
#define KEYS_IN_ANY	0xff

/* What the terminal side does after a key. */
enum keys_result {
	KEYS_DONE,
	KEYS_QUIT,
	KEYS_REDRAW,		/* repaint every cell */
	KEYS_RETHEME		/* d->theme changed */
};

#define KEYS_MAX	6	/* key codes a binding has, 0-ended */

/* A key and its word on the bottom bar. */
struct keys_label {
	const char	*key, *word;
};

struct keys_binding {
	int			 key[KEYS_MAX];
	unsigned		 when;		/* KEYS_IN_* */
	enum keys_result	(*act)(struct dash *, int, int); /* arg, key */
	int			 arg;
	int			 item;		/* starts an entry in fastsync(1) */
	const char		*help_key;	/* the help's key column, or NULL */
	const char		*help;		/* its text; '\n' between lines */
	struct keys_label	 bar;		/* on the bar, or { NULL } */
	struct keys_label	 narrow;	/*  when the words do not fit */
	/* the bar's word now, if the state changes what the key does
	 * ("resume" while paused), else NULL */
	const char		*(*word)(const struct dash *);
};

extern const struct keys_binding	keys_table[];
extern const int			keys_ntable;

/* An item on the bar, from column x. */
struct keys_bar_item {
	const char	*key, *word;
	int		 x;
};

#define KEYS_BAR_MAX	16

enum keys_result	 keys_dispatch(struct dash *, int);
enum keys_result	 keys_click(struct dash *, int, int);
const struct keys_binding *keys_find(int, unsigned);
int			 keys_name(int, char *, size_t);
int			 keys_help_lines(void);
void			 keys_help_line(int, char *, size_t);
int			 keys_bar(struct dash *, const struct rect *,
			    struct keys_bar_item *);

#endif
