/*
 * layout.c - generated ext2 block maps: where a file lands when one task
 * writes it from start to end on a disk with a given free space.
 *
 * A scenario describes the free space (the whole disk by default, or a
 * list of free extents, optionally cut into fragments by a seeded
 * pattern); each generated file is then placed block by block, in the
 * order ext2_get_block allocates them for a sequential writer: for each
 * file block, the pointer blocks it needs first (triple, double, single
 * indirect), then the data block.  Each block goes to the first free block
 * at or after the goal, the goal being the block after the previous one
 * (wrapping to the start of the disk when nothing is free beyond it).
 *
 * For a single sequential writer this is what ext2_new_blocks() does with
 * the goal ext2_find_goal() gives (the last allocated block + 1):
 * reservation windows, block groups and the inode's preferred group only
 * move the starting goal, which a scenario gives as first_block.  It is a
 * placement generator for read scenarios, not an allocator: the write
 * path's allocator is fs/ext2/balloc.c.
 */
#include "fs/ext2/ext2.h"

#include <errno.h>

struct free_ext {
	uint64_t start, len;
};

struct ext2_free_space {
	GArray *ext;		/* struct free_ext, sorted, disjoint */
	guint next;		/* the extent that may hold the block after
				 * the last one taken (take_next()) */
};

struct ext2_free_space *ext2_free_space_new(uint64_t start, uint64_t len)
{
	struct ext2_free_space *fs = g_new0(struct ext2_free_space, 1);
	struct free_ext e = { start, len };

	fs->ext = g_array_new(FALSE, FALSE, sizeof(struct free_ext));
	if (len)
		g_array_append_val(fs->ext, e);
	return fs;
}

void ext2_free_space_foreach(const struct ext2_free_space *fs,
			     ext2_extent_fn fn, void *arg)
{
	for (guint i = 0; i < fs->ext->len; i++) {
		const struct free_ext *e = &g_array_index(fs->ext,
						struct free_ext, i);

		fn(e->start, e->len, arg);
	}
}

void ext2_free_space_free(struct ext2_free_space *fs)
{
	if (!fs)
		return;
	g_array_unref(fs->ext);
	g_free(fs);
}

/* Keep only what lies inside [start, start + len) of the free space. */
void ext2_free_space_clip(struct ext2_free_space *fs, const uint64_t *ranges,
			  unsigned nranges)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(struct free_ext));

	for (guint i = 0; i < fs->ext->len; i++) {
		struct free_ext e = g_array_index(fs->ext, struct free_ext, i);

		for (unsigned r = 0; r < nranges; r++) {
			uint64_t lo = MAX(e.start, ranges[2 * r]);
			uint64_t hi = MIN(e.start + e.len,
					  ranges[2 * r] + ranges[2 * r + 1]);
			struct free_ext c = { lo, hi - lo };

			if (lo < hi)
				g_array_append_val(out, c);
		}
	}
	g_array_unref(fs->ext);
	fs->ext = out;
}

static gint cmp_free_ext(gconstpointer a, gconstpointer b)
{
	const struct free_ext *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Mark [start, start + len) used. */
void ext2_free_space_remove(struct ext2_free_space *fs, uint64_t start,
			    uint64_t len)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(struct free_ext));

	for (guint i = 0; i < fs->ext->len; i++) {
		struct free_ext e = g_array_index(fs->ext, struct free_ext, i);
		struct free_ext before = { e.start, 0 }, after = { 0, 0 };

		if (start >= e.start + e.len || start + len <= e.start) {
			g_array_append_val(out, e);
			continue;
		}
		if (start > e.start) {
			before.len = start - e.start;
			g_array_append_val(out, before);
		}
		if (start + len < e.start + e.len) {
			after.start = start + len;
			after.len = e.start + e.len - after.start;
			g_array_append_val(out, after);
		}
	}
	g_array_sort(out, cmp_free_ext);
	g_array_unref(fs->ext);
	fs->ext = out;
}

