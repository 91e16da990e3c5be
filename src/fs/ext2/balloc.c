/*
 * balloc.c - ext2 block allocation: a free-block bitmap per block group
 * and ext2_new_blocks() (fs/ext2/balloc.c, 4.9).
 *
 * The disk is cut into block groups of 8 x blocksize blocks from
 * first_data_block (1 with 1 KiB blocks, else 0), as ext2 does.  A group's
 * bitmap is built the first time the allocator looks at it, from the
 * scenario's free space ([fs] free: the free extents, everything else
 * used; everything free when absent) minus the blocks that scenario files
 * use (never free).
 *
 * The search is ext2's without reservation windows, i.e. as mounted with
 * -o noreservation: in the goal's group, the goal block if free, else the
 * first free block after it (ext2_try_to_allocate's linear retry); then
 * the other groups round-robin, each from its start through
 * find_next_usable_block (a free byte first, backed up over at most 7 free
 * bits, else any free bit).  A run of free blocks is claimed from there,
 * up to the count asked for.  The bitmaps here are the allocator's; their
 * blocks on disk (with metadata writes) are read never and written by
 * the block device's writeback, dirtied in inode.c.
 */
#include "fs/ext2/ext2.h"

#include <string.h>

struct ext2_group {
	uint8_t *bitmap;		/* 1 = in use */
	unsigned free;
};

struct ext2_balloc {
	uint64_t blocks_count;
	uint64_t first_data_block;
	unsigned blocks_per_group;
	unsigned long groups_count;
	GArray *free_extents;		/* struct ext2_extent; NULL: all free */
	GArray *used_extents;		/* struct ext2_extent */
	GHashTable *groups;		/* group number -> struct ext2_group */
};

struct ext2_extent {
	uint64_t start, len;
};

static void group_free(gpointer data)
{
	struct ext2_group *g = data;

	g_free(g->bitmap);
	g_free(g);
}

struct ext2_balloc *ext2_balloc_new(uint64_t blocks_count, unsigned blocksize)
{
	struct ext2_balloc *b = g_new0(struct ext2_balloc, 1);

	b->blocks_count = blocks_count;
	b->first_data_block = blocksize == 1024 ? 1 : 0;
	b->blocks_per_group = 8 * blocksize;
	b->groups_count = blocks_count > b->first_data_block ?
		(unsigned long)((blocks_count - b->first_data_block +
				 b->blocks_per_group - 1) /
				b->blocks_per_group) : 0;
	b->used_extents = g_array_new(FALSE, FALSE, sizeof(struct ext2_extent));
	b->groups = g_hash_table_new_full(g_int64_hash, g_int64_equal,
					  g_free, group_free);
	return b;
}

void ext2_balloc_free(struct ext2_balloc *b)
{
	if (!b)
		return;
	if (b->free_extents)
		g_array_unref(b->free_extents);
	g_array_unref(b->used_extents);
	g_hash_table_destroy(b->groups);
	g_free(b);
}

void ext2_balloc_add_free(struct ext2_balloc *b, uint64_t start, uint64_t len)
{
	struct ext2_extent e = { start, len };

	if (!b->free_extents)
		b->free_extents = g_array_new(FALSE, FALSE,
					      sizeof(struct ext2_extent));
	g_array_append_val(b->free_extents, e);
}

void ext2_balloc_mark_used(struct ext2_balloc *b, uint64_t start,
			   uint64_t len)
{
	struct ext2_extent e = { start, len };

	g_array_append_val(b->used_extents, e);
}

static uint64_t group_first_block(const struct ext2_balloc *b,
				  unsigned long group)
{
	return b->first_data_block + (uint64_t)group * b->blocks_per_group;
}

static bool test_bit8(const uint8_t *map, unsigned nr)
{
	return (map[nr >> 3] >> (nr & 7)) & 1;
}

static void set_bit8(uint8_t *map, unsigned nr)
{
	map[nr >> 3] |= (uint8_t)(1u << (nr & 7));
}

