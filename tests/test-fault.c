/*
 * test-fault.c - device faults ([fault], src/block/blk-fault.c) and the
 * way -EIO travels up as in 4.9, on the simple disk so that costs cannot
 * move the order.
 *
 * Each test's expected values are worked out in its comment from the 4.9
 * code: req_bio_endio() puts the error in every bio of the request;
 * mpage_end_io -> page_endio() leaves each page not up to date with
 * PG_error; end_buffer_async_read() clears the failed buffer's uptodate
 * and sets PG_error, and the page is not marked up to date; sb_bread()
 * returns NULL for a failed metadata read, so ext2_get_block fails with
 * -EIO.  do_generic_file_read() reads a page that is not up to date after
 * the lock once more through ->readpage (ClearPageError first), and if it
 * is still not up to date, the read(2) fails with -EIO
 * (shrink_readahead_size_eio: ra_pages / 4), unless it copied something
 * already, in which case it returns what it copied.  Writes: page_endio
 * (mpage) and end_buffer_async_write record the error on the page and the
 * mapping (AS_EIO), and fsync returns it once.
 */
#include <string.h>
#include "harness.h"
#include "block/blk.h"
#include "block/blk-fault.h"

/*
 * Mpage path, 4 KiB blocks: file blocks 0-3 on disk blocks 100-103
 * (sectors 800-831).  read(2) of 16 KiB at 0: readahead (ra_pages 32,
 * initial window for 4 pages: size 8, async 4; 4 pages inside the file)
 * sends one bio 800+32 (pages 0-3), request 1.  [fault] sectors = 808
 * (page 1): request 1 touches 808 and fails: bio 1 gets -EIO, pages 0-3
 * are left not up to date with PG_error.
 *
 * count = 1: only request 1 fails.  The read loop then takes page 0: not
 * up to date after the wait, so locked and read by ->readpage alone
 * (mpage_readpage, no plug): bio 800+8, request 2, good; copied.  The
 * same for pages 1, 2, 3: 808, 816, 824, requests 3-5.  The read(2)
 * returns 16 KiB: no read_error.
 */
static const char mpage_ini[] =
	"[disk]\npreset = simple\n"
	"[fs]\nblock_size = 4096\n"
	"[file.a]\nsize = 16K\nextents = 0-3:100\n"
	"[fault]\nsectors = 808\n"
	"[task.r]\nfile = a\nops = read 0 16K 16K\n";

static void test_mpage_once(void)
{
	struct harness_run *r = harness_run1(mpage_ini, "fault.count=1");

	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "queue", "sector sectors pages",
			       "800 32 0-3; 800 8 0; 808 8 1; 816 8 2; "
			       "824 8 3");
	harness_assert_summary(r, "complete", "rq error",
			       "1 -5; 2 -; 3 -; 4 -; 5 -");
	g_assert_cmpuint(harness_count(r, "read_error"), ==, 0);
	harness_run_free(r);
}

/*
 * No count: every request touching sector 808 fails.  First read(2)
 * (16 KiB at 0): request 1 fails as above; page 0 is read again (800,
 * good) and copied; page 1 is read again (808, request 3) and fails: not
 * up to date after the lock, so -EIO, but 4 KiB were copied: the call
 * returns 4096 (no read_error).  The op's loop issues the next read(2):
 * 12 KiB at 4096 (page 1): page 1 is cached, PG_error, not up to date:
 * locked, ->readpage again (808, request 4), fails: nothing copied, the
 * call returns -EIO: a read_error note at page 1, value -5, and the op
 * stops.  Pages 2 and 3 are never read again.
 */
static void test_mpage_persistent(void)
{
	struct harness_run *r = harness_run1(mpage_ini, NULL);

	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "queue", "sector sectors pages",
			       "800 32 0-3; 800 8 0; 808 8 1; 808 8 1");
	harness_assert_summary(r, "complete", "rq error",
			       "1 -5; 2 -; 3 -5; 4 -5");
	harness_assert_summary(r, "read", "page len", "0 16384; 1 12288");
	harness_assert_summary(r, "read_error", "page value", "1 -5");
	harness_run_free(r);
}

