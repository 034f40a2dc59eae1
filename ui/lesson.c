/*
 * Guided lessons (see lesson.h and fastsync-lesson(5)): the file format,
 * validated with FILE:LINE errors, and playing one in the dashboard: each
 * step is a go-to (dash_seek.c's GO_LESSON) whose hit is lesson_match();
 * there the dashboard pauses in MODE_LESSON with the step's text.
 */
#include <errno.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dash.h"
#include "lesson.h"
#include "xmalloc.h"

/* The largest lesson file read (the shipped ones are ~3 KiB). */
#define LESSON_MAX	(256 * 1024)

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/fastsync"
#endif

static const char *const panel_names[] = {
	[LP_NONE] = "none", [LP_WORKERS] = "workers", [LP_QUORUM] = "quorum",
	[LP_MODELS] = "models", [LP_CHARTS] = "charts", [LP_DAG] = "tasks",
	[LP_LOG] = "log",
};

const char *
lesson_panel_name(enum lesson_panel p)
{
	return (panel_names[p]);
}

/* Where the shipped lessons are: the source tree's, else installed. */
const char *
lesson_dir(void)
{
	return (access("configs/lessons", R_OK) == 0 ? "configs/lessons" :
	    PKGDATADIR "/configs/lessons");
}

void
lesson_free(struct lesson *l)
{
	if (l == NULL)
		return;
	for (int i = 0; i < l->nsteps; i++) {
		free(l->step[i].title);
		free(l->step[i].text);
		free(l->step[i].model);
	}
	free(l->step);
	free(l->path);
	free(l->name);
	free(l->title);
	free(l->intro);
	free(l->config);
	free(l->focus);
	free(l);
}

/* "FILE:LINE: message" into err; returns -1. */
static int __attribute__((format(printf, 5, 6)))
bad(char *err, size_t len, const char *file, int line, const char *fmt, ...)
{
	char	msg[256];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(err, len, "%s:%d: %s", file, line, msg);
	return (-1);
}

/* A setting's line (the top level's, which has none, is line 1). */
static int
line_of(const config_setting_t *s)
{
	int	n = (int)config_setting_source_line(s);

	return (n > 0 ? n : 1);
}

/* Every member of group s is one of the names (NULL-ended). */
static int
known_keys(const config_setting_t *s, const char *const *names,
    const char *file, const char *what, char *err, size_t len)
{
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t	*m = config_setting_get_elem(s,
					    (unsigned)i);
		const char		*name = config_setting_name(m);
		int			 ok = 0;

		for (int k = 0; names[k] != NULL && !ok; k++)
			ok = strcmp(name, names[k]) == 0;
		if (!ok)
			return (bad(err, len, file, line_of(m), "unknown %s key"
			    " '%s'", what, name));
	}
	return (0);
}

/* A string member (required or not) into *out (a copy). */
static int
string(const config_setting_t *g, const char *key, int required, char **out,
    const char *file, char *err, size_t len)
{
	const config_setting_t *s = config_setting_get_member(g, key);

	*out = NULL;
	if (s == NULL) {
		if (required)
			return (bad(err, len, file, line_of(g), "'%s' is"
			    " missing", key));
		return (0);
	}
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return (bad(err, len, file, line_of(s), "'%s' must be a string",
		    key));
	if (*config_setting_get_string(s) == '\0' && required)
		return (bad(err, len, file, line_of(s), "'%s' is empty", key));
	*out = xstrdup(config_setting_get_string(s));
	return (0);
}

/* An integer member in [lo, hi], or def if absent. */
static int
integer(const config_setting_t *g, const char *key, int lo, int hi, int def,
    int *out, const char *file, char *err, size_t len)
{
	const config_setting_t *s = config_setting_get_member(g, key);

	*out = def;
	if (s == NULL)
		return (0);
	if (config_setting_type(s) == CONFIG_TYPE_BOOL) {
		*out = config_setting_get_bool(s);
		return (lo <= *out && *out <= hi ? 0 : bad(err, len, file,
		    line_of(s), "'%s' must be an integer", key));
	}
	if (config_setting_type(s) != CONFIG_TYPE_INT)
		return (bad(err, len, file, line_of(s), "'%s' must be an"
		    " integer", key));
	*out = config_setting_get_int(s);
	if (*out < lo || *out > hi)
		return (bad(err, len, file, line_of(s), "'%s' must be in [%d,"
		    " %d], got %d", key, lo, hi, *out));
	return (0);
}

