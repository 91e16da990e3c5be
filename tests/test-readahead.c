/*
 * test-readahead.c - the 4.9 readahead windows, worked out by hand from
 * mm/readahead.c, against the "readahead" notes of the read loop.
 *
 * The rules used below (ondemand_readahead, max = ra_pages = 32):
 *   init(n):  r = roundup_pow_of_two(n); r <= max/32 -> 4r; r <= max/4
 *             -> 2r; else max.  First window: size = init(req),
 *             async_size = size - req (or size when size <= req).
 *   next(s):  s < max/16 -> 4s, else 2s; capped at max.
 *   ramp:     offset == start + size - async_size (the marker) or
 *             start + size: start += size; size = next(size);
 *             async_size = size.
 *   self-hit: offset == start and size == async_size -> async_size =
 *             next(size); size += async_size.
 *   marker:   PG_readahead on page start + size - async_size.
 * Notes are summarised as "start size async_size async nr_pages".
 */
#include <stdio.h>
#include <string.h>
#include "harness.h"

static char *load_scenario(const char *name)
{
	const char *top = g_getenv("top_srcdir");
	char *path = g_build_filename(top ? top : ".", "scenarios", name, NULL);
	char *text = NULL;

	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	g_free(path);
	return text;
}

#define RA_KEYS "start size async_size async nr_pages"

/* The page of the read(2) that was running when each readahead began. */
static char *trigger_pages(const struct harness_run *r)
{
	GString *s = g_string_new(NULL);
	char *page = NULL;

	for (guint i = 0; i < r->lines->len; i++) {
		const char *line = r->lines->pdata[i];
		const char *action = strchr(line, ' ') + 1;

		if (g_str_has_prefix(action, "read ")) {
			g_free(page);
			page = harness_field(line, "page");
		} else if (g_str_has_prefix(action, "readahead ")) {
			g_string_append_printf(s, "%s%s", s->len ? " " : "",
					       page ? page : "-");
		}
	}
	g_free(page);
	return g_string_free(s, FALSE);
}

/*
 * scenarios/seq-read-1m.ini: 1 MiB = 256 pages, 4 KiB reads (req 1).
 *   read page 0: miss, sync: init(1) = 4 (1 <= 32/32), async 3:
 *       pages 0-3, marker on 0 + 4 - 3 = 1                  (0 4 3 0 4)
 *   page 1 (marker): ramp, start 4, next(4) = 8 (4 >= 32/16):
 *       pages 4-11, marker 4                               (4 8 8 1 8)
 *   page 4: start 12, size 16, marker 12                  (12 16 16 1 16)
 *   page 12: start 28, size 32, marker 28                 (28 32 32 1 32)
 *   page 28, 60, 92, ..., 220: windows of 32 from 60 to 251
 *   page 220's window marks 252; page 252: start 252, but only pages
 *       252-255 exist (end_index 255): nr_pages 4, marker on 252
 *   page 252: start 284, beyond EOF: nr_pages 0.
 * Pages sent: 4 + 8 + 16 + 32 * 7 + 4 = 256, each once.
 */
static void test_seq_read_1m(void)
{
	char *ini = load_scenario("seq-read-1m.ini");
	const char *sets[] = { "disk.preset=simple", NULL };
	struct harness_run *r = harness_run_text(ini, sets);
	char *trig;
	guint8 seen[256] = { 0 };
	gint64 ra4 = -1, read2 = -1;

	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "readahead", RA_KEYS,
			       "0 4 3 0 4; 4 8 8 1 8; 12 16 16 1 16; "
			       "28 32 32 1 32; 60 32 32 1 32; 92 32 32 1 32; "
			       "124 32 32 1 32; 156 32 32 1 32; "
			       "188 32 32 1 32; 220 32 32 1 32; "
			       "252 32 32 1 4; 284 32 32 1 0");
	/* each window starts at the read of the previous window's marker */
	trig = trigger_pages(r);
	g_assert_cmpstr(trig, ==, "0 1 4 12 28 60 92 124 156 188 220 252");
	g_free(trig);

	for (guint i = 0; i < r->lines->len; i++) {
		const char *line = r->lines->pdata[i];
		char *origin = harness_field(line, "origin");
		char *pages = harness_field(line, "pages");
		char *start = harness_field(line, "start");
		char *page = harness_field(line, "page");

		if (start && !strcmp(start, "4") && ra4 < 0)
			ra4 = i;
		if (page && !strcmp(page, "2") && strstr(line, " read ") &&
		    read2 < 0)
			read2 = i;
		if (origin && !strcmp(origin, "mpage")) {
			/* "A-B" or "A": count every page */
			char **parts = g_strsplit(pages, "-", 2);
			guint64 a = g_ascii_strtoull(parts[0], NULL, 10);
			guint64 b = parts[1] ?
				    g_ascii_strtoull(parts[1], NULL, 10) : a;

			g_assert_cmpuint(b, <, 256);
			for (guint64 p = a; p <= b; p++)
				seen[p]++;
			g_strfreev(parts);
		}
		g_free(origin);
		g_free(pages);
		g_free(start);
		g_free(page);
	}
	/* the second window is sent before the reader reaches page 2 */
	g_assert_cmpint(ra4, >=, 0);
	g_assert_cmpint(read2, >, ra4);
	for (int p = 0; p < 256; p++)
		g_assert_cmpint(seen[p], ==, 1);
	harness_run_free(r);
	g_free(ini);
}

