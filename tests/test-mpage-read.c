/*
 * test-mpage-read.c - every branch of do_mpage_readpage(), mpage_readpages()
 * and mpage_readpage(), and the seed's quirks, one scenario each.
 *
 * Each test states the scenario, walks the 4.9 code (the seed
 * /work/shared/seeds/mpage.c, ext2_get_blocks() and block_read_full_page())
 * by hand in a comment, and compares the bios queued (sector, sectors,
 * origin, pages) with that walk.  Sectors are 512 bytes: with 1 KiB blocks
 * disk block D is sector 2D, with 4 KiB blocks it is sector 8D.  Pages are
 * 4 KiB.  ext2 facts used throughout: a get_block() run never passes the
 * end of its pointer container (the 12 direct slots, or a pointer block),
 * and carries BH_Boundary when it reaches that container's last slot.
 *
 * Whether a page ended up to date is seen from outside: `readpage N` on an
 * up-to-date cached page does nothing, on any other page it reads again.
 */
#include "harness.h"

#define DISK "[disk]\npreset = simple\n"
#define FS1K "[fs]\nblock_size = 1024\n"
#define FS4K "[fs]\nblock_size = 4096\n"
#define BIOS "sector sectors origin pages"

/* Run, and fail with the message if the scenario did not run. */
static struct harness_run *run_ok(const char *ini, const char *const *sets)
{
	struct harness_run *r = harness_run_text(ini, sets);

	if (r->status)
		g_printerr("run failed: %s\n", r->error);
	g_assert_cmpint(r->status, ==, 0);
	return r;
}

static struct harness_run *run1(const char *ini, const char *set)
{
	const char *sets[] = { set, NULL };

	return run_ok(ini, set ? sets : NULL);
}

/* ---- the plain way: contiguous runs, reuse of the mapping ---- */

/*
 * File blocks 0-11 on disk blocks 100-111 (1 KiB), readpages 0-2, and a
 * get_block() error planted on file block 5.
 *
 * Page 0: nr_pages 3, last_block = min(0 + 3*4, 12) = 12, so get_block(0)
 * asks for 12 blocks and ext2 maps all 12 (the run ends at the last direct
 * slot, so BH_Boundary is set).  blocks 100-103, bio A at sector 200.
 * Page 1: block_in_file 4 lies in (0, 12): the previous mapping is reused,
 * blocks 104-107, no get_block() call - so the error on block 5 is never
 * met.  Page 2: reused again, 108-111; relative_block reaches last (4) and
 * clears BH_Mapped.  relative_block = 12 == nblocks with BH_Boundary:
 * A is submitted right there.  One bio, no fallback.
 */
static void test_reuse_mapping(void)
{
	struct harness_run *r = run1(DISK FS1K
		"[file.a]\nsize = 12K\nextents = 0-11:100\ntest_eio = 5\n"
		"[task.t]\nfile = a\nops = readpages 0-2\n", NULL);

	harness_assert_summary(r, "queue", BIOS, "200 24 mpage 0-2");
	g_assert_cmpuint(harness_count(r, "fallback"), ==, 0);
	harness_run_free(r);
}

/*
 * File blocks 0-1 on disk 100-101, 2-3 on disk 200-201 (4 KiB blocks),
 * readpages 0-3.  Page 0: get_block(0, 4 blocks) maps 2 (slot 2 holds
 * 200, not 102); bio A at sector 800.  Page 1 reuses 101, clearing
 * BH_Mapped.  Page 2: get_block(2) maps 200-201; last_block_in_bio (101)
 * != 200 - 1, so A is sent first; B starts at sector 1600.  Page 3 reuses
 * 201.  B is submitted at the end of mpage_readpages.
 */
static void test_noncontiguous_pages(void)
{
	struct harness_run *r = run1(DISK FS4K
		"[file.a]\nsize = 16K\nextents = 0-1:100, 2-3:200\n"
		"[task.t]\nfile = a\nops = readpages 0-3\n", NULL);

	harness_assert_summary(r, "queue", BIOS,
			       "800 16 mpage 0-1; 1600 16 mpage 2-3");
	harness_run_free(r);
}

/* ---- every goto confused ---- */

