/*
 * The per-round task graph. Tasks are declared by name with dependencies
 * by name; dag_finalize() resolves names, rejects bad graphs and fixes the
 * order a worker runs its tasks in (topological, ties by declaration).
 */
#ifndef FS_DAG_H
#define FS_DAG_H

#include <stddef.h>

#define DAG_MAX_TASKS	64	/* a round's tasks fit one bit mask */

enum task_kind {
	TASK_ASYNC,	/* local computation, no coordination */
	TASK_SYNC,	/* push gradient / pull weights at the PS */
	TASK_LOCAL	/* small local work FastSync may pull forward */
};

struct task {
	char		 *name;
	enum task_kind	  kind;
	int		  cls;		/* time class index, -1 for sync */
	int		  line;		/* config line, for messages */
	char		**dep_names;
	int		  ndeps;
	int		 *deps;		/* resolved by dag_finalize */
};

struct dag {
	struct task	*tasks;
	int		 n;
	int		*order;		/* run order: order[pos] = task index */
	int		 sync_pos;	/* position of the sync task in order */
	int		 report_pos;	/* position of the first async task */
};

const char	*task_kind_name(enum task_kind);
void		 dag_init(struct dag *);
void		 dag_free(struct dag *);
int		 dag_add(struct dag *, const char *, enum task_kind, int cls,
		     int line);
void		 dag_add_dep(struct dag *, int task, const char *);
int		 dag_finalize(struct dag *, char *, size_t, int *);

#endif