/*
 * Each -EIO of the read loop shrinks the window (shrink_readahead_size_eio:
 * ra_pages / 4), also when the call returns the bytes it copied before.
 * A 256 KiB file laid out from block 100 (pages 0-11 on 100-111); sector
 * 808 (page 1) always fails.  read 0 8K 8K: initial window at 0 for 2
 * pages, get_init_ra_size(2, 32) = 4 (2 <= 32/4: doubled), async 2:
 * pages 0-3, fails.  Page 0 is read again and copied; page 1 is read
 * again and fails: -EIO path, ra_pages 32 -> 8, the call returns 4096.
 * The next read(2) at page 1 fails the same way: ra_pages 8 -> 2, and it
 * returns -EIO: read_error.  Then read 128K 64K 64K: a miss at page 32
 * for 16 pages, not sequential, no marker, 16 > max 2: oversize, initial
 * window get_init_ra_size(16, 2) = 2, async_size 2 (not larger than the
 * request); the read hits its own marker (offset == start, size ==
 * async_size): async_size = get_next_ra_size(2, max 2) = 2, size 4.  So
 * start 32, size 4, async 2, 4 pages.  The marker on page 34 (start +
 * size - async) starts the next window at 36, get_next_ra_size(4, 2) = 2
 * pages, all async (marker on its first page); the read reaches 36, 38,
 * ..., 46, each starting the next: windows 36, 38, ..., 48 of 2 pages.
 * With ra_pages still 32 the
 * request would fit, and with no history below page 32 it would be read
 * as is: 16 pages.
 */
static void test_shrink_readahead(void)
{
	static const char ini[] =
		"[disk]\npreset = simple\n"
		"[fs]\nblock_size = 4096\n"
		"[file.a]\nsize = 256K\nlayout = ext2-sequential\n"
		"first_block = 100\n"
		"[fault]\nsectors = 808\n"
		"[task.r]\nfile = a\n"
		"ops = read 0 8K 8K; read 128K 64K 64K\n";
	struct harness_run *r = harness_run1(ini, NULL);

	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "read_error", "page value", "1 -5");
	harness_assert_summary(r, "readahead", "start size async_size "
			       "nr_pages", "0 4 2 4; 32 4 2 4; 36 2 2 2; "
			       "38 2 2 2; 40 2 2 2; 42 2 2 2; 44 2 2 2; "
			       "46 2 2 2; 48 2 2 2");
	harness_run_free(r);
}

/*
 * Buffer path, 1 KiB blocks: page 0's blocks on disk blocks 100, 102,
 * 104, 106 (not contiguous): mpage falls back (discontiguous) and
 * block_read_full_page sends four 2-sector bios: 200, 204, 208, 212,
 * requests 1-4 (the simple disk takes one at a time; none merge).
 * [fault] sectors = 204, count = 1: request 2 fails: buffer 1 not up to
 * date, PG_error; buffers 0, 2, 3 up to date; the page is not.  The read
 * loop's ->readpage (PG_error cleared) finds buffers on the page
 * (fallback has-buffers): block_read_full_page skips the three up-to-date
 * buffers and sends only buffer 1: 204, request 5, good: the page is up
 * to date, 4 KiB copied.
 */
static void test_buffer_retry(void)
{
	static const char ini[] =
		"[disk]\npreset = simple\n"
		"[fs]\nblock_size = 1024\n"
		"[file.a]\nsize = 4K\nextents = 0:100, 1:102, 2:104, 3:106\n"
		"[fault]\nsectors = 204\ncount = 1\n"
		"[task.r]\nfile = a\nops = read 0 4K 4K\n";
	struct harness_run *r = harness_run1(ini, NULL);

	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "queue", "sector origin",
			       "200 buffer; 204 buffer; 208 buffer; "
			       "212 buffer; 204 buffer");
	harness_assert_summary(r, "complete", "rq error",
			       "1 -; 2 -5; 3 -; 4 -; 5 -");
	harness_assert_summary(r, "fallback", "page reason",
			       "0 discontiguous; 0 has-buffers");
	g_assert_cmpuint(harness_count(r, "read_error"), ==, 0);
	harness_run_free(r);
}

/*
 * Metadata: the example of fs/mpage.c (1 KiB blocks, file blocks 0-11 on
 * 0-11, the indirect block on 12, blocks 12-15 on 13-16), readpages 0-3,
 * boundary on, plugged: bio 1 (sectors 0-23, pages 0-2) is request 1 on
 * the plug, the indirect block's bio 2 (24+2) back-merges into it, the
 * wait flushes: request 1 = 0..25, two bios.  [fault] sectors = 24,
 * count = 1: request 1 fails: pages 0-2 not up to date (PG_error), and
 * the indirect buffer not up to date: sb_bread returns NULL, get_block
 * fails (-EIO): page 3 falls back (get-block-error) to
 * block_read_full_page, whose get_block reads the indirect block again
 * (meta_read, bio 3, request 2, good), then sends page 3's four buffers
 * (26, 28, 30, 32; merged into request 3).  Then `readpage 0`: page 0 is
 * not up to date: locked, mpage_readpage: bio 0+8 (request 4).
 */
