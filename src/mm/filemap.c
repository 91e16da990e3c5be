/*
 * filemap.c - the page cache (mm/filemap.c in miniature).
 *
 * Pages live in a per-mapping radix tree keyed by index (page-tree.c), so
 * lookups are a few array steps and every walk is in index order.  Page locks and writeback are
 * waited on through the page's own wait queue; a task that sleeps on one
 * flushes its plug first, as io_schedule() does in 4.9.
 *
 * do_generic_file_read() at the end is the buffered read(2) loop that
 * drives readahead (mm/readahead.c).
 */
#include "mm/filemap.h"

#include "fs/buffer.h"
#include "mm/vmscan.h"
#include "fs/fs.h"
#include "mm/page-tree.h"
#include "mm/page-writeback.h"
#include "mm/readahead.h"
#include "trace/trace.h"

/*
 * Buffers hold a reference on their page (attach_page_buffers()); freeing
 * them gives it back, as try_to_free_buffers() does through
 * __clear_page_buffers().  Only for a page no I/O is using.
 */
static void release_page_buffers(struct page *page)
{
	if (!page_has_buffers(page))
		return;
	free_page_buffers(page);
	put_page(page);
}

/* The cache lets go of a page (teardown, eviction): buffers, then ref. */
static void drop_cached_page(struct page *page)
{
	page->in_cache = false;
	lru_cache_del(page);
	release_page_buffers(page);
	put_page(page);
}

void mapping_init(struct address_space *mapping, struct inode *host)
{
	mapping->host = host;
	mapping->pages = page_tree_new();
	mapping->nrpages = 0;
	mapping->writeback_index = 0;
	mapping->flags = 0;
	mapping->gfp_mask = GFP_KERNEL;
}

void mapping_destroy(struct address_space *mapping)
{
	if (mapping->pages)
		page_tree_destroy(mapping->pages, drop_cached_page);
	mapping->pages = NULL;
	mapping->nrpages = 0;
}

/*
 * Freed pages wait on a list for the next page_alloc(), up to
 * PAGE_SPARE_MAX of them: a run that evicts reads into the same few
 * structures again instead of a malloc and a free a page.  The list is
 * emptied when the last page in use goes (a world's teardown).
 */
#define PAGE_SPARE_MAX 4096
static LIST_HEAD(spare_pages);
static unsigned nr_spare_pages;
static unsigned long nr_live_pages;

static void page_free(struct page *page)
{
	if (nr_spare_pages < PAGE_SPARE_MAX) {
		list_add(&page->lru, &spare_pages);
		nr_spare_pages++;
	} else {
		g_free(page);
	}
	if (--nr_live_pages)
		return;
	while (!list_empty(&spare_pages)) {
		page = list_entry(spare_pages.next, struct page, lru);
		list_del(&page->lru);
		g_free(page);
	}
	nr_spare_pages = 0;
}

struct page *page_alloc(pgoff_t index)
{
	struct page *page;

	if (list_empty(&spare_pages)) {
		page = g_new(struct page, 1);
	} else {
		page = list_entry(spare_pages.next, struct page, lru);
		list_del(&page->lru);
		nr_spare_pages--;
	}
	nr_live_pages++;
	/*
	 * Field by field: a memset of the structure (a `rep stos`, which
	 * the compiler also makes of a compound literal) costs more than
	 * the rest of the allocation.  Every field of struct page is here.
	 */
	page->index = index;
	page->flags = 0;
	page->mapping = NULL;
	page->private = NULL;
	page->wait.first = NULL;
	page->wait.last = NULL;
	INIT_LIST_HEAD(&page->lru);
	INIT_LIST_HEAD(&page->cache_lru);
	page->count = 1;
	page->in_cache = false;
	page_alloc_account(1);
	return page;
}

void get_page(struct page *page)
{
	page->count++;
}

void put_page(struct page *page)
{
	g_assert(page->count > 0);
	if (--page->count)
		return;
	if (page_has_buffers(page))
		free_page_buffers(page);
	page_alloc_account(-1);
	page_free(page);
}

struct page *find_get_page(struct address_space *mapping, pgoff_t index)
{
	struct page *page = page_tree_lookup(mapping->pages, index);

	if (page)
		get_page(page);
	return page;
}

/* add_to_page_cache_lru() - mm/filemap.c */
int add_to_page_cache_lru(struct page *page, struct address_space *mapping,
			  pgoff_t index, gfp_t gfp)
{
	(void)gfp;
	if (page_tree_lookup(mapping->pages, index))
		return -EEXIST;
	SetPageLocked(page);
	page->mapping = mapping;
	page->index = index;
	page->in_cache = true;
	get_page(page);
	page_tree_insert(mapping->pages, page);
	mapping->nrpages++;
	lru_cache_add(page);
	page_cache_shrink();
	return 0;
}

