/*
 * ref-side.c - run one case through the kernel's own fs/mpage.c.
 *
 * Builds the case's page cache in the shim, answers get_block from the
 * case's ext2 model (ext2_get_blocks() of fs/ext2/inode.c, 4.9, restated
 * over the case: pointer blocks read through a buffer cache, each cold one
 * a metadata read; runs of contiguous blocks mapped up to the end of their
 * pointer container; BH_Boundary when the run reaches that end), calls
 * ref_mpage_readpages() or ref_mpage_readpage(), then completes the bios
 * in submission order and reports every page.
 *
 * Writes: get_block with create=1 maps what the model maps and gives a
 * hole the next block of the case's free list (BH_New, and BH_Boundary
 * when the block is the last its pointer container maps), -ENOSPC when
 * the list is used up; the port side's get_block does the same over the
 * port's lookup (docs/testing.md says why).  ->writepage is a stub that
 * records "writepage page N", unlocks the page and returns 0, or -EIO for
 * the case's wperr pages.
 */
#include "sides.h"
#include "ref-shim.h"

#include <linux/fs.h>
#include <linux/mpage.h>
#include <linux/writeback.h>
#include <string.h>

static struct block_device ref_bdev;
static GHashTable *ptr_cached;	/* pointer blocks in the buffer cache */
static GHashTable *ptr_dirty;	/* those of them that are dirty */
static guint next_free;		/* the next of the case's free blocks */

static bool ref_meta_clean(uint64_t block)
{
	return g_hash_table_remove(ptr_dirty, &block);
}

/*
 * ext2_get_branch() over the model: 0 when the chain is whole, 1 for a
 * hole on the way, -EIO when a pointer block cannot be read (it stays
 * out of the cache, so the next lookup reads it again).
 */
static int model_walk(const struct dcase *c, const unsigned *off, int depth)
{
	for (int d = 1; d < depth; d++) {
		const struct dptr *p = model_find_ptr(c, off, (unsigned)d);
		uint64_t key;

		if (!p)
			return 1;
		key = p->pblk;
		if (!g_hash_table_contains(ptr_cached, &key)) {
			uint64_t *k;

			dlog("meta sector %" G_GUINT64_FORMAT " sectors %u%s",
			     key * (c->blocksize / 512), c->blocksize / 512,
			     u64_in(c->metaeio, key) ? " failed" : "");
			if (u64_in(c->metaeio, key))
				return -EIO;
			k = g_new(uint64_t, 1);
			*k = key;
			g_hash_table_add(ptr_cached, k);
		}
	}
	return 0;
}

static bool log_get_block(void)
{
	return !ref_world.c->aops;
}

/*
 * ext2_get_blocks(create=1) for one block over a hole: the allocator is
 * the case's free list; the new block is BH_New, and BH_Boundary when it
 * is the last of its container (count 1 > blocks_to_boundary).
 */
static int ref_allocate(const struct dcase *c, sector_t iblock,
			struct buffer_head *bh, int blocks_to_boundary)
{
	if (next_free >= c->freeblk->len) {
		dlog("get_block -> %d", -ENOSPC);
		return -ENOSPC;
	}
	set_buffer_mapped(bh);
	set_buffer_new(bh);
	bh->b_bdev = &ref_bdev;
	bh->b_blocknr = g_array_index(c->freeblk, uint64_t, next_free++);
	bh->b_size = c->blocksize;
	if (blocks_to_boundary == 0 && c->boundary)
		set_buffer_boundary(bh);
	dlog("get_block -> %" G_GUINT64_FORMAT " x1 new%s",
	     (guint64)bh->b_blocknr, buffer_boundary(bh) ? " boundary" : "");
	return 0;
}

/* ext2_get_block() (lookup) over the case's model. */
static int ref_get_block(struct inode *inode, sector_t iblock,
			 struct buffer_head *bh, int create)
{
	const struct dcase *c = ref_world.c;
	unsigned maxblocks = (unsigned)(bh->b_size >> inode->i_blkbits);
	unsigned off[MODEL_NPATH];
	int blocks_to_boundary = 0, depth;
	uint64_t first, blk;
	unsigned count;
	int err;

