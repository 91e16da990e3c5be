/*
 * inode.c - ext2 block mapping (fs/ext2/inode.c, 4.9): ext2_get_blocks()
 * and everything under it, lookup and allocation, the address-space
 * operations, plus the scenario side that builds block maps.
 *
 * Allocation (create != 0) follows the kernel: the goal from
 * ext2_find_goal/ext2_find_near, the missing pointer blocks allocated in
 * one run together with the first data blocks (so each pointer block lands
 * just before the first data block it maps), new pointer blocks taken
 * with sb_getblk, "zeroed" (all holes), and put on the inode's list of
 * dirty metadata buffers (mark_buffer_dirty_inode).  With metadata writes
 * (a geometry set), allocation marks the inode dirty (ext2_splice_branch)
 * and dirties its group's descriptor and bitmap blocks, and
 * ext2_write_inode() writes the inode to its table block; without, the
 * inode is never written.  The block group of every inode is group 0, and
 * the "pid" that colours the first goal is the allocating task's id.
 *
 * BH_Boundary is set as ext2 sets it: on a mapping whose run reaches the
 * last pointer slot of its container (the inode's direct slots, or a leaf
 * indirect block), i.e. when mapping the next block needs another pointer
 * block.  With fs.boundary=off it is never set.
 */
#include "fs/ext2/ext2.h"

#include <string.h>
#include "block/blkdev.h"
#include "fs/block_dev.h"
#include "fs/buffer.h"
#include "fs/fs-writeback.h"
#include "fs/mpage.h"
#include "mm/page-writeback.h"
#include "sim/sched.h"
#include "trace/trace.h"

#define PTR_RECENT 4		/* pointer blocks kept aside (below) */

struct ext2_sb_info {
	struct ext2_options opt;
	unsigned addr_per_block;	/* blocksize / 4 */
	unsigned addr_per_block_bits;
	GHashTable *ptr_blocks;		/* gint64* blocknr -> uint32_t[] */
	struct ptr_block *recent[PTR_RECENT];	/* looked up last */
	unsigned next_recent;		/* the slot to reuse next */
	struct ext2_balloc *balloc;
	bool nobh;			/* mounted -o nobh */
	bool has_geometry;		/* metadata placed and written */
	struct ext2_geometry geom;
};

struct ext2_inode_info {
	uint32_t i_data[EXT2_N_BLOCKS];
	GArray *test_uptodate;		/* sorted file blocks (a copy) */
	GArray *test_eio;
	GArray *test_enospc;
	/* struct ext2_block_alloc_info, without the reservation window */
	bool has_alloc_info;
	uint64_t last_alloc_logical_block;
	uint64_t last_alloc_physical_block;
};

typedef struct {
	uint32_t *p;
	uint32_t key;
	struct buffer_head *bh;
} Indirect;

static struct ext2_sb_info *EXT2_SB(const struct super_block *sb)
{
	return sb->s_fs_info;
}

static struct ext2_inode_info *EXT2_I(const struct inode *inode)
{
	return inode->i_private;
}

struct ptr_block {
	gint64 key;
	uint32_t ptrs[];
};

/* The pointers held in pointer block `blocknr` (the buffer's b_data). */
/* Keep pb aside, in place of the one kept longest. */
static void ptr_block_recent(struct ext2_sb_info *sbi, struct ptr_block *pb)
{
	sbi->recent[sbi->next_recent] = pb;
	sbi->next_recent = (sbi->next_recent + 1) % PTR_RECENT;
}

/*
 * A block's pointers, or NULL.  The last few blocks looked up are kept
 * aside: a file's consecutive blocks share their indirect blocks (and
 * their double-indirect one), so most lookups (get_block, the layout's
 * placement) ask for one of them again.
 */
static uint32_t *ptr_block_data(const struct super_block *sb,
				uint32_t blocknr)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	gint64 key = blocknr;
	struct ptr_block *pb;

	for (int i = 0; i < PTR_RECENT; i++)
		if (sbi->recent[i] && sbi->recent[i]->key == key)
			return sbi->recent[i]->ptrs;
	pb = g_hash_table_lookup(sbi->ptr_blocks, &key);
	if (!pb)
		return NULL;
	ptr_block_recent(sbi, pb);
	return pb->ptrs;
}

static uint32_t *ptr_block_new(struct super_block *sb, uint32_t blocknr)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ptr_block *pb = g_malloc(sizeof(*pb) + sbi->addr_per_block *
					sizeof(uint32_t));

	pb->key = blocknr;
	memset(pb->ptrs, 0xff, sbi->addr_per_block * sizeof(uint32_t));
	for (int i = 0; i < PTR_RECENT; i++)	/* it may replace one */
		if (sbi->recent[i] && sbi->recent[i]->key == pb->key)
			sbi->recent[i] = NULL;
	g_hash_table_replace(sbi->ptr_blocks, &pb->key, pb);
	ptr_block_recent(sbi, pb);
	return pb->ptrs;
}

static void ptr_block_free(gpointer data)
{
	g_free(data);
}

