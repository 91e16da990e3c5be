/*
 * run.c - assembling the simulated world and running it.
 *
 * Order of construction follows the data's way: the disk model, the block
 * device and its queue, the filesystem with each file's block map, the
 * page cache's starting state, then the tasks.  Every disk block the
 * scenario uses (data and pointer blocks) is checked to lie on the disk and
 * to belong to one thing only.
 */
#include "run/run.h"

#include <string.h>
#include "block/blkdev.h"
#include "disk/disk.h"
#include "fs/buffer.h"
#include "fs/ext2/ext2.h"
#include "fs/fs-writeback.h"
#include "mm/page-writeback.h"
#include "fs/extfs/extfs.h"
#include "mm/vmscan.h"
#include "sim/sched.h"
#include "task/task.h"

struct world {
	const struct scenario *s;
	struct disk *disk;
	struct block_device *bdev;
	struct super_block *sb;
	GPtrArray *inodes;		/* struct inode*, as s->files */
	struct workload *workloads;	/* one per task */
};

/* A run of disk blocks and who uses it, for the overlap check. */
struct used {
	uint64_t start, len;
	int file;
	const char *what;		/* "extents" or "indirect" */
};

struct used_ctx {
	GArray *used;
	int file;
	const char *what;
};

static void add_used(uint64_t start, uint64_t len, void *arg)
{
	struct used_ctx *c = arg;
	struct used u = { start, len, c->file, c->what };

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
	char *msg;
	const struct scen_file *f = s->files->pdata[file];

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(err, SCENARIO_ERROR, 0, "%s: [file.%s] %s: %s", s->path,
		    f->name, key, msg);
	g_free(msg);
	return false;
}

