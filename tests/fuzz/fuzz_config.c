/*
 * The config loader and --set: the input is a config file, optionally
 * followed by a line "--" and KEY=VALUE overrides, one a line.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz_util.h"

#define MAX_SETS	8

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	struct config_override	 o[MAX_SETS];
	struct fs_config	 cf;
	char			 err[1024], *text, *sets, *line;
	const char		*path;
	int			 no = 0;

	if ((text = malloc(n + 1)) == NULL)
		return (0);
	memcpy(text, data, n);
	text[n] = '\0';
	if ((sets = strstr(text, "\n--\n")) != NULL) {
		*sets = '\0';
		sets += 4;
	}
	path = fuzz_file(0, (const uint8_t *)text, strlen(text));
	for (line = sets; line != NULL && *line != '\0' && no < MAX_SETS;) {
		char *end = strchr(line, '\n'), *eq;

		if (end != NULL)
			*end = '\0';
		if ((eq = strchr(line, '=')) != NULL) {
			*eq = '\0';
			o[no++] = (struct config_override){ line, eq + 1,
			    "--set" };
		}
		line = end != NULL ? end + 1 : NULL;
	}
	if (config_load(&cf, path, o, no, err, sizeof err) == 0) {
		(void)config_select_models(&cf, "all", err, sizeof err);
		config_free(&cf);
	}
	free(text);
	return (0);
}
