/*
 * test-ext2-map.c - every branch of the ext2 block mapping under mpage:
 * ext2_block_to_path(), ext2_get_branch(), the lookup of ext2_get_blocks()
 * and ext2_get_block(), seen through the bios and metadata reads of a
 * readpages call.
 *
 * All scenarios use 1 KiB blocks: 256 pointers per block, so file blocks
 * 0-11 are direct, 12-267 single indirect, 268-65803 double indirect (one
 * leaf per 256 blocks), 65804 on triple indirect.  Four blocks make a page,
 * and every container starts on a page boundary (12, 268, 268 + 256k and
 * 65804 are multiples of 4), so a boundary falls at the end of a page.
 * Sectors are 2 per block.  Pointer blocks sit on disk blocks 400.., data
 * on 500.. unless said otherwise.
 *
 * Working common to all: get_block(b) with n blocks asked maps the run of
 * contiguous blocks from b, at most n, and never past the container's last
 * slot (count <= blocks_to_boundary + 1, where blocks_to_boundary is
 * final - 1 - (i_block & (ptrs - 1))); reaching that slot sets BH_Boundary
 * (unless fs.boundary = off).  Each pointer block on the path is read with
 * sb_bread(): a metadata read (and a sleep until it ends) when it is not in
 * the buffer cache, nothing when it is.
 */
#include "harness.h"

#include <stdlib.h>

#define HEAD "[disk]\npreset = simple\n[fs]\nblock_size = 1024\n"
#define BIOS "sector sectors origin pages"

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

/* The time (first field) of the nth line of an action, or -1. */
static gint64 nth_time(const struct harness_run *r, const char *action,
		       const char *key, const char *value, unsigned nth)
{
	size_t alen = strlen(action);

	for (guint i = 0; i < r->lines->len; i++) {
		const char *line = r->lines->pdata[i];
		const char *sp = strchr(line, ' ');
		char *v;
		bool match;

		if (!sp || strncmp(sp + 1, action, alen) ||
		    (sp[1 + alen] != ' ' && sp[1 + alen] != '\0'))
			continue;
		v = key ? harness_field(line, key) : NULL;
		match = !key || !g_strcmp0(v, value);
		g_free(v);
		if (match && nth-- == 0)
			return g_ascii_strtoll(line, NULL, 10);
	}
	return -1;
}

/*
 * The metadata reads of one get_block() are serial: the k+1th starts when
 * the request of the kth completes (sb_bread sleeps on it).
 */
static void assert_serial_meta(const struct harness_run *r,
			       const char *const *sectors)
{
	for (unsigned k = 0; sectors[k + 1]; k++) {
		gint64 done = nth_time(r, "complete", "sector", sectors[k], 0);
		gint64 next = nth_time(r, "meta_read", NULL, NULL, k + 1);

		g_assert_cmpint(done, >, 0);
		g_assert_cmpint(next, ==, done);
	}
}

/*
 * Direct blocks 0-7 on 100-107, readpages 0-1: get_block(0, 8) maps 8
 * straight from i_data, no pointer block: no metadata read, one bio.
 */
static void test_direct(void)
{
	struct harness_run *r = run1(HEAD
		"[file.a]\nsize = 8K\nextents = 0-7:100\n"
		"[task.t]\nfile = a\nops = readpages 0-1\n", NULL);

	harness_assert_summary(r, "queue", BIOS, "200 16 mpage 0-1");
	g_assert_cmpuint(harness_count(r, "meta_read"), ==, 0);
	harness_run_free(r);
}

/*
 * Single indirect: file blocks 12-19 on 500-507, the indirect block on
 * 400.  Two readpages calls, page 3 then page 4.  Page 3: path
 * [IND, 0]: sb_bread(400) is cold: a metadata read (sector 800), then
 * 500-503.  Page 4: path [IND, 4]: block 400 is now up to date in the
 * buffer cache: no read; 504-507.
 */
