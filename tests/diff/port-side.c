/*
 * port-side.c - run one case through the port: src/fs/mpage.c with the
 * port's ext2 mapping (src/fs/ext2/inode.c), buffer cache (src/fs/buffer.c)
 * and page cache, from src/libmpsim.a.
 *
 * The world is built with the port's own API: ext2_fill_super and
 * ext2_new_inode, pointer blocks placed and data blocks mapped as the
 * case says, cold or warm pointer blocks in the buffer cache, test faults
 * for up-to-date buffers and -EIO, bio_alloc faults.  The program is
 * linked with ld's --wrap for the calls where the test draws its line,
 * the same line the shim draws for the reference:
 *   submit_bio            recorded; metadata reads complete at once, data
 *                         bios at the end of the operation, in order;
 *   block_read_full_page  recorded as "fallback page N", not run;
 *   bdev_read_page        brd's rw_page when the case says so;
 *   zero_user_segment, cleancache_get_page   recorded, then run;
 *   bdev_write_page       recorded, then run: the port's own, over a
 *                         simple device with rw_page when the case says so;
 *   write_boundary_block, unmap_underlying_metadata   recorded, then run
 *                         (a boundary write's bio is recorded by
 *                         submit_bio).
 * Writes go through the port's own mpage_writepages and write_cache_pages;
 * get_block with create=1 looks up with the port's ext2_get_block and
 * gives a hole the next block of the case's free list, as the reference
 * side does; the inode's ->writepage is the same recording stub.
 */
#include "sides.h"

#include <string.h>
#include "block/bio.h"
#include "block/blkdev.h"
#include "disk/disk.h"
#include "fs/block_dev.h"
#include "fs/buffer.h"
#include "fs/ext2/ext2.h"
#include "fs/mpage.h"
#include "mm/page-writeback.h"
#include "trace/trace.h"

/* ld --wrap: __real_* is the port's function, __wrap_* replaces it. */
void __wrap_submit_bio(struct bio *bio);
int __wrap_block_read_full_page(struct page *page, get_block_t *get_block);
int __wrap_bdev_read_page(struct block_device *bdev, sector_t sector,
			  struct page *page);
void __wrap_zero_user_segment(struct page *page, unsigned start,
			      unsigned end);
void __real_zero_user_segment(struct page *page, unsigned start,
			      unsigned end);
int __wrap_cleancache_get_page(struct page *page);
int __real_cleancache_get_page(struct page *page);
int __wrap_bdev_write_page(struct block_device *bdev, sector_t sector,
			   struct page *page, struct writeback_control *wbc);
int __real_bdev_write_page(struct block_device *bdev, sector_t sector,
			   struct page *page, struct writeback_control *wbc);
void __wrap_write_boundary_block(struct block_device *bdev, sector_t bblock,
				 unsigned blocksize);
void __real_write_boundary_block(struct block_device *bdev, sector_t bblock,
				 unsigned blocksize);
void __wrap_unmap_underlying_metadata(struct block_device *bdev,
				      sector_t block);
void __real_unmap_underlying_metadata(struct block_device *bdev,
				      sector_t block);

static struct {
	const struct dcase *c;
	GPtrArray *pending;	/* data bios, in submission order */
	guint next_free;	/* the next of the case's free blocks */
} port;

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

