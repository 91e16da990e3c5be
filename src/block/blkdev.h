/*
 * blkdev.h - the block layer's public interface: block devices, request
 * queues, per-task plugging (include/linux/blkdev.h in miniature).
 *
 * A bio enters through submit_bio(), becomes (or joins) a request, waits in
 * the task's plug and then the elevator, and is dispatched to the device
 * model (src/disk) by the driver glue; the device's completion ends every
 * bio of the request.
 */
#ifndef MPSIM_BLOCK_BLKDEV_H
#define MPSIM_BLOCK_BLKDEV_H

#include <glib.h>
#include "include/kernel.h"
#include "block/bio.h"
#include "block/blk-fault.h"
#include "include/list.h"
#include "sim/sched.h"

struct disk;
struct request_queue;

struct block_device {
	struct request_queue *bd_queue;
	struct disk *bd_disk;
	sector_t bd_nr_sectors;
	void *bd_buffers;	/* the buffer cache; owned by fs/buffer.c */
};

/*
 * Block-layer options, from the scenario's [block] group (the tunables a
 * 4.9 system has in /sys/block/DEV/queue and .../queue/iosched).  Each key
 * is parsed and checked here, so that an error names the key at fault.
 * docs/block-layer.md lists them with defaults and units.
 */
enum blk_elevator {
	BLK_ELV_DEADLINE,
	BLK_ELV_NOOP,
	BLK_ELV_CFQ,		/* the default, as 4.9's Kconfig */
};

/* CFQ's tunables (/sys/block/DEV/queue/iosched/ under cfq), 4.9's names */
struct blk_cfq_options {
	unsigned quantum;		/* 8 */
	int64_t fifo_expire_ns[2];	/* async 250 ms, sync 125 ms */
	unsigned back_seek_max;		/* KiB, 16384 */
	unsigned back_seek_penalty;	/* 2 */
	int64_t slice_ns[2];		/* async 40 ms, sync 100 ms */
	unsigned slice_async_rq;	/* 2 */
	int64_t slice_idle_ns;		/* 8 ms (0 on a non-rotational
					 * device unless set) */
	bool slice_idle_set;		/* given in the scenario */
	int64_t group_idle_ns;		/* 0 without blkcg groups */
	bool low_latency;		/* on */
	int64_t target_latency_ns;	/* 300 ms */
};

struct blk_options {
	bool plug;		/* per-task plugging (4.9 default: on) */
	enum blk_elevator elevator;
	unsigned nr_requests;	/* request pool per direction class (128) */
	unsigned max_sectors_kb;	/* largest request, KiB (1280) */
	unsigned max_segments;	/* segments per request (128) */
	unsigned nomerges;	/* 0 all merges, 1 one-hit cache only, 2 none */
	/* deadline */
	int64_t read_expire_ns;	/* 500 ms */
	int64_t write_expire_ns;	/* 5 s */
	unsigned fifo_batch;	/* 16 */
	unsigned writes_starved;	/* 2 */
	bool front_merges;	/* on */
	struct blk_cfq_options cfq;	/* [block.cfq] */
	uint64_t *fail_bio_alloc;	/* sorted ordinals of failing
					 * bio_alloc() calls (fault injection) */
	unsigned nr_fail_bio_alloc;
	struct blk_fault fault;		/* [fault]: requests the device fails */
};

void blk_options_init(struct blk_options *opt);
void blk_options_clear(struct blk_options *opt);
/* false + *err (naming the key) on an unknown key or a bad value */
bool blk_options_set(struct blk_options *opt, const char *key,
		     const char *value, GError **err);
/* Every effective option as (key, value) text, in a fixed order. */
void blk_options_foreach(const struct blk_options *opt,
			 void (*fn)(const char *key, const char *value,
				    void *arg), void *arg);

struct blk_plug {
	struct list_head list;	/* struct request, in plug order */
};

struct block_device *blk_device_new(struct disk *disk,
				    const struct blk_options *opt);
void blk_device_free(struct block_device *bdev);

/* blk_start_plug/blk_finish_plug: no-ops when block.plug is off. */
void blk_start_plug(struct blk_plug *plug);
void blk_finish_plug(struct blk_plug *plug);
/* Flush the plug of a task about to sleep (from_schedule). */
void blk_schedule_flush_plug(struct task *t);

/* Where submit_bio() hands a bio over (generic_make_request). */
void generic_make_request(struct bio *bio);

/*
 * The sync (read) class of the device's request list is congested
 * (blk_set_congested); what inode_read_congested() asks.
 */
bool blk_read_congested(const struct block_device *bdev);

/* Requests created, dispatched and completed so far (for reports). */
struct blk_stats {
	uint64_t requests, dispatched, completed, bios;
	simtime_t last_complete_ns;	/* when the last request completed */
};
void blk_get_stats(const struct block_device *bdev, struct blk_stats *st);
/* True when nothing is queued, plugged or in flight. */
bool blk_idle(const struct block_device *bdev);

#endif /* MPSIM_BLOCK_BLKDEV_H */
