/*
 * progress.h - the progress line: while a long run goes, one line on a
 * terminal with the share of the work done, an estimate of the time left,
 * the simulated time and the requests done so far.
 *
 * A trace listener.  It reads the host's clock only to decide when to
 * show and refresh the line (after a second, then a few times a second);
 * nothing it reads reaches the database or any other output of the run.
 */
#ifndef MPSIM_LOG_PROGRESS_H
#define MPSIM_LOG_PROGRESS_H

#include <stdio.h>
#include "trace/trace.h"

struct progress;

/* A progress line on `out` (a terminal) for a run of `name`. */
struct progress *progress_new(FILE *out, const char *name);
void progress_listener(struct progress *p, struct trace_listener *l);
/*
 * Where the share of the work done comes from: fn(arg) in [0, 1], or
 * below 0 when it is not known (the line then shows no share and no
 * estimate).  The time left is the host time so far times (1 - share) /
 * share, once the share is at least 1%.
 */
typedef double (*progress_share_fn)(void *arg);
void progress_set_share(struct progress *p, progress_share_fn fn, void *arg);
/* Show the line now, whatever the time (for tests and the last refresh). */
void progress_show(struct progress *p);
/* Erase the line if it was shown, and free; NULL is fine. */
void progress_free(struct progress *p);

#endif /* MPSIM_LOG_PROGRESS_H */