struct super_block *ext2_fill_super(struct block_device *bdev,
				    const struct ext2_options *opt)
{
	struct super_block *sb = g_new0(struct super_block, 1);
	struct ext2_sb_info *sbi = g_new0(struct ext2_sb_info, 1);

	sbi->opt = *opt;
	sbi->addr_per_block = opt->blocksize / 4;
	sbi->addr_per_block_bits = (unsigned)g_bit_nth_lsf(sbi->addr_per_block,
							   -1);
	sbi->ptr_blocks = g_hash_table_new_full(g_int64_hash, g_int64_equal,
						NULL, ptr_block_free);
	sb->s_blocksize = opt->blocksize;
	sb->s_blocksize_bits = (unsigned char)g_bit_nth_lsf(opt->blocksize, -1);
	sb->s_bdev = bdev;
	sb->s_fs_info = sbi;
	sbi->balloc = ext2_balloc_new(bdev ? bdev->bd_nr_sectors /
				      (opt->blocksize >> 9) : 0,
				      opt->blocksize);
	return sb;
}

void ext2_put_super(struct super_block *sb)
{
	struct ext2_sb_info *sbi;

	if (!sb)
		return;
	sbi = EXT2_SB(sb);
	g_hash_table_destroy(sbi->ptr_blocks);
	ext2_balloc_free(sbi->balloc);
	g_free(sbi);
	g_free(sb);
}

uint64_t ext2_max_blocks(const struct super_block *sb)
{
	uint64_t ptrs = EXT2_SB(sb)->addr_per_block;

	return EXT2_NDIR_BLOCKS + ptrs + ptrs * ptrs + ptrs * ptrs * ptrs;
}

void ext2_set_nobh(struct super_block *sb, bool nobh)
{
	EXT2_SB(sb)->nobh = nobh;
}

struct ext2_balloc *ext2_sb_balloc(struct super_block *sb)
{
	return EXT2_SB(sb)->balloc;
}

static int ext2_readpage(struct page *page);
static int ext2_readpages(struct address_space *mapping,
			  struct list_head *pages, unsigned nr_pages);
static int ext2_writepage(struct page *page, struct writeback_control *wbc);
static int ext2_writepages(struct address_space *mapping,
			   struct writeback_control *wbc);
static int ext2_write_begin(struct address_space *mapping, loff_t pos,
			    unsigned len, struct page **pagep, void **fsdata);
static int ext2_nobh_writepage(struct page *page,
			       struct writeback_control *wbc);
static int ext2_nobh_write_begin(struct address_space *mapping, loff_t pos,
				 unsigned len, struct page **pagep,
				 void **fsdata);

/* ext2_aops / ext2_nobh_aops - fs/ext2/inode.c */
static const struct address_space_operations ext2_aops = {
	.readpage = ext2_readpage,
	.readpages = ext2_readpages,
	.writepage = ext2_writepage,
	.writepages = ext2_writepages,
	.write_begin = ext2_write_begin,
	.write_end = generic_write_end,
};

static const struct address_space_operations ext2_nobh_aops = {
	.readpage = ext2_readpage,
	.readpages = ext2_readpages,
	.writepage = ext2_nobh_writepage,
	.writepages = ext2_writepages,
	.write_begin = ext2_nobh_write_begin,
	.write_end = nobh_write_end,
};

struct inode *ext2_new_inode(struct super_block *sb, unsigned long ino,
			     const char *name, loff_t size)
{
	struct inode *inode = g_new0(struct inode, 1);
	struct ext2_inode_info *ei = g_new0(struct ext2_inode_info, 1);

	for (int i = 0; i < EXT2_N_BLOCKS; i++)
		ei->i_data[i] = EXT2_HOLE;
	inode->i_ino = ino;
	inode->i_name = g_strdup(name);
	inode->i_blkbits = sb->s_blocksize_bits;
	inode->i_size = size;
	inode->i_sb = sb;
	mapping_init(&inode->i_data, inode);
	inode->i_mapping = &inode->i_data;
	inode->a_ops = EXT2_SB(sb)->nobh ? &ext2_nobh_aops : &ext2_aops;
	INIT_LIST_HEAD(&inode->i_io_list);
	inode->i_mtime = -1;
	inode->get_block = ext2_get_block;
	inode->i_private = ei;
	return inode;
}

void ext2_free_inode(struct inode *inode)
{
	struct ext2_inode_info *ei;

	if (!inode)
		return;
	ei = EXT2_I(inode);
	mapping_destroy(&inode->i_data);
	if (ei->test_uptodate)
		g_array_unref(ei->test_uptodate);
	if (ei->test_eio)
		g_array_unref(ei->test_eio);
	if (ei->test_enospc)
		g_array_unref(ei->test_enospc);
	g_free(ei);
	g_free(inode->i_name);
	g_free(inode);
}

static gint cmp_block(gconstpointer a, gconstpointer b)
{
	guint64 x = *(const guint64 *)a, y = *(const guint64 *)b;

	return x < y ? -1 : x > y;
}

/* A sorted copy of a set of blocks, for block_in(). */
static GArray *sorted_blocks(const GArray *blocks)
{
	GArray *a;

	if (!blocks)
		return NULL;
	a = g_array_sized_new(FALSE, FALSE, sizeof(guint64), blocks->len);
	g_array_append_vals(a, blocks->data, blocks->len);
	g_array_sort(a, cmp_block);
	return a;
}

void ext2_set_test_faults(struct inode *inode, GArray *uptodate_blocks,
			  GArray *eio_blocks)
{
	struct ext2_inode_info *ei = EXT2_I(inode);

	ei->test_uptodate = sorted_blocks(uptodate_blocks);
	ei->test_eio = sorted_blocks(eio_blocks);
}