void __wrap_submit_bio(struct bio *bio)
{
	GString *s;

	if (bio->origin == BIO_ORIGIN_META && bio->bi_op == REQ_OP_WRITE) {
		s = g_string_new("meta W");
		flag_names(s, bio->bi_opf);
		dlog("%s sector %" G_GUINT64_FORMAT " sectors %u", s->str,
		     (guint64)bio->bi_iter.bi_sector,
		     bio->bi_iter.bi_size >> 9);
		g_string_free(s, TRUE);
		bio->bi_error = 0;
		bio_endio(bio);
		return;
	}
	if (bio->origin == BIO_ORIGIN_META) {
		bool fail = u64_in(port.c->metaeio, bio->meta_block);

		dlog("meta sector %" G_GUINT64_FORMAT " sectors %u%s",
		     (guint64)bio->bi_iter.bi_sector, bio->bi_iter.bi_size >> 9,
		     fail ? " failed" : "");
		bio->bi_error = fail ? -EIO : 0;
		bio_endio(bio);
		return;
	}
	s = g_string_new(NULL);
	g_string_append_printf(s, "bio %s", bio->bi_op == REQ_OP_WRITE ?
			       "W" : "R");
	flag_names(s, bio->bi_opf);
	g_string_append_printf(s, " sector %" G_GUINT64_FORMAT " bytes %u "
			       "maxvecs %u end_io %s:",
			       (guint64)bio->bi_iter.bi_sector,
			       bio->bi_iter.bi_size, bio->bi_max_vecs,
			       bio->bi_end_io ? "set" : "none");
	if (bio->origin != BIO_ORIGIN_MPAGE)
		g_string_append(s, " (not from mpage)");
	for (unsigned i = 0; i < bio->bi_vcnt; i++)
		g_string_append_printf(s, " %" G_GUINT64_FORMAT "+%u/%u",
			(guint64)bio->bi_io_vec[i].bv_page->index,
			bio->bi_io_vec[i].bv_offset, bio->bi_io_vec[i].bv_len);
	dlog("%s", s->str);
	g_string_free(s, TRUE);
	g_ptr_array_add(port.pending, bio);
}

int __wrap_block_read_full_page(struct page *page, get_block_t *get_block)
{
	(void)get_block;
	dlog("fallback page %" G_GUINT64_FORMAT, (guint64)page->index);
	return 0;
}

int __wrap_bdev_read_page(struct block_device *bdev, sector_t sector,
			  struct page *page)
{
	(void)bdev;
	if (!port.c->rw_page)
		return -EOPNOTSUPP;
	dlog("rw_page page %" G_GUINT64_FORMAT " sector %" G_GUINT64_FORMAT,
	     (guint64)page->index, (guint64)sector);
	page_endio(page, false, 0);
	return 0;
}

void __wrap_zero_user_segment(struct page *page, unsigned start,
			      unsigned end)
{
	dlog("zero page %" G_GUINT64_FORMAT " %u-%u", (guint64)page->index,
	     start, end);
	__real_zero_user_segment(page, start, end);
}

int __wrap_cleancache_get_page(struct page *page)
{
	int r = __real_cleancache_get_page(page);

	dlog("cleancache page %" G_GUINT64_FORMAT " %s", (guint64)page->index,
	     r == 0 ? "hit" : "miss");
	return r;
}

int __wrap_bdev_write_page(struct block_device *bdev, sector_t sector,
			   struct page *page, struct writeback_control *wbc)
{
	struct task *saved;
	int r;

	/* a read case's device has no disk: bdev_read_page is replaced */
	if (!bdev->bd_disk)
		return -EOPNOTSUPP;
	/* no task to charge the copy's time to (PF_MEMALLOC's is a stand-in) */
	saved = current;
	current = NULL;
	r = __real_bdev_write_page(bdev, sector, page, wbc);
	current = saved;
	if (r == 0)
		dlog("rw_page W page %" G_GUINT64_FORMAT " sector %"
		     G_GUINT64_FORMAT, (guint64)page->index, (guint64)sector);
	return r;
}

/* A write case's device: the simple model, with rw_page when asked. */
static struct disk *port_disk(const struct dcase *c)
{
	struct disk_params *p = disk_params_new();
	struct disk *d;
	GError *err = NULL;

	if (!disk_params_set(p, "preset", "simple", &err) ||
	    !disk_params_set(p, "rw_page", c->rw_page ? "on" : "off", &err))
		g_error("diff-mpage: %s", err->message);
	d = disk_new(p);
	disk_params_free(p);
	return d;
}

