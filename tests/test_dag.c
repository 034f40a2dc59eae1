/* Task graph: run order, positions, and each way a graph can be wrong. */
#include "test_util.h"
#include "dag.h"

struct spec {
	const char	*name;
	enum task_kind	 kind;
	const char	*deps[3];
};

static int
build(struct dag *d, const struct spec *s, int n, char *err, size_t len,
    int *line)
{
	dag_init(d);
	for (int i = 0; i < n; i++) {
		int k = dag_add(d, s[i].name, s[i].kind,
		    s[i].kind == TASK_SYNC ? -1 : 0, 10 + i);

		for (int j = 0; j < 3 && s[i].deps[j] != NULL; j++)
			dag_add_dep(d, k, s[i].deps[j]);
	}
	return (dag_finalize(d, err, len, line));
}

static void
test_default_graph_order(void **state)
{
	static const struct spec s[] = {
		{ "load", TASK_ASYNC, { NULL } },
		{ "compute", TASK_ASYNC, { "load" } },
		{ "push", TASK_SYNC, { "compute" } },
		{ "update", TASK_LOCAL, { "push" } },
		{ "log", TASK_LOCAL, { "compute" } },
	};
	struct dag	d;
	char		err[256];
	int		line;
	static const int want[] = { 0, 1, 2, 3, 4 };

	(void)state;
	assert_int_equal(build(&d, s, 5, err, sizeof err, &line), 0);
	assert_memory_equal(d.order, want, sizeof want);
	assert_int_equal(d.sync_pos, 2);
	assert_int_equal(d.report_pos, 0);
	dag_free(&d);
}

/* Declared out of order: dependencies win, then declaration order. */
static void
test_order_follows_dependencies(void **state)
{
	static const struct spec s[] = {
		{ "update", TASK_LOCAL, { "push" } },
		{ "push", TASK_SYNC, { "compute", "prep" } },
		{ "compute", TASK_ASYNC, { "load" } },
		{ "prep", TASK_LOCAL, { NULL } },
		{ "load", TASK_ASYNC, { NULL } },
	};
	struct dag	d;
	char		err[256];
	int		line;
	static const int want[] = { 3, 4, 2, 1, 0 };

	(void)state;
	assert_int_equal(build(&d, s, 5, err, sizeof err, &line), 0);
	assert_memory_equal(d.order, want, sizeof want);
	assert_int_equal(d.sync_pos, 3);
	assert_int_equal(d.report_pos, 1);
	for (int p = 0; p < d.n; p++) {
		const struct task *t = &d.tasks[d.order[p]];

		/* every dependency runs earlier */
		for (int j = 0; j < t->ndeps; j++) {
			int q = 0;

			while (d.order[q] != t->deps[j])
				q++;
			assert_true(q < p);
		}
	}
	dag_free(&d);
}

static const struct bad {
	const char	*what;
	struct spec	 s[4];
	int		 n;
	const char	*msg;
	int		 line;
} bad[] = {
	{ "empty", { { NULL, 0, { NULL } } }, 0, "empty", 0 },
	{ "cycle", { { "a", TASK_ASYNC, { "b" } },
	    { "b", TASK_ASYNC, { "a" } },
	    { "s", TASK_SYNC, { "b" } } }, 3, "cycle through 'a'", 10 },
	{ "self", { { "a", TASK_ASYNC, { "a" } },
	    { "s", TASK_SYNC, { "a" } } }, 2, "depends on itself", 10 },
	{ "unknown dep", { { "a", TASK_ASYNC, { NULL } },
	    { "s", TASK_SYNC, { "zz" } } }, 2, "unknown task 'zz'", 11 },
	{ "duplicate", { { "a", TASK_ASYNC, { NULL } },
	    { "a", TASK_LOCAL, { NULL } },
	    { "s", TASK_SYNC, { "a" } } }, 3, "duplicate task name 'a'", 11 },
	{ "dep twice", { { "a", TASK_ASYNC, { NULL } },
	    { "s", TASK_SYNC, { "a", "a" } } }, 2, "twice", 11 },
	{ "sync first", { { "s", TASK_SYNC, { NULL } },
	    { "a", TASK_ASYNC, { NULL } } }, 2, "nothing before it", 10 },
	{ "no sync", { { "a", TASK_ASYNC, { NULL } } }, 1, "exactly one", 0 },
	{ "two syncs", { { "a", TASK_ASYNC, { NULL } },
	    { "s", TASK_SYNC, { "a" } },
	    { "t", TASK_SYNC, { "a" } } }, 3, "it has 2", 11 },
	{ "no async before sync", { { "l", TASK_LOCAL, { NULL } },
	    { "s", TASK_SYNC, { "l" } },
	    { "a", TASK_ASYNC, { "s" } } }, 3, "no async task runs before", 11 },
};

static void
test_bad_graphs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct dag	d;
		char		err[256] = "";
		int		line = -1;

		if (build(&d, bad[i].s, bad[i].n, err, sizeof err, &line) == 0)
			fail_msg("%s: accepted", bad[i].what);
		if (strstr(err, bad[i].msg) == NULL)
			fail_msg("%s: message '%s' lacks '%s'", bad[i].what, err,
			    bad[i].msg);
		if (line != bad[i].line)
			fail_msg("%s: line %d, want %d", bad[i].what, line,
			    bad[i].line);
		dag_free(&d);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_graph_order),
		cmocka_unit_test(test_order_follows_dependencies),
		cmocka_unit_test(test_bad_graphs),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
