/* Private to libfsdb: the event log's compact encoding (db_events.c). */
#ifndef FS_DB_EVENTS_H
#define FS_DB_EVENTS_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct libdeflate_compressor;
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

/* A chunk's scale at most: the view divides by 2^62 twice. */
#define DB_MAX_SCALE	124

/* libdeflate's level for the chunks */
#define DB_DEFLATE_LEVEL	1

/* A group of events at one time, while its chunk fills. */
struct db_evgroup {
	uint64_t	 m;		/* t = m / 2^s, m odd (or 0) */
	int		 s;
	size_t		 end;		/* its events' text ends here */
};

/* One model's chunk being filled, then packed. */
struct db_evbuf {
	char		*text;		/* the events' text, group by group */
	size_t		 len, cap;
	struct db_evgroup *g;		/* the groups so far */
	int		 ng, gcap;
	int64_t		 seq;		/* the first event's */
	int		 n;
	double		 last_t;	/* the open group's time */
	int		 ingroup;	/* its events */
	int		 scale;		/* the chunk's: max s over its groups */
	int		 top;		/* max over them of bits(m) - s */
	int		 decimal;	/* one group, its time a decimal */
	char		*out;		/* the chunk's JSON text, packed */
	size_t		 olen, ocap;
	struct libdeflate_compressor *zc;
	unsigned char	*data;		/* packed: sqlar_compress(out) */
	size_t		 dlen, dcap;
	size_t		 size;		/* the JSON text's length, packed */
};

int	db_evbuf_add(struct db_evbuf *, const struct sim_event *);
int	db_evbuf_pack(struct db_evbuf *, int);
int	db_evbuf_write(struct db_evbuf *, sqlite3_stmt *, int64_t,
	    const char *);
void	db_evbuf_reset(struct db_evbuf *, int64_t);
void	db_evbuf_free(struct db_evbuf *);
int	db_events_names(struct db *, char *, size_t);
/* fs_events, the events view's rows decoded in C (db_evscan.c) */
int	db_evscan_register(sqlite3 *);
int	db_migrate_v6(struct db *, char *, size_t);
int	db_migrate_v7(struct db *, char *, size_t);

#endif
