/*
 * Reading and writing a setting through its row (setting.h): where the
 * value lives, its default, and its text (plain, or as JSON).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "setting.h"
#include "xmalloc.h"

/* The key without its scope: "count" for "workers.count". */
const char *
setting_name(const struct setting *o)
{
	const char	*dot = strrchr(o->key, '.');

	return (dot != NULL ? dot + 1 : o->key);
}

/* Is the row a direct member of scope (NULL: the top level)? */
int
setting_in_scope(const struct setting *o, const char *scope)
{
	size_t	n;

	if (scope == NULL)
		return (strchr(o->key, '.') == NULL);
	n = strlen(scope);
	return (strncmp(o->key, scope, n) == 0 && o->key[n] == '.' &&
	    strchr(o->key + n + 1, '.') == NULL);
}

void
setting_store_int(const struct setting *o, void *base, long long v)
{
	char	*p = (char *)base + o->off;

	if (o->type == ST_INT64) {
		uint64_t u = (uint64_t)v;

		memcpy(p, &u, sizeof u);
	} else {
		int i = (int)v;

		memcpy(p, &i, sizeof i);
	}
}

long long
setting_int(const struct setting *o, const void *base)
{
	const char	*p = (const char *)base + o->off;
	uint64_t	 u;
	int		 i;

	if (o->type == ST_INT64) {
		memcpy(&u, p, sizeof u);
		return ((long long)u);
	}
	memcpy(&i, p, sizeof i);
	return (i);
}

void
setting_store_double(const struct setting *o, void *base, double v)
{
	memcpy((char *)base + o->off, &v, sizeof v);
}

double
setting_double(const struct setting *o, const void *base)
{
	double	v;

	memcpy(&v, (const char *)base + o->off, sizeof v);
	return (v);
}

/* Store the row's default (a string default is strdup'ed). */
void
setting_set_default(const struct setting *o, void *base)
{
	char	*s;

	if (o->def == NULL || (o->flags & ST_NOSTORE))
		return;
	switch (o->type) {
	case ST_INT:
	case ST_INT64:
		setting_store_int(o, base, strtoll(o->def, NULL, 10));
		break;
	case ST_DOUBLE:
		setting_store_double(o, base, strtod(o->def, NULL));
		break;
	case ST_BOOL:
		setting_store_int(o, base, strcmp(o->def, "true") == 0);
		break;
	case ST_ENUM:
		for (int i = 0; o->choices[i] != NULL; i++)
			if (strcmp(o->choices[i], o->def) == 0)
				setting_store_int(o, base, i);
		break;
	case ST_STRING:
		s = xstrdup(o->def);
		memcpy((char *)base + o->off, &s, sizeof s);
		break;
	case ST_GROUP:
		break;
	}
}

/* The stored value as text: as a file spells it, or as JSON. */
void
setting_format(const struct setting *o, const void *base, int json, char *buf,
    size_t len)
{
	const char	*q = json ? "\"" : "", *s;

	switch (o->type) {
	case ST_INT:
	case ST_INT64:
		snprintf(buf, len, "%lld", setting_int(o, base));
		break;
	case ST_DOUBLE:
		snprintf(buf, len, json ? "%.17g" : "%g", setting_double(o,
		    base));
		break;
	case ST_BOOL:
		snprintf(buf, len, "%s", setting_int(o, base) ? "true" : "false");
		break;
	case ST_ENUM:
		snprintf(buf, len, "%s%s%s", q, o->choices[setting_int(o, base)],
		    q);
		break;
	case ST_STRING:
		memcpy(&s, (const char *)base + o->off, sizeof s);
		snprintf(buf, len, "%s%s%s", q, s != NULL ? s : "", q);
		break;
	case ST_GROUP:
		snprintf(buf, len, "%s", json ? "{}" : "");
		break;
	}
}

/* {"key": value, ...} for n rows (a model's parameters). */
void
setting_json(const struct setting *o, int n, const void *base, char *buf,
    size_t len)
{
	char	 v[128];
	size_t	 at;

	snprintf(buf, len, "{");
	for (int i = 0; i < n; i++) {
		setting_format(&o[i], base, 1, v, sizeof v);
		at = strlen(buf);
		snprintf(buf + at, len - at, "%s\"%s\": %s", i ? ", " : "",
		    setting_name(&o[i]), v);
	}
	at = strlen(buf);
	snprintf(buf + at, len - at, "}");
}
