/*
 * Edits to the parsed configuration tree before it is validated: the
 * built-in defaults for what a file leaves out, then each --set KEY=VALUE.
 * Both go through the same checks as the file afterwards.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_priv.h"
#include "xmalloc.h"

/* ---- Overrides: --set KEY=VALUE applied to the parsed tree. ---- */

/* The value's type is its row's: a string, a boolean, else a number. */
static int
set_value(struct ctx *c, config_setting_t *parent, const char *scope,
    const char *key, const struct config_override *o)
{
	const struct setting	*row = cfg_option(scope, key);
	enum setting_type	 type = row != NULL ? row->type : ST_DOUBLE;
	config_setting_t	*s;
	char			*end;
	double			 d;
	long long		 ll;
	int			 isint;

	if (type == ST_BOOL) {
		/* record.events: true or false */
		config_setting_remove(parent, key);
		if ((s = config_setting_add(parent, key,
		    CONFIG_TYPE_BOOL)) == NULL)
			goto bad_name;
		if (strcmp(o->value, "true") != 0 &&
		    strcmp(o->value, "false") != 0) {
			snprintf(c->err, c->errlen, "%s: %s must be true or"
			    " false, got '%s'", o->origin, o->key, o->value);
			return (-1);
		}
		config_setting_set_bool(s, strcmp(o->value, "true") == 0);
	} else if (type == ST_STRING || type == ST_ENUM) {
		config_setting_remove(parent, key);
		if ((s = config_setting_add(parent, key,
		    CONFIG_TYPE_STRING)) == NULL)
			goto bad_name;
		config_setting_set_string(s, o->value);
	} else {
		errno = 0;
		ll = strtoll(o->value, &end, 10);
		isint = errno == 0 && *o->value != '\0' && *end == '\0';
		d = strtod(o->value, &end);
		if (!isint && (*o->value == '\0' || *end != '\0')) {
			snprintf(c->err, c->errlen, "%s: %s must be a number,"
			    " got '%s'", o->origin, o->key, o->value);
			return (-1);
		}
		if (!isint && (isnan(d) || isinf(d))) {
			snprintf(c->err, c->errlen, "%s: %s must be a finite"
			    " number, got '%s'", o->origin, o->key, o->value);
			return (-1);
		}
		config_setting_remove(parent, key);
		s = config_setting_add(parent, key, isint ? CONFIG_TYPE_INT64 :
		    CONFIG_TYPE_FLOAT);
		if (s == NULL)
			goto bad_name;
		if (isint)
			config_setting_set_int64(s, ll);
		else
			config_setting_set_float(s, d);
	}
	config_setting_set_hook(s, (void *)(uintptr_t)o->origin);
	return (0);
bad_name:
	snprintf(c->err, c->errlen, "%s: '%s' is not a valid setting name",
	    o->origin, key);
	return (-1);
}

/* Does list entry e match a path component (its name, or its model)? */
static int
entry_matches(config_setting_t *e, const char *comp)
{
	const char	*v;

	if (config_setting_lookup_string(e, "name", &v) && strcmp(v, comp) == 0)
		return (1);
	if (config_setting_lookup_string(e, "model", &v) && strcmp(v, comp) == 0)
		return (1);
	return (0);
}

static int
apply_path(struct ctx *c, config_setting_t *g, const char *scope,
    char *path, const struct config_override *o)
{
	const char		*keys[CFG_KEYS_MAX];
	const char *const	*known = NULL;
	char			*dot = strchr(path, '.'), h[64];
	config_setting_t	*next;
	int			 matched = 0;

	if (dot != NULL)
		*dot = '\0';
	if (*path == '\0') {
		snprintf(c->err, c->errlen, "%s: malformed key '%s'",
		    o->origin, o->key);
		return (-1);
	}
	if (config_setting_type(g) == CONFIG_TYPE_LIST) {
		/* tasks.NAME.key or models.NAME.key: every matching entry. */
		for (int i = 0; dot != NULL && i < config_setting_length(g);
		    i++) {
			config_setting_t *e = config_setting_get_elem(g,
			    (unsigned)i);
			char *rest;

			if (!entry_matches(e, path))
				continue;
			rest = xstrdup(dot + 1);
			if (apply_path(c, e, scope, rest, o) != 0) {
				free(rest);
				return (-1);
			}
			free(rest);
			matched++;
		}
		if (matched == 0) {
			snprintf(c->err, c->errlen, "%s: no entry of %s is"
			    " named '%s'", o->origin, scope, path);
			return (-1);
		}
		return (0);
	}
	/* any name is a class; inside one, the class keys */
	if (scope == NULL || strcmp(scope, "classes") != 0)
		known = cfg_scope_keys(scope, keys, CFG_KEYS_MAX);
	if (known != NULL) {
		int ok = 0;

		for (const char *const *k = known; *k != NULL; k++)
			if (strcmp(*k, path) == 0)
				ok = 1;
		if (!ok) {
			cfg_hint(h, sizeof h, path, known);
			snprintf(c->err, c->errlen, "%s: unknown key '%s'%s",
			    o->origin, o->key, h);
			return (-1);
		}
	}
	if (dot == NULL)
		return (set_value(c, g, scope, path, o));
	next = config_setting_get_member(g, path);
	if (next == NULL) {
		if ((next = config_setting_add(g, path,
		    CONFIG_TYPE_GROUP)) == NULL) {
			snprintf(c->err, c->errlen, "%s: '%s' is not a valid"
			    " setting name", o->origin, path);
			return (-1);
		}
		config_setting_set_hook(next, (void *)(uintptr_t)o->origin);
	} else if (!config_setting_is_aggregate(next)) {
		if (strcmp(path, "workers") == 0) {
			/* workers = N shorthand: check N, make it a group. */
			int n = 0;

			if (cfg_workers_shorthand(c, g, &n) != 0)
				return (-1);
			config_setting_remove(g, path);
			next = config_setting_add(g, path, CONFIG_TYPE_GROUP);
			config_setting_set_int64(config_setting_add(next,
			    "count", CONFIG_TYPE_INT64), n);
		} else {
			snprintf(c->err, c->errlen, "%s: %s is not a group",
			    o->origin, path);
			return (-1);
		}
	}
	return (apply_path(c, next, scope == NULL ? path : "classes.*",
	    dot + 1, o));
}

