/*
 * test-disk.c - single requests against costs worked out by hand.
 *
 * Most tests use a small synthetic drive chosen so that every figure is
 * a whole number of nanoseconds:
 *
 *   6000 rpm: one revolution T = 10 ms = 10,000,000 ns, angle(t) =
 *   (t mod T) / T.  Zone 0: cylinders 0-99, 1000 sectors per track, so
 *   one sector = 10,000 ns and "angle 250" means 2.5 ms into a turn.
 *   Zone 1: cylinders 100-199, 500 sectors per track (20,000 ns each).
 *   4 surfaces; track skew 100 sectors, cylinder skew 130 sectors.
 *   Sector s of (cylinder c, head h), c counted in its zone, starts at
 *   slot (h + 3c) * 100 + 130c + s (mod sectors per track).
 *   Seek: 1,000,000 + 100,000 * sqrt(d) ns below 100 cylinders,
 *   1,500,000 + 5,000 * d from there (value and slope continuous at
 *   100: 2,000,000 ns, 5,000 ns per cylinder).
 *   Head switch 500,000 ns; write settle 200,000 ns; overhead 100,000 ns
 *   on a miss, 50,000 ns on a hit; bus 1,000 ns per sector.
 *
 * LBA of (c, h, s) in zone 0 = (4c + h) * 1000 + s; zone 1 starts at LBA
 * 400,000.  The head starts at cylinder 0, head 0.
 */
#include "disk/disk.h"

#include <string.h>

static void set(struct disk_params *p, const char *key, const char *value)
{
	GError *err = NULL;

	g_assert_true(disk_params_set(p, key, value, &err));
	g_assert_no_error(err);
}

static struct disk_params *synth_params(void)
{
	struct disk_params *p = disk_params_new();
	GError *err = NULL;

	set(p, "preset", "hdd-7200");
	set(p, "rpm", "6000");
	set(p, "surfaces", "4");
	set(p, "zones", "100:1000, 100:500");
	set(p, "track_skew", "100");
	set(p, "cyl_skew", "130");
	set(p, "seek_table", "none");
	set(p, "seek_curve", "1000000:100000:1500000:5000:100");
	set(p, "head_switch_ns", "500000");
	set(p, "write_settle_ns", "200000");
	set(p, "overhead_miss_ns", "100000");
	set(p, "overhead_hit_ns", "50000");
	set(p, "bus_ns_per_sector", "1000");
	set(p, "write_back", "off");
	set(p, "cache", "off");
	set(p, "queue_depth", "1");
	g_assert_true(disk_params_validate(p, &err));
	g_assert_no_error(err);
	return p;
}

static struct disk *synth_disk(void)
{
	struct disk_params *p = synth_params();
	struct disk *d = disk_new(p);

	disk_params_free(p);
	return d;
}

/* Submit one command at `at` and collect its completion. */
static void run_one(struct disk *d, enum disk_op op, uint64_t sector,
		    uint32_t n, int64_t at, struct disk_completion *c)
{
	struct disk_cmd cmd = { .id = sector, .op = op, .sector = sector,
				.sectors = n };
	int64_t t;

	disk_submit(d, &cmd, at);
	t = disk_next_completion(d);
	g_assert_cmpint(t, !=, DISK_NEVER);
	g_assert_true(disk_complete(d, t, c));
	g_assert_cmpuint(c->cmd.id, ==, sector);
	g_assert_cmpint(c->complete_ns, ==, t);
}

/* The parts of a completion add up to its service time. */
static void check_sum(const struct disk_completion *c)
{
	g_assert_cmpint(c->start_ns + c->seek_ns + c->rotation_ns +
			c->transfer_ns, ==, c->complete_ns);
}

static void test_seek_curve_sqrt(void)
{
	struct disk *d = synth_disk();
	struct disk_completion c;

	/*
	 * seek(25) = 1,000,000 + 100,000 * 5 = 1,500,000.
	 * Read 1 sector at cylinder 25, head 0, sector 0 = LBA 100,000,
	 * slot (0 + 75) * 100 + 25 * 130 = 10,750 -> 750.
	 * Overhead ends at 100,000; seek ends at 1,600,000 = angle 160;
	 * wait 590 sectors = 5,900,000; the sector ends at 7,510,000;
	 * the bus adds 1,000: complete at 7,511,000.
	 */
	g_assert_cmpint(disk_seek_time_ns(d, 25), ==, 1500000);
	run_one(d, DISK_READ, 100000, 1, 0, &c);
	g_assert_cmpint(c.overhead_ns, ==, 100000);
	g_assert_cmpint(c.start_ns, ==, 100000);
	g_assert_cmpint(c.seek_ns, ==, 1500000);
	g_assert_cmpint(c.seek_cylinders, ==, 25);
	g_assert_cmpint(c.rotation_ns, ==, 5900000);
	g_assert_cmpint(c.transfer_ns, ==, 11000);
	g_assert_cmpint(c.complete_ns, ==, 7511000);
	g_assert_cmpint(c.cache_hit, ==, 0);
	check_sum(&c);
	disk_free(d);
}

