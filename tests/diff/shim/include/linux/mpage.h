/* linux/mpage.h (shim) - the entry points of fs/mpage.c (renamed ref_*). */
#ifndef DIFF_SHIM_LINUX_MPAGE_H
#define DIFF_SHIM_LINUX_MPAGE_H
#include <linux/kernel.h>
#include <linux/mm.h>

struct writeback_control;

int mpage_readpages(struct address_space *mapping, struct list_head *pages,
		    unsigned nr_pages, get_block_t get_block);
int mpage_readpage(struct page *page, get_block_t get_block);
int mpage_writepages(struct address_space *mapping,
		     struct writeback_control *wbc, get_block_t get_block);
int mpage_writepage(struct page *page, get_block_t *get_block,
		    struct writeback_control *wbc);
#endif
