/*
 * linux/kernel.h (shim) - the base of the userspace shim under which the
 * kernel's own fs/mpage.c is compiled, unmodified, for the differential
 * test: types, bit helpers, lists, GFP and REQ constants, BUG_ON.
 *
 * Every function the shim defines outside a header is renamed ref_* here,
 * so that the reference and the port (src/libmpsim.a, which defines the
 * same kernel names) link into one program.
 */
#ifndef DIFF_SHIM_LINUX_KERNEL_H
#define DIFF_SHIM_LINUX_KERNEL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* ---- renames: the reference's exports and the shim's functions ---- */
#define mpage_readpages ref_mpage_readpages
#define mpage_readpage ref_mpage_readpage
#define mpage_writepages ref_mpage_writepages
#define mpage_writepage ref_mpage_writepage
#define add_to_page_cache_lru ref_add_to_page_cache_lru
#define put_page ref_put_page
#define unlock_page ref_unlock_page
#define page_endio ref_page_endio
#define zero_user_segment ref_zero_user_segment
#define create_empty_buffers ref_create_empty_buffers
#define block_read_full_page ref_block_read_full_page
#define try_to_free_buffers ref_try_to_free_buffers
#define buffer_heads_over_limit ref_buffer_heads_over_limit
#define unmap_underlying_metadata ref_unmap_underlying_metadata
#define write_boundary_block ref_write_boundary_block
#define bio_alloc ref_bio_alloc
#define bio_put ref_bio_put
#define bio_add_page ref_bio_add_page
#define submit_bio ref_submit_bio
#define guard_bio_eod ref_guard_bio_eod
#define bdev_read_page ref_bdev_read_page
#define bdev_write_page ref_bdev_write_page
#define cleancache_get_page ref_cleancache_get_page
#define set_page_writeback ref_set_page_writeback
#define mapping_set_error ref_mapping_set_error
#define generic_writepages ref_generic_writepages
#define write_cache_pages ref_write_cache_pages
#define blk_start_plug ref_blk_start_plug
#define blk_finish_plug ref_blk_finish_plug
#define wbc_init_bio ref_wbc_init_bio
#define wbc_account_io ref_wbc_account_io
#define end_page_writeback ref_end_page_writeback
#define ref_current_task ref_current_task

typedef uint64_t sector_t;
typedef uint64_t pgoff_t;
typedef int64_t loff_t;
typedef unsigned gfp_t;
typedef uint32_t u32;

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define BUG_ON(cond) do { if (cond) abort(); } while (0)
#define BUG() abort()

#define min_t(type, x, y) ({ type __x = (x); type __y = (y); \
	__x < __y ? __x : __y; })

/* ---- bits (non-atomic: the test runs one thing at a time) ---- */
static inline int test_bit(int nr, const unsigned long *addr)
{
	return (int)((*addr >> nr) & 1UL);
}
static inline void set_bit(int nr, unsigned long *addr)
{
	*addr |= 1UL << nr;
}
static inline void clear_bit(int nr, unsigned long *addr)
{
	*addr &= ~(1UL << nr);
}

/* ---- lists (include/linux/list.h) ---- */
struct list_head {
	struct list_head *next, *prev;
};

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define list_entry(ptr, type, member) container_of(ptr, type, member)

static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l;
	l->prev = l;
}
static inline void list_add(struct list_head *n, struct list_head *head)
{
	n->next = head->next;
	n->prev = head;
	head->next->prev = n;
	head->next = n;
}
static inline void list_del(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	e->next = e->prev = NULL;
}
static inline int list_empty(const struct list_head *head)
{
	return head->next == head;
}

/* ---- allocation masks and request ops ---- */
#define __GFP_HIGH 0x20u
#define __GFP_IO 0x40u
#define __GFP_FS 0x80u
#define __GFP_NOWARN 0x200u
#define __GFP_NORETRY 0x1000u
#define __GFP_RECLAIM 0x0c00000u
#define GFP_KERNEL (__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_NOFS (__GFP_RECLAIM | __GFP_IO)
#define GFP_NOIO (__GFP_RECLAIM)

enum req_op {
	REQ_OP_READ,
	REQ_OP_WRITE,
};
#define READ 0
#define WRITE 1
#define REQ_SYNC (1u << 3)
#define REQ_NOIDLE (1u << 4)
#define REQ_META (1u << 5)
#define WRITE_SYNC (REQ_SYNC | REQ_NOIDLE)
#include <limits.h>	/* LLONG_MAX */

/* ---- the running task ---- */
#define PF_MEMALLOC 0x00000800
struct task_struct {
	unsigned flags;
};
extern struct task_struct ref_current_task;
#define current (&ref_current_task)

#endif
