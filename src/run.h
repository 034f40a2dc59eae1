/* Headless runs: every configured model to completion, one row each. */
#ifndef FS_RUN_H
#define FS_RUN_H

#include <signal.h>
#include <stdio.h>

#include "config.h"
#include "report.h"

struct recorder;
struct train_data;

int	run_headless(const struct fs_config *, const struct train_data *,
	    const struct report_writer *, int, int, FILE *, struct recorder *,
	    volatile sig_atomic_t *, char *, size_t);

#endif
