/*
 * reader.h - the trace readers of src/replay, private to that folder.
 *
 * Each format's reader streams a trace as records, one request each, in
 * the order the trace issued them, keeping only what is still in flight
 * (memory is flat in the trace's length).  A reader that meets something
 * it cannot read fails with a REPLAY_ERROR naming the file and the line
 * (text formats) or byte offset (blktrace's binary).
 *
 * blktrace's binary stream and blkparse's text are both streams of
 * block-layer events; blkevents.c turns such events into records, so the
 * two readers only decode.
 */
#ifndef MPSIM_REPLAY_READER_H
#define MPSIM_REPLAY_READER_H

#include <stdio.h>
#include "replay/replay.h"

struct reader {
	const struct reader_ops *ops;
	const char *path;		/* for messages */
	bool at_dispatch;		/* blktrace: D events, not Q */
};

struct reader_ops {
	const char *name;		/* as --format spells it */
	/* true and *rec: a record; false and no *err: the end */
	bool (*next)(struct reader *r, struct replay_rec *rec, GError **err);
	void (*free)(struct reader *r);
	/* fio only: a completion-latency log to pair with the records */
	bool (*set_latencies)(struct reader *r, const char *path,
			      GError **err);
};

/* Each format's opener: path is the file (a base NAME for blktrace). */
struct reader *blktrace_reader_open(const char *path, bool at_dispatch,
				    GError **err);
struct reader *blkparse_reader_open(const char *path, bool at_dispatch,
				    GError **err);
struct reader *fio_reader_open(const char *path, GError **err);
struct reader *disksim_reader_open(const char *path, GError **err);
struct reader *csv_reader_open(const char *path, GError **err);

/* Does a file's start look like blktrace's binary stream? */
bool blktrace_magic_ok(const unsigned char *buf, size_t len);

/* --- lines.c: a text file read line by line, counted --- */
struct lines {
	FILE *f;
	const char *path;
	char *buf;
	size_t cap;
	uint64_t lineno;	/* of the line last read */
};

bool lines_open(struct lines *l, const char *path, GError **err);
/* The next line without its end (NULL at the end of the file). */
char *lines_next(struct lines *l, GError **err);
void lines_close(struct lines *l);
/* Fail naming the file and the current line. */
bool lines_fail(const struct lines *l, GError **err, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);
/* Split at blanks (and commas when `commas`), in place; up to max fields */
int lines_split(char *line, bool commas, char **fields, int max);
/* Whole decimal numbers: false when not one, or out of range */
bool rd_u64(const char *s, uint64_t *out);
bool rd_i64(const char *s, int64_t *out);
/* A decimal "S.FFFFFFFFF" (or "S") in units of 10^-scale, exactly */
bool rd_fixed(const char *s, int scale, int64_t *out);

/*
 * A text format read one record per line (lines.c): the format's parse
 * function returns -1 (error, *err set), 0 (line skipped), 1 (*rec is a
 * record) or 2 (rec->think_ns is a think time to add to the record
 * before).  One record is held back, so that a think time can still join
 * it.  The state is the format's own (zeroed, state_size bytes).
 */
struct line_reader;
typedef int (*line_parse_fn)(struct line_reader *lr, char *line,
			     struct replay_rec *rec, GError **err);
struct line_reader {
	struct reader base;
	struct lines l;
	line_parse_fn parse;
	struct replay_rec held;
	bool have_held, ended;
	uint64_t n;
	void *state;
};
struct reader *line_reader_open(const char *path, const struct reader_ops
				*ops, line_parse_fn parse, size_t state_size,
				GError **err);
bool line_reader_next(struct reader *r, struct replay_rec *rec,
		      GError **err);
void line_reader_free(struct reader *r);
/* A record with every optional field absent (-1). */
void replay_rec_init(struct replay_rec *rec);

/* --- blkevents.c: block-layer events to records --- */
enum blk_ev_kind {
	BLK_EV_QUEUE,		/* Q: a bio enters the block layer */
	BLK_EV_ISSUE,		/* D: a request goes to the device */
	BLK_EV_COMPLETE,	/* C: the device completes it */
	BLK_EV_REQUEUE,		/* R: the driver gives it back */
};

struct blk_ev {
	enum blk_ev_kind kind;
	int64_t time_ns;
	bool write, sync, meta, fua, preflush, ahead;
	uint64_t sector;
	uint32_t sectors;
	uint64_t where;		/* line or byte offset, for messages */
};

struct blkevents;
struct blkevents *blkevents_new(bool at_dispatch);
void blkevents_free(struct blkevents *b);
/* Feed one event. */
void blkevents_feed(struct blkevents *b, const struct blk_ev *ev);
/* A record ready to go out; `ended`: no more events will come. */
bool blkevents_pop(struct blkevents *b, bool ended, struct replay_rec *rec);

#endif /* MPSIM_REPLAY_READER_H */
