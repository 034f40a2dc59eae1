/*
 * fastsync: command line. Parses options, loads the configuration and
 * hands over to a subcommand. Only this file prints errors and decides
 * exit codes: 0 success, 1 runtime failure, 2 usage or configuration.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "report.h"
#include "text.h"
#include "xmalloc.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/fastsync"
#endif


static void
usage(FILE *f)
{
	fprintf(f,
"usage: fastsync [run] [options]      simulate and record: the live dashboard,\n"
"                                     or --headless for a summary table\n"
"       fastsync replay RUN           play a recorded run again in the dashboard\n"
"       fastsync lesson [NAME]        list the guided lessons, or play one\n"
"       fastsync check FILE           validate a configuration and exit\n"
"       fastsync runs                 list recorded runs\n"
"       fastsync show RUN             one run's per-model summary\n"
"       fastsync compare RUN...       runs side by side, with differences\n"
"       fastsync export RUN [--table T] [-f csv|json]  one table of a run\n"
"       fastsync delete RUN | vacuum  remove a run; compact the database\n"
"       fastsync plot RUN...|SWEEP -o FILE.png|svg|pdf [--kind K]  a figure\n"
"       fastsync sweep --vary KEY=V1,V2|START:STOP:STEP... [--seeds N|A-B]\n"
"                      [--shard I/N]  a grid of runs times seeds, -j at once\n"
"       fastsync show SWEEP [--baseline MODEL]  means and 95%% intervals\n"
"       fastsync export SWEEP [-f csv|json]  one row per run and model\n"
"       fastsync merge OUT.db SHARD.db...  copy runs in, by UUID (idempotent)\n"
"       fastsync help | --help | --version\n"
"RUN is a run id, 'last', or a run name.\n"
"\n"
"Simulates N workers training with a parameter server under the ASP, BSP,\n"
"SSP, DSSP, quorum (K-sync/K-async) and FastSync synchronization models,\n"
"on identical worker draws (and identical churn), side by side in a live\n"
"dashboard (? there lists every key) or headless with one summary row per\n"
"model, and records the run in an SQLite database.\n"
"\n"
);
	fprintf(f,
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
"  -f, --format FMT       output: table (default), csv or json (implies\n"
"                         --headless)\n"
"      --headless         run every model to the end without the dashboard\n"
"  -j, --jobs N           headless: models run N at a time, in threads\n"
"                         (default: one per CPU; results are the same)\n"
"      --theme NAME|FILE  dashboard colours: default, light, high-contrast,\n"
"                         mono, or a theme file (fastsync-theme(5))\n"
"      --no-color         no colour (also when NO_COLOR is set)\n"
"      --ascii            ASCII glyphs only (also in a non-UTF-8 locale)\n"
"      --speed MS|max     dashboard speed: simulated ms per second (200)\n"
"      --paused           open the dashboard paused\n"
"      --db FILE          the run database (default: record.db, else\n"
"                         $XDG_DATA_HOME/fastsync/runs.db, else\n"
"                         ~/.local/share/fastsync/runs.db)\n"
"      --no-db            do not record the run\n"
"      --name NAME        a name for the recorded run (fastsync show NAME)\n"
"      --table T          export: runs, models (default), rounds, workers,\n"
"                         updates, clusters, quorum, events or accuracy\n"
"      --kind K           plot: time, accuracy, rounds, round-dist,\n"
"                         staleness, syncpoints (default: accuracy for\n"
"                         training runs, else time) or sweep (a sweep's)\n"
"  -o, --output FILE      plot: the figure, PNG, SVG or PDF by its suffix\n"
"      --size WxH         plot: in pixels (PDF, SVG: points; 900x560)\n"
"      --x AXIS           plot accuracy: against time (default) or rounds;\n"
"                         plot sweep: a varied key (default: the first)\n"
"      --y METRIC         plot sweep: ratio (to --baseline), time, round,\n"
"                         staleness, accuracy, target or an OUTPUT metric\n"
"                         (default: ratio if the baseline ran, else time)\n"
"      --mono             plot: black lines with distinct dashes, for print\n"
"      --vary KEY=VALUES  sweep: V1,V2,... or START:STOP:STEP (repeatable;\n"
"                         the grid is their product)\n"
"      --seeds N|A-B      sweep: seeds 1 to N, or A to B, at each point\n"
"      --shard I/N        sweep: the I-th of N slices (default: the Slurm\n"
"                         array task's, else all)\n"
"      --baseline MODEL   show SWEEP, plot sweep: ratios to this model\n"
"                         (default bsp)\n"
"  -v, --verbose          say on stderr as each round is recorded, then how\n"
"                         many events (and MB) the run recorded (and the\n"
"                         dashboard's frame rate on leaving)\n"
"  -q, --quiet            no progress lines or notes on stderr\n"
"  -h, --help             show this help\n"
"  -V, --version          show the version\n"
"\n"
"exit status: 0 success, 1 runtime failure (also an output write error),\n"
"2 usage, configuration or database error, 128 + N stopped by signal N.\n"
"See fastsync(1), fastsync.conf(5) and fastsync-theme(5).\n");
}

/*
 * "fastsync: MESSAGE" on stderr. The message is made terminal-safe: one
 * line, no escape sequence, whatever a file, --set or run name held.
 */
