/*
 * extfs.h - an extent-mapped filesystem, as a contrast to ext2: block
 * mapping as ext4 does it (fs/ext4/extents.c lookup path, 4.9), over an
 * extent list a scenario describes.
 *
 * A file is a sorted list of extents (file block, length, disk block).
 * Up to 4 extents live in the inode; more go into an extent tree whose
 * blocks hold (blocksize - 12) / 12 entries each (a 12-byte header, 12-byte
 * entries, as ext4's on-disk format).  get_block reads the tree blocks on
 * the path to the leaf with sb_bread (the buffer cache keeps them), maps
 * the whole extent up to the size asked for, and never sets BH_Boundary.
 *
 * The tree's shape follows from the number of extents (each level is as
 * full as it can be, left to right); where its blocks live is given by the
 * scenario, top level first, each level left to right.
 */
#ifndef MPSIM_FS_EXTFS_H
#define MPSIM_FS_EXTFS_H

#include <glib.h>
#include "fs/fs.h"

#define EXTFS_ROOT_ENTRIES 4		/* entries in the inode (i_block) */
#define EXTFS_MAX_EXTENT_LEN 32768	/* EXT_INIT_MAX_LEN */

struct block_device;

struct extfs_extent {
	uint64_t file_block;
	uint64_t len;
	uint64_t disk_block;
};

struct super_block *extfs_fill_super(struct block_device *bdev,
				     unsigned blocksize);
void extfs_put_super(struct super_block *sb);

/* Entries a tree block holds: (blocksize - 12) / 12. */
unsigned extfs_entries_per_block(const struct super_block *sb);
/*
 * Tree blocks a file needs for `ext` (sorted, not overlapping), after
 * splitting extents longer than EXTFS_MAX_EXTENT_LEN; 0 when they fit in
 * the inode.
 */
uint64_t extfs_tree_blocks_needed(const struct super_block *sb,
				  const struct extfs_extent *ext, unsigned n);

/*
 * A file with the given extents and tree blocks (exactly as many as
 * extfs_tree_blocks_needed says, top level first).  NULL with *why set on
 * a mismatch.
 */
struct inode *extfs_new_inode(struct super_block *sb, unsigned long ino,
			      const char *name, loff_t size,
			      const struct extfs_extent *ext, unsigned n,
			      const uint64_t *tree_blocks, unsigned ntree,
			      char **why);
void extfs_free_inode(struct inode *inode);

int extfs_get_block(struct inode *inode, sector_t iblock,
		    struct buffer_head *bh_result, int create);
/* The mapping of iblock without any I/O; false for a hole. */
bool extfs_lookup_block_nocache(struct inode *inode, sector_t iblock,
				struct buffer_head *bh);

/* The file's tree blocks (top level first), then its extents in order. */
void extfs_foreach_mapping(struct inode *inode, fmap_fn fn, void *arg);

#endif /* MPSIM_FS_EXTFS_H */
