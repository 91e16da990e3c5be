/*
 * test-write-meta.c - ext2's metadata: where mke2fs -t ext2 puts it
 * (src/fs/ext2/mke2fs.c), the allocator and generated layouts going
 * around it, and the inode written by fsync and not by fdatasync
 * (__generic_file_fsync, __ext2_write_inode, fs/ext2/inode.c).
 */
#include "harness.h"

#include <string.h>

#include "fs/ext2/ext2.h"

/* 1 KiB blocks, the simple disk (1 GiB), boundary off */
#define HEAD								\
	"[fs]\nblock_size = 1024\nboundary = off\n"			\
	"[disk]\npreset = simple\n"

#define run_ok harness_run1_ok

struct runs {
	GString *s;
	unsigned n;
};

static void add_run(uint64_t start, uint64_t len, const char *what,
		    void *arg)
{
	struct runs *r = arg;

	if (r->n++ < 14)	/* the boot block, groups 0 and 1, group 2 */
		g_string_append_printf(r->s, "%s%" G_GUINT64_FORMAT "+%"
				       G_GUINT64_FORMAT " %s",
				       r->s->len ? "; " : "", start, len, what);
}

/*
 * mke2fs -t ext2 on 1 GiB (e2fsprogs' ext2fs_initialize and
 * ext2fs_allocate_group_table, no flex_bg), worked out by hand and as
 * dumpe2fs shows it:
 *
 * 1 KiB blocks: 1048576 blocks, first data block 1, 8192 blocks a group:
 * 128 groups (the last has 8191 blocks, enough).  Inodes: 2^30 / 16384 =
 * 65536, 512 a group, 512 x 256 / 1024 = 128 table blocks.  Descriptors:
 * 128 / (1024 / 32) = 4 blocks.  Reserved GDT: max_blocks = 2^20 x 1024
 * = 2^30; ceil((2^30 - 1) / 8192) = 131072 groups, / 32 = 4096 blocks,
 * less 4 = 4092, capped at 1024 / 4 = 256.  Group 0: superblock 1,
 * descriptors 2-5, reserved 6-261, bitmaps 262 and 263, table 264-391;
 * then mke2fs's root directory 392, lost+found 393-404 (12 blocks: it
 * grows by a block while under 16 KiB, for at most 12 direct blocks) and
 * the resize inode's double indirect block 405.  Group 1 (8193) has a
 * backup: 8193, 8194-8197, 8198-8453, 8454, 8455, 8456-8583; group 2
 * (16385, no backup: 2 is no power of 3, 5 or 7) starts with its bitmaps.
 * Inode 12 is in group 0 at 11 x 256 = 2816 bytes: block 266.
 *
 * 4 KiB blocks: 262144 blocks, 8 groups of 32768; 65536 inodes, 8192 a
 * group, 512 table blocks; 1 descriptor block; reserved GDT: 2^28 /
 * 32768 = 8192 groups, / 128 = 64, less 1 = 63.  Group 0: superblock 0,
 * descriptors 1, reserved 2-64, bitmaps 65, 66, table 67-578; inode 12
 * in block 67.
 */
