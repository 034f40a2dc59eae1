/*
 * The live dashboard (DESIGN.md section 5): every configured model runs
 * side by side on identical worker draws, stepped in one simulated-time
 * order; panels (struct panel_ops, one file each) draw what the engines
 * and the dashboard's own observer know. No database here: the caller
 * records through the hooks.
 */
#ifndef FS_DASH_H
#define FS_DASH_H

#include <signal.h>
#include <stdint.h>

#include "config.h"
#include "keys.h"
#include "layout.h"
#include "sim.h"
#include "theme.h"
#include "train.h"

struct sim;
struct lesson;

/* Called as each model's engine starts and ends (recording). */
struct dash_hooks {
	int	(*model_start)(void *, struct sim *, int);
	/* may leave a line for the event log in the buffer */
	int	(*model_end)(void *, struct sim *, int, char *, size_t);
	void	 *ud;
};

struct dash_opts {
	const char		*config_name;	/* shown in the header */
	const char		*title;		/* "run 12", "replay of run 3" */
	int			 no_color;
	int			 ascii;
	double			 speed;		/* sim ms per wall s; 0: default */
	int			 start_paused;
	const struct train_data	*data;		/* training: else NULL */
	struct theme		*themes;	/* dash_themes(); the dash owns */
	int			 nthemes;
	struct dash_hooks	 hooks;
};

/* Per model: the engine and what the dashboard learnt from its events. */
struct dash_model {
	struct sim		*sim;
	const struct model_spec	*spec;
	int			 ended;		/* model_end hook ran */
	int			 failed;	/* the engine stopped on an error */
	signed char		*label;		/* per worker: -2 none, else sim_label */
	int			 csize[3];	/* noise, C1, C2 */
	int			 cluster_round;	/* last re-clustering: round */
	double			 cluster_t;	/*  and when (-1: never) */
	struct sim_event	 quorum;	/* the last quorum check */
	int			 have_quorum;
	int			 sync_round;	/* round being synced */
	uint64_t		 notified, pulled, late, dropped;
	uint64_t		 events;	/* engine events stepped */
	uint64_t		 fresh, deferred; /* applied since the last sync */
	void			*obs;		/* the observer's context */
	struct trainer		*tr;		/* training: else NULL */
	/* the plan's inputs as its point was decided, and at the last
	 * quorum check (sim_plan_view; _w: per worker) */
	struct sim_plan_view	 plan, chk, clu;	/* clu: at re-clustering */
	struct sim_plan_worker	*plan_w, *chk_w, *clu_w;
	double			 plan_t;	/* when the point was decided */
	/* gone back in time (dash_seek.c): the recorded engine, ahead */
	struct sim		*live;
	uint64_t		 live_events;
	int			 mute;		/* its events are seen already */
	struct dash_history	*hist;		/* per worker (the card) */
};

/* A worker's recent rounds, for its card: a ring of DASH_HIST. */
#define DASH_HIST	8

struct dash_round {
	int	round;
	double	ready;		/* its gradient reached the PS, or -1 */
	double	synced;		/* the sync that applied it, or -1 */
	int	point;		/* at which sim_point */
	int	tau;		/* its staleness when applied, or -1 */
};

struct dash_history {
	struct dash_round	r[DASH_HIST];
	int			n;	/* rounds seen (the ring's head) */
};

struct dash_line {
	double		t;
	int		model;
	int		worker;		/* -1: none */
	int		kind;		/* sim_event_type, or -1 */
	enum theme_slot	slot;
	char		text[200];
};

#define DASH_LOG	2000	/* lines kept for the log screen */

enum dash_mode {
	MODE_MAIN,
	MODE_HELP,
	MODE_LOG,
	MODE_PROMPT,
	MODE_SEARCH,		/* the log screen's '/' or '&' prompt */
	MODE_CARD,		/* a worker's card */
	MODE_LESSON		/* a lesson's explanation box */
};

/* What 'g', 'c', 'C' and 'K' go to (d->go_kind). */
enum dash_go {
	GO_ROUND,		/* a round of go_model */
	GO_TIME,
	GO_CHECK,		/* go_model's next quorum check */
	GO_FAIL,		/*  its next failed one */
	GO_CLUSTER,		/*  its next re-clustering */
	GO_LESSON		/*  a lesson step's decision (lesson.c) */
};

