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
#include "analysis/grid.h"
#include "analysis/runner.h"
#include "log/db.h"
#include "log/output.h"
#include "log/progress.h"
#include "scenario/bundled.h"
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

/* The extent table: every file's block map as the run ended. */
struct layout_log {
	struct db *db;
	const char *file;
};

static void log_mapping(const struct fmap_run *r, void *arg)
{
	const struct layout_log *l = arg;

	db_log_extent(l->db, l->file, fmap_kind_name(r->kind), r->logical,
		      r->physical, r->len);
}

static void log_layout(struct db *db, struct world *w,
		       const struct scenario *s)
{
	for (guint i = 0; i < s->files->len; i++) {
		struct layout_log l = {
			db, ((struct scen_file *)s->files->pdata[i])->name,
		};

		world_foreach_mapping(w, i, log_mapping, &l);
	}
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

/* Stop the run at the first failed write of the trace: it cannot be
 * saved anyway (the listener after the text trace's). */
static void trace_guard_event(void *ctx, const struct trace_event *ev)
{
	(void)ev;
	if (out_file_failed(ctx))
		stop_requested = true;
}

/*
 * Before anything is created: the database's name, and no output the
 * same file as the scenario, one of its inputs or another output.
 */
static bool check_outputs(const struct runner_job *job, const char *path,
			  const struct scenario *s, GError **err)
{
	struct out_inputs *in = out_inputs_new();
	bool ok = true;

	runner_add_inputs(in, path, s);
	if (job->db) {
		ok = db_check_name(job->db_path, err) &&
		     out_check(in, job->db_path, "--db", err);
		out_inputs_add_db(in, job->db_path, "--db");
	}
	if (ok && job->trace_path)
		ok = strcmp(job->trace_path, "-") ?
		     out_check(in, job->trace_path, "--trace", err) :
		     out_check_stdout(in, "--trace", err);
	out_inputs_free(in);
	return ok;
}

void runner_add_inputs(struct out_inputs *in, const char *path,
		       const struct scenario *s)
{
	out_inputs_add(in, path, "the scenario");
	for (guint i = 0; i < s->inputs->len; i++)
		out_inputs_add(in, s->inputs->pdata[i], "an input of the "
			       "scenario");
}

bool runner_check_variants(const char *scenario, const struct grid *g,
			   const char *const *sets, struct out_inputs *in,
			   GError **err)
{
	char *path = bundled_find(scenario, err);
	bool ok = path != NULL;

	for (guint i = 0; ok && i < grid_count(g); i++) {
		char **v = grid_sets(g, i, sets);
		struct scenario *s = scenario_load(path,
						   (const char *const *)v,
						   err);

		ok = s != NULL;
		if (s && in)
			runner_add_inputs(in, path, s);
		scenario_free(s);
		g_strfreev(v);
	}
	g_free(path);
	return ok;
}

int runner_run(const struct runner_job *job, struct runner_result *out)
{
	struct db *db = NULL;
	struct out_file *trace = NULL;
	struct sigaction old_int, old_term;
	bool caught = false;
	GError *err = NULL;
	struct scenario *s = NULL;
	struct world *w = NULL;
	struct progress *prog = NULL;
	char *path = bundled_find(job->scenario, &err);
	struct signal_hook hook = { job->test_signal, job->test_signal_after,
				    0 };
	int status = 0;

	memset(out, 0, sizeof(*out));
	s = path ? scenario_load(path, job->sets, &err) : NULL;
	if (s)
		w = world_build(s, &err);
	if (!w) {
		fprintf(stderr, "mpsim: %s\n", err->message);
		status = 2;
		goto done;
	}
	out->scenario_name = g_strdup(s->name);
	if (!check_outputs(job, path, s, &err)) {
		fprintf(stderr, "mpsim: %s\n", err->message);
		status = 2;
		goto done;
	}
	/*
	 * The trace's temporary file (hidden, removed on any failure)
	 * before the database, so that a trace that cannot be written does
	 * not leave a new, empty database behind.
	 */
	if (job->trace_path && !(trace = out_file_open(job->trace_path,
						       &err))) {
		fprintf(stderr, "mpsim: %s; nothing was saved\n",
			err->message);
		status = 1;
		goto done;
	}
	out->trace_stdout = job->trace_path && !strcmp(job->trace_path, "-");
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
		struct trace_listener l, guard = { trace_guard_event, trace };

		text_trace_listener(out_file_stream(trace), &l);
		trace_add_listener(&l);
		trace_add_listener(&guard);
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
	/* SIGINT and SIGTERM stop the run; the caller's handlers come back */
	out_catch_signals(on_signal, &old_int, &old_term);
	caught = true;
	if (!world_run(w, &stop_requested, &out->res, &err)) {
		fprintf(stderr, "mpsim: %s\n", err->message);
		if (db)
			db_rollback_run(db);
		stopped_world = w;	/* stuck mid-I/O, as at a signal */
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
	if (db)
		log_layout(db, w, s);
	/*
	 * Every output whole before the commit: the trace flushed, synced
	 * and closed (a full disk, EFBIG or a closed pipe fail here, and the
	 * run is rolled back); the rename, which cannot meet those, after.
	 */
	if (trace && !out_file_finish(trace, &err)) {
		if (db)
			db_rollback_run(db);
		if (stop_requested) {	/* stopped mid-I/O by the guard */
			stopped_world = w;
			w = NULL;
		}
		fprintf(stderr, "mpsim: %s; the run was not saved\n",
			err->message);
		status = 1;
		goto done;
	}
	if (db && !db_commit_run(db, out->res.end_ns,
				      out->res.events, &err)) {
		fprintf(stderr, "mpsim: %s; the run was not saved\n",
			err->message);
		status = 1;
		goto done;
	}
	if (trace) {
		bool ok = out_file_commit(trace, &err);

		trace = NULL;
		if (!ok) {
			fprintf(stderr, "mpsim: %s (the run was saved)\n",
				err->message);
			status = 1;
		}
	}
done:
	progress_free(prog);	/* clears the line */
	trace_clear_listeners();
	out_file_abort(trace);	/* a run not saved leaves no trace file */
	if (caught)
		out_restore_signals(&old_int, &old_term);
	if (status)
		out->run_id = 0;
	world_free(w);
	scenario_free(s);
	g_free(path);
	g_clear_error(&err);
	return status;
}
