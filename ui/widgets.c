/* Bars, gauges and sparklines as UTF-8 or ASCII text (see widgets.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "widgets.h"

/* Append s to buf (length len), never past its end. */
static void
put(char *buf, size_t len, size_t *at, const char *s)
{
	size_t	n = strlen(s);

	if (*at + n + 1 > len)
		return;
	memcpy(buf + *at, s, n);
	*at += n;
	buf[*at] = '\0';
}

/*
 * A bar width cells wide filled to frac (0..1): UTF-8 uses eighth
 * blocks for the partial cell, ASCII '#' and '-'.
 */
void
widget_bar(char *buf, size_t len, double frac, int width, int utf8)
{
	static const char *const eighths[] = { "", "\u258f", "\u258e",
	    "\u258d", "\u258c", "\u258b", "\u258a", "\u2589" };
	size_t	at = 0;
	int	units, full, part;

	buf[0] = '\0';
	if (!(frac > 0))
		frac = 0;
	if (frac > 1)
		frac = 1;
	units = (int)floor(frac * width * 8 + 0.5);
	full = units / 8;
	part = utf8 ? units % 8 : 0;
	for (int i = 0; i < full; i++)
		put(buf, len, &at, utf8 ? "\u2588" : "#");
	if (part > 0)
		put(buf, len, &at, eighths[part]);
	for (int i = full + (part > 0); i < width; i++)
		put(buf, len, &at, utf8 ? " " : "-");
}

/*
 * A quorum gauge: ready of present filled, the needed count marked
 * with '|' so a viewer sees how far the quorum is.
 */
void
widget_gauge(char *buf, size_t len, int ready, int needed, int present,
    int width, int utf8)
{
	size_t	at = 0;
	int	fill, mark;

	buf[0] = '\0';
	if (present <= 0 || width <= 0)
		return;
	fill = (int)((double)ready / present * width + 0.5);
	mark = (int)((double)needed / present * width + 0.5);
	if (mark >= width)
		mark = width - 1;
	for (int i = 0; i < width; i++) {
		if (i == mark)
			put(buf, len, &at, utf8 ? "\u2502" : "|");
		else if (i < fill)
			put(buf, len, &at, utf8 ? "\u2588" : "#");
		else
			put(buf, len, &at, utf8 ? "\u00b7" : ".");
	}
}

/*
 * n values in width cells (each cell the mean of its values), scaled to
 * their own range: UTF-8 block heights, or the ASCII ramp "_.-~=+*#".
 */
void
widget_sparkline(char *buf, size_t len, const double *v, int n, int width,
    int utf8)
{
	static const char *const blocks[] = { "\u2581", "\u2582", "\u2583",
	    "\u2584", "\u2585", "\u2586", "\u2587", "\u2588" };
	static const char *const ascii[] = { "_", ".", "-", "~", "=", "+",
	    "*", "#" };
	double	lo = INFINITY, hi = -INFINITY;
	size_t	at = 0;

	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		lo = fmin(lo, v[i]);
		hi = fmax(hi, v[i]);
	}
	for (int c = 0; c < width && n > 0; c++) {
		int a = (int)((long)c * n / width);
		int b = (int)((long)(c + 1) * n / width), k;
		double m = 0;

		if (b <= a)
			b = a + 1;
		for (int i = a; i < b; i++)
			m += v[i] / (b - a);
		k = hi > lo ? (int)((m - lo) / (hi - lo) * 7.999) : 0;
		/* a mean of near-equal values can round past lo or hi */
		k = k < 0 ? 0 : k > 7 ? 7 : k;
		put(buf, len, &at, utf8 ? blocks[k] : ascii[k]);
	}
}

/*
 * A one-line braille chart: two values per cell, each a column of up to
 * four dots from the bottom (the lowest value still shows one dot), so
 * it shows twice the history of a sparkline in the same width. The
 * ASCII twin is widget_sparkline's ramp.
 */
