/*
 * mke2fs.c - where `mke2fs -t ext2` puts a new filesystem's metadata, for
 * a disk of a given size and block size, with mke2fs's default features
 * (ext_attr, resize_inode, dir_index, filetype, sparse_super, large_file;
 * no flex_bg) and /etc/mke2fs.conf's defaults: inode size 256, one inode
 * per inode_ratio bytes (8192 for "floppy" filesystems under 3 MiB, 4096
 * for "small" ones under 512 MiB, 16384 up to 4 TiB, then 32768 and
 * 65536).
 *
 * This is e2fsprogs, not the kernel: ext2fs_initialize() (the group
 * geometry, the inodes per group, the reserved GDT blocks of
 * calc_reserved_gdt_blocks(), dropping a last group too small for its own
 * metadata), ext2fs_allocate_group_table() without flex_bg (block bitmap,
 * inode bitmap and inode table right after the group's superblock copy and
 * descriptors, if any), and the blocks mke2fs itself allocates next, in
 * its order, from the end of group 0's inode table: the root directory
 * (one block), lost+found (16 KiB, at most 12 blocks) and the resize
 * inode's double indirect block.  Checked against e2fsprogs 1.47's
 * dumpe2fs and debugfs for 1 GiB with 1 KiB and 4 KiB blocks.
 *
 * The kernel's side (fs/ext2) only needs the result: where each group's
 * metadata lies (the allocator never hands it out) and where an inode's
 * table block is (__ext2_write_inode writes it).
 */
#include "fs/ext2/ext2.h"

#define EXT2_DESC_SIZE 32		/* struct ext2_group_desc */
#define EXT2_INODE_SIZE 256		/* mke2fs.conf inode_size */
#define MIB (1ULL << 20)