void ext2_set_test_enospc(struct inode *inode, GArray *enospc_blocks)
{
	struct ext2_inode_info *ei = EXT2_I(inode);

	if (ei->test_enospc)
		g_array_unref(ei->test_enospc);
	ei->test_enospc = sorted_blocks(enospc_blocks);
}

/* Is block in the sorted set?  A binary search: the set may be long. */
static bool block_in(const GArray *set, sector_t block)
{
	guint lo = 0, hi = set ? set->len : 0;

	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		guint64 v = g_array_index(set, guint64, mid);

		if (v == block)
			return true;
		if (v < block)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/*
 * mpsim: ext2_block_to_path()'s warning "block is too big" (a file block
 * past what the triple indirect block maps), as an ext2_warning line.
 */
static void trace_ext2_block_too_big(const struct inode *inode, long i_block)
{
	struct trace_note n = trace_note_init();

	if (!trace_enabled())
		return;
	n.file = inode->i_name;
	n.block = i_block;
	n.reason = "block-too-big";
	trace_note("ext2_warning", &n);
}

/*
 * ext2_block_to_path() - fs/ext2/inode.c
 *
 * Parse the file block number into the array of offsets leading to it,
 * and set *boundary to how many more pointer slots follow in the same
 * container: 0 means the block is mapped by the container's last slot.
 */
static int ext2_block_to_path(struct inode *inode, long i_block,
			      int offsets[4], int *boundary)
{
	const long i_block_in = i_block;	/* mpsim: for the warning */
	int ptrs = (int)EXT2_SB(inode->i_sb)->addr_per_block;
	int ptrs_bits = (int)EXT2_SB(inode->i_sb)->addr_per_block_bits;
	const long direct_blocks = EXT2_NDIR_BLOCKS,
		indirect_blocks = ptrs,
		double_blocks = (1L << (ptrs_bits * 2));
	int n = 0;
	int final = 0;

	if (i_block < 0) {
		g_warning("ext2_block_to_path: block < 0");
	} else if (i_block < direct_blocks) {
		offsets[n++] = (int)i_block;
		final = (int)direct_blocks;
	} else if ((i_block -= direct_blocks) < indirect_blocks) {
		offsets[n++] = EXT2_IND_BLOCK;
		offsets[n++] = (int)i_block;
		final = ptrs;
	} else if ((i_block -= indirect_blocks) < double_blocks) {
		offsets[n++] = EXT2_DIND_BLOCK;
		offsets[n++] = (int)(i_block >> ptrs_bits);
		offsets[n++] = (int)(i_block & (ptrs - 1));
		final = ptrs;
	} else if (((i_block -= double_blocks) >> (ptrs_bits * 2)) < ptrs) {
		offsets[n++] = EXT2_TIND_BLOCK;
		offsets[n++] = (int)(i_block >> (ptrs_bits * 2));
		offsets[n++] = (int)((i_block >> ptrs_bits) & (ptrs - 1));
		offsets[n++] = (int)(i_block & (ptrs - 1));
		final = ptrs;
	} else {
		/* ext2_msg(sb, KERN_WARNING, "block is too big"): -EIO */
		trace_ext2_block_too_big(inode, i_block_in);
	}
	if (boundary)
		*boundary = final - 1 - (int)(i_block & (ptrs - 1));

	return n;
}

static void add_chain(Indirect *p, struct buffer_head *bh, uint32_t *v)
{
	p->key = *(p->p = v);
	p->bh = bh;
}

/*
 * ext2_get_branch() - fs/ext2/inode.c
 *
 * Follow the chain of pointers from the inode; each pointer block is read
 * with sb_bread(), which sleeps on a cold buffer.  Returns NULL when the
 * whole chain is there, else the last Indirect filled (a hole below it,
 * or a read error in *err).  No truncate runs concurrently in mpsim, so
 * verify_chain() always holds and -EAGAIN never arises.
 */
static Indirect *ext2_get_branch(struct inode *inode, int depth,
				 int *offsets, Indirect chain[4], int *err)
{
	struct super_block *sb = inode->i_sb;
	Indirect *p = chain;
	struct buffer_head *bh;

	*err = 0;
	/* i_data is not going away, no lock needed */
	add_chain(chain, NULL, EXT2_I(inode)->i_data + *offsets);
	if (p->key == EXT2_HOLE)
		goto no_block;
	while (--depth) {
		uint32_t *data;

		bh = sb_bread(sb, p->key);
		if (!bh)
			goto failure;
		data = ptr_block_data(sb, p->key);
		g_assert(data != NULL);
		add_chain(++p, bh, data + *++offsets);
		if (p->key == EXT2_HOLE)
			goto no_block;
	}
	return NULL;

failure:
	*err = -EIO;
no_block:
	return p;
}


/* ---- allocation (create != 0) ---- */

/* mpsim: log each allocated run ("alloc"): pointer blocks, then data. */
static void trace_alloc(struct inode *inode, const char *what,
			int64_t iblock, uint64_t block, unsigned long count)
{
	struct trace_note n = trace_note_init();

	if (!trace_enabled())
		return;
	n.file = inode->i_name;
	n.offset = iblock;
	n.block = (int64_t)block;
	n.value = (int64_t)count;
	n.reason = what;
	trace_note("alloc", &n);
}

/* ext2_init_block_alloc_info() - fs/ext2/balloc.c, without a window */
static void ext2_init_block_alloc_info(struct inode *inode)
{
	struct ext2_inode_info *ei = EXT2_I(inode);

	ei->has_alloc_info = true;
	ei->last_alloc_logical_block = 0;
	ei->last_alloc_physical_block = 0;
}

/*
 * ext2_find_near() - fs/ext2/inode.c: the block before the hole in the
 * same container, else the container (indirect block) itself, else the
 * inode's block group start plus a colour from the writer's pid.  mpsim:
 * a hole is EXT2_HOLE, not 0; the inode's group is 0; the pid is the
 * task's id.
 */
static uint64_t ext2_find_near(struct inode *inode, Indirect *ind)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	struct ext2_balloc *b = EXT2_SB(inode->i_sb)->balloc;
	uint32_t *start = ind->bh ? ptr_block_data(inode->i_sb,
				(uint32_t)ind->bh->b_blocknr) : ei->i_data;
	uint32_t *p;
	uint64_t bg_start;
	uint64_t colour;
	int pid = current ? current->id : 0;

	/* Try to find previous block */
	for (p = ind->p - 1; p >= start; p--)
		if (*p != EXT2_HOLE)
			return *p;

	/* No such thing, so let's try location of indirect block */
	if (ind->bh)
		return ind->bh->b_blocknr;

	/*
	 * It is going to be refered from inode itself? OK, just put it into
	 * the same cylinder group then.
	 */
	bg_start = ext2_group_first_block_no(b, 0);
	colour = (uint64_t)(pid % 16) * (ext2_blocks_per_group(b) / 16);
	return bg_start + colour;
}

