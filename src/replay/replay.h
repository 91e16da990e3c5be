/*
 * replay.h - trace-driven runs: requests recorded on a real machine (or
 * written by hand) enter the block layer as bios, below the page cache
 * and mpage, and go through plugging, merging, the elevator and the disk
 * model of a scenario built by the run layer like any other run.
 *
 * A trace is read as a stream of records (one request each) by the reader
 * of its format (src/replay/ *.c, one file per format); replay.c issues
 * them in simulated time, open loop (at the recorded times) or closed loop
 * (a fixed number outstanding, each next one a think time after a
 * completion).  `mpsim replay` and `mpsim validate` drive it through the
 * runner (src/analysis/runner.c), so a replay is logged like a run, its
 * bios with origin "replay".  docs/replay.md describes formats and modes.
 */
#ifndef MPSIM_REPLAY_H
#define MPSIM_REPLAY_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include "include/kernel.h"

struct world;
struct scenario;

#define REPLAY_ERROR (g_quark_from_static_string("mpsim-replay-error"))

/* One request of a trace. */
struct replay_rec {
	uint64_t n;		/* 1, 2, ... in trace order */
	uint64_t where;		/* its line, or byte offset, in the trace */
	int64_t time_ns;	/* recorded issue time, or -1 */
	int64_t think_ns;	/* think time after its completion, or -1 */
	int64_t complete_ns;	/* recorded completion, or -1 */
	int64_t service_ns;	/* recorded service time (D to C), or -1 */
	enum req_op op;		/* REQ_OP_READ or REQ_OP_WRITE */
	unsigned flags;		/* REQ_SYNC, REQ_META, REQ_FUA, ... */
	uint64_t sector;
	uint32_t sectors;
};

enum replay_format {
	REPLAY_FORMAT_AUTO,	/* detect from the content */
	REPLAY_FORMAT_BLKTRACE,
	REPLAY_FORMAT_BLKPARSE,
	REPLAY_FORMAT_FIO,
	REPLAY_FORMAT_DISKSIM,
	REPLAY_FORMAT_CSV,
};

enum replay_mode {
	REPLAY_MODE_DEFAULT,	/* open when the trace has times */
	REPLAY_MODE_OPEN,
	REPLAY_MODE_CLOSED,
};

/* "blktrace", "blkparse", "fio", "disksim", "csv"; false if unknown */
bool replay_format_parse(const char *name, enum replay_format *out);

/* A trace opened for reading (the format detected unless forced). */
struct replay_source;
struct replay_source *replay_source_open(const char *path,
					 enum replay_format format,
					 bool at_dispatch, GError **err);
bool replay_source_next(struct replay_source *src, struct replay_rec *rec,
			GError **err);
/* Pair a fio iolog's records with fio's completion-latency log. */
bool replay_source_set_latencies(struct replay_source *src,
				 const char *path, GError **err);
const char *replay_source_format(const struct replay_source *src);
/* What rec.where counts: "line" or "byte offset". */
const char *replay_source_where(const struct replay_source *src);
void replay_source_free(struct replay_source *src);

struct replay_options {
	const char *trace;
	enum replay_format format;
	bool at_dispatch;	/* blktrace: issue at D events, not Q */
	enum replay_mode mode;
	unsigned depth;		/* closed loop: requests outstanding (>= 1) */
	double speed;		/* open loop: time scale (> 0; 2 = twice as
				 * fast) */
	/*
	 * Read and check the whole trace before the run, so that a bad
	 * trace stops it before anything is written (else each record is
	 * checked as it is read, and a bad one fails the run at its end:
	 * enough when the run writes nothing).
	 */
	bool precheck;
	/*
	 * Submit from a task ("replay") that holds a plug around the
	 * requests issued at one simulated time (with block.plug on, the
	 * default): they meet in the plug, are sorted and merged there as a
	 * task's bios are.  Without it the bios are submitted outside any
	 * task, unplugged.
	 */
	bool plug;
	const char *latencies;	/* fio's completion-latency log, or NULL */
};

/*
 * Called at each replayed request's end with its record and the simulated
 * dispatch and completion of the request that carried it.
 */
typedef void (*replay_done_fn)(void *arg, const struct replay_rec *rec,
			       int64_t dispatch_ns, int64_t complete_ns);

struct replay;
struct replay *replay_new(const struct replay_options *o);
void replay_set_done(struct replay *r, replay_done_fn fn, void *arg);
/*
 * The runner's hook (runner_job.setup): read the whole trace once to
 * check it against the built world's device (nothing is simulated or
 * written when it fails: REPLAY_ERROR naming line or offset), note the
 * replay's options in the scenario's effective options, and schedule the
 * first request.  ctx is the struct replay.
 */
bool replay_setup(void *ctx, struct world *w, struct scenario *s,
		  GError **err);
/* The runner's finish hook: a read error met during the run. */
bool replay_finish(void *ctx, GError **err);
/*
 * The listener that gives replay_done_fn the simulated times; add it to
 * the run (runner_job.extra) when a done function is set.
 */
struct trace_listener;
void replay_listener(struct replay *r, struct trace_listener *l);
/* Records in the trace, and those with a recorded service time (after
 * setup, with precheck); requests issued and completed (after the run). */
uint64_t replay_records(const struct replay *r);
uint64_t replay_recorded_services(const struct replay *r);
uint64_t replay_issued(const struct replay *r);
uint64_t replay_completed(const struct replay *r);
void replay_free(struct replay *r);

#endif /* MPSIM_REPLAY_H */
