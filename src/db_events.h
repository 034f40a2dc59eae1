/* Private to libfsdb: the event log's compact encoding (db_events.c). */
#ifndef FS_DB_EVENTS_H
#define FS_DB_EVENTS_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct sim_event;

/*
 * The views over events that stand for schema 4's tables: their columns
 * and which events they are. fastsync export orders them by seq.
 */
#define DB_UPDATES_COLS	"run, model, t, worker, round, v_read, v_apply," \
	" v_apply - v_read AS staleness"
#define DB_UPDATES_WHERE	"type = 'apply'"
#define DB_CLUSTERS_COLS	"run, model, round, worker, CASE label" \
	" WHEN 0 THEN 'C1' WHEN 1 THEN 'C2' ELSE 'noise' END AS label"
#define DB_CLUSTERS_WHERE	"type = 'cluster'"
#define DB_QUORUM_COLS	"run, model, round, t, point, ready, needed, pass"
#define DB_QUORUM_WHERE	"type = 'quorum'"

/* A group's events at most (events at one time: a barrier's release) */
#define DB_GROUP_EVENTS	8

/* A chunk's events at most: one chunk's text stays a few megabytes. */
#define DB_CHUNK_EVENTS	65536

/* One model's chunk being filled, then packed. */
struct db_evbuf {
	char		*text;		/* the JSON array so far */
	size_t		 len, cap;
	int64_t		 seq;		/* the first event's */
	int		 n;
	double		 last_t;	/* the open group's time */
	int		 ingroup;	/* its events */
	unsigned char	*data;		/* packed: sqlar_compress(text) */
	size_t		 dlen, dcap;
	size_t		 size;		/* the text's length, packed */
};

void	db_evbuf_add(struct db_evbuf *, const struct sim_event *);
int	db_evbuf_pack(struct db_evbuf *, int);
int	db_evbuf_write(struct db_evbuf *, sqlite3_stmt *, int64_t,
	    const char *);
void	db_evbuf_reset(struct db_evbuf *, int64_t);
void	db_evbuf_free(struct db_evbuf *);
int	db_events_names(struct db *, char *, size_t);
int	db_migrate_event_chunks(struct db *, char *, size_t);

#endif
