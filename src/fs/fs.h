/*
 * fs.h - inodes, superblocks and the get_block hook (include/linux/fs.h in
 * miniature).
 *
 * An inode is a file of the scenario: its size, block size, mapping, and
 * whatever its filesystem keeps in i_private (ext2: the i_data pointers).
 * The filesystem supplies get_block(), the one call through which mpage and
 * the buffer-head code learn where a file's blocks live on disk.
 */
#ifndef MPSIM_FS_FS_H
#define MPSIM_FS_FS_H

#include "include/kernel.h"
#include "mm/filemap.h"
#include "sim/event.h"

struct buffer_head;
struct block_device;
struct writeback_control;

typedef int (get_block_t)(struct inode *inode, sector_t iblock,
			  struct buffer_head *bh_result, int create);

/* struct super_operations - include/linux/fs.h: the one mpsim calls */
struct super_operations {
	int (*write_inode)(struct inode *inode, struct writeback_control *wbc);
};

struct super_block {
	unsigned long s_blocksize;
	unsigned char s_blocksize_bits;
	struct block_device *s_bdev;
	void *s_fs_info;		/* the filesystem's own state */
	/* NULL: the filesystem writes no inodes (fs.metadata_writes=off) */
	const struct super_operations *s_op;
};

struct address_space_operations {
	int (*readpage)(struct page *page);
	int (*readpages)(struct address_space *mapping,
			 struct list_head *pages, unsigned nr_pages);
	int (*writepage)(struct page *page, struct writeback_control *wbc);
	int (*writepages)(struct address_space *mapping,
			  struct writeback_control *wbc);
	/* buffered write(2): prepare [pos, pos+len) of one page, commit it */
	int (*write_begin)(struct address_space *mapping, loff_t pos,
			   unsigned len, struct page **pagep, void **fsdata);
	int (*write_end)(struct address_space *mapping, loff_t pos,
			 unsigned len, unsigned copied, struct page *page,
			 void *fsdata);
};

/*
 * A file's block map, one run at a time, as `mpsim layout` prints it and
 * the `extent` table stores it: data runs (file blocks to consecutive disk
 * blocks), and each block of the map's own metadata.  For a pointer
 * block, `logical` is the first file block it maps and `len` is 1.
 */
enum fmap_kind {
	FMAP_DATA,
	FMAP_INDIRECT,		/* ext2: maps data blocks */
	FMAP_DINDIRECT,		/* ext2: maps indirect blocks */
	FMAP_TINDIRECT,		/* ext2: maps double indirect blocks */
	FMAP_TREE,		/* extent fs: a block of the extent tree */
};

struct fmap_run {
	enum fmap_kind kind;
	uint64_t logical, physical, len;
};

typedef void (*fmap_fn)(const struct fmap_run *run, void *arg);

/* "data", "indirect", ... as the extent table's `kind` column. */
static inline const char *fmap_kind_name(enum fmap_kind kind)
{
	static const char *const names[] = {
		[FMAP_DATA] = "data", [FMAP_INDIRECT] = "indirect",
		[FMAP_DINDIRECT] = "dindirect", [FMAP_TINDIRECT] = "tindirect",
		[FMAP_TREE] = "tree",
	};

	return names[kind];
}

#define I_DIRTY_PAGES (1u << 0)	/* on the flusher's dirty list */
#define I_DIRTY_SYNC (1u << 1)	/* the inode changed (times) */
#define I_DIRTY_DATASYNC (1u << 2) /* ... in what fdatasync must write */
#define I_DIRTY (I_DIRTY_SYNC | I_DIRTY_DATASYNC | I_DIRTY_PAGES)
#define I_DIRTY_ALL I_DIRTY	/* no lazytime in mpsim */
#define I_SYNC (1u << 3)	/* being written (writeback_single_inode) */

struct inode {
	unsigned long i_ino;
	char *i_name;			/* the scenario's file name */
	unsigned i_blkbits;
	loff_t i_size;
	struct super_block *i_sb;
	struct address_space i_data;
	struct address_space *i_mapping;
	const struct address_space_operations *a_ops;
	get_block_t *get_block;		/* the filesystem's block mapper */
	void *i_private;		/* the filesystem's per-inode state */
	/* Scenario-driven exceptions, for tests of rare branches. */
	const pgoff_t *cleancache_pages;	/* sorted */
	unsigned nr_cleancache_pages;
	/* Writeback state (fs/fs-writeback.c). */
	unsigned long i_state;		/* I_DIRTY_* */
	uint64_t dirtied_when;		/* in jiffies, as 4.9 stamps it */
	int64_t i_mtime;		/* seconds; -1: from before the run */
	struct list_head i_io_list;	/* on the flusher's dirty list */
	/* mapping->private_list: dirty metadata buffers (fs/buffer.c) */
	struct buffer_head *i_assoc_head, *i_assoc_tail;
};

static inline loff_t i_size_read(const struct inode *inode)
{
	return inode->i_size;
}

/* __mark_inode_dirty() - fs/fs-writeback.c (in fs/fs-writeback.c) */
void __mark_inode_dirty(struct inode *inode, unsigned flags);

/* mark_inode_dirty() - include/linux/fs.h */
static inline void mark_inode_dirty(struct inode *inode)
{
	__mark_inode_dirty(inode, I_DIRTY);
}

/* file_update_time() - fs/inode.c (in mm/page-writeback.c) */
void file_update_time(struct inode *inode);

/* cleancache_get_page(): 0 when the page was found in cleancache. */
int cleancache_get_page(struct page *page);

#endif /* MPSIM_FS_FS_H */