void __wrap_write_boundary_block(struct block_device *bdev, sector_t bblock,
				 unsigned blocksize)
{
	dlog("write_boundary_block %" G_GUINT64_FORMAT, (guint64)bblock);
	__real_write_boundary_block(bdev, bblock, blocksize);
}

void __wrap_unmap_underlying_metadata(struct block_device *bdev,
				      sector_t block)
{
	dlog("unmap_metadata %" G_GUINT64_FORMAT, (guint64)block);
	__real_unmap_underlying_metadata(bdev, block);
}

/*
 * A hole asked for with create=1: the next block of the case's free list,
 * BH_New, BH_Boundary when it is the last block its container maps (the
 * reference side's allocator, ref-side.c).
 */
static int port_allocate(struct inode *inode, sector_t iblock,
			 struct buffer_head *bh)
{
	const struct dcase *c = port.c;
	unsigned off[MODEL_NPATH];
	int to_boundary = 0;

	if (port.next_free >= c->freeblk->len) {
		dlog("get_block -> %d", -ENOSPC);
		return -ENOSPC;
	}
	model_block_to_path(c->blocksize, iblock, off, &to_boundary);
	set_buffer_mapped(bh);
	set_buffer_new(bh);
	bh->b_bdev = inode->i_sb->s_bdev;
	bh->b_blocknr = g_array_index(c->freeblk, uint64_t, port.next_free++);
	bh->b_size = c->blocksize;
	if (to_boundary == 0 && c->boundary)
		set_buffer_boundary(bh);
	dlog("get_block -> %" G_GUINT64_FORMAT " x1 new%s",
	     (guint64)bh->b_blocknr, buffer_boundary(bh) ? " boundary" : "");
	return 0;
}

/* The filesystem's get_block as mpage sees it: ext2_get_block, logged. */
static int port_get_block(struct inode *inode, sector_t iblock,
			  struct buffer_head *bh, int create)
{
	int r;

	dlog("get_block %" G_GUINT64_FORMAT " max %u", (guint64)iblock,
	     (unsigned)(bh->b_size >> inode->i_blkbits));
	r = ext2_get_block(inode, iblock, bh, 0);
	if (!r && create && !buffer_mapped(bh))
		return port_allocate(inode, iblock, bh);
	/* the reference side logs the same: its model's answer */
	if (r)
		dlog("get_block -> %d", r);
	else if (!buffer_mapped(bh))
		dlog("get_block -> hole");
	else
		dlog("get_block -> %" G_GUINT64_FORMAT " x%u%s%s",
		     (guint64)bh->b_blocknr,
		     (unsigned)(bh->b_size >> inode->i_blkbits),
		     buffer_boundary(bh) ? " boundary" : "",
		     buffer_uptodate(bh) ? " uptodate" : "");
	return r;
}

static void build_map(const struct dcase *c, struct inode *inode,
		      struct block_device *bdev)
{
	char *why = NULL;

	for (guint i = 0; i < c->ptrs->len; i++) {
		const struct dptr *p = &g_array_index(c->ptrs, struct dptr, i);

		/* a child of a hole stays out, as the model leaves it */
		if (ext2_place_pointer_block(inode, p->path, (int)p->depth,
					     (uint32_t)p->pblk, &why)) {
			g_free(why);
			why = NULL;
		}
		if (p->cached)
			buffer_cache_preload(bdev, p->pblk, c->blocksize);
		if (p->cached && p->dirty) {
			struct buffer_head *bh = __find_get_block(bdev, p->pblk,
							c->blocksize);

			set_buffer_dirty(bh);
			brelse(bh);
		}
	}
	for (guint i = 0; i < c->stale->len; i++) {
		uint64_t b = g_array_index(c->stale, uint64_t, i);
		struct buffer_head *bh;

		buffer_cache_preload(bdev, b, c->blocksize);
		bh = __find_get_block(bdev, b, c->blocksize);
		set_buffer_dirty(bh);
		brelse(bh);
	}
	for (guint i = 0; i < c->map->len; i++) {
		const struct dextent *e = &g_array_index(c->map,
							 struct dextent, i);

		for (uint64_t b = 0; b < e->len; b++)
			if (ext2_map_data_block(inode, e->lblk + b,
						(uint32_t)(e->pblk + b),
						&why)) {
				/* under a pointer block that is a hole */
				g_free(why);
				why = NULL;
			}
	}
}

