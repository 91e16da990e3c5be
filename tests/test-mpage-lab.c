/*
 * test-mpage-lab.c - the mpage lab's ops (mpage_readpage,
 * mpage_readpages, mpage_writepage, mpage_writepages), the page and
 * buffer states a scenario can set for them, and the lines that show
 * what mpage decided (mpage_ret, clean_buffers, boundary_block).
 *
 * Each expected sequence is worked out by hand from the seed
 * (/work/shared/seeds/mpage.c) in the comment above its test.  Common
 * set-up unless a test says otherwise: 1 KiB blocks, 4 KiB pages (4
 * buffers a page), the simple disk, file a of 12 KiB with file blocks
 * 0-11 on disk blocks 100-111, so page p starts at disk block 100 + 4p,
 * i.e. sector 200 + 8p.  end_index = i_size >> PAGE_SHIFT = 3, so pages
 * 0-2 lie wholly inside the file.
 *
 * Pages a scenario makes dirty count as dirtied at time 0, so the
 * flusher's kupdate pass at 30 s (dirty_expire_centisecs 3000) visits the
 * file once: one more mpage_writepages call, by task "flusher", which
 * finds nothing left to write (FLUSHER below).
 */
#include <string.h>
#include "harness.h"

#define HEAD								\
	"[fs]\nblock_size = 1024\n"					\
	"[disk]\npreset = simple\n"					\
	"[file.a]\nsize = 12K\nextents = 0-11:100\n"

#define BIOS "op sector sectors origin pages"
#define DIRTY_MAPPED "mapped+uptodate+dirty"
#define ALL_MAPPED							\
	"buffers = " DIRTY_MAPPED ", " DIRTY_MAPPED ", " DIRTY_MAPPED	\
	", " DIRTY_MAPPED "\n"
#define FLUSHER "flusher mpage_writepages - 0"
#define DIRTY_PAGE(n) "[page.a." #n "]\nflags = uptodate, dirty\n" ALL_MAPPED

/* ---- mpage_readpage ---- */

/*
 * Page 0 is up to date and has buffers.  `readpage 0` takes the read(2)
 * path's view: an up-to-date page needs nothing, so mpage is never
 * called (no line at all).  `mpage_readpage 0` calls it anyway:
 * do_mpage_readpage finds buffers and goes to confused ("has-buffers");
 * no bio is open; the page is up to date, so the label only unlocks it.
 * mpage_readpage returns 0.
 */
static void test_readpage_uptodate_buffers(void)
{
	const char *page = "[page.a.0]\nflags = uptodate\nbuffers = "
		"mapped+uptodate, mapped+uptodate, mapped+uptodate, "
		"mapped+uptodate\n";
	char *ini = g_strconcat(HEAD, page,
				"[task.t]\nfile = a\nops = readpage 0\n", NULL);
	struct harness_run *r = harness_run1_ok(ini, NULL);

	g_assert_cmpuint(harness_count(r, "mpage_ret"), ==, 0);
	g_assert_cmpuint(harness_count(r, "queue"), ==, 0);
	harness_run_free(r);
	g_free(ini);

	ini = g_strconcat(HEAD, page,
			  "[task.t]\nfile = a\nops = mpage_readpage 0\n", NULL);
	r = harness_run1_ok(ini, NULL);
	harness_assert_summary(r, "fallback", "page reason", "0 has-buffers");
	harness_assert_summary(r, "mpage_ret", "reason page ret",
			       "mpage_readpage 0 0");
	g_assert_cmpuint(harness_count(r, "queue"), ==, 0);
	harness_run_free(r);
	g_free(ini);
}

/*
 * Page 0 is up to date without buffers.  do_mpage_readpage maps it as
 * any other page: last_block = min(0 + 1 * 4, 12) = 4, get_block(0) for
 * 4 blocks gives 100-103, not up to date, no hole: fully mapped.  No bio
 * is open and rw_page is off, so a new bio at sector 200 takes 4096
 * bytes; relative_block = 4 - 0 == nblocks but no BH_Boundary, so the bio
 * stays open and mpage_readpage submits it: the up-to-date page is read
 * again.  Page 1, not cached: added, locked and read the same way.
 */
static void test_readpage_uptodate_no_buffers(void)
{
	struct harness_run *r = harness_run1_ok(HEAD
		"[page.a.0]\nflags = uptodate\n"
		"[task.t]\nfile = a\nops = mpage_readpage 0; "
		"mpage_readpage 1\n", NULL);

	harness_assert_summary(r, "queue", BIOS,
			       "R 200 8 mpage 0; R 208 8 mpage 1");
	harness_assert_summary(r, "mpage_ret", "reason page ret",
			       "mpage_readpage 0 0; mpage_readpage 1 0");
	g_assert_cmpuint(harness_count(r, "fallback"), ==, 0);
	harness_run_free(r);
}

