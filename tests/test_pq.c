/* The event queue: order by (time, insertion sequence), against a sort. */
#include "test_util.h"
#include "pq.h"
#include "rng.h"

struct item {
	double		t;
	uint32_t	id;
};

/* Reference order: time, then insertion order (ids are insertion order). */
static int
cmp_item(const void *a, const void *b)
{
	const struct item	*x = a, *y = b;

	if (x->t != y->t)
		return (x->t < y->t ? -1 : 1);
	return (x->id < y->id ? -1 : x->id > y->id);
}

static void
test_pops_in_time_then_sequence_order(void **state)
{
	enum { N = 5000 };
	struct item	*items = calloc(N, sizeof *items);
	struct pq	 q;
	struct pq_entry	 e = { 0, 0 };
	struct rng	 r;

	(void)state;
	assert_non_null(items);
	rng_seed(&r, 3, 0, 0);
	pq_init(&q, 4);
	for (uint32_t i = 0; i < N; i++) {
		/* few distinct times, so most comparisons are ties */
		items[i].t = (double)rng_below(&r, 50);
		items[i].id = i;
		pq_push(&q, items[i].t, 7, i);
	}
	assert_int_equal(pq_size(&q), N);
	qsort(items, N, sizeof *items, cmp_item);
	for (int i = 0; i < N; i++) {
		assert_true(pq_pop(&q, &e));
		assert_true(pq_time(&e) == items[i].t);
		assert_int_equal(pq_id(&e), items[i].id);
		assert_int_equal(pq_kind(&e), 7);
	}
	assert_false(pq_pop(&q, &e));
	assert_null(pq_peek(&q));
	pq_free(&q);
	free(items);
}

/* Interleaved pushes and pops, as the engine does, never go backwards. */
static void
test_interleaved_monotone(void **state)
{
	struct pq	q;
	struct pq_entry	e = { 0, 0 };
	struct rng	r;
	double		last = -1;
	uint64_t	last_seq = 0;

	(void)state;
	rng_seed(&r, 4, 0, 0);
	pq_init(&q, 16);
	for (uint32_t i = 0; i < 64; i++)
		pq_push(&q, rng_uniform(&r), 0, i);
	for (int step = 0; step < 100000; step++) {
		assert_true(pq_pop(&q, &e));
		assert_true(pq_time(&e) > last ||
		    (pq_time(&e) == last && pq_seq(&e) > last_seq));
		last = pq_time(&e);
		last_seq = pq_seq(&e);
		pq_push(&q, last + (double)rng_below(&r, 3), 0, pq_id(&e));
	}
	assert_int_equal(pq_size(&q), 64);
	assert_non_null(pq_peek(&q));
	pq_free(&q);
}

/* What a renumbering told: its entries in order, numbered 0..n-1. */
struct renumbering {
	const struct pq	*q;
	size_t		 calls;		/* entries of the current one */
	int		 done;		/* renumberings ended */
	struct pq_entry	 prev;
};

static void
renumbered(void *arg, const struct pq_entry *e, uint64_t new_seq)
{
	struct renumbering	*rn = arg;

	if (e == NULL) {
		/* every queued entry, before the push that renumbered */
		assert_int_equal(rn->calls, pq_size(rn->q));
		rn->calls = 0;
		rn->done++;
		return;
	}
	assert_int_equal(new_seq, rn->calls);
	if (rn->calls > 0)
		assert_true(rn->prev.tbits < e->tbits ||
		    (rn->prev.tbits == e->tbits && rn->prev.key < e->key));
	rn->prev = *e;
	rn->calls++;
}

/*
 * Against a reference list, the way the engine uses the queue: a batch at
 * one time (a barrier's releases), pushes a little ahead of now (they land
 * among the sorted entries at the front), far ahead, and at now itself;
 * between 1 and 3 pushes per pop, so the queue grows and shrinks. With
 * renumber, the sequence runs out every 97 steps, in mid-run (sorted
 * entries at the front, buckets split).
 */
