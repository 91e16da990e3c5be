/*
 * mpage.h - multi-page bios for page cache reads (fs/mpage.c, 4.9).
 */
#ifndef MPSIM_FS_MPAGE_H
#define MPSIM_FS_MPAGE_H

#include "fs/fs.h"

int mpage_readpages(struct address_space *mapping, struct list_head *pages,
		    unsigned nr_pages, get_block_t get_block);
int mpage_readpage(struct page *page, get_block_t get_block);

#endif /* MPSIM_FS_MPAGE_H */
