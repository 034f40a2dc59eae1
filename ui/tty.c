/*
 * The curses side of the dashboard (see tty.h). The terminal is restored
 * by tty_close(), which atexit() and the fatal-signal handler both reach;
 * SIGINT, SIGTERM and SIGHUP only set the caller's flag so the run can be
 * recorded as interrupted before the program leaves.
 */
#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <term.h>
#include <wchar.h>

#include "keys.h"
#include "text.h"
#include "tty.h"

static int			 tty_is_open;
static int			 use_color, use_utf8, ncolors;
static const struct theme	*cur_theme;
static volatile sig_atomic_t	*stop_flag;
static SCREEN			*screen;

static void
on_stop(int sig)
{
	if (stop_flag != NULL)
		*stop_flag = sig;
}

/* A crash: give the terminal back, then die of the same signal. */
static void
on_fatal(int sig)
{
	tty_close();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
catch_signals(void)
{
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
	    SIGQUIT };
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: a signal wakes the blocking read at once */
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_fatal;
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		sigaction(fatal[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Has the terminal just set up the string capability cap? */
static int
capable(const char *cap)
{
	const char	*v = tigetstr(cap);

	return (v != NULL && v != (const char *)-1 && *v != '\0');
}

/*
 * Whether the dashboard can run here: stdin and stdout a terminal of a
 * type the terminfo database knows. Asked before anything is recorded.
 */
int
tty_usable(char *err, size_t errlen)
{
	int	errret = 0;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen, "the dashboard needs a terminal (stdin"
		    " and stdout); use --headless for a batch run");
		return (-1);
	}
	if (setupterm(NULL, STDOUT_FILENO, &errret) != OK) {
		snprintf(err, errlen, "cannot use terminal type '%s'; set"
		    " TERM, or use --headless", getenv("TERM") ?
		    getenv("TERM") : "(unset)");
		return (-1);
	}
	/*
	 * The screen is drawn by moving the cursor and clearing: a type
	 * without either (dumb, a hardcopy one) would print garbage.
	 */
	if (!capable("cup") || !capable("clear") || tigetflag("hc") > 0 ||
	    tigetflag("gn") > 0) {
		snprintf(err, errlen, "terminal type '%s' cannot address the"
		    " cursor, which the dashboard needs; use a headless"
		    " command (run --headless, show, runs) or another TERM",
		    getenv("TERM") ? getenv("TERM") : "(unset)");
		del_curterm(cur_term);
		return (-1);
	}
	del_curterm(cur_term);
	return (0);
}

/*
 * Take the screen. stdin and stdout must be a terminal; err says why
 * not. stop receives the number of a terminating signal.
 */
int
tty_open(const struct tty_opts *o, volatile sig_atomic_t *stop, char *err,
    size_t errlen)
{
	const char	*cs = nl_langinfo(CODESET);

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen, "the dashboard needs a terminal (stdin"
		    " and stdout); use --headless for a batch run");
		return (-1);
	}
	if ((screen = newterm(NULL, stdout, stdin)) == NULL) {
		snprintf(err, errlen, "cannot use terminal type '%s'; set"
		    " TERM, or use --headless", getenv("TERM") ?
		    getenv("TERM") : "(unset)");
		return (-1);
	}
	tty_is_open = 1;
	stop_flag = stop;
	atexit(tty_close);
	catch_signals();
	use_utf8 = !o->ascii && cs != NULL && strcmp(cs, "UTF-8") == 0;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	/* presses only: a click is one key, not a press and a release */
	mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	if (!o->no_color && has_colors()) {
		start_color();
		use_default_colors();
		use_color = 1;
		ncolors = COLORS;
	}
	return (0);
}

/* Give the terminal back; safe to call twice and from any exit path. */
void
tty_close(void)
{
	if (!tty_is_open)
		return;
	tty_is_open = 0;
	endwin();
	fflush(stdout);
	/* the caller's flag may not outlive the dashboard */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	stop_flag = NULL;
}

/* The terminal's key codes that are not the project's (keys.h). */
static const struct {
	int	curses, key;
} keymap[] = {
	{ KEY_UP, KEYS_UP }, { KEY_DOWN, KEYS_DOWN }, { KEY_PPAGE, KEYS_PGUP },
	{ KEY_NPAGE, KEYS_PGDN }, { KEY_HOME, KEYS_HOME },
	{ KEY_END, KEYS_END }, { KEY_BTAB, KEYS_BTAB }, { KEY_F(1), KEYS_F1 },
	{ KEY_F(10), KEYS_F10 },
	{ KEY_ENTER, KEYS_ENTER }, { '\r', KEYS_ENTER }, { '\n', KEYS_ENTER },
	{ KEY_BACKSPACE, KEYS_BACKSPACE }, { 127, KEYS_BACKSPACE },
	{ 8, KEYS_BACKSPACE }, { KEY_RESIZE, KEYS_RESIZE },
};

