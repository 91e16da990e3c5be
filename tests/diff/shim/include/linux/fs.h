/* linux/fs.h (shim) - inodes and mappings live in linux/mm.h. */
#ifndef DIFF_SHIM_LINUX_FS_H
#define DIFF_SHIM_LINUX_FS_H
#include <linux/kernel.h>
#include <linux/mm.h>

struct block_device;

int bdev_read_page(struct block_device *bdev, sector_t sector,
		   struct page *page);
int bdev_write_page(struct block_device *bdev, sector_t sector,
		    struct page *page, struct writeback_control *wbc);
#endif
