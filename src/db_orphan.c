/*
 * Runs left "running" by a process that is gone. A run row keeps the
 * recording process's pid, host, boot id and start time (field 22 of
 * /proc/PID/stat, clock ticks since boot); a pid alone is reused, so a
 * run whose pid is alive but started at another time, or on another
 * boot of this host, is as dead as one whose pid is gone.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db_priv.h"

/* Process pid's start time (clock ticks since boot); -1: unknown. */
int64_t
db_proc_start(pid_t pid)
{
	char		 path[64], buf[1024], *p, *end;
	FILE		*f;
	size_t		 n;
	long long	 v;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return (-1);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* the command name (field 2) may hold spaces and ')': skip past it */
	if ((p = strrchr(buf, ')')) == NULL)
		return (-1);
	/* fields 3 to 21 come before the start time */
	for (int field = 3; field <= 22; field++) {
		while (*p != '\0' && *p != ' ')
			p++;
		while (*p == ' ')
			p++;
		if (*p == '\0')
			return (-1);
		if (field == 22)
			break;
	}
	errno = 0;
	v = strtoll(p, &end, 10);
	if (errno != 0 || end == p || v < 0)
		return (-1);
	return ((int64_t)v);
}

/* This boot's id (/proc/sys/kernel/random/boot_id); "" when unknown. */
void
db_boot_id(char *id, size_t len)
{
	FILE	*f = fopen("/proc/sys/kernel/random/boot_id", "r");

	*id = '\0';
	if (f == NULL)
		return;
	if (fgets(id, (int)len, f) == NULL)
		*id = '\0';
	id[strcspn(id, "\n")] = '\0';
	fclose(f);
}

/* Is the run's recording process (pid, started at start, on boot) gone? */
static int
gone(pid_t pid, int64_t start, const char *boot, const char *our_boot)
{
	int64_t	now;

	if (pid <= 0)
		return (0);
	/* another boot: whatever has that pid now is not the recorder */
	if (boot != NULL && *boot != '\0' && *our_boot != '\0' &&
	    strcmp(boot, our_boot) != 0)
		return (1);
	if (kill(pid, 0) != 0 && errno != EPERM)
		return (1);
	/* alive: the same process only if it started when the run's did */
	return (start >= 0 && (now = db_proc_start(pid)) >= 0 && now != start);
}

/*
 * Runs still marked running whose process is gone (killed, crashed)
 * were interrupted: say so, for every later reader.
 */
void
db_mark_orphans(struct db *d)
{
	sqlite3_stmt	*st, *up;
	char		 host[256] = "", boot[64];

	(void)gethostname(host, sizeof host - 1);
	db_boot_id(boot, sizeof boot);
	if (sqlite3_prepare_v2(d->h, "SELECT id, pid, host, pid_start,"
	    " boot_id FROM runs WHERE status = 'running'", -1, &st, NULL) !=
	    SQLITE_OK)
		return;
	if (sqlite3_prepare_v2(d->h, "UPDATE runs SET status = 'interrupted'"
	    " WHERE id = ?", -1, &up, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		pid_t pid = (pid_t)sqlite3_column_int64(st, 1);
		const char *h = (const char *)sqlite3_column_text(st, 2);
		int64_t start = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 :
		    sqlite3_column_int64(st, 3);
		const char *b = (const char *)sqlite3_column_text(st, 4);

		if (h == NULL || strcmp(h, host) != 0 ||
		    !gone(pid, start, b, boot))
			continue;
		sqlite3_bind_int64(up, 1, sqlite3_column_int64(st, 0));
		(void)sqlite3_step(up);
		sqlite3_reset(up);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(up);
}