static void
vsay(const char *fmt, va_list ap)
{
	char	msg[4096];

	vsnprintf(msg, sizeof msg, fmt, ap);
	text_safe_msg(msg, sizeof msg);
	fprintf(stderr, "fastsync: %s\n", msg);
}

void
cli_say(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

int
usage_error(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try 'fastsync --help'.\n");
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
		cli_say("%s: expected an integer in [%lld,"
		    " %lld], got '%s'", opt, min, max, arg);
		return (-1);
	}
	return (0);
}

/* --speed: simulated ms per wall second, or "max". */
static int
parse_speed(const char *arg, double *v)
{
	char	*end;

	if (strcmp(arg, "max") == 0) {
		*v = -1;
		return (0);
	}
	errno = 0;
	*v = strtod(arg, &end);
	if (end == arg || *end != '\0' || errno != 0 || !(*v >= 1) ||
	    *v > 1e6) {
		cli_say("--speed: expected simulated ms per"
		    " second in [1, 1000000] or 'max', got '%s'", arg);
		return (-1);
	}
	return (0);
}

/* --size WxH: a figure's size, each side in [100, 10000]. */
static int
parse_size(const char *arg, int *w, int *h)
{
	char	*end, *end2 = NULL;
	long	 x, y;

	errno = 0;
	x = strtol(arg, &end, 10);
	y = *end == 'x' ? strtol(end + 1, &end2, 10) : 0;
	if (*end != 'x' || end == arg || end2 == end + 1 || *end2 != '\0' ||
	    errno != 0 || x < 100 || x > 10000 || y < 100 || y > 10000) {
		cli_say("--size: expected WIDTHxHEIGHT, each"
		    " in [100, 10000], got '%s'", arg);
		return (-1);
	}
	*w = (int)x;
	*h = (int)y;
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
	free(o->varies);
}

