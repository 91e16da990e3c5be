/*
 * mpage.h - multi-page bios for page cache reads and writeback
 * (fs/mpage.c, 4.9).
 */
#ifndef MPSIM_FS_MPAGE_H
#define MPSIM_FS_MPAGE_H

#include "fs/fs.h"

int mpage_readpages(struct address_space *mapping, struct list_head *pages,
		    unsigned nr_pages, get_block_t get_block);
int mpage_readpage(struct page *page, get_block_t get_block);

struct writeback_control;

int mpage_writepages(struct address_space *mapping,
		     struct writeback_control *wbc, get_block_t get_block);
/* -EAGAIN when the page cannot go in a bio (the caller falls back). */
int mpage_writepage(struct page *page, get_block_t get_block,
		    struct writeback_control *wbc);

#endif /* MPSIM_FS_MPAGE_H */