void
widget_braille(char *buf, size_t len, const double *v, int n, int width,
    int utf8)
{
	/* dot bits for heights 1..4, left and right column of a cell */
	static const unsigned char left[5] = { 0, 0x40, 0x44, 0x46, 0x47 };
	static const unsigned char right[5] = { 0, 0x80, 0xa0, 0xb0, 0xb8 };
	double	lo = INFINITY, hi = -INFINITY;
	size_t	at = 0;
	int	slots = width * 2;

	buf[0] = '\0';
	if (!utf8) {
		widget_sparkline(buf, len, v, n, width, 0);
		return;
	}
	for (int i = 0; i < n; i++) {
		lo = fmin(lo, v[i]);
		hi = fmax(hi, v[i]);
	}
	if (n < slots)
		slots = n;
	for (int c = 0; c * 2 < slots; c++) {
		unsigned	bits = 0x00;
		char		ch[4];

		for (int half = 0; half < 2 && c * 2 + half < slots; half++) {
			int s = c * 2 + half;
			int a = (int)((long)s * n / slots);
			int b = (int)((long)(s + 1) * n / slots), k;
			double m = 0;

			if (b <= a)
				b = a + 1;
			for (int i = a; i < b; i++)
				m += v[i] / (b - a);
			k = 1 + (hi > lo ? (int)((m - lo) / (hi - lo) * 3.999) :
			    0);
			k = k < 1 ? 1 : k > 4 ? 4 : k;
			bits |= half ? right[k] : left[k];
		}
		/* U+2800 + bits in UTF-8 */
		ch[0] = (char)0xe2;
		ch[1] = (char)(0xa0 | bits >> 6);
		ch[2] = (char)(0x80 | (bits & 0x3f));
		ch[3] = '\0';
		put(buf, len, &at, ch);
	}
}

/*
 * Break text into lines of at most width columns, at spaces (a word
 * longer than a line is split): line k is len[k] bytes from start[k],
 * for the first max lines. Returns how many lines the whole text takes
 * (more than max: the caller knows it does not fit). ASCII text.
 */
int
widget_wrap(const char *text, int width, int *start, int *len, int max)
{
	int	n = 0, at = 0, total = (int)strlen(text);

	if (width < 1)
		return (0);
	while (at < total) {
		int end, cut;

		while (text[at] == ' ')
			at++;
		if (at >= total)
			break;
		end = at + width;
		if (end >= total)
			cut = total;
		else {
			for (cut = end; cut > at && text[cut] != ' '; cut--)
				;
			if (cut == at)
				cut = end;
		}
		if (n < max) {
			start[n] = at;
			len[n] = cut - at;
		}
		n++;
		at = cut;
	}
	return (n);
}

/*
 * A count in at most width columns: as is if it fits, else abbreviated
 * with a unit (11814 -> "11.8k", 2.5e6 -> "2.5M"); marked with '>' if
 * even that does not fit. Never silently cut.
 */
void
widget_count(char *buf, size_t len, double v, int width)
{
	static const char *const unit[] = { "", "k", "M", "G", "T" };
	double	a = v;
	int	u = 0;

	snprintf(buf, len, "%.0f", v);
	if ((int)strlen(buf) <= width)
		return;
	while (fabs(a) >= 1000 && u < 4) {
		a /= 1000;
		u++;
	}
	snprintf(buf, len, fabs(a) < 10 ? "%.1f%s" : "%.0f%s", a, unit[u]);
	if ((int)strlen(buf) > width && fabs(a) < 10)
		snprintf(buf, len, "%.0f%s", a, unit[u]);
	if ((int)strlen(buf) > width && width >= 1) {
		char	tmp[32];

		snprintf(tmp, sizeof tmp, "%s", buf);
		snprintf(buf, len, "%.*s>", width - 1, tmp);
	}
}

/*
 * A figure with up to decimals places in at most width columns: fewer
 * places if that fits, else as a count with a unit (widget_count).
 */
void
widget_number(char *buf, size_t len, double v, int decimals, int width)
{
	for (int p = decimals; p >= 0; p--) {
		snprintf(buf, len, "%.*f", p, v);
		if ((int)strlen(buf) <= width)
			return;
	}
	widget_count(buf, len, v, width);
}

/*
 * A duration of ms milliseconds in at most width columns, in unit_ms
 * units (1: ms, 1000: s) with up to decimals places and no suffix if it
 * fits (fewer places first), else in the first larger unit that fits,
 * suffixed (12345.6 ms in 5 columns: "12.3s"), else marked with '>'.
 */
void
widget_ms(char *buf, size_t len, double ms, double unit_ms, int decimals,
    int width)
{
	static const struct {
		double		 ms;
		const char	*suffix;
	} units[] = { { 1, "ms" }, { 1e3, "s" }, { 60e3, "m" },
	    { 3600e3, "h" }, { 86400e3, "d" } };
	char	tmp[32];

	for (int p = decimals; p >= 0; p--) {
		snprintf(buf, len, "%.*f", p, ms / unit_ms);
		if ((int)strlen(buf) <= width)
			return;
	}
	for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
		if (units[u].ms <= unit_ms)
			continue;
		for (int p = 1; p >= 0; p--) {
			snprintf(buf, len, "%.*f%s", p, ms / units[u].ms,
			    units[u].suffix);
			if ((int)strlen(buf) <= width)
				return;
		}
	}
	snprintf(tmp, sizeof tmp, "%s", buf);
	if (width >= 1)
		snprintf(buf, len, "%.*s>", width - 1, tmp);
}
