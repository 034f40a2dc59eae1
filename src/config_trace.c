/*
 * Trace classes: task times replayed or resampled from recorded traces
 * (CSV or gzip CSV, see trace.c). Each file becomes one empirical
 * distribution; worker i draws from file i mod n, so the machines' own
 * speeds carry over. Paths are relative to the config file's folder and
 * may be globs; with FASTSYNC_TRACES set, a relative pattern's last
 * component is matched in that folder instead (another copy of the
 * shipped traces).
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_priv.h"
#include "trace.h"
#include "xmalloc.h"

/* Where a files entry points: $FASTSYNC_TRACES, else the config's folder. */
static char *
pattern_path(const struct ctx *c, const char *pattern)
{
	const char	*dir = getenv("FASTSYNC_TRACES"), *base;
	char		*path;

	if (pattern[0] == '/' || dir == NULL || *dir == '\0')
		return (cfg_relative(c, pattern));
	base = strrchr(pattern, '/');
	xasprintf(&path, "%s/%s", dir, base != NULL ? base + 1 : pattern);
	return (path);
}

/* Expand one files entry and load every match. */
static int
load_pattern(struct ctx *c, config_setting_t *at, const char *prefix,
    const char *pattern, double scale, struct time_class *tc)
{
	char	*path = pattern_path(c, pattern), msg[512];
	glob_t	 g;
	int	 r;

	r = glob(path, GLOB_ERR, NULL, &g);
	if (r != 0) {
		cfg_error(c, at, "%sfiles: no file matches %s", prefix, path);
		free(path);
		if (r != GLOB_NOMATCH)
			globfree(&g);
		return (-1);
	}
	free(path);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct trace t;

		if (trace_load(&t, g.gl_pathv[i], scale, msg, sizeof msg) != 0) {
			cfg_error(c, at, "%sfiles: %s", prefix, msg);
			globfree(&g);
			return (-1);
		}
		tc->traces = xreallocarray(tc->traces, (size_t)tc->ntraces + 1,
		    sizeof *tc->traces);
		memset(&tc->traces[tc->ntraces], 0, sizeof *tc->traces);
		tc->traces[tc->ntraces].kind = DIST_EMPIRICAL;
		tc->traces[tc->ntraces].values = t.ms;
		tc->traces[tc->ntraces].nvalues = t.n;
		tc->ntraces++;
		t.ms = NULL;
		trace_free(&t);
	}
	globfree(&g);
	return (0);
}

/*
 * The class's own dist is every file's values together (its mean is the
 * class's expected time); with a target mean, all files are rescaled by
 * one factor so their relative speeds stay as recorded.
 */
static void
merge(struct time_class *tc, double target)
{
	struct dist	*d = &tc->dist;
	double		 sum = 0, f = 1;
	size_t		 n = 0, k = 0;

	for (int i = 0; i < tc->ntraces; i++) {
		n += tc->traces[i].nvalues;
		for (size_t j = 0; j < tc->traces[i].nvalues; j++)
			sum += tc->traces[i].values[j];
	}
	if (target > 0 && sum > 0)
		f = target / (sum / (double)n);
	d->kind = DIST_EMPIRICAL;
	d->nvalues = n;
	d->values = xreallocarray(NULL, n, sizeof *d->values);
	for (int i = 0; i < tc->ntraces; i++) {
		for (size_t j = 0; j < tc->traces[i].nvalues; j++) {
			tc->traces[i].values[j] *= f;
			d->values[k++] = tc->traces[i].values[j];
		}
	}
}

/* classes.NAME = { dist = "trace"; files = ...; scale; mean; mode; } */
int
cfg_load_trace_class(struct ctx *c, config_setting_t *g, const char *prefix,
    struct time_class *tc)
{
	config_setting_t	*f = config_setting_get_member(g, "files");
	const struct setting	*sc = cfg_option("classes.*", "scale");
	const struct setting	*mean = cfg_option("classes.*", "mean");
	double			 scale = strtod(sc->def, NULL), target = 0;
	int			 mode = 0, r = 0;

	if (cfg_get_double(c, g, prefix, "scale", sc->min, sc->max, 1,
	    &scale) != 0 ||
	    cfg_get_double(c, g, prefix, "mean", mean->min, mean->max, 1,
	    &target) != 0 ||
	    cfg_get_enum(c, g, prefix, "mode", cfg_option("classes.*",
	    "mode")->choices, 0, &mode) != 0)
		return (-1);
	for (const char *k = "sd\0mean2\0sd2\0weight\0values\0"; *k != '\0';
	    k += strlen(k) + 1) {
		if (config_setting_get_member(g, k) != NULL) {
			cfg_error(c, cfg_blame(config_setting_get_member(g,
			    k), config_setting_get_member(g, "dist")),
			    "%s%s does not apply to dist 'trace'", prefix, k);
			return (-1);
		}
	}
	if (f == NULL) {
		cfg_error(c, g, "%sfiles is required for dist 'trace'", prefix);
		return (-1);
	}
	tc->replay = mode == 1;
	if (config_setting_type(f) == CONFIG_TYPE_STRING)
		r = load_pattern(c, f, prefix, config_setting_get_string(f),
		    scale, tc);
	else if (config_setting_is_aggregate(f) &&
	    config_setting_length(f) > 0) {
		for (int i = 0; r == 0 && i < config_setting_length(f); i++) {
			config_setting_t *e = config_setting_get_elem(f,
			    (unsigned)i);

			if (config_setting_type(e) != CONFIG_TYPE_STRING) {
				cfg_error(c, e, "%sfiles[%d] must be a path",
				    prefix, i);
				r = -1;
			} else
				r = load_pattern(c, e, prefix,
				    config_setting_get_string(e), scale, tc);
		}
	} else {
		cfg_error(c, f, "%sfiles must be a path or a non-empty array of"
		    " paths", prefix);
		r = -1;
	}
	if (r == 0)
		merge(tc, target);
	return (r);
}

void
cfg_free_traces(struct time_class *tc)
{
	for (int i = 0; i < tc->ntraces; i++)
		dist_free(&tc->traces[i]);
	free(tc->traces);
	tc->traces = NULL;
	tc->ntraces = 0;
}
