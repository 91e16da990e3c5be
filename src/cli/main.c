/*
 * main.c - the mpsim command line: one function per command, each in its
 * own cmd-*.c file, chosen from the table below.
 *
 * Exit status, for every command: 0 success, 1 a failure of the machinery
 * (database, output file), 2 bad input (options, scenario, an output that
 * is an input), 128 + signal when interrupted (docs/robustness.md).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "log/output.h"

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "run", cmd_run, "simulate a scenario and log it to SQLite" },
	{ "disk-info", cmd_disk_info, "print a disk preset's parameters" },
	{ "compare", cmd_compare, "run variants of a scenario, compare them" },
	{ "report", cmd_report, "the figures of runs in a database" },
	{ "plot", cmd_plot, "draw runs with gnuplot" },
	{ "export", cmd_export, "a run as blktrace binary or CSV" },
	{ "sweep", cmd_sweep, "run a grid of variants in parallel" },
	{ "merge", cmd_merge, "combine databases, renumbering runs" },
	{ "list", cmd_list, "list the bundled scenarios" },
	{ "keys", cmd_keys, "list every scenario key: type, unit, default" },
	{ "layout", cmd_layout, "print files' block maps, as filefrag -v" },
	{ "replay", cmd_replay, "replay a block trace through a disk" },
	{ "validate", cmd_validate, "compare a trace's service times with "
	  "the model's" },
};

static void usage(FILE *out)
{
	fputs("Usage: mpsim COMMAND [OPTIONS]\n"
	      "\n"
	      "A deterministic simulator of the Linux 4.9 block I/O path:\n"
	      "fs/mpage.c, ext2 mapping, the block layer and a disk.\n"
	      "\n"
	      "Commands:\n", out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-12s %s\n", commands[i].name,
			commands[i].summary);
	fputs("\nRun 'mpsim COMMAND --help' for a command's options.\n", out);
}

int main(int argc, char **argv)
{
	out_init();	/* a failed write is reported, not fatal */
	if (argc < 2) {
		usage(stderr);
		return EXIT_BAD_INPUT;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		puts(PACKAGE_STRING);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "mpsim: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return EXIT_BAD_INPUT;
}
