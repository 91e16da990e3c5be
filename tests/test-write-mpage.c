/*
 * test-write-mpage.c - the branches of __mpage_writepage (fs/mpage.c,
 * 4.9) and its fall back to block_write_full_page, each with the bios
 * worked out by hand from the seed.
 *
 * Common set-up unless a test says otherwise: 1 KiB blocks, 4 KiB pages
 * (4 buffers a page), the simple disk, file a with file blocks 0-11 on
 * disk blocks 100-111, so page p starts at disk block 100 + 4p, i.e.
 * sector 200 + 8p.  "writeback N" is one mpage_writepages call,
 * WB_SYNC_NONE (bios "W"), range_cyclic from index 0.
 */
#include "harness.h"

#define HEAD								\
	"[disk]\npreset = simple\n"					\
	"[fs]\nblock_size = 1024\n"

#define DIRTY_MAPPED "mapped+uptodate+dirty"
#define ALL_MAPPED							\
	"buffers = " DIRTY_MAPPED ", " DIRTY_MAPPED ", " DIRTY_MAPPED	\
	", " DIRTY_MAPPED "\n"

#define run_ok harness_run1_ok

/*
 * Pages 0-2, every buffer mapped, dirty, up to date and contiguous: each
 * page joins the bio (last_block_in_bio = 103, 107 then 111), which is
 * submitted at the end of mpage_writepages: one bio, sector 200, 24
 * sectors, no fall back.
 */
static void test_all_mapped(void)
{
	const char *ini = HEAD
		"[file.a]\nsize = 12K\nextents = 0-11:100\n"
		"[page.a.0]\nflags = uptodate, dirty\n" ALL_MAPPED
		"[page.a.1]\nflags = uptodate, dirty\n" ALL_MAPPED
		"[page.a.2]\nflags = uptodate, dirty\n" ALL_MAPPED
		"[task.w]\nfile = a\nops = writeback 16\n";
	struct harness_run *r = run_ok(ini, NULL);

	harness_assert_summary(r, "queue", "op sector sectors origin pages",
			       "W 200 24 mpage 0-2");
	g_assert_cmpuint(harness_count(r, "fallback"), ==, 0);
	harness_run_free(r);
}

/*
 * Page 0's second buffer is dirty but unmapped: confused
 * ("unmapped-dirty"), no bio is open, ->writepage =
 * block_write_full_page: pass 1 maps buffer 1 with get_block(create=1)
 * (file block 1 is on disk block 101, not new), pass 2 submits one bio
 * per dirty buffer: sectors 200, 202, 204, 206 (origin buffer).  Pages 1
 * and 2 then form one mpage bio from sector 208, 16 sectors.
 */
static void test_unmapped_dirty(void)
{
	const char *ini = HEAD
		"[file.a]\nsize = 12K\nextents = 0-11:100\n"
		"[page.a.0]\nflags = uptodate, dirty\nbuffers = "
		DIRTY_MAPPED ", uptodate+dirty, " DIRTY_MAPPED ", "
		DIRTY_MAPPED "\n"
		"[page.a.1]\nflags = uptodate, dirty\n" ALL_MAPPED
		"[page.a.2]\nflags = uptodate, dirty\n" ALL_MAPPED
		"[task.w]\nfile = a\nops = writeback 16\n";
	struct harness_run *r = run_ok(ini, NULL);

	harness_assert_summary(r, "queue", "op sector sectors origin pages",
			       "W 200 2 buffer 0; W 202 2 buffer 0; "
			       "W 204 2 buffer 0; W 206 2 buffer 0; "
			       "W 208 16 mpage 1-2");
	harness_assert_summary(r, "fallback", "page reason",
			       "0 unmapped-dirty");
	harness_run_free(r);
}

/*
 * Page 0: buffer 0 unmapped and clean, then mapped buffers: "hole then
 * data", confused.  block_write_full_page leaves the clean unmapped
 * buffer alone and writes buffers 1-3: sectors 202, 204, 206.
 */
static void test_hole_then_mapped(void)
{
	const char *ini = HEAD
		"[file.a]\nsize = 12K\nextents = 1-11:101\n"
		"[page.a.0]\nflags = uptodate, dirty\nbuffers = uptodate, "
		DIRTY_MAPPED ", " DIRTY_MAPPED ", " DIRTY_MAPPED "\n"
		"[task.w]\nfile = a\nops = writeback 16\n";
	struct harness_run *r = run_ok(ini, NULL);

	harness_assert_summary(r, "queue", "op sector sectors origin",
			       "W 202 2 buffer; W 204 2 buffer; "
			       "W 206 2 buffer");
	harness_assert_summary(r, "fallback", "page reason",
			       "0 hole-then-data");
	harness_run_free(r);
}

