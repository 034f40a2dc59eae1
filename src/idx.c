/*
 * The IDX reader (see idx.h). The header is 0, 0, a type byte (only
 * 0x08, unsigned bytes, is read) and the number of dimensions, then each
 * dimension as a big-endian 32-bit count; the data follows, exactly as
 * many bytes as the dimensions say. zlib reads gzip and plain alike.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "idx.h"
#include "xmalloc.h"

#define IDX_MAX_BYTES	((size_t)1 << 32)	/* 4 GiB of data at most */

static int
gz_error(gzFile gz, const char *path, char *err, size_t errlen)
{
	int		 zerr;
	const char	*msg = gzerror(gz, &zerr);
	size_t		 n = strlen(path);

	/* zlib's own messages start with the path already */
	if (zerr != Z_ERRNO && strncmp(msg, path, n) == 0 && msg[n] == ':')
		msg += n + 1 + (msg[n + 1] == ' ');
	snprintf(err, errlen, "%s: cannot read: %s", path, zerr == Z_ERRNO ?
	    strerror(errno) : msg);
	return (-1);
}

/* A gzip stream cut short reads as a clean end: ask zlib. */
static int
gz_cut(gzFile gz)
{
	int	zerr;

	(void)gzerror(gz, &zerr);
	return (zerr == Z_BUF_ERROR);
}

/*
 * The header of gz (path) into x, its data at most max bytes; 0, or -1
 * with a one-line message.
 */
static int
read_header(gzFile gz, struct idx *x, const char *path, size_t max,
    const char *limit, char *err, size_t errlen)
{
	unsigned char	 h[4], d[4];
	size_t		 want = 1;
	int		 got;

	if ((got = gzread(gz, h, 4)) < 0)
		return (gz_error(gz, path, err, errlen));
	if (got < 4 || h[0] != 0 || h[1] != 0) {
		snprintf(err, errlen, "%s: not an IDX file (no 0x0000 magic)",
		    path);
		return (-1);
	}
	if (h[2] != 0x08) {
		snprintf(err, errlen, "%s: IDX type 0x%02x is not supported"
		    " (only 0x08, unsigned bytes)", path, h[2]);
		return (-1);
	}
	if (h[3] < 1 || h[3] > IDX_MAX_DIMS) {
		snprintf(err, errlen, "%s: %d dimensions (expected 1 to %d)",
		    path, h[3], IDX_MAX_DIMS);
		return (-1);
	}
	x->ndims = h[3];
	for (int i = 0; i < x->ndims; i++) {
		if ((got = gzread(gz, d, 4)) < 0)
			return (gz_error(gz, path, err, errlen));
		if (got < 4) {
			snprintf(err, errlen, "%s: truncated header", path);
			return (-1);
		}
		x->dims[i] = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
		    (uint32_t)d[2] << 8 | d[3];
		if (x->dims[i] == 0 || want > IDX_MAX_BYTES / x->dims[i]) {
			snprintf(err, errlen, "%s: dimension %d is %u: %s",
			    path, i + 1, x->dims[i], x->dims[i] == 0 ?
			    "empty" : "too large");
			return (-1);
		}
		want *= x->dims[i];
	}
	if (want > max) {
		snprintf(err, errlen, "%s: the header says %zu values, more"
		    " than %s (%zu)", path, want, limit, max);
		return (-1);
	}
	x->n = want;
	return (0);
}

/*
 * Read x->n bytes of data from gz: as bytes into x->data, or (fx not
 * NULL) straight into *fx as floats in [0, 1], a chunk at a time, so a
 * dataset is never held twice. Either grows as data comes (from 1 MiB,
 * doubling when full): a lying header costs no memory up front.
 */