/*
 * Page 0 is cached, not up to date, with buffers: buffer 0 mapped and up
 * to date on block 100, buffer 1 mapped (the file's own block, 101),
 * buffers 2-3 unmapped.  File blocks 0-2 on disk 100-102, block 3 a hole.
 * `readpage 0` -> mpage_readpage -> do_mpage_readpage: page_has_buffers,
 * confused (no bio to submit) -> block_read_full_page:
 *   bh0 up to date: skipped; bh1 mapped: read; bh2: get_block(2) -> 102,
 *   read; bh3: get_block(3) is a hole: zeroed (offset 3072, 1024 bytes)
 *   and set up to date.
 * Two one-block bios (origin buffer): sectors 202 (bh1) and 204 (bh2).
 * When both end, every buffer is up to date and so is the page: the second
 * `readpage 0` does nothing.
 */
static void test_confused_has_buffers(void)
{
	struct harness_run *r = run1(DISK FS1K
		"[file.a]\nsize = 4K\nextents = 0-2:100\n"
		"[page.a.0]\nbuffers = mapped+uptodate@100, mapped, -, -\n"
		"[task.t]\nfile = a\nops = readpage 0; wait 0; readpage 0\n",
		NULL);

	harness_assert_summary(r, "fallback", "page reason", "0 has-buffers");
	harness_assert_summary(r, "queue", BIOS,
			       "202 2 buffer 0; 204 2 buffer 0");
	harness_assert_summary(r, "zero", "page offset len", "0 3072 1024");
	harness_run_free(r);
}

/*
 * File blocks 0-3 on disk 100-103, 4-7 on disk 200-203, get_block() fails
 * with -EIO on file block 4.  readpages 0-1.
 * Page 0: get_block(0, 8) maps 4 (slot 4 holds 200); bio A at 200, page 0.
 * Page 1: get_block(4) fails -> confused: A is submitted, then
 * block_read_full_page(page 1): bh0 get_block(4) fails again: SetPageError,
 * zeroed, left not up to date; bh1-bh3 map to 201-203: three buffer bios
 * at sectors 402, 404, 406.  The page stays not up to date (PageError), so
 * the later `readpage 1` goes to mpage_readpage again, which now finds
 * buffers (has-buffers): bh0 fails and is zeroed again, bh1-bh3 are up to
 * date: no bio at all.
 */
static void test_confused_get_block_error(void)
{
	struct harness_run *r = run1(DISK FS1K
		"[file.a]\nsize = 8K\nextents = 0-3:100, 4-7:200\n"
		"test_eio = 4\n"
		"[task.t]\nfile = a\nops = readpages 0-1; wait 0-1; readpage 1\n",
		NULL);

	harness_assert_summary(r, "fallback", "page reason",
			       "1 get-block-error; 1 has-buffers");
	harness_assert_summary(r, "queue", BIOS,
			       "200 8 mpage 0; "
			       "402 2 buffer 1; 404 2 buffer 1; 406 2 buffer 1");
	harness_assert_summary(r, "zero", "page offset len",
			       "1 0 1024; 1 0 1024");
	harness_run_free(r);
}

/*
 * blocks_per_page == 1 (4 KiB blocks): file block 0 on disk 100, 1-2 on
 * disk 200-201; get_block() returns an up-to-date buffer for file block 1.
 * readpages 0-2.
 * Page 0: get_block(0, 3) maps 1 block; bio A at 800.
 * Page 1: get_block(1, 2) maps 200-201, up to date -> map_buffer_to_page:
 * no buffers and i_blkbits == PAGE_SHIFT, so SetPageUptodate and no
 * buffers; confused: A submitted; the page is up to date: unlock only.
 * Page 2: map_bh still holds the run (1, 2 blocks, BH_Mapped kept on this
 * path), block 2 reuses it: 201; bio NULL -> B at 1608.
 * No buffer bio at all, and page 1 is up to date (readpage 1: nothing).
 */
