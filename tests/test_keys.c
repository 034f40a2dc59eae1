/*
 * The dashboard's key table (ui/keys.c), without a terminal: it is what
 * fastsync(1)'s INTERACTIVE KEYS lists, key for key; a key means one
 * thing in each context; the help's key lines and the key bar come from
 * it; and keys fed to the dispatch change the dashboard's state the way
 * the help says. Linked without curses: key handling needs none.
 */
#include "test_util.h"
#include "dash.h"
#include "keys.h"

static struct fs_config cf;	/* the shipped default.cfg: main() loads it */

/* Each dispatch test gets a fresh dashboard of 100x32 in *state. */
static int
dash_setup(void **state)
{
	struct dash_opts	o;
	struct dash		*d;
	char			 err[256];

	memset(&o, 0, sizeof o);
	if (dash_themes(NULL, 0, &o.themes, &o.nthemes, err,
	    sizeof err) != 0)
		fail_msg("%s", err);
	if ((d = dash_create(&cf, &o, err, sizeof err)) == NULL)
		fail_msg("%s", err);
	d->cols = 100;
	d->lines = 32;
	layout_compute(&d->lay, d->cols, d->lines, cf.workers, d->nm, 1);
	*state = d;
	return (0);
}

static int
dash_teardown(void **state)
{
	dash_free(*state);
	return (0);
}

/* A set of key names; names_str() gives them sorted, one space apart. */
struct names {
	int	n;
	char	v[24][16];
	char	str[24 * 16];
};

static void
names_add(struct names *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->v[i], name) == 0)
			return;
	assert_true(s->n < 24 && strlen(name) < sizeof s->v[0]);
	strcpy(s->v[s->n++], name);
}

static int
cmp(const void *a, const void *b)
{
	return (strcmp(a, b));
}

static const char *
names_str(struct names *s)
{
	qsort(s->v, (size_t)s->n, sizeof s->v[0], cmp);
	s->str[0] = '\0';
	for (int i = 0; i < s->n; i++)
		strcat(strcat(s->str, i > 0 ? " " : ""), s->v[i]);
	return (s->str);
}

/* mdoc macros that end an Ic's arguments; punctuation is skipped. */
static int
ends_ic(const char *w)
{
	static const char *const macros[] = { "Pq", "Po", "Pc", "Li", "Dq",
	    "Ns", "Ar", "Cm", "Fl", "Em", "Xr", "Ql", "Sy", "No", "It" };

	for (size_t i = 0; i < sizeof macros / sizeof macros[0]; i++)
		if (strcmp(w, macros[i]) == 0)
			return (1);
	return (0);
}

/*
 * The keys fastsync(1) names (as Ic) in each entry of INTERACTIVE KEYS,
 * one sorted list an entry; returns how many entries.
 */
static int
man_keys(struct names *names, int max)
{
	FILE	*f = fopen(SRCDIR "/man/fastsync.1", "r");
	char	 line[1024];
	int	 in = 0, n = -1;

	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL) {
		char	*w, *save = NULL;
		int	 ic = 0;

		if (strncmp(line, ".Ss INTERACTIVE KEYS", 20) == 0)
			in = 1;
		if (!in || line[0] != '.')
			continue;
		if (strncmp(line, ".El", 3) == 0)
			break;
		if (strncmp(line, ".It", 3) == 0) {
			assert_true(++n < max);
			names[n].n = 0;
		}
		for (w = strtok_r(line + 1, " \n", &save); w != NULL;
		    w = strtok_r(NULL, " \n", &save)) {
			if (strcmp(w, "Ic") == 0)
				ic = 1;
			else if (ends_ic(w))
				ic = 0;
			else if (ic && n >= 0 && strchr(",.;:()", w[0]) == NULL)
				names_add(&names[n], strncmp(w, "\\&", 2) == 0 ?
				    w + 2 : w);
		}
	}
	fclose(f);
	return (n + 1);
}