/*
 * mpage_readpages is readpages by another name: pages 0-2 in one
 * mpage_readpages call.  get_block(0) for 12 blocks maps 100-111 with
 * BH_Boundary (the run ends at the last direct slot); pages 1 and 2 reuse
 * it; at page 2 relative_block = 12 == nblocks with the boundary: the
 * bio is sent there.  One bio, then mpage_ret 0 without a page.
 */
static void test_readpages_alias(void)
{
	struct harness_run *r = harness_run1_ok(HEAD
		"[task.t]\nfile = a\nops = mpage_readpages 0-2\n", NULL);

	harness_assert_summary(r, "queue", BIOS, "R 200 24 mpage 0-2");
	harness_assert_summary(r, "mpage_ret", "reason page ret",
			       "mpage_readpages - 0");
	harness_run_free(r);
}

/* ---- mpage_writepage ---- */

/*
 * Dirty page 0, its buffers mapped, dirty, up to date on 100-103.  The op
 * locks it and clears its dirty bit, then __mpage_writepage
 * (use_writepage 0): blocks 100-103, no boundary, first_unmapped = 4;
 * page 0 < end_index 3.  No bio: rw_page is off, so a new bio at sector
 * 200; the page goes in whole (4096 bytes); clean_buffers(page, 4) cleans
 * all four; writeback set, page unlocked; no boundary and the page fully
 * mapped, so last_block_in_bio = 103 and the bio stays open.
 * mpage_writepage submits it (WB_SYNC_NONE: "W") and returns 0.
 */
static void test_writepage_ok(void)
{
	struct harness_run *r = harness_run1_ok(HEAD DIRTY_PAGE(0)
		"[task.t]\nfile = a\nops = mpage_writepage 0\n", NULL);

	harness_assert_summary(r, "clean_buffers", "page count", "0 4");
	harness_assert_summary(r, "queue", BIOS, "W 200 8 mpage 0");
	harness_assert_summary(r, "mpage_ret", "task reason page ret",
			       "t mpage_writepage 0 0; " FLUSHER);
	g_assert_cmpuint(harness_count(r, "fallback"), ==, 0);
	harness_run_free(r);
}

/*
 * Page 0's buffer 1 is dirty but unmapped: __mpage_writepage goes to
 * confused ("unmapped-dirty") with no bio open; use_writepage is 0, so
 * -EAGAIN (-11) and nothing is written, nothing cleaned.  The op puts the
 * page back dirty and unlocked.  The `writeback 16` after it proves it:
 * mpage_writepages meets page 0 dirty again, confused again, and now
 * ->writepage = block_write_full_page maps buffer 1 (file block 1 on
 * disk block 101) and writes the four dirty buffers one bio each,
 * sectors 200, 202, 204, 206; mpage_writepages returns 0.
 */
static void test_writepage_eagain(void)
{
	struct harness_run *r = harness_run1_ok(HEAD
		"[page.a.0]\nflags = uptodate, dirty\nbuffers = "
		DIRTY_MAPPED ", uptodate+dirty, " DIRTY_MAPPED ", "
		DIRTY_MAPPED "\n"
		"[task.t]\nfile = a\nops = mpage_writepage 0; writeback 16\n",
		NULL);

	harness_assert_summary(r, "fallback", "page reason",
			       "0 unmapped-dirty; 0 unmapped-dirty");
	harness_assert_summary(r, "mpage_ret", "task reason page ret",
			       "t mpage_writepage 0 -11; t mpage_writepages - 0; "
			       FLUSHER);
	harness_assert_summary(r, "queue", BIOS,
			       "W 200 2 buffer 0; W 202 2 buffer 0; "
			       "W 204 2 buffer 0; W 206 2 buffer 0");
	g_assert_cmpuint(harness_count(r, "clean_buffers"), ==, 0);
	harness_run_free(r);
}

/*
 * A page that is not dirty (page 1, up to date, clean) or not cached
 * (page 2): write_cache_pages would never hand it to ->writepage, and
 * the op leaves it alone: mpage_writepage is not called.
 */
static void test_writepage_clean(void)
{
	struct harness_run *r = harness_run1_ok(HEAD
		"[page.a.1]\nflags = uptodate\n"
		"[task.t]\nfile = a\nops = mpage_writepage 1; "
		"mpage_writepage 2\n", NULL);

	g_assert_cmpuint(harness_count(r, "mpage_ret"), ==, 0);
	g_assert_cmpuint(harness_count(r, "queue"), ==, 0);
	harness_run_free(r);
}

/* ---- mpage_writepages ---- */

