/*
 * runner.c - one scenario run from the command line (see runner.h).
 *
 * The scenario is loaded once; each replication sets its seed on it and
 * builds a world from it (world_build() reads s->seed), runs it and logs
 * it.  The trace listeners are registered for each run, in a fixed order:
 * the database, the text trace, the progress line, then the caller's own,
 * if any.  The run is stopped cleanly on SIGINT or SIGTERM and then rolled
 * back (docs/robustness.md).  The trace goes to a temporary file
 * (src/log/output.h), whole before the last run commits and renamed
 * after; a failed trace write stops the run, which is then not saved.
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

void runner_add_inputs(struct out_inputs *in, const char *path,
		       const struct scenario *s)
{
	out_inputs_add(in, path, "the scenario");
	for (guint i = 0; i < s->inputs->len; i++)
		out_inputs_add(in, s->inputs->pdata[i], "an input of the "
			       "scenario");
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
	for (const char *const *p = job->inputs; p && *p; p++)
		out_inputs_add(in, *p, "an input of the run");
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

/* The listeners of one run, in their fixed order. */
static void add_listeners(const struct runner_job *job, struct db *db,
			  struct out_file *trace, struct progress *prog,
			  struct signal_hook *hook)
{
	struct trace_listener l;

	trace_clear_listeners();
	if (db) {
		db_listener(db, &l);
		trace_add_listener(&l);
	}
	if (trace) {
		text_trace_listener(out_file_stream(trace), &l);
		trace_add_listener(&l);
		l = (struct trace_listener){ trace_guard_event, trace };
		trace_add_listener(&l);
	}
	if (prog) {
		progress_listener(prog, &l);
		trace_add_listener(&l);
	}
	if (job->extra)
		trace_add_listener(job->extra);
	if (hook->sig) {
		l = (struct trace_listener){ signal_hook_event, hook };
		trace_add_listener(&l);
	}
}

/*
 * The progress line's share of the work: replications done, plus the
 * share of the one running; not known for runs without tasks (replays).
 */
struct run_share {
	struct world *const *w;
	unsigned first, n;
	const unsigned *r;
};

static double replications_share(void *arg)
{
	const struct run_share *sh = arg;
	double now;

	if (!*sh->w || !world_has_tasks(*sh->w))
		return -1;
	now = world_progress(*sh->w);
	return ((double)(*sh->r - sh->first) + now) / sh->n;
}

/* world_build(), then the job's setup hook (a replay's driver). */
static struct world *build_world(const struct runner_job *job,
				 struct scenario *s, GError **err)
{
	struct world *w = world_build(s, err);

	if (w && job->setup && !job->setup(job->hook_ctx, w, s, err)) {
		world_free(w);
		w = NULL;
	}
	return w;
}

/*
 * The trace could not be written: the run is rolled back, and a world the
 * guard stopped mid-I/O is kept reachable, as at a signal.
 */
static int trace_failed(struct db *db, struct world **w,
			struct out_file *trace)
{
	GError *err = NULL;

	out_file_finish(trace, &err);
	fprintf(stderr, "mpsim: %s; the run was not saved\n", err->message);
	g_error_free(err);
	if (db)
		db_rollback_run(db);
	if (*w) {
		stopped_world = *w;
		*w = NULL;
	}
	return 1;
}

/*
 * Run one built world and log it as replication r (the last one when
 * `last`: the trace must be whole before it commits).  Returns the exit
 * status; *w is taken (freed, or kept reachable when stopped mid-I/O).
 */
