/*
 * test-write-wb.c - write_cache_pages (mm/page-writeback.c, v4.9.0) and
 * the flusher (fs/fs-writeback.c): which dirty pages each pass takes, in
 * what order, and where a range_cyclic pass starts again.
 *
 * Set-up unless a test says otherwise: 1 KiB blocks, 4 KiB pages, the
 * simple disk, file a with file blocks 0-39 on disk blocks 100-139: page p
 * is on sector 200 + 8p.  Pages given as [page.a.N] without buffers.
 */
#include "harness.h"

#include <string.h>

#define HEAD								\
	"[fs]\nblock_size = 1024\n"					\
	"[disk]\npreset = simple\n"					\
	"[file.a]\nsize = 40K\nextents = 0-11:100, 12-39:112\n"	\
	"indirect = ind:900\n"

#define DIRTY(n) "[page.a." #n "]\nflags = uptodate, dirty\n"
#define DIRTY_0_9 DIRTY(0) DIRTY(1) DIRTY(2) DIRTY(3) DIRTY(4) DIRTY(5) \
	DIRTY(6) DIRTY(7) DIRTY(8) DIRTY(9)

#define run_ok harness_run1_ok

/*
 * nr_to_write for WB_SYNC_NONE: "writeback 4" over dirty pages 0-9 takes
 * pages 0-3 in index order and stops (--nr_to_write <= 0): one bio,
 * sector 200, 32 sectors (boundary off: page 3's file block 12 is on 112,
 * right after 111).  Mapping file block 12 reads the indirect block first
 * (sector 1800, task w).  Pages 4-9 stay dirty until the flusher's
 * kupdate pass at 30 s: one bio from sector 232, 48 sectors.
 */
static void test_nr_to_write(void)
{
	const char *ini = HEAD DIRTY_0_9
		"[task.w]\nfile = a\nops = writeback 4\n";
	struct harness_run *r = run_ok(ini, "fs.boundary=off");

	harness_assert_summary(r, "queue", "op sector sectors pages task",
			       "R 1800 2 - w; W 200 32 0-3 w; "
			       "W 232 48 4-9 flusher");
	harness_run_free(r);
}

/*
 * range_cyclic with writeback_index, v4.9.0's wrap (boundary off):
 *  1. "writeback 4": pages 0-3 (mapping file block 12 reads the indirect
 *     block, sector 1800); v4.9.0 stores done_index = 3 (the last
 *     page written, not the next), so writeback_index = 3.
 *  2. "write 4K 4K" dirties page 1 again (its writeback has ended: the
 *     task slept 10 ms).
 *  3. "writeback 100": starts at index 3 (page 3 is clean, not in the
 *     DIRTY set), writes pages 4-9 (sector 232, 48 sectors), reaches the
 *     end with nr_to_write left, and since it started at 3 != 0 wraps to
 *     0..2: page 1 (block 104 != 139 + 1, so the 4-9 bio goes first),
 *     then page 1's own bio, sector 208.
 */
static void test_cyclic_wrap(void)
{
	const char *ini = HEAD DIRTY_0_9
		"[task.w]\nfile = a\nops = writeback 4; sleep 10ms; "
		"write 4K 4K; sleep 10ms; writeback 100\n";
	struct harness_run *r = run_ok(ini, "fs.boundary=off");

	harness_assert_summary(r, "queue", "op sector sectors pages task",
			       "R 1800 2 - w; W 200 32 0-3 w; W 232 48 4-9 w; "
			       "W 208 8 1 w");
	harness_run_free(r);
}

/*
 * A page under writeback: WB_SYNC_NONE skips it, WB_SYNC_ALL waits.
 * "writeback 1" sends page 0 (sector 200), which stays under writeback
 * while "write 0 4K" dirties it again at the same instant.  The second
 * "writeback 1" finds page 0 dirty but under writeback: skipped, no bio.
 * fsync (WB_SYNC_ALL) tags page 0 TOWRITE, waits for the first write to
 * complete, then writes it again ("WS"), and flushes.
 */
