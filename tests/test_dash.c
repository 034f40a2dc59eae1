/*
 * The dashboard's engine side, without a terminal: every model stepped in
 * one simulated-time order, 'n' is exactly one engine event, 'r' exactly
 * one round of the focus model, 'g' parses rounds and times (bad input
 * leaves everything as it was), the hooks run once per model, and a run
 * driven through the dashboard ends exactly where standalone engines do.
 */
#include <math.h>

#include "test_util.h"
#include "dash.h"
#include "sim.h"
#include "stats.h"
#include "theme.h"
#include "widgets.h"

static struct fs_config cf;

static int
setup(void **state)
{
	char	err[512];
	struct config_override o[] = {
		{ "rounds", "30", "test" },
		{ "workers.count", "12", "test" },
	};

	(void)state;
	if (config_load(&cf, SRCDIR "/configs/default.cfg", o, 2, err,
	    sizeof err) != 0)
		fail_msg("%s", err);
	return (0);
}

static int
teardown(void **state)
{
	(void)state;
	config_free(&cf);
	return (0);
}

struct counts {
	int		started[8], ended[8];
	uint64_t	seen[8];	/* events the hooked engine emitted */
	struct sim	*sim[8];	/* the engine model_start was given */
	int		wrong;		/* model_end got another one */
};

static void
count_event(const struct sim_event *ev, void *ud)
{
	(void)ev;
	(*(uint64_t *)ud)++;
}

/* As the recorder does: watch the engine the hook is given. */
static int
on_start(void *ud, struct sim *s, int i)
{
	struct counts *c = ud;

	c->started[i]++;
	c->sim[i] = s;
	sim_observe(s, count_event, &c->seen[i]);
	return (0);
}

static int
on_end(void *ud, struct sim *s, int i, char *msg, size_t len)
{
	struct counts *c = ud;

	c->wrong += s != c->sim[i];
	c->ended[i]++;
	snprintf(msg, len, "model %d ended", i);
	return (0);
}

static struct dash *
make(struct counts *c)
{
	struct dash_opts	o;
	struct dash		*d;
	char			 err[256];

	memset(&o, 0, sizeof o);
	o.hooks.model_start = on_start;
	o.hooks.model_end = on_end;
	o.hooks.ud = c;
	d = dash_create(&cf, &o, err, sizeof err);
	if (d == NULL)
		fail_msg("%s", err);
	return (d);
}

static uint64_t
engine_events(const struct dash *d)
{
	uint64_t n = 0;

	for (int i = 0; i < d->nm; i++)
		n += sim_events(d->m[i].sim);
	return (n);
}

/* 'n': one engine event each time, always the earliest one due. */
static void
test_step_event(void **state)
{
	struct counts	 c = { { 0 }, { 0 }, { 0 }, { NULL }, 0 };
	struct dash	*d = make(&c);
	double		 prev = 0;

	(void)state;
	for (int i = 0; i < d->nm; i++)
		assert_int_equal(c.started[i], 1);
	for (int k = 1; k <= 2000; k++) {
		double due = INFINITY;

		for (int i = 0; i < d->nm; i++)
			due = fmin(due, sim_next_time(d->m[i].sim));
		assert_int_equal(dash_step_event(d), 1);
		assert_int_equal(engine_events(d), (uint64_t)k);
		assert_int_equal(d->events, (uint64_t)k);
		/* it ran the earliest event: time never goes back */
		assert_true(d->now == due);
		assert_true(d->now >= prev);
		prev = d->now;
	}
	dash_free(d);
}

/*
 * Advancing to T leaves every model exactly where a standalone engine
 * run until T is: lockstep on identical draws.
 */
static void
test_advance_lockstep(void **state)
{
	struct counts	 c;
	struct dash	*d;
	char		 err[256];

	(void)state;
	memset(&c, 0, sizeof c);
	d = make(&c);
	dash_advance(d, 777.5, INFINITY);
	assert_true(d->now == 777.5);
	for (int i = 0; i < d->nm; i++) {
		struct sim *s = sim_create(&cf, &cf.models[i], err, sizeof err);

		assert_non_null(s);
		sim_run_until(s, 777.5);
		assert_int_equal(sim_events(s), sim_events(d->m[i].sim));
		assert_true(sim_next_time(d->m[i].sim) > 777.5);
		sim_free(s);
	}
	dash_free(d);
}

