/*
 * test-write-scenarios.c - the bundled write scenarios, with fs.boundary
 * on and off, the allocator's placement, and the ledger: after fsync
 * every dirty page of the file was written exactly once and is clean.
 *
 * ext2-write-new-file.ini: 1 KiB blocks, free space from 1000, a 64 KiB
 * file written from empty (task 1), then fsync.  Allocation, one block
 * per get_block call from block_write_begin: file block 0's goal is
 * ext2_find_near's group start + colour = 1 + (1 % 16) * (8192 / 16) =
 * 513, in use, so the linear retry reaches 1000; blocks 1-11 follow the
 * last allocation (1001-1011); block 12 needs the indirect block:
 * ext2_alloc_blocks asks for 2 from goal 1012 and uses the first for the
 * indirect block: 1012, data 1013; blocks 13-63 on 1014-1064.  In disk
 * sectors: pages 0-2 at 2000 (24 sectors), the indirect block at 2024,
 * pages 3-15 at 2026 (104 sectors).
 *
 * The scenario names no block map and writes, so it has mke2fs's metadata
 * (1 GiB simple disk, 1 KiB blocks): group 0's superblock on 1,
 * descriptors 2-5, 256 reserved GDT blocks 6-261, bitmaps 262-263, the
 * inode table from 264.  The file is inode 12 (the first after
 * lost+found): offset 11 x 256 = 2816 bytes, block 266, sector 532.  The
 * write dirties the inode (allocation, i_size, mtime), so fsync's
 * __generic_file_fsync writes it after the pointer blocks, WRITE_SYNC
 * (sync_inode_metadata -> ext2_write_inode -> sync_dirty_buffer), before
 * the flush: "WS 532 2 meta".  The allocation also dirtied group 0's
 * descriptor block 2 and block bitmap 262: the block device's inode,
 * dirtied at 0, is written by the flusher when it expires, at 30 s:
 * "W 4 2 meta; W 524 2 meta" (its pages with the indirect block and the
 * table block have clean buffers by then: no I/O).
 *
 * ext2-rewrite.ini: see the scenario's own comment; pages 1-2 at 2008,
 * the indirect block 1012 at 2024 (read first, dirtied by the allocation
 * of blocks 40-63 on 1065-1088), pages 10-15 at 2130 (48 sectors).
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

static char *scenario_text(const char *name)
{
	const char *top = g_getenv("top_srcdir");
	char *path = g_build_filename(top ? top : ".", "scenarios", name, NULL);
	char *text = NULL;

	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	g_free(path);
	return text;
}

static struct harness_run *run_scenario(const char *name,
					const char *const *sets)
{
	char *ini = scenario_text(name);
	struct harness_run *r = harness_run_text(ini, sets);

	g_free(ini);
	if (r->status) {
		char *d = harness_dump(r);

		g_printerr("%s\n", d);
		g_free(d);
	}
	g_assert_cmpint(r->status, ==, 0);
	return r;
}

/*
 * Boundary on: BH_Boundary sits on the buffer of file block 11 (page 2).
 * fsync's mpage_writepages sends pages 0-2 at the boundary (WS), then
 * write_boundary_block finds block 1012 dirty and writes it (ll_rw_block:
 * "W", not sync), then pages 3-15 at the end (WS); sync_mapping_buffers
 * finds the indirect block clean; the inode's table block (WS 532); the
 * flush (FS).  The data in ascending disk order.
 */
static void test_new_file_boundary_on(void)
{
	const char *sets[] = { "fs.boundary=on", NULL };
	struct harness_run *r = run_scenario("ext2-write-new-file.ini", sets);

	harness_assert_summary(r, "queue", "op sector sectors origin pages",
			       "WS 2000 24 mpage 0-2; W 2024 2 meta -; "
			       "WS 2026 104 mpage 3-15; WS 532 2 meta -; "
			       "FS 0 0 flush -; W 4 2 meta -; W 524 2 meta -");
	harness_run_free(r);
}

/*
 * Boundary off: pages 0-2 and 3 do not follow on disk (1013 != 1011 + 1):
 * two data bios; the indirect block goes out only at sync_mapping_buffers
 * (WRITE_SYNC), after the data that lies beyond it; then the inode.
 */
