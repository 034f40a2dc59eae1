/*
 * The metrics table against what it drives: fastsync(1)'s column list
 * in OUTPUT names every metric, in the table's order, with its unit, and
 * nothing else; the run_models list in THE DATABASE names every stored
 * metric; compare names its lines; the workers and rounds lists name
 * those tables' figures; a new database's run_models, workers and
 * rounds columns are the tables', with their SQL types. A row added without docs or a
 * migration fails here.
 */
#include <ctype.h>
#include <sqlite3.h>

#include "test_util.h"
#include "db.h"
#include "db_priv.h"
#include "metric.h"

/* run_models columns that are not metrics: keys, the model, the array. */
static const char *const fixed_columns[] = {
	"run", "model", "kind", "position", "params", "status",
	"staleness_hist",
};
#define NFIXED	(sizeof fixed_columns / sizeof fixed_columns[0])

/* One .It of a man page list: the names it gives and its text. */
struct entry {
	char	names[8][64];
	int	nnames;
	char	text[2048];
};

struct list {
	struct entry	e[64];
	int		n;
};

static char *
read_man(void)
{
	size_t	 n;
	char	*buf = test_read_file(SRCDIR "/man/fastsync.1", &n);

	assert_true(n > 0);
	return (buf);
}

/* The names of an ".It Cm a , b , c" line. */
static void
entry_names(struct entry *e, const char *line)
{
	char	 copy[256], *save = NULL;

	snprintf(copy, sizeof copy, "%s", line + 4);
	for (char *t = strtok_r(copy, " ", &save); t != NULL;
	    t = strtok_r(NULL, " ", &save)) {
		if (strcmp(t, "Cm") == 0 || strcmp(t, ",") == 0)
			continue;
		assert_true(e->nnames < 8);
		snprintf(e->names[e->nnames++], sizeof e->names[0], "%s", t);
	}
}

/*
 * The tag list that starts at the first ".Bl" after the line "after"
 * (itself after the line "within"), to its ".El".
 */
static void
man_list(const char *man, const char *within, const char *after,
    struct list *l)
{
	const char	*p = strstr(man, within);
	struct entry	*e = NULL;
	int		 depth = 0;

	memset(l, 0, sizeof *l);
	assert_non_null(p);
	p = strstr(p, after);
	assert_non_null(p);
	p = strstr(p, "\n.Bl ");
	assert_non_null(p);
	for (p++; *p != '\0'; p = strchr(p, '\n') + 1) {
		char line[256];

		snprintf(line, sizeof line, "%.*s", (int)strcspn(p, "\n"), p);
		if (strncmp(line, ".Bl ", 4) == 0)
			depth++;
		else if (strcmp(line, ".El") == 0 && --depth == 0)
			return;
		if (depth == 1 && strncmp(line, ".It Cm ", 7) == 0) {
			assert_true(l->n < 64);
			e = &l->e[l->n++];
			entry_names(e, line);
		} else if (e != NULL) {
			size_t n = strlen(e->text);

			snprintf(e->text + n, sizeof e->text - n, "%s\n", line);
		}
		if (strchr(p, '\n') == NULL)
			break;
	}
	fail_msg("%s: list after '%s' has no end", within, after);
}

static const struct entry *
find_entry(const struct list *l, const char *name)
{
	for (int i = 0; i < l->n; i++)
		for (int k = 0; k < l->e[i].nnames; k++)
			if (strcmp(l->e[i].names[k], name) == 0)
				return (&l->e[i]);
	return (NULL);
}

/* unit as a word of text (not inside another word: "ms" in "items"). */
static int
has_word(const char *text, const char *unit)
{
	size_t	n = strlen(unit);

	for (const char *p = strstr(text, unit); p != NULL;
	    p = strstr(p + 1, unit)) {
		int before = p > text && isalnum((unsigned char)p[-1]);
		int after = isalnum((unsigned char)p[n]);

		if (!before && !after)
			return (1);
	}
	return (0);
}

/* A table's names and units, as check_list() reads them. */
struct named {
	const char	*name[64];
	const char	*unit[64];
	size_t		 n;
};

/*
 * The list's entries from entry "from" name exactly want's names, in
 * order, each entry giving the unit of every name it lists.
 */
