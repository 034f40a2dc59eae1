/*
 * User text made safe for a terminal: whatever a file, a --set, a run
 * name or a database holds, what fastsync prints of it is one line with
 * no control sequence. Valid UTF-8 is kept; control bytes and broken
 * UTF-8 are shown as escapes (\e, \n, \t, \r, \xHH; C1 controls \u0080).
 * Independent of the locale, so a message reads the same everywhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "xmalloc.h"

/* Bytes of the valid UTF-8 character at p (2..4), or 0 if it is not one. */
static size_t
utf8_len(const unsigned char *p, unsigned *cp)
{
	size_t		n;
	unsigned	c = p[0], lo = 0x80, hi = 0xbf;

	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
		/* no overlong form, no UTF-16 surrogate */
		if (c == 0)
			lo = 0xa0;
		if (c == 0x0d)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
		/* no overlong form, nothing past U+10FFFF */
		if (c == 0)
			lo = 0x90;
		if (c == 4)
			hi = 0x8f;
	} else
		return (0);
	for (size_t i = 1; i < n; i++) {
		if (p[i] < (i == 1 ? lo : 0x80) || p[i] > (i == 1 ? hi : 0xbf))
			return (0);
		c = c << 6 | (p[i] & 0x3f);
	}
	*cp = c;
	return (n);
}

/* Append what stands for the character at s; returns the bytes read. */
static size_t
escape_one(const unsigned char *s, char *e, size_t elen)
{
	unsigned	cp;
	size_t		n;

	if (*s == 0x1b)
		snprintf(e, elen, "\\e");
	else if (*s == '\n')
		snprintf(e, elen, "\\n");
	else if (*s == '\r')
		snprintf(e, elen, "\\r");
	else if (*s == '\t')
		snprintf(e, elen, "\\t");
	else if (*s < 0x20 || *s == 0x7f)
		snprintf(e, elen, "\\x%02x", *s);
	else if (*s < 0x80) {
		e[0] = (char)*s;
		e[1] = '\0';
	} else if ((n = utf8_len(s, &cp)) == 0)
		snprintf(e, elen, "\\x%02x", *s);
	else {
		if (cp < 0xa0)
			snprintf(e, elen, "\\u%04x", cp);
		else {
			memcpy(e, s, n);
			e[n] = '\0';
		}
		return (n);
	}
	return (1);
}

/* The first n bytes of s made safe into buf; returns the bytes used. */
static size_t
safe_into(char *buf, size_t len, const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*end = p + n;
	size_t			 o = 0;
	char			 e[8];

	if (len == 0)
		return (0);
	while (p < end && *p != '\0') {
		size_t	k = escape_one(p, e, sizeof e), el = strlen(e);

		/* a whole character or escape, or none: never half of one */
		if (o + el >= len)
			break;
		memcpy(buf + o, e, el);
		o += el;
		p += k;
	}
	buf[o] = '\0';
	return ((size_t)(p - (const unsigned char *)s));
}

const char *
text_safe(char *buf, size_t len, const char *s)
{
	safe_into(buf, len, s, strlen(s));
	return (buf);
}

const char *
text_token(char *buf, size_t len, const char *s, size_t n)
{
	if (len < 4) {
		safe_into(buf, len, s, n);
		return (buf);
	}
	if (strnlen(s, n) > safe_into(buf, len - 3, s, n))
		strcat(buf, "...");
	return (buf);
}

int
text_needs_escape(const char *s)
{
	const unsigned char	*q = (const unsigned char *)s;
	char			 e[8];

	/* the common case, printable ASCII, at one compare a byte (the
	 * dashboard asks this of every string it draws) */
	while (*q >= 0x20 && *q < 0x7f)
		q++;
	if (*q == '\0')
		return (0);
	for (const unsigned char *p = q; *p != '\0';) {
		size_t n = escape_one(p, e, sizeof e);

		if (strlen(e) != n || memcmp(e, p, n) != 0)
			return (1);
		p += n;
	}
	return (0);
}

void
text_safe_msg(char *msg, size_t len)
{
	char	*copy;

	if (!text_needs_escape(msg))
		return;
	copy = xstrdup(msg);
	text_safe(msg, len, copy);
	free(copy);
}

void
text_duration(char *buf, size_t len, double s)
{
	if (s >= 3600)
		snprintf(buf, len, "%dh%02dm", (int)(s / 3600),
		    (int)(s / 60) % 60);
	else if (s >= 60)
		snprintf(buf, len, "%dm%02ds", (int)(s / 60), (int)s % 60);
	else
		snprintf(buf, len, "%.1fs", s);
}
