/* Trace files: the input as a plain CSV and gzip-compressed. */
#include "fuzz_util.h"
#include "trace.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	struct trace	 t;
	char		 err[512];

	if (trace_load(&t, fuzz_file(0, data, n), 1000.0, err,
	    sizeof err) == 0)
		trace_free(&t);
	if (trace_load(&t, fuzz_gzip(1, data, n), 1000.0, err,
	    sizeof err) == 0)
		trace_free(&t);
	return (0);
}