/*
 * Page 0 has buffers, all unmapped and clean: first_unmapped stays 0, so
 * "all-unmapped", confused.  block_write_full_page finds no dirty buffer
 * to map nor to write: the page's writeback ends at once, no bio.  Page 1
 * goes alone in an mpage bio at sector 208.
 */
static void test_all_unmapped(void)
{
	const char *ini = HEAD
		"[file.a]\nsize = 12K\nextents = 0-11:100\n"
		"[page.a.0]\nflags = uptodate, dirty\nbuffers = uptodate, "
		"uptodate, uptodate, uptodate\n"
		"[page.a.1]\nflags = uptodate, dirty\n" ALL_MAPPED
		"[task.w]\nfile = a\nops = writeback 16\n";
	struct harness_run *r = run_ok(ini, NULL);

	harness_assert_summary(r, "queue", "op sector sectors origin pages",
			       "W 208 8 mpage 1");
	harness_assert_summary(r, "fallback", "page reason", "0 all-unmapped");
	harness_run_free(r);
}

/*
 * Pages without buffers, mapped with get_block(create=1) one block at a
 * time.  File blocks 4-7 are a hole; free space is 500-600 only.
 *
 * Page 0: blocks 100-103, a new bio (sector 200).  Page 1: block 4 is
 * allocated: ext2_find_goal - alloc info just set up (last 0, 0) - so
 * ext2_find_near: the slot before (file block 3) holds 103, goal 103, in
 * use, the linear retry in the group reaches 500.  Blocks 5, 6, 7: goal =
 * last physical + 1 = 501, 502, 503.  Each new block goes through
 * unmap_underlying_metadata (no alias).  500 != 103 + 1: page 0's bio is
 * sent first; page 1 starts a bio at sector 1000.  Page 2: blocks
 * 108-111, 108 != 503 + 1: page 1's bio is sent; page 2's bio (sector 216)
 * at the end.
 */
static void test_no_buffers_allocating(void)
{
	const char *ini = HEAD
		"free = 500-600\n"
		"[file.a]\nsize = 12K\nextents = 0-3:100, 8-11:108\n"
		"[page.a.0]\nflags = uptodate, dirty\n"
		"[page.a.1]\nflags = uptodate, dirty\n"
		"[page.a.2]\nflags = uptodate, dirty\n"
		"[task.w]\nfile = a\nops = writeback 16\n";
	struct harness_run *r = run_ok(ini, NULL);

	harness_assert_summary(r, "queue", "op sector sectors origin pages",
			       "W 200 8 mpage 0; W 1000 8 mpage 1; "
			       "W 216 8 mpage 2");
	harness_assert_summary(r, "alloc", "reason offset block",
			       "data 4 500; data 5 501; data 6 502; "
			       "data 7 503");
	harness_assert_summary(r, "unmap_metadata", "block reason",
			       "500 none; 501 none; 502 none; 503 none");
	g_assert_cmpuint(harness_count(r, "fallback"), ==, 0);
	harness_run_free(r);
}

/*
 * Non-contiguous blocks inside page 0 (100, 101, then 300, 301), with
 * buffers: "discontiguous", confused; four buffer bios at sectors 200,
 * 202, 600, 602.
 */
static void test_discontiguous(void)
{
	const char *ini = HEAD
		"[file.a]\nsize = 4K\nextents = 0-1:100, 2-3:300\n"
		"[page.a.0]\nflags = uptodate, dirty\n" ALL_MAPPED
		"[task.w]\nfile = a\nops = writeback 16\n";
	struct harness_run *r = run_ok(ini, NULL);

	harness_assert_summary(r, "queue", "op sector sectors origin",
			       "W 200 2 buffer; W 202 2 buffer; "
			       "W 600 2 buffer; W 602 2 buffer");
	harness_assert_summary(r, "fallback", "page reason", "0 discontiguous");
	harness_run_free(r);
}

