/*
 * The dashboard's parts that need no terminal: themes (every shipped
 * theme loads; bad themes table-driven, one line each naming file and
 * line) and the widgets in both glyph sets.
 */
#include <glob.h>
#include <locale.h>

#include "test_util.h"
#include "layout.h"
#include "palette.h"
#include "theme.h"
#include "widgets.h"

static void
test_shipped_themes(void **state)
{
	glob_t		g;
	int		mono = 0;

	(void)state;
	assert_int_equal(glob(SRCDIR "/themes/*.theme", 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 4);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct theme t;
		char err[512];

		if (theme_load(&t, g.gl_pathv[i], err, sizeof err) != 0)
			fail_msg("%s", err);
		assert_non_null(t.name);
		if (strcmp(t.name, "mono") == 0) {
			mono = 1;
			/* no colour at all; states told apart by their fill */
			for (int s = 0; s < SLOT_NSLOTS; s++)
				assert_true(t.slot[s].fg == THEME_DEFAULT_COLOR &&
				    t.slot[s].bg == THEME_DEFAULT_COLOR);
			for (int a = SLOT_COMPUTING; a <= SLOT_LEFT; a++)
				for (int b = SLOT_COMPUTING; b < a; b++)
					assert_string_not_equal(t.slot[a].fill,
					    t.slot[b].fill);
		}
		theme_free(&t);
	}
	globfree(&g);
	assert_true(mono);
}

/*
 * The models' slots take the figures' colours (palette.h) by kind, and
 * fastsync-theme(5) names every slot.
 */
static void
test_model_slots(void **state)
{
	struct theme	 t;
	FILE		*f = fopen(SRCDIR "/man/fastsync-theme.5", "r");
	char		 page[65536];
	size_t		 n;

	(void)state;
	assert_non_null(f);
	n = fread(page, 1, sizeof page - 1, f);
	page[n] = '\0';
	fclose(f);
	theme_default(&t);
	for (int i = 0; i < palette_nmodels - 1; i++) {
		enum theme_slot s = theme_model_slot(palette_models[i].kind);

		assert_int_not_equal(s, SLOT_CHART);
		assert_int_equal(t.slot[s].fg, palette_models[i].xterm);
	}
	assert_int_equal(theme_model_slot("registered"), SLOT_CHART);
	for (int s = 0; s < SLOT_NSLOTS; s++)
		if (strstr(page, theme_slot_name(s)) == NULL)
			fail_msg("fastsync-theme.5 does not name %s",
			    theme_slot_name(s));
	theme_free(&t);
}

/* A fill is any one character one column wide, UTF-8 ones too. */
static void
test_fill_one_cell(void **state)
{
	static const char *const ok[] = { "#", " ", "\xc3\xa9",
	    "\xe2\x96\x88", "\xe2\xa3\xbf" };

	(void)state;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		char		 text[128], err[512], *path;
		struct theme	 t;

		snprintf(text, sizeof text, "colors = { stale = { fill ="
		    " \"%s\"; }; };\n", ok[i]);
		path = test_write_temp(text);
		if (theme_load(&t, path, err, sizeof err) != 0)
			fail_msg("fill '%s': %s", ok[i], err);
		assert_string_equal(t.slot[SLOT_STALE].fill, ok[i]);
		theme_free(&t);
		unlink(path);
		free(path);
	}
}

/* default.theme spells out exactly the built-in default. */
static void
test_default_file_is_builtin(void **state)
{
	struct theme	a, b;
	char		err[512];

	(void)state;
	theme_default(&a);
	assert_int_equal(theme_load(&b, SRCDIR "/themes/default.theme", err,
	    sizeof err), 0);
	assert_memory_equal(a.slot, b.slot, sizeof a.slot);
	theme_free(&a);
	theme_free(&b);
}

