/*
 * The settings table and the models' parameter rows against what ships
 * beside them: every key is documented in man/fastsync.conf.5 with the
 * type, range and default the row says, and configs/default.cfg spells
 * out the rows' defaults. Also: integer literals are read as written.
 */
#include "test_util.h"

#include <libconfig.h>
#include <math.h>

#include "model.h"

/* %g as the page writes it: 1e9, not 1e+09. */
static void
page_number(double v, char *buf, size_t len)
{
	char	*e;

	snprintf(buf, len, "%g", v);
	if ((e = strstr(buf, "e+")) != NULL) {
		e++;
		memmove(e, e + 1, strlen(e + 1) + 1);
		while (e[0] == '0' && e[1] != '\0')
			memmove(e, e + 1, strlen(e + 1) + 1);
	}
}

/* What the page's "(type, range, default)" must say for a row. */
static void
expect(const struct setting *o, char *type, char *range, char *def,
    size_t len)
{
	char	a[24], b[24];

	range[0] = def[0] = '\0';
	switch (o->type) {
	case ST_INT:
	case ST_INT64:
		snprintf(type, len, "integer");
		snprintf(range, len, "%lld to %lld", o->lo, o->hi);
		break;
	case ST_DOUBLE:
		snprintf(type, len, "number");
		page_number(o->min, a, sizeof a);
		page_number(o->max, b, sizeof b);
		if (o->flags & ST_LO_OPEN)
			snprintf(range, len, "(%s, %s]", a, b);
		else
			snprintf(range, len, "%s to %s", a, b);
		break;
	case ST_BOOL:
		snprintf(type, len, "boolean");
		break;
	default:
		snprintf(type, len, "string");
		break;
	}
	if (o->def == NULL)
		return;
	if (o->type == ST_STRING || o->type == ST_ENUM)
		snprintf(def, len, "default Qq %s ", o->def);
	else if (o->type == ST_BOOL)
		snprintf(def, len, "default %s", o->def);
	else if (o->type == ST_INT || o->type == ST_INT64)
		/* integers in full: %g would write 268435456 as 2.68435e8 */
		snprintf(def, len, "default %lld", strtoll(o->def, NULL, 10));
	else {
		page_number(strtod(o->def, NULL), a, sizeof a);
		snprintf(def, len, "default %s", a);
	}
}

/* The row's ".It Cm KEY No (...)" line of the page agrees with it. */
static void
check_documented(const char *page, const char *key, const struct setting *o)
{
	char		 head[128], type[128], range[128], def[128], line[512];
	const char	*at;
	size_t		 n;

	snprintf(head, sizeof head, "\n.It Cm %s No (", key);
	if ((at = strstr(page, head)) == NULL)
		fail_msg("man/fastsync.conf.5 does not document %s", o->key);
	at += strlen(head);
	n = strcspn(at, "\n");
	snprintf(line, sizeof line, "%.*s", (int)n, at);
	expect(o, type, range, def, sizeof type);
	if (strncmp(line, type, strlen(type)) != 0)
		fail_msg("%s: the page says (%s, the table %s", o->key, line,
		    type);
	if ((o->type == ST_INT || o->type == ST_INT64 ||
	    o->type == ST_DOUBLE) && strstr(line, range) == NULL)
		fail_msg("%s: the page says (%s, the table %s", o->key, line,
		    range);
	if (def[0] != '\0' && strstr(line, def) == NULL)
		fail_msg("%s: the page says (%s, the table %s", o->key, line,
		    def);
}

/* Does the page's list of string values for --set name the row? */
static void
check_set_string(const char *page, const char *key, const struct setting *o)
{
	const char	*from = strstr(page, "\nFor\n.Cm dist ,\n");
	const char	*to = from != NULL ? strstr(from, "is a string") : NULL;
	char		 want[128];

	assert_non_null(to);
	if (o->type != ST_STRING && o->type != ST_ENUM)
		return;
	snprintf(want, sizeof want, "\n.Cm %s", key);
	for (const char *p = from; (p = strstr(p, want)) != NULL && p < to;
	    p++)
		if (p[strlen(want)] == '\n' || p[strlen(want)] == ' ')
			return;
	fail_msg("OVERRIDES does not say %s takes a string", o->key);
}