/*
 * i_size = 10 KiB: end_index = 2, offset 2048.  Page 2 straddles i_size:
 * buffers for blocks 8, 9 mapped and dirty, 10, 11 unmapped and clean, so
 * first_unmapped = 2; its tail [2048, 4096) is zeroed and the page joins
 * the bio with 2 KiB, which is then sent at once (first_unmapped !=
 * blocks_per_page): sector 200, 16 + 4 = 20 sectors, pages 0-2.  Page 3
 * lies wholly past i_size (index 3 > end_index): "past-eof", confused;
 * block_write_full_page drops it without I/O.
 */
static void test_eof(void)
{
	const char *ini = HEAD
		"[file.a]\nsize = 10K\nextents = 0-9:100\n"
		"[page.a.0]\nflags = uptodate, dirty\n" ALL_MAPPED
		"[page.a.1]\nflags = uptodate, dirty\n" ALL_MAPPED
		"[page.a.2]\nflags = uptodate, dirty\nbuffers = "
		DIRTY_MAPPED ", " DIRTY_MAPPED ", uptodate, uptodate\n"
		"[page.a.3]\nflags = uptodate, dirty\nbuffers = "
		DIRTY_MAPPED "@300, " DIRTY_MAPPED "@301, "
		DIRTY_MAPPED "@302, " DIRTY_MAPPED "@303\n"
		"[task.w]\nfile = a\nops = writeback 16\n";
	struct harness_run *r = run_ok(ini, NULL);

	harness_assert_summary(r, "queue", "op sector sectors origin pages",
			       "W 200 20 mpage 0-2");
	harness_assert_summary(r, "zero", "page offset len", "2 2048 2048");
	harness_assert_summary(r, "fallback", "page reason", "3 past-eof");
	harness_run_free(r);
}

/*
 * block_write_full_page on the page that straddles i_size.  i_size 10
 * KiB; page 2's buffers: block 8 mapped and dirty, blocks 9-11 unmapped
 * and dirty: confused ("unmapped-dirty").  block_write_full_page: index 2
 * == end_index, offset 2048: the tail [2048, 4096) is zeroed; then
 * __block_write_full_page with last_block = (10240 - 1) >> 10 = 9: block 9
 * is mapped on demand (get_block(create=1): file block 9 is on 109),
 * blocks 10 and 11 lie past last_block and are only cleaned.  Two buffer
 * bios: sectors 216 and 218.
 */
static void test_eof_buffer_path(void)
{
	const char *ini = HEAD
		"[file.a]\nsize = 10K\nextents = 0-9:100\n"
		"[page.a.2]\nflags = uptodate, dirty\nbuffers = "
		DIRTY_MAPPED ", uptodate+dirty, uptodate+dirty, "
		"uptodate+dirty\n"
		"[task.w]\nfile = a\nops = writeback 16\n";
	struct harness_run *r = run_ok(ini, NULL);

	harness_assert_summary(r, "fallback", "page reason",
			       "2 unmapped-dirty");
	harness_assert_summary(r, "zero", "page offset len", "2 2048 2048");
	harness_assert_summary(r, "queue", "op sector sectors origin",
			       "W 216 2 buffer; W 218 2 buffer");
	g_assert_cmpuint(harness_count(r, "alloc"), ==, 0);
	harness_run_free(r);
}

/*
 * Quirk: a dirty page without buffers wholly past i_size is mapped -
 * here allocated - before __mpage_writepage sees it is past EOF.  i_size
 * 10 KiB, so last_block = 9 and page 3 (file blocks 12-15) never meets it:
 * all four blocks go through get_block(create=1).  Block 12 needs the
 * indirect block: goal from ext2_find_near = the last pointer before slot
 * 12 in i_data, file block 9 on 109, in use; the run from the goal starts
 * at 500 (free = 500-599): indirect block 500, data 501.  Blocks 13-15
 * follow the last allocation: 502, 503, 504.  Then "past-eof", and
 * block_write_full_page writes nothing.
 */
static void test_past_eof_no_buffers_allocates(void)
{
	const char *ini = HEAD
		"free = 500-599\n"
		"[file.a]\nsize = 10K\nextents = 0-9:100\n"
		"[page.a.3]\nflags = uptodate, dirty\n"
		"[task.w]\nfile = a\nops = writeback 16\n";
	struct harness_run *r = run_ok(ini, NULL);

	harness_assert_summary(r, "alloc", "reason offset block",
			       "pointer - 500; data 12 501; data 13 502; "
			       "data 14 503; data 15 504");
	harness_assert_summary(r, "fallback", "page reason", "3 past-eof");
	g_assert_cmpuint(harness_count(r, "queue"), ==, 0);
	harness_run_free(r);
}