static void test_writeback_page_skip_and_wait(void)
{
	const char *ini = HEAD DIRTY(0)
		"[task.w]\nfile = a\nops = writeback 1; write 0 4K; "
		"writeback 1; fsync\n";
	struct harness_run *r = run_ok(ini, NULL);

	harness_assert_summary(r, "queue", "op sector sectors pages",
			       "W 200 8 0; WS 200 8 0; FS 0 0 -");
	harness_assert_summary(r, "fsync", "value", "0");
	harness_run_free(r);
}

/*
 * Each trace line of `action` as "MS KEYS...": its time in whole
 * milliseconds, then the values of the space-separated keys; "; " apart.
 */
static char *timed_summary(const struct harness_run *r, const char *action,
			   const char *keys)
{
	GString *out = g_string_new(NULL);
	char **k = g_strsplit(keys, " ", -1);
	char *pat = g_strdup_printf(" %s ", action);

	for (guint i = 0; i < r->lines->len; i++) {
		const char *line = r->lines->pdata[i];

		if (!strstr(line, pat))
			continue;
		g_string_append_printf(out, "%s%" G_GUINT64_FORMAT,
				       out->len ? "; " : "",
				       g_ascii_strtoull(line, NULL, 10) /
					       1000000);
		for (guint j = 0; k[j]; j++) {
			char *v = harness_field(line, k[j]);

			g_string_append_printf(out, " %s", v ? v : "-");
			g_free(v);
		}
	}
	g_strfreev(k);
	g_free(pat);
	return g_string_free(out, FALSE);
}

/* Assert a timed_summary(), with the whole trace when it differs. */
static void assert_timed(const struct harness_run *r, const char *action,
			 const char *keys, const char *expected)
{
	char *got = timed_summary(r, action, keys);

	if (g_strcmp0(got, expected)) {
		char *d = harness_dump(r);

		g_printerr("trace:\n%s\n", d);
		g_free(d);
	}
	g_assert_cmpstr(got, ==, expected);
	g_free(got);
}

/*
 * Run the scenario made of `a` and `b` (NULL for none) and assert its
 * "writeback" lines as "MS FILE PAGE VALUE REASON".
 */
static void assert_writebacks(const char *a, const char *b,
			      const char *expected)
{
	char *ini = g_strconcat(a, b, NULL);
	struct harness_run *r = run_ok(ini, NULL);

	assert_timed(r, "writeback", "file page value reason", expected);
	harness_run_free(r);
	g_free(ini);
}

/*
 * The flusher's chunks and its cyclic restart.  4 KiB blocks (one per
 * page), boundary off, file b written from empty: 2100 pages.  The writer
 * is task 1, so ext2_find_near's colour puts file block 0 at group 0's
 * start + (1 % 16) * (32768 / 16) = 2048: blocks 0-11 on 2048-2059, the
 * indirect block on 2060, blocks 12-1035 on 2061-3084, then the double
 * indirect block 3085 and its first indirect block 3086 before block 1036
 * (3087); blocks 1036-2059 on 3087-4110; the second indirect block under
 * the double one (4111) before block 2060 (4112); 2060-2099 on 4112-4151.
 *
 * memory = 32M: 8192 dirtyable pages, global_dirtyable_memory() = 8193;
 * dirty_ratio 20 is 20 * 4096 / 100 = 819 per page, so thresh =
 * 819 * 8193 / 4096 = 1638 (the domain's dirty_limit from the start), and
 * dirty_background_pages = 1000 is below it.  writeback_chunk_size() =
 * round_down(min(25600 / 2, 1638 / 8 = 204) + 1024, 1024) = 1024.
 *
 * The writer's balance_dirty_pages() checks wake the flusher once more
 * than 1000 pages are dirty; it runs when the writer is done (time 0).
 * kupdate first: not due (its period, 5 s, has not passed).  Background
 * pass, one plug: chunk 1 from writeback_index 0: pages 0-1023,
 * nr_to_write 0, done_index 1023; the inode goes to b_more_io; 1076 pages
 * still dirty > 1000: chunk 2 from 1023: pages 1024-2047, done_index
 * 2047; 52 dirty: the pass stops.  The inode is still on b_more_io, which
 * the next pass of any kind takes first (queue_io): the kupdate pass at
 * 5 s (jiffy 1250, dirty_writeback_centisecs later) starts at 2047, writes
 * 2048-2099 (52), wraps to 0..2046 (nothing dirty).  The inode is clean;
 * the flusher ends.
 *
 * The metadata (mke2fs's, 4 KiB blocks: descriptors on 1, the block
 * bitmap on 65, the inode table from 67): the first allocation dirties
 * the descriptor and the bitmap, so the block device's inode is dirtied
 * at 0, after b (dirtied first by the write's file_update_time), and each
 * pointer block dirties its page too.  After b's first chunk,
 * __writeback_single_inode writes b's inode (I_DIRTY_SYNC and DATASYNC):
 * ext2_write_inode dirties inode 12's table block, 67.  Then the block
 * device's turn in the same round: its 7 dirty pages, one buffer each, in
 * index order: 1, 65, 67, 2060, 3085, 3086, 4111 (origin "meta", flags 0:
 * W); it is clean and leaves the lists.  Chunks 2 and 3 find b's inode
 * with only I_DIRTY_PAGES: no inode write.
 *
 * Bios (at most 256 pages each, cut where the disk blocks jump):
 * chunk 1: 0-11, 12-267, 268-523, 524-779, 780-1023;
 * chunk 2: 1024-1035, 1036-1291, 1292-1547, 1548-1803, 1804-2047;
 * kupdate: 2048-2059, 2060-2099 (4110 -> 4112).
 */
