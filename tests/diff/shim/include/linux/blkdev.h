/* linux/blkdev.h (shim) - the block device and plugging (a no-op here). */
#ifndef DIFF_SHIM_LINUX_BLKDEV_H
#define DIFF_SHIM_LINUX_BLKDEV_H
#include <linux/kernel.h>
#include <linux/bio.h>

struct block_device {
	sector_t bd_nr_sectors;
};

struct blk_plug {
	int unused;
};

void blk_start_plug(struct blk_plug *plug);
void blk_finish_plug(struct blk_plug *plug);
#endif
