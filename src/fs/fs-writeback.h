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
 * __mark_inode_dirty() (declared in fs/fs.h): an inode that was clean
 * joins the dirty list with dirtied_when = now (jiffies); the first dirty
 * inode queues the flusher's work dirty_writeback_centisecs ahead.
 * I_DIRTY_SYNC and I_DIRTY_DATASYNC count only on a filesystem that
 * writes inodes (super_block s_op).
 */

/*
 * writeback_in_progress(): a flusher pass is running (WB_writeback_running,
 * set and cleared by wb_do_writeback).
 */
bool writeback_in_progress(void);
/* wb_start_background_writeback(): wake the flusher now (wb_wakeup) */
void wb_start_background_writeback(void);

/*
 * sync_inode_metadata(): write the inode itself if it is dirty (waiting
 * for it with `wait`), as fsync does once the data is written; a clean
 * inode leaves the dirty lists.  0 or an error.
 */
int sync_inode_metadata(struct inode *inode, int wait);

#endif /* MPSIM_FS_FS_WRITEBACK_H */