static void test_meta_error(void)
{
	static const char ini[] =
		"[disk]\npreset = simple\n"
		"[fs]\nblock_size = 1024\n"
		"[file.a]\nsize = 16K\nextents = 0-11:0, 12-15:13\n"
		"indirect = ind:12\n"
		"[fault]\nsectors = 24\ncount = 1\n"
		"[task.r]\nfile = a\n"
		"ops = readpages 0-3; wait 0-3; readpage 0\n";
	struct harness_run *r = harness_run1(ini, NULL);

	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "queue", "sector sectors origin",
			       "0 24 mpage; 24 2 meta; 24 2 meta; "
			       "26 2 buffer; 28 2 buffer; 30 2 buffer; "
			       "32 2 buffer; 0 8 mpage");
	harness_assert_summary(r, "complete", "rq sector sectors bios error",
			       "1 0 26 1,2 -5; 2 24 2 3 -; 3 26 8 4,5,6,7 -; "
			       "4 0 8 8 -");
	harness_assert_summary(r, "fallback", "page reason",
			       "3 get-block-error");
	harness_assert_summary(r, "meta_read", "block", "12; 12");
	harness_run_free(r);
}

/*
 * Choosing requests: by number (requests = 2-3) and by direction.  Page
 * by page reads without a plug (readpage 0 .. 3, then wait): bio 1 is
 * request 1 and goes to the idle device at once; bio 2 is request 2,
 * waiting; bio 3 is request 3 and bio 4 (824, right after 816+8)
 * back-merges into it.  Requests 2 and 3 fail, request 3 with both its
 * bios.  op = W matches no read: nothing fails.  op = R with count = 1:
 * only the first matching request, 2.
 */
static void test_requests_and_op(void)
{
	static const char ini[] =
		"[disk]\npreset = simple\n"
		"[fs]\nblock_size = 4096\n"
		"[file.a]\nsize = 16K\nextents = 0-3:100\n"
		"[fault]\nrequests = 2-3\n"
		"[task.r]\nfile = a\n"
		"ops = readpage 0; readpage 1; readpage 2; readpage 3; "
		"wait 0-3\n";
	const char *sets_w[] = { "fault.op=W", NULL };
	const char *sets_r[] = { "fault.op=R", "fault.count=1", NULL };
	struct harness_run *r = harness_run1(ini, NULL);

	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "complete", "rq bios error",
			       "1 1 -; 2 2 -5; 3 3,4 -5");
	harness_run_free(r);
	r = harness_run_text(ini, sets_w);
	harness_assert_summary(r, "complete", "rq error", "1 -; 2 -; 3 -");
	harness_run_free(r);
	r = harness_run_text(ini, sets_r);
	harness_assert_summary(r, "complete", "rq error", "1 -; 2 -5; 3 -");
	harness_run_free(r);
}

/*
 * Writes, mpage path: write(2) of 16 KiB over blocks 100-103 dirties
 * pages 0-3; fsync (ext2_fsync -> generic_file_fsync) writes them as one
 * mpage bio, WS 800+32, request 1.  [fault] op = W, count = 1: request 1
 * fails: mpage_end_io -> page_endio(write): PG_error on each page and
 * mapping_set_error (AS_EIO); writeback ends.  filemap_fdatawait's
 * TestClearPageError sees the error: fsync fails (4.9 returns before
 * blkdev_issue_flush: no flush request).  The second fsync has nothing
 * to write (the pages are clean: the data is lost, as in 4.9), finds no
 * error left (both PG_error and AS_EIO were cleared) and sends the flush:
 * ok.  The simple device has no volatile write cache, so the flush bio
 * (bio 2, op FS) ends at submission with no request
 * (generic_make_request_checks).
 */
static void test_write_fsync(void)
{
	static const char ini[] =
		"[disk]\npreset = simple\n"
		"[fs]\nblock_size = 4096\n"
		"[file.a]\nsize = 16K\nextents = 0-3:100\n"
		"[fault]\nop = W\ncount = 1\n"
		"[task.w]\nfile = a\nops = write 0 16K; fsync; fsync\n";
	struct harness_run *r = harness_run1(ini, NULL);

	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "complete", "rq op sector sectors error",
			       "1 WS 800 32 -5");
	harness_assert_summary(r, "end", "bio op sector sectors error",
			       "2 FS 0 0 -");
	harness_assert_summary(r, "fsync", "reason", "error; ok");
	harness_run_free(r);
}

