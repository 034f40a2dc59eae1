/*
 * Is the file sound? Every open runs SQLite's quick_check (every page
 * and record, not the indexes against the tables) before anything
 * reads or writes it, unless this very file, unchanged, passed before.
 * quick_check reads the whole file (~0.9 s for 100 MB here), so the
 * files that passed are remembered in $XDG_CACHE_HOME/fastsync/checked
 * (else ~/.cache/...): one line per file, its device, inode, size and
 * mtime and its -wal's size and mtime. A writer that checked the file
 * at open remembers it again at close: its own writes are SQLite's.
 * Without a cache folder every open checks.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_priv.h"
#include "xmalloc.h"

#define CHECKED_MAX	64	/* files remembered */

/* The file's identity and state as a line ("" when it cannot be stat'ed). */
static void
file_key(const char *path, char *key, size_t len)
{
	struct stat	 sb, wb;
	char		*wal;

	*key = '\0';
	if (stat(path, &sb) != 0)
		return;
	xasprintf(&wal, "%s-wal", path);
	if (stat(wal, &wb) != 0)
		memset(&wb, 0, sizeof wb);
	free(wal);
	snprintf(key, len, "%ju %ju %jd %jd.%09ld %jd %jd.%09ld",
	    (uintmax_t)sb.st_dev, (uintmax_t)sb.st_ino, (intmax_t)sb.st_size,
	    (intmax_t)sb.st_mtim.tv_sec, (long)sb.st_mtim.tv_nsec,
	    (intmax_t)wb.st_size, (intmax_t)wb.st_mtim.tv_sec,
	    (long)wb.st_mtim.tv_nsec);
}

/* The cache file, NULL when neither XDG_CACHE_HOME nor HOME says where. */
static char *
cache_path(void)
{
	const char	*xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char		*p;

	if (xdg != NULL && *xdg == '/')
		xasprintf(&p, "%s/fastsync/checked", xdg);
	else if (home != NULL && *home == '/')
		xasprintf(&p, "%s/.cache/fastsync/checked", home);
	else
		return (NULL);
	return (p);
}

/* Did key pass already? */
static int
cache_has(const char *key)
{
	char	*path = cache_path(), line[256];
	FILE	*f;
	int	 found = 0;

	if (path == NULL || (f = fopen(path, "r")) == NULL) {
		free(path);
		return (0);
	}
	while (!found && fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		found = strcmp(line, key) == 0;
	}
	fclose(f);
	free(path);
	return (found);
}

/* Length of "dev ino " at the start of a key: the file, whatever state. */
static size_t
key_file_len(const char *key)
{
	const char	*sp = strchr(key, ' ');

	sp = sp != NULL ? strchr(sp + 1, ' ') : NULL;
	return (sp != NULL ? (size_t)(sp - key) + 1 : strlen(key));
}

/*
 * Remember key as passed: the older lines of other files, then it, in a
 * new file renamed over the old (best effort: a failure costs a check).
 */
static void
cache_add(const char *key)
{
	char	*path = cache_path(), *tmp, *slash, line[256];
	char	 keep[CHECKED_MAX][256];
	FILE	*f = NULL;
	int	 n = 0, fd;
	size_t	 same = key_file_len(key);

	if (path == NULL)
		return;
	if ((f = fopen(path, "r")) != NULL) {
		while (fgets(line, sizeof line, f) != NULL) {
			line[strcspn(line, "\n")] = '\0';
			if (*line == '\0' || strncmp(line, key, same) == 0)
				continue;
			if (n == CHECKED_MAX - 1) {
				memmove(keep[0], keep[1], sizeof keep[0] *
				    (CHECKED_MAX - 2));
				n--;
			}
			snprintf(keep[n++], sizeof keep[0], "%s", line);
		}
		fclose(f);
	}
	/* mkdir -p of the cache folder, two levels at most matter here */
	slash = strrchr(path, '/');
	*slash = '\0';
	if (mkdir(path, 0700) != 0 && errno == ENOENT) {
		char *up = strrchr(path, '/');

		*up = '\0';
		(void)mkdir(path, 0700);
		*up = '/';
		(void)mkdir(path, 0700);
	}
	*slash = '/';
	/* a name of its own: a sweep's threads may write at once */
	xasprintf(&tmp, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) >= 0 && (f = fdopen(fd, "w")) == NULL)
		close(fd);
	if (fd >= 0 && f != NULL) {
		for (int i = 0; i < n; i++)
			fprintf(f, "%s\n", keep[i]);
		fprintf(f, "%s\n", key);
		if (fclose(f) != 0 || rename(tmp, path) != 0)
			(void)unlink(tmp);
	} else if (fd >= 0)
		(void)unlink(tmp);
	free(tmp);
	free(path);
}

/* What quick_check said first, on one line and short. */
static void
first_problem(const char *msg, char *out, size_t len)
{
	size_t	i = 0;

	/* its first line is often "*** in database main ***" */
	if (strncmp(msg, "*** ", 4) == 0 && strchr(msg, '\n') != NULL)
		msg = strchr(msg, '\n') + 1;
	for (; *msg != '\0' && i + 1 < len && i < 80; msg++)
		out[i++] = *msg == '\n' || *msg == '\t' ? ' ' :
		    (unsigned char)*msg < ' ' ? '?' : *msg;
	out[i] = '\0';
}

/*
 * 0 when d's file is sound (or passed unchanged before), else 2 with a
 * one-line message; nothing is written to the file either way.
 */
int
db_check(struct db *d, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	char		 key[256], what[96] = "";
	const char	*row;
	int		 rc;

	file_key(d->path, key, sizeof key);
	if (*key != '\0' && cache_has(key)) {
		d->checked = 1;
		return (0);
	}
	if ((rc = sqlite3_prepare_v2(d->h, "PRAGMA quick_check(1)", -1, &st,
	    NULL)) == SQLITE_OK) {
		if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			row = (const char *)sqlite3_column_text(st, 0);
			if (row != NULL && strcmp(row, "ok") != 0)
				first_problem(row, what, sizeof what);
			rc = SQLITE_OK;
		}
		sqlite3_finalize(st);
	}
	/* not a database at all (or busy, or unreadable): said as such */
	if (rc != SQLITE_OK && rc != SQLITE_CORRUPT)
		return (db_fail(d, "not readable as a database", err, errlen));
	if (rc != SQLITE_OK || *what != '\0') {
		snprintf(err, errlen, "%s: the database is damaged (SQLite's"
		    " quick_check: %s); fastsync leaves it alone: recover"
		    " what you can with sqlite3 .recover", d->path,
		    *what != '\0' ? what : sqlite3_errstr(rc));
		return (2);
	}
	d->checked = 1;
	if (*key != '\0')
		cache_add(key);
	return (0);
}

/* A writer's close: the file as it leaves it passed (see above). */
void
db_check_remember(const char *path)
{
	char	key[256];

	file_key(path, key, sizeof key);
	if (*key != '\0')
		cache_add(key);
}
