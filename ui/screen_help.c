/* The help screen: every key, scrolling when the terminal is short. */
#include <stdio.h>

#include "dash.h"
#include "tty.h"

static const char *const help[] = {
	"fastsync dashboard: every model runs side by side on identical",
	"worker draws; the panels follow the focus model.",
	"",
	"  space        pause / resume",
	"  n            step exactly one engine event (the earliest due)",
	"  r            run to the focus model's next sync point (round)",
	"  + / -        faster / slower (simulated ms per wall second,",
	"               1 ms/s up to 1,000,000 ms/s, then max speed)",
	"  Tab / m      next focus model (Shift-Tab / M: previous)",
	"  g            go to a round (150) or a time (12.5s, 800ms);",
	"               space cancels on the way",
	"  t            next theme",
	"  l            the full event log (every model), scrolling",
	"  Up / Down    scroll the workers (PgUp / PgDn, Home / End, the",
	"               mouse wheel)",
	"  ?            this help (arrows scroll; ? or Esc closes)",
	"  q            quit: the run is recorded as complete if every",
	"               model finished, else as interrupted",
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


void
screen_help(struct dash *d)
{
	struct rect	r = { 0, 0, d->cols, d->lines - 1 };
	int		h = r.h - 2, n = (int)(sizeof help / sizeof help[0]);

	if (d->help_scroll > n - h)
		d->help_scroll = n - h;
	if (d->help_scroll < 0)
		d->help_scroll = 0;
	tty_box(&r, n > h ? "help (arrows scroll; ? or Esc closes)" :
	    "help (? or Esc closes)", 0);
	for (int k = 0; k < h && d->help_scroll + k < n; k++)
		tty_put(1 + k, 2, r.w - 4, SLOT_TEXT, help[d->help_scroll + k]);
	if (n > h)
		tty_printf(r.h - 1, r.w - 14, 12, SLOT_DIM, " %d-%d/%d ",
		    d->help_scroll + 1, d->help_scroll + h, n);
}
