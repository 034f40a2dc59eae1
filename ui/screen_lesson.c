/* A lesson's explanation box (ui/lesson.c plays them). */
#include "dash.h"

void
screen_lesson(struct dash *d)
{
	(void)d;
}
