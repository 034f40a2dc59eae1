/*
 * Configuration loading and validation. The file is read with libconfig,
 * completed with the built-in defaults and the --set overrides
 * (config_tree.c), then every scope is walked: unknown keys are refused
 * with a suggestion, every value is type- and range-checked against its
 * row of the settings table (config_table.c, config_value.c), and the
 * first problem becomes one message
 * "FILE:LINE: what is wrong" (or "--set KEY=VALUE: ...").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config_priv.h"
#include "text.h"
#include "xmalloc.h"

/* ---- Scopes. ---- */

/* record = { db = "FILE"; events = true; } */
static int
load_record(struct ctx *c, config_setting_t *g, struct fs_config *cf)
{
	if (g == NULL)
		return (0);
	if (cfg_require_group(c, g, "record") != 0 ||
	    cfg_check_keys(c, g, "record.", "record") != 0 ||
	    cfg_load_scope(c, g, "record.", "record", cf) != 0)
		return (-1);
	if (cf->record_db != NULL && *cf->record_db == '\0') {
		cfg_error(c, config_setting_get_member(g, "db"),
		    "record.db must be a file name");
		return (-1);
	}
	return (0);
}

/* "workers = 20;", a natural shorthand for the count: its range. */
int
cfg_workers_shorthand(struct ctx *c, const config_setting_t *root, int *out)
{
	const struct setting	*count = cfg_option("workers", "count");

	return (cfg_get_int(c, root, "", "workers", (int)count->lo,
	    (int)count->hi, out));
}

static int
load_scalars(struct ctx *c, config_setting_t *root, struct fs_config *cf)
{
	config_setting_t	*w, *n;

	if (cfg_check_keys(c, root, "", NULL) != 0 ||
	    cfg_load_scope(c, root, "", NULL, cf) != 0)
		return (-1);

	w = config_setting_get_member(root, "workers");
	if (w != NULL && !config_setting_is_group(w)) {
		if (cfg_workers_shorthand(c, root, &cf->workers) != 0)
			return (-1);
		w = NULL;
	}
	if (cfg_check_keys(c, w, "workers.", "workers") != 0 ||
	    cfg_load_scope(c, w, "workers.", "workers", cf) != 0)
		return (-1);
	if (cf->workers_min > cf->workers) {
		cfg_error(c, config_setting_get_member(w, "min"), "workers.min"
		    " (%d) must be at most workers.count (%d)", cf->workers_min,
		    cf->workers);
		return (-1);
	}

	if (load_record(c, config_setting_get_member(root, "record"), cf) != 0)
		return (-1);
	n = config_setting_get_member(root, "network");
	if (cfg_require_group(c, n, "network") != 0 ||
	    cfg_check_keys(c, n, "network.", "network") != 0 ||
	    cfg_load_scope(c, n, "network.", "network", cf) != 0)
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
		cfg_error(c, g, "%svalues is required for dist 'choice'", prefix);
		return (-1);
	}
	if (!config_setting_is_aggregate(a) || config_setting_length(a) == 0) {
		cfg_error(c, a, "%svalues must be a non-empty array of times", prefix);
		return (-1);
	}
	d->nvalues = (size_t)config_setting_length(a);
	d->values = xreallocarray(NULL, d->nvalues, sizeof *d->values);
	for (size_t i = 0; i < d->nvalues; i++) {
		config_setting_t *e = config_setting_get_elem(a, (unsigned)i);

		snprintf(what, sizeof what, "%svalues[%zu]", prefix, i);
		if (cfg_number(e, &d->values[i]) != 0) {
			cfg_error(c, e, "%s must be a number", what);
			return (-1);
		}
		if (cfg_check_range(c, e, what, d->values[i], 0, TIME_MAX_MS,
		    0) != 0)
			return (-1);
	}
	return (0);
}

/* The index of "trace" in cfg_dist_names: not a struct dist kind. */
#define DIST_NAME_TRACE	5

static int
load_dist(struct ctx *c, config_setting_t *g, const char *prefix,
    struct time_class *tc)
{
	const struct setting	*mean = cfg_option("classes.*", "mean");
	struct dist		*d = &tc->dist;
	int			 kind = DIST_NORMAL;
	int			 has_mean = config_setting_get_member(g,
				    "mean") != NULL;