/*
 * (a) Every entry of fastsync(1)'s INTERACTIVE KEYS names exactly the
 * keys of its group in the table (a row with .item and the rows after it
 * without), in the table's order: a key added without docs fails here.
 */
static void
test_man_matches_table(void **state)
{
	struct names	man[32], want = { 0 };
	char		name[32];
	int		nman = man_keys(man, 32), item = -1;

	(void)state;
	assert_true(keys_table[0].item);
	for (int i = 0; i <= keys_ntable; i++) {
		if (i == keys_ntable || keys_table[i].item) {
			if (item >= 0 && (item >= nman || strcmp(names_str(
			    &man[item]), names_str(&want)) != 0))
				fail_msg("fastsync.1 INTERACTIVE KEYS entry %d"
				    " names '%s'; the table has '%s'", item + 1,
				    item < nman ? man[item].str : "(none)",
				    want.str);
			item++;
			want.n = 0;
		}
		for (int j = 0; i < keys_ntable && j < KEYS_MAX &&
		    keys_table[i].key[j] != KEYS_NONE; j++)
			if (keys_name(keys_table[i].key[j], name, sizeof name))
				names_add(&want, name);
	}
	assert_int_equal(nman, item);
}

/* Two bindings of one key in one context would make one of them dead. */
static void
test_one_binding_per_context(void **state)
{
	(void)state;
	for (int i = 0; i < keys_ntable; i++) {
		const struct keys_binding *a = &keys_table[i];

		assert_non_null(a->act);
		assert_true(a->when != 0);
		for (int k = 0; k < KEYS_MAX && a->key[k] != KEYS_NONE; k++) {
			int key = a->key[k] == KEYS_TEXT ? 'a' : a->key[k];

			for (unsigned c = 1; c <= KEYS_IN_ANY; c <<= 1)
				if ((a->when & c) && keys_find(key, c) != a)
					fail_msg("row %d: key %d is taken in"
					    " context %#x", i, key, c);
		}
	}
}

/* (b) The help's key lines are the table's help texts, in its order. */
static void
test_help_from_table(void **state)
{
	char	buf[160], want[160];
	int	k = 0;

	(void)state;
	for (int i = 0; i < keys_ntable; i++) {
		const struct keys_binding *b = &keys_table[i];

		if (b->help_key == NULL)
			continue;
		/* what the help lists, fastsync(1) lists too */
		assert_true(b->item);
		for (const char *p = b->help; p != NULL; k++) {
			const char *nl = strchr(p, '\n');
			int len = nl != NULL ? (int)(nl - p) : (int)strlen(p);

			keys_help_line(k, buf, sizeof buf);
			/* the key column is 13 wide, then the text */
			snprintf(want, sizeof want, "  %-13s%.*s", p == b->help ?
			    b->help_key : "", len, p);
			assert_string_equal(buf, want);
			p = nl != NULL ? nl + 1 : NULL;
		}
	}
	assert_int_equal(keys_help_lines(), k);
	keys_help_line(0, buf, sizeof buf);
	assert_string_equal(buf, "  space        pause / resume");
	keys_help_line(k, buf, sizeof buf);
	assert_string_equal(buf, "");
}

/* The bar's text at a width, from the items keys_bar laid out. */
static const char *
bar(struct dash *d, int width)
{
	static char		out[256];
	struct keys_bar_item	it[KEYS_BAR_MAX];
	struct rect		r = { 0, d->lines - 1, width, 1 };
	int			n = keys_bar(d, &r, it);

	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		/* each item starts where the one before ended */
		assert_int_equal(it[i].x, (int)strlen(out));
		assert_int_equal(d->keys[i].x, it[i].x);
		assert_int_equal(d->keys[i].w, (int)(strlen(it[i].key) +
		    strlen(it[i].word)) + 2);
		snprintf(out + strlen(out), sizeof out - strlen(out),
		    "%s %s ", it[i].key, it[i].word);
	}
	return (out);
}

