/*
 * The settings table: every key of fastsync.conf(5) outside the models'
 * own parameters (which each model's descriptor holds, model.h) with its
 * type, range, default, choices, where it is stored and what it is for.
 * The loader, the defaults, --set and "did you mean" read it; a test
 * holds it equal to man/fastsync.conf.5 and configs/default.cfg.
 */
#include <stddef.h>
#include <string.h>

#include "config_priv.h"
#include "model.h"

#define CF(f)		offsetof(struct fs_config, f)
#define DIST(f)		offsetof(struct dist, f)

_Static_assert(sizeof(enum nn_kind) == sizeof(int),
    "train.network is stored as an int");

static const char *const workloads[] = { "timing", "train", NULL };
static const char *const networks[] = { "softmax", "mlp", "cnn", NULL };
static const char *const aggregates[] = { "sum", "mean", NULL };
const char *const cfg_dist_names[] = {
	"const", "normal", "mixture", "lognormal", "choice", "trace", NULL
};
const char *const cfg_kind_names[] = { "async", "sync", "local", NULL };
static const char *const trace_modes[] = { "resample", "replay", NULL };

const struct setting config_options[] = {
	{ .key = "seed", .type = ST_INT64, .lo = 0, .hi = INT64_MAX,
	  .def = "42", .off = CF(seed),
	  .doc = "the random seed" },
	{ .key = "rounds", .type = ST_INT, .lo = 1, .hi = ROUNDS_MAX,
	  .def = "200", .off = CF(rounds),
	  .doc = "how many times every worker runs the task graph" },

	{ .key = "workers", .type = ST_GROUP,
	  .doc = "the workers (or their count)" },
	{ .key = "workers.count", .type = ST_INT, .lo = 1, .hi = WORKERS_MAX,
	  .def = "20", .off = CF(workers),
	  .doc = "the most workers present at once" },
	{ .key = "workers.slow_fraction", .type = ST_DOUBLE, .min = 0,
	  .max = 1, .def = "0.5", .off = CF(slow_fraction),
	  .doc = "the probability that a worker is slow" },
	{ .key = "workers.slow_offset_ms", .type = ST_DOUBLE, .min = 0,
	  .max = TIME_MAX_MS, .def = "10.0", .off = CF(slow_offset_ms),
	  .doc = "added to every async task of a slow worker" },
	{ .key = "workers.leave_rate", .type = ST_DOUBLE, .min = 0,
	  .max = 1e6, .def = "0", .off = CF(leave_rate),
	  .doc = "leaves per present worker per second" },
	{ .key = "workers.join_rate", .type = ST_DOUBLE, .min = 0,
	  .max = 1e6, .def = "0", .off = CF(join_rate),
	  .doc = "joins per second while some are away" },
	{ .key = "workers.min", .type = ST_INT, .lo = 1, .hi = WORKERS_MAX,
	  .def = "1", .off = CF(workers_min),
	  .doc = "never fewer workers present than this" },

	{ .key = "network", .type = ST_GROUP, .doc = "message costs" },
	{ .key = "network.push_ms", .type = ST_DOUBLE, .min = 0,
	  .max = TIME_MAX_MS, .def = "1.0", .off = CF(push_ms),
	  .doc = "a gradient from a worker to the parameter server" },
	{ .key = "network.pull_ms", .type = ST_DOUBLE, .min = 0,
	  .max = TIME_MAX_MS, .def = "1.0", .off = CF(pull_ms),
	  .doc = "the weights from the parameter server to a worker" },
	{ .key = "network.local_ms", .type = ST_DOUBLE, .min = 0,
	  .max = TIME_MAX_MS, .def = "0.5", .off = CF(local_ms),
	  .doc = "a message between a worker and the controller" },

	{ .key = "classes", .type = ST_GROUP, .doc = "the time classes" },
	{ .key = "classes.*.dist", .type = ST_ENUM, .flags = ST_NOSTORE,
	  .def = "normal", .choices = cfg_dist_names,
	  .doc = "the kind of distribution" },
	{ .key = "classes.*.mean", .type = ST_DOUBLE, .min = 0,
	  .max = TIME_MAX_MS, .flags = ST_LO_OPEN | ST_NOSTORE,
	  .doc = "the mean (0 allowed for const)" },
	{ .key = "classes.*.sd", .type = ST_DOUBLE, .min = 0,
	  .max = TIME_MAX_MS, .def = "0", .off = DIST(sd),
	  .doc = "the standard deviation" },
	{ .key = "classes.*.mean2", .type = ST_DOUBLE, .min = 0,
	  .max = TIME_MAX_MS, .flags = ST_LO_OPEN, .off = DIST(mean2),
	  .doc = "the mean of a mixture's second component" },
	{ .key = "classes.*.sd2", .type = ST_DOUBLE, .min = 0,
	  .max = TIME_MAX_MS, .def = "0", .off = DIST(sd2),
	  .doc = "the sd of a mixture's second component" },
	{ .key = "classes.*.weight", .type = ST_DOUBLE, .min = 0, .max = 1,
	  .def = "0", .off = DIST(weight),
	  .doc = "a mixture's probability of its first component" },
	{ .key = "classes.*.values", .type = ST_GROUP, .flags = ST_NOSTORE,
	  .doc = "the times a choice picks from" },
	{ .key = "classes.*.files", .type = ST_STRING, .flags = ST_NOSTORE,
	  .doc = "trace files (paths or patterns)" },
	{ .key = "classes.*.scale", .type = ST_DOUBLE, .min = 0, .max = 1e12,
	  .flags = ST_LO_OPEN | ST_NOSTORE, .def = "1000",
	  .doc = "multiplies every trace duration" },
	{ .key = "classes.*.mode", .type = ST_ENUM, .flags = ST_NOSTORE,
	  .def = "resample", .choices = trace_modes,
	  .doc = "draw at random, or replay in file order" },

	{ .key = "tasks", .type = ST_GROUP, .doc = "the task graph" },
	{ .key = "tasks.name", .type = ST_STRING, .flags = ST_NOSTORE,
	  .doc = "the task's name" },
	{ .key = "tasks.kind", .type = ST_ENUM, .flags = ST_NOSTORE,
	  .choices = cfg_kind_names, .doc = "async, sync or local" },
	{ .key = "tasks.class", .type = ST_STRING, .flags = ST_NOSTORE,
	  .doc = "the time class of its times" },
	{ .key = "tasks.after", .type = ST_STRING, .flags = ST_NOSTORE,
	  .doc = "the tasks that run before it" },

	{ .key = "models", .type = ST_GROUP,
	  .doc = "the models (their parameters: each model's descriptor)" },
	{ .key = "models.model", .type = ST_STRING, .flags = ST_NOSTORE,
	  .doc = "which model (model_find)" },
	{ .key = "models.name", .type = ST_STRING, .flags = ST_NOSTORE,
	  .doc = "the label in the output and for --model" },

	{ .key = "record", .type = ST_GROUP, .doc = "what run records" },
	{ .key = "record.db", .type = ST_STRING, .off = CF(record_db),
	  .doc = "the database to record into" },
	{ .key = "record.events", .type = ST_BOOL, .def = "true",
	  .off = CF(record_events),
	  .doc = "record every engine event" },
	{ .key = "record.compress", .type = ST_BOOL, .def = "true",
	  .off = CF(record_compress),
	  .doc = "compress the recorded events (zlib, as sqlar does)" },

	{ .key = "workload", .type = ST_ENUM, .def = "timing",
	  .choices = workloads, .off = CF(train),
	  .doc = "simulate time only, or train a network too" },
	{ .key = "train", .type = ST_GROUP, .doc = "real training" },
	{ .key = "train.network", .type = ST_ENUM, .def = "cnn",
	  .choices = networks, .off = CF(ts.net),
	  .doc = "the network trained" },
	{ .key = "train.hidden", .type = ST_INT, .lo = 1, .hi = 4096,
	  .def = "64", .off = CF(ts.hidden),
	  .doc = "the MLP's hidden units" },
	{ .key = "train.filters", .type = ST_INT, .lo = 1, .hi = 4096,
	  .def = "8", .off = CF(ts.filters),
	  .doc = "the CNN's filters" },
	{ .key = "train.batch", .type = ST_INT, .lo = 1, .hi = 65536,
	  .def = "16", .off = CF(ts.batch),
	  .doc = "samples per gradient" },
	{ .key = "train.learning_rate", .type = ST_DOUBLE, .min = 0,
	  .max = 1e6, .flags = ST_LO_OPEN, .def = "0.05", .off = CF(ts.lr),
	  .doc = "the step size" },
	{ .key = "train.aggregate", .type = ST_ENUM, .def = "mean",
	  .choices = aggregates, .off = CF(ts.mean),
	  .doc = "an update is the sum or the mean of its gradients" },
	{ .key = "train.data", .type = ST_STRING,
	  .def = "/usr/share/datasets/fashion-mnist", .off = CF(train_data),
	  .doc = "a folder of IDX files" },
	{ .key = "train.max_pixels", .type = ST_INT, .lo = 1,
	  .hi = 2147483647, .def = "268435456", .off = CF(train_max_pixels),
	  .doc = "the most images x rows x columns an images file holds" },
	{ .key = "train.eval_every", .type = ST_INT, .lo = 1,
	  .hi = ROUNDS_MAX, .def = "10", .off = CF(ts.eval_every),
	  .doc = "rounds between evaluations" },
	{ .key = "train.eval_samples", .type = ST_INT, .lo = 0,
	  .hi = 100000000, .def = "2000", .off = CF(ts.eval_samples),
	  .doc = "test items evaluated, 0: all" },
	{ .key = "train.target", .type = ST_DOUBLE, .min = 0, .max = 1,
	  .flags = ST_LO_OPEN, .def = "0.8", .off = CF(ts.target),
	  .doc = "the accuracy time_to_target waits for" },
};
const int config_noptions = sizeof config_options / sizeof config_options[0];

