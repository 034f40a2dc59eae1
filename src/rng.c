/* xoshiro256** (Blackman & Vigna) with splitmix64 seeding. */
#include <math.h>

#include "rng.h"

__extension__ typedef unsigned __int128 u128;

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t	z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return ((x << k) | (x >> (64 - k)));
}

/*
 * Each key component goes through its own splitmix64 round so that
 * (seed, stream, substream) triples that differ anywhere give unrelated
 * states; a plain xor of the three would make (1, 2, 0) equal (3, 0, 0).
 */
void
rng_seed(struct rng *r, uint64_t seed, uint64_t stream, uint64_t substream)
{
	uint64_t	x = seed;

	x = splitmix64(&x) ^ stream;
	x = splitmix64(&x) ^ substream;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
	r->has_spare = 0;
	r->spare = 0;
}

/* Each key's base (stream, substream); rng.h's table says what they are. */
static const struct {
	uint64_t	stream, substream;
} keys[RNG_NKEYS] = {
	[RNG_TASK] =	{ 0, 0 },
	[RNG_SPEED] =	{ 0, UINT64_MAX },
	[RNG_LEAVE] =	{ 0, UINT64_C(1) << 63 },
	[RNG_JOIN] =	{ UINT64_MAX - 1, 0 },
	[RNG_BATCH] =	{ UINT64_C(0x7472) << 48, 0 },	/* "tr" */
	[RNG_INIT] =	{ UINT64_C(0x6e6e) << 48, 0 },	/* "nn" */
};

/* The (stream, substream) that key's n-th draw of who comes from. */
void
rng_compose(enum rng_key key, uint64_t who, uint64_t n, uint64_t *stream,
    uint64_t *substream)
{
	*stream = keys[key].stream + who;
	*substream = keys[key].substream + n;
}

void
rng_stream(struct rng *r, uint64_t seed, enum rng_key key, uint64_t who,
    uint64_t n)
{
	uint64_t	stream, substream;

	rng_compose(key, who, n, &stream, &substream);
	rng_seed(r, seed, stream, substream);
}

/*
 * rng_seed's first two steps depend on the seed and the stream alone: a
 * worker's task draws (one stream, n the task) share them. So
 * rng_stream_at(r, rng_prefix(seed, key, who), key, n) seeds r exactly as
 * rng_stream(r, seed, key, who, n) does, two splitmix rounds cheaper.
 */
uint64_t
rng_prefix(uint64_t seed, enum rng_key key, uint64_t who)
{
	uint64_t	x = seed, stream, substream;

	rng_compose(key, who, 0, &stream, &substream);
	x = splitmix64(&x) ^ stream;
	return (splitmix64(&x));
}

void
rng_stream_at(struct rng *r, uint64_t prefix, enum rng_key key, uint64_t n)
{
	uint64_t	x = prefix ^ (keys[key].substream + n);

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
	r->has_spare = 0;
	r->spare = 0;
}

uint64_t
rng_next(struct rng *r)
{
	uint64_t	*s = r->s;
	uint64_t	 result = rotl(s[1] * 5, 7) * 9;
	uint64_t	 t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return (result);
}

double
rng_uniform(struct rng *r)
{
	return ((double)(rng_next(r) >> 11) * 0x1.0p-53);
}

/* Lemire's nearly-divisionless method, exact (no modulo bias). */
uint64_t
rng_below(struct rng *r, uint64_t n)
{
	u128		m;
	uint64_t		l, t;

	if (n == 0)
		return (0);
	m = (u128)rng_next(r) * n;
	l = (uint64_t)m;
	if (l < n) {
		t = -n % n;
		while (l < t) {
			m = (u128)rng_next(r) * n;
			l = (uint64_t)m;
		}
	}
	return ((uint64_t)(m >> 64));
}

/* Marsaglia's polar method; the second value of each pair is kept. */
double
rng_normal(struct rng *r)
{
	double	u, v, s, f;

	if (r->has_spare) {
		r->has_spare = 0;
		return (r->spare);
	}
	do {
		u = 2.0 * rng_uniform(r) - 1.0;
		v = 2.0 * rng_uniform(r) - 1.0;
		s = u * u + v * v;
	} while (s >= 1.0 || s == 0.0);
	f = sqrt(-2.0 * log(s) / s);
	r->spare = v * f;
	r->has_spare = 1;
	return (u * f);
}
