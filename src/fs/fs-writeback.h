/*
 * fs-writeback.h - the flusher: periodic ("kupdate") and background
 * writeback of dirty inodes (fs/fs-writeback.c, 4.9).
 */
#ifndef MPSIM_FS_FS_WRITEBACK_H
#define MPSIM_FS_FS_WRITEBACK_H

#include "fs/fs.h"
#include "mm/page-writeback.h"

/* The [writeback] group of a scenario (the vm.dirty_* sysctls). */
struct wb_options {
	unsigned dirty_expire_centisecs;	/* 3000: age that kupdate writes */
	unsigned dirty_writeback_centisecs;	/* 500: kupdate period */
	struct dirty_options dirty;		/* the dirty limits */
};

void wb_options_init(struct wb_options *opt);

/* Start (per run) and stop the flusher's bookkeeping. */
void wb_init(const struct wb_options *opt);
void wb_destroy(void);

/*
 * __mark_inode_dirty(I_DIRTY_PAGES): the inode joins the dirty list with
 * dirtied_when = now (jiffies); the first dirty inode queues the flusher's
 * work dirty_writeback_centisecs ahead.
 */
void __mark_inode_dirty(struct inode *inode, unsigned flags);

/*
 * writeback_in_progress(): a flusher pass is running (WB_writeback_running,
 * set and cleared by wb_do_writeback).
 */
bool writeback_in_progress(void);
/* wb_start_background_writeback(): wake the flusher now (wb_wakeup) */
void wb_start_background_writeback(void);

/*
 * sync_inode_metadata(): after fsync wrote the data, a clean inode leaves
 * the dirty lists.
 */
void sync_inode_metadata(struct inode *inode);

#endif /* MPSIM_FS_FS_WRITEBACK_H */
