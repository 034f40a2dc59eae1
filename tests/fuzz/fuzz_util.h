/*
 * Shared by the libFuzzer harnesses: a scratch file per process that
 * each input is written to, since the loaders read files.
 */
#ifndef FS_FUZZ_UTIL_H
#define FS_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

const char	*fuzz_file(int, const uint8_t *, size_t);
const char	*fuzz_gzip(int, const uint8_t *, size_t);

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#endif
