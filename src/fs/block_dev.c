/*
 * block_dev.c - the block device as fs/block_dev.c (4.9) has it:
 * bdev_read_page() and bdev_write_page(), a page read or written through
 * the driver's rw_page, and the block device's own inode (bd_inode),
 * whose writeback writes the filesystem's dirty metadata buffers.
 *
 * Only devices with rw_page (a ramdisk, brd) take the rw_page path.  The
 * driver copies the page synchronously in the caller's context: no bio,
 * no request, no sleep (so the caller's plug is kept); the caller is busy
 * for the device's service time.  mpsim logs it as an "rw_page" event.
 *
 * The block device's inode, when a filesystem writes its metadata
 * (bdev_writeback_init): the buffer cache's buffers (pointer blocks,
 * inode table blocks, bitmaps, descriptors) have no pages in mpsim, but
 * dirtying one dirties the bd_inode page that would hold it, created in
 * bd_inode's page cache, and so puts bd_inode on the flusher's lists like
 * any inode.  Its writeback is blkdev_writepages -> generic_writepages ->
 * blkdev_writepage, i.e. block_write_full_page() over the page's dirty
 * buffers: one bio each, WB_SYNC_NONE writes with flags 0 (origin
 * "meta").  A page whose buffers were cleaned meanwhile (by
 * write_boundary_block or fsync) is still dirty, and goes through
 * writeback without I/O, as in 4.9.
 */
#include "fs/block_dev.h"

#include <string.h>
#include "block/bio.h"
#include "block/blkdev.h"
#include "disk/disk.h"
#include "fs/buffer.h"
#include "fs/fs.h"
#include "mm/filemap.h"
#include "mm/page-writeback.h"
#include "sim/sched.h"
#include "trace/trace.h"

static void trace_rw_page(const struct page *page, const char *op,
			  const struct disk_completion *c)
{
	struct trace_note n = trace_note_init();

	if (!trace_enabled())
		return;
	n.file = mapping_name(page->mapping);
	n.page = (int64_t)page->index;
	n.sector = (int64_t)c->cmd.sector;
	n.sectors = c->cmd.sectors;
	n.value = c->complete_ns - c->submit_ns;
	n.reason = op;
	trace_note("rw_page", &n);
}

/* bdev_read_page() - fs/block_dev.c */
int bdev_read_page(struct block_device *bdev, sector_t sector,
		   struct page *page)
{
	struct disk_completion c;

	if (!bdev || !disk_supports_rw_page(bdev->bd_disk))
		return -EOPNOTSUPP;
	disk_rw_page(bdev->bd_disk, DISK_READ, sector, PAGE_SIZE >> 9,
		     ev_now(), &c);
	trace_rw_page(page, "R", &c);
	/* brd_rw_page(): the copy takes the caller's time, then page_endio */
	if (current)
		sched_busy(c.complete_ns - ev_now());
	page_endio(page, false, 0);
	return 0;
}

/*
 * bdev_write_page() - fs/block_dev.c
 *
 * The page is set under writeback, the driver writes it synchronously
 * (brd_rw_page() ends the writeback through page_endio), and the page is
 * unlocked; the caller's time advances by the device's service time.
 */
int bdev_write_page(struct block_device *bdev, sector_t sector,
		    struct page *page, struct writeback_control *wbc)
{
	struct disk_completion c;

	(void)wbc;
	if (!bdev || !disk_supports_rw_page(bdev->bd_disk))
		return -EOPNOTSUPP;
	set_page_writeback(page);
	disk_rw_page(bdev->bd_disk, DISK_WRITE, sector, PAGE_SIZE >> 9,
		     ev_now(), &c);
	trace_rw_page(page, "W", &c);
	if (current)
		sched_busy(c.complete_ns - ev_now());
	page_endio(page, true, 0);
	unlock_page(page);
	return 0;
}

struct flush_wait {
	bool done;
	int error;
	struct wait_queue_head wq;
};

/* submit_bio_wait_endio() - block/bio.c */
static void flush_endio(struct bio *bio)
{
	struct flush_wait *w = bio->bi_private;

	w->done = true;
	w->error = bio->bi_error;
	wake_up_all(&w->wq);
	bio_put(bio);
}

/* blkdev_issue_flush() - block/blk-flush.c, with submit_bio_wait() */
int blkdev_issue_flush(struct block_device *bdev)
{
	struct flush_wait w = { false, 0, { NULL, NULL } };
	struct bio *bio = bio_alloc(GFP_NOIO, 0);

	bio->bi_bdev = bdev;
	bio->bi_iter.bi_sector = 0;
	bio->bi_end_io = flush_endio;
	bio->bi_private = &w;
	bio->origin = BIO_ORIGIN_FLUSH;
	bio_set_op_attrs(bio, REQ_OP_FLUSH, WRITE_SYNC);
	submit_bio(bio);
	while (!w.done)
		sched_wait(&w.wq);
	return w.error;
}

/* ---- the block device's inode and its writeback ---- */

static struct {
	bool on;
	struct block_device *bdev;
	unsigned blocksize;		/* the filesystem's buffers' size */
	struct inode inode;		/* bd_inode */
} bd;

