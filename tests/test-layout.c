/*
 * test-layout.c - generated ext2 layouts (src/fs/ext2/layout.c): where a
 * file written sequentially lands in a given free space.
 *
 * The rule (ext2_get_block allocating for one sequential writer): for
 * each file block, first the pointer blocks it is the first to need (the
 * single indirect block before file block 12; the double indirect block
 * and its first indirect block before file block 12 + 256 with 1 KiB
 * blocks), then the data block; each takes the first free block at or
 * after the goal (the block after the previous one), wrapping to the
 * start of the free space.
 */
#include <errno.h>
#include <string.h>
#include "harness.h"
#include "fs/buffer.h"
#include "fs/ext2/ext2.h"

struct runs {
	GString *s;
};

static void add_run(uint64_t start, uint64_t len, void *arg)
{
	struct runs *r = arg;

	g_string_append_printf(r->s, "%s%" G_GUINT64_FORMAT "+%"
			       G_GUINT64_FORMAT, r->s->len ? " " : "", start,
			       len);
}

struct fixture {
	struct super_block *sb;
	struct inode *inode;
	struct runs runs;
	uint64_t next;
};

static void setup(struct fixture *f, uint64_t nblocks)
{
	struct ext2_options opt = { .blocksize = 1024, .boundary = true };

	f->sb = ext2_fill_super(NULL, &opt);
	f->inode = ext2_new_inode(f->sb, 1, "f", (loff_t)nblocks * 1024);
	f->runs.s = g_string_new(NULL);
}

static void teardown(struct fixture *f)
{
	ext2_free_inode(f->inode);
	ext2_put_super(f->sb);
	g_string_free(f->runs.s, TRUE);
}

static uint64_t where(struct fixture *f, sector_t iblock)
{
	struct buffer_head bh = { .b_size = 1024 };

	g_assert_true(ext2_lookup_block_nocache(f->inode, iblock, &bh));
	return bh.b_blocknr;
}

static char *pointer_blocks(struct fixture *f)
{
	struct runs r = { g_string_new(NULL) };

	ext2_foreach_pointer_block(f->sb, add_run, &r);
	return g_string_free(r.s, FALSE);
}

static int generate(struct fixture *f, struct ext2_free_space *fs,
		    uint64_t goal, uint64_t nblocks)
{
	return ext2_layout_generate(f->inode, fs, goal, nblocks, add_run,
				    &f->runs, &f->next);
}

/* Empty disk from 0: data 0-11, indirect at 12, data 12-15 at 13-16. */
static void test_contiguous(void)
{
	struct fixture f;
	struct ext2_free_space *fs = ext2_free_space_new(0, 1000);
	char *ptrs;

	setup(&f, 16);
	g_assert_cmpint(generate(&f, fs, 0, 16), ==, 0);
	g_assert_cmpstr(f.runs.s->str, ==, "0+12 13+4");
	ptrs = pointer_blocks(&f);
	g_assert_cmpstr(ptrs, ==, "12+1");
	g_assert_cmpuint(f.next, ==, 17);
	g_assert_cmpuint(where(&f, 11), ==, 11);
	g_assert_cmpuint(where(&f, 12), ==, 13);
	g_free(ptrs);
	ext2_free_space_free(fs);
	teardown(&f);
}

/*
 * Free 100-105 and 200-299: data 0-5 at 100-105, data 6-11 at 200-205,
 * the indirect block at 206, data 12-15 at 207-210.
 */
static void test_free_ranges(void)
{
	struct fixture f;
	struct ext2_free_space *fs = ext2_free_space_new(0, 1000);
	const uint64_t ranges[] = { 100, 6, 200, 100 };
	char *ptrs;

	setup(&f, 16);
	ext2_free_space_clip(fs, ranges, 2);
	g_assert_cmpint(generate(&f, fs, 0, 16), ==, 0);
	g_assert_cmpstr(f.runs.s->str, ==, "100+6 200+6 207+4");
	ptrs = pointer_blocks(&f);
	g_assert_cmpstr(ptrs, ==, "206+1");
	g_free(ptrs);
	g_assert_cmpuint(f.next, ==, 211);
	ext2_free_space_free(fs);
	teardown(&f);
}