	if (cfg_check_keys(c, g, prefix, "classes.*") != 0 ||
	    cfg_get_enum(c, g, prefix, "dist", cfg_dist_names, 0, &kind) != 0)
		return (-1);
	if (kind == DIST_NAME_TRACE)
		return (cfg_load_trace_class(c, g, prefix, tc));
	for (const char *k = "files\0scale\0mode\0"; *k != '\0';
	    k += strlen(k) + 1) {
		if (config_setting_get_member(g, k) != NULL) {
			cfg_error(c, cfg_blame(config_setting_get_member(g,
			    k), config_setting_get_member(g, "dist")),
			    "%s%s applies to dist 'trace' only", prefix, k);
			return (-1);
		}
	}
	d->kind = (enum dist_kind)kind;
	/* a const time may be 0 */
	if (cfg_get_double(c, g, prefix, "mean", mean->min, mean->max,
	    d->kind != DIST_CONST, &d->mean) != 0 ||
	    cfg_load_scope(c, g, prefix, "classes.*", d) != 0)
		return (-1);
	switch (d->kind) {
	case DIST_CHOICE:
		return (load_values(c, g, prefix, d));
	case DIST_MIXTURE:
		if (config_setting_get_member(g, "mean2") == NULL) {
			cfg_error(c, g, "%smean2 is required for dist 'mixture'",
			    prefix);
			return (-1);
		}
		__attribute__((fallthrough));
	default:
		if (!has_mean) {
			cfg_error(c, g, "%smean is required for dist '%s'", prefix,
			    dist_kind_name(d->kind));
			return (-1);
		}
	}
	if (config_setting_get_member(g, "values") != NULL) {
		cfg_error(c, config_setting_get_member(g, "values"),
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
		cfg_free_traces(tc);
	} else {
		cf->classes = xreallocarray(cf->classes, (size_t)cf->nclasses + 1,
		    sizeof *cf->classes);
		tc = &cf->classes[cf->nclasses++];
		tc->name = xstrdup(name);
	}
	memset(&tc->dist, 0, sizeof tc->dist);
	tc->traces = NULL;
	tc->ntraces = 0;
	tc->replay = 0;
	tc->line = line;
	return (tc);
}

static int
load_classes(struct ctx *c, config_setting_t *root, struct fs_config *cf)
{
	config_setting_t	*g = config_setting_get_member(root, "classes");
	struct time_class	*tc;
	char			 prefix[128];

	if (cfg_require_group(c, g, "classes") != 0)
		return (-1);
	for (int i = 0; i < config_setting_length(g); i++) {
		config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(s);

		snprintf(prefix, sizeof prefix, "classes.%s.", name);
		if (!config_setting_is_group(s)) {
			cfg_error(c, s, "classes.%s must be a group { dist = ...; }",
			    name);
			return (-1);
		}
		tc = class_add(cf, name, config_setting_source_line(s));
		if (load_dist(c, s, prefix, tc) != 0)
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
	char		 h[64], tok[TEXT_TOKEN];
	int		 r, n = 0;

	if ((r = cfg_get_string(c, t, prefix, "class", &name)) < 0)
		return (-1);
	*cls = -1;
	if (kind == TASK_SYNC) {
		if (r == 1) {
			cfg_error(c, cfg_blame(config_setting_get_member(t,
			    "class"), config_setting_get_member(t, "kind")),
			    "%sclass: a sync task takes no time class (its"
			    " cost is network.push_ms and network.pull_ms)",
			    prefix);
			return (-1);
		}
		return (0);
	}
	if (r == 0) {
		cfg_error(c, t, "%sclass is required for a task of kind '%s'",
		    prefix, task_kind_name(kind));
		return (-1);
	}
	if ((*cls = class_find(cf, name)) >= 0)
		return (0);
	for (int i = 0; i < cf->nclasses && n < 63; i++)
		names[n++] = cf->classes[i].name;
	names[n] = NULL;
	cfg_hint(h, sizeof h, name, names);
	cfg_error(c, config_setting_get_member(t, "class"),
	    "%sclass '%s' is not defined in classes%s", prefix,
	    text_token(tok, sizeof tok, name, strlen(name)), h);
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
		cfg_error(c, a, "%safter must be a task name or an array of names",
		    prefix);
		return (-1);
	}
	for (int i = 0; i < config_setting_length(a); i++) {
		config_setting_t *e = config_setting_get_elem(a, (unsigned)i);

		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			cfg_error(c, e, "%safter[%d] must be a task name", prefix, i);
			return (-1);
		}
		dag_add_dep(d, k, config_setting_get_string(e));
	}
	return (0);
}

/*
 * The --set behind a task graph's mistake found at a task's line (a
 * cycle, an unknown or self dependency): that task's name or after, else
 * any task's (a renamed task leaves another's after dangling); NULL if
 * the graph is the file's.
 */
static const config_setting_t *
graph_override(const config_setting_t *l, int line)
{
	const config_setting_t	*any = NULL;

	for (int i = 0; i < config_setting_length(l); i++) {
		config_setting_t *t = config_setting_get_elem(l, (unsigned)i);

		for (const char *k = "name\0after\0"; *k != '\0';
		    k += strlen(k) + 1) {
			config_setting_t *m = config_setting_get_member(t, k);

			if (m == NULL || cfg_blame(t, m) == t)
				continue;
			if (config_setting_source_line(t) == (unsigned)line)
				return (m);
			if (any == NULL)
				any = m;
		}
	}
	return (any);
}