static void test_new_file_boundary_off(void)
{
	const char *sets[] = { "fs.boundary=off", NULL };
	struct harness_run *r = run_scenario("ext2-write-new-file.ini", sets);

	harness_assert_summary(r, "queue", "op sector sectors origin pages",
			       "WS 2000 24 mpage 0-2; WS 2026 104 mpage 3-15; "
			       "WS 2024 2 meta -; WS 532 2 meta -; "
			       "FS 0 0 flush -; W 4 2 meta -; W 524 2 meta -");
	harness_run_free(r);
}

/* The allocator's placement, from the rule in the comment at the top. */
static void test_new_file_placement(void)
{
	struct harness_run *r = run_scenario("ext2-write-new-file.ini", NULL);
	GString *want = g_string_new(NULL);
	char *got;

	for (int k = 0; k < 64; k++) {
		if (k == 12)
			g_string_append(want, "pointer - 1012; ");
		g_string_append_printf(want, "data %d %d%s", k,
				       k < 12 ? 1000 + k : 1001 + k,
				       k < 63 ? "; " : "");
	}
	got = harness_summary(r, "alloc", "reason offset block");
	g_assert_cmpstr(got, ==, want->str);
	g_free(got);
	g_string_free(want, TRUE);
	harness_run_free(r);
}

/*
 * nobh: pages keep no buffers; nobh_write_begin allocates the same
 * blocks, and __mpage_writepage maps each page with get_block(create=1),
 * which sets BH_Boundary on file block 11 again: the same bios as with
 * buffers (nobh_write_end marks the inode dirty as generic_write_end).
 */
static void test_new_file_nobh(void)
{
	const char *sets[] = { "fs.nobh=on", NULL };
	struct harness_run *r = run_scenario("ext2-write-new-file.ini", sets);

	harness_assert_summary(r, "queue", "op sector sectors origin pages",
			       "WS 2000 24 mpage 0-2; W 2024 2 meta -; "
			       "WS 2026 104 mpage 3-15; WS 532 2 meta -; "
			       "FS 0 0 flush -; W 4 2 meta -; W 524 2 meta -");
	g_assert_cmpuint(harness_count(r, "fallback"), ==, 0);
	harness_run_free(r);
}

/*
 * The rewrite, boundary on: the indirect block is read when the write maps
 * file block 40 (R 2024); "writeback 64" sends pages 1-2 at the boundary
 * of block 11, then the dirty indirect block (W 2024), then pages 10-15;
 * fsync has only the flush left.
 */
static void test_rewrite_boundary_on(void)
{
	const char *sets[] = { "fs.boundary=on", NULL };
	struct harness_run *r = run_scenario("ext2-rewrite.ini", sets);

	harness_assert_summary(r, "queue", "op sector sectors origin pages",
			       "R 2024 2 meta -; W 2008 16 mpage 1-2; "
			       "W 2024 2 meta -; W 2130 48 mpage 10-15; "
			       "FS 0 0 flush -");
	harness_assert_summary(r, "alloc", "reason offset block value",
			       "data 40 1065 1; data 41 1066 1; data 42 1067 1; "
			       "data 43 1068 1; data 44 1069 1; data 45 1070 1; "
			       "data 46 1071 1; data 47 1072 1; data 48 1073 1; "
			       "data 49 1074 1; data 50 1075 1; data 51 1076 1; "
			       "data 52 1077 1; data 53 1078 1; data 54 1079 1; "
			       "data 55 1080 1; data 56 1081 1; data 57 1082 1; "
			       "data 58 1083 1; data 59 1084 1; data 60 1085 1; "
			       "data 61 1086 1; data 62 1087 1; data 63 1088 1");
	harness_run_free(r);
}

/*
 * The rewrite, boundary off: pages 1-2, then pages 10-15 (1065 does not
 * follow 1011); the dirty indirect block waits for fsync's
 * sync_mapping_buffers (WS).
 */
static void test_rewrite_boundary_off(void)
{
	const char *sets[] = { "fs.boundary=off", NULL };
	struct harness_run *r = run_scenario("ext2-rewrite.ini", sets);

	harness_assert_summary(r, "queue", "op sector sectors origin pages",
			       "R 2024 2 meta -; W 2008 16 mpage 1-2; "
			       "W 2130 48 mpage 10-15; WS 2024 2 meta -; "
			       "FS 0 0 flush -");
	harness_run_free(r);
}

