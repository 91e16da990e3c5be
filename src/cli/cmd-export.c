/*
 * cmd-export.c - `mpsim export DB --run ID --format blktrace|csv OUT`:
 * one run's requests for other tools (src/analysis/blktrace.c).
 */
#include "config.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include "analysis/export.h"
#include "analysis/stats.h"
#include "cli/cli.h"
#include "log/output.h"

/* OUT is not the database (nor standard output redirected to it). */
static bool check_output(const char *db, const char *out, GError **err)
{
	struct out_inputs *in = out_inputs_new();
	bool ok;

	out_inputs_add_db(in, db, "the database");
	ok = strcmp(out, "-") ? out_check(in, out, "OUT", err) :
	     out_check_stdout(in, "OUT", err);
	out_inputs_free(in);
	return ok;
}

int cmd_export(int argc, char **argv)
{
	char *run = NULL, *format = NULL;
	GOptionEntry entries[] = {
		{ "run", 0, 0, G_OPTION_ARG_STRING, &run,
		  "the run to export (required)", "ID" },
		{ "format", 0, 0, G_OPTION_ARG_STRING, &format,
		  "blktrace (binary, for blkparse and btt) or csv", "FORMAT" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GOptionContext *ctx = g_option_context_new("DB OUT - export a run "
						   "('-' for standard output)");
	GError *err = NULL;
	struct adb *adb = NULL;
	GArray *ids = NULL;
	struct out_file *out = NULL;
	struct sigaction old_int, old_term;
	bool caught = false;
	bool blk;
	int status = 0;

	g_option_context_set_description(ctx, "Example:\n  mpsim export "
		"runs.db --run 1 --format blktrace run1.blktrace\n"
		"  blkparse -i - < run1.blktrace\n");
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!cli_parse_options(ctx, "export", &argc, &argv, &err)) {
		fprintf(stderr, "mpsim export: %s\n", err->message);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (argc != 3 || !run || !format) {
		fprintf(stderr, "mpsim export: expected DB, OUT, --run and "
			"--format (see mpsim export --help)\n");
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (strcmp(format, "blktrace") && strcmp(format, "csv")) {
		fprintf(stderr, "mpsim export: --format %s: expected blktrace "
			"or csv\n", format);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	blk = !strcmp(format, "blktrace");
	adb = adb_open(argv[1], &err);
	if (adb)
		ids = adb_parse_runs(adb, run, &err);
	if (ids && ids->len != 1)
		g_set_error(&err, G_OPTION_ERROR, 0, "--run: one run only");
	if (!ids || err) {
		fprintf(stderr, "mpsim export: %s\n", err->message);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (!check_output(argv[1], argv[2], &err)) {
		fprintf(stderr, "mpsim export: %s\n", err->message);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	/* a temporary file beside OUT, renamed once the export is whole;
	 * a signal meanwhile removes it */
	out_catch_signals(NULL, &old_int, &old_term);
	caught = true;
	out = out_file_open(argv[2], &err);
	if (!out) {
		fprintf(stderr, "mpsim export: %s\n", err->message);
		status = 1;
		goto out;
	}
	if (!(blk ? export_blktrace : export_csv)(adb,
			g_array_index(ids, int64_t, 0), out_file_stream(out),
			&err) || out_signal()) {
		/* a failed write: the output's own message says why */
		if (out_signal()) {
			fprintf(stderr, "mpsim export: interrupted; nothing "
				"was written\n");
		} else if (out_file_failed(out)) {
			g_clear_error(&err);
			out_file_finish(out, &err);
			fprintf(stderr, "mpsim export: %s\n", err->message);
		} else {
			fprintf(stderr, "mpsim export: %s: %s\n", argv[2],
				err->message);
		}
		status = out_signal() ? 128 + out_signal() : 1;
	} else {
		bool ok = out_file_commit(out, &err);	/* frees out */

		out = NULL;
		if (!ok) {
			fprintf(stderr, "mpsim export: %s\n", err->message);
			status = 1;
		}
	}
out:
	out_file_abort(out);	/* nothing is left of a failed export */
	if (caught)
		out_restore_signals(&old_int, &old_term);
	if (ids)
		g_array_unref(ids);
	adb_close(adb);
	g_clear_error(&err);
	g_option_context_free(ctx);
	g_free(run);
	g_free(format);
	return status;
}
