/*
 * The dashboard commands: a run watched live (fastsync, fastsync run
 * without --headless), recorded like a headless one; and fastsync
 * replay RUN, which runs a recorded run's configuration, overrides and
 * seed again (the engine is deterministic) and checks every model's
 * event count against the record. The terminal side is ui/dash*.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "dash.h"
#include "db.h"
#include "report.h"
#include "theme.h"
#include "xmalloc.h"

struct live {
	struct recorder	*rec;
	struct dash	*d;		/* its trainers, once created */
};

static int
live_start(void *ud, struct sim *s, int i)
{
	struct live *l = ud;

	return (l->rec != NULL ? recorder_model(l->rec, s, i) : 0);
}

/* A model is done (or the user quit): its summary goes on record. */
static int
live_end(void *ud, struct sim *s, int i, char *msg, size_t len)
{
	struct live		*l = ud;
	struct report_row	 row;

	if (l->rec == NULL)
		return (0);
	report_row_fill(&row, s, l->d != NULL ? l->d->m[i].tr : NULL);
	if (recorder_model_end(l->rec, s, &row) != 0) {
		snprintf(msg, len, "recording %s: %s", row.model,
		    recorder_error(l->rec));
		return (-1);
	}
	snprintf(msg, len, "%s recorded", row.model);
	return (0);
}

static int
no_color(const struct options *o)
{
	const char *e = getenv("NO_COLOR");

	return (o->no_color || (e != NULL && *e != '\0'));
}

/*
 * Before anything is recorded: a terminal, and the themes (a bad one is
 * exit 2 with FILE:LINE). Returns 0, or the exit status.
 */
int
cmd_dash_prepare(const struct options *o, struct theme **th, int *n)
{
	char	err[1024];

	if (dash_themes(o->theme, no_color(o), th, n, err, sizeof err) != 0) {
		cli_say("%s", err);
		return (EXIT_USAGE);
	}
	if (dash_check_terminal(err, sizeof err) != 0) {
		cli_say("%s", err);
		dash_themes_free(*th, *n);
		return (EXIT_USAGE);
	}
	return (0);
}

/*
 * A headless run given --theme: the theme is checked as the dashboard
 * would (the same message, exit 2), so a typo is not ignored. Returns 0
 * or the exit status.
 */
int
cmd_check_theme(const struct options *o)
{
	struct theme	*th;
	char		 err[1024];
	int		 n;

	if (o->theme == NULL)
		return (0);
	if (dash_themes(o->theme, no_color(o), &th, &n, err, sizeof err) != 0) {
		cli_say("%s", err);
		return (EXIT_USAGE);
	}
	dash_themes_free(th, n);
	return (0);
}

/* The dashboard's options from the command line's (lessons too). */
void
cmd_dash_options(struct dash_opts *d, const struct options *o,
    const char *config, const char *title, struct theme *th, int nth)
{
	memset(d, 0, sizeof *d);
	d->config_name = config != NULL ? config : "(built-in defaults)";
	d->title = title;
	d->no_color = no_color(o);
	d->ascii = o->ascii;
	d->speed = o->speed;
	d->start_paused = o->paused;
	d->themes = th;
	d->nthemes = nth;
}

/*
 * Watch cf live, recording with rec (NULL: --no-db), in the themes from
 * cmd_dash_prepare. Returns 0 after q or a signal (in *stop), 1 if the
 * dashboard or the recording failed; *finished if every model ended.
 */
int
cmd_dashboard(const struct fs_config *cf, const struct train_data *data,
    const char *path, struct options *o, struct recorder *rec,
    struct theme *th, int nth, volatile sig_atomic_t *stop, int *finished)
{
	struct dash_opts	 opts;
	struct live		 l = { rec, NULL };
	struct dash		*d;
	char			 err[1024], title[64] = "";
	int			 rc;

