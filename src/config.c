/*
 * Configuration loading and validation. The file is read with libconfig,
 * --set overrides are applied to the parsed tree (so they are checked by
 * exactly the same code as the file), then every scope is walked: unknown
 * keys are refused with a suggestion, every value is type- and
 * range-checked, and the first problem becomes one message
 * "FILE:LINE: what is wrong" (or "--set KEY=VALUE: ...").
 */
#include <errno.h>
#include <libconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "xmalloc.h"

#define TIME_MAX_MS	1e9
#define WORKERS_MAX	10000000
#define ROUNDS_MAX	100000000

struct ctx {
	const char	*file;
	char		*err;
	size_t		 errlen;
};

/* Where a setting came from: FILE:LINE, or the override that made it. */
static void
cerr(struct ctx *c, const config_setting_t *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
cerr(struct ctx *c, const config_setting_t *s, const char *fmt, ...)
{
	char		 msg[512];
	const char	*origin = NULL;
	int		 line = 0;
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
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

static void
hint(char *buf, size_t len, const char *word, const char *const *known)
{
	const char	*s = config_suggest(word, known);

	if (s != NULL)
		snprintf(buf, len, " (did you mean '%s'?)", s);
	else
		buf[0] = '\0';
}

/* ---- The schema: every key of every scope. ---- */

static const char *const top_keys[] = {
	"seed", "rounds", "workers", "network", "classes", "tasks", "models",
	NULL
};
static const char *const worker_keys[] = {
	"count", "slow_fraction", "slow_offset_ms", NULL
};
static const char *const network_keys[] = { "push_ms", "pull_ms", NULL };
static const char *const class_keys[] = {
	"dist", "mean", "sd", "mean2", "sd2", "weight", "values", NULL
};
static const char *const task_keys[] = {
	"name", "kind", "class", "after", NULL
};
static const char *const model_keys[] = {
	"model", "name", "staleness", NULL
};
static const char *const dist_names[] = {
	"const", "normal", "mixture", "lognormal", "choice", NULL
};
static const char *const kind_names[] = { "async", "sync", "local", NULL };
static const char *const model_names[] = { "asp", "bsp", "ssp", NULL };

const char *
model_kind_name(enum model_kind k)
{
	return (model_names[k]);
}

int
model_kind_parse(const char *s, enum model_kind *out)
{
	for (int i = 0; model_names[i] != NULL; i++) {
		if (strcmp(s, model_names[i]) == 0) {
			*out = (enum model_kind)i;
			return (0);
		}
	}
	return (-1);
}

static int
check_keys(struct ctx *c, const config_setting_t *group, const char *prefix,
    const char *const *known)
{
	char	h[64];

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
			hint(h, sizeof h, name, known);
			cerr(c, s, "unknown key '%s%s'%s", prefix, name, h);
			return (-1);
		}
	}
	return (0);
}

/* ---- Typed getters with bounds. ---- */

static const char *
type_name(int type)
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

static int
get_int64(struct ctx *c, const config_setting_t *g, const char *prefix,
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
		cerr(c, s, "%s%s must be an integer, got %g", prefix, key,
		    config_setting_get_float(s));
		return (-1);
	default:
		cerr(c, s, "%s%s must be an integer, got %s", prefix, key,
		    type_name(config_setting_type(s)));
		return (-1);
	}
	if (v < min || v > max) {
		cerr(c, s, "%s%s must be in [%lld, %lld], got %lld", prefix, key,
		    min, max, v);
		return (-1);
	}
	*out = v;
	return (0);
}

static int
get_int(struct ctx *c, const config_setting_t *g, const char *prefix,
    const char *key, int min, int max, int *out)
{
	long long	v = *out;

	if (get_int64(c, g, prefix, key, min, max, &v) != 0)
		return (-1);
	*out = (int)v;
	return (0);
}

static int
number_of(const config_setting_t *s, double *out)
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
static int
check_range(struct ctx *c, const config_setting_t *s, const char *what,
    double v, double min, double max, int lo_open)
{
	if (isnan(v) || isinf(v)) {
		cerr(c, s, "%s must be a finite number, got %g", what, v);
		return (-1);
	}
	if (v > max || v < min || (lo_open && v == min)) {
		cerr(c, s, "%s must be in %c%g, %g], got %g", what,
		    lo_open ? '(' : '[', min, max, v);
		return (-1);
	}
	return (0);
}

