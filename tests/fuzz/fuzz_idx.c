/* IDX files (MNIST's format): the input plain and gzip-compressed. */
#include "fuzz_util.h"
#include "idx.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	struct idx	 x;
	char		 err[512];

	if (idx_load(&x, fuzz_file(0, data, n), err, sizeof err) == 0)
		idx_free(&x);
	if (idx_load(&x, fuzz_gzip(1, data, n), err, sizeof err) == 0)
		idx_free(&x);
	return (0);
}
