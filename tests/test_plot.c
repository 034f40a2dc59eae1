/*
 * The figures' data (plot_data.c), without drawing: each kind's series
 * from made-up rows, the default kind, -m, the labels of overlaid runs
 * and the refusals.
 */
#include <math.h>

#include "test_util.h"
#include "plot.h"
#include "sim.h"

#define ROUNDS	4

static struct round_stats	 rounds[2][ROUNDS];
static struct report_row	 rows[2];
static struct plot_eval		 evals[3] = {
	{ 0, 0, 0.1 }, { 2, 250, 0.5 }, { 4, 500, 0.7 }
};
static struct plot_model	 models[2][2];
static struct plot_run		 runs[2];

/* Two runs of a BSP and a FastSync model; BSP's round k ends at 100(k+1). */
static void
setup_runs(int trained)
{
	static char bsp[] = "bsp", fs[] = "fastsync", na[] = "a", nb[] = "b";
	char *kinds[2] = { bsp, fs };

	memset(rows, 0, sizeof rows);
	for (int m = 0; m < 2; m++) {
		rows[m].model = kinds[m];
		rows[m].workers = 5;
		rows[m].rounds = ROUNDS;
		rows[m].st.rounds = ROUNDS;
		rows[m].st.round = rounds[m];
		rows[m].st.hist[0] = 3;
		rows[m].st.hist[4] = 1;
		for (int k = 0; k < ROUNDS; k++) {
			rounds[m][k].t_end = rounds[m][k].t_sync =
			    100.0 * (k + 1) * (m + 1);
			rounds[m][k].point = k < 2 ? SP_TS1 : SP_FALLBACK;
			rounds[m][k].quorum = 0.8;
		}
	}
	for (int r = 0; r < 2; r++) {
		runs[r].id = r + 1;
		runs[r].name = r == 0 ? na : nb;
		runs[r].workers = 5;
		runs[r].target = 0.6;
		runs[r].m = models[r];
		runs[r].nm = 2;
		for (int m = 0; m < 2; m++) {
			models[r][m].row = &rows[m];
			models[r][m].kind = kinds[m];
			models[r][m].evals = trained ? evals : NULL;
			models[r][m].nevals = trained ? 3 : 0;
		}
	}
}

static void
test_time(void **state)
{
	struct plot_spec	 spec = { .kind = "time" };
	struct plot_fig		 f;
	char			 err[256];

	(void)state;
	setup_runs(0);
	assert_string_equal(plot_default_kind(runs, 1), "time");
	assert_int_equal(plot_build(&f, runs, 1, &spec, err, sizeof err), 0);
	assert_int_equal(f.np, 1);
	assert_int_equal(f.p[0].ns, 2);
	assert_int_equal(f.p[0].s[0].n, ROUNDS);
	/* cumulative time in seconds against rounds 1..R */
	assert_true(f.p[0].s[0].x[3] == 4 && fabs(f.p[0].s[0].y[3] - 0.4) <
	    1e-12);
	assert_true(fabs(f.p[0].s[1].y[3] - 0.8) < 1e-12);
	assert_string_equal(f.p[0].s[1].label, "fastsync");
	plot_fig_free(&f);
}

static void
test_accuracy(void **state)
{
	struct plot_spec	 spec = { .x = "rounds", .models = "fastsync" };
	static char		 la[] = "models.quorum.quorum=0.5";
	static char		 lb[] = "models.quorum.quorum=0.7";
	struct plot_fig		 f;
	char			 err[256];

	(void)state;
	setup_runs(0);
	spec.kind = "accuracy";
	assert_int_equal(plot_build(&f, runs, 1, &spec, err, sizeof err), -1);
	assert_string_equal(err, "run 1 has no accuracy rows (record a run"
	    " with workload = \"train\")");
	setup_runs(1);
	spec.kind = NULL;
	assert_string_equal(plot_default_kind(runs, 2), "accuracy");
	assert_int_equal(plot_build(&f, runs, 2, &spec, err, sizeof err), 0);
	/* -m fastsync, two runs told apart by name; target 60% */
	assert_int_equal(f.p[0].ns, 2);
	assert_string_equal(f.p[0].s[0].label, "a fastsync");
	assert_string_equal(f.p[0].s[1].label, "b fastsync");
	assert_int_equal(f.p[0].s[1].variant, 1);
	assert_int_equal(f.p[0].s[0].n, 3);
	assert_true(f.p[0].s[0].x[2] == 4 && fabs(f.p[0].s[0].y[2] - 70) <
	    1e-9);
	assert_true(fabs(f.p[0].hline - 60) < 1e-9);
	plot_fig_free(&f);
	/* the caller's labels (what differs in their settings) come first */
	runs[0].label = la;
	runs[1].label = lb;
	assert_int_equal(plot_build(&f, runs, 2, &spec, err, sizeof err), 0);
	assert_string_equal(f.p[0].s[0].label, "models.quorum.quorum=0.5"
	    " fastsync");
	assert_string_equal(f.p[0].s[1].label, "models.quorum.quorum=0.7"
	    " fastsync");
	plot_fig_free(&f);
	runs[0].label = runs[1].label = NULL;
	spec.x = "workers";
	assert_int_equal(plot_build(&f, runs, 1, &spec, err, sizeof err), -1);
}