static void test_flusher_chunks(void)
{
	const char *ini =
		"[fs]\nblock_size = 4096\nboundary = off\n"
		"[disk]\npreset = simple\n"
		"[writeback]\ndirty_background_pages = 1000\n"
		"memory = 32M\n"
		"[file.b]\nsize = 0\n"
		"[task.w]\nfile = b\nops = write 0 8400K\n";
	struct harness_run *r = run_ok(ini, NULL);
	GString *ptrs = g_string_new(NULL);
	char *first_alloc = NULL, *pointers;

	/* the first data block, and every pointer block, in order */
	for (guint i = 0; i < r->lines->len; i++) {
		const char *line = r->lines->pdata[i];
		char *reason, *block;

		if (!strstr(line, " alloc "))
			continue;
		reason = harness_field(line, "reason");
		block = harness_field(line, "block");
		if (!first_alloc)
			first_alloc = g_strdup(block);
		if (!g_strcmp0(reason, "pointer"))
			g_string_append_printf(ptrs, "%s%s",
					       ptrs->len ? " " : "", block);
		g_free(reason);
		g_free(block);
	}
	pointers = g_string_free(ptrs, FALSE);

	assert_timed(r, "writeback", "file page value reason",
		     "0 b 0 1024 background; 0 (bdev) 0 7 background; "
		     "0 b 1023 1024 background; 5000 b 2047 52 kupdate");
	harness_assert_summary(r, "queue", "origin block",
			       "mpage -; mpage -; mpage -; mpage -; mpage -; "
			       "meta 1; meta 65; meta 67; meta 2060; "
			       "meta 3085; meta 3086; meta 4111; "
			       "mpage -; mpage -; mpage -; mpage -; mpage -; "
			       "mpage -; mpage -");
	harness_assert_summary(r, "queue", "pages task",
			       "0-11 flusher; 12-267 flusher; "
			       "268-523 flusher; 524-779 flusher; "
			       "780-1023 flusher; - flusher; - flusher; "
			       "- flusher; - flusher; - flusher; - flusher; "
			       "- flusher; 1024-1035 flusher; "
			       "1036-1291 flusher; 1292-1547 flusher; "
			       "1548-1803 flusher; 1804-2047 flusher; "
			       "2048-2059 flusher; 2060-2099 flusher");
	g_assert_cmpstr(first_alloc, ==, "2048");
	g_assert_cmpstr(pointers, ==, "2060 3085 3086 4111");
	g_free(first_alloc);
	g_free(pointers);
	harness_run_free(r);
}