/* delete_from_page_cache() - mm/filemap.c, for a page no one else holds */
void delete_from_page_cache(struct page *page)
{
	struct address_space *mapping = page->mapping;

	mapping->nrpages--;
	drop_cached_page(page_tree_remove(mapping->pages, page->index));
}

void mapping_foreach_page(struct address_space *mapping, pgoff_t from,
			  page_visit_fn fn, void *arg)
{
	page_tree_foreach(mapping->pages, from, fn, arg);
}

void lock_page(struct page *page)
{
	while (PageLocked(page))
		sched_wait(&page->wait);
	SetPageLocked(page);
}

bool trylock_page(struct page *page)
{
	if (PageLocked(page))
		return false;
	SetPageLocked(page);
	return true;
}

void unlock_page(struct page *page)
{
	g_assert(PageLocked(page));
	ClearPageLocked(page);
	wake_up_all(&page->wait);
}

void wait_on_page_locked(struct page *page)
{
	while (PageLocked(page))
		sched_wait(&page->wait);
}

void end_page_writeback(struct page *page)
{
	g_assert(PageWriteback(page));
	test_clear_page_writeback(page);
	wake_up_all(&page->wait);
}

void wait_on_page_writeback(struct page *page)
{
	while (PageWriteback(page))
		sched_wait(&page->wait);
}

void mapping_set_error(struct address_space *mapping, int error)
{
	if (error == 0)
		return;
	if (error == -ENOSPC)
		set_bit(AS_ENOSPC, &mapping->flags);
	else
		set_bit(AS_EIO, &mapping->flags);
}

/* page_endio() - mm/filemap.c */
void page_endio(struct page *page, bool is_write, int err)
{
	if (!is_write) {
		if (!err) {
			SetPageUptodate(page);
		} else {
			ClearPageUptodate(page);
			SetPageError(page);
		}
		unlock_page(page);
	} else {
		if (err) {
			SetPageError(page);
			if (page->mapping)
				mapping_set_error(page->mapping, err);
		}
		end_page_writeback(page);
	}
}

const char *mapping_name(const struct address_space *mapping)
{
	return mapping && mapping->host ? mapping->host->i_name : NULL;
}

void zero_user_segment(struct page *page, unsigned start, unsigned end)
{
	struct trace_note n = trace_note_init();

	if (!trace_enabled() || start >= end)
		return;
	n.file = mapping_name(page->mapping);
	n.page = (int64_t)page->index;
	n.value = (int64_t)(end - start);
	n.offset = start;
	trace_note("zero", &n);
}

/* ---- the buffered read loop ---- */

static void trace_read(struct address_space *mapping, loff_t pos,
		       uint64_t count)
{
	struct trace_note n = trace_note_init();

	if (!trace_enabled())
		return;
	n.file = mapping_name(mapping);
	n.page = pos >> PAGE_SHIFT;
	n.offset = pos & ~PAGE_MASK;
	n.value = (int64_t)count;
	trace_note("read", &n);
}

/* A read(2) that fails: the error it returns, at the page that failed. */
static void trace_read_error(struct address_space *mapping, pgoff_t index,
			     int error)
{
	struct trace_note n = trace_note_init();

	if (!trace_enabled())
		return;
	n.file = mapping_name(mapping);
	n.page = (int64_t)index;
	n.value = error;
	trace_note("read_error", &n);
}

/* shrink_readahead_size_eio() - mm/filemap.c */
static void shrink_readahead_size_eio(struct file_ra_state *ra)
{
	ra->ra_pages /= 4;
}

/*
 * do_generic_file_read() - mm/filemap.c (4.9).  Not modelled: the
 * ->is_partially_uptodate shortcut (a page that is not up to date is
 * always read whole by ->readpage) and truncation races.
 */
