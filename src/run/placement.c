/*
 * placement.c - where each file's blocks lie on the disk.
 *
 * world_build() hands every file to place_files(): explicit maps (extents
 * and pointer blocks, or an extent tree) are built first, then the
 * generated layouts (layout = ext2-sequential) go into the free space they
 * leave, shaped by [fs] free and fragment.  Every disk block the files use,
 * data and pointer blocks alike, is then checked to lie on the disk and to
 * belong to one thing only; what is left is the free space the ext2 block
 * allocator hands to writes.
 *
 * A scenario that writes (allocates) on ext2 and names no block map of its
 * own gets the metadata mke2fs would have made (fs.metadata_writes): it
 * is used space like a file's blocks, and generated layouts and the
 * allocator go around it; each file's inode table block is in the buffer
 * cache, as iget() left it; the block device's inode writes the dirty
 * metadata buffers back (bdev_writeback_init).
 *
 * Fragmenting costs memory in proportion to the area fragmented, so only
 * the part of the disk the layouts and the allocator can reach is
 * fragmented (fragment_window, allocator_window); fragments are drawn from
 * block 0 up, so that part looks as it would on a whole fragmented disk.
 */
#include "run/placement.h"

#include "fs/block_dev.h"
#include "fs/buffer.h"
#include "fs/ext2/ext2.h"
#include "fs/extfs/extfs.h"

/* A run of disk blocks and who uses it, for the overlap check. */
struct used {
	uint64_t start, len;
	int file;
	const char *what;		/* "extents", "indirect", "buffers" */
	int page;			/* a [page.*] group's buffer, or -1 */
};

/*
 * Where add_used() records runs, and for whom (file -1: pointer blocks;
 * page >= 0: a buffer of that [page.*] group).
 */
struct used_ctx {
	GArray *used;
	int file;
	const char *what;
	int page;
};

/* struct used's file for the filesystem's own metadata */
#define USED_METADATA (-2)

/* What placing the files works on. */
struct place {
	const struct scenario *s;
	struct super_block *sb;
	GPtrArray *inodes;	/* struct inode*, as s->files */
	GArray *used;		/* struct used: blocks the files use */
	uint64_t mapped;	/* blocks mapped so far, see over_budget() */
};

static void add_used(uint64_t start, uint64_t len, void *arg)
{
	struct used_ctx *c = arg;
	struct used u = { start, len, c->file, c->what, c->page };

	g_array_append_val(c->used, u);
}