static const char *const seq_ini =
	"[disk]\npreset = simple\n"
	"[fs]\nblock_size = 4096\n"
	"[file.f]\nsize = %s\nlayout = ext2-sequential\nfirst_block = 100\n"
	"[task.t]\nfile = f\nops = %s\n";

static struct harness_run *run_seq(const char *size, const char *ops,
				   const char *set)
{
	char *ini = g_strdup_printf(seq_ini, size, ops);
	struct harness_run *r = harness_run1(ini, set);

	g_free(ini);
	g_assert_cmpint(r->status, ==, 0);
	return r;
}

/*
 * 16 KiB reads (req 4) of 256 KiB (64 pages):
 *   page 0: init(4) = 8 (4 <= 32/4), async 8 - 4 = 4: pages 0-7, marker 4
 *   read at 4: ramp, start 8, next(8) = 16: pages 8-23, marker 8
 *   read at 8: start 24, size 32: pages 24-55, marker 24
 *   read at 24: start 56, 32 pages, clipped at page 63: 8 pages, marker 56
 *   read at 56: start 88, beyond EOF: 0 pages.
 */
static void test_seq_16k(void)
{
	struct harness_run *r = run_seq("256K", "read 0 256K 16K", NULL);
	char *trig = trigger_pages(r);

	harness_assert_summary(r, "readahead", RA_KEYS,
			       "0 8 4 0 8; 8 16 16 1 16; 24 32 32 1 32; "
			       "56 32 32 1 8; 88 32 32 1 0");
	g_assert_cmpstr(trig, ==, "0 4 8 24 56");
	g_free(trig);
	harness_run_free(r);
}

/*
 * 128 KiB reads (req 32) of 512 KiB (128 pages):
 *   page 0: init(32) = max = 32; size == req, so async_size = size = 32;
 *   offset == start and size == async_size: self-hit, async_size =
 *   next(32) = 32, size 64: pages 0-63 in one call, marker on 32
 *   read at 32: ramp (32 == 0 + 64 - 32), start 64, next(64) capped 32:
 *   pages 64-95, marker 64; read at 64: 96-127; read at 96: 128, EOF.
 */
static void test_seq_128k(void)
{
	struct harness_run *r = run_seq("512K", "read 0 512K 128K", NULL);

	harness_assert_summary(r, "readahead", RA_KEYS,
			       "0 64 32 0 64; 64 32 32 1 32; 96 32 32 1 32; "
			       "128 32 32 1 0");
	harness_run_free(r);
}

/*
 * Random reads: strided 4 KiB reads at pages 0, 16, 32, 48.
 *   page 0: initial window 0-3 (0 4 3 0 4).  The read leaves prev_pos at
 *   page 0.  Page 16: not the marker (1) nor the window end (4); 16 - 0
 *   > 1; page 15 is not cached, so no history: a small random read of
 *   exactly req_size = 1 page, no marker, state untouched (16 1 0 0 1).
 *   Likewise 32 and 48.
 */
static void test_random(void)
{
	struct harness_run *r = run_seq("1M", "strided 0 4K 64K 4", NULL);

	harness_assert_summary(r, "readahead", RA_KEYS,
			       "0 4 3 0 4; 16 1 0 0 1; 32 1 0 0 1; "
			       "48 1 0 0 1");
	/*
	 * single-page bios after the first window; file block 16 is the
	 * first mapped through the indirect block (block 112, after data
	 * blocks 0-11 at 100-111), read once with sb_bread (no pages)
	 */
	harness_assert_summary(r, "queue", "pages", "0-3; -; 16; 32; 48");
	harness_run_free(r);
}

/*
 * Context readahead: pages 0-19 cached, a fresh reader at page 20.
 *   Not offset 0, no window yet, prev_pos -1 (far); count_history_pages
 *   finds 20 cached pages below 20 (> req 1) and, since 20 >= offset,
 *   doubles it to 40: start 20, size min(40 + 1, 32) = 32, async 1:
 *   pages 20-51, marker on 20 + 32 - 1 = 51.
 * With pages 8-19 cached: 12 history pages, 12 < 20 so no doubling:
 *   size min(12 + 1, 32) = 13: pages 20-32.
 */