static void test_seek_curve_linear(void)
{
	struct disk *d = synth_disk();
	struct disk_completion c;
	uint32_t cyl, head, sec;

	/*
	 * seek(150) = 1,500,000 + 5,000 * 150 = 2,250,000;
	 * seek(100) = 2,000,000 on both branches.
	 * LBA 500,000 = zone 1 (from 400,000) + 50 cylinders * 4 * 500:
	 * cylinder 150, head 0, sector 0; slot (3 * 50) * 100 + 50 * 130
	 * = 21,500 -> 0 (mod 500).  Seek ends at 2,350,000 (mid-turn), so
	 * the head waits for the next turn's start at 10,000,000:
	 * rotation 7,650,000.  One sector of 500 per turn = 20,000 ns,
	 * then 1,000 of bus: complete at 10,021,000.
	 */
	g_assert_cmpint(disk_seek_time_ns(d, 150), ==, 2250000);
	g_assert_cmpint(disk_seek_time_ns(d, 100), ==, 2000000);
	/* just below the boundary: 1,000,000 + 100,000 * sqrt(81) */
	g_assert_cmpint(disk_seek_time_ns(d, 81), ==, 1900000);
	g_assert_true(disk_lba_to_chs(d, 500000, &cyl, &head, &sec));
	g_assert_cmpuint(cyl, ==, 150);
	g_assert_cmpuint(head, ==, 0);
	g_assert_cmpuint(sec, ==, 0);
	run_one(d, DISK_READ, 500000, 1, 0, &c);
	g_assert_cmpint(c.seek_ns, ==, 2250000);
	g_assert_cmpint(c.rotation_ns, ==, 7650000);
	g_assert_cmpint(c.transfer_ns, ==, 21000);
	g_assert_cmpint(c.complete_ns, ==, 10021000);
	check_sum(&c);
	disk_free(d);
}

static void test_seek_table(void)
{
	struct disk_params *p = synth_params();
	struct disk *d;
	struct disk_completion c;

	/*
	 * Table (10, 2 ms), (50, 3 ms), then the curve:
	 * seek(5) = 2,000,000 (below the first point: its value),
	 * seek(30) = 2,000,000 + 1,000,000 * 20 / 40 = 2,500,000,
	 * seek(64) = curve = 1,000,000 + 100,000 * 8 = 1,800,000.
	 * Read cylinder 30 (LBA 120,000), slot (90 * 100 + 30 * 130) =
	 * 12,900 -> 900: seek ends at 2,600,000 = angle 260, wait 640
	 * sectors = 6,400,000, complete 9,000,000 + 10,000 + 1,000.
	 */
	set(p, "seek_table", "10:2000000, 50:3000000");
	d = disk_new(p);
	g_assert_cmpint(disk_seek_time_ns(d, 0), ==, 0);
	g_assert_cmpint(disk_seek_time_ns(d, 5), ==, 2000000);
	g_assert_cmpint(disk_seek_time_ns(d, 30), ==, 2500000);
	g_assert_cmpint(disk_seek_time_ns(d, 50), ==, 3000000);
	g_assert_cmpint(disk_seek_time_ns(d, 64), ==, 1800000);
	run_one(d, DISK_READ, 120000, 1, 0, &c);
	g_assert_cmpint(c.seek_ns, ==, 2500000);
	g_assert_cmpint(c.rotation_ns, ==, 6400000);
	g_assert_cmpint(c.complete_ns, ==, 9011000);
	disk_free(d);
	disk_params_free(p);
}

/* The effective value of one key, as disk_params_foreach() lists it. */
struct find_key {
	const char *key;
	char *value;
};

static void find_key_visit(const char *key, const char *value, void *arg)
{
	struct find_key *f = arg;

	if (!strcmp(key, f->key))
		f->value = g_strdup(value);
}

static char *key_value(const struct disk_params *p, const char *key)
{
	struct find_key f = { key, NULL };

	disk_params_foreach(p, find_key_visit, &f);
	return f.value;
}

/*
 * A seek table of 300 points, far past the 64 there once were (extracted
 * tables of real drives have 90 to several hundred): (2k, 1,000,000 +
 * 5,000 k) for k = 1..300.  Interpolated by hand:
 *   seek(1) = below the first point: 1,005,000;
 *   seek(3) = between k = 1 and 2: 1,005,000 + 5,000 / 2 = 1,007,500;
 *   seek(599) = between k = 299 and 300: 2,495,000 + 2,500 = 2,497,500;
 *   seek(600) = the last point, k = 300: 2,500,000;
 *   seek(601) = past the table: the curve's linear piece (601 >= 100),
 *   1,500,000 + 5,000 * 601 = 4,505,000.
 * The listing gives the 300 points back, and reads back to the same.
 * A copy of the parameters shares the table and outlives the original.
 */
static void test_seek_table_long(void)
{
	struct disk_params *p = synth_params(), *q;
	GString *v = g_string_new(NULL);
	struct disk *d;
	char *listed, *again;

	for (int k = 1; k <= 300; k++)
		g_string_append_printf(v, "%s%d:%d", k > 1 ? ", " : "", 2 * k,
				       1000000 + 5000 * k);
	set(p, "seek_table", v->str);
	q = disk_params_copy(p);
	disk_params_free(p);
	d = disk_new(q);
	g_assert_cmpint(disk_seek_time_ns(d, 1), ==, 1005000);
	g_assert_cmpint(disk_seek_time_ns(d, 2), ==, 1005000);
	g_assert_cmpint(disk_seek_time_ns(d, 3), ==, 1007500);
	g_assert_cmpint(disk_seek_time_ns(d, 599), ==, 2497500);
	g_assert_cmpint(disk_seek_time_ns(d, 600), ==, 2500000);
	g_assert_cmpint(disk_seek_time_ns(d, 601), ==, 4505000);
	listed = key_value(q, "seek_table");
	g_assert_cmpstr(listed, ==, v->str);
	set(q, "seek_table", listed);
	again = key_value(q, "seek_table");
	g_assert_cmpstr(again, ==, v->str);
	/* the disk keeps its own reference: q's new table does not move it */
	set(q, "seek_table", "none");
	g_assert_cmpint(disk_seek_time_ns(d, 3), ==, 1007500);
	disk_free(d);
	disk_params_free(q);
	g_free(listed);
	g_free(again);
	g_string_free(v, TRUE);
}