static void test_geometry(void)
{
	struct ext2_geometry g;
	struct runs r = { g_string_new(NULL), 0 };
	char *why = NULL;

	g_assert_true(ext2_geometry_init(&g, 1048576, 1024, &why));
	g_assert_cmpuint(g.groups_count, ==, 128);
	g_assert_cmpuint(g.inodes_per_group, ==, 512);
	g_assert_cmpuint(g.inode_blocks_per_group, ==, 128);
	g_assert_cmpuint(g.desc_blocks, ==, 4);
	g_assert_cmpuint(g.reserved_gdt_blocks, ==, 256);
	ext2_geometry_foreach(&g, add_run, &r);
	g_assert_cmpstr(r.s->str, ==,
			"0+1 boot block; 1+1 superblock; 2+4 group descriptors; "
			"6+256 reserved GDT; 262+1 block bitmap; "
			"263+1 inode bitmap; 264+128 inode table; "
			"392+1 root directory; 393+12 lost+found; "
			"405+1 resize inode; 8193+1 superblock; "
			"8194+4 group descriptors; 8198+256 reserved GDT; "
			"8454+1 block bitmap");
	g_assert_cmpuint(ext2_block_bitmap(&g, 2), ==, 16385);
	g_assert_cmpuint(ext2_inode_table(&g, 2), ==, 16387);
	g_assert_cmpuint(ext2_inode_block(&g, 12), ==, 266);
	g_string_free(r.s, TRUE);

	g_assert_true(ext2_geometry_init(&g, 262144, 4096, &why));
	g_assert_cmpuint(g.groups_count, ==, 8);
	g_assert_cmpuint(g.inodes_per_group, ==, 8192);
	g_assert_cmpuint(g.inode_blocks_per_group, ==, 512);
	g_assert_cmpuint(g.desc_blocks, ==, 1);
	g_assert_cmpuint(g.reserved_gdt_blocks, ==, 63);
	g_assert_cmpuint(ext2_block_bitmap(&g, 0), ==, 65);
	g_assert_cmpuint(ext2_inode_table(&g, 1), ==, 32835);
	g_assert_cmpuint(ext2_inode_block(&g, 12), ==, 67);
	/* sparse_super */
	g_assert_true(ext2_bg_has_super(0) && ext2_bg_has_super(1) &&
		      ext2_bg_has_super(3) && ext2_bg_has_super(5) &&
		      ext2_bg_has_super(7) && ext2_bg_has_super(9) &&
		      ext2_bg_has_super(25) && ext2_bg_has_super(49));
	g_assert_false(ext2_bg_has_super(2) || ext2_bg_has_super(4) ||
		       ext2_bg_has_super(15) || ext2_bg_has_super(27 * 2));
}

/*
 * Generated layouts go around the metadata: in a scenario that writes,
 * file g (layout = ext2-sequential, no first_block: goal 0) gets the first
 * free blocks, 406-409, after the resize inode's block 405.  With
 * metadata_writes = off, as before: 0-3.  (The data's first read shows
 * where: sector 2 x 406 = 812, 8 sectors; else 0.)  The writer, task 2,
 * has its 1 KiB at its colour goal 1 + 2 x 512 = 1025 (sector 2050), free
 * either way, written by kupdate at 30 s.  With metadata writes, the
 * allocation dirtied group 0's descriptor block 2 and bitmap 262, so the
 * block device's inode (dirtied at 0, after w) follows w at 30 s: blocks
 * 2 (sector 4), 262 (524) and 267 (534), inode 13's table block (offset
 * 12 x 256 = 3072), dirtied by w's inode write just before.
 */
static void test_layout_around(void)
{
	const char *ini = HEAD
		"[file.g]\nsize = 4K\nlayout = ext2-sequential\n"
		"[file.w]\nsize = 0\n"
		"[task.r]\nfile = g\nops = readpage 0\n"
		"[task.w]\nfile = w\nops = write 0 1K\n";
	struct harness_run *r = run_ok(ini, NULL);

	harness_assert_summary(r, "queue", "op sector sectors file",
			       "R 812 8 g; W 2050 2 w; W 4 2 -; W 524 2 -; "
			       "W 534 2 -");
	harness_run_free(r);
	r = run_ok(ini, "fs.metadata_writes=off");
	harness_assert_summary(r, "queue", "op sector sectors file",
			       "R 0 8 g; W 2050 2 w");
	harness_run_free(r);
}

/* The times of the lines containing `pat`, space-separated. */
static void assert_line_times(const struct harness_run *r, const char *pat,
			      const char *expected)
{
	GString *t = g_string_new(NULL);

	for (guint i = 0; i < r->lines->len; i++) {
		const char *line = r->lines->pdata[i];

		if (strstr(line, pat))
			g_string_append_printf(t, "%s%.*s", t->len ? " " : "",
					       (int)strcspn(line, " "), line);
	}
	g_assert_cmpstr(t->str, ==, expected);
	g_string_free(t, TRUE);
}

