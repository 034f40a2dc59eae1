/*
 * Without libFuzzer (a normal build): run a harness once on each file
 * named, so the seed corpora and every crash found stay regression
 * tests in "make check".
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_util.h"

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE	*f = fopen(argv[i], "rb");
		uint8_t	*buf;
		long	 n;

		if (f == NULL || fseek(f, 0, SEEK_END) != 0 ||
		    (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			return (1);
		}
		if ((buf = malloc((size_t)n + 1)) == NULL ||
		    fread(buf, 1, (size_t)n, f) != (size_t)n) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			return (1);
		}
		fclose(f);
		LLVMFuzzerTestOneInput(buf, (size_t)n);
		free(buf);
	}
	return (0);
}
