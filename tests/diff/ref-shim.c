/*
 * ref-shim.c - the kernel API under the reference fs/mpage.c: page cache,
 * buffer heads, bios, cleancache, bdev_read_page, as 4.9 implements them
 * where mpage's behaviour depends on them, and recording stubs where the
 * test draws its line: block_read_full_page() records "fallback N" (the
 * port's is replaced the same way), submit_bio() records the bio and keeps
 * it for completion at the end of the operation; on the write side
 * write_cache_pages() is 4.9.0's restated over the test's page cache
 * (the port runs its own, so a difference there shows too), and the
 * buffer cache of pointer blocks is the reference side's (ref-side.c).
 *
 * Every name here is renamed ref_* by the shim's linux/kernel.h.
 */
#include "ref-shim.h"

#include <linux/fs.h>
#include <linux/writeback.h>
#include <linux/cleancache.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

struct ref_world ref_world;
struct task_struct ref_current_task;
int buffer_heads_over_limit;

/* ---- page cache ---- */

int add_to_page_cache_lru(struct page *page, struct address_space *mapping,
			  pgoff_t offset, gfp_t gfp_mask)
{
	if (g_hash_table_contains(ref_world.cache, &offset))
		return -EEXIST;
	SetPageLocked(page);
	page->mapping = mapping;
	page->index = offset;
	page->in_cache = 1;
	g_hash_table_insert(ref_world.cache, &page->index, page);
	return 0;
}

/* Pages live until the end of the case (ref-side.c frees them). */
void put_page(struct page *page)
{
}

