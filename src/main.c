/*
 * fastsync: command line. Parses options, loads the configuration and
 * hands over to a subcommand. Only this file prints errors and decides
 * exit codes: 0 success, 1 runtime failure, 2 usage or configuration.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "report.h"
#include "run.h"
#include "xmalloc.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/fastsync"
#endif

#define EXIT_USAGE	2

struct options {
	const char			*config;
	const char			*models;
	const char			*format;
	int				 headless;
	int				 quiet;
	struct config_override		*sets;
	int				 nsets;
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: fastsync [run] [options]      simulate (headless until the dashboard lands)\n"
"       fastsync check FILE           validate a configuration and exit\n"
"       fastsync help | --help | --version\n"
"\n"
"Simulates N workers training with a parameter server under the ASP, BSP,\n"
"SSP, DSSP and FastSync synchronization models, on identical worker draws\n"
"(and identical churn), and prints one summary row per model.\n"
"\n"
"options:\n"
"  -c, --config FILE      configuration (default: configs/default.cfg, else\n"
"                         " PKGDATADIR "/configs/default.cfg,\n"
"                         else the same settings built in)\n"
"  -m, --model LIST       models to run: all (default), or comma-separated\n"
"                         kinds (asp,bsp,ssp,dssp,fastsync) or entry names\n"
"                         from the config (ssp-3)\n"
"  -w, --workers N        workers (sets workers.count)\n"
"  -r, --rounds N         simulation rounds (sets rounds)\n"
"  -s, --seed N           random seed (sets seed)\n"
"      --set KEY=VALUE    override any setting, e.g. --set network.push_ms=2\n"
"                         or --set models.ssp.staleness=5 (repeatable)\n"
"  -f, --format FMT       output: table (default), csv or json\n"
"      --headless         run without the dashboard (the only mode for now)\n"
"      --no-db            do not record the run (recording is not built yet)\n"
"  -q, --quiet            no progress bar on stderr\n"
"  -h, --help             show this help\n"
"  -V, --version          show the version\n"
"\n"
"exit status: 0 success, 1 runtime failure, 2 usage or configuration error.\n"
"See fastsync(1) and fastsync.conf(5).\n");
}

static int
usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
usage_error(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	fprintf(stderr, "fastsync: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nTry 'fastsync --help'.\n");
	va_end(ap);
	return (EXIT_USAGE);
}

/* An integer option in [min, max] (tmux's strtonum idea). */
static int
parse_count(const char *opt, const char *arg, long long min, long long max)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(arg, &end, 10);
	if ((*arg != '-' && (*arg < '0' || *arg > '9')) || *end != '\0' ||
	    errno != 0 || v < min || v > max) {
		fprintf(stderr, "fastsync: %s: expected an integer in [%lld,"
		    " %lld], got '%s'\n", opt, min, max, arg);
		return (-1);
	}
	return (0);
}

static void
add_set(struct options *o, const char *key, const char *value,
    const char *opt)
{
	char	*origin;

	o->sets = xreallocarray(o->sets, (size_t)o->nsets + 1, sizeof *o->sets);
	if (opt == NULL)
		xasprintf(&origin, "--set %s=%s", key, value);
	else
		xasprintf(&origin, "%s %s", opt, value);
	o->sets[o->nsets].key = key;
	o->sets[o->nsets].value = value;
	o->sets[o->nsets].origin = origin;
	o->nsets++;
}

static void
options_free(struct options *o)
{
	for (int i = 0; i < o->nsets; i++) {
		free((char *)(uintptr_t)o->sets[i].key);
		free((char *)(uintptr_t)o->sets[i].origin);
	}
	free(o->sets);
}

static const char *
default_config(void)
{
	static const char *const paths[] = {
		"configs/default.cfg",
		PKGDATADIR "/configs/default.cfg",
	};

	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		if (access(paths[i], R_OK) == 0)
			return (paths[i]);
	return (NULL);
}

enum {
	OPT_SET = 256,
	OPT_HEADLESS,
	OPT_NO_DB
};

static const struct option long_options[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "model", required_argument, NULL, 'm' },
	{ "workers", required_argument, NULL, 'w' },
	{ "rounds", required_argument, NULL, 'r' },
	{ "seed", required_argument, NULL, 's' },
	{ "set", required_argument, NULL, OPT_SET },
	{ "format", required_argument, NULL, 'f' },
	{ "headless", no_argument, NULL, OPT_HEADLESS },
	{ "no-db", no_argument, NULL, OPT_NO_DB },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

