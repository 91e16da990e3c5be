/*
 * linux/writeback.h (shim) - struct writeback_control (the fields 4.9's
 * write_cache_pages() and fs/mpage.c read) and the write-side calls of
 * fs/mpage.c, implemented in tests/diff/ref-shim.c.
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
	long pages_skipped;
	loff_t range_start;
	loff_t range_end;
	enum writeback_sync_modes sync_mode;
	unsigned tagged_writepages:1;
	unsigned range_cyclic:1;
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
