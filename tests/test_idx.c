/*
 * The IDX reader on files the test writes: good ones plain and gzipped,
 * and a table of bad ones (each one line naming the file, nothing kept).
 * If the Fashion-MNIST package is installed, its files load too.
 */
#include <zlib.h>

#include "test_util.h"
#include "idx.h"

/* Write bytes to a new file, gzipped or not; returns its malloc'd path. */
static char *
write_file(const unsigned char *b, size_t n, int gz)
{
	char	*path = test_write_temp("");
	FILE	*f;

	if (gz) {
		gzFile z = gzopen(path, "wb");

		assert_non_null(z);
		assert_int_equal(gzwrite(z, b, (unsigned)n), (int)n);
		assert_int_equal(gzclose(z), Z_OK);
	} else {
		f = fopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(b, 1, n, f), n);
		assert_int_equal(fclose(f), 0);
	}
	return (path);
}

/* An IDX header: ubyte, dims in big-endian; then data bytes 0, 1, ... */
static size_t
make_idx(unsigned char *b, const uint32_t *dims, int nd, size_t data)
{
	size_t	at = 0;

	b[at++] = 0;
	b[at++] = 0;
	b[at++] = 0x08;
	b[at++] = (unsigned char)nd;
	for (int i = 0; i < nd; i++) {
		b[at++] = (unsigned char)(dims[i] >> 24);
		b[at++] = (unsigned char)(dims[i] >> 16);
		b[at++] = (unsigned char)(dims[i] >> 8);
		b[at++] = (unsigned char)dims[i];
	}
	for (size_t i = 0; i < data; i++)
		b[at++] = (unsigned char)(i % 251);
	return (at);
}

static void
test_good(void **state)
{
	unsigned char	 b[512];
	uint32_t	 dims[3] = { 3, 4, 5 };
	size_t		 n = make_idx(b, dims, 3, 60);
	char		 err[256];

	(void)state;
	for (int gz = 0; gz < 2; gz++) {
		char		*path = write_file(b, n, gz);
		struct idx	 x;

		assert_int_equal(idx_load(&x, path, err, sizeof err), 0);
		assert_int_equal(x.ndims, 3);
		assert_int_equal(x.dims[0], 3);
		assert_int_equal(x.dims[2], 5);
		assert_int_equal(x.n, 60);
		assert_int_equal(x.data[59], 59);
		idx_free(&x);
		unlink(path);
		free(path);
	}
}

static void
test_dataset(void **state)
{
	unsigned char	 im[512], lb[64];
	uint32_t	 d3[3] = { 4, 2, 3 }, d1[1] = { 4 };
	size_t		 ni = make_idx(im, d3, 3, 24), nl = make_idx(lb, d1, 1, 0);
	struct dataset	 ds;
	char		 err[256], *pi, *pl;

	(void)state;
	memcpy(lb + nl, "\x02\x00\x01\x02", 4);
	im[ni - 1] = 255;
	pi = write_file(im, ni, 1);
	pl = write_file(lb, nl + 4, 0);
	assert_int_equal(dataset_load(&ds, pi, pl, 10, 1000, err, sizeof err), 0);
	assert_int_equal(ds.n, 4);
	assert_int_equal(ds.rows, 2);
	assert_int_equal(ds.cols, 3);
	assert_int_equal(ds.classes, 3);
	assert_int_equal(ds.y[0], 2);
	assert_true(ds.x[0] == 0.0f);
	assert_true(ds.x[23] == 1.0f);
	assert_true(ds.x[1] > 0.0f && ds.x[1] < 0.01f);
	dataset_free(&ds);
	/* a label out of range */
	assert_int_equal(dataset_load(&ds, pi, pl, 2, 1000, err, sizeof err), -1);
	assert_non_null(strstr(err, pl));
	assert_non_null(strstr(err, "label 2"));
	assert_null(ds.x);
	/* images and labels the wrong way round */
	assert_int_equal(dataset_load(&ds, pl, pi, 10, 1000, err, sizeof err), -1);
	assert_non_null(strstr(err, "3 (count, rows, columns)"));
	unlink(pi);
	unlink(pl);
	free(pi);
	free(pl);
}