/* A name from a table (NULL entries skipped) into its index. */
static int
pick(const config_setting_t *g, const char *key, const char *(*name)(int),
    int n, int def, int *out, const char *file, char *err, size_t len)
{
	char	*v;

	*out = def;
	if (string(g, key, 0, &v, file, err, len) != 0)
		return (-1);
	if (v == NULL)
		return (0);
	for (int k = 0; k < n; k++)
		if (name(k) != NULL && strcmp(name(k), v) == 0) {
			*out = k;
			free(v);
			return (0);
		}
	bad(err, len, file, line_of(config_setting_get_member(g, key)),
	    "unknown %s '%s'", key, v);
	free(v);
	return (-1);
}

static const char *
event_name(int k)
{
	return (sim_event_name((enum sim_event_type)k));
}

static const char *
point_name(int k)
{
	return (k == SP_NONE ? NULL : sim_point_name((enum sim_point)k));
}

static const char *
panel_name(int k)
{
	return (panel_names[k]);
}

static int
parse_step(const config_setting_t *s, struct lesson_step *st,
    const char *file, char *err, size_t len)
{
	static const char *const keys[] = { "until", "model", "point", "pass",
	    "min_tau", "worker", "panel", "title", "text", NULL };
	int	until, panel;

	st->line = line_of(s);
	if (config_setting_type(s) != CONFIG_TYPE_GROUP)
		return (bad(err, len, file, st->line, "a step must be a group"
		    " { until = ...; text = ...; }"));
	if (known_keys(s, keys, file, "step", err, len) != 0 ||
	    string(s, "text", 1, &st->text, file, err, len) != 0 ||
	    string(s, "title", 0, &st->title, file, err, len) != 0 ||
	    string(s, "model", 0, &st->model, file, err, len) != 0 ||
	    pick(s, "until", event_name, SIM_EV_NTYPES, -1, &until, file,
	    err, len) != 0 ||
	    pick(s, "point", point_name, SP_NPOINTS, -1, &st->point, file,
	    err, len) != 0 ||
	    pick(s, "panel", panel_name, LP_LOG + 1, LP_NONE, &panel, file,
	    err, len) != 0 ||
	    integer(s, "pass", 0, 1, -1, &st->pass, file, err, len) != 0 ||
	    integer(s, "min_tau", 0, 1 << 30, 0, &st->min_tau, file, err,
	    len) != 0 ||
	    integer(s, "worker", 0, 10000000, -1, &st->worker, file, err,
	    len) != 0)
		return (-1);
	if (until < 0)
		return (bad(err, len, file, st->line, "'until' is missing: the"
		    " decision to run to (sync, quorum, apply, wait, join,"
		    " ...)"));
	st->until = (enum sim_event_type)until;
	st->panel = (enum lesson_panel)panel;
	if (st->pass >= 0 && st->until != SIM_EV_QUORUM)
		return (bad(err, len, file, st->line, "'pass' applies to"
		    " until = \"quorum\" only"));
	if (st->min_tau > 0 && st->until != SIM_EV_APPLY)
		return (bad(err, len, file, st->line, "'min_tau' applies to"
		    " until = \"apply\" only"));
	return (0);
}

/*
 * A lesson from text (name: the file, in errors). Returns NULL with
 * "FILE:LINE: message" in err on any mistake.
 */
