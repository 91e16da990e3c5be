/*
 * runner.c - one scenario run from the command line (see runner.h).
 *
 * The trace listeners are registered here, in a fixed order: the database,
 * the text trace, the progress line, then the caller's own, if any.  The
 * run is stopped cleanly on SIGINT or SIGTERM and then rolled back
 * (docs/robustness.md).
 */
#include "config.h"

#include <errno.h>
#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "analysis/runner.h"
#include "log/db.h"
#include "log/progress.h"
#include "log/text.h"
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

static const char *data_dir(void)
{
	const char *env = g_getenv("MPSIM_DATADIR");

	return env && *env ? env : MPSIM_DATADIR;
}

char *runner_find_scenario(const char *arg)
{
	char *dir, *path;

	if (g_file_test(arg, G_FILE_TEST_EXISTS) || strchr(arg, '/'))
		return g_strdup(arg);
	dir = g_build_filename(data_dir(), "scenarios", NULL);
	path = g_build_filename(dir, arg, NULL);
	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		char *ini = g_strconcat(arg, ".ini", NULL);

		g_free(path);
		path = g_build_filename(dir, ini, NULL);
		g_free(ini);
	}
	g_free(dir);
	if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
		return path;
	g_free(path);
	return g_strdup(arg);
}

/* job->test_signal: raise the signal after the N-th trace event. */
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

int runner_run(const struct runner_job *job, struct runner_result *out)
{
	struct db *db = NULL;
	FILE *trace = NULL;
	GError *err = NULL;
	struct scenario *s = NULL;
	struct world *w = NULL;
	struct progress *prog = NULL;
	char *path = job->scenario ? runner_find_scenario(job->scenario) :
		     NULL;
	struct signal_hook hook = { job->test_signal, job->test_signal_after,
				    0 };
	int status = 0;

	memset(out, 0, sizeof(*out));
	s = job->device_only ? scenario_load_device(path, job->sets, &err) :
			       scenario_load(path, job->sets, &err);
	if (s)
		w = world_build(s, &err);
	if (w && job->setup && !job->setup(job->hook_ctx, w, s, &err)) {
		world_free(w);
		w = NULL;
	}
	if (!w) {
		fprintf(stderr, "mpsim: %s\n", err->message);
		status = 2;
		goto done;
	}
	out->scenario_name = g_strdup(s->name);
	if (job->trace_path && !(trace = open_trace(job->trace_path, &err))) {
		fprintf(stderr, "mpsim: %s\n", err->message);
		status = 1;
		goto done;
	}
	out->trace_stdout = trace == stdout;
	if (job->db && !*job->db) {
		struct db_open_options o = {
			job->db_timeout_ms ? job->db_timeout_ms :
					     DB_BUSY_TIMEOUT_MS,
			job->db_max_pages,
		};

		*job->db = db_open_with(job->db_path, &o, &err);
	}
	if (job->db && !*job->db) {
		fprintf(stderr, "mpsim: %s; nothing was saved\n", err->message);
		status = 1;
		goto done;
	}
	db = job->db ? *job->db : NULL;
	if (db) {
		out->run_id = db_begin_run(db, s, &err);
		if (out->run_id < 0) {
			fprintf(stderr, "mpsim: %s; nothing was saved\n",
				err->message);
			out->run_id = 0;
			status = 1;
			goto done;
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
	if (job->progress && isatty(STDERR_FILENO)) {
		struct trace_listener l;

		prog = progress_new(stderr, s->name);
		progress_listener(prog, &l);
		trace_add_listener(&l);
	}
	if (job->extra)
		trace_add_listener(job->extra);
	if (hook.sig) {
		struct trace_listener l = { signal_hook_event, &hook };

		trace_add_listener(&l);
	}
	got_signal = 0;
	stop_requested = false;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (!world_run(w, &stop_requested, &out->res, &err)) {
		fprintf(stderr, "mpsim: %s\n", err->message);
		if (db)
			db_rollback_run(db);
		stopped_world = w;	/* stuck mid-I/O, as at a signal */
		w = NULL;
		status = 2;
		goto done;
	}
	if (!got_signal && job->finish && !job->finish(job->hook_ctx, &err)) {
		fprintf(stderr, "mpsim: %s\n", err->message);
		if (db)
			db_rollback_run(db);
		stopped_world = w;
		w = NULL;
		status = 2;
		goto done;
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
		goto done;
	}
	if (db && !db_commit_run(db, out->res.end_ns,
				      out->res.events, &err)) {
		fprintf(stderr, "mpsim: %s; the run was not saved\n",
			err->message);
		status = 1;
		goto done;
	}
done:
	progress_free(prog);	/* clears the line */
	trace_clear_listeners();
	if (trace && trace != stdout && fclose(trace) && !status) {
		fprintf(stderr, "mpsim: %s: %s\n", job->trace_path,
			g_strerror(errno));
		status = 1;
	} else if (trace == stdout) {
		fflush(stdout);
	}
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	if (status)
		out->run_id = 0;
	world_free(w);
	scenario_free(s);
	g_free(path);
	g_clear_error(&err);
	return status;
}