/*
 * 1 KiB blocks, 256 pointers a block: file block 268 = 12 + 256 is the
 * first under the double indirect block.  Data 0-11 at 0-11, indirect at
 * 12, data 12-267 at 13-268, then the double indirect block at 269, its
 * first indirect block at 270, data block 268 at 271.
 */
static void test_double_indirect(void)
{
	struct fixture f;
	struct ext2_free_space *fs = ext2_free_space_new(0, 10000);
	char *ptrs;

	setup(&f, 269);
	g_assert_cmpint(generate(&f, fs, 0, 269), ==, 0);
	g_assert_cmpstr(f.runs.s->str, ==, "0+12 13+256 271+1");
	ptrs = pointer_blocks(&f);
	g_assert_cmpstr(ptrs, ==, "12+1 269+1 270+1");
	g_free(ptrs);
	g_assert_cmpuint(where(&f, 267), ==, 268);
	g_assert_cmpuint(where(&f, 268), ==, 271);
	ext2_free_space_free(fs);
	teardown(&f);
}

/* Free 10-19, goal 15, 8 blocks: 15-19, then wrap to 10-12. */
static void test_wrap(void)
{
	struct fixture f;
	struct ext2_free_space *fs = ext2_free_space_new(10, 10);

	setup(&f, 8);
	g_assert_cmpint(generate(&f, fs, 15, 8), ==, 0);
	g_assert_cmpstr(f.runs.s->str, ==, "15+5 10+3");
	ext2_free_space_free(fs);
	teardown(&f);
}

/*
 * fragment SEED:1:1 - free runs of 1 .. 2*1-1 = 1 block, gaps of 1 block:
 * of 0-9 only 0, 2, 4, 6, 8 stay free, whatever the seed.
 */
static void test_fragment(void)
{
	struct fixture f;
	struct ext2_free_space *fs = ext2_free_space_new(0, 10);

	setup(&f, 6);
	ext2_free_space_fragment(fs, 42, 1, 1);
	g_assert_cmpint(generate(&f, fs, 0, 5), ==, 0);
	g_assert_cmpstr(f.runs.s->str, ==, "0+1 2+1 4+1 6+1 8+1");
	/* nothing left for a sixth block */
	g_assert_cmpint(generate(&f, fs, 0, 1), ==, -ENOSPC);
	ext2_free_space_free(fs);
	teardown(&f);
}

/*
 * Scenario level: two generated files, the second without first_block,
 * starts after the first.  a: blocks 0-16 (as test_contiguous); b: data
 * 0-11 at 17-28, indirect at 29, data 12-15 at 30-33.  Reading b's pages
 * 0-3 with boundaries honoured and no plug (as test-smoke.c): pages 0-2
 * at sector 34 (24 sectors), the indirect block at sector 58, page 3 at
 * sector 60.
 */
static void test_scenario_after_previous(void)
{
	const char *ini =
		"[disk]\npreset = simple\n[fs]\nblock_size = 1024\n"
		"[block]\nplug = off\n"
		"[file.a]\nsize = 16K\nlayout = ext2-sequential\n"
		"[file.b]\nsize = 16K\nlayout = ext2-sequential\n"
		"[task.t]\nfile = b\nops = readpages 0-3\n";
	struct harness_run *r = harness_run1(ini, NULL);

	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "queue", "sector sectors origin pages",
			       "34 24 mpage 0-2; 58 2 meta -; 60 8 mpage 3");
	harness_run_free(r);
}

/*
 * [fs] free keeps a generated file out of the explicit file's blocks and
 * inside the ranges: a explicit on 0-16, free = 0-40; b: data 0-11 at
 * 17-28 (0-16 are a's), indirect 29, 12-15 at 30-33 - the same bios.
 */
