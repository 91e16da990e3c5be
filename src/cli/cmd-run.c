/*
 * cmd-run.c - `mpsim run SCENARIO`: load, build, simulate, log.
 *
 * The run itself is runner_run() (src/analysis/runner.c), shared with the
 * commands that run many variants; this file parses the options and prints
 * the one-line summary.
 *
 * Two hidden options exist for tests/test-atomic.sh (docs/robustness.md):
 * --test-signal=SIG@N raises signal SIG (2 or 15) in the process right after
 * the N-th trace event, so that a run is interrupted at a known point with
 * rows already written; --test-db-max-pages=N caps the database's size
 * (PRAGMA max_page_count), a full disk without needing one.
 */
#include "config.h"

#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include "analysis/runner.h"
#include "cli/cli.h"
#include "log/db.h"

/* --test-signal=SIG@N */
static bool parse_signal_hook(const char *text, struct runner_job *job)
{
	unsigned sig;
	guint64 after;
	char tail;

	if (sscanf(text, "%u@%" G_GUINT64_FORMAT "%c", &sig, &after,
		   &tail) != 2 || (sig != SIGINT && sig != SIGTERM) || !after)
		return false;
	job->test_signal = (int)sig;
	job->test_signal_after = after;
	return true;
}

int cmd_run(int argc, char **argv)
{
	char *db_path = NULL, *trace_path = NULL;
	char **sets = NULL, *test_signal = NULL;
	gboolean no_db = FALSE, quiet = FALSE;
	gint db_timeout = DB_BUSY_TIMEOUT_MS;
	gint64 test_max_pages = 0, seed = -1;
	gint replications = 1;
	char *variant = NULL;
	GOptionEntry entries[] = {
		{ "variant", 0, 0, G_OPTION_ARG_STRING, &variant,
		  "record the runs as this variant (what a sweep varied, "
		  "e.g. \"fs.boundary=off\")", "LABEL" },
		{ "seed", 0, 0, G_OPTION_ARG_INT64, &seed,
		  "the run's seed (default: the scenario's [scenario] seed, "
		  "else 1)", "N" },
		{ "replications", 0, 0, G_OPTION_ARG_INT, &replications,
		  "run N times, with seeds S, S+1, ... (default 1)", "N" },
		{ "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path,
		  "append the run to this SQLite database (default: mpsim.db)",
		  "PATH" },
		{ "no-db", 0, 0, G_OPTION_ARG_NONE, &no_db,
		  "do not log the run to a database", NULL },
		{ "trace", 0, 0, G_OPTION_ARG_FILENAME, &trace_path,
		  "write the text trace to FILE ('-' for standard output)",
		  "FILE" },
		{ "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
		  "override a scenario key (repeatable)", "GROUP.KEY=VALUE" },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
		  "print no summary", NULL },
		{ "db-timeout", 0, 0, G_OPTION_ARG_INT, &db_timeout,
		  "wait at most MS milliseconds for another process's lock on "
		  "the database (default 10000)", "MS" },
		{ "test-signal", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING,
		  &test_signal, "raise SIG after the N-th trace event",
		  "SIG@N" },
		{ "test-db-max-pages", 0, G_OPTION_FLAG_HIDDEN,
		  G_OPTION_ARG_INT64, &test_max_pages,
		  "cap the database at N pages", "N" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GOptionContext *ctx = g_option_context_new("SCENARIO - simulate a "
						   "scenario");
	GError *err = NULL;
	struct db *db = NULL;
	struct runner_result res = { 0 };
	struct runner_job job = { 0 };
	int status = 0;

	g_option_context_set_description(ctx, "SCENARIO is a file, or the "
		"name of a bundled scenario (e.g. ext2-boundary).\n");
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!cli_parse_options(ctx, "run", &argc, &argv, &err)) {
		fprintf(stderr, "mpsim run: %s\n", err->message);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (argc != 2) {
		fprintf(stderr, "mpsim run: expected one SCENARIO "
			"(see mpsim run --help)\n");
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (no_db && db_path) {
		fprintf(stderr, "mpsim run: --db and --no-db together\n");
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (db_timeout < 1 || test_max_pages < 0 ||
	    (test_signal && !parse_signal_hook(test_signal, &job))) {
		fprintf(stderr, "mpsim run: bad --db-timeout, --test-signal "
			"or --test-db-max-pages value\n");
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (!cli_seed_replications("run", seed, replications, &job)) {
		status = EXIT_BAD_INPUT;
		goto out;
	}
	job.batch = replications > 1;
	job.variant = variant;
	job.db_timeout_ms = db_timeout;
	job.db_max_pages = test_max_pages;
	job.scenario = argv[1];
	job.sets = (const char *const *)sets;
	job.db = no_db ? NULL : &db;
	job.db_path = db_path ? db_path : "mpsim.db";
	job.trace_path = trace_path;
	job.progress = true;
	status = runner_run(&job, &res);
	status = runner_end_batch(db, status);
	if (!status && !quiet && replications > 1) {
		FILE *f = res.trace_stdout ? stderr : stdout;

		fprintf(f, "%s: %d replications", res.scenario_name,
			replications);
		if (db)
			fprintf(f, "; runs %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT
				" in %s", g_array_index(res.run_ids, int64_t, 0),
				res.run_id, job.db_path);
		fputc('\n', f);
	} else if (!status && !quiet) {
		FILE *f = res.trace_stdout ? stderr : stdout;

		fprintf(f, "%s: %" G_GUINT64_FORMAT " bios, %" G_GUINT64_FORMAT
			" requests, finished at %.6f ms", res.scenario_name,
			res.res.bios, res.res.requests, res.res.end_ns / 1e6);
		if (db)
			fprintf(f, "; run %" G_GINT64_FORMAT " in %s",
				res.run_id, job.db_path);
		fputc('\n', f);
	}
out:
	runner_result_clear(&res);
	db_close(db);
	g_clear_error(&err);
	g_option_context_free(ctx);
	g_strfreev(sets);
	g_free(db_path);
	g_free(trace_path);
	g_free(test_signal);
	g_free(variant);
	return status;
}