	if (log_get_block())
		dlog("get_block %" G_GUINT64_FORMAT " max %u",
		     (guint64)iblock, maxblocks);
	if (u64_in(c->eio, iblock)) {
		if (log_get_block())
			dlog("get_block -> %d", -EIO);
		return -EIO;
	}
	depth = model_block_to_path(c->blocksize, iblock, off,
				    &blocks_to_boundary);
	/* "block is too big": past what the triple indirect block maps */
	err = depth ? model_walk(c, off, depth) : -EIO;
	if (err < 0) {
		if (log_get_block())
			dlog("get_block -> %d", err);
		return err;
	}
	if (err || !model_map_lookup(c, iblock, &first)) {
		if (create)
			return ref_allocate(c, iblock, bh, blocks_to_boundary);
		if (log_get_block())
			dlog("get_block -> hole");
		return 0;
	}
	count = 1;
	while (count < maxblocks && (int)count <= blocks_to_boundary &&
	       model_map_lookup(c, iblock + count, &blk) &&
	       blk == first + count)
		count++;
	set_buffer_mapped(bh);
	bh->b_bdev = &ref_bdev;
	bh->b_blocknr = first;
	bh->b_size = (size_t)count << inode->i_blkbits;
	if ((int)count > blocks_to_boundary && c->boundary)
		set_buffer_boundary(bh);
	if (u64_in(c->uptodate, iblock))
		set_buffer_uptodate(bh);
	if (log_get_block())
		dlog("get_block -> %" G_GUINT64_FORMAT " x%u%s%s",
		     (guint64)first, count,
		     buffer_boundary(bh) ? " boundary" : "",
		     buffer_uptodate(bh) ? " uptodate" : "");
	return 0;
}

static struct page *new_page(pgoff_t index)
{
	struct page *page = g_new0(struct page, 1);

	page->index = index;
	INIT_LIST_HEAD(&page->lru);
	g_ptr_array_add(ref_world.all_pages, page);
	return page;
}

static void give_buffers(struct page *page, const struct dpage *dp,
			 unsigned blocksize)
{
	struct buffer_head *head, *bh;

	create_empty_buffers(page, blocksize, 0);
	head = bh = page_buffers(page);
	for (int b = 0; b < dp->nbufs; b++) {
		if (dp->bstate[b] & DB_UPTODATE)
			set_buffer_uptodate(bh);
		if (dp->bstate[b] & DB_DIRTY)
			set_buffer_dirty(bh);
		if (dp->bstate[b] & DB_NEW)
			set_buffer_new(bh);
		if (dp->bstate[b] & DB_BOUNDARY)
			set_buffer_boundary(bh);
		if (dp->bstate[b] & DB_LOCKED)
			set_buffer_locked(bh);
		if (dp->bstate[b] & DB_MAPPED) {
			set_buffer_mapped(bh);
			bh->b_bdev = &ref_bdev;
			bh->b_blocknr = dp->bblock[b];
		}
		bh = bh->b_this_page;
		if (bh == head)
			break;
	}
}