static int
load_tasks(struct ctx *c, config_setting_t *root, struct fs_config *cf)
{
	config_setting_t	*l = config_setting_get_member(root, "tasks");
	char			 prefix[128], msg[256];
	int			 line;

	dag_init(&cf->dag);
	if (config_setting_type(l) != CONFIG_TYPE_LIST) {
		cfg_error(c, l, "tasks must be a list ( { name = ...; kind = ...; },"
		    " ... ), got %s", cfg_type_name(config_setting_type(l)));
		return (-1);
	}
	for (int i = 0; i < config_setting_length(l); i++) {
		config_setting_t *t = config_setting_get_elem(l, (unsigned)i);
		const char *name = NULL;
		int kind, cls, k;

		snprintf(prefix, sizeof prefix, "tasks[%d].", i);
		if (!config_setting_is_group(t)) {
			cfg_error(c, t, "tasks[%d] must be a group { name = ...; }", i);
			return (-1);
		}
		if (cfg_check_keys(c, t, prefix, "tasks") != 0 ||
		    cfg_get_string(c, t, prefix, "name", &name) < 0)
			return (-1);
		if (name == NULL || *name == '\0') {
			cfg_error(c, t, "%sname is required (a non-empty string)",
			    prefix);
			return (-1);
		}
		snprintf(prefix, sizeof prefix, "tasks.%s.", name);
		if (cfg_get_enum(c, t, prefix, "kind", cfg_kind_names, 1, &kind) != 0 ||
		    task_class(c, t, prefix, cf, (enum task_kind)kind,
		    &cls) != 0)
			return (-1);
		k = dag_add(&cf->dag, name, (enum task_kind)kind, cls,
		    config_setting_source_line(t));
		if (task_deps(c, t, prefix, &cf->dag, k) != 0)
			return (-1);
	}
	if (dag_finalize(&cf->dag, msg, sizeof msg, &line) != 0) {
		const config_setting_t *o = graph_override(l, line);

		if (o != NULL)
			cfg_error(c, o, "%s", msg);
		else if (line > 0)
			snprintf(c->err, c->errlen, "%s:%d: %s", c->file, line,
			    msg);
		else
			cfg_error(c, l, "%s", msg);
		return (-1);
	}
	return (0);
}

/*
 * A class no task uses, named like one that exists, is a typo: the user
 * meant to change that one ("shrot" for "short"). Unused classes with
 * names of their own are kept for later use.
 */
static int
check_unused_classes(struct ctx *c, config_setting_t *root,
    const struct fs_config *cf)
{
	config_setting_t	*g = config_setting_get_member(root, "classes");
	const char		*names[DAG_MAX_TASKS + 8];
	char			 h[64];
	int			 n = 0;

	for (int i = 0; i < cf->nclasses && n < DAG_MAX_TASKS + 4; i++) {
		for (int t = 0; t < cf->dag.n; t++) {
			if (cf->dag.tasks[t].cls == i) {
				names[n++] = cf->classes[i].name;
				break;
			}
		}
	}
	names[n++] = "short";
	names[n++] = "medium";
	names[n++] = "long";
	names[n++] = "local";
	names[n] = NULL;
	for (int i = 0; g != NULL && i < config_setting_length(g); i++) {
		config_setting_t *cl = config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(cl);
		int used = 0;

		for (int k = 0; names[k] != NULL; k++)
			used |= strcmp(names[k], name) == 0;
		if (used)
			continue;
		cfg_hint(h, sizeof h, name, names);
		if (h[0] == '\0')
			continue;
		cfg_error(c, cl, "classes.%s is not used by any task%s", name,
		    h);
		return (-1);
	}
	return (0);
}

/* ---- Entry points. ---- */

static void
config_defaults(struct fs_config *cf)
{
	memset(cf, 0, sizeof *cf);
	cfg_defaults(cf);
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
	struct stat	 sb;
	config_setting_t *root;
	int		 r = -1;

	config_defaults(cf);
	config_init(&cfg);
	if (file == NULL) {
		/* No file: the built-in defaults, overrides still apply. */
		c.file = file = "(built-in defaults)";
		(void)config_read_string(&cfg, "");
	} else if (stat(file, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "%s: is a directory, not a config file",
		    file);
		goto out;
	} else if (cfg_read_file(&cfg, file) != 0) {
		if (config_error_type(&cfg) != CONFIG_ERR_PARSE)
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
	if (cfg_prepare_tree(&c, &cfg, o, no) != 0 ||
	    load_scalars(&c, root, cf) != 0 ||
	    load_classes(&c, root, cf) != 0 ||
	    load_tasks(&c, root, cf) != 0 ||
	    check_unused_classes(&c, root, cf) != 0 ||
	    cfg_load_models(&c, root, cf) != 0 ||
	    cfg_load_train(&c, root, cf) != 0)
		goto out;
	r = 0;
out:
	config_destroy(&cfg);
	if (r != 0) {
		config_free(cf);
		/* one line, whatever a quoted value held */
		text_safe_msg(err, errlen);
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
	const char		*names[CFG_KEYS_MAX];
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
			cfg_hint(h, sizeof h, tok, cfg_model_names(names,
			    CFG_KEYS_MAX));
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
		cfg_free_traces(&cf->classes[i]);
	}
	free(cf->classes);
	free(cf->models);
	free(cf->path);
	free(cf->record_db);
	free(cf->train_data);
	dag_free(&cf->dag);
	memset(cf, 0, sizeof *cf);
}