/*
 * Pages 0-2 dirty.  `mpage_writepages 1-2`: range_start 4096, range_end
 * 12287, WB_SYNC_NONE: write_cache_pages visits pages 1 and 2 only; they
 * join one bio (blocks 104-111, last_block_in_bio 107 then 111) sent at
 * the end: W 208 16.  Then `mpage_writepages` (whole file) finds only
 * page 0 dirty: W 200 8.  No fsync: no flush, no metadata write.
 */
static void test_writepages_range(void)
{
	struct harness_run *r = harness_run1_ok(HEAD DIRTY_PAGE(0)
		DIRTY_PAGE(1) DIRTY_PAGE(2)
		"[task.t]\nfile = a\nops = mpage_writepages 1-2; "
		"mpage_writepages\n", NULL);

	harness_assert_summary(r, "queue", BIOS,
			       "W 208 16 mpage 1-2; W 200 8 mpage 0");
	harness_assert_summary(r, "mpage_ret", "task reason page ret",
			       "t mpage_writepages - 0; t mpage_writepages - 0; "
			       FLUSHER);
	harness_assert_summary(r, "clean_buffers", "page count",
			       "1 4; 2 4; 0 4");
	harness_run_free(r);
}

/*
 * `mpage_writepages all`: WB_SYNC_ALL, so op_flags = WRITE_SYNC and the
 * one bio of pages 0-2 is "WS".
 */
static void test_writepages_sync_all(void)
{
	struct harness_run *r = harness_run1_ok(HEAD DIRTY_PAGE(0)
		DIRTY_PAGE(1) DIRTY_PAGE(2)
		"[task.t]\nfile = a\nops = mpage_writepages all\n", NULL);

	harness_assert_summary(r, "queue", BIOS, "WS 200 24 mpage 0-2");
	harness_run_free(r);
}

/*
 * range_cyclic (v4.9.0).  Pass 1, `mpage_writepages cyclic` from
 * writeback_index 0: pages 0-2 in one bio; writeback_index becomes
 * done_index = 2 (the last page written).  The task then sleeps for the
 * writes to end and rewrites pages 0 and 2 (write(2) of whole pages over
 * mapped buffers: no read, no allocation).  Pass 2 starts at index 2:
 * page 2 (blocks 108-111) opens a bio; the end of the file is reached,
 * the pass wraps to 0: page 0's block 100 does not follow 111, so the
 * bio of page 2 is sent first and page 0 goes in a new one, sent at the
 * end: 216 then 200.  Without cyclic (a whole-file pass) the order would
 * be 200 then 216.
 */
static void test_writepages_cyclic(void)
{
	const char *ini = HEAD DIRTY_PAGE(0) DIRTY_PAGE(1) DIRTY_PAGE(2)
		"[task.t]\nfile = a\nops = mpage_writepages cyclic; "
		"sleep 1s; write 0 4K; write 8K 4K; %s\n";
	char *cyc = g_strdup_printf(ini, "mpage_writepages cyclic");
	char *whole = g_strdup_printf(ini, "mpage_writepages");
	struct harness_run *r = harness_run1_ok(cyc, NULL);

	harness_assert_summary(r, "queue", BIOS, "W 200 24 mpage 0-2; "
			       "W 216 8 mpage 2; W 200 8 mpage 0");
	harness_run_free(r);
	r = harness_run1_ok(whole, NULL);
	harness_assert_summary(r, "queue", BIOS, "W 200 24 mpage 0-2; "
			       "W 200 8 mpage 0; W 216 8 mpage 2");
	harness_run_free(r);
	g_free(cyc);
	g_free(whole);
}

/* ---- the lines that show mpage's decisions ---- */

/* Index of the first trace line of `action` containing `text`, or -1. */
static int line_of(const struct harness_run *r, const char *action,
		   const char *text)
{
	char *prefix = g_strdup_printf(" %s ", action);

	for (guint i = 0; i < r->lines->len; i++) {
		const char *l = r->lines->pdata[i];

		if (strstr(l, prefix) && strstr(l, text)) {
			g_free(prefix);
			return (int)i;
		}
	}
	g_free(prefix);
	return -1;
}

/*
 * Order at the confused: label.  File blocks 0-5 on 100-105, 6-11 on
 * 300-305; readpages 0-1.  Page 0: get_block(0) for 8 blocks maps 6
 * (100-105); bio A at sector 200 takes page 0 and stays open
 * (last_block_in_bio 103).  Page 1 reuses 104-105, then get_block(6)
 * maps 300: blocks[1] = 105 != 299, "discontiguous", confused.  The
 * kernel's label submits A first, then calls block_read_full_page: the
 * queue line of A comes before the fallback line, and the buffer bios
 * (sectors 208, 210, 600, 602) after it.
 */