static void test_confused_uptodate_page_block(void)
{
	struct harness_run *r = run1(DISK FS4K
		"[file.a]\nsize = 12K\nextents = 0:100, 1-2:200\n"
		"test_uptodate = 1\n"
		"[task.t]\nfile = a\nops = readpages 0-2; wait 0-2; readpage 1\n",
		NULL);

	harness_assert_summary(r, "fallback", "page reason",
			       "1 uptodate-buffer");
	harness_assert_summary(r, "queue", BIOS,
			       "800 8 mpage 0; 1608 8 mpage 2");
	harness_run_free(r);
}

/*
 * 1 KiB blocks: file blocks 0-3 on disk 100-103, 4-7 on disk 200-203;
 * get_block() returns an up-to-date buffer for file block 4.  readpages
 * 0-1.  Page 0 as above (bio A at 200).  Page 1: get_block(4) maps
 * 200-203 up to date -> map_buffer_to_page(page, map_bh, 0): block size <
 * page size, so create_empty_buffers and buffer 0 takes the mapping (up to
 * date); confused: A submitted; block_read_full_page: bh0 up to date,
 * skipped; bh1-bh3: get_block one block each, 201-203: bios 402, 404, 406.
 * When they end all four buffers are up to date: the page is too.
 */
static void test_confused_uptodate_small_blocks(void)
{
	struct harness_run *r = run1(DISK FS1K
		"[file.a]\nsize = 8K\nextents = 0-3:100, 4-7:200\n"
		"test_uptodate = 4\n"
		"[task.t]\nfile = a\nops = readpages 0-1; wait 0-1; readpage 1\n",
		NULL);

	harness_assert_summary(r, "fallback", "page reason",
			       "1 uptodate-buffer");
	harness_assert_summary(r, "queue", BIOS,
			       "200 8 mpage 0; "
			       "402 2 buffer 1; 404 2 buffer 1; 406 2 buffer 1");
	harness_run_free(r);
}

/*
 * File blocks 0-3 on disk 100-103, block 4 a hole, 5-7 on disk 205-207.
 * readpages 0-1.  Page 0: bio A at 200.  Page 1: get_block(4) is a hole
 * (first_hole = 0), get_block(5) maps 205-207: hole -> non-hole, confused:
 * A submitted; block_read_full_page: bh0 a hole, zeroed (0, 1024) and up
 * to date; bh1-bh3 on 205-207: bios at 410, 412, 414.
 */
static void test_confused_hole_then_data(void)
{
	struct harness_run *r = run1(DISK FS1K
		"[file.a]\nsize = 8K\nextents = 0-3:100, 5-7:205\n"
		"[task.t]\nfile = a\nops = readpages 0-1\n", NULL);

	harness_assert_summary(r, "fallback", "page reason",
			       "1 hole-then-data");
	harness_assert_summary(r, "queue", BIOS,
			       "200 8 mpage 0; "
			       "410 2 buffer 1; 412 2 buffer 1; 414 2 buffer 1");
	harness_assert_summary(r, "zero", "page offset len", "1 0 1024");
	harness_run_free(r);
}

/*
 * File blocks 0-1 on disk 100-101, 2-3 on disk 300-301; readpages 0-0.
 * get_block(0, 4) maps 2 blocks; get_block(2, 2) maps 300-301, and
 * blocks[1] (101) != 300 - 1: discontiguous, confused with no bio open:
 * block_read_full_page reads the four blocks one bio each: 200, 202, 600,
 * 602.
 */
static void test_confused_discontiguous(void)
{
	struct harness_run *r = run1(DISK FS1K
		"[file.a]\nsize = 4K\nextents = 0-1:100, 2-3:300\n"
		"[task.t]\nfile = a\nops = readpages 0-0\n", NULL);

	harness_assert_summary(r, "fallback", "page reason",
			       "0 discontiguous");
	harness_assert_summary(r, "queue", BIOS,
			       "200 2 buffer 0; 202 2 buffer 0; "
			       "600 2 buffer 0; 602 2 buffer 0");
	harness_run_free(r);
}

/*
 * The first bio_alloc() of the run fails (block.fail_bio_alloc = 1; the
 * GFP_NOIO allocations of submit_bh are mempool-backed and never fail, nor
 * count).  File blocks 0-7 on disk 100-107, readpages 0-1.
 * Page 0: get_block(0, 8) maps 8; bdev_read_page is not supported;
 * mpage_alloc fails (PF_MEMALLOC is not set, no retry) -> confused:
 * block_read_full_page: 200, 202, 204, 206 (buffer).
 * Page 1: the 8-block mapping is still there (only 4 used): 104-107;
 * mpage_alloc (the second call) succeeds: bio at 208, submitted at the end.
 */
