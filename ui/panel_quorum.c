/*
 * The quorum rule's panel (DESIGN.md section 3) for FastSync or the
 * quorum model: FastSync's cluster sizes and last re-clustering, the
 * round being synced and the point being tried, a gauge of gradients at
 * the PS against the quorum the model itself needs, and the late
 * notifications and local tasks pulled forward so far.
 */
#include <stdio.h>
#include <string.h>

#include "dash.h"
#include "model.h"
#include "tty.h"
#include "widgets.h"

static void
quorum_draw(struct dash *d, const struct rect *r)
{
	int			 fi = dash_focus_quorum(d);
	struct dash_model	*m;
	int			 x = r->x + 1, y = r->y + 1, w = r->w - 2;
	int			 h = r->h - 2, at, present, needed, next;
	int			 ready, clusters;
	double			 when;
	char			 title[160], params[96], g[1024];

	if (fi < 0 || r->h < 3)
		return;
	m = &d->m[fi];
	clusters = sim_clusters(m->sim);
	model_label(m->spec, params, sizeof params);
	snprintf(title, sizeof title, "%s: %s (%s)", clusters ?
	    "clusters & quorum" : "quorum", m->spec->name, params);
	tty_box(r, title, 0);
	present = sim_present_now(m->sim);
	if (!sim_quorum(m->sim, &ready, &needed))
		ready = needed = 0;
	if (h < 1)
		return;
	if (!clusters) {
		y--;
		h++;
		goto plan;
	}
	/* clusters */
	at = x;
	at += tty_printf(y, at, x + w - at, SLOT_C1, "C1 %d", m->csize[1]);
	at += tty_put(y, at, x + w - at, SLOT_TEXT, " ");
	at += tty_printf(y, at, x + w - at, SLOT_C2, "C2 %d", m->csize[2]);
	at += tty_put(y, at, x + w - at, SLOT_TEXT, " ");
	at += tty_printf(y, at, x + w - at, SLOT_NOISE, "noise %d",
	    m->csize[0]);
	if (m->cluster_t >= 0)
		tty_printf(y, at, x + w - at, SLOT_DIM, " | clustered r%d t=%.1f", m->cluster_round, m->cluster_t);
	else
		tty_put(y, at, x + w - at, SLOT_DIM, " | not clustered yet");
	if (h < 2)
		return;
plan:
	/* the round being synced and the point being tried */
	y++;
	if (sim_done(m->sim))
		tty_put(y, x, w, SLOT_DIM, "every round synced");
	else if (!sim_plan(m->sim, &next, &when))
		tty_printf(y, x, w, SLOT_TEXT, "round %d: awaiting progress"
		    " reports", m->sync_round);
	else if (next == SP_FALLBACK || next == SP_QUORUM)
		tty_printf(y, x, w, SLOT_TEXT, "round %d: %s, syncs at the"
		    " %d-th gradient", m->sync_round, next == SP_FALLBACK ?
		    "fallback" : "quorum", needed);
	else
		tty_printf(y, x, w, SLOT_TEXT, "round %d: trying %s at"
		    " t=%.1f (in %.1f ms)", m->sync_round,
		    sim_point_name((enum sim_point)next), when, when - d->now);
	if (h < 3)
		return;
	/* the gauge */
	y++;
	at = x;
	at += tty_printf(y, at, w, ready >= needed ? SLOT_QUORUM_MET :
	    SLOT_QUORUM_SHORT, "ready %d/%d need %d ", ready, present,
	    needed);
	if (x + w - at >= 4) {
		widget_gauge(g, sizeof g, ready, needed, present,
		    x + w - at, tty_utf8());
		tty_put(y, at, x + w - at, SLOT_GAUGE, g);
	}
	if (h < 4)
		return;
	y++;
	tty_printf(y, x, w, SLOT_TEXT, "notified %llu  pulled fwd %llu  late"
	    " %llu  dropped %llu", (unsigned long long)m->notified,
	    (unsigned long long)m->pulled, (unsigned long long)m->late,
	    (unsigned long long)m->dropped);
	if (h < 5)
		return;
	y++;
	if (m->have_quorum)
		tty_printf(y, x, w, m->quorum.pass ? SLOT_QUORUM_MET :
		    SLOT_QUORUM_SHORT, "last check: round %d %s %d %s %d at"
		    " t=%.1f", m->quorum.round, sim_point_name(
		    (enum sim_point)m->quorum.point), m->quorum.ready,
		    m->quorum.pass ? ">=" : "<", m->quorum.needed, m->quorum.t);
	/* the members, as room allows */
	for (int c = 0; c < 3 && y + 1 < r->y + r->h - 1; c++) {
		static const char *const name[] = { "C1", "C2", "noise" };
		static const enum theme_slot slot[] = { SLOT_C1, SLOT_C2,
		    SLOT_NOISE };
		int label = c == 2 ? LABEL_NOISE : c;

		y++;
		at = x + tty_printf(y, x, w, slot[c], "%s:", name[c]);
		for (int i = 0; i < sim_workers(m->sim) && at < x + w; i++) {
			char id[16];

			if (m->label[i] != label)
				continue;
			snprintf(id, sizeof id, " w%d", i);
			if (at + (int)strlen(id) > x + w - 1) {
				tty_put(y, at, x + w - at, SLOT_DIM, tty_utf8() ?
				    " \u2026" : " ...");
				break;
			}
			at += tty_put(y, at, x + w - at, SLOT_TEXT, id);
		}
	}
}

const struct panel_ops panel_quorum_ops = { "quorum", quorum_draw };
