/* Task graph construction, validation and run order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dag.h"
#include "text.h"
#include "xmalloc.h"

static const char *kind_names[] = {
	[TASK_ASYNC] = "async",
	[TASK_SYNC] = "sync",
	[TASK_LOCAL] = "local",
};

const char *
task_kind_name(enum task_kind k)
{
	return (kind_names[k]);
}

void
dag_init(struct dag *d)
{
	memset(d, 0, sizeof *d);
	d->sync_pos = d->report_pos = -1;
}

void
dag_free(struct dag *d)
{
	for (int i = 0; i < d->n; i++) {
		struct task *t = &d->tasks[i];

		free(t->name);
		for (int j = 0; j < t->ndeps; j++)
			free(t->dep_names[j]);
		free(t->dep_names);
		free(t->deps);
	}
	free(d->tasks);
	free(d->order);
	dag_init(d);
}

int
dag_add(struct dag *d, const char *name, enum task_kind kind, int cls, int line)
{
	struct task	*t;

	d->tasks = xreallocarray(d->tasks, (size_t)d->n + 1, sizeof *d->tasks);
	t = &d->tasks[d->n];
	memset(t, 0, sizeof *t);
	t->name = xstrdup(name);
	t->kind = kind;
	t->cls = cls;
	t->line = line;
	return (d->n++);
}

void
dag_add_dep(struct dag *d, int task, const char *dep)
{
	struct task	*t = &d->tasks[task];

	t->dep_names = xreallocarray(t->dep_names, (size_t)t->ndeps + 1,
	    sizeof *t->dep_names);
	t->dep_names[t->ndeps++] = xstrdup(dep);
}

static int
dag_find(const struct dag *d, const char *name)
{
	for (int i = 0; i < d->n; i++)
		if (strcmp(d->tasks[i].name, name) == 0)
			return (i);
	return (-1);
}

/*
 * Kahn's algorithm, always taking the lowest-numbered ready task, so the
 * run order follows the order tasks were declared wherever the
 * dependencies leave a choice. O(n^2) on graphs of a handful of tasks.
 * Returns how many tasks were placed: fewer than n means a cycle.
 */
static int
dag_sort(struct dag *d, int *indeg)
{
	int	placed = 0;

	for (int i = 0; i < d->n; i++)
		indeg[i] = d->tasks[i].ndeps;
	while (placed < d->n) {
		int next = -1;

		for (int i = 0; i < d->n && next == -1; i++)
			if (indeg[i] == 0)
				next = i;
		if (next == -1)
			break;
		indeg[next] = -1;
		d->order[placed++] = next;
		for (int i = 0; i < d->n; i++)
			for (int j = 0; j < d->tasks[i].ndeps; j++)
				if (d->tasks[i].deps[j] == next)
					indeg[i]--;
	}
	return (placed);
}

/* An unplaced dependency of unplaced task t (one always exists). */
static int
dag_unplaced_dep(const struct dag *d, const int *indeg, int t)
{
	for (int j = 0; j < d->tasks[t].ndeps; j++)
		if (indeg[d->tasks[t].deps[j]] >= 0)
			return (d->tasks[t].deps[j]);
	return (t);
}

/*
 * The first-declared task of a cycle, for the message. Walking unplaced
 * dependencies n times from any unplaced task ends on a cycle; one more
 * lap finds its lowest-numbered member.
 */
static int
dag_cycle_member(const struct dag *d, const int *indeg)
{
	int	t = 0, first, best;

	while (indeg[t] < 0)
		t++;
	for (int step = 0; step < d->n; step++)
		t = dag_unplaced_dep(d, indeg, t);
	first = best = t;
	do {
		t = dag_unplaced_dep(d, indeg, t);
		if (t < best)
			best = t;
	} while (t != first);
	return (best);
}

/* A name as a message quotes it: cut short, terminal-safe. */
#define TOKEN(buf, s)	text_token(buf, sizeof buf, s, strlen(s))

/*
 * Validate and order. On error returns -1 with a message and the config
 * line of the offending task in *line (0 if none).
 */