/* Bad files: each refused with its own message, naming the file. */
static void
test_bad(void **state)
{
	static const struct {
		const char	*why;
		int		 kind;
		const char	*expect;
	} cases[] = {
		{ "empty file", 0, "not an IDX file" },
		{ "bad magic", 1, "not an IDX file" },
		{ "float type", 2, "type 0x0d" },
		{ "zero dimensions", 3, "0 dimensions" },
		{ "five dimensions", 4, "5 dimensions" },
		{ "short header", 5, "truncated header" },
		{ "short data", 6, "truncated: 10 bytes of data, the header"
		    " says 12" },
		{ "trailing data", 7, "trailing data" },
		{ "a zero dimension", 8, "dimension 2 is 0: empty" },
		{ "huge dimensions", 9, "too large" },
	};
	char		err[256];

	(void)state;
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		unsigned char	 b[256];
		uint32_t	 d2[2] = { 3, 4 }, z[2] = { 3, 0 };
		uint32_t	 huge[3] = { 0xffffffffu, 0xffffffffu, 2 };
		size_t		 n = 0;

		switch (cases[k].kind) {
		case 0:
			break;
		case 1:
			n = make_idx(b, d2, 2, 12);
			b[1] = 1;
			break;
		case 2:
			n = make_idx(b, d2, 2, 12);
			b[2] = 0x0d;
			break;
		case 3:
			n = make_idx(b, d2, 0, 0);
			break;
		case 4:
			n = make_idx(b, d2, 2, 0);
			b[3] = 5;
			break;
		case 5:
			n = make_idx(b, d2, 2, 0) - 2;
			break;
		case 6:
			n = make_idx(b, d2, 2, 10);
			break;
		case 7:
			n = make_idx(b, d2, 2, 13);
			break;
		case 8:
			n = make_idx(b, z, 2, 0);
			break;
		case 9:
			n = make_idx(b, huge, 3, 0);
			break;
		}
		for (int gz = 0; gz < 2; gz++) {
			char		*path = write_file(b, n, gz);
			struct idx	 x;

			err[0] = '\0';
			if (idx_load(&x, path, err, sizeof err) != -1)
				fail_msg("%s (gz %d) loaded", cases[k].why, gz);
			if (strstr(err, cases[k].expect) == NULL ||
			    strncmp(err, path, strlen(path)) != 0 ||
			    strchr(err, '\n') != NULL)
				fail_msg("%s (gz %d): got '%s'", cases[k].why,
				    gz, err);
			assert_null(x.data);
			unlink(path);
			free(path);
		}
	}
	assert_int_equal(idx_load(&(struct idx){ 0 }, "/nonexistent/x.idx",
	    err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent/x.idx: cannot open"));
}

/*
 * A gzip stream cut short (its CRC and length gone, or more) or with a
 * corrupt CRC is refused, naming the file once.
 */
static void
test_bad_gzip(void **state)
{
	unsigned char	 b[512], z[1024];
	uint32_t	 dims[2] = { 10, 20 };
	size_t		 n = make_idx(b, dims, 2, 200), zn;
	char		*path = write_file(b, n, 1), err[256];
	FILE		*f;

	(void)state;
	f = fopen(path, "rb");
	assert_non_null(f);
	zn = fread(z, 1, sizeof z, f);
	fclose(f);
	assert_true(zn > 20 && zn < sizeof z);
	for (size_t cut = 4; cut <= 12; cut += 4) {
		struct idx x;

		f = fopen(path, "wb");
		assert_int_equal(fwrite(z, 1, zn - cut, f), zn - cut);
		fclose(f);
		assert_int_equal(idx_load(&x, path, err, sizeof err), -1);
		if (strstr(err, "truncated") == NULL)
			fail_msg("cut %zu: got '%s'", cut, err);
		assert_null(x.data);
	}
	z[zn - 6] ^= 0x55;	/* inside the CRC */
	f = fopen(path, "wb");
	assert_int_equal(fwrite(z, 1, zn, f), zn);
	fclose(f);
	{
		struct idx	x;
		const char	*again;

		assert_int_equal(idx_load(&x, path, err, sizeof err), -1);
		assert_int_equal(strncmp(err, path, strlen(path)), 0);
		again = strstr(err + strlen(path), path);
		if (again != NULL)
			fail_msg("the path twice: '%s'", err);
	}
	unlink(path);
	free(path);
}

/*
 * train.max_pixels bounds what a dataset may hold, read from the header
 * before any data: a small gzip file claiming 1,369,569 images of 28x28
 * (4.3 GB as floats) is refused in one line naming the file and the key.
 */
static void
test_limit(void **state)
{
	static const struct {
		const char	*why;
		uint32_t	 images[3];
		uint32_t	 labels;
		size_t		 max;
		const char	*expect;	/* NULL: it loads */
		int		 bad_labels;	/* the labels file is named */
	} cases[] = {
		{ "1,369,569 images claimed", { 1369569, 28, 28 }, 1369569,
		    (size_t)1 << 28, "the header says 1073742096 values, more"
		    " than train.max_pixels (268435456)", 0 },
		{ "one pixel too many", { 4, 2, 3 }, 4, 23,
		    "the header says 24 values, more than train.max_pixels"
		    " (23)", 0 },
		{ "exactly the limit", { 4, 2, 3 }, 4, 24, NULL, 0 },
		{ "labels claiming more than the limit", { 4, 2, 3 }, 1369569,
		    100, "the header says 1369569 values, more than"
		    " train.max_pixels (100)", 1 },
	};
	char	err[256];

	(void)state;
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		static unsigned char	 im[4096], lb[64];
		uint32_t		 d1[1] = { cases[k].labels };
		size_t			 data = 24, ni, nl;
		char			*pi, *pl;
		struct dataset		 ds;
		int			 r;

		/* only 24 bytes of data follow whatever the header claims */
		ni = make_idx(im, cases[k].images, 3, data);
		nl = make_idx(lb, d1, 1, 4);
		pi = write_file(im, ni, 1);
		pl = write_file(lb, nl, 0);
		err[0] = '\0';
		r = dataset_load(&ds, pi, pl, 10, cases[k].max, err,
		    sizeof err);
		if (cases[k].expect == NULL) {
			if (r != 0)
				fail_msg("%s: %s", cases[k].why, err);
			assert_int_equal(ds.n, 4);
			dataset_free(&ds);
		} else {
			const char *file = cases[k].bad_labels ? pl : pi;

			if (r != -1 || strstr(err, cases[k].expect) == NULL ||
			    strncmp(err, file, strlen(file)) != 0 ||
			    strchr(err, '\n') != NULL)
				fail_msg("%s: got '%s'", cases[k].why, err);
			assert_null(ds.x);
			assert_null(ds.y);
		}
		unlink(pi);
		unlink(pl);
		free(pi);
		free(pl);
	}
}

/* The packaged Fashion-MNIST, when installed: 60,000 + 10,000 28x28. */
static void
test_fashion_mnist(void **state)
{
	const char	*dir = "/usr/share/datasets/fashion-mnist";
	char		 im[256], lb[256], err[256];
	struct dataset	 ds;

	(void)state;
	snprintf(im, sizeof im, "%s/t10k-images-idx3-ubyte.gz", dir);
	snprintf(lb, sizeof lb, "%s/t10k-labels-idx1-ubyte.gz", dir);
	if (access(im, R_OK) != 0) {
		/* not installed here: nothing to check, and say so */
		print_message("(dataset-fashion-mnist not installed)\n");
		skip();
	}
	assert_int_equal(dataset_load(&ds, im, lb, 10, (size_t)1 << 28, err,
	    sizeof err), 0);
	assert_int_equal(ds.n, 10000);
	assert_int_equal(ds.rows, 28);
	assert_int_equal(ds.cols, 28);
	assert_int_equal(ds.classes, 10);
	dataset_free(&ds);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_dataset),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_bad_gzip),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_fashion_mnist),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