struct dash {
	const struct fs_config	*cf;
	struct dash_opts	 o;
	struct dash_model	*m;
	int			 nm;
	int			 focus;
	double			 now;		/* shown simulated time */
	uint64_t		 events;	/* engine events, all models */
	int			 paused;
	int			 speed;		/* index into dash_speeds */
	int			 behind;	/* the last frame ran out of time */
	double			 slice;		/* sim ms a model runs in a burst */
	int			 finished;	/* every model is done */
	int			 failed;	/* some model stopped on an error */
	int			 stepping;	/* log every event: 'n' */
	int			 focus_only;	/* 'n' steps the focus model's */
	int			 going;		/* 'g', 'c', ... under way: */
	enum dash_go		 go_kind;
	int			 go_round;	/*  a round of model go_model */
	int			 go_model;
	double			 go_t;		/*  or a time */
	int			 hit;		/*  the decision was seen */
	uint64_t		*go_from;	/*  events per model at the start */
	struct dash_line	*log;
	int			 nlog, loghead;
	int			 log_scroll, help_scroll, worker_scroll;
	int			 sel;		/* the selected worker */
	int			 rows_y, rows_n; /* its rows on screen (clicks) */
	int			 card;		/* the worker whose card is open */
	char			 search[32];	/* the log's '/' text */
	char			 filter[32];	/* the log's '&' filter */
	int			 prompt_for;	/* '/' or '&' in MODE_SEARCH */
	int			 log_match;	/* the line found, or -1 */
	struct lesson		*lesson;	/* playing one, else NULL */
	enum dash_mode		 mode;
	char			 input[32];	/* 'g' prompt */
	char			 message[160];	/* the status line */
	enum theme_slot		 msg_slot;
	int			 msg_on;	/*  shown until the next key */
	struct theme		*themes;
	int			 nthemes, theme;
	struct layout		 lay;
	int			 cols, lines;
	struct rect		 keys[KEYS_BAR_MAX];	/* the bar's, for clicks */
	int			 keych[KEYS_BAR_MAX];
	int			 nkeys;
	/* the focus model's workers, counted once a frame (dash_census) */
	int			 in_state[WS_NSTATES];
	int			 on_task[DAG_MAX_TASKS];
	uint64_t		 frames;	/* screens drawn */
	double			 wall;		/* seconds in dash_run */
	double			 draw_s, step_s;	/* of which drawing, stepping */
};

extern const double	dash_speeds[];
extern const int	dash_nspeeds;

/* dash.c: the engines, stepping and the event log. */
struct dash	*dash_create(const struct fs_config *, const struct dash_opts *,
		    char *, size_t);
void		 dash_free(struct dash *);
int		 dash_step_event(struct dash *);
int		 dash_step_sync(struct dash *);
void		 dash_logf(struct dash *, int, const struct sim_event *,
		    enum theme_slot, const char *, ...)
		    __attribute__((format(printf, 5, 6)));
void		 dash_observe_reset(struct dash *, int);
int		 dash_observe(struct dash *, int, struct sim *);
void		 dash_log_drop(struct dash *, int);
void		 dash_log_sort(struct dash *);
int		 dash_next_model(struct dash *, double *);
void		 dash_step_model(struct dash *, int);
void		 dash_after_steps(struct dash *, int);

/* dash_seek.c: decisions ahead, and going back (re-simulating). */
int		 dash_seek(struct dash *, enum dash_go);
void		 dash_go_decision(struct dash *, enum dash_go, int);
int		 dash_step_back(struct dash *);
int		 dash_rewind_round(struct dash *, int);
int		 dash_rewind_time(struct dash *, double);
int		 dash_reached(struct dash *);
void		 dash_seek_end(struct dash *);
void		 dash_seek_hit(struct dash *, int, const struct sim_event *);
void		 dash_rejoin_live(struct dash *, int);
const char	*dash_go_target(const struct dash *, char *, size_t);

/* dash_log.c: the log screen's filter and search. */
const struct dash_line *dash_log_line(const struct dash *, int);
int		 dash_log_shown(const struct dash *, int *, int);
void		 dash_log_find(struct dash *, int);

/* dash_words.c: the event log in words. */
void		 dash_describe(struct dash *, int, const struct sim_event *);
const char	*dash_after_fail(int);
int		 dash_advance(struct dash *, double, double);
int		 dash_goto(struct dash *, const char *);
int		 dash_pursue(struct dash *, double);
int		 dash_end_models(struct dash *);
int		 dash_focus_quorum(const struct dash *);
void		 dash_say(struct dash *, enum theme_slot, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
void		 dash_status(struct dash *, enum theme_slot, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
double		 dash_speed(const struct dash *);
int		 dash_themes(const char *, int, struct theme **, int *, char *,
		    size_t);
void		 dash_themes_free(struct theme *, int);
void		 dash_census(struct dash *);

/* dash_loop.c: the terminal side. Returns 0, or a signal number. */
int		 dash_run(struct dash *, volatile sig_atomic_t *, char *,
		    size_t);
int		 dash_check_terminal(char *, size_t);

/* Panels: each draws itself into its rectangle. */
struct panel_ops {
	const char	*name;
	void		(*draw)(struct dash *, const struct rect *);
};

extern const struct panel_ops panel_header_ops;
extern const struct panel_ops panel_workers_ops;
extern const struct panel_ops panel_quorum_ops;
extern const struct panel_ops panel_models_ops;
extern const struct panel_ops panel_charts_ops;
extern const struct panel_ops panel_dag_ops;
extern const struct panel_ops panel_log_ops;
extern const struct panel_ops panel_bar_ops;

void	screen_help(struct dash *);
void	screen_log(struct dash *);
void	screen_card(struct dash *);
void	screen_lesson(struct dash *);

#endif