static uint64_t div_ceil(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

/* mke2fs's size type (floppy, small, default, big, huge): inode_ratio */
static uint64_t inode_ratio(uint64_t bytes)
{
	if (bytes < 3 * MIB)
		return 8192;
	if (bytes < 512 * MIB)
		return 4096;
	if (bytes < 4 * MIB * MIB)
		return 16384;
	if (bytes < 16 * MIB * MIB)
		return 32768;
	return 65536;
}

static bool test_root(unsigned long a, unsigned b)
{
	while (a > 1) {
		if (a % b)
			return false;
		a /= b;
	}
	return a == 1;
}

/* ext2fs_bg_has_super() with sparse_super: groups 0, 1, 3^n, 5^n, 7^n */
bool ext2_bg_has_super(unsigned long group)
{
	return group <= 1 || (group & 1 && (test_root(group, 3) ||
					     test_root(group, 5) ||
					     test_root(group, 7)));
}

/* calc_reserved_gdt_blocks() - e2fsprogs lib/ext2fs/initialize.c */
static unsigned calc_reserved_gdt_blocks(const struct ext2_geometry *g)
{
	uint64_t max_blocks = 0xffffffffULL;
	uint64_t rsv_groups, rsv_gdb;
	unsigned gdpb = g->blocksize / EXT2_DESC_SIZE;

	/* grow to 1024 times the size, or to 2^32 blocks */
	if (g->blocks_count < max_blocks / 1024)
		max_blocks = g->blocks_count * 1024;
	rsv_groups = div_ceil(max_blocks - g->first_data_block,
			      g->blocks_per_group);
	rsv_gdb = div_ceil(rsv_groups, gdpb) - g->desc_blocks;
	if (rsv_gdb > g->blocksize / 4)		/* EXT2_ADDR_PER_BLOCK */
		rsv_gdb = g->blocksize / 4;
	return (unsigned)rsv_gdb;
}

/* The blocks a group's own metadata takes (superblock copy and all). */
static uint64_t group_overhead(const struct ext2_geometry *g,
			       unsigned long group)
{
	uint64_t n = 2 + g->inode_blocks_per_group;

	if (ext2_bg_has_super(group))
		n += 1 + g->desc_blocks + g->reserved_gdt_blocks;
	return n;
}

/* ext2fs_initialize() - e2fsprogs lib/ext2fs/initialize.c, for ext2 */
bool ext2_geometry_init(struct ext2_geometry *g, uint64_t disk_blocks,
			unsigned blocksize, char **why)
{
	uint64_t inodes, ipg, rem;

	g->blocksize = blocksize;
	g->blocks_count = MIN(disk_blocks, 0xffffffffULL);
	g->first_data_block = blocksize == 1024 ? 1 : 0;
	g->blocks_per_group = 8 * blocksize;
	g->inode_size = EXT2_INODE_SIZE;
	/* mke2fs: s_inodes_count = blocks * blocksize / inode_ratio */
	inodes = g->blocks_count * blocksize /
		 inode_ratio(g->blocks_count * blocksize);
retry:
	if (g->blocks_count <= g->first_data_block) {
		*why = g_strdup("the disk is too small for an ext2 "
				"filesystem");
		return false;
	}
	g->groups_count = (unsigned long)div_ceil(g->blocks_count -
						  g->first_data_block,
						  g->blocks_per_group);
	g->desc_blocks = (unsigned)div_ceil(g->groups_count,
					    blocksize / EXT2_DESC_SIZE);
	g->reserved_gdt_blocks = calc_reserved_gdt_blocks(g);
	ipg = div_ceil(inodes, g->groups_count);
	if (ipg > 8ULL * blocksize)
		ipg = 8ULL * blocksize;
	/* fill the inode table blocks, in multiples of 8 inodes */
	g->inode_blocks_per_group = (unsigned)div_ceil(ipg * g->inode_size,
						       blocksize);
	ipg = (uint64_t)g->inode_blocks_per_group * blocksize / g->inode_size;
	ipg &= ~7ULL;
	g->inodes_per_group = (unsigned)ipg;
	g->inode_blocks_per_group = (unsigned)div_ceil(ipg * g->inode_size,
						       blocksize);
	/* a last group too small for its metadata (and 50 blocks) goes */
	rem = (g->blocks_count - g->first_data_block) % g->blocks_per_group;
	if (rem && rem < group_overhead(g, g->groups_count - 1) + 50) {
		if (g->groups_count == 1) {
			*why = g_strdup("the disk is too small for an ext2 "
					"filesystem");
			return false;
		}
		g->blocks_count -= rem;
		goto retry;
	}
	return true;
}

/* The first block of a group */
static uint64_t group_first(const struct ext2_geometry *g,
			    unsigned long group)
{
	return g->first_data_block + (uint64_t)group * g->blocks_per_group;
}

/* ext2fs_allocate_group_table(), no flex_bg: the block bitmap's place */
uint64_t ext2_block_bitmap(const struct ext2_geometry *g, unsigned long group)
{
	uint64_t b = group_first(g, group);

	if (ext2_bg_has_super(group))
		b += 1 + g->desc_blocks + g->reserved_gdt_blocks;
	return b;
}

uint64_t ext2_inode_table(const struct ext2_geometry *g, unsigned long group)
{
	return ext2_block_bitmap(g, group) + 2;
}

/* lost+found's blocks: create_lost_and_found() expands to 16 KiB */
static unsigned lost_found_blocks(unsigned blocksize)
{
	unsigned n = 1, lpf_size = 0;

	for (unsigned i = 1; i < EXT2_NDIR_BLOCKS; i++) {
		if ((lpf_size += blocksize) >= 16 * 1024 &&
		    lpf_size >= 2 * blocksize)
			break;
		n++;		/* ext2fs_expand_dir() */
	}
	return n;
}

void ext2_geometry_foreach(const struct ext2_geometry *g, ext2_meta_fn fn,
			   void *arg)
{
	uint64_t next;

	if (g->first_data_block)
		fn(0, 1, "boot block", arg);
	for (unsigned long grp = 0; grp < g->groups_count; grp++) {
		uint64_t first = group_first(g, grp);

		if (ext2_bg_has_super(grp)) {
			fn(first, 1, "superblock", arg);
			fn(first + 1, g->desc_blocks, "group descriptors",
			   arg);
			if (g->reserved_gdt_blocks)
				fn(first + 1 + g->desc_blocks,
				   g->reserved_gdt_blocks, "reserved GDT",
				   arg);
		}
		fn(ext2_block_bitmap(g, grp), 1, "block bitmap", arg);
		fn(ext2_block_bitmap(g, grp) + 1, 1, "inode bitmap", arg);
		fn(ext2_inode_table(g, grp), g->inode_blocks_per_group,
		   "inode table", arg);
		if (grp)
			continue;
		/* mke2fs's own allocations, from the end of the table */
		next = ext2_inode_table(g, 0) + g->inode_blocks_per_group;
		fn(next, 1, "root directory", arg);
		fn(next + 1, lost_found_blocks(g->blocksize), "lost+found",
		   arg);
		next += 1 + lost_found_blocks(g->blocksize);
		fn(next, 1, "resize inode", arg);
	}
}

/* ext2_get_inode() - fs/ext2/inode.c: the table block of inode ino */
uint64_t ext2_inode_block(const struct ext2_geometry *g, unsigned long ino)
{
	unsigned long group = (ino - 1) / g->inodes_per_group;
	uint64_t offset = ((ino - 1) % g->inodes_per_group) *
			  (uint64_t)g->inode_size;

	return ext2_inode_table(g, group) + offset / g->blocksize;
}