static void clear_bit8(uint8_t *map, unsigned nr)
{
	map[nr >> 3] &= (uint8_t)~(1u << (nr & 7));
}

/*
 * Apply extents (sorted by start, disjoint) to a group's bitmap: set
 * (used) or clear (free).  A binary search finds the first extent that
 * reaches into the group.
 */
static void apply_extents(const struct ext2_balloc *b, uint8_t *map,
			  uint64_t first, const GArray *ext, bool used)
{
	uint64_t end = first + b->blocks_per_group;
	guint lo_i = 0, hi_i = ext ? ext->len : 0;

	while (lo_i < hi_i) {
		guint mid = lo_i + (hi_i - lo_i) / 2;
		const struct ext2_extent *e = &g_array_index(ext,
						struct ext2_extent, mid);

		if (e->start + e->len <= first)
			lo_i = mid + 1;
		else
			hi_i = mid;
	}
	for (guint i = lo_i; ext && i < ext->len; i++) {
		const struct ext2_extent *e = &g_array_index(ext,
						struct ext2_extent, i);
		uint64_t lo = MAX(e->start, first);
		uint64_t hi = MIN(e->start + e->len, end);

		if (e->start >= end)
			break;

		for (uint64_t blk = lo; blk < hi; blk++) {
			if (used)
				set_bit8(map, (unsigned)(blk - first));
			else
				clear_bit8(map, (unsigned)(blk - first));
		}
	}
}

/* read_block_bitmap(): the group's bitmap, built on first use. */
static struct ext2_group *read_block_bitmap(struct ext2_balloc *b,
					    unsigned long group)
{
	gint64 key = (gint64)group;
	struct ext2_group *g = g_hash_table_lookup(b->groups, &key);
	uint64_t first = group_first_block(b, group);
	unsigned bpg = b->blocks_per_group;

	if (g)
		return g;
	g = g_new0(struct ext2_group, 1);
	g->bitmap = g_malloc0(bpg / 8);
	if (b->free_extents) {
		memset(g->bitmap, 0xff, bpg / 8);
		apply_extents(b, g->bitmap, first, b->free_extents, false);
	}
	apply_extents(b, g->bitmap, first, b->used_extents, true);
	/* the last group's bits beyond the disk are in use */
	for (unsigned i = 0; i < bpg; i++)
		if (first + i >= b->blocks_count)
			set_bit8(g->bitmap, i);
	for (unsigned i = 0; i < bpg; i++)
		g->free += !test_bit8(g->bitmap, i);
	g_hash_table_insert(b->groups, g_memdup2(&key, sizeof(key)), g);
	return g;
}

/* ext2_find_next_zero_bit() */
static int find_next_zero_bit(const uint8_t *map, int size, int offset)
{
	for (int i = offset; i < size; i++)
		if (!test_bit8(map, (unsigned)i))
			return i;
	return size;
}

/*
 * find_next_usable_block() - fs/ext2/balloc.c: from start, a free bit up
 * to the next 64-bit boundary (when start > 0), else the first wholly free
 * byte, else any free bit.  -1 when none.
 */
static int find_next_usable_block(int start, const uint8_t *map,
				  int maxblocks)
{
	int here, next;

	if (start > 0) {
		/*
		 * The goal was occupied; search forward for a free
		 * block within the next XX blocks.
		 */
		int end_goal = (start + 63) & ~63;

		if (end_goal > maxblocks)
			end_goal = maxblocks;
		here = find_next_zero_bit(map, end_goal, start);
		if (here < end_goal)
			return here;
	}

	here = start;
	if (here < 0)
		here = 0;

	/* memscan(p, 0, ...): the first byte with every bit free */
	next = maxblocks;
	for (int byte = here >> 3; byte < (maxblocks + 7) >> 3; byte++)
		if (map[byte] == 0) {
			next = byte << 3;
			break;
		}
	if (next < maxblocks && next >= here)
		return next;

	here = find_next_zero_bit(map, maxblocks, here);
	return here < maxblocks ? here : -1;
}

