/*
 * FastSync's clusters and quorum (DESIGN.md section 3): cluster sizes
 * and the last re-clustering, the round being synced and the point being
 * tried, a gauge of gradients at the PS against the quorum needed, and
 * the late notifications and local tasks pulled forward so far.
 */
#include <math.h>
#include <stdio.h>

#include "dash.h"
#include "tty.h"
#include "widgets.h"

static void
quorum_draw(struct dash *d, const struct rect *r)
{
	int			 i = dash_focus_fastsync(d);
	struct dash_model	*m;
	int			 x = r->x + 1, y = r->y + 1, w = r->w - 2;
	int			 h = r->h - 2, at, present, needed, next;
	char			 title[80], g[1024];

	if (i < 0 || r->h < 3)
		return;
	m = &d->m[i];
	snprintf(title, sizeof title, "clusters & quorum: %s (q=%.2f)",
	    m->spec->name, m->spec->quorum);
	tty_box(r, title, 0);
	if (h < 1)
		return;
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
	/* the round being synced and the point being tried */
	y++;
	present = sim_present_now(m->sim);
	needed = (int)ceil(m->spec->quorum * present - 1e-9);
	next = SP_TS1;
	if (m->have_quorum && m->quorum.round == m->sync_round &&
	    !m->quorum.pass)
		next = m->quorum.point + 1;
	if (sim_done(m->sim))
		tty_put(y, x, w, SLOT_DIM, "every round synced");
	else
		tty_printf(y, x, w, SLOT_TEXT, "round %d: trying %s%s",
		    m->sync_round, sim_point_name((enum sim_point)next),
		    next == SP_FALLBACK ? " (the quorum-th arrival)" : "");
	if (h < 3)
		return;
	/* the gauge */
	y++;
	at = x;
	at += tty_printf(y, at, w, m->arrived >= needed ? SLOT_QUORUM_MET :
	    SLOT_QUORUM_SHORT, "ready %d/%d need %d ", m->arrived, present,
	    needed);
	if (x + w - at >= 4) {
		widget_gauge(g, sizeof g, m->arrived, needed, present,
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
	if (h < 5 || !m->have_quorum)
		return;
	y++;
	tty_printf(y, x, w, m->quorum.pass ? SLOT_QUORUM_MET :
	    SLOT_QUORUM_SHORT, "last check: round %d %s %d %s %d at t=%.1f",
	    m->quorum.round, sim_point_name((enum sim_point)m->quorum.point),
	    m->quorum.ready, m->quorum.pass ? ">=" : "<", m->quorum.needed,
	    m->quorum.t);
}

const struct panel_ops panel_quorum_ops = { "quorum", quorum_draw };
