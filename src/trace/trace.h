/*
 * trace.h - the engine's tracepoints.
 *
 * Like the kernel's tracepoints, the engine announces what happens through
 * one small interface and never knows who listens.  The SQLite log, the
 * text trace and the progress line are listeners.  Events carry plain
 * values (numbers and strings), never pointers into engine structures, so
 * a listener needs no engine header but this one.
 *
 * The strings and arrays in an event are valid only during the call.
 */
#ifndef MPSIM_TRACE_H
#define MPSIM_TRACE_H

#include <stdbool.h>
#include <stdint.h>

enum trace_kind {
	TRACE_BIO,		/* a bio enters the block layer ("queue"),
				 * or a part is split off one ("split") */
	TRACE_REQUEST,		/* a request: "insert", "dispatch", "complete" */
	TRACE_NOTE,		/* anything else: fallback, meta read, ... */
};

#define TRACE_NONE (-1)		/* an absent numeric field */

/*
 * The engine's PAGE_SIZE, in bytes and in 512-byte sectors (plain numbers:
 * the database's views are written with them).  A vector of a whole page
 * is (page, 0, TRACE_PAGE_SIZE).
 */
#define TRACE_PAGE_SIZE 4096
#define TRACE_PAGE_SECTORS 8

/* One vector of a bio: a part of a page. */
struct trace_bvec {
	int64_t page;		/* file page index, TRACE_NONE for others */
	uint32_t offset;	/* bytes into the page */
	uint32_t len;		/* bytes */
};

/* A bio as submit_bio() saw it. */
struct trace_bio {
	uint64_t seq;		/* 1, 2, ... in submission order */
	int task;		/* task id, 0 for none */
	const char *task_name;
	const char *op;		/* RWBS: "R", "W", "WS", ... */
	uint64_t sector;
	uint32_t sectors;
	const char *origin;	/* "mpage", "buffer", "meta", "replay" or
				 * "flush" */
	const char *file;	/* file name, or NULL for metadata */
	const int64_t *pages;	/* page indexes carried (file pages) */
	uint32_t npages;
	int64_t block;		/* fs block for meta bios, else TRACE_NONE */
	uint64_t parent;	/* "split": the bio it was cut from; else 0 */
	int error;		/* "end": the bio's error, 0 or -errno */
	/* the vectors the bio (or the split part) covers, in order */
	const struct trace_bvec *bvecs;
	uint32_t nbvecs;
};

/* A request at the block layer or the device. */
struct trace_request {
	uint64_t seq;		/* 1, 2, ... in creation order */
	const char *op;
	uint64_t sector;
	uint32_t sectors;
	int64_t queue_ns;	/* first bio entered the block layer */
	int64_t insert_ns;	/* reached the elevator */
	int64_t dispatch_ns;	/* handed to the device */
	int64_t complete_ns;	/* completion reported */
	int64_t overhead_ns, seek_ns, rotation_ns, transfer_ns;
	int64_t seek_cylinders;
	int cache_hit;
	int depth;		/* commands in the device, counting this one */
	int error;		/* 0 or -errno */
	const uint64_t *bios;	/* seqs of the bios it carries */
	uint32_t nbios;
	uint32_t merges;	/* bios and requests merged into it */
};

/*
 * Anything else.  `action` names it (fallback, meta_read, zero, plug,
 * unplug, merge, rw_page, cleancache_hit, task_start, task_end, ...); the
 * other fields are TRACE_NONE / NULL when they do not apply.
 */
struct trace_note {
	int task;
	const char *task_name;
	const char *file;
	int64_t page;
	int64_t block;
	int64_t sector;
	int64_t sectors;
	int64_t offset;		/* byte offset in the page */
	int64_t value;		/* a count or length, by action */
	const char *reason;	/* a word: fallback reason, merge kind, ... */
	/* readahead: the window (file_ra_state) and whether async */
	int64_t ra_start, ra_size, ra_async_size, ra_async;
	/*
	 * "merge" of a bio into a request, "plug" of a request made from a
	 * bio: the bio's seq; else 0
	 */
	uint64_t bio;
};

struct trace_event {
	enum trace_kind kind;
	const char *action;
	int64_t time_ns;
	union {
		struct trace_bio bio;
		struct trace_request rq;
		struct trace_note note;
	};
};

struct trace_listener {
	void (*event)(void *ctx, const struct trace_event *ev);
	void *ctx;
};

/* Listeners are called in the order they were added. */
void trace_add_listener(const struct trace_listener *l);
void trace_clear_listeners(void);
/* True when anybody listens: the engine may skip building events. */
bool trace_enabled(void);
void trace_emit(const struct trace_event *ev);

/* A note of the running task (if any) with every other field empty. */
struct trace_note trace_note_init(void);
/* Emit a note stamped with the current simulated time. */
void trace_note(const char *action, const struct trace_note *n);

#endif /* MPSIM_TRACE_H */
