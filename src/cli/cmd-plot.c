/*
 * cmd-plot.c - `mpsim plot DB --run ID,... --out DIR [--format png,svg,pdf]
 * [--axis sector|block]`: draw logged runs with gnuplot
 * (src/analysis/plot.c); scripts and data stay in DIR.  A figure with
 * nothing to draw is left out, and said on standard error.
 */
#include "config.h"

#include <glib.h>
#include <stdio.h>
#include "analysis/plot.h"
#include "analysis/stats.h"
#include "cli/cli.h"
#include "log/output.h"

int cmd_plot(int argc, char **argv)
{
	char *runs = NULL, *dir = NULL, *format = NULL, *axis = NULL;
	GOptionEntry entries[] = {
		{ "format", 0, 0, G_OPTION_ARG_STRING, &format,
		  "the pictures' formats (default: png,svg)",
		  "png,svg,pdf" },
		{ "axis", 0, 0, G_OPTION_ARG_STRING, &axis,
		  "positions in 512-byte sectors (default) or filesystem "
		  "blocks", "sector|block" },
		{ "run", 0, 0, G_OPTION_ARG_STRING, &runs,
		  "these runs (default: every run)", "ID[,ID...]" },
		{ "out", 'o', 0, G_OPTION_ARG_FILENAME, &dir,
		  "write the plots, scripts and data into DIR", "DIR" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GOptionContext *ctx = g_option_context_new("DB - plot logged runs");
	GError *err = NULL;
	struct adb *adb = NULL;
	GArray *ids = NULL;
	GPtrArray *stats = NULL;
	struct plot_options po = { .formats = PLOT_FORMATS_DEFAULT };
	int status = 0;

	g_option_context_set_description(ctx, "Plots (each as NAME.png, "
		"NAME.svg and/or NAME.pdf, with NAME.gp and its data):\n  "
		"dispatch, throughput, seeks, seek-distance, latency-cdf, cost, "
		"order\n");
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!cli_parse_options(ctx, "plot", &argc, &argv, &err)) {
		fprintf(stderr, "mpsim plot: %s\n", err->message);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (argc != 2 || !dir) {
		fprintf(stderr, "mpsim plot: expected DB and --out DIR "
			"(see mpsim plot --help)\n");
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (!cli_plot_options("plot", format, axis, &po)) {
		status = EXIT_BAD_INPUT;
		goto out;
	}
	adb = adb_open(argv[1], &err);
	if (adb)
		ids = runs ? adb_parse_runs(adb, runs, &err) :
			     adb_run_ids(adb, &err);
	if (!ids) {
		fprintf(stderr, "mpsim plot: %s\n", err->message);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	stats = stats_for_runs(adb, ids, &err);
	po.notes = g_ptr_array_new_with_free_func(g_free);
	if (!stats || !plot_write(adb, stats, dir, &po, &err)) {
		fprintf(stderr, "mpsim plot: %s\n", err->message);
		status = g_error_matches(err, OUT_ERROR, OUT_ERROR_REFUSED) ?
			 EXIT_BAD_INPUT : 1;
	} else {
		for (guint i = 0; i < po.notes->len; i++)
			fprintf(stderr, "mpsim plot: %s\n",
				(char *)po.notes->pdata[i]);
	}
out:
	if (po.notes)
		g_ptr_array_unref(po.notes);
	if (stats)
		g_ptr_array_unref(stats);
	if (ids)
		g_array_unref(ids);
	adb_close(adb);
	g_clear_error(&err);
	g_option_context_free(ctx);
	g_free(runs);
	g_free(dir);
	g_free(format);
	g_free(axis);
	return status;
}
