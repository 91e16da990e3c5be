/*
 * block_dev.h - the rw_page fast path of block devices (fs/block_dev.c).
 */
#ifndef MPSIM_FS_BLOCK_DEV_H
#define MPSIM_FS_BLOCK_DEV_H

#include "include/kernel.h"

struct block_device;
struct page;
struct writeback_control;

/* 0 when the device read the page itself; -EOPNOTSUPP without rw_page. */
int bdev_read_page(struct block_device *bdev, sector_t sector,
		   struct page *page);
/* 0 when the device wrote the page itself; -EOPNOTSUPP without rw_page. */
int bdev_write_page(struct block_device *bdev, sector_t sector,
		    struct page *page, struct writeback_control *wbc);

/*
 * blkdev_issue_flush() - block/blk-flush.c: an empty flush request
 * (REQ_OP_FLUSH, WRITE_SYNC), waited for.  The device model decides
 * what it costs.
 */
int blkdev_issue_flush(struct block_device *bdev);

#endif /* MPSIM_FS_BLOCK_DEV_H */