/*
 * kupdate alone: no fsync, below the background threshold.  The flusher
 * wakes every 5 s; the inode dirtied at 0 expires at 30 s, when its page
 * is written.  Nothing else is written, and the run ends there.
 */
static void test_kupdate_expiry(void)
{
	const char *ini = HEAD
		"[task.w]\nfile = a\nops = write 0 4K\n";
	struct harness_run *r = run_ok(ini, NULL);
	char *t = NULL;

	harness_assert_summary(r, "queue", "op sector sectors pages task",
			       "W 200 8 0 flusher");
	/* the time of the one queue line: 30 s = 3000 centisecs */
	for (guint i = 0; i < r->lines->len && !t; i++)
		if (strstr(r->lines->pdata[i], " queue "))
			t = g_strndup(r->lines->pdata[i],
				      strcspn(r->lines->pdata[i], " "));
	g_assert_cmpstr(t, ==, "30000000000");
	g_free(t);
	harness_run_free(r);
}

/*
 * fsync leaves a clean inode off the dirty lists (sync_inode_metadata, as
 * __generic_file_fsync calls it): dirty pages 0-9, then fsync.  The data
 * goes out as one WS bio from sector 200, 80 sectors (boundary off; the
 * indirect block read first), then the cache flush.  Nothing is left for
 * the flusher: no "wb_start" pass ever runs, and the run ends with the
 * fsync (its last request), not at the flusher's next wake-up.
 */
static void test_fsync_cleans_inode(void)
{
	const char *ini = HEAD DIRTY_0_9
		"[task.w]\nfile = a\nops = fsync\n";
	struct harness_run *r = run_ok(ini, "fs.boundary=off");

	harness_assert_summary(r, "queue", "op sector sectors task",
			       "R 1800 2 w; WS 200 80 w; FS 0 0 w");
	g_assert_cmpuint(harness_count(r, "wb_start"), ==, 0);
	g_assert_cmpint(r->res.end_ns, <, 1000000000);
	harness_run_free(r);
}

/* 4 KiB blocks, the simple disk, boundary off: the flusher tests' base */
#define WB_HEAD								\
	"[fs]\nblock_size = 4096\nboundary = off\n"			\
	"[disk]\npreset = simple\n"

/*
 * Slow requests, so that the flusher waits while it writes: one page a
 * request (max_sectors_kb = 4), four requests at most (nr_requests = 4),
 * 1 ms + 40.96 us each on the simple disk.  After WB_HEAD, whose [disk]
 * group it continues (a group is given once).
 */
#define SLOW								\
	"latency_ns = 1000000\n"					\
	"[block]\nnr_requests = 4\nmax_sectors_kb = 4\n"

/*
 * Pass order (wb_do_writeback: kupdate, then background).  Two writers of
 * 800 pages each, the second starting at 2 s; dirty_writeback_centisecs =
 * 100 (250 jiffies at HZ 250), dirty_expire_centisecs = 150 (375
 * jiffies), dirty_background_pages = 1000.
 *
 *  t = 0: a dirtied at jiffy 0; the delayed work is queued for jiffy 250.
 *  t = 1 s: kupdate is due (last_old_flush 0 + 250); older_than_this =
 *     250 - 375 < 0: a is not expired.  800 <= 1000: no background pass.
 *     Requeued for jiffy 500.
 *  t = 2 s: the second writer dirties b (jiffy 500); its
 *     balance_dirty_pages() check sees 1088 > 1000 dirty and wakes the
 *     flusher, which is due now anyway.  kupdate: older_than_this =
 *     500 - 375 = 125: a (0) is expired, b (500) is not.  The chunk,
 *     min(25600 / 2, 52416 / 8, 1602) + 1024 rounded down to 1024, is
 *     2048 >= 800: all of a.  Then 800 dirty <= 1000: no background pass.
 *  t = 3 s: older_than_this = 375 < 500: b not expired.
 *  t = 4 s: older_than_this = 625: b is written.
 *
 * Placement: writer 1's colour puts a at block 2048 (sector 16384), blocks
 * 0-11, the indirect block at 2060, blocks 12-799 from 2061 (sector
 * 16488); writer 2's puts b at 4096 (sector 32768), its indirect block at
 * 4108, blocks 12-799 from 4109 (sector 32872).  Bios of at most 256
 * pages.  (Background first, as mpsim had it, wrote both at 2 s.)
 *
 * The metadata (4 KiB blocks: descriptors on 1, the block bitmap on 65,
 * the inode table from 67): a's first allocation dirties the descriptor
 * and bitmap pages of the block device's inode (bdev, dirtied at jiffy
 * 0, after a), and a's indirect block 2060 its page; b's indirect block
 * 4108 adds a page at 2 s.  The kupdate passes count them: 800 + 3 pages
 * + 2 inodes = 805 at 1 s; 1600 + 4 + 3 = 1607 at 2 s.  At 2 s bdev is
 * expired too: after a (whose inode write dirties table block 67), its
 * pages 1, 65, 67, 2060, 4108, one "W" bio each.  At 3 s, 800 + 1 = 801.
 * b's inode write at 4 s dirties block 67 again (inode 13 is in it too):
 * bdev dirtied at jiffy 1000, expired at 6 s (older_than_this 1125):
 * block 67 alone (5 s and 6 s count 1 page + 1 inode).
 */
