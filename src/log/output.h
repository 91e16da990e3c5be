/*
 * output.h - the files mpsim writes: never one of its inputs, and whole
 * or not at all (docs/hacking.md, "Writing files"; docs/robustness.md).
 *
 * A command first lists the files it reads (struct out_inputs), then
 * checks every output against them (out_check), all before it creates or
 * truncates anything.  Each file is then written through an out_file:
 * into a temporary file beside the target, every write checked, flushed,
 * synced and closed, and renamed onto the target only when the command
 * commits; on any failure the temporary file is removed and the target is
 * left as it was.  Standard output ("-") and special files (a terminal,
 * /dev/null, a FIFO) are written in place, with the same checks.  The
 * signals that would end a command mid-write are handled here as well:
 * SIGPIPE and SIGXFSZ become failed writes, SIGINT and SIGTERM a flag the
 * command checks before it cleans up.
 */
#ifndef MPSIM_LOG_OUTPUT_H
#define MPSIM_LOG_OUTPUT_H

#include <glib.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#define OUT_ERROR (g_quark_from_static_string("mpsim-output-error"))
/* OUT_ERROR codes: a refused output is bad input (exit status 2), a
 * failed write is the machinery's (exit status 1). */
enum { OUT_ERROR_REFUSED, OUT_ERROR_WRITE };

/*
 * Ignore SIGPIPE and SIGXFSZ for the process, so that a closed pipe or
 * the file size limit (ulimit -f) fail the write that meets them (EPIPE,
 * EFBIG) instead of killing mpsim mid-way; and open /dev/null on any of
 * descriptors 0-2 that is closed, so that no file mpsim opens becomes
 * its standard output.  Called once by main().
 */
void out_init(void);

/*
 * While a command writes: SIGINT and SIGTERM handled by fn, which should
 * only set a flag that the command checks, so that it can remove what it
 * has not finished and end with 128 + the signal (no SA_RESTART: a wait
 * returns EINTR).  fn NULL: a handler that keeps the signal for
 * out_signal() (0 until one comes).  The handlers they had are kept, and
 * given back by out_restore_signals().
 */
void out_catch_signals(void (*fn)(int), struct sigaction *old_int,
		       struct sigaction *old_term);
int out_signal(void);
/* The same, for code that polls a flag (merge_runs_until()). */
const volatile sig_atomic_t *out_signal_flag(void);
void out_restore_signals(const struct sigaction *old_int,
			 const struct sigaction *old_term);

/* The files a command reads, by identity (device and inode). */
struct out_inputs;

struct out_inputs *out_inputs_new(void);
void out_inputs_free(struct out_inputs *in);
/*
 * Add an input, following links; `role` names it in messages ("the
 * scenario", "the database").  A path that does not exist is left out
 * (it cannot be overwritten; reading it will report it).
 */
void out_inputs_add(struct out_inputs *in, const char *path,
		    const char *role);
/*
 * A database: the file, and the names of the files SQLite keeps beside it
 * during a write (-journal, -wal, -shm), whether they exist now or not.
 */
void out_inputs_add_db(struct out_inputs *in, const char *path,
		       const char *role);

/*
 * Check an output path before anything is written: refused (OUT_ERROR_
 * REFUSED) when it is, after following links, the same file as an input
 * or as an output checked before (also one not created yet), a folder, or
 * a dangling link.  `what` names the option ("--trace").  A checked
 * output is remembered, so that two outputs cannot be one file.
 * "-" (standard output) is checked with out_check_stdout().
 */
bool out_check(struct out_inputs *in, const char *path, const char *what,
	       GError **err);
/* Standard output, when it is redirected to a file that is an input. */
bool out_check_stdout(const struct out_inputs *in, const char *what,
		      GError **err);

/* One output being written. */
struct out_file;

/*
 * Start writing `path` ("-": standard output).  A regular file (or a
 * name that does not exist yet) is written to "<folder>/.<name>.XXXXXX"
 * and renamed at out_file_commit(); the target itself is not touched
 * until then.  Binary and text are the same on the systems mpsim runs on.
 */
struct out_file *out_file_open(const char *path, GError **err);
FILE *out_file_stream(struct out_file *o);
/* The name given to out_file_open(). */
const char *out_file_path(const struct out_file *o);
/* Has a write failed so far (a full disk, EFBIG, EPIPE)? */
bool out_file_failed(const struct out_file *o);
/*
 * Flush and check every write so far, sync and close the temporary file:
 * after this only the rename is left.  false + *err (OUT_ERROR_WRITE,
 * naming the file and the cause) when anything failed.
 */
bool out_file_finish(struct out_file *o, GError **err);
/* Finish if not yet done, then rename onto the target; frees o. */
bool out_file_commit(struct out_file *o, GError **err);
/* Remove the temporary file and free o (NULL: nothing). */
void out_file_abort(struct out_file *o);

/* A whole file from memory, through an out_file. */
bool out_write_contents(const char *path, const void *data, size_t len,
			GError **err);

#endif /* MPSIM_LOG_OUTPUT_H */