/* ext2_find_goal() - fs/ext2/inode.c */
static uint64_t ext2_find_goal(struct inode *inode, long block,
			       Indirect *partial)
{
	struct ext2_inode_info *ei = EXT2_I(inode);

	/*
	 * try the heuristic for sequential allocation,
	 * failing that at least try to get decent locality.
	 */
	if (ei->has_alloc_info &&
	    ((uint64_t)block == ei->last_alloc_logical_block + 1) &&
	    (ei->last_alloc_physical_block != 0)) {
		return ei->last_alloc_physical_block + 1;
	}

	return ext2_find_near(inode, partial);
}

/*
 * ext2_blks_to_allocate() - fs/ext2/inode.c: how many data blocks this
 * branch gets: up to the end of the container, and only over holes.
 */
static int ext2_blks_to_allocate(Indirect *branch, int k, unsigned long blks,
				 int blocks_to_boundary)
{
	unsigned long count = 0;

	/*
	 * Simple case, [t,d]Indirect block(s) has not allocated yet
	 * then it's clear blocks on that path have not allocated
	 */
	if (k > 0) {
		/* right now don't hanel cross boundary allocation */
		if (blks < (unsigned long)blocks_to_boundary + 1)
			count += blks;
		else
			count += (unsigned long)blocks_to_boundary + 1;
		return (int)count;
	}

	count++;
	while (count < blks && count <= (unsigned long)blocks_to_boundary &&
	       *(branch[0].p + count) == EXT2_HOLE) {
		count++;
	}
	return (int)count;
}

/*
 * The end of ext2_new_blocks() - fs/ext2/balloc.c, with metadata writes:
 * group_adjust_blocks() dirties the group's descriptor block, then the
 * group's block bitmap is dirtied.  Both count as cached (read at mount,
 * and at the group's first allocation, read_block_bitmap(), which mpsim
 * does not model).
 */
static void ext2_dirty_group_metadata(struct super_block *sb, uint64_t block)
{
	const struct ext2_geometry *g = ext2_sb_geometry(sb);
	unsigned long group;
	uint64_t blocks[2];

	if (!g)
		return;
	group = (unsigned long)((block - g->first_data_block) /
				g->blocks_per_group);
	/* ext2_get_group_desc(): the primary descriptors, after the super */
	blocks[0] = g->first_data_block + 1 +
		    group / (g->blocksize / 32);
	blocks[1] = ext2_block_bitmap(g, group);
	for (int i = 0; i < 2; i++) {
		struct buffer_head *bh = sb_getblk(sb, (sector_t)blocks[i]);

		set_buffer_uptodate(bh);
		mark_buffer_dirty(bh);
		brelse(bh);
	}
}

/*
 * ext2_alloc_blocks() - fs/ext2/inode.c: one run for the indirect blocks
 * and the data blocks, indirect blocks first; asked again (same goal)
 * until at least one data block is had.  Returns the data blocks got.
 */
static int ext2_alloc_blocks(struct inode *inode, uint64_t goal,
			     int indirect_blks, int blks,
			     uint64_t new_blocks[4], int *err)
{
	struct ext2_balloc *b = EXT2_SB(inode->i_sb)->balloc;
	int target;
	unsigned long count = 0;
	int index = 0;
	uint64_t current_block = 0;

	/*
	 * Here we try to allocate the requested multiple blocks at once,
	 * on a best-effort basis.
	 */
	target = blks + indirect_blks;

	while (1) {
		count = (unsigned long)target;
		/* allocating blocks for indirect blocks and direct blocks */
		current_block = ext2_new_blocks(b, goal, &count, err);
		if (*err)
			return 0;
		ext2_dirty_group_metadata(inode->i_sb, current_block);

		target -= (int)count;
		/* allocate blocks for indirect blocks */
		while (index < indirect_blks && count) {
			new_blocks[index++] = current_block++;
			count--;
		}

		if (count > 0)
			break;
	}

	/* save the new block number for the first direct block */
	new_blocks[index] = current_block;

	/* total number of blocks allocated for direct blocks */
	*err = 0;
	return (int)count;
}