/*
 * fsync and fdatasync (__generic_file_fsync).  File a, inode 12 (table
 * block 266, sector 532), written by task 1: colour goal 1 + 512 = 513,
 * free, so its 4 KiB are on 513-516 (sector 1026, 8 sectors).
 *  - write at 0 s: allocation (I_DIRTY), size (I_DIRTY), mtime
 *    (I_DIRTY_SYNC); fsync: data WS 1026, inode WS 532, flush.
 *  - the same 4 KiB rewritten at 2 s: no allocation, no new size, only
 *    the mtime (I_DIRTY_SYNC).  fdatasync: the data and the flush, no
 *    inode ("datasync && !(i_state & I_DIRTY_DATASYNC)"); fsync writes the
 *    inode again.
 * The flusher: the allocation at 0 dirtied group 0's descriptor block 2
 * and bitmap 262 (the block device's inode, dirtied at jiffy 0), and the
 * first fsync's inode write table block 266 (written at once, clean
 * again).  At 30 s (the work runs every 5 s from 0) the block device is
 * expired: its pages from index 0: block 2 (W 4), 262 (W 524), page 66
 * with 266 clean (no I/O): 3 pages.  After fsync the inode is clean:
 * nothing else.  After fdatasync the inode is still dirty (I_DIRTY_SYNC,
 * dirtied at 2 s = jiffy 500) and expires at jiffy 8000 (32 s): at 35 s
 * no page to write ("writeback" value 0), then ext2_write_inode with
 * WB_SYNC_NONE dirties table block 266, and the block device (dirtied at
 * jiffy 8750) writes it when that expires, at 65 s (W 532, flags 0), from
 * writeback_index 66.
 */
static void test_fsync_fdatasync(void)
{
	const char *base = HEAD "[file.a]\nsize = 0\n"
		"[task.w]\nfile = a\nops = write 0 4K; fsync; sleep 2s; "
		"write 0 4K; ";
	char *fdatasync = g_strconcat(base, "fdatasync\n", NULL);
	char *fsync = g_strconcat(base, "fsync\n", NULL);
	struct harness_run *r = run_ok(fdatasync, NULL);

	harness_assert_summary(r, "queue", "op sector sectors origin",
			       "WS 1026 8 mpage; WS 532 2 meta; FS 0 0 flush; "
			       "WS 1026 8 mpage; FS 0 0 flush; "
			       "W 4 2 meta; W 524 2 meta; W 532 2 meta");
	harness_assert_summary(r, "writeback", "file page value reason",
			       "(bdev) 0 3 kupdate; a 0 0 kupdate; "
			       "(bdev) 66 1 kupdate");
	assert_line_times(r, " writeback ",
			  "30000000000 35000000000 65000000000");
	harness_run_free(r);
	r = run_ok(fsync, NULL);
	harness_assert_summary(r, "queue", "op sector sectors origin",
			       "WS 1026 8 mpage; WS 532 2 meta; FS 0 0 flush; "
			       "WS 1026 8 mpage; WS 532 2 meta; FS 0 0 flush; "
			       "W 4 2 meta; W 524 2 meta");
	harness_assert_summary(r, "writeback", "file page value reason",
			       "(bdev) 0 3 kupdate");
	assert_line_times(r, " writeback ", "30000000000");
	harness_run_free(r);
	/* metadata_writes = off: no inode, as mpsim had it */
	r = run_ok(fsync, "fs.metadata_writes=off");
	harness_assert_summary(r, "queue", "op sector sectors origin",
			       "WS 1026 8 mpage; FS 0 0 flush; "
			       "WS 1026 8 mpage; FS 0 0 flush");
	harness_run_free(r);
	g_free(fdatasync);
	g_free(fsync);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/write/meta/geometry", test_geometry);
	g_test_add_func("/write/meta/layout-around", test_layout_around);
	g_test_add_func("/write/meta/fsync-fdatasync", test_fsync_fdatasync);
	return g_test_run();
}