static void test_confused_bio_alloc_failure(void)
{
	struct harness_run *r = run1(DISK FS1K
		"[block]\nfail_bio_alloc = 1\n"
		"[file.a]\nsize = 8K\nextents = 0-7:100\n"
		"[task.t]\nfile = a\nops = readpages 0-1\n", NULL);

	harness_assert_summary(r, "fallback", "page reason",
			       "0 bio-alloc-failure");
	harness_assert_summary(r, "queue", BIOS,
			       "200 2 buffer 0; 202 2 buffer 0; "
			       "204 2 buffer 0; 206 2 buffer 0; 208 8 mpage 1");
	harness_run_free(r);
}

/* ---- holes and the end of file ---- */

/*
 * File blocks 0-5 on disk 100-105, 6-7 holes, 8-11 on disk 106-109.
 * readpages 0-2.  Page 0: get_block(0, 12) maps 6; bio A at 200.
 * Page 1: reuses 104-105 (BH_Mapped cleared); get_block(6) and (7) are
 * holes: first_hole = 2, bytes 2048-4095 zeroed; 103 + 1 == 104, so the
 * page joins A with 2048 bytes, and first_hole != blocks_per_page submits
 * A at once (200, 12 sectors).  Page 2: get_block(8, 4) maps 106-109 (and
 * BH_Boundary, block 11 is the last direct slot): new bio at 212,
 * submitted by the boundary.  Page 1 is up to date when A ends.
 */
static void test_hole_at_end_of_page(void)
{
	struct harness_run *r = run1(DISK FS1K
		"[file.a]\nsize = 12K\nextents = 0-5:100, 8-11:106\n"
		"[task.t]\nfile = a\nops = readpages 0-2; wait 0-2; readpage 1\n",
		NULL);

	harness_assert_summary(r, "queue", BIOS,
			       "200 12 mpage 0-1; 212 8 mpage 2");
	harness_assert_summary(r, "zero", "page offset len", "1 2048 2048");
	g_assert_cmpuint(harness_count(r, "fallback"), ==, 0);
	harness_run_free(r);
}

/*
 * An 8 KiB file with no block at all, readpages 0-1 then readpage 1.
 * Each page: four holes, first_hole == 0: zeroed whole, SetPageUptodate,
 * no bio.  readpage 1 finds it up to date: no second zero.
 */
static void test_whole_page_hole(void)
{
	struct harness_run *r = run1(DISK FS1K
		"[file.a]\nsize = 8K\n"
		"[task.t]\nfile = a\nops = readpages 0-1; readpage 1\n", NULL);

	g_assert_cmpuint(harness_count(r, "queue"), ==, 0);
	harness_assert_summary(r, "zero", "page offset len",
			       "0 0 4096; 1 0 4096");
	harness_run_free(r);
}

/*
 * i_size 5220 bytes: last_block_in_file = (5220 + 1023) >> 10 = 6.  File
 * blocks 0-5 on disk 100-105; get_block() would fail on 6 and 7 if it were
 * asked.  readpages 0-1: page 0: last_block = min(8, 6) = 6, get_block(0,
 * 6) maps 6; bio A.  Page 1 reuses 104-105; blocks 6 and 7 are past
 * last_block: no get_block(), unmapped: first_hole = 2, zeroed 2048-4095,
 * added with 2048 bytes and submitted: 200, 12 sectors.  No fallback.
 */
static void test_end_of_file(void)
{
	struct harness_run *r = run1(DISK FS1K
		"[file.a]\nsize = 5220\nextents = 0-5:100\ntest_eio = 6, 7\n"
		"[task.t]\nfile = a\nops = readpages 0-1\n", NULL);

	harness_assert_summary(r, "queue", BIOS, "200 12 mpage 0-1");
	harness_assert_summary(r, "zero", "page offset len", "1 2048 2048");
	g_assert_cmpuint(harness_count(r, "fallback"), ==, 0);
	harness_run_free(r);
}