/* 'r': exactly one more round (or sync) of the focus model. */
static void
test_step_sync(void **state)
{
	struct counts	 c;
	struct dash	*d;

	(void)state;
	memset(&c, 0, sizeof c);
	d = make(&c);
	for (int f = 0; f < d->nm; f++) {
		d->focus = f;
		for (int k = 0; k < 3; k++) {
			int before = sim_rounds_done(d->m[f].sim);

			dash_step_sync(d);
			assert_int_equal(sim_rounds_done(d->m[f].sim),
			    before + 1);
			/* the others caught up: nothing left due by now */
			for (int i = 0; i < d->nm; i++)
				assert_true(sim_next_time(d->m[i].sim) >=
				    d->now);
		}
	}
	dash_free(d);
}

/* 'g': rounds and times; bad input is a message and changes nothing. */
static void
test_goto(void **state)
{
	static const char *const bad[] = { "", "abc", "5x", "-1", "1.5",
	    "31", "12 parsecs", "nan", "inf" };
	struct counts	 c;
	struct dash	*d;
	uint64_t	 ev;

	(void)state;
	memset(&c, 0, sizeof c);
	d = make(&c);
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		d->message[0] = '\0';
		assert_int_equal(dash_goto(d, bad[k]), -1);
		assert_non_null(strstr(d->message, "go to:"));
		assert_int_equal(d->events, 0);
		assert_false(d->going);
		assert_int_equal(dash_pursue(d, INFINITY), 0);
		assert_true(d->now == 0);
	}
	assert_int_equal(dash_goto(d, "800ms"), 0);
	assert_true(d->going);
	/* no time at all: not there yet, still going */
	assert_int_equal(dash_pursue(d, 0), 1);
	assert_true(d->going);
	while (dash_pursue(d, 0.001) != 0)
		;
	assert_true(d->now == 800);
	assert_false(d->going);
	assert_true(d->paused);
	assert_int_equal(dash_goto(d, "t=1.25s"), 0);
	assert_int_equal(dash_pursue(d, INFINITY), 0);
	assert_true(d->now == 1250);
	ev = d->events;
	/* the past: simulated again up to there; ahead again, the same */
	assert_int_equal(dash_goto(d, "100ms"), 0);
	assert_false(d->going);
	assert_true(d->now == 100);
	assert_true(d->events < ev);
	assert_int_equal(dash_goto(d, "t=1.25s"), 0);
	assert_int_equal(dash_pursue(d, INFINITY), 0);
	assert_int_equal(d->events, ev);
	for (int i = 0; i < d->nm; i++)
		assert_null(d->m[i].live);
	/* a round already done: back to where it was done */
	assert_int_equal(dash_goto(d, "3"), 0);
	assert_int_equal(sim_rounds_done(d->m[0].sim), 3);
	assert_true(d->now < 1250);
	d->focus = 1;		/* bsp */
	assert_int_equal(dash_goto(d, "20"), 0);
	d->focus = 0;		/* the target stays bsp's */
	while (dash_pursue(d, 0.001) != 0)
		;
	assert_int_equal(sim_rounds_done(d->m[1].sim), 20);
	dash_free(d);
}

/* The state of every engine, to compare going back and ahead again. */
struct snap {
	uint64_t	events[8], version[8];
	double		now[8];
};

static void
snap(const struct dash *d, struct snap *p)
{
	for (int i = 0; i < d->nm; i++) {
		p->events[i] = d->m[i].events;
		p->version[i] = sim_version(d->m[i].sim);
		p->now[i] = sim_now(d->m[i].sim);
		assert_int_equal(sim_events(d->m[i].sim), d->m[i].events);
	}
}

static void
same(const struct dash *d, const struct snap *a)
{
	struct snap b;

	snap(d, &b);
	for (int i = 0; i < d->nm; i++) {
		assert_int_equal(a->events[i], b.events[i]);
		assert_int_equal(a->version[i], b.version[i]);
		assert_true(a->now[i] == b.now[i]);
	}
}

/*
 * 'c', 'C', 'K' stop right at the focus model's decision; 'b' undoes the
 * latest event exactly (the state as it was), the focus model's with
 * focus_only; 'n' with focus_only steps one focus event. The hooked
 * engines (the recorder's) see every event once, whatever went back.
 */