static void test_rotation_wait(void)
{
	struct disk *d = synth_disk();
	struct disk_completion c;

	/*
	 * Sector 300 of the track under the head: overhead ends at
	 * 100,000 = angle 10, no positioning, wait 290 sectors =
	 * 2,900,000; complete 3,000,000 + 10,000 + 1,000.
	 */
	run_one(d, DISK_READ, 300, 1, 0, &c);
	g_assert_cmpint(c.seek_ns, ==, 0);
	g_assert_cmpint(c.rotation_ns, ==, 2900000);
	g_assert_cmpint(c.complete_ns, ==, 3011000);
	/*
	 * Submitted at 19,900,000 the overhead ends at 20,000,000 = angle
	 * 0 exactly; sector 0 is under the head: no wait at all (not a
	 * full turn).  Complete 20,010,000 + 1,000.
	 */
	run_one(d, DISK_READ, 0, 1, 19900000, &c);
	g_assert_cmpint(c.rotation_ns, ==, 0);
	g_assert_cmpint(c.complete_ns, ==, 20011000);
	/*
	 * Sector 5 submitted at 20,011,000: overhead ends at 20,111,000 =
	 * angle 11.1, just past sector 5's start at 5: wait 993.9
	 * sectors = 9,939,000 to 30,050,000; complete 30,061,000.
	 */
	run_one(d, DISK_READ, 5, 1, 20011000, &c);
	g_assert_cmpint(c.rotation_ns, ==, 9939000);
	g_assert_cmpint(c.complete_ns, ==, 30061000);
	disk_free(d);
}

static void test_track_boundary(void)
{
	struct disk *d = synth_disk();
	struct disk_completion c;

	/*
	 * 20 sectors from LBA 990: sectors 990-999 of (0, 0), then 0-9 of
	 * (0, 1).  Overhead ends at 100,000 = angle 10; slot 990: wait
	 * 980 sectors, first sector at 9,900,000; the track's last sector
	 * ends at 10,000,000 (angle 0).  Head switch 500,000 -> angle 50;
	 * head 1's sector 0 is at slot 100 (one track skew): waits 50
	 * sectors, starts at 11,000,000, 10 sectors end at 11,100,000,
	 * bus 1,000.  Transfer = 11,101,000 - 9,900,000 = 1,201,000.
	 */
	run_one(d, DISK_READ, 990, 20, 0, &c);
	g_assert_cmpint(c.seek_ns, ==, 0);
	g_assert_cmpint(c.rotation_ns, ==, 9800000);
	g_assert_cmpint(c.transfer_ns, ==, 1201000);
	g_assert_cmpint(c.complete_ns, ==, 11101000);
	disk_free(d);
}

static void test_cylinder_boundary(void)
{
	struct disk *d = synth_disk();
	struct disk_completion c;

	/*
	 * 20 sectors from LBA 3990: sectors 990-999 of (0, 3), then 0-9
	 * of (1, 0).  Overhead to 100,000, head switch 0 -> 3 to 600,000
	 * = angle 60.  Slot of (0, 3, 990) = 300 + 990 -> 290: wait 230
	 * sectors, first at 2,900,000, track end at 3,000,000 = angle 300.  Cylinder crossing: max(seek(1) = 1,100,000, head
	 * switch 500,000) -> 4,100,000 = angle 410.  (1, 0, 0) is at slot
	 * (0 + 3) * 100 + 130 = 430 (the previous track started at 300:
	 * one cylinder skew further, no track skew): wait 20 sectors,
	 * start 4,300,000, end 4,400,000, complete 4,401,000.
	 */
	run_one(d, DISK_READ, 3990, 20, 0, &c);
	g_assert_cmpint(c.seek_ns, ==, 500000);
	g_assert_cmpint(c.rotation_ns, ==, 2300000);
	g_assert_cmpint(c.transfer_ns, ==, 1501000);
	g_assert_cmpint(c.complete_ns, ==, 4401000);
	disk_free(d);
}

static void test_bus_tail_and_writes(void)
{
	struct disk *d = synth_disk();
	struct disk_completion c;

	/*
	 * A 5-sector read of sectors 300-304: media from 3,000,000 to
	 * 3,050,000; the read completes one bus sector later, 3,051,000.
	 */
	run_one(d, DISK_READ, 300, 5, 0, &c);
	g_assert_cmpint(c.complete_ns, ==, 3051000);
	/*
	 * The same sectors written, submitted at 10,000,000: overhead ends
	 * at 10,100,000 (angle 10); the head did not move, so no settle;
	 * wait 290 sectors; the write completes when the media write ends:
	 * 13,000,000 + 50,000.
	 */
	run_one(d, DISK_WRITE, 300, 5, 10000000, &c);
	g_assert_cmpint(c.seek_ns, ==, 0);
	g_assert_cmpint(c.complete_ns, ==, 13050000);
	/*
	 * A write to (1, 0, 0), LBA 4000, slot 430, submitted at
	 * 20,000,000: overhead to 20,100,000, seek(1) 1,100,000 + settle
	 * 200,000 -> 21,400,000 = angle 140; wait 290 sectors to
	 * 24,300,000; one sector: 24,310,000.
	 */
	run_one(d, DISK_WRITE, 4000, 1, 20000000, &c);
	g_assert_cmpint(c.seek_ns, ==, 1300000);
	g_assert_cmpint(c.rotation_ns, ==, 2900000);
	g_assert_cmpint(c.complete_ns, ==, 24310000);
	disk_free(d);
}

