/*
 * test-disk-lib.c - the disk model used as a library, the way a program
 * outside mpsim would: only "disk/disk.h", linked with src/libmpsim.a,
 * GLib and libm (no SQLite, nothing of the block layer).  It builds a
 * drive from [disk]-style keys, keeps two commands inside it, and reads
 * their completions with the seek, rotation and transfer split, checked
 * against costs worked out by hand.  docs/hacking.md documents the API.
 *
 * The drive: hdd-7200's preset with the synthetic geometry of
 * tests/test-disk.c - 6000 rpm (10 ms a turn), 1000 sectors per track
 * (10 us each), 4 surfaces, skews 100/130; overhead 100 us on a miss;
 * bus 1 us per sector; no cache; two commands at once (SPTF).
 */
#include "disk/disk.h"

#include <string.h>

static const char *const drive[] = {
	/* "preset" is applied first wherever it stands, as in [disk] */
	"rpm", "6000",
	"preset", "hdd-7200",
	"surfaces", "4",
	"zones", "100:1000, 100:500",
	"track_skew", "100",
	"cyl_skew", "130",
	"seek_table", "none",
	"seek_curve", "1000000:100000:1500000:5000:100",
	"head_switch_ns", "500000",
	"write_settle_ns", "200000",
	"overhead_miss_ns", "100000",
	"overhead_hit_ns", "50000",
	"bus_ns_per_sector", "1000",
	"write_back", "off",
	"cache", "off",
	"queue_depth", "2",
	NULL,
};

/* Collect every completion, in order, until the device is idle. */
static int drain(struct disk *d, struct disk_completion *out, int max)
{
	int n = 0;
	int64_t t;

	while ((t = disk_next_completion(d)) != DISK_NEVER) {
		g_assert_cmpint(n, <, max);
		g_assert_true(disk_complete(d, t, &out[n]));
		g_assert_cmpint(out[n].complete_ns, ==, t);
		n++;
	}
	return n;
}

/*
 * Two one-sector reads submitted at t = 0, the head at cylinder 0, head 0
 * (angle 0 at t = 0): A at LBA 0 (slot 0), B at LBA 500 (slot 500).  The
 * choice is made once both are inside, at the end of the overhead,
 * 100,000 = angle 10: A's first sector would come at 10,000,000, B's at
 * 5,000,000: B goes first (shortest positioning).  B: seek 0, rotation
 * 4,900,000, its sector ends 5,010,000, + 1,000 of bus: 5,011,000.  A:
 * from 5,010,000 (angle 501), slot 0 at 10,000,000: rotation 4,990,000,
 * ends 10,010,000, complete 10,011,000.
 */
static void test_library(void)
{
	GError *err = NULL;
	struct disk_params *p = disk_params_from_keys(drive, &err);
	struct disk_cmd a = { .id = 1, .op = DISK_READ, .sector = 0,
			      .sectors = 1 };
	struct disk_cmd b = { .id = 2, .op = DISK_READ, .sector = 500,
			      .sectors = 1 };
	struct disk_completion c[4];
	struct disk *d;

	g_assert_no_error(err);
	d = disk_new(p);
	disk_params_free(p);	/* the disk keeps what it needs */
	g_assert_cmpint(disk_capacity(d), ==, 100 * 4 * 1000 + 100 * 4 * 500);
	g_assert_true(disk_can_accept(d));
	disk_submit(d, &a, 0);
	g_assert_true(disk_can_accept(d));
	disk_submit(d, &b, 0);
	g_assert_false(disk_can_accept(d));
	g_assert_cmpint(drain(d, c, 4), ==, 2);

	g_assert_cmpuint(c[0].cmd.id, ==, 2);
	g_assert_cmpint(c[0].start_ns, ==, 100000);
	g_assert_cmpint(c[0].seek_ns, ==, 0);
	g_assert_cmpint(c[0].rotation_ns, ==, 4900000);
	g_assert_cmpint(c[0].transfer_ns, ==, 11000);
	g_assert_cmpint(c[0].complete_ns, ==, 5011000);
	g_assert_cmpint(c[0].queue_depth, ==, 2);

	g_assert_cmpuint(c[1].cmd.id, ==, 1);
	g_assert_cmpint(c[1].start_ns, ==, 5010000);
	g_assert_cmpint(c[1].rotation_ns, ==, 4990000);
	g_assert_cmpint(c[1].complete_ns, ==, 10011000);
	for (int i = 0; i < 2; i++) {
		g_assert_cmpint(c[i].overhead_ns, ==, 100000);
		g_assert_cmpint(c[i].cache_hit, ==, 0);
		g_assert_cmpint(c[i].start_ns + c[i].seek_ns +
				c[i].rotation_ns + c[i].transfer_ns, ==,
				c[i].complete_ns);
	}
	disk_free(d);
}

/* A bad key or value: NULL, and the message names the key. */
static void test_library_errors(void)
{
	static const char *const bad_key[] = { "preset", "ssd", "rpm",
					       "7200", NULL };
	static const char *const bad_value[] = { "rpm", "fast", NULL };
	GError *err = NULL;

	g_assert_null(disk_params_from_keys(bad_key, &err));
	g_assert_nonnull(strstr(err->message, "rpm"));
	g_clear_error(&err);
	g_assert_null(disk_params_from_keys(bad_value, &err));
	g_assert_nonnull(strstr(err->message, "rpm"));
	g_clear_error(&err);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/disk-lib/two-commands", test_library);
	g_test_add_func("/disk-lib/errors", test_library_errors);
	return g_test_run();
}