static int
get_double(struct ctx *c, const config_setting_t *g, const char *prefix,
    const char *key, double min, double max, int lo_open, double *out)
{
	config_setting_t	*s;
	char			 what[192];
	double			 v;

	if (g == NULL || (s = config_setting_get_member(g, key)) == NULL)
		return (0);
	if (number_of(s, &v) != 0) {
		cerr(c, s, "%s%s must be a number, got %s", prefix, key,
		    type_name(config_setting_type(s)));
		return (-1);
	}
	snprintf(what, sizeof what, "%s%s", prefix, key);
	if (check_range(c, s, what, v, min, max, lo_open) != 0)
		return (-1);
	*out = v;
	return (0);
}

/* A string member: 1 found, 0 absent, -1 wrong type. */
static int
get_string(struct ctx *c, const config_setting_t *g, const char *prefix,
    const char *key, const char **out)
{
	config_setting_t	*s;

	if (g == NULL || (s = config_setting_get_member(g, key)) == NULL)
		return (0);
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		cerr(c, s, "%s%s must be a string, got %s", prefix, key,
		    type_name(config_setting_type(s)));
		return (-1);
	}
	*out = config_setting_get_string(s);
	return (1);
}

/* A string that must be one of known[]; returns its index. */
static int
get_enum(struct ctx *c, const config_setting_t *g, const char *prefix,
    const char *key, const char *const *known, int required, int *out)
{
	const char	*v = NULL;
	char		 h[64], list[128] = "";
	int		 r;

	if ((r = get_string(c, g, prefix, key, &v)) < 0)
		return (-1);
	if (r == 0) {
		if (!required)
			return (0);
		cerr(c, g, "%s%s is required", prefix, key);
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
	hint(h, sizeof h, v, known);
	cerr(c, config_setting_get_member(g, key),
	    "%s%s must be one of %s, got '%s'%s", prefix, key, list, v, h);
	return (-1);
}

static int
require_group(struct ctx *c, const config_setting_t *s, const char *what)
{
	if (s != NULL && !config_setting_is_group(s)) {
		cerr(c, s, "%s must be %s, got %s", what,
		    type_name(CONFIG_TYPE_GROUP),
		    type_name(config_setting_type(s)));
		return (-1);
	}
	return (0);
}

/* ---- Scopes. ---- */

static int
load_scalars(struct ctx *c, config_setting_t *root, struct fs_config *cf)
{
	config_setting_t	*w, *n;
	long long		 seed = (long long)cf->seed;

	if (check_keys(c, root, "", top_keys) != 0)
		return (-1);
	if (get_int64(c, root, "", "seed", 0, INT64_MAX, &seed) != 0 ||
	    get_int(c, root, "", "rounds", 1, ROUNDS_MAX, &cf->rounds) != 0)
		return (-1);
	cf->seed = (uint64_t)seed;

	w = config_setting_get_member(root, "workers");
	if (w != NULL && !config_setting_is_group(w)) {
		/* "workers = 20;" is a natural shorthand for the count. */
		if (get_int(c, root, "", "workers", 1, WORKERS_MAX,
		    &cf->workers) != 0)
			return (-1);
		w = NULL;
	}
	if (check_keys(c, w, "workers.", worker_keys) != 0 ||
	    get_int(c, w, "workers.", "count", 1, WORKERS_MAX,
	    &cf->workers) != 0 ||
	    get_double(c, w, "workers.", "slow_fraction", 0, 1, 0,
	    &cf->slow_fraction) != 0 ||
	    get_double(c, w, "workers.", "slow_offset_ms", 0, TIME_MAX_MS, 0,
	    &cf->slow_offset_ms) != 0)
		return (-1);

	n = config_setting_get_member(root, "network");
	if (require_group(c, n, "network") != 0 ||
	    check_keys(c, n, "network.", network_keys) != 0 ||
	    get_double(c, n, "network.", "push_ms", 0, TIME_MAX_MS, 0,
	    &cf->push_ms) != 0 ||
	    get_double(c, n, "network.", "pull_ms", 0, TIME_MAX_MS, 0,
	    &cf->pull_ms) != 0)
		return (-1);
	return (0);
}

static int
load_values(struct ctx *c, config_setting_t *g, const char *prefix,
    struct dist *d)
{
	config_setting_t	*a = config_setting_get_member(g, "values");
	char			 what[192];

	if (a == NULL) {
		cerr(c, g, "%svalues is required for dist 'choice'", prefix);
		return (-1);
	}
	if (!config_setting_is_aggregate(a) || config_setting_length(a) == 0) {
		cerr(c, a, "%svalues must be a non-empty array of times", prefix);
		return (-1);
	}
	d->nvalues = (size_t)config_setting_length(a);
	d->values = xreallocarray(NULL, d->nvalues, sizeof *d->values);
	for (size_t i = 0; i < d->nvalues; i++) {
		config_setting_t *e = config_setting_get_elem(a, (unsigned)i);

		snprintf(what, sizeof what, "%svalues[%zu]", prefix, i);
		if (number_of(e, &d->values[i]) != 0) {
			cerr(c, e, "%s must be a number", what);
			return (-1);
		}
		if (check_range(c, e, what, d->values[i], 0, TIME_MAX_MS,
		    0) != 0)
			return (-1);
	}
	return (0);
}

static int
load_dist(struct ctx *c, config_setting_t *g, const char *prefix,
    struct dist *d)
{
	int	kind = DIST_NORMAL;
	int	has_mean = config_setting_get_member(g, "mean") != NULL;

	if (check_keys(c, g, prefix, class_keys) != 0 ||
	    get_enum(c, g, prefix, "dist", dist_names, 0, &kind) != 0)
		return (-1);
	d->kind = (enum dist_kind)kind;
	if (get_double(c, g, prefix, "mean", 0, TIME_MAX_MS,
	    d->kind != DIST_CONST, &d->mean) != 0 ||
	    get_double(c, g, prefix, "sd", 0, TIME_MAX_MS, 0, &d->sd) != 0 ||
	    get_double(c, g, prefix, "mean2", 0, TIME_MAX_MS, 1,
	    &d->mean2) != 0 ||
	    get_double(c, g, prefix, "sd2", 0, TIME_MAX_MS, 0, &d->sd2) != 0 ||
	    get_double(c, g, prefix, "weight", 0, 1, 0, &d->weight) != 0)
		return (-1);
	switch (d->kind) {
	case DIST_CHOICE:
		return (load_values(c, g, prefix, d));
	case DIST_MIXTURE:
		if (config_setting_get_member(g, "mean2") == NULL) {
			cerr(c, g, "%smean2 is required for dist 'mixture'",
			    prefix);
			return (-1);
		}
		/* FALLTHROUGH */
	default:
		if (!has_mean) {
			cerr(c, g, "%smean is required for dist '%s'", prefix,
			    dist_kind_name(d->kind));
			return (-1);
		}
	}
	if (config_setting_get_member(g, "values") != NULL) {
		cerr(c, config_setting_get_member(g, "values"),
		    "%svalues applies to dist 'choice' only", prefix);
		return (-1);
	}
	dist_prepare(d);
	return (0);
}

static int
class_find(const struct fs_config *cf, const char *name)
{
	for (int i = 0; i < cf->nclasses; i++)
		if (strcmp(cf->classes[i].name, name) == 0)
			return (i);
	return (-1);
}

static struct time_class *
class_add(struct fs_config *cf, const char *name, int line)
{
	struct time_class	*tc;
	int			 i = class_find(cf, name);

	if (i >= 0) {
		tc = &cf->classes[i];
		dist_free(&tc->dist);
	} else {
		cf->classes = xreallocarray(cf->classes, (size_t)cf->nclasses + 1,
		    sizeof *cf->classes);
		tc = &cf->classes[cf->nclasses++];
		tc->name = xstrdup(name);
	}
	memset(&tc->dist, 0, sizeof tc->dist);
	tc->line = line;
	return (tc);
}

static int
load_classes(struct ctx *c, config_setting_t *root, struct fs_config *cf)
{
	config_setting_t	*g = config_setting_get_member(root, "classes");
	struct time_class	*tc;
	char			 prefix[128];

	if (require_group(c, g, "classes") != 0)
		return (-1);
	for (int i = 0; i < config_setting_length(g); i++) {
		config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(s);

		snprintf(prefix, sizeof prefix, "classes.%s.", name);
		if (!config_setting_is_group(s)) {
			cerr(c, s, "classes.%s must be a group { dist = ...; }",
			    name);
			return (-1);
		}
		tc = class_add(cf, name, config_setting_source_line(s));
		if (load_dist(c, s, prefix, &tc->dist) != 0)
			return (-1);
	}
	return (0);
}

static int
task_class(struct ctx *c, config_setting_t *t, const char *prefix,
    struct fs_config *cf, enum task_kind kind, int *cls)
{
	const char	*name = NULL;
	const char	*names[64];
	char		 h[64];
	int		 r, n = 0;

	if ((r = get_string(c, t, prefix, "class", &name)) < 0)
		return (-1);
	*cls = -1;
	if (kind == TASK_SYNC) {
		if (r == 1) {
			cerr(c, config_setting_get_member(t, "class"),
			    "%sclass: a sync task takes no time class (its"
			    " cost is network.push_ms and network.pull_ms)",
			    prefix);
			return (-1);
		}
		return (0);
	}
	if (r == 0) {
		cerr(c, t, "%sclass is required for a task of kind '%s'",
		    prefix, task_kind_name(kind));
		return (-1);
	}
	if ((*cls = class_find(cf, name)) >= 0)
		return (0);
	for (int i = 0; i < cf->nclasses && n < 63; i++)
		names[n++] = cf->classes[i].name;
	names[n] = NULL;
	hint(h, sizeof h, name, names);
	cerr(c, config_setting_get_member(t, "class"),
	    "%sclass '%s' is not defined in classes%s", prefix, name, h);
	return (-1);
}

static int
task_deps(struct ctx *c, config_setting_t *t, const char *prefix,
    struct dag *d, int k)
{
	config_setting_t	*a = config_setting_get_member(t, "after");

	if (a == NULL)
		return (0);
	if (config_setting_type(a) == CONFIG_TYPE_STRING) {
		dag_add_dep(d, k, config_setting_get_string(a));
		return (0);
	}
	if (!config_setting_is_aggregate(a)) {
		cerr(c, a, "%safter must be a task name or an array of names",
		    prefix);
		return (-1);
	}
	for (int i = 0; i < config_setting_length(a); i++) {
		config_setting_t *e = config_setting_get_elem(a, (unsigned)i);

		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			cerr(c, e, "%safter[%d] must be a task name", prefix, i);
			return (-1);
		}
		dag_add_dep(d, k, config_setting_get_string(e));
	}
	return (0);
}

