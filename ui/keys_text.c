/*
 * What keys.c's table says to people: a key's name (fastsync(1), the
 * help), the help screen's lines, and the key bar with each key's word
 * for the dashboard's state now.
 */
#include <stdio.h>
#include <string.h>

#include "dash.h"
#include "keys.h"

/* How fastsync(1) and the help name a key: 1, or 0 if it is no key. */
int
keys_name(int key, char *buf, size_t len)
{
	static const struct {
		int		 key;
		const char	*name;
	} names[] = {
		{ KEYS_SPACE, "space" }, { KEYS_TAB, "Tab" },
		{ KEYS_ESC, "Esc" }, { KEYS_CTRL_L, "Ctrl-L" },
		{ KEYS_UP, "Up" }, { KEYS_DOWN, "Down" }, { KEYS_PGUP, "PgUp" },
		{ KEYS_PGDN, "PgDn" }, { KEYS_HOME, "Home" },
		{ KEYS_END, "End" }, { KEYS_BTAB, "Shift-Tab" },
		{ KEYS_F1, "F1" }, { KEYS_F10, "F10" }, { KEYS_ENTER, "Enter" },
		{ KEYS_BACKSPACE, "Backspace" },
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].key == key) {
			snprintf(buf, len, "%s", names[i].name);
			return (1);
		}
	if (key > 0x20 && key < 0x7f) {
		snprintf(buf, len, "%c", key);
		return (1);
	}
	return (0);
}

/*
 * The help screen's lines for the keys: the key column, then the text
 * (its later lines under the text). Line k of them goes to buf; k past
 * the end yields "".
 */
void
keys_help_line(int k, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int i = 0; i < keys_ntable; i++) {
		const char	*p = keys_table[i].help, *nl;
		const char	*key = keys_table[i].help_key;

		for (; key != NULL && p != NULL; p = nl != NULL ? nl + 1 : NULL) {
			nl = strchr(p, '\n');
			if (k-- == 0) {
				snprintf(buf, len, "  %-13s%.*s", key, nl != NULL ?
				    (int)(nl - p) : (int)strlen(p), p);
				return;
			}
			key = "";
		}
	}
}

/* How many lines keys_help_line has. */
int
keys_help_lines(void)
{
	int	n = 0;

	for (int i = 0; i < keys_ntable; i++) {
		const char *p = keys_table[i].help;

		if (keys_table[i].help_key == NULL || p == NULL)
			continue;
		for (n++; (p = strchr(p, '\n')) != NULL; p++)
			n++;
	}
	return (n);
}

/* Row i's key and word on the bar now (its alt word in that state). */
static struct keys_label
label(const struct dash *d, int i, int narrow)
{
	const struct keys_binding	*b = &keys_table[i];
	struct keys_label		 l = narrow ? b->narrow : b->bar;

	if (l.key != NULL && b->word != NULL && b->word(d) != NULL)
		l.word = b->word(d);
	return (l);
}

/*
 * Lay the bar out in r: "key word " each, the narrow words when the
 * full ones do not fit, as many as fit. Clicks on them are looked up in
 * d->keys. Returns how many items went to it.
 */
int
keys_bar(struct dash *d, const struct rect *r, struct keys_bar_item *it)
{
	int	full = 0, narrow, x = r->x;

	for (int i = 0; i < keys_ntable; i++) {
		struct keys_label l = label(d, i, 0);

		if (l.key != NULL)
			full += (int)(strlen(l.key) + strlen(l.word)) + 2;
	}
	narrow = full > r->w;
	d->nkeys = 0;
	for (int i = 0; i < keys_ntable && d->nkeys < KEYS_BAR_MAX; i++) {
		struct keys_label	l = label(d, i, narrow);
		int			w;

		if (l.key == NULL)
			continue;
		w = (int)(strlen(l.key) + strlen(l.word)) + 2;
		if (x + w > r->x + r->w)
			break;
		it[d->nkeys] = (struct keys_bar_item){ l.key, l.word, x };
		d->keys[d->nkeys] = (struct rect){ x, r->y, w, 1 };
		d->keych[d->nkeys++] = keys_table[i].key[0];
		x += w;
	}
	return (d->nkeys);
}
