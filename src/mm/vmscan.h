/*
 * vmscan.h - the page cache's capacity and its LRU.
 *
 * By default the page cache is unlimited, as it was before this module:
 * every page a run reads stays cached.  A scenario's [cache] capacity
 * bounds the number of cached pages (all files together); past it, the
 * least recently added clean, unlocked pages that no one else holds are
 * dropped, with their buffers, and never written back (mm/vmscan.c's
 * shrink_page_list() for clean page cache pages, in miniature).
 */
#ifndef MPSIM_MM_VMSCAN_H
#define MPSIM_MM_VMSCAN_H

#include <stdbool.h>
#include <stdint.h>

struct page;

struct page_cache_stats {
	uint64_t capacity;	/* pages; 0 = unlimited */
	uint64_t nr_pages;	/* cached now */
	uint64_t peak_pages;	/* most cached at once since the reset */
	uint64_t evicted;	/* pages dropped to stay within capacity */
	uint64_t live_pages;	/* struct pages allocated now, cached or not */
	uint64_t peak_live;	/* most allocated at once */
};

/* A new run: set the capacity (0 = unlimited) and zero the counters. */
void page_cache_reset(uint64_t capacity_pages);
void page_cache_get_stats(struct page_cache_stats *st);

/*
 * Make room for `nr` new pages before a task allocates them for a read,
 * as direct reclaim does: drop free pages and, while the cache is full of
 * pages under I/O, wait for the oldest of them.  Task context only.
 */
void page_cache_reserve(unsigned long nr);

/*
 * May the page's buffers go (try_to_free_buffers)?  Not when one is
 * referenced, locked or dirty (buffer_busy).  True without buffers.
 */
bool page_buffers_droppable(const struct page *page);

/* Drop free pages until the cache is within capacity; never waits. */
void page_cache_shrink(void);

/* Bookkeeping, from mm/filemap.c. */
void lru_cache_add(struct page *page);	/* the page entered the cache */
void lru_cache_del(struct page *page);	/* the page left it */
void page_alloc_account(int delta);	/* a struct page came or went */

#endif /* MPSIM_MM_VMSCAN_H */