static const struct {
	const char	*text;
	int		 line;
	const char	*want;
} bad[] = {
	{ "colors = {\n stael = { fg = \"red\"; };\n};\n", 2,
	    "unknown slot 'stael' in colors (did you mean 'stale'?)" },
	{ "colors = {\n stale = { fg = \"redd\"; };\n};\n", 2,
	    "unknown colour 'redd' in colors.stale.fg (did you mean 'red'?)" },
	{ "colors = {\n stale = { fg = 300; };\n};\n", 2,
	    "colors.stale.fg must be a colour name or 0..255, got 300" },
	{ "colors = {\n stale = { bg = -2; };\n};\n", 2,
	    "colors.stale.bg must be a colour name or 0..255, got -2" },
	{ "colors = {\n stale = { fg = 1.5; };\n};\n", 2,
	    "colors.stale.fg must be a colour name or 0..255" },
	{ "colors = {\n stale = { fgg = \"red\"; };\n};\n", 2,
	    "unknown key 'fgg' in colors.stale (did you mean 'fg'?)" },
	{ "colors = {\n stale = { attrs = [\"boldd\"]; };\n};\n", 2,
	    "unknown attribute 'boldd' in colors.stale.attrs (did you mean"
	    " 'bold'?)" },
	{ "colors = {\n stale = { attrs = \"bold\"; };\n};\n", 2,
	    "colors.stale.attrs must be an array of names" },
	{ "colors = {\n stale = { fill = \"abcdefghij\"; };\n};\n", 2,
	    "colors.stale.fill must be one character" },
	/* one character one column wide: not up to 7 bytes (issue 16) */
	{ "colors = {\n stale = { fill = \"ab\"; };\n};\n", 2,
	    "colors.stale.fill must be one character one column wide" },
	{ "colors = {\n stale = { fill = \"\xc3\xa9\xc3\xa9\"; };\n};\n", 2,
	    "colors.stale.fill must be one character one column wide" },
	{ "colors = {\n stale = { fill = \"\xe5\x85\xa8\"; };\n};\n", 2,
	    "colors.stale.fill must be one character one column wide" },
	{ "colors = {\n stale = { fill = \"\\x1b\"; };\n};\n", 2,
	    "colors.stale.fill must be one character one column wide" },
	{ "colors = {\n stale = { fill = \"\xff\"; };\n};\n", 2,
	    "colors.stale.fill must be one character one column wide" },
	{ "colors = {\n stale = { fill = \"\"; };\n};\n", 2,
	    "colors.stale.fill must be one character one column wide" },
	{ "colors = {\n stale = { fill = 1; };\n};\n", 2,
	    "colors.stale.fill must be one character one column wide" },
	/* a value's escapes and newlines are shown, never sent (ESC[2J
	 * would clear the screen); the message stays one line */
	{ "colors = {\n stale = { fg = \"\\x1b[2Jred\\nblue\"; };\n};\n",
	    2, "unknown colour '\\e[2Jred\\nblue' in colors.stale.fg" },
	{ "colors = {\n stale = { fg = \"red\nblue\"; };\n};\n",
	    2, "unknown colour 'red\\nblue' in colors.stale.fg" },
	{ "colors = {\n stale = { attrs = [\"\\x1b]0;pwned\\x07\"]; };\n};\n",
	    2, "unknown attribute '\\e]0;pwned\\x07' in colors.stale.attrs" },
	{ "colors = {\n st\x1b[2Jale = { fg = \"red\"; };\n};\n", 2,
	    "syntax error" },
	{ "colors = {\n stale = \"red\";\n};\n", 2,
	    "colors.stale must be a group" },
	{ "\ncolours = { };\n", 2, "unknown key 'colours' (did you mean"
	    " 'colors'?)" },
	{ "\ncolors = 3;\n", 2, "colors must be a group" },
	{ "colors = {\n stale = { fg = \"red\"; ;\n};\n", 2,
	    "syntax error" },
};

static void
test_bad_themes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char		*path = test_write_temp(bad[i].text);
		char		 err[512], want[600];
		struct theme	 t, d;

		assert_int_equal(theme_load(&t, path, err, sizeof err), -1);
		snprintf(want, sizeof want, "%s:%d: ", path, bad[i].line);
		if (strncmp(err, want, strlen(want)) != 0 ||
		    strstr(err, bad[i].want) == NULL)
			fail_msg("case %zu: got '%s', want '%s%s'", i, err, want,
			    bad[i].want);
		assert_null(strchr(err, '\n'));
		for (const char *p = err; *p != '\0'; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				fail_msg("case %zu: a control byte in '%s'", i,
				    err);
		/* the theme is left as the default */
		theme_default(&d);
		assert_memory_equal(t.slot, d.slot, sizeof d.slot);
		theme_free(&d);
		theme_free(&t);
		unlink(path);
		free(path);
	}
}

static void
test_bar(void **state)
{
	char	buf[128];

	(void)state;
	widget_bar(buf, sizeof buf, 0.5, 8, 0);
	assert_string_equal(buf, "####----");
	widget_bar(buf, sizeof buf, 0, 4, 0);
	assert_string_equal(buf, "----");
	widget_bar(buf, sizeof buf, 2, 4, 0);	/* clamped */
	assert_string_equal(buf, "####");
	/* 0.3 of 4 cells = 9.6, so 10 eighths: a full block and 2/8 */
	widget_bar(buf, sizeof buf, 0.3, 4, 1);
	assert_string_equal(buf, "\u2588\u258e  ");
	widget_bar(buf, sizeof buf, 1, 3, 1);
	assert_string_equal(buf, "\u2588\u2588\u2588");
}