static void test_cache_hits(void)
{
	struct disk_params *p = synth_params();
	struct disk *d;
	struct disk_completion c;

	set(p, "cache", "on");
	set(p, "cache_segments", "2");
	set(p, "segment_sectors", "1000");
	set(p, "readahead", "track");
	d = disk_new(p);
	/*
	 * Miss: sectors 0-9, overhead to 100,000 = angle 10, wait 990
	 * sectors: first sector at 10,000,000, last ends 10,100,000,
	 * complete 10,101,000.  Read-ahead then runs on to the end of the
	 * track: sector k is in the cache from 10,000,000 + (k+1) * 10,000.
	 */
	run_one(d, DISK_READ, 0, 10, 0, &c);
	g_assert_cmpint(c.complete_ns, ==, 10101000);
	/*
	 * At 12,000,000 sectors 0-199 are cached: a read of 100-107 is a
	 * hit, served at bus speed: 50,000 + 8 * 1,000 -> 12,058,000.
	 */
	run_one(d, DISK_READ, 100, 8, 12000000, &c);
	g_assert_cmpint(c.cache_hit, ==, 1);
	g_assert_cmpint(c.complete_ns, ==, 12058000);
	/*
	 * At 12,058,000 sectors 0-204 are in, 205 is being read: a read
	 * of 205-214 is an almost hit.  Sector 214 is off the platter at
	 * 10,000,000 + 215 * 10,000 = 12,150,000; + 1,000 of bus (later
	 * than 12,058,000 + 50,000 + 10 * 1,000 = 12,118,000).
	 */
	run_one(d, DISK_READ, 205, 10, 12058000, &c);
	g_assert_cmpint(c.cache_hit, ==, 2);
	g_assert_cmpint(c.complete_ns, ==, 12151000);
	/*
	 * A read of sector 600 at 12,151,000 is a miss.  Overhead to
	 * 12,251,000, when sector 225 is passing; it finishes at
	 * 10,000,000 + 226 * 10,000 = 12,260,000 (angle 226), then the head
	 * waits 374 sectors for slot 600: 16,000,000; complete 16,011,000.
	 */
	run_one(d, DISK_READ, 600, 1, 12151000, &c);
	g_assert_cmpint(c.cache_hit, ==, 0);
	g_assert_cmpint(c.start_ns, ==, 12260000);
	g_assert_cmpint(c.rotation_ns, ==, 3740000);
	g_assert_cmpint(c.complete_ns, ==, 16011000);
	/* Sectors 0-9 stay cached in the other segment: a hit. */
	run_one(d, DISK_READ, 0, 10, 16011000, &c);
	g_assert_cmpint(c.cache_hit, ==, 1);
	g_assert_cmpint(c.complete_ns, ==, 16011000 + 50000 + 10000);
	disk_free(d);
	disk_params_free(p);
}

/*
 * The cache of test_partial_hit and test_write_segments: `segments`
 * segments of 2000 sectors, read-ahead to the end of the track.  Steps
 * shared by both:
 *   R 0-9 at 0: overhead to 100,000 = angle 10, wait 990 sectors: first
 *   at 10,000,000, last ends 10,100,000, + 1,000 of bus: 10,101,000.
 *   Read-ahead runs to the track end: sector 999 ends 20,000,000.
 *   R 990-1009 at 30,000,000: 990-999 cached, the read-ahead stopped
 *   (finished), 1000-1009 not: DiskSim's partial hit.  The mechanism
 *   reads only 1000-1009 = (0, 1, 0-9): overhead to 30,100,000, head
 *   switch to 30,600,000 = angle 60, slot (1 + 0) * 100 = 100: wait 40
 *   sectors, first at 31,000,000, last ends 31,100,000; complete
 *   31,101,000 (the 10 cached sectors crossed the bus long before).
 *   (As a miss from 990 it would wait 980 sectors for slot 990 and a
 *   head switch and 50 more for slot 100: 41,101,000.)  The segment
 *   keeps its start: [0, 1010), then read-ahead to the end of (0, 1):
 *   [0, 2000) by 41,000,000, the head at (0, 1).
 *   R 5-14 at 50,000,000: a hit (the start was kept): 50,000 + 10,000.
 */
static struct disk *cache_steps(int segments)
{
	struct disk_params *p = synth_params();
	struct disk *d;
	struct disk_completion c;
	char n[8];

