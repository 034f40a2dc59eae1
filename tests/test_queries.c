/*
 * The example queries of fastsync(1), THE DATABASE: each one appears
 * verbatim in the man page and returns rows on a database recorded by
 * the real program ($FASTSYNC). Three runs of the paper's 20-worker
 * setting: as shipped; BSP and the quorum with slow workers 30 ms slower,
 * where the quorum beats BSP by more than 40%; and, last, quorum 0.95, so
 * that quorum checks fail and gradients come late.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

#define PAPER20	SRCDIR "/configs/paper-20-workers.cfg"
#define MANPAGE	SRCDIR "/man/fastsync.1"

struct query {
	const char	*what;
	const char	*sql;
};

/* Keep these identical to the displays in man/fastsync.1. */
static const struct query queries[] = {
	{ "mean inter-sync time per model",
	    "SELECT model, count(*) AS runs, avg(round_mean_ms) AS round_ms\n"
	    "  FROM run_summary WHERE status = 'complete'\n"
	    "  GROUP BY model ORDER BY round_ms;" },
	{ "share of stale gradients per model",
	    "SELECT model, sum(stale) AS stale, sum(gradients) AS gradients,\n"
	    "  round(100.0 * sum(stale) / sum(gradients), 2) AS stale_pct\n"
	    "  FROM run_models GROUP BY model ORDER BY stale_pct DESC;" },
	{ "quorum at each FastSync sync of the last run",
	    "SELECT r.model, r.round, r.sync_point, r.quorum, r.participants\n"
	    "  FROM rounds r JOIN run_models m\n"
	    "    ON m.run = r.run AND m.model = r.model\n"
	    "  WHERE r.run = (SELECT max(id) FROM runs) AND m.kind = 'fastsync'\n"
	    "    AND r.t_sync IS NOT NULL\n"
	    "  ORDER BY r.model, r.round;" },
	{ "runs where the quorum beat BSP by more than 40%",
	    "SELECT r.id, r.name, f.round_mean_ms AS quorum_ms,\n"
	    "  b.round_mean_ms AS bsp_ms,\n"
	    "  round(100 * f.round_mean_ms / b.round_mean_ms, 1) AS pct_of_bsp\n"
	    "  FROM runs r\n"
	    "  JOIN run_models f ON f.run = r.id AND f.kind = 'quorum'\n"
	    "  JOIN run_models b ON b.run = r.id AND b.kind = 'bsp'\n"
	    "  WHERE f.round_mean_ms < 0.6 * b.round_mean_ms\n"
	    "  ORDER BY r.id;" },
	{ "staleness distribution of DSSP in the last run",
	    "SELECT staleness, count(*) AS gradients FROM updates\n"
	    "  WHERE run = (SELECT max(id) FROM runs) AND model = 'dssp'\n"
	    "  GROUP BY staleness ORDER BY staleness;" },
	{ "failed quorum checks of the last run",
	    "SELECT model, round, t, point, ready, needed FROM quorum_checks\n"
	    "  WHERE run = (SELECT max(id) FROM runs) AND pass = 0\n"
	    "  ORDER BY model, t;" },
	{ "late notifications and late gradients of the last run",
	    "SELECT model, t, type, worker, round, point FROM events\n"
	    "  WHERE run = (SELECT max(id) FROM runs)\n"
	    "    AND type IN ('notify', 'late')\n"
	    "  ORDER BY model, seq;" },
	{ "waits of slow and fast workers in the last run",
	    "SELECT model, slow, count(*) AS workers, avg(wait_ms) AS wait_ms,\n"
	    "  avg(busy_ms) AS busy_ms FROM workers\n"
	    "  WHERE run = (SELECT max(id) FROM runs)\n"
	    "  GROUP BY model, slow ORDER BY model, slow;" },
	{ "FastSync's clusters in the last run",
	    "SELECT round, label, count(*) AS workers,\n"
	    "  group_concat(worker) AS members FROM clusters\n"
	    "  WHERE run = (SELECT max(id) FROM runs)\n"
	    "  GROUP BY round, label ORDER BY round, label;" },
	{ "FastSync by quorum, from its parameters",
	    "SELECT run, json_extract(params, '$.quorum') AS quorum,\n"
	    "  round_mean_ms, stale, syncs_fallback FROM run_models\n"
	    "  WHERE kind = 'fastsync' ORDER BY quorum, run;" },
};
#define NQUERIES	(sizeof queries / sizeof queries[0])
#define BEAT_BSP	3	/* queries[BEAT_BSP]: the quorum beat BSP by 40% */

