/*
 * linux/mm.h (shim) - pages, mappings and inodes as fs/mpage.c sees them,
 * with the page-cache calls it makes (implemented in tests/diff/ref-shim.c).
 */
#ifndef DIFF_SHIM_LINUX_MM_H
#define DIFF_SHIM_LINUX_MM_H

#include <linux/kernel.h>

struct buffer_head;
struct writeback_control;
struct inode;

enum pageflags {
	PG_locked,
	PG_error,
	PG_uptodate,
	PG_dirty,
	PG_private,
	PG_writeback,
	PG_mappedtodisk,
	PG_towrite,		/* shim: the radix tree's TOWRITE tag */
};

struct page {
	unsigned long flags;
	pgoff_t index;
	struct address_space *mapping;
	unsigned long private;		/* the first buffer head */
	struct list_head lru;
	int in_cache;
};

struct address_space_operations {
	int (*writepage)(struct page *page, struct writeback_control *wbc);
};

struct address_space {
	struct inode *host;
	gfp_t gfp_mask;
	const struct address_space_operations *a_ops;
	unsigned long flags;		/* AS_EIO, AS_ENOSPC */
	pgoff_t writeback_index;
};

#define AS_EIO 0
#define AS_ENOSPC 1

typedef int (get_block_t)(struct inode *inode, sector_t iblock,
			  struct buffer_head *bh_result, int create);

struct inode {
	unsigned i_blkbits;
	loff_t i_size;
	struct address_space *i_mapping;
};

static inline loff_t i_size_read(const struct inode *inode)
{
	return inode->i_size;
}

#define PAGEFLAG(uname, bit)						\
static inline int Page##uname(const struct page *p)			\
{ return test_bit(bit, &p->flags); }					\
static inline void SetPage##uname(struct page *p)			\
{ set_bit(bit, &p->flags); }						\
static inline void ClearPage##uname(struct page *p)			\
{ clear_bit(bit, &p->flags); }

PAGEFLAG(Locked, PG_locked)
PAGEFLAG(Error, PG_error)
PAGEFLAG(Uptodate, PG_uptodate)
PAGEFLAG(Dirty, PG_dirty)
PAGEFLAG(Private, PG_private)
PAGEFLAG(Writeback, PG_writeback)
PAGEFLAG(MappedToDisk, PG_mappedtodisk)
PAGEFLAG(Towrite, PG_towrite)

#define lru_to_page(head) (list_entry((head)->prev, struct page, lru))

static inline gfp_t readahead_gfp_mask(struct address_space *x)
{
	return x->gfp_mask | __GFP_NORETRY | __GFP_NOWARN;
}

static inline gfp_t mapping_gfp_constraint(struct address_space *mapping,
					   gfp_t gfp_mask)
{
	return mapping->gfp_mask & gfp_mask;
}

int add_to_page_cache_lru(struct page *page, struct address_space *mapping,
			  pgoff_t offset, gfp_t gfp_mask);
void put_page(struct page *page);
void unlock_page(struct page *page);
void page_endio(struct page *page, bool is_write, int err);
void zero_user_segment(struct page *page, unsigned start, unsigned end);
void mapping_set_error(struct address_space *mapping, int error);
void set_page_writeback(struct page *page);
void end_page_writeback(struct page *page);

#endif