/*
 * Quirk: the boundary at file block 11 splits the write bio even when the
 * data is contiguous.  File blocks 0-15 on 100-115 (the indirect block
 * far away, 900), dirtied by a write of 16 KiB (mapping block 12 reads the
 * indirect block: R 1800).  Boundary on: after page 2 the bio (sector
 * 200, 24 sectors) is sent - the indirect block is clean, so no boundary
 * write - and page 3 gets its own bio at sector 224.  Boundary off: one
 * bio, 32 sectors.
 */
static void test_boundary_splits_contiguous(void)
{
	const char *ini =
		"[fs]\nblock_size = 1024\n"
		"[disk]\npreset = simple\n"
		"[file.a]\nsize = 16K\nextents = 0-15:100\nindirect = ind:900\n"
		"[task.w]\nfile = a\nops = write 0 16K; writeback 4\n";
	struct harness_run *on = harness_run1(ini, "fs.boundary=on");
	struct harness_run *off = harness_run1(ini, "fs.boundary=off");

	g_assert_cmpint(on->status, ==, 0);
	g_assert_cmpint(off->status, ==, 0);
	harness_assert_summary(on, "queue", "op sector sectors pages",
			       "R 1800 2 -; W 200 24 0-2; W 224 8 3");
	harness_assert_summary(off, "queue", "op sector sectors pages",
			       "R 1800 2 -; W 200 32 0-3");
	harness_run_free(on);
	harness_run_free(off);
}

/*
 * Allocation elsewhere: free = 1000-1005, 2000-2999.  Blocks 0-5 on
 * 1000-1005; block 6's goal 1006 is in use: the linear retry in group 0
 * reaches 2000; blocks 6-11 on 2000-2005; block 12: indirect 2006, data
 * 2007; 13-15 on 2008-2010.
 */
static void test_alloc_fragmented(void)
{
	const char *ini =
		"[fs]\nblock_size = 1024\nfree = 1000-1005, 2000-2999\n"
		"[disk]\npreset = simple\n"
		"[file.a]\nsize = 0\n"
		"[task.w]\nfile = a\nops = write 0 16K\n";
	struct harness_run *r = harness_run1(ini, NULL);

	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "alloc", "reason block",
			       "data 1000; data 1001; data 1002; data 1003; "
			       "data 1004; data 1005; data 2000; data 2001; "
			       "data 2002; data 2003; data 2004; data 2005; "
			       "pointer 2006; data 2007; data 2008; data 2009; "
			       "data 2010");
	harness_run_free(r);
}

/*
 * The goal's group is full: free = 9000-9100 lies in group 1 (blocks
 * 8193-16384).  Goal 513 in group 0, which has no free block; group 1 is
 * searched without a goal: find_next_usable_block finds the first wholly
 * free byte of its bitmap, bits 808-815 (blocks 9001-9008), and backs up
 * over free bit 807 (block 9000; 8999 is in use): 9000.  Blocks 1-3
 * follow: 9001-9003.
 */
static void test_alloc_other_group(void)
{
	const char *ini =
		"[fs]\nblock_size = 1024\nfree = 9000-9100\n"
		"[disk]\npreset = simple\n"
		"[file.a]\nsize = 0\n"
		"[task.w]\nfile = a\nops = write 0 4K\n";
	struct harness_run *r = harness_run1(ini, NULL);

	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "alloc", "reason block",
			       "data 9000; data 9001; data 9002; data 9003");
	harness_run_free(r);
}

/*
 * The colour of the first goal follows the writer's pid (its task id):
 * task 2 on a free disk: 1 + (2 % 16) * 512 = 1025.
 */
static void test_alloc_colour(void)
{
	const char *ini =
		"[fs]\nblock_size = 1024\n"
		"[disk]\npreset = simple\n"
		"[file.a]\nsize = 0\n"
		"[task.idle]\nfile = a\nops = sleep 1us\n"
		"[task.w]\nfile = a\nops = write 0 1K\n";
	struct harness_run *r = harness_run1(ini, NULL);

	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "alloc", "reason block task",
			       "data 1025 w");
	harness_run_free(r);
}

