/*
 * The models list: each entry's kind, name and parameters, every
 * parameter checked against the models it belongs to (DESIGN.md
 * section 3 for their meaning).
 */
#include <stdio.h>
#include <string.h>

#include "config_priv.h"
#include "model.h"
#include "xmalloc.h"

/*
 * An entry without a name is named after its model; when the model
 * appears more than once, also after its ST_LABEL parameters (ssp-3,
 * dssp-3-15, fastsync-0.7).
 */
static void
model_default_name(struct fs_config *cf, struct model_spec *m)
{
	const struct model_ops	*ops = model_ops_for(m->kind);
	char			 v[64];
	size_t			 at;
	int			 same = 0;

	for (int i = 0; i < cf->nmodels; i++)
		same += cf->models[i].kind == m->kind;
	snprintf(m->name, sizeof m->name, "%s", ops->name);
	for (int i = 0; same > 1 && i < ops->nparams; i++) {
		if (!(ops->params[i].flags & ST_LABEL))
			continue;
		setting_format(&ops->params[i], m, 0, v, sizeof v);
		at = strlen(m->name);
		snprintf(m->name + at, sizeof m->name - at, "-%s", v);
	}
}

/* Is key a parameter of ops? */
static int
model_has(const struct model_ops *ops, const char *key)
{
	for (int i = 0; i < ops->nparams; i++)
		if (strcmp(ops->params[i].key, key) == 0)
			return (1);
	return (0);
}

/* Refuse a parameter given to a model it does not belong to. */
static int
model_params_apply(struct ctx *c, config_setting_t *g, const char *prefix,
    enum model_kind kind)
{
	const struct model_ops	*ops;
	const char		*key;

	for (int i = 0; i < config_setting_length(g); i++) {
		config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		char owners[64] = "";

		key = config_setting_name(s);
		/* model and name are the table's, the rest a model's */
		if (setting_in_scope(cfg_option("models", key), "models") ||
		    model_has(model_ops_for(kind), key))
			continue;
		for (int k = 0; (ops = model_ops_for((enum model_kind)k)) !=
		    NULL; k++) {
			if (model_has(ops, key))
				snprintf(owners + strlen(owners), sizeof owners -
				    strlen(owners), "%s'%s'", owners[0] ? " or " :
				    "", ops->name);
		}
		cfg_error(c, cfg_blame(s, config_setting_get_member(g, "model")),
		    "%s%s applies to model %s only", prefix, key, owners);
		return (-1);
	}
	return (0);
}

static int
load_model(struct ctx *c, config_setting_t *g, int i, struct model_spec *m)
{
	const struct model_ops	*ops;
	const char		*name = NULL, *names[CFG_KEYS_MAX], *at = NULL;
	char			 prefix[64], msg[256];
	int			 kind, r;

	snprintf(prefix, sizeof prefix, "models[%d].", i);
	memset(m, 0, sizeof *m);
	m->line = config_setting_source_line(g);
	if (!config_setting_is_group(g)) {
		cfg_error(c, g, "models[%d] must be a group { model = \"...\"; }", i);
		return (-1);
	}
	if (cfg_check_keys(c, g, prefix, "models") != 0 ||
	    cfg_get_enum(c, g, prefix, "model", cfg_model_names(names,
	    CFG_KEYS_MAX), 1, &kind) != 0)
		return (-1);
	m->kind = (enum model_kind)kind;
	ops = model_ops_for(m->kind);
	if ((r = cfg_get_string(c, g, prefix, "name", &name)) < 0)
		return (-1);
	if (r == 1) {
		if (*name == '\0' || strlen(name) >= sizeof m->name ||
		    strcspn(name, ", \t\n") != strlen(name)) {
			cfg_error(c, config_setting_get_member(g, "name"),
			    "%sname must be 1 to %zu characters without commas"
			    " or spaces", prefix, sizeof m->name - 1);
			return (-1);
		}
		snprintf(m->name, sizeof m->name, "%s", name);
	}
	if (model_params_apply(c, g, prefix, m->kind) != 0)
		return (-1);
	for (int k = 0; k < ops->nparams; k++) {
		setting_set_default(&ops->params[k], m);
		if (cfg_get_option(c, g, prefix, &ops->params[k], m) != 0)
			return (-1);
	}
	if (ops->validate != NULL &&
	    ops->validate(m, msg, sizeof msg, &at) != 0) {
		const config_setting_t *s = at != NULL ?
		    config_setting_get_member(g, at) : NULL;

		/* parameters at odds: a --set of any of them made it so */
		for (int k = 0; k < ops->nparams; k++)
			s = cfg_blame(s != NULL ? s : g,
			    config_setting_get_member(g, ops->params[k].key));
		cfg_error(c, s != NULL ? s : g, "%s%s", prefix, msg);
		return (-1);
	}
	return (0);
}

/* models = ( { model = "..."; ... }, ... ): every entry, uniquely named. */
int
cfg_load_models(struct ctx *c, config_setting_t *root, struct fs_config *cf)
{
	config_setting_t	*l = config_setting_get_member(root, "models");
	int			 n;

	if (config_setting_type(l) != CONFIG_TYPE_LIST ||
	    (n = config_setting_length(l)) == 0) {
		cfg_error(c, l, "models must be a non-empty list ( { model ="
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
			cfg_error(c, config_setting_get_elem(l, (unsigned)i),
			    "models[%d]: two models are named '%s' (give each"
			    " a distinct name)", i, cf->models[i].name);
			return (-1);
		}
	}
	return (0);
}