static void test_scenario_free_and_explicit(void)
{
	const char *ini =
		"[disk]\npreset = simple\n[fs]\nblock_size = 1024\n"
		"free = 0-40\n[block]\nplug = off\n"
		"[file.a]\nsize = 16K\nextents = 0-11:0, 12-15:13\n"
		"indirect = ind:12\n"
		"[file.b]\nsize = 16K\nlayout = ext2-sequential\n"
		"[task.t]\nfile = b\nops = readpages 0-3\n";
	struct harness_run *r = harness_run1(ini, NULL);

	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "queue", "sector sectors origin pages",
			       "34 24 mpage 0-2; 58 2 meta -; 60 8 mpage 3");
	harness_run_free(r);
	/* 16 free blocks after a's (17-32): not enough for b's 17 */
	r = harness_run1(ini, "fs.free=0-32");
	g_assert_cmpint(r->status, ==, 2);
	g_assert_nonnull(strstr(r->error, "[file.b] size: no free space"));
	harness_run_free(r);
	r = harness_run1(ini, "fs.fragment=1:0:3");
	g_assert_cmpint(r->status, ==, 2);
	g_assert_nonnull(strstr(r->error, "[fs] fragment:"));
	harness_run_free(r);
}

/*
 * ext2_new_blocks() (fs/ext2/balloc.c, 4.9, no reservation window) after
 * the goal group fails.  1 KiB blocks: first_data_block 1, 8192 blocks a
 * group; 16385 blocks make groups 0 (1-8192) and 1 (8193-16384).  Free:
 * block 10 and blocks 8193-8292.  Goal 100 is in group 0, which has a
 * free block (10) but none at or after the goal: ext2_try_to_allocate
 * fails and its fail_access leaves num = 0, which ext2_new_blocks does not
 * reset; group 1 (no goal) then claims its first block, and
 * "while (num < *count)" with *count = 0 stops there: one block, 8193,
 * whatever was asked.  Asked again, group 1's first wholly free byte is
 * byte 1 (block 8201), backed up over 7 free bits to bit 1: 8194, again
 * one block.  With no free block at all in the goal group, the try is
 * skipped, num keeps the request, and group 1 gives all 3: 8193-8195.
 */
static void test_new_blocks_after_failed_goal_group(void)
{
	struct ext2_balloc *b = ext2_balloc_new(16385, 1024);
	unsigned long count = 3;
	uint64_t blk;
	int err;

	ext2_balloc_add_free(b, 10, 1);
	ext2_balloc_add_free(b, 8193, 100);
	blk = ext2_new_blocks(b, 100, &count, &err);
	g_assert_cmpint(err, ==, 0);
	g_assert_cmpuint(blk, ==, 8193);
	g_assert_cmpuint(count, ==, 1);
	count = 3;
	blk = ext2_new_blocks(b, 100, &count, &err);
	g_assert_cmpint(err, ==, 0);
	g_assert_cmpuint(blk, ==, 8194);
	g_assert_cmpuint(count, ==, 1);
	ext2_balloc_free(b);

	b = ext2_balloc_new(16385, 1024);
	ext2_balloc_add_free(b, 8193, 100);
	count = 3;
	blk = ext2_new_blocks(b, 100, &count, &err);
	g_assert_cmpint(err, ==, 0);
	g_assert_cmpuint(blk, ==, 8193);
	g_assert_cmpuint(count, ==, 3);
	ext2_balloc_free(b);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/layout/contiguous", test_contiguous);
	g_test_add_func("/layout/free-ranges", test_free_ranges);
	g_test_add_func("/layout/double-indirect", test_double_indirect);
	g_test_add_func("/layout/wrap", test_wrap);
	g_test_add_func("/layout/fragment", test_fragment);
	g_test_add_func("/layout/scenario-after-previous",
			test_scenario_after_previous);
	g_test_add_func("/layout/scenario-free-and-explicit",
			test_scenario_free_and_explicit);
	g_test_add_func("/layout/new-blocks-after-failed-goal-group",
			test_new_blocks_after_failed_goal_group);
	return g_test_run();
}