/* (b) The key bar: the table's labels, narrow ones when it is narrow. */
static void
test_bar_from_table(void **state)
{
	struct dash	*d = *state;
	const char	*b;
	int		 n = 0;

	b = bar(d, 200);
	assert_string_equal(b, "Spc pause n step b back f focus only r to sync"
	    " c check C failed K clusters + faster - slower Tab model g go to"
	    " t theme l log ? help q quit ");
	for (int i = 0; i < keys_ntable; i++) {
		const char *key = keys_table[i].bar.key;

		if (key == NULL)
			continue;
		/* a click on the label presses the binding's first key */
		assert_int_equal(strncmp(b + d->keys[n].x, key, strlen(key)),
		    0);
		assert_int_equal(d->keych[n++], keys_table[i].key[0]);
	}
	assert_int_equal(d->nkeys, n);
	assert_string_equal(bar(d, 80), "Spc pause n step b back r sync c chk"
	    " C fail g goto l log ? help q quit ");
	/* too narrow for every item: the first ones that fit */
	assert_string_equal(bar(d, 30), "Spc pause n step b back ");
	assert_int_equal(d->nkeys, 3);
}

static enum keys_result
press(struct dash *d, const int *keys)
{
	enum keys_result r = KEYS_DONE;

	for (; *keys != KEYS_NONE; keys++)
		r = keys_dispatch(d, *keys);
	return (r);
}

#define PRESS(d, ...)	press((d), (const int []){ __VA_ARGS__, KEYS_NONE })

/* (c) space and p pause and resume; not once the run is complete. */
static void
test_pause(void **state)
{
	struct dash	*d = *state;

	assert_false(d->paused);
	assert_int_equal(PRESS(d, ' '), KEYS_DONE);
	assert_true(d->paused);
	PRESS(d, 'p');
	assert_false(d->paused);
	d->finished = 1;
	PRESS(d, ' ');
	assert_false(d->paused);
	assert_string_equal(d->message, "the run is complete: q quits");
}

/* (c) n: one engine event and paused; r: one round of the focus model. */
static void
test_step_keys(void **state)
{
	struct dash	*d = *state;
	int		 rounds;

	PRESS(d, 'n');
	assert_true(d->paused);
	assert_int_equal(d->events, 1);
	PRESS(d, 'n', 'n', 'n');
	assert_int_equal(d->events, 4);
	d->paused = 0;
	d->focus = 1;
	rounds = sim_rounds_done(d->m[1].sim);
	PRESS(d, 'r');
	assert_true(d->paused);
	assert_int_equal(sim_rounds_done(d->m[1].sim), rounds + 1);
}

/* (c) + and = faster, - and _ slower, within the ladder's ends. */
static void
test_speed_keys(void **state)
{
	struct dash	*d = *state;
	int		 s0 = d->speed;

	PRESS(d, '+');
	assert_int_equal(d->speed, s0 + 1);
	PRESS(d, '=');
	assert_int_equal(d->speed, s0 + 2);
	PRESS(d, '-', '_');
	assert_int_equal(d->speed, s0);
	for (int k = 0; k < dash_nspeeds + 2; k++)
		PRESS(d, '+');
	assert_int_equal(d->speed, dash_nspeeds - 1);
	for (int k = 0; k < dash_nspeeds + 2; k++)
		PRESS(d, '-');
	assert_int_equal(d->speed, 0);
}

/* (c) Tab and m cycle the focus model forwards, Shift-Tab and M back. */
static void
test_focus_keys(void **state)
{
	struct dash	*d = *state;

	assert_true(d->nm >= 3);
	for (int k = 1; k <= d->nm; k++) {
		d->worker_scroll = 4;
		PRESS(d, k % 2 ? KEYS_TAB : 'm');
		assert_int_equal(d->focus, k % d->nm);
		assert_int_equal(d->worker_scroll, 0);
	}
	PRESS(d, KEYS_BTAB);
	assert_int_equal(d->focus, d->nm - 1);
	PRESS(d, 'M', 'M');
	assert_int_equal(d->focus, d->nm - 3);
}

