/*
 * A model is added by registering one ops table: this file defines a toy
 * model ("lazy": every push applied like ASP's, but hold_ms after it
 * arrives) with one parameter of its own, registers it, and uses it
 * through the config, the engine and the recorded parameters JSON, with
 * no other file knowing about it.
 */
#include "test_util.h"

#include "model.h"

/* The gradient of worker arg is applied and its worker released now. */
static void
lazy_timer(struct sim *s, void *st, uint32_t w)
{
	int	worker = (int)w;

	(void)st;
	sim_apply(s, &worker, 1);
	sim_release(s, worker);
}

static void
lazy_arrive(struct sim *s, void *st, int w)
{
	(void)st;
	sim_timer(s, sim_now(s) + sim_model(s)->ext[0].d, (uint32_t)w);
}

static const struct setting lazy_params[] = {
	{ .key = "hold_ms", .type = ST_DOUBLE, .min = 0, .max = 100,
	  .flags = ST_LABEL, .def = "1.5", .off = MODEL_FIELD(ext[0].d),
	  .doc = "how long a gradient waits at the PS before it is applied" },
};

static const struct model_ops lazy_ops = {
	.name = "lazy",
	MODEL_PARAMS(lazy_params),
	.arrive = lazy_arrive,
	.timer = lazy_timer,
};

static const char lazy_config[] =
    "rounds = 20;\nworkers = 4;\n"
    "models = ( { model = \"asp\"; },\n"
    "  { model = \"lazy\"; hold_ms = 25; },\n"
    "  { model = \"lazy\"; } );\n";

static int
setup(void **state)
{
	(void)state;
	if (model_find("lazy") < 0)
		assert_int_equal(model_register(&lazy_ops), MODEL_NKINDS);
	return (0);
}

static void
test_register(void **state)
{
	(void)state;
	assert_int_equal(model_count(), MODEL_NKINDS + 1);
	assert_int_equal(model_find("lazy"), MODEL_NKINDS);
	assert_ptr_equal(model_ops_for((enum model_kind)MODEL_NKINDS), &lazy_ops);
	assert_string_equal(model_kind_name((enum model_kind)MODEL_NKINDS),
	    "lazy");
	/* a name is taken once */
	assert_int_equal(model_register(&lazy_ops), -1);
}

static void
test_config(void **state)
{
	struct fs_config	cf;
	char			err[512];

	(void)state;
	if (test_load_text(&cf, lazy_config, NULL, 0, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(cf.nmodels, 3);
	assert_int_equal(cf.models[1].kind, MODEL_NKINDS);
	assert_true(cf.models[1].ext[0].d == 25);
	assert_true(cf.models[2].ext[0].d == 1.5);
	/* named after its parameter, as ssp-3 is */
	assert_string_equal(cf.models[1].name, "lazy-25");
	assert_string_equal(cf.models[2].name, "lazy-1.5");
	assert_int_equal(config_select_models(&cf, "lazy-25", err,
	    sizeof err), 0);
	assert_int_equal(cf.nmodels, 1);
	config_free(&cf);
}

static void
test_bad(void **state)
{
	static const struct {
		const char	*text;
		const char	*want;
	} bad[] = {
		{ "models = (\n { model = \"lazy\"; hold_ms = 101; }\n);\n",
		  ":2: models[0].hold_ms must be in [0, 100], got 101" },
		{ "models = (\n { model = \"asp\"; hold_ms = 1; }\n);\n",
		  ":2: models[0].hold_ms applies to model 'lazy' only" },
		{ "models = (\n { model = \"lazzy\"; }\n);\n",
		  "(did you mean 'lazy'?)" },
		{ "models = (\n { model = \"lazy\"; hold_m = 1; }\n);\n",
		  "unknown key 'models[0].hold_m' (did you mean 'hold_ms'?)" },
	};
	struct fs_config		cf;
	struct config_override		o = { "models.lazy.hold_ms", "-1",
					    "--set models.lazy.hold_ms=-1" };
	char				err[512];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(test_load_text(&cf, bad[i].text, NULL, 0, err,
		    sizeof err), -1);
		if (strstr(err, bad[i].want) == NULL)
			fail_msg("'%s' lacks '%s'", err, bad[i].want);
	}
	assert_int_equal(test_load_text(&cf, lazy_config, &o, 1, err,
	    sizeof err), -1);
	assert_string_equal(err, "--set models.lazy.hold_ms=-1:"
	    " models[1].hold_ms must be in [0, 100], got -1");
}

/* The engine runs it; holding gradients back makes the run slower. */
static void
test_run(void **state)
{
	struct fs_config	 cf;
	struct sim		*s;
	char			 err[512];
	double			 end[3];
	uint64_t		 updates[3];

	(void)state;
	if (test_load_text(&cf, lazy_config, NULL, 0, err, sizeof err) != 0)
		fail_msg("%s", err);
	for (int i = 0; i < 3; i++) {
		s = sim_create(&cf, &cf.models[i], err, sizeof err);
		assert_non_null(s);
		sim_run(s);
		assert_true(sim_done(s));
		assert_null(sim_error(s));
		end[i] = sim_now(s);
		updates[i] = sim_version(s);
		sim_free(s);
	}
	/* one update per gradient, as ASP */
	assert_true(updates[1] == updates[0] && updates[2] == updates[0]);
	assert_true(end[1] > end[2] && end[2] > end[0]);
	config_free(&cf);
}

/* The recorded parameters: the descriptor's rows as JSON. */
static void
test_params_json(void **state)
{
	struct fs_config	 cf;
	const struct model_ops	*ops = model_ops_for((enum model_kind)
				    MODEL_NKINDS);
	char			 err[512], json[256];

	(void)state;
	if (test_load_text(&cf, lazy_config, NULL, 0, err, sizeof err) != 0)
		fail_msg("%s", err);
	setting_json(ops->params, ops->nparams, &cf.models[1], json,
	    sizeof json);
	assert_string_equal(json, "{\"hold_ms\": 25}");
	setting_json(ops->params, ops->nparams, &cf.models[2], json,
	    sizeof json);
	assert_string_equal(json, "{\"hold_ms\": 1.5}");
	config_free(&cf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_params_json),
	};

	return (cmocka_run_group_tests(tests, setup, NULL));
}