struct lesson *
lesson_parse(const char *text, const char *name, char *err, size_t len)
{
	static const char *const keys[] = { "name", "title", "intro",
	    "config", "focus", "steps", NULL };
	struct lesson		*l = xcalloc(1, sizeof *l);
	const config_setting_t	*root, *steps;
	config_t		 c;
	int			 rc = -1;

	config_init(&c);
	l->path = xstrdup(name);
	l->cur = -1;
	l->after_model = -1;
	if (config_read_string(&c, text) != CONFIG_TRUE) {
		bad(err, len, name, config_error_line(&c), "%s",
		    config_error_text(&c));
		goto out;
	}
	root = config_root_setting(&c);
	if (known_keys(root, keys, name, "lesson", err, len) != 0 ||
	    string(root, "name", 1, &l->name, name, err, len) != 0 ||
	    string(root, "title", 1, &l->title, name, err, len) != 0 ||
	    string(root, "intro", 1, &l->intro, name, err, len) != 0 ||
	    string(root, "config", 1, &l->config, name, err, len) != 0 ||
	    string(root, "focus", 0, &l->focus, name, err, len) != 0)
		goto out;
	l->config_line = line_of(config_setting_get_member(root, "config"));
	if (l->focus != NULL)
		l->focus_line = line_of(config_setting_get_member(root,
		    "focus"));
	if ((steps = config_setting_get_member(root, "steps")) == NULL) {
		bad(err, len, name, 1, "'steps' is missing");
		goto out;
	}
	if (!config_setting_is_list(steps) ||
	    config_setting_length(steps) == 0) {
		bad(err, len, name, line_of(steps), "'steps' must be a list of"
		    " one or more ( { ... }, ... )");
		goto out;
	}
	l->nsteps = config_setting_length(steps);
	l->step = xcalloc((size_t)l->nsteps, sizeof *l->step);
	for (int i = 0; i < l->nsteps; i++)
		if (parse_step(config_setting_get_elem(steps, (unsigned)i),
		    &l->step[i], name, err, len) != 0)
			goto out;
	rc = 0;
out:
	config_destroy(&c);
	if (rc != 0) {
		lesson_free(l);
		return (NULL);
	}
	return (l);
}

/* How many newlines text has before its end (its first NUL). */
static int
line_at(const char *text)
{
	int	n = 0;

	for (const char *p = text; *p != '\0'; p++)
		n += *p == '\n';
	return (n);
}

/*
 * NAME (a shipped lesson) or a path to a .lesson file. Its config is
 * then a path from the lesson's directory.
 */
struct lesson *
lesson_load(const char *what, char *err, size_t len)
{
	struct lesson	*l = NULL;
	struct stat	 sb;
	char		*path, *text = NULL, *slash;
	size_t		 n = 0, got;
	FILE		*f;

	if (strchr(what, '/') != NULL || access(what, R_OK) == 0)
		path = xstrdup(what);
	else
		xasprintf(&path, "%s/%s.lesson", lesson_dir(), what);
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, len, "%s: %s (fastsync lesson lists the"
		    " lessons)", path, strerror(errno));
		goto out;
	}
	if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		snprintf(err, len, "%s: is a directory, not a lesson file",
		    path);
		goto out;
	}
	/* read to the end (a pipe has no size), a lesson is small */
	text = xmalloc(LESSON_MAX + 1);
	while ((got = fread(text + n, 1, LESSON_MAX + 1 - n, f)) > 0 &&
	    n + got <= LESSON_MAX)
		n += got;
	if (ferror(f)) {
		snprintf(err, len, "%s: cannot read: %s", path,
		    strerror(errno));
		goto out;
	}
	if (got > 0) {
		snprintf(err, len, "%s: larger than %d KiB: not a lesson", path,
		    LESSON_MAX / 1024);
		goto out;
	}
	text[n] = '\0';
	if (strlen(text) != n) {
		snprintf(err, len, "%s:%d: a NUL byte: not a text file", path,
		    1 + line_at(text));
		goto out;
	}
	l = lesson_parse(text, path, err, len);
	if (l != NULL && l->config[0] != '/' &&
	    (slash = strrchr(path, '/')) != NULL) {
		char *c;

		xasprintf(&c, "%.*s/%s", (int)(slash - path), path, l->config);
		free(l->config);
		l->config = c;
	}
out:
	if (f != NULL)
		fclose(f);
	free(text);
	free(path);
	return (l);
}

/* The model a step is about: its entry name, else the lesson's focus. */
static int
step_model(const struct dash *d, const struct lesson *l,
    const struct lesson_step *st)
{
	const char *name = st->model != NULL ? st->model : l->focus;

	for (int i = 0; name != NULL && i < d->nm; i++)
		if (strcmp(d->m[i].spec->name, name) == 0)
			return (i);
	return (name == NULL ? d->focus : -1);
}

/* Whether cf has a model entry called name. */
static int
has_model(const struct fs_config *cf, const char *name)
{
	for (int i = 0; i < cf->nmodels; i++)
		if (strcmp(cf->models[i].name, name) == 0)
			return (1);
	return (0);
}

