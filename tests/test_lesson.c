/*
 * Lessons (ui/lesson.c, fastsync-lesson(5)): every shipped lesson loads
 * and, played through the dashboard without a terminal, reaches every
 * step's decision (the event it names, of its model, matching its keys)
 * with its placeholders filled in; bad lessons are refused with
 * FILE:LINE, one table row each; teaching.cfg has its decisions early.
 */
#include "test_util.h"
#include "dash.h"
#include "lesson.h"

static const char *const shipped[] = { "staleness", "barriers",
    "ssp-bound", "quorum" };

/* Play lesson name to its end as a viewer pressing space would. */
static void
play(const char *name)
{
	struct lesson		*l;
	struct fs_config	 cf;
	struct dash_opts	 o;
	struct dash		*d;
	char			 err[512], text[2048];

	l = lesson_load(name, err, sizeof err);
	if (l == NULL)
		fail_msg("%s", err);
	if (config_load(&cf, l->config, NULL, 0, err, sizeof err) != 0)
		fail_msg("%s: %s", name, err);
	memset(&o, 0, sizeof o);
	d = dash_create(&cf, &o, err, sizeof err);
	assert_non_null(d);
	if (lesson_begin(d, l, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(d->mode, MODE_LESSON);
	lesson_text(d, text, sizeof text);
	assert_string_equal(text, l->intro);
	for (int k = 0; k < l->nsteps; k++) {
		const struct lesson_step *st = &l->step[k];

		assert_int_equal(keys_dispatch(d, ' '), KEYS_DONE);
		assert_true(d->going);
		while (dash_pursue(d, 1) != 0)
			;
		assert_int_equal(d->mode, MODE_LESSON);
		assert_int_equal(l->cur, k);
		if (l->missed)
			fail_msg("%s step %d (line %d): its %s never came", name,
			    k + 1, st->line, sim_event_name(st->until));
		assert_int_equal(l->ev.type, st->until);
		if (st->point >= 0)
			assert_int_equal(l->ev.point, st->point);
		if (st->pass >= 0)
			assert_int_equal(l->ev.pass, st->pass);
		if (st->min_tau > 0)
			assert_true(l->ev.v_apply - l->ev.v_read >=
			    (uint64_t)st->min_tau);
		/* paused right at it */
		assert_true(d->paused);
		assert_true(l->ev.t == d->now);
		lesson_text(d, text, sizeof text);
		assert_null(strchr(text, '{'));
		assert_null(strstr(text, "w-1"));
	}
	keys_dispatch(d, ' ');
	assert_null(d->lesson);
	assert_int_equal(d->mode, MODE_MAIN);
	dash_free(d);
	config_free(&cf);
	lesson_free(l);
}

static void
test_shipped_lessons(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof shipped / sizeof shipped[0]; i++)
		play(shipped[i]);
}

#define HEAD	"name = \"x\"; title = \"t\"; intro = \"i\";\n" \
		"config = \"../teaching.cfg\";\n"

static void
test_bad_lessons(void **state)
{
	static const struct {
		const char	*text, *error;
	} bad[] = {
		{ HEAD "steps = ( { until = \"sync\"; text = \"a\" } ;",
		    "x.lesson:3: syntax error" },
		{ HEAD "colour = 1;\nsteps = ( { until = \"sync\"; text = \"a\";"
		    " } );", "x.lesson:3: unknown lesson key 'colour'" },
		{ "name = \"x\"; intro = \"i\"; config = \"c\";\nsteps = ();",
		    "x.lesson:1: 'title' is missing" },
		{ HEAD, "x.lesson:1: 'steps' is missing" },
		{ HEAD "steps = ();", "x.lesson:3: 'steps' must be a list of"
		    " one or more" },
		{ HEAD "steps = ( { text = \"a\"; } );", "x.lesson:3: 'until' is"
		    " missing" },
		{ HEAD "steps = (\n { until = \"sink\"; text = \"a\"; } );",
		    "x.lesson:4: unknown until 'sink'" },
		{ HEAD "steps = ( { until = \"sync\"; } );",
		    "x.lesson:3: 'text' is missing" },
		{ HEAD "steps = ( { until = \"sync\"; text = 3; } );",
		    "x.lesson:3: 'text' must be a string" },
		{ HEAD "steps = ( { until = \"sync\"; text = \"a\";\n"
		    " point = \"ts9\"; } );", "x.lesson:4: unknown point 'ts9'" },
		{ HEAD "steps = ( { until = \"sync\"; text = \"a\";\n"
		    " panel = \"bar\"; } );", "x.lesson:4: unknown panel 'bar'" },
		{ HEAD "steps = ( { until = \"sync\"; text = \"a\"; pass = 1;"
		    " } );", "x.lesson:3: 'pass' applies to until = \"quorum\""
		    " only" },
		{ HEAD "steps = ( { until = \"sync\"; text = \"a\"; min_tau = 2;"
		    " } );", "x.lesson:3: 'min_tau' applies to until = \"apply\""
		    " only" },
		{ HEAD "steps = ( { until = \"apply\"; text = \"a\";\n"
		    " min_tau = -2; } );", "x.lesson:4: 'min_tau' must be in" },
		{ HEAD "steps = ( { until = \"apply\"; text = \"a\"; speed = 2;"
		    " } );", "x.lesson:3: unknown step key 'speed'" },
		{ HEAD "steps = ( \"sync\" );", "x.lesson:3: a step must be a"
		    " group" },
	};
	char	err[512];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct lesson *l;

		err[0] = '\0';
		l = lesson_parse(bad[i].text, "x.lesson", err, sizeof err);
		if (l != NULL || strncmp(err, bad[i].error,
		    strlen(bad[i].error)) != 0)
			fail_msg("row %zu: got '%s', want '%s...'", i, err,
			    bad[i].error);
	}
}