/*
 * ext2_alloc_branch() - fs/ext2/inode.c: allocate the missing pointer
 * blocks and the data blocks, and link them into a branch: each new
 * pointer block is zeroed (all holes) and points to the next level; the
 * leaf points to every new data block.  Each new pointer block is marked
 * dirty on the inode's list.
 */
static int ext2_alloc_branch(struct inode *inode, int64_t iblock,
			     int indirect_blks, int *blks, uint64_t goal,
			     int *offsets, Indirect *branch)
{
	struct super_block *sb = inode->i_sb;
	int i, n = 0;
	int err = 0;
	struct buffer_head *bh;
	int num;
	uint64_t new_blocks[4];
	uint64_t current_block;

	num = ext2_alloc_blocks(inode, goal, indirect_blks, *blks,
				new_blocks, &err);
	if (err)
		return err;
	for (n = 0; n < indirect_blks; n++)
		trace_alloc(inode, "pointer", TRACE_NONE, new_blocks[n], 1);
	trace_alloc(inode, "data", iblock, new_blocks[indirect_blks],
		    (unsigned long)num);

	branch[0].key = (uint32_t)new_blocks[0];
	/*
	 * metadata blocks and data blocks are allocated.
	 */
	for (n = 1; n <= indirect_blks; n++) {
		uint32_t *data;

		/*
		 * Get buffer_head for parent block, zero it out and set
		 * the pointer to new one, then send parent to disk.
		 */
		bh = sb_getblk(sb, new_blocks[n - 1]);
		branch[n].bh = bh;
		lock_buffer(bh);
		data = ptr_block_new(sb, (uint32_t)new_blocks[n - 1]);
		branch[n].p = data + offsets[n];
		branch[n].key = (uint32_t)new_blocks[n];
		*branch[n].p = branch[n].key;
		if (n == indirect_blks) {
			current_block = new_blocks[n];
			/*
			 * End of chain, update the last new metablock of
			 * the chain to point to the new allocated
			 * data blocks numbers
			 */
			for (i = 1; i < num; i++)
				*(branch[n].p + i) = (uint32_t)++current_block;
		}
		set_buffer_uptodate(bh);
		unlock_buffer(bh);
		mark_buffer_dirty_inode(bh, inode);
	}
	*blks = num;
	return err;
}

/*
 * ext2_splice_branch() - fs/ext2/inode.c: hook the new branch into the
 * tree, fill the extra direct pointers, remember the last allocation for
 * the next goal, dirty the parent pointer block, and mark the inode dirty
 * (i_ctime; the inode is written only with metadata writes).
 */
static void ext2_splice_branch(struct inode *inode, long block,
			       Indirect *where, int num, int blks)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	uint32_t current_block;

	*where->p = where->key;

	/*
	 * Update the host buffer_head or inode to point to more just
	 * allocated direct blocks blocks
	 */
	if (num == 0 && blks > 1) {
		current_block = where->key + 1;
		for (int i = 1; i < blks; i++)
			*(where->p + i) = current_block++;
	}

	/*
	 * update the most recently allocated logical & physical block
	 * in i_block_alloc_info, to assist find the proper goal block for
	 * next allocation
	 */
	if (ei->has_alloc_info) {
		ei->last_alloc_logical_block = (uint64_t)block +
					       (uint64_t)blks - 1;
		ei->last_alloc_physical_block = (uint64_t)where[num].key +
						(uint64_t)blks - 1;
	}

	/* had we spliced it onto indirect block? */
	if (where->bh)
		mark_buffer_dirty_inode(where->bh, inode);
	mark_inode_dirty(inode);
}

/*
 * ext2_get_blocks() - fs/ext2/inode.c
 *
 * Map up to maxblocks contiguous blocks starting at iblock, never past the
 * end of the current pointer container, allocating a hole when create is
 * set.  Returns the count mapped (> 0), 0 for a hole, or a negative error.
 */
