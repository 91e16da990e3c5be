/*
 * cmd-report.c - `mpsim report DB [--run ID,...]`: the figures of
 * `mpsim compare` for runs already in a database, as text, CSV or JSON;
 * or, with --format html --out DIR, one page DIR/NAME.html (NAME the
 * database's file name without .db) with the settings, figures,
 * statistics and plots (analysis/html.h).
 */
#include "config.h"

#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include "analysis/html.h"
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
	char *runs = NULL, *format = NULL, *dir = NULL, *html = NULL;
	GOptionEntry entries[] = {
		{ "run", 0, 0, G_OPTION_ARG_STRING, &runs,
		  "these runs only (default: every run)", "ID[,ID...]" },
		{ "format", 0, 0, G_OPTION_ARG_STRING, &format,
		  "text (default), csv, json or html (a page in --out DIR)",
		  "FORMAT" },
		{ "out", 'o', 0, G_OPTION_ARG_FILENAME, &dir,
		  "with --format html: write DIR/NAME.html", "DIR" },
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
	if (format && !strcmp(format, "html")) {
		if (!dir) {
			fprintf(stderr, "mpsim report: --format html needs "
				"--out DIR\n");
			status = EXIT_BAD_INPUT;
			goto out;
		}
		html = html_path(dir, argv[1]);
	} else if (format && !table_parse_format(format, &fmt)) {
		fprintf(stderr, "mpsim report: --format %s: expected text, "
			"csv, json or html\n", format);
		status = EXIT_BAD_INPUT;
		goto out;
	} else if (dir) {
		fprintf(stderr, "mpsim report: --out is for --format html\n");
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
	if (!html && !check_stdout(argv[1], &err)) {
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
	if (html) {
		char *name = g_path_get_basename(html);

		*strrchr(name, '.') = '\0';	/* NAME.html */
		if (!html_write(adb, stats, html, name, NULL, NULL, &err)) {
			fprintf(stderr, "mpsim report: %s\n", err->message);
			status = g_error_matches(err, OUT_ERROR,
						 OUT_ERROR_REFUSED) ?
				 EXIT_BAD_INPUT : 1;
		}
		g_free(name);
	} else if (!print_figures(stdout, adb, stats, fmt, &err)) {
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
	g_free(dir);
	g_free(html);
	return status;
}