static void
test_other_kinds(void **state)
{
	struct plot_spec	 spec = { .kind = "round-dist" };
	struct plot_fig		 f;
	char			 err[256];

	(void)state;
	setup_runs(0);
	assert_int_equal(plot_build(&f, runs, 1, &spec, err, sizeof err), 0);
	assert_true(f.p[0].s[0].x[0] == 100 && f.p[0].s[0].y[3] == 1);
	plot_fig_free(&f);
	spec.kind = "staleness";
	assert_int_equal(plot_build(&f, runs, 1, &spec, err, sizeof err), 0);
	/* bins 0..4 centred on each count, closed after the last */
	assert_int_equal(f.p[0].s[0].n, 6);
	assert_true(fabs(f.p[0].s[0].y[0] - 75) < 1e-9);
	assert_true(f.p[0].vline == 4);
	plot_fig_free(&f);
	spec.kind = "syncpoints";
	assert_int_equal(plot_build(&f, runs, 1, &spec, err, sizeof err), 0);
	assert_int_equal(f.np, 2);
	assert_int_equal(f.p[0].ns, 1);
	assert_true(f.p[0].s[0].y[0] == 0 && f.p[0].s[0].y[3] == 3);
	plot_fig_free(&f);
	spec.models = "bsp";
	assert_int_equal(plot_build(&f, runs, 1, &spec, err, sizeof err), -1);
	spec.kind = "pie";
	assert_int_equal(plot_build(&f, runs, 1, &spec, err, sizeof err), -1);
	assert_false(plot_kind_valid("pie"));
}

/*
 * A sweep by hand: keys q (0.5, 0.9) and w (10, 20), seeds 1..3, models
 * bsp and quorum. BSP's time is 100 seed + w ms; quorum's is BSP's times
 * 0.5, 0.6, 0.7 on seeds 1..3 at q = 0.5, and 0.9 on every seed at 0.9.
 */
#define SW_COLS	7
static char	 sw_text[SW_COLS][16] = { "point", "q", "w", "seed", "model",
		    "time_ms", "accuracy" };
static char	*sw_names[SW_COLS];
static int	 sw_keys[2] = { 1, 2 };
static struct plot_sweep_row	sw_rows[24];
static double			sw_v[24][SW_COLS];
static struct plot_sweep	sw;

static void
setup_sweep(void)
{
	static char	bsp[] = "bsp", quorum[] = "quorum", name[] = "qs";
	const double	ratio[2][3] = { { 0.5, 0.6, 0.7 }, { 0.9, 0.9, 0.9 } };
	int		n = 0;

	for (int c = 0; c < SW_COLS; c++)
		sw_names[c] = sw_text[c];
	for (int qi = 0; qi < 2; qi++)
		for (int wi = 0; wi < 2; wi++)
			for (int seed = 1; seed <= 3; seed++)
				for (int m = 0; m < 2; m++) {
					struct plot_sweep_row *r = &sw_rows[n];
					double *v = sw_v[n++];
					double base = 100.0 * seed + 10 *
					    (wi + 1);

					r->point = qi * 2 + wi;
					r->seed = seed;
					r->model = r->kind = m ? quorum : bsp;
					r->v = v;
					v[0] = (double)r->point;
					v[1] = qi ? 0.9 : 0.5;
					v[2] = 10.0 * (wi + 1);
					v[3] = seed;
					v[4] = NAN;
					v[5] = m ? base * ratio[qi][seed - 1] :
					    base;
					v[6] = NAN;
				}
	sw.name = name;
	sw.col = sw_names;
	sw.ncol = SW_COLS;
	sw.key = sw_keys;
	sw.nkey = 2;
	sw.r = sw_rows;
	sw.n = n;
}