/* (c) g opens the prompt; typing, Backspace, Enter and Esc; space cancels. */
static void
test_goto_keys(void **state)
{
	struct dash	*d = *state;

	PRESS(d, 'g');
	assert_int_equal(d->mode, MODE_PROMPT);
	/* in the prompt, keys are text: q is no quit, space no pause */
	assert_int_equal(PRESS(d, '1', 'q', KEYS_BACKSPACE, KEYS_BACKSPACE,
	    '8', '0', '0', 'm', 's', ' '), KEYS_DONE);
	assert_string_equal(d->input, "800ms ");
	assert_false(d->paused);
	PRESS(d, KEYS_ESC);
	assert_int_equal(d->mode, MODE_MAIN);
	assert_false(d->going);
	PRESS(d, 'g');
	assert_string_equal(d->input, "");
	PRESS(d, '8', '0', '0', 'm', 's', KEYS_ENTER);
	assert_int_equal(d->mode, MODE_MAIN);
	assert_true(d->going);
	/* under way, space cancels instead of pausing */
	PRESS(d, ' ');
	assert_false(d->going);
	assert_true(d->paused);
	assert_non_null(strstr(d->message, "go to cancelled"));
	PRESS(d, 'g', '2', '0', KEYS_ENTER, KEYS_ESC);
	assert_false(d->going);
	/* an empty entry goes nowhere */
	PRESS(d, 'g', KEYS_ENTER);
	assert_false(d->going);
}

/* (c) The help and the log: open, scroll (the log upwards), close. */
static void
test_screen_keys(void **state)
{
	static const int	open_help[] = { '?', 'h', KEYS_F1 };
	static const int	close_help[] = { '?', KEYS_ESC, 'q', 'h', KEYS_F1 };
	struct dash		*d = *state;

	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 5; j++) {
			d->help_scroll = 7;
			PRESS(d, open_help[i]);
			assert_int_equal(d->mode, MODE_HELP);
			assert_int_equal(d->help_scroll, 0);
			PRESS(d, KEYS_DOWN, 'j', KEYS_PGDN);
			assert_int_equal(d->help_scroll, 2 + d->lines - 3);
			PRESS(d, KEYS_UP, 'k');
			assert_int_equal(d->help_scroll, d->lines - 3);
			assert_int_equal(PRESS(d, close_help[j]), KEYS_DONE);
			assert_int_equal(d->mode, MODE_MAIN);
		}
	PRESS(d, 'l');
	assert_int_equal(d->mode, MODE_LOG);
	assert_int_equal(d->log_scroll, 0);
	PRESS(d, KEYS_UP, KEYS_UP);
	assert_int_equal(d->log_scroll, 2);
	PRESS(d, KEYS_HOME);
	assert_int_equal(d->log_scroll, 1 << 30);
	PRESS(d, KEYS_END, KEYS_DOWN);
	assert_int_equal(d->log_scroll, 0);
	/* the workers did not scroll with it */
	assert_int_equal(d->worker_scroll, 0);
	PRESS(d, 'q');
	assert_int_equal(d->mode, MODE_MAIN);
	PRESS(d, 'l', KEYS_ESC);
	assert_int_equal(d->mode, MODE_MAIN);
}

/*
 * (c) The arrows select a worker, by lines and half panels, within the
 * workers; Enter opens its card, whose j / k go to the next and the
 * previous worker's, and Esc closes it.
 */
