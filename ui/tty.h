/*
 * The terminal: the only header that includes curses. Opens and restores
 * the screen (one place, reached from every exit path), maps theme slots
 * to colour pairs and attributes, and draws clipped UTF-8 text and boxes.
 * Draw code names slots, never colours.
 */
#ifndef FS_TTY_H
#define FS_TTY_H

#include <curses.h>
#include <signal.h>
#include <stddef.h>

#include "layout.h"
#include "theme.h"

struct tty_opts {
	int	no_color;	/* --no-color or NO_COLOR: attributes only */
	int	ascii;		/* --ascii or a non-UTF-8 locale */
};

int	 tty_usable(char *, size_t);
int	 tty_open(const struct tty_opts *, volatile sig_atomic_t *, char *,
	    size_t);
void	 tty_close(void);
void	 tty_theme(const struct theme *);
int	 tty_read(int, int *, int *);
void	 tty_redraw(void);
int	 tty_utf8(void);
attr_t	 tty_attr(enum theme_slot);
const char *tty_fill(enum theme_slot, const char *);
int	 tty_put(int, int, int, enum theme_slot, const char *);
int	 tty_printf(int, int, int, enum theme_slot, const char *, ...)
	    __attribute__((format(printf, 5, 6)));
void	 tty_blank(int, int, int);
void	 tty_box(const struct rect *, const char *, int);

#endif
