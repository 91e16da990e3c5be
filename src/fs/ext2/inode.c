/*
 * inode.c - ext2 block mapping (fs/ext2/inode.c, 4.9): the lookup half of
 * ext2_get_blocks() and everything under it, plus the scenario side that
 * builds block maps.
 *
 * BH_Boundary is set as ext2 sets it: on a mapping whose run reaches the
 * last pointer slot of its container (the inode's direct slots, or a leaf
 * indirect block), i.e. when mapping the next block needs another pointer
 * block.  With fs.boundary=off it is never set.
 */
#include "fs/ext2/ext2.h"

#include <string.h>
#include "block/blkdev.h"
#include "fs/buffer.h"
#include "fs/mpage.h"

struct ext2_sb_info {
	struct ext2_options opt;
	unsigned addr_per_block;	/* blocksize / 4 */
	unsigned addr_per_block_bits;
	GHashTable *ptr_blocks;		/* gint64* blocknr -> uint32_t[] */
};

struct ext2_inode_info {
	uint32_t i_data[EXT2_N_BLOCKS];
	GArray *test_uptodate;		/* sorted file blocks */
	GArray *test_eio;
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
static uint32_t *ptr_block_data(const struct super_block *sb,
				uint32_t blocknr)
{
	gint64 key = blocknr;
	struct ptr_block *pb = g_hash_table_lookup(EXT2_SB(sb)->ptr_blocks,
						   &key);

	return pb ? pb->ptrs : NULL;
}

static uint32_t *ptr_block_new(struct super_block *sb, uint32_t blocknr)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ptr_block *pb = g_malloc(sizeof(*pb) + sbi->addr_per_block *
					sizeof(uint32_t));

	pb->key = blocknr;
	memset(pb->ptrs, 0xff, sbi->addr_per_block * sizeof(uint32_t));
	g_hash_table_replace(sbi->ptr_blocks, &pb->key, pb);
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
	return sb;
}

void ext2_put_super(struct super_block *sb)
{
	struct ext2_sb_info *sbi;

	if (!sb)
		return;
	sbi = EXT2_SB(sb);
	g_hash_table_destroy(sbi->ptr_blocks);
	g_free(sbi);
	g_free(sb);
}

uint64_t ext2_max_blocks(const struct super_block *sb)
{
	uint64_t ptrs = EXT2_SB(sb)->addr_per_block;

	return EXT2_NDIR_BLOCKS + ptrs + ptrs * ptrs + ptrs * ptrs * ptrs;
}

static int ext2_readpage(struct page *page);
static int ext2_readpages(struct address_space *mapping,
			  struct list_head *pages, unsigned nr_pages);

static const struct address_space_operations ext2_aops = {
	.readpage = ext2_readpage,
	.readpages = ext2_readpages,
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
	inode->a_ops = &ext2_aops;
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
	g_free(ei);
	g_free(inode->i_name);
	g_free(inode);
}

void ext2_set_test_faults(struct inode *inode, GArray *uptodate_blocks,
			  GArray *eio_blocks)
{
	struct ext2_inode_info *ei = EXT2_I(inode);

	ei->test_uptodate = uptodate_blocks ? g_array_ref(uptodate_blocks)
					    : NULL;
	ei->test_eio = eio_blocks ? g_array_ref(eio_blocks) : NULL;
}

static bool block_in(const GArray *set, sector_t block)
{
	if (!set)
		return false;
	for (guint i = 0; i < set->len; i++)
		if (g_array_index(set, guint64, i) == block)
			return true;
	return false;
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
		/* "block is too big": the caller returns -EIO */
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

/*
 * ext2_get_blocks() - fs/ext2/inode.c, lookup path (create == 0)
 *
 * Map up to maxblocks contiguous blocks starting at iblock, never past the
 * end of the current pointer container.  Returns the count mapped (> 0),
 * 0 for a hole, or a negative error.
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

	(void)new;
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

	/* Block allocation is not modelled on this path. */
	err = -EIO;
	goto cleanup;

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

int ext2_map_data_block(struct inode *inode, sector_t iblock,
			uint32_t blocknr, char **why)
{
	int offsets[4];
	unsigned path[4] = { 0 };
	int depth = ext2_block_to_path(inode, (long)iblock, offsets, NULL);
	int missing = 0;
	uint32_t *slot;

	if (depth == 0) {
		*why = g_strdup("beyond what the mapping can address");
		return -EINVAL;
	}
	for (int i = 0; i < depth; i++)
		path[i] = (unsigned)offsets[i];
	slot = pointer_slot(inode, path, depth, &missing);
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
	int offsets[4];
	unsigned path[4] = { 0 };
	int depth = ext2_block_to_path(inode, (long)iblock, offsets, NULL);
	int missing = 0;
	uint32_t *slot;

	for (int i = 0; i < depth; i++)
		path[i] = (unsigned)offsets[i];
	slot = depth ? pointer_slot(inode, path, depth, &missing) : NULL;
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
