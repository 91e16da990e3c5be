/*
 * fs-writeback.h - the flusher: periodic ("kupdate") and background
 * writeback of dirty inodes (fs/fs-writeback.c, 4.9).
 */
#ifndef MPSIM_FS_FS_WRITEBACK_H
#define MPSIM_FS_FS_WRITEBACK_H

#include "fs/fs.h"

/* The [writeback] group of a scenario (the vm.dirty_* sysctls). */
struct wb_options {
	unsigned dirty_expire_centisecs;	/* 3000: age that kupdate writes */
	unsigned dirty_writeback_centisecs;	/* 500: kupdate period */
	unsigned long background_pages;		/* dirty pages that start
						   background writeback */
};

void wb_options_init(struct wb_options *opt);

/* Start (per run) and stop the flusher's bookkeeping. */
void wb_init(const struct wb_options *opt);
void wb_destroy(void);

/*
 * __mark_inode_dirty(I_DIRTY_PAGES): the inode joins the dirty list with
 * dirtied_when = now; the flusher task is created (to wake after
 * dirty_writeback_centisecs) if none is running.
 */
void __mark_inode_dirty(struct inode *inode, unsigned flags);

/*
 * balance_dirty_pages_ratelimited(): over the background threshold, wake
 * the flusher for background writeback.
 */
void balance_dirty_pages_ratelimited(struct address_space *mapping);

/*
 * sync_inode_metadata(): after fsync wrote the data, a clean inode leaves
 * the dirty lists.
 */
void sync_inode_metadata(struct inode *inode);

#endif /* MPSIM_FS_FS_WRITEBACK_H */