static void test_pass_order(void)
{
	const char *ini = WB_HEAD
		"[writeback]\ndirty_writeback_centisecs = 100\n"
		"dirty_expire_centisecs = 150\ndirty_background_pages = 1000\n"
		"[file.a]\nsize = 0\n[file.b]\nsize = 0\n"
		"[task.w1]\nfile = a\nops = write 0 3200K\n"
		"[task.w2]\nfile = b\nstart = 2s\nops = write 0 3200K\n";
	struct harness_run *r = run_ok(ini, NULL);

	assert_timed(r, "wb_start", "value reason",
		     "1000 805 kupdate; 2000 1607 kupdate; 3000 801 kupdate; "
		     "4000 801 kupdate; 5000 2 kupdate; 6000 2 kupdate");
	assert_timed(r, "queue", "file sector pages",
		     "2000 a 16384 0-11; 2000 a 16488 12-267; "
		     "2000 a 18536 268-523; 2000 a 20584 524-779; "
		     "2000 a 22632 780-799; "
		     "2000 - 8 -; 2000 - 520 -; 2000 - 536 -; "
		     "2000 - 16480 -; 2000 - 32864 -; "
		     "4000 b 32768 0-11; 4000 b 32872 12-267; "
		     "4000 b 34920 268-523; 4000 b 36968 524-779; "
		     "4000 b 39016 780-799; 6000 - 536 -");
	harness_run_free(r);
}

/*
 * The writer's ratelimit (balance_dirty_pages_ratelimited).  A task checks
 * the limits after nr_dirtied_pause pages: 32 at first; then, under the
 * freerun ceiling, dirty_poll_interval(dirty, thresh) = 2^(ilog2(thresh -
 * dirty) / 2).  Default limits: thresh = 819 * 262145 / 4096 = 52416; with
 * 32 dirty, ilog2(52384) = 15: 2^7 = 128.  The writer's nr_dirtied counts
 * every page it dirties, the block device's too: data page k's write
 * first allocates, and the first allocation dirties the group's
 * descriptor and bitmap pages (2), file block 12 the indirect block's
 * (1).  So after data page k (k >= 12) the count is k + 4: the first check
 * after page 28 (32 dirty, next check 128 later), the second after page
 * 156.  dirty_background_pages = 40:
 *  - 156 pages (0-155) never reach the second check (the first saw
 *    32 <= 40).  They wait for the delayed work, queued at the first dirty
 *    inode for 5 s (dirty_writeback_centisecs); its kupdate pass finds
 *    nothing expired, its background check 156 + 3 = 159 > 40: a (156),
 *    then the block device's 4 pages (descriptor, bitmap, a's inode table
 *    block dirtied by a's inode write, the indirect block).
 *  - 157 pages: the check after page 156 sees 160 > 40 and wakes the
 *    flusher: the same at 0.
 */