/* ---- the boundary ---- */

/*
 * 4 KiB blocks: file blocks 0-11 on disk 100-111, the indirect block on
 * 112, blocks 12-13 on 113-114.  readpages 10-13.
 * Boundary on: get_block(10, 4): blocks_to_boundary = 11 - 10 = 1, so the
 * run is 110-111 (2 blocks) with BH_Boundary.  Page 11 reuses it; then
 * relative_block = 12 - 10 = 2 == nblocks: A (880, pages 10-11) is sent
 * before page 12's get_block reads the indirect block (sector 896), and
 * page 12-13 make B at 904.
 * Boundary off: A is still open when the indirect block is read; 113 does
 * not follow 111, so A goes right after the metadata read.
 */
static const char *const boundary4k_ini = DISK FS4K
	"[file.a]\nsize = 56K\nextents = 0-11:100, 12-13:113\nindirect = ind:112\n"
	"[task.t]\nfile = a\nops = readpages 10-13\n";

static void test_boundary_submit(void)
{
	struct harness_run *r = run1(boundary4k_ini, NULL);

	harness_assert_summary(r, "queue", BIOS,
			       "880 16 mpage 10-11; 896 8 meta -; "
			       "904 16 mpage 12-13");
	harness_run_free(r);
	r = run1(boundary4k_ini, "fs.boundary=off");
	harness_assert_summary(r, "queue", BIOS,
			       "896 8 meta -; 880 16 mpage 10-11; "
			       "904 16 mpage 12-13");
	harness_run_free(r);
}

/* ---- mpage_readpage ---- */

/*
 * `readpage 1` alone, file blocks 0-11 on disk 100-111: mpage_readpage
 * passes nr_pages = 1, so get_block(4) asks for 4 blocks (4-7; block 7 is
 * not the last direct slot: no boundary), one bio at 208 submitted when
 * do_mpage_readpage returns.  No plug: no unplug event.
 */
static void test_readpage_alone(void)
{
	struct harness_run *r = run1(DISK FS1K
		"[file.a]\nsize = 12K\nextents = 0-11:100\n"
		"[task.t]\nfile = a\nops = readpage 1\n", NULL);

	harness_assert_summary(r, "queue", BIOS, "208 8 mpage 1");
	g_assert_cmpuint(harness_count(r, "unplug"), ==, 0);
	harness_run_free(r);
}

/* ---- mpage_readpages' list ---- */

/*
 * 4 KiB blocks, file blocks 0-2 on disk 100-102, page 1 cached (up to
 * date), get_block() fails on file block 2 if asked.  readpages 0-2: the
 * list holds pages 0, 1, 2.  Page 0: nr_pages - page_idx = 3, so
 * get_block(0) asks for 3 blocks - the cached page's too - and maps
 * 100-102.  Page 1: add_to_page_cache_lru fails, skipped.  Page 2:
 * nr_pages - page_idx = 1, and block 2 lies in the mapping: reused, no
 * get_block() (no error).  last_block_in_bio 100 != 102 - 1: A (page 0)
 * sent, B at 816.
 */
static void test_cached_page_in_batch(void)
{
	struct harness_run *r = run1(DISK FS4K
		"[file.a]\nsize = 12K\nextents = 0-2:100\ncached = 1\n"
		"test_eio = 2\n"
		"[task.t]\nfile = a\nops = readpages 0-2\n", NULL);

	harness_assert_summary(r, "queue", BIOS,
			       "800 8 mpage 0; 816 8 mpage 2");
	g_assert_cmpuint(harness_count(r, "fallback"), ==, 0);
	harness_run_free(r);
}

/*
 * 300 pages of 4 KiB blocks: file blocks 0-11 on disk 1000-1011, the
 * indirect block on 1012, blocks 12-299 on 1013-1300.  readpages 0-299.
 * Pages 0-11: one mapping of 12 blocks with BH_Boundary; bio A (bi_max_vecs
 * min(300, 256)) sent after page 11: sector 8000, 96 sectors.
 * Page 12: get_block(12, 288) reads the indirect block (8096) and maps all
 * 288 (a pointer block holds 1024).  Bio B: bi_max_vecs = min(288, 256) =
 * 256, pages 12-267.  Page 268 is contiguous but bio_add_page refuses the
 * 257th vector: B sent (8104, 2048 sectors), C allocated with min(300 -
 * 268, 256) = 32 vectors at sector 1269 * 8 = 10152, pages 268-299, sent
 * at the end (256 sectors).
 */
