/*
 * block_dev.h - the rw_page fast path of block devices, and the block
 * device's own inode whose writeback writes metadata buffers
 * (fs/block_dev.c).
 */
#ifndef MPSIM_FS_BLOCK_DEV_H
#define MPSIM_FS_BLOCK_DEV_H

#include "include/kernel.h"

struct block_device;
struct buffer_head;
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

/*
 * The block device's inode for a filesystem of `blocksize` buffers that
 * writes its metadata: dirty buffers of the buffer cache dirty its pages,
 * and the flusher writes them.  Without it (the default), dirty buffers
 * reach the disk only when written explicitly.
 */
void bdev_writeback_init(struct block_device *bdev, unsigned blocksize);
void bdev_writeback_destroy(void);
/* mark_buffer_dirty() of a block device buffer (no page of its own) */
void bdev_buffer_page_dirty(struct buffer_head *bh);

#endif /* MPSIM_FS_BLOCK_DEV_H */
