/* Wall-clock seconds from a monotonic clock (progress, batching, bench). */
#ifndef FS_WALLCLOCK_H
#define FS_WALLCLOCK_H

#include <time.h>

static inline double
wallclock(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

#endif