static void test_ratelimit(void)
{
	const char *base = WB_HEAD
		"[writeback]\ndirty_background_pages = 40\n"
		"[file.a]\nsize = 0\n[task.w]\nfile = a\n";

	assert_writebacks(base, "ops = write 0 624K\n",
			  "5000 a 0 156 background; "
			  "5000 (bdev) 0 4 background");
	assert_writebacks(base, "ops = write 0 628K\n",
			  "0 a 0 157 background; 0 (bdev) 0 4 background");
}

/*
 * The pass limit (writeback_sb_inodes hands back to wb_writeback after
 * HZ / 10 = 25 jiffies once it has written something).  Files a and b,
 * 300 pages each, written at 0 by two writers; dirty_background_pages =
 * 400; the second writer's check at its page 160 (460 dirty) wakes the
 * flusher.  Background pass: queue_io parks a then b (both dirtied at 0).
 *
 * Fast requests: a's 300 pages go out in three requests without waiting;
 * no time has passed, nr_pages is LONG_MAX: writeback_sb_inodes goes on
 * to b at once.  Both at 0.
 *
 * Slow requests (SLOW): a's 300 one-page requests keep the flusher
 * waiting.  Woken from get_request() it is a batcher (ioc_set_batching)
 * and may hold up to 3/2 x nr_requests = 6 requests: it queues the last
 * when the 294th completes, at 294 x 1.04096 ms = 306.042 ms (the
 * "writeback" line's time).  The limit has passed (jiffy 76 > 0 + 25):
 * back in wb_writeback, 300 dirty <= 400 ends the background pass, and b
 * stays on b_io.  The work is queued again for jiffy 76 + 1250 = 1326
 * (5.304 s).  Its kupdate pass finds b_io not
 * empty, so queue_io does not run and b goes out whatever its age.
 *
 * With the block device's inode (dirtied at 0 by a's first allocation,
 * so parked between a and b): its pages are the descriptor (1), the
 * bitmap (65), the indirect blocks 2060 (a) and 4108 (b, colour 2 x 2048
 * = 4096, block 12 after 0-11) and, after a's inode write, the table
 * block 67.  The background pass starts with 600 + 4 dirty.  Fast: a,
 * bdev (5 pages), b, all at 0; b's inode write dirties 67 again, bdev is
 * dirtied at jiffy 0 and expires at 30 s: block 67 (from writeback_index
 * 4108, wrapping).  Slow: after a (308.124 ms), 300 + 5 <= 400 ends the
 * pass; bdev and b stay on b_io.  At 5.304 s (kupdate, 305 pages + 2
 * inodes = 307): bdev's 5 requests, all queued at once (the pool is
 * free); then b's 300, the last queued when the 300th request of the pass
 * completes, 300 x 1.04096 ms after 5.304 s = 5.616288 s.  b's inode
 * write dirties 67 at jiffy 1404: the work, requeued for every 1250
 * jiffies from 1404, writes it at jiffy 8904 (35.616 s), the first run
 * with older_than_this >= 1404.
 */
static void test_pass_limit(void)
{
	const char *files = "[writeback]\ndirty_background_pages = 400\n"
		"[file.a]\nsize = 0\n[file.b]\nsize = 0\n"
		"[task.w1]\nfile = a\nops = write 0 1200K\n"
		"[task.w2]\nfile = b\nops = write 0 1200K\n";

	assert_writebacks(WB_HEAD, files,
			  "0 a 0 300 background; 0 (bdev) 0 5 background; "
			  "0 b 0 300 background; "
			  "30000 (bdev) 4108 1 kupdate");
	assert_writebacks(WB_HEAD SLOW, files,
			  "306 a 0 300 background; 5304 (bdev) 0 5 kupdate; "
			  "5616 b 0 300 kupdate; "
			  "35616 (bdev) 4108 1 kupdate");
}

