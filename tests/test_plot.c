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
	struct plot_spec	 spec = { "time", NULL, NULL };
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
	struct plot_spec	 spec = { NULL, "rounds", "fastsync" };
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
	spec.x = "workers";
	assert_int_equal(plot_build(&f, runs, 1, &spec, err, sizeof err), -1);
}

static void
test_other_kinds(void **state)
{
	struct plot_spec	 spec = { "round-dist", NULL, NULL };
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_accuracy),
		cmocka_unit_test(test_other_kinds),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