static int
load_tasks(struct ctx *c, config_setting_t *root, struct fs_config *cf)
{
	config_setting_t	*l = config_setting_get_member(root, "tasks");
	char			 prefix[128], msg[256];
	int			 line;

	dag_init(&cf->dag);
	if (config_setting_type(l) != CONFIG_TYPE_LIST) {
		cerr(c, l, "tasks must be a list ( { name = ...; kind = ...; },"
		    " ... ), got %s", type_name(config_setting_type(l)));
		return (-1);
	}
	for (int i = 0; i < config_setting_length(l); i++) {
		config_setting_t *t = config_setting_get_elem(l, (unsigned)i);
		const char *name = NULL;
		int kind, cls, k;

		snprintf(prefix, sizeof prefix, "tasks[%d].", i);
		if (!config_setting_is_group(t)) {
			cerr(c, t, "tasks[%d] must be a group { name = ...; }", i);
			return (-1);
		}
		if (check_keys(c, t, prefix, task_keys) != 0 ||
		    get_string(c, t, prefix, "name", &name) < 0)
			return (-1);
		if (name == NULL || *name == '\0') {
			cerr(c, t, "%sname is required (a non-empty string)",
			    prefix);
			return (-1);
		}
		snprintf(prefix, sizeof prefix, "tasks.%s.", name);
		if (get_enum(c, t, prefix, "kind", kind_names, 1, &kind) != 0 ||
		    task_class(c, t, prefix, cf, (enum task_kind)kind,
		    &cls) != 0)
			return (-1);
		k = dag_add(&cf->dag, name, (enum task_kind)kind, cls,
		    config_setting_source_line(t));
		if (task_deps(c, t, prefix, &cf->dag, k) != 0)
			return (-1);
	}
	if (dag_finalize(&cf->dag, msg, sizeof msg, &line) != 0) {
		if (line > 0)
			snprintf(c->err, c->errlen, "%s:%d: %s", c->file, line,
			    msg);
		else
			cerr(c, l, "%s", msg);
		return (-1);
	}
	return (0);
}

