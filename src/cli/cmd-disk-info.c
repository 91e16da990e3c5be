/*
 * cmd-disk-info.c - `mpsim disk-info [PRESET]`: a preset's parameters and
 * the figures derived from them.
 */
#include "config.h"

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "disk/disk.h"

/* Print one preset; a blank line separates presets when all are shown. */
static void describe_preset(const char *name, bool separate)
{
	struct disk_params *p = disk_params_new();
	GString *out = g_string_new(NULL);

	disk_params_set(p, "preset", name, NULL);
	disk_params_describe(p, out);
	if (separate)
		g_string_append_c(out, '\n');
	fputs(out->str, stdout);
	g_string_free(out, TRUE);
	disk_params_free(p);
}

int cmd_disk_info(int argc, char **argv)
{
	GOptionEntry entries[] = {
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GOptionContext *ctx = g_option_context_new("[PRESET] - print a disk "
						   "preset's parameters and "
						   "derived figures (all "
						   "presets without PRESET)");
	GError *err = NULL;
	const char *const *names = disk_preset_names();
	bool ok;

	g_option_context_add_main_entries(ctx, entries, NULL);
	ok = cli_parse_options(ctx, "disk-info", &argc, &argv, &err);
	g_option_context_free(ctx);
	if (!ok || argc > 2) {
		fprintf(stderr, "mpsim disk-info: %s\n",
			err ? err->message : "at most one PRESET");
		g_clear_error(&err);
		return EXIT_BAD_INPUT;
	}
	for (int i = 0; names[i]; i++) {
		if (argc == 2 && !strcmp(argv[1], names[i])) {
			describe_preset(names[i], false);
			return 0;
		}
		if (argc == 1)
			describe_preset(names[i], names[i + 1] != NULL);
	}
	if (argc == 1)
		return 0;
	fprintf(stderr, "mpsim disk-info: no preset \"%s\" (presets:",
		argv[1]);
	for (int i = 0; names[i]; i++)
		fprintf(stderr, " %s", names[i]);
	fputs(")\n", stderr);
	return EXIT_BAD_INPUT;
}