static int
read_data(gzFile gz, struct idx *x, float **fx, const char *path, char *err,
    size_t errlen)
{
	unsigned char	 h[1], *buf = NULL;
	size_t		 want = x->n, step = fx ? (1u << 20) : (1u << 26);
	int		 got, extra;

	if (fx != NULL)
		buf = xmalloc(step);
	for (size_t at = 0, cap = 0; at < want; at += (size_t)got) {
		size_t chunk;

		/* full: grow, from 1 MiB, doubling only as data comes */
		if (at == cap) {
			cap = cap == 0 ? (size_t)1 << 20 : cap * 2;
			if (cap > want)
				cap = want;
			if (fx != NULL)
				*fx = xreallocarray(*fx, cap, sizeof **fx);
			else
				x->data = xreallocarray(x->data, cap, 1);
		}
		chunk = cap - at > step ? step : cap - at;
		got = gzread(gz, fx ? buf : x->data + at, (unsigned)chunk);
		if (got < 0) {
			free(buf);
			return (gz_error(gz, path, err, errlen));
		}
		if (got == 0 || gz_cut(gz)) {
			snprintf(err, errlen, "%s: truncated: %zu bytes of data,"
			    " the header says %zu", path, at + (size_t)got, want);
			free(buf);
			return (-1);
		}
		for (int i = 0; fx != NULL && i < got; i++)
			(*fx)[at + (size_t)i] = (float)buf[i] / 255.0f;
	}
	free(buf);
	if ((extra = gzread(gz, h, 1)) != 0 || gz_cut(gz)) {
		if (extra < 0)
			gz_error(gz, path, err, errlen);
		else if (extra == 0)
			snprintf(err, errlen, "%s: truncated: the gzip stream"
			    " ends early", path);
		else
			snprintf(err, errlen, "%s: trailing data after the %zu"
			    " bytes the header says", path, x->n);
		return (-1);
	}
	return (0);
}

/* Load path (bytes, or floats into *fx) with at most max values. */
static int
load(struct idx *x, float **fx, const char *path, size_t max,
    const char *limit, char *err, size_t errlen)
{
	gzFile	gz;

	memset(x, 0, sizeof *x);
	errno = 0;
	if ((gz = gzopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s: cannot open: %s", path,
		    errno ? strerror(errno) : "out of memory");
		return (-1);
	}
	if (read_header(gz, x, path, max, limit, err, errlen) != 0 ||
	    read_data(gz, x, fx, path, err, errlen) != 0) {
		gzclose(gz);
		idx_free(x);
		if (fx != NULL) {
			free(*fx);
			*fx = NULL;
		}
		return (-1);
	}
	gzclose(gz);
	return (0);
}

/* Load path into x; returns 0, or -1 with a one-line message in err. */
int
idx_load(struct idx *x, const char *path, char *err, size_t errlen)
{
	return (load(x, NULL, path, IDX_MAX_BYTES, "4 GiB", err, errlen));
}

void
idx_free(struct idx *x)
{
	free(x->data);
	memset(x, 0, sizeof *x);
}

/*
 * An images file (n x rows x cols, at most max_pixels in all) and its
 * labels (n, each below max_classes) as a dataset, pixels scaled to
 * [0, 1] as they are read.
 */
int
dataset_load(struct dataset *ds, const char *images, const char *labels,
    int max_classes, size_t max_pixels, char *err, size_t errlen)
{
	struct idx	im, lb;

	memset(ds, 0, sizeof *ds);
	if (load(&im, &ds->x, images, max_pixels, "train.max_pixels", err,
	    errlen) != 0)
		return (-1);
	if (im.ndims != 3) {
		snprintf(err, errlen, "%s: %d dimensions, images need 3 (count,"
		    " rows, columns)", images, im.ndims);
		goto fail_images;
	}
	if (im.dims[0] > INT32_MAX || im.dims[1] > 65536 ||
	    im.dims[2] > 65536) {
		snprintf(err, errlen, "%s: %u images of %ux%u: too many or too"
		    " large", images, im.dims[0], im.dims[1], im.dims[2]);
		goto fail_images;
	}
	if (load(&lb, NULL, labels, max_pixels, "train.max_pixels", err,
	    errlen) != 0)
		goto fail_images;
	if (lb.ndims != 1 || lb.dims[0] != im.dims[0]) {
		snprintf(err, errlen, "%s: %u labels for the %u images of %s",
		    labels, lb.ndims == 1 ? lb.dims[0] : 0, im.dims[0], images);
		goto fail;
	}
	for (size_t i = 0; i < lb.n; i++) {
		if (lb.data[i] >= max_classes) {
			snprintf(err, errlen, "%s: label %d of item %zu is not"
			    " below %d", labels, lb.data[i], i, max_classes);
			goto fail;
		}
		if (lb.data[i] + 1 > ds->classes)
			ds->classes = lb.data[i] + 1;
	}
	ds->n = (int)im.dims[0];
	ds->rows = (int)im.dims[1];
	ds->cols = (int)im.dims[2];
	ds->y = lb.data;
	lb.data = NULL;
	idx_free(&im);
	return (0);
fail:
	idx_free(&lb);
fail_images:
	idx_free(&im);
	free(ds->x);
	memset(ds, 0, sizeof *ds);
	return (-1);
}

void
dataset_free(struct dataset *ds)
{
	free(ds->x);
	free(ds->y);
	memset(ds, 0, sizeof *ds);
}
