/*
 * Datasets in the MNIST IDX format (gzip or plain): an images file of
 * unsigned bytes (n x rows x cols) and a labels file (n). Every mistake
 * is one line naming the file. Used by real training (workload "train").
 */
#ifndef FS_IDX_H
#define FS_IDX_H

#include <stddef.h>
#include <stdint.h>

#define IDX_MAX_DIMS	4

struct idx {
	int		 ndims;
	uint32_t	 dims[IDX_MAX_DIMS];
	uint8_t		*data;
	size_t		 n;		/* bytes of data */
};

struct dataset {
	int		 n, rows, cols;
	float		*x;		/* n * rows * cols, in [0, 1] */
	uint8_t		*y;		/* n labels */
	int		 classes;	/* largest label + 1 */
};

int	idx_load(struct idx *, const char *, char *, size_t);
void	idx_free(struct idx *);
int	dataset_load(struct dataset *, const char *, const char *, int,
	    size_t, char *, size_t);
void	dataset_free(struct dataset *);

#endif