/*
 * A partial write of a page that is not cached reads what it does not
 * overwrite.  File blocks 0-3 on 100-103; "write 512 1K" covers [512,
 * 1536) of page 0.  __block_write_begin: blocks 0 and 1 are partly
 * overwritten and not up to date: ll_rw_block reads, one bio each
 * (sectors 200, 202), waited for; blocks 2 and 3 lie outside the range
 * and stay unmapped.  The page is not up to date after the write (blocks
 * 2, 3).  The flusher (30 s) writes the two dirty mapped buffers: the
 * page's first_unmapped is 2, one bio of 4 sectors.
 *
 * nobh_write_begin maps every block of the page (create = 0 beyond the
 * range) and reads each one partly or not covered: all four (200, 202,
 * 204, 206); the page is then up to date, has no buffers, and the flusher
 * writes it whole: 8 sectors.
 */
static void test_partial_write_reads(void)
{
	const char *ini =
		"[fs]\nblock_size = 1024\n"
		"[disk]\npreset = simple\n"
		"[file.a]\nsize = 4K\nextents = 0-3:100\n"
		"[task.w]\nfile = a\nops = write 512 1K\n";
	struct harness_run *bh = harness_run1(ini, NULL);
	struct harness_run *nobh = harness_run1(ini, "fs.nobh=on");

	g_assert_cmpint(bh->status, ==, 0);
	g_assert_cmpint(nobh->status, ==, 0);
	harness_assert_summary(bh, "queue", "op sector sectors origin task",
			       "R 200 2 buffer w; R 202 2 buffer w; "
			       "W 200 4 mpage flusher");
	harness_assert_summary(nobh, "queue", "op sector sectors origin task",
			       "R 200 2 buffer w; R 202 2 buffer w; "
			       "R 204 2 buffer w; R 206 2 buffer w; "
			       "W 200 8 mpage flusher");
	harness_run_free(bh);
	harness_run_free(nobh);
}

/* Bad write-side input: exit status 2, a message naming group and key. */
static void expect_error(const char *ini, const char *want)
{
	struct harness_run *r = harness_run1(ini, NULL);

	g_assert_cmpint(r->status, ==, 2);
	if (!strstr(r->error, want))
		g_printerr("error: %s\n", r->error);
	g_assert_nonnull(strstr(r->error, want));
	g_assert_cmpuint(r->lines->len, ==, 0);
	harness_run_free(r);
}

static void test_errors(void)
{
#define FS "[fs]\nblock_size = 1024\n[file.a]\nsize = 4K\n"
	expect_error(FS "[page.a.0]\nflags = dirty\n"
		     "[task.w]\nfile = a\nops = fsync\n",
		     "[page.a.0] flags: a dirty page without buffers");
	expect_error(FS "[writeback]\ndirty_writeback_centisecs = 0\n"
		     "[task.w]\nfile = a\nops = fsync\n",
		     "[writeback] dirty_writeback_centisecs: 0 is out of range");
	expect_error(FS "[writeback]\nbackground = 3\n"
		     "[task.w]\nfile = a\nops = fsync\n",
		     "[writeback] background: unknown key");
	expect_error(FS "[task.w]\nfile = a\nops = write 0\n",
		     "[task.w] ops: \"write 0\" is not one of");
	expect_error(FS "[task.w]\nfile = a\nops = writeback 0\n",
		     "[task.w] ops: \"writeback 0\" is not one of");
	expect_error("[fs]\ntype = extent\nblock_size = 1024\n"
		     "[file.a]\nsize = 4K\nextents = 0-3:100\n"
		     "[task.w]\nfile = a\nops = fsync\n",
		     "[task.w] ops: \"fsync\": the write path needs");
	expect_error("[fs]\nblock_size = 1024\nnobh = maybe\n"
		     "[file.a]\nsize = 4K\n"
		     "[task.w]\nfile = a\nops = fsync\n",
		     "[fs] nobh: \"maybe\" is not on or off");
#undef FS
}

