/*
 * fastsync lesson [NAME]: without NAME, the shipped lessons, one a line
 * (name and title); with NAME (or a path to a .lesson file), the lesson
 * played in the dashboard on its configuration, unrecorded: it runs to
 * each decision worth seeing and pauses there with a box that explains
 * it (ui/lesson.c, fastsync-lesson(5)).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dash.h"
#include "lesson.h"
#include "text.h"
#include "theme.h"

static int
by_name(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* The shipped lessons, sorted: "NAME  TITLE". */
static int
list(void)
{
	const char	*dir = lesson_dir();
	char		*names[256], err[512], name[64], title[256];
	struct dirent	*e;
	DIR		*dp;
	int		 n = 0, rc = 0;

	if ((dp = opendir(dir)) == NULL) {
		cli_say("%s: no lessons there", dir);
		return (1);
	}
	while ((e = readdir(dp)) != NULL && n < 256) {
		size_t len = strlen(e->d_name);

		if (len > 7 && strcmp(e->d_name + len - 7, ".lesson") == 0)
			names[n++] = strndup(e->d_name, len - 7);
	}
	closedir(dp);
	qsort(names, (size_t)n, sizeof names[0], by_name);
	for (int i = 0; i < n; i++) {
		struct lesson *l = lesson_load(names[i], err, sizeof err);

		if (l == NULL) {
			cli_say("%s", err);
			rc = 1;
		} else
			printf("%-12s %s\n", text_safe(name, sizeof name,
			    names[i]), text_safe(title, sizeof title,
			    l->title));
		lesson_free(l);
		free(names[i]);
	}
	return (rc);
}

int
cmd_lesson(int argc, char **argv, struct options *o)
{
	struct lesson		*l;
	struct fs_config	 cf;
	struct dash_opts	 opts;
	struct dash		*d;
	struct theme		*th;
	volatile sig_atomic_t	 stop = 0;
	char			 err[1024], title[96];
	int			 rc, nth;

	if (argc == 0)
		return (list());
	if (argc != 1)
		return (usage_error("lesson: expected at most one NAME"));
	if ((l = lesson_load(argv[0], err, sizeof err)) == NULL) {
		cli_say("%s", err);
		return (EXIT_USAGE);
	}
	if (config_load(&cf, l->config, o->sets, o->nsets, err,
	    sizeof err) != 0) {
		cli_say("%s:%d: config: %s", l->path, l->config_line, err);
		lesson_free(l);
		return (EXIT_USAGE);
	}
	if (lesson_check(l, &cf, err, sizeof err) != 0) {
		cli_say("%s", err);
		config_free(&cf);
		lesson_free(l);
		return (EXIT_USAGE);
	}
	if ((rc = cmd_dash_prepare(o, &th, &nth)) != 0) {
		config_free(&cf);
		lesson_free(l);
		return (rc);
	}
	snprintf(title, sizeof title, "lesson %s", l->name);
	cmd_dash_options(&opts, o, l->config, title, th, nth);
	opts.start_paused = 1;
	rc = 0;
	if ((d = dash_create(&cf, &opts, err, sizeof err)) == NULL ||
	    lesson_begin(d, l, err, sizeof err) != 0) {
		cli_say("%s", err);
		rc = EXIT_USAGE;
	} else if ((rc = dash_run(d, &stop, err, sizeof err)) < 0) {
		cli_say("%s", err);
		rc = 1;
	} else
		rc = stop ? 128 + (int)stop : 0;
	if (d != NULL)
		dash_end_models(d);
	dash_free(d);
	config_free(&cf);
	lesson_free(l);
	return (rc);
}