static gint cmp_used(gconstpointer a, gconstpointer b)
{
	const struct used *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static bool layout_error(const struct scenario *s, GError **err, int file,
			 const char *key, const char *fmt, ...)
	G_GNUC_PRINTF(5, 6);

static bool layout_error(const struct scenario *s, GError **err, int file,
			 const char *key, const char *fmt, ...)
{
	va_list ap;
	char *msg, *group, *where;
	const struct scen_file *f = s->files->pdata[file];

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	group = g_strconcat("file.", f->name, NULL);
	where = scenario_where(s, group, key);
	g_set_error(err, SCENARIO_ERROR, 0, "%s: [%s] %s: %s", where, group,
		    key, msg);
	g_free(where);
	g_free(group);
	g_free(msg);
	return false;
}

/* The [page.FILE.INDEX] group of s->pages[i]. */
static char *page_group(const struct scenario *s, int i)
{
	const struct scen_page *sp = &g_array_index(s->pages,
						    struct scen_page, i);

	return g_strdup_printf("page.%s.%" G_GUINT64_FORMAT,
			       ((const struct scen_file *)
				s->files->pdata[sp->file])->name,
			       (guint64)sp->index);
}

/* layout_error() for the buffers of a [page.*] group. */
static bool buffers_error(const struct scenario *s, GError **err, int page,
			  const char *fmt, ...) G_GNUC_PRINTF(4, 5);

static bool buffers_error(const struct scenario *s, GError **err, int page,
			  const char *fmt, ...)
{
	va_list ap;
	char *msg, *group = page_group(s, page);
	char *where = scenario_where(s, group, "buffers");

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(err, SCENARIO_ERROR, 0, "%s: [%s] buffers: %s", where,
		    group, msg);
	g_free(where);
	g_free(group);
	g_free(msg);
	return false;
}

/* A file's size in blocks, a last partial block included. */
static uint64_t file_blocks(const struct scenario *s,
			    const struct scen_file *f)
{
	return ((uint64_t)f->size + s->block_size - 1) / s->block_size;
}

/*
 * An explicit extent past the file's end is an error (set here), unless
 * the file says extents_past_eof = yes.
 */
static bool extent_beyond_file(const struct scenario *s, GError **err,
			       int idx, const struct scen_extent *e,
			       uint64_t size_blocks)
{
	if (e->file_block + e->len <= size_blocks ||
	    ((const struct scen_file *)s->files->pdata[idx])->extents_past_eof)
		return false;
	layout_error(s, err, idx, "extents", "file block %" G_GUINT64_FORMAT
		     " is beyond the file's %" G_GUINT64_FORMAT " blocks",
		     e->file_block + e->len - 1, size_blocks);
	return true;
}

/*
 * Every mapped block costs memory (its slot in a pointer block) and time
 * to build, so the blocks all files map together are bounded: 2^24, e.g.
 * 64 GiB of 4 KiB blocks.
 */
#define MAX_MAPPED_BLOCKS (1ull << 24)

static bool over_budget(uint64_t *mapped, uint64_t n)
{
	if (n > MAX_MAPPED_BLOCKS - *mapped)
		return true;
	*mapped += n;
	return false;
}

/* [fs] type = extent: the inode is made with its extents and tree. */
static bool build_extent_file(struct place *pl, int idx, GError **err)
{
	const struct scenario *s = pl->s;
	const struct scen_file *f = s->files->pdata[idx];
	uint64_t size_blocks = file_blocks(s, f);
	GArray *ext = g_array_new(FALSE, FALSE, sizeof(struct extfs_extent));
	struct used_ctx c = { pl->used, idx, "extents", -1 };
	struct inode *inode;
	char *why = NULL;

	for (guint i = 0; i < f->extents->len; i++) {
		const struct scen_extent *e =
			&g_array_index(f->extents, struct scen_extent, i);
		struct extfs_extent x = { e->file_block, e->len, e->disk_block };

		if (extent_beyond_file(s, err, idx, e, size_blocks)) {
			g_array_unref(ext);
			return false;
		}
		if (over_budget(&pl->mapped, e->len)) {
			g_array_unref(ext);
			return layout_error(s, err, idx, "extents", "the "
					    "scenario's files map more than "
					    "%llu blocks in all",
					    MAX_MAPPED_BLOCKS);
		}
		g_array_append_val(ext, x);
		add_used(e->disk_block, e->len, &c);
	}
	inode = extfs_new_inode(pl->sb, (unsigned long)idx + 1, f->name,
				f->size, (const struct extfs_extent *)ext->data,
				ext->len,
				(const uint64_t *)f->tree_blocks->data,
				f->tree_blocks->len, &why);
	g_array_unref(ext);
	if (!inode) {
		layout_error(s, err, idx, "tree_blocks", "%s", why);
		g_free(why);
		return false;
	}
	pl->inodes->pdata[idx] = inode;
	c.what = "tree_blocks";
	for (guint i = 0; i < f->tree_blocks->len; i++)
		add_used(g_array_index(f->tree_blocks, guint64, i), 1, &c);
	return true;
}

static bool build_file_map(struct place *pl, int idx, GError **err)
{
	const struct scenario *s = pl->s;
	const struct scen_file *f = s->files->pdata[idx];
	struct inode *inode = pl->inodes->pdata[idx];
	uint64_t size_blocks = file_blocks(s, f);
	struct used_ctx c = { pl->used, idx, "extents", -1 };
	char *why = NULL;

	if (s->extent_fs)
		return build_extent_file(pl, idx, err);
	if (size_blocks > ext2_max_blocks(pl->sb) && !f->size_past_max)
		return layout_error(s, err, idx, "size", "%" G_GUINT64_FORMAT
				    " blocks is more than the ext2 mapping "
				    "addresses with %u-byte blocks (%"
				    G_GUINT64_FORMAT ")", size_blocks,
				    s->block_size, ext2_max_blocks(pl->sb));
	if (f->layout_sequential && over_budget(&pl->mapped, size_blocks))
		return layout_error(s, err, idx, "size", "the scenario's files "
				    "map more than %llu blocks in all (use "
				    "explicit extents for a sparse file)",
				    MAX_MAPPED_BLOCKS);
	if (f->layout_sequential)
		return true;	/* generate_layouts(), after explicit maps */
	for (guint i = 0; i < f->indirect->len; i++) {
		const struct scen_indirect *ind =
			&g_array_index(f->indirect, struct scen_indirect, i);

		if (ext2_place_pointer_block(inode, ind->path, ind->depth,
					     (uint32_t)ind->disk_block, &why)) {
			layout_error(s, err, idx, "indirect", "pointer block "
				     "at disk block %" G_GUINT64_FORMAT ": %s",
				     ind->disk_block, why);
			g_free(why);
			return false;
		}
	}
	for (guint i = 0; i < f->extents->len; i++) {
		const struct scen_extent *e =
			&g_array_index(f->extents, struct scen_extent, i);

		if (extent_beyond_file(s, err, idx, e, size_blocks))
			return false;
		if (e->disk_block + e->len > EXT2_HOLE_BLOCK)
			return layout_error(s, err, idx, "extents", "disk block "
					    "beyond 2^32 - 2");
		if (over_budget(&pl->mapped, e->len))
			return layout_error(s, err, idx, "extents", "the "
					    "scenario's files map more than "
					    "%llu blocks in all", MAX_MAPPED_BLOCKS);
		for (uint64_t b = 0; b < e->len; b++)
			if (ext2_map_data_block(inode, e->file_block + b,
						(uint32_t)(e->disk_block + b),
						&why)) {
				layout_error(s, err, idx, "extents", "file block "
					     "%" G_GUINT64_FORMAT ": %s",
					     e->file_block + b, why);
				g_free(why);
				return false;
			}
		add_used(e->disk_block, e->len, &c);
	}
	return true;
}

/*
 * Fragmenting the free space of a whole disk costs memory and time in
 * proportion to the disk (hundreds of MiB for a 250 GB one), while the
 * generated files use only a few blocks past their goals.  Fragments are
 * drawn from block 0 upwards, so fragmenting [0, end) gives the same
 * fragments below `end` as fragmenting the whole disk; `end` lies beyond
 * the last goal by enough to hold every generated block (and every block
 * the explicit maps use) even if each free run were 1 block and each gap
 * the longest, 2 * gap - 1: the layouts are the same as without the window.
 */
static uint64_t fragment_window(const struct scenario *s, GArray *used,
				uint64_t nblocks)
{
	uint64_t goal = 0, need = 1;
	uint64_t per_block = MAX(2 * (uint64_t)s->frag_gap, 2);

	for (guint i = 0; i < s->files->len; i++) {
		const struct scen_file *f = s->files->pdata[i];
		uint64_t blocks = file_blocks(s, f);

		if (!f->layout_sequential)
			continue;
		if (f->first_block_set)
			goal = MAX(goal, f->first_block);
		/* data blocks and, at most, one pointer block per data block */
		need += 2 * blocks;
	}
	for (guint i = 0; i < used->len; i++)
		need += g_array_index(used, struct used, i).len;
	need += (uint64_t)s->files->len * 4;	/* explicit pointer blocks */
	if (need > (nblocks - goal) / per_block)
		return nblocks;
	return goal + need * per_block;
}

/*
 * Generated files (layout = ext2-sequential), in scenario order, placed in
 * the free space left by the explicit maps ([fs] free and fragment shape
 * it); a file without first_block starts after the previous one.
 */
static bool generate_layouts(struct place *pl, GError **err)
{
	const struct scenario *s = pl->s;
	GArray *used = pl->used;
	uint64_t nblocks = MIN(scenario_disk_blocks(s), EXT2_HOLE_BLOCK);
	struct ext2_free_space *fs = ext2_free_space_new(0, nblocks);
	struct used_ctx c = { used, -1, "indirect", -1 };
	uint64_t goal = 0;
	bool ok = true;

	if (s->extent_fs) {
		ext2_free_space_free(fs);
		return true;	/* extent files are explicit */
	}
	if (s->free_ranges->len)
		ext2_free_space_clip(fs, (const uint64_t *)s->free_ranges->data,
				     s->free_ranges->len / 2);
	if (s->fragment) {
		uint64_t window[2] = { 0, fragment_window(s, used, nblocks) };

		/* the same fragments as over the whole disk, where used */
		if (!s->free_ranges->len && window[1] < nblocks)
			ext2_free_space_clip(fs, window, 1);
		ext2_free_space_fragment(fs, s->frag_seed, s->frag_extent,
					 s->frag_gap);
	}
	for (guint i = 0; i < used->len; i++) {
		const struct used *u = &g_array_index(used, struct used, i);

		ext2_free_space_remove(fs, u->start, u->len);
	}
	c.used = g_array_new(FALSE, FALSE, sizeof(struct used));
	ext2_foreach_pointer_block(pl->sb, add_used, &c);
	for (guint i = 0; i < c.used->len; i++)
		ext2_free_space_remove(fs, g_array_index(c.used, struct used,
							 i).start, 1);
	g_array_unref(c.used);
	for (guint i = 0; i < s->files->len && ok; i++) {
		const struct scen_file *f = s->files->pdata[i];
		uint64_t size_blocks = file_blocks(s, f);
		struct used_ctx fc = { used, (int)i, "extents", -1 };

		if (!f->layout_sequential)
			continue;
		if (f->first_block_set)
			goal = f->first_block;
		if (ext2_layout_generate(pl->inodes->pdata[i], fs, goal,
					 size_blocks, add_used, &fc, &goal))
			ok = layout_error(s, err, (int)i, "size", "no free "
					  "space left on the disk for %"
					  G_GUINT64_FORMAT " blocks",
					  size_blocks);
	}
	ext2_free_space_free(fs);
	return ok;
}

/* Who uses a run of blocks, for messages: "[file.a] extents". */
static char *used_name(const struct scenario *s, const struct used *u)
{
	if (u->file == USED_METADATA)
		return g_strdup_printf("the filesystem's %s", u->what);
	if (u->file < 0)
		return g_strdup("a pointer block");
	if (u->page >= 0) {
		char *g = page_group(s, u->page), *n;

		n = g_strdup_printf("[%s] buffers", g);
		g_free(g);
		return n;
	}
	return g_strdup_printf("[file.%s] %s",
			       ((const struct scen_file *)
				s->files->pdata[u->file])->name, u->what);
}

static bool check_used(struct place *pl, GError **err)
{
	const struct scenario *s = pl->s;
	GArray *used = pl->used;
	uint64_t nblocks = scenario_disk_blocks(s);
	struct used_ctx c = { used, -1, "indirect", -1 };

	if (!s->extent_fs)
		ext2_foreach_pointer_block(pl->sb, add_used, &c);
	g_array_sort(used, cmp_used);
	for (guint i = 0; i < used->len; i++) {
		const struct used *u = &g_array_index(used, struct used, i);
		int file = u->file >= 0 ? u->file : 0;

		if (u->start + u->len > nblocks) {
			if (u->file < 0)
				return layout_error(s, err, file, "indirect",
					"a pointer block at disk block %"
					G_GUINT64_FORMAT " is beyond the disk "
					"(%" G_GUINT64_FORMAT " blocks)",
					u->start, nblocks);
			return layout_error(s, err, file, u->what, "disk block %"
					    G_GUINT64_FORMAT " is beyond the "
					    "disk (%" G_GUINT64_FORMAT
					    " blocks)", u->start + u->len - 1,
					    nblocks);
		}
		if (i && u->start < g_array_index(used, struct used,
						  i - 1).start +
			  g_array_index(used, struct used, i - 1).len) {
			const struct used *p = &g_array_index(used,
							struct used, i - 1);
			const struct used *blame = u->file >= 0 ? u : p;
			char *a = used_name(s, p), *b = used_name(s, u);
			bool r = blame->page >= 0 ?
				buffers_error(s, err, blame->page, "disk block %"
					      G_GUINT64_FORMAT " is used twice "
					      "(by %s and %s)", u->start, a, b) :
				layout_error(s, err, blame->file >= 0 ?
					      blame->file : 0, blame->what,
					      "disk block %" G_GUINT64_FORMAT
					      " is used twice (by %s and %s)",
					      u->start, a, b);

			g_free(a);
			g_free(b);
			return r;
		}
	}
	return true;
}

static void add_free(uint64_t start, uint64_t len, void *arg)
{
	ext2_balloc_add_free(arg, start, len);
}

/*
 * The allocator may reach past what the files use: each write op and each
 * starting page may allocate its blocks and, at most, as many pointer
 * blocks; the first goal of a new file lies in block group 0 (its colour).
 * Fragments are drawn from block 0 up, so the allocator sees the same free
 * space as over a fragmented whole disk if [0, end) holds all of that even
 * when each free run is 1 block and each gap the longest (as in
 * fragment_window); past `end` it sees free space it never reaches.
 */
#define MAX_FRAGMENTED_BLOCKS (1ull << 22)

static uint64_t allocator_window(const struct scenario *s, GArray *used,
				 uint64_t nblocks)
{
	uint64_t end = fragment_window(s, used, nblocks);
	uint64_t per_block = MAX(2 * (uint64_t)s->frag_gap, 2);
	uint64_t need = 2 * (uint64_t)s->pages->len *
			(PAGE_SIZE / s->block_size);

	for (guint i = 0; i < used->len; i++) {
		const struct used *u = &g_array_index(used, struct used, i);

		end = MAX(end, u->start + u->len);
	}
	end = MAX(end, 8ull * s->block_size);	/* group 0 */
	for (guint i = 0; i < s->tasks->len; i++) {
		const GArray *ops = ((struct scen_task *)s->tasks->pdata[i])->ops;

		for (guint j = 0; j < ops->len; j++) {
			const struct scen_op *op = &g_array_index(ops,
							struct scen_op, j);

			if (op->type == OP_WRITE)
				need += 2 * (op->b / s->block_size + 2);
		}
	}
	if (end >= nblocks || need > (nblocks - end) / per_block)
		return nblocks;
	return end + need * per_block;
}

/*
 * The allocator's free space: the scenario's free space as [fs] free and
 * fragment shape it (the same as generate_layouts starts from), less
 * every block the files use, generated ones included.  Fragmenting is
 * bounded to what the allocator can reach (allocator_window), and refused
 * past MAX_FRAGMENTED_BLOCKS, whose fragments would take too much memory.
 */
static bool init_free_space(struct place *pl, GError **err)
{
	const struct scenario *s = pl->s;
	GArray *used = pl->used;
	struct ext2_balloc *b = ext2_sb_balloc(pl->sb);
	uint64_t nblocks = MIN(scenario_disk_blocks(s), EXT2_HOLE_BLOCK);
	struct ext2_free_space *fs = ext2_free_space_new(0, nblocks);
	uint64_t end = nblocks;

	if (s->free_ranges->len)
		ext2_free_space_clip(fs, (const uint64_t *)s->free_ranges->data,
				     s->free_ranges->len / 2);
	if (s->fragment) {
		uint64_t window[2] = { 0, 0 };

		end = allocator_window(s, used, nblocks);
		window[1] = end;
		if (!s->free_ranges->len && end > MAX_FRAGMENTED_BLOCKS) {
			char *where = scenario_where(s, "fs", "fragment");

			g_set_error(err, SCENARIO_ERROR, 0, "%s: [fs] fragment: "
				    "the files and writes reach disk block %"
				    G_GUINT64_FORMAT "; fragmenting more than %"
				    G_GUINT64_FORMAT " blocks would take too "
				    "much memory (limit the area with [fs] "
				    "free)", where, end,
				    (uint64_t)MAX_FRAGMENTED_BLOCKS);
			g_free(where);
			ext2_free_space_free(fs);
			return false;
		}
		if (!s->free_ranges->len && end < nblocks)
			ext2_free_space_clip(fs, window, 1);
		ext2_free_space_fragment(fs, s->frag_seed, s->frag_extent,
					 s->frag_gap);
	}
	ext2_free_space_foreach(fs, add_free, b);
	ext2_free_space_free(fs);
	/* unreachable, but free: the disk beyond the fragmented area */
	if (s->fragment && !s->free_ranges->len && end < nblocks)
		ext2_balloc_add_free(b, end, nblocks - end);
	for (guint i = 0; i < used->len; i++) {
		const struct used *u = &g_array_index(used, struct used, i);

		ext2_balloc_mark_used(b, u->start, u->len);
	}
	return true;
}

/*
 * A starting page's buffer with its own block (@N) other than the one
 * the file's map gives (on a hole: a block allocated and not yet
 * recorded; on a mapped block: a state the mpage lab sets up) holds that
 * block: no file or other buffer may use it, and the allocator must not
 * hand it out again.  It joins the blocks in use.
 */
static void add_page_buffers(struct place *pl)
{
	const struct scenario *s = pl->s;

	for (guint i = 0; i < s->pages->len; i++) {
		const struct scen_page *sp = &g_array_index(s->pages,
						struct scen_page, i);
		struct inode *inode = pl->inodes->pdata[sp->file];
		struct used_ctx c = { pl->used, sp->file, "buffers", (int)i };
		sector_t iblock;

		if (!sp->has_buffers)
			continue;
		iblock = (sector_t)sp->index << (PAGE_SHIFT - inode->i_blkbits);
		for (unsigned b = 0; b < sp->nr_buffers; b++, iblock++) {
			struct buffer_head tmp = { .b_size = s->block_size };
			uint64_t blk = (uint64_t)sp->buffers[b].blocknr;

			if (sp->buffers[b].blocknr < 0)
				continue;
			if (!(s->extent_fs ? extfs_lookup_block_nocache :
			      ext2_lookup_block_nocache)(inode, iblock, &tmp) ||
			    (uint64_t)tmp.b_blocknr != blk)
				add_used(blk, 1, &c);
		}
	}
}

static void add_metadata(uint64_t start, uint64_t len, const char *what,
			 void *arg)
{
	struct used u = { start, len, USED_METADATA, what, -1 };

	g_array_append_val((GArray *)arg, u);
}

/* Does the scenario allocate on ext2, with no block map of its own? */
static bool places_metadata(const struct scenario *s)
{
	bool writes = false;

	if (!s->metadata_writes || s->extent_fs || s->block_size < 1024)
		return false;
	for (guint i = 0; i < s->files->len; i++) {
		const struct scen_file *f = s->files->pdata[i];

		if (f->extents->len || f->indirect->len)
			return false;
	}
	for (guint i = 0; i < s->tasks->len && !writes; i++) {
		const struct scen_task *t = s->tasks->pdata[i];

		for (guint j = 0; j < t->ops->len && !writes; j++)
			writes = g_array_index(t->ops, struct scen_op,
					       j).type == OP_WRITE;
	}
	return writes;
}

/*
 * mke2fs's metadata (ext2_geometry_foreach) as used space, the geometry
 * to the filesystem (it then writes inodes), and each file's inode table
 * block cached.  A disk too small for ext2 keeps none.
 */
static void place_metadata(struct place *pl)
{
	struct ext2_geometry g;
	char *why = NULL;

	if (!places_metadata(pl->s))
		return;
	if (!ext2_geometry_init(&g, scenario_disk_blocks(pl->s),
				pl->s->block_size, &why)) {
		g_free(why);
		return;
	}
	ext2_geometry_foreach(&g, add_metadata, pl->used);
	ext2_set_geometry(pl->sb, &g);
	bdev_writeback_init(pl->sb->s_bdev, pl->s->block_size);
	for (guint i = 0; i < pl->inodes->len; i++)
		buffer_cache_preload(pl->sb->s_bdev, ext2_inode_table_block(
					     pl->inodes->pdata[i]),
				     pl->s->block_size);
}

bool place_files(const struct scenario *s, struct super_block *sb,
		 GPtrArray *inodes, GError **err)
{
	struct place pl = {
		.s = s, .sb = sb, .inodes = inodes,
		.used = g_array_new(FALSE, FALSE, sizeof(struct used)),
	};
	bool ok = true;

	place_metadata(&pl);
	for (guint i = 0; i < s->files->len && ok; i++)
		ok = build_file_map(&pl, (int)i, err);
	if (ok)
		ok = generate_layouts(&pl, err);
	if (ok)
		add_page_buffers(&pl);
	if (ok)
		ok = check_used(&pl, err);
	if (ok && !s->extent_fs)
		ok = init_free_space(&pl, err);
	g_array_unref(pl.used);
	return ok;
}
