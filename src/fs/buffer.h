/*
 * buffer.h - buffer heads and the buffer-head I/O path
 * (include/linux/buffer_head.h and fs/buffer.c, 4.9).
 *
 * A buffer head describes one filesystem block of a page: its state bits,
 * its size and where it lives on disk.  File pages get a ring of them when
 * mpage gives up ("confused") and the per-block path takes over; metadata
 * blocks (indirect blocks) live in the block device's buffer cache, read
 * with sb_bread().
 */
#ifndef MPSIM_FS_BUFFER_H
#define MPSIM_FS_BUFFER_H

#include "include/kernel.h"
#include "fs/fs.h"
#include "sim/sched.h"

struct block_device;

enum bh_state_bits {
	BH_Uptodate,
	BH_Dirty,
	BH_Lock,
	BH_Req,
	BH_Uptodate_Lock,
	BH_Mapped,
	BH_New,
	BH_Async_Read,
	BH_Async_Write,
	BH_Delay,
	BH_Boundary,
	BH_Write_EIO,
	BH_Unwritten,
	BH_Quiet,
	BH_Meta,
	BH_Prio,
	BH_Defer_Completion,
};

#define MAX_BUF_PER_PAGE (PAGE_SIZE / 512)

struct buffer_head;
typedef void (bh_end_io_t)(struct buffer_head *bh, int uptodate);

struct buffer_head {
	unsigned long b_state;
	struct buffer_head *b_this_page;	/* circular list of the page */
	struct page *b_page;		/* NULL for block-device buffers */
	sector_t b_blocknr;
	size_t b_size;
	unsigned b_offset;		/* offset in the page (bh_offset) */
	struct block_device *b_bdev;
	bh_end_io_t *b_end_io;
	void *b_private;
	int b_count;
	struct wait_queue_head b_wait;
	struct buffer_head *b_assoc_next;	/* on an inode's dirty list */
};

