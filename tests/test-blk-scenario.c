/*
 * test-blk-scenario.c - the block layer under the bundled scenario
 * scenarios/ext2-boundary.ini (the BH_Boundary example of fs/mpage.c),
 * with the simple disk so that costs cannot move the order, and the
 * [block] keys' error messages.
 *
 * Layout: file blocks 0-11 on sectors 0-23, the indirect block (IND) on
 * sectors 24-25, file blocks 12-15 on sectors 26-33; one readpages call
 * over pages 0-3 inside a plug (read_pages).
 *
 * Boundary on (4.9 path, plugged): bio 1 (0..24, pages 0-2) is submitted
 * after page 2 and becomes request 1 on the plug.  Page 3's get_block reads
 * IND with sb_bread: bio 2 (24, 2 sectors) walks the plug, request 1 ends
 * at 24 == bio 2's start: plug back merge, request 1 = 0..26.  The wait for
 * IND flushes the plug (reason sleep; kblockd runs the queue): the disk
 * reads 0..26.  Its completion ends pages 0-2 and IND; page 3 maps to
 * 26..34: bio 3, request 2 on the now empty plug; blk_finish_plug flushes
 * it: the disk reads 26..34.  Two requests, ascending.
 *
 * Boundary off: IND is read first, while bio 1 is still being built: bio 1
 * is IND's, request 1, alone on the plug, flushed by the wait and read
 * (24, 2).  Then bio 2 (0..24) and bio 3 (26..34) become requests 2 and 3
 * on the plug: 24 != 26, no merge; the finish sorts them (0, 26) and
 * inserts them; 0..24 cannot merge with 26..34 either.  Three requests:
 * 24, then 0, then 26 - one backward seek.
 *
 * Without a plug (block.plug=off), boundary on: bio 1 goes to the device at
 * once, so IND finds it started and cannot merge: 0, 24, 26.  Boundary off:
 * 24, 0, 26 as submitted.  The elevator (noop or deadline) changes none of
 * this: never more than one request waits.
 *
 * Also here: the [block] keys' error messages and effective values.
 */
#include <string.h>
#include "harness.h"
#include "block/blkdev.h"

static char *bundled_scenario(void)
{
	const char *top = g_getenv("top_srcdir");
	char *path = g_build_filename(top ? top : ".", "scenarios",
				      "ext2-boundary.ini", NULL);
	char *text = NULL;

	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	g_free(path);
	return text;
}

static struct harness_run *run_bundled(const char *boundary,
				       const char *plug,
				       const char *elevator)
{
	char *ini = bundled_scenario();
	const char *sets[] = { "disk.preset=simple", boundary, plug, elevator,
			       NULL };
	struct harness_run *r = harness_run_text(ini, sets);

	g_free(ini);
	g_assert_cmpint(r->status, ==, 0);
	return r;
}

static void test_boundary_on_plugged(void)
{
	const char *elevators[] = { "block.elevator=deadline",
				    "block.elevator=noop" };

	for (unsigned i = 0; i < G_N_ELEMENTS(elevators); i++) {
		struct harness_run *r = run_bundled("fs.boundary=on",
						    "block.plug=on",
						    elevators[i]);

		harness_assert_summary(r, "queue", "sector sectors bio",
				       "0 24 1; 24 2 2; 26 8 3");
		harness_assert_summary(r, "merge", "sector sectors "
				       "sectors_after reason",
				       "0 2 26 plug-back");
		harness_assert_summary(r, "unplug", "count reason",
				       "1 sleep; 1 finish");
		harness_assert_summary(r, "dispatch", "sector sectors bios",
				       "0 26 1,2; 26 8 3");
		harness_run_free(r);
	}
}

static void test_boundary_off_plugged(void)
{
	const char *elevators[] = { "block.elevator=deadline",
				    "block.elevator=noop" };

	for (unsigned i = 0; i < G_N_ELEMENTS(elevators); i++) {
		struct harness_run *r = run_bundled("fs.boundary=off",
						    "block.plug=on",
						    elevators[i]);

		harness_assert_summary(r, "queue", "sector sectors bio",
				       "24 2 1; 0 24 2; 26 8 3");
		g_assert_cmpuint(harness_count(r, "merge"), ==, 0);
		harness_assert_summary(r, "unplug", "count reason",
				       "1 sleep; 2 finish");
		harness_assert_summary(r, "dispatch", "sector sectors bios",
				       "24 2 1; 0 24 2; 26 8 3");
		harness_run_free(r);
	}
}

static void test_unplugged(void)
{
	struct harness_run *r = run_bundled("fs.boundary=on", "block.plug=off",
					    NULL);

	harness_assert_summary(r, "dispatch", "sector sectors bios",
			       "0 24 1; 24 2 2; 26 8 3");
	harness_run_free(r);
	r = run_bundled("fs.boundary=off", "block.plug=off", NULL);
	harness_assert_summary(r, "dispatch", "sector sectors bios",
			       "24 2 1; 0 24 2; 26 8 3");
	harness_run_free(r);
}