/* Parse options into o; returns -1 to exit with *rc. */
static int
parse_options(int argc, char **argv, struct options *o, int *rc)
{
	const char	*eq;
	int		 ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:m:w:r:s:f:qhV", long_options,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case 'm':
			o->models = optarg;
			break;
		case 'w':
			if (parse_count("--workers", optarg, 1, 10000000) != 0)
				goto fail;
			add_set(o, xstrdup("workers.count"), optarg, "--workers");
			break;
		case 'r':
			if (parse_count("--rounds", optarg, 1, 10000000) != 0)
				goto fail;
			add_set(o, xstrdup("rounds"), optarg, "--rounds");
			break;
		case 's':
			if (parse_count("--seed", optarg, 0, LLONG_MAX) != 0)
				goto fail;
			add_set(o, xstrdup("seed"), optarg, "--seed");
			break;
		case OPT_SET:
			if ((eq = strchr(optarg, '=')) == NULL ||
			    eq == optarg) {
				*rc = usage_error("--set: expected KEY=VALUE,"
				    " got '%s'", optarg);
				return (-1);
			}
			add_set(o, xstrndup(optarg, (size_t)(eq - optarg)),
			    eq + 1, NULL);
			break;
		case 'f':
			if (report_writer_find(optarg) == NULL) {
				fprintf(stderr, "fastsync: --format: expected"
				    " one of %s, got '%s'\n",
				    report_writer_names(), optarg);
				goto fail;
			}
			o->format = optarg;
			break;
		case OPT_HEADLESS:
			o->headless = 1;
			break;
		case OPT_NO_DB:
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'h':
			usage(stdout);
			*rc = 0;
			return (-1);
		case 'V':
			printf("fastsync %s\n", FASTSYNC_VERSION);
			*rc = 0;
			return (-1);
		case ':':
			*rc = usage_error("%s needs a value", argv[optind - 1]);
			return (-1);
		default:
			if (optopt != 0 && optopt < 256)
				*rc = usage_error("unknown option '-%c'", optopt);
			else
				*rc = usage_error("unknown option '%s'",
				    argv[optind - 1]);
			return (-1);
		}
	}
	return (0);
fail:
	*rc = EXIT_USAGE;
	return (-1);
}

static int
load(struct fs_config *cf, const char *path, const struct options *o)
{
	char	err[1024];

	if (config_load(cf, path, o->sets, o->nsets, err, sizeof err) != 0) {
		fprintf(stderr, "fastsync: %s\n", err);
		return (-1);
	}
	if (o->models != NULL &&
	    config_select_models(cf, o->models, err, sizeof err) != 0) {
		fprintf(stderr, "fastsync: %s\n", err);
		config_free(cf);
		return (-1);
	}
	return (0);
}

static int
cmd_check(int argc, char **argv, struct options *o)
{
	struct fs_config	 cf;
	const char		*path = argc == 1 ? argv[0] : o->config;

	if (argc > 1 || path == NULL || (argc == 1 && o->config != NULL))
		return (usage_error("check: expected one FILE"));
	if (load(&cf, path, o) != 0)
		return (EXIT_USAGE);
	printf("%s: ok: %d workers, %d rounds, %d tasks, %d models\n",
	    path, cf.workers, cf.rounds, cf.dag.n, cf.nmodels);
	config_free(&cf);
	return (0);
}

static int
cmd_run(int argc, char **argv, struct options *o)
{
	struct fs_config	 cf;
	const char		*path = o->config;
	char			 err[512];
	int			 rc;

	if (argc != 0)
		return (usage_error("run: unexpected argument '%s'", argv[0]));
	/* No file found: the built-in defaults, the same as default.cfg. */
	if (path == NULL)
		path = default_config();
	if (load(&cf, path, o) != 0)
		return (EXIT_USAGE);
	rc = run_headless(&cf, report_writer_find(o->format ? o->format :
	    "table"), !o->quiet && isatty(STDERR_FILENO), stdout, err,
	    sizeof err);
	if (rc != 0)
		fprintf(stderr, "fastsync: %s\n", err);
	config_free(&cf);
	return (rc);
}

int
main(int argc, char **argv)
{
	struct options	 o;
	const char	*cmd = "run";
	int		 rc = 0;

	memset(&o, 0, sizeof o);
	/* Options may come before or after the command (GNU permutation). */
	if (parse_options(argc, argv, &o, &rc) != 0)
		goto out;
	argc -= optind;
	argv += optind;
	if (argc > 0) {
		cmd = argv[0];
		argc--;
		argv++;
	}
	if (strcmp(cmd, "run") == 0)
		rc = cmd_run(argc, argv, &o);
	else if (strcmp(cmd, "check") == 0)
		rc = cmd_check(argc, argv, &o);
	else if (strcmp(cmd, "help") == 0)
		usage(stdout);
	else
		rc = usage_error("unknown command '%s'", cmd);
out:
	options_free(&o);
	return (rc);
}