static void test_fallback_after_submit(void)
{
	struct harness_run *r = harness_run1_ok(
		"[fs]\nblock_size = 1024\n[disk]\npreset = simple\n"
		"[file.a]\nsize = 12K\nextents = 0-5:100, 6-11:300\n"
		"[task.t]\nfile = a\nops = readpages 0-1\n", NULL);
	int a = line_of(r, "queue", "sector=200 ");
	int f = line_of(r, "fallback", "page=1");
	int b = line_of(r, "queue", "sector=208 ");

	harness_assert_summary(r, "queue", BIOS, "R 200 8 mpage 0; "
			       "R 208 2 buffer 1; R 210 2 buffer 1; "
			       "R 600 2 buffer 1; R 602 2 buffer 1");
	g_assert_cmpint(a, >=, 0);
	g_assert_cmpint(a, <, f);
	g_assert_cmpint(f, <, b);
	harness_run_free(r);
}

/*
 * write_boundary_block with nothing, and with a clean buffer, at B + 1.
 * File blocks 0-11 on 100-111; page 2's buffers are dirty and mapped on
 * 108-111, the last one with BH_Boundary.  mpage_writepage 2:
 * boundary = 1, boundary_block = 111; the page (2 < end_index 3) joins a
 * new bio, which is sent at once (boundary), then write_boundary_block(bdev, 111, 1024)
 * looks for block 112: not in the buffer cache ("uncached"), and with
 * [fs] cached_blocks = 112 present but clean ("clean"); no write either
 * way.
 */
static void test_boundary_block_clean(void)
{
	const char *ini =
		"[fs]\nblock_size = 1024\n%s[disk]\npreset = simple\n"
		"[file.a]\nsize = 12K\nextents = 0-11:100\n"
		"[page.a.2]\nflags = uptodate, dirty\nbuffers = "
		DIRTY_MAPPED ", " DIRTY_MAPPED ", " DIRTY_MAPPED ", "
		DIRTY_MAPPED "+boundary\n"
		"[task.t]\nfile = a\nops = mpage_writepage 2\n";
	char *plain = g_strdup_printf(ini, "");
	char *cached = g_strdup_printf(ini, "cached_blocks = 112\n");
	struct harness_run *r = harness_run1_ok(plain, NULL);

	harness_assert_summary(r, "queue", BIOS, "W 216 8 mpage 2");
	harness_assert_summary(r, "boundary_block", "block reason",
			       "111 uncached");
	g_assert_cmpint(line_of(r, "queue", "sector=216 "), <,
			line_of(r, "boundary_block", "block=111"));
	harness_run_free(r);
	r = harness_run1_ok(cached, NULL);
	harness_assert_summary(r, "queue", BIOS, "W 216 8 mpage 2");
	harness_assert_summary(r, "boundary_block", "block reason",
			       "111 clean");
	harness_run_free(r);
	g_free(plain);
	g_free(cached);
}

/*
 * write_boundary_block finding block B + 1 dirty: the set-up of
 * scenarios/ext2-write-new-file.ini (file blocks 0-11 written to
 * 1000-1011, the indirect block to 1012, blocks 12-63 to 1013-1064,
 * BH_Boundary on file block 11), written back by one
 * `mpage_writepages all` in place of fsync: pages 0-2 go at the boundary
 * (WS 2000 24), write_boundary_block(1011) finds 1012 dirty and
 * ll_rw_block writes it (W 2024 2 meta), pages 3-15 are sent at the end.
 * No sync_mapping_buffers and no flush: those are fsync's.
 */
static void test_boundary_block_dirty(void)
{
	struct harness_run *r = harness_run1_ok(
		"[fs]\ntype = ext2\nblock_size = 1024\nboundary = on\n"
		"free = 1000-99999\n[disk]\npreset = simple\n"
		"[file.a]\nsize = 0\n"
		"[task.t]\nfile = a\nops = write 0 64K; "
		"mpage_writepages all\n",
		"fs.metadata_writes=off");	/* mpage's bios only */

	harness_assert_summary(r, "queue", BIOS, "WS 2000 24 mpage 0-2; "
			       "W 2024 2 meta -; WS 2026 104 mpage 3-15");
	harness_assert_summary(r, "boundary_block", "block reason",
			       "1011 dirty");
	g_assert_cmpint(line_of(r, "boundary_block", "block=1011"), <,
			line_of(r, "queue", "sector=2024 "));
	harness_run_free(r);
}