static void test_bio_full(void)
{
	struct harness_run *r = run1(DISK FS4K
		"[file.a]\nsize = 1200K\nextents = 0-11:1000, 12-299:1013\n"
		"indirect = ind:1012\n"
		"[task.t]\nfile = a\nops = readpages 0-299\n", NULL);

	harness_assert_summary(r, "queue", BIOS,
			       "8000 96 mpage 0-11; 8096 8 meta -; "
			       "8104 2048 mpage 12-267; "
			       "10152 256 mpage 268-299");
	harness_run_free(r);
}

/* ---- bdev_read_page ---- */

/*
 * A device with rw_page.  File blocks 0-9 on disk 100-109, 10-11 holes;
 * readpages 0-2.  Page 0: fully mapped (200-207), no bio open:
 * bdev_read_page(sector 200) succeeds: no bio, out.  Page 1 reuses the
 * 10-block mapping (104-107): bio still NULL, bdev_read_page again (sector
 * 208).  Page 2: 108-109 then two
 * holes: first_hole = 2, so bdev_read_page is not tried; a bio at 216 of
 * 2048 bytes (4 sectors), submitted at once.
 */
static void test_rw_page(void)
{
	struct harness_run *r = run1(DISK "rw_page = on\n" FS1K
		"[file.a]\nsize = 12K\nextents = 0-9:100\n"
		"[task.t]\nfile = a\nops = readpages 0-2\n", NULL);

	harness_assert_summary(r, "rw_page", "page sector sectors",
			       "0 200 8; 1 208 8");
	harness_assert_summary(r, "queue", BIOS, "216 4 mpage 2");
	harness_run_free(r);
}

/* ---- cleancache ---- */

/*
 * 4 KiB blocks, file blocks 0-3 on disk 100-103, page 1 in cleancache.
 * readpages 0-3.  Page 0: bio A at 800.  Page 1: fully mapped,
 * blocks_per_page == 1, cleancache_get_page hits: SetPageUptodate, goto
 * confused, which submits A; the page is up to date: unlocked, no read, no
 * fallback.  Page 2: bio NULL, B at 816; page 3 joins B.
 * With 1 KiB blocks the cleancache is never asked: one bio for all.
 */
static void test_cleancache(void)
{
	struct harness_run *r = run1(DISK FS4K
		"[file.a]\nsize = 16K\nextents = 0-3:100\ncleancache = 1\n"
		"[task.t]\nfile = a\nops = readpages 0-3; wait 0-3; readpage 1\n",
		NULL);

	harness_assert_summary(r, "queue", BIOS,
			       "800 8 mpage 0; 816 16 mpage 2-3");
	g_assert_cmpuint(harness_count(r, "fallback"), ==, 0);
	harness_run_free(r);

	r = run1(DISK FS1K
		 "[file.a]\nsize = 8K\nextents = 0-7:100\ncleancache = 1\n"
		 "[task.t]\nfile = a\nops = readpages 0-1\n", NULL);
	harness_assert_summary(r, "queue", BIOS, "200 16 mpage 0-1");
	harness_run_free(r);
}

/* ---- the seed's quirks ---- */

/*
 * (a) 512-byte blocks, 8 to a page.  File blocks 0-11 on disk 100-111,
 * 12-15 on 112-115, the indirect block elsewhere (300).  readpages 0-1.
 * Page 0: get_block(0, 16) maps 12 with BH_Boundary; page 0 uses 100-107;
 * relative_block 8 != 12, so no submit.  Page 1 reuses 108-111, then needs
 * block 12 in the same call: the loop resets map_bh->b_state (the boundary
 * is gone before anything looked at it, since it is only tested once a
 * page is complete) and get_block(12) reads the indirect block (sector
 * 300) while A is still open; 112 follows 111, so page 1 joins A.
 * Boundary on or off: the same order, metadata first - unlike 1 KiB
 * blocks, where the boundary falls at a page's end (test-smoke).
 */
