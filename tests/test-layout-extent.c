/*
 * test-layout-extent.c - the extent-mapped filesystem ([fs] type =
 * extent, src/fs/extfs): whole-extent mappings, no BH_Boundary, extent
 * tree blocks read with sb_bread, the tree's shape.
 *
 * 1 KiB blocks, 4 KiB pages; a tree block holds (1024 - 12) / 12 = 84
 * entries, the inode 4.  Block queue unplugged, as in test-smoke.c, so
 * each bio shows when it is submitted.
 */
#include <string.h>
#include "harness.h"
#include "fs/extfs/extfs.h"

#define HEAD "[disk]\npreset = simple\n[fs]\ntype = extent\n" \
	     "block_size = 1024\n[block]\nplug = off\n"

/*
 * The boundary example's layout as two extents (0-11 on 0-11, 12-15 on
 * 13-16; block 12 is simply not used): both extents sit in the inode, so
 * no metadata is read.  Page 0's get_block maps the whole first extent
 * (12 blocks, asked for 16); pages 1-2 use that mapping; page 3 maps
 * 13-16, not contiguous with 11: the first bio (sector 0, 24 sectors)
 * goes, the second (sector 26, 8 sectors) follows.  ext2 with boundaries
 * ignored would read the indirect block (sector 24) first.
 */
static void test_boundary_layout(void)
{
	struct harness_run *r = harness_run1(
		HEAD "[file.a]\nsize = 16K\nextents = 0-11:0, 12-15:13\n"
		"[task.t]\nfile = a\nops = readpages 0-3\n", NULL);

	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "queue", "sector sectors origin pages",
			       "0 24 mpage 0-2; 26 8 mpage 3");
	g_assert_cmpuint(harness_count(r, "meta_read"), ==, 0);
	harness_run_free(r);
}

/* One 64-block extent: one get_block maps it all; one bio of 16 pages. */
static void test_one_extent(void)
{
	struct harness_run *r = harness_run1(
		HEAD "[file.a]\nsize = 64K\nextents = 0-63:100\n"
		"[task.t]\nfile = a\nops = readpages 0-15\n", NULL);

	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "queue", "sector sectors origin pages",
			       "200 128 mpage 0-15");
	harness_run_free(r);
}

/*
 * Five extents of 4 blocks: more than the inode's 4, so one leaf block
 * (disk block 50, sector 100) holds them.  Page 0's get_block walks the
 * tree: the leaf is read synchronously (one meta bio) before any data;
 * later lookups find it in the buffer cache.  Each extent is one page,
 * not contiguous with the next: one bio per page.
 */
static void test_tree_leaf(void)
{
	struct harness_run *r = harness_run1(
		HEAD "[file.a]\nsize = 20K\n"
		"extents = 0-3:100, 4-7:110, 8-11:120, 12-15:130, 16-19:140\n"
		"tree_blocks = 50\n"
		"[task.t]\nfile = a\nops = readpages 0-4\n", NULL);

	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "queue", "sector sectors origin pages",
			       "100 2 meta -; 200 8 mpage 0; 220 8 mpage 1; "
			       "240 8 mpage 2; 260 8 mpage 3; 280 8 mpage 4");
	harness_run_free(r);
}

/* The tree's size from the number of extents, by hand. */
static void test_tree_shape(void)
{
	struct super_block *sb1k = extfs_fill_super(NULL, 1024);
	struct super_block *sb512 = extfs_fill_super(NULL, 512);
	struct extfs_extent *e = g_new0(struct extfs_extent, 200);

	for (unsigned i = 0; i < 200; i++)
		e[i] = (struct extfs_extent){ 2 * i, 1, 1000 + 2 * i };
	g_assert_cmpuint(extfs_entries_per_block(sb1k), ==, 84);
	g_assert_cmpuint(extfs_entries_per_block(sb512), ==, 41);
	/* 4 extents fit in the inode */
	g_assert_cmpuint(extfs_tree_blocks_needed(sb1k, e, 4), ==, 0);
	/* 5: one leaf */
	g_assert_cmpuint(extfs_tree_blocks_needed(sb1k, e, 5), ==, 1);
	/* 512-byte blocks: 164 = 4 leaves of 41, indexed from the inode */
	g_assert_cmpuint(extfs_tree_blocks_needed(sb512, e, 164), ==, 4);
	/* 165: 5 leaves, too many for the inode: one index block above */
	g_assert_cmpuint(extfs_tree_blocks_needed(sb512, e, 165), ==, 6);
	/* an extent of 40000 blocks is two (at most 32768 each) */
	e[0].len = 40000;
	e[1].file_block = 40000;
	e[2].file_block = 40002;
	e[3].file_block = 40004;
	g_assert_cmpuint(extfs_tree_blocks_needed(sb1k, e, 4), ==, 1);
	g_free(e);
	extfs_put_super(sb1k);
	extfs_put_super(sb512);
}

static void test_errors(void)
{
	struct harness_run *r = harness_run1(
		HEAD "[file.a]\nsize = 20K\n"
		"extents = 0-3:100, 4-7:110, 8-11:120, 12-15:130, 16-19:140\n"
		"[task.t]\nfile = a\nops = readpages 0-4\n", NULL);

	g_assert_cmpint(r->status, ==, 2);
	g_assert_nonnull(strstr(r->error, "[file.a] tree_blocks: 5 extents "
				"need 1 tree blocks"));
	harness_run_free(r);
	r = harness_run1(HEAD "[file.a]\nsize = 4K\nextents = 0-3:0\n"
			 "indirect = ind:12\n"
			 "[task.t]\nfile = a\nops = readpages 0\n", NULL);
	g_assert_cmpint(r->status, ==, 2);
	g_assert_nonnull(strstr(r->error, "[file.a] indirect: not with "
				"[fs] type = extent"));
	harness_run_free(r);
	/* a tree block on a data block */
	r = harness_run1(HEAD "[file.a]\nsize = 20K\n"
			 "extents = 0-3:100, 4-7:110, 8-11:120, 12-15:130, "
			 "16-19:140\ntree_blocks = 101\n"
			 "[task.t]\nfile = a\nops = readpages 0\n", NULL);
	g_assert_cmpint(r->status, ==, 2);
	g_assert_nonnull(strstr(r->error, "used twice"));
	harness_run_free(r);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/extent/boundary-layout", test_boundary_layout);
	g_test_add_func("/extent/one-extent", test_one_extent);
	g_test_add_func("/extent/tree-leaf", test_tree_leaf);
	g_test_add_func("/extent/tree-shape", test_tree_shape);
	g_test_add_func("/extent/errors", test_errors);
	return g_test_run();
}
