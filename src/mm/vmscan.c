/*
 * vmscan.c - keeping the page cache within its capacity.
 *
 * Every cached page of every mapping is on one LRU list, oldest first.
 * When adding a page takes the cache past its capacity, shrink_page_list()
 * walks the list from the oldest page and drops each page it may drop:
 * clean, not locked, not under writeback, held by no one but the cache
 * (and its own buffers), with buffers that are idle and clean.  Dropping
 * a page frees its buffers, as try_to_release_page() does for a clean
 * page; nothing is ever written back here.  A cache full of pages under
 * I/O may go past its capacity for a moment; the next addition shrinks it
 * back.  Before a task allocates the pages of a read it reserves room
 * (page_cache_reserve), waiting for the oldest page under I/O when that is
 * the only way to get room, so that a long run of reads stays within the
 * capacity.
 *
 * The kernel keeps active and inactive lists and ages pages by reference;
 * mpsim reads each page once per op, so one list in insertion order is
 * the same thing here.
 */
#include "mm/vmscan.h"

#include <string.h>
#include "fs/buffer.h"
#include "fs/fs.h"
#include "mm/filemap.h"
#include "trace/trace.h"

static struct {
	struct list_head lru;	/* struct page.cache_lru, oldest first */
	struct page_cache_stats st;
} cache = {
	.lru = LIST_HEAD_INIT(cache.lru),
};

void page_cache_reset(uint64_t capacity_pages)
{
	/* the previous run's pages are gone with its mappings */
	INIT_LIST_HEAD(&cache.lru);
	memset(&cache.st, 0, sizeof(cache.st));
	cache.st.capacity = capacity_pages;
}

void page_cache_get_stats(struct page_cache_stats *st)
{
	*st = cache.st;
}

void page_alloc_account(int delta)
{
	cache.st.live_pages += (uint64_t)(int64_t)delta;
	if (cache.st.live_pages > cache.st.peak_live)
		cache.st.peak_live = cache.st.live_pages;
}

void lru_cache_add(struct page *page)
{
	list_add_tail(&page->cache_lru, &cache.lru);
	if (++cache.st.nr_pages > cache.st.peak_pages)
		cache.st.peak_pages = cache.st.nr_pages;
}

void lru_cache_del(struct page *page)
{
	list_del(&page->cache_lru);
	cache.st.nr_pages--;
}

/* buffer_busy() - fs/buffer.c: someone still uses the buffer */
static bool buffer_busy(const struct buffer_head *bh)
{
	return bh->b_count || buffer_locked(bh) || buffer_dirty(bh);
}

/* drop_buffers() - fs/buffer.c: false when a buffer is still in use */
bool page_buffers_droppable(const struct page *page)
{
	if (page_has_buffers(page)) {
		const struct buffer_head *head = page_buffers(page), *bh = head;

		do {
			if (buffer_busy(bh))
				return false;
			bh = bh->b_this_page;
		} while (bh != head);
	}
	return true;
}

/* May the page go now?  Clean, idle, and held by the cache alone. */
static bool page_freeable(const struct page *page)
{
	if (PageLocked(page) || PageDirty(page) || PageWriteback(page))
		return false;
	if (page->count != 1 + (page_has_buffers(page) ? 1 : 0))
		return false;
	return page_buffers_droppable(page);
}

/*
 * A run of evicted pages: consecutive indexes of one file, dropped in one
 * pass, is reported as one "evict" event (first page, count), so that a
 * long read through a small cache logs one row per batch, not per page.
 */
struct evict_run {
	const struct address_space *mapping;
	pgoff_t first;
	int64_t count;
};

static void trace_evict_run(const struct evict_run *run)
{
	struct trace_note n = trace_note_init();

	if (!run->count || !trace_enabled())
		return;
	n.file = mapping_name(run->mapping);
	n.page = (int64_t)run->first;
	n.value = run->count;
	trace_note("evict", &n);
}

static void evict_run_add(struct evict_run *run, const struct page *page)
{
	if (run->count && run->mapping == page->mapping &&
	    page->index == run->first + (pgoff_t)run->count) {
		run->count++;
		return;
	}
	trace_evict_run(run);
	run->mapping = page->mapping;
	run->first = page->index;
	run->count = 1;
}

/* shrink_page_list() - mm/vmscan.c: drop up to nr free pages, oldest first */
static unsigned long shrink_page_list(unsigned long nr)
{
	struct list_head *pos = cache.lru.next, *next;
	struct evict_run run = { NULL, 0, 0 };
	unsigned long freed = 0;

	for (; pos != &cache.lru && freed < nr; pos = next) {
		struct page *page = list_entry(pos, struct page, cache_lru);

		next = pos->next;
		if (!page_freeable(page))
			continue;
		evict_run_add(&run, page);
		delete_from_page_cache(page);	/* frees it */
		cache.st.evicted++;
		freed++;
	}
	trace_evict_run(&run);
	return freed;
}

/* Bring the cache back within capacity, if it can be done without waiting. */
void page_cache_shrink(void)
{
	if (cache.st.capacity && cache.st.nr_pages > cache.st.capacity)
		shrink_page_list(cache.st.nr_pages - cache.st.capacity);
}

/* The oldest cached page that will become free once its I/O ends. */
static struct page *oldest_page_under_io(void)
{
	for (struct list_head *pos = cache.lru.next; pos != &cache.lru;
	     pos = pos->next) {
		struct page *page = list_entry(pos, struct page, cache_lru);

		if (PageLocked(page) || PageWriteback(page))
			return page;
	}
	return NULL;
}

void page_cache_reserve(unsigned long nr)
{
	uint64_t cap = cache.st.capacity;

	if (!cap)
		return;
	if (nr > cap)
		nr = (unsigned long)cap;
	while (cache.st.nr_pages + nr > cap) {
		struct page *page;

		shrink_page_list((unsigned long)(cache.st.nr_pages + nr - cap));
		if (cache.st.nr_pages + nr <= cap)
			break;
		page = oldest_page_under_io();
		if (!page || !current)
			break;	/* only dirty or held pages: go over for now */
		get_page(page);
		wait_on_page_locked(page);
		wait_on_page_writeback(page);
		put_page(page);
	}
}
