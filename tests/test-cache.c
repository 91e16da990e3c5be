/*
 * test-cache.c - the page cache's capacity: reading far more than fits
 * keeps the cache (and every struct page) within bounds, drops the right
 * pages, and changes nothing else a run does.
 *
 * The file: 4 KiB blocks, so one block per page; 640 pages (2.5 MiB) laid
 * out by ext2-sequential from disk block 100 (data blocks 0-11 on 100-111,
 * the indirect block on 112, data blocks 12.. from 113).  The cache holds
 * 64 pages (capacity = 256K, 256 KiB / 4 KiB); the reader reads the file in
 * 20 readpages calls of 32 pages: ten times the cache.
 */
#include <string.h>
#include "harness.h"

#include <stdio.h>
#include "mm/vmscan.h"

#define FILE_INI							\
	"[fs]\nblock_size = 4096\n"					\
	"[disk]\npreset = simple\n"					\
	"[block]\nplug = on\n"						\
	"[file.big]\nsize = 2560K\nlayout = ext2-sequential\n"		\
	"first_block = 100\n"

static char *reader_ini(const char *cache, unsigned calls, unsigned per_call)
{
	GString *s = g_string_new(FILE_INI);

	g_string_append(s, cache);
	g_string_append(s, "[task.reader]\nfile = big\nops = ");
	for (unsigned i = 0; i < calls; i++)
		g_string_append_printf(s, "%sreadpages %u-%u", i ? "; " : "",
				       i * per_call, i * per_call + per_call - 1);
	g_string_append_c(s, '\n');
	return g_string_free(s, FALSE);
}

/*
 * Ten times the cache.  Before each call the reader reserves 32 pages.
 * Calls 1 and 2 fit (0 then 32 pages cached).  From call 3 on the cache
 * holds 64 pages: the previous call's 32, just submitted and locked, and
 * the 32 of the call before, which go, oldest first - those whose I/O has
 * ended at once, the others once the reader has waited for their I/O.
 * Then 32 new pages bring the cache back to 64.  So the peak is exactly
 * 64, 640 - 64 = 576 pages are evicted, pages 0-575 in that order, and 64
 * remain at the end.  Evictions of consecutive pages in one pass are one
 * "evict" event (first page, count): the events, in order, cover pages
 * 0-575 exactly, each starting where the previous one ended.  The struct pages alive at once are at most the 64
 * cached plus one call's 32 on its list: 96.
 */
static void test_ten_times_the_cache(void)
{
	char *ini = reader_ini("[cache]\ncapacity = 256K\n", 20, 32);
	struct harness_run *r = harness_run_text(ini, NULL);
	struct page_cache_stats st;
	char *pages;

	g_assert_cmpint(r->status, ==, 0);
	page_cache_get_stats(&st);
	g_assert_cmpuint(st.capacity, ==, 64);
	g_assert_cmpuint(st.peak_pages, ==, 64);
	g_assert_cmpuint(st.evicted, ==, 576);
	g_assert_cmpuint(st.peak_live, <=, 96);
	g_assert_cmpuint(st.nr_pages, ==, 0);	/* all freed at teardown */
	g_assert_cmpuint(st.live_pages, ==, 0);
	/* oldest first, in runs: the runs cover 0-575 in order */
	pages = harness_summary(r, "evict", "page count");
	{
		char **runs = g_strsplit(pages, "; ", -1);
		guint64 next = 0;

		g_assert_cmpuint(g_strv_length(runs), <, 576);
		for (char **run = runs; *run; run++) {
			guint64 first, count;

			g_assert_cmpint(sscanf(*run, "%" G_GUINT64_FORMAT
					       " %" G_GUINT64_FORMAT, &first,
					       &count), ==, 2);
			g_assert_cmpuint(first, ==, next);
			next = first + count;
		}
		g_assert_cmpuint(next, ==, 576);
		g_strfreev(runs);
	}
	g_free(pages);
	harness_run_free(r);
	g_free(ini);
}

/*
 * The same read with an unlimited cache: nothing is evicted and all 640
 * pages stay.  Both runs send the same bios in the same order (pages
 * 0-11 and the indirect block, then one bio per call: 12-31, 32-63, ...,
 * 608-639); only when they go differs, since with the capacity a call
 * waits for the pages it must evict to leave I/O (direct reclaim's
 * throttling), so the reader ends no earlier than without it.
 */