const char *
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
	OPT_NO_DB,
	OPT_DB,
	OPT_NAME,
	OPT_TABLE,
	OPT_THEME,
	OPT_NO_COLOR,
	OPT_ASCII,
	OPT_SPEED,
	OPT_PAUSED,
	OPT_KIND,
	OPT_SIZE,
	OPT_X,
	OPT_Y,
	OPT_MONO,
	OPT_VARY,
	OPT_SEEDS,
	OPT_SHARD,
	OPT_BASELINE
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
	{ "db", required_argument, NULL, OPT_DB },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "table", required_argument, NULL, OPT_TABLE },
	{ "theme", required_argument, NULL, OPT_THEME },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "ascii", no_argument, NULL, OPT_ASCII },
	{ "speed", required_argument, NULL, OPT_SPEED },
	{ "paused", no_argument, NULL, OPT_PAUSED },
	{ "jobs", required_argument, NULL, 'j' },
	{ "kind", required_argument, NULL, OPT_KIND },
	{ "output", required_argument, NULL, 'o' },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "x", required_argument, NULL, OPT_X },
	{ "y", required_argument, NULL, OPT_Y },
	{ "mono", no_argument, NULL, OPT_MONO },
	{ "vary", required_argument, NULL, OPT_VARY },
	{ "seeds", required_argument, NULL, OPT_SEEDS },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "verbose", no_argument, NULL, 'v' },
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
	while ((ch = getopt_long(argc, argv, ":c:m:w:r:s:f:j:o:qvhV", long_options,
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
				cli_say("--format: expected"
				    " one of %s, got '%s'",
				    report_writer_names(), optarg);
				goto fail;
			}
			o->format = optarg;
			break;
		case OPT_HEADLESS:
			o->headless = 1;
			break;
		case OPT_NO_DB:
			o->no_db = 1;
			break;
		case OPT_DB:
			/* SQLite would take "" as a temporary database */
			if (*optarg == '\0') {
				fprintf(stderr, "fastsync: --db: expected a file"
				    " name, got ''\n");
				goto fail;
			}
			o->db = optarg;
			break;
		case OPT_NAME:
			o->name = optarg;
			break;
		case OPT_TABLE:
			o->table = optarg;
			break;
		case OPT_THEME:
			o->theme = optarg;
			break;
		case OPT_NO_COLOR:
			o->no_color = 1;
			break;
		case OPT_ASCII:
			o->ascii = 1;
			break;
		case OPT_PAUSED:
			o->paused = 1;
			break;
		case OPT_VARY:
			o->varies = xreallocarray(o->varies,
			    (size_t)o->nvaries + 1, sizeof *o->varies);
			o->varies[o->nvaries++] = optarg;
			break;
		case OPT_SEEDS:
			o->seeds = optarg;
			break;
		case OPT_SHARD:
			o->shard = optarg;
			break;
		case OPT_BASELINE:
			o->baseline = optarg;
			break;
		case 'j':
			if (parse_count("--jobs", optarg, 1, 1024) != 0)
				goto fail;
			o->jobs = atoi(optarg);
			break;
		case OPT_SPEED:
			if (parse_speed(optarg, &o->speed) != 0)
				goto fail;
			break;
		case OPT_KIND:
			o->kind = optarg;
			break;
		case 'o':
			o->output = optarg;
			break;
		case OPT_SIZE:
			if (parse_size(optarg, &o->width, &o->height) != 0)
				goto fail;
			break;
		case OPT_X:
			o->plot_x = optarg;
			break;
		case OPT_Y:
			o->plot_y = optarg;
			break;
		case OPT_MONO:
			o->mono = 1;
			break;
		case 'v':
			o->verbose = 1;
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

/*
 * Whatever a command printed must have reached stdout (as GNU's
 * close_stdout): a full disk or a closed pipe is exit 1, said once (a
 * command that failed has said why already).
 */
static int
close_stdout(int rc)
{
	int	e = 0;

	/* flushed, not closed: the dashboard's atexit may still need it */
	errno = 0;
	if (fflush(stdout) != 0)
		e = errno != 0 ? errno : EIO;
	else if (ferror(stdout))
		e = -1;		/* an earlier write; its errno is gone (GNU
				   says just "write error" then too) */
	if (e != 0 && rc == 0) {
		fprintf(stderr, "fastsync: write error%s%s\n", e > 0 ? ": " :
		    "", e > 0 ? strerror(e) : "");
		rc = 1;
	}
	return (rc);
}

static const struct {
	const char	*name;
	int		(*fn)(int, char **, struct options *);
} commands[] = {
	{ "run", cmd_run },
	{ "check", cmd_check },
	{ "runs", cmd_runs },
	{ "show", cmd_show },
	{ "compare", cmd_compare },
	{ "export", cmd_export },
	{ "delete", cmd_delete },
	{ "vacuum", cmd_vacuum },
	{ "replay", cmd_replay },
	{ "plot", cmd_plot },
	{ "sweep", cmd_sweep },
	{ "merge", cmd_merge },
	{ "lesson", cmd_lesson },
};

int
main(int argc, char **argv)
{
	struct options	 o;
	const char	*cmd = "run";
	size_t		 k;
	int		 rc = 0;

	setlocale(LC_CTYPE, "");
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
	for (k = 0; k < sizeof commands / sizeof commands[0]; k++)
		if (strcmp(cmd, commands[k].name) == 0)
			break;
	if (strcmp(cmd, "help") == 0)
		usage(stdout);
	else if (k == sizeof commands / sizeof commands[0])
		rc = usage_error("unknown command '%s'", cmd);
	else
		rc = commands[k].fn(argc, argv, &o);
out:
	options_free(&o);
	return (close_stdout(rc));
}