/*
 * redirty_tail() and requeue_inode().  dirty_writeback_centisecs = 100,
 * dirty_expire_centisecs = 150, slow requests.  Writer 1 dirties 200
 * pages of a at 0; the kupdate pass at 2 s (jiffy 500, older_than_this
 * 125) writes them, page by page, for about 200 ms.  At 2.05 s writer 2
 * dirties page 0 again (its write has ended).  The walk ends at page 199
 * with nr_to_write 1024 - 200 > 0 and page 0 dirty: redirty_tail().
 *
 * b_dirty is empty: dirtied_when stays at jiffy 0, and since the pass has
 * pages left, wb_writeback's next queue_io finds a expired and writes
 * page 0 in the same pass, right after page 199.  (Stamping dirtied_when
 * with now, as mpsim did, left it until 4 s.)  Between them, the block
 * device's inode, dirtied at 0 by a's first allocation and still on b_io
 * after the pass limit cut the round: its 4 pages (descriptor 1, bitmap
 * 65, table block 67 dirtied by a's inode write, indirect block 2060),
 * the last queued when a's 198th request completes (2.20611 s); page 0
 * when the 201st does (2.20923296 s).  w2's new mtime (2.05 s) came while
 * a's inode was still dirty and was written with it: page 0's round
 * writes no inode.
 *
 * With writer 3 dirtying file b at 1.5 s (jiffy 375), b_dirty holds b when
 * a is requeued at 2.202 s: a's 0 is before b's 375, so dirtied_when
 * becomes now, jiffy 550, and a goes behind b.  The pass (203 pages: 201
 * dirty and 2 inodes) finds nothing more expired (older_than_this 550 -
 * 375 = 175), once the block device's 4 pages are out (2.206 s, jiffy
 * 551).  The work is queued again for 551 + 250 = 801 (3.204 s):
 * older_than_this 426 takes b (375), not a (550), and b's inode write
 * dirties table block 67 (inode 14) again, the block device at 801; the
 * next run, at 1051 (4.204 s, older_than_this 676), takes a's page 0; the
 * one at 1301 (5.204 s, 926) the block device's page 67, from
 * writeback_index 2060, wrapping.
 */
static void test_redirty_tail(void)
{
	const char *files = "[writeback]\ndirty_writeback_centisecs = 100\n"
		"dirty_expire_centisecs = 150\n"
		"[file.a]\nsize = 0\n[file.b]\nsize = 0\n"
		"[task.w1]\nfile = a\nops = write 0 800K\n"
		"[task.w2]\nfile = a\nstart = 2050ms\nops = write 0 4K\n";
	char *alone = g_strconcat(WB_HEAD, SLOW, files, NULL);
	struct harness_run *r = run_ok(alone, NULL);

	/*
	 * Bios 0-11 and 12-199 (200 one-page requests; the flusher, a
	 * batcher once woken from get_request(), holds up to 3/2 x
	 * nr_requests = 6: the last is queued when the 194th completes,
	 * 194 x 1.04096 ms = 201.946 ms after 2 s), the block device's four
	 * (the last when the 198th completes: 206.110 ms), then page 0
	 * again, from writeback_index 199 wrapping to 0.
	 */
	harness_assert_summary(r, "queue", "file pages",
			       "a 0-11; a 12-199; - -; - -; - -; - -; a 0");
	assert_timed(r, "writeback", "file page value",
		     "2202 a 0 200; 2206 (bdev) 0 4; 2209 a 199 1");
	harness_run_free(r);
	assert_writebacks(alone, "[task.w3]\nfile = b\nstart = 1500ms\n"
			  "ops = write 0 4K\n",
			  "2202 a 0 200 kupdate; 2206 (bdev) 0 4 kupdate; "
			  "3204 b 0 1 kupdate; 4204 a 199 1 kupdate; "
			  "5204 (bdev) 2060 1 kupdate");
	g_free(alone);
}

/*
 * writeback_chunk_size() = round_down(min(avg_write_bandwidth / 2,
 * dirty_limit / 8, nr_pages) + 1024, 1024) for WB_SYNC_NONE, with the
 * initial bandwidth 25600 pages/s.
 *  - Default memory (1 GiB): dirty_limit = 52416, / 8 = 6552: chunk
 *    round_down(6552 + 1024) = 7168: the 2100 pages of the flusher-chunks
 *    workload go out in one chunk.
 *  - memory = 4G: global_dirtyable_memory() = 1048577, thresh =
 *    819 * 1048577 / 4096 = 209664, / 8 = 26208 > 12800: chunk
 *    round_down(12800 + 1024) = 13312.  14000 pages: the background pass
 *    writes 13312, then the block device's pages, then 688 <= 1000 ends
 *    it; the inode, on b_more_io, goes out at the kupdate pass at 5 s
 *    (chunk min(.., 689) + 1024 -> 1024).
 * The block device's pages, after b in the same round: the descriptor,
 * the bitmap, b's inode table block, and the pointer blocks: 2100 pages
 * need 4 (the indirect block, the double, two under it): 7; 14000 pages
 * need 15 (1 + 1 + 13, one per 1024 blocks from block 12 on): 18.
 */
