/* Theme files: the input is one. */
#include "fuzz_util.h"
#include "theme.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	struct theme	 th;
	char		 err[512];

	/* a failed load leaves the default theme, which is freed too */
	(void)theme_load(&th, fuzz_file(0, data, n), err, sizeof err);
	theme_free(&th);
	return (0);
}
