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
#include "trace/trace.h"

/* ---- buffer rings on pages ---- */

/* alloc_page_buffers() + create_empty_buffers() - fs/buffer.c */
void create_empty_buffers(struct page *page, unsigned long blocksize,
			  unsigned long b_state)
{
	struct buffer_head *head = NULL, *tail = NULL, *bh;
	long offset;

	/* alloc_page_buffers builds the list from the end of the page */
	for (offset = (long)PAGE_SIZE - (long)blocksize; offset >= 0;
	     offset -= (long)blocksize) {
		bh = g_new0(struct buffer_head, 1);
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

		g_free(bh);
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

		n.task = current ? current->id : 0;
		n.task_name = current ? current->name : NULL;
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
