/* Shared helpers for the cmocka tests (header-only: each test is one file). */
#ifndef FS_TEST_UTIL_H
#define FS_TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "config.h"

/* Write text to a new temporary file; returns its malloc'd path. */
static inline char *
test_write_temp(const char *text)
{
	const char	*dir = getenv("TMPDIR");
	char		*path;
	FILE		*f;
	int		 fd;

	if (dir == NULL)
		dir = "/tmp";
	path = malloc(strlen(dir) + 32);
	assert_non_null(path);
	sprintf(path, "%s/fastsync-test-XXXXXX", dir);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return (path);
}

/* A file's bytes, NUL-terminated (caller frees); *n their count. */
static inline char *
test_read_file(const char *path, size_t *n)
{
	FILE	*f = fopen(path, "rb");
	char	*buf;
	long	 len;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len >= 0);
	rewind(f);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	if (n != NULL)
		*n = (size_t)len;
	return (buf);
}

/* Load a configuration given as text; returns config_load's result. */
static inline int
test_load_text(struct fs_config *cf, const char *text,
    const struct config_override *o, int no, char *err, size_t errlen)
{
	char	*path = test_write_temp(text);
	int	 r = config_load(cf, path, o, no, err, errlen);

	unlink(path);
	free(path);
	return (r);
}

#endif
