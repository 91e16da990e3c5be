/*
 * cmd-disk-info.c - `mpsim disk-info [PRESET]`: a preset's parameters and
 * the figures derived from them.
 */
#include "config.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "disk/disk.h"

int cmd_disk_info(int argc, char **argv)
{
	GOptionEntry entries[] = {
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GOptionContext *ctx = g_option_context_new("[PRESET] - print a disk "
						   "preset's parameters");
	GError *err = NULL;
	const char *const *names = disk_preset_names();
	int status = 0;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
		fprintf(stderr, "mpsim disk-info: %s\n", err->message);
		g_error_free(err);
		g_option_context_free(ctx);
		return EXIT_BAD_INPUT;
	}
	g_option_context_free(ctx);
	for (int i = 0; names[i]; i++) {
		struct disk_params *p;
		GString *out;

		if (argc > 1 && strcmp(argv[1], names[i]))
			continue;
		p = disk_params_new();
		disk_params_set(p, "preset", names[i], NULL);
		out = g_string_new(NULL);
		disk_params_describe(p, out);
		fputs(out->str, stdout);
		if (!argc || names[i + 1])
			fputc('\n', stdout);
		g_string_free(out, TRUE);
		disk_params_free(p);
		status = -1;
	}
	if (status == 0) {
		fprintf(stderr, "mpsim disk-info: no preset \"%s\" (presets:",
			argv[1]);
		for (int i = 0; names[i]; i++)
			fprintf(stderr, " %s", names[i]);
		fputs(")\n", stderr);
		return EXIT_BAD_INPUT;
	}
	return 0;
}

