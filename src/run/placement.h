/*
 * placement.h - placing the files' blocks on the disk (placement.c); for
 * run.c only.
 */
#ifndef MPSIM_RUN_PLACEMENT_H
#define MPSIM_RUN_PLACEMENT_H

#include <glib.h>
#include "scenario/scenario.h"

struct super_block;

/*
 * Build every file's block map in `inodes` (struct inode*, as s->files;
 * the entries of [fs] type = extent files are NULL and are made here):
 * explicit maps, then generated layouts.  Check that each disk block used
 * lies on the disk and is used once, and give the ext2 allocator the free
 * space left.  Layout problems are SCENARIO_ERRORs naming the file's group
 * and key.
 */
bool place_files(const struct scenario *s, struct super_block *sb,
		 GPtrArray *inodes, GError **err);

#endif /* MPSIM_RUN_PLACEMENT_H */
