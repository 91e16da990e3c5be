/*
 * cmd-list.c - `mpsim list`: the bundled scenarios, by name, with their
 * descriptions and, with --paths, the files they are read from.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "scenario/bundled.h"

int cmd_list(int argc, char **argv)
{
	gboolean paths = FALSE;
	GOptionEntry entries[] = {
		{ "paths", 0, 0, G_OPTION_ARG_NONE, &paths,
		  "print each scenario's file, and the folders searched", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GOptionContext *ctx = g_option_context_new("- list the bundled "
						   "scenarios");
	GError *err = NULL;
	GPtrArray *list;
	size_t width = 0;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!cli_parse_options(ctx, "list", &argc, &argv, &err) || argc > 1) {
		fprintf(stderr, "mpsim list: %s\n",
			err ? err->message : "takes no argument");
		g_clear_error(&err);
		g_option_context_free(ctx);
		return EXIT_BAD_INPUT;
	}
	g_option_context_free(ctx);
	list = bundled_list();
	if (!list->len) {
		GPtrArray *dirs = bundled_dirs();

		fputs("mpsim list: no bundled scenario found; looked in", stderr);
		for (guint i = 0; i < dirs->len; i++)
			fprintf(stderr, "%s %s", i ? "," : "",
				(char *)dirs->pdata[i]);
		fputs("\n", stderr);
		g_ptr_array_unref(dirs);
		g_ptr_array_unref(list);
		return 1;
	}
	for (guint i = 0; i < list->len; i++) {
		const struct bundled_scenario *b = list->pdata[i];

		width = MAX(width, strlen(b->name));
	}
	for (guint i = 0; i < list->len; i++) {
		const struct bundled_scenario *b = list->pdata[i];

		if (paths)
			printf("%-*s  %s\n", (int)width, b->name, b->path);
		else
			printf("%-*s  %s\n", (int)width, b->name,
			       b->description);
	}
	g_ptr_array_unref(list);
	return fflush(stdout) || ferror(stdout) ? 1 : 0;
}
