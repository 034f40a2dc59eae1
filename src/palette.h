/*
 * The models' colours, one per model kind, shared by the figures
 * (fastsync plot) and the dashboard's model slots (ui/theme.c): the
 * Okabe-Ito palette, which stays apart for the common colour-vision
 * deficiencies. Each entry also names the nearest xterm-256 colour.
 */
#ifndef FS_PALETTE_H
#define FS_PALETTE_H

struct palette_color {
	const char	*kind;		/* model kind: "asp", "bsp", ... */
	unsigned char	 r, g, b;
	int		 xterm;		/* the nearest of the 256 colours */
};

extern const struct palette_color palette_models[];
extern const int palette_nmodels;

const struct palette_color *palette_model(const char *);

#endif