static void test_chunk_size(void)
{
	const char *head = WB_HEAD
		"[file.b]\nsize = 0\n"
		"[writeback]\ndirty_background_pages = 1000\n";

	assert_writebacks(head, "[task.w]\nfile = b\nops = write 0 8400K\n",
			  "0 b 0 2100 background; 0 (bdev) 0 7 background");
	assert_writebacks(head, "memory = 4G\n"
			  "[task.w]\nfile = b\nops = write 0 56000K\n",
			  "0 b 0 13312 background; "
			  "0 (bdev) 0 18 background; "
			  "5000 b 13311 688 kupdate");
}

/*
 * The bandwidth estimate (wb_update_write_bandwidth) moving the chunk.
 * memory = 1T: dirty_limit / 8 is in the millions, so the chunk is
 * round_down(avg_write_bandwidth / 2 + 1024, 1024): 13312 with INIT_BW.
 * Slow requests (one page each, 1.04096 ms: about 960 pages/s), metadata
 * writes off (only the file on the lists), 14400 pages written at 0,
 * dirty_background_pages = 1000.  The background pass's first round is
 * the first chunk, 13312 pages, taking about 13.85 s (jiffy 3463, past
 * HZ / 10: the round ends); wb_update_bandwidth(start 0): elapsed 3463
 * jiffies >= BANDWIDTH_INTERVAL (50), and bw_time_stamp 0 is not before
 * the pass's start (0), so no quiet-period skip; elapsed > the period
 * (roundup_pow_of_two(750) = 1024), so avg_write_bandwidth = written *
 * HZ / elapsed: under 13312 * 250 / 3463 = 961 pages/s.  1088 > 1000
 * pages still dirty: the second chunk is round_down(961 / 2 + 1024, 1024)
 * = 1024 (with the first estimate it would have been 13312, all 1088);
 * 64 are left for the next (kupdate) pass.
 */
static void test_bandwidth_chunk(void)
{
	struct harness_run *r = run_ok(WB_HEAD SLOW
		"[writeback]\nmemory = 1T\ndirty_background_pages = 1000\n"
		"[file.b]\nsize = 0\n"
		"[task.w]\nfile = b\nops = write 0 57600K\n",
		"fs.metadata_writes=off");

	harness_assert_summary(r, "writeback", "file page value reason",
			       "b 0 13312 background; b 13311 1024 background; "
			       "b 14335 64 kupdate");
	harness_run_free(r);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/write/wb/nr-to-write", test_nr_to_write);
	g_test_add_func("/write/wb/cyclic-wrap", test_cyclic_wrap);
	g_test_add_func("/write/wb/writeback-page-skip-and-wait",
			test_writeback_page_skip_and_wait);
	g_test_add_func("/write/wb/flusher-chunks", test_flusher_chunks);
	g_test_add_func("/write/wb/kupdate-expiry", test_kupdate_expiry);
	g_test_add_func("/write/wb/fsync-cleans-inode",
			test_fsync_cleans_inode);
	g_test_add_func("/write/wb/pass-order", test_pass_order);
	g_test_add_func("/write/wb/ratelimit", test_ratelimit);
	g_test_add_func("/write/wb/pass-limit", test_pass_limit);
	g_test_add_func("/write/wb/redirty-tail", test_redirty_tail);
	g_test_add_func("/write/wb/chunk-size", test_chunk_size);
	g_test_add_func("/write/wb/bandwidth-chunk", test_bandwidth_chunk);
	return g_test_run();
}
