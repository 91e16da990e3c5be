/*
 * filemap.c - the page cache (mm/filemap.c in miniature).
 *
 * Pages live in a per-mapping balanced tree keyed by index, so lookups are
 * O(log n) and every walk is in index order.  Page locks and writeback are
 * waited on through the page's own wait queue; a task that sleeps on one
 * flushes its plug first, as io_schedule() does in 4.9.
 */
#include "mm/filemap.h"

#include "fs/buffer.h"
#include "mm/vmscan.h"
#include "fs/fs.h"
#include "trace/trace.h"

static gint compare_index(gconstpointer a, gconstpointer b, gpointer unused)
{
	pgoff_t x = *(const pgoff_t *)a, y = *(const pgoff_t *)b;

	(void)unused;
	return x < y ? -1 : x > y;
}

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
static void drop_cached_page(gpointer data)
{
	struct page *page = data;

	page->in_cache = false;
	lru_cache_del(page);
	release_page_buffers(page);
	put_page(page);
}

void mapping_init(struct address_space *mapping, struct inode *host)
{
	mapping->host = host;
	mapping->pages = g_tree_new_full(compare_index, NULL, NULL,
					 drop_cached_page);
	mapping->nrpages = 0;
	mapping->writeback_index = 0;
	mapping->flags = 0;
	mapping->gfp_mask = GFP_KERNEL;
}

void mapping_destroy(struct address_space *mapping)
{
	if (mapping->pages)
		g_tree_destroy(mapping->pages);
	mapping->pages = NULL;
	mapping->nrpages = 0;
}

struct page *page_alloc(pgoff_t index)
{
	struct page *page = g_new0(struct page, 1);

	page->index = index;
	page->count = 1;
	INIT_LIST_HEAD(&page->lru);
	INIT_LIST_HEAD(&page->cache_lru);
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
	g_free(page);
}

struct page *find_get_page(struct address_space *mapping, pgoff_t index)
{
	struct page *page = g_tree_lookup(mapping->pages, &index);

	if (page)
		get_page(page);
	return page;
}

/* add_to_page_cache_lru() - mm/filemap.c */
int add_to_page_cache_lru(struct page *page, struct address_space *mapping,
			  pgoff_t index, gfp_t gfp)
{
	(void)gfp;
	if (g_tree_lookup(mapping->pages, &index))
		return -EEXIST;
	SetPageLocked(page);
	page->mapping = mapping;
	page->index = index;
	page->in_cache = true;
	get_page(page);
	g_tree_insert(mapping->pages, &page->index, page);
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
	g_tree_remove(mapping->pages, &page->index);	/* drop_cached_page */
}

struct foreach_ctx {
	page_visit_fn fn;
	void *arg;
	pgoff_t from;
};

static gboolean foreach_one(gpointer key, gpointer value, gpointer data)
{
	struct foreach_ctx *c = data;

	if (*(pgoff_t *)key < c->from)
		return FALSE;
	return c->fn(value, c->arg);
}

void mapping_foreach_page(struct address_space *mapping, pgoff_t from,
			  page_visit_fn fn, void *arg)
{
	struct foreach_ctx c = { fn, arg, from };

	g_tree_foreach(mapping->pages, foreach_one, &c);
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
	ClearPageWriteback(page);
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
	n.task = current ? current->id : 0;
	n.task_name = current ? current->name : NULL;
	n.file = mapping_name(page->mapping);
	n.page = (int64_t)page->index;
	n.value = (int64_t)(end - start);
	n.offset = start;
	trace_note("zero", &n);
}
