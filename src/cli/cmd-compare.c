/*
 * cmd-compare.c - `mpsim compare SCENARIO --vary KEY=V1,V2 ...`: run every
 * variant into one database and print their figures side by side, with
 * the first point where their dispatch orders part marked; --plot draws
 * them.
 *
 * The runs go through runner_run(), like `mpsim run`.  Without --db they go
 * to a temporary database that is deleted afterwards.  Every output is
 * checked against every variant's inputs before anything runs, and a
 * signal between runs stops compare as one inside a run does.  With
 * --replications N each variant runs N times with the same seeds, all in
 * one transaction, and the statistics of the variants are printed
 * (analysis/experiment.h).  --html DIR writes the page of
 * analysis/html.h as DIR/NAME.html, NAME the scenario's.
 */
#include "config.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "analysis/experiment.h"
#include "analysis/grid.h"
#include "analysis/html.h"
#include "analysis/plot.h"
#include "analysis/runner.h"
#include "analysis/stats.h"
#include "analysis/table.h"
#include "cli/cli.h"
#include "log/db.h"
#include "log/output.h"

/*
 * --plot: every plot of `mpsim plot`; with replications, those of each
 * variant's first replication, and the plots of the experiment.
 */
static bool draw(struct adb *adb, const GPtrArray *stats, const char *dir,
		 const struct plot_options *po, struct out_inputs *in,
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
	ok = plot_write_for(adb, first, dir, po, in, err) &&
	     (!e || plot_experiment_write(e, dir, po, err));
	for (guint i = 0; ok && i < po->notes->len; i++)
		fprintf(stderr, "mpsim compare: %s\n",
			(char *)po->notes->pdata[i]);
	g_ptr_array_unref(first);
	experiment_free(e);
	return ok;
}

/*
 * Load every variant, then check the outputs against what they read and
 * each other: the database, the plots' files, the table on standard
 * output.  Nothing is written yet.
 */
static bool check_outputs(const char *scenario, const struct grid *g,
			  const char *const *sets, const char *db_path,
			  const char *plot_dir, const char *html,
			  struct out_inputs *in, GError **err)
{
	if (!runner_check_variants(scenario, g, sets, in, err))
		return false;
	if (db_path) {
		if (!db_check_name(db_path, err) ||
		    !out_check(in, db_path, "--db", err))
			return false;
		out_inputs_add_db(in, db_path, "--db");
	}
	return (!plot_dir || plot_check_dir(plot_dir, in, err)) &&
	       (!html || html_check(html, in, err)) &&
	       out_check_stdout(in, "the table", err);
}

int cmd_compare(int argc, char **argv)
{
	char *db_path = NULL, *plot_dir = NULL, *format = NULL;
	char *plot_format = NULL, *plot_axis = NULL, *html_dir = NULL;
	char *html = NULL, *html_name = NULL;
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
		{ "html", 0, 0, G_OPTION_ARG_FILENAME, &html_dir,
		  "also write one page with the settings, figures, "
		  "statistics and plots as DIR/NAME.html", "DIR" },
		{ "plot-format", 0, 0, G_OPTION_ARG_STRING, &plot_format,
		  "the plots' formats (default: png,svg)", "png,svg,pdf" },
		{ "plot-axis", 0, 0, G_OPTION_ARG_STRING, &plot_axis,
		  "the plots' positions in 512-byte sectors (default) or "
		  "filesystem blocks", "sector|block" },
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
	struct out_inputs *in = NULL;
	struct sigaction old_int, old_term;
	bool caught = false;
	enum table_format fmt = TABLE_TEXT;
	struct plot_options po = { .formats = PLOT_FORMATS_DEFAULT };
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
	if (!cli_plot_options("compare", plot_format, plot_axis, &po)) {
		status = EXIT_BAD_INPUT;
		goto out;
	}
	po.notes = g_ptr_array_new_with_free_func(g_free);
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
	/* every variant, and every output against what they read, first */
	if (html_dir) {
		html = html_path(html_dir, argv[1]);
		html_name = g_path_get_basename(html);
		*strrchr(html_name, '.') = '\0';	/* NAME.html */
	}
	in = out_inputs_new();
	if (!check_outputs(argv[1], grid, (const char *const *)sets, db_path,
			   plot_dir, html, in, &err)) {
		fprintf(stderr, "mpsim compare: %s\n", err->message);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	/* between runs too, a signal stops compare, which cleans up */
	out_catch_signals(NULL, &old_int, &old_term);
	caught = true;
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
	for (guint i = 0; i < grid_count(grid) && !status && !out_signal();
	     i++) {
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
	if (!status && out_signal()) {
		fprintf(stderr, "mpsim compare: interrupted; nothing was "
			"saved\n");
		status = 128 + out_signal();
	}
	status = runner_end_batch(db, status);
	db_close(db);
	if (status)
		goto out;
	adb = adb_open(path, &err);
	stats = adb ? stats_for_runs(adb, ids, &err) : NULL;
	if (stats && plot_dir && !draw(adb, stats, plot_dir, &po, in,
						&err)) {
		g_ptr_array_unref(stats);
		stats = NULL;
	}
	if (stats && html && !html_write(adb, stats, html, html_name, &po, in,
					 &err)) {
		g_ptr_array_unref(stats);
		stats = NULL;
	}
	if (!stats) {
		fprintf(stderr, "mpsim compare: %s%s%s\n", err->message,
			db_path ? "; the runs were saved in " : "",
			db_path ? db_path : "");
		status = out_signal() ? 128 + out_signal() : 1;
		goto out;
	}
	if (!print_figures(stdout, adb, stats, fmt, &err)) {
		fprintf(stderr, "mpsim compare: %s\n", err->message);
		status = 1;
		goto out;
	}
	if (plot_dir && fmt == TABLE_TEXT)
		printf("\nplots in %s\n", plot_dir);
	if (html && fmt == TABLE_TEXT)
		printf("%spage in %s\n", plot_dir ? "" : "\n", html);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "mpsim compare: standard output: %s\n",
			g_strerror(errno));
		status = 1;
	}
out:
	if (po.notes)
		g_ptr_array_unref(po.notes);
	if (caught)
		out_restore_signals(&old_int, &old_term);
	out_inputs_free(in);
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
	g_free(plot_format);
	g_free(plot_axis);
	g_free(html_dir);
	g_free(html);
	g_free(html_name);
	return status;
}