/*
 * ext2_try_to_allocate() - fs/ext2/balloc.c, without a reservation
 * window.  Claims up to *count free blocks from grp_goal (or from the
 * first usable block when grp_goal < 0); returns the first, or -1.
 */
static int ext2_try_to_allocate(struct ext2_balloc *b, struct ext2_group *g,
				int grp_goal, unsigned long *count)
{
	int start, end;
	unsigned long num = 0;

	if (grp_goal > 0)
		start = grp_goal;
	else
		start = 0;
	end = (int)b->blocks_per_group;

repeat:
	if (grp_goal < 0) {
		grp_goal = find_next_usable_block(start, g->bitmap, end);
		if (grp_goal < 0)
			goto fail_access;
		for (int i = 0; i < 7 && grp_goal > start &&
		     !test_bit8(g->bitmap, (unsigned)grp_goal - 1);
		     i++, grp_goal--)
			;
	}
	start = grp_goal;

	if (test_bit8(g->bitmap, (unsigned)grp_goal)) {
		/* in use: try the next block */
		start++;
		grp_goal++;
		if (start >= end)
			goto fail_access;
		goto repeat;
	}
	set_bit8(g->bitmap, (unsigned)grp_goal);
	num++;
	grp_goal++;
	while (num < *count && grp_goal < end &&
	       !test_bit8(g->bitmap, (unsigned)grp_goal)) {
		set_bit8(g->bitmap, (unsigned)grp_goal);
		num++;
		grp_goal++;
	}
	*count = num;
	return grp_goal - (int)num;

fail_access:
	*count = num;
	return -1;
}

/*
 * ext2_new_blocks() - fs/ext2/balloc.c
 *
 * A run of up to *count free blocks, as near the goal as the search above
 * finds.  Returns the first block and sets *count, or sets *errp to
 * -ENOSPC.
 */
uint64_t ext2_new_blocks(struct ext2_balloc *b, uint64_t goal,
			 unsigned long *count, int *errp)
{
	unsigned long group_no, ngroups = b->groups_count;
	int grp_goal, grp_alloc_blk;
	struct ext2_group *g;
	unsigned long num = *count;

	*errp = -ENOSPC;
	if (!ngroups)
		return 0;
	/*
	 * First, test whether the goal block is free.
	 */
	if (goal < b->first_data_block || goal >= b->blocks_count)
		goal = b->first_data_block;
	group_no = (unsigned long)((goal - b->first_data_block) /
				   b->blocks_per_group);
	grp_goal = (int)((goal - b->first_data_block) % b->blocks_per_group);
	g = read_block_bitmap(b, group_no);
	if (g->free > 0) {
		grp_alloc_blk = ext2_try_to_allocate(b, g, grp_goal, &num);
		if (grp_alloc_blk >= 0)
			goto allocated;
	}

	for (unsigned long bgi = 0; bgi < ngroups; bgi++) {
		group_no++;
		if (group_no >= ngroups)
			group_no = 0;
		g = read_block_bitmap(b, group_no);
		/* free_blocks <= windowsz / 2, with no window: a full group */
		if (g->free == 0)
			continue;
		/*
		 * num is not reset: a failed try in the goal group left it 0
		 * (ext2_try_to_allocate's fail_access), so a later group gives
		 * one block, as 4.9 does.
		 */
		grp_alloc_blk = ext2_try_to_allocate(b, g, -1, &num);
		if (grp_alloc_blk >= 0)
			goto allocated;
	}
	return 0;

allocated:
	g->free -= (unsigned)num;
	*count = num;
	*errp = 0;
	return group_first_block(b, group_no) + (uint64_t)grp_alloc_blk;
}

uint64_t ext2_group_first_block_no(const struct ext2_balloc *b,
				   unsigned long group)
{
	return group_first_block(b, group);
}

unsigned ext2_blocks_per_group(const struct ext2_balloc *b)
{
	return b->blocks_per_group;
}
