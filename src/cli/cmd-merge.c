/*
 * cmd-merge.c - `mpsim merge OUT.db IN.db...`: append every finished run
 * of each input, input by input and run by run, to OUT, numbering them
 * after OUT's own runs (src/analysis/merge.c).
 */
#include "config.h"

#include <glib.h>
#include <stdio.h>
#include "analysis/merge.h"
#include "cli/cli.h"
#include "log/db.h"
#include "log/output.h"

int cmd_merge(int argc, char **argv)
{
	GOptionEntry entries[] = {
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GOptionContext *ctx = g_option_context_new("OUT.db IN.db... - combine "
						   "databases");
	GError *err = NULL;
	struct merge_src *src = NULL;
	struct out_inputs *in = NULL;
	struct sigaction old_int, old_term;
	bool caught = false;
	int64_t first = 0;
	guint count = 0;
	int status = 0;

	g_option_context_set_description(ctx, "Runs are renumbered in the "
		"order given: OUT's own runs first, then IN's runs by id.\n");
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!cli_parse_options(ctx, "merge", &argc, &argv, &err)) {
		fprintf(stderr, "mpsim merge: %s\n", err->message);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (argc < 3) {
		fprintf(stderr, "mpsim merge: expected OUT.db and at least one "
			"IN.db (see mpsim merge --help)\n");
		status = EXIT_BAD_INPUT;
		goto out;
	}
	src = g_new0(struct merge_src, argc - 2);
	in = out_inputs_new();
	for (int i = 2; i < argc; i++) {
		out_inputs_add_db(in, argv[i], "an input database");
		src[i - 2].path = argv[i];
	}
	/* OUT is not an input by name, link or inode */
	if (!db_check_name(argv[1], &err) ||
	    !out_check(in, argv[1], "OUT.db", &err)) {
		fprintf(stderr, "mpsim merge: %s\n", err->message);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	/* a signal rolls the merge back: nothing is merged */
	out_catch_signals(NULL, &old_int, &old_term);
	caught = true;
	if (!merge_runs_until(argv[1], src, (guint)(argc - 2),
			      out_signal_flag(), &first, &count, &err)) {
		fprintf(stderr, "mpsim merge: %s\n", err->message);
		status = out_signal() ? 128 + out_signal() : 1;
		goto out;
	}
	if (count)
		printf("merged %u runs into %s as runs %" G_GINT64_FORMAT
		       "-%" G_GINT64_FORMAT "\n", count, argv[1], first,
		       first + count - 1);
	else
		printf("no runs to merge\n");
out:
	if (caught)
		out_restore_signals(&old_int, &old_term);
	out_inputs_free(in);
	g_free(src);
	g_clear_error(&err);
	g_option_context_free(ctx);
	return status;
}