/*
 * clean_buffers cleans only the buffers it writes.  i_size 5 KiB, page 1
 * (end_index 1, offset 1024) has buffer 0 mapped and dirty on 104 and
 * buffers 1-3 unmapped and clean (past i_size).  __mpage_writepage:
 * blocks[0] = 104, first_unmapped = 1; the tail is zeroed from byte
 * 1024; a new bio takes first_unmapped << 10 = 1024 bytes;
 * clean_buffers(page, 1) clears buffer 0's dirty bit only (count 1); the
 * bio is sent at once (first_unmapped != 4): W 208, 2 sectors.
 */
static void test_clean_buffers_partial(void)
{
	struct harness_run *r = harness_run1_ok(
		"[fs]\nblock_size = 1024\n[disk]\npreset = simple\n"
		"[file.a]\nsize = 5K\nextents = 0-4:100\n"
		"[page.a.1]\nflags = uptodate, dirty\nbuffers = "
		DIRTY_MAPPED ", uptodate, uptodate, uptodate\n"
		"[task.t]\nfile = a\nops = mpage_writepage 1\n", NULL);

	harness_assert_summary(r, "zero", "page offset len", "1 1024 3072");
	harness_assert_summary(r, "clean_buffers", "page count", "1 1");
	harness_assert_summary(r, "queue", BIOS, "W 208 2 mpage 1");
	harness_run_free(r);
}

/* ---- states ---- */

#define LOCKED_PAGES							\
	"[page.a.0]\nbuffers = mapped+uptodate+locked, mapped, mapped, "	\
	"mapped\n"							\
	"[page.a.1]\nflags = uptodate\nbuffers = mapped+uptodate+locked, "\
	"mapped+uptodate, mapped+uptodate, mapped+uptodate\n"

/*
 * Locked buffers.  Page 0 (not up to date) has buffers, buffer 0 locked
 * and up to date: do_mpage_readpage goes to confused ("has-buffers"),
 * block_read_full_page skips the up-to-date buffer 0 (it never locks
 * it) and reads buffers 1-3, mapped on 101-103: sectors 202, 204, 206.
 * Page 1 is up to date: confused, and the label only unlocks it.  The
 * `wait 0-1` ends: page 0 is unlocked when its three reads end.
 *
 * With buffer 0 of page 0 locked but not up to date, block_read_full_page
 * sleeps in lock_buffer() on a buffer nobody will unlock: the run ends
 * with the task asleep (status 1), as the kernel's task would hang.
 */
static void test_locked_buffers(void)
{
	struct harness_run *r = harness_run1_ok(HEAD LOCKED_PAGES
		"[task.t]\nfile = a\nops = mpage_readpage 0; mpage_readpage 1; "
		"wait 0-1\n", NULL);
	char *ini;

	harness_assert_summary(r, "fallback", "page reason",
			       "0 has-buffers; 1 has-buffers");
	harness_assert_summary(r, "queue", BIOS, "R 202 2 buffer 0; "
			       "R 204 2 buffer 0; R 206 2 buffer 0");
	harness_run_free(r);

	/*
	 * drop_caches keeps pages 0 and 1: try_to_free_buffers refuses a
	 * locked buffer (buffer_busy), so invalidate_inode_page leaves them
	 * (page 0, read meanwhile, is up to date: its buffer 0 was, and
	 * 1-3 were read).  mpage_readpage 1 and 0 find their buffers again
	 * and only unlock them.  Page 2, cached without buffers, goes: it is
	 * read afresh as one mpage bio (blocks 108-111, sector 216).
	 */
	r = harness_run1_ok(HEAD "cached = 2\n" LOCKED_PAGES
		"[task.t]\nfile = a\nops = mpage_readpage 0; wait 0; "
		"drop_caches; mpage_readpage 1; mpage_readpage 0; "
		"mpage_readpage 2\n", NULL);
	harness_assert_summary(r, "fallback", "page reason",
			       "0 has-buffers; 1 has-buffers; 0 has-buffers");
	harness_assert_summary(r, "queue", BIOS, "R 202 2 buffer 0; "
			       "R 204 2 buffer 0; R 206 2 buffer 0; "
			       "R 216 8 mpage 2");
	harness_run_free(r);

	ini = g_strconcat(HEAD "[page.a.0]\nbuffers = mapped+locked, mapped, "
			  "mapped, mapped\n[task.t]\nfile = a\nops = "
			  "mpage_readpage 0\n", NULL);
	r = harness_run1(ini, NULL);
	g_assert_cmpint(r->status, ==, 1);
	g_assert_nonnull(strstr(r->error, "never woke up"));
	harness_run_free(r);
	g_free(ini);
}

/*
 * __mpage_writepage BUG_ONs on a locked buffer, so writeback must never
 * meet one: a dirty page with a locked buffer, or a write(2) to a file
 * that has one, is refused.
 */