/*
 * The page names top-level and group keys in full (workers.count), the
 * keys of classes, tasks and models entries without their scope.
 */
static const char *
page_key(const struct setting *o)
{
	if (strncmp(o->key, "classes.", 8) == 0 ||
	    strncmp(o->key, "tasks.", 6) == 0 ||
	    strncmp(o->key, "models.", 7) == 0)
		return (setting_name(o));
	return (o->key);
}

static void
test_man_page(void **state)
{
	char			*page = test_read_file(SRCDIR "/man/fastsync.conf.5", NULL);
	const struct model_ops	*ops;
	const char		*list = strstr(page, "\n.It Cm model No (");
	const char		*end = list != NULL ? strstr(list + 1, "\n.It ") :
				    NULL;
	char			 name[64];
	int			 rows = 0;

	(void)state;
	for (int i = 0; i < config_noptions; i++) {
		const struct setting *o = &config_options[i];

		if (o->type == ST_GROUP)
			continue;
		check_documented(page, page_key(o), o);
		check_set_string(page, page_key(o), o);
		rows++;
	}
	for (int k = 0; k < MODEL_NKINDS; k++) {
		ops = model_ops_for((enum model_kind)k);
		/* the model = "..." entry names it */
		snprintf(name, sizeof name, "\n.Cm %s ", ops->name);
		assert_non_null(end);
		if (strstr(list, name) == NULL || strstr(list, name) > end) {
			snprintf(name, sizeof name, "\n.Cm %s\n", ops->name);
			if (strstr(list, name) == NULL ||
			    strstr(list, name) > end)
				fail_msg("models.model does not list %s",
				    ops->name);
		}
		for (int i = 0; i < ops->nparams; i++) {
			check_documented(page, ops->params[i].key,
			    &ops->params[i]);
			check_set_string(page, ops->params[i].key,
			    &ops->params[i]);
			rows++;
		}
	}
	assert_true(rows >= 45);
	free(page);
}

/* The default a row says equals what default.cfg spells at s. */
static void
check_default(const struct setting *o, const config_setting_t *s)
{
	const char	*str;
	double		 v;

	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		v = (double)config_setting_get_int64(s);
		break;
	case CONFIG_TYPE_FLOAT:
		v = config_setting_get_float(s);
		break;
	case CONFIG_TYPE_BOOL:
		assert_string_equal(o->def, config_setting_get_bool(s) ?
		    "true" : "false");
		return;
	default:
		str = config_setting_get_string(s);
		if (str == NULL || strcmp(str, o->def) != 0)
			fail_msg("%s: default.cfg says %s, the table %s",
			    o->key, str, o->def);
		return;
	}
	if (v != strtod(o->def, NULL))
		fail_msg("%s: default.cfg says %g, the table %s", o->key, v,
		    o->def);
}

static void
test_default_cfg(void **state)
{
	config_t		 cfg;
	config_setting_t	*s, *models;
	const struct model_ops	*ops;
	const char		*kind;
	int			 seen = 0, k;

	(void)state;
	config_init(&cfg);
	assert_int_equal(config_read_file(&cfg, SRCDIR "/configs/default.cfg"),
	    CONFIG_TRUE);
	for (int i = 0; i < config_noptions; i++) {
		const struct setting *o = &config_options[i];

		if (o->def == NULL || strchr(o->key, '*') != NULL ||
		    (s = config_lookup(&cfg, o->key)) == NULL)
			continue;
		check_default(o, s);
		seen++;
	}
	models = config_lookup(&cfg, "models");
	assert_non_null(models);
	for (int m = 0; m < config_setting_length(models); m++) {
		config_setting_t *e = config_setting_get_elem(models,
		    (unsigned)m);

		assert_true(config_setting_lookup_string(e, "model", &kind));
		assert_true((k = model_find(kind)) >= 0);
		ops = model_ops_for((enum model_kind)k);
		for (int i = 0; i < ops->nparams; i++) {
			if ((s = config_setting_get_member(e,
			    ops->params[i].key)) == NULL)
				continue;
			check_default(&ops->params[i], s);
			seen++;
		}
	}
	/* the scalars, and every built-in model's parameters */
	assert_true(seen >= 18);
	config_destroy(&cfg);
}

