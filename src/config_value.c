/*
 * Reading configuration values: messages that name FILE:LINE (or the
 * --set that made a setting), "did you mean" suggestions, getters that
 * check type and range, and the loader of a settings row (setting.h).
 */
#include <libgen.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_priv.h"
#include "text.h"
#include "xmalloc.h"

/* Where a setting came from: FILE:LINE, or the override that made it. */
void
cfg_error(struct ctx *c, const config_setting_t *s, const char *fmt, ...)
{
	char		 msg[512];
	const char	*origin = NULL;
	int		 line = 0;
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* a group an override changed: blame the override */
	for (int i = 0; s != NULL && config_setting_is_group(s) &&
	    i < config_setting_length(s) && origin == NULL; i++)
		origin = config_setting_get_hook(config_setting_get_elem(s,
		    (unsigned)i));
	for (const config_setting_t *p = s; p != NULL && origin == NULL;
	    p = config_setting_parent(p)) {
		origin = config_setting_get_hook(p);
		if (line == 0)
			line = config_setting_source_line(p);
	}
	if (origin != NULL)
		snprintf(c->err, c->errlen, "%s: %s", origin, msg);
	else if (line > 0)
		snprintf(c->err, c->errlen, "%s:%d: %s", c->file, line, msg);
	else
		snprintf(c->err, c->errlen, "%s: %s", c->file, msg);
}

/* The --set that made s or a group holding it, or NULL: from the file. */
static const char *
override_of(const config_setting_t *s)
{
	const char	*origin = NULL;

	for (const config_setting_t *p = s; p != NULL && origin == NULL;
	    p = config_setting_parent(p))
		origin = config_setting_get_hook(p);
	return (origin);
}

/*
 * The setting to blame for a mistake between two: at (the one the
 * message names), unless only cause came from a --set, which then made
 * the mistake ("--set classes.short.dist=trace" with the file's sd).
 */
const config_setting_t *
cfg_blame(const config_setting_t *at, const config_setting_t *cause)
{
	if (cause != NULL && override_of(at) == NULL &&
	    override_of(cause) != NULL)
		return (cause);
	return (at);
}

/* Levenshtein distance, for "did you mean". Short strings only. */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b), row[64], prev, tmp;

	if (lb >= sizeof row / sizeof row[0])
		return (lb > la ? lb : la);
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = prev + (a[i - 1] != b[j - 1]);
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (tmp + 1 < row[j])
				row[j] = tmp + 1;
			prev = tmp;
		}
	}
	return (row[lb]);
}

/* The closest of a NULL-terminated list, if close enough to be a typo. */
const char *
config_suggest(const char *word, const char *const *known)
{
	const char	*best = NULL;
	size_t		 bestd = (size_t)-1, d, limit;

	for (; *known != NULL; known++) {
		d = edit_distance(word, *known);
		if (d < bestd) {
			bestd = d;
			best = *known;
		}
	}
	limit = strlen(word) <= 4 ? 1 : (strlen(word) <= 8 ? 2 : 3);
	return (bestd <= limit ? best : NULL);
}

void
cfg_hint(char *buf, size_t len, const char *word, const char *const *known)
{
	const char	*s = config_suggest(word, known);

	if (s != NULL)
		snprintf(buf, len, " (did you mean '%s'?)", s);
	else
		buf[0] = '\0';
}

/* Refuse a member of group that is not a key of scope. */
int
cfg_check_keys(struct ctx *c, const config_setting_t *group, const char *prefix,
    const char *scope)
{
	const char		*keys[CFG_KEYS_MAX];
	const char *const	*known = cfg_scope_keys(scope, keys, CFG_KEYS_MAX);
	char			 h[64];

	if (group == NULL || !config_setting_is_group(group))
		return (0);
	for (int i = 0; i < config_setting_length(group); i++) {
		config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(s);
		int ok = 0;

		for (const char *const *k = known; *k != NULL; k++)
			if (strcmp(*k, name) == 0)
				ok = 1;
		if (!ok) {
			char tok[TEXT_TOKEN];

			cfg_hint(h, sizeof h, name, known);
			cfg_error(c, s, "unknown key '%s%s'%s", prefix,
			    text_token(tok, sizeof tok, name, strlen(name)), h);
			return (-1);
		}
	}
	return (0);
}

/* ---- Typed getters with bounds. ---- */