static void test_locked_buffers_refused(void)
{
	struct harness_run *r = harness_run1(HEAD
		"[page.a.0]\nflags = uptodate, dirty\nbuffers = "
		DIRTY_MAPPED "+locked, " DIRTY_MAPPED ", " DIRTY_MAPPED ", "
		DIRTY_MAPPED "\n[task.t]\nfile = a\nops = writeback 1\n", NULL);

	g_assert_cmpint(r->status, ==, 2);
	g_assert_nonnull(strstr(r->error, "[page.a.0] buffers"));
	g_assert_nonnull(strstr(r->error, "BUG_ON(buffer_locked(bh))"));
	harness_run_free(r);
	r = harness_run1(HEAD LOCKED_PAGES
			 "[task.t]\nfile = a\nops = write 0 1K\n", NULL);
	g_assert_cmpint(r->status, ==, 2);
	g_assert_nonnull(strstr(r->error, "[task.t] ops"));
	g_assert_nonnull(strstr(r->error, "locked buffer"));
	harness_run_free(r);
}

/*
 * Extents past i_size (extents_past_eof = yes): i_size 5 KiB, blocks 0-11
 * on 100-111.  Reads stop at i_size all the same: readpages 0-2,
 * last_block_in_file = 5.  Page 0: get_block(0) for min(12, 5) = 5
 * blocks maps 100-104; page 0 whole into bio A at sector 200.  Page 1
 * reuses 104 (the mapping ends there), then block 5 is not below
 * last_block 5: a hole, first_hole = 1, bytes 1024-4095 zeroed, the page
 * added with 1024 bytes and A sent: 10 sectors.  Page 2: every block at
 * or past last_block, first_hole = 0: zeroed whole, up to date, no bio.
 *
 * Writes: dirty page 2 without buffers, wholly past i_size.
 * __mpage_writepage maps it with get_block(create = 1): last_block =
 * (5120 - 1) >> 10 = 4 is never met from block 8, so all four blocks are
 * looked up, 108-111, already mapped: no allocation.  page->index 2 >
 * end_index 1: confused ("past-eof"); ->writepage = block_write_full_page
 * finds the page wholly outside i_size and drops it: no bio.
 *
 * Without the key the extents are refused.
 */
static void test_extents_past_eof(void)
{
	const char *file = "[fs]\nblock_size = 1024\n[disk]\npreset = simple\n"
		"[file.a]\nsize = 5K\nextents = 0-11:100\n";
	char *read = g_strconcat(file, "extents_past_eof = yes\n"
				 "[task.t]\nfile = a\nops = readpages 0-2\n",
				 NULL);
	char *write = g_strconcat(file, "extents_past_eof = yes\n"
				  "[page.a.2]\nflags = uptodate, dirty\n"
				  "[task.t]\nfile = a\nops = mpage_writepages\n",
				  NULL);
	char *refused = g_strconcat(file, "[task.t]\nfile = a\n"
				    "ops = readpages 0-2\n", NULL);
	struct harness_run *r = harness_run1_ok(read, NULL);

	harness_assert_summary(r, "queue", BIOS, "R 200 10 mpage 0-1");
	harness_assert_summary(r, "zero", "page offset len",
			       "1 1024 3072; 2 0 4096");
	harness_run_free(r);
	r = harness_run1_ok(write, NULL);
	harness_assert_summary(r, "fallback", "page reason", "2 past-eof");
	g_assert_cmpuint(harness_count(r, "alloc"), ==, 0);
	g_assert_cmpuint(harness_count(r, "queue"), ==, 0);
	harness_run_free(r);
	r = harness_run1(refused, NULL);
	g_assert_cmpint(r->status, ==, 2);
	g_assert_nonnull(strstr(r->error, "beyond the file's 5 blocks"));
	harness_run_free(r);
	g_free(read);
	g_free(write);
	g_free(refused);
}

/*
 * i_size past what ext2 maps (size_past_max = yes).  With 1 KiB blocks
 * ext2 maps 12 + 256 + 256^2 + 256^3 = 16843020 blocks.  Page 4210760
 * starts at file block 16843040, past that: ext2_block_to_path warns
 * "block is too big" and returns depth 0, so get_block fails with -EIO.
 * do_mpage_readpage: get_block(16843040) fails, confused
 * ("get-block-error"); block_read_full_page asks again for each of the
 * four buffers (four more warnings, 16843040-16843043), each fails:
 * PageError, the buffer zeroed, nothing read.  Without the key the size
 * is refused.
 */