static int run_one(const struct runner_job *job, struct scenario *s,
		   struct world **w, struct db *db, struct out_file *trace,
		   struct progress *prog, struct signal_hook *hook,
		   unsigned r, bool last, struct runner_result *out)
{
	struct db_run_info info = {
		.seed = s->seed, .replication = r,
		.variant = job->variant ? job->variant : "",
		.phase_ns = world_phase_ns(*w),
	};
	GError *err = NULL;
	int64_t id = 0;
	int status = 0;

	if (db) {
		id = db_begin_run(db, s, &info, &err);
		if (id < 0) {
			fprintf(stderr, "mpsim: %s; nothing was saved\n",
				err->message);
			g_error_free(err);
			world_free(*w);
			*w = NULL;
			return 1;
		}
	}
	add_listeners(job, db, trace, prog, hook);
	if (!world_run(*w, &stop_requested, &out->res, &err)) {
		fprintf(stderr, "mpsim: %s\n", err->message);
		g_error_free(err);
		if (db)
			db_rollback_run(db);
		stopped_world = *w;	/* stuck mid-I/O, as at a signal */
		*w = NULL;
		return 2;
	}
	if (got_signal) {
		if (db)
			db_rollback_run(db);
		/*
		 * The stopped world is mid-I/O: bios in flight, pages on the
		 * tasks' own lists.  The process ends now, so it is left as
		 * it is, reachable, rather than half torn down.
		 */
		stopped_world = *w;
		*w = NULL;
		fprintf(stderr, "mpsim: interrupted; the run was not saved\n");
		return 128 + got_signal;
	}
	/* a trace write failed: the guard stopped the run mid-I/O */
	if (trace && out_file_failed(trace))
		return trace_failed(db, w, trace);
	if (job->finish && !job->finish(job->hook_ctx, &err)) {
		fprintf(stderr, "mpsim: %s\n", err->message);
		g_error_free(err);
		if (db)
			db_rollback_run(db);
		stopped_world = *w;
		*w = NULL;
		return 2;
	}
	if (db)
		log_layout(db, *w, s);
	/*
	 * The teardown's own events (CFQ's exit) go to the trace, not to
	 * the run's rows; then every output is whole before the commit:
	 * after the last run the trace is flushed, synced and closed (a full
	 * disk, EFBIG or a closed pipe fail here, and the run is rolled
	 * back).  The rename, which cannot meet those, comes after.
	 */
	add_listeners(job, NULL, trace, prog, hook);
	world_free(*w);
	*w = NULL;
	if (trace && (last || out_file_failed(trace)))
		if (!out_file_finish(trace, NULL))
			return trace_failed(db, w, trace);
	if (got_signal) {
		/* it came after the run ended, before the commit: not saved */
		if (db)
			db_rollback_run(db);
		fprintf(stderr, "mpsim: interrupted; the run was not saved\n");
		return 128 + got_signal;
	}
	if (db && !db_commit_run(db, out->res.end_ns, out->res.elapsed_ns,
				 out->res.events, &err)) {
		fprintf(stderr, "mpsim: %s; the run was not saved\n",
			err->message);
		g_error_free(err);
		status = 1;
	}
	if (!status && db) {
		out->run_id = id;
		g_array_append_val(out->run_ids, id);
	}
	return status;
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
	struct run_share share = { 0 };
	unsigned replication = 0;
	char *path = job->scenario ? bundled_find(job->scenario, &err) : NULL;
	struct signal_hook hook = { job->test_signal, job->test_signal_after,
				    0 };
	unsigned n = job->replications ? job->replications : 1;
	uint64_t first_seed = 0;
	int status = 0;

	memset(out, 0, sizeof(*out));
	out->run_ids = g_array_new(FALSE, FALSE, sizeof(int64_t));
	if (job->scenario && !path)
		s = NULL;	/* bundled_find() said why */
	else if (job->device_only)
		s = scenario_load_device(path, job->sets, &err);
	else
		s = scenario_load(path, job->sets, &err);
	if (s) {
		first_seed = job->has_seed ? job->seed : s->seed;
		s->seed = first_seed + job->first_replication;
		w = build_world(job, s, &err);
	}
	if (!w) {
		fprintf(stderr, "mpsim: %s\n", err->message);
		status = 2;
		goto done;
	}
	if (first_seed + job->first_replication + n - 1 > G_MAXINT64 ||
	    first_seed + job->first_replication + n - 1 < first_seed) {
		fprintf(stderr, "mpsim: %s: seeds from %" G_GUINT64_FORMAT
			" for %u replications go beyond 2^63 - 1\n", path,
			first_seed, job->first_replication + n);
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
	if (db && job->batch && !db_in_batch(db) &&
	    !db_begin_batch(db, &err)) {
		fprintf(stderr, "mpsim: %s; nothing was saved\n", err->message);
		status = 1;
		goto done;
	}
	if (job->progress && isatty(STDERR_FILENO)) {
		prog = progress_new(stderr, s->name);
		share.w = &w;
		share.first = job->first_replication;
		share.n = n;
		share.r = &replication;
		progress_set_share(prog, replications_share, &share);
	}
	got_signal = 0;
	stop_requested = false;
	/* SIGINT and SIGTERM stop the run; the caller's handlers come back */
	out_catch_signals(on_signal, &old_int, &old_term);
	caught = true;
	for (unsigned r = job->first_replication;
	     r < job->first_replication + n && !status; r++) {
		replication = r;
		if (!w) {
			/* the same parsed scenario, the next seed */
			s->seed = first_seed + r;
			w = build_world(job, s, &err);
			if (!w) {
				fprintf(stderr, "mpsim: %s\n", err->message);
				status = 2;
				break;
			}
		}
		status = run_one(job, s, &w, db, trace, prog, &hook, r,
				 r + 1 == job->first_replication + n, out);
	}
	if (!status && trace) {
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
	/*
	 * A signal after the last run's commit, while the caller's batch is
	 * still open: the caller must not commit it either.
	 */
	if (!status && got_signal && db && db_in_batch(db)) {
		fprintf(stderr, "mpsim: interrupted; nothing was saved\n");
		status = 128 + got_signal;
	}
	if (status) {
		out->run_id = 0;
		g_array_set_size(out->run_ids, 0);
	}
	world_free(w);
	scenario_free(s);
	g_free(path);
	g_clear_error(&err);
	return status;
}

void runner_result_clear(struct runner_result *r)
{
	g_free(r->scenario_name);
	r->scenario_name = NULL;
	if (r->run_ids)
		g_array_unref(r->run_ids);
	r->run_ids = NULL;
}

int runner_end_batch(struct db *db, int status)
{
	GError *err = NULL;

	if (!db || !db_in_batch(db))
		return status;
	if (status) {
		db_rollback_batch(db);
	} else if (!db_commit_batch(db, &err)) {
		fprintf(stderr, "mpsim: %s; nothing was saved\n",
			err->message);
		g_error_free(err);
		status = 1;
	}
	return status;
}
