/*
 * Private to the config_*.c files: the error context, the settings
 * table's lookups and the typed, bounded getters every scope is read with.
 */
#ifndef FS_CONFIG_PRIV_H
#define FS_CONFIG_PRIV_H

#include <libconfig.h>
#include <stddef.h>

#include "config.h"

/* Where messages go, and the file name they start with. */
struct ctx {
	const char	*file;
	char		*err;
	size_t		 errlen;
};

#define CFG_KEYS_MAX	64

extern const char *const cfg_dist_names[];
extern const char *const cfg_kind_names[];

/* config_table.c: the settings table's lookups. */
const struct setting	*cfg_option(const char *, const char *);
const char *const	*cfg_scope_keys(const char *, const char **, int);
void			 cfg_defaults(struct fs_config *);
const char *const	*cfg_model_names(const char **, int);

void		 cfg_error(struct ctx *, const config_setting_t *, const char *,
		    ...) __attribute__((format(printf, 3, 4)));
void		 cfg_hint(char *, size_t, const char *, const char *const *);
const config_setting_t *cfg_blame(const config_setting_t *,
		    const config_setting_t *);
int		 cfg_check_keys(struct ctx *, const config_setting_t *,
		    const char *, const char *);
const char	*cfg_type_name(int);
int		 cfg_number(const config_setting_t *, double *);
int		 cfg_check_range(struct ctx *, const config_setting_t *,
		    const char *, double, double, double, int);
int		 cfg_get_int64(struct ctx *, const config_setting_t *,
		    const char *, const char *, long long, long long,
		    long long *);
int		 cfg_get_int(struct ctx *, const config_setting_t *,
		    const char *, const char *, int, int, int *);
int		 cfg_get_double(struct ctx *, const config_setting_t *,
		    const char *, const char *, double, double, int, double *);
int		 cfg_get_string(struct ctx *, const config_setting_t *,
		    const char *, const char *, const char **);
int		 cfg_get_enum(struct ctx *, const config_setting_t *,
		    const char *, const char *, const char *const *, int, int *);
int		 cfg_get_option(struct ctx *, const config_setting_t *,
		    const char *, const struct setting *, void *);
int		 cfg_load_scope(struct ctx *, const config_setting_t *,
		    const char *, const char *, void *);
int		 cfg_require_group(struct ctx *, const config_setting_t *,
		    const char *);
char		*cfg_relative(const struct ctx *, const char *);

int		 cfg_workers_shorthand(struct ctx *, const config_setting_t *,
		    int *);

/* config_read.c: the file, integers read as written. */
int		 cfg_read_file(config_t *, const char *);

/* config_model.c: the models list. */
int		 cfg_load_models(struct ctx *, config_setting_t *,
		    struct fs_config *);

/* config_train.c: workload and train.*. */
int		 cfg_load_train(struct ctx *, config_setting_t *,
		    struct fs_config *);

/* config_trace.c: classes drawn from recorded traces. */
int		 cfg_load_trace_class(struct ctx *, config_setting_t *,
		    const char *, struct time_class *);
void		 cfg_free_traces(struct time_class *);

/* config_tree.c: built-in defaults and --set, applied to the parsed tree. */
int		 cfg_prepare_tree(struct ctx *, config_t *,
		    const struct config_override *, int);

#endif