/*
 * [disk] rw_page = on: each fully mapped page that would start a new bio
 * goes through bdev_write_page instead (no bio).  i_size 10 KiB: pages 0
 * and 1 are fully mapped (rw_page); page 2 maps blocks 8 and 9 only
 * (last_block = 9), first_unmapped = 2, so it gets a bio: sector 216, 4
 * sectors.
 */
static void test_rw_page(void)
{
	const char *ini = "[fs]\nblock_size = 1024\n"
		"[disk]\npreset = simple\nrw_page = on\n"
		"[file.a]\nsize = 10K\nextents = 0-9:100\n"
		"[page.a.0]\nflags = uptodate, dirty\n"
		"[page.a.1]\nflags = uptodate, dirty\n"
		"[page.a.2]\nflags = uptodate, dirty\n"
		"[task.w]\nfile = a\nops = writeback 16\n";
	struct harness_run *r = run_ok(ini, NULL);

	harness_assert_summary(r, "rw_page", "page sector reason",
			       "0 200 W; 1 208 W");
	harness_assert_summary(r, "queue", "op sector sectors origin pages",
			       "W 216 4 mpage 2");
	harness_run_free(r);
}

/*
 * bio_add_page refusing: 4 KiB blocks (one per page), 257 pages on
 * contiguous disk blocks 1000-1256, the indirect block far away (5000),
 * boundaries off.  The pages are dirtied by a write of 1028 KiB (mapping
 * file block 12 reads the indirect block: a meta read at sector 40000).
 * mpage_alloc gives BIO_MAX_PAGES = 256 vectors: pages 0-255 fill the bio
 * (sector 8000, 2048 sectors); bio_add_page refuses page 256, the bio is
 * sent and a new one takes page 256 (sector 10048, 8 sectors).
 */
static void test_bio_full(void)
{
	const char *ini =
		"[fs]\nblock_size = 4096\nboundary = off\n"
		"[disk]\npreset = simple\n"
		"[file.a]\nsize = 1028K\nextents = 0-256:1000\n"
		"indirect = ind:5000\n"
		"[task.w]\nfile = a\nops = write 0 1028K; writeback 300\n";
	struct harness_run *r = run_ok(ini, NULL);

	harness_assert_summary(r, "queue", "op sector sectors origin",
			       "R 40000 8 meta; W 8000 2048 mpage; "
			       "W 10048 8 mpage");
	harness_run_free(r);
}

/*
 * Quirk: "if (boundary_block)".  Disk block 1 holds a dirty indirect
 * block: task b writes file block 12 of file b first, and with free space
 * 1-2 only ext2 puts b's indirect block on 1 and the data on 2.  Then
 * task a writes back its page 0 whose only mapped buffer is disk block 0
 * with BH_Boundary: the bio (sector 0, 2 sectors; i_size 1 KiB so the
 * rest of the page is past EOF and the bio is sent at once) is followed by
 * no write_boundary_block, because boundary_block == 0.  Block 1 (sector
 * 2) is never written: the only other write is b's data page, sector 4,
 * by the flusher 30 s later (kupdate).  (metadata_writes = off: mke2fs's
 * metadata would take blocks 0-2.)
 */
static void test_boundary_block_zero(void)
{
	const char *ini = HEAD
		"free = 1-2\nmetadata_writes = off\n"
		"[file.a]\nsize = 1K\n"
		"[file.b]\nsize = 0\n"
		"[page.a.0]\nflags = uptodate, dirty\nbuffers = "
		"mapped+uptodate+dirty+boundary@0, uptodate, uptodate, "
		"uptodate\n"
		"[task.b]\nfile = b\nops = write 12K 1K\n"
		"[task.a]\nfile = a\nstart = 1ms\nops = writeback 1\n";
	struct harness_run *r = run_ok(ini, NULL);

	harness_assert_summary(r, "alloc", "file reason block",
			       "b pointer 1; b data 2");
	harness_assert_summary(r, "queue", "op sector sectors origin task",
			       "W 0 2 mpage a; W 4 2 mpage flusher");
	harness_run_free(r);
}

