/*
 * cmd-report.c - `mpsim report DB [--run ID,...]`: the figures of
 * `mpsim compare` for runs already in a database, as text, CSV or JSON.
 */
#include "config.h"

#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include "analysis/stats.h"
#include "analysis/table.h"
#include "cli/cli.h"
#include "log/output.h"

/* Standard output is not redirected into the database (>> runs.db). */
static bool check_stdout(const char *db, GError **err)
{
	struct out_inputs *in = out_inputs_new();
	bool ok;

	out_inputs_add_db(in, db, "the database");
	ok = out_check_stdout(in, "the report", err);
	out_inputs_free(in);
	return ok;
}

int cmd_report(int argc, char **argv)
{
	char *runs = NULL, *format = NULL;
	GOptionEntry entries[] = {
		{ "run", 0, 0, G_OPTION_ARG_STRING, &runs,
		  "these runs only (default: every run)", "ID[,ID...]" },
		{ "format", 0, 0, G_OPTION_ARG_STRING, &format,
		  "text (default), csv or json", "FORMAT" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GOptionContext *ctx = g_option_context_new("DB - the figures of "
						   "logged runs");
	GError *err = NULL;
	struct adb *adb = NULL;
	GArray *ids = NULL;
	GPtrArray *stats = NULL;
	enum table_format fmt = TABLE_TEXT;
	int status = 0;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!cli_parse_options(ctx, "report", &argc, &argv, &err)) {
		fprintf(stderr, "mpsim report: %s\n", err->message);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (argc != 2) {
		fprintf(stderr, "mpsim report: expected one DB "
			"(see mpsim report --help)\n");
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (format && !table_parse_format(format, &fmt)) {
		fprintf(stderr, "mpsim report: --format %s: expected text, "
			"csv or json\n", format);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	adb = adb_open(argv[1], &err);
	if (adb)
		ids = runs ? adb_parse_runs(adb, runs, &err) :
			     adb_run_ids(adb, &err);
	if (!ids) {
		fprintf(stderr, "mpsim report: %s\n", err->message);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (!check_stdout(argv[1], &err)) {
		fprintf(stderr, "mpsim report: %s\n", err->message);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	stats = stats_for_runs(adb, ids, &err);
	if (!stats) {
		fprintf(stderr, "mpsim report: %s\n", err->message);
		status = 1;
		goto out;
	}
	if (!print_figures(stdout, adb, stats, fmt, &err)) {
		fprintf(stderr, "mpsim report: %s\n", err->message);
		status = 1;
	} else if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "mpsim report: standard output: %s\n",
			g_strerror(errno));
		status = 1;
	}
out:
	if (stats)
		g_ptr_array_unref(stats);
	if (ids)
		g_array_unref(ids);
	adb_close(adb);
	g_clear_error(&err);
	g_option_context_free(ctx);
	g_free(runs);
	g_free(format);
	return status;
}
