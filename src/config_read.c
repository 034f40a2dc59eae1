/*
 * Reading a config file so that no integer wraps. libconfig 1.5 keeps an
 * integer literal in an int and wraps it silently (`rounds = 4294967301;`
 * reads as 5); 1.7 reads it as a 64-bit integer. Every integer literal
 * beyond 32 bits is marked with libconfig's 64-bit suffix L before the
 * text is parsed, so both read the value written and its range check
 * refuses it; one beyond 64 bits is read as a float (refused where an
 * integer is expected). Strings and comments are left alone.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_priv.h"
#include "xmalloc.h"

/* Characters of a name or a number, as libconfig's scanner groups them. */
static int
token_char(char ch)
{
	return ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
	    (ch >= 'A' && ch <= 'Z') || strchr("_.+-*", ch) != NULL);
}

/*
 * Is the token an integer literal that an int cannot hold? 1: it fits
 * 64 bits; 2: it does not even fit those (it is then read as a float,
 * so that it is refused where an integer is expected, never clamped).
 */
static int
wide_integer(const char *t, size_t n)
{
	char		 buf[64], *end;
	const char	*p = buf;
	int		 base = 10;
	long long	 v;

	if (n >= sizeof buf)
		return (strspn(t, "+-0123456789") == n ? 2 : 0);
	memcpy(buf, t, n);
	buf[n] = '\0';
	if (*p == '+' || *p == '-')
		p++;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		if (buf[0] == '+' || buf[0] == '-')
			return (0);	/* not a libconfig literal */
	}
	if (*p < '0' || *p > '9')
		return (0);
	errno = 0;
	v = strtoll(buf, &end, base);
	if (*end != '\0')
		return (0);
	if (errno == ERANGE)
		return (base == 10 ? 2 : 0);
	return (v < INT_MIN || v > INT_MAX);
}

/* The text with every wide integer literal suffixed with L. */
static char *
widen(const char *text)
{
	size_t	 n = strlen(text), o = 0, i = 0, j;
	char	*out = xmalloc(n * 3 + 1);
	int	 w;

	while (i < n) {
		j = i + 1;
		if (text[i] == '"') {
			while (j < n && text[j] != '"')
				j += text[j] == '\\' && j + 1 < n ? 2 : 1;
			j = j < n ? j + 1 : n;
		} else if (text[i] == '#' || strncmp(text + i, "//", 2) == 0)
			j = i + strcspn(text + i, "\n");
		else if (strncmp(text + i, "/*", 2) == 0) {
			const char *e = strstr(text + i + 2, "*/");

			j = e != NULL ? (size_t)(e - text) + 2 : n;
		} else if (token_char(text[i])) {
			while (j < n && token_char(text[j]))
				j++;
		}
		memcpy(out + o, text + i, j - i);
		o += j - i;
		w = token_char(text[i]) ? wide_integer(text + i, j - i) : 0;
		if (w == 1)
			out[o++] = 'L';
		else if (w == 2) {
			memcpy(out + o, ".0", 2);
			o += 2;
		}
		i = j;
	}
	out[o] = '\0';
	return (out);
}

/* config_read_file, integers read as written. -1 with errno on I/O. */
int
cfg_read_file(config_t *cfg, const char *file)
{
	FILE	*f = fopen(file, "r");
	char	*text = NULL, *wide;
	size_t	 len = 0, cap = 0, got;
	int	 r;

	if (f == NULL)
		return (-1);
	do {
		if (cap - len < 4096)
			text = xreallocarray(text, cap = cap * 2 + 8192, 1);
		got = fread(text + len, 1, cap - len - 1, f);
		len += got;
	} while (got > 0);
	r = ferror(f) ? -1 : 0;
	fclose(f);
	if (r != 0) {
		free(text);
		return (-1);
	}
	text[len] = '\0';
	wide = widen(text);
	free(text);
	r = config_read_string(cfg, wide) == CONFIG_TRUE ? 0 : 1;
	free(wide);
	return (r);
}