static void give_buffers(struct page *page, const struct dpage *dp,
			 struct block_device *bdev, unsigned blocksize)
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
			bh->b_bdev = bdev;
			bh->b_blocknr = dp->bblock[b];
		}
		bh = bh->b_this_page;
		if (bh == head)
			break;
	}
}

static void report_pages(const struct dcase *c, struct address_space *m)
{
	GArray *idx = case_page_indexes(c);

	for (guint i = 0; i < idx->len; i++) {
		uint64_t index = g_array_index(idx, uint64_t, i);
		struct page *page = find_get_page(m, index);
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
		if (page)
			put_page(page);
	}
	g_array_unref(idx);
}

static void quiet_event(void *ctx, const struct trace_event *ev)
{
	(void)ctx;
	(void)ev;
}

static const struct trace_listener quiet_listener = { quiet_event, NULL };

static gint cmp_u64(gconstpointer a, gconstpointer b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static GArray *sorted_copy(const GArray *a)
{
	GArray *b = g_array_sized_new(FALSE, FALSE, sizeof(uint64_t), a->len);

	g_array_append_vals(b, a->data, a->len);
	g_array_sort(b, cmp_u64);
	return b;
}

/* The filesystem's ->writepage, as the line the test draws. */
static int port_writepage(struct page *page, struct writeback_control *wbc)
{
	int err = u64_in(port.c->wperr, page->index) ? -EIO : 0;

	(void)wbc;
	dlog("writepage page %" G_GUINT64_FORMAT " -> %d",
	     (guint64)page->index, err);
	unlock_page(page);
	return err;
}

/* See ref_write() in ref-side.c: the same calls on the port. */
static void port_write(const struct dcase *c, struct inode *inode)
{
	struct address_space *mapping = inode->i_mapping;
	struct writeback_control wbc = {
		.nr_to_write = (long)c->nr_to_write,
		.sync_mode = c->sync_all ? WB_SYNC_ALL : WB_SYNC_NONE,
		.range_start = c->cyclic ? 0 : c->range_start,
		.range_end = c->cyclic ? 0 : c->range_end,
		.range_cyclic = c->cyclic,
		.tagged_writepages = c->tagged,
	};
	int ret;

	mapping->writeback_index = c->wb_index;
	if (c->op == DOP_WRITEPAGES) {
		ret = mpage_writepages(mapping, &wbc, port_get_block);
	} else {
		struct page *page = find_get_page(mapping,
				g_array_index(c->pages, uint64_t, 0));

		SetPageLocked(page);
		clear_page_dirty_for_io(page);
		ret = mpage_writepage(page, port_get_block, &wbc);
		put_page(page);
	}
	dlog("return %d nr_to_write %ld writeback_index %" G_GUINT64_FORMAT,
	     ret, wbc.nr_to_write, (guint64)mapping->writeback_index);
	report_pages(c, mapping);
}

void port_run_case(const struct dcase *c, GPtrArray *log)
{
	struct block_device *bdev = g_new0(struct block_device, 1);
	struct ext2_options opt = { c->blocksize, c->boundary };
	struct super_block *sb = ext2_fill_super(bdev, &opt);
	struct inode *inode = ext2_new_inode(sb, 1, "f", (loff_t)c->isize);
	struct address_space *mapping = inode->i_mapping;
	GArray *clean = sorted_copy(c->cleancache);
	GArray *faults = sorted_copy(c->allocfail);
	struct task memalloc_task = { .flags = PF_MEMALLOC };
	struct task *saved_current = current;
	struct address_space_operations aops = *inode->a_ops;
	int ret = 0;

	port.c = c;
	port.pending = g_ptr_array_new();
	port.next_free = 0;
	if (case_is_write(c))
		bdev->bd_disk = port_disk(c);
	aops.writepage = port_writepage;
	inode->a_ops = &aops;
	writeback_counters_reset();
	build_map(c, inode, bdev);
	ext2_set_test_faults(inode, c->uptodate->len ? c->uptodate : NULL,
			     c->eio->len ? c->eio : NULL);
	inode->cleancache_pages = (const pgoff_t *)clean->data;
	inode->nr_cleancache_pages = clean->len;
	bio_reset();
	bio_set_alloc_faults((const uint64_t *)faults->data, faults->len);
	if (c->memalloc)
		current = &memalloc_task;
	/*
	 * A listener, so that the port builds its trace notes too; the a_ops
	 * entry runs without one, so that the early returns run as well.
	 */
	if (!c->aops)
		trace_add_listener(&quiet_listener);
	dlog_begin(log);

	for (guint i = 0; i < c->cached->len; i++) {
		const struct dpage *dp = &g_array_index(c->cached,
							struct dpage, i);
		struct page *page = page_alloc(dp->index);

		if (add_to_page_cache_lru(page, mapping, dp->index,
					  GFP_KERNEL) == 0) {
			if (dp->uptodate)
				SetPageUptodate(page);
			/* after the buffers, which would all be dirtied */
			if (dp->nbufs)
				give_buffers(page, dp, bdev, c->blocksize);
			if (dp->dirty)
				__set_page_dirty_nobuffers(page);
			if (dp->writeback)
				SetPageWriteback(page);
			unlock_page(page);
		}
		put_page(page);
	}

	if (case_is_write(c)) {
		port_write(c, inode);
	} else if (c->op == DOP_READPAGE) {
		uint64_t index = g_array_index(c->pages, uint64_t, 0);
		struct page *page = find_get_page(mapping, index);

		if (!page) {
			page = page_alloc(index);
			add_to_page_cache_lru(page, mapping, index, GFP_KERNEL);
		} else {
			SetPageLocked(page);
		}
		ret = c->aops ? inode->a_ops->readpage(page) :
			mpage_readpage(page, port_get_block);
		put_page(page);
	} else {
		struct list_head pool;

		INIT_LIST_HEAD(&pool);
		for (guint i = 0; i < c->pages->len; i++) {
			struct page *page = page_alloc(g_array_index(c->pages,
								uint64_t, i));

			list_add(&page->lru, &pool);
		}
		ret = c->aops ? inode->a_ops->readpages(mapping, &pool,
							c->pages->len) :
			mpage_readpages(mapping, &pool, c->pages->len,
					port_get_block);
	}
	if (!case_is_write(c)) {
		dlog("return %d", ret);
		report_pages(c, mapping);
	}

	dlog("complete");
	for (guint i = 0; i < port.pending->len; i++) {
		struct bio *bio = g_ptr_array_index(port.pending, i);

		bio->bi_error = u64_in(c->bioeio, i + 1) ? -EIO : 0;
		bio_endio(bio);
	}
	report_pages(c, mapping);
	if (case_is_write(c))
		dlog("mapping%s%s", test_bit(AS_EIO, &mapping->flags) ?
		     " eio" : "", test_bit(AS_ENOSPC, &mapping->flags) ?
		     " enospc" : "");
	dlog_end();

	current = saved_current;
	writeback_counters_reset();
	trace_clear_listeners();
	bio_reset();
	g_ptr_array_unref(port.pending);
	port.pending = NULL;
	ext2_free_inode(inode);
	ext2_put_super(sb);
	buffer_cache_destroy(bdev);
	if (bdev->bd_disk)
		disk_free(bdev->bd_disk);
	g_free(bdev);
	g_array_unref(clean);
	g_array_unref(faults);
}
