/*
 * ext2.h - an ext2-style filesystem: indirect block mapping (fs/ext2/inode.c
 * lookup path, 4.9) over block maps that a scenario describes.
 *
 * The "disk" holds no data, but pointer blocks are real: each indirect
 * block has its array of pointers, and ext2_get_block() reads it through
 * the buffer cache (sb_bread), so the first lookup through an indirect
 * block costs a synchronous read, exactly as in the kernel.
 *
 * One deviation, stated once: ext2 marks a hole with a zero pointer, which
 * would make disk block 0 unmappable.  Scenarios may put data on block 0,
 * so mpsim marks holes with EXT2_HOLE (all ones) instead.
 */
#ifndef MPSIM_FS_EXT2_H
#define MPSIM_FS_EXT2_H

#include <glib.h>
#include "fs/fs.h"

#define EXT2_NDIR_BLOCKS 12
#define EXT2_IND_BLOCK EXT2_NDIR_BLOCKS
#define EXT2_DIND_BLOCK (EXT2_IND_BLOCK + 1)
#define EXT2_TIND_BLOCK (EXT2_DIND_BLOCK + 1)
#define EXT2_N_BLOCKS (EXT2_TIND_BLOCK + 1)
#define EXT2_HOLE UINT32_MAX
#define EXT2_HOLE_BLOCK ((uint64_t)EXT2_HOLE)

struct block_device;

struct ext2_options {
	unsigned blocksize;	/* 512 .. 4096, a power of two */
	bool boundary;		/* get_block sets BH_Boundary (fs.boundary) */
};

/* ---- the metadata mke2fs places (mke2fs.c) ---- */

/* A new filesystem's geometry, as mke2fs -t ext2 makes it. */
struct ext2_geometry {
	unsigned blocksize;
	uint64_t blocks_count;		/* less a last group too small */
	uint64_t first_data_block;	/* 1 with 1 KiB blocks, else 0 */
	unsigned blocks_per_group;
	unsigned long groups_count;
	unsigned inode_size, inodes_per_group, inode_blocks_per_group;
	unsigned desc_blocks, reserved_gdt_blocks;
};

/* For a disk of disk_blocks blocks; false with *why when too small. */
bool ext2_geometry_init(struct ext2_geometry *g, uint64_t disk_blocks,
			unsigned blocksize, char **why);
/* sparse_super: groups 0, 1 and the powers of 3, 5 and 7 */
bool ext2_bg_has_super(unsigned long group);
uint64_t ext2_block_bitmap(const struct ext2_geometry *g, unsigned long group);
uint64_t ext2_inode_table(const struct ext2_geometry *g, unsigned long group);
/* Each run of metadata blocks in disk order, and what it holds. */
typedef void (*ext2_meta_fn)(uint64_t start, uint64_t len, const char *what,
			     void *arg);
void ext2_geometry_foreach(const struct ext2_geometry *g, ext2_meta_fn fn,
			   void *arg);
/* The inode table block that holds inode ino. */
uint64_t ext2_inode_block(const struct ext2_geometry *g, unsigned long ino);

/* The scenario's n-th file (i_ino n, from 1) is inode 11 + n: after
 * lost+found (EXT2_GOOD_OLD_FIRST_INO), as files made in a new fs. */
#define EXT2_GOOD_OLD_FIRST_INO 11

struct super_block *ext2_fill_super(struct block_device *bdev,
				    const struct ext2_options *opt);
void ext2_put_super(struct super_block *sb);
/*
 * Mount option nobh (fs.nobh): inodes created afterwards write through
 * nobh_write_begin / nobh_writepage, and their pages keep no buffers.
 */
void ext2_set_nobh(struct super_block *sb, bool nobh);

struct inode *ext2_new_inode(struct super_block *sb, unsigned long ino,
			     const char *name, loff_t size);
void ext2_free_inode(struct inode *inode);

int ext2_get_block(struct inode *inode, sector_t iblock,
		   struct buffer_head *bh_result, int create);

/*
 * fsync (datasync 0) or fdatasync (1) of [start, end]: data, pointer
 * blocks, the inode (when dirty; for fdatasync only when
 * I_DIRTY_DATASYNC), cache flush; 0 or -EIO.
 */
int ext2_fsync(struct inode *inode, loff_t start, loff_t end, int datasync);

/*
 * Metadata writes (fs.metadata_writes): the filesystem has the metadata
 * of `geom` (placed by the caller, which also keeps the allocator off
 * it), inodes are marked dirty and written to their table blocks.
 * Without it, as mpsim had it: no metadata, inodes never written.
 */
void ext2_set_geometry(struct super_block *sb, const struct ext2_geometry *g);
/* The geometry set, or NULL. */
const struct ext2_geometry *ext2_sb_geometry(const struct super_block *sb);
/* The disk block of the inode's table block (geometry set). */
uint64_t ext2_inode_table_block(const struct inode *inode);

/* Largest file block number the mapping can address, plus one. */
uint64_t ext2_max_blocks(const struct super_block *sb);

/*
 * Where a pointer block lives.  `path` names it as the pointers leading to
 * it: {12} the single indirect block; {13} the double; {13, n} the n-th
 * indirect block under it; {14}, {14, n}, {14, n, m} likewise under the
 * triple.  The parent must be placed first.  Returns 0, or -EINVAL with a
 * message in *why.
 */
int ext2_place_pointer_block(struct inode *inode, const unsigned *path,
			     int depth, uint32_t blocknr, char **why);