static const char *const quirk512_ini = DISK "[fs]\nblock_size = 512\n"
	"[file.a]\nsize = 8K\nextents = 0-11:100, 12-15:112\n"
	"indirect = ind:300\n"
	"[task.t]\nfile = a\nops = readpages 0-1\n";

static void test_quirk_boundary_lost_mid_page(void)
{
	struct harness_run *r = run1(quirk512_ini, "fs.boundary=on");

	harness_assert_summary(r, "queue", BIOS,
			       "300 1 meta -; 100 16 mpage 0-1");
	harness_run_free(r);
	r = run1(quirk512_ini, "fs.boundary=off");
	harness_assert_summary(r, "queue", BIOS,
			       "300 1 meta -; 100 16 mpage 0-1");
	harness_run_free(r);
}

/*
 * (b) 4 KiB blocks: file block 0 on disk 100, 1 a hole, 2 on disk 101.
 * readpages 0-2.  Page 0: bio A at 800, last_block_in_bio 100.  Page 1:
 * first_hole == 0: zeroed, up to date, `goto out` - A is neither submitted
 * nor is last_block_in_bio changed.  Page 2: 101 == 100 + 1: joins A.  One
 * bio for pages 0 and 2.
 */
static void test_quirk_hole_page_keeps_bio(void)
{
	struct harness_run *r = run1(DISK FS4K
		"[file.a]\nsize = 12K\nextents = 0:100, 2:101\n"
		"[task.t]\nfile = a\nops = readpages 0-2\n", NULL);

	harness_assert_summary(r, "queue", BIOS, "800 16 mpage 0,2");
	harness_assert_summary(r, "zero", "page offset len", "1 0 4096");
	harness_run_free(r);
}

/*
 * (c) 4 KiB blocks, file blocks 0-11 on disk 100-111 and 12-13 right after
 * on 112-113, the indirect block far away (500).  readpages 10-13.
 * Boundary on: the mapping of 10-11 carries BH_Boundary, A (pages 10-11)
 * is sent before the indirect block is read, and pages 12-13 make a second
 * bio although they follow on disk.  Boundary off: the indirect block is
 * read with A open, and pages 12-13 join A: one bio of 32 sectors.
 */
static const char *const quirkc_ini = DISK FS4K
	"[file.a]\nsize = 56K\nextents = 0-11:100, 12-13:112\n"
	"indirect = ind:500\n"
	"[task.t]\nfile = a\nops = readpages 10-13\n";

static void test_quirk_boundary_splits_contiguous(void)
{
	struct harness_run *r = run1(quirkc_ini, NULL);

	harness_assert_summary(r, "queue", BIOS,
			       "880 16 mpage 10-11; 4000 8 meta -; "
			       "896 16 mpage 12-13");
	harness_run_free(r);
	r = run1(quirkc_ini, "fs.boundary=off");
	harness_assert_summary(r, "queue", BIOS,
			       "4000 8 meta -; 880 32 mpage 10-13");
	harness_run_free(r);
}

/* ---- the seed comment's example, with the plug ---- */

/*
 * scenarios/ext2-boundary.ini's layout (test-smoke has the queue order
 * without a plug).  With the plug on, the queue order is the same (bios
 * are queued as submitted), but requests reach the queue when the plug is
 * flushed: at the sleep in sb_bread's wait_on_buffer, and at
 * blk_finish_plug.
 * Boundary on: A (0+24) is in the plug when the metadata bio (24+2)
 * arrives, which joins its back (blk_attempt_plug_merge: 24 == 24); the
 * sleep inserts the one request 0+26 (count 1); B (26+8) at the finish.
 * Boundary off: only the metadata bio is in the plug at the sleep (count
 * 1); A and B are inserted at the finish (count 2).
 */
static const char *const example_ini = DISK FS1K
	"[file.a]\nsize = 16K\nextents = 0-11:0, 12-15:13\nindirect = ind:12\n"
	"[task.reader]\nfile = a\nops = readpages 0-3\n";