static int ext2_get_blocks(struct inode *inode, sector_t iblock,
			   unsigned long maxblocks, uint32_t *bno,
			   bool *new, bool *boundary, int create)
{
	int err;
	int offsets[4];
	Indirect chain[4];
	Indirect *partial;
	int blocks_to_boundary = 0;
	int depth;
	int count = 0;
	uint32_t first_block = 0;
	struct ext2_inode_info *ei = EXT2_I(inode);
	uint64_t goal;
	int indirect_blks;

	g_assert(maxblocks != 0);

	depth = ext2_block_to_path(inode, (long)iblock, offsets,
				   &blocks_to_boundary);

	if (depth == 0)
		return -EIO;

	partial = ext2_get_branch(inode, depth, offsets, chain, &err);
	/* Simplest case - block found, no allocation needed */
	if (!partial) {
		first_block = chain[depth - 1].key;
		count++;
		/*map more blocks*/
		while (count < (int)maxblocks && count <= blocks_to_boundary) {
			uint32_t blk;

			blk = *(chain[depth - 1].p + count);
			if (blk == first_block + (uint32_t)count)
				count++;
			else
				break;
		}
		goto got_it;
	}

	/* Next simple case - plain lookup or failed read of indirect block */
	if (!create || err == -EIO)
		goto cleanup;

	/*
	 * Okay, we need to do block allocation.  Lazily initialize the block
	 * allocation info here if necessary
	*/
	if (!ei->has_alloc_info)
		ext2_init_block_alloc_info(inode);

	goal = ext2_find_goal(inode, (long)iblock, partial);

	/* the number of blocks need to allocate for [d,t]indirect blocks */
	indirect_blks = (int)((chain + depth) - partial - 1);
	/*
	 * Next look up the indirect map to count the totoal number of
	 * direct blocks to allocate for this branch.
	 */
	count = ext2_blks_to_allocate(partial, indirect_blks,
				      maxblocks, blocks_to_boundary);
	err = ext2_alloc_branch(inode, (int64_t)iblock, indirect_blks,
				&count, goal,
				offsets + (partial - chain), partial);
	if (err)
		goto cleanup;

	*new = true;

	ext2_splice_branch(inode, (long)iblock, partial, indirect_blks,
			   count);

got_it:
	if (count > blocks_to_boundary)
		*boundary = true;
	err = count;
	/* Clean up and exit */
	partial = chain + depth - 1;	/* the whole chain */
cleanup:
	while (partial > chain) {
		brelse(partial->bh);
		partial--;
	}
	if (err > 0)
		*bno = chain[depth - 1].key;
	return err;
}

/* ext2_get_block() - fs/ext2/inode.c */
int ext2_get_block(struct inode *inode, sector_t iblock,
		   struct buffer_head *bh_result, int create)
{
	unsigned max_blocks = (unsigned)(bh_result->b_size >> inode->i_blkbits);
	bool new = false, boundary = false;
	uint32_t bno;
	int ret;

	if (block_in(EXT2_I(inode)->test_eio, iblock))
		return -EIO;
	if (block_in(EXT2_I(inode)->test_enospc, iblock))
		return -ENOSPC;

	ret = ext2_get_blocks(inode, iblock, max_blocks, &bno, &new, &boundary,
			      create);
	if (ret <= 0)
		return ret;

	map_bh(bh_result, inode->i_sb, bno);
	bh_result->b_size = ((size_t)ret << inode->i_blkbits);
	if (new)
		set_buffer_new(bh_result);
	if (boundary && EXT2_SB(inode->i_sb)->opt.boundary)
		set_buffer_boundary(bh_result);
	if (block_in(EXT2_I(inode)->test_uptodate, iblock))
		set_buffer_uptodate(bh_result);
	return 0;
}

/* ext2_readpage / ext2_readpages - fs/ext2/inode.c */
static int ext2_readpage(struct page *page)
{
	return mpage_readpage(page, ext2_get_block);
}

static int ext2_readpages(struct address_space *mapping,
			  struct list_head *pages, unsigned nr_pages)
{
	return mpage_readpages(mapping, pages, nr_pages, ext2_get_block);
}

/* ext2_writepage / ext2_writepages - fs/ext2/inode.c */
static int ext2_writepage(struct page *page, struct writeback_control *wbc)
{
	return block_write_full_page(page, ext2_get_block, wbc);
}

static int ext2_writepages(struct address_space *mapping,
			   struct writeback_control *wbc)
{
	return mpage_writepages(mapping, wbc, ext2_get_block);
}

/* ext2_write_begin - fs/ext2/inode.c */
static int ext2_write_begin(struct address_space *mapping, loff_t pos,
			    unsigned len, struct page **pagep, void **fsdata)
{
	(void)fsdata;
	return block_write_begin(mapping, pos, len, pagep, ext2_get_block);
}

/* ext2_nobh_write_begin / ext2_nobh_writepage - fs/ext2/inode.c */
static int ext2_nobh_write_begin(struct address_space *mapping, loff_t pos,
				 unsigned len, struct page **pagep,
				 void **fsdata)
{
	return nobh_write_begin(mapping, pos, len, pagep, fsdata,
				ext2_get_block);
}

static int ext2_nobh_writepage(struct page *page,
			       struct writeback_control *wbc)
{
	return nobh_writepage(page, ext2_get_block, wbc);
}

/* ---- inodes on disk ---- */

/*
 * __ext2_write_inode() - fs/ext2/inode.c: read the inode's table block
 * (ext2_get_inode: sb_bread, a hit when the inode was read at open),
 * copy the inode in (not modelled), dirty the buffer, and with do_sync
 * write it and wait (sync_dirty_buffer, WRITE_SYNC).  Without do_sync the
 * dirty buffer is left to the block device's writeback.
 */
static int __ext2_write_inode(struct inode *inode, int do_sync)
{
	struct buffer_head *bh;
	int err = 0;

	bh = sb_bread(inode->i_sb, (sector_t)ext2_inode_table_block(inode));
	if (!bh)
		return -EIO;
	mark_buffer_dirty(bh);
	if (do_sync) {
		sync_dirty_buffer(bh);
		if (buffer_req(bh) && !buffer_uptodate(bh))
			err = -EIO;
	}
	brelse(bh);
	return err;
}