static void
test_gauge(void **state)
{
	char	buf[128];

	(void)state;
	/* 13 of 20 ready, 14 needed: 13 filled cells, the mark at 14 */
	widget_gauge(buf, sizeof buf, 13, 14, 20, 20, 0);
	assert_string_equal(buf, "#############.|.....");
	widget_gauge(buf, sizeof buf, 20, 14, 20, 20, 0);
	assert_string_equal(buf, "##############|#####");
	widget_gauge(buf, sizeof buf, 0, 20, 20, 4, 1);
	assert_string_equal(buf, "\u00b7\u00b7\u00b7\u2502");
	widget_gauge(buf, sizeof buf, 1, 1, 0, 4, 1);
	assert_string_equal(buf, "");
}

static void
test_sparkline(void **state)
{
	const double	ramp[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	const double	flat[] = { 5, 5, 5 };
	char		buf[256];

	(void)state;
	widget_sparkline(buf, sizeof buf, ramp, 8, 8, 0);
	assert_string_equal(buf, "_.-~=+*#");
	widget_sparkline(buf, sizeof buf, ramp, 8, 8, 1);
	assert_string_equal(buf, "\u2581\u2582\u2583\u2584\u2585\u2586\u2587"
	    "\u2588");
	/* two values a cell: means 0.5, 2.5, 4.5, 6.5 on the 0..7 range */
	widget_sparkline(buf, sizeof buf, ramp, 8, 4, 0);
	assert_string_equal(buf, "_-+#");
	widget_sparkline(buf, sizeof buf, flat, 3, 3, 0);
	assert_string_equal(buf, "___");
	/* a small buffer is never overrun */
	widget_sparkline(buf, 4, ramp, 8, 8, 1);
	assert_true(strlen(buf) < 4);
}

static int
overlap(struct rect a, struct rect b)
{
	return (a.w > 0 && a.h > 0 && b.w > 0 && b.h > 0 &&
	    a.x < b.x + b.w && b.x < a.x + a.w &&
	    a.y < b.y + b.h && b.y < a.y + a.h);
}

/*
 * Panel sizes for terminals from the minimum up: inside the screen,
 * never overlapping, every cell of the body covered, each panel at its
 * minimum; below the minimum, "too small".
 */
/* Sentences wrap at spaces into lines no wider than asked, losing nothing. */
static void
test_wrap(void **state)
{
	const char	*t = "ts1 check for round 7 fails: 3 of 5 ready < 4 needed"
	    " (missing w1 w4), so C2 is notified late";
	int		 start[64], len[64], n;
	char		 back[256] = "";

	(void)state;
	for (int w = 6; w <= 80; w++) {
		n = widget_wrap(t, w, start, len, 64);
		back[0] = '\0';
		for (int k = 0; k < n; k++) {
			assert_true(len[k] <= w);
			strncat(back, t + start[k], (size_t)len[k]);
			if (k + 1 < n)
				strcat(back, t[start[k] + len[k]] == ' ' ? " " :
				    "");
		}
		assert_string_equal(back, t);
	}
	/* a word longer than the line is split, not dropped */
	n = widget_wrap("abcdefghij", 4, start, len, 16);
	assert_int_equal(n, 3);
	assert_int_equal(len[2], 2);
	/* past max lines: only counted, so the caller knows */
	assert_int_equal(widget_wrap("aa bb cc dd", 2, start, len, 2), 4);
}

/* Counts fit their columns: as is, else with a unit, else marked. */
static void
test_count(void **state)
{
	static const struct {
		double		 v;
		int		 w;
		const char	*want;
	} c[] = {
		{ 118, 5, "118" }, { 11814, 5, "11814" }, { 11814, 4, "12k" },
		{ 11814, 3, "12k" }, { 1500, 4, "1500" }, { 1500, 3, "2k" },
		{ 2.5e6, 4, "2.5M" }, { 999999999, 2, "1>" },
	};
	char	buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		widget_count(buf, sizeof buf, c[i].v, c[i].w);
		assert_string_equal(buf, c[i].want);
		assert_true((int)strlen(buf) <= c[i].w);
	}
}