static void report_pages(const struct dcase *c)
{
	GArray *idx = case_page_indexes(c);

	for (guint i = 0; i < idx->len; i++) {
		uint64_t index = g_array_index(idx, uint64_t, i);
		struct page *page = g_hash_table_lookup(ref_world.cache,
							&index);
		struct dstate s = { 0 };

		if (page) {
			s.present = true;
			s.locked = PageLocked(page);
			s.error = PageError(page);
			s.uptodate = PageUptodate(page);
			s.dirty = PageDirty(page);
			s.writeback = PageWriteback(page);
			s.mappedtodisk = PageMappedToDisk(page);
			s.has_buffers = page_has_buffers(page);
		}
		if (s.has_buffers) {
			struct buffer_head *head = page_buffers(page);
			struct buffer_head *bh = head;

			do {
				unsigned st = 0;

				st |= buffer_uptodate(bh) ? DS_UPTODATE : 0;
				st |= buffer_dirty(bh) ? DS_DIRTY : 0;
				st |= buffer_locked(bh) ? DS_LOCKED : 0;
				st |= buffer_mapped(bh) ? DS_MAPPED : 0;
				st |= buffer_new(bh) ? DS_NEW : 0;
				st |= buffer_boundary(bh) ? DS_BOUNDARY : 0;
				s.bblock[s.nbufs] = bh->b_blocknr;
				s.bstate[s.nbufs++] = st;
				bh = bh->b_this_page;
			} while (bh != head && s.nbufs < 8);
		}
		dlog_state(index, &s);
	}
	g_array_unref(idx);
}

static void free_page_buffers(struct page *page)
{
	struct buffer_head *head, *bh;

	if (!page_has_buffers(page))
		return;
	head = bh = page_buffers(page);
	do {
		struct buffer_head *next = bh->b_this_page;

		g_free(bh);
		bh = next;
	} while (bh != head);
}

/* The filesystem's ->writepage, as the line the test draws. */
static int ref_writepage(struct page *page, struct writeback_control *wbc)
{
	int err = u64_in(ref_world.c->wperr, page->index) ? -EIO : 0;

	dlog("writepage page %" G_GUINT64_FORMAT " -> %d",
	     (guint64)page->index, err);
	unlock_page(page);
	return err;
}

static const struct address_space_operations ref_aops = {
	.writepage = ref_writepage,
};

/*
 * writepages: mpage_writepages() with the case's writeback_control;
 * writepage: the caller's part first (the page locked, its dirty bit
 * cleared for I/O, as write_cache_pages() leaves it), then
 * mpage_writepage().
 */
static void ref_write(const struct dcase *c, struct address_space *mapping)
{
	struct writeback_control wbc = {
		.nr_to_write = (long)c->nr_to_write,
		.sync_mode = c->sync_all ? WB_SYNC_ALL : WB_SYNC_NONE,
		.range_start = c->cyclic ? 0 : c->range_start,
		.range_end = c->cyclic ? 0 : c->range_end,
		.range_cyclic = c->cyclic,
		.tagged_writepages = c->tagged,
	};
	int ret;

	mapping->a_ops = &ref_aops;
	mapping->writeback_index = c->wb_index;
	if (c->op == DOP_WRITEPAGES) {
		ret = mpage_writepages(mapping, &wbc, ref_get_block);
	} else {
		uint64_t index = g_array_index(c->pages, uint64_t, 0);
		struct page *page = g_hash_table_lookup(ref_world.cache,
							&index);

		SetPageLocked(page);
		ClearPageDirty(page);
		ret = mpage_writepage(page, ref_get_block, &wbc);
	}
	dlog("return %d nr_to_write %ld writeback_index %" G_GUINT64_FORMAT,
	     ret, wbc.nr_to_write, (guint64)mapping->writeback_index);
	report_pages(c);
}