static void
check_list(const struct list *l, int from, const struct named *want,
    const char *what)
{
	size_t	m = 0;

	for (int i = from; i < l->n; i++) {
		const struct entry *e = &l->e[i];

		for (int k = 0; k < e->nnames; k++, m++) {
			if (m >= want->n)
				fail_msg("fastsync.1 %s lists '%s', not in the"
				    " table", what, e->names[k]);
			if (strcmp(e->names[k], want->name[m]) != 0)
				fail_msg("fastsync.1 %s lists '%s' where the"
				    " table has '%s'", what, e->names[k],
				    want->name[m]);
			if (*want->unit[m] != '\0' &&
			    !has_word(e->text, want->unit[m]))
				fail_msg("fastsync.1 %s: '%s' does not give its"
				    " unit '%s'", what, e->names[k],
				    want->unit[m]);
		}
	}
	if (m < want->n)
		fail_msg("fastsync.1 %s does not list '%s'", what,
		    want->name[m]);
}

/*
 * OUTPUT: every metric, in the table's order, with its unit, no other;
 * THE DATABASE's workers: the worker, then the workers table's figures.
 */
static void
test_ordered_lists(void **state)
{
	struct list	 l;
	struct named	 out = { .n = 0 }, work = { .n = 0 };
	char		*man = read_man();

	(void)state;
	assert_true(metrics_count <= 64 && worker_metrics_count <= 64);
	for (size_t i = 0; i < metrics_count; i++) {
		out.name[out.n] = metrics[i].name;
		out.unit[out.n++] = metrics[i].unit;
	}
	for (size_t i = 0; i < worker_metrics_count; i++) {
		work.name[work.n] = worker_metrics[i].name;
		work.unit[work.n++] = worker_metrics[i].unit;
	}
	man_list(man, "\n.Sh OUTPUT\n", "\n", &l);
	check_list(&l, 0, &out, "OUTPUT");
	man_list(man, "\n.Ss Tables\n", "\n.Cm workers ,\n", &l);
	assert_true(l.n > 0);
	assert_string_equal(l.e[0].names[0], "worker");
	check_list(&l, 1, &work, "workers");
	free(man);
}

static const struct metric *
find_column(const char *name)
{
	for (size_t i = 0; i < metrics_count; i++)
		if (metrics[i].column != NULL &&
		    strcmp(metrics[i].column, name) == 0)
			return (&metrics[i]);
	return (NULL);
}

/*
 * A list of THE DATABASE names every one of want's columns (with its
 * unit, if units) and the fixed ones but the first (the key, said
 * above the list), and no other.
 */
static void
check_set(const struct list *l, const struct named *want,
    const char *const *fixed, size_t nfixed, const char *what, int units)
{
	for (int i = 0; i < l->n; i++) {
		for (int k = 0; k < l->e[i].nnames; k++) {
			const char *name = l->e[i].names[k];
			size_t m = 0, f = 0;

			while (m < want->n && strcmp(want->name[m], name) != 0)
				m++;
			while (f < nfixed && strcmp(fixed[f], name) != 0)
				f++;
			if (m == want->n && f == nfixed)
				fail_msg("fastsync.1 lists %s.%s, not a column of"
				    " its table", what, name);
		}
	}
	for (size_t m = 0; m < want->n; m++) {
		const struct entry *e = find_entry(l, want->name[m]);

		if (e == NULL)
			fail_msg("fastsync.1 does not list %s.%s", what,
			    want->name[m]);
		if (units && *want->unit[m] != '\0' &&
		    !has_word(e->text, want->unit[m]))
			fail_msg("fastsync.1: %s.%s does not give its unit '%s'",
			    what, want->name[m], want->unit[m]);
	}
	for (size_t f = 1; f < nfixed; f++)
		if (find_entry(l, fixed[f]) == NULL)
			fail_msg("fastsync.1 does not list %s.%s", what,
			    fixed[f]);
}

/* THE DATABASE: run_models' stored metrics, rounds' figures. */
static void
test_database_lists(void **state)
{
	static const char *const round_fixed[] = { "round" };
	struct list	 l;
	struct named	 stored = { .n = 0 }, rounds = { .n = 0 };
	char		*man = read_man();

	(void)state;
	for (size_t i = 0; i < metrics_count; i++)
		if (metrics[i].column != NULL)
			stored.name[stored.n++] = metrics[i].column;
	for (size_t i = 0; i < round_metrics_count; i++) {
		rounds.name[rounds.n] = round_metrics[i].column;
		rounds.unit[rounds.n++] = round_metrics[i].unit;
	}
	man_list(man, "\n.Ss Tables\n", "\n.Cm run_models ,\n", &l);
	check_set(&l, &stored, fixed_columns, NFIXED, "run_models", 0);
	man_list(man, "\n.Ss Tables\n", "\n.Cm rounds ,\none row", &l);
	assert_true(l.n > 0);
	assert_string_equal(l.e[0].names[0], "round");
	check_set(&l, &rounds, round_fixed, 1, "rounds", 1);
	free(man);
}

