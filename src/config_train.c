/*
 * workload = "timing" | "train", and the train group: the network, the
 * minibatch, the learning rate, how the PS aggregates an update, where
 * the data is (an IDX folder, relative to the config file's folder) and
 * how often the test set is evaluated. See fastsync.conf(5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_priv.h"
#include "xmalloc.h"

#define DEFAULT_DATA	"/usr/share/datasets/fashion-mnist"

static const char *const workloads[] = { "timing", "train", NULL };
static const char *const networks[] = { "softmax", "mlp", "cnn", NULL };
static const char *const aggregates[] = { "sum", "mean", NULL };

int
cfg_load_train(struct ctx *c, config_setting_t *root, struct fs_config *cf)
{
	config_setting_t	*g = config_setting_get_member(root, "train");
	struct train_spec	*ts = &cf->ts;
	const char		*data = NULL;
	int			 net = NN_CNN, agg = 1;

	ts->net = NN_CNN;
	ts->hidden = 64;
	ts->filters = 8;
	ts->batch = 16;
	ts->lr = 0.05;
	ts->mean = 1;
	ts->eval_every = 10;
	ts->eval_samples = 2000;
	ts->target = 0.8;
	ts->seed = cf->seed;
	if (cfg_get_enum(c, root, "", "workload", workloads, 0,
	    &cf->train) != 0)
		return (-1);
	if (g != NULL)
		cf->train_line = config_setting_source_line(g);
	if (cfg_require_group(c, g, "train") != 0 ||
	    cfg_check_keys(c, g, "train.", cfg_train_keys) != 0 ||
	    cfg_get_enum(c, g, "train.", "network", networks, 0, &net) != 0 ||
	    cfg_get_enum(c, g, "train.", "aggregate", aggregates, 0,
	    &agg) != 0 ||
	    cfg_get_int(c, g, "train.", "hidden", 1, 4096, &ts->hidden) != 0 ||
	    cfg_get_int(c, g, "train.", "filters", 1, 4096,
	    &ts->filters) != 0 ||
	    cfg_get_int(c, g, "train.", "batch", 1, 65536, &ts->batch) != 0 ||
	    cfg_get_double(c, g, "train.", "learning_rate", 0, 1e6, 1,
	    &ts->lr) != 0 ||
	    cfg_get_int(c, g, "train.", "eval_every", 1, ROUNDS_MAX,
	    &ts->eval_every) != 0 ||
	    cfg_get_int(c, g, "train.", "eval_samples", 0, 100000000,
	    &ts->eval_samples) != 0 ||
	    cfg_get_double(c, g, "train.", "target", 0, 1, 1,
	    &ts->target) != 0 ||
	    cfg_get_string(c, g, "train.", "data", &data) < 0)
		return (-1);
	ts->net = (enum nn_kind)net;
	ts->mean = agg == 1;
	if (data != NULL && *data == '\0') {
		cfg_error(c, config_setting_get_member(g, "data"),
		    "train.data must be a folder of IDX files");
		return (-1);
	}
	cf->train_data = data != NULL ? cfg_relative(c, data) :
	    xstrdup(DEFAULT_DATA);
	return (0);
}