/*
 * Whether the lesson fits its configuration: its focus and every step's
 * model are entries there. Else -1 with "FILE:LINE: ..." in err.
 */
int
lesson_check(const struct lesson *l, const struct fs_config *cf, char *err,
    size_t len)
{
	if (l->focus != NULL && !has_model(cf, l->focus))
		return (bad(err, len, l->path, l->focus_line, "focus model"
		    " '%s' is not in %s", l->focus, l->config));
	for (int i = 0; i < l->nsteps; i++)
		if (l->step[i].model != NULL && !has_model(cf,
		    l->step[i].model))
			return (bad(err, len, l->path, l->step[i].line, "model"
			    " '%s' is not in %s", l->step[i].model, l->config));
	return (0);
}

/*
 * Start playing l on d: every step's model must run here. The intro's
 * box comes first. Returns -1 with err if the lesson does not fit.
 */
int
lesson_begin(struct dash *d, struct lesson *l, char *err, size_t len)
{
	if (l->focus != NULL && step_model(d, l, &(struct lesson_step){
	    .model = NULL }) < 0) {
		return (bad(err, len, l->path, l->focus_line, "focus model"
		    " '%s' is not in %s", l->focus, l->config));
	}
	for (int i = 0; i < l->nsteps; i++)
		if (step_model(d, l, &l->step[i]) < 0) {
			snprintf(err, len, "%s:%d: model '%s' is not in %s",
			    l->path, l->step[i].line, l->step[i].model,
			    l->config);
			return (-1);
		}
	d->lesson = l;
	d->focus = step_model(d, l, &(struct lesson_step){ .model = NULL });
	d->paused = 1;
	l->cur = -1;
	l->nafter = l->after_pos = 0;
	l->after_model = -1;
	d->mode = MODE_LESSON;
	return (0);
}

/* Whether ev is the decision step st waits for. */
static int
wants(const struct lesson_step *st, const struct sim_event *ev)
{
	return (ev->type == st->until &&
	    (st->point < 0 || ev->point == st->point) &&
	    (st->pass < 0 || ev->pass == st->pass) &&
	    (st->worker < 0 || ev->worker == st->worker) &&
	    (st->min_tau == 0 || (ev->type == SIM_EV_APPLY &&
	    ev->v_apply >= ev->v_read &&
	    ev->v_apply - ev->v_read >= (uint64_t)st->min_tau)));
}

/* ev of model i, in the step's stream: the last gradient in, a match. */
static int
consider(struct dash *d, int i, const struct sim_event *ev)
{
	struct lesson	*l = d->lesson;

	if (ev->type == SIM_EV_ARRIVE) {
		l->last_worker = ev->worker;
		l->last_t = ev->t;
	}
	if (!wants(&l->step[l->cur], ev))
		return (0);
	l->ev = *ev;
	if (ev->worker >= 0 && ev->worker < sim_workers(d->m[i].sim)) {
		struct sim_worker_view v;

		sim_worker(d->m[i].sim, ev->worker, &v);
		l->ev.clock = v.clock;
		l->ev.min_clock = sim_min_clock(d->m[i].sim);
	}
	return (1);
}

/*
 * The step's decision among the events that came after the previous
 * step's, in the engine step where the dashboard paused (a failed
 * check's notifications): 1 if found there, nothing to run.
 */
static int
match_after(struct dash *d, int m)
{
	struct lesson	*l = d->lesson;

	if (l->after_model != m || d->m[m].events != l->after_events)
		return (0);
	while (l->after_pos < l->nafter)
		if (consider(d, m, &l->after[l->after_pos++]))
			return (1);
	return (0);
}

/* On to the next step's decision (the box closes while it runs). */
int
lesson_next(struct dash *d)
{
	struct lesson	*l = d->lesson;
	int		 m;

	if (l->cur + 1 >= l->nsteps) {
		d->lesson = NULL;
		d->mode = MODE_MAIN;
		dash_say(d, SLOT_TEXT, "end of the lesson: explore freely, q"
		    " quits");
		return (0);
	}
	l->cur++;
	l->missed = 0;
	l->last_worker = -1;
	m = step_model(d, l, &l->step[l->cur]);
	d->focus = m;
	if (match_after(d, m)) {
		d->mode = MODE_LESSON;
		return (1);
	}
	l->nafter = l->after_pos = 0;
	l->after_model = -1;
	d->mode = MODE_MAIN;
	dash_go_decision(d, GO_LESSON, m);
	return (1);
}

