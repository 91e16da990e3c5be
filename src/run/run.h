/*
 * run.h - one simulation run: build the simulated world from a scenario,
 * run the event loop to the end, tear everything down.
 *
 * Whoever wants to see the run registers trace listeners before
 * world_run(); the run itself writes nothing.
 */
#ifndef MPSIM_RUN_H
#define MPSIM_RUN_H

#include <glib.h>
#include "scenario/scenario.h"
#include "fs/fs.h"
#include "sim/event.h"

struct world;
struct block_device;

struct run_result {
	/*
	 * When the run's work ended: the last request's completion or the
	 * last workload task's end, whichever is later.  The flusher's idle
	 * wake-ups, which do nothing, do not count.
	 */
	simtime_t end_ns;
	/*
	 * From the earliest task start to end_ns: the time before the
	 * first task starts does not count (a sleep inside a task does).
	 */
	simtime_t elapsed_ns;
	uint64_t events;
	uint64_t bios, requests, completed;
	int unfinished_tasks;	/* > 0: tasks asleep forever */
};

/*
 * Build the world.  The run's seed is s->seed; the disk's platter phase is
 * applied here (scenario_phase_ns()), and world_phase_ns() says which.  Layout problems that only show when the block maps are
 * built (a missing indirect block, overlapping disk blocks, a block beyond
 * the disk) are reported here as SCENARIO_ERROR, before anything runs.
 */
struct world *world_build(const struct scenario *s, GError **err);
/* Run to completion (or until *stop).  Returns false on a deadlock. */
bool world_run(struct world *w, const volatile bool *stop,
	       struct run_result *res, GError **err);
void world_free(struct world *w);
/* The platter phase offset the run's disk was given, in ns. */
int64_t world_phase_ns(const struct world *w);

/*
 * The block map of the scenario's file `file` (an index into s->files) as
 * it stands now: after world_build(), the starting layout; after
 * world_run(), with the blocks the run allocated.
 */
void world_foreach_mapping(struct world *w, unsigned file, fmap_fn fn,
			   void *arg);

/* The world's block device, for drivers that submit bios themselves. */
struct block_device *world_bdev(const struct world *w);

#endif /* MPSIM_RUN_H */