static void test_same_bios_as_unlimited(void)
{
	char *lim_ini = reader_ini("[cache]\ncapacity = 64\n", 20, 32);
	char *unl_ini = reader_ini("", 20, 32);
	struct harness_run *lim = harness_run_text(lim_ini, NULL);
	struct page_cache_stats st;
	struct harness_run *unl = harness_run_text(unl_ini, NULL);
	char *a, *b, *ta, *tb;

	page_cache_get_stats(&st);
	g_assert_cmpint(lim->status, ==, 0);
	g_assert_cmpint(unl->status, ==, 0);
	g_assert_cmpuint(st.capacity, ==, 0);
	g_assert_cmpuint(st.peak_pages, ==, 640);
	g_assert_cmpuint(st.evicted, ==, 0);
	a = harness_summary(lim, "queue", "sector sectors origin pages");
	b = harness_summary(unl, "queue", "sector sectors origin pages");
	g_assert_cmpstr(a, ==, b);
	g_assert_true(g_str_has_prefix(a, "800 96 mpage 0-11; 896 8 meta -; "
				       "904 160 mpage 12-31; "
				       "1064 256 mpage 32-63; "));
	/* 0-11, the indirect block, 12-31, then one bio for each of the
	 * 19 other calls: 22 bios (requests may merge, as timing allows) */
	g_assert_cmpuint(harness_count(lim, "queue"), ==, 22);
	ta = harness_summary(lim, "task_end", "task");
	tb = harness_summary(unl, "task_end", "task");
	g_assert_cmpstr(ta, ==, "reader");
	g_assert_cmpstr(tb, ==, "reader");
	g_assert_cmpint(lim->res.end_ns, >=, unl->res.end_ns);
	g_free(a);
	g_free(b);
	g_free(ta);
	g_free(tb);
	harness_run_free(lim);
	harness_run_free(unl);
	g_free(lim_ini);
	g_free(unl_ini);
}

/*
 * A read that fits (pages 0-63 in two calls, capacity 64): not one
 * eviction, and a trace identical line for line to the unlimited cache's.
 */
static void test_fitting_read_unchanged(void)
{
	char *lim_ini = reader_ini("[cache]\ncapacity = 64\n", 2, 32);
	char *unl_ini = reader_ini("", 2, 32);
	struct harness_run *lim = harness_run_text(lim_ini, NULL);
	struct harness_run *unl = harness_run_text(unl_ini, NULL);
	char *a = harness_dump(lim), *b = harness_dump(unl);

	g_assert_cmpint(lim->status, ==, 0);
	g_assert_cmpuint(harness_count(lim, "evict"), ==, 0);
	g_assert_cmpstr(a, ==, b);
	g_free(a);
	g_free(b);
	harness_run_free(lim);
	harness_run_free(unl);
	g_free(lim_ini);
	g_free(unl_ini);
}

/*
 * Pages the scenario caches count, and dirty ones are never dropped.
 * Capacity 3; page 0 dirty and page 1 clean at the start (2 cached).
 * readpage 2 reserves one page: 2 + 1 <= 3, nothing goes.  readpage 3
 * reserves one: 3 + 1 > 3, the oldest freeable page goes - page 0 is
 * dirty, so page 1 (clean, up to date, unlocked) is evicted; page 0 stays.
 */
static void test_dirty_pages_stay(void)
{
	const char *ini = FILE_INI
		"[cache]\ncapacity = 3\n"
		"[page.big.0]\nflags = uptodate, dirty\n"
		"[page.big.1]\nflags = uptodate\n"
		"[task.reader]\nfile = big\nops = readpage 2; wait 2-2; "
		"readpage 3\n";
	struct harness_run *r = harness_run_text(ini, NULL);
	struct page_cache_stats st;

	g_assert_cmpint(r->status, ==, 0);
	page_cache_get_stats(&st);
	harness_assert_summary(r, "evict", "page", "1");
	g_assert_cmpuint(st.peak_pages, ==, 3);
	harness_run_free(r);
}

/* Bad capacities are scenario errors naming [cache] capacity. */
static void test_bad_capacity(void)
{
	static const char *const sets[] = {
		"cache.capacity=0", "cache.capacity=lots",
		"cache.capacity=1K",		/* less than a page */
		"cache.capacity=31",		/* a call reads 32 pages */
	};
	char *ini = reader_ini("", 2, 32);

	for (unsigned i = 0; i < G_N_ELEMENTS(sets); i++) {
		struct harness_run *r = harness_run1(ini, sets[i]);

		g_assert_cmpint(r->status, ==, 2);
		g_assert_nonnull(strstr(r->error, "[cache] capacity"));
		harness_run_free(r);
	}
	g_free(ini);
}

/* Pages cached at the start must fit: 3 cached, capacity 2. */
static void test_start_pages_must_fit(void)
{
	const char *ini = FILE_INI "cached = 0-2\n"
		"[cache]\ncapacity = 2\n"
		"[task.reader]\nfile = big\nops = readpage 5\n";
	struct harness_run *r = harness_run_text(ini, NULL);

	g_assert_cmpint(r->status, ==, 2);
	g_assert_nonnull(strstr(r->error, "[cache] capacity: 2 pages, but "
				"the scenario caches 3 at the start"));
	harness_run_free(r);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cache/ten-times-the-cache", test_ten_times_the_cache);
	g_test_add_func("/cache/same-bios-as-unlimited",
			test_same_bios_as_unlimited);
	g_test_add_func("/cache/fitting-read-unchanged",
			test_fitting_read_unchanged);
	g_test_add_func("/cache/dirty-pages-stay", test_dirty_pages_stay);
	g_test_add_func("/cache/bad-capacity", test_bad_capacity);
	g_test_add_func("/cache/start-pages-must-fit",
			test_start_pages_must_fit);
	return g_test_run();
}
