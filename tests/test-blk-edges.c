/*
 * test-blk-edges.c - the block layer's edges, on whole scenarios: flushes
 * without a volatile write cache (generic_make_request_checks), the
 * bio-based ramdisk (brd_make_request), and read-ahead deferred under
 * congestion (page_cache_async_readahead).  Expected values are worked
 * out by hand from the 4.9 sources named at each test.
 */
#include <string.h>
#include "harness.h"

/* The lines of an action as "TIME ACTION" words, joined by "; ". */
static char *timeline(const struct harness_run *r, const char *const *acts)
{
	GString *out = g_string_new(NULL);

	for (unsigned i = 0; i < r->lines->len; i++) {
		const char *line = g_ptr_array_index(r->lines, i);
		char **w = g_strsplit(line, " ", 3);

		for (const char *const *a = acts; *a; a++) {
			if (w[1] && !strcmp(w[1], *a)) {
				char *bio = harness_field(line, "bio");

				g_string_append_printf(out, "%s%s %s%s%s",
						       out->len ? "; " : "",
						       w[0], w[1],
						       bio ? " " : "",
						       bio ? bio : "");
				g_free(bio);
			}
		}
		g_strfreev(w);
	}
	return g_string_free(out, FALSE);
}

/* The time of the last line of an action, "-" if none. */
static const char *last_time(const struct harness_run *r, const char *act)
{
	static char buf[32];

	g_strlcpy(buf, "-", sizeof(buf));
	for (unsigned i = 0; i < r->lines->len; i++) {
		const char *line = g_ptr_array_index(r->lines, i);
		const char *sp = strchr(line, ' ');
		size_t n = strlen(act);

		if (sp && !strncmp(sp + 1, act, n) &&
		    (sp[1 + n] == ' ' || !sp[1 + n]))
			g_strlcpy(buf, line, MIN(sizeof(buf),
						 (size_t)(sp - line) + 1));
	}
	return buf;
}

#define assert_timeline(r, acts, expected)				\
	do {								\
		char *got_ = timeline((r), (acts));			\
		if (g_strcmp0(got_, (expected))) {			\
			char *dump_ = harness_dump(r);			\
			g_printerr("trace:\n%s\n", dump_);		\
			g_free(dump_);					\
		}							\
		g_assert_cmpstr(got_, ==, (expected));			\
		g_free(got_);						\
	} while (0)

/*
 * fsync on a drive without a volatile write cache.  One 4 KiB page on
 * block 100 (4 KiB blocks: sectors 800..808) written and fsynced:
 * ext2_fsync -> generic_file_fsync writes the page (request 1, WS 800 8),
 * then blkdev_issue_flush sends an empty flush bio (bio 2).  hp-c2247 has
 * write_back off, so QUEUE_FLAG_WC is unset: generic_make_request_checks
 * ends bio 2 at once (an "end" at its "queue" time), and no request is
 * made for it.  With write_back=on the same bio becomes request 2 (FS).
 * The ramdisk (brd sets no write cache either) ends it the same way.
 */
static const char fsync_ini[] =
	"[fs]\nblock_size = 4096\n"
	"[file.a]\nsize = 4K\nextents = 0:100\n"
	"[task.w]\nfile = a\nops = write 0 4K; fsync\n";

static void test_flush_no_write_cache(void)
{
	const char *hp[] = { "disk.preset=hp-c2247", NULL };
	const char *hp_wb[] = { "disk.preset=hp-c2247", "disk.write_back=on",
				NULL };
	const char *ram[] = { "disk.preset=ramdisk", "disk.rw_page=off",
			      NULL };
	struct harness_run *r = harness_run_text(fsync_ini, hp);
	char *q, *e;

	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "complete", "rq op sector sectors",
			       "1 WS 800 8");
	harness_assert_summary(r, "end", "bio op sectors", "2 FS 0");
	/* the flush (bio 2) ends at the moment it is queued */
	q = timeline(r, (const char *const[]){ "queue", "end", NULL });
	e = g_strdup_printf("%s queue 2; %s end 2", last_time(r, "end"),
			    last_time(r, "end"));
	g_assert_true(g_str_has_suffix(q, e));
	g_free(q);
	g_free(e);
	g_assert_cmpuint(r->res.requests, ==, 1);
	harness_run_free(r);

	r = harness_run_text(fsync_ini, hp_wb);
	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "complete", "rq op sector sectors",
			       "1 WS 800 8; 2 FS 0 0");
	g_assert_cmpuint(harness_count(r, "end"), ==, 0);
	harness_run_free(r);

	r = harness_run_text(fsync_ini, ram);
	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "end", "bio op sectors", "1 WS 8; 2 FS 0");
	g_assert_cmpuint(harness_count(r, "complete"), ==, 0);
	harness_run_free(r);
}