/* A row's default is one of its values; it has a line of doc. */
static void
check_row(const struct setting *o)
{
	double	v;
	int	found = 0;

	if (o->doc == NULL || o->doc[0] == '\0')
		fail_msg("%s has no doc", o->key);
	if (o->def == NULL)
		return;
	switch (o->type) {
	case ST_INT:
	case ST_INT64:
		if (strtoll(o->def, NULL, 10) < o->lo ||
		    strtoll(o->def, NULL, 10) > o->hi)
			fail_msg("%s: default %s is out of range", o->key, o->def);
		break;
	case ST_DOUBLE:
		v = strtod(o->def, NULL);
		if (v < o->min || v > o->max || ((o->flags & ST_LO_OPEN) &&
		    v == o->min))
			fail_msg("%s: default %s is out of range", o->key, o->def);
		break;
	case ST_ENUM:
		for (int i = 0; o->choices[i] != NULL; i++)
			found |= strcmp(o->choices[i], o->def) == 0;
		if (!found)
			fail_msg("%s: default %s is not a choice", o->key, o->def);
		break;
	case ST_BOOL:
		assert_true(strcmp(o->def, "true") == 0 ||
		    strcmp(o->def, "false") == 0);
		break;
	default:
		break;
	}
}

/*
 * Every row is consistent; a key two models share has one type (--set
 * and the suggestions take the first), and no model parameter shadows a
 * key of the models scope itself.
 */
static void
test_rows(void **state)
{
	const struct model_ops	*a, *b;

	(void)state;
	for (int i = 0; i < config_noptions; i++)
		check_row(&config_options[i]);
	for (int k = 0; (a = model_ops_for((enum model_kind)k)) != NULL; k++) {
		for (int i = 0; i < a->nparams; i++) {
			check_row(&a->params[i]);
			assert_true(a->params[i].type != ST_STRING);
			assert_null(strchr(a->params[i].key, '.'));
			for (int t = 0; t < config_noptions; t++)
				assert_false(setting_in_scope(
				    &config_options[t], "models") &&
				    strcmp(setting_name(&config_options[t]),
				    a->params[i].key) == 0);
			for (int j = 0; (b = model_ops_for((enum model_kind)j))
			    != NULL; j++)
				for (int q = 0; q < b->nparams; q++)
					if (strcmp(a->params[i].key,
					    b->params[q].key) == 0)
						assert_int_equal(a->params[i].type,
						    b->params[q].type);
		}
	}
}

/* Digits in strings, comments and names are not integers to widen. */
static void
test_literals_as_written(void **state)
{
	struct fs_config	cf;
	char			err[512];

	(void)state;
	if (test_load_text(&cf, "rounds = 7; # rounds = 4294967301;\n"
	    "/* seed = 99999999999999999999; */ seed = 5000000000;\n"
	    "record = { db = \"/tmp/4294967301\\\"x 4294967302\"; };\n"
	    "classes = { c4294967301 = { mean = 1e10; }; };\n"
	    "tasks = ( { name = \"a\"; kind = \"async\";"
	    " class = \"c4294967301\"; },\n"
	    " { name = \"s\"; kind = \"sync\"; after = \"a\"; } );\n",
	    NULL, 0, err, sizeof err) == 0)
		fail_msg("loaded, though mean is out of range");
	assert_non_null(strstr(err, "classes.c4294967301.mean must be in"
	    " (0, 1e+09], got 1e+10"));
	if (test_load_text(&cf, "rounds = 7; # rounds = 4294967301;\n"
	    "/* seed = 99999999999999999999; */ seed = 5000000000;\n"
	    "record = { db = \"/tmp/4294967301\\\"x 4294967302\"; };\n"
	    "workers = 0x10;\n", NULL, 0, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(cf.rounds, 7);
	assert_true(cf.seed == 5000000000ull);
	assert_int_equal(cf.workers, 16);
	assert_string_equal(cf.record_db, "/tmp/4294967301\"x 4294967302");
	config_free(&cf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_man_page),
		cmocka_unit_test(test_default_cfg),
		cmocka_unit_test(test_literals_as_written),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