int
dag_finalize(struct dag *d, char *err, size_t errlen, int *line)
{
	int	 nsync = 0, sync_task = -1, *indeg;
	char	 a[TEXT_TOKEN], b[TEXT_TOKEN];	/* names, as quoted */

	*line = 0;
	if (d->n == 0) {
		snprintf(err, errlen, "tasks: the task graph is empty");
		return (-1);
	}
	if (d->n > DAG_MAX_TASKS) {
		*line = d->tasks[DAG_MAX_TASKS].line;
		snprintf(err, errlen, "tasks: at most %d tasks per round, got %d",
		    DAG_MAX_TASKS, d->n);
		return (-1);
	}
	for (int i = 0; i < d->n; i++) {
		struct task *t = &d->tasks[i];
		int other = dag_find(d, t->name);

		if (other != i) {
			*line = t->line;
			snprintf(err, errlen, "tasks: duplicate task name '%s'"
			    " (first at line %d)", TOKEN(a, t->name),
			    d->tasks[other].line);
			return (-1);
		}
		free(t->deps);
		t->deps = xcalloc((size_t)t->ndeps + 1, sizeof *t->deps);
		for (int j = 0; j < t->ndeps; j++) {
			int dep = dag_find(d, t->dep_names[j]);

			*line = t->line;
			if (dep == -1) {
				snprintf(err, errlen, "tasks: task '%s' depends on"
				    " unknown task '%s'", TOKEN(a, t->name),
				    TOKEN(b, t->dep_names[j]));
				return (-1);
			}
			if (dep == i) {
				snprintf(err, errlen, "tasks: task '%s' depends on"
				    " itself", TOKEN(a, t->name));
				return (-1);
			}
			for (int k = 0; k < j; k++) {
				if (t->deps[k] == dep) {
					snprintf(err, errlen, "tasks: task '%s'"
					    " lists '%s' twice", TOKEN(a, t->name),
					    TOKEN(b, t->dep_names[j]));
					return (-1);
				}
			}
			t->deps[j] = dep;
		}
		*line = 0;
		if (t->kind == TASK_SYNC) {
			nsync++;
			if (sync_task == -1)
				sync_task = i;
			if (t->ndeps == 0) {
				*line = t->line;
				snprintf(err, errlen, "tasks: sync task '%s' has"
				    " nothing before it (give it 'after')",
				    TOKEN(a, t->name));
				return (-1);
			}
		}
	}
	if (nsync != 1) {
		if (nsync > 1)
			for (int i = d->n - 1; i >= 0; i--)
				if (d->tasks[i].kind == TASK_SYNC)
					*line = d->tasks[i].line;
		snprintf(err, errlen, "tasks: the task graph needs exactly one"
		    " sync task, it has %d", nsync);
		return (-1);
	}
	free(d->order);
	d->order = xcalloc((size_t)d->n, sizeof *d->order);
	indeg = xcalloc((size_t)d->n, sizeof *indeg);
	if (dag_sort(d, indeg) != d->n) {
		int c = dag_cycle_member(d, indeg);

		free(indeg);
		*line = d->tasks[c].line;
		snprintf(err, errlen, "tasks: the task graph has a cycle"
		    " through '%s'", TOKEN(a, d->tasks[c].name));
		return (-1);
	}
	free(indeg);
	d->sync_pos = d->report_pos = -1;
	for (int p = 0; p < d->n; p++) {
		const struct task *t = &d->tasks[d->order[p]];

		if (t->kind == TASK_SYNC)
			d->sync_pos = p;
		else if (t->kind == TASK_ASYNC && d->report_pos == -1)
			d->report_pos = p;
	}
	if (d->report_pos == -1 || d->report_pos > d->sync_pos) {
		*line = d->tasks[sync_task].line;
		snprintf(err, errlen, "tasks: no async task runs before sync"
		    " task '%s': a worker must compute before it pushes",
		    TOKEN(a, d->tasks[sync_task].name));
		return (-1);
	}
	return (0);
}