const char *
cfg_type_name(int type)
{
	switch (type) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return ("an integer");
	case CONFIG_TYPE_FLOAT:
		return ("a number");
	case CONFIG_TYPE_STRING:
		return ("a string");
	case CONFIG_TYPE_BOOL:
		return ("a boolean");
	case CONFIG_TYPE_GROUP:
		return ("a group { ... }");
	case CONFIG_TYPE_ARRAY:
		return ("an array [ ... ]");
	case CONFIG_TYPE_LIST:
		return ("a list ( ... )");
	}
	return ("something else");
}

int
cfg_get_int64(struct ctx *c, const config_setting_t *g, const char *prefix,
    const char *key, long long min, long long max, long long *out)
{
	config_setting_t	*s;
	long long		 v;

	if (g == NULL || (s = config_setting_get_member(g, key)) == NULL)
		return (0);
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		v = config_setting_get_int64(s);
		break;
	case CONFIG_TYPE_FLOAT:
		cfg_error(c, s, "%s%s must be an integer, got %g", prefix, key,
		    config_setting_get_float(s));
		return (-1);
	default:
		cfg_error(c, s, "%s%s must be an integer, got %s", prefix, key,
		    cfg_type_name(config_setting_type(s)));
		return (-1);
	}
	if (v < min || v > max) {
		cfg_error(c, s, "%s%s must be in [%lld, %lld], got %lld", prefix, key,
		    min, max, v);
		return (-1);
	}
	*out = v;
	return (0);
}

int
cfg_get_int(struct ctx *c, const config_setting_t *g, const char *prefix,
    const char *key, int min, int max, int *out)
{
	long long	v = *out;

	if (cfg_get_int64(c, g, prefix, key, min, max, &v) != 0)
		return (-1);
	*out = (int)v;
	return (0);
}

int
cfg_number(const config_setting_t *s, double *out)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		*out = (double)config_setting_get_int64(s);
		return (0);
	case CONFIG_TYPE_FLOAT:
		*out = config_setting_get_float(s);
		return (0);
	}
	return (-1);
}

/* A number in [min, max]; lo_open makes the lower bound exclusive. */
int
cfg_check_range(struct ctx *c, const config_setting_t *s, const char *what,
    double v, double min, double max, int lo_open)
{
	if (isnan(v) || isinf(v)) {
		cfg_error(c, s, "%s must be a finite number, got %g", what, v);
		return (-1);
	}
	if (v > max || v < min || (lo_open && v == min)) {
		cfg_error(c, s, "%s must be in %c%g, %g], got %g", what,
		    lo_open ? '(' : '[', min, max, v);
		return (-1);
	}
	return (0);
}

int
cfg_get_double(struct ctx *c, const config_setting_t *g, const char *prefix,
    const char *key, double min, double max, int lo_open, double *out)
{
	config_setting_t	*s;
	char			 what[192];
	double			 v;

	if (g == NULL || (s = config_setting_get_member(g, key)) == NULL)
		return (0);
	if (cfg_number(s, &v) != 0) {
		cfg_error(c, s, "%s%s must be a number, got %s", prefix, key,
		    cfg_type_name(config_setting_type(s)));
		return (-1);
	}
	snprintf(what, sizeof what, "%s%s", prefix, key);
	if (cfg_check_range(c, s, what, v, min, max, lo_open) != 0)
		return (-1);
	*out = v;
	return (0);
}

/* A string member: 1 found, 0 absent, -1 wrong type. */
int
cfg_get_string(struct ctx *c, const config_setting_t *g, const char *prefix,
    const char *key, const char **out)
{
	config_setting_t	*s;

	if (g == NULL || (s = config_setting_get_member(g, key)) == NULL)
		return (0);
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		cfg_error(c, s, "%s%s must be a string, got %s", prefix, key,
		    cfg_type_name(config_setting_type(s)));
		return (-1);
	}
	*out = config_setting_get_string(s);
	return (1);
}

