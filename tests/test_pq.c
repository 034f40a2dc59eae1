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

/*
 * Against a reference list, the way the engine uses the queue: a batch at
 * one time (a barrier's releases), pushes a little ahead of now (they land
 * among the sorted entries at the front), far ahead, and at now itself;
 * between 1 and 3 pushes per pop, so the queue grows and shrinks.
 */
static void
matches_reference(uint64_t first_seq)
{
	enum { N = 3000, STEPS = 40000 };
	struct ref { double t; uint64_t seq; uint32_t id; } *ref;
	struct pq	 q;
	struct pq_entry	 e = { 0, 0 };
	struct rng	 r;
	size_t		 n = 0;
	uint64_t	 seq = 0;
	double		 now = 0;
	int		 renumbered = 0;

	ref = calloc(N * 4 + STEPS * 3, sizeof *ref);
	rng_seed(&r, 9, 0, 0);
	pq_init(&q, 4);
	q.next_seq = first_seq;
	for (uint32_t i = 0; i < N; i++) {
		double t = i % 3 == 0 ? 5.0 : rng_uniform(&r) * 100;

		pq_push(&q, t, 1, i);
		ref[n++] = (struct ref){ t, seq++, i };
	}
	for (int step = 0; step < STEPS && n > 0; step++) {
		size_t	best = 0;
		int	pushes = step % 7 == 0 ? 0 : 1 + (int)rng_below(&r, 2);

		for (size_t k = 1; k < n; k++)
			if (ref[k].t < ref[best].t || (ref[k].t == ref[best].t &&
			    ref[k].seq < ref[best].seq))
				best = k;
		assert_true(pq_pop(&q, &e));
		assert_true(pq_time(&e) == ref[best].t);
		assert_int_equal(pq_id(&e), ref[best].id);
		/* past the 36-bit limit the queue numbers its entries anew,
		 * in their order: the order is what must hold */
		if (first_seq == 0)
			assert_int_equal(pq_seq(&e), ref[best].seq);
		else if (pq_seq(&e) < first_seq)
			renumbered = 1;
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
	assert_int_equal(renumbered, first_seq != 0);
	pq_free(&q);
	free(ref);
}

static void
test_matches_reference(void **state)
{
	(void)state;
	matches_reference(0);
}

/* The same, with the sequence running out after 1,000 pushes. */
static void
test_matches_reference_renumbered(void **state)
{
	(void)state;
	matches_reference((UINT64_C(1) << (64 - PQ_SEQ_SHIFT)) - 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pops_in_time_then_sequence_order),
		cmocka_unit_test(test_interleaved_monotone),
		cmocka_unit_test(test_matches_reference),
		cmocka_unit_test(test_matches_reference_renumbered),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