/*
 * Cut every free extent into fragments: free runs of 1 .. 2*extent-1
 * blocks (mean `extent`) separated by used runs of 1 .. 2*gap-1 blocks
 * (mean `gap`), drawn from GLib's g_rand seeded with `seed`.
 */
void ext2_free_space_fragment(struct ext2_free_space *fs, uint32_t seed,
			      uint32_t extent, uint32_t gap)
{
	GRand *rand = g_rand_new_with_seed(seed);
	GArray *out = g_array_new(FALSE, FALSE, sizeof(struct free_ext));

	for (guint i = 0; i < fs->ext->len; i++) {
		struct free_ext e = g_array_index(fs->ext, struct free_ext, i);
		uint64_t p = e.start, end = e.start + e.len;

		while (p < end) {
			uint64_t f = (uint64_t)g_rand_int_range(rand, 1,
							(gint32)(2 * extent));
			uint64_t g = (uint64_t)g_rand_int_range(rand, 1,
							(gint32)(2 * gap));
			struct free_ext c = { p, MIN(f, end - p) };

			g_array_append_val(out, c);
			p += c.len + g;
		}
	}
	g_rand_free(rand);
	g_array_unref(fs->ext);
	fs->ext = out;
}

/*
 * The first non-empty extent at or after index i, wrapping to the start
 * once; fs->ext->len when every extent is empty.
 */
static guint first_nonempty(const struct ext2_free_space *fs, guint i)
{
	guint n = fs->ext->len;

	for (guint k = 0; k < n; k++, i++) {
		if (i == n)
			i = 0;		/* wrap to the start of the disk */
		if (g_array_index(fs->ext, struct free_ext, i).len)
			return i;
	}
	return n;
}

/*
 * The first free block at or after goal (wrapping), taken; -ENOSPC.
 * An extent used up stays in the array with length 0 (its end stays in
 * order, so the search still works): removing it would move the whole
 * tail of the array for every block of a fragmented disk.
 */
/* Does extent i end beyond goal, and none before it (ends ascend)? */
static bool first_ending_beyond(const struct ext2_free_space *fs, guint i,
				uint64_t goal)
{
	const struct free_ext *e = &g_array_index(fs->ext, struct free_ext, 0);

	return i < fs->ext->len && e[i].start + e[i].len > goal &&
	       (i == 0 || e[i - 1].start + e[i - 1].len <= goal);
}

static int take_block(struct ext2_free_space *fs, uint64_t goal,
		      uint64_t *out)
{
	guint lo = 0, hi = fs->ext->len;
	struct free_ext *e;

	/*
	 * first extent that ends beyond goal: most often the one the last
	 * block came from or the next (a file laid out in order), else
	 * searched
	 */
	if (first_ending_beyond(fs, fs->next, goal))
		lo = hi = fs->next;
	else if (first_ending_beyond(fs, fs->next + 1, goal))
		lo = hi = fs->next + 1;
	while (lo < hi) {
		guint mid = (lo + hi) / 2;
		const struct free_ext *m = &g_array_index(fs->ext,
						struct free_ext, mid);

		if (m->start + m->len <= goal)
			lo = mid + 1;
		else
			hi = mid;
	}
	lo = first_nonempty(fs, lo);
	if (lo == fs->ext->len)
		return -ENOSPC;
	e = &g_array_index(fs->ext, struct free_ext, lo);
	*out = MAX(e->start, goal);
	if (*out >= e->start + e->len)
		*out = e->start;
	if (*out == e->start) {
		e->start++;
		e->len--;
		fs->next = lo;
	} else if (*out == e->start + e->len - 1) {
		e->len--;
		fs->next = lo + 1;
	} else {
		struct free_ext tail = {
			*out + 1, e->start + e->len - *out - 1,
		};

		e->len = *out - e->start;
		g_array_insert_val(fs->ext, lo + 1, tail);
		fs->next = lo + 1;
	}
	return 0;
}