/* compare's paragraph names its lines: the table's labels, in order. */
static void
test_compare_labels(void **state)
{
	char		*man = read_man();
	const char	*p = strstr(man, "\n.It Cm compare Ar run");
	const char	*end;

	(void)state;
	assert_non_null(p);
	end = strstr(p, "\n.It Cm export");
	assert_non_null(end);
	for (size_t i = 0; i < metrics_count; i++) {
		char want[64];

		if (metrics[i].compare == NULL)
			continue;
		snprintf(want, sizeof want, "\n.Cm %s", metrics[i].compare);
		p = strstr(p, want);
		if (p == NULL || p > end)
			fail_msg("fastsync.1 compare does not name '%s' (in the"
			    " metrics table's order)", metrics[i].compare);
		p += strlen(want);
	}
	free(man);
}

/* The SQL type the tables give a column of table; NULL: not theirs. */
static const char *
table_type(const char *table, const char *name)
{
	const struct metric	*m = find_column(name);

	if (strcmp(table, "run_models") == 0)
		return (m != NULL ? metric_sql_type(m->type) : NULL);
	if (strcmp(table, "rounds") == 0) {
		for (size_t i = 0; i < round_metrics_count; i++)
			if (strcmp(round_metrics[i].column, name) == 0)
				return (metric_sql_type(round_metrics[i].type));
		return (NULL);
	}
	for (size_t i = 0; i < worker_metrics_count; i++)
		if (strcmp(worker_metrics[i].name, name) == 0)
			return (metric_sql_type(worker_metrics[i].type));
	return (NULL);
}

/*
 * A new database's table: every column not fixed is one of the
 * tables' with its SQL type, and there are want of them.
 */
static void
check_schema(struct db *d, const char *table, const char *const *fixed,
    size_t nfixed, size_t want)
{
	sqlite3_stmt	*st;
	size_t		 seen = 0;

	assert_int_equal(sqlite3_prepare_v2(d->h, "SELECT name, type FROM"
	    " pragma_table_info(?1)", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *type = (const char *)sqlite3_column_text(st, 1);
		const char *ours = table_type(table, name);
		int skip = 0;

		for (size_t i = 0; i < nfixed; i++)
			skip |= strcmp(fixed[i], name) == 0;
		if (skip)
			continue;
		if (ours == NULL)
			fail_msg("%s.%s is not in the metrics tables", table,
			    name);
		if (strcmp(type, ours) != 0)
			fail_msg("%s.%s is %s, the metrics tables say %s",
			    table, name, type, ours);
		seen++;
	}
	sqlite3_finalize(st);
	if (seen != want)
		fail_msg("a metric's column is missing from %s: a schema"
		    " migration (db.c) must add it", table);
}

/* A new database: run_models', workers' and rounds' are the tables'. */
static void
test_schema(void **state)
{
	static const char *const worker_fixed[] = { "run", "model", "worker" };
	static const char *const round_fixed[] = { "run", "model", "round" };
	char		*path = test_write_temp(""), err[512];
	struct db	*d;
	size_t		 stored = 0;

	(void)state;
	unlink(path);
	if ((d = db_open(path, 0, err, sizeof err)) == NULL)
		fail_msg("%s", err);
	for (size_t i = 0; i < metrics_count; i++)
		stored += metrics[i].column != NULL;
	check_schema(d, "run_models", fixed_columns, NFIXED, stored);
	check_schema(d, "workers", worker_fixed, 3, worker_metrics_count);
	check_schema(d, "rounds", round_fixed, 3, round_metrics_count);
	db_close(d);
	unlink(path);
	free(path);
}

/* Rows that can work: unique names, read back through a field, etc. */
static void
test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < metrics_count; i++) {
		const struct metric *m = &metrics[i];

		assert_non_null(m->descr);
		assert_true(*m->descr != '\0');
		for (size_t k = 0; k < i; k++) {
			assert_string_not_equal(m->name, metrics[k].name);
			if (m->column != NULL && metrics[k].column != NULL)
				assert_string_not_equal(m->column,
				    metrics[k].column);
		}
		/* what is stored is read back into the row's field */
		if (m->column != NULL)
			assert_null(m->get);
		/* computed ones are text or int; a field is int or real */
		assert_true(m->get != NULL || m->type != METRIC_TEXT);
		if (m->training || m->compare != NULL || m->show != SHOW_ASIS)
			assert_int_equal(m->type, METRIC_REAL);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_ordered_lists),
		cmocka_unit_test(test_database_lists),
		cmocka_unit_test(test_compare_labels),
		cmocka_unit_test(test_schema),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