static void test_single_indirect(void)
{
	struct harness_run *r = run1(HEAD
		"[file.a]\nsize = 20K\nextents = 12-19:500\nindirect = ind:400\n"
		"[task.t]\nfile = a\nops = readpages 3-3; readpages 4-4\n", NULL);

	harness_assert_summary(r, "meta_read", "block sector sectors",
			       "400 800 2");
	harness_assert_summary(r, "queue", BIOS,
			       "800 2 meta -; 1000 8 mpage 3; 1008 8 mpage 4");
	harness_run_free(r);
}

/*
 * Double indirect: file blocks 268-275 (pages 67-68) on 500-507; dind on
 * 400, its first leaf on 401.  Path [DIND, 0, 0]: dind read, then the leaf
 * (one after the other), then 8 blocks mapped (256 slots, 252 to spare).
 */
static void test_double_indirect(void)
{
	static const char *const secs[] = { "800", "802", NULL };
	struct harness_run *r = run1(HEAD
		"[file.a]\nsize = 276K\nextents = 268-275:500\n"
		"indirect = dind:400, dind/0:401\n"
		"[task.t]\nfile = a\nops = readpages 67-68\n", NULL);

	harness_assert_summary(r, "meta_read", "block", "400; 401");
	harness_assert_summary(r, "queue", BIOS,
			       "800 2 meta -; 802 2 meta -; "
			       "1000 16 mpage 67-68");
	assert_serial_meta(r, secs);
	harness_run_free(r);
}

/*
 * Triple indirect: file block 65804 = 12 + 256 + 65536 is the first one;
 * 65804-65811 (pages 16451-16452) on 500-507, tind on 400, tind/0 on 401,
 * tind/0/0 on 402.  Path [TIND, 0, 0, 0]: three serial reads, top first.
 */
static const char *const triple_ini = HEAD
	"[file.a]\nsize = 65812K\nextents = 65804-65811:500\n"
	"indirect = tind:400, tind/0:401, tind/0/0:402\n"
	"[task.t]\nfile = a\nops = readpages 16451-16452\n";

static void test_triple_indirect(void)
{
	static const char *const secs[] = { "800", "802", "804", NULL };
	struct harness_run *r = run1(triple_ini, NULL);

	harness_assert_summary(r, "meta_read", "block", "400; 401; 402");
	harness_assert_summary(r, "queue", BIOS,
			       "800 2 meta -; 802 2 meta -; 804 2 meta -; "
			       "1000 16 mpage 16451-16452");
	assert_serial_meta(r, secs);
	harness_run_free(r);
}

/*
 * fs.cached_blocks: the pointer blocks named are up to date in the buffer
 * cache from the start; sb_bread() finds them without I/O.  All three
 * cached: no metadata read; only the top one: the reads of 401 and 402.
 */
static void test_cached_pointer_blocks(void)
{
	struct harness_run *r = run1(triple_ini, "fs.cached_blocks=400-402");

	g_assert_cmpuint(harness_count(r, "meta_read"), ==, 0);
	harness_assert_summary(r, "queue", BIOS, "1000 16 mpage 16451-16452");
	harness_run_free(r);

	r = run1(triple_ini, "fs.cached_blocks=400");
	harness_assert_summary(r, "meta_read", "block", "401; 402");
	harness_run_free(r);
}

/*
 * The run capped at the end of the direct slots: file blocks 0-15 on
 * 100-115 in one line on disk, the indirect block elsewhere (300).
 * readpages 0-3.  get_block(0, 16) maps 12, not 16: blocks_to_boundary =
 * 11, so the loop stops at count 12.  Page 3 needs get_block(12): the
 * indirect block is read.  (Uncapped, page 3 would reuse the mapping and
 * nothing would be read.)
 * Boundary off: 112 follows 111, page 3 joins the open bio: one bio after
 * the metadata read.  Boundary on: count 12 > 11 sets BH_Boundary, and
 * after page 2 relative_block (12) == nblocks: the bio of pages 0-2 goes
 * before the read.
 */