static void
test_seek_and_back(void **state)
{
	struct counts	 c;
	struct dash	*d;
	struct snap	 before;
	int		 f;

	(void)state;
	memset(&c, 0, sizeof c);
	d = make(&c);
	f = d->nm - 1;		/* fastsync, the last of default.cfg */
	assert_true(sim_clusters(d->m[f].sim));
	/* from asp: c hands the focus to fastsync */
	assert_int_equal(dash_seek(d, GO_CHECK), 0);
	assert_int_equal(d->focus, f);
	while (dash_pursue(d, 0.001) != 0)
		;
	assert_true(d->m[f].have_quorum);
	assert_true(d->m[f].quorum.t == d->now);
	assert_non_null(strstr(d->message, "check for round"));
	assert_int_equal(dash_seek(d, GO_CLUSTER), 0);
	while (dash_pursue(d, 0.001) != 0)
		;
	assert_true(d->m[f].cluster_t == d->now);
	assert_int_equal(dash_seek(d, GO_FAIL), 0);
	while (dash_pursue(d, 0.001) != 0)
		;
	if (d->hit)
		assert_false(d->m[f].quorum.pass);
	else
		assert_non_null(strstr(d->message, "no failed quorum check"));
	/* b: exactly the state before the last n */
	snap(d, &before);
	assert_true(dash_step_event(d));
	assert_int_equal(dash_step_back(d), 0);
	same(d, &before);
	d->focus_only = 1;
	assert_true(dash_step_event(d));
	assert_int_equal(d->m[f].events, before.events[f] + 1);
	assert_int_equal(dash_step_back(d), 0);
	assert_int_equal(d->m[f].events, before.events[f]);
	/* to the end: the hooked engines saw each event once */
	dash_advance(d, INFINITY, INFINITY);
	assert_true(d->finished);
	for (int i = 0; i < d->nm; i++) {
		struct sim	*s = sim_create(&cf, &cf.models[i], NULL, 0);
		uint64_t	 n = 0;

		sim_observe(s, count_event, &n);
		sim_run(s);
		assert_int_equal(c.seen[i], n);
		assert_int_equal(c.started[i], 1);
		assert_int_equal(c.ended[i], 1);
		assert_null(d->m[i].live);
		sim_free(s);
	}
	assert_int_equal(c.wrong, 0);
	dash_free(d);
	/* quitting while gone back: the hooks end the recorded engines */
	memset(&c, 0, sizeof c);
	d = make(&c);
	dash_advance(d, 500, INFINITY);
	assert_int_equal(dash_goto(d, "100ms"), 0);
	assert_non_null(d->m[0].live);
	assert_int_equal(dash_end_models(d), 0);
	for (int i = 0; i < d->nm; i++)
		assert_int_equal(c.ended[i], 1);
	assert_int_equal(c.wrong, 0);
	dash_free(d);
}

/*
 * To the end through the dashboard: every hook ran once, the run is
 * finished and paused, and each model's figures are a standalone run's.
 */
static void
test_run_to_end(void **state)
{
	struct counts	 c;
	struct dash	*d;
	char		 err[256];

	(void)state;
	memset(&c, 0, sizeof c);
	d = make(&c);
	dash_advance(d, INFINITY, INFINITY);
	assert_true(d->finished);
	assert_true(d->paused);
	assert_int_equal(dash_step_event(d), 0);
	for (int i = 0; i < d->nm; i++) {
		struct sim		*s = sim_create(&cf, &cf.models[i], err,
					    sizeof err);
		const struct stats	*a, *b;

		assert_int_equal(c.ended[i], 1);
		assert_non_null(s);
		sim_run(s);
		a = sim_stats(s);
		b = sim_stats(d->m[i].sim);
		assert_int_equal(sim_events(s), sim_events(d->m[i].sim));
		assert_true(sim_now(s) == sim_now(d->m[i].sim));
		assert_int_equal(a->fresh, b->fresh);
		assert_int_equal(a->stale, b->stale);
		assert_int_equal(a->staleness_max, b->staleness_max);
		for (int k = 0; k < a->rounds; k++)
			assert_true(stats_round_time(a, k) ==
			    stats_round_time(b, k));
		sim_free(s);
	}
	/* quitting after the end runs no hook twice */
	assert_int_equal(dash_end_models(d), 0);
	for (int i = 0; i < d->nm; i++)
		assert_int_equal(c.ended[i], 1);
	dash_free(d);
}

