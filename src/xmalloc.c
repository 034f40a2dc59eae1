/* Allocation wrappers: every allocation failure ends here. */
#define _DEFAULT_SOURCE	/* madvise(2), where the system has it */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "xmalloc.h"

/* From this size on, aligned blocks ask for transparent huge pages. */
#define HUGE_FROM	((size_t)2 << 20)

static void
xmalloc_fail(size_t n)
{
	fprintf(stderr, "fastsync: out of memory allocating %zu bytes\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void	*p;

	if (n == 0)
		n = 1;
	if ((p = malloc(n)) == NULL)
		xmalloc_fail(n);
	return (p);
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void	*p;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if ((p = calloc(nmemb, size)) == NULL)
		xmalloc_fail(nmemb * size);
	return (p);
}

/*
 * Zeroed memory aligned to align (a power of two), freed with free();
 * blocks of 2 MB or more are aligned to 2 MB and in huge pages if the
 * system has them.
 */
void *
xaligned_calloc(size_t align, size_t nmemb, size_t size)
{
	void	*p;
	size_t	 n;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if (nmemb > SIZE_MAX / size)
		xmalloc_fail(SIZE_MAX);
	n = nmemb * size;
	if (n >= HUGE_FROM && align < HUGE_FROM)
		align = HUGE_FROM;
	if (posix_memalign(&p, align, n) != 0)
		xmalloc_fail(n);
#ifdef MADV_HUGEPAGE
	/*
	 * Big arrays read at random (a million workers' state) cost a TLB
	 * miss per access in 4 kB pages; a hint, so a failure is no error.
	 */
	if (n >= HUGE_FROM)
		(void)madvise(p, n & ~(HUGE_FROM - 1), MADV_HUGEPAGE);
#endif
	memset(p, 0, n);
	return (p);
}

void *
xreallocarray(void *old, size_t nmemb, size_t size)
{
	void	*p;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if (nmemb > SIZE_MAX / size)
		xmalloc_fail(SIZE_MAX);
	if ((p = realloc(old, nmemb * size)) == NULL)
		xmalloc_fail(nmemb * size);
	return (p);
}

char *
xstrdup(const char *s)
{
	size_t	 n = strlen(s) + 1;
	char	*p = xmalloc(n);

	memcpy(p, s, n);
	return (p);
}

/* At most n bytes of s, NUL-terminated. */
char *
xstrndup(const char *s, size_t n)
{
	size_t	 len = strnlen(s, n);
	char	*p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return (p);
}

int
xasprintf(char **out, const char *fmt, ...)
{
	va_list	 ap, ap2;
	int	 n;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		xmalloc_fail(0);
	*out = xmalloc((size_t)n + 1);
	vsnprintf(*out, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return (n);
}