static void test_context(void)
{
	const char *ini =
		"[disk]\npreset = simple\n[fs]\nblock_size = 4096\n"
		"[file.f]\nsize = 1M\nlayout = ext2-sequential\n"
		"cached = 0-19\n"
		"[task.t]\nfile = f\nops = read 80K 4K 4K\n";
	struct harness_run *r = harness_run1(ini, NULL);

	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "readahead", RA_KEYS, "20 32 1 0 32");
	harness_run_free(r);
	r = harness_run1(ini, "file.f.cached=8-19");
	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "readahead", RA_KEYS, "20 13 1 0 13");
	harness_run_free(r);
}

/*
 * ra_pages 0: no readahead at all; each missing page is read by
 * ->readpage on its own (no_cached_page), one 8-sector bio per page.
 * read_ahead_kb = 16 gives ra_pages 4: init(1): 1 <= 4/32 = 0 fails,
 * 1 <= 4/4 = 1 holds, so size 2r = 2, async 2 - 1 = 1.
 */
static void test_ra_pages(void)
{
	struct harness_run *r = run_seq("16K", "read 0 16K 4K",
					"readahead.ra_pages=0");

	g_assert_cmpuint(harness_count(r, "readahead"), ==, 0);
	harness_assert_summary(r, "queue", "pages sectors",
			       "0 8; 1 8; 2 8; 3 8");
	harness_run_free(r);
	r = run_seq("16K", "read 0 4K 4K", "readahead.read_ahead_kb=16");
	harness_assert_summary(r, "readahead", RA_KEYS, "0 2 1 0 2");
	harness_run_free(r);
}

/*
 * drop_caches between two reads of the same page: the page is read from
 * the disk twice; without it, once.
 */
static void test_drop_caches(void)
{
	struct harness_run *r = run_seq("4K", "read 0 4K 4K; drop_caches; "
					"read 0 4K 4K", NULL);

	harness_assert_summary(r, "queue", "pages", "0; 0");
	harness_run_free(r);
	r = run_seq("4K", "read 0 4K 4K; read 0 4K 4K", NULL);
	harness_assert_summary(r, "queue", "pages", "0");
	harness_run_free(r);
}

/* randread: seeded, so two runs agree; offsets aligned, inside the file */
static void test_randread(void)
{
	struct harness_run *a = run_seq("1M", "randread 20 8K 7", NULL);
	struct harness_run *b = run_seq("1M", "randread 20 8K 7", NULL);
	char *sa = harness_summary(a, "read", "page offset len");
	char *sb = harness_summary(b, "read", "page offset len");
	char **items = g_strsplit(sa, "; ", -1);

	g_assert_cmpstr(sa, ==, sb);
	g_assert_cmpuint(g_strv_length(items), ==, 20);
	for (char **it = items; *it; it++) {
		guint64 page, off, len;

		g_assert_cmpint(sscanf(*it, "%" G_GUINT64_FORMAT " %"
				       G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
				       &page, &off, &len), ==, 3);
		g_assert_cmpuint(page % 2, ==, 0);	/* 8 KiB aligned */
		g_assert_cmpuint(page, <, 256);
		g_assert_cmpuint(off, ==, 0);
		g_assert_cmpuint(len, ==, 8192);
	}
	g_strfreev(items);
	g_free(sa);
	g_free(sb);
	harness_run_free(a);
	harness_run_free(b);
}

/* Bad read ops name the group and key. */
static void test_bad_ops(void)
{
	static const char *const bad[][2] = {
		{ "read 0 1M", "expected read OFFSET LEN REQSIZE" },
		{ "read 0 1M 0", "REQSIZE must be in" },
		{ "randread 4 2M 1", "REQSIZE is larger than file f" },
		{ "strided 0 4K x 3", "STRIDE \"x\" is not a size" },
		{ "drop_caches now", "drop_caches takes nothing" },
	};

	for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++) {
		char *ini = g_strdup_printf(seq_ini, "1M", bad[i][0]);
		struct harness_run *r = harness_run1(ini, NULL);

		g_assert_cmpint(r->status, ==, 2);
		g_assert_nonnull(strstr(r->error, "[task.t] ops:"));
		g_assert_nonnull(strstr(r->error, bad[i][1]));
		harness_run_free(r);
		g_free(ini);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/readahead/seq-read-1m", test_seq_read_1m);
	g_test_add_func("/readahead/seq-16k", test_seq_16k);
	g_test_add_func("/readahead/seq-128k", test_seq_128k);
	g_test_add_func("/readahead/random", test_random);
	g_test_add_func("/readahead/context", test_context);
	g_test_add_func("/readahead/ra-pages", test_ra_pages);
	g_test_add_func("/readahead/drop-caches", test_drop_caches);
	g_test_add_func("/readahead/randread", test_randread);
	g_test_add_func("/readahead/bad-ops", test_bad_ops);
	return g_test_run();
}
