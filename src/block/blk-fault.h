/*
 * blk-fault.h - device faults: a scenario's [fault] group names requests
 * the device fails, and the driver glue completes them with -EIO
 * (docs/faults.md).
 */
#ifndef MPSIM_BLOCK_BLK_FAULT_H
#define MPSIM_BLOCK_BLK_FAULT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

struct request;

enum blk_fault_op {
	BLK_FAULT_ANY,
	BLK_FAULT_READ,
	BLK_FAULT_WRITE,
};

/* Which requests fail: every criterion given must hold. */
struct blk_fault {
	bool set;		/* a [fault] key was given */
	uint64_t *sectors;	/* closed ranges lo, hi, lo, hi, ... */
	unsigned nr_sectors;	/* ranges */
	uint64_t *requests;	/* closed ranges of request numbers */
	unsigned nr_requests;	/* ranges */
	enum blk_fault_op op;
	uint64_t count;		/* at most this many fail; 0: no limit */
};

void blk_fault_init(struct blk_fault *f);
void blk_fault_clear(struct blk_fault *f);
void blk_fault_copy(struct blk_fault *dst, const struct blk_fault *src);
/* A [fault] key; false + *err (without the key's name) on a bad value. */
bool blk_fault_set(struct blk_fault *f, const char *key, const char *value,
		   GError **err);
/* The effective keys, in a fixed order; none when no key was given. */
void blk_fault_foreach(const struct blk_fault *f,
		       void (*fn)(const char *key, const char *value,
				  void *arg), void *arg);
/*
 * Does the device fail rq (being dispatched)?  `failed` counts the
 * requests failed so far, for `count`; -EIO or 0.
 */
int blk_fault_check(const struct blk_fault *f, const struct request *rq,
		    uint64_t *failed);

#endif /* MPSIM_BLOCK_BLK_FAULT_H */