/* Add each page of a "pages=" value ("0-2,5") to counts. */
static void count_pages(const char *v, GHashTable *counts)
{
	char **items = g_strsplit(v, ",", -1);

	for (char **it = items; *it; it++) {
		char *dash = strchr(*it, '-');
		long a = strtol(*it, NULL, 10);
		long b = dash ? strtol(dash + 1, NULL, 10) : a;

		for (long p = a; p <= b; p++) {
			gpointer k = GINT_TO_POINTER((int)p + 1);

			g_hash_table_insert(counts, k, GINT_TO_POINTER(
				GPOINTER_TO_INT(g_hash_table_lookup(counts,
								    k)) + 1));
		}
	}
	g_strfreev(items);
}

/*
 * The ledger: every data write (op W or WS, origin mpage or buffer), page
 * by page.  Each page in [first, last] must appear exactly once and no
 * other page at all; the fsync at the end must leave no page dirty or
 * under writeback.
 */
static void check_ledger(const char *name, const char *boundary,
			 const int *dirty, unsigned ndirty)
{
	const char *sets[] = { boundary, NULL };
	struct harness_run *r = run_scenario(name, sets);
	GHashTable *counts = g_hash_table_new(NULL, NULL);

	for (guint i = 0; i < r->lines->len; i++) {
		const char *line = r->lines->pdata[i];
		char *op, *origin, *pages;

		if (!strstr(line, " queue "))
			continue;
		op = harness_field(line, "op");
		origin = harness_field(line, "origin");
		pages = harness_field(line, "pages");
		if (op && op[0] == 'W' && pages &&
		    (!g_strcmp0(origin, "mpage") ||
		     !g_strcmp0(origin, "buffer")))
			count_pages(pages, counts);
		g_free(op);
		g_free(origin);
		g_free(pages);
	}
	g_assert_cmpuint(g_hash_table_size(counts), ==, ndirty);
	for (unsigned i = 0; i < ndirty; i++)
		g_assert_cmpint(GPOINTER_TO_INT(g_hash_table_lookup(counts,
				GINT_TO_POINTER(dirty[i] + 1))), ==, 1);
	harness_assert_summary(r, "fsync", "value reason", "0 ok");
	g_hash_table_destroy(counts);
	harness_run_free(r);
}

static void test_ledger(void)
{
	static const int new_file[] = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
	};
	static const int rewrite[] = { 1, 2, 10, 11, 12, 13, 14, 15 };

	check_ledger("ext2-write-new-file.ini", "fs.boundary=on", new_file,
		     G_N_ELEMENTS(new_file));
	check_ledger("ext2-write-new-file.ini", "fs.boundary=off", new_file,
		     G_N_ELEMENTS(new_file));
	check_ledger("ext2-write-new-file.ini", "fs.nobh=on", new_file,
		     G_N_ELEMENTS(new_file));
	check_ledger("ext2-rewrite.ini", "fs.boundary=on", rewrite,
		     G_N_ELEMENTS(rewrite));
	check_ledger("ext2-rewrite.ini", "fs.boundary=off", rewrite,
		     G_N_ELEMENTS(rewrite));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/write/scenarios/new-file-boundary-on",
			test_new_file_boundary_on);
	g_test_add_func("/write/scenarios/new-file-boundary-off",
			test_new_file_boundary_off);
	g_test_add_func("/write/scenarios/new-file-placement",
			test_new_file_placement);
	g_test_add_func("/write/scenarios/new-file-nobh", test_new_file_nobh);
	g_test_add_func("/write/scenarios/rewrite-boundary-on",
			test_rewrite_boundary_on);
	g_test_add_func("/write/scenarios/rewrite-boundary-off",
			test_rewrite_boundary_off);
	g_test_add_func("/write/scenarios/boundary-splits-contiguous",
			test_boundary_splits_contiguous);
	g_test_add_func("/write/scenarios/partial-write-reads",
			test_partial_write_reads);
	g_test_add_func("/write/scenarios/errors", test_errors);
	g_test_add_func("/write/alloc/fragmented", test_alloc_fragmented);
	g_test_add_func("/write/alloc/other-group", test_alloc_other_group);
	g_test_add_func("/write/alloc/colour", test_alloc_colour);
	g_test_add_func("/write/scenarios/ledger", test_ledger);
	return g_test_run();
}