static void test_size_past_max(void)
{
	const char *ini = "[fs]\nblock_size = 1024\n[disk]\npreset = simple\n"
		"[file.a]\nsize = 20G\n%s"
		"[task.t]\nfile = a\nops = mpage_readpage 4210760\n";
	char *on = g_strdup_printf(ini, "size_past_max = yes\n");
	char *off = g_strdup_printf(ini, "");
	struct harness_run *r = harness_run1_ok(on, NULL);

	harness_assert_summary(r, "ext2_warning", "block reason",
			       "16843040 block-too-big; 16843040 block-too-big; "
			       "16843041 block-too-big; 16843042 block-too-big; "
			       "16843043 block-too-big");
	harness_assert_summary(r, "fallback", "page reason",
			       "4210760 get-block-error");
	harness_assert_summary(r, "zero", "offset len",
			       "0 1024; 1024 1024; 2048 1024; 3072 1024");
	g_assert_cmpuint(harness_count(r, "queue"), ==, 0);
	harness_run_free(r);
	r = harness_run1(off, NULL);
	g_assert_cmpint(r->status, ==, 2);
	g_assert_nonnull(strstr(r->error, "more than the ext2 mapping"));
	harness_run_free(r);
	g_free(on);
	g_free(off);
}

/* ---- get_block errors on chosen blocks ---- */

/*
 * Reads: get_block fails (-ENOSPC, or -EIO) on file block 4, the first of
 * page 1.  mpage_readpage 1: get_block(4) fails, confused
 * ("get-block-error"); block_read_full_page: buffer 0 fails again
 * (PageError, zeroed), buffers 1-3 are mapped one get_block each on
 * 105-107 and read: sectors 210, 212, 214.
 */
static void test_read_errors(void)
{
	static const char *const keys[] = { "test_enospc", "test_eio" };

	for (unsigned i = 0; i < G_N_ELEMENTS(keys); i++) {
		char *ini = g_strdup_printf(HEAD "%s = 4\n[task.t]\nfile = a\n"
					    "ops = mpage_readpage 1\n", keys[i]);
		struct harness_run *r = harness_run1_ok(ini, NULL);

		harness_assert_summary(r, "fallback", "page reason",
				       "1 get-block-error");
		harness_assert_summary(r, "queue", BIOS, "R 210 2 buffer 1; "
				       "R 212 2 buffer 1; R 214 2 buffer 1");
		harness_assert_summary(r, "zero", "page offset len",
				       "1 0 1024");
		harness_run_free(r);
		g_free(ini);
	}
}

/*
 * Writes: file blocks 0-3 on 100-103, 4-11 holes, free space 500-600;
 * dirty page 1 without buffers; get_block fails on file block 5.
 * mpage_writepages: __mpage_writepage maps block 4 with create = 1:
 * allocated on 500 (the goal 103, the block before, is in use; the
 * linear search reaches 500), new, so unmap_underlying_metadata(500).
 * get_block(5) fails: confused ("get-block-error"), no bio open.
 * ->writepage = block_write_full_page: buffers are made dirty (the page
 * is), buffer 0 maps to 500 (no longer new), buffer 1 fails: the recover
 * path writes the mapped dirty buffer 0 (sector 1000), cleans the others,
 * sets PageError and the mapping's error, and returns the error, which
 * stops write_cache_pages: mpage_writepages returns -28 (-ENOSPC) or -5
 * (-EIO).  The fsync after it finds nothing dirty (its own
 * mpage_writepages returns 0) but reports the mapping's error.
 */
static void test_write_errors(void)
{
	static const char *const keys[] = { "test_enospc", "test_eio" };
	static const char *const rets[] = {
		"t mpage_writepages - -28; t mpage_writepages - 0; " FLUSHER,
		"t mpage_writepages - -5; t mpage_writepages - 0; " FLUSHER,
	};

	for (unsigned i = 0; i < G_N_ELEMENTS(keys); i++) {
		char *ini = g_strdup_printf("[fs]\nblock_size = 1024\n"
			"free = 500-600\n[disk]\npreset = simple\n"
			"[file.a]\nsize = 12K\nextents = 0-3:100\n%s = 5\n"
			"[page.a.1]\nflags = uptodate, dirty\n"
			"[task.t]\nfile = a\nops = mpage_writepages; fsync\n",
			keys[i]);
		struct harness_run *r = harness_run1_ok(ini, NULL);

		harness_assert_summary(r, "alloc", "block offset value",
				       "500 4 1");
		harness_assert_summary(r, "fallback", "page reason",
				       "1 get-block-error");
		harness_assert_summary(r, "queue", BIOS, "W 1000 2 buffer 1");
		harness_assert_summary(r, "mpage_ret", "task reason page ret",
				       rets[i]);
		harness_assert_summary(r, "fsync", "reason", "error");
		harness_run_free(r);
		g_free(ini);
	}
}

/* ---- what the loader refuses ---- */