	g_snprintf(n, sizeof(n), "%d", segments);
	set(p, "cache", "on");
	set(p, "cache_segments", n);
	set(p, "segment_sectors", "2000");
	set(p, "readahead", "track");
	d = disk_new(p);
	disk_params_free(p);
	run_one(d, DISK_READ, 0, 10, 0, &c);
	g_assert_cmpint(c.complete_ns, ==, 10101000);
	run_one(d, DISK_READ, 990, 20, 30000000, &c);
	g_assert_cmpint(c.cache_hit, ==, 2);
	g_assert_cmpint(c.start_ns, ==, 30100000);
	g_assert_cmpint(c.seek_ns, ==, 500000);
	g_assert_cmpint(c.rotation_ns, ==, 400000);
	g_assert_cmpint(c.complete_ns, ==, 31101000);
	check_sum(&c);
	run_one(d, DISK_READ, 5, 10, 50000000, &c);
	g_assert_cmpint(c.cache_hit, ==, 1);
	g_assert_cmpint(c.complete_ns, ==, 50060000);
	return d;
}

static void test_partial_hit(void)
{
	disk_free(cache_steps(1));
	disk_free(cache_steps(3));
}

/*
 * A write into the cache of cache_steps(), write-through.  W 1500-1509 =
 * (0, 1, 500) at 60,000,000: the head is at (0, 1) since 41,000,000;
 * overhead to 60,100,000 = angle 10, slot 100 + 500 = 600: wait 590
 * sectors, written 66,000,000-66,100,000, complete then.
 * One segment (DiskSim 4.0): the write takes the segment, the read data
 * is dropped and the segment holds 1500-1509.  R 1500-1509 at 70,000,000
 * is a hit (70,060,000); R 5-14 then is a miss: overhead to 70,160,000 =
 * angle 16, head switch to 70,660,000 = angle 66, slot 5 comes round at
 * 80,050,000, last sector ends 80,150,000, + bus: 80,151,000.
 * Three segments: the write only cuts [0, 2000) at its first sector,
 * [0, 1500), and is not kept for reads: R 1500-1509 is a miss (from
 * angle 10 at 70,100,000, slot 600 at 76,000,000, ends 76,100,000, +
 * bus), and R 5-14 still a hit.
 */
static void test_write_segments(void)
{
	for (int segs = 1; segs <= 3; segs += 2) {
		struct disk *d = cache_steps(segs);
		struct disk_completion c;

		run_one(d, DISK_WRITE, 1500, 10, 60000000, &c);
		g_assert_cmpint(c.complete_ns, ==, 66100000);
		run_one(d, DISK_READ, 1500, 10, 70000000, &c);
		if (segs == 1) {
			g_assert_cmpint(c.cache_hit, ==, 1);
			g_assert_cmpint(c.complete_ns, ==, 70060000);
		} else {
			g_assert_cmpint(c.cache_hit, ==, 0);
			g_assert_cmpint(c.complete_ns, ==, 76101000);
		}
		run_one(d, DISK_READ, 5, 10, c.complete_ns, &c);
		if (segs == 1) {
			g_assert_cmpint(c.cache_hit, ==, 0);
			g_assert_cmpint(c.complete_ns, ==, 80151000);
		} else {
			g_assert_cmpint(c.cache_hit, ==, 1);
			g_assert_cmpint(c.complete_ns, ==,
					76101000 + 50000 + 10000);
		}
		disk_free(d);
	}
}

static void test_readahead_across_tracks(void)
{
	struct disk_params *p = synth_params();
	struct disk *d;
	struct disk_completion c;

	set(p, "cache", "on");
	set(p, "readahead", "20");
	d = disk_new(p);
	/*
	 * Sectors 990-999 of (0, 0): first at 9,900,000, last ends at
	 * 10,000,000 (see test_track_boundary), complete 10,001,000.
	 * Read-ahead of 20 sectors goes on to head 1: switch to
	 * 10,500,000 (angle 50), its sector 0 at slot 100: 11,000,000.
	 */
	run_one(d, DISK_READ, 990, 10, 0, &c);
	g_assert_cmpint(c.complete_ns, ==, 10001000);
	/*
	 * LBA 1000-1004 at 10,001,000: its first sector is the next one
	 * the stream will read, so an almost hit: sector 1004 ends at
	 * 11,000,000 + 5 * 10,000 = 11,050,000, + 1,000 of bus.
	 */
	run_one(d, DISK_READ, 1000, 5, 10001000, &c);
	g_assert_cmpint(c.cache_hit, ==, 2);
	g_assert_cmpint(c.complete_ns, ==, 11051000);
	/*
	 * The stream now runs to 1004 + 20: 1005-1010 are in by
	 * 11,000,000 + 11 * 10,000 = 11,110,000, a hit then.
	 */
	run_one(d, DISK_READ, 1005, 6, 11110000, &c);
	g_assert_cmpint(c.cache_hit, ==, 1);
	g_assert_cmpint(c.complete_ns, ==, 11110000 + 50000 + 6000);
	disk_free(d);
	disk_params_free(p);
}

static void test_write_back(void)
{
	struct disk_params *p = synth_params();
	struct disk *d;
	struct disk_completion c;
	struct disk_cmd flush = { .id = 1, .op = DISK_FLUSH };

	set(p, "cache", "on");
	set(p, "write_back", "on");
	d = disk_new(p);
	/*
	 * 8 sectors at LBA 5000 = (1, 1, 0): taken into the cache and
	 * reported after the hit overhead and the bus: 50,000 + 8,000.
	 */
	run_one(d, DISK_WRITE, 5000, 8, 0, &c);
	g_assert_cmpint(c.cache_hit, ==, 1);
	g_assert_cmpint(c.complete_ns, ==, 58000);
	/*
	 * The idle drive destages at once: from (0, 0) at time 0,
	 * max(seek(1) 1,100,000, head switch) + settle 200,000 ->
	 * 1,300,000 = angle 130; (1, 1, 0) is at slot (1 + 3) * 100 + 130
	 * = 530: wait 400 sectors, write 8 sectors 5,300,000-5,380,000.
	 * A flush submitted at 100,000 finds nothing dirty once the
	 * mechanism is free: it completes at 5,380,000.
	 */
	disk_submit(d, &flush, 100000);
	g_assert_cmpint(disk_next_completion(d), ==, 5380000);
	g_assert_true(disk_complete(d, 5380000, &c));
	g_assert_cmpint(c.cmd.op, ==, DISK_FLUSH);
	disk_free(d);
	disk_params_free(p);
}

