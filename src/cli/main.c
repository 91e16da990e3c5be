/*
 * main.c - the mpsim command line.
 *
 *   mpsim run SCENARIO [--db PATH | --no-db] [--trace FILE] [--set K=V]...
 *   mpsim disk-info [PRESET]
 *
 * Exit status: 0 success, 1 a failure of the run's machinery (database,
 * output file), 2 bad input (options, scenario), 130/143 interrupted.
 */
#include "config.h"

#include <errno.h>
#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "disk/disk.h"
#include "log/db.h"
#include "log/text.h"
#include "run/run.h"
#include "scenario/scenario.h"
#include "trace/trace.h"

#define EXIT_BAD_INPUT 2

static volatile sig_atomic_t got_signal;
static volatile bool stop_requested;

static void on_signal(int sig)
{
	got_signal = sig;
	stop_requested = true;
}

static void usage(FILE *out)
{
	fputs("Usage: mpsim COMMAND [OPTIONS]\n"
	      "\n"
	      "A deterministic simulator of the Linux 4.9 block I/O path:\n"
	      "fs/mpage.c, ext2 mapping, the block layer and a disk.\n"
	      "\n"
	      "Commands:\n"
	      "  run SCENARIO      simulate a scenario, log it to SQLite\n"
	      "  disk-info [NAME]  print a disk preset's parameters\n"
	      "\n"
	      "Run 'mpsim COMMAND --help' for a command's options.\n", out);
}

static int cmd_disk_info(int argc, char **argv)
{
	gboolean help = FALSE;
	GOptionEntry entries[] = {
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GOptionContext *ctx = g_option_context_new("[PRESET] - print a disk "
						   "preset's parameters");
	GError *err = NULL;
	const char *const *names = disk_preset_names();
	int status = 0;

	(void)help;
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
		fprintf(stderr, "mpsim disk-info: %s\n", err->message);
		g_error_free(err);
		g_option_context_free(ctx);
		return EXIT_BAD_INPUT;
	}
	g_option_context_free(ctx);
	for (int i = 0; names[i]; i++) {
		struct disk_params *p;
		GString *out;

		if (argc > 1 && strcmp(argv[1], names[i]))
			continue;
		p = disk_params_new();
		disk_params_set(p, "preset", names[i], NULL);
		out = g_string_new(NULL);
		disk_params_describe(p, out);
		fputs(out->str, stdout);
		if (!argc || names[i + 1])
			fputc('\n', stdout);
		g_string_free(out, TRUE);
		disk_params_free(p);
		status = -1;
	}
	if (status == 0) {
		fprintf(stderr, "mpsim disk-info: no preset \"%s\" (presets:",
			argv[1]);
		for (int i = 0; names[i]; i++)
			fprintf(stderr, " %s", names[i]);
		fputs(")\n", stderr);
		return EXIT_BAD_INPUT;
	}
	return 0;
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

static int cmd_run(int argc, char **argv)
{
	char *db_path = NULL, *trace_path = NULL;
	char **sets = NULL;
	gboolean no_db = FALSE, quiet = FALSE;
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
		db = db_open(db_path ? db_path : "mpsim.db", &err);
		if (db)
			run_id = db_begin_run(db, s, &err);
		if (!db || run_id < 0) {
			fprintf(stderr, "mpsim: %s\n", err->message);
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
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (!world_run(w, &stop_requested, &res, &err)) {
		fprintf(stderr, "mpsim: %s\n", err->message);
		if (db)
			db_rollback_run(db);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (got_signal) {
		if (db)
			db_rollback_run(db);
		fprintf(stderr, "mpsim: interrupted; the run was not saved\n");
		status = 128 + got_signal;
		goto out;
	}
	if (db && !db_commit_run(db, res.end_ns, res.events, &err)) {
		fprintf(stderr, "mpsim: %s\n", err->message);
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
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_BAD_INPUT;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		puts(PACKAGE_STRING);
		return 0;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "disk-info"))
		return cmd_disk_info(argc - 1, argv + 1);
	fprintf(stderr, "mpsim: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return EXIT_BAD_INPUT;
}
