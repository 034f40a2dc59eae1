/*
 * One setting: the row type of the settings table (config_table.c) and
 * of each model's parameter descriptor (struct model_ops.params). A row
 * says everything about its key once: type, range, default, choices,
 * where the value is stored and a line of documentation. Loading,
 * defaults, --set, "did you mean", the recorded parameters JSON and the
 * test that diffs the man page all read the rows. No libconfig here.
 */
#ifndef FS_SETTING_H
#define FS_SETTING_H

#include <stddef.h>

enum setting_type {
	ST_GROUP,		/* a scope: { ... } or ( ... ); not stored */
	ST_INT,		/* int, range [lo, hi] */
	ST_INT64,		/* uint64_t, range [lo, hi] */
	ST_DOUBLE,		/* double, range [min, max] or (min, max] */
	ST_BOOL,		/* int 0 or 1: true or false */
	ST_STRING,		/* char *, strdup'ed (or checked only) */
	ST_ENUM		/* int: the index into choices */
};

#define ST_LO_OPEN	0x1	/* the lower bound is excluded */
#define ST_NOSTORE	0x2	/* checked by structural code, not stored */
#define ST_LABEL	0x4	/* model parameter: part of the default name */

struct setting {
	const char		*key;	/* "workers.count", "classes.*.mean" */
	enum setting_type	 type;
	long long		 lo, hi;	/* ST_INT, ST_INT64 */
	double			 min, max;	/* ST_DOUBLE */
	int			 flags;
	const char		*def;	/* the default as a file spells it */
	const char *const	*choices;	/* ST_ENUM: NULL-terminated */
	size_t			 off;	/* in struct fs_config / model_spec */
	const char		*doc;	/* one line, for the man page test */
};

const char	*setting_name(const struct setting *);
int		 setting_in_scope(const struct setting *, const char *);
void		 setting_store_int(const struct setting *, void *, long long);
long long	 setting_int(const struct setting *, const void *);
void		 setting_store_double(const struct setting *, void *, double);
double		 setting_double(const struct setting *, const void *);
void		 setting_set_default(const struct setting *, void *);
void		 setting_format(const struct setting *, const void *, int, char *,
		    size_t);
void		 setting_json(const struct setting *, int, const void *, char *,
		    size_t);

#endif