void unlock_page(struct page *page)
{
	BUG_ON(!PageLocked(page));
	ClearPageLocked(page);
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

void zero_user_segment(struct page *page, unsigned start, unsigned end)
{
	dlog("zero page %" G_GUINT64_FORMAT " %u-%u", (guint64)page->index,
	     start, end);
}

/* ---- buffer heads ---- */

/* alloc_page_buffers() + create_empty_buffers() - fs/buffer.c */
void create_empty_buffers(struct page *page, unsigned long blocksize,
			  unsigned long b_state)
{
	struct buffer_head *bh, *head = NULL, *tail;
	long offset;

	for (offset = (long)(PAGE_SIZE - blocksize); offset >= 0;
	     offset -= (long)blocksize) {
		bh = g_new0(struct buffer_head, 1);
		bh->b_this_page = head;
		bh->b_size = blocksize;
		bh->b_page = page;
		head = bh;
	}
	bh = head;
	do {
		bh->b_state |= b_state;
		tail = bh;
		bh = bh->b_this_page;
	} while (bh);
	tail->b_this_page = head;

	if (PageUptodate(page) || PageDirty(page)) {
		bh = head;
		do {
			if (PageDirty(page))
				set_buffer_dirty(bh);
			if (PageUptodate(page))
				set_buffer_uptodate(bh);
			bh = bh->b_this_page;
		} while (bh != head);
	}
	SetPagePrivate(page);
	page->private = (unsigned long)head;
}

/* The line the test draws: the buffer-head path is recorded, not run. */
int block_read_full_page(struct page *page, get_block_t *get_block)
{
	dlog("fallback page %" G_GUINT64_FORMAT, (guint64)page->index);
	return 0;
}

/* ---- bios ---- */

struct bio *bio_alloc(gfp_t gfp_mask, unsigned int nr_iovecs)
{
	struct bio *bio;

	ref_world.nr_bio_alloc++;
	if (u64_in(ref_world.c->allocfail, ref_world.nr_bio_alloc))
		return NULL;
	if (nr_iovecs > BIO_MAX_PAGES)
		return NULL;
	bio = g_malloc0(sizeof(*bio) + nr_iovecs * sizeof(struct bio_vec));
	bio->bi_io_vec = (struct bio_vec *)(bio + 1);
	bio->bi_max_vecs = (unsigned short)nr_iovecs;
	return bio;
}

void bio_put(struct bio *bio)
{
	g_free(bio);
}

/* bio_add_page() - block/bio.c (4.9) */
int bio_add_page(struct bio *bio, struct page *page, unsigned int len,
		 unsigned int offset)
{
	struct bio_vec *bv;

	if (bio->bi_vcnt > 0) {
		bv = &bio->bi_io_vec[bio->bi_vcnt - 1];

		if (page == bv->bv_page &&
		    offset == bv->bv_offset + bv->bv_len) {
			bv->bv_len += len;
			goto done;
		}
	}

	if (bio->bi_vcnt >= bio->bi_max_vecs)
		return 0;

	bv = &bio->bi_io_vec[bio->bi_vcnt];
	bv->bv_page = page;
	bv->bv_len = len;
	bv->bv_offset = offset;

	bio->bi_vcnt++;
done:
	bio->bi_iter.bi_size += len;
	return (int)len;
}

static void flag_names(GString *s, unsigned f)
{
	if (f & REQ_SYNC)
		g_string_append(s, "S");
	if (f & REQ_META)
		g_string_append(s, "M");
	if (f & REQ_NOIDLE)
		g_string_append(s, "N");
	if (f & ~(REQ_SYNC | REQ_META | REQ_NOIDLE))
		g_string_append(s, "?");
}

void submit_bio(struct bio *bio)
{
	GString *s = g_string_new(NULL);

	g_string_append_printf(s, "bio %s", bio->bi_op == REQ_OP_WRITE ?
			       "W" : "R");
	flag_names(s, bio->bi_opf);
	g_string_append_printf(s, " sector %" G_GUINT64_FORMAT " bytes %u "
			       "maxvecs %u end_io %s:",
			       (guint64)bio->bi_iter.bi_sector,
			       bio->bi_iter.bi_size, bio->bi_max_vecs,
			       bio->bi_end_io ? "set" : "none");
	for (unsigned i = 0; i < bio->bi_vcnt; i++)
		g_string_append_printf(s, " %" G_GUINT64_FORMAT "+%u/%u",
			(guint64)bio->bi_io_vec[i].bv_page->index,
			bio->bi_io_vec[i].bv_offset, bio->bi_io_vec[i].bv_len);
	dlog("%s", s->str);
	g_string_free(s, TRUE);
	bio->ref_next = NULL;
	*ref_world.pending_tail = bio;
	ref_world.pending_tail = &bio->ref_next;
}

/* guard_bio_eod() - fs/buffer.c; the test's device has no size (0). */
void guard_bio_eod(int op, struct bio *bio)
{
	sector_t maxsector = bio->bi_bdev ? bio->bi_bdev->bd_nr_sectors : 0;

	if (!maxsector)
		return;
	abort();	/* not modelled: cases never give the device a size */
}

/* ---- devices, cleancache ---- */

/* bdev_read_page() - fs/block_dev.c, with brd's rw_page when present */
int bdev_read_page(struct block_device *bdev, sector_t sector,
		   struct page *page)
{
	if (!ref_world.c->rw_page)
		return -EOPNOTSUPP;
	dlog("rw_page page %" G_GUINT64_FORMAT " sector %" G_GUINT64_FORMAT,
	     (guint64)page->index, (guint64)sector);
	page_endio(page, false, 0);
	return 0;
}

int cleancache_get_page(struct page *page)
{
	int hit = u64_in(ref_world.c->cleancache, page->index);

	dlog("cleancache page %" G_GUINT64_FORMAT " %s", (guint64)page->index,
	     hit ? "hit" : "miss");
	return hit ? 0 : -1;
}

/* ---- the write side ---- */

/*
 * buffer_heads_over_limit is 0 (no memory pressure), as in the port, so
 * clean_buffers() never calls this.
 */
int try_to_free_buffers(struct page *page) { abort(); }

/* unmap_underlying_metadata() - fs/buffer.c, over the test's buffer cache */
void unmap_underlying_metadata(struct block_device *bdev, sector_t block)
{
	dlog("unmap_metadata %" G_GUINT64_FORMAT, (guint64)block);
	ref_world.meta_clean(block);
}

/*
 * write_boundary_block() - fs/buffer.c: the block after the boundary one
 * (the next pointer block, as ext2 allocates) is written now if it is
 * cached and dirty, by ll_rw_block(REQ_OP_WRITE, 0).
 */
void write_boundary_block(struct block_device *bdev, sector_t bblock,
			  unsigned blocksize)
{
	dlog("write_boundary_block %" G_GUINT64_FORMAT, (guint64)bblock);
	if (ref_world.meta_clean(bblock + 1))
		dlog("meta W sector %" G_GUINT64_FORMAT " sectors %u",
		     (guint64)(bblock + 1) * (blocksize / 512), blocksize / 512);
}

/*
 * bdev_write_page() - fs/block_dev.c, with brd's rw_page: writeback set,
 * the copy done, page_endio() ends the writeback, the page unlocked.
 */
int bdev_write_page(struct block_device *bdev, sector_t sector,
		    struct page *page, struct writeback_control *wbc)
{
	if (!ref_world.c->rw_page)
		return -EOPNOTSUPP;
	set_page_writeback(page);
	dlog("rw_page W page %" G_GUINT64_FORMAT " sector %" G_GUINT64_FORMAT,
	     (guint64)page->index, (guint64)sector);
	page_endio(page, true, 0);
	unlock_page(page);
	return 0;
}

/* __test_set_page_writeback() - mm/page-writeback.c: leaves TOWRITE */
void set_page_writeback(struct page *page)
{
	BUG_ON(PageWriteback(page));
	SetPageWriteback(page);
	ClearPageTowrite(page);
}

void end_page_writeback(struct page *page)
{
	BUG_ON(!PageWriteback(page));
	ClearPageWriteback(page);
}

/* mapping_set_error() - include/linux/pagemap.h */
void mapping_set_error(struct address_space *mapping, int error)
{
	if (error) {
		if (error == -ENOSPC)
			set_bit(AS_ENOSPC, &mapping->flags);
		else
			set_bit(AS_EIO, &mapping->flags);
	}
}

/* mpage_writepages() always has a get_block here. */
int generic_writepages(struct address_space *mapping,
		       struct writeback_control *wbc) { abort(); }

/* cgroup writeback: nothing to do */
void wbc_init_bio(struct writeback_control *wbc, struct bio *bio) { }
void wbc_account_io(struct writeback_control *wbc, struct page *page,
		    size_t bytes) { }
void blk_start_plug(struct blk_plug *plug) { }
void blk_finish_plug(struct blk_plug *plug) { }

/* ---- write_cache_pages() - mm/page-writeback.c (v4.9.0), restated ---- */

enum { PAGECACHE_TAG_DIRTY, PAGECACHE_TAG_TOWRITE };
#define PAGEVEC_SIZE 14

static gint cmp_index(gconstpointer a, gconstpointer b)
{
	pgoff_t x = (*(struct page *const *)a)->index;
	pgoff_t y = (*(struct page *const *)b)->index;

	return x < y ? -1 : x > y;
}

/* The cached pages in index order (the radix tree's order). */
static GPtrArray *cache_in_order(void)
{
	GPtrArray *a = g_ptr_array_new();
	GHashTableIter it;
	gpointer v;

	/* the table's order never reaches the log: sorted below */
	g_hash_table_iter_init(&it, ref_world.cache);
	while (g_hash_table_iter_next(&it, NULL, &v))
		g_ptr_array_add(a, v);
	g_ptr_array_sort(a, cmp_index);
	return a;
}

/* tag_pages_for_writeback() - mm/page-writeback.c */
static void tag_pages_for_writeback(pgoff_t start, pgoff_t end)
{
	GPtrArray *a = cache_in_order();

	for (guint i = 0; i < a->len; i++) {
		struct page *page = a->pdata[i];

		if (page->index >= start && page->index <= end &&
		    PageDirty(page))
			SetPageTowrite(page);
	}
	g_ptr_array_unref(a);
}

/* pagevec_lookup_tag() - mm/swap.c: up to nr tagged pages from *index */
static unsigned pagevec_lookup_tag(struct page **pages, pgoff_t *index,
				   int tag, unsigned nr)
{
	GPtrArray *a = cache_in_order();
	unsigned n = 0;

	for (guint i = 0; i < a->len && n < nr; i++) {
		struct page *page = a->pdata[i];

		if (page->index < *index)
			continue;
		if (tag == PAGECACHE_TAG_DIRTY ? PageDirty(page) :
		    PageTowrite(page))
			pages[n++] = page;
	}
	g_ptr_array_unref(a);
	if (n)
		*index = pages[n - 1]->index + 1;
	return n;
}

/* clear_page_dirty_for_io() - mm/page-writeback.c */
static int clear_page_dirty_for_io(struct page *page)
{
	BUG_ON(!PageLocked(page));
	if (PageDirty(page)) {
		ClearPageDirty(page);
		return 1;
	}
	return 0;
}

int write_cache_pages(struct address_space *mapping,
		      struct writeback_control *wbc, writepage_t writepage,
		      void *data)
{
	int ret = 0;
	int done = 0;
	struct page *pages[PAGEVEC_SIZE];
	unsigned nr_pages;
	pgoff_t writeback_index = 0;
	pgoff_t index;
	pgoff_t end;		/* Inclusive */
	pgoff_t done_index;
	int cycled;
	int range_whole = 0;
	int tag;

	if (wbc->range_cyclic) {
		writeback_index = mapping->writeback_index; /* prev offset */
		index = writeback_index;
		if (index == 0)
			cycled = 1;
		else
			cycled = 0;
		end = -1;
	} else {
		index = wbc->range_start >> PAGE_SHIFT;
		end = wbc->range_end >> PAGE_SHIFT;
		if (wbc->range_start == 0 && wbc->range_end == LLONG_MAX)
			range_whole = 1;
		cycled = 1; /* ignore range_cyclic tests */
	}
	if (wbc->sync_mode == WB_SYNC_ALL || wbc->tagged_writepages)
		tag = PAGECACHE_TAG_TOWRITE;
	else
		tag = PAGECACHE_TAG_DIRTY;
retry:
	if (wbc->sync_mode == WB_SYNC_ALL || wbc->tagged_writepages)
		tag_pages_for_writeback(index, end);
	done_index = index;
	while (!done && (index <= end)) {
		unsigned i;

		nr_pages = pagevec_lookup_tag(pages, &index, tag,
			min_t(pgoff_t, end - index, (pgoff_t)PAGEVEC_SIZE-1) + 1);
		if (nr_pages == 0)
			break;

		for (i = 0; i < nr_pages; i++) {
			struct page *page = pages[i];

			if (page->index > end) {
				done = 1;
				break;
			}

			done_index = page->index;

			BUG_ON(PageLocked(page));	/* lock_page() */
			SetPageLocked(page);

			if (unlikely(page->mapping != mapping)) {
continue_unlock:
				unlock_page(page);
				continue;
			}

			if (!PageDirty(page)) {
				/* someone wrote it for us */
				goto continue_unlock;
			}

			if (PageWriteback(page)) {
				if (wbc->sync_mode != WB_SYNC_NONE)
					abort();  /* wait: cases never ask */
				else
					goto continue_unlock;
			}

			BUG_ON(PageWriteback(page));
			if (!clear_page_dirty_for_io(page))
				goto continue_unlock;

			ret = (*writepage)(page, wbc, data);
			if (unlikely(ret)) {
				/* no AOP_WRITEPAGE_ACTIVATE from ext2 */
				done_index = page->index + 1;
				done = 1;
				break;
			}

			if (--wbc->nr_to_write <= 0 &&
			    wbc->sync_mode == WB_SYNC_NONE) {
				done = 1;
				break;
			}
		}
	}
	if (!cycled && !done) {
		/*
		 * range_cyclic:
		 * We hit the last page and there is more work to be done:
		 * wrap back to the start of the file
		 */
		cycled = 1;
		index = 0;
		end = writeback_index - 1;
		goto retry;
	}
	if (wbc->range_cyclic || (range_whole && wbc->nr_to_write > 0))
		mapping->writeback_index = done_index;

	return ret;
}