static void
model_default_name(struct fs_config *cf, struct model_spec *m)
{
	int	same = 0;

	for (int i = 0; i < cf->nmodels; i++)
		same += cf->models[i].kind == m->kind;
	if (m->kind == MODEL_SSP && same > 1)
		snprintf(m->name, sizeof m->name, "ssp-%d", m->staleness);
	else
		snprintf(m->name, sizeof m->name, "%s", model_kind_name(m->kind));
}

static int
load_model(struct ctx *c, config_setting_t *g, int i, struct model_spec *m)
{
	const char	*name = NULL;
	char		 prefix[64];
	int		 kind, r;

	snprintf(prefix, sizeof prefix, "models[%d].", i);
	memset(m, 0, sizeof *m);
	m->staleness = 3;
	m->line = config_setting_source_line(g);
	if (!config_setting_is_group(g)) {
		cerr(c, g, "models[%d] must be a group { model = \"...\"; }", i);
		return (-1);
	}
	if (check_keys(c, g, prefix, model_keys) != 0 ||
	    get_enum(c, g, prefix, "model", model_names, 1, &kind) != 0)
		return (-1);
	m->kind = (enum model_kind)kind;
	if ((r = get_string(c, g, prefix, "name", &name)) < 0)
		return (-1);
	if (r == 1) {
		if (*name == '\0' || strlen(name) >= sizeof m->name ||
		    strcspn(name, ", \t\n") != strlen(name)) {
			cerr(c, config_setting_get_member(g, "name"),
			    "%sname must be 1 to %zu characters without commas"
			    " or spaces", prefix, sizeof m->name - 1);
			return (-1);
		}
		snprintf(m->name, sizeof m->name, "%s", name);
	}
	if (m->kind != MODEL_SSP &&
	    config_setting_get_member(g, "staleness") != NULL) {
		cerr(c, config_setting_get_member(g, "staleness"),
		    "%sstaleness applies to model 'ssp' only", prefix);
		return (-1);
	}
	return (get_int(c, g, prefix, "staleness", 0, ROUNDS_MAX,
	    &m->staleness));
}

