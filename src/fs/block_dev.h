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

#endif /* MPSIM_FS_BLOCK_DEV_H */