int64_t do_generic_file_read(struct address_space *mapping,
			     struct file_ra_state *ra, loff_t *ppos,
			     uint64_t count, simtime_t copy_ns)
{
	struct inode *inode = mapping->host;
	pgoff_t index = (pgoff_t)(*ppos >> PAGE_SHIFT);
	pgoff_t prev_index = (pgoff_t)((uint64_t)ra->prev_pos >> PAGE_SHIFT);
	unsigned prev_offset = (unsigned)(ra->prev_pos & ~PAGE_MASK);
	pgoff_t last_index = (pgoff_t)((*ppos + (loff_t)count + PAGE_SIZE - 1)
				       >> PAGE_SHIFT);
	unsigned offset = (unsigned)(*ppos & ~PAGE_MASK);
	int64_t written = 0;
	int error = 0;

	if (!count)
		return 0;	/* generic_file_read_iter(): nothing to do */
	trace_read(mapping, *ppos, count);
	for (;;) {
		struct page *page;
		pgoff_t end_index;
		loff_t isize;
		uint64_t nr;

		cond_resched();
find_page:
		page = find_get_page(mapping, index);
		if (!page) {
			page_cache_sync_readahead(mapping, ra, index,
						  last_index - index);
			page = find_get_page(mapping, index);
			if (!page)
				goto no_cached_page;
		}
		if (PageReadahead(page))
			page_cache_async_readahead(mapping, ra, page, index,
						   last_index - index);
		if (!PageUptodate(page)) {
			/* sleeps on the lock: the read I/O ends first */
			wait_on_page_locked(page);
			if (PageUptodate(page))
				goto page_ok;
			goto page_not_up_to_date;
		}
page_ok:
		isize = i_size_read(inode);
		end_index = (pgoff_t)((isize - 1) >> PAGE_SHIFT);
		if (!isize || index > end_index) {
			put_page(page);
			goto out;
		}
		/* nr is the maximum number of bytes to copy from this page */
		nr = PAGE_SIZE;
		if (index == end_index) {
			nr = (uint64_t)((isize - 1) & ~PAGE_MASK) + 1;
			if (nr <= offset) {
				put_page(page);
				goto out;
			}
		}
		nr = nr - offset;
		if (nr > count - (uint64_t)written)
			nr = count - (uint64_t)written;
		prev_index = index;
		/* copy_page_to_iter(): CPU time, the plug is kept */
		if (copy_ns)
			sched_busy((simtime_t)((uint64_t)copy_ns * nr /
					       PAGE_SIZE));
		offset += (unsigned)nr;
		index += offset >> PAGE_SHIFT;
		offset &= ~PAGE_MASK;
		prev_offset = offset;
		put_page(page);
		written += (int64_t)nr;
		if ((uint64_t)written == count)
			goto out;
		continue;

page_not_up_to_date:
		/* Get exclusive access to the page ... */
		lock_page(page);
		/* Did somebody else fill it already? */
		if (PageUptodate(page)) {
			unlock_page(page);
			goto page_ok;
		}
readpage:
		/*
		 * A previous I/O error may have been due to temporary
		 * failures; PG_error will be set again if readpage fails.
		 */
		ClearPageError(page);
		/* Start the actual read. The read will unlock the page. */
		error = inode->a_ops->readpage(page);
		if (error) {
			put_page(page);
			goto out;
		}
		if (!PageUptodate(page)) {
			lock_page(page);
			if (!PageUptodate(page)) {
				unlock_page(page);
				shrink_readahead_size_eio(ra);
				error = -EIO;
				put_page(page);	/* readpage_error */
				goto out;
			}
			unlock_page(page);
		}
		goto page_ok;

no_cached_page:
		/* Ok, it wasn't cached, so we need to create a new page.. */
		page = page_alloc(index);
		error = add_to_page_cache_lru(page, mapping, index,
					      mapping->gfp_mask);
		if (error) {
			put_page(page);
			if (error == -EEXIST) {
				error = 0;
				goto find_page;
			}
			goto out;
		}
		goto readpage;
	}
out:
	if (!written && error)
		trace_read_error(mapping, index, error);
	ra->prev_pos = (loff_t)prev_index << PAGE_SHIFT;
	ra->prev_pos |= prev_offset;
	*ppos = ((loff_t)index << PAGE_SHIFT) + offset;
	return written ? written : error;
}

/* ---- dropping clean pages ---- */

struct invalidate_ctx {
	pgoff_t end;
	GArray *victims;	/* pgoff_t */
};

static bool collect_clean(struct page *page, void *arg)
{
	struct invalidate_ctx *c = arg;

	if (page->index > c->end)
		return true;
	/* invalidate_inode_page: try_to_release_page must succeed too */
	if (!PageLocked(page) && !PageDirty(page) && !PageWriteback(page) &&
	    page_buffers_droppable(page))
		g_array_append_val(c->victims, page->index);
	return false;
}

/* invalidate_mapping_pages() - mm/truncate.c */
unsigned long invalidate_mapping_pages(struct address_space *mapping,
				       pgoff_t start, pgoff_t end)
{
	struct invalidate_ctx c = {
		end, g_array_new(FALSE, FALSE, sizeof(pgoff_t)),
	};
	unsigned long count;

	mapping_foreach_page(mapping, start, collect_clean, &c);
	count = c.victims->len;
	for (guint i = 0; i < c.victims->len; i++) {
		pgoff_t index = g_array_index(c.victims, pgoff_t, i);

		/* dropping it gives back the cache's reference */
		drop_cached_page(page_tree_remove(mapping->pages, index));
		mapping->nrpages--;
	}
	g_array_unref(c.victims);
	return count;
}
