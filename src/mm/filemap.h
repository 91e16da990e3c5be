/*
 * filemap.h - the page cache: pages, their flags, and each file's mapping.
 *
 * A page here is the kernel's struct page reduced to what the block I/O
 * path looks at: its index in the file, its flags, the buffers attached as
 * private data, and a wait queue for those who sleep on its lock.  Pages
 * hold no data: where the kernel zeroes or copies bytes, mpsim records the
 * range (a "zero" trace event) instead.
 *
 * Pages of one mapping are kept in a radix tree by index (page-tree.h), so
 * that every walk (writeback, reports, teardown) goes in index order.
 */
#ifndef MPSIM_MM_FILEMAP_H
#define MPSIM_MM_FILEMAP_H

#include <glib.h>
#include "include/kernel.h"
#include "include/list.h"
#include "sim/sched.h"

struct inode;
struct buffer_head;
struct page_tree;

enum pageflags {
	PG_locked,
	PG_error,
	PG_uptodate,
	PG_dirty,
	PG_private,		/* has buffers */
	PG_writeback,
	PG_mappedtodisk,
	PG_readahead,
	PG_reclaim,
};

/* page_alloc() sets every field: a new field needs its line there. */
struct page {
	pgoff_t index;
	unsigned long flags;
	struct address_space *mapping;
	struct buffer_head *private;	/* first buffer, when PG_private */
	struct wait_queue_head wait;	/* sleepers on lock / writeback */
	struct list_head lru;		/* on a readahead list */
	/*
	 * On the page cache's LRU (mm/vmscan.c) while cached.  The kernel
	 * uses page->lru for both; two fields let a caller keep a cached
	 * page on a list of its own.
	 */
	struct list_head cache_lru;
	int count;			/* references */
	bool in_cache;			/* inserted into mapping->pages */
};

struct address_space {
	struct inode *host;
	struct page_tree *pages;	/* struct page* by index */
	unsigned long nrpages;
	pgoff_t writeback_index;
	unsigned long flags;		/* AS_EIO, AS_ENOSPC */
	gfp_t gfp_mask;
};

#define AS_EIO 0
#define AS_ENOSPC 1

#define PAGE_FLAG_FNS(name, bit)					\
static inline bool Page##name(const struct page *p)			\
{ return test_bit(bit, &p->flags); }					\
static inline void SetPage##name(struct page *p)			\
{ set_bit(bit, &p->flags); }						\
static inline void ClearPage##name(struct page *p)			\
{ clear_bit(bit, &p->flags); }

PAGE_FLAG_FNS(Locked, PG_locked)
PAGE_FLAG_FNS(Error, PG_error)
PAGE_FLAG_FNS(Uptodate, PG_uptodate)
PAGE_FLAG_FNS(Dirty, PG_dirty)
PAGE_FLAG_FNS(Private, PG_private)
PAGE_FLAG_FNS(Writeback, PG_writeback)
PAGE_FLAG_FNS(MappedToDisk, PG_mappedtodisk)
PAGE_FLAG_FNS(Readahead, PG_readahead)

static inline bool page_has_buffers(const struct page *p)
{
	return PagePrivate(p);
}

static inline struct buffer_head *page_buffers(const struct page *p)
{
	return p->private;
}

#define lru_to_page(head) (list_entry((head)->prev, struct page, lru))

void mapping_init(struct address_space *mapping, struct inode *host);
void mapping_destroy(struct address_space *mapping);

/* A new page, not in any mapping, with one reference. */
struct page *page_alloc(pgoff_t index);
void get_page(struct page *page);
void put_page(struct page *page);

struct page *find_get_page(struct address_space *mapping, pgoff_t index);
/* Take a page out of its mapping, dropping the cache's reference. */
void delete_from_page_cache(struct page *page);
/*
 * Insert a new page locked; fails with -EEXIST when the index is cached
 * already (add_to_page_cache_lru).  The cache takes its own reference.
 */
int add_to_page_cache_lru(struct page *page, struct address_space *mapping,
			  pgoff_t index, gfp_t gfp);
/* Visit the cached pages of a mapping in index order; stop on true. */
typedef bool (*page_visit_fn)(struct page *page, void *arg);
void mapping_foreach_page(struct address_space *mapping, pgoff_t from,
			  page_visit_fn fn, void *arg);

void lock_page(struct page *page);
bool trylock_page(struct page *page);
void unlock_page(struct page *page);
void wait_on_page_locked(struct page *page);
void end_page_writeback(struct page *page);
void wait_on_page_writeback(struct page *page);
/* Completion of a page read or write, as mm/filemap.c's page_endio(). */
void page_endio(struct page *page, bool is_write, int err);
void mapping_set_error(struct address_space *mapping, int error);

/*
 * zero_user_segment(): the kernel zeroes [start, end) of the page; mpsim
 * records it as a "zero" trace event.
 */
void zero_user_segment(struct page *page, unsigned start, unsigned end);

/* Name of the file a mapping belongs to, for traces. */
const char *mapping_name(const struct address_space *mapping);

/*
 * do_generic_file_read() - mm/filemap.c: a buffered read(2) of `count`
 * bytes at *ppos through the page cache and readahead state `ra`; copying
 * a whole page costs copy_ns of busy time.  Advances *ppos; returns the
 * bytes read (short at EOF) or -errno.
 */
struct file_ra_state;
int64_t do_generic_file_read(struct address_space *mapping,
			     struct file_ra_state *ra, loff_t *ppos,
			     uint64_t count, simtime_t copy_ns);
/*
 * invalidate_mapping_pages() - mm/truncate.c: drop the clean, unlocked
 * pages of [start, end] from the cache.  Returns how many went.
 */
unsigned long invalidate_mapping_pages(struct address_space *mapping,
				       pgoff_t start, pgoff_t end);

#endif /* MPSIM_MM_FILEMAP_H */