/* A mouse event: the wheel scrolls, a left press is a click at *y, *x. */
static int
mouse(int *y, int *x)
{
	MEVENT	ev;

	if (getmouse(&ev) != OK)
		return (KEYS_NONE);
	if (ev.bstate & BUTTON4_PRESSED)
		return (KEYS_UP);
	if (ev.bstate & BUTTON5_PRESSED)
		return (KEYS_DOWN);
	if (!(ev.bstate & BUTTON1_PRESSED))
		return (KEYS_NONE);
	*y = ev.y;
	*x = ev.x;
	return (KEYS_CLICK);
}

/*
 * The next key as a KEYS_* code, waiting up to ms milliseconds; -1 if
 * none came. A key the dashboard has no code for is KEYS_NONE.
 */
int
tty_read(int ms, int *y, int *x)
{
	int	ch;

	timeout(ms);
	if ((ch = getch()) == ERR)
		return (-1);
	if (ch == KEY_MOUSE)
		return (mouse(y, x));
	for (size_t i = 0; i < sizeof keymap / sizeof keymap[0]; i++)
		if (keymap[i].curses == ch)
			return (keymap[i].key);
	return (ch < KEYS_UP ? ch : KEYS_NONE);
}

/* Repaint every cell at the next refresh (^L, a resize). */
void
tty_redraw(void)
{
	clearok(curscr, TRUE);
}

int
tty_utf8(void)
{
	return (use_utf8);
}


/* The RGB of xterm colour c (0..255). */
static void
rgb(int c, int out[3])
{
	static const int basic[16][3] = {
		{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
		{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 },
		{ 229, 229, 229 }, { 127, 127, 127 }, { 255, 0, 0 },
		{ 0, 255, 0 }, { 255, 255, 0 }, { 92, 92, 255 },
		{ 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
	};
	static const int level[6] = { 0, 95, 135, 175, 215, 255 };

	if (c < 16)
		memcpy(out, basic[c], sizeof basic[c]);
	else if (c < 232) {
		c -= 16;
		out[0] = level[c / 36];
		out[1] = level[(c / 6) % 6];
		out[2] = level[c % 6];
	} else
		out[0] = out[1] = out[2] = 8 + 10 * (c - 232);
}

/* A colour the terminal lacks: the nearest (RGB distance) it has. */
static short
fit_color(int c)
{
	int	want[3], have[3], best = 0, n = ncolors < 16 ? 8 : 16;
	long	bestd = -1;

	if (c < 0)
		return (-1);
	if (c < ncolors)
		return ((short)c);
	rgb(c, want);
	for (int k = 0; k < n; k++) {
		long d = 0;

		rgb(k, have);
		for (int j = 0; j < 3; j++)
			d += (long)(want[j] - have[j]) * (want[j] - have[j]);
		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = k;
		}
	}
	return ((short)best);
}

/* Use theme t from now on (pair i + 1 is slot i). */
void
tty_theme(const struct theme *t)
{
	cur_theme = t;
	if (!use_color)
		return;
	for (int i = 0; i < SLOT_NSLOTS; i++) {
		short fg = fit_color(t->slot[i].fg);
		short bg = fit_color(t->slot[i].bg);

		/* two colours that fit to one would hide the text */
		if (fg >= 0 && fg == bg)
			fg = bg == COLOR_BLACK ? COLOR_WHITE : COLOR_BLACK;
		init_pair((short)(i + 1), fg, bg);
	}
}

attr_t
tty_attr(enum theme_slot s)
{
	const struct theme_style *st;
	attr_t			  a = 0;

	if (cur_theme == NULL)
		return (A_NORMAL);
	st = &cur_theme->slot[s];
	if (st->attrs & THEME_BOLD)
		a |= A_BOLD;
	if (st->attrs & THEME_DIM)
		a |= A_DIM;
	if (st->attrs & THEME_REVERSE)
		a |= A_REVERSE;
	if (st->attrs & THEME_UNDERLINE)
		a |= A_UNDERLINE;
	if (use_color)
		a |= COLOR_PAIR(s + 1);
	return (a);
}

/* The glyph a slot's cells are filled with: the theme's, else dflt. */
const char *
tty_fill(enum theme_slot s, const char *dflt)
{
	if (cur_theme != NULL && cur_theme->slot[s].fill[0] != '\0')
		return (cur_theme->slot[s].fill);
	return (dflt);
}

/* The character at p: its bytes, and its columns in *cw (bad: 1, 1). */
static size_t
next_char(const char *p, mbstate_t *ps, int *cw)
{
	wchar_t	wc;
	size_t	n = mbrtowc(&wc, p, MB_CUR_MAX, ps);

	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		memset(ps, 0, sizeof *ps);
		*cw = 1;
		return (1);
	}
	*cw = wcwidth(wc) < 0 ? 1 : wcwidth(wc);
	return (n);
}

