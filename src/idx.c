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

/* Load path into x; returns 0, or -1 with a one-line message in err. */
int
idx_load(struct idx *x, const char *path, char *err, size_t errlen)
{
	unsigned char	 h[4], d[4];
	gzFile		 gz;
	size_t		 want = 1;
	int		 got, extra;

	memset(x, 0, sizeof *x);
	errno = 0;
	if ((gz = gzopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s: cannot open: %s", path,
		    errno ? strerror(errno) : "out of memory");
		return (-1);
	}
	if ((got = gzread(gz, h, 4)) < 0) {
		gz_error(gz, path, err, errlen);
		goto fail;
	}
	if (got < 4 || h[0] != 0 || h[1] != 0) {
		snprintf(err, errlen, "%s: not an IDX file (no 0x0000 magic)",
		    path);
		goto fail;
	}
	if (h[2] != 0x08) {
		snprintf(err, errlen, "%s: IDX type 0x%02x is not supported"
		    " (only 0x08, unsigned bytes)", path, h[2]);
		goto fail;
	}
	if (h[3] < 1 || h[3] > IDX_MAX_DIMS) {
		snprintf(err, errlen, "%s: %d dimensions (expected 1 to %d)",
		    path, h[3], IDX_MAX_DIMS);
		goto fail;
	}
	x->ndims = h[3];
	for (int i = 0; i < x->ndims; i++) {
		if ((got = gzread(gz, d, 4)) < 0) {
			gz_error(gz, path, err, errlen);
			goto fail;
		}
		if (got < 4) {
			snprintf(err, errlen, "%s: truncated header", path);
			goto fail;
		}
		x->dims[i] = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
		    (uint32_t)d[2] << 8 | d[3];
		if (x->dims[i] == 0 || want > IDX_MAX_BYTES / x->dims[i]) {
			snprintf(err, errlen, "%s: dimension %d is %u: %s",
			    path, i + 1, x->dims[i], x->dims[i] == 0 ?
			    "empty" : "too large");
			goto fail;
		}
		want *= x->dims[i];
	}
	x->n = want;
	/* grown as data comes: a lying header costs no memory up front */
	for (size_t at = 0, cap = 0; at < want; at += (size_t)got) {
		size_t chunk = want - at > (1u << 26) ? (1u << 26) : want - at;

		if (at + chunk > cap) {
			cap = cap == 0 ? chunk : cap * 2 < want ? cap * 2 :
			    want;
			if (cap < at + chunk)
				cap = at + chunk;
			x->data = xreallocarray(x->data, cap, 1);
		}
		if ((got = gzread(gz, x->data + at, (unsigned)chunk)) < 0) {
			gz_error(gz, path, err, errlen);
			goto fail;
		}
		if (got == 0 || gz_cut(gz)) {
			snprintf(err, errlen, "%s: truncated: %zu bytes of data,"
			    " the header says %zu", path, at + (size_t)got, want);
			goto fail;
		}
	}
	if ((extra = gzread(gz, h, 1)) != 0 || gz_cut(gz)) {
		if (extra < 0)
			gz_error(gz, path, err, errlen);
		else if (extra == 0)
			snprintf(err, errlen, "%s: truncated: the gzip stream"
			    " ends early", path);
		else
			snprintf(err, errlen, "%s: trailing data after the %zu"
			    " bytes the header says", path, want);
		goto fail;
	}
	gzclose(gz);
	return (0);
fail:
	gzclose(gz);
	idx_free(x);
	return (-1);
}

void
idx_free(struct idx *x)
{
	free(x->data);
	memset(x, 0, sizeof *x);
}

/*
 * An images file (n x rows x cols) and its labels (n, each below
 * max_classes) as a dataset, pixels scaled to [0, 1].
 */
int
dataset_load(struct dataset *ds, const char *images, const char *labels,
    int max_classes, char *err, size_t errlen)
{
	struct idx	im, lb;

	memset(ds, 0, sizeof *ds);
	if (idx_load(&im, images, err, errlen) != 0)
		return (-1);
	if (im.ndims != 3) {
		snprintf(err, errlen, "%s: %d dimensions, images need 3 (count,"
		    " rows, columns)", images, im.ndims);
		idx_free(&im);
		return (-1);
	}
	if (im.dims[0] > INT32_MAX || im.dims[1] > 65536 ||
	    im.dims[2] > 65536) {
		snprintf(err, errlen, "%s: %u images of %ux%u: too many or too"
		    " large", images, im.dims[0], im.dims[1], im.dims[2]);
		idx_free(&im);
		return (-1);
	}
	if (idx_load(&lb, labels, err, errlen) != 0) {
		idx_free(&im);
		return (-1);
	}
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
	ds->x = xreallocarray(NULL, im.n, sizeof *ds->x);
	for (size_t i = 0; i < im.n; i++)
		ds->x[i] = (float)im.data[i] / 255.0f;
	ds->y = lb.data;
	lb.data = NULL;
	idx_free(&im);
	return (0);
fail:
	idx_free(&im);
	idx_free(&lb);
	ds->classes = 0;
	return (-1);
}

void
dataset_free(struct dataset *ds)
{
	free(ds->x);
	free(ds->y);
	memset(ds, 0, sizeof *ds);
}
