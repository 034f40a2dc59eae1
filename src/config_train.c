/*
 * The train group: the network, the minibatch, the learning rate, how
 * the PS aggregates an update, where the data is (an IDX folder,
 * relative to the config file's folder) and how often the test set is
 * evaluated. Its rows are in config_table.c; see fastsync.conf(5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_priv.h"
#include "xmalloc.h"

/* train = { ... }: the table's rows; train.data is relative to the file. */
int
cfg_load_train(struct ctx *c, config_setting_t *root, struct fs_config *cf)
{
	config_setting_t	*g = config_setting_get_member(root, "train");
	char			*path;

	cf->ts.seed = cf->seed;
	if (g != NULL)
		cf->train_line = config_setting_source_line(g);
	if (cfg_require_group(c, g, "train") != 0 ||
	    cfg_check_keys(c, g, "train.", "train") != 0 ||
	    cfg_load_scope(c, g, "train.", "train", cf) != 0)
		return (-1);
	if (g == NULL || config_setting_get_member(g, "data") == NULL)
		return (0);
	if (*cf->train_data == '\0') {
		cfg_error(c, config_setting_get_member(g, "data"),
		    "train.data must be a folder of IDX files");
		return (-1);
	}
	path = cfg_relative(c, cf->train_data);
	free(cf->train_data);
	cf->train_data = path;
	return (0);
}