static void
matches_reference(int renumber)
{
	enum { N = 3000, STEPS = 40000, RENUMBER_EVERY = 97 };
	const uint64_t	 limit = UINT64_C(1) << (64 - PQ_SEQ_SHIFT);
	struct ref { double t; uint64_t seq; uint32_t id; } *ref;
	struct pq	 q;
	struct pq_entry	 e = { 0, 0 };
	struct rng	 r;
	struct renumbering rn = { &q, 0, 0, { 0, 0 } };
	size_t		 n = 0;
	uint64_t	 seq = 0;
	double		 now = 0;

	ref = calloc(N * 4 + STEPS * 3, sizeof *ref);
	rng_seed(&r, 9, 0, 0);
	pq_init(&q, 4);
	pq_on_renumber(&q, renumbered, &rn);
	for (uint32_t i = 0; i < N; i++) {
		double t = i % 3 == 0 ? 5.0 : rng_uniform(&r) * 100;

		pq_push(&q, t, 1, i);
		ref[n++] = (struct ref){ t, seq++, i };
	}
	for (int step = 0; step < STEPS && n > 0; step++) {
		size_t	best = 0;
		int	pushes = step % 7 == 0 ? 0 : 1 + (int)rng_below(&r, 2);

		if (renumber && step % RENUMBER_EVERY == RENUMBER_EVERY / 2)
			q.next_seq = limit - 1 - (uint64_t)(step % 3);
		for (size_t k = 1; k < n; k++)
			if (ref[k].t < ref[best].t || (ref[k].t == ref[best].t &&
			    ref[k].seq < ref[best].seq))
				best = k;
		assert_true(pq_pop(&q, &e));
		assert_true(pq_time(&e) == ref[best].t);
		assert_int_equal(pq_id(&e), ref[best].id);
		/* renumbered, the numbers differ: the order is what holds */
		if (!renumber)
			assert_int_equal(pq_seq(&e), ref[best].seq);
		now = ref[best].t;
		ref[best] = ref[--n];
		for (int j = 0; j < pushes && n < N; j++) {
			double	d;

			switch (rng_below(&r, 4)) {
			case 0:
				d = 0;
				break;
			case 1:
				d = rng_uniform(&r) * 0.05;
				break;
			case 2:
				d = 1.0;
				break;
			default:
				d = rng_uniform(&r) * 80;
				break;
			}
			pq_push(&q, now + d, 2, (uint32_t)step);
			ref[n++] = (struct ref){ now + d, seq++, (uint32_t)step };
		}
		assert_int_equal(pq_size(&q), n);
	}
	assert_int_equal(rn.done, renumber ? STEPS / RENUMBER_EVERY : 0);
	pq_free(&q);
	free(ref);
}

static void
test_matches_reference(void **state)
{
	(void)state;
	matches_reference(0);
}

/* The same, the sequence running out 412 times in mid-run. */
static void
test_matches_reference_renumbered(void **state)
{
	(void)state;
	matches_reference(1);
}

/*
 * A renumbering empties the sorted run at the front: its end must go too,
 * or a later push lands in the run before earlier entries still queued
 * (a review found 25 popped before 20).
 */
static void
test_renumber_with_a_run(void **state)
{
	const uint64_t	 limit = UINT64_C(1) << (64 - PQ_SEQ_SHIFT);
	struct pq	 q;
	struct pq_entry	 e = { 0, 0 };
	double		 last = 0;
	int		 popped = 0;

	(void)state;
	pq_init(&q, 4);
	for (uint32_t i = 1; i <= 100; i++)
		pq_push(&q, 10.0 * i, 0, i);
	assert_true(pq_pop(&q, &e));
	assert_true(pq_time(&e) == 10);
	q.next_seq = limit;
	pq_push(&q, 15, 1, 0);	/* renumbers, below every queued entry */
	pq_push(&q, 25, 1, 1);	/* above the lowest (20) */
	assert_true(q.next_seq < limit);
	while (pq_pop(&q, &e)) {
		assert_true(pq_time(&e) >= last);
		last = pq_time(&e);
		popped++;
	}
	assert_int_equal(popped, 101);
	pq_free(&q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pops_in_time_then_sequence_order),
		cmocka_unit_test(test_interleaved_monotone),
		cmocka_unit_test(test_matches_reference),
		cmocka_unit_test(test_matches_reference_renumbered),
		cmocka_unit_test(test_renumber_with_a_run),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