/* Figures and durations fit their columns: fewer places, a unit, a mark. */
static void
test_number_ms(void **state)
{
	static const struct {
		double		 v;
		int		 places, w;
		const char	*want;
	} num[] = {
		{ 75.34, 1, 7, "75.3" }, { 108308.14, 1, 7, "108308" },
		{ 10115.5, 1, 5, "10116" }, { 101155.5, 1, 5, "101k" },
		{ 0.04, 1, 5, "0.0" }, { 1.2e7, 1, 7, "12M" },
	}, ms[] = {
		/* in ms (unit 1) */
		{ 75.34, 1, 7, "75.3" }, { 12345.6, 1, 5, "12346" },
		{ 123456.7, 1, 5, "123s" }, { 1.2e4, 1, 4, "12s" },
		{ 12345.6, 1, 4, "12s" }, { 7.2e6, 1, 4, "120m" }, { 7.2e6, 1, 3, "2h" },
		{ 4e12, 1, 3, "46>" },
	}, sec[] = {
		/* in s (unit 1000) */
		{ 4221.9, 2, 7, "4.22" }, { 12345678, 2, 7, "12345.7" },
		{ 123456789, 2, 7, "123457" }, { 1234567890, 2, 5, "343h" }, { 123456789, 2, 5, "2058m" },
		{ 1234567890, 2, 7, "1234568" },
	};
	char	buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof num / sizeof num[0]; i++) {
		widget_number(buf, sizeof buf, num[i].v, num[i].places,
		    num[i].w);
		assert_string_equal(buf, num[i].want);
	}
	for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++) {
		widget_ms(buf, sizeof buf, ms[i].v, 1, ms[i].places, ms[i].w);
		assert_string_equal(buf, ms[i].want);
		assert_true((int)strlen(buf) <= ms[i].w);
	}
	for (size_t i = 0; i < sizeof sec / sizeof sec[0]; i++) {
		widget_ms(buf, sizeof buf, sec[i].v, 1000, sec[i].places,
		    sec[i].w);
		assert_string_equal(buf, sec[i].want);
		assert_true((int)strlen(buf) <= sec[i].w);
	}
}

static void
test_layout(void **state)
{
	static const int	sizes[][2] = { { 80, 24 }, { 100, 30 },
	    { 132, 43 }, { 200, 60 }, { 320, 90 }, { 80, 200 } };
	static const int	workers[] = { 5, 20, 1000 };

	(void)state;
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		for (size_t n = 0; n < 3; n++) {
			for (int fs = 0; fs < 3; fs++) {
				struct layout l;
				int cols = sizes[k][0], lines = sizes[k][1];
				long area = 0;

				layout_compute(&l, cols, lines, workers[n], 5,
				    fs);
				assert_false(l.too_small);
				struct rect r[] = { l.header, l.workers,
				    l.quorum, l.models, l.charts, l.dag, l.log,
				    l.bar };
				const size_t nr = sizeof r / sizeof r[0];

				for (size_t i = 0; i < nr; i++) {
					assert_true(r[i].x >= 0 && r[i].y >= 0);
					assert_true(r[i].x + r[i].w <= cols);
					assert_true(r[i].y + r[i].h <= lines);
					area += (long)r[i].w * r[i].h;
					for (size_t j = 0; j < i; j++)
						assert_false(overlap(r[i], r[j]));
				}
				assert_int_equal(area, (long)cols * lines);
				assert_int_equal(l.header.y, 0);
				assert_int_equal(l.bar.y, lines - 1);
				assert_true(l.workers.h >= 5);
				assert_true(l.models.h >= 5 && l.log.h >= 3);
				assert_true(fs ? l.quorum.h >= 7 :
				    l.quorum.h == 0);
				/* few workers: a row each, the legend, the
				 * column heads and borders, when it fits */
				if (workers[n] == 5 && fs)
					assert_int_equal(l.workers.h, 9);
				/* the focus's quorum panel explains its checks:
				 * half the height when short (or 16 lines) */
				if (fs == 2 && lines < 40)
					assert_true(l.quorum.h >= ((lines - 2) / 2 <
					    16 ? (lines - 2) / 2 : 16));
			}
		}
	}
	{
		struct layout l;

		layout_compute(&l, 79, 24, 20, 5, 1);
		assert_true(l.too_small);
		layout_compute(&l, 80, 23, 20, 5, 1);
		assert_true(l.too_small);
		layout_compute(&l, 60, 15, 20, 5, 1);
		assert_true(l.too_small);
	}
}

int
main(void)
{
	/* fills are read in the user's locale: a UTF-8 one here */
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		return (fprintf(stderr, "no C.UTF-8 locale\n"), 99);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_themes),
		cmocka_unit_test(test_default_file_is_builtin),
		cmocka_unit_test(test_model_slots),
		cmocka_unit_test(test_bad_themes),
		cmocka_unit_test(test_fill_one_cell),
		cmocka_unit_test(test_bar),
		cmocka_unit_test(test_gauge),
		cmocka_unit_test(test_sparkline),
		cmocka_unit_test(test_number_ms),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_count),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
