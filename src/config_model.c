/*
 * The models list: each entry's kind, name and parameters, every
 * parameter checked against the models it belongs to (DESIGN.md
 * section 3 for their meaning).
 */
#include <stdio.h>
#include <string.h>

#include "config_priv.h"
#include "xmalloc.h"

static void
model_default_name(struct fs_config *cf, struct model_spec *m)
{
	int	same = 0;

	for (int i = 0; i < cf->nmodels; i++)
		same += cf->models[i].kind == m->kind;
	if (m->kind == MODEL_SSP && same > 1)
		snprintf(m->name, sizeof m->name, "ssp-%d", m->staleness);
	else if (m->kind == MODEL_DSSP && same > 1)
		snprintf(m->name, sizeof m->name, "dssp-%d-%d", m->s_low,
		    m->s_high);
	else if ((m->kind == MODEL_FASTSYNC || m->kind == MODEL_QUORUM) &&
	    same > 1)
		snprintf(m->name, sizeof m->name, "%s-%g",
		    model_kind_name(m->kind), m->quorum);
	else
		snprintf(m->name, sizeof m->name, "%s", model_kind_name(m->kind));
}

/* Which model kinds each parameter belongs to (DESIGN.md section 3). */
static const struct {
	const char	*key;
	unsigned	 kinds;
} model_params[] = {
	{ "staleness", 1u << MODEL_SSP },
	{ "s_low", 1u << MODEL_DSSP },
	{ "s_high", 1u << MODEL_DSSP },
	{ "quorum", 1u << MODEL_FASTSYNC | 1u << MODEL_QUORUM },
	{ "rounding", 1u << MODEL_QUORUM },
	{ "cluster_every", 1u << MODEL_FASTSYNC },
	{ "eps", 1u << MODEL_FASTSYNC },
	{ "min_points", 1u << MODEL_FASTSYNC },
	{ "clustering", 1u << MODEL_FASTSYNC },
	{ "late_gradients", 1u << MODEL_FASTSYNC | 1u << MODEL_QUORUM },
	{ "reconfig_ms", 1u << MODEL_FASTSYNC },
};

static const char *const clustering_names[] = { "dbscan", "kmeans", NULL };
static const char *const late_names[] = { "defer", "drop", NULL };
static const char *const rounding_names[] = { "ceil", "round", NULL };

/* Refuse a parameter given to a model it does not belong to. */
static int
model_params_apply(struct ctx *c, config_setting_t *g, const char *prefix,
    enum model_kind kind)
{
	for (size_t i = 0; i < sizeof model_params / sizeof model_params[0];
	    i++) {
		config_setting_t *s = config_setting_get_member(g,
		    model_params[i].key);
		char owners[64] = "";

		if (s == NULL || (model_params[i].kinds & (1u << kind)))
			continue;
		for (int k = 0; k < MODEL_NKINDS; k++) {
			if (!(model_params[i].kinds & (1u << k)))
				continue;
			snprintf(owners + strlen(owners), sizeof owners -
			    strlen(owners), "%s'%s'", owners[0] ? " or " : "",
			    model_kind_name((enum model_kind)k));
		}
		cfg_error(c, s, "%s%s applies to model %s only", prefix,
		    model_params[i].key, owners);
		return (-1);
	}
	return (0);
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
	m->s_low = 3;
	m->s_high = 15;
	m->quorum = 0.7;
	m->cluster_every = 5;
	m->eps = 2.0;
	m->min_points = 3;
	m->reconfig_ms = 20.0;
	m->line = config_setting_source_line(g);
	if (!config_setting_is_group(g)) {
		cfg_error(c, g, "models[%d] must be a group { model = \"...\"; }", i);
		return (-1);
	}
	if (cfg_check_keys(c, g, prefix, cfg_model_keys) != 0 ||
	    cfg_get_enum(c, g, prefix, "model", cfg_model_names, 1, &kind) != 0)
		return (-1);
	m->kind = (enum model_kind)kind;
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
	if (cfg_get_int(c, g, prefix, "staleness", 0, ROUNDS_MAX,
	    &m->staleness) != 0 ||
	    cfg_get_int(c, g, prefix, "s_low", 0, ROUNDS_MAX, &m->s_low) != 0 ||
	    cfg_get_int(c, g, prefix, "s_high", 0, ROUNDS_MAX, &m->s_high) != 0)
		return (-1);
	if (cfg_get_double(c, g, prefix, "quorum", 0, 1, 1, &m->quorum) != 0 ||
	    cfg_get_int(c, g, prefix, "cluster_every", 1, ROUNDS_MAX,
	    &m->cluster_every) != 0 ||
	    cfg_get_double(c, g, prefix, "eps", 0, TIME_MAX_MS, 0,
	    &m->eps) != 0 ||
	    cfg_get_int(c, g, prefix, "min_points", 1, WORKERS_MAX,
	    &m->min_points) != 0 ||
	    cfg_get_enum(c, g, prefix, "clustering", clustering_names, 0,
	    &m->kmeans) != 0 ||
	    cfg_get_enum(c, g, prefix, "late_gradients", late_names, 0,
	    &m->drop_late) != 0 ||
	    cfg_get_enum(c, g, prefix, "rounding", rounding_names, 0,
	    &m->round_half) != 0 ||
	    cfg_get_double(c, g, prefix, "reconfig_ms", 0, TIME_MAX_MS, 0,
	    &m->reconfig_ms) != 0)
		return (-1);
	if (m->s_high < m->s_low) {
		cfg_error(c, config_setting_get_member(g, "s_high") ?
		    config_setting_get_member(g, "s_high") : g,
		    "%ss_high (%d) must be at least s_low (%d)", prefix,
		    m->s_high, m->s_low);
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