/* The buffers of one bd_inode page, each cached one in turn. */
static unsigned page_blocks(const struct page *page, sector_t *first)
{
	unsigned per_page = (unsigned)(PAGE_SIZE / bd.blocksize);

	*first = (sector_t)page->index * per_page;
	return per_page;
}

/*
 * end_buffer_async_write() - fs/buffer.c, for a buffer of a bd_inode
 * page: the page's writeback ends with its last buffer.
 */
static void end_bdev_async_write(struct buffer_head *bh, int uptodate)
{
	struct page *page = bh->b_private;
	sector_t first;
	unsigned n = page_blocks(page, &first);
	bool busy = false;

	if (uptodate) {
		set_buffer_uptodate(bh);
	} else {
		set_buffer_write_io_error(bh);
		mapping_set_error(page->mapping, -EIO);
	}
	clear_buffer_async_write(bh);
	bh->b_private = NULL;
	unlock_buffer(bh);
	put_bh(bh);
	for (unsigned i = 0; i < n && !busy; i++) {
		struct buffer_head *b = __find_get_block(bd.bdev, first + i,
							 bd.blocksize);

		busy = b && buffer_async_write(b);
		if (b)
			brelse(b);
	}
	if (!busy)
		end_page_writeback(page);
}

/*
 * blkdev_writepage() - fs/block_dev.c: block_write_full_page() ->
 * __block_write_full_page() of a bd_inode page over its buffers: each
 * dirty one is locked (WB_SYNC_NONE: a locked buffer redirties the page
 * instead, redirty_page_for_writepage), cleaned and marked async; the
 * page goes under writeback and is unlocked; then each is submitted.
 */
static int blkdev_writepage(struct page *page, struct writeback_control *wbc)
{
	int write_flags = wbc->sync_mode == WB_SYNC_ALL ? WRITE_SYNC : 0;
	struct buffer_head *bhs[PAGE_SIZE / 512];
	unsigned nr = 0;
	sector_t first;
	unsigned n = page_blocks(page, &first);

	for (unsigned i = 0; i < n; i++) {
		struct buffer_head *bh = __find_get_block(bd.bdev, first + i,
							  bd.blocksize);

		if (!bh)
			continue;
		if (!buffer_dirty(bh)) {
			brelse(bh);
			continue;
		}
		if (wbc->sync_mode != WB_SYNC_NONE) {
			lock_buffer(bh);
		} else if (!trylock_buffer(bh)) {
			redirty_page_for_writepage(wbc, page);
			brelse(bh);
			continue;
		}
		if (test_clear_buffer_dirty(bh)) {
			set_buffer_async_write(bh);
			bh->b_private = page;
			bhs[nr++] = bh;
		} else {
			unlock_buffer(bh);
			brelse(bh);
		}
	}
	set_page_writeback(page);
	unlock_page(page);
	for (unsigned i = 0; i < nr; i++) {
		bhs[i]->b_end_io = end_bdev_async_write;
		submit_bh(REQ_OP_WRITE, write_flags, bhs[i]);
	}
	if (!nr)
		end_page_writeback(page);
	return 0;
}

/* blkdev_writepages() - fs/block_dev.c */
static int blkdev_writepages(struct address_space *mapping,
			     struct writeback_control *wbc)
{
	return generic_writepages(mapping, wbc);
}

/* def_blk_aops - fs/block_dev.c, the writeback half */
static const struct address_space_operations def_blk_aops = {
	.writepage = blkdev_writepage,
	.writepages = blkdev_writepages,
};

void bdev_writeback_init(struct block_device *bdev, unsigned blocksize)
{
	memset(&bd.inode, 0, sizeof(bd.inode));
	bd.on = true;
	bd.bdev = bdev;
	bd.blocksize = blocksize;
	bd.inode.i_name = g_strdup("(bdev)");
	bd.inode.i_blkbits = (unsigned)g_bit_nth_lsf(blocksize, -1);
	mapping_init(&bd.inode.i_data, &bd.inode);
	bd.inode.i_mapping = &bd.inode.i_data;
	bd.inode.a_ops = &def_blk_aops;
	INIT_LIST_HEAD(&bd.inode.i_io_list);
	bd.inode.i_mtime = -1;
}

void bdev_writeback_destroy(void)
{
	if (!bd.on)
		return;
	mapping_destroy(&bd.inode.i_data);
	g_free(bd.inode.i_name);
	bd.inode.i_name = NULL;
	bd.on = false;
}

/*
 * The page half of mark_buffer_dirty() for a block device buffer:
 * __set_page_dirty() of the bd_inode page that holds the block (found or
 * added to bd_inode's page cache).
 */
void bdev_buffer_page_dirty(struct buffer_head *bh)
{
	struct address_space *mapping = &bd.inode.i_data;
	pgoff_t index;
	struct page *page;

	if (!bd.on || bh->b_bdev != bd.bdev || bh->b_size != bd.blocksize)
		return;
	index = (pgoff_t)((bh->b_blocknr * bh->b_size) >> PAGE_SHIFT);
	page = find_get_page(mapping, index);
	if (!page) {
		page = page_alloc(index);
		if (add_to_page_cache_lru(page, mapping, index, GFP_NOFS)) {
			put_page(page);
			return;
		}
		SetPageUptodate(page);
		unlock_page(page);
	}
	__set_page_dirty_nobuffers(page);
	put_page(page);
}