/* [fs] type = extent: the inode is made with its extents and tree. */
static bool build_extent_file(struct world *w, int idx, GArray *used,
			      GError **err)
{
	const struct scenario *s = w->s;
	const struct scen_file *f = s->files->pdata[idx];
	uint64_t size_blocks = ((uint64_t)f->size + s->block_size - 1) /
			       s->block_size;
	GArray *ext = g_array_new(FALSE, FALSE, sizeof(struct extfs_extent));
	struct used_ctx c = { used, idx, "extents" };
	struct inode *inode;
	char *why = NULL;

	for (guint i = 0; i < f->extents->len; i++) {
		const struct scen_extent *e =
			&g_array_index(f->extents, struct scen_extent, i);
		struct extfs_extent x = { e->file_block, e->len, e->disk_block };

		if (e->file_block + e->len > size_blocks) {
			g_array_unref(ext);
			return layout_error(s, err, idx, "extents", "file block "
					    "%" G_GUINT64_FORMAT " is beyond the "
					    "file's %" G_GUINT64_FORMAT " blocks",
					    e->file_block + e->len - 1,
					    size_blocks);
		}
		g_array_append_val(ext, x);
		add_used(e->disk_block, e->len, &c);
	}
	inode = extfs_new_inode(w->sb, (unsigned long)idx + 1, f->name,
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
	w->inodes->pdata[idx] = inode;
	c.what = "tree_blocks";
	for (guint i = 0; i < f->tree_blocks->len; i++)
		add_used(g_array_index(f->tree_blocks, guint64, i), 1, &c);
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

static bool build_file_map(struct world *w, int idx, GArray *used,
			   uint64_t *mapped, GError **err)
{
	const struct scenario *s = w->s;
	const struct scen_file *f = s->files->pdata[idx];
	struct inode *inode = w->inodes->pdata[idx];
	uint64_t size_blocks = ((uint64_t)f->size + s->block_size - 1) /
			       s->block_size;
	struct used_ctx c = { used, idx, "extents" };
	char *why = NULL;

	if (s->extent_fs)
		return build_extent_file(w, idx, used, err);
	if (size_blocks > ext2_max_blocks(w->sb))
		return layout_error(s, err, idx, "size", "%" G_GUINT64_FORMAT
				    " blocks is more than the ext2 mapping "
				    "addresses with %u-byte blocks (%"
				    G_GUINT64_FORMAT ")", size_blocks,
				    s->block_size, ext2_max_blocks(w->sb));
	if (f->layout_sequential && over_budget(mapped, size_blocks))
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

		if (e->file_block + e->len > size_blocks)
			return layout_error(s, err, idx, "extents", "file block "
					    "%" G_GUINT64_FORMAT " is beyond the "
					    "file's %" G_GUINT64_FORMAT " blocks",
					    e->file_block + e->len - 1,
					    size_blocks);
		if (e->disk_block + e->len > EXT2_HOLE_BLOCK)
			return layout_error(s, err, idx, "extents", "disk block "
					    "beyond 2^32 - 2");
		if (over_budget(mapped, e->len))
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
		uint64_t blocks = ((uint64_t)f->size + s->block_size - 1) /
				  s->block_size;

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
static bool generate_layouts(struct world *w, GArray *used, GError **err)
{
	const struct scenario *s = w->s;
	uint64_t nblocks = MIN(scenario_disk_blocks(s), EXT2_HOLE_BLOCK);
	struct ext2_free_space *fs = ext2_free_space_new(0, nblocks);
	struct used_ctx c = { used, -1, "indirect" };
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
	ext2_foreach_pointer_block(w->sb, add_used, &c);
	for (guint i = 0; i < c.used->len; i++)
		ext2_free_space_remove(fs, g_array_index(c.used, struct used,
							 i).start, 1);
	g_array_unref(c.used);
	for (guint i = 0; i < s->files->len && ok; i++) {
		const struct scen_file *f = s->files->pdata[i];
		uint64_t size_blocks = ((uint64_t)f->size + s->block_size - 1) /
				       s->block_size;
		struct used_ctx fc = { used, (int)i, "extents" };

		if (!f->layout_sequential)
			continue;
		if (f->first_block_set)
			goal = f->first_block;
		if (ext2_layout_generate(w->inodes->pdata[i], fs, goal,
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
	if (u->file < 0)
		return g_strdup("a pointer block");
	return g_strdup_printf("[file.%s] %s",
			       ((const struct scen_file *)
				s->files->pdata[u->file])->name, u->what);
}

static bool check_used(const struct scenario *s, struct super_block *sb,
		       GArray *used, GError **err)
{
	uint64_t nblocks = scenario_disk_blocks(s);
	struct used_ctx c = { used, -1, "indirect" };

	if (!s->extent_fs)
		ext2_foreach_pointer_block(sb, add_used, &c);
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
			bool r = layout_error(s, err, blame->file >= 0 ?
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

/* Pages and buffers the scenario says are in the cache at time 0. */
static bool build_page_cache(struct world *w, GError **err)
{
	const struct scenario *s = w->s;

	for (guint i = 0; i < s->files->len; i++) {
		const struct scen_file *f = s->files->pdata[i];
		struct inode *inode = w->inodes->pdata[i];

		for (guint j = 0; j < f->cached->len; j++) {
			pgoff_t index = g_array_index(f->cached, guint64, j);
			struct page *page = page_alloc(index);

			add_to_page_cache_lru(page, inode->i_mapping, index, 0);
			SetPageUptodate(page);
			ClearPageLocked(page);
			put_page(page);
		}
		inode->cleancache_pages = (const pgoff_t *)f->cleancache->data;
		inode->nr_cleancache_pages = f->cleancache->len;
		if (!s->extent_fs)
			ext2_set_test_faults(inode, f->test_uptodate,
					     f->test_eio);
	}
	for (guint i = 0; i < s->pages->len; i++) {
		const struct scen_page *sp = &g_array_index(s->pages,
						struct scen_page, i);
		const struct scen_file *f = s->files->pdata[sp->file];
		struct inode *inode = w->inodes->pdata[sp->file];
		struct page *page = find_get_page(inode->i_mapping, sp->index);
		char *group = g_strdup_printf("page.%s.%" G_GUINT64_FORMAT,
					      f->name, (guint64)sp->index);

		if (page) {
			g_set_error(err, SCENARIO_ERROR, 0, "%s: [%s]: the page "
				    "is also listed in [file.%s] cached",
				    s->path, group, f->name);
			g_free(group);
			put_page(page);
			return false;
		}
		page = page_alloc(sp->index);
		add_to_page_cache_lru(page, inode->i_mapping, sp->index, 0);
		page->flags |= sp->flags;
		ClearPageLocked(page);
		if (sp->has_buffers) {
			struct buffer_head *bh;
			sector_t iblock = (sector_t)sp->index <<
					  (PAGE_SHIFT - inode->i_blkbits);

			create_empty_buffers(page, s->block_size, 0);
			bh = page_buffers(page);
			for (unsigned b = 0; b < sp->nr_buffers;
			     b++, bh = bh->b_this_page, iblock++) {
				const struct scen_buffer *sb = &sp->buffers[b];

				bh->b_state = sb->state;
				if (!buffer_mapped(bh))
					continue;
				bh->b_bdev = w->bdev;
				if (sb->blocknr >= 0) {
					bh->b_blocknr = (sector_t)sb->blocknr;
				} else {
					struct buffer_head tmp = {
						.b_size = s->block_size,
					};

					/* the file's own map, without I/O */
					if ((s->extent_fs ?
					     extfs_lookup_block_nocache :
					     ext2_lookup_block_nocache)(inode,
							iblock, &tmp)) {
						bh->b_blocknr = tmp.b_blocknr;
						continue;
					}
					g_set_error(err, SCENARIO_ERROR, 0,
						    "%s: [%s] buffers: buffer %u "
						    "is mapped but file block %"
						    G_GUINT64_FORMAT " is a hole;"
						    " give it a block (@N)",
						    s->path, group, b,
						    (guint64)iblock);
					g_free(group);
					put_page(page);
					return false;
				}
			}
		}
		g_free(group);
		put_page(page);
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
static bool init_free_space(struct world *w, const GArray *used,
			    GError **err)
{
	const struct scenario *s = w->s;
	struct ext2_balloc *b = ext2_sb_balloc(w->sb);
	uint64_t nblocks = MIN(scenario_disk_blocks(s), EXT2_HOLE_BLOCK);
	struct ext2_free_space *fs = ext2_free_space_new(0, nblocks);
	uint64_t end = nblocks;

	if (s->free_ranges->len)
		ext2_free_space_clip(fs, (const uint64_t *)s->free_ranges->data,
				     s->free_ranges->len / 2);
	if (s->fragment) {
		uint64_t window[2] = { 0, 0 };

		end = allocator_window(s, (GArray *)used, nblocks);
		window[1] = end;
		if (!s->free_ranges->len && end > MAX_FRAGMENTED_BLOCKS) {
			g_set_error(err, SCENARIO_ERROR, 0, "%s: [fs] fragment: "
				    "the files and writes reach disk block %"
				    G_GUINT64_FORMAT "; fragmenting more than %"
				    G_GUINT64_FORMAT " blocks would take too "
				    "much memory (limit the area with [fs] "
				    "free)", s->path, end,
				    (uint64_t)MAX_FRAGMENTED_BLOCKS);
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
 * Dirty pages of the starting page cache count as dirtied at time 0, so
 * that the flusher finds them (after the workload tasks, whose ids stay
 * 1, 2, ...).
 */
static void account_initial_dirty(struct world *w)
{
	const struct scenario *s = w->s;

	for (guint i = 0; i < s->pages->len; i++) {
		const struct scen_page *sp = &g_array_index(s->pages,
						struct scen_page, i);
		struct inode *inode = w->inodes->pdata[sp->file];
		struct page *page;

		if (!(sp->flags & (1UL << PG_dirty)))
			continue;
		page = find_get_page(inode->i_mapping, sp->index);
		if (page) {
			account_page_dirtied(page);
			put_page(page);
		}
	}
}

struct world *world_build(const struct scenario *s, GError **err)
{
	struct world *w = g_new0(struct world, 1);
	struct ext2_options fopt = {
		.blocksize = s->block_size, .boundary = s->boundary,
	};
	struct wb_options wbo = {
		.dirty_expire_centisecs = s->dirty_expire_centisecs,
		.dirty_writeback_centisecs = s->dirty_writeback_centisecs,
		.background_pages = s->dirty_background_pages,
	};
	GArray *used = g_array_new(FALSE, FALSE, sizeof(struct used));
	uint64_t mapped = 0;
	bool ok = true;

	w->s = s;
	ev_init();
	sched_init();
	wb_init(&wbo);
	bio_reset();
	bio_set_alloc_faults(s->blk.fail_bio_alloc, s->blk.nr_fail_bio_alloc);
	page_cache_reset(s->cache_capacity);
	w->disk = disk_new(s->disk);
	w->bdev = blk_device_new(w->disk, &s->blk);
	w->sb = s->extent_fs ? extfs_fill_super(w->bdev, s->block_size)
			     : ext2_fill_super(w->bdev, &fopt);
	if (!s->extent_fs)
		ext2_set_nobh(w->sb, s->nobh);
	w->inodes = g_ptr_array_new();
	for (guint i = 0; i < s->files->len; i++) {
		const struct scen_file *f = s->files->pdata[i];

		/* extent inodes are made by build_extent_file() */
		g_ptr_array_add(w->inodes, s->extent_fs ? NULL :
				ext2_new_inode(w->sb, i + 1, f->name, f->size));
	}
	for (guint i = 0; i < s->files->len && ok; i++)
		ok = build_file_map(w, (int)i, used, &mapped, err);
	if (ok)
		ok = generate_layouts(w, used, err);
	if (ok)
		ok = check_used(s, w->sb, used, err);
	if (ok && !s->extent_fs)
		ok = init_free_space(w, used, err);
	g_array_unref(used);
	for (guint i = 0; ok && i < s->cached_blocks->len; i++) {
		uint64_t b = g_array_index(s->cached_blocks, guint64, i);

		if (b >= scenario_disk_blocks(s)) {
			g_set_error(err, SCENARIO_ERROR, 0, "%s: [fs] "
				    "cached_blocks: block %" G_GUINT64_FORMAT
				    " is beyond the disk", s->path, b);
			ok = false;
		} else {
			buffer_cache_preload(w->bdev, b, s->block_size);
		}
	}
	if (ok)
		ok = build_page_cache(w, err);
	if (!ok) {
		world_free(w);
		return NULL;
	}
	w->workloads = g_new0(struct workload, s->tasks->len);
	for (guint i = 0; i < s->tasks->len; i++) {
		const struct scen_task *t = s->tasks->pdata[i];

		w->workloads[i].spec = t;
		w->workloads[i].inode = w->inodes->pdata[t->file];
		file_ra_state_init(&w->workloads[i].ra, s->ra_pages);
		w->workloads[i].all_inodes = (struct inode *const *)
					     w->inodes->pdata;
		w->workloads[i].nr_inodes = w->inodes->len;
		w->workloads[i].bdev = w->bdev;
		w->workloads[i].task = task_create(t->name, t->start_ns,
						   workload_main,
						   &w->workloads[i]);
	}
	if (!s->extent_fs)
		account_initial_dirty(w);
	return w;
}

bool world_run(struct world *w, const volatile bool *stop,
	       struct run_result *res, GError **err)
{
	struct blk_stats st;

	memset(res, 0, sizeof(*res));
	res->events = ev_run(SIMTIME_NEVER, stop);
	blk_get_stats(w->bdev, &st);
	res->end_ns = st.last_complete_ns;
	for (guint i = 0; i < w->s->tasks->len; i++)
		if (w->workloads[i].task->end_ns > res->end_ns)
			res->end_ns = w->workloads[i].task->end_ns;
	res->bios = st.bios;
	res->requests = st.requests;
	res->completed = st.completed;
	res->unfinished_tasks = sched_unfinished();
	if (stop && *stop)
		return true;
	if (res->unfinished_tasks) {
		int n;
		struct task *const *tasks = sched_tasks(&n);

		for (int i = 0; i < n; i++)
			if (!tasks[i]->finished) {
				g_set_error(err, SCENARIO_ERROR, 1,
					    "%s: task %s never woke up again "
					    "(it waits for something no one "
					    "will do)", w->s->path,
					    tasks[i]->name);
				break;
			}
		return false;
	}
	return true;
}

void world_free(struct world *w)
{
	if (!w)
		return;
	wb_destroy();
	sched_destroy();
	if (w->inodes) {
		for (guint i = 0; i < w->inodes->len; i++)
			(w->s->extent_fs ? extfs_free_inode : ext2_free_inode)
				(w->inodes->pdata[i]);
		g_ptr_array_free(w->inodes, TRUE);
	}
	if (w->bdev)
		buffer_cache_destroy(w->bdev);
	if (w->s->extent_fs)
		extfs_put_super(w->sb);
	else
		ext2_put_super(w->sb);
	blk_device_free(w->bdev);
	disk_free(w->disk);
	g_free(w->workloads);
	ev_destroy();
	bio_reset();
	g_free(w);
}