static void test_example_plugged(void)
{
	struct harness_run *r = run1(example_ini, "fs.boundary=on");

	harness_assert_summary(r, "queue", "sector sectors origin",
			       "0 24 mpage; 24 2 meta; 26 8 mpage");
	harness_assert_summary(r, "insert", "sector sectors",
			       "0 26; 26 8");
	harness_assert_summary(r, "unplug", "count reason",
			       "1 sleep; 1 finish");
	harness_run_free(r);
	r = run1(example_ini, "fs.boundary=off");
	harness_assert_summary(r, "queue", "sector sectors origin",
			       "24 2 meta; 0 24 mpage; 26 8 mpage");
	harness_assert_summary(r, "insert", "sector sectors",
			       "24 2; 0 24; 26 8");
	harness_assert_summary(r, "unplug", "count reason",
			       "1 sleep; 2 finish");
	harness_run_free(r);
}

/* ---- determinism ---- */

/*
 * A scenario that goes through most branches (two tasks on two files,
 * the boundary, a fall back, a hole) run twice: every trace line equal.
 */
static void test_determinism(void)
{
	static const char *const ini = DISK FS1K
		"[file.a]\nsize = 16K\nextents = 0-11:0, 12-15:13\n"
		"indirect = ind:12\n"
		"[file.b]\nsize = 8K\nextents = 0-1:100, 2-3:300, 5-7:305\n"
		"[task.r1]\nfile = a\nops = readpages 0-3\n"
		"[task.r2]\nfile = b\nstart = 10us\n"
		"ops = readpages 0-1; sleep 1ms; readpage 1\n";
	struct harness_run *a = run1(ini, NULL), *b = run1(ini, NULL);

	g_assert_cmpuint(a->lines->len, >, 10);
	g_assert_cmpuint(a->lines->len, ==, b->lines->len);
	for (guint i = 0; i < a->lines->len; i++)
		g_assert_cmpstr(a->lines->pdata[i], ==, b->lines->pdata[i]);
	harness_run_free(a);
	harness_run_free(b);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/mpage-read/reuse-mapping", test_reuse_mapping);
	g_test_add_func("/mpage-read/noncontiguous-pages",
			test_noncontiguous_pages);
	g_test_add_func("/mpage-read/confused/has-buffers",
			test_confused_has_buffers);
	g_test_add_func("/mpage-read/confused/get-block-error",
			test_confused_get_block_error);
	g_test_add_func("/mpage-read/confused/uptodate-page-block",
			test_confused_uptodate_page_block);
	g_test_add_func("/mpage-read/confused/uptodate-small-blocks",
			test_confused_uptodate_small_blocks);
	g_test_add_func("/mpage-read/confused/hole-then-data",
			test_confused_hole_then_data);
	g_test_add_func("/mpage-read/confused/discontiguous",
			test_confused_discontiguous);
	g_test_add_func("/mpage-read/confused/bio-alloc-failure",
			test_confused_bio_alloc_failure);
	g_test_add_func("/mpage-read/hole-at-end-of-page",
			test_hole_at_end_of_page);
	g_test_add_func("/mpage-read/whole-page-hole", test_whole_page_hole);
	g_test_add_func("/mpage-read/end-of-file", test_end_of_file);
	g_test_add_func("/mpage-read/boundary-submit", test_boundary_submit);
	g_test_add_func("/mpage-read/readpage-alone", test_readpage_alone);
	g_test_add_func("/mpage-read/cached-page-in-batch",
			test_cached_page_in_batch);
	g_test_add_func("/mpage-read/bio-full", test_bio_full);
	g_test_add_func("/mpage-read/rw-page", test_rw_page);
	g_test_add_func("/mpage-read/cleancache", test_cleancache);
	g_test_add_func("/mpage-read/quirk/boundary-lost-mid-page",
			test_quirk_boundary_lost_mid_page);
	g_test_add_func("/mpage-read/quirk/hole-page-keeps-bio",
			test_quirk_hole_page_keeps_bio);
	g_test_add_func("/mpage-read/quirk/boundary-splits-contiguous",
			test_quirk_boundary_splits_contiguous);
	g_test_add_func("/mpage-read/example-plugged", test_example_plugged);
	g_test_add_func("/mpage-read/determinism", test_determinism);
	return g_test_run();
}