static void
test_worker_scroll(void **state)
{
	struct dash	*d = *state;

	PRESS(d, KEYS_UP);
	assert_int_equal(d->sel, 0);
	PRESS(d, KEYS_DOWN, 'j', KEYS_PGDN);
	assert_int_equal(d->sel, 2 + d->lay.workers.h / 2);
	PRESS(d, KEYS_PGUP, 'k');
	assert_int_equal(d->sel, 1);
	PRESS(d, KEYS_END);
	assert_int_equal(d->sel, cf.workers - 1);
	PRESS(d, KEYS_HOME);
	assert_int_equal(d->sel, 0);
	PRESS(d, 'j', KEYS_ENTER);
	assert_int_equal(d->mode, MODE_CARD);
	assert_int_equal(d->card, 1);
	PRESS(d, 'j', 'j', 'k');
	assert_int_equal(d->card, 2);
	PRESS(d, 'k', 'k', 'k');
	assert_int_equal(d->card, cf.workers - 1);
	PRESS(d, KEYS_ESC);
	assert_int_equal(d->mode, MODE_MAIN);
	assert_int_equal(d->sel, cf.workers - 1);
}

/*
 * (c) The log screen: '&' filters to one worker's or one kind's lines,
 * '/' finds a text, n the next match back, N forward; g and G go to the
 * ends; Esc at a prompt goes back to the log.
 */
static void
test_log_search(void **state)
{
	struct dash	*d = *state;
	static int	 idx[DASH_LOG];
	int		 n, first;

	while (d->nlog < 60 && dash_step_event(d))
		;
	PRESS(d, 'l', '&', 'w', '3');
	assert_int_equal(d->mode, MODE_SEARCH);
	assert_string_equal(d->input, "w3");
	PRESS(d, KEYS_ENTER);
	assert_int_equal(d->mode, MODE_LOG);
	assert_string_equal(d->filter, "w3");
	n = dash_log_shown(d, idx, 0);
	assert_true(n > 0);
	for (int k = 0; k < n; k++)
		assert_int_equal(dash_log_line(d, idx[k])->worker, 3);
	PRESS(d, '&', KEYS_ENTER);
	assert_string_equal(d->filter, "");
	PRESS(d, '&', 's', 'y', 'n', 'c', KEYS_ENTER);
	n = dash_log_shown(d, idx, 0);
	for (int k = 0; k < n; k++)
		assert_int_equal(dash_log_line(d, idx[k])->kind, SIM_EV_SYNC);
	PRESS(d, '&', KEYS_ENTER, '/', 's', 't', 'a', 'r', 't', 's',
	    KEYS_ENTER);
	assert_int_equal(d->mode, MODE_LOG);
	assert_true(d->log_match >= 0);
	assert_non_null(strstr(dash_log_line(d, d->log_match)->text,
	    "starts"));
	first = d->log_match;
	PRESS(d, 'n');
	assert_true(d->log_match < first);
	PRESS(d, 'N');
	assert_int_equal(d->log_match, first);
	PRESS(d, 'g');
	assert_int_equal(d->log_scroll, 1 << 30);
	PRESS(d, 'G');
	assert_int_equal(d->log_scroll, 0);
	PRESS(d, '/', 'x', KEYS_ESC);
	assert_int_equal(d->mode, MODE_LOG);
	PRESS(d, KEYS_ESC);
	assert_int_equal(d->mode, MODE_MAIN);
}

/*
 * (b) The bar says what a key would do now: Spc resumes while paused,
 * cancels while going; f says which way it would switch.
 */
static void
test_bar_state(void **state)
{
	struct dash	*d = *state;

	d->paused = 0;
	assert_non_null(strstr(bar(d, 200), "Spc pause "));
	d->paused = 1;
	assert_non_null(strstr(bar(d, 200), "Spc resume "));
	assert_non_null(strstr(bar(d, 200), "f focus only "));
	PRESS(d, 'f');
	assert_true(d->focus_only);
	assert_non_null(strstr(bar(d, 200), "f all models "));
	PRESS(d, 'c');
	assert_true(d->going);
	assert_non_null(strstr(bar(d, 200), "Spc cancel "));
	PRESS(d, ' ');
	assert_false(d->going);
	PRESS(d, KEYS_F10);
}

