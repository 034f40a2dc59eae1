/*
 * Engine benchmark: runs one model on the built-in default configuration
 * (the paper's task graph) with N workers and R rounds, and prints one
 * line of figures: events, wall seconds, wall ns/event, millions of
 * events/s, peak RSS (kB) and CPU ns/event. One case per process, so
 * the peak RSS is the case's.
 *
 *   fastsync-bench MODEL WORKERS ROUNDS [SEED]
 *   fastsync-bench cluster N     FastSync's clustering alone on N workers
 *   fastsync-bench draws         the task-time draws alone, as the engine
 *                                makes them (1,000 workers): the floor
 *                                they put under ns/event
 *   fastsync-bench grad NET B    minibatch gradients of a training
 *                                network (softmax, mlp, cnn) on 28x28
 *                                inputs, batch B, and evaluation images:
 *                                per second, and FLOP/s
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "cluster.h"
#include "config.h"
#include "dist.h"
#include "nn.h"
#include "rng.h"
#include "wallclock.h"
#include "xmalloc.h"
#include "sim.h"

/* CPU seconds this process used: less noisy than wall time when shared. */
static double
cputime(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec * 1e-9);
}

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

/*
 * The default configuration's task-time draws at 1,000 workers x 100
 * rounds, as sim_task_time makes them (a stream per task, its time from
 * the task's class), without the engine; then the same count of engine
 * events (BSP's run) so the floor the draws alone put under ns/event
 * shows.
 */
static int
bench_draws(void)
{
	struct config_override	 o[2] = {
		{ "workers.count", "1000", "WORKERS" },
		{ "rounds", "100", "ROUNDS" } };
	struct fs_config	 cf;
	struct sim		*s;
	struct rng		 r;
	char			 err[512];
	double			 c0, c1, sum = 0;
	uint64_t		 n = 0, ev;

	if (config_load(&cf, NULL, o, 2, err, sizeof err) != 0 ||
	    config_select_models(&cf, "bsp", err, sizeof err) != 0) {
		fprintf(stderr, "fastsync-bench: %s\n", err);
		return (2);
	}
	c0 = cputime();
	for (int k = 0; k < cf.rounds; k++)
		for (int w = 0; w < cf.workers; w++)
			for (int p = 0; p < cf.dag.n; p++) {
				const struct task *t =
				    &cf.dag.tasks[cf.dag.order[p]];

				if (t->cls < 0)
					continue;
				rng_stream(&r, cf.seed, RNG_TASK, (uint64_t)w,
				    (uint64_t)k * (uint64_t)cf.dag.n +
				    (uint64_t)cf.dag.order[p]);
				sum += dist_sample(&cf.classes[t->cls].dist,
				    &r);
				n++;
			}
	c1 = cputime();
	if ((s = sim_create(&cf, &cf.models[0], err, sizeof err)) == NULL) {
		fprintf(stderr, "fastsync-bench: %s\n", err);
		return (1);
	}
	sim_run(s);
	ev = sim_events(s);
	sim_free(s);
	printf("draws: %llu task times (1,000 workers x 100 rounds) in %.1f"
	    " CPU ns each; BSP's run has %llu events: the draws alone are"
	    " %.1f ns/event (checksum %.6g)\n", (unsigned long long)n,
	    (c1 - c0) * 1e9 / (double)n, (unsigned long long)ev,
	    (c1 - c0) * 1e9 / (double)ev, sum);
	config_free(&cf);
	return (0);
}

/*
 * Net (28x28 inputs, 10 classes) at batch b, 2 s each: minibatch
 * gradients per second, then test-set evaluation images per second, each
 * with the FLOP/s its multiply-adds make (nn_macs: two FLOPs each).
 */
static int
bench_grad(const char *net, int b)
{
	struct nn	 n;
	struct rng	 r;
	enum nn_kind	 k = strcmp(net, "softmax") == 0 ? NN_SOFTMAX :
			     strcmp(net, "mlp") == 0 ? NN_MLP : NN_CNN;
	char		 err[128];
	float		*x = xcalloc((size_t)1024 * 784, sizeof *x);
	uint8_t		*y = xcalloc(1024, 1);
	int		*idx = xcalloc((size_t)b, sizeof *idx), count = 0;
	int		 images = 0, correct;
	float		*w, *g;
	double		 t0, t, te;

	if (b < 1 || b > 1024 || nn_init(&n, k, 28, 28, 10, 64, 8, err,
	    sizeof err) != 0) {
		fprintf(stderr, "fastsync-bench: grad: bad network or batch\n");
		return (2);
	}
	rng_seed(&r, 1, 0, 0);
	for (int i = 0; i < 1024 * 784; i++)
		x[i] = (float)rng_uniform(&r);
	for (int i = 0; i < 1024; i++)
		y[i] = (uint8_t)rng_below(&r, 10);
	w = xcalloc(n.nparams, sizeof *w);
	g = xcalloc(n.nparams, sizeof *g);
	nn_weights(&n, w, 1);
	t0 = wallclock();
	do {
		for (int i = 0; i < b; i++)
			idx[i] = (int)rng_below(&r, 1024);
		nn_gradient(&n, w, x, y, idx, b, g);
		count++;
	} while ((t = wallclock() - t0) < 2.0);
	t0 = wallclock();
	do {
		nn_evaluate(&n, w, x, y, 0, 1024, &correct);
		images += 1024;
	} while ((te = wallclock() - t0) < 2.0);
	printf("grad %-8s batch %3d  %8zu params  %9.1f gradients/s  %8.1f"
	    " us/gradient  %7.1f us/sample  %6.2f GFLOP/s\n",
	    nn_kind_name(k), b, n.nparams, count / t, t / count * 1e6,
	    t / count / b * 1e6, 2 * nn_macs(&n, 1) * b * count / t / 1e9);
	printf("eval %-8s            %8zu params  %9.0f images/s     %8.1f"
	    " us/image                    %6.2f GFLOP/s\n", nn_kind_name(k),
	    n.nparams, images / te, te / images * 1e6,
	    2 * nn_macs(&n, 0) * images / te / 1e9);
	nn_free(&n);
	free(x);
	free(y);
	free(idx);
	free(w);
	free(g);
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
	double			 t0, t1, c0, c1, secs;
	uint64_t		 ev;

	if (argc == 3 && strcmp(argv[1], "cluster") == 0)
		return (bench_cluster(atoi(argv[2])));
	if (argc == 2 && strcmp(argv[1], "draws") == 0)
		return (bench_draws());
	if (argc == 4 && strcmp(argv[1], "grad") == 0)
		return (bench_grad(argv[2], atoi(argv[3])));
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
	c0 = cputime();
	t0 = wallclock();
	sim_run(s);
	t1 = wallclock();
	c1 = cputime();
	if (sim_error(s) != NULL) {
		fprintf(stderr, "fastsync-bench: %s\n", sim_error(s));
		return (1);
	}
	ev = sim_events(s);
	secs = t1 - t0;
	getrusage(RUSAGE_SELF, &ru);
	printf("%-5s %8s %6s %12llu %8.3f %8.1f %8.2f %10ld %8.1f\n",
	    cf.models[0].name, argv[2], argv[3], (unsigned long long)ev, secs,
	    secs * 1e9 / (double)ev, (double)ev / secs / 1e6, ru.ru_maxrss,
	    (c1 - c0) * 1e9 / (double)ev);
	sim_free(s);
	config_free(&cf);
	return (0);
}
