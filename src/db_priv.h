/* Private to db.c, recorder.c and db_read.c: the handle and helpers. */
#ifndef FS_DB_PRIV_H
#define FS_DB_PRIV_H

#include <sqlite3.h>

struct db {
	sqlite3	*h;
	char	*path;
	int	 readonly;
};

int	db_exec(struct db *, const char *, char *, size_t);
int	db_fail(struct db *, const char *, char *, size_t);

#endif
