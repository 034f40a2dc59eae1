/*
 * Theme files: colors = { SLOT = { fg = ...; bg = ...; attrs = [...];
 * fill = "."; }; ... }; name = "...";. Colours are names (black, red,
 * ..., bright_white, default) or numbers 0..255. Every mistake is one
 * line naming the file, the line and the key.
 */
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "config.h"
#include "palette.h"
#include "text.h"
#include "theme.h"
#include "xmalloc.h"

static const char *const slot_names[SLOT_NSLOTS + 1] = {
	[SLOT_TEXT] = "text",
	[SLOT_DIM] = "dim",
	[SLOT_BORDER] = "border",
	[SLOT_TITLE] = "title",
	[SLOT_HEADER] = "header",
	[SLOT_KEY] = "key",
	[SLOT_SELECTED] = "selected",
	[SLOT_WARNING] = "warning",
	[SLOT_COMPUTING] = "worker_computing",
	[SLOT_LOCAL] = "worker_local",
	[SLOT_PUSHING] = "worker_pushing",
	[SLOT_WAITING] = "worker_waiting",
	[SLOT_PULLING] = "worker_pulling",
	[SLOT_IDLE] = "worker_idle",
	[SLOT_LEFT] = "worker_left",
	[SLOT_C1] = "cluster_c1",
	[SLOT_C2] = "cluster_c2",
	[SLOT_NOISE] = "cluster_noise",
	[SLOT_UNCLUSTERED] = "cluster_none",
	[SLOT_FRESH] = "fresh",
	[SLOT_STALE] = "stale",
	[SLOT_QUORUM_MET] = "quorum_met",
	[SLOT_QUORUM_SHORT] = "quorum_short",
	[SLOT_GAUGE] = "gauge",
	[SLOT_GAUGE_EMPTY] = "gauge_empty",
	[SLOT_CHART] = "chart",
	[SLOT_MODEL_ASP] = "model_asp",
	[SLOT_MODEL_BSP] = "model_bsp",
	[SLOT_MODEL_SSP] = "model_ssp",
	[SLOT_MODEL_DSSP] = "model_dssp",
	[SLOT_MODEL_QUORUM] = "model_quorum",
	[SLOT_MODEL_FASTSYNC] = "model_fastsync",
	[SLOT_NSLOTS] = NULL,
};

static const char *const color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	"bright_black", "bright_red", "bright_green", "bright_yellow",
	"bright_blue", "bright_magenta", "bright_cyan", "bright_white",
	"default", NULL
};

static const char *const attr_names[] = {
	"bold", "dim", "reverse", "underline", NULL
};

static const char *const style_keys[] = {
	"fg", "bg", "attrs", "fill", NULL
};

static const char *const top_keys[] = { "name", "colors", NULL };

const char *
theme_slot_name(enum theme_slot s)
{
	return (slot_names[s]);
}

/* The built-in default: 8 colours, the terminal's background. */
void
theme_default(struct theme *t)
{
	static const struct {
		enum theme_slot	slot;
		int		fg;
		unsigned	attrs;
	} d[] = {
		{ SLOT_DIM, -1, THEME_DIM }, { SLOT_BORDER, 4, 0 },
		{ SLOT_TITLE, -1, THEME_BOLD }, { SLOT_HEADER, 6, THEME_BOLD },
		{ SLOT_KEY, 3, THEME_BOLD }, { SLOT_SELECTED, -1, THEME_REVERSE },
		{ SLOT_WARNING, 1, THEME_BOLD }, { SLOT_COMPUTING, 2, 0 },
		{ SLOT_LOCAL, 6, 0 }, { SLOT_PUSHING, 4, THEME_BOLD },
		{ SLOT_WAITING, 3, 0 }, { SLOT_PULLING, 5, 0 },
		{ SLOT_IDLE, -1, THEME_DIM }, { SLOT_LEFT, 1, THEME_DIM },
		{ SLOT_C1, 2, THEME_BOLD }, { SLOT_C2, 3, THEME_BOLD },
		{ SLOT_NOISE, 1, 0 }, { SLOT_UNCLUSTERED, -1, THEME_DIM },
		{ SLOT_FRESH, 2, 0 }, { SLOT_STALE, 1, 0 },
		{ SLOT_QUORUM_MET, 2, THEME_BOLD },
		{ SLOT_QUORUM_SHORT, 1, THEME_BOLD }, { SLOT_GAUGE, 6, 0 },
		{ SLOT_GAUGE_EMPTY, -1, THEME_DIM }, { SLOT_CHART, 6, 0 },
	};

	memset(t, 0, sizeof *t);
	for (int i = 0; i < SLOT_NSLOTS; i++)
		t->slot[i].fg = t->slot[i].bg = THEME_DEFAULT_COLOR;
	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
		t->slot[d[i].slot].fg = d[i].fg;
		t->slot[d[i].slot].attrs = d[i].attrs;
	}
	/* the models' slots: the figures' colours (fastsync plot) */
	for (int i = SLOT_MODEL_ASP; i <= SLOT_MODEL_FASTSYNC; i++)
		t->slot[i].fg = palette_model(slot_names[i] +
		    strlen("model_"))->xterm;
	t->name = xstrdup("default");
}