static int
load_models(struct ctx *c, config_setting_t *root, struct fs_config *cf)
{
	config_setting_t	*l = config_setting_get_member(root, "models");
	int			 n;

	if (config_setting_type(l) != CONFIG_TYPE_LIST ||
	    (n = config_setting_length(l)) == 0) {
		cerr(c, l, "models must be a non-empty list ( { model ="
		    " \"bsp\"; }, ... )");
		return (-1);
	}
	cf->models = xcalloc((size_t)n, sizeof *cf->models);
	for (int i = 0; i < n; i++) {
		if (load_model(c, config_setting_get_elem(l, (unsigned)i), i,
		    &cf->models[i]) != 0)
			return (-1);
		cf->nmodels++;
	}
	for (int i = 0; i < n; i++) {
		if (cf->models[i].name[0] == '\0')
			model_default_name(cf, &cf->models[i]);
	}
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < i; j++) {
			if (strcmp(cf->models[i].name, cf->models[j].name) != 0)
				continue;
			cerr(c, config_setting_get_elem(l, (unsigned)i),
			    "models[%d]: two models are named '%s' (give each"
			    " a distinct name)", i, cf->models[i].name);
			return (-1);
		}
	}
	return (0);
}

/* ---- Overrides: --set KEY=VALUE applied to the parsed tree. ---- */

static const char *const *
scope_keys(const char *parent)
{
	if (parent == NULL)
		return (top_keys);
	if (strcmp(parent, "workers") == 0)
		return (worker_keys);
	if (strcmp(parent, "network") == 0)
		return (network_keys);
	if (strcmp(parent, "tasks") == 0)
		return (task_keys);
	if (strcmp(parent, "models") == 0)
		return (model_keys);
	if (strcmp(parent, "classes") == 0)
		return (NULL);		/* any class name */
	return (class_keys);		/* "classes.*": inside a class */
}

/* Keys whose values are strings, everything else being a number. */
static int
string_key(const char *key)
{
	static const char *const keys[] = {
		"dist", "name", "kind", "class", "after", "model", NULL
	};

	for (const char *const *k = keys; *k != NULL; k++)
		if (strcmp(*k, key) == 0)
			return (1);
	return (0);
}