static void test_sptf(void)
{
	struct disk_params *p = synth_params();
	struct disk *d;
	struct disk_completion c;
	static const uint64_t lba[3] = { 100000, 500, 300 };
	static const uint64_t order[3] = { 300, 500, 100000 };
	static const int64_t done[3] = { 3011000, 5011000, 7511000 };
	static const int depth[3] = { 3, 2, 1 };	/* C came third */

	set(p, "queue_depth", "4");
	d = disk_new(p);
	/*
	 * Three reads at t = 0, in the order A = LBA 100,000 (cylinder 25,
	 * slot 750), B = 500, C = 300 (both on the track under the head).
	 * Each could start positioning at 100,000 (angle 10):
	 *   A: seek 1,500,000, first sector at 7,500,000;
	 *   B: first sector at 5,000,000;  C: at 3,000,000.
	 * SPTF takes C: done 3,011,000 (media ends 3,010,000).  From
	 * there B's sector 500 comes at 5,000,000 and A's at 7,500,000
	 * (seek ends 4,510,000): B, done 5,011,000.  Then A: seek to
	 * 6,510,000, slot 750 at 7,500,000, done 7,511,000.
	 */
	for (int i = 0; i < 3; i++) {
		struct disk_cmd cmd = { .id = lba[i], .op = DISK_READ,
					.sector = lba[i], .sectors = 1 };

		g_assert_true(disk_can_accept(d));
		disk_submit(d, &cmd, 0);
	}
	for (int i = 0; i < 3; i++) {
		int64_t t = disk_next_completion(d);

		g_assert_cmpint(t, ==, done[i]);
		g_assert_true(disk_complete(d, t, &c));
		g_assert_cmpuint(c.cmd.id, ==, order[i]);
		g_assert_cmpint(c.queue_depth, ==, depth[i]);
	}
	g_assert_false(disk_complete(d, INT64_MAX - 1, &c));
	disk_free(d);
	disk_params_free(p);
}

static void test_fcfs_depth1(void)
{
	struct disk *d = synth_disk();
	struct disk_completion c;
	struct disk_cmd a = { .id = 1, .op = DISK_READ, .sector = 100000,
			      .sectors = 1 };

	/*
	 * At depth 1 the device holds one command: A (cylinder 25) is
	 * served first although sector 300 under the head would be nearer:
	 * A done at 7,511,000 (see test_seek_curve_sqrt).  Sector 300,
	 * submitted then, starts positioning at 7,611,000 from cylinder 25
	 * (seek 1,500,000 -> 9,111,000 = angle 911.1), slot 300: wait
	 * 388.9 sectors to 13,000,000, done 13,011,000.
	 */
	disk_submit(d, &a, 0);
	g_assert_false(disk_can_accept(d));
	g_assert_true(disk_complete(d, disk_next_completion(d), &c));
	g_assert_cmpint(c.complete_ns, ==, 7511000);
	run_one(d, DISK_READ, 300, 1, 7511000, &c);
	g_assert_cmpint(c.seek_ns, ==, 1500000);
	g_assert_cmpint(c.complete_ns, ==, 13011000);
	disk_free(d);
}

/*
 * A fixed pseudo-random mix of reads, writes and flushes, at depth 8, on
 * a preset with one parameter changed (or none: key NULL).
 */
static GArray *random_run(const char *preset, const char *key,
			  const char *value)
{
	struct disk_params *p = disk_params_new();
	GArray *out = g_array_new(FALSE, FALSE, sizeof(struct disk_completion));
	GRand *r = g_rand_new_with_seed(42);
	struct disk *d;
	int64_t now = 0;
	int sent = 0;

	set(p, "preset", preset);
	set(p, "queue_depth", "8");
	if (key)
		set(p, key, value);
	d = disk_new(p);
	while (out->len < 3000) {
		struct disk_completion c;

		/* keep at least one command inside, often several */
		while (sent < 3000 && disk_can_accept(d) &&
		       (sent == (int)out->len || g_rand_int_range(r, 0, 3))) {
			struct disk_cmd cmd = { .id = (uint64_t)sent++ };
			int k = g_rand_int_range(r, 0, 20);

			cmd.op = k < 12 ? DISK_READ : k < 19 ? DISK_WRITE :
				 DISK_FLUSH;
			if (cmd.op != DISK_FLUSH) {
				cmd.sectors = 8 * (uint32_t)g_rand_int_range(r, 1, 33);
				cmd.sector = (uint64_t)g_rand_double_range(r, 0,
					disk_capacity(d) - cmd.sectors);
				if (k & 1)	/* sequential runs too */
					cmd.sector = 8ull * (uint64_t)sent;
			}
			disk_submit(d, &cmd, now);
		}
		now = disk_next_completion(d);
		g_assert_cmpint(now, !=, DISK_NEVER);
		while (disk_complete(d, now, &c)) {
			/* nothing completes before the announced time */
			g_assert_cmpint(c.complete_ns, ==, now);
			g_assert_cmpint(c.complete_ns, >=, c.submit_ns);
			g_array_append_val(out, c);
		}
	}
	disk_free(d);
	disk_params_free(p);
	g_rand_free(r);
	return out;
}