/*
 * Map file block iblock to disk block blocknr.  Every pointer block on its
 * path must have been placed; else -ENOENT, with the missing block named
 * in *why (e.g. "dind/3").
 */
int ext2_map_data_block(struct inode *inode, sector_t iblock,
			uint32_t blocknr, char **why);
/*
 * The pointer that maps file block iblock (in the inode or in a placed
 * pointer block; the following file blocks' pointers follow it up to the
 * end of its block), or NULL when a pointer block on its path is not
 * placed or iblock is beyond what the mapping can address.
 */
uint32_t *ext2_data_slot(struct inode *inode, sector_t iblock);

/* Called with each run of disk blocks [start, start + len). */
typedef void (*ext2_extent_fn)(uint64_t start, uint64_t len, void *arg);

/*
 * Generated layouts (layout.c): the free space of the disk as extents, and
 * a placement of a file written sequentially: pointer blocks and data
 * blocks in ext2_get_block's allocation order, each at the first free
 * block at or after the goal.  Data runs are reported to fn; *next_goal
 * gets the block after the last one placed.  -ENOSPC when the free space
 * runs out.
 */
struct ext2_free_space;
struct ext2_free_space *ext2_free_space_new(uint64_t start, uint64_t len);
void ext2_free_space_free(struct ext2_free_space *fs);
/* Each free extent, in disk order (the allocator's starting free space). */
void ext2_free_space_foreach(const struct ext2_free_space *fs,
			     ext2_extent_fn fn, void *arg);
/* Keep only the free blocks inside the (start, len) pairs of `ranges`. */
void ext2_free_space_clip(struct ext2_free_space *fs, const uint64_t *ranges,
			  unsigned nranges);
void ext2_free_space_remove(struct ext2_free_space *fs, uint64_t start,
			    uint64_t len);
void ext2_free_space_fragment(struct ext2_free_space *fs, uint32_t seed,
			      uint32_t extent, uint32_t gap);
int ext2_layout_generate(struct inode *inode, struct ext2_free_space *fs,
			 uint64_t goal, uint64_t nblocks, ext2_extent_fn fn,
			 void *arg, uint64_t *next_goal);

/*
 * A file's block map read from an ext2/ext3 image with libext2fs
 * (image.c): its size, the image's block size, runs of data blocks and
 * the place of every indirect block (path as for
 * ext2_place_pointer_block, parents first).
 */
struct ext2_image_run {
	uint64_t file_block, len, disk_block;
};
struct ext2_image_indirect {
	unsigned path[3];
	int depth;
	uint64_t disk_block;
};
struct ext2_image_map {
	uint64_t size;
	unsigned block_size;
	GArray *runs;		/* struct ext2_image_run, by file block */
	GArray *indirect;	/* struct ext2_image_indirect */
};
/* False with a message in *why (also when built without libext2fs). */
bool ext2_image_read_file(const char *image, const char *path,
			  struct ext2_image_map *map, char **why);
void ext2_image_map_clear(struct ext2_image_map *map);

/*
 * The file's block map in the order ext2 keeps it (debugfs stat's order):
 * the direct blocks' runs, then each pointer block followed by what it
 * maps.  Runs of data stop at a pointer block.
 */
void ext2_foreach_mapping(struct inode *inode, fmap_fn fn, void *arg);

/* Every placed pointer block, in disk-block order, for validation. */
void ext2_foreach_pointer_block(struct super_block *sb, ext2_extent_fn fn,
				void *arg);

/*
 * Where file block iblock lives, read straight from the map without any
 * I/O (for setting up a scenario's starting state).  True and
 * bh->b_blocknr set when mapped; false for a hole.
 */
bool ext2_lookup_block_nocache(struct inode *inode, sector_t iblock,
			       struct buffer_head *bh);

/* ---- block allocation (balloc.c) ---- */

/* The free-block bitmaps of a filesystem (one bitmap per block group). */
struct ext2_balloc;

struct ext2_balloc *ext2_balloc_new(uint64_t blocks_count, unsigned blocksize);
void ext2_balloc_free(struct ext2_balloc *b);
/* Before first use, in disk order: [start, start+len) is free. */
void ext2_balloc_add_free(struct ext2_balloc *b, uint64_t start,
			  uint64_t len);
/* Before first use, in disk order: blocks the scenario's files hold. */
void ext2_balloc_mark_used(struct ext2_balloc *b, uint64_t start,
			   uint64_t len);
/* ext2_new_blocks(): up to *count free blocks near goal; -ENOSPC in *errp */
uint64_t ext2_new_blocks(struct ext2_balloc *b, uint64_t goal,
			 unsigned long *count, int *errp);
uint64_t ext2_group_first_block_no(const struct ext2_balloc *b,
				   unsigned long group);
unsigned ext2_blocks_per_group(const struct ext2_balloc *b);
/* The allocator of a mounted filesystem. */
struct ext2_balloc *ext2_sb_balloc(struct super_block *sb);

/*
 * Test hooks for branches ext2 itself never reaches: make get_block return
 * an up-to-date buffer, or fail with -EIO, for the given file blocks.
 */
void ext2_set_test_faults(struct inode *inode, GArray *uptodate_blocks,
			  GArray *eio_blocks);
/* get_block fails with -ENOSPC for these file blocks (the mpage lab). */
void ext2_set_test_enospc(struct inode *inode, GArray *enospc_blocks);

#endif /* MPSIM_FS_EXT2_H */