/* ext2_write_inode() - fs/ext2/inode.c */
static int ext2_write_inode(struct inode *inode,
			    struct writeback_control *wbc)
{
	return __ext2_write_inode(inode, wbc->sync_mode == WB_SYNC_ALL);
}

static const struct super_operations ext2_sops = {
	.write_inode = ext2_write_inode,
};

void ext2_set_geometry(struct super_block *sb, const struct ext2_geometry *g)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	sbi->geom = *g;
	sbi->has_geometry = true;
	sb->s_op = &ext2_sops;
}

const struct ext2_geometry *ext2_sb_geometry(const struct super_block *sb)
{
	return EXT2_SB(sb)->has_geometry ? &EXT2_SB(sb)->geom : NULL;
}

uint64_t ext2_inode_table_block(const struct inode *inode)
{
	return ext2_inode_block(&EXT2_SB(inode->i_sb)->geom,
				EXT2_GOOD_OLD_FIRST_INO + inode->i_ino);
}

/*
 * ext2_fsync() - fs/ext2/file.c, with generic_file_fsync() and
 * __generic_file_fsync() - fs/libfs.c: write and wait on the range's dirty
 * pages (WB_SYNC_ALL), write and wait on the inode's dirty pointer blocks
 * (sync_mapping_buffers); then, if the inode is dirty at all (for
 * fdatasync: I_DIRTY_DATASYNC, set by allocation and size changes, not by
 * times alone), sync_inode_metadata() writes it and waits, and takes a
 * clean inode off the dirty lists; last, the device's cache is flushed
 * (generic_file_fsync).
 */
int ext2_fsync(struct inode *inode, loff_t start, loff_t end, int datasync)
{
	struct address_space *mapping = inode->i_mapping;
	int err, ret;

	/* filemap_write_and_wait_range() */
	err = filemap_fdatawrite_range(mapping, start, end);
	ret = filemap_fdatawait_range(mapping, start, end);
	if (!err)
		err = ret;
	if (err)
		return err;
	ret = sync_mapping_buffers(mapping);
	if (!(inode->i_state & I_DIRTY_ALL))
		goto out;
	if (datasync && !(inode->i_state & I_DIRTY_DATASYNC))
		goto out;
	err = sync_inode_metadata(inode, 1);
	if (ret == 0)
		ret = err;
out:
	if (ret)
		return ret;
	return blkdev_issue_flush(inode->i_sb->s_bdev);
}

/* ---- building block maps from a scenario ---- */

static const char *const top_names[] = { "ind", "dind", "tind" };

static char *path_name(const unsigned *path, int depth)
{
	GString *s = g_string_new(top_names[path[0] - EXT2_IND_BLOCK]);

	for (int i = 1; i < depth; i++)
		g_string_append_printf(s, "/%u", path[i]);
	return g_string_free(s, FALSE);
}

/* The slot that holds the pointer to the block named by path. */
static uint32_t *pointer_slot(struct inode *inode, const unsigned *path,
			      int depth, int *missing_depth)
{
	uint32_t *slot = &EXT2_I(inode)->i_data[path[0]];

	for (int i = 1; i < depth; i++) {
		if (*slot == EXT2_HOLE) {
			*missing_depth = i;
			return NULL;
		}
		slot = ptr_block_data(inode->i_sb, *slot) + path[i];
	}
	return slot;
}

int ext2_place_pointer_block(struct inode *inode, const unsigned *path,
			     int depth, uint32_t blocknr, char **why)
{
	unsigned ptrs = EXT2_SB(inode->i_sb)->addr_per_block;
	int missing = 0;
	uint32_t *slot;

	if (depth < 1 || depth > 3 || path[0] < EXT2_IND_BLOCK ||
	    path[0] > EXT2_TIND_BLOCK ||
	    depth > (int)(path[0] - EXT2_IND_BLOCK) + 1) {
		*why = g_strdup("not a pointer block of the inode");
		return -EINVAL;
	}
	for (int i = 1; i < depth; i++)
		if (path[i] >= ptrs) {
			*why = g_strdup_printf("index %u is beyond the %u "
					       "pointers of a block",
					       path[i], ptrs);
			return -EINVAL;
		}
	slot = pointer_slot(inode, path, depth, &missing);
	if (!slot) {
		char *parent = path_name(path, missing);

		*why = g_strdup_printf("its parent %s is not placed", parent);
		g_free(parent);
		return -ENOENT;
	}
	if (*slot != EXT2_HOLE) {
		*why = g_strdup("placed twice");
		return -EINVAL;
	}
	if (ptr_block_data(inode->i_sb, blocknr)) {
		*why = g_strdup_printf("disk block %u already holds another "
				       "pointer block", blocknr);
		return -EINVAL;
	}
	*slot = blocknr;
	ptr_block_new(inode->i_sb, blocknr);
	return 0;
}

/*
 * The pointer that maps file block iblock, as ext2_block_to_path() names
 * it (*path, *depth: 0 beyond what the mapping can address), or NULL with
 * *missing the depth of the first pointer block not placed.
 */
static uint32_t *iblock_slot(struct inode *inode, sector_t iblock,
			     unsigned path[4], int *depth, int *missing)
{
	int offsets[4];

	*depth = ext2_block_to_path(inode, (long)iblock, offsets, NULL);
	for (int i = 0; i < *depth; i++)
		path[i] = (unsigned)offsets[i];
	return *depth ? pointer_slot(inode, path, *depth, missing) : NULL;
}

