/*
 * cli.h - the commands of the mpsim program; each takes the arguments
 * after the program name (argv[0] is the command's name) and returns the
 * exit status.
 */
#ifndef MPSIM_CLI_H
#define MPSIM_CLI_H

#define EXIT_BAD_INPUT 2

int cmd_run(int argc, char **argv);
int cmd_disk_info(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_merge(int argc, char **argv);

#endif /* MPSIM_CLI_H */
