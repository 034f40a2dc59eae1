/*
 * The sweep's grid: axes from --vary (a list, or a numeric range), seeds
 * from --seeds, and the shard a process runs. Grid points are numbered
 * with the last axis fastest; run k is grid point k / nseeds with the
 * (k mod nseeds)-th seed, and belongs to shard (k mod N) + 1, so every
 * shard gets a like share of the points and seeds.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"
#include "xmalloc.h"

#define MAX_VALUES	10000	/* per axis */

void
sweep_init(struct sweep *s)
{
	memset(s, 0, sizeof *s);
	s->shard = s->nshards = 1;
}

void
sweep_free(struct sweep *s)
{
	for (int a = 0; a < s->naxes; a++) {
		for (int i = 0; i < s->axes[a].n; i++)
			free(s->axes[a].values[i]);
		free(s->axes[a].values);
		free(s->axes[a].key);
	}
	free(s->axes);
	sweep_init(s);
}

static int
bad_vary(const char *spec, const char *why, char *err, size_t errlen)
{
	snprintf(err, errlen, "--vary: %s, got '%s' (expected KEY=V1,V2,..."
	    " or KEY=START:STOP:STEP)", why, spec);
	return (-1);
}

static int
number(const char *s, double *v)
{
	char	*end;

	errno = 0;
	*v = strtod(s, &end);
	return (end == s || *end != '\0' || errno != 0 || !isfinite(*v) ?
	    -1 : 0);
}

static void
add_value(struct sweep_axis *ax, char *v)
{
	ax->values = xreallocarray(ax->values, (size_t)ax->n + 1,
	    sizeof *ax->values);
	ax->values[ax->n++] = v;
}

/* START:STOP:STEP, STOP included (within a millionth of a step). */
static int
vary_range(struct sweep_axis *ax, const char *spec, const char *r, char *err,
    size_t errlen)
{
	char	*a = xstrdup(r), *b, *c;
	double	 lo, hi, step;
	int	 integral, rc = 0;

	b = strchr(a, ':');
	*b++ = '\0';
	if ((c = strchr(b, ':')) == NULL) {
		free(a);
		return (bad_vary(spec, "a range needs START:STOP:STEP", err,
		    errlen));
	}
	*c++ = '\0';
	if (number(a, &lo) != 0 || number(b, &hi) != 0 || number(c, &step)
	    != 0)
		rc = bad_vary(spec, "a range's bounds and step are numbers",
		    err, errlen);
	else if (!(step > 0) || hi < lo)
		rc = bad_vary(spec, "a range needs STEP > 0 and STOP >= START",
		    err, errlen);
	else if ((hi - lo) / step + 1 > MAX_VALUES)
		rc = bad_vary(spec, "more than 10000 values", err, errlen);
	integral = lo == floor(lo) && step == floor(step) &&
	    strchr(a, '.') == NULL && strchr(c, '.') == NULL;
	for (int k = 0; rc == 0 && lo + k * step <= hi + step * 1e-6; k++) {
		char	*v;

		if (integral)
			xasprintf(&v, "%.0f", lo + k * step);
		else
			xasprintf(&v, "%.10g", lo + k * step);
		add_value(ax, v);
	}
	free(a);
	return (rc);
}

/* --vary KEY=V1,V2,... or KEY=START:STOP:STEP: one more axis. */
int
sweep_vary(struct sweep *s, const char *spec, char *err, size_t errlen)
{
	const char		*eq = strchr(spec, '='), *p, *comma;
	struct sweep_axis	 ax;

	if (eq == NULL || eq == spec || eq[1] == '\0')
		return (bad_vary(spec, "no KEY=VALUES", err, errlen));
	memset(&ax, 0, sizeof ax);
	ax.key = xstrndup(spec, (size_t)(eq - spec));
	for (int a = 0; a < s->naxes; a++)
		if (strcmp(s->axes[a].key, ax.key) == 0) {
			free(ax.key);
			return (bad_vary(spec, "this key is varied twice", err,
			    errlen));
		}
	if (strcmp(ax.key, "seed") == 0) {
		free(ax.key);
		return (bad_vary(spec, "seeds are --seeds", err, errlen));
	}
	if (strchr(eq + 1, ':') != NULL && strchr(eq + 1, ',') == NULL) {
		if (vary_range(&ax, spec, eq + 1, err, errlen) != 0)
			goto fail;
	} else {
		for (p = eq + 1; ; p = comma + 1) {
			comma = strchr(p, ',');
			if ((comma != NULL ? comma : p + strlen(p)) == p) {
				bad_vary(spec, "an empty value", err, errlen);
				goto fail;
			}
			if (ax.n == MAX_VALUES) {
				bad_vary(spec, "more than 10000 values", err,
				    errlen);
				goto fail;
			}
			add_value(&ax, comma != NULL ? xstrndup(p,
			    (size_t)(comma - p)) : xstrdup(p));
			if (comma == NULL)
				break;
		}
	}
	s->axes = xreallocarray(s->axes, (size_t)s->naxes + 1,
	    sizeof *s->axes);
	s->axes[s->naxes++] = ax;
	return (0);
fail:
	for (int i = 0; i < ax.n; i++)
		free(ax.values[i]);
	free(ax.values);
	free(ax.key);
	return (-1);
}

