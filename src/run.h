/* Headless runs: every configured model to completion, one row each. */
#ifndef FS_RUN_H
#define FS_RUN_H

#include <signal.h>
#include <stdio.h>

#include "config.h"
#include "report.h"

struct recorder;
struct train_data;

/*
 * How a run ended, or what kind of thing failed: it alone decides the
 * exit code and the status the run is recorded with (cmd_run.c's table).
 */
enum run_err {
	RUN_OK,
	RUN_EINPUT,	/* usage, configuration, data: before any recording */
	RUN_ERUNTIME,	/* a model, the engine, the trainer, the recorder */
	RUN_EOUTPUT,	/* every model ran; writing the table failed */
	RUN_STOPPED,	/* a signal, or the dashboard quit, before the end */
};

/* An error's kind and its message, as its producer saw them. */
struct run_error {
	enum run_err	kind;
	char		msg[512];
};

enum run_err	run_headless(const struct fs_config *,
		    const struct train_data *, const struct report_writer *,
		    int, int, FILE *, struct recorder *,
		    volatile sig_atomic_t *, struct run_error *);

#endif