/* The slot of a model kind's lines; a kind without one: the chart's. */
enum theme_slot
theme_model_slot(const char *kind)
{
	for (int i = SLOT_MODEL_ASP; i <= SLOT_MODEL_FASTSYNC; i++)
		if (strcmp(slot_names[i] + strlen("model_"), kind) == 0)
			return ((enum theme_slot)i);
	return (SLOT_CHART);
}

void
theme_free(struct theme *t)
{
	free(t->name);
	t->name = NULL;
}

/* A one-line message naming file, line and key. */
static int
terr(char *err, size_t len, const char *file, const config_setting_t *s,
    const char *what)
{
	snprintf(err, len, "%s:%d: %s", file, config_setting_source_line(s),
	    what);
	return (-1);
}

/* "unknown WHAT 'WORD'[ in WHERE] (did you mean ...?)" */
static int
unknown(char *err, size_t len, const char *file, const config_setting_t *s,
    const char *what, const char *word, const char *const *known,
    const char *where)
{
	const char	*h = config_suggest(word, known);
	char		 msg[256], tok[TEXT_TOKEN];

	/* the offending word, cut short and safe */
	text_token(tok, sizeof tok, word, strlen(word));
	snprintf(msg, sizeof msg, "unknown %s '%s'%s%s%s%s%s", what, tok,
	    where ? " in " : "", where ? where : "",
	    h ? " (did you mean '" : "", h ? h : "", h ? "'?)" : "");
	return (terr(err, len, file, s, msg));
}

static int
parse_color(const char *file, const config_setting_t *s, const char *key,
    int *out, char *err, size_t len)
{
	char	msg[256];

	if (config_setting_type(s) == CONFIG_TYPE_INT) {
		int v = config_setting_get_int(s);

		if (v < 0 || v > 255) {
			snprintf(msg, sizeof msg, "%s must be a colour name or"
			    " 0..255, got %d", key, v);
			return (terr(err, len, file, s, msg));
		}
		*out = v;
		return (0);
	}
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		snprintf(msg, sizeof msg, "%s must be a colour name or 0..255",
		    key);
		return (terr(err, len, file, s, msg));
	}
	for (int i = 0; color_names[i] != NULL; i++) {
		if (strcmp(color_names[i], config_setting_get_string(s)) == 0) {
			*out = i == 16 ? THEME_DEFAULT_COLOR : i;
			return (0);
		}
	}
	return (unknown(err, len, file, s, "colour",
	    config_setting_get_string(s), color_names, key));
}

/* Is f exactly one printable character, one column wide (the locale's)? */
static int
one_cell(const char *f)
{
	mbstate_t	ps;
	wchar_t		wc;
	size_t		n;

	memset(&ps, 0, sizeof ps);
	n = mbrtowc(&wc, f, strlen(f), &ps);
	if (n == 0 || n == (size_t)-1 || n == (size_t)-2 || f[n] != '\0')
		return (0);
	return (wcwidth(wc) == 1);
}

static int
parse_style(const char *file, config_setting_t *g, const char *slot,
    struct theme_style *st, char *err, size_t len)
{
	config_setting_t	*s;
	char			 key[96];

