/*
 * The models' colour table (palette.h). One row per built-in model kind;
 * a kind not listed (a model registered at run time) takes the last row.
 */
#include <string.h>

#include "palette.h"

/* Okabe & Ito, "Color Universal Design" (2008); yellow is left spare. */
const struct palette_color palette_models[] = {
	{ "asp",	0x56, 0xb4, 0xe9, 74 },		/* sky blue */
	{ "bsp",	0x00, 0x72, 0xb2, 25 },		/* blue */
	{ "ssp",	0x00, 0x9e, 0x73, 36 },		/* bluish green */
	{ "dssp",	0xcc, 0x79, 0xa7, 175 },	/* reddish purple */
	{ "quorum",	0xe6, 0x9f, 0x00, 178 },	/* orange */
	{ "fastsync",	0xd5, 0x5e, 0x00, 166 },	/* vermillion */
	{ NULL,		0x00, 0x00, 0x00, 244 },	/* black; grey on screen */
};
const int palette_nmodels = sizeof palette_models / sizeof palette_models[0];

/* The colour of a model kind. */
const struct palette_color *
palette_model(const char *kind)
{
	int	i;

	for (i = 0; i < palette_nmodels - 1; i++)
		if (kind != NULL && strcmp(palette_models[i].kind, kind) == 0)
			break;
	return (&palette_models[i]);
}
