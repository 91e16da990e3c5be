/*
 * options.c - what every command shares in reading its options: the
 * --help text, with a usage line that names the program and the command
 * (`mpsim run [OPTION...] SCENARIO`) whatever the locale, and an example
 * for every command.  The manual page (docs/mpsim.1) carries the same
 * usage lines; tests/test-cli-help.sh checks that they agree.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

/* One example per command, shown at the end of its --help. */
static const struct {
	const char *command;
	const char *example;
} examples[] = {
	{ "run", "mpsim run ext2-boundary --set fs.boundary=off --trace -" },
	{ "compare", "mpsim compare ext2-boundary --vary fs.boundary=on,off" },
	{ "sweep", "mpsim sweep ext2-boundary --vary fs.boundary=on,off "
		   "--vary block.elevator=noop,deadline -j 2" },
	{ "report", "mpsim report mpsim.db --run 1,2 --format csv" },
	{ "plot", "mpsim plot mpsim.db --run 1,2 --out plots/" },
	{ "export", "mpsim export mpsim.db --run 1 --format blktrace "
		    "trace.blktrace.0" },
	{ "merge", "mpsim merge all.db part1.db part2.db" },
	{ "disk-info", "mpsim disk-info hdd-7200" },
	{ "list", "mpsim list" },
	{ "keys", "mpsim keys writeback" },
	{ "layout", "mpsim layout ext2-boundary --file a" },
	{ "replay", "mpsim replay --mode closed --depth 1 trace.csv hdd.ini" },
	{ "validate", "mpsim validate sda.blktrace.0 my-drive.ini --plot val/" },
};

static const char *example_of(const char *command)
{
	for (size_t i = 0; i < G_N_ELEMENTS(examples); i++)
		if (!strcmp(examples[i].command, command))
			return examples[i].example;
	return NULL;
}

/* Whether the arguments ask for help (before any "--"). */
static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return false;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help") ||
		    !strcmp(argv[i], "-?") || !strcmp(argv[i], "--help-all"))
			return true;
	}
	return false;
}

char *cli_help_text(GOptionContext *ctx, const char *command)
{
	char *glib = g_option_context_get_help(ctx, TRUE, NULL);
	GString *out = g_string_new("Usage:\n  mpsim ");
	const char *line, *close, *rest, *example = example_of(command);

	/*
	 * GLib's text starts "Usage:\n  PRGNAME [OPTION…] PARAMETERS\n",
	 * with "…" or "?" depending on the locale's charset: keep what
	 * follows the bracket and write the rest ourselves.
	 */
	line = strstr(glib, "\n  ");
	close = line ? strchr(line, ']') : NULL;
	rest = close ? close + 1 : "";
	g_string_append_printf(out, "%s [OPTION...]", command);
	g_string_append(out, rest);
	if (example && !strstr(rest, "Example"))
		g_string_append_printf(out, "%sExample:\n  %s\n",
				       g_str_has_suffix(out->str, "\n\n") ?
				       "" : "\n", example);
	g_free(glib);
	return g_string_free(out, FALSE);
}

bool cli_parse_options(GOptionContext *ctx, const char *command, int *argc,
		       char ***argv, GError **err)
{
	if (wants_help(*argc, *argv)) {
		char *text = cli_help_text(ctx, command);

		fputs(text, stdout);
		g_free(text);
		g_option_context_free(ctx);
		exit(fflush(stdout) || ferror(stdout) ? 1 : 0);
	}
	return g_option_context_parse(ctx, argc, argv, err);
}
