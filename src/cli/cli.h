/*
 * cli.h - the commands of the mpsim program; each takes the arguments
 * after the program name (argv[0] is the command's name) and returns the
 * exit status.
 */
#ifndef MPSIM_CLI_H
#define MPSIM_CLI_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define EXIT_BAD_INPUT 2

/*
 * A command's options: as g_option_context_parse(), except that --help
 * prints cli_help_text() and exits 0.
 */
bool cli_parse_options(GOptionContext *ctx, const char *command, int *argc,
		       char ***argv, GError **err);
/* --help's text: "Usage: mpsim COMMAND [OPTION...] ...", options, example. */
char *cli_help_text(GOptionContext *ctx, const char *command);

int cmd_run(int argc, char **argv);
int cmd_disk_info(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_keys(int argc, char **argv);
int cmd_layout(int argc, char **argv);

/* ---- replications.c: what the commands that run scenarios share ---- */

struct runner_job;
struct adb;

/* The most --replications one command takes. */
#define CLI_MAX_REPLICATIONS 1000000

/*
 * --seed and --replications as GOption entries fill (seed -1 and
 * replications 1 when not given); checked and copied into a runner job's
 * fields.  false, with a message on stderr prefixed by `cmd`, when out of
 * range.
 */
bool cli_seed_replications(const char *cmd, int64_t seed, int replications,
			   struct runner_job *job);

/*
 * The figures of runs as compare and report print them: the statistics
 * of each variant when one has replications (analysis/experiment.h),
 * else one column per run (analysis/table.h); JSON as analysis/json.h.
 * f is an enum table_format.
 */
bool print_figures(FILE *out, struct adb *a, const GPtrArray *stats, int f,
		   GError **err);

#endif /* MPSIM_CLI_H */