void ref_run_case(const struct dcase *c, GPtrArray *log)
{
	struct inode inode = { 0 };
	struct address_space mapping = { 0 };
	struct page *target = NULL;
	struct list_head pool;
	int ret = 0;

	memset(&ref_world, 0, sizeof(ref_world));
	ref_world.c = c;
	ref_world.cache = g_hash_table_new(g_int64_hash, g_int64_equal);
	ref_world.all_pages = g_ptr_array_new();
	ref_world.pending_tail = &ref_world.pending;
	ref_current_task.flags = c->memalloc ? PF_MEMALLOC : 0;
	ptr_cached = g_hash_table_new_full(g_int64_hash, g_int64_equal,
					   g_free, NULL);
	ptr_dirty = g_hash_table_new_full(g_int64_hash, g_int64_equal,
					  g_free, NULL);
	next_free = 0;
	ref_world.meta_clean = ref_meta_clean;
	for (guint i = 0; i < c->ptrs->len; i++) {
		const struct dptr *p = &g_array_index(c->ptrs, struct dptr, i);

		if (p->cached) {
			uint64_t *k = g_new(uint64_t, 1);

			*k = p->pblk;
			g_hash_table_add(ptr_cached, k);
			if (p->dirty)
				g_hash_table_add(ptr_dirty,
						 g_memdup2(k, sizeof(*k)));
		}
	}
	for (guint i = 0; i < c->stale->len; i++) {
		uint64_t *k = &g_array_index(c->stale, uint64_t, i);

		g_hash_table_add(ptr_cached, g_memdup2(k, sizeof(*k)));
		g_hash_table_add(ptr_dirty, g_memdup2(k, sizeof(*k)));
	}
	dlog_begin(log);

	inode.i_blkbits = (unsigned)g_bit_nth_lsf(c->blocksize, -1);
	inode.i_size = (loff_t)c->isize;
	inode.i_mapping = &mapping;
	mapping.host = &inode;
	mapping.gfp_mask = GFP_KERNEL;

	for (guint i = 0; i < c->cached->len; i++) {
		const struct dpage *dp = &g_array_index(c->cached,
							struct dpage, i);
		struct page *page = new_page(dp->index);

		if (add_to_page_cache_lru(page, &mapping, dp->index,
					  GFP_KERNEL))
			continue;	/* named twice: the first one stands */
		if (dp->uptodate)
			SetPageUptodate(page);
		/* after the buffers: create_empty_buffers() would dirty them */
		if (dp->nbufs)
			give_buffers(page, dp, c->blocksize);
		if (dp->dirty)
			SetPageDirty(page);
		if (dp->writeback)
			SetPageWriteback(page);
		unlock_page(page);
	}

	if (case_is_write(c)) {
		ref_write(c, &mapping);
	} else if (c->op == DOP_READPAGE) {
		uint64_t index = g_array_index(c->pages, uint64_t, 0);

		target = g_hash_table_lookup(ref_world.cache, &index);
		if (!target) {
			target = new_page(index);
			add_to_page_cache_lru(target, &mapping, index,
					      GFP_KERNEL);
		} else {
			SetPageLocked(target);
		}
		ret = mpage_readpage(target, ref_get_block);
	} else {
		INIT_LIST_HEAD(&pool);
		for (guint i = 0; i < c->pages->len; i++) {
			struct page *page = new_page(g_array_index(c->pages,
								   uint64_t, i));

			list_add(&page->lru, &pool);
		}
		ret = mpage_readpages(&mapping, &pool, c->pages->len,
				      ref_get_block);
	}
	if (!case_is_write(c)) {
		dlog("return %d", ret);
		report_pages(c);
	}

	dlog("complete");
	for (uint64_t k = 1; ref_world.pending; k++) {
		struct bio *bio = ref_world.pending;

		ref_world.pending = bio->ref_next;
		bio->bi_error = u64_in(c->bioeio, k) ? -EIO : 0;
		bio->bi_end_io(bio);
	}
	report_pages(c);
	if (case_is_write(c))
		dlog("mapping%s%s", test_bit(AS_EIO, &mapping.flags) ?
		     " eio" : "", test_bit(AS_ENOSPC, &mapping.flags) ?
		     " enospc" : "");
	dlog_end();

	for (guint i = 0; i < ref_world.all_pages->len; i++) {
		struct page *page = g_ptr_array_index(ref_world.all_pages, i);

		free_page_buffers(page);
		g_free(page);
	}
	g_ptr_array_unref(ref_world.all_pages);
	g_hash_table_destroy(ref_world.cache);
	g_hash_table_destroy(ptr_cached);
	g_hash_table_destroy(ptr_dirty);
	memset(&ref_world, 0, sizeof(ref_world));
}