/* From the observer, for the step's model: is this its decision? */
int
lesson_match(struct dash *d, int i, const struct sim_event *ev)
{
	struct lesson *l = d->lesson;

	if (l == NULL || l->cur < 0 || i != d->go_model)
		return (0);
	return (consider(d, i, ev));
}

/*
 * From the observer, after the step's decision: model i's events in the
 * same engine step, which the next step may want.
 */
void
lesson_after(struct dash *d, int i, const struct sim_event *ev)
{
	struct lesson *l = d->lesson;

	if (l == NULL || i != d->go_model || l->nafter >= LESSON_AFTER)
		return;
	l->after[l->nafter++] = *ev;
}

/*
 * The go-to of a step ended: there (hit), or the run ended first. The
 * events kept after the hit are valid while the model stays at this
 * event count.
 */
void
lesson_arrived(struct dash *d, int hit)
{
	struct lesson *l = d->lesson;

	l->missed = !hit;
	l->after_model = hit ? d->go_model : -1;
	l->after_events = d->m[d->go_model].events;
	l->after_pos = 0;
	d->mode = MODE_LESSON;
}

/* Append text with {worker}, {t}, ... from the matched event. */
static void
fill(const struct lesson *l, const char *text, char *buf, size_t len)
{
	const struct sim_event	*e = &l->ev;
	size_t			 at = strlen(buf);

	for (const char *p = text; *p != '\0' && at + 1 < len; p++) {
		char	v[32] = "";
		size_t	k;

		if (*p != '{' || strchr(p, '}') == NULL) {
			buf[at++] = *p;
			continue;
		}
		k = (size_t)(strchr(p, '}') - p - 1);
#define IS(s)	(k == strlen(s) && strncmp(p + 1, s, k) == 0)
		if (IS("worker"))
			snprintf(v, sizeof v, "w%d", e->worker);
		else if (IS("t"))
			snprintf(v, sizeof v, "%.1f ms", e->t);
		else if (IS("round"))
			snprintf(v, sizeof v, "%d", e->round);
		else if (IS("clock"))
			snprintf(v, sizeof v, "%d", e->clock);
		else if (IS("min_clock"))
			snprintf(v, sizeof v, "%d", e->min_clock);
		else if (IS("ready"))
			snprintf(v, sizeof v, "%d", e->ready);
		else if (IS("needed"))
			snprintf(v, sizeof v, "%d", e->needed);
		else if (IS("count"))
			snprintf(v, sizeof v, "%d", e->count);
		else if (IS("point"))
			snprintf(v, sizeof v, "%s", sim_point_name(
			    (enum sim_point)e->point));
		else if (IS("tau"))
			snprintf(v, sizeof v, "%llu", (unsigned long long)
			    (e->v_apply - e->v_read));
		else if (IS("v_read"))
			snprintf(v, sizeof v, "v%llu",
			    (unsigned long long)e->v_read);
		else if (IS("v_apply"))
			snprintf(v, sizeof v, "v%llu",
			    (unsigned long long)e->v_apply);
		else if (IS("last"))
			snprintf(v, sizeof v, "w%d", l->last_worker);
		else if (IS("last_t"))
			snprintf(v, sizeof v, "%.1f ms", l->last_t);
		else {
			buf[at++] = *p;
			continue;
		}
#undef IS
		for (size_t j = 0; v[j] != '\0' && at + 1 < len; j++)
			buf[at++] = v[j];
		p += k + 1;
	}
	buf[at] = '\0';
}

/* The box's text now: the intro, a step's (filled in), or a miss. */
void
lesson_text(const struct dash *d, char *buf, size_t len)
{
	const struct lesson *l = d->lesson;

	buf[0] = '\0';
	if (l->cur < 0)
		fill(l, l->intro, buf, len);
	else if (l->missed)
		snprintf(buf, len, "The run ended before this step's decision"
		    " (%s of %s) came: the lesson does not fit this"
		    " configuration.", sim_event_name(l->step[l->cur].until),
		    d->m[d->go_model].spec->name);
	else
		fill(l, l->step[l->cur].text, buf, len);
}
