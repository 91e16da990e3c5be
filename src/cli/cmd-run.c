/*
 * cmd-run.c - `mpsim run SCENARIO`: load, build, simulate, log.
 *
 * Nothing reaches the database unless the whole run does: the scenario is
 * loaded and the world built (both may fail with exit status 2) before the
 * run's transaction opens, and an interrupted or failed run rolls back.
 *
 * Two hidden options exist for tests/test-atomic.sh (docs/robustness.md):
 * --test-signal=SIG@N raises signal SIG (2 or 15) in the process right after
 * the N-th trace event, so that a run is interrupted at a known point with
 * rows already written; --test-db-max-pages=N caps the database's size
 * (PRAGMA max_page_count), a full disk without needing one.
 */
#include "config.h"

#include <errno.h>
#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "log/db.h"
#include "log/text.h"
#include "run/run.h"
#include "scenario/scenario.h"
#include "trace/trace.h"

static volatile sig_atomic_t got_signal;
static volatile bool stop_requested;
/* left as it was at a signal; volatile, so the store is kept */
static struct world *volatile stopped_world;

static void on_signal(int sig)
{
	got_signal = sig;
	stop_requested = true;
}

/* --test-signal=SIG@N: raise SIG after the N-th trace event. */
struct signal_hook {
	int sig;
	uint64_t after, seen;
};

static void signal_hook_event(void *ctx, const struct trace_event *ev)
{
	struct signal_hook *h = ctx;

	(void)ev;
	if (++h->seen == h->after)
		raise(h->sig);
}

static bool parse_signal_hook(const char *text, struct signal_hook *h)
{
	unsigned sig;
	guint64 after;
	char tail;

	if (sscanf(text, "%u@%" G_GUINT64_FORMAT "%c", &sig, &after,
		   &tail) != 2 || (sig != SIGINT && sig != SIGTERM) || !after)
		return false;
	h->sig = (int)sig;
	h->after = after;
	return true;
}

static FILE *open_trace(const char *path, GError **err)
{
	FILE *f;

	if (!strcmp(path, "-"))
		return stdout;
	f = fopen(path, "w");
	if (!f)
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno),
			    "%s: %s", path, g_strerror(errno));
	return f;
}

int cmd_run(int argc, char **argv)
{
	char *db_path = NULL, *trace_path = NULL;
	char **sets = NULL, *test_signal = NULL;
	gboolean no_db = FALSE, quiet = FALSE;
	gint db_timeout = DB_BUSY_TIMEOUT_MS;
	gint64 test_max_pages = 0;
	struct signal_hook hook = { 0, 0, 0 };
	GOptionEntry entries[] = {
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
	struct scenario *s = NULL;
	struct world *w = NULL;
	struct db *db = NULL;
	FILE *trace = NULL;
	struct run_result res;
	int64_t run_id = 0;
	int status = 0;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
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
	if (db_timeout < 0 || test_max_pages < 0 ||
	    (test_signal && !parse_signal_hook(test_signal, &hook))) {
		fprintf(stderr, "mpsim run: bad --db-timeout, --test-signal "
			"or --test-db-max-pages value\n");
		status = EXIT_BAD_INPUT;
		goto out;
	}
	s = scenario_load(argv[1], (const char *const *)sets, &err);
	if (s)
		w = world_build(s, &err);
	if (!w) {
		fprintf(stderr, "mpsim: %s\n", err->message);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (trace_path && !(trace = open_trace(trace_path, &err))) {
		fprintf(stderr, "mpsim: %s\n", err->message);
		status = 1;
		goto out;
	}
	if (!no_db) {
		struct db_open_options o = { db_timeout, test_max_pages };

		db = db_open_with(db_path ? db_path : "mpsim.db", &o, &err);
		if (db)
			run_id = db_begin_run(db, s, &err);
		if (!db || run_id < 0) {
			fprintf(stderr, "mpsim: %s; nothing was saved\n",
				err->message);
			status = 1;
			goto out;
		}
	}
	trace_clear_listeners();
	if (db) {
		struct trace_listener l;

		db_listener(db, &l);
		trace_add_listener(&l);
	}
	if (trace) {
		struct trace_listener l;

		text_trace_listener(trace, &l);
		trace_add_listener(&l);
	}
	if (hook.sig) {
		struct trace_listener l = { signal_hook_event, &hook };

		trace_add_listener(&l);
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (!world_run(w, &stop_requested, &res, &err)) {
		fprintf(stderr, "mpsim: %s\n", err->message);
		if (db)
			db_rollback_run(db);
		stopped_world = w;	/* stuck mid-I/O, as at a signal */
		w = NULL;
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (got_signal) {
		if (db)
			db_rollback_run(db);
		/*
		 * The stopped world is mid-I/O: bios in flight, pages on the
		 * tasks' own lists.  The process ends now, so it is left as
		 * it is, reachable, rather than half torn down.
		 */
		stopped_world = w;
		w = NULL;
		fprintf(stderr, "mpsim: interrupted; the run was not saved\n");
		status = 128 + got_signal;
		goto out;
	}
	if (db && !db_commit_run(db, res.end_ns, res.events, &err)) {
		fprintf(stderr, "mpsim: %s; the run was not saved\n",
			err->message);
		status = 1;
		goto out;
	}
	if (!quiet) {
		FILE *out = trace == stdout ? stderr : stdout;

		fprintf(out, "%s: %" G_GUINT64_FORMAT " bios, %" G_GUINT64_FORMAT
			" requests, finished at %.6f ms", s->name, res.bios,
			res.requests, res.end_ns / 1e6);
		if (db)
			fprintf(out, "; run %" G_GINT64_FORMAT " in %s", run_id,
				db_path ? db_path : "mpsim.db");
		fputc('\n', out);
	}
out:
	trace_clear_listeners();
	if (trace && trace != stdout && fclose(trace) && !status) {
		fprintf(stderr, "mpsim: %s: %s\n", trace_path,
			g_strerror(errno));
		status = 1;
	} else if (trace == stdout) {
		fflush(stdout);
	}
	world_free(w);
	scenario_free(s);
	db_close(db);
	g_clear_error(&err);
	g_option_context_free(ctx);
	g_strfreev(sets);
	g_free(db_path);
	g_free(trace_path);
	g_free(test_signal);
	return status;
}