static void assert_same(const struct disk_completion *x,
			const struct disk_completion *y)
{
	g_assert_cmpuint(x->cmd.id, ==, y->cmd.id);
	g_assert_cmpint(x->submit_ns, ==, y->submit_ns);
	g_assert_cmpint(x->start_ns, ==, y->start_ns);
	g_assert_cmpint(x->complete_ns, ==, y->complete_ns);
	g_assert_cmpint(x->overhead_ns, ==, y->overhead_ns);
	g_assert_cmpint(x->seek_ns, ==, y->seek_ns);
	g_assert_cmpint(x->rotation_ns, ==, y->rotation_ns);
	g_assert_cmpint(x->transfer_ns, ==, y->transfer_ns);
	g_assert_cmpint(x->seek_cylinders, ==, y->seek_cylinders);
	g_assert_cmpint(x->cache_hit, ==, y->cache_hit);
	g_assert_cmpint(x->queue_depth, ==, y->queue_depth);
}

static void test_determinism(void)
{
	/* the last: a bus slower than the media, as in DiskSim's HP file */
	static const char *const runs[][3] = {
		{ "hdd-7200", NULL, NULL }, { "hdd-15k", NULL, NULL },
		{ "hp-c2247", NULL, NULL }, { "ssd", NULL, NULL },
		{ "hp-c2247", "bus_ns_per_sector", "170000" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(runs); i++) {
		GArray *a = random_run(runs[i][0], runs[i][1], runs[i][2]);
		GArray *b = random_run(runs[i][0], runs[i][1], runs[i][2]);

		g_assert_cmpuint(a->len, ==, b->len);
		for (guint k = 0; k < a->len; k++)
			assert_same(&g_array_index(a, struct disk_completion, k),
				    &g_array_index(b, struct disk_completion, k));
		g_array_free(a, TRUE);
		g_array_free(b, TRUE);
	}
}

static void test_fitted_curve(void)
{
	struct disk_params *p = disk_params_new();
	struct disk *d = disk_new(p);

	/*
	 * hdd-7200 (the default): the curve is fitted through single-track
	 * 0.9 ms and full-stroke 16 ms (106,470 cylinders); rounding the
	 * coefficients to whole ns may move either end by a nanosecond.
	 */
	g_assert_cmpint(labs(disk_seek_time_ns(d, 1) - 900000), <=, 1);
	g_assert_cmpint(labs(disk_seek_time_ns(d, 106469) - 16000000), <=,
			2);
	/* concave: the second half of the stroke costs less than the first */
	g_assert_cmpint(disk_seek_time_ns(d, 53000) - disk_seek_time_ns(d, 1),
			>, disk_seek_time_ns(d, 106469) -
			disk_seek_time_ns(d, 53000));
	disk_free(d);
	disk_params_free(p);
}

static void collect(const char *key, const char *value, void *arg)
{
	g_string_append_printf(arg, "%s=%s\n", key, value);
}

static void replay(const char *key, const char *value, void *arg)
{
	set(arg, key, value);
}

static void test_params(void)
{
	struct disk_params *p = disk_params_new(), *q;
	GError *err = NULL;
	GString *a = g_string_new(NULL), *b = g_string_new(NULL);

	/* The default device is hdd-7200. */
	disk_params_foreach(p, collect, a);
	g_assert_true(g_str_has_prefix(a->str, "model=hdd-7200\n"));
	g_assert_cmpuint(disk_params_capacity(p), ==, 976862250);

	g_assert_false(disk_params_set(p, "rpm", "abc", &err));
	g_assert_cmpstr(err->message, ==, "rpm: \"abc\" is not a number");
	g_clear_error(&err);
	g_assert_false(disk_params_set(p, "rpm", "0", &err));
	g_assert_nonnull(strstr(err->message, "rpm:"));
	g_clear_error(&err);
	g_assert_false(disk_params_set(p, "bogus", "1", &err));
	g_assert_true(g_str_has_prefix(err->message,
				       "bogus: unknown disk parameter; known: "
				       "preset, model, queue_depth,"));
	g_clear_error(&err);
	/* one edit (a missing '_') from seek_avg_ns: suggested */
	g_assert_false(disk_params_set(p, "seek_avgns", "1", &err));
	g_assert_true(g_str_has_prefix(err->message,
				       "seek_avgns: unknown disk parameter (did "
				       "you mean seek_avg_ns?); known: "));
	g_clear_error(&err);
	g_assert_false(disk_params_set(p, "preset", "hdd-7300", &err));
	g_assert_true(g_str_has_prefix(err->message,
				       "preset: unknown preset \"hdd-7300\" "
				       "(did you mean hdd-7200?); known: "));
	g_clear_error(&err);
	g_assert_false(disk_params_set(p, "latency_ns", "5", &err));
	g_assert_nonnull(strstr(err->message, "latency_ns:"));
	g_clear_error(&err);
	g_assert_false(disk_params_set(p, "zones", "10:20, 30", &err));
	g_assert_true(g_str_has_prefix(err->message, "zones:"));
	g_clear_error(&err);
	g_assert_false(disk_params_set(p, "preset", "floppy", &err));
	g_clear_error(&err);

	/* 30 per-zone skews no longer fit a 2-zone table */
	set(p, "zones", "1000:100, 1000:90");
	g_assert_false(disk_params_validate(p, &err));
	g_assert_true(g_str_has_prefix(err->message, "track_skew:"));
	g_clear_error(&err);
	set(p, "track_skew", "10");
	set(p, "cyl_skew", "12, 11");
	g_assert_true(disk_params_validate(p, &err));
	/* 2000 cylinders * 10 surfaces * (100 + 90) / 2 */
	g_assert_cmpuint(disk_params_capacity(p), ==, 1000 * 10 * 190);
	/* write_back needs the cache */
	set(p, "cache", "off");
	g_assert_false(disk_params_validate(p, &err));
	g_clear_error(&err);

	/* Every listed value can be set back and lists the same. */
	set(p, "preset", "hp-c2247");
	g_string_truncate(a, 0);
	disk_params_foreach(p, collect, a);
	q = disk_params_new();
	set(q, "preset", "hp-c2247");
	set(q, "rpm", "7200");
	disk_params_foreach(p, replay, q);
	disk_params_foreach(q, collect, b);
	g_assert_cmpstr(a->str, ==, b->str);
	disk_params_free(q);

	/* Describe names the figures a reader needs. */
	g_string_truncate(a, 0);
	disk_params_describe(p, a);
	g_assert_nonnull(strstr(a->str, "revolution         11.111 ms"));
	g_assert_nonnull(strstr(a->str, "seek 1 cylinder    2.890 ms"));
	g_string_free(a, TRUE);
	g_string_free(b, TRUE);
	disk_params_free(p);
}

static void test_simple_and_ramdisk(void)
{
	struct disk_params *p = disk_params_new();
	struct disk *d;
	struct disk_completion c;

	/*
	 * simple: 100,000 ns + 4096 bytes at 100 MB/s (40,960 ns); the
	 * second command queues behind the first.
	 */
	set(p, "preset", "simple");
	d = disk_new(p);
	g_assert_false(disk_supports_rw_page(d));
	run_one(d, DISK_READ, 8, 8, 1000, &c);
	g_assert_cmpint(c.complete_ns, ==, 1000 + 140960);
	disk_free(d);

	/* ramdisk: rw_page, 1,000 ns + 4096 bytes at 4 GB/s (1,024 ns) */
	set(p, "preset", "ramdisk");
	d = disk_new(p);
	g_assert_true(disk_supports_rw_page(d));
	g_assert_true(disk_rw_page(d, DISK_WRITE, 0, 8, 500, &c));
	g_assert_cmpint(c.complete_ns, ==, 500 + 1000 + 1024);
	disk_free(d);
	disk_params_free(p);
}

static void test_ssd(void)
{
	struct disk_params *p = disk_params_new();
	struct disk *d;
	struct disk_completion c;
	struct disk_cmd r = { .op = DISK_READ, .sectors = 8 };

	/*
	 * Two 4 KiB reads at t = 0 go to two channels: both are read from
	 * flash by 50,000; the link (500 MB/s: 8,192 ns per 4 KiB) sends
	 * one, then the other: 58,192 and 66,384.
	 */
	set(p, "preset", "ssd");
	d = disk_new(p);
	disk_submit(d, &r, 0);
	r.sector = 1 << 20;
	disk_submit(d, &r, 0);
	g_assert_true(disk_complete(d, disk_next_completion(d), &c));
	g_assert_cmpint(c.complete_ns, ==, 58192);
	g_assert_true(disk_complete(d, disk_next_completion(d), &c));
	g_assert_cmpint(c.complete_ns, ==, 66384);
	g_assert_cmpint(disk_next_completion(d), ==, DISK_NEVER);
	disk_free(d);
	disk_params_free(p);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/disk/seek/curve-sqrt", test_seek_curve_sqrt);
	g_test_add_func("/disk/seek/curve-linear", test_seek_curve_linear);
	g_test_add_func("/disk/seek/table", test_seek_table);
	g_test_add_func("/disk/seek/table-long", test_seek_table_long);
	g_test_add_func("/disk/seek/fitted", test_fitted_curve);
	g_test_add_func("/disk/rotation/wait", test_rotation_wait);
	g_test_add_func("/disk/transfer/track-boundary", test_track_boundary);
	g_test_add_func("/disk/transfer/cylinder-boundary",
			test_cylinder_boundary);
	g_test_add_func("/disk/transfer/bus-tail-writes",
			test_bus_tail_and_writes);
	g_test_add_func("/disk/cache/hits", test_cache_hits);
	g_test_add_func("/disk/cache/readahead-across-tracks",
			test_readahead_across_tracks);
	g_test_add_func("/disk/cache/write-back", test_write_back);
	g_test_add_func("/disk/cache/partial-hit", test_partial_hit);
	g_test_add_func("/disk/cache/write-segments", test_write_segments);
	g_test_add_func("/disk/sched/sptf", test_sptf);
	g_test_add_func("/disk/sched/fcfs-depth1", test_fcfs_depth1);
	g_test_add_func("/disk/determinism", test_determinism);
	g_test_add_func("/disk/params", test_params);
	g_test_add_func("/disk/simple-ramdisk", test_simple_and_ramdisk);
	g_test_add_func("/disk/ssd", test_ssd);
	return g_test_run();
}
