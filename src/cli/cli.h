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
int cmd_replay(int argc, char **argv);
int cmd_validate(int argc, char **argv);

/* cmd-replay.c: the options replay and validate share */
struct replay_cli {
	char *format, *at, *mode;
	gint depth;
	gdouble speed;
	gboolean plug;
	char *latencies;
	char **sets;
	char *trace_path;
};
struct replay_options;
#define REPLAY_CLI_ENTRIES 7
void replay_cli_entries(struct replay_cli *c, GOptionEntry *e);
/* Parse; expect TRACE [SCENARIO].  false (message printed) when bad. */
bool replay_cli_parse(const char *cmd, GOptionContext *ctx, int *argc,
		      char ***argv);
bool replay_cli_options(const char *cmd, const struct replay_cli *c,
			const char *trace, struct replay_options *o);
/* No output (database, text trace) is the trace itself; else a message. */
bool replay_cli_outputs_ok(const char *cmd, const char *trace,
			   const char *db_path, const char *trace_path);
/*
 * Every file a replay reads: the trace (and NAME.blktrace.N), the fio
 * latency log; for runner_job.inputs, so that no output is one of them.
 * NULL-terminated; free with g_strfreev().
 */
char **replay_cli_inputs(const char *trace, const struct replay_cli *c);
void replay_cli_free(struct replay_cli *c);

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

/*
 * The plots' options (plot-options.c): format "png,svg,pdf" (any
 * non-empty subset) and axis "sector" or "block" into po; NULL leaves
 * the field as it is.  false, with a message on stderr, when invalid.
 */
struct plot_options;
bool cli_plot_options(const char *cmd, const char *format, const char *axis,
		      struct plot_options *po);

#endif /* MPSIM_CLI_H */
