/*
 * Task-time traces: CSV files, plain or gzip-compressed, of
 * "start,end,duration" rows (one task execution a line, in seconds),
 * loaded as an array of durations in milliseconds with their moments.
 */
#ifndef FS_TRACE_H
#define FS_TRACE_H

#include <stddef.h>

#define TRACE_LINE_MAX	4096	/* bytes in a line, without its ending */

/* One trace: durations in milliseconds after scaling. */
struct trace {
	char	*path;
	double	*ms;
	size_t	 n;
	double	 mean, sd, min, max;	/* sd: population */
};

/*
 * trace_load(t, path, scale, err, errlen): 0, or -1 with a one-line
 * "PATH:LINE: ..." or "PATH: ..." message in err and t zeroed. Each
 * duration is multiplied by scale (finite, > 0). t is overwritten.
 */
int	 trace_load(struct trace *, const char *, double, char *, size_t);
void	 trace_free(struct trace *);

#endif
