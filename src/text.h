/*
 * Terminal-safe text (text.c): what fastsync prints of a user's string
 * (a value from a file or --set, a run or model name, a path) is one
 * line without control sequences; the stored value is never changed.
 */
#ifndef FS_TEXT_H
#define FS_TEXT_H

#include <stddef.h>

/* s with control bytes and broken UTF-8 escaped, into buf; returns buf. */
const char	*text_safe(char *, size_t, const char *);
/*
 * The offending token of a line, for a message: at most the buffer's
 * length of the first n bytes of s, safe, "..." marking a cut (a file's
 * content is never echoed beyond the token, nor the whole token).
 */
const char	*text_token(char *, size_t, const char *, size_t);
#define TEXT_TOKEN	48	/* a token's buffer: ~44 bytes shown */
/* Whether text_safe would change s. */
int		 text_needs_escape(const char *);
/* A message made safe in place (cut at its buffer's length). */
void		 text_safe_msg(char *, size_t);
/* Seconds as progress lines show them: "12.3s", "1m05s", "2h03m". */
void		 text_duration(char *, size_t, double);

#endif
