/*
 * blktrace_api.h - the record format of Linux's blktrace
 * (include/uapi/linux/blktrace_api.h, Linux 4.9): what `mpsim export
 * --format blktrace` writes and what `mpsim replay` reads back.
 *
 * A trace is a stream of 48-byte records, each followed by pdu_len bytes
 * of payload, in the byte order of the machine that wrote it (the magic
 * tells which).  The category bits sit in the top 16 bits of `action`,
 * the action itself in the low 16.
 */
#ifndef MPSIM_INCLUDE_BLKTRACE_API_H
#define MPSIM_INCLUDE_BLKTRACE_API_H

#include <stdint.h>

/* enum blktrace_cat */
enum {
	BLK_TC_READ = 1 << 0,
	BLK_TC_WRITE = 1 << 1,
	BLK_TC_FLUSH = 1 << 2,
	BLK_TC_SYNC = 1 << 3,
	BLK_TC_QUEUE = 1 << 4,
	BLK_TC_REQUEUE = 1 << 5,
	BLK_TC_ISSUE = 1 << 6,
	BLK_TC_COMPLETE = 1 << 7,
	BLK_TC_FS = 1 << 8,
	BLK_TC_PC = 1 << 9,
	BLK_TC_NOTIFY = 1 << 10,
	BLK_TC_AHEAD = 1 << 11,
	BLK_TC_META = 1 << 12,
	BLK_TC_DISCARD = 1 << 13,
	BLK_TC_DRV_DATA = 1 << 14,
	BLK_TC_FUA = 1 << 15,
};
#define BLK_TC_SHIFT 16
#define BLK_TC_ACT(act) ((uint32_t)(act) << BLK_TC_SHIFT)

/* enum blktrace_act */
enum {
	__BLK_TA_QUEUE = 1,
	__BLK_TA_BACKMERGE,
	__BLK_TA_FRONTMERGE,
	__BLK_TA_GETRQ,
	__BLK_TA_SLEEPRQ,
	__BLK_TA_REQUEUE,
	__BLK_TA_ISSUE,
	__BLK_TA_COMPLETE,
	__BLK_TA_PLUG,
	__BLK_TA_UNPLUG_IO,
	__BLK_TA_UNPLUG_TIMER,
	__BLK_TA_INSERT,
	__BLK_TA_SPLIT,
	__BLK_TA_BOUNCE,
	__BLK_TA_REMAP,
	__BLK_TA_ABORT,
	__BLK_TA_DRV_DATA,
};

#define BLK_TA_QUEUE (__BLK_TA_QUEUE | BLK_TC_ACT(BLK_TC_QUEUE))
#define BLK_TA_BACKMERGE (__BLK_TA_BACKMERGE | BLK_TC_ACT(BLK_TC_QUEUE))
#define BLK_TA_FRONTMERGE (__BLK_TA_FRONTMERGE | BLK_TC_ACT(BLK_TC_QUEUE))
#define BLK_TA_GETRQ (__BLK_TA_GETRQ | BLK_TC_ACT(BLK_TC_QUEUE))
#define BLK_TA_INSERT (__BLK_TA_INSERT | BLK_TC_ACT(BLK_TC_QUEUE))
#define BLK_TA_PLUG (__BLK_TA_PLUG | BLK_TC_ACT(BLK_TC_QUEUE))
#define BLK_TA_UNPLUG_IO (__BLK_TA_UNPLUG_IO | BLK_TC_ACT(BLK_TC_QUEUE))
#define BLK_TA_UNPLUG_TIMER (__BLK_TA_UNPLUG_TIMER | BLK_TC_ACT(BLK_TC_QUEUE))
#define BLK_TA_ISSUE (__BLK_TA_ISSUE | BLK_TC_ACT(BLK_TC_ISSUE))
#define BLK_TA_COMPLETE (__BLK_TA_COMPLETE | BLK_TC_ACT(BLK_TC_COMPLETE))

/* enum blktrace_notify: BLK_TN_PROCESS names the process of a pid */
#define BLK_TN_PROCESS 0

#define BLK_IO_TRACE_MAGIC 0x65617400
#define BLK_IO_TRACE_VERSION 0x07

struct blk_io_trace {
	uint32_t magic;		/* MAGIC << 8 | version */
	uint32_t sequence;
	uint64_t time;		/* in nanoseconds */
	uint64_t sector;
	uint32_t bytes;
	uint32_t action;	/* what happened */
	uint32_t pid;
	uint32_t device;	/* device number */
	uint32_t cpu;
	uint16_t error;
	uint16_t pdu_len;
};
_Static_assert(sizeof(struct blk_io_trace) == 48, "blk_io_trace size");

#endif /* MPSIM_INCLUDE_BLKTRACE_API_H */