uint32_t *ext2_data_slot(struct inode *inode, sector_t iblock)
{
	unsigned path[4] = { 0 };
	int depth, missing = 0;

	return iblock_slot(inode, iblock, path, &depth, &missing);
}

int ext2_map_data_block(struct inode *inode, sector_t iblock,
			uint32_t blocknr, char **why)
{
	unsigned path[4] = { 0 };
	int depth, missing = 0;
	uint32_t *slot = iblock_slot(inode, iblock, path, &depth, &missing);

	if (depth == 0) {
		*why = g_strdup("beyond what the mapping can address");
		return -EINVAL;
	}
	if (!slot) {
		char *name = path_name(path, missing);

		*why = g_strdup_printf("indirect block %s is not placed", name);
		g_free(name);
		return -ENOENT;
	}
	*slot = blocknr;
	return 0;
}

bool ext2_lookup_block_nocache(struct inode *inode, sector_t iblock,
			       struct buffer_head *bh)
{
	unsigned path[4] = { 0 };
	int depth, missing = 0;
	uint32_t *slot = iblock_slot(inode, iblock, path, &depth, &missing);

	if (!slot || *slot == EXT2_HOLE)
		return false;
	bh->b_blocknr = *slot;
	return true;
}

struct ptr_visit {
	GArray *blocks;
};

static void collect_ptr(gpointer key, gpointer value, gpointer data)
{
	guint64 b = (guint64)*(gint64 *)key;

	(void)value;
	g_array_append_val(((struct ptr_visit *)data)->blocks, b);
}

static gint cmp_u64(gconstpointer a, gconstpointer b)
{
	guint64 x = *(const guint64 *)a, y = *(const guint64 *)b;

	return x < y ? -1 : x > y;
}

void ext2_foreach_pointer_block(struct super_block *sb, ext2_extent_fn fn,
				void *arg)
{
	struct ptr_visit v = { g_array_new(FALSE, FALSE, sizeof(guint64)) };

	g_hash_table_foreach(EXT2_SB(sb)->ptr_blocks, collect_ptr, &v);
	/* sorted, so that no hash order reaches any output */
	g_array_sort(v.blocks, cmp_u64);
	for (guint i = 0; i < v.blocks->len; i++)
		fn(g_array_index(v.blocks, guint64, i), 1, arg);
	g_array_unref(v.blocks);
}

/* ---- the block map, run by run (ext2_foreach_mapping) ---- */

struct fmap_walk {
	struct super_block *sb;
	fmap_fn fn;
	void *arg;
	struct fmap_run data;	/* the data run being gathered */
};

static void fmap_flush(struct fmap_walk *w)
{
	if (w->data.len)
		w->fn(&w->data, w->arg);
	w->data.len = 0;
}

static void fmap_data(struct fmap_walk *w, uint64_t logical, uint32_t blk)
{
	if (blk == EXT2_HOLE) {
		fmap_flush(w);
		return;
	}
	if (w->data.len && w->data.logical + w->data.len == logical &&
	    w->data.physical + w->data.len == blk) {
		w->data.len++;
		return;
	}
	fmap_flush(w);
	w->data = (struct fmap_run){ FMAP_DATA, logical, blk, 1 };
}

/*
 * Pointer block `blk` at `level` (1 maps data), mapping file blocks from
 * `first`; `span` file blocks under each of its pointers.
 */
static void fmap_pointer(struct fmap_walk *w, uint32_t blk, int level,
			 uint64_t first, uint64_t span)
{
	static const enum fmap_kind kinds[] = {
		FMAP_INDIRECT, FMAP_DINDIRECT, FMAP_TINDIRECT,
	};
	unsigned apb = EXT2_SB(w->sb)->addr_per_block;
	const uint32_t *ptrs;
	struct fmap_run r = { kinds[level - 1], first, blk, 1 };

	if (blk == EXT2_HOLE)
		return;
	fmap_flush(w);
	w->fn(&r, w->arg);
	ptrs = ptr_block_data(w->sb, blk);
	for (unsigned i = 0; ptrs && i < apb; i++) {
		if (level == 1)
			fmap_data(w, first + i, ptrs[i]);
		else
			fmap_pointer(w, ptrs[i], level - 1, first + i * span,
				     span / apb);
	}
}

void ext2_foreach_mapping(struct inode *inode, fmap_fn fn, void *arg)
{
	struct fmap_walk w = { inode->i_sb, fn, arg, { 0 } };
	const uint32_t *d = EXT2_I(inode)->i_data;
	uint64_t apb = EXT2_SB(inode->i_sb)->addr_per_block;
	uint64_t first = EXT2_NDIR_BLOCKS;

	for (unsigned i = 0; i < EXT2_NDIR_BLOCKS; i++)
		fmap_data(&w, i, d[i]);
	fmap_pointer(&w, d[EXT2_IND_BLOCK], 1, first, 1);
	first += apb;
	fmap_pointer(&w, d[EXT2_DIND_BLOCK], 2, first, apb);
	first += apb * apb;
	fmap_pointer(&w, d[EXT2_TIND_BLOCK], 3, first, apb * apb);
	fmap_flush(&w);
}
