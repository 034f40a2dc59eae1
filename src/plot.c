/*
 * Drawing a figure (plot.h) with PLplot's cairo devices: PNG, SVG and
 * PDF. The only file that includes PLplot. Models take their colour
 * from palette.h by kind; a second model of one kind (ssp-3, ssp-4)
 * gets the next dash pattern; --mono draws every line black, each with
 * its own dashes.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <plplot.h>

#include "palette.h"
#include "plot.h"
#include "xmalloc.h"

#define COL_BG		0
#define COL_FG		1
#define COL_REF		2
#define COL_GRID	3
#define POINT		"\xe2\x80\xa2"	/* U+2022 bullet */
#define COL_SERIES	4	/* series i is colour map 0 entry 4 + i */

static const struct {
	const char	*suffix, *device;
} formats[] = {
	{ "png", "pngcairo" },
	{ "svg", "svgcairo" },
	{ "pdf", "pdfcairo" },
};

/* The format of a file name from its suffix, NULL: none we write. */
const char *
plot_format(const char *path)
{
	const char	*dot = strrchr(path, '.');

	for (size_t i = 0; dot != NULL && i < sizeof formats /
	    sizeof formats[0]; i++)
		if (strcasecmp(dot + 1, formats[i].suffix) == 0)
			return (formats[i].suffix);
	return (NULL);
}

static const char *
device(const char *format)
{
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
		if (strcmp(formats[i].suffix, format) == 0)
			return (formats[i].device);
	return (NULL);
}

/* The data's extent, with the references and a margin on y. */
static void
extent(const struct plot_panel *p, double *x0, double *x1, double *y0,
    double *y1)
{
	int	bars = 0;

	*x0 = *y0 = INFINITY;
	*x1 = *y1 = -INFINITY;
	for (int i = 0; i < p->ns; i++)
		for (int k = 0; k < p->s[i].n; k++) {
			const struct plot_series *s = &p->s[i];

			*x0 = fmin(*x0, s->x[k]);
			*x1 = fmax(*x1, s->x[k]);
			*y0 = fmin(*y0, s->y[k]);
			*y1 = fmax(*y1, s->y[k]);
			if (s->lo != NULL && s->hi != NULL) {
				*y0 = fmin(*y0, s->lo[k]);
				*y1 = fmax(*y1, s->hi[k]);
				bars = 1;
			}
		}
	/* error bars at the ends stay whole inside the box */
	if (bars && *x1 > *x0) {
		double	m = 0.04 * (*x1 - *x0);

		*x0 -= m;
		*x1 += m;
	}
	if (!isnan(p->hline)) {
		*y0 = fmin(*y0, p->hline);
		*y1 = fmax(*y1, p->hline);
	}
	if (!isnan(p->vline)) {
		*x0 = fmin(*x0, p->vline);
		*x1 = fmax(*x1, p->vline);
	}
	if (!isnan(p->ymin))
		*y0 = fmin(*y0, p->ymin);
	if (p->nyticks > 0) {
		*y0 = -0.5;
		*y1 = p->nyticks - 0.5;
		return;
	}
	if (*x1 <= *x0) {
		*x0 -= 1;
		*x1 += 1;
	}
	if (*y1 <= *y0) {
		*y0 -= 1;
		*y1 += 1;
	}
	*y1 += 0.05 * (*y1 - *y0);
	if (isnan(p->ymin))
		*y0 -= 0.05 * (*y1 - *y0);
}

/* A step line through the points (the histogram's and CDF's shape). */
static int
steps(const struct plot_series *s, double **xp, double **yp)
{
	double	*x = xcalloc(2 * (size_t)s->n, sizeof *x);
	double	*y = xcalloc(2 * (size_t)s->n, sizeof *y);
	int	 n = 0;

	for (int k = 0; k < s->n; k++) {
		if (k > 0) {
			x[n] = s->x[k];
			y[n++] = s->y[k - 1];
		}
		x[n] = s->x[k];
		y[n++] = s->y[k];
	}
	*xp = x;
	*yp = y;
	return (n);
}

/* Series i's line style: dash patterns 1..8 (1 solid). */
static int
style(const struct plot_out *o, const struct plot_series *s, int i)
{
	return (1 + (o->mono ? i : s->variant) % 8);
}