/*
 * The row for key in scope (NULL: top level; "classes.*" inside a class;
 * "models": the table's, then every registered model's parameters).
 */
const struct setting *
cfg_option(const char *scope, const char *key)
{
	const struct model_ops	*ops;

	for (int i = 0; i < config_noptions; i++)
		if (setting_in_scope(&config_options[i], scope) &&
		    strcmp(setting_name(&config_options[i]), key) == 0)
			return (&config_options[i]);
	if (scope == NULL || strcmp(scope, "models") != 0)
		return (NULL);
	for (int k = 0; (ops = model_ops_for((enum model_kind)k)) != NULL; k++)
		for (int i = 0; i < ops->nparams; i++)
			if (strcmp(ops->params[i].key, key) == 0)
				return (&ops->params[i]);
	return (NULL);
}

static int
listed(const char *const *keys, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (strcmp(keys[i], key) == 0)
			return (1);
	return (0);
}

/* The keys of a scope, NULL-terminated, for checks and suggestions. */
const char *const *
cfg_scope_keys(const char *scope, const char **keys, int max)
{
	const struct model_ops	*ops;
	int			 n = 0;

	for (int i = 0; i < config_noptions && n < max - 1; i++)
		if (setting_in_scope(&config_options[i], scope))
			keys[n++] = setting_name(&config_options[i]);
	for (int k = 0; scope != NULL && strcmp(scope, "models") == 0 &&
	    (ops = model_ops_for((enum model_kind)k)) != NULL; k++)
		for (int i = 0; i < ops->nparams && n < max - 1; i++)
			if (!listed(keys, n, ops->params[i].key))
				keys[n++] = ops->params[i].key;
	keys[n] = NULL;
	return (keys);
}

/* Every stored default of the table into *cf. */
void
cfg_defaults(struct fs_config *cf)
{
	for (int i = 0; i < config_noptions; i++)
		if (strchr(config_options[i].key, '*') == NULL)
			setting_set_default(&config_options[i], cf);
}

/* The registered models' names, NULL-terminated (model = "..."). */
const char *const *
cfg_model_names(const char **names, int max)
{
	int	n = 0;

	for (; n < max - 1 && model_ops_for((enum model_kind)n) != NULL; n++)
		names[n] = model_ops_for((enum model_kind)n)->name;
	names[n] = NULL;
	return (names);
}