static const char *const capped_direct_ini = HEAD
	"[file.a]\nsize = 16K\nextents = 0-15:100\nindirect = ind:300\n"
	"[task.t]\nfile = a\nops = readpages 0-3\n";

static void test_capped_direct(void)
{
	struct harness_run *r = run1(capped_direct_ini, "fs.boundary=off");

	harness_assert_summary(r, "meta_read", "block", "300");
	harness_assert_summary(r, "queue", BIOS,
			       "600 2 meta -; 200 32 mpage 0-3");
	harness_run_free(r);
	r = run1(capped_direct_ini, "fs.boundary=on");
	harness_assert_summary(r, "queue", BIOS,
			       "200 24 mpage 0-2; 600 2 meta -; 224 8 mpage 3");
	harness_run_free(r);
}

/*
 * The end of the single indirect block: file blocks 264-271 (pages 66-67)
 * on 500-507; ind on 400, dind on 401, dind/0 on 402.  get_block(264, 8):
 * path [IND, 252], blocks_to_boundary = 255 - 252 = 3: 4 blocks (capped),
 * BH_Boundary.  Page 67: get_block(268), path [DIND, 0, 0]: reads 401 and
 * 402.
 * Boundary on: page 66's bio is sent before those reads.  Off: they come
 * while it is open and page 67 (504 after 503) joins it.
 */
static const char *const ind_end_ini = HEAD
	"[file.a]\nsize = 272K\nextents = 264-271:500\n"
	"indirect = ind:400, dind:401, dind/0:402\n"
	"[task.t]\nfile = a\nops = readpages 66-67\n";

static void test_boundary_single_indirect(void)
{
	struct harness_run *r = run1(ind_end_ini, "fs.boundary=on");

	harness_assert_summary(r, "queue", BIOS,
			       "800 2 meta -; 1000 8 mpage 66; "
			       "802 2 meta -; 804 2 meta -; 1008 8 mpage 67");
	harness_run_free(r);
	r = run1(ind_end_ini, "fs.boundary=off");
	harness_assert_summary(r, "queue", BIOS,
			       "800 2 meta -; 802 2 meta -; 804 2 meta -; "
			       "1000 16 mpage 66-67");
	harness_run_free(r);
}

/*
 * The end of a leaf under dind: leaf dind/0 maps 268-523, dind/1 maps
 * 524-779.  File blocks 520-527 (pages 130-131) on 500-507; dind on 400,
 * dind/0 on 401, dind/1 on 402.  get_block(520): path [DIND, 0, 252]
 * (520 - 268 = 252), reads 400 and 401, maps 4 with BH_Boundary.
 * get_block(524): path [DIND, 1, 0]: 400 is cached, reads 402.
 */
static const char *const dind_leaf_ini = HEAD
	"[file.a]\nsize = 528K\nextents = 520-527:500\n"
	"indirect = dind:400, dind/0:401, dind/1:402\n"
	"[task.t]\nfile = a\nops = readpages 130-131\n";

static void test_boundary_dind_leaf(void)
{
	struct harness_run *r = run1(dind_leaf_ini, "fs.boundary=on");

	harness_assert_summary(r, "queue", BIOS,
			       "800 2 meta -; 802 2 meta -; 1000 8 mpage 130; "
			       "804 2 meta -; 1008 8 mpage 131");
	harness_run_free(r);
	r = run1(dind_leaf_ini, "fs.boundary=off");
	harness_assert_summary(r, "queue", BIOS,
			       "800 2 meta -; 802 2 meta -; 804 2 meta -; "
			       "1000 16 mpage 130-131");
	harness_run_free(r);
}

/*
 * The end of a leaf under tind: tind/0/0 maps 65804-66059, tind/0/1 from
 * 66060.  File blocks 66056-66063 (pages 16514-16515) on 500-507; tind on
 * 400, tind/0 on 401, tind/0/0 on 402, tind/0/1 on 403.  get_block(66056):
 * path [TIND, 0, 0, 252], three reads, 4 blocks with BH_Boundary.
 * get_block(66060): path [TIND, 0, 1, 0]: reads 403 only.
 */
