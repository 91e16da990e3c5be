/*
 * cmd-replay.c - `mpsim replay TRACE [SCENARIO]`: a recorded trace's
 * requests through the block layer and disk of SCENARIO (its device
 * groups only; the default disk when absent), logged like a run.
 *
 * The replay itself is src/replay; the run goes through runner_run() with
 * the replay's hooks, so it builds the device as any run does and lands in
 * the database whole or not at all.  The options that say how to read and
 * time the trace are shared with `mpsim validate` (replay_cli_*).
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include "analysis/runner.h"
#include "cli/cli.h"
#include "log/db.h"
#include "replay/replay.h"

void replay_cli_entries(struct replay_cli *c, GOptionEntry *e)
{
	GOptionEntry entries[] = {
		{ "format", 0, 0, G_OPTION_ARG_STRING, &c->format,
		  "the trace's format: blktrace, blkparse, fio, disksim, csv "
		  "(default: told from the content)", "FORMAT" },
		{ "at", 0, 0, G_OPTION_ARG_STRING, &c->at,
		  "blktrace/blkparse: issue at queue (Q) or dispatch (D) "
		  "events", "queue|dispatch" },
		{ "depth", 0, 0, G_OPTION_ARG_INT, &c->depth,
		  "closed loop: requests kept outstanding (default 1)", "N" },
		{ "plug", 0, 0, G_OPTION_ARG_NONE, &c->plug,
		  "submit from a task that plugs the requests of each issue "
		  "time (with block.plug on)", NULL },
		{ "latencies", 0, 0, G_OPTION_ARG_FILENAME, &c->latencies,
		  "fio iolog: fio's completion-latency log (--write_lat_log, "
		  "--log_offset=1), the recorded service times", "FILE" },
		{ "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &c->sets,
		  "override a scenario key (repeatable)", "GROUP.KEY=VALUE" },
		{ "trace", 0, 0, G_OPTION_ARG_FILENAME, &c->trace_path,
		  "write the text trace to FILE ('-' for standard output)",
		  "FILE" },
	};

	memcpy(e, entries, sizeof(entries));
}

void replay_cli_free(struct replay_cli *c)
{
	g_free(c->format);
	g_free(c->at);
	g_free(c->mode);
	g_strfreev(c->sets);
	g_free(c->trace_path);
	g_free(c->latencies);
}

bool replay_cli_parse(const char *cmd, GOptionContext *ctx, int *argc,
		      char ***argv)
{
	GError *err = NULL;

	if (!cli_parse_options(ctx, cmd, argc, argv, &err)) {
		fprintf(stderr, "mpsim %s: %s\n", cmd, err->message);
		g_error_free(err);
		return false;
	}
	if (*argc < 2 || *argc > 3) {
		fprintf(stderr, "mpsim %s: expected TRACE [SCENARIO] (see "
			"mpsim %s --help)\n", cmd, cmd);
		return false;
	}
	return true;
}

/* Both name one existing file. */
static bool same_file(const char *a, const char *b)
{
	GStatBuf x, y;

	return a && b && !g_stat(a, &x) && !g_stat(b, &y) &&
	       x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

bool replay_cli_outputs_ok(const char *cmd, const char *trace,
			   const char *db_path, const char *trace_path)
{
	char *cpu0 = g_strconcat(trace, ".blktrace.0", NULL);
	const char *outs[] = { db_path, trace_path };
	bool ok = true;

	for (unsigned i = 0; i < G_N_ELEMENTS(outs) && ok; i++)
		if (same_file(outs[i], trace) || same_file(outs[i], cpu0)) {
			fprintf(stderr, "mpsim %s: %s is the trace being "
				"read; write elsewhere\n", cmd, outs[i]);
			ok = false;
		}
	g_free(cpu0);
	return ok;
}

char **replay_cli_inputs(const char *trace, const struct replay_cli *c)
{
	GPtrArray *in = g_ptr_array_new();

	g_ptr_array_add(in, g_strdup(trace));
	for (unsigned cpu = 0;; cpu++) {	/* NAME.blktrace.0, .1, ... */
		char *p = g_strdup_printf("%s.blktrace.%u", trace, cpu);

		if (!g_file_test(p, G_FILE_TEST_EXISTS)) {
			g_free(p);
			break;
		}
		g_ptr_array_add(in, p);
	}
	if (c->latencies)
		g_ptr_array_add(in, g_strdup(c->latencies));
	g_ptr_array_add(in, NULL);
	return (char **)g_ptr_array_free(in, FALSE);
}

/* The options as replay_options; false (message printed) when bad. */
bool replay_cli_options(const char *cmd, const struct replay_cli *c,
			const char *trace, struct replay_options *o)
{
	memset(o, 0, sizeof(*o));
	o->trace = trace;
	o->depth = c->depth > 0 ? (unsigned)c->depth : 1;
	o->speed = c->speed;
	o->plug = c->plug;
	o->latencies = c->latencies;
	if (c->format && !replay_format_parse(c->format, &o->format)) {
		fprintf(stderr, "mpsim %s: --format: unknown format \"%s\" "
			"(blktrace, blkparse, fio, disksim, csv)\n", cmd,
			c->format);
		return false;
	}
	if (c->at && strcmp(c->at, "queue") && strcmp(c->at, "dispatch")) {
		fprintf(stderr, "mpsim %s: --at: \"%s\" is neither queue nor "
			"dispatch\n", cmd, c->at);
		return false;
	}
	o->at_dispatch = c->at && !strcmp(c->at, "dispatch");
	if (c->mode && strcmp(c->mode, "open") && strcmp(c->mode, "closed")) {
		fprintf(stderr, "mpsim %s: --mode: \"%s\" is neither open nor "
			"closed\n", cmd, c->mode);
		return false;
	}
	o->mode = !c->mode ? REPLAY_MODE_DEFAULT :
		  !strcmp(c->mode, "open") ? REPLAY_MODE_OPEN :
		  REPLAY_MODE_CLOSED;
	if (c->depth < 0 || c->depth > 65536 || c->speed < 0 ||
	    !(c->speed < 1e9)) {
		fprintf(stderr, "mpsim %s: --depth must be 1 to 65536 and "
			"--speed above 0\n", cmd);
		return false;
	}
	if (c->speed == 0)
		o->speed = 1;
	return true;
}

int cmd_replay(int argc, char **argv)
{
	struct replay_cli c = { 0 };
	char *db_path = NULL;
	gboolean no_db = FALSE, quiet = FALSE;
	GOptionEntry entries[REPLAY_CLI_ENTRIES + 6] = {
		{ "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path,
		  "append the replay to this SQLite database (default: "
		  "mpsim.db)", "PATH" },
		{ "no-db", 0, 0, G_OPTION_ARG_NONE, &no_db,
		  "do not log the replay to a database", NULL },
		{ "mode", 0, 0, G_OPTION_ARG_STRING, &c.mode,
		  "open: at the recorded times (the default for traces with "
		  "times); closed: --depth outstanding, think times between",
		  "open|closed" },
		{ "speed", 0, 0, G_OPTION_ARG_DOUBLE, &c.speed,
		  "open loop: replay X times as fast (default 1)", "X" },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
		  "print no summary", NULL },
	};
	GOptionContext *ctx = g_option_context_new("TRACE [SCENARIO] - replay "
						   "a trace");
	GError *err = NULL;
	struct db *db = NULL;
	struct runner_result res = { 0 };
	struct runner_job job = { 0 };
	struct replay_options o;
	struct replay *r = NULL;
	char **inputs = NULL;
	int status = 0;

	replay_cli_entries(&c, entries + 5);	/* after the 5 above */
	g_option_context_set_description(ctx, "TRACE is blktrace's binary "
		"output (a file, or the NAME of NAME.blktrace.N), blkparse's "
		"text, a fio iolog, a DiskSim ASCII trace or a CSV "
		"(docs/replay.md).  SCENARIO gives the disk and block layer; "
		"its tasks and files are ignored.\n");
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!replay_cli_parse("replay", ctx, &argc, &argv)) {
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (no_db && db_path) {
		fprintf(stderr, "mpsim replay: --db and --no-db together\n");
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (!replay_cli_options("replay", &c, argv[1], &o) ||
	    !replay_cli_outputs_ok("replay", argv[1], no_db ? NULL :
				   db_path ? db_path : "mpsim.db",
				   c.trace_path)) {
		status = EXIT_BAD_INPUT;
		goto out;
	}
	/* a run that writes nothing may find a bad record late */
	o.precheck = !no_db || c.trace_path;
	r = replay_new(&o);
	inputs = replay_cli_inputs(argv[1], &c);
	job.scenario = argc == 3 ? argv[2] : NULL;
	job.sets = (const char *const *)c.sets;
	job.db = no_db ? NULL : &db;
	job.db_path = db_path ? db_path : "mpsim.db";
	job.trace_path = c.trace_path;
	job.progress = true;
	job.inputs = (const char *const *)inputs;
	job.device_only = true;
	job.setup = replay_setup;
	job.finish = replay_finish;
	job.hook_ctx = r;
	status = runner_run(&job, &res);
	if (!status && !quiet) {
		FILE *f = res.trace_stdout ? stderr : stdout;

		fprintf(f, "%s: %" G_GUINT64_FORMAT " requests replayed on %s "
			"(%" G_GUINT64_FORMAT " at the disk), finished at "
			"%.6f ms", argv[1], replay_issued(r),
			res.scenario_name, res.res.requests,
			res.res.end_ns / 1e6);
		if (db)
			fprintf(f, "; run %" G_GINT64_FORMAT " in %s",
				res.run_id, job.db_path);
		fputc('\n', f);
	}
out:
	g_strfreev(inputs);
	replay_free(r);
	g_free(res.scenario_name);
	db_close(db);
	g_clear_error(&err);
	g_option_context_free(ctx);
	replay_cli_free(&c);
	g_free(db_path);
	return status;
}