static int
set_value(struct ctx *c, config_setting_t *parent, const char *key,
    const struct config_override *o)
{
	config_setting_t	*s;
	char			*end;
	double			 d;
	long long		 ll;
	int			 isint;

	if (string_key(key)) {
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
	const char *const	*known = scope_keys(scope);
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
	if (known != NULL) {
		int ok = 0;

		for (const char *const *k = known; *k != NULL; k++)
			if (strcmp(*k, path) == 0)
				ok = 1;
		if (!ok) {
			hint(h, sizeof h, path, known);
			snprintf(c->err, c->errlen, "%s: unknown key '%s'%s",
			    o->origin, o->key, h);
			return (-1);
		}
	}
	if (dot == NULL)
		return (set_value(c, g, path, o));
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

			if (get_int(c, g, "", "workers", 1, WORKERS_MAX,
			    &n) != 0)
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
    "models = ( { model = \"asp\"; }, { model = \"bsp\"; },"
    " { model = \"ssp\"; staleness = 3; } );\n";

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

/* ---- Entry points. ---- */

static void
config_defaults(struct fs_config *cf)
{
	memset(cf, 0, sizeof *cf);
	cf->seed = 42;
	cf->rounds = 200;
	cf->workers = 20;
	cf->slow_fraction = 0.5;
	cf->slow_offset_ms = 10.0;
	cf->push_ms = 1.0;
	cf->pull_ms = 1.0;
	dag_init(&cf->dag);
}

/*
 * Load FILE (NULL: the built-in defaults) with overrides. Returns 0, or -1
 * with a one-line message in err (without the program name); *cf is then
 * freed and zeroed.
 */
int
config_load(struct fs_config *cf, const char *file,
    const struct config_override *o, int no, char *err, size_t errlen)
{
	config_t	 cfg;
	struct ctx	 c = { file, err, errlen };
	config_setting_t *root;
	int		 r = -1;

	config_defaults(cf);
	config_init(&cfg);
	if (file == NULL) {
		/* No file: the built-in defaults, overrides still apply. */
		c.file = file = "(built-in defaults)";
		(void)config_read_string(&cfg, "");
	} else if (config_read_file(&cfg, file) != CONFIG_TRUE) {
		if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
			snprintf(err, errlen, "%s: cannot read: %s", file,
			    strerror(errno ? errno : ENOENT));
		else
			snprintf(err, errlen, "%s:%d: syntax error: %s",
			    config_error_file(&cfg) ? config_error_file(&cfg) :
			    file, config_error_line(&cfg),
			    config_error_text(&cfg));
		goto out;
	}
	cf->path = xstrdup(file);
	root = config_root_setting(&cfg);
	graft_builtins(&cfg);
	if (apply_overrides(&c, &cfg, o, no) != 0 ||
	    load_scalars(&c, root, cf) != 0 ||
	    load_classes(&c, root, cf) != 0 ||
	    load_tasks(&c, root, cf) != 0 ||
	    load_models(&c, root, cf) != 0)
		goto out;
	r = 0;
out:
	config_destroy(&cfg);
	if (r != 0) {
		config_free(cf);
		/* One line, whatever a quoted value held. */
		for (char *p = err; *p != '\0'; p++)
			if ((unsigned char)*p < 0x20)
				*p = '?';
	}
	return (r);
}

/*
 * Keep only the models a --model list names: "all", or comma-separated
 * kinds ("ssp" keeps every SSP entry) or entry names ("ssp-4").
 */
int
config_select_models(struct fs_config *cf, const char *list, char *err,
    size_t errlen)
{
	char			*copy, *tok, *save = NULL;
	char			 h[64];
	int			*keep = xcalloc((size_t)cf->nmodels, sizeof *keep);
	int			 n = 0, r = -1;
	struct model_spec	*m;

	if (strcmp(list, "all") == 0) {
		free(keep);
		return (0);
	}
	copy = xstrdup(list);
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		int found = 0;

		for (int i = 0; i < cf->nmodels; i++) {
			m = &cf->models[i];
			if (strcmp(m->name, tok) == 0 ||
			    strcmp(model_kind_name(m->kind), tok) == 0) {
				keep[i] = 1;
				found = 1;
			}
		}
		if (!found) {
			hint(h, sizeof h, tok, model_names);
			snprintf(err, errlen, "--model: '%s' is not a model of"
			    " %s%s", tok, cf->path, h);
			goto out;
		}
	}
	for (int i = 0; i < cf->nmodels; i++)
		if (keep[i])
			cf->models[n++] = cf->models[i];
	if (n == 0) {
		snprintf(err, errlen, "--model: no model selected");
		goto out;
	}
	cf->nmodels = n;
	r = 0;
out:
	free(copy);
	free(keep);
	return (r);
}

void
config_free(struct fs_config *cf)
{
	for (int i = 0; i < cf->nclasses; i++) {
		free(cf->classes[i].name);
		dist_free(&cf->classes[i].dist);
	}
	free(cf->classes);
	free(cf->models);
	free(cf->path);
	dag_free(&cf->dag);
	memset(cf, 0, sizeof *cf);
}