	for (int i = 0; i < config_setting_length(g); i++) {
		config_setting_t *e = config_setting_get_elem(g, (unsigned)i);
		int ok = 0;

		for (int k = 0; style_keys[k] != NULL; k++)
			ok |= strcmp(style_keys[k], config_setting_name(e)) == 0;
		if (!ok) {
			snprintf(key, sizeof key, "colors.%s", slot);
			return (unknown(err, len, file, e, "key",
			    config_setting_name(e), style_keys, key));
		}
	}
	snprintf(key, sizeof key, "colors.%s.fg", slot);
	if ((s = config_setting_get_member(g, "fg")) != NULL &&
	    parse_color(file, s, key, &st->fg, err, len) != 0)
		return (-1);
	snprintf(key, sizeof key, "colors.%s.bg", slot);
	if ((s = config_setting_get_member(g, "bg")) != NULL &&
	    parse_color(file, s, key, &st->bg, err, len) != 0)
		return (-1);
	if ((s = config_setting_get_member(g, "attrs")) != NULL) {
		st->attrs = 0;
		if (!config_setting_is_aggregate(s)) {
			snprintf(key, sizeof key, "colors.%s.attrs must be an"
			    " array of names, e.g. [\"bold\"]", slot);
			return (terr(err, len, file, s, key));
		}
		for (int i = 0; i < config_setting_length(s); i++) {
			config_setting_t *a = config_setting_get_elem(s,
			    (unsigned)i);
			const char *n = config_setting_get_string(a);
			int k;

			for (k = 0; n != NULL && attr_names[k] != NULL; k++)
				if (strcmp(attr_names[k], n) == 0)
					break;
			if (n == NULL || attr_names[k] == NULL) {
				snprintf(key, sizeof key, "colors.%s.attrs",
				    slot);
				return (unknown(err, len, file, a, "attribute",
				    n ? n : "(not a string)", attr_names, key));
			}
			st->attrs |= 1u << k;
		}
	}
	if ((s = config_setting_get_member(g, "fill")) != NULL) {
		const char *f = config_setting_get_string(s);

		if (f == NULL || !one_cell(f) || strlen(f) >= sizeof st->fill) {
			snprintf(key, sizeof key, "colors.%s.fill must be one"
			    " character one column wide%s", slot, f == NULL ?
			    " (a string)" : "");
			return (terr(err, len, file, s, key));
		}
		snprintf(st->fill, sizeof st->fill, "%s", f);
	}
	return (0);
}

/*
 * Load a theme file over the built-in default. Returns 0, or -1 with
 * "FILE:LINE: message" in err and *t left as the default.
 */
int
theme_load(struct theme *t, const char *file, char *err, size_t len)
{
	config_t		 cfg;
	config_setting_t	*root, *colors, *s;
	const char		*name;
	int			 r = -1;

	theme_default(t);
	config_init(&cfg);
	if (config_read_file(&cfg, file) != CONFIG_TRUE) {
		if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
			snprintf(err, len, "%s: cannot read the theme", file);
		else
			snprintf(err, len, "%s:%d: syntax error: %s", file,
			    config_error_line(&cfg), config_error_text(&cfg));
		goto out;
	}
	root = config_root_setting(&cfg);
	for (int i = 0; i < config_setting_length(root); i++) {
		s = config_setting_get_elem(root, (unsigned)i);
		if (strcmp(config_setting_name(s), "name") != 0 &&
		    strcmp(config_setting_name(s), "colors") != 0) {
			unknown(err, len, file, s, "key", config_setting_name(s),
			    top_keys, NULL);
			goto out;
		}
	}
	if (config_lookup_string(&cfg, "name", &name)) {
		free(t->name);
		t->name = xstrdup(name);
	}
	colors = config_setting_get_member(root, "colors");
	if (colors != NULL && !config_setting_is_group(colors)) {
		terr(err, len, file, colors, "colors must be a group { ... }");
		goto out;
	}
	for (int i = 0; colors != NULL && i < config_setting_length(colors);
	    i++) {
		int slot;

		s = config_setting_get_elem(colors, (unsigned)i);
		for (slot = 0; slot < SLOT_NSLOTS; slot++)
			if (strcmp(slot_names[slot], config_setting_name(s)) == 0)
				break;
		if (slot == SLOT_NSLOTS) {
			unknown(err, len, file, s, "slot",
			    config_setting_name(s), slot_names, "colors");
			goto out;
		}
		if (!config_setting_is_group(s)) {
			char msg[128];

			snprintf(msg, sizeof msg, "colors.%s must be a group"
			    " { fg = ...; }", slot_names[slot]);
			terr(err, len, file, s, msg);
			goto out;
		}
		if (parse_style(file, s, slot_names[slot], &t->slot[slot], err,
		    len) != 0)
			goto out;
	}
	r = 0;
out:
	config_destroy(&cfg);
	if (r != 0) {
		/* one line, whatever a quoted value held (ESC[2J included) */
		text_safe_msg(err, len);
		theme_free(t);
		theme_default(t);
	}
	return (r);
}