#define BUFFER_FNS(bit, name)						\
static inline void set_buffer_##name(struct buffer_head *bh)		\
{ set_bit(BH_##bit, &bh->b_state); }					\
static inline void clear_buffer_##name(struct buffer_head *bh)		\
{ clear_bit(BH_##bit, &bh->b_state); }					\
static inline bool buffer_##name(const struct buffer_head *bh)		\
{ return test_bit(BH_##bit, &bh->b_state); }

#define TAS_BUFFER_FNS(bit, name)					\
static inline bool test_set_buffer_##name(struct buffer_head *bh)	\
{ return test_and_set_bit(BH_##bit, &bh->b_state); }			\
static inline bool test_clear_buffer_##name(struct buffer_head *bh)	\
{ return test_and_clear_bit(BH_##bit, &bh->b_state); }

BUFFER_FNS(Uptodate, uptodate)
BUFFER_FNS(Dirty, dirty)
TAS_BUFFER_FNS(Dirty, dirty)
BUFFER_FNS(Lock, locked)
BUFFER_FNS(Req, req)
TAS_BUFFER_FNS(Req, req)
BUFFER_FNS(Mapped, mapped)
BUFFER_FNS(New, new)
BUFFER_FNS(Async_Read, async_read)
BUFFER_FNS(Async_Write, async_write)
BUFFER_FNS(Delay, delay)
BUFFER_FNS(Boundary, boundary)
BUFFER_FNS(Write_EIO, write_io_error)
BUFFER_FNS(Unwritten, unwritten)
BUFFER_FNS(Meta, meta)
BUFFER_FNS(Prio, prio)

static inline void map_bh(struct buffer_head *bh, struct super_block *sb,
			  sector_t block)
{
	set_buffer_mapped(bh);
	bh->b_bdev = sb->s_bdev;
	bh->b_blocknr = block;
	bh->b_size = sb->s_blocksize;
}

static inline void get_bh(struct buffer_head *bh)
{
	bh->b_count++;
}

static inline void put_bh(struct buffer_head *bh)
{
	bh->b_count--;
}

void create_empty_buffers(struct page *page, unsigned long blocksize,
			  unsigned long b_state);
/* Detach and free a page's buffers (try_to_free_buffers, unconditional). */
void free_page_buffers(struct page *page);

void lock_buffer(struct buffer_head *bh);
bool trylock_buffer(struct buffer_head *bh);
void unlock_buffer(struct buffer_head *bh);
void wait_on_buffer(struct buffer_head *bh);

int submit_bh(int op, int op_flags, struct buffer_head *bh);
void end_buffer_read_sync(struct buffer_head *bh, int uptodate);
void end_buffer_write_sync(struct buffer_head *bh, int uptodate);
void ll_rw_block(int op, int op_flags, int nr, struct buffer_head *bhs[]);

int block_read_full_page(struct page *page, get_block_t *get_block);

/* The block device's buffer cache. */
struct buffer_head *__getblk(struct block_device *bdev, sector_t block,
			     unsigned size);
struct buffer_head *__find_get_block(struct block_device *bdev,
				     sector_t block, unsigned size);
struct buffer_head *__bread(struct block_device *bdev, sector_t block,
			    unsigned size);
void brelse(struct buffer_head *bh);
static inline struct buffer_head *sb_bread(struct super_block *sb,
					   sector_t block)
{
	return __bread(sb->s_bdev, block, (unsigned)sb->s_blocksize);
}
static inline struct buffer_head *sb_getblk(struct super_block *sb,
					    sector_t block)
{
	return __getblk(sb->s_bdev, block, (unsigned)sb->s_blocksize);
}
/* Mark a block-device buffer cached and up to date (a warm cache). */
void buffer_cache_preload(struct block_device *bdev, sector_t block,
			  unsigned size);
void buffer_cache_destroy(struct block_device *bdev);
/* drop_caches for the buffer cache: forget clean, unused buffers. */
void invalidate_bdev(struct block_device *bdev);

/* ---- the write side (fs/buffer.c, 4.9) ---- */

struct writeback_control;

void mark_buffer_dirty(struct buffer_head *bh);
/* Dirty a metadata buffer and put it on the inode's private list. */
void mark_buffer_dirty_inode(struct buffer_head *bh, struct inode *inode);
/* Write the inode's dirty metadata buffers (WRITE_SYNC) and wait. */
int sync_mapping_buffers(struct address_space *mapping);
void write_dirty_buffer(struct buffer_head *bh, int op_flags);
/* sync_dirty_buffer(): write a dirty buffer (WRITE_SYNC) and wait */
int sync_dirty_buffer(struct buffer_head *bh);
/* After a data bio ending on a boundary block: write block bblock + 1. */
void write_boundary_block(struct block_device *bdev, sector_t bblock,
			  unsigned blocksize);
/* A block was just allocated: forget any stale metadata buffer for it. */
void unmap_underlying_metadata(struct block_device *bdev, sector_t block);

void end_buffer_async_write(struct buffer_head *bh, int uptodate);
int __block_write_full_page(struct inode *inode, struct page *page,
			    get_block_t *get_block,
			    struct writeback_control *wbc,
			    bh_end_io_t *handler);
int block_write_full_page(struct page *page, get_block_t *get_block,
			  struct writeback_control *wbc);

int __block_write_begin(struct page *page, loff_t pos, unsigned len,
			get_block_t *get_block);
int block_write_begin(struct address_space *mapping, loff_t pos,
		      unsigned len, struct page **pagep,
		      get_block_t *get_block);
int block_write_end(struct address_space *mapping, loff_t pos, unsigned len,
		    unsigned copied, struct page *page, void *fsdata);
int generic_write_end(struct address_space *mapping, loff_t pos,
		      unsigned len, unsigned copied, struct page *page,
		      void *fsdata);

/* The nobh variants: pages that keep no buffers. */
int nobh_write_begin(struct address_space *mapping, loff_t pos,
		     unsigned len, struct page **pagep, void **fsdata,
		     get_block_t *get_block);
int nobh_write_end(struct address_space *mapping, loff_t pos, unsigned len,
		   unsigned copied, struct page *page, void *fsdata);
int nobh_writepage(struct page *page, get_block_t *get_block,
		   struct writeback_control *wbc);

#endif /* MPSIM_FS_BUFFER_H */
