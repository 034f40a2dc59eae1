/*
 * Engine benchmark: runs one model on the built-in default configuration
 * (the paper's task graph) with N workers and R rounds, and prints one
 * line of figures. One case per process, so the peak RSS is the case's.
 *
 *   fastsync-bench MODEL WORKERS ROUNDS [SEED]
 *   fastsync-bench cluster N     FastSync's clustering alone on N workers
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "cluster.h"
#include "config.h"
#include "rng.h"
#include "wallclock.h"
#include "xmalloc.h"
#include "sim.h"

/*
 * DBSCAN and 2-means on n workers' deviations (two speed groups and a
 * few stragglers, as FastSync sees them): ns per point and per n log2 n.
 */
static int
bench_cluster(int n)
{
	double		*x = xcalloc((size_t)n, sizeof *x), t0, t1, t2;
	int		*lab = xcalloc((size_t)n, sizeof *lab);
	struct cluster_result res;
	struct rng	 r;
	double		 nlogn = n * log2(n > 1 ? n : 2);

	rng_seed(&r, 1, 0, 0);
	for (int i = 0; i < n; i++)
		x[i] = (i % 50 == 0 ? 60 : i % 2 ? 10 : 0) + rng_normal(&r);
	t0 = wallclock();
	cluster_dbscan(x, n, 2.0, 3, lab, &res);
	t1 = wallclock();
	cluster_kmeans2(x, n, lab, &res);
	t2 = wallclock();
	printf("cluster %9d  dbscan %8.1f ns/point %6.2f ns/(n log n)"
	    "  2-means %8.1f ns/point %6.2f ns/(n log n)\n", n,
	    (t1 - t0) * 1e9 / n, (t1 - t0) * 1e9 / nlogn,
	    (t2 - t1) * 1e9 / n, (t2 - t1) * 1e9 / nlogn);
	free(x);
	free(lab);
	return (0);
}

int
main(int argc, char **argv)
{
	struct config_override	 o[4];
	struct fs_config	 cf;
	struct rusage		 ru;
	struct sim		*s;
	char			 err[512];
	double			 t0, t1, secs;
	uint64_t		 ev;

	if (argc == 3 && strcmp(argv[1], "cluster") == 0)
		return (bench_cluster(atoi(argv[2])));
	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: fastsync-bench MODEL WORKERS ROUNDS"
		    " [SEED]\n");
		return (2);
	}
	o[0] = (struct config_override){ "workers.count", argv[2], "WORKERS" };
	o[1] = (struct config_override){ "rounds", argv[3], "ROUNDS" };
	o[2] = (struct config_override){ "seed", argc == 5 ? argv[4] : "1",
	    "SEED" };
	if (config_load(&cf, NULL, o, 3, err, sizeof err) != 0 ||
	    config_select_models(&cf, argv[1], err, sizeof err) != 0) {
		fprintf(stderr, "fastsync-bench: %s\n", err);
		return (2);
	}
	if ((s = sim_create(&cf, &cf.models[0], err, sizeof err)) == NULL) {
		fprintf(stderr, "fastsync-bench: %s\n", err);
		return (1);
	}
	t0 = wallclock();
	sim_run(s);
	t1 = wallclock();
	if (sim_error(s) != NULL) {
		fprintf(stderr, "fastsync-bench: %s\n", sim_error(s));
		return (1);
	}
	ev = sim_events(s);
	secs = t1 - t0;
	getrusage(RUSAGE_SELF, &ru);
	printf("%-5s %8s %6s %12llu %8.3f %8.1f %8.2f %10ld\n",
	    cf.models[0].name, argv[2], argv[3], (unsigned long long)ev, secs,
	    secs * 1e9 / (double)ev, (double)ev / secs / 1e6, ru.ru_maxrss);
	sim_free(s);
	config_free(&cf);
	return (0);
}