	if (rec != NULL)
		snprintf(title, sizeof title, "run %lld",
		    (long long)recorder_run_id(rec));
	cmd_dash_options(&opts, o, path, title, th, nth);
	opts.hooks.model_start = live_start;
	opts.hooks.model_end = live_end;
	opts.hooks.ud = &l;
	opts.data = data;
	*finished = 0;
	if ((d = dash_create(cf, &opts, err, sizeof err)) == NULL) {
		cli_say("%s", rec != NULL &&
		    recorder_error(rec) != NULL ? recorder_error(rec) : err);
		return (1);
	}
	l.d = d;
	rc = dash_run(d, stop, err, sizeof err);
	if (rc < 0) {
		cli_say("%s", err);
		rc = 1;
	} else
		rc = 0;
	*finished = d->finished && !d->failed;
	for (int i = 0; i < d->nm; i++)
		if (sim_error(d->m[i].sim) != NULL) {
			cli_say("%s",
			    sim_error(d->m[i].sim));
			rc = 1;
		}
	if (o->verbose && d->wall > 0)
		cli_say("dashboard: %llu frames in %.2f s"
		    " (%.1f fps), drawing %.1f%% of the time, stepping %.1f%%,"
		    " %llu events", (unsigned long long)d->frames, d->wall,
		    (double)d->frames / d->wall, 100 * d->draw_s / d->wall,
		    100 * d->step_s / d->wall, (unsigned long long)d->events);
	if (dash_end_models(d) != 0 && rec != NULL) {
		cli_say("%s", recorder_error(rec) ?
		    recorder_error(rec) : "recording failed");
		rc = 1;
	}
	dash_free(d);
	return (rc);
}

struct replay {
	struct db_replay	r;
	int			mismatches;
	int			partial;	/* recorded only in part */
};

/* A replayed model ended: does it match the record? */
static int
replay_end(void *ud, struct sim *s, int i, char *msg, size_t len)
{
	struct replay	*p = ud;
	int64_t		 want = i < p->r.nmodels ? p->r.events[i] : -1;
	uint64_t	 got = sim_events(s);

	if (!sim_done(s))
		return (0);
	if (want >= 0 && i < p->r.nmodels && !p->r.complete[i] &&
	    ++p->partial)
		snprintf(msg, len, "%s: %llu events; the recording stopped"
		    " early, at %lld", sim_model(s)->name,
		    (unsigned long long)got, (long long)want);
	else if (want < 0)
		snprintf(msg, len, "%s: %llu events (the record has no"
		    " count: the run was cut short)", sim_model(s)->name,
		    (unsigned long long)got);
	else if ((uint64_t)want == got)
		snprintf(msg, len, "%s: %llu events, as recorded",
		    sim_model(s)->name, (unsigned long long)got);
	else {
		p->mismatches++;
		snprintf(msg, len, "%s: %llu events but %lld recorded (another"
		    " fastsync version, or changed trace files?)",
		    sim_model(s)->name, (unsigned long long)got,
		    (long long)want);
		return (-1);
	}
	return (0);
}

/* The recorded "key=value" lines as overrides. */
static struct config_override *
replay_overrides(char *text, int *n)
{
	struct config_override	*ov = NULL;
	char			*line, *save = NULL, *eq;

	*n = 0;
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if ((eq = strchr(line, '=')) == NULL)
			continue;
		*eq = '\0';
		ov = xreallocarray(ov, (size_t)*n + 1, sizeof *ov);
		ov[*n].key = line;
		ov[*n].value = eq + 1;
		ov[*n].origin = "a recorded --set";
		(*n)++;
	}
	return (ov);
}

/* The recorded file if it still reads the same, else its text anew. */
static const char *
replay_config_file(const struct db_replay *r, char *tmp, size_t len)
{
	FILE	*f;
	char	*now;
	int	 same, fd;

	if (r->config_path == NULL || strcmp(r->config_path,
	    "(built-in defaults)") == 0)
		return (NULL);
	/* cmd_config_text is how the text was recorded ("" if unreadable) */
	now = cmd_config_text(r->config_path);
	same = access(r->config_path, R_OK) == 0 && strcmp(now, r->config) ==
	    0;
	free(now);
	if (same)
		return (r->config_path);
	snprintf(tmp, len, "%s/fastsync-replay.XXXXXX", getenv("TMPDIR") ?
	    getenv("TMPDIR") : "/tmp");
	if ((fd = mkstemp(tmp)) < 0 || (f = fdopen(fd, "w")) == NULL)
		return (r->config_path);
	fputs(r->config, f);
	fclose(f);
	return (tmp);
}