/* A step whose model the configuration lacks: refused at the start. */
static void
test_model_not_there(void **state)
{
	struct lesson		*l;
	struct fs_config	 cf;
	struct dash_opts	 o;
	struct dash		*d;
	char			 err[512];

	(void)state;
	l = lesson_parse(HEAD "steps = (\n { until = \"sync\"; model ="
	    " \"dssp\"; text = \"a\"; } );", "x.lesson", err, sizeof err);
	assert_non_null(l);
	if (config_load(&cf, "configs/teaching.cfg", NULL, 0, err,
	    sizeof err) != 0)
		fail_msg("%s", err);
	memset(&o, 0, sizeof o);
	d = dash_create(&cf, &o, err, sizeof err);
	assert_int_equal(lesson_begin(d, l, err, sizeof err), -1);
	assert_string_equal(err, "x.lesson:4: model 'dssp' is not in"
	    " ../teaching.cfg");
	dash_free(d);
	config_free(&cf);
	lesson_free(l);
}

static void
count_decisions(const struct sim_event *ev, void *ud)
{
	int	*n = ud;

	if (ev->type == SIM_EV_JOIN)
		n[0]++;
	if (ev->round >= 20)
		return;
	n[1] += ev->type == SIM_EV_QUORUM && !ev->pass;
	n[2] += ev->type == SIM_EV_SYNC && ev->point == SP_FALLBACK;
	n[3] += ev->type == SIM_EV_NOTIFY;
	n[4] += ev->type == SIM_EV_QUORUM && ev->pass;
}

/*
 * configs/teaching.cfg: within FastSync's first 20 rounds its checks fail
 * and hold, it falls back and notifies late, and a worker joins.
 */
static void
test_teaching_config(void **state)
{
	struct fs_config	 cf;
	char			 err[512];
	int			 n[5] = { 0 }, f = -1;
	struct sim		*s;

	(void)state;
	if (config_load(&cf, "configs/teaching.cfg", NULL, 0, err,
	    sizeof err) != 0)
		fail_msg("%s", err);
	for (int i = 0; i < cf.nmodels; i++)
		if (cf.models[i].kind == MODEL_FASTSYNC)
			f = i;
	assert_true(f >= 0);
	s = sim_create(&cf, &cf.models[f], err, sizeof err);
	sim_observe(s, count_decisions, n);
	while (!sim_done(s) && sim_rounds_done(s) < 20)
		sim_step(s);
	assert_true(n[0] > 0);
	assert_true(n[1] > 0);
	assert_true(n[2] > 0);
	assert_true(n[3] > 0);
	assert_true(n[4] > 0);
	sim_free(s);
	config_free(&cf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_lessons),
		cmocka_unit_test(test_bad_lessons),
		cmocka_unit_test(test_model_not_there),
		cmocka_unit_test(test_teaching_config),
	};

	/* the shipped lessons, as fastsync lesson finds them */
	if (chdir(SRCDIR) != 0) {
		perror(SRCDIR);
		return (1);
	}
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