/* Same scenario, same options: the same trace, line for line. */
static void test_deterministic(void)
{
	struct harness_run *a = run_bundled("fs.boundary=on", NULL, NULL);
	struct harness_run *b = run_bundled("fs.boundary=on", NULL, NULL);
	char *da = harness_dump(a), *db = harness_dump(b);

	g_assert_cmpstr(da, ==, db);
	g_free(da);
	g_free(db);
	harness_run_free(a);
	harness_run_free(b);
}

/* A bad [block] value: exit status 2, a message naming group and key. */
static void test_bad_values(void)
{
	static const char *const bad[][2] = {
		{ "block.elevator=bfq", "[block] elevator" },
		{ "block.read_expire=soon", "[block] read_expire" },
		{ "block.write_expire=5 fortnights", "[block] write_expire" },
		{ "block.nr_requests=2", "[block] nr_requests" },
		{ "block.max_sectors_kb=2", "[block] max_sectors_kb" },
		{ "block.max_segments=0", "[block] max_segments" },
		{ "block.nomerges=3", "[block] nomerges" },
		{ "block.front_merges=maybe", "[block] front_merges" },
		{ "block.fifo_batch=-1", "[block] fifo_batch" },
	};
	char *ini = bundled_scenario();

	for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++) {
		struct harness_run *r = harness_run1(ini, bad[i][0]);

		g_assert_cmpint(r->status, ==, 2);
		g_assert_nonnull(strstr(r->error, bad[i][1]));
		harness_run_free(r);
	}
	g_free(ini);
}

static void collect(const char *key, const char *value, void *arg)
{
	g_string_append_printf(arg, "%s=%s ", key, value);
}

/*
 * The effective options, in their fixed order: 4.9's defaults, then the
 * same after setting some.  Durations show in the largest exact unit; a
 * bare number is in milliseconds, as sysfs takes it.
 */
static void test_options_listing(void)
{
	static const char *const sets[][2] = {
		{ "elevator", "noop" }, { "read_expire", "250" },
		{ "write_expire", "1500us" }, { "fifo_batch", "4" },
		{ "nr_requests", "32" }, { "front_merges", "off" },
		{ "cfq.slice_idle", "0" }, { "cfq.low_latency", "off" },
		{ "cfq.quantum", "4" },
	};
	struct blk_options opt;
	GString *s = g_string_new(NULL);

	blk_options_init(&opt);
	blk_options_foreach(&opt, collect, s);
	/*
	 * cfq's: the tunables at the top of block/cfq-iosched.c (HZ-free
	 * since 4.8: NSEC_PER_SEC / 4, / 8, / 25, / 10, / 125, 3/10),
	 * group_idle 0 as cfq_init() leaves it without blkcg groups.
	 */
	g_assert_cmpstr(s->str, ==, "cfq.back_seek_max=16384 "
			"cfq.back_seek_penalty=2 cfq.fifo_expire_async=250ms "
			"cfq.fifo_expire_sync=125ms cfq.group_idle=0ms "
			"cfq.low_latency=1 cfq.quantum=8 cfq.slice_async=40ms "
			"cfq.slice_async_rq=2 cfq.slice_idle=8ms "
			"cfq.slice_sync=100ms cfq.target_latency=300ms "
			"elevator=cfq fail_bio_alloc= "
			"fifo_batch=16 front_merges=on max_sectors_kb=1280 "
			"max_segments=128 nomerges=0 nr_requests=128 plug=on "
			"read_expire=500ms write_expire=5s writes_starved=2 ");
	for (unsigned i = 0; i < G_N_ELEMENTS(sets); i++)
		g_assert_true(blk_options_set(&opt, sets[i][0], sets[i][1],
					      NULL));
	g_string_truncate(s, 0);
	blk_options_foreach(&opt, collect, s);
	g_assert_cmpstr(s->str, ==, "cfq.back_seek_max=16384 "
			"cfq.back_seek_penalty=2 cfq.fifo_expire_async=250ms "
			"cfq.fifo_expire_sync=125ms cfq.group_idle=0ms "
			"cfq.low_latency=0 cfq.quantum=4 cfq.slice_async=40ms "
			"cfq.slice_async_rq=2 cfq.slice_idle=0ms "
			"cfq.slice_sync=100ms cfq.target_latency=300ms "
			"elevator=noop fail_bio_alloc= "
			"fifo_batch=4 front_merges=off max_sectors_kb=1280 "
			"max_segments=128 nomerges=0 nr_requests=32 plug=on "
			"read_expire=250ms write_expire=1500us writes_starved=2 ");
	g_string_free(s, TRUE);
	blk_options_clear(&opt);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/blk-scenario/boundary-on-plugged",
			test_boundary_on_plugged);
	g_test_add_func("/blk-scenario/boundary-off-plugged",
			test_boundary_off_plugged);
	g_test_add_func("/blk-scenario/unplugged", test_unplugged);
	g_test_add_func("/blk-scenario/deterministic", test_deterministic);
	g_test_add_func("/blk-scenario/bad-values", test_bad_values);
	g_test_add_func("/blk-scenario/options-listing",
			test_options_listing);
	return g_test_run();
}
