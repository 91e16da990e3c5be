/*
 * extfs.c - an extent-mapped filesystem (the lookup path of 4.9's
 * fs/ext4/extents.c and fs/ext4/inode.c), the contrast to ext2's indirect
 * blocks.
 *
 * ext4_map_blocks() first looks in the extent status cache, and on a miss
 * walks the extent tree from the inode down (ext4_find_extent), reading
 * each tree block through the buffer cache.  Here the walk is done on
 * every call: the buffer cache holds the tree blocks after their first
 * read, so the I/O is the same.  The extent found maps as many blocks as
 * the caller asked for, up to its end; BH_Boundary is never set, so mpage
 * never submits a bio early for a metadata read that is to follow.
 *
 * Not modelled: uninitialized (unwritten) extents, allocation, the extent
 * status cache's own memory.
 */
#include "fs/extfs/extfs.h"

#include "fs/buffer.h"
#include "fs/mpage.h"

#define EXTFS_MAX_DEPTH 5

struct extfs_inode_info {
	GArray *ext;		/* struct extfs_extent, sorted */
	int depth;		/* levels of tree blocks below i_block */
	uint64_t level_count[EXTFS_MAX_DEPTH];	/* per level, leaves 0 */
	GArray *tree;		/* guint64 disk blocks, top level first */
};

static struct extfs_inode_info *EXTFS_I(const struct inode *inode)
{
	return inode->i_private;
}

struct super_block *extfs_fill_super(struct block_device *bdev,
				     unsigned blocksize)
{
	struct super_block *sb = g_new0(struct super_block, 1);

	sb->s_blocksize = blocksize;
	sb->s_blocksize_bits = (unsigned char)g_bit_nth_lsf(blocksize, -1);
	sb->s_bdev = bdev;
	return sb;
}

void extfs_put_super(struct super_block *sb)
{
	g_free(sb);
}

unsigned extfs_entries_per_block(const struct super_block *sb)
{
	/* struct ext4_extent_header, then 12-byte extents or indexes */
	return (unsigned)((sb->s_blocksize - 12) / 12);
}

/* Extents longer than EXT_INIT_MAX_LEN become several. */
static GArray *split_extents(const struct extfs_extent *ext, unsigned n)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(struct extfs_extent));

	for (unsigned i = 0; i < n; i++)
		for (uint64_t off = 0; off < ext[i].len;
		     off += EXTFS_MAX_EXTENT_LEN) {
			struct extfs_extent e = {
				ext[i].file_block + off,
				MIN(ext[i].len - off, EXTFS_MAX_EXTENT_LEN),
				ext[i].disk_block + off,
			};

			g_array_append_val(out, e);
		}
	return out;
}

/* Blocks per level (leaves first) for n entries; returns the depth. */
static int tree_shape(uint64_t n, unsigned per, uint64_t count[])
{
	int depth = 0;

	while (n > EXTFS_ROOT_ENTRIES && depth < EXTFS_MAX_DEPTH) {
		n = (n + per - 1) / per;
		count[depth++] = n;
	}
	return depth;
}

uint64_t extfs_tree_blocks_needed(const struct super_block *sb,
				  const struct extfs_extent *ext, unsigned n)
{
	GArray *split = split_extents(ext, n);
	uint64_t count[EXTFS_MAX_DEPTH], total = 0;
	int depth = tree_shape(split->len, extfs_entries_per_block(sb), count);

	for (int i = 0; i < depth; i++)
		total += count[i];
	g_array_unref(split);
	return total;
}

static int extfs_readpage(struct page *page)
{
	return mpage_readpage(page, extfs_get_block);
}

static int extfs_readpages(struct address_space *mapping,
			   struct list_head *pages, unsigned nr_pages)
{
	return mpage_readpages(mapping, pages, nr_pages, extfs_get_block);
}

static const struct address_space_operations extfs_aops = {
	.readpage = extfs_readpage,
	.readpages = extfs_readpages,
};

struct inode *extfs_new_inode(struct super_block *sb, unsigned long ino,
			      const char *name, loff_t size,
			      const struct extfs_extent *ext, unsigned n,
			      const uint64_t *tree_blocks, unsigned ntree,
			      char **why)
{
	struct inode *inode;
	struct extfs_inode_info *ei = g_new0(struct extfs_inode_info, 1);
	uint64_t need = 0;

	ei->ext = split_extents(ext, n);
	ei->depth = tree_shape(ei->ext->len, extfs_entries_per_block(sb),
			       ei->level_count);
	for (int i = 0; i < ei->depth; i++)
		need += ei->level_count[i];
	if (need != ntree) {
		*why = g_strdup_printf("%u extents need %" G_GUINT64_FORMAT
				       " tree blocks (%u entries in the "
				       "inode, %u a block); %u given",
				       ei->ext->len, need, EXTFS_ROOT_ENTRIES,
				       extfs_entries_per_block(sb), ntree);
		g_array_unref(ei->ext);
		g_free(ei);
		return NULL;
	}
	ei->tree = g_array_new(FALSE, FALSE, sizeof(guint64));
	g_array_append_vals(ei->tree, tree_blocks, ntree);
	inode = g_new0(struct inode, 1);
	inode->i_ino = ino;
	inode->i_name = g_strdup(name);
	inode->i_blkbits = sb->s_blocksize_bits;
	inode->i_size = size;
	inode->i_sb = sb;
	mapping_init(&inode->i_data, inode);
	inode->i_mapping = &inode->i_data;
	inode->a_ops = &extfs_aops;
	INIT_LIST_HEAD(&inode->i_io_list);
	inode->i_mtime = -1;
	inode->get_block = extfs_get_block;
	inode->i_private = ei;
	return inode;
}

