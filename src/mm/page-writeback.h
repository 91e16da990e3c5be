/*
 * page-writeback.h - writeback control and the walk over a mapping's dirty
 * pages (include/linux/writeback.h, mm/page-writeback.c, 4.9).
 */
#ifndef MPSIM_MM_PAGE_WRITEBACK_H
#define MPSIM_MM_PAGE_WRITEBACK_H

#include "include/kernel.h"
#include "mm/filemap.h"

/*
 * The radix tree's TOWRITE tag, kept as a page flag after the page flags
 * of filemap.h (the DIRTY tag is PG_dirty itself).
 */
#define PG_towrite (PG_reclaim + 1)

#define LLONG_MAX_LOFF ((loff_t)INT64_MAX)
#define PAGEVEC_SIZE 14

enum writeback_sync_modes {
	WB_SYNC_NONE,	/* Don't wait on anything */
	WB_SYNC_ALL,	/* Wait on every mapping */
};

/* struct writeback_control - include/linux/writeback.h */
struct writeback_control {
	long nr_to_write;		/* Write this many pages, and decrement
					   this for each page written */
	long pages_skipped;		/* Pages which were not written */
	loff_t range_start;		/* byte range for !range_cyclic */
	loff_t range_end;
	enum writeback_sync_modes sync_mode;
	unsigned for_kupdate:1;		/* A kupdate writeback */
	unsigned for_background:1;	/* A background writeback */
	unsigned tagged_writepages:1;	/* tag-and-write to avoid livelock */
	unsigned range_cyclic:1;	/* range_start is cyclic */
	unsigned for_sync:1;		/* sync(2) WB_SYNC_ALL writeback */
};

typedef int (*writepage_t)(struct page *page, struct writeback_control *wbc,
			   void *data);

int write_cache_pages(struct address_space *mapping,
		      struct writeback_control *wbc, writepage_t writepage,
		      void *data);
int generic_writepages(struct address_space *mapping,
		       struct writeback_control *wbc);
int do_writepages(struct address_space *mapping,
		  struct writeback_control *wbc);
void tag_pages_for_writeback(struct address_space *mapping, pgoff_t start,
			     pgoff_t end);

/* Page state changes that writeback accounts for. */
bool clear_page_dirty_for_io(struct page *page);
void set_page_writeback(struct page *page);
void redirty_page_for_writepage(struct writeback_control *wbc,
				struct page *page);
/* __set_page_dirty_nobuffers(): true when the page was clean before. */
bool __set_page_dirty_nobuffers(struct page *page);
/* account_page_dirtied(): count the page, put its inode on the dirty list */
void account_page_dirtied(struct page *page);

/* Dirty pages in the whole system (global_node_page_state(NR_FILE_DIRTY)). */
unsigned long global_dirty_pages(void);
void writeback_counters_reset(void);

/*
 * The vm.dirty_* sysctls the dirty limits follow (a scenario's
 * [writeback]), and the dirtyable memory they apply to.
 */
struct dirty_options {
	unsigned dirty_ratio;			/* 20 */
	unsigned dirty_background_ratio;	/* 10 */
	/* as dirty_background_bytes, in pages: 0 takes the ratio */
	unsigned long dirty_background_pages;
	unsigned long memory_pages;		/* dirtyable memory */
};

void dirty_options_init(struct dirty_options *opt);
/* Counters, limits and the bandwidth estimate for a run about to start. */
void page_writeback_init(const struct dirty_options *opt);

/* test_clear_page_writeback(): the page's writeback ended (counted). */
void test_clear_page_writeback(struct page *page);

/* global_dirty_limits() - the background and the dirty threshold */
void global_dirty_limits(unsigned long *pbackground, unsigned long *pdirty);
/* wb_over_bg_thresh(): more dirty pages than the background threshold */
bool wb_over_bg_thresh(void);
/* global_wb_domain.dirty_limit, the limit writeback_chunk_size() uses */
unsigned long global_dirty_limit(void);
/* wb->avg_write_bandwidth, in pages per second */
unsigned long wb_avg_write_bandwidth(void);
/* wb_update_bandwidth(): the flusher's update after each round */
void wb_update_bandwidth(uint64_t start_time);

/*
 * balance_dirty_pages_ratelimited(): every nr_dirtied_pause pages a task
 * dirties, check the limits and, over the background threshold, wake the
 * flusher unless a pass is running.
 */
void balance_dirty_pages_ratelimited(struct address_space *mapping);

/* filemap_fdatawrite_range / filemap_fdatawait_range - mm/filemap.c */
int filemap_fdatawrite_range(struct address_space *mapping, loff_t start,
			     loff_t end);
int filemap_fdatawait_range(struct address_space *mapping, loff_t start,
			    loff_t end);

/*
 * generic_perform_write() - mm/filemap.c: a buffered write of [pos,
 * pos + len), page by page through ->write_begin / ->write_end (the copy
 * itself is not modelled), after file_update_time(), with
 * balance_dirty_pages_ratelimited() after each page.  Returns the bytes
 * written or an error.
 */
long generic_perform_write(struct inode *inode, loff_t pos, uint64_t len);

#endif /* MPSIM_MM_PAGE_WRITEBACK_H */