/*
 * Draw s at (y, x) in slot's style, at most maxw columns; returns the
 * columns drawn. Clipping never splits a UTF-8 character.
 */
int
tty_put(int y, int x, int maxw, enum theme_slot slot, const char *s)
{
	mbstate_t	ps;
	size_t		n;
	int		w = 0, cw;
	const char	*p = s;
	char		safe[1024];

	if (maxw <= 0 || y < 0 || y >= LINES || x < 0 || x >= COLS)
		return (0);
	/* names from files and databases: no control byte reaches curses */
	if (text_needs_escape(s))
		p = s = text_safe(safe, sizeof safe, s);
	if (x + maxw > COLS)
		maxw = COLS - x;
	memset(&ps, 0, sizeof ps);
	while (*p != '\0') {
		n = next_char(p, &ps, &cw);
		if (w + cw > maxw)
			break;
		w += cw;
		p += n;
	}
	attrset(tty_attr(slot));
	mvaddnstr(y, x, s, (int)(p - s));
	attrset(A_NORMAL);
	return (w);
}

int
tty_printf(int y, int x, int maxw, enum theme_slot slot, const char *fmt,
    ...)
{
	char	buf[1024];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return (tty_put(y, x, maxw, slot, buf));
}

/* Clear w cells from (y, x). */
void
tty_blank(int y, int x, int w)
{
	if (y < 0 || y >= LINES || w <= 0)
		return;
	attrset(A_NORMAL);
	mvhline(y, x, ' ', w);
}

/*
 * A panel's frame with its title. UTF-8 frames are drawn as text, not
 * with the alternate character set, which some terminal types (xterm
 * in a UTF-8 locale) do not switch to reliably.
 */
void
tty_box(const struct rect *r, const char *title, int focused)
{
	const char	*h = use_utf8 ? "\u2500" : "-";
	const char	*v = use_utf8 ? "\u2502" : "|";
	const char	*c[4] = { "+", "+", "+", "+" };
	char		 line[4 * 512];
	size_t		 at = 0, hl = strlen(h);

	if (r->w < 2 || r->h < 2)
		return;
	if (use_utf8) {
		c[0] = "\u250c";
		c[1] = "\u2510";
		c[2] = "\u2514";
		c[3] = "\u2518";
	}
	for (int i = 0; i < r->w - 2 && at + hl < sizeof line; i++) {
		memcpy(line + at, h, hl);
		at += hl;
	}
	line[at] = '\0';
	tty_put(r->y, r->x, 1, SLOT_BORDER, c[0]);
	tty_put(r->y, r->x + 1, r->w - 2, SLOT_BORDER, line);
	tty_put(r->y, r->x + r->w - 1, 1, SLOT_BORDER, c[1]);
	for (int y = r->y + 1; y < r->y + r->h - 1; y++) {
		tty_put(y, r->x, 1, SLOT_BORDER, v);
		tty_put(y, r->x + r->w - 1, 1, SLOT_BORDER, v);
	}
	tty_put(r->y + r->h - 1, r->x, 1, SLOT_BORDER, c[2]);
	tty_put(r->y + r->h - 1, r->x + 1, r->w - 2, SLOT_BORDER, line);
	tty_put(r->y + r->h - 1, r->x + r->w - 1, 1, SLOT_BORDER, c[3]);
	if (title != NULL && r->w > 6) {
		char	t[128];

		snprintf(t, sizeof t, " %s ", title);
		tty_put(r->y, r->x + 2, r->w - 4, focused ? SLOT_SELECTED :
		    SLOT_TITLE, t);
	}
}