static void
test_sweep(void **state)
{
	struct plot_spec	 spec = { .kind = "sweep" };
	struct plot_fig		 f;
	struct plot_series	*s;
	char			 err[256];
	/* Student t, 2 degrees of freedom, two-sided 95% */
	double			 half = 4.302652729749464 * 0.1 / sqrt(3);

	(void)state;
	setup_sweep();
	/* the default: each model's paired ratio to bsp against q */
	assert_int_equal(plot_build_sweep(&f, &sw, &spec, err, sizeof err), 0);
	assert_int_equal(f.np, 1);
	assert_int_equal(f.p[0].ns, 2);
	assert_true(f.p[0].hline == 1);
	assert_string_equal(f.p[0].ref_label, "bsp");
	assert_string_equal(f.p[0].xlabel, "q");
	s = &f.p[0].s[0];
	assert_string_equal(s->label, "quorum (w=10)");
	assert_string_equal(f.p[0].s[1].label, "quorum (w=20)");
	assert_int_equal(f.p[0].s[1].variant, 1);
	assert_int_equal(s->n, 2);
	assert_true(s->x[0] == 0.5 && s->x[1] == 0.9);
	assert_true(fabs(s->y[0] - 0.6) < 1e-12);
	assert_true(fabs(s->lo[0] - (0.6 - half)) < 1e-9);
	assert_true(fabs(s->hi[0] - (0.6 + half)) < 1e-9);
	/* the same ratio on every seed: an interval of no width */
	assert_true(fabs(s->y[1] - 0.9) < 1e-12);
	assert_true(fabs(s->hi[1] - s->lo[1]) < 1e-12);
	plot_fig_free(&f);

	/* the time itself, in seconds, against w: a line per model and q */
	spec.y = "time";
	spec.x = "w";
	assert_int_equal(plot_build_sweep(&f, &sw, &spec, err, sizeof err), 0);
	assert_int_equal(f.p[0].ns, 4);
	assert_true(isnan(f.p[0].hline));
	s = &f.p[0].s[0];
	assert_string_equal(s->label, "bsp (q=0.5)");
	assert_true(s->n == 2 && s->x[0] == 10 && s->x[1] == 20);
	/* mean of 110, 210, 310 ms; sd 100 */
	assert_true(fabs(s->y[0] - 0.21) < 1e-12);
	/* sd 100 ms: the half-width is 1000 times the ratio's, in s */
	assert_true(fabs(s->hi[0] - (0.21 + half)) < 1e-9);
	/* quorum: 110 x 0.5, 210 x 0.6, 310 x 0.7 ms */
	assert_true(fabs(f.p[0].s[1].y[0] - (55 + 126 + 217) / 3e3) < 1e-12);
	plot_fig_free(&f);

	/* -m names the lines; the metric's own name works as well (and
	 * reads in seconds, as time does) */
	spec.y = "time_ms";
	spec.models = "quorum";
	assert_int_equal(plot_build_sweep(&f, &sw, &spec, err, sizeof err), 0);
	assert_int_equal(f.p[0].ns, 2);
	assert_string_equal(f.p[0].s[0].label, "quorum (q=0.5)");
	assert_true(fabs(f.p[0].s[0].y[0] - (55 + 126 + 217) / 3e3) < 1e-12);
	plot_fig_free(&f);
	spec.models = NULL;

	/* what cannot be drawn */
	spec.y = "accuracy";
	assert_int_equal(plot_build_sweep(&f, &sw, &spec, err, sizeof err),
	    -1);
	assert_string_equal(err, "sweep qs has no accuracy values (not a"
	    " training sweep)");
	spec.y = "seed";
	assert_int_equal(plot_build_sweep(&f, &sw, &spec, err, sizeof err),
	    -1);
	assert_non_null(strstr(err, "--y: expected ratio"));
	spec.y = NULL;
	spec.x = "z";
	assert_int_equal(plot_build_sweep(&f, &sw, &spec, err, sizeof err),
	    -1);
	assert_string_equal(err, "--x: expected a key sweep qs varies (q, w),"
	    " got 'z'");
	spec.x = NULL;
	spec.baseline = "asp";
	assert_int_equal(plot_build_sweep(&f, &sw, &spec, err, sizeof err),
	    -1);
	assert_non_null(strstr(err, "has no model 'asp'"));
	spec.baseline = NULL;
	spec.models = "bsp";
	assert_int_equal(plot_build_sweep(&f, &sw, &spec, err, sizeof err),
	    -1);
	assert_string_equal(err, "sweep qs has no model -m bsp names (besides"
	    " the baseline)");
}

/* A key varied over words makes lines named by them (x needs numbers). */
static void
test_sweep_text_key(void **state)
{
	static char	 ten[] = "ten", twenty[] = "twenty";
	static char	*text[24][SW_COLS];
	struct plot_spec spec = { .kind = "sweep", .y = "time" };
	struct plot_fig	 f;
	char		 err[256];

	(void)state;
	setup_sweep();
	for (int i = 0; i < sw.n; i++) {
		text[i][2] = sw_rows[i].v[2] == 10 ? ten : twenty;
		sw_rows[i].v[2] = NAN;
		sw_rows[i].text = text[i];
	}
	assert_int_equal(plot_build_sweep(&f, &sw, &spec, err, sizeof err), 0);
	assert_int_equal(f.p[0].ns, 4);
	assert_string_equal(f.p[0].s[0].label, "bsp (w=ten)");
	assert_string_equal(f.p[0].s[3].label, "quorum (w=twenty)");
	assert_true(f.p[0].s[0].n == 2 && fabs(f.p[0].s[0].y[0] - 0.21) <
	    1e-12);
	plot_fig_free(&f);
	spec.x = "w";
	assert_int_equal(plot_build_sweep(&f, &sw, &spec, err, sizeof err),
	    -1);
	assert_non_null(strstr(err, "--x: w's values are not numbers"));
	for (int i = 0; i < sw.n; i++)
		sw_rows[i].text = NULL;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_accuracy),
		cmocka_unit_test(test_other_kinds),
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_sweep_text_key),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
