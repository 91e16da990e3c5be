/*
 * readahead.h - file readahead as Linux 4.9 does it (mm/readahead.c):
 * the per-open-file window state, the on-demand algorithm that sizes and
 * moves the window, and read_pages(), the one place that hands a list of
 * new pages to ->readpages inside a plug.
 *
 * The buffered read loop that drives it (do_generic_file_read) is in
 * mm/filemap.c, as in the kernel.
 */
#ifndef MPSIM_MM_READAHEAD_H
#define MPSIM_MM_READAHEAD_H

#include "include/kernel.h"
#include "include/list.h"

struct address_space;
struct page;

/* VM_MAX_READAHEAD (128 KiB) in 4 KiB pages: the default ra_pages. */
#define VM_MAX_READAHEAD_PAGES 32

/* struct file_ra_state - include/linux/fs.h: one per open file. */
struct file_ra_state {
	pgoff_t start;			/* where the window starts */
	unsigned int size;		/* # of readahead pages */
	unsigned int async_size;	/* start the next window when only
					 * this many pages are left */
	unsigned int ra_pages;		/* maximum window */
	unsigned int mmap_miss;		/* (mmap only; kept for shape) */
	loff_t prev_pos;		/* byte after the last read, -1 first */
};

/* file_ra_state_init() - mm/readahead.c, with the queue's ra_pages. */
void file_ra_state_init(struct file_ra_state *ra, unsigned int ra_pages);

/* A miss at `offset`; req_size is the rest of the read(2) in pages. */
void page_cache_sync_readahead(struct address_space *mapping,
			       struct file_ra_state *ra, pgoff_t offset,
			       unsigned long req_size);
/* `page` at `offset` carries PG_readahead: start the next window. */
void page_cache_async_readahead(struct address_space *mapping,
				struct file_ra_state *ra, struct page *page,
				pgoff_t offset, unsigned long req_size);

/*
 * read_pages() - mm/readahead.c: ->readpages over `pages` (new pages not in
 * the cache, lowest index at pages->prev) inside a plug; pages left on the
 * list afterwards are released.
 */
int read_pages(struct address_space *mapping, struct list_head *pages,
	       unsigned int nr_pages);

#endif /* MPSIM_MM_READAHEAD_H */
