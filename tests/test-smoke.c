/*
 * test-smoke.c - the seed comment's BH_Boundary example end to end, as
 * the README promises it: the queue order of bios with boundaries ignored
 * and honoured.
 *
 * Layout (1 KiB blocks, 4 KiB pages): file blocks 0-11 on disk blocks 0-11,
 * the indirect block on disk block 12 (sectors 24-25), file blocks 12-15 on
 * disk blocks 13-16 (sectors 26-33).  One mpage_readpages over pages 0-3.
 *
 * Boundary off (worked from the seed): page 0's get_block maps 12 blocks
 * (blocks 0-11, run capped at the end of the direct slots) without
 * BH_Boundary; pages 1 and 2 reuse that mapping and join bio B1 (sectors
 * 0-23).  Page 3's get_block reads the indirect block with sb_bread: the
 * metadata bio (sector 24, 2 sectors) is queued while B1 is still open.
 * Blocks 13.. do not follow block 11, so B1 is submitted, and page 3 starts
 * B2 at sector 26 (8 sectors), submitted at the end.  Queue order:
 * 24, 0, 26 - the comment's "12 0 1 ... 11 13 14 15 16".
 *
 * Boundary on: the mapping of block 11 carries BH_Boundary; after page 2,
 * relative_block (12) == nblocks (12), so B1 is submitted before page 3's
 * get_block.  Queue order: 0, 24, 26.
 */
#include "harness.h"

static const char *const boundary_ini =
	"[fs]\nblock_size = 1024\n"
	"[disk]\npreset = simple\n"
	"[file.a]\nsize = 16K\nextents = 0-11:0, 12-15:13\nindirect = ind:12\n"
	"[task.reader]\nfile = a\nops = readpages 0-3\n";

static void test_boundary_off_unplugged(void)
{
	const char *sets[] = { "fs.boundary=off", "block.plug=off", NULL };
	struct harness_run *r = harness_run_text(boundary_ini, sets);

	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "queue", "sector sectors origin pages",
			       "24 2 meta -; 0 24 mpage 0-2; 26 8 mpage 3");
	harness_run_free(r);
}

static void test_boundary_on_unplugged(void)
{
	const char *sets[] = { "fs.boundary=on", "block.plug=off", NULL };
	struct harness_run *r = harness_run_text(boundary_ini, sets);

	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "queue", "sector sectors origin pages",
			       "0 24 mpage 0-2; 24 2 meta -; 26 8 mpage 3");
	harness_run_free(r);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/smoke/boundary-off-unplugged",
			test_boundary_off_unplugged);
	g_test_add_func("/smoke/boundary-on-unplugged",
			test_boundary_on_unplugged);
	return g_test_run();
}
