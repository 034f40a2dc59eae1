/*
 * The models a config may name: the built-ins in enum model_kind order,
 * then any registered at run time. A config's "model", -m and "did you
 * mean" read this list; nothing else knows which models exist.
 */
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "setting.h"

#define MODEL_MAX	16

static const struct model_ops *models[MODEL_MAX] = {
	[MODEL_ASP] = &model_asp_ops,
	[MODEL_BSP] = &model_bsp_ops,
	[MODEL_SSP] = &model_ssp_ops,
	[MODEL_DSSP] = &model_dssp_ops,
	[MODEL_FASTSYNC] = &model_fastsync_ops,
	[MODEL_QUORUM] = &model_quorum_ops,
};
static int nmodels = MODEL_NKINDS;

int
model_count(void)
{
	return (nmodels);
}

const struct model_ops *
model_ops_for(enum model_kind k)
{
	return ((int)k >= 0 && (int)k < nmodels ? models[k] : NULL);
}

const char *
model_kind_name(enum model_kind k)
{
	return (models[k]->name);
}

/* The index of the model called name, or -1. */
int
model_find(const char *name)
{
	for (int i = 0; i < nmodels; i++)
		if (strcmp(models[i]->name, name) == 0)
			return (i);
	return (-1);
}

/* What the model would warn about its parameters here; 1 if anything. */
int
model_warning(const struct fs_config *cf, const struct model_spec *m,
    char *buf, size_t len)
{
	const struct model_ops	*ops = models[m->kind];

	buf[0] = '\0';
	return (ops->check != NULL && ops->check(cf, m, buf, len));
}

/*
 * The parameters that tell one entry of a model from another (the rows
 * flagged ST_LABEL) as "key value, ...", for views; "" if none.
 */
void
model_label(const struct model_spec *m, char *buf, size_t len)
{
	const struct model_ops	*ops = model_ops_for(m->kind);
	char			 v[64];
	size_t			 at;

	buf[0] = '\0';
	for (int i = 0; ops != NULL && i < ops->nparams; i++) {
		if (!(ops->params[i].flags & ST_LABEL))
			continue;
		setting_format(&ops->params[i], m, 0, v, sizeof v);
		at = strlen(buf);
		snprintf(buf + at, len - at, "%s%s %s", at ? ", " : "",
		    setting_name(&ops->params[i]), v);
	}
}

/*
 * Add a model (before any config naming it is loaded; not thread-safe).
 * Returns its kind, or -1 if the name is taken or the list is full.
 */
int
model_register(const struct model_ops *ops)
{
	if (nmodels == MODEL_MAX || model_find(ops->name) >= 0)
		return (-1);
	models[nmodels] = ops;
	return (nmodels++);
}