/*
 * Take block b if it is free and follows the block taken last in its
 * extent: what take_block(fs, b) would give, without the search (a file
 * laid out in one free extent takes every block this way).
 */
static bool take_next(struct ext2_free_space *fs, uint64_t b)
{
	struct free_ext *e;

	if (fs->next >= fs->ext->len)
		return false;
	e = &g_array_index(fs->ext, struct free_ext, fs->next);
	if (!e->len || e->start != b)
		return false;
	e->start++;
	e->len--;
	return true;
}

/*
 * The path of file block b as ext2_block_to_path() gives it, for
 * addr_per_block pointers a block; returns the depth.
 */
static int block_path(uint64_t b, uint64_t ptrs, unsigned path[4])
{
	if (b < EXT2_NDIR_BLOCKS) {
		path[0] = (unsigned)b;
		return 1;
	}
	b -= EXT2_NDIR_BLOCKS;
	if (b < ptrs) {
		path[0] = EXT2_IND_BLOCK;
		path[1] = (unsigned)b;
		return 2;
	}
	b -= ptrs;
	if (b < ptrs * ptrs) {
		path[0] = EXT2_DIND_BLOCK;
		path[1] = (unsigned)(b / ptrs);
		path[2] = (unsigned)(b % ptrs);
		return 3;
	}
	b -= ptrs * ptrs;
	path[0] = EXT2_TIND_BLOCK;
	path[1] = (unsigned)(b / (ptrs * ptrs));
	path[2] = (unsigned)(b / ptrs % ptrs);
	path[3] = (unsigned)(b % ptrs);
	return 4;
}

int ext2_layout_generate(struct inode *inode, struct ext2_free_space *fs,
			 uint64_t goal, uint64_t nblocks, ext2_extent_fn fn,
			 void *arg, uint64_t *next_goal)
{
	uint64_t ptrs = inode->i_sb->s_blocksize / 4;
	uint64_t run_start = 0, run_len = 0;
	char *why = NULL;
	int err = 0;

	for (uint64_t b = 0; b < nblocks && !err;) {
		unsigned path[4];
		int depth = block_path(b, ptrs, path);
		uint64_t blk, room, n;
		uint32_t *slot;

		/*
		 * A pointer block at level d is new when this block is the
		 * first it maps: every index below it is 0 (none is when the
		 * last index is not).
		 */
		for (int d = 1; d < depth && !err && !path[depth - 1]; d++) {
			bool first = true;

			for (int k = d; k < depth; k++)
				first = first && path[k] == 0;
			if (!first)
				continue;
			err = take_block(fs, goal, &blk);
			if (!err) {
				ext2_place_pointer_block(inode, path, d,
							 (uint32_t)blk, &why);
				goal = blk + 1;
			}
		}
		if (!err)
			err = take_block(fs, goal, &blk);
		if (err)
			break;
		/*
		 * The slot mapping b, then the slots after it in the same
		 * pointer block (or among the direct ones) for the blocks
		 * that follow blk while they are free: what the loop would
		 * give them one by one.
		 */
		slot = ext2_data_slot(inode, b);
		if (!slot) {
			err = -EINVAL;
			break;
		}
		room = (depth == 1 ? EXT2_NDIR_BLOCKS : ptrs) -
		       path[depth - 1];
		slot[0] = (uint32_t)blk;
		for (n = 1; n < room && b + n < nblocks &&
		     take_next(fs, blk + n); n++)
			slot[n] = (uint32_t)(blk + n);
		goal = blk + n;
		b += n;
		if (run_len && blk == run_start + run_len) {
			run_len += n;
		} else {
			if (run_len && fn)
				fn(run_start, run_len, arg);
			run_start = blk;
			run_len = n;
		}
	}
	g_free(why);
	if (run_len && fn)
		fn(run_start, run_len, arg);
	*next_goal = goal;
	return err;
}
