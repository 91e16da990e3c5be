/*
 * linux/buffer_head.h (shim) - buffer heads: the state bits and accessors
 * of include/linux/buffer_head.h (4.9), and the calls fs/mpage.c makes.
 */
#ifndef DIFF_SHIM_LINUX_BUFFER_HEAD_H
#define DIFF_SHIM_LINUX_BUFFER_HEAD_H

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/fs.h>

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
	BH_PrivateStart,
};

#define MAX_BUF_PER_PAGE (PAGE_SIZE / 512)

struct buffer_head {
	unsigned long b_state;
	struct buffer_head *b_this_page;
	struct page *b_page;
	sector_t b_blocknr;
	size_t b_size;
	char *b_data;
	struct block_device *b_bdev;
};

#define BUFFER_FNS(bit, name)						\
static inline void set_buffer_##name(struct buffer_head *bh)		\
{ set_bit(BH_##bit, &(bh)->b_state); }					\
static inline void clear_buffer_##name(struct buffer_head *bh)		\
{ clear_bit(BH_##bit, &(bh)->b_state); }				\
static inline int buffer_##name(const struct buffer_head *bh)		\
{ return test_bit(BH_##bit, &(bh)->b_state); }

BUFFER_FNS(Uptodate, uptodate)
BUFFER_FNS(Dirty, dirty)
BUFFER_FNS(Lock, locked)
BUFFER_FNS(Mapped, mapped)
BUFFER_FNS(New, new)
BUFFER_FNS(Boundary, boundary)

#define page_has_buffers(page) PagePrivate(page)
#define page_buffers(page)						\
	({								\
		BUG_ON(!PagePrivate(page));				\
		((struct buffer_head *)(page)->private);		\
	})

extern int buffer_heads_over_limit;

void create_empty_buffers(struct page *page, unsigned long blocksize,
			  unsigned long b_state);
int block_read_full_page(struct page *page, get_block_t *get_block);
int try_to_free_buffers(struct page *page);
void unmap_underlying_metadata(struct block_device *bdev, sector_t block);
void write_boundary_block(struct block_device *bdev, sector_t bblock,
			  unsigned blocksize);

#endif