static void
draw_series(const struct plot_panel *p, const struct plot_out *o)
{
	for (int i = 0; i < p->ns; i++) {
		const struct plot_series *s = &p->s[i];
		double *x, *y;
		int n;

		plcol0(COL_SERIES + i);
		pllsty(style(o, s, i));
		switch (p->style) {
		case PLOT_POINTS:
			plstring(s->n, s->x, s->y, POINT);
			break;
		case PLOT_STEPS:
			n = steps(s, &x, &y);
			plline(n, x, y);
			free(x);
			free(y);
			break;
		case PLOT_LINES:
			plline(s->n, s->x, s->y);
			break;
		}
		if (s->lo != NULL && s->hi != NULL) {
			pllsty(1);
			plerry(s->n, s->x, s->lo, s->hi);
		}
	}
}

/* The dashed reference lines (target accuracy, ASP's P-1). */
static void
draw_refs(const struct plot_panel *p, double x0, double x1, double y0,
    double y1)
{
	double	x[2], y[2];

	plcol0(COL_REF);
	pllsty(3);
	if (!isnan(p->hline)) {
		x[0] = x0, x[1] = x1, y[0] = y[1] = p->hline;
		plline(2, x, y);
		plptex(x0 + 0.02 * (x1 - x0), p->hline + 0.015 * (y1 - y0), 1,
		    0, 0, p->ref_label);
	}
	if (!isnan(p->vline)) {
		x[0] = x[1] = p->vline, y[0] = y0, y[1] = y1;
		plline(2, x, y);
		plptex(p->vline, y1 - 0.04 * (y1 - y0), 1, 0, 1.02,
		    p->ref_label);
	}
	pllsty(1);
}

static void
draw_legend(const struct plot_panel *p, const struct plot_out *o)
{
	PLINT		*opt, *tcol, *lcol, *lsty, *scol, *snum;
	PLFLT		*lwid, *sscale, w, h;
	const char	**text, **sym;
	int		 n = p->ns;

	opt = xcalloc((size_t)n, sizeof *opt);
	tcol = xcalloc((size_t)n, sizeof *tcol);
	lcol = xcalloc((size_t)n, sizeof *lcol);
	lsty = xcalloc((size_t)n, sizeof *lsty);
	scol = xcalloc((size_t)n, sizeof *scol);
	snum = xcalloc((size_t)n, sizeof *snum);
	lwid = xcalloc((size_t)n, sizeof *lwid);
	sscale = xcalloc((size_t)n, sizeof *sscale);
	text = xcalloc((size_t)n, sizeof *text);
	sym = xcalloc((size_t)n, sizeof *sym);
	for (int i = 0; i < n; i++) {
		opt[i] = p->style == PLOT_POINTS ? PL_LEGEND_SYMBOL :
		    PL_LEGEND_LINE;
		tcol[i] = COL_FG;
		lcol[i] = scol[i] = COL_SERIES + i;
		lsty[i] = style(o, &p->s[i], i);
		lwid[i] = 2;
		sscale[i] = 1.2;
		snum[i] = 1;
		text[i] = p->s[i].label;
		sym[i] = POINT;
	}
	pllegend(&w, &h, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX,
	    PL_POSITION_RIGHT | PL_POSITION_OUTSIDE, 0.02, 0,
	    0.06, COL_BG, COL_FG, 1, 0, 0, n, opt, 0.8, 0.8, 1.8, 0, tcol,
	    text, NULL, NULL, NULL, NULL, lcol, lsty, lwid, scol, sscale,
	    snum, sym);
	free(opt), free(tcol), free(lcol), free(lsty), free(scol);
	free(snum), free(lwid), free(sscale), free(text), free(sym);
}

/*
 * The share of the page's width the legend takes, outside the box on the
 * right: its longest label at the legend's text scale, plus the line
 * sample and margins (at least the room of the usual model names).
 */
static double
legend_room(const struct plot_panel *p)
{
	PLFLT	def, ht, xmin, xmax, ymin, ymax;
	size_t	longest = 0;
	double	mm;

	for (int i = 0; i < p->ns; i++)
		if (strlen(p->s[i].label) > longest)
			longest = strlen(p->s[i].label);
	plgchr(&def, &ht);
	plgspa(&xmin, &xmax, &ymin, &ymax);
	if (xmax <= xmin)
		return (0.24);
	/* measured on the cairo fonts: a glyph is about 0.66 of the
	 * character height wide, and the line sample and margins take
	 * 5.5 heights */
	mm = ht * (0.66 * (double)longest + 5.5);
	return (fmin(0.45, fmax(0.24, mm / (xmax - xmin) + 0.02)));
}