/* Quitting early: every model's end hook, once, engines not done. */
static void
test_quit_early(void **state)
{
	struct counts	 c;
	struct dash	*d;

	(void)state;
	memset(&c, 0, sizeof c);
	d = make(&c);
	dash_advance(d, 300, INFINITY);
	assert_false(d->finished);
	assert_int_equal(dash_end_models(d), 0);
	assert_int_equal(dash_end_models(d), 0);
	for (int i = 0; i < d->nm; i++) {
		assert_int_equal(c.ended[i], 1);
		assert_false(sim_done(d->m[i].sim));
	}
	dash_free(d);
}

/* The observer: FastSync's clusters and quorum checks reach the panel. */
static void
test_fastsync_view(void **state)
{
	struct counts		 c;
	struct dash		*d;
	struct dash_model	*m;
	int			 f, labelled = 0;

	(void)state;
	memset(&c, 0, sizeof c);
	d = make(&c);
	f = dash_focus_quorum(d);
	assert_true(f >= 0);
	assert_int_equal(d->m[f].spec->kind, MODEL_FASTSYNC);
	d->focus = f;
	for (int k = 0; k < 8; k++)
		dash_step_sync(d);
	m = &d->m[f];
	assert_true(m->have_quorum);
	assert_true(m->cluster_t >= 0);
	assert_int_equal(m->csize[0] + m->csize[1] + m->csize[2],
	    sim_workers(m->sim));
	for (int i = 0; i < sim_workers(m->sim); i++)
		labelled += m->label[i] >= LABEL_NOISE &&
		    m->label[i] <= LABEL_C2;
	assert_int_equal(labelled, sim_workers(m->sim));
	/* the round being synced follows the syncs */
	assert_int_equal(m->sync_round, sim_rounds_done(m->sim));
	assert_true(d->nlog > 0);
	dash_free(d);
}

/*
 * The sync point the quorum panel shows is the one checked next: every
 * timed quorum check happens at the point and time planned before it.
 */
static void
plan_matches_checks(const struct fs_config *c)
{
	struct dash_opts	 o;
	struct dash		*d;
	struct dash_model	*m;
	char			 err[256];
	int			 f, checks = 0, point = 0, have = 0;
	double			 at = 0, seen = -1;

	memset(&o, 0, sizeof o);
	d = dash_create(c, &o, err, sizeof err);
	assert_non_null(d);
	f = dash_focus_quorum(d);
	assert_true(f >= 0);
	m = &d->m[f];
	while (!sim_done(m->sim)) {
		dash_step_event(d);
		if (m->have_quorum && m->quorum.t != seen) {
			seen = m->quorum.t;
			if (m->quorum.point != SP_FALLBACK) {
				assert_true(have);
				assert_int_equal(m->quorum.point, point);
				assert_true(m->quorum.t == at);
				checks++;
			}
		}
		have = sim_plan(m->sim, &point, &at);
		/* never a time already past */
		if (have && point != SP_FALLBACK)
			assert_true(at >= sim_now(m->sim));
	}
	assert_true(checks >= 20);
	/* the other models plan nothing */
	for (int i = 0; i < d->nm; i++)
		if (i != f)
			assert_int_equal(sim_plan(d->m[i].sim, &point, &at), 0);
	dash_free(d);
}

/*
 * The sync point the quorum panel shows is the one checked next: every
 * timed quorum check happens at the point and time planned before it,
 * on the default config and on the traces one (whose sync points can
 * fall before the check that plans them).
 */
static void
test_plan(void **state)
{
	struct fs_config	 tc;
	char			 err[512];
	struct config_override	 longer = { "rounds", "200", "test" };
	struct fs_config	 dc;

	(void)state;
	/* 200 rounds: many a sync comes before its check (everyone in) */
	if (config_load(&dc, SRCDIR "/configs/default.cfg", &longer, 1, err,
	    sizeof err) != 0)
		fail_msg("%s", err);
	plan_matches_checks(&dc);
	config_free(&dc);
	if (config_load(&tc, SRCDIR "/configs/traces.cfg", NULL, 0, err,
	    sizeof err) != 0)
		fail_msg("%s", err);
	plan_matches_checks(&tc);
	config_free(&tc);
}