/* A string that must be one of known[]; returns its index. */
int
cfg_get_enum(struct ctx *c, const config_setting_t *g, const char *prefix,
    const char *key, const char *const *known, int required, int *out)
{
	const char	*v = NULL;
	char		 h[64], list[128] = "", tok[TEXT_TOKEN];
	int		 r;

	if ((r = cfg_get_string(c, g, prefix, key, &v)) < 0)
		return (-1);
	if (r == 0) {
		if (!required)
			return (0);
		cfg_error(c, g, "%s%s is required", prefix, key);
		return (-1);
	}
	for (int i = 0; known[i] != NULL; i++) {
		if (strcmp(v, known[i]) == 0) {
			*out = i;
			return (0);
		}
		strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
		strncat(list, known[i], sizeof list - strlen(list) - 1);
	}
	cfg_hint(h, sizeof h, v, known);
	cfg_error(c, config_setting_get_member(g, key),
	    "%s%s must be one of %s, got '%s'%s", prefix, key, list,
	    text_token(tok, sizeof tok, v, strlen(v)), h);
	return (-1);
}

int
cfg_require_group(struct ctx *c, const config_setting_t *s, const char *what)
{
	if (s != NULL && !config_setting_is_group(s)) {
		cfg_error(c, s, "%s must be %s, got %s", what,
		    cfg_type_name(CONFIG_TYPE_GROUP),
		    cfg_type_name(config_setting_type(s)));
		return (-1);
	}
	return (0);
}

/* record.events = true; (1 and 0 are accepted in a file). */
static int
get_bool(struct ctx *c, const config_setting_t *g, const char *prefix,
    const char *key, int *out)
{
	config_setting_t	*e = config_setting_get_member(g, key);

	if (e == NULL)
		return (0);
	if (config_setting_type(e) == CONFIG_TYPE_BOOL)
		*out = config_setting_get_bool(e);
	else if (config_setting_type(e) == CONFIG_TYPE_INT &&
	    (config_setting_get_int(e) == 0 || config_setting_get_int(e) == 1))
		*out = config_setting_get_int(e);
	else {
		cfg_error(c, e, "%s%s must be true or false", prefix, key);
		return (-1);
	}
	return (0);
}

/* One row's value from group g (absent: left as it is) into base. */
int
cfg_get_option(struct ctx *c, const config_setting_t *g, const char *prefix,
    const struct setting *o, void *base)
{
	const char	*key = setting_name(o), *s = NULL;
	long long	 ll = 0;
	double		 d = 0;
	char		*copy;
	int		 i = 0, r = 0;

	if (g == NULL || config_setting_get_member(g, key) == NULL ||
	    (o->flags & ST_NOSTORE))
		return (0);
	switch (o->type) {
	case ST_INT:
	case ST_INT64:
		if ((r = cfg_get_int64(c, g, prefix, key, o->lo, o->hi,
		    &ll)) == 0)
			setting_store_int(o, base, ll);
		break;
	case ST_DOUBLE:
		if ((r = cfg_get_double(c, g, prefix, key, o->min, o->max,
		    (o->flags & ST_LO_OPEN) != 0, &d)) == 0)
			setting_store_double(o, base, d);
		break;
	case ST_BOOL:
		if ((r = get_bool(c, g, prefix, key, &i)) == 0)
			setting_store_int(o, base, i);
		break;
	case ST_ENUM:
		if ((r = cfg_get_enum(c, g, prefix, key, o->choices, 0,
		    &i)) == 0)
			setting_store_int(o, base, i);
		break;
	case ST_STRING:
		if ((r = cfg_get_string(c, g, prefix, key, &s)) < 0)
			break;
		memcpy(&copy, (char *)base + o->off, sizeof copy);
		free(copy);
		copy = xstrdup(s);
		memcpy((char *)base + o->off, &copy, sizeof copy);
		r = 0;
		break;
	case ST_GROUP:
		break;
	}
	return (r);
}

/* Every stored row of scope from group g into base. */
int
cfg_load_scope(struct ctx *c, const config_setting_t *g, const char *prefix,
    const char *scope, void *base)
{
	for (int i = 0; i < config_noptions; i++)
		if (setting_in_scope(&config_options[i], scope) &&
		    cfg_get_option(c, g, prefix, &config_options[i], base) != 0)
			return (-1);
	return (0);
}

/*
 * A path from the file, taken from the file's folder unless absolute
 * (or there is no file: the built-in defaults). The caller frees it.
 */
char *
cfg_relative(const struct ctx *c, const char *path)
{
	char	*copy, *p;

	if (path[0] == '/' || c->file == NULL ||
	    strcmp(c->file, "(built-in defaults)") == 0)
		return (xstrdup(path));
	copy = xstrdup(c->file);
	xasprintf(&p, "%s/%s", dirname(copy), path);
	free(copy);
	return (p);
}