void extfs_free_inode(struct inode *inode)
{
	struct extfs_inode_info *ei;

	if (!inode)
		return;
	ei = EXTFS_I(inode);
	mapping_destroy(&inode->i_data);
	g_array_unref(ei->ext);
	g_array_unref(ei->tree);
	g_free(ei);
	g_free(inode->i_name);
	g_free(inode);
}

/*
 * ext4_ext_binsearch() - fs/ext4/extents.c: the last extent starting at
 * or before iblock (the first one when none does).
 */
static guint ext_binsearch(const GArray *ext, sector_t iblock)
{
	guint lo = 0, hi = ext->len;

	while (lo < hi) {
		guint mid = (lo + hi) / 2;

		if (g_array_index(ext, struct extfs_extent, mid).file_block <=
		    iblock)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : 0;
}

/*
 * ext4_find_extent() - fs/ext4/extents.c: walk from the inode to the leaf
 * holding extent k, reading each tree block on the way (sb_bread; cached
 * after the first read).  -EIO when a read fails.
 */
static int ext4_find_extent(struct inode *inode, guint k)
{
	struct extfs_inode_info *ei = EXTFS_I(inode);
	uint64_t per = extfs_entries_per_block(inode->i_sb);
	uint64_t level_start = 0;

	for (int level = ei->depth - 1; level >= 0; level--) {
		uint64_t span = per;
		struct buffer_head *bh;

		for (int j = 0; j < level; j++)
			span *= per;
		bh = sb_bread(inode->i_sb,
			      g_array_index(ei->tree, guint64,
					    level_start + k / span));
		if (!bh)
			return -EIO;
		brelse(bh);
		level_start += ei->level_count[level];
	}
	return 0;
}

/* The extent holding iblock, or NULL for a hole. */
static const struct extfs_extent *extent_of(struct inode *inode,
					    sector_t iblock, guint *k)
{
	const GArray *ext = EXTFS_I(inode)->ext;
	const struct extfs_extent *e;

	if (!ext->len)
		return NULL;
	*k = ext_binsearch(ext, iblock);
	e = &g_array_index(ext, struct extfs_extent, *k);
	if (iblock < e->file_block || iblock >= e->file_block + e->len)
		return NULL;
	return e;
}

/* _ext4_get_block() / ext4_map_blocks() lookup - fs/ext4/inode.c */
int extfs_get_block(struct inode *inode, sector_t iblock,
		    struct buffer_head *bh_result, int create)
{
	const GArray *ext = EXTFS_I(inode)->ext;
	unsigned blkbits = inode->i_blkbits;
	uint64_t max_blocks = bh_result->b_size >> blkbits;
	const struct extfs_extent *e;
	guint k = 0;
	int err;

	(void)create;		/* read path only */
	if (!ext->len)
		return 0;
	err = ext4_find_extent(inode, ext_binsearch(ext, iblock));
	if (err)
		return err;
	e = extent_of(inode, iblock, &k);
	if (!e)
		return 0;	/* a hole: bh left unmapped */
	if (!max_blocks)
		max_blocks = 1;
	max_blocks = MIN(max_blocks, e->file_block + e->len - iblock);
	map_bh(bh_result, inode->i_sb,
	       (sector_t)(e->disk_block + (iblock - e->file_block)));
	bh_result->b_size = (size_t)(max_blocks << blkbits);
	return 0;
}

bool extfs_lookup_block_nocache(struct inode *inode, sector_t iblock,
				struct buffer_head *bh)
{
	guint k = 0;
	const struct extfs_extent *e = extent_of(inode, iblock, &k);

	if (!e)
		return false;
	bh->b_blocknr = (sector_t)(e->disk_block + (iblock - e->file_block));
	return true;
}

void extfs_foreach_mapping(struct inode *inode, fmap_fn fn, void *arg)
{
	const struct extfs_inode_info *ei = EXTFS_I(inode);

	for (guint i = 0; ei->tree && i < ei->tree->len; i++) {
		struct fmap_run r = { FMAP_TREE, 0,
				      g_array_index(ei->tree, guint64, i), 1 };

		fn(&r, arg);
	}
	for (guint i = 0; i < ei->ext->len; i++) {
		const struct extfs_extent *e =
			&g_array_index(ei->ext, struct extfs_extent, i);
		struct fmap_run r = { FMAP_DATA, e->file_block, e->disk_block,
				      e->len };

		fn(&r, arg);
	}
}
