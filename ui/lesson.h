/*
 * Guided lessons (fastsync lesson, fastsync-lesson(5)): a libconfig file
 * names a configuration, a focus model and steps, each "run until this
 * kind of decision [of model M] [matching ...]", with a text and the
 * panel that shows it. The dashboard runs to each step's decision,
 * pauses there with the text in a box pointing at the panel, and goes on
 * with a key. No curses here: loading, matching and the text are tested
 * without a terminal (screen_lesson.c draws the box).
 */
#ifndef FS_LESSON_H
#define FS_LESSON_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "sim.h"

struct dash;

/* The panels a step can point at. */
enum lesson_panel {
	LP_NONE,
	LP_WORKERS,
	LP_QUORUM,
	LP_MODELS,
	LP_CHARTS,
	LP_DAG,
	LP_LOG
};

struct lesson_step {
	char			*title;
	char			*text;		/* {worker}, {t}, ... filled in */
	enum sim_event_type	 until;
	char			*model;		/* entry name; NULL: the focus */
	int			 point;		/* sim_point, -1: any */
	int			 pass;		/* quorum: 1, 0, -1: any */
	int			 min_tau;	/* apply: tau at least; 0: any */
	int			 worker;	/* -1: any */
	enum lesson_panel	 panel;
	int			 line;		/* in the file, for errors */
};

/*
 * An engine step can emit several events (a failed check, then its
 * notifications): those of the step's model after its decision, kept so
 * the next step can match them where the dashboard paused.
 */
#define LESSON_AFTER	256

struct lesson {
	char			*path;
	char			*name, *title, *intro;
	char			*config;	/* a path, from the lesson's dir */
	char			*focus;		/* a model entry, or NULL */
	int			 config_line, focus_line;	/* errors */
	struct lesson_step	*step;
	int			 nsteps;
	/* playing: */
	int			 cur;		/* the step shown; -1: the intro */
	int			 missed;	/* its decision never came */
	struct sim_event	 ev;		/* the event that matched */
	int			 last_worker;	/* the last gradient in */
	double			 last_t;
	struct sim_event	 after[LESSON_AFTER];
	int			 nafter, after_pos;
	int			 after_model;	/* whose, -1: none */
	uint64_t		 after_events;	/*  valid at this event count */
};

struct lesson	*lesson_load(const char *, char *, size_t);
struct lesson	*lesson_parse(const char *, const char *, char *, size_t);
void		 lesson_free(struct lesson *);
int		 lesson_check(const struct lesson *, const struct fs_config *,
		    char *, size_t);
const char	*lesson_dir(void);
const char	*lesson_panel_name(enum lesson_panel);

int		 lesson_begin(struct dash *, struct lesson *, char *, size_t);
int		 lesson_next(struct dash *);
int		 lesson_match(struct dash *, int, const struct sim_event *);
void		 lesson_after(struct dash *, int, const struct sim_event *);
void		 lesson_arrived(struct dash *, int);
void		 lesson_text(const struct dash *, char *, size_t);

#endif
