/*
 * task.h - what a simulated task does: the workload ops of a scenario,
 * carried out with the kernel's own entry points (->readpages inside a
 * plug as read_pages() calls it, ->readpage, waits on page locks).
 */
#ifndef MPSIM_TASK_H
#define MPSIM_TASK_H

#include "scenario/scenario.h"
#include "mm/readahead.h"

struct inode;
struct block_device;

struct workload {
	const struct scen_task *spec;
	struct inode *inode;
	struct file_ra_state ra;	/* the task's open file */
	/* every file and the disk, for drop_caches */
	struct inode *const *all_inodes;
	unsigned nr_inodes;
	struct block_device *bdev;
	struct task *task;		/* the simulated task running it */
	uint64_t seed;			/* the run's seed (src/sim/rng.h) */
};

/* The body of a simulated task; arg is a struct workload. */
void workload_main(void *arg);

#endif /* MPSIM_TASK_H */