/*
 * Writes, buffer path, written back before the fsync: 1 KiB blocks on
 * 100, 102, 104, 106 (not contiguous): the `writeback 4` op's
 * ->writepages falls back to block_write_full_page, four 2-sector bios
 * (200, 204, 208, 212; op W, not sync), requests 1-4.  [fault] sectors =
 * 204: request 2 fails: end_buffer_async_write sets AS_EIO on the mapping
 * (4.9's "lost async page write"), the buffer's write_io_error and
 * PG_error; the page's writeback ends when its last buffer does.  The
 * fsync a millisecond later finds nothing dirty and no page under
 * writeback, so only AS_EIO reports the loss: -EIO, and it is cleared;
 * the second fsync is ok after its flush, bio 5, which ends at
 * submission with no request (the simple device has no write cache).
 */
static void test_write_buffer_writeback(void)
{
	static const char ini[] =
		"[disk]\npreset = simple\n"
		"[fs]\nblock_size = 1024\n"
		"[file.a]\nsize = 4K\nextents = 0:100, 1:102, 2:104, 3:106\n"
		"[fault]\nsectors = 204\n"
		"[task.w]\nfile = a\n"
		"ops = write 0 4K; writeback 4; sleep 1ms; fsync; fsync\n";
	struct harness_run *r = harness_run1(ini, NULL);

	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "complete", "rq op sector error",
			       "1 W 200 -; 2 W 204 -5; 3 W 208 -; 4 W 212 -");
	harness_assert_summary(r, "end", "bio op sector", "5 FS 0");
	harness_assert_summary(r, "fsync", "reason", "error; ok");
	harness_run_free(r);
}

/* Bad [fault] values: exit status 2, a message naming group and key. */
static void test_bad_values(void)
{
	static const char *const bad[][2] = {
		{ "fault.sectors=9-3", "[fault] sectors" },
		{ "fault.sectors=", "[fault] sectors" },
		{ "fault.requests=0", "[fault] requests" },
		{ "fault.requests=x", "[fault] requests" },
		{ "fault.op=X", "[fault] op" },
		{ "fault.count=0", "[fault] count" },
		{ "fault.when=now", "[fault] when" },
	};

	for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++) {
		struct harness_run *r = harness_run1(mpage_ini, bad[i][0]);

		g_assert_cmpint(r->status, ==, 2);
		g_assert_nonnull(strstr(r->error, bad[i][1]));
		harness_run_free(r);
	}
}

/* Does a read request of `n` sectors from `pos` fail under `f`? */
static bool fails(const struct blk_fault *f, uint64_t pos, unsigned n)
{
	struct request rq = { .seq = 1, .op = REQ_OP_READ, .__sector = pos,
			      .__sectors = n };
	uint64_t failed = 0;

	return blk_fault_check(f, &rq, &failed) == -EIO;
}

/*
 * sectors = 40, 15-30, 10-20, 100-100000: overlapping ranges 10-20 and
 * 15-30 are one, 10-30; the list is searched, not scanned.  Requests
 * (first-last sector): 0-9 meets nothing; 9-10 meets 10; 25-26 meets
 * 10-30 through the second range; 31-39 falls between 30 and 40; 40-40
 * meets 40; 41-99 misses; 99999-100000 meets the last range.  The listed
 * value shows the merged ranges.
 */
static void test_overlapping_ranges(void)
{
	struct blk_fault f;
	GError *err = NULL;

	blk_fault_init(&f);
	g_assert_true(blk_fault_set(&f, "sectors", "40, 15-30, 10-20, "
				    "100-100000", &err));
	g_assert_no_error(err);
	g_assert_cmpuint(f.nr_sectors, ==, 3);
	g_assert_false(fails(&f, 0, 10));
	g_assert_true(fails(&f, 9, 2));
	g_assert_true(fails(&f, 25, 2));
	g_assert_false(fails(&f, 31, 9));
	g_assert_true(fails(&f, 40, 1));
	g_assert_false(fails(&f, 41, 59));
	g_assert_true(fails(&f, 99999, 2));
	blk_fault_clear(&f);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/fault/mpage-once", test_mpage_once);
	g_test_add_func("/fault/mpage-persistent", test_mpage_persistent);
	g_test_add_func("/fault/shrink-readahead", test_shrink_readahead);
	g_test_add_func("/fault/buffer-retry", test_buffer_retry);
	g_test_add_func("/fault/meta-error", test_meta_error);
	g_test_add_func("/fault/requests-and-op", test_requests_and_op);
	g_test_add_func("/fault/write-fsync", test_write_fsync);
	g_test_add_func("/fault/write-buffer-writeback",
			test_write_buffer_writeback);
	g_test_add_func("/fault/bad-values", test_bad_values);
	g_test_add_func("/fault/overlapping-ranges", test_overlapping_ranges);
	return g_test_run();
}
