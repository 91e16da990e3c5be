/*
 * cli.h - the commands of the mpsim program; each takes the arguments
 * after the program name (argv[0] is the command's name) and returns the
 * exit status.
 */
#ifndef MPSIM_CLI_H
#define MPSIM_CLI_H

#include <glib.h>
#include <stdbool.h>

#define EXIT_BAD_INPUT 2

int cmd_run(int argc, char **argv);
int cmd_disk_info(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_merge(int argc, char **argv);
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
void replay_cli_free(struct replay_cli *c);

#endif /* MPSIM_CLI_H */
