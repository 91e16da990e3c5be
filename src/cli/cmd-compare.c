/*
 * cmd-compare.c - `mpsim compare SCENARIO --vary KEY=V1,V2 ...`: run every
 * variant into one database and print their figures side by side, with
 * the first point where their dispatch orders part marked; --plot draws
 * them.
 *
 * The runs go through runner_run(), like `mpsim run`.  Without --db they go
 * to a temporary database that is deleted afterwards.  With
 * --replications N each variant runs N times with the same seeds, all in
 * one transaction, and the statistics of the variants are printed
 * (analysis/experiment.h).
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include "analysis/experiment.h"
#include "analysis/grid.h"
#include "analysis/plot.h"
#include "analysis/runner.h"
#include "analysis/stats.h"
#include "analysis/table.h"
#include "cli/cli.h"
#include "log/db.h"

/*
 * --plot: every plot of `mpsim plot`; with replications, those of each
 * variant's first replication, and the plots of the experiment.
 */
static bool draw(struct adb *adb, const GPtrArray *stats, const char *dir,
		 GError **err)
{
	struct experiment *e = experiment_new(stats);
	GPtrArray *first = g_ptr_array_new();
	bool ok;

	for (guint i = 0; i < stats->len; i++) {
		struct run_stats *st = stats->pdata[i];

		if (!e || st->replication == 0)
			g_ptr_array_add(first, st);
	}
	ok = plot_write(adb, first, dir, err) &&
	     (!e || plot_experiment_write(e, dir, err));
	g_ptr_array_unref(first);
	experiment_free(e);
	return ok;
}

int cmd_compare(int argc, char **argv)
{
	char *db_path = NULL, *plot_dir = NULL, *format = NULL;
	char **sets = NULL, **vary = NULL;
	gint64 seed = -1;
	gint replications = 1;
	GOptionEntry entries[] = {
		{ "replications", 0, 0, G_OPTION_ARG_INT, &replications,
		  "run each variant N times, with seeds S, S+1, ... (the "
		  "same in every variant: compared in pairs)", "N" },
		{ "seed", 0, 0, G_OPTION_ARG_INT64, &seed,
		  "the first seed S (default: the scenario's, else 1)", "N" },
		{ "vary", 0, 0, G_OPTION_ARG_STRING_ARRAY, &vary,
		  "run once per value (repeatable: the cross product, the "
		  "first --vary varying slowest)", "GROUP.KEY=V1,V2,..." },
		{ "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
		  "override a scenario key in every variant (repeatable)",
		  "GROUP.KEY=VALUE" },
		{ "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path,
		  "append the runs to this database (default: a temporary "
		  "one, deleted afterwards)", "PATH" },
		{ "plot", 0, 0, G_OPTION_ARG_FILENAME, &plot_dir,
		  "also draw the plots of `mpsim plot` into DIR", "DIR" },
		{ "format", 0, 0, G_OPTION_ARG_STRING, &format,
		  "text (default), csv or json", "FORMAT" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GOptionContext *ctx = g_option_context_new("SCENARIO - run variants "
						   "of a scenario and compare "
						   "them");
	GError *err = NULL;
	struct grid *grid = NULL;
	struct runner_job rep = { 0 };
	struct db *db = NULL;
	struct adb *adb = NULL;
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(int64_t));
	GPtrArray *stats = NULL;
	char *tmpdir = NULL, *path = NULL;
	enum table_format fmt = TABLE_TEXT;
	int status = 0;

	g_option_context_set_description(ctx, "Example:\n  mpsim compare "
		"scenarios/ext2-boundary.ini --vary fs.boundary=on,off\n");
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!cli_parse_options(ctx, "compare", &argc, &argv, &err)) {
		fprintf(stderr, "mpsim compare: %s\n", err->message);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (argc != 2) {
		fprintf(stderr, "mpsim compare: expected one SCENARIO "
			"(see mpsim compare --help)\n");
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (format && !table_parse_format(format, &fmt)) {
		fprintf(stderr, "mpsim compare: --format %s: expected text, "
			"csv or json\n", format);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (!cli_seed_replications("compare", seed, replications, &rep)) {
		status = EXIT_BAD_INPUT;
		goto out;
	}
	grid = grid_parse((const char *const *)vary, &err);
	if (!grid) {
		fprintf(stderr, "mpsim compare: %s\n", err->message);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (db_path) {
		path = g_strdup(db_path);
	} else {
		tmpdir = g_dir_make_tmp("mpsim-compare-XXXXXX", &err);
		if (!tmpdir) {
			fprintf(stderr, "mpsim compare: %s\n", err->message);
			status = 1;
			goto out;
		}
		path = g_build_filename(tmpdir, "compare.db", NULL);
	}
	/* every run of every variant in one transaction */
	for (guint i = 0; i < grid_count(grid) && !status; i++) {
		char **vsets = grid_sets(grid, i, (const char *const *)sets);
		char *label = grid_label(grid, i);
		struct runner_job job = rep;
		struct runner_result res;

		job.scenario = argv[1];
		job.sets = (const char *const *)vsets;
		job.db = &db;
		job.db_path = path;
		job.progress = true;
		job.variant = label;
		job.batch = true;
		status = runner_run(&job, &res);
		if (!status)
			g_array_append_vals(ids, res.run_ids->data,
					    res.run_ids->len);
		runner_result_clear(&res);
		g_strfreev(vsets);
		g_free(label);
	}
	status = runner_end_batch(db, status);
	db_close(db);
	if (status)
		goto out;
	adb = adb_open(path, &err);
	stats = adb ? stats_for_runs(adb, ids, &err) : NULL;
	if (stats && plot_dir && !draw(adb, stats, plot_dir, &err)) {
		g_ptr_array_unref(stats);
		stats = NULL;
	}
	if (!stats) {
		fprintf(stderr, "mpsim compare: %s\n", err->message);
		status = 1;
		goto out;
	}
	if (!print_figures(stdout, adb, stats, fmt, &err)) {
		fprintf(stderr, "mpsim compare: %s\n", err->message);
		status = 1;
		goto out;
	}
	if (plot_dir && fmt == TABLE_TEXT)
		printf("\nplots in %s\n", plot_dir);
out:
	if (stats)
		g_ptr_array_unref(stats);
	adb_close(adb);
	if (tmpdir) {
		char *journal = g_strconcat(path, "-journal", NULL);

		g_unlink(journal);
		g_unlink(path);
		g_rmdir(tmpdir);
		g_free(journal);
	}
	g_free(tmpdir);
	g_free(path);
	g_array_unref(ids);
	grid_free(grid);
	g_clear_error(&err);
	g_option_context_free(ctx);
	g_strfreev(sets);
	g_strfreev(vary);
	g_free(db_path);
	g_free(plot_dir);
	g_free(format);
	return status;
}