static int
apply_overrides(struct ctx *c, config_t *cfg, const struct config_override *o,
    int n)
{
	for (int i = 0; i < n; i++) {
		char *path = xstrdup(o[i].key);
		int r = apply_path(c, config_root_setting(cfg), NULL, path, &o[i]);

		free(path);
		if (r != 0)
			return (-1);
	}
	return (0);
}

/* ---- Built-in defaults for the structured settings. ---- */

/*
 * The paper's time classes, task graph and the models (DESIGN.md section
 * 2), in the file syntax: what a config that leaves them out gets. They
 * are grafted onto the parsed tree before overrides, so --set can change
 * them and they pass through the same checks as a file.
 */
static const char builtin_text[] =
    "classes = {\n"
    "  short = { dist = \"normal\"; mean = 25.10; sd = 4.05; };\n"
    "  medium = { dist = \"normal\"; mean = 43.60; sd = 3.32; };\n"
    "  long = { dist = \"normal\"; mean = 80.40; sd = 4.75; };\n"
    "  local = { dist = \"choice\"; values = [3.0, 5.0]; };\n"
    "};\n"
    "tasks = (\n"
    "  { name = \"load\"; kind = \"async\"; class = \"short\"; },\n"
    "  { name = \"compute\"; kind = \"async\"; class = \"medium\";"
    " after = \"load\"; },\n"
    "  { name = \"push\"; kind = \"sync\"; after = \"compute\"; },\n"
    "  { name = \"update\"; kind = \"local\"; class = \"local\";"
    " after = \"push\"; },\n"
    "  { name = \"log\"; kind = \"local\"; class = \"local\";"
    " after = \"compute\"; },\n"
    "  { name = \"prefetch\"; kind = \"local\"; class = \"local\";"
    " after = \"compute\"; }\n"
    ");\n"
    /* each model's parameters default in its descriptor (model.h) */
    "models = ( { model = \"asp\"; }, { model = \"bsp\"; },"
    " { model = \"ssp\"; }, { model = \"dssp\"; },"
    " { model = \"quorum\"; }, { model = \"fastsync\"; } );\n";

/* Deep-copy src as a new child of parent. */
static void
copy_setting(config_setting_t *parent, const config_setting_t *src)
{
	int			 type = config_setting_type(src);
	config_setting_t	*d;

	d = config_setting_add(parent, config_setting_is_group(parent) ?
	    config_setting_name(src) : NULL, type);
	switch (type) {
	case CONFIG_TYPE_GROUP:
	case CONFIG_TYPE_LIST:
	case CONFIG_TYPE_ARRAY:
		for (int i = 0; i < config_setting_length(src); i++)
			copy_setting(d, config_setting_get_elem(src,
			    (unsigned)i));
		break;
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		config_setting_set_int64(d, config_setting_get_int64(src));
		break;
	case CONFIG_TYPE_FLOAT:
		config_setting_set_float(d, config_setting_get_float(src));
		break;
	case CONFIG_TYPE_STRING:
		config_setting_set_string(d, config_setting_get_string(src));
		break;
	case CONFIG_TYPE_BOOL:
		config_setting_set_bool(d, config_setting_get_bool(src));
		break;
	}
}

/* Add what the file left out: missing lists whole, missing classes. */
static void
graft_builtins(config_t *cfg)
{
	config_setting_t	*root = config_root_setting(cfg);
	config_setting_t	*def, *mine, *dc;
	config_t		 b;

	config_init(&b);
	if (config_read_string(&b, builtin_text) != CONFIG_TRUE)
		abort();	/* the built-in text is wrong: a bug */
	def = config_root_setting(&b);
	for (int i = 0; i < config_setting_length(def); i++) {
		dc = config_setting_get_elem(def, (unsigned)i);
		mine = config_setting_get_member(root, config_setting_name(dc));
		if (mine == NULL) {
			copy_setting(root, dc);
			continue;
		}
		if (strcmp(config_setting_name(dc), "classes") != 0 ||
		    !config_setting_is_group(mine))
			continue;
		for (int j = 0; j < config_setting_length(dc); j++) {
			config_setting_t *cl = config_setting_get_elem(dc,
			    (unsigned)j);

			if (config_setting_get_member(mine,
			    config_setting_name(cl)) == NULL)
				copy_setting(mine, cl);
		}
	}
	config_destroy(&b);
}

/* The file's tree, completed with the built-in defaults and overridden. */
int
cfg_prepare_tree(struct ctx *c, config_t *cfg, const struct config_override *o,
    int n)
{
	graft_builtins(cfg);
	return (apply_overrides(c, cfg, o, n));
}