/* A whole number in [lo, hi] spanning all of s[0 .. len - 1]. */
static int
whole(const char *s, size_t len, long long lo, long long hi, long long *v)
{
	char	buf[32], *end;

	if (len == 0 || len >= sizeof buf || strspn(s, "0123456789") < len)
		return (-1);
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*v = strtoll(buf, &end, 10);
	return (*end != '\0' || errno != 0 || *v < lo || *v > hi ? -1 : 0);
}

/* --seeds N (seeds 1 .. N) or A-B. */
int
sweep_seeds(struct sweep *s, const char *spec, char *err, size_t errlen)
{
	const char	*dash = strchr(spec, '-');
	long long	 a = 1, b;
	int		 ok;

	if (dash == NULL)
		ok = whole(spec, strlen(spec), 1, SWEEP_MAX_RUNS, &b) == 0;
	else
		ok = whole(spec, (size_t)(dash - spec), 0, INT64_MAX / 2, &a)
		    == 0 && whole(dash + 1, strlen(dash + 1), a,
		    a + SWEEP_MAX_RUNS - 1, &b) == 0;
	if (ok) {
		s->seeded = 1;
		s->seed_lo = a;
		s->seed_hi = b;
		return (0);
	}
	snprintf(err, errlen, "--seeds: expected N (seeds 1 to N, N in [1,"
	    " %d]) or A-B (A <= B), got '%s'", SWEEP_MAX_RUNS, spec);
	return (-1);
}

/* --shard I/N: the I-th of N slices (1 <= I <= N). */
int
sweep_shard(struct sweep *s, const char *spec, char *err, size_t errlen)
{
	const char	*slash = strchr(spec, '/');
	long long	 i, n;

	if (slash != NULL && whole(slash + 1, strlen(slash + 1), 1, 100000,
	    &n) == 0 && whole(spec, (size_t)(slash - spec), 1, n, &i) == 0) {
		s->shard = (int)i;
		s->nshards = (int)n;
		return (0);
	}
	snprintf(err, errlen, "--shard: expected I/N with 1 <= I <= N <="
	    " 100000, got '%s'", spec);
	return (-1);
}

/*
 * The shard from a Slurm job array: task id (from the array's lowest,
 * SLURM_ARRAY_TASK_MIN, else 0 or 1 as it starts) and count.
 */
int
sweep_shard_env(struct sweep *s, const char *id, const char *count,
    char *err, size_t errlen)
{
	const char	*min = getenv("SLURM_ARRAY_TASK_MIN");
	long long	 i, n, lo = 0;
	char		 spec[64];

	if (whole(id, strlen(id), 0, 1000000, &i) != 0 ||
	    whole(count, strlen(count), 1, 100000, &n) != 0 ||
	    (min != NULL && whole(min, strlen(min), 0, i, &lo) != 0)) {
		snprintf(err, errlen, "--shard: SLURM_ARRAY_TASK_ID '%s' and"
		    " SLURM_ARRAY_TASK_COUNT '%s' are not a task of an array",
		    id, count);
		return (-1);
	}
	snprintf(spec, sizeof spec, "%lld/%lld", i - lo + 1, n);
	return (sweep_shard(s, spec, err, errlen));
}

int
sweep_points(const struct sweep *s)
{
	long long	n = 1;

	for (int a = 0; a < s->naxes && n <= SWEEP_MAX_RUNS; a++)
		n *= s->axes[a].n;
	return (n > SWEEP_MAX_RUNS ? SWEEP_MAX_RUNS + 1 : (int)n);
}

int
sweep_nseeds(const struct sweep *s)
{
	return (s->seeded ? (int)(s->seed_hi - s->seed_lo + 1) : 1);
}

/* The whole sweep within bounds: something varied, not too many runs. */
int
sweep_check(const struct sweep *s, char *err, size_t errlen)
{
	if (s->naxes == 0 && !s->seeded) {
		snprintf(err, errlen, "sweep: nothing to sweep: give --vary"
		    " KEY=VALUES or --seeds N");
		return (-1);
	}
	if ((long long)sweep_points(s) * sweep_nseeds(s) > SWEEP_MAX_RUNS) {
		snprintf(err, errlen, "--vary: more than %d runs (grid points"
		    " times seeds)", SWEEP_MAX_RUNS);
		return (-1);
	}
	return (0);
}

int
sweep_run_point(const struct sweep *s, int k)
{
	return (k / sweep_nseeds(s));
}

int64_t
sweep_run_seed(const struct sweep *s, int k)
{
	return (s->seed_lo + k % sweep_nseeds(s));
}

int
sweep_in_shard(const struct sweep *s, int k)
{
	return (k % s->nshards == s->shard - 1);
}

const char *
sweep_value(const struct sweep *s, int a, int p)
{
	for (int b = s->naxes - 1; b > a; b--)
		p /= s->axes[b].n;
	return (s->axes[a].values[p % s->axes[a].n]);
}
