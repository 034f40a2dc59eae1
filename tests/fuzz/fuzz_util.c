/* Scratch files for the harnesses: plain, or gzip-compressed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "fuzz_util.h"

#define FUZZ_FILES	4

static char	paths[FUZZ_FILES][64];
static int	registered;

static void
remove_files(void)
{
	for (int i = 0; i < FUZZ_FILES; i++)
		if (paths[i][0] != '\0')
			unlink(paths[i]);
}

/* Scratch file k's path, made once (same folder as TMPDIR). */
static const char *
scratch(int k)
{
	const char	*dir = getenv("TMPDIR");
	int		 fd;

	if (paths[k][0] != '\0')
		return (paths[k]);
	snprintf(paths[k], sizeof paths[k], "%s/fastsync-fuzz-XXXXXX",
	    dir != NULL && strlen(dir) < 32 ? dir : "/tmp");
	if ((fd = mkstemp(paths[k])) < 0)
		abort();
	close(fd);
	if (!registered++)
		atexit(remove_files);
	return (paths[k]);
}

/* The input as scratch file k. */
const char *
fuzz_file(int k, const uint8_t *data, size_t n)
{
	const char	*path = scratch(k);
	FILE		*f = fopen(path, "wb");

	if (f == NULL || fwrite(data, 1, n, f) != n || fclose(f) != 0)
		abort();
	return (path);
}

/* The input gzip-compressed as scratch file k. */
const char *
fuzz_gzip(int k, const uint8_t *data, size_t n)
{
	const char	*path = scratch(k);
	gzFile		 gz = gzopen(path, "wb");

	if (gz == NULL || (n > 0 && gzwrite(gz, data, (unsigned)n) !=
	    (int)n) || gzclose(gz) != Z_OK)
		abort();
	return (path);
}
