/*
 * linux/writeback.h (shim) - writeback_control and the write-side calls of
 * fs/mpage.c.  Writes are not compared yet: the shim's write functions
 * abort if reached.
 */
#ifndef DIFF_SHIM_LINUX_WRITEBACK_H
#define DIFF_SHIM_LINUX_WRITEBACK_H
#include <linux/kernel.h>
#include <linux/mm.h>

struct bio;

enum writeback_sync_modes {
	WB_SYNC_NONE,
	WB_SYNC_ALL,
};

struct writeback_control {
	long nr_to_write;
	enum writeback_sync_modes sync_mode;
};

typedef int (*writepage_t)(struct page *page, struct writeback_control *wbc,
			   void *data);

int generic_writepages(struct address_space *mapping,
		       struct writeback_control *wbc);
int write_cache_pages(struct address_space *mapping,
		      struct writeback_control *wbc, writepage_t writepage,
		      void *data);
void wbc_init_bio(struct writeback_control *wbc, struct bio *bio);
void wbc_account_io(struct writeback_control *wbc, struct page *page,
		    size_t bytes);
#endif