static void assert_refused(const char *ops, const char *why)
{
	char *ini = g_strdup_printf(HEAD "[task.t]\nfile = a\nops = %s\n",
				    ops);
	struct harness_run *r = harness_run1(ini, NULL);

	g_assert_cmpint(r->status, ==, 2);
	if (!strstr(r->error, why))
		g_printerr("message: %s\n", r->error);
	g_assert_nonnull(strstr(r->error, why));
	g_assert_nonnull(strstr(r->error, "task.t"));
	harness_run_free(r);
	g_free(ini);
}

static void test_bad_ops(void)
{
	assert_refused("mpage_writepages 0-3 cyclic", "exclude each other");
	assert_refused("mpage_writepages all none", "sync mode is given twice");
	assert_refused("mpage_writepages cyclic cyclic", "cyclic is given");
	assert_refused("mpage_writepages 1-2 3-4", "is not a page range");
	assert_refused("mpage_writepages 0-3 all cyclic x", "expected");
	assert_refused("mpage_writepage", "expected mpage_writepage N");
	assert_refused("mpage_readpage x", "expected mpage_readpage N");
	assert_refused("mpage_readpages 3-1", "expected mpage_readpages");
	assert_refused("mpage_foo 1", "is not one of");
}

/* The lab's file keys, where they do not apply or are malformed. */
static void test_bad_keys(void)
{
	static const struct {
		const char *fs, *file, *why;
	} bad[] = {
		{ "type = extent\nblock_size = 4096\n", "test_enospc = 1\n",
		  "[file.a] test_enospc: not with [fs] type = extent" },
		{ "type = extent\nblock_size = 4096\n", "size_past_max = yes\n",
		  "[file.a] size_past_max: not with [fs] type = extent" },
		{ "block_size = 1024\n", "extents_past_eof = maybe\n",
		  "[file.a] extents_past_eof: \"maybe\" is not on or off" },
		{ "block_size = 1024\n", "test_enospc = x\n",
		  "[file.a] test_enospc" },
		{ "block_size = 1024\n",
		  "layout = ext2-sequential\nsize_past_max = yes\n",
		  "[file.a] size_past_max: not with layout = ext2-sequential" },
	};

	for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++) {
		char *ini = g_strdup_printf("[fs]\n%s[disk]\npreset = simple\n"
					    "[file.a]\nsize = 12K\n%s"
					    "[task.t]\nfile = a\n"
					    "ops = mpage_readpage 0\n",
					    bad[i].fs, bad[i].file);
		struct harness_run *r = harness_run1(ini, NULL);

		g_assert_cmpint(r->status, ==, 2);
		if (!strstr(r->error, bad[i].why))
			g_printerr("message: %s\n", r->error);
		g_assert_nonnull(strstr(r->error, bad[i].why));
		harness_run_free(r);
		g_free(ini);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/lab/mpage-readpage/uptodate-with-buffers",
			test_readpage_uptodate_buffers);
	g_test_add_func("/lab/mpage-readpage/uptodate-no-buffers",
			test_readpage_uptodate_no_buffers);
	g_test_add_func("/lab/mpage-readpages", test_readpages_alias);
	g_test_add_func("/lab/mpage-writepage/ok", test_writepage_ok);
	g_test_add_func("/lab/mpage-writepage/eagain", test_writepage_eagain);
	g_test_add_func("/lab/mpage-writepage/clean", test_writepage_clean);
	g_test_add_func("/lab/mpage-writepages/range", test_writepages_range);
	g_test_add_func("/lab/mpage-writepages/sync-all",
			test_writepages_sync_all);
	g_test_add_func("/lab/mpage-writepages/cyclic",
			test_writepages_cyclic);
	g_test_add_func("/lab/trace/fallback-after-submit",
			test_fallback_after_submit);
	g_test_add_func("/lab/trace/boundary-block-clean",
			test_boundary_block_clean);
	g_test_add_func("/lab/trace/boundary-block-dirty",
			test_boundary_block_dirty);
	g_test_add_func("/lab/trace/clean-buffers-partial",
			test_clean_buffers_partial);
	g_test_add_func("/lab/state/locked-buffers", test_locked_buffers);
	g_test_add_func("/lab/state/locked-buffers-refused",
			test_locked_buffers_refused);
	g_test_add_func("/lab/state/extents-past-eof", test_extents_past_eof);
	g_test_add_func("/lab/state/size-past-max", test_size_past_max);
	g_test_add_func("/lab/errors/read", test_read_errors);
	g_test_add_func("/lab/errors/write", test_write_errors);
	g_test_add_func("/lab/bad-ops", test_bad_ops);
	g_test_add_func("/lab/bad-keys", test_bad_keys);
	return g_test_run();
}