/* (c) q quits, t and T change the theme, Ctrl-L and a resize redraw. */
static void
test_results(void **state)
{
	struct dash	*d = *state;

	assert_true(d->nthemes >= 2);
	assert_int_equal(PRESS(d, 't'), KEYS_RETHEME);
	assert_int_equal(d->theme, 1);
	assert_non_null(strstr(d->message, d->themes[1].name));
	PRESS(d, 'T', 'T');
	assert_int_equal(d->theme, d->nthemes - 1);
	assert_int_equal(PRESS(d, KEYS_CTRL_L), KEYS_REDRAW);
	assert_int_equal(PRESS(d, KEYS_RESIZE), KEYS_REDRAW);
	assert_int_equal(PRESS(d, 'q'), KEYS_QUIT);
	assert_int_equal(PRESS(d, 'Q'), KEYS_QUIT);
	/* too small: only q (and a redraw) does anything */
	d->lay.too_small = 1;
	assert_int_equal(PRESS(d, 'n', ' ', 't', '?'), KEYS_DONE);
	assert_int_equal(d->events, 0);
	assert_false(d->paused);
	assert_int_equal(d->mode, MODE_MAIN);
	assert_int_equal(PRESS(d, KEYS_RESIZE), KEYS_REDRAW);
	assert_int_equal(PRESS(d, 'q'), KEYS_QUIT);
	/* keys bound to nothing change nothing */
	d->lay.too_small = 0;
	assert_int_equal(PRESS(d, 'x', KEYS_BACKSPACE, KEYS_ESC), KEYS_DONE);
	assert_int_equal(d->events, 0);
	assert_int_equal(d->mode, MODE_MAIN);
}

/* (c) A click on the bar presses its key; on a model's row, focuses it. */
static void
test_clicks(void **state)
{
	struct dash	*d = *state;
	const char	*b = bar(d, d->cols);
	int		 x = (int)(strstr(b, "n step") - b);

	keys_click(d, d->lines - 1, x);
	keys_click(d, d->lines - 1, x + 5);
	assert_int_equal(d->events, 2);
	/* beside the bar's items, or above them: nothing */
	keys_click(d, d->lines - 1, (int)strlen(b) + 1);
	keys_click(d, d->lines - 2, x);
	assert_int_equal(d->events, 2);
	assert_int_equal(keys_click(d, d->lines - 1,
	    (int)(strstr(b, "q quit") - b)), KEYS_QUIT);
	keys_click(d, d->lay.models.y + 2 + 3, d->lay.models.x + 1);
	assert_int_equal(d->focus, 3);
	/* the border below the rows is no row */
	keys_click(d, d->lay.models.y + d->lay.models.h - 1,
	    d->lay.models.x + 1);
	assert_int_equal(d->focus, 3);
	/* a worker's row (as drawn last): its card */
	d->rows_y = 5;
	d->rows_n = 10;
	keys_click(d, 5 + 4, d->lay.workers.x + 2);
	assert_int_equal(d->mode, MODE_CARD);
	assert_int_equal(d->card, 4);
}

#define ON_A_DASH(f)	cmocka_unit_test_setup_teardown(f, dash_setup, \
			    dash_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_man_matches_table),
		cmocka_unit_test(test_one_binding_per_context),
		cmocka_unit_test(test_help_from_table),
		ON_A_DASH(test_bar_from_table),
		ON_A_DASH(test_pause),
		ON_A_DASH(test_step_keys),
		ON_A_DASH(test_speed_keys),
		ON_A_DASH(test_focus_keys),
		ON_A_DASH(test_goto_keys),
		ON_A_DASH(test_screen_keys),
		ON_A_DASH(test_worker_scroll),
		ON_A_DASH(test_log_search),
		ON_A_DASH(test_bar_state),
		ON_A_DASH(test_results),
		ON_A_DASH(test_clicks),
	};
	char	err[512] = "cannot enter " SRCDIR;
	int	rc;

	/* from the source tree, so that t and T get every shipped theme */
	if (chdir(SRCDIR) != 0 || config_load(&cf, "configs/default.cfg",
	    NULL, 0, err, sizeof err) != 0) {
		fprintf(stderr, "test_keys: %s\n", err);
		return (1);
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	config_free(&cf);
	return (rc);
}