/* Themes: --theme first, NO_COLOR gives mono, a bad file is FILE:LINE. */
static void
test_themes(void **state)
{
	struct theme	*th;
	char		 err[512], *bad;
	int		 n;

	(void)state;
	assert_int_equal(chdir(SRCDIR), 0);
	assert_int_equal(dash_themes(NULL, 0, &th, &n, err, sizeof err), 0);
	assert_true(n >= 4);
	assert_string_equal(th[0].name, "default");
	for (int i = 0; i < n; i++)
		theme_free(&th[i]);
	free(th);
	assert_int_equal(dash_themes(NULL, 1, &th, &n, err, sizeof err), 0);
	assert_string_equal(th[0].name, "mono");
	for (int i = 0; i < n; i++)
		theme_free(&th[i]);
	free(th);
	assert_int_equal(dash_themes("light", 0, &th, &n, err, sizeof err), 0);
	assert_string_equal(th[0].name, "light");
	for (int i = 1; i < n; i++)
		assert_string_not_equal(th[i].name, "light");
	for (int i = 0; i < n; i++)
		theme_free(&th[i]);
	free(th);
	bad = test_write_temp("name = \"x\";\ncolors = { text = { fg ="
	    " \"mauve\"; }; };\n");
	assert_int_equal(dash_themes(bad, 0, &th, &n, err, sizeof err), -1);
	assert_non_null(strstr(err, bad));
	assert_non_null(strstr(err, ":2:"));
	unlink(bad);
	free(bad);
}

/*
 * Near-equal values whose cell means round past the extremes (the
 * differences of a running sum, as round times are): every glyph stays
 * a braille or block one (an index out of range read past the tables).
 */
static void
near_equal_glyphs(void)
{
	static const double steps[] = { 79.7, 73.7, 83.8, 110.6, 102.9 };
	double	t[400], v[400];
	char	buf[1024];

	for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++) {
		t[0] = 0;
		for (int k = 1; k < 400; k++)
			t[k] = t[k - 1] + steps[s];
		for (int k = 1; k < 400; k++)
			v[k - 1] = t[k] - t[k - 1];
		for (int a = 0; a + 48 < 399; a++)
			for (int w = 8; w <= 24; w++) {
				widget_braille(buf, sizeof buf, v + a, 48, w, 1);
				assert_int_equal(strlen(buf), 3 * (size_t)w);
				for (int c = 0; c < w; c++)
					assert_true((unsigned char)buf[3 * c +
					    1] >= 0xa0 && (unsigned char)buf[3 *
					    c + 1] <= 0xa3);
				widget_sparkline(buf, sizeof buf, v + a, 48, w,
				    1);
				assert_int_equal(strlen(buf), 3 * (size_t)w);
				widget_sparkline(buf, sizeof buf, v + a, 48, w,
				    0);
				assert_int_equal(strlen(buf), (size_t)w);
			}
	}
}

/* Braille: two values a cell, heights 1..4 dots from the bottom. */
static void
test_braille(void **state)
{
	double	two[] = { 0, 1 }, four[] = { 0, 1, 2, 3 }, flat[] = { 5, 5 };
	char	buf[64];

	(void)state;
	widget_braille(buf, sizeof buf, two, 2, 1, 1);
	/* left one dot (dot 7), right four (dots 8, 6, 5, 4) */
	assert_string_equal(buf, "\u28f8");
	widget_braille(buf, sizeof buf, four, 4, 2, 1);
	assert_string_equal(buf, "\u28e0\u28fe");
	widget_braille(buf, sizeof buf, flat, 2, 1, 1);
	assert_string_equal(buf, "\u28c0");
	/* ASCII: the sparkline's ramp, a cell a value */
	widget_braille(buf, sizeof buf, four, 4, 4, 0);
	assert_string_equal(buf, "_-+#");
	widget_braille(buf, sizeof buf, four, 0, 4, 1);
	assert_string_equal(buf, "");
	near_equal_glyphs();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_step_event),
		cmocka_unit_test(test_advance_lockstep),
		cmocka_unit_test(test_step_sync),
		cmocka_unit_test(test_goto),
		cmocka_unit_test(test_seek_and_back),
		cmocka_unit_test(test_run_to_end),
		cmocka_unit_test(test_quit_early),
		cmocka_unit_test(test_fastsync_view),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_themes),
		cmocka_unit_test(test_braille),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
