/*
 * buffer.c - buffer heads: the per-block I/O path and the block device's
 * buffer cache (fs/buffer.c, 4.9).
 *
 * Ported functions keep the kernel's names and shape.  What mpsim leaves
 * out: the buffer LRU, data copies, and buffers of the block device's own
 * page cache other than the ones asked for (__getblk creates only the
 * requested buffer; in the kernel its neighbours in the same page exist but
 * stay unread, which changes no I/O).
 */
#include "fs/buffer.h"

#include <glib.h>
#include "block/bio.h"
#include "block/blkdev.h"
#include "fs/block_dev.h"
#include "fs/mpage.h"
#include "mm/page-writeback.h"
#include "mm/slab.h"
#include "trace/trace.h"

/* ---- buffer rings on pages ---- */

/* Freed buffer heads, kept for the next (bh_cachep in fs/buffer.c). */
static struct kmem_cache bh_cachep =
	KMEM_CACHE_INIT(sizeof(struct buffer_head), 4096);

/* alloc_buffer_head() - fs/buffer.c */
static struct buffer_head *alloc_buffer_head(void)
{
	return kmem_cache_zalloc(&bh_cachep);
}

/* free_buffer_head() - fs/buffer.c */
static void free_buffer_head(struct buffer_head *bh)
{
	kmem_cache_free(&bh_cachep, bh);
}