static char	 dir[256];
static char	 db_file[300];
static char	*man_text;

/* The whole of a file, NUL-terminated, or NULL. */
static char *
slurp(const char *path)
{
	FILE	*f = fopen(path, "rb");
	char	*buf;
	long	 n;

	if (f == NULL)
		return (NULL);
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (buf = malloc((size_t)n + 1)) ==
	    NULL) {
		fclose(f);
		return (NULL);
	}
	n = (long)fread(buf, 1, (size_t)n, f);
	buf[n] = '\0';
	fclose(f);
	return (buf);
}

/* Run $FASTSYNC with argv (NULL-terminated), stdout to /dev/null. */
static int
fastsync(const char *bin, const char *const *argv)
{
	const char	*args[32];
	pid_t		 pid;
	int		 status, n = 0, fd;

	args[n++] = bin;
	while (*argv != NULL && n < 31)
		args[n++] = *argv++;
	args[n] = NULL;
	if ((pid = fork()) < 0)
		return (-1);
	if (pid == 0) {
		if ((fd = open("/dev/null", O_WRONLY)) >= 0)
			dup2(fd, STDOUT_FILENO);
		execv(bin, (char *const *)(uintptr_t)args);
		fprintf(stderr, "test_queries: %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return (-1);
	return (WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
	    WTERMSIG(status));
}

static int	teardown(void **);

/* Record the three runs into a database of our own. */
static int
setup(void **state)
{
	const char	*bin = getenv("FASTSYNC"), *tmp = getenv("TMPDIR");
	const char	*plain[] = { "run", "--headless", "-q", "--db", db_file, "-c", PAPER20,
			    "-r", "60", NULL };
	const char	*slow[] = { "run", "--headless", "-q", "--db", db_file, "-c", PAPER20,
			    "-r", "60", "-m", "bsp,quorum", "--set",
			    "workers.slow_offset_ms=30", "--name", "slow30",
			    NULL };
	const char	*q95[] = { "run", "--headless", "-q", "--db", db_file, "-c", PAPER20,
			    "-r", "60", "--set", "models.fastsync.quorum=0.95",
			    "--name", "q95", NULL };
	const char *const *runs[] = { plain, slow, q95 };

	(void)state;
	if (bin == NULL || *bin == '\0') {
		fprintf(stderr, "test_queries: FASTSYNC (the program's path)"
		    " is not set\n");
		return (-1);
	}
	if ((man_text = slurp(MANPAGE)) == NULL) {
		fprintf(stderr, "test_queries: %s: cannot read\n", MANPAGE);
		return (-1);
	}
	snprintf(dir, sizeof dir, "%s/fastsync-queries-XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		fprintf(stderr, "test_queries: %s: %s\n", dir, strerror(errno));
		return (-1);
	}
	snprintf(db_file, sizeof db_file, "%s/runs.db", dir);
	for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
		int rc = fastsync(bin, runs[i]);

		if (rc != 0) {
			fprintf(stderr, "test_queries: recording run %zu"
			    " exited %d\n", i + 1, rc);
			(void)teardown(state);
			return (-1);
		}
	}
	return (0);
}

static int
teardown(void **state)
{
	static const char *const suffix[] = { "", "-wal", "-shm",
	    "-journal" };
	char	path[320];

	(void)state;
	for (size_t i = 0; *db_file != '\0' &&
	    i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(path, sizeof path, "%s%s", db_file, suffix[i]);
		(void)unlink(path);
	}
	if (*dir != '\0')
		(void)rmdir(dir);
	*db_file = *dir = '\0';
	free(man_text);
	man_text = NULL;
	return (0);
}

static sqlite3 *
open_db(void)
{
	sqlite3	*h = NULL;

	if (sqlite3_open_v2(db_file, &h, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		fail_msg("%s: %s", db_file, h ? sqlite3_errmsg(h) : "no memory");
	/* the events view's sqlar_uncompress, as the sqlite3 shell has it */
	assert_int_equal(db_define_functions(h), 0);
	return (h);
}

/* Rows sql returns; fails on any error, or on text after the statement. */
static int
count_rows(sqlite3 *h, const char *sql, const char *name1, int *named)
{
	sqlite3_stmt	*st;
	const char	*tail = NULL;
	int		 rc, rows = 0;

	if (sqlite3_prepare_v2(h, sql, -1, &st, &tail) != SQLITE_OK)
		fail_msg("%s\n%s", sqlite3_errmsg(h), sql);
	assert_non_null(st);
	assert_string_equal(tail, "");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);

		rows++;
		if (named != NULL && name != NULL && strcmp(name, name1) == 0)
			(*named)++;
	}
	if (rc != SQLITE_DONE)
		fail_msg("%s\n%s", sqlite3_errmsg(h), sql);
	sqlite3_finalize(st);
	return (rows);
}

/* One example: verbatim in the man page, and it finds rows. */
static void
test_query(void **state)
{
	const struct query	*q = *state;
	sqlite3			*h = open_db();

	if (strstr(man_text, q->sql) == NULL)
		fail_msg("not in %s verbatim (%s):\n%s", MANPAGE, q->what,
		    q->sql);
	assert_true(count_rows(h, q->sql, NULL, NULL) > 0);
	sqlite3_close(h);
}

/* Every query display of the man page is one of ours. */
static void
test_every_display_tested(void **state)
{
	const char	*start = ".Bd -literal -offset indent\nSELECT ", *p;
	size_t		 n = 0;

	(void)state;
	for (p = man_text; (p = strstr(p, start)) != NULL;
	    p += strlen(start)) {
		const char	*sql = p + strlen(start) - strlen("SELECT ");
		int		 found = 0;

		for (size_t i = 0; i < NQUERIES && !found; i++)
			found = strncmp(sql, queries[i].sql,
			    strlen(queries[i].sql)) == 0 &&
			    strncmp(sql + strlen(queries[i].sql), "\n.Ed\n",
			    5) == 0;
		if (!found)
			fail_msg("a query in %s is not in the test:\n%.200s",
			    MANPAGE, sql);
		n++;
	}
	assert_int_equal(n, NQUERIES);
}

/* The 20% query keeps the slow30 run and leaves the others out. */
static void
test_beat_bsp_selects(void **state)
{
	sqlite3	*h = open_db();
	int	 named = 0;

	(void)state;
	assert_int_equal(count_rows(h, queries[BEAT_BSP].sql, "slow30",
	    &named), 1);
	assert_int_equal(named, 1);
	sqlite3_close(h);
}

/* The runs were recorded as the examples need them. */
static void
test_recorded(void **state)
{
	sqlite3	*h = open_db();

	(void)state;
	assert_int_equal(count_rows(h, "SELECT id, name FROM runs WHERE"
	    " status = 'complete'", NULL, NULL), 3);
	assert_int_equal(count_rows(h, "SELECT id, name FROM runs WHERE"
	    " id = (SELECT max(id) FROM runs) AND name = 'q95'", NULL, NULL),
	    1);
	assert_true(count_rows(h, "SELECT run, model FROM quorum_checks"
	    " WHERE run = 3 AND pass = 0", NULL, NULL) > 0);
	assert_true(count_rows(h, "SELECT run, model FROM events WHERE"
	    " run = 3 AND type = 'late'", NULL, NULL) > 0);
	sqlite3_close(h);
}

int
main(void)
{
	struct CMUnitTest	tests[NQUERIES + 3];
	size_t			n = 0;

	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_recorded);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
	    test_every_display_tested);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
	    test_beat_bsp_selects);
	for (size_t i = 0; i < NQUERIES; i++)
		tests[n++] = (struct CMUnitTest){ queries[i].what, test_query,
		    NULL, NULL, (void *)(uintptr_t)&queries[i] };
	if (n != sizeof tests / sizeof tests[0])
		return (1);
	return (cmocka_run_group_tests(tests, setup, teardown));
}
