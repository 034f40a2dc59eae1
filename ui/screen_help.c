/* The help screen: every key, scrolling when the terminal is short. */
#include <stdio.h>

#include "dash.h"
#include "keys.h"
#include "tty.h"

/* Around the keys, which keys.c lists: the intro, then the rest. */
static const char *const intro[] = {
	"fastsync dashboard: every model runs side by side on identical",
	"worker draws; the panels follow the focus model.",
	"",
};

static const char *const outro[] = {
	"",
	"The bottom bar's keys can be clicked.",
	"",
	"Panels:",
	"  workers      the focus model's workers: state, task, progress,",
	"               cluster (C1 / C2 / nz = noise; sl = slow worker),",
	"               clock, and whether the last update was fresh or how",
	"               stale; a heat strip when they do not all fit",
	"  clusters & quorum   FastSync: cluster sizes, the sync point being",
	"               tried, gradients at the PS against the quorum",
	"  models       rounds done, mean inter-sync time, recent round times,",
	"               throughput, fresh / stale updates; * leads the race",
	"  charts       round time and mean staleness per round",
	"  task graph   the tasks and how many workers are on each",
	"  events       what happened, in words",
	"",
	"Colours come from themes (--theme, t; see fastsync-theme(5));",
	"--no-color or NO_COLOR gives the monochrome theme, --ascii plain",
	"glyphs. See fastsync(1).",
};

#define NINTRO	(int)(sizeof intro / sizeof intro[0])
#define NOUTRO	(int)(sizeof outro / sizeof outro[0])

/* Line k of the help. */
static const char *
line(int k, char *buf, size_t len)
{
	int	nkeys = keys_help_lines();

	if (k < NINTRO)
		return (intro[k]);
	if (k - NINTRO < nkeys) {
		keys_help_line(k - NINTRO, buf, len);
		return (buf);
	}
	return (outro[k - NINTRO - nkeys]);
}

void
screen_help(struct dash *d)
{
	struct rect	r = { 0, 0, d->cols, d->lines - 1 };
	int		h = r.h - 2, n = NINTRO + keys_help_lines() + NOUTRO;
	char		buf[160];

	if (d->help_scroll > n - h)
		d->help_scroll = n - h;
	if (d->help_scroll < 0)
		d->help_scroll = 0;
	tty_box(&r, n > h ? "help (arrows scroll; ? or Esc closes)" :
	    "help (? or Esc closes)", 0);
	for (int k = 0; k < h && d->help_scroll + k < n; k++)
		tty_put(1 + k, 2, r.w - 4, SLOT_TEXT, line(d->help_scroll + k,
		    buf, sizeof buf));
	if (n > h)
		tty_printf(r.h - 1, r.w - 14, 12, SLOT_DIM, " %d-%d/%d ",
		    d->help_scroll + 1, d->help_scroll + h, n);
}