/*
 * The bio-based ramdisk (brd_make_request, drivers/block/brd.c).  A 1 KiB
 * block file on blocks 100-101, 300-301 and 400-403, read by readpages
 * 0-1 (mpage_readpages inside a plug):
 *   page 0 (blocks 0-3 on 100, 101, 300, 301) is discontiguous: it falls
 *   back to block_read_full_page, which submits four 2-sector buffer reads
 *   (sectors 200, 202, 600, 602).  brd serves each inside submit_bio, in
 *   the submitter's time: latency 1000 ns + 1024 B at 4 GB/s = 256 ns, so
 *   1256 ns each: bio 1 0..1256, bio 2 1256..2512, bio 3 2512..3768,
 *   bio 4 3768..5024.
 *   page 1 (blocks 4-7 on 400-403, contiguous) goes by rw_page
 *   (bdev_read_page) at 5024: 1000 + 4096 B / 4 GB/s = 2024 ns, done at
 *   7048, when the task ends.
 * No request, and no plug, unplug, insert or merge (4.9's brd has no
 * request queue; mpsim before this plugged bios 1-4 into two requests
 * served after the rw_page).
 */
static void test_ramdisk_bio_based(void)
{
	static const char ini[] =
		"[disk]\npreset = ramdisk\n"
		"[fs]\nblock_size = 1024\n"
		"[file.a]\nsize = 8K\nextents = 0-1:100, 2-3:300, 4-7:400\n"
		"[task.r]\nfile = a\nops = readpages 0-1\n";
	static const char *const acts[] = { "queue", "end", "rw_page",
					    "task_end", NULL };
	struct harness_run *r = harness_run1(ini, NULL);

	g_assert_cmpint(r->status, ==, 0);
	assert_timeline(r, acts,
			"0 queue 1; 1256 end 1; 1256 queue 2; 2512 end 2; "
			"2512 queue 3; 3768 end 3; 3768 queue 4; 5024 end 4; "
			"5024 rw_page; 7048 task_end");
	harness_assert_summary(r, "end", "sector sectors origin pages",
			       "200 2 buffer 0; 202 2 buffer 0; "
			       "600 2 buffer 0; 602 2 buffer 0");
	g_assert_cmpuint(r->res.requests, ==, 0);
	for (const char *const *a = (const char *const[]){ "plug", "unplug",
		"insert", "merge", "dispatch", "complete", NULL }; *a; a++)
		g_assert_cmpuint(harness_count(r, *a), ==, 0);
	harness_run_free(r);
}

/*
 * Read-ahead deferred under congestion (page_cache_async_readahead,
 * mm/readahead.c: inode_read_congested).  nr_requests = 4: congested from
 * the allocation that finds 3 sync requests out, uncongested below 3.
 * Task w reads 8 pages of file b, each on its own 4 KiB block two blocks
 * apart (sectors 800, 816, ... 912): 8 bios, 8 requests of 8 sectors,
 * 100 us + 4096 B / 100 MB/s = 140.96 us each on the simple device.  At
 * t = 0: bio 4 congests the class (value=3), bios 5 and 6 are granted (w
 * is batching), bio 7 sleeps (count 6).  The class stays congested until
 * six requests have completed: 6 x 140960 = 845760 ns (w gets bios 7 and
 * 8 at 422880, after three, when the count falls to 3).
 * Task r reads page 0 of file a, cached, up to date, with PG_readahead:
 * do_generic_file_read calls page_cache_async_readahead.  At 1 us the sync
 * class is congested: no read-ahead.  At 10 ms it is not: ondemand_
 * readahead from offset 0 is an initial window, get_init_ra_size(1, 32)
 * = 4, async_size 4 - 1 = 3; page 0 is cached, so pages 1-3 are read.
 */
static const char congest_ini[] =
	"[disk]\npreset = simple\n"
	"[block]\nnr_requests = 4\n"
	"[fs]\nblock_size = 4096\n"
	"[file.b]\nsize = 32K\nextents = 0:100, 1:102, 2:104, 3:106, "
	"4:108, 5:110, 6:112, 7:114\n"
	"[file.a]\nsize = 32K\nextents = 0-7:200\n"
	"[page.a.0]\nflags = uptodate, readahead\n"
	"[task.w]\nfile = b\nops = readpages 0-7\n"
	"[task.r]\nfile = a\nstart = 1us\nops = read 0 4K 4K\n";

static void test_congestion_defers_readahead(void)
{
	static const char *const acts[] = { "congested", "uncongested",
					    "readahead", "sleeprq", NULL };
	struct harness_run *r = harness_run1(congest_ini, NULL);

	g_assert_cmpint(r->status, ==, 0);
	assert_timeline(r, acts, "0 congested; 0 sleeprq; 845760 uncongested");
	harness_assert_summary(r, "congested", "value reason", "3 sync");
	harness_assert_summary(r, "uncongested", "value reason", "2 sync");
	harness_run_free(r);

	r = harness_run1(congest_ini, "task.r.start=10ms");
	g_assert_cmpint(r->status, ==, 0);
	assert_timeline(r, acts, "0 congested; 0 sleeprq; 845760 uncongested; "
			"10000000 readahead");
	harness_assert_summary(r, "readahead",
			       "start size async_size async nr_pages",
			       "0 4 3 1 3");
	harness_run_free(r);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/blk-edges/flush-no-write-cache",
			test_flush_no_write_cache);
	g_test_add_func("/blk-edges/ramdisk-bio-based",
			test_ramdisk_bio_based);
	g_test_add_func("/blk-edges/congestion-defers-readahead",
			test_congestion_defers_readahead);
	return g_test_run();
}
