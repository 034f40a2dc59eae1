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

/* Every event of one model's standalone run, in order. */
struct stream {
	struct sim_event	*ev;
	size_t			 n, cap;
};

static void
keep(const struct sim_event *ev, void *ud)
{
	struct stream *s = ud;

	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 4096;
		s->ev = realloc(s->ev, s->cap * sizeof *s->ev);
		assert_non_null(s->ev);
	}
	s->ev[s->n++] = *ev;
}

static void
standalone(const struct fs_config *cf, const struct model_spec *spec,
    struct stream *out)
{
	struct sim	*s;
	char		 err[256];

	memset(out, 0, sizeof *out);
	s = sim_create(cf, spec, err, sizeof err);
	if (s == NULL)
		fail_msg("%s", err);
	sim_observe(s, keep, out);
	while (sim_step(s))
		;
	sim_free(s);
}

/* What the step names, written out again (not lesson.c's code). */
static int
is_decision(const struct lesson_step *st, const struct sim_event *ev)
{
	if (ev->type != st->until)
		return (0);
	if (st->point >= 0 && ev->point != st->point)
		return (0);
	if (st->pass >= 0 && ev->pass != st->pass)
		return (0);
	if (st->worker >= 0 && ev->worker != st->worker)
		return (0);
	return (st->min_tau == 0 ||
	    (long long)(ev->v_apply - ev->v_read) >= st->min_tau);
}

/*
 * Play lesson name to its end as a viewer pressing space would. Each
 * step must stop at its model's first decision of its kind after the
 * previous step's (from a standalone run of the same model), paused
 * right there, with the placeholders filled in.
 */
static void
play(const char *name)
{
	struct lesson		*l;
	struct fs_config	 cf;
	struct dash_opts	 o;
	struct dash		*d;
	struct stream		*ref;
	size_t			*from;
	double			 prev_t = 0;
	char			 err[512], text[2048];

	l = lesson_load(name, err, sizeof err);
	if (l == NULL)
		fail_msg("%s", err);
	if (config_load(&cf, l->config, NULL, 0, err, sizeof err) != 0)
		fail_msg("%s: %s", name, err);
	memset(&o, 0, sizeof o);
	d = dash_create(&cf, &o, err, sizeof err);
	assert_non_null(d);
	ref = calloc((size_t)d->nm, sizeof *ref);
	from = calloc((size_t)d->nm, sizeof *from);
	assert_non_null(ref);
	assert_non_null(from);
	for (int i = 0; i < d->nm; i++)
		standalone(&cf, d->m[i].spec, &ref[i]);
	if (lesson_begin(d, l, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(d->mode, MODE_LESSON);
	lesson_text(d, text, sizeof text);
	assert_string_equal(text, l->intro);
	for (int k = 0; k < l->nsteps; k++) {
		const struct lesson_step *st = &l->step[k];
		const struct sim_event	 *want = NULL;
		struct stream		 *r;
		int			  mi;

		assert_int_equal(keys_dispatch(d, ' '), KEYS_DONE);
		/* running to it, or there already: the same engine step */
		while (dash_pursue(d, 1) != 0)
			;
		assert_int_equal(d->mode, MODE_LESSON);
		assert_int_equal(l->cur, k);
		if (l->missed)
			fail_msg("%s step %d (line %d): its %s never came", name,
			    k + 1, st->line, sim_event_name(st->until));
		mi = d->focus;
		r = &ref[mi];
		/* another model's step: its events before the last stop ran */
		while (k > 0 && from[mi] < r->n && r->ev[from[mi]].t < prev_t)
			from[mi]++;
		while (from[mi] < r->n && want == NULL)
			if (is_decision(st, &r->ev[from[mi]++]))
				want = &r->ev[from[mi] - 1];
		if (want == NULL)
			fail_msg("%s step %d: no such decision standalone",
			    name, k + 1);
		if (l->ev.type != want->type || l->ev.t != want->t ||
		    l->ev.worker != want->worker || l->ev.round !=
		    want->round || l->ev.point != want->point)
			fail_msg("%s step %d (line %d): stopped at %s w%d round"
			    " %d t=%.3f, the next after the previous step's is"
			    " %s w%d round %d t=%.3f", name, k + 1, st->line,
			    sim_event_name(l->ev.type), l->ev.worker,
			    l->ev.round, l->ev.t, sim_event_name(want->type),
			    want->worker, want->round, want->t);
		/* paused right at it */
		assert_true(d->paused);
		assert_true(l->ev.t == d->now);
		lesson_text(d, text, sizeof text);
		assert_null(strchr(text, '{'));
		assert_null(strstr(text, "w-1"));
		prev_t = l->ev.t;
	}
	keys_dispatch(d, ' ');
	assert_null(d->lesson);
	assert_int_equal(d->mode, MODE_MAIN);
	for (int i = 0; i < d->nm; i++)
		free(ref[i].ev);
	free(ref);
	free(from);
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
