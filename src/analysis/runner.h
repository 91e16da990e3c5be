/*
 * runner.h - one scenario run from the command line: load, build,
 * simulate, log.  `mpsim run` and the commands that run many variants
 * (compare, sweep) all go through runner_run(), so that a run logged by
 * any of them has the same rows.
 *
 * Nothing reaches the database unless the whole run does: the scenario is
 * loaded and the world built (both may fail with exit status 2) before the
 * run's transaction opens, and an interrupted or failed run rolls back.
 */
#ifndef MPSIM_ANALYSIS_RUNNER_H
#define MPSIM_ANALYSIS_RUNNER_H

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include "run/run.h"
#include "trace/trace.h"

struct db;
struct grid;
struct out_inputs;
struct scenario;

struct runner_job {
	const char *scenario;		/* a path, or a bundled scenario's name */
	const char *const *sets;	/* NULL-terminated GROUP.KEY=VALUE */
	/*
	 * Log to *db; when *db is NULL it is opened from db_path once the
	 * world is built (so bad input creates no file) and left open for
	 * the caller to close.  db NULL: no log.
	 */
	struct db **db;
	const char *db_path;
	/*
	 * Text trace to this file ("-": standard output), or NULL.  Neither
	 * it nor db_path may be an input (exit status 2); the trace is
	 * written to a temporary file, renamed when the run is saved.
	 */
	const char *trace_path;
	/* More files the run reads (a replayed trace), NULL-terminated or
	 * NULL: no output may be one of them either. */
	const char *const *inputs;
	bool progress;			/* progress line on a terminal */
	/* One more listener, called after the others, or NULL. */
	const struct trace_listener *extra;
	/* Opening the database: lock wait (0: the default), size cap. */
	int db_timeout_ms;
	int64_t db_max_pages;		/* > 0: for tests, a full database */
	/*
	 * Trace replay (src/replay): load only the scenario's device groups
	 * (scenario NULL: the default device); call setup(hook_ctx) on the
	 * built world before anything is opened, and finish(hook_ctx) after
	 * the run.  Either failing is bad input: status 2, nothing saved.
	 */
	bool device_only;
	bool (*setup)(void *ctx, struct world *w, struct scenario *s,
		      GError **err);
	bool (*finish)(void *ctx, GError **err);
	void *hook_ctx;
	/* For tests: raise this signal after that many trace events. */
	int test_signal;
	uint64_t test_signal_after;
	/*
	 * Replications: the scenario is loaded once and run `replications`
	 * times (0 counts as 1) as replications r = first_replication, ...
	 * with seeds S + r; S is `seed` when has_seed (--seed), else the
	 * scenario's.  `variant` labels the runs
	 * (the --vary keys and values; NULL: none).
	 */
	unsigned replications;
	unsigned first_replication;	/* numbered from here (seed S + r) */
	bool has_seed;
	uint64_t seed;
	const char *variant;
	/*
	 * Leave the database inside one transaction for all the caller's
	 * runs (db_begin_batch()); the caller commits or rolls it back.
	 */
	bool batch;
};

struct runner_result {
	int64_t run_id;			/* the last run's; 0 when not logged */
	GArray *run_ids;		/* int64_t, every run's (free it) */
	char *scenario_name;		/* as in the run row (free it) */
	struct run_result res;		/* the last run's */
	bool trace_stdout;		/* the trace went to standard output */
};

/*
 * After the runs of job->batch: commit them all when status is 0, else
 * roll them all back.  Returns the status (1 when the commit fails, with
 * a message on stderr).  Nothing to do when db is NULL or not in a batch.
 */
int runner_end_batch(struct db *db, int status);

/* Free what a runner_result holds. */
void runner_result_clear(struct runner_result *r);

/*
 * Run one job.  Returns the exit status (0, 1 machinery, 2 bad input,
 * 128 + signal when interrupted); messages go to stderr, prefixed "mpsim: ".
 */
int runner_run(const struct runner_job *job, struct runner_result *out);

/*
 * Add what a run of a loaded scenario reads to `in` (src/log/output.h):
 * the scenario file `path` (as bundled_find() gave it) and the
 * files it names (images).
 */
void runner_add_inputs(struct out_inputs *in, const char *path,
		       const struct scenario *s);

/*
 * Load and check every variant of a grid before anything runs (false +
 * *err: bad input, exit status 2), adding what each reads to `in` (may be
 * NULL).
 */
bool runner_check_variants(const char *scenario, const struct grid *g,
			   const char *const *sets, struct out_inputs *in,
			   GError **err);

#endif /* MPSIM_ANALYSIS_RUNNER_H */