static const char *const tind_leaf_ini = HEAD
	"[file.a]\nsize = 66064K\nextents = 66056-66063:500\n"
	"indirect = tind:400, tind/0:401, tind/0/0:402, tind/0/1:403\n"
	"[task.t]\nfile = a\nops = readpages 16514-16515\n";

static void test_boundary_tind_leaf(void)
{
	struct harness_run *r = run1(tind_leaf_ini, "fs.boundary=on");

	harness_assert_summary(r, "queue", BIOS,
			       "800 2 meta -; 802 2 meta -; 804 2 meta -; "
			       "1000 8 mpage 16514; "
			       "806 2 meta -; 1008 8 mpage 16515");
	harness_run_free(r);
	r = run1(tind_leaf_ini, "fs.boundary=off");
	harness_assert_summary(r, "queue", BIOS,
			       "800 2 meta -; 802 2 meta -; 804 2 meta -; "
			       "806 2 meta -; 1000 16 mpage 16514-16515");
	harness_run_free(r);
}

/*
 * Holes on the path.
 * (1) dind on 400 holds no leaf: every get_block(268..275) reads or finds
 * 400 and stops at its empty slot 0 (ext2_get_branch's no_block): a hole.
 * One metadata read; pages 67-68 wholly holes: zeroed, no bio.
 * (2) A hole inside a leaf: ind on 400, file blocks 12-13 on 500-501, 14-15
 * holes.  get_block(12, 4) maps 2 (slot 14 is empty); get_block(14) and
 * (15) are holes: first_hole = 2, a 2048-byte bio at 1000.
 * (3) The inode's IND slot empty: get_block(12) stops in i_data, no read.
 */
static void test_holes_in_pointer_blocks(void)
{
	struct harness_run *r = run1(HEAD
		"[file.a]\nsize = 276K\nindirect = dind:400\n"
		"[task.t]\nfile = a\nops = readpages 67-68\n", NULL);

	harness_assert_summary(r, "queue", BIOS, "800 2 meta -");
	harness_assert_summary(r, "zero", "page offset len",
			       "67 0 4096; 68 0 4096");
	harness_run_free(r);

	r = run1(HEAD
		"[file.a]\nsize = 16K\nextents = 12-13:500\nindirect = ind:400\n"
		"[task.t]\nfile = a\nops = readpages 3-3\n", NULL);
	harness_assert_summary(r, "queue", BIOS, "800 2 meta -; 1000 4 mpage 3");
	harness_assert_summary(r, "zero", "page offset len", "3 2048 2048");
	harness_run_free(r);

	r = run1(HEAD
		"[file.a]\nsize = 16K\n"
		"[task.t]\nfile = a\nops = readpages 3-3\n", NULL);
	g_assert_cmpuint(harness_count(r, "meta_read"), ==, 0);
	g_assert_cmpuint(harness_count(r, "queue"), ==, 0);
	harness_assert_summary(r, "zero", "page offset len", "3 0 4096");
	harness_run_free(r);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ext2-map/direct", test_direct);
	g_test_add_func("/ext2-map/single-indirect", test_single_indirect);
	g_test_add_func("/ext2-map/double-indirect", test_double_indirect);
	g_test_add_func("/ext2-map/triple-indirect", test_triple_indirect);
	g_test_add_func("/ext2-map/cached-pointer-blocks",
			test_cached_pointer_blocks);
	g_test_add_func("/ext2-map/capped-direct", test_capped_direct);
	g_test_add_func("/ext2-map/boundary/single-indirect",
			test_boundary_single_indirect);
	g_test_add_func("/ext2-map/boundary/dind-leaf",
			test_boundary_dind_leaf);
	g_test_add_func("/ext2-map/boundary/tind-leaf",
			test_boundary_tind_leaf);
	g_test_add_func("/ext2-map/holes", test_holes_in_pointer_blocks);
	return g_test_run();
}