/*
 * The configuration a recorded run was made with (its file, or the text
 * recorded if the file has changed, and its overrides), with its models.
 */
int
cmd_replay_config(const struct db_replay *r, struct fs_config *cf, char *err,
    size_t errlen)
{
	struct config_override	*ov;
	const char		*file;
	char			 tmp[512] = "", *list;
	size_t			 len = 1;
	int			 rc, nov;

	file = replay_config_file(r, tmp, sizeof tmp);
	ov = replay_overrides(r->overrides, &nov);
	for (int i = 0; i < r->nmodels; i++)
		len += strlen(r->names[i]) + 1;
	list = xcalloc(1, len);
	for (int i = 0; i < r->nmodels; i++) {
		strcat(list, i ? "," : "");
		strcat(list, r->names[i]);
	}
	rc = config_load(cf, file, ov, nov, err, errlen);
	if (rc == 0 && r->nmodels > 0 &&
	    (rc = config_select_models(cf, list, err, errlen)) != 0)
		config_free(cf);
	if (tmp[0] != '\0')
		unlink(tmp);
	free(ov);
	free(list);
	return (rc);
}

int
cmd_replay(int argc, char **argv, struct options *o)
{
	struct replay		 p;
	struct fs_config	 cf;
	struct dash_opts	 opts;
	struct dash		*d;
	struct db		*db;
	struct theme		*th;
	struct train_data	 data;
	volatile sig_atomic_t	 stop = 0;
	char			 err[1024] = "", title[64];
	int64_t			 id;
	int			 rc, nth;

	if (argc != 1)
		return (usage_error("replay: expected one RUN"));
	if ((db = cmd_db_open(o, 0, &rc)) == NULL)
		return (rc);
	if ((rc = cmd_db_run(db, argv[0], &id)) != 0 ||
	    (rc = db_load_replay(db, id, &p.r, err, sizeof err)) != 0) {
		if (err[0] != '\0')
			cli_say("%s", err);
		db_close(db);
		return (rc);
	}
	db_close(db);
	p.mismatches = 0;
	p.partial = 0;
	if (cmd_replay_config(&p.r, &cf, err, sizeof err) != 0) {
		cli_say("replay of run %lld: %s",
		    (long long)id, err);
		db_replay_free(&p.r);
		return (EXIT_USAGE);
	}
	if ((rc = cmd_load_data(&cf, &data)) != 0) {
		config_free(&cf);
		db_replay_free(&p.r);
		return (rc);
	}
	/* the run exists and loads: now the terminal and the themes */
	if ((rc = cmd_dash_prepare(o, &th, &nth)) != 0) {
		train_data_free(&data);
		config_free(&cf);
		db_replay_free(&p.r);
		return (rc);
	}
	snprintf(title, sizeof title, "replay of run %lld", (long long)id);
	cmd_dash_options(&opts, o, p.r.config_path, title, th, nth);
	opts.hooks.model_end = replay_end;
	opts.hooks.ud = &p;
	opts.data = cf.train ? &data : NULL;
	if ((d = dash_create(&cf, &opts, err, sizeof err)) == NULL) {
		cli_say("%s", err);
		rc = 1;
	} else {
		rc = dash_run(d, &stop, err, sizeof err);
		if (rc < 0) {
			cli_say("%s", err);
			rc = 1;
		} else if (stop)
			rc = 128 + (int)stop;
		else
			rc = 0;
		if (d->finished && !o->quiet)
			cli_say("replay of run %lld: %s%s",
			    (long long)id, p.mismatches ? "DIFFERS from the"
			    " record" : p.partial ? "every model the record"
			    " has whole matches it" : "every model matches the"
			    " record", p.partial && !p.mismatches ? " (the"
			    " others were recorded only in part)" : "");
		if (d->finished && p.mismatches && rc == 0)
			rc = 1;
		dash_free(d);
	}
	train_data_free(&data);
	config_free(&cf);
	db_replay_free(&p.r);
	return (rc);
}