static void
draw_panel(const struct plot_fig *f, int pi, const struct plot_out *o)
{
	const struct plot_panel	*p = &f->p[pi];
	double			 x0, x1, y0, y1, right;

	pladv(0);
	right = 1 - legend_room(p);
	plvpor(0.1, right, f->np > 1 ? 0.16 : 0.11, f->np > 1 ? 0.86 : 0.9);
	extent(p, &x0, &x1, &y0, &y1);
	plwind(x0, x1, y0, y1);
	plwidth(1);
	pllsty(1);
	plcol0(COL_GRID);
	plbox("g", 0, 0, p->nyticks > 0 ? "" : "g", 0, 0);
	plcol0(COL_FG);
	plbox("bcnst", 0, 0, p->nyticks > 0 ? "bc" : "bcnstv", 0, 0);
	for (int c = 0; c < p->nyticks; c++)
		plmtex("lv", 1.0, (c + 0.5) / p->nyticks, 1.0, p->yticks[c]);
	pllab(p->xlabel, p->ylabel, "");
	/* the title centred on the page, not the box: a wide legend
	 * would push a long title off the left edge */
	if (pi == 0)
		plmtex("t", 2.0, (0.5 - 0.1) / (right - 0.1), 0.5, f->title);
	plwidth(2);
	draw_series(p, o);
	plwidth(1.5);
	draw_refs(p, x0, x1, y0, y1);
	plwidth(1);
	draw_legend(p, o);
}

/* The colour map: white ground, black text, each series its model's. */
static void
colours(const struct plot_fig *f, const struct plot_out *o)
{
	int	n = 0;

	for (int p = 0; p < f->np; p++)
		n = f->p[p].ns > n ? f->p[p].ns : n;
	plscmap0n(COL_SERIES + n);
	plscol0(COL_BG, 255, 255, 255);
	plscol0(COL_FG, 0, 0, 0);
	plscol0(COL_REF, 96, 96, 96);
	plscol0(COL_GRID, 222, 222, 222);
	for (int p = 0; p < f->np; p++)
		for (int i = 0; i < f->p[p].ns; i++) {
			const struct palette_color *c =
			    palette_model(f->p[p].s[i].kind);

			if (o->mono)
				plscol0(COL_SERIES + i, 0, 0, 0);
			else
				plscol0(COL_SERIES + i, c->r, c->g, c->b);
		}
}

/* Is PLplot's driver for dev installed (plplot-driver-cairo)? */
static int
have_device(const char *dev)
{
	/* n: the arrays' room, then the drivers PLplot has */
	const char	*menus[256], *names[256], **m = menus, **d = names;
	int		 n = 256;

	plgDevs(&m, &d, &n);
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], dev) == 0)
			return (1);
	return (0);
}

/*
 * Draw f into o->path: into a new file beside it, renamed over the path
 * once whole, so a failure writes nothing.
 */
int
plot_draw(const struct plot_fig *f, const struct plot_out *o, char *err,
    size_t len)
{
	char	*tmp;
	int	 fd;

	if (!have_device(device(o->format))) {
		snprintf(err, len, "%s: PLplot has no %s driver (install"
		    " plplot-driver-cairo)", o->path, device(o->format));
		return (-1);
	}
	xasprintf(&tmp, "%s.XXXXXX", o->path);
	if ((fd = mkstemp(tmp)) < 0) {
		snprintf(err, len, "%s: cannot write here: %s", o->path,
		    strerror(errno));
		free(tmp);
		return (-1);
	}
	fchmod(fd, 0644);
	close(fd);
	plsdev(device(o->format));
	plsfnam(tmp);
	plspage(0, 0, o->width, o->height, 0, 0);
	colours(f, o);
	plssub(1, f->np);
	plinit();
	plfont(2);
	plschr(0, 0.9);
	for (int p = 0; p < f->np; p++)
		draw_panel(f, p, o);
	plend();
	if (rename(tmp, o->path) != 0) {
		snprintf(err, len, "%s: %s", o->path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return (-1);
	}
	free(tmp);
	return (0);
}
