/*
 * kernel.h - the few kernel types, constants and helpers the ported code
 * shares (include/linux/types.h, kernel.h, bitops in miniature).
 */
#ifndef MPSIM_KERNEL_H
#define MPSIM_KERNEL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t sector_t;	/* a block or sector number */
typedef uint64_t pgoff_t;	/* a page index in a file */
typedef int64_t loff_t;		/* a byte offset in a file */
typedef unsigned gfp_t;

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

#define GFP_KERNEL 0x01u
#define GFP_NOFS 0x02u
#define __GFP_HIGH 0x04u
#define GFP_NOIO 0x08u		/* mempool-backed: never fails */

#define min_t(type, a, b) ((type)(a) < (type)(b) ? (type)(a) : (type)(b))
#define max_t(type, a, b) ((type)(a) > (type)(b) ? (type)(a) : (type)(b))

/* Non-atomic bit helpers: the simulator runs one thing at a time. */
static inline bool test_bit(int nr, const unsigned long *addr)
{
	return (*addr >> nr) & 1UL;
}

static inline void set_bit(int nr, unsigned long *addr)
{
	*addr |= 1UL << nr;
}

static inline void clear_bit(int nr, unsigned long *addr)
{
	*addr &= ~(1UL << nr);
}

static inline bool test_and_clear_bit(int nr, unsigned long *addr)
{
	bool old = test_bit(nr, addr);

	clear_bit(nr, addr);
	return old;
}

static inline bool test_and_set_bit(int nr, unsigned long *addr)
{
	bool old = test_bit(nr, addr);

	set_bit(nr, addr);
	return old;
}

/* Kernel-style list of REQ_OP_* and flags used by bios and requests. */
enum req_op {
	REQ_OP_READ = 0,
	REQ_OP_WRITE = 1,
	REQ_OP_FLUSH = 2,
};

#define REQ_SYNC (1u << 0)
#define REQ_META (1u << 1)
#define REQ_PRIO (1u << 2)
#define REQ_RAHEAD (1u << 3)
#define REQ_NOIDLE (1u << 4)
#define REQ_PREFLUSH (1u << 5)
#define REQ_FUA (1u << 6)
#define WRITE_SYNC (REQ_SYNC | REQ_NOIDLE)

#endif /* MPSIM_KERNEL_H */
