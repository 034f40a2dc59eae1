/*
 * Dashboard widgets drawn into text: a bar, a quorum gauge and a
 * sparkline, each with a UTF-8 glyph set and an ASCII twin. Pure
 * functions of their inputs, so they are tested without a terminal.
 */
#ifndef FS_WIDGETS_H
#define FS_WIDGETS_H

#include <stddef.h>

void	widget_bar(char *, size_t, double, int, int);
void	widget_gauge(char *, size_t, int, int, int, int, int);
void	widget_sparkline(char *, size_t, const double *, int, int, int);
void	widget_braille(char *, size_t, const double *, int, int, int);
int	widget_wrap(const char *, int, int *, int *, int);
void	widget_count(char *, size_t, double, int);
void	widget_number(char *, size_t, double, int, int);
void	widget_ms(char *, size_t, double, double, int, int);

#endif