/* alloc_page_buffers() + create_empty_buffers() - fs/buffer.c */
void create_empty_buffers(struct page *page, unsigned long blocksize,
			  unsigned long b_state)
{
	struct buffer_head *head = NULL, *tail = NULL, *bh;
	long offset;

	/* alloc_page_buffers builds the list from the end of the page */
	for (offset = (long)PAGE_SIZE - (long)blocksize; offset >= 0;
	     offset -= (long)blocksize) {
		bh = alloc_buffer_head();
		bh->b_this_page = head;
		bh->b_blocknr = (sector_t)-1;
		bh->b_size = blocksize;
		bh->b_offset = (unsigned)offset;
		bh->b_page = page;
		head = bh;
		if (!tail)
			tail = bh;
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
	/* attach_page_buffers */
	get_page(page);
	SetPagePrivate(page);
	page->private = head;
}

/* create_page_buffers() - fs/buffer.c */
static struct buffer_head *create_page_buffers(struct page *page,
					       struct inode *inode,
					       unsigned b_state)
{
	if (!page_has_buffers(page))
		create_empty_buffers(page, 1UL << inode->i_blkbits, b_state);
	return page_buffers(page);
}

void free_page_buffers(struct page *page)
{
	struct buffer_head *head = page_buffers(page), *bh = head;

	do {
		struct buffer_head *next = bh->b_this_page;

		free_buffer_head(bh);
		bh = next;
	} while (bh != head);
	page->private = NULL;
	ClearPagePrivate(page);
}

/* ---- buffer locks ---- */

void lock_buffer(struct buffer_head *bh)
{
	while (buffer_locked(bh))
		sched_wait(&bh->b_wait);
	set_buffer_locked(bh);
}

bool trylock_buffer(struct buffer_head *bh)
{
	if (buffer_locked(bh))
		return false;
	set_buffer_locked(bh);
	return true;
}

void unlock_buffer(struct buffer_head *bh)
{
	clear_buffer_locked(bh);
	wake_up_all(&bh->b_wait);
}

/* wait_on_buffer(): sleeping flushes the plug, as io_schedule() does. */
void wait_on_buffer(struct buffer_head *bh)
{
	while (buffer_locked(bh))
		sched_wait(&bh->b_wait);
}

/* ---- submitting buffers ---- */

/* end_bio_bh_io_sync() - fs/buffer.c */
static void end_bio_bh_io_sync(struct bio *bio)
{
	struct buffer_head *bh = bio->bi_private;

	bh->b_end_io(bh, !bio->bi_error);
	bio_put(bio);
}

/* submit_bh_wbc() / submit_bh() - fs/buffer.c */
int submit_bh(int op, int op_flags, struct buffer_head *bh)
{
	struct bio *bio;

	g_assert(buffer_locked(bh));
	g_assert(buffer_mapped(bh));
	g_assert(bh->b_end_io != NULL);

	/*
	 * Only clear out a write error when rewriting
	 */
	if (test_set_buffer_req(bh) && (op == REQ_OP_WRITE))
		clear_buffer_write_io_error(bh);

	/*
	 * from here on down, it's all bio -- do the initial mapping,
	 * submit_bio -> generic_make_request may further map this bio around
	 */
	bio = bio_alloc(GFP_NOIO, 1);

	bio->bi_iter.bi_sector = bh->b_blocknr * (bh->b_size >> 9);
	bio->bi_bdev = bh->b_bdev;
	bio_add_page(bio, bh->b_page, (unsigned)bh->b_size, bh->b_offset);
	bio->bi_end_io = end_bio_bh_io_sync;
	bio->bi_private = bh;
	if (bh->b_page) {
		bio->origin = BIO_ORIGIN_BUFFER;
	} else {
		bio->origin = BIO_ORIGIN_META;
		bio->meta_block = bh->b_blocknr;
	}

	/* Take care of bh's that straddle the end of the device */
	guard_bio_eod(op, bio);

	if (buffer_meta(bh))
		op_flags |= REQ_META;
	if (buffer_prio(bh))
		op_flags |= REQ_PRIO;
	bio_set_op_attrs(bio, (enum req_op)op, (unsigned)op_flags);

	submit_bio(bio);
	return 0;
}

/* end_buffer_read_sync() - fs/buffer.c */
void end_buffer_read_sync(struct buffer_head *bh, int uptodate)
{
	if (uptodate)
		set_buffer_uptodate(bh);
	else
		clear_buffer_uptodate(bh);
	unlock_buffer(bh);
	put_bh(bh);
}

/* end_buffer_write_sync() - fs/buffer.c */
void end_buffer_write_sync(struct buffer_head *bh, int uptodate)
{
	if (uptodate) {
		set_buffer_uptodate(bh);
	} else {
		set_buffer_write_io_error(bh);
		clear_buffer_uptodate(bh);
	}
	unlock_buffer(bh);
	put_bh(bh);
}

/* ll_rw_block() - fs/buffer.c */
void ll_rw_block(int op, int op_flags, int nr, struct buffer_head *bhs[])
{
	for (int i = 0; i < nr; i++) {
		struct buffer_head *bh = bhs[i];

		if (!trylock_buffer(bh))
			continue;
		if (op == REQ_OP_WRITE) {
			if (test_clear_buffer_dirty(bh)) {
				bh->b_end_io = end_buffer_write_sync;
				get_bh(bh);
				submit_bh(op, op_flags, bh);
				continue;
			}
		} else {
			if (!buffer_uptodate(bh)) {
				bh->b_end_io = end_buffer_read_sync;
				get_bh(bh);
				submit_bh(op, op_flags, bh);
				continue;
			}
		}
		unlock_buffer(bh);
	}
}

/* ---- reading a page block by block ---- */

/*
 * end_buffer_async_read() - fs/buffer.c: the page is unlocked (and marked
 * up to date, if every buffer is) when its last async-read buffer ends.
 */
static void end_buffer_async_read(struct buffer_head *bh, int uptodate)
{
	struct buffer_head *tmp;
	struct page *page;
	int page_uptodate = 1;

	page = bh->b_page;
	if (uptodate) {
		set_buffer_uptodate(bh);
	} else {
		clear_buffer_uptodate(bh);
		SetPageError(page);
	}

	clear_buffer_async_read(bh);
	unlock_buffer(bh);
	tmp = bh;
	do {
		if (!buffer_uptodate(tmp))
			page_uptodate = 0;
		if (buffer_async_read(tmp)) {
			g_assert(buffer_locked(tmp));
			return;		/* still_busy */
		}
		tmp = tmp->b_this_page;
	} while (tmp != bh);

	/*
	 * If none of the buffers had errors and they are all
	 * uptodate then we can set the page uptodate.
	 */
	if (page_uptodate && !PageError(page))
		SetPageUptodate(page);
	unlock_page(page);
}

/* mark_buffer_async_read() - fs/buffer.c */
static void mark_buffer_async_read(struct buffer_head *bh)
{
	bh->b_end_io = end_buffer_async_read;
	set_buffer_async_read(bh);
}

/*
 * block_read_full_page() - fs/buffer.c
 *
 * Generic "read page" function for block devices that have the normal
 * get_block functionality.  Reads the page asynchronously --- the unlock
 * of the page happens when the last buffer's I/O ends.  One bio per block.
 */
int block_read_full_page(struct page *page, get_block_t *get_block)
{
	struct inode *inode = page->mapping->host;
	sector_t iblock, lblock;
	struct buffer_head *bh, *head, *arr[MAX_BUF_PER_PAGE];
	unsigned int blocksize, bbits;
	int nr, i;
	int fully_mapped = 1;

	head = create_page_buffers(page, inode, 0);
	blocksize = (unsigned)head->b_size;
	bbits = inode->i_blkbits;

	iblock = (sector_t)page->index << (PAGE_SHIFT - bbits);
	lblock = ((sector_t)i_size_read(inode) + blocksize - 1) >> bbits;
	bh = head;
	nr = 0;
	i = 0;

	do {
		if (buffer_uptodate(bh))
			continue;

		if (!buffer_mapped(bh)) {
			int err = 0;

			fully_mapped = 0;
			if (iblock < lblock) {
				g_warn_if_fail(bh->b_size == blocksize);
				err = get_block(inode, iblock, bh, 0);
				if (err)
					SetPageError(page);
			}
			if (!buffer_mapped(bh)) {
				zero_user_segment(page, (unsigned)i * blocksize,
						  (unsigned)(i + 1) * blocksize);
				if (!err)
					set_buffer_uptodate(bh);
				continue;
			}
			/*
			 * get_block() might have updated the buffer
			 * synchronously
			 */
			if (buffer_uptodate(bh))
				continue;
		}
		arr[nr++] = bh;
	} while (i++, iblock++, (bh = bh->b_this_page) != head);

	if (fully_mapped)
		SetPageMappedToDisk(page);

	if (!nr) {
		/*
		 * All buffers are uptodate - we can set the page uptodate
		 * as well. But not if get_block() returned an error.
		 */
		if (!PageError(page))
			SetPageUptodate(page);
		unlock_page(page);
		return 0;
	}

	/* Stage two: lock the buffers */
	for (i = 0; i < nr; i++) {
		bh = arr[i];
		lock_buffer(bh);
		mark_buffer_async_read(bh);
	}

	/*
	 * Stage 3: start the IO.  Check for uptodateness
	 * inside the buffer lock in case another process reading
	 * the underlying blockdev brought it uptodate (the sct fix).
	 */
	for (i = 0; i < nr; i++) {
		bh = arr[i];
		if (buffer_uptodate(bh))
			end_buffer_async_read(bh, 1);
		else
			submit_bh(REQ_OP_READ, 0, bh);
	}
	return 0;
}

/* ---- the block device's buffer cache ---- */

static GHashTable *bdev_cache(struct block_device *bdev)
{
	if (!bdev->bd_buffers)
		bdev->bd_buffers = g_hash_table_new_full(g_int64_hash,
							 g_int64_equal, NULL,
							 g_free);
	return bdev->bd_buffers;
}

/* A buffer head for a block device block; its key is its own b_blocknr. */
struct bdev_bh {
	gint64 key;
	struct buffer_head bh;
};

/* __find_get_block() - fs/buffer.c: a cached buffer, or NULL (no I/O). */
struct buffer_head *__find_get_block(struct block_device *bdev,
				     sector_t block, unsigned size)
{
	gint64 key = (gint64)block;
	struct bdev_bh *b = g_hash_table_lookup(bdev_cache(bdev), &key);

	/* the table holds struct bdev_bh: the buffer is its member */
	if (b && b->bh.b_size == size) {
		get_bh(&b->bh);
		return &b->bh;
	}
	return NULL;
}

/* __find_get_block_slow() - fs/buffer.c: any cached buffer of the block */
static struct buffer_head *__find_get_block_slow(struct block_device *bdev,
						 sector_t block)
{
	gint64 key = (gint64)block;
	struct bdev_bh *b = g_hash_table_lookup(bdev_cache(bdev), &key);

	if (!b)
		return NULL;
	get_bh(&b->bh);
	return &b->bh;
}

/* __getblk_gfp() - fs/buffer.c: find or create, mapped, maybe not uptodate */
struct buffer_head *__getblk(struct block_device *bdev, sector_t block,
			     unsigned size)
{
	struct buffer_head *bh = __find_get_block(bdev, block, size);
	struct bdev_bh *b;

	if (bh)
		return bh;
	b = g_new0(struct bdev_bh, 1);
	b->key = (gint64)block;
	bh = &b->bh;
	bh->b_blocknr = block;
	bh->b_size = size;
	bh->b_bdev = bdev;
	set_buffer_mapped(bh);
	g_hash_table_replace(bdev_cache(bdev), &b->key, b);
	get_bh(bh);
	return bh;
}

/* __bread_slow() - fs/buffer.c: a synchronous read of one block. */
static struct buffer_head *__bread_slow(struct buffer_head *bh)
{
	lock_buffer(bh);
	if (buffer_uptodate(bh)) {
		unlock_buffer(bh);
		return bh;
	}
	if (trace_enabled()) {
		struct trace_note n = trace_note_init();

		n.block = (int64_t)bh->b_blocknr;
		n.sector = (int64_t)(bh->b_blocknr * (bh->b_size >> 9));
		n.sectors = (int64_t)(bh->b_size >> 9);
		trace_note("meta_read", &n);
	}
	get_bh(bh);
	bh->b_end_io = end_buffer_read_sync;
	submit_bh(REQ_OP_READ, 0, bh);
	wait_on_buffer(bh);
	if (buffer_uptodate(bh))
		return bh;
	brelse(bh);
	return NULL;
}

/* __bread_gfp() - fs/buffer.c */
struct buffer_head *__bread(struct block_device *bdev, sector_t block,
			    unsigned size)
{
	struct buffer_head *bh = __getblk(bdev, block, size);

	if (bh && !buffer_uptodate(bh))
		bh = __bread_slow(bh);
	return bh;
}

void brelse(struct buffer_head *bh)
{
	if (bh)
		put_bh(bh);
}

void buffer_cache_preload(struct block_device *bdev, sector_t block,
			  unsigned size)
{
	struct buffer_head *bh = __getblk(bdev, block, size);

	set_buffer_uptodate(bh);
	brelse(bh);
}

void buffer_cache_destroy(struct block_device *bdev)
{
	if (bdev->bd_buffers)
		g_hash_table_destroy(bdev->bd_buffers);
	bdev->bd_buffers = NULL;
}

static void drop_clean_buffer(gpointer key, gpointer value, gpointer unused)
{
	struct buffer_head *bh = &((struct bdev_bh *)value)->bh;

	(void)key;
	(void)unused;
	if (!bh->b_count && !buffer_locked(bh) && !buffer_dirty(bh))
		clear_buffer_uptodate(bh);
}

/*
 * invalidate_bdev() - fs/block_dev.c, as drop_caches does it: every clean,
 * unlocked, unused buffer of the block device is forgotten (left in the
 * table not up to date, so the next sb_bread reads it again).
 */
void invalidate_bdev(struct block_device *bdev)
{
	if (bdev->bd_buffers)
		g_hash_table_foreach(bdev->bd_buffers, drop_clean_buffer, NULL);
}

/* ---- the write side ---- */

static void trace_unmap_metadata(sector_t block, bool alias)
{
	struct trace_note n = trace_note_init();

	if (!trace_enabled())
		return;
	n.block = (int64_t)block;
	n.reason = alias ? "alias" : "none";
	trace_note("unmap_metadata", &n);
}

/*
 * __set_page_dirty_buffers() / the page half of mark_buffer_dirty():
 * a page that turns dirty is counted and its inode goes on the dirty list.
 */
static void set_page_dirty_buffers(struct page *page)
{
	if (page)
		__set_page_dirty_nobuffers(page);
}

/*
 * mark_buffer_dirty() - fs/buffer.c
 *
 * Buffers of the block device (pointer blocks, inode table blocks) have
 * no page here: they dirty the block device inode's page instead
 * (bdev_buffer_page_dirty, fs/block_dev.c), when the filesystem writes
 * its metadata; otherwise they reach the disk only through
 * write_boundary_block(), sync_mapping_buffers() and sync_dirty_buffer().
 */
void mark_buffer_dirty(struct buffer_head *bh)
{
	if (buffer_dirty(bh))
		return;
	if (!test_set_buffer_dirty(bh)) {
		if (bh->b_page)
			set_page_dirty_buffers(bh->b_page);
		else
			bdev_buffer_page_dirty(bh);
	}
}

static bool assoc_listed(const struct inode *inode,
			 const struct buffer_head *bh)
{
	return bh->b_assoc_next || inode->i_assoc_tail == bh;
}

/* mark_buffer_dirty_inode() - fs/buffer.c */
void mark_buffer_dirty_inode(struct buffer_head *bh, struct inode *inode)
{
	mark_buffer_dirty(bh);
	if (!assoc_listed(inode, bh)) {
		/* list_move_tail(&bh->b_assoc_buffers, &mapping->private_list) */
		if (inode->i_assoc_tail)
			inode->i_assoc_tail->b_assoc_next = bh;
		else
			inode->i_assoc_head = bh;
		inode->i_assoc_tail = bh;
	}
}

/* write_dirty_buffer() - fs/buffer.c */
void write_dirty_buffer(struct buffer_head *bh, int op_flags)
{
	lock_buffer(bh);
	if (!test_clear_buffer_dirty(bh)) {
		unlock_buffer(bh);
		return;
	}
	bh->b_end_io = end_buffer_write_sync;
	get_bh(bh);
	submit_bh(REQ_OP_WRITE, op_flags, bh);
}

/* __sync_dirty_buffer() - fs/buffer.c: write a dirty buffer and wait */
static int __sync_dirty_buffer(struct buffer_head *bh, int op_flags)
{
	int ret = 0;

	lock_buffer(bh);
	if (test_clear_buffer_dirty(bh)) {
		get_bh(bh);
		bh->b_end_io = end_buffer_write_sync;
		ret = submit_bh(REQ_OP_WRITE, op_flags, bh);
		wait_on_buffer(bh);
		if (!ret && !buffer_uptodate(bh))
			ret = -EIO;
	} else {
		unlock_buffer(bh);
	}
	return ret;
}

/* sync_dirty_buffer() - fs/buffer.c */
int sync_dirty_buffer(struct buffer_head *bh)
{
	return __sync_dirty_buffer(bh, WRITE_SYNC);
}

/*
 * sync_mapping_buffers() / fsync_buffers_list() - fs/buffer.c
 *
 * Write out and wait upon the inode's list of dirty metadata buffers: each
 * dirty one is written with WRITE_SYNC inside a plug, then every buffer
 * that was dirty or under I/O is waited on, in list order.
 */
int sync_mapping_buffers(struct address_space *mapping)
{
	struct inode *inode = mapping->host;
	struct buffer_head *list = inode->i_assoc_head, *bh;
	GPtrArray *tmp = g_ptr_array_new();
	struct blk_plug plug;
	int err = 0;

	inode->i_assoc_head = inode->i_assoc_tail = NULL;
	blk_start_plug(&plug);
	while (list) {
		bh = list;
		list = bh->b_assoc_next;
		bh->b_assoc_next = NULL;	/* __remove_assoc_queue */
		if (buffer_dirty(bh) || buffer_locked(bh)) {
			g_ptr_array_add(tmp, bh);
			if (buffer_dirty(bh)) {
				get_bh(bh);
				write_dirty_buffer(bh, WRITE_SYNC);
				brelse(bh);
			}
		}
	}
	blk_finish_plug(&plug);

	for (guint i = 0; i < tmp->len; i++) {
		bh = tmp->pdata[i];
		get_bh(bh);
		if (buffer_dirty(bh))
			mark_buffer_dirty_inode(bh, inode);
		wait_on_buffer(bh);
		if (!buffer_uptodate(bh))
			err = -EIO;
		brelse(bh);
	}
	g_ptr_array_unref(tmp);
	return err;
}

/*
 * mpsim: log a write_boundary_block() call with its block B and what it
 * finds at B + 1: "uncached", "clean", "locked" (ll_rw_block skips it)
 * or "dirty" (ll_rw_block writes it: the next queue line).
 */
static void trace_boundary_block(sector_t bblock,
				 const struct buffer_head *bh)
{
	struct trace_note n = trace_note_init();

	if (!trace_enabled())
		return;
	n.block = (int64_t)bblock;
	n.reason = !bh ? "uncached" : !buffer_dirty(bh) ? "clean" :
		   buffer_locked(bh) ? "locked" : "dirty";
	trace_note("boundary_block", &n);
}

/* write_boundary_block() - fs/buffer.c */
void write_boundary_block(struct block_device *bdev, sector_t bblock,
			  unsigned blocksize)
{
	struct buffer_head *bh = __find_get_block(bdev, bblock + 1, blocksize);

	trace_boundary_block(bblock, bh);
	if (bh) {
		if (buffer_dirty(bh))
			ll_rw_block(REQ_OP_WRITE, 0, 1, &bh);
		put_bh(bh);
	}
}

/*
 * unmap_underlying_metadata() - fs/buffer.c (4.9)
 *
 * A block was just allocated to a file.  If the block device's cache
 * still holds a buffer for it (it was metadata once), that buffer must not
 * be written over the new data: clean it and wait for I/O in flight.
 * Logged as an "unmap_metadata" event, reason "alias" when there was one.
 */
void unmap_underlying_metadata(struct block_device *bdev, sector_t block)
{
	struct buffer_head *old_bh;

	old_bh = __find_get_block_slow(bdev, block);
	trace_unmap_metadata(block, old_bh != NULL);
	if (old_bh) {
		clear_buffer_dirty(old_bh);
		wait_on_buffer(old_bh);
		clear_buffer_req(old_bh);
		brelse(old_bh);
	}
}

/*
 * end_buffer_async_write() - fs/buffer.c: the page's writeback ends when
 * its last async-write buffer completes.
 */
void end_buffer_async_write(struct buffer_head *bh, int uptodate)
{
	struct buffer_head *tmp;
	struct page *page = bh->b_page;

	if (uptodate) {
		set_buffer_uptodate(bh);
	} else {
		/* "lost async page write": 4.9 sets AS_EIO on the mapping */
		if (page->mapping)
			set_bit(AS_EIO, &page->mapping->flags);
		set_buffer_write_io_error(bh);
		clear_buffer_uptodate(bh);
		SetPageError(page);
	}
	clear_buffer_async_write(bh);
	unlock_buffer(bh);
	tmp = bh->b_this_page;
	while (tmp != bh) {
		if (buffer_async_write(tmp)) {
			g_assert(buffer_locked(tmp));
			return;		/* still_busy */
		}
		tmp = tmp->b_this_page;
	}
	end_page_writeback(page);
}

/* mark_buffer_async_write_endio() - fs/buffer.c */
static void mark_buffer_async_write_endio(struct buffer_head *bh,
					  bh_end_io_t *handler)
{
	bh->b_end_io = handler;
	set_buffer_async_write(bh);
}

/*
 * __block_write_full_page() - fs/buffer.c
 *
 * The per-buffer writepage: map every dirty unmapped buffer with
 * get_block(create=1) one block at a time, then lock the dirty mapped
 * buffers and submit one bio each, in page order (origin "buffer").
 */
int __block_write_full_page(struct inode *inode, struct page *page,
			    get_block_t *get_block,
			    struct writeback_control *wbc,
			    bh_end_io_t *handler)
{
	int err;
	sector_t block;
	sector_t last_block;
	struct buffer_head *bh, *head;
	unsigned int blocksize, bbits;
	int nr_underway = 0;
	int write_flags = (wbc->sync_mode == WB_SYNC_ALL ? WRITE_SYNC : 0);

	head = create_page_buffers(page, inode,
				   (1 << BH_Dirty) | (1 << BH_Uptodate));

	/*
	 * Buffers outside i_size may be dirtied by __set_page_dirty_buffers;
	 * handle that here by just cleaning them.
	 */
	bh = head;
	blocksize = (unsigned)bh->b_size;
	bbits = inode->i_blkbits;

	block = (sector_t)page->index << (PAGE_SHIFT - bbits);
	/* as the kernel: i_size 0 makes this all ones */
	last_block = (sector_t)((i_size_read(inode) - 1) >> bbits);

	/*
	 * Get all the dirty buffers mapped to disk addresses and
	 * handle any aliases from the underlying blockdev's mapping.
	 */
	do {
		if (block > last_block) {
			/*
			 * mapped buffers outside i_size will occur, because
			 * this page can be outside i_size when there is a
			 * truncate in progress.
			 *
			 * The buffer was zeroed by block_write_full_page()
			 */
			clear_buffer_dirty(bh);
			set_buffer_uptodate(bh);
		} else if ((!buffer_mapped(bh) || buffer_delay(bh)) &&
			   buffer_dirty(bh)) {
			g_warn_if_fail(bh->b_size == blocksize);
			err = get_block(inode, block, bh, 1);
			if (err)
				goto recover;
			clear_buffer_delay(bh);
			if (buffer_new(bh)) {
				/* blockdev mappings never come here */
				clear_buffer_new(bh);
				unmap_underlying_metadata(bh->b_bdev,
							  bh->b_blocknr);
			}
		}
		bh = bh->b_this_page;
		block++;
	} while (bh != head);

	do {
		if (!buffer_mapped(bh))
			continue;
		/*
		 * If it's a fully non-blocking write attempt and we cannot
		 * lock the buffer then redirty the page.
		 */
		if (wbc->sync_mode != WB_SYNC_NONE) {
			lock_buffer(bh);
		} else if (!trylock_buffer(bh)) {
			redirty_page_for_writepage(wbc, page);
			continue;
		}
		if (test_clear_buffer_dirty(bh)) {
			mark_buffer_async_write_endio(bh, handler);
		} else {
			unlock_buffer(bh);
		}
	} while ((bh = bh->b_this_page) != head);

	/*
	 * The page and its buffers are protected by PageWriteback(), so we
	 * can drop the bh refcounts early.
	 */
	g_assert(!PageWriteback(page));
	set_page_writeback(page);

	do {
		struct buffer_head *next = bh->b_this_page;

		if (buffer_async_write(bh)) {
			submit_bh(REQ_OP_WRITE, write_flags, bh);
			nr_underway++;
		}
		bh = next;
	} while (bh != head);
	unlock_page(page);

	err = 0;
done:
	if (nr_underway == 0) {
		/*
		 * The page was marked dirty, but the buffers were
		 * clean.  Someone wrote them back by hand with
		 * ll_rw_block/submit_bh.  A rare case.
		 */
		end_page_writeback(page);
	}
	return err;

recover:
	/*
	 * ENOSPC, or some other error.  We may already have added some
	 * blocks to the file, so we need to write these out to avoid
	 * exposing stale data.
	 * The page is currently locked and not marked for writeback
	 */
	bh = head;
	/* Recovery: lock and submit the mapped buffers */
	do {
		if (buffer_mapped(bh) && buffer_dirty(bh) &&
		    !buffer_delay(bh)) {
			lock_buffer(bh);
			mark_buffer_async_write_endio(bh, handler);
		} else {
			/*
			 * The buffer may have been set dirty during
			 * attachment to a dirty page.
			 */
			clear_buffer_dirty(bh);
		}
	} while ((bh = bh->b_this_page) != head);
	SetPageError(page);
	g_assert(!PageWriteback(page));
	mapping_set_error(page->mapping, err);
	set_page_writeback(page);
	do {
		struct buffer_head *next = bh->b_this_page;

		if (buffer_async_write(bh)) {
			clear_buffer_dirty(bh);
			submit_bh(REQ_OP_WRITE, write_flags, bh);
			nr_underway++;
		}
		bh = next;
	} while (bh != head);
	unlock_page(page);
	goto done;
}

/* discard_buffer() / block_invalidatepage() - fs/buffer.c, whole page */
static void block_invalidatepage(struct page *page)
{
	struct buffer_head *head, *bh;

	if (!page_has_buffers(page))
		return;
	head = bh = page_buffers(page);
	do {
		lock_buffer(bh);
		clear_buffer_dirty(bh);
		bh->b_bdev = NULL;
		clear_buffer_mapped(bh);
		clear_buffer_req(bh);
		clear_buffer_new(bh);
		clear_buffer_delay(bh);
		clear_buffer_unwritten(bh);
		unlock_buffer(bh);
	} while ((bh = bh->b_this_page) != head);
}

/*
 * block_write_full_page() - fs/buffer.c: the end-of-file rules around
 * __block_write_full_page.  A page wholly past i_size is dropped (its
 * buffers invalidated) without any I/O.
 */
int block_write_full_page(struct page *page, get_block_t *get_block,
			  struct writeback_control *wbc)
{
	struct inode * const inode = page->mapping->host;
	loff_t i_size = i_size_read(inode);
	const pgoff_t end_index = (pgoff_t)(i_size >> PAGE_SHIFT);
	unsigned offset;

	/* Is the page fully inside i_size? */
	if (page->index < end_index)
		return __block_write_full_page(inode, page, get_block, wbc,
					       end_buffer_async_write);

	/* Is the page fully outside i_size? (truncate in progress) */
	offset = (unsigned)(i_size & (PAGE_SIZE - 1));
	if (page->index >= end_index + 1 || !offset) {
		block_invalidatepage(page);	/* do_invalidatepage() */
		unlock_page(page);
		return 0; /* don't care */
	}

	/*
	 * The page straddles i_size.  It must be zeroed out on each and
	 * every writepage invocation because it may be mmapped.
	 */
	zero_user_segment(page, offset, PAGE_SIZE);
	return __block_write_full_page(inode, page, get_block, wbc,
				       end_buffer_async_write);
}

/* zero_user_segments() - include/linux/highmem.h */
static void zero_user_segments(struct page *page, unsigned start1,
			       unsigned end1, unsigned start2, unsigned end2)
{
	zero_user_segment(page, start1, end1);
	zero_user_segment(page, start2, end2);
}

/* page_zero_new_buffers() - fs/buffer.c (error path), state only */
static void page_zero_new_buffers(struct page *page, unsigned from,
				  unsigned to)
{
	struct buffer_head *head = page_buffers(page), *bh = head;
	unsigned block_start = 0;

	do {
		unsigned block_end = block_start + (unsigned)bh->b_size;

		if (buffer_new(bh) && block_end > from && block_start < to) {
			if (!PageUptodate(page))
				zero_user_segment(page, max_t(unsigned, from,
						  block_start),
						  min_t(unsigned, to,
							block_end));
			clear_buffer_new(bh);
			mark_buffer_dirty(bh);
		}
		block_start = block_end;
		bh = bh->b_this_page;
	} while (bh != head);
}

/*
 * __block_write_begin() - fs/buffer.c (__block_write_begin_int)
 *
 * Get the buffers of [pos, pos + len) of a locked page mapped, allocating
 * with get_block(create=1) one block at a time (this is where ext2
 * allocates, and where BH_Boundary lands on a buffer), and read the
 * buffers that are partly overwritten and not up to date.
 */
int __block_write_begin(struct page *page, loff_t pos, unsigned len,
			get_block_t *get_block)
{
	unsigned from = (unsigned)(pos & (PAGE_SIZE - 1));
	unsigned to = from + len;
	struct inode *inode = page->mapping->host;
	unsigned block_start, block_end;
	sector_t block;
	int err = 0;
	unsigned blocksize;
	struct buffer_head *bh, *head, *wait[MAX_BUF_PER_PAGE];
	struct buffer_head **wait_bh = wait;

	g_assert(PageLocked(page));
	head = create_page_buffers(page, inode, 0);
	blocksize = (unsigned)head->b_size;

	block = (sector_t)page->index << (PAGE_SHIFT - inode->i_blkbits);

	for (bh = head, block_start = 0; bh != head || !block_start;
	     block++, block_start = block_end, bh = bh->b_this_page) {
		block_end = block_start + blocksize;
		if (block_end <= from || block_start >= to) {
			if (PageUptodate(page)) {
				if (!buffer_uptodate(bh))
					set_buffer_uptodate(bh);
			}
			continue;
		}
		if (buffer_new(bh))
			clear_buffer_new(bh);
		if (!buffer_mapped(bh)) {
			g_warn_if_fail(bh->b_size == blocksize);
			err = get_block(inode, block, bh, 1);
			if (err)
				break;

			if (buffer_new(bh)) {
				unmap_underlying_metadata(bh->b_bdev,
							  bh->b_blocknr);
				if (PageUptodate(page)) {
					clear_buffer_new(bh);
					set_buffer_uptodate(bh);
					mark_buffer_dirty(bh);
					continue;
				}
				if (block_end > to || block_start < from)
					zero_user_segments(page,
						to, block_end,
						block_start, from);
				continue;
			}
		}
		if (PageUptodate(page)) {
			if (!buffer_uptodate(bh))
				set_buffer_uptodate(bh);
			continue;
		}
		if (!buffer_uptodate(bh) && !buffer_delay(bh) &&
		    !buffer_unwritten(bh) &&
		    (block_start < from || block_end > to)) {
			ll_rw_block(REQ_OP_READ, 0, 1, &bh);
			*wait_bh++ = bh;
		}
	}
	/*
	 * If we issued read requests - let them complete.
	 */
	while (wait_bh > wait) {
		wait_on_buffer(*--wait_bh);
		if (!buffer_uptodate(*wait_bh))
			err = -EIO;
	}
	if (err)
		page_zero_new_buffers(page, from, to);
	return err;
}

/*
 * grab_cache_page_write_begin() - mm/filemap.c: the page to write into,
 * locked; a new page is added to the cache.
 */
static struct page *grab_cache_page_write_begin(struct address_space *mapping,
						pgoff_t index)
{
	struct page *page = find_get_page(mapping, index);

	if (page) {
		lock_page(page);
		return page;
	}
	page = page_alloc(index);
	if (add_to_page_cache_lru(page, mapping, index, mapping->gfp_mask)) {
		put_page(page);
		return NULL;
	}
	return page;
}

/* block_write_begin() - fs/buffer.c */
int block_write_begin(struct address_space *mapping, loff_t pos,
		      unsigned len, struct page **pagep,
		      get_block_t *get_block)
{
	pgoff_t index = (pgoff_t)(pos >> PAGE_SHIFT);
	struct page *page;
	int status;

	page = grab_cache_page_write_begin(mapping, index);
	if (!page)
		return -ENOMEM;

	status = __block_write_begin(page, pos, len, get_block);
	if (status) {
		unlock_page(page);
		put_page(page);
		page = NULL;
	}

	*pagep = page;
	return status;
}

/* __block_commit_write() - fs/buffer.c */
static void __block_commit_write(struct page *page, unsigned from,
				 unsigned to)
{
	unsigned block_start, block_end;
	int partial = 0;
	unsigned blocksize;
	struct buffer_head *bh, *head;

	bh = head = page_buffers(page);
	blocksize = (unsigned)bh->b_size;

	block_start = 0;
	do {
		block_end = block_start + blocksize;
		if (block_end <= from || block_start >= to) {
			if (!buffer_uptodate(bh))
				partial = 1;
		} else {
			set_buffer_uptodate(bh);
			mark_buffer_dirty(bh);
		}
		clear_buffer_new(bh);

		block_start = block_end;
		bh = bh->b_this_page;
	} while (bh != head);

	/*
	 * If this is a partial write which happened to make all buffers
	 * uptodate then we can optimize away a bogus readpage() for
	 * the next read(). Here we 'discover' whether the page went
	 * uptodate as a result of this (potentially partial) write.
	 */
	if (!partial)
		SetPageUptodate(page);
}

/* block_write_end() - fs/buffer.c (the data copy always completes) */
int block_write_end(struct address_space *mapping, loff_t pos, unsigned len,
		    unsigned copied, struct page *page, void *fsdata)
{
	unsigned start = (unsigned)(pos & (PAGE_SIZE - 1));

	(void)mapping;
	(void)fsdata;
	(void)len;
	__block_commit_write(page, start, start + copied);
	return (int)copied;
}

/* generic_write_end() - fs/buffer.c */
int generic_write_end(struct address_space *mapping, loff_t pos,
		      unsigned len, unsigned copied, struct page *page,
		      void *fsdata)
{
	struct inode *inode = mapping->host;
	bool i_size_changed = false;

	copied = (unsigned)block_write_end(mapping, pos, len, copied, page,
					   fsdata);
	/*
	 * No need to use i_size_read() here, the i_size
	 * cannot change under us because we hold i_mutex.
	 */

	if (pos + copied > inode->i_size) {
		inode->i_size = pos + copied;	/* i_size_write() */
		i_size_changed = true;
	}
	unlock_page(page);
	put_page(page);
	if (i_size_changed)
		mark_inode_dirty(inode);
	return (int)copied;
}

/* A NULL-terminated, unattached list of buffers (alloc_page_buffers). */
static struct buffer_head *alloc_page_buffers(struct page *page,
					      unsigned long size)
{
	struct buffer_head *head = NULL, *bh;
	long offset;

	for (offset = (long)PAGE_SIZE - (long)size; offset >= 0;
	     offset -= (long)size) {
		bh = alloc_buffer_head();
		bh->b_this_page = head;
		bh->b_blocknr = (sector_t)-1;
		bh->b_size = size;
		bh->b_offset = (unsigned)offset;
		bh->b_page = page;
		head = bh;
	}
	return head;
}

static void free_buffer_list(struct buffer_head *head)
{
	while (head) {
		struct buffer_head *bh = head;

		head = head->b_this_page;
		free_buffer_head(bh);
	}
}

/* end_buffer_read_nobh() - fs/buffer.c */
static void end_buffer_read_nobh(struct buffer_head *bh, int uptodate)
{
	if (uptodate)
		set_buffer_uptodate(bh);
	else
		clear_buffer_uptodate(bh);
	unlock_buffer(bh);
}

/*
 * nobh_write_begin() - fs/buffer.c
 *
 * Like __block_write_begin, but the buffers are temporary: every block of
 * the page is mapped (allocated inside [from, to)), and the buffers are
 * freed again in nobh_write_end, so the page keeps none.
 */
int nobh_write_begin(struct address_space *mapping, loff_t pos,
		     unsigned len, struct page **pagep, void **fsdata,
		     get_block_t *get_block)
{
	struct inode *inode = mapping->host;
	const unsigned blkbits = inode->i_blkbits;
	const unsigned blocksize = 1 << blkbits;
	struct buffer_head *head, *bh;
	struct page *page;
	pgoff_t index;
	unsigned from, to;
	unsigned block_in_page;
	unsigned block_start, block_end;
	sector_t block_in_file;
	int nr_reads = 0;
	int ret = 0;
	int is_mapped_to_disk = 1;

	index = (pgoff_t)(pos >> PAGE_SHIFT);
	from = (unsigned)(pos & (PAGE_SIZE - 1));
	to = from + len;

	page = grab_cache_page_write_begin(mapping, index);
	if (!page)
		return -ENOMEM;
	*pagep = page;
	*fsdata = NULL;

	if (page_has_buffers(page)) {
		ret = __block_write_begin(page, pos, len, get_block);
		if (ret)
			goto out_release;
		return ret;
	}

	if (PageMappedToDisk(page))
		return 0;

	/*
	 * Allocate buffers so that we can keep track of state.  Be careful:
	 * the buffer linked list is a NULL terminated one.
	 */
	head = alloc_page_buffers(page, blocksize);
	block_in_file = (sector_t)page->index << (PAGE_SHIFT - blkbits);

	/*
	 * We loop across all blocks in the page, whether or not they are
	 * part of the affected region.  This is so we can discover if the
	 * page is fully mapped-to-disk.
	 */
	for (block_start = 0, block_in_page = 0, bh = head;
	     block_start < PAGE_SIZE;
	     block_in_page++, block_start += blocksize, bh = bh->b_this_page) {
		int create;

		block_end = block_start + blocksize;
		bh->b_state = 0;
		create = 1;
		if (block_start >= to)
			create = 0;
		ret = get_block(inode, block_in_file + block_in_page,
				bh, create);
		if (ret)
			goto failed;
		if (!buffer_mapped(bh))
			is_mapped_to_disk = 0;
		if (buffer_new(bh))
			unmap_underlying_metadata(bh->b_bdev, bh->b_blocknr);
		if (PageUptodate(page)) {
			set_buffer_uptodate(bh);
			continue;
		}
		if (buffer_new(bh) || !buffer_mapped(bh)) {
			zero_user_segments(page, block_start, from,
					   to, block_end);
			continue;
		}
		if (buffer_uptodate(bh))
			continue;	/* reiserfs does this */
		if (block_start < from || block_end > to) {
			lock_buffer(bh);
			bh->b_end_io = end_buffer_read_nobh;
			submit_bh(REQ_OP_READ, 0, bh);
			nr_reads++;
		}
	}

	if (nr_reads) {
		for (bh = head; bh; bh = bh->b_this_page) {
			wait_on_buffer(bh);
			if (!buffer_uptodate(bh))
				ret = -EIO;
		}
		if (ret)
			goto failed;
	}

	if (is_mapped_to_disk)
		SetPageMappedToDisk(page);

	*fsdata = head; /* to be released by nobh_write_end */
	return 0;

failed:
	free_buffer_list(head);
out_release:
	unlock_page(page);
	put_page(page);
	*pagep = NULL;
	return ret;
}

/* nobh_write_end() - fs/buffer.c (the copy always completes) */
int nobh_write_end(struct address_space *mapping, loff_t pos, unsigned len,
		   unsigned copied, struct page *page, void *fsdata)
{
	struct inode *inode = page->mapping->host;
	struct buffer_head *head = fsdata;

	if (page_has_buffers(page))
		return generic_write_end(mapping, pos, len, copied, page,
					 fsdata);

	SetPageUptodate(page);
	__set_page_dirty_nobuffers(page);	/* set_page_dirty() */
	if (pos + copied > inode->i_size) {
		inode->i_size = pos + copied;
		mark_inode_dirty(inode);
	}

	unlock_page(page);
	put_page(page);
	free_buffer_list(head);
	return (int)copied;
}

/*
 * nobh_writepage() - fs/buffer.c: mpage_writepage first; when it cannot
 * (-EAGAIN: the page is "confused"), the per-buffer path.
 */
int nobh_writepage(struct page *page, get_block_t *get_block,
		   struct writeback_control *wbc)
{
	struct inode * const inode = page->mapping->host;
	loff_t i_size = i_size_read(inode);
	const pgoff_t end_index = (pgoff_t)(i_size >> PAGE_SHIFT);
	unsigned offset;
	int ret;

	/* Is the page fully inside i_size? */
	if (page->index < end_index)
		goto out;

	/* Is the page fully outside i_size? (truncate in progress) */
	offset = (unsigned)(i_size & (PAGE_SIZE - 1));
	if (page->index >= end_index + 1 || !offset) {
		unlock_page(page);
		return 0; /* don't care */
	}

	/*
	 * The page straddles i_size.  It must be zeroed out on each and
	 * every writepage invocation because it may be mmapped.
	 */
	zero_user_segment(page, offset, PAGE_SIZE);
out:
	ret = mpage_writepage(page, get_block, wbc);
	if (ret == -EAGAIN)
		ret = __block_write_full_page(inode, page, get_block, wbc,
					      end_buffer_async_write);
	return ret;
}
