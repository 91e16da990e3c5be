/*
 * cmd-compare.c - `mpsim compare SCENARIO --vary KEY=V1,V2 ...`: run every
 * variant into one database and print their figures side by side, with
 * the first point where their dispatch orders part marked; --plot draws
 * them.
 *
 * The runs go through runner_run(), like `mpsim run`, into a temporary
 * database that is deleted afterwards; with --db they are then appended
 * to it in one transaction (src/analysis/merge.c), so that a compare that
 * fails or is interrupted saves none of them.
 */
#include "config.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include "analysis/grid.h"
#include "analysis/merge.h"
#include "analysis/plot.h"
#include "analysis/runner.h"
#include "analysis/stats.h"
#include "analysis/table.h"
#include "cli/cli.h"
#include "log/db.h"
#include "log/output.h"

/*
 * Append the runs of the temporary database tmp to db in one
 * transaction (none on a signal), and give ids their numbers there.
 */
static bool save_runs(const char *db, const char *tmp, GArray *ids,
		      GError **err)
{
	struct merge_src src = { tmp, 0 };	/* every run, in order */
	int64_t first = 0;
	guint count = 0;

	if (!merge_runs_until(db, &src, 1, out_signal_flag(), &first, &count,
			      err))
		return false;
	for (guint i = 0; i < ids->len; i++)
		g_array_index(ids, int64_t, i) = first + i;
	return true;
}

/*
 * Load every variant, then check the outputs against what they read and
 * each other: the database, the plots' files, the table on standard
 * output.  Nothing is written yet.
 */
static bool check_outputs(const char *scenario, const struct grid *g,
			  const char *const *sets, const char *db_path,
			  const char *plot_dir, struct out_inputs *in,
			  GError **err)
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
	       out_check_stdout(in, "the table", err);
}

int cmd_compare(int argc, char **argv)
{
	char *db_path = NULL, *plot_dir = NULL, *format = NULL;
	char **sets = NULL, **vary = NULL;
	GOptionEntry entries[] = {
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
	struct db *db = NULL;
	struct adb *adb = NULL;
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(int64_t));
	GPtrArray *stats = NULL;
	char *tmpdir = NULL, *path = NULL;
	struct out_inputs *in = NULL;
	struct sigaction old_int, old_term;
	bool caught = false;
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
	grid = grid_parse((const char *const *)vary, &err);
	if (!grid) {
		fprintf(stderr, "mpsim compare: %s\n", err->message);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	/* every variant, and every output against what they read, first */
	in = out_inputs_new();
	if (!check_outputs(argv[1], grid, (const char *const *)sets, db_path,
			   plot_dir, in, &err)) {
		fprintf(stderr, "mpsim compare: %s\n", err->message);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	/* between runs too, a signal stops compare, which cleans up */
	out_catch_signals(NULL, &old_int, &old_term);
	caught = true;
	/* the runs go to a temporary database, then to --db all at once */
	tmpdir = g_dir_make_tmp("mpsim-compare-XXXXXX", &err);
	if (!tmpdir) {
		fprintf(stderr, "mpsim compare: %s\n", err->message);
		status = 1;
		goto out;
	}
	path = g_build_filename(tmpdir, "compare.db", NULL);
	for (guint i = 0; i < grid_count(grid) && !status && !out_signal();
	     i++) {
		char **vsets = grid_sets(grid, i, (const char *const *)sets);
		struct runner_job job = {
			.scenario = argv[1], .sets = (const char *const *)vsets,
			.db = &db, .db_path = path, .progress = true,
		};
		struct runner_result res;

		status = runner_run(&job, &res);
		if (!status)
			g_array_append_val(ids, res.run_id);
		g_free(res.scenario_name);
		g_strfreev(vsets);
	}
	db_close(db);
	if (!status && out_signal()) {
		fprintf(stderr, "mpsim compare: interrupted\n");
		status = 128 + out_signal();
	}
	if (status)
		goto out;
	if (db_path && !save_runs(db_path, path, ids, &err)) {
		fprintf(stderr, "mpsim compare: %s; nothing was saved\n",
			err->message);
		status = out_signal() ? 128 + out_signal() : 1;
		goto out;
	}
	adb = adb_open(db_path ? db_path : path, &err);
	stats = adb ? stats_for_runs(adb, ids, &err) : NULL;
	if (stats && plot_dir && !plot_write_for(adb, stats, plot_dir, in,
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
	if (grid_count(grid) > 1 || fmt != TABLE_TEXT) {
		/* label by what was varied, in the order given */
		for (guint i = 0; i < stats->len; i++) {
			struct run_stats *st = stats->pdata[i];
			char *l = grid_label(grid, i);

			if (*l) {
				g_free(st->label);
				st->label = l;
			} else {
				g_free(l);
			}
		}
	}
	table_print(stdout, stats, fmt);
	if (plot_dir && fmt == TABLE_TEXT)
		printf("\nplots in %s\n", plot_dir);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "mpsim compare: standard output: %s\n",
			g_strerror(errno));
		status = 1;
	}
out:
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
	return status;
}