/*
 * nobh: ext2_nobh_writepage -> nobh_writepage -> mpage_writepage, whose
 * __mpage_writepage (use_writepage = 0) returns -EAGAIN when confused, and
 * nobh_writepage falls back to __block_write_full_page.  Page 0 without
 * buffers maps 100, 101, then 300: "discontiguous" in mpage_writepages'
 * pass, then again in mpage_writepage's; the per-buffer path creates
 * dirty buffers and writes each: sectors 200, 202, 600, 602.
 */
static void test_nobh_eagain(void)
{
	const char *ini = HEAD
		"nobh = on\n"
		"[file.a]\nsize = 4K\nextents = 0-1:100, 2-3:300\n"
		"[page.a.0]\nflags = uptodate, dirty\n"
		"[task.w]\nfile = a\nops = writeback 4\n";
	struct harness_run *r = run_ok(ini, NULL);

	harness_assert_summary(r, "fallback", "page reason",
			       "0 discontiguous; 0 discontiguous");
	harness_assert_summary(r, "queue", "op sector sectors origin",
			       "W 200 2 buffer; W 202 2 buffer; "
			       "W 600 2 buffer; W 602 2 buffer");
	harness_run_free(r);
}

/*
 * A failing bio allocation (the first bio_alloc of the run): page 0 is
 * "bio-alloc-failure", confused, written per buffer (submit_bh allocates
 * with GFP_NOIO, which never fails); page 1 gets the next allocation: an
 * mpage bio at sector 208.
 */
static void test_bio_alloc_failure(void)
{
	const char *ini = HEAD
		"[block]\nfail_bio_alloc = 1\n"
		"[file.a]\nsize = 8K\nextents = 0-7:100\n"
		"[page.a.0]\nflags = uptodate, dirty\n" ALL_MAPPED
		"[page.a.1]\nflags = uptodate, dirty\n" ALL_MAPPED
		"[task.w]\nfile = a\nops = writeback 4\n";
	struct harness_run *r = run_ok(ini, NULL);

	harness_assert_summary(r, "fallback", "page reason",
			       "0 bio-alloc-failure");
	harness_assert_summary(r, "queue", "op sector sectors origin",
			       "W 200 2 buffer; W 202 2 buffer; "
			       "W 204 2 buffer; W 206 2 buffer; "
			       "W 208 8 mpage");
	harness_run_free(r);
}

/*
 * WB_SYNC_ALL (fsync) marks the data bios WRITE_SYNC: "WS"; the cache
 * flush follows ("FS", no sectors).
 */
static void test_sync_all_ws(void)
{
	const char *ini = HEAD
		"[file.a]\nsize = 8K\nextents = 0-7:100\n"
		"[page.a.0]\nflags = uptodate, dirty\n"
		"[page.a.1]\nflags = uptodate, dirty\n"
		"[task.w]\nfile = a\nops = fsync\n";
	struct harness_run *r = run_ok(ini, NULL);

	harness_assert_summary(r, "queue", "op sector sectors pages",
			       "WS 200 16 0-1; FS 0 0 -");
	harness_assert_summary(r, "fsync", "value reason", "0 ok");
	harness_run_free(r);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/write/mpage/all-mapped", test_all_mapped);
	g_test_add_func("/write/mpage/unmapped-dirty", test_unmapped_dirty);
	g_test_add_func("/write/mpage/hole-then-mapped", test_hole_then_mapped);
	g_test_add_func("/write/mpage/all-unmapped", test_all_unmapped);
	g_test_add_func("/write/mpage/no-buffers-allocating",
			test_no_buffers_allocating);
	g_test_add_func("/write/mpage/discontiguous", test_discontiguous);
	g_test_add_func("/write/mpage/eof", test_eof);
	g_test_add_func("/write/mpage/eof-buffer-path", test_eof_buffer_path);
	g_test_add_func("/write/mpage/past-eof-no-buffers-allocates",
			test_past_eof_no_buffers_allocates);
	g_test_add_func("/write/mpage/rw-page", test_rw_page);
	g_test_add_func("/write/mpage/bio-full", test_bio_full);
	g_test_add_func("/write/mpage/boundary-block-zero",
			test_boundary_block_zero);
	g_test_add_func("/write/mpage/nobh-eagain", test_nobh_eagain);
	g_test_add_func("/write/mpage/bio-alloc-failure",
			test_bio_alloc_failure);
	g_test_add_func("/write/mpage/sync-all-ws", test_sync_all_ws);
	return g_test_run();
}
