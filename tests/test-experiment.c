/*
 * test-experiment.c - what makes runs into an experiment: the platter's
 * phase, the run's seed and its random streams.  Every expected value is
 * worked out by hand in the comment above its test.
 *
 * The phase tests use a small synthetic drive (as tests/test-disk.c):
 * 6000 rpm, so one revolution T = 10,000,000 ns; zone 0 has 1000 sectors
 * per track (10,000 ns each); 4 surfaces, track skew 100, cylinder skew
 * 130; seek 1,000,000 + 100,000 * sqrt(d) ns; overhead 100,000 ns on a
 * miss; bus 1,000 ns per sector; no cache.  With 1 KiB blocks, file block
 * 0 at disk block 50,000 is sector 100,000 = cylinder 25, head 0, sector
 * 0 (LBA = (4c + h) * 1000 + s), whose angular slot is
 * (0 + 3 * 25) * 100 + 130 * 25 + 0 = 10,750 = 750 (mod 1000).
 */
#include <math.h>
#include <string.h>
#include "harness.h"
#include "scenario/scenario.h"
#include "sim/rng.h"
#include "analysis/experiment.h"
#include "analysis/stats.h"
#include "disk/disk.h"

#define FILE_AND_TASK \
	"[fs]\n"				\
	"block_size = 1024\n"			\
	"[file.a]\n"				\
	"size = 4K\n"				\
	"extents = 0-3:50000\n"			\
	"[task.reader]\n"			\
	"file = a\n"				\
	"ops = readpage 0\n"

static const char phase_ini[] =
	"[disk]\n"
	"preset = hdd-7200\n"
	"rpm = 6000\n"
	"surfaces = 4\n"
	"zones = 100:1000, 100:500\n"
	"track_skew = 100\n"
	"cyl_skew = 130\n"
	"seek_table = none\n"
	"seek_curve = 1000000:100000:1500000:5000:100\n"
	"head_switch_ns = 500000\n"
	"write_settle_ns = 200000\n"
	"overhead_miss_ns = 100000\n"
	"overhead_hit_ns = 50000\n"
	"bus_ns_per_sector = 1000\n"
	"write_back = off\n"
	"cache = off\n"
	"queue_depth = 1\n"
	FILE_AND_TASK;

/* The same read on the simple disk: no platter. */
static const char simple_ini[] =
	"[disk]\n"
	"preset = simple\n"
	"latency_ns = 100000\n"
	"bandwidth_bps = 4096000\n"
	FILE_AND_TASK;

/*
 * One 8-sector read of sector 100,000 dispatched at 0: overhead 100,000,
 * seek(25) = 1,000,000 + 100,000 * 5 = 1,500,000, so the head is on the
 * track at 1,600,000.  At phase f the platter's angle at t is that of
 * t + f * T with phase 0, so the angle under the head is
 * (1,600,000 + f * 10,000,000) mod 10,000,000, in sectors of 10,000:
 *   f = 0:    160 -> wait to slot 750: 590 sectors = 5,900,000 ns
 *   f = 0.25: 410 -> 340 sectors = 3,400,000 ns
 *   f = 0.5:  660 -> 90 sectors = 900,000 ns
 *   f = 0.9:  1060 = 60 -> 690 sectors = 6,900,000 ns
 * Then 8 sectors (80,000) and the bus tail of the last (1,000): the read
 * completes at 1,600,000 + wait + 81,000.
 */
static void check_phase(const char *set, const char *rotation,
			const char *complete)
{
	struct harness_run *r = harness_run1(phase_ini, set);
	char *want = g_strdup_printf("%s %s", rotation, complete);

	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "complete", "rotation_ns latency_ns", want);
	g_free(want);
	harness_run_free(r);
}

static void test_phase_hand_worked(void)
{
	check_phase("disk.phase=0", "5900000", "7581000");
	check_phase("disk.phase=0.25", "3400000", "5081000");
	check_phase("disk.phase=0.5", "900000", "2581000");
	check_phase("disk.phase=0.9", "6900000", "8581000");
}

/*
 * The platter has no phase on the models without one: the simple disk's
 * read costs the same at any phase (latency 100,000 + 8 sectors of 512 B
 * at 4,096,000 B/s = 1,000,000 ns: 1,100,000 ns).
 */
static void test_phase_no_platter(void)
{
	const char *ph[] = { "disk.phase=0", "disk.phase=0.5",
			     "disk.phase=random" };

	for (int i = 0; i < 3; i++) {
		struct harness_run *r = harness_run1(simple_ini, ph[i]);

		g_assert_cmpint(r->status, ==, 0);
		harness_assert_summary(r, "complete", "latency_ns", "1100000");
		harness_run_free(r);
	}
}

static void test_phase_bad_values(void)
{
	const char *bad[] = { "disk.phase=1", "disk.phase=-0.1",
			      "disk.phase=half", "disk.phase=0.5x" };

	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		struct harness_run *r = harness_run1(phase_ini, bad[i]);

		g_assert_cmpint(r->status, ==, 2);
		g_assert_nonnull(strstr(r->error, "[disk] phase"));
		harness_run_free(r);
	}
}

/* Submit one read at `at` (the drive idle) and collect its completion. */
static void read_at(struct disk *d, uint64_t sector, uint32_t n, int64_t at,
		    struct disk_completion *c)
{
	struct disk_cmd cmd = { .id = sector, .op = DISK_READ,
				.sector = sector, .sectors = n };

	disk_submit(d, &cmd, at);
	g_assert_true(disk_complete(d, disk_next_completion(d), c));
}

/*
 * The phase is a shift of the platter, nothing else: the default drive
 * (hdd-7200, drive cache and read-ahead on) given phase phi and commands
 * at times t behaves as the drive at phase 0 given the same commands at
 * t + phi, every time shifted back by phi.  Three reads: a miss, then the
 * following sectors (which the read-ahead has streamed into the cache by
 * then: a hit), then sectors the stream has not reached yet (an "almost
 * hit" or a miss, depending on how far it got).  The cache's answers
 * must agree as well as the times, and phi must matter (the first
 * read's completion differs from phase 0 at the same times).
 */
static void test_phase_is_a_shift(void)
{
	const int64_t phi = 3333333;
	const struct { uint64_t sector; uint32_t n; int64_t gap; } rd[] = {
		{ 1000000, 8, 0 }, { 1000008, 8, 200000 },
		{ 1000400, 8, 10000 },
	};
	struct disk_params *p = disk_params_new();
	struct disk *a, *b, *c;
	int64_t ta = 0, tb = phi, tc = 0;
	GError *err = NULL;
	bool hit = false;

	g_assert_true(disk_params_set(p, "preset", "hdd-7200", &err));
	g_assert_true(disk_params_set(p, "queue_depth", "1", &err));
	a = disk_new(p);
	b = disk_new(p);
	c = disk_new(p);
	disk_set_phase(a, phi);
	for (size_t i = 0; i < G_N_ELEMENTS(rd); i++) {
		struct disk_completion ca, cb, cc;

		read_at(a, rd[i].sector, rd[i].n, ta + rd[i].gap, &ca);
		read_at(b, rd[i].sector, rd[i].n, tb + rd[i].gap, &cb);
		read_at(c, rd[i].sector, rd[i].n, tc + rd[i].gap, &cc);
		g_assert_cmpint(ca.complete_ns, ==, cb.complete_ns - phi);
		g_assert_cmpint(ca.rotation_ns, ==, cb.rotation_ns);
		g_assert_cmpint(ca.cache_hit, ==, cb.cache_hit);
		if (i == 0)
			g_assert_cmpint(ca.complete_ns, !=, cc.complete_ns);
		hit |= ca.cache_hit == 1;
		ta = ca.complete_ns;
		tb = cb.complete_ns;
		tc = cc.complete_ns;
	}
	g_assert_true(hit);	/* the read-ahead was exercised */
	disk_free(a);
	disk_free(b);
	disk_free(c);
	disk_params_free(p);
}

/*
 * scenario_phase_ns(): round(f * T_rev).  At 7200 rpm T_rev = 60e9 / 7200
 * = 8,333,333.33 ns: f = 0.5 -> 4,166,666.67 -> 4,166,667; f = 0.25 ->
 * 2,083,333.33 -> 2,083,333.  Random: an integer in [0, 8,333,334)
 * (the integers below T_rev), the same for the same seed; no platter
 * (rpm 0): 0.
 */
static void test_phase_offsets(void)
{
	GError *err = NULL;
	const char *s05[] = { "disk.phase=0.5", NULL };
	const char *s025[] = { "disk.phase=0.25", NULL };
	struct scenario *a = scenario_load_data("t.ini", phase_ini,
						strlen(phase_ini), s05, &err);
	struct scenario *b = scenario_load_data("t.ini", phase_ini,
						strlen(phase_ini), s025, &err);
	struct scenario *c = scenario_load_data("t.ini", phase_ini,
						strlen(phase_ini), NULL, &err);
	int64_t r1, r2;

	g_assert_no_error(err);
	g_assert_cmpint(scenario_phase_ns(a, 1, 7200), ==, 4166667);
	g_assert_cmpint(scenario_phase_ns(b, 1, 7200), ==, 2083333);
	g_assert_cmpint(scenario_phase_ns(b, 1, 6000), ==, 2500000);
	g_assert_cmpint(scenario_phase_ns(a, 1, 0), ==, 0);
	g_assert_true(c->phase_random);
	g_assert_cmpint(scenario_phase_ns(c, 1, 0), ==, 0);
	r1 = scenario_phase_ns(c, 1, 7200);
	r2 = scenario_phase_ns(c, 2, 7200);
	g_assert_cmpint(r1, ==, scenario_phase_ns(c, 1, 7200));
	g_assert_cmpint(r1, !=, r2);
	for (uint64_t seed = 1; seed <= 200; seed++) {
		int64_t v = scenario_phase_ns(c, seed, 7200);

		g_assert_cmpint(v, >=, 0);
		g_assert_cmpint(v, <, 8333334);
	}
	scenario_free(a);
	scenario_free(b);
	scenario_free(c);
}

/*
 * FNV-1a 32 test vectors (the algorithm's published ones): "" ->
 * 0x811c9dc5 (the offset basis), "a" -> 0xe40c292c, "foobar" ->
 * 0xbf9cf968.  Streams: the same (seed, purpose) gives the same numbers;
 * another seed or another purpose another sequence.
 */
static void test_rng_streams(void)
{
	GRand *a, *b, *c, *d;
	bool differ_seed = false, differ_purpose = false;

	g_assert_cmphex(rng_hash(""), ==, 0x811c9dc5);
	g_assert_cmphex(rng_hash("a"), ==, 0xe40c292c);
	g_assert_cmphex(rng_hash("foobar"), ==, 0xbf9cf968);
	a = rng_stream(1, "disk.phase");
	b = rng_stream(1, "disk.phase");
	c = rng_stream(2, "disk.phase");
	d = rng_stream(1, "task.r.randread.0");
	for (int i = 0; i < 16; i++) {
		guint32 x = g_rand_int(a);

		g_assert_cmpuint(x, ==, g_rand_int(b));
		differ_seed |= x != g_rand_int(c);
		differ_purpose |= x != g_rand_int(d);
	}
	g_assert_true(differ_seed);
	g_assert_true(differ_purpose);
	g_rand_free(a);
	g_rand_free(b);
	g_rand_free(c);
	g_rand_free(d);
	for (int i = 0; i < 100; i++)
		g_assert_cmpuint(rng_uniform((uint64_t)i, "x", 7), <, 7);
	g_assert_cmpuint(rng_uniform(5, "x", 1), ==, 0);
}

/*
 * disk.phase = 0 is the platter of earlier versions (angle 0 at t = 0):
 * the bundled BH_Boundary example keeps the timings it always had on the
 * default 7200 rpm drive, 8,563,535 ns with boundaries and 16,863,320 ns
 * without (the figures its documentation stated before the phase
 * existed; one revolution, 8,333,333 ns, plus the seek apart).
 */
static void test_phase_zero_keeps_timings(void)
{
	const char *top = g_getenv("top_srcdir");
	char *path = g_build_filename(top ? top : ".", "scenarios",
				      "ext2-boundary.ini", NULL);
	char *text = NULL;
	const char *on[] = { "disk.phase=0", "fs.boundary=on", NULL };
	const char *off[] = { "disk.phase=0", "fs.boundary=off", NULL };
	struct harness_run *a, *b;

	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	a = harness_run_text(text, on);
	b = harness_run_text(text, off);
	g_assert_cmpint(a->res.end_ns, ==, 8563535);
	g_assert_cmpint(b->res.end_ns, ==, 16863320);
	/* the reader starts at 0: elapsed = end */
	g_assert_cmpint(a->res.elapsed_ns, ==, 8563535);
	harness_run_free(a);
	harness_run_free(b);
	g_free(text);
	g_free(path);
}

/*
 * elapsed_ns counts from the earliest task start: the same read started
 * at 3 ms (task.reader.start) on the simple disk ends at 3,000,000 +
 * 1,100,000 = 4,100,000 (as test_phase_no_platter) and takes 1,100,000.
 */
static void test_elapsed_from_first_start(void)
{
	struct harness_run *r = harness_run1(simple_ini,
					     "task.reader.start=3ms");

	g_assert_cmpint(r->status, ==, 0);
	g_assert_cmpint(r->res.end_ns, ==, 4100000);
	g_assert_cmpint(r->res.elapsed_ns, ==, 1100000);
	harness_run_free(r);
}

/*
 * Student's t 0.975 quantiles against a printed table (e.g. NIST/SEMATECH
 * e-Handbook of Statistical Methods, 1.3.6.7.2, upper critical values at
 * alpha = 0.025), three decimals: df 1: 12.706, 2: 4.303, 3: 3.182,
 * 5: 2.571, 7: 2.365, 10: 2.228, 30: 2.042, 100: 1.984; the normal's
 * 1.960 for very large df.  And 0.95 at df 10: 1.812.
 */
static void test_t_quantiles(void)
{
	static const struct { unsigned df; double t; } table[] = {
		{ 1, 12.706 }, { 2, 4.303 }, { 3, 3.182 }, { 5, 2.571 },
		{ 7, 2.365 }, { 10, 2.228 }, { 30, 2.042 }, { 100, 1.984 },
		{ 1000000, 1.960 },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(table); i++)
		g_assert_cmpfloat_with_epsilon(
			student_t_quantile(0.975, table[i].df), table[i].t,
			0.0005);
	g_assert_cmpfloat_with_epsilon(student_t_quantile(0.95, 10), 1.812,
				       0.0005);
}

/*
 * x = 2, 4, 4, 4, 5, 5, 7, 9 (n = 8): mean 40 / 8 = 5; squared
 * deviations 9 + 1 + 1 + 1 + 0 + 0 + 4 + 16 = 32, sd = sqrt(32 / 7) =
 * 2.138090; min 2, max 9; median: nearest rank ceil(0.5 * 8) = 4 of the
 * sorted values = 4.  95% CI: t(0.975, 7) = 2.365 (table); half width
 * 2.365 * 2.138090 / sqrt(8) = 1.7878: 3.2122 to 6.7878 (to the table's
 * precision, 1e-3).  One value: sd 0, interval the value itself.
 */
static void test_summary(void)
{
	const double x[] = { 5, 2, 9, 4, 4, 7, 4, 5 };
	struct summary s;

	summary_of(x, G_N_ELEMENTS(x), &s);
	g_assert_cmpuint(s.n, ==, 8);
	g_assert_cmpfloat_with_epsilon(s.mean, 5, 1e-12);
	g_assert_cmpfloat_with_epsilon(s.sd, 2.138090, 1e-6);
	g_assert_cmpfloat(s.min, ==, 2);
	g_assert_cmpfloat(s.max, ==, 9);
	g_assert_cmpfloat(s.median, ==, 4);
	g_assert_cmpfloat_with_epsilon(s.ci_lo, 3.2122, 1e-3);
	g_assert_cmpfloat_with_epsilon(s.ci_hi, 6.7878, 1e-3);
	summary_of(x, 1, &s);
	g_assert_cmpfloat(s.sd, ==, 0);
	g_assert_cmpfloat(s.ci_lo, ==, 5);
	g_assert_cmpfloat(s.ci_hi, ==, 5);
}

static struct run_stats *fake_run(const char *variant, int64_t seed,
				  int64_t elapsed_ns)
{
	struct run_stats *st = g_new0(struct run_stats, 1);

	st->scenario = g_strdup("s");
	st->variant = g_strdup(variant);
	st->seed = seed;
	st->elapsed_ns = elapsed_ns;
	return st;
}

/*
 * Variant A ran seeds 1, 2, 3 in 10, 12, 11 ms; variant B the same seeds
 * in 13, 14, 15 ms, listed in another order (seed 3 first) so that the
 * pairing must go by seed.  Differences B - A: 3, 2, 4: mean 3,
 * sd = sqrt((0 + 1 + 1) / 2) = 1; t(0.975, 2) = 4.303 (table), half width
 * 4.303 / sqrt(3) = 2.4843: CI 0.5157 to 5.4843; B slower in 3 of 3.
 * B also ran seed 9, which A did not: it is in B's own figures (n = 4)
 * and in no pair.
 */
static void test_paired_difference(void)
{
	GPtrArray *runs = g_ptr_array_new_with_free_func(
		(GDestroyNotify)run_stats_free);
	struct experiment *e;
	const struct exp_variant *b;
	char *sentence;

	g_ptr_array_add(runs, fake_run("v=a", 1, 10000000));
	g_ptr_array_add(runs, fake_run("v=a", 2, 12000000));
	g_ptr_array_add(runs, fake_run("v=a", 3, 11000000));
	g_ptr_array_add(runs, fake_run("v=b", 3, 15000000));
	g_ptr_array_add(runs, fake_run("v=b", 1, 13000000));
	g_ptr_array_add(runs, fake_run("v=b", 2, 14000000));
	g_ptr_array_add(runs, fake_run("v=b", 9, 1000000));
	e = experiment_new(runs);
	g_assert_nonnull(e);
	g_assert_cmpuint(e->variants->len, ==, 2);
	b = e->variants->pdata[1];
	g_assert_cmpuint(b->fig[EXP_ELAPSED_MS].n, ==, 4);
	g_assert_true(b->has_diff);
	g_assert_cmpuint(b->diff.n, ==, 3);
	g_assert_cmpfloat_with_epsilon(b->diff.mean, 3, 1e-12);
	g_assert_cmpfloat_with_epsilon(b->diff.sd, 1, 1e-12);
	g_assert_cmpfloat_with_epsilon(b->diff.ci_lo, 0.5157, 1e-3);
	g_assert_cmpfloat_with_epsilon(b->diff.ci_hi, 5.4843, 1e-3);
	g_assert_cmpuint(b->slower, ==, 3);
	sentence = experiment_sentence(e, 1);
	g_assert_cmpstr(sentence, ==, "v=b takes 3.00 ms longer than v=a "
			"(95% CI 0.52 to 5.48) over 3 paired runs; slower in 3 "
			"of 3.");
	g_free(sentence);
	experiment_free(e);
	/* one seed per variant (even run twice): nothing to summarise */
	g_ptr_array_set_size(runs, 0);
	g_ptr_array_add(runs, fake_run("v=a", 1, 10000000));
	g_ptr_array_add(runs, fake_run("v=b", 1, 13000000));
	g_ptr_array_add(runs, fake_run("v=b", 1, 13000000));
	g_assert_null(experiment_new(runs));
	g_ptr_array_unref(runs);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/experiment/phase/hand-worked",
			test_phase_hand_worked);
	g_test_add_func("/experiment/phase/no-platter", test_phase_no_platter);
	g_test_add_func("/experiment/phase/bad-values", test_phase_bad_values);
	g_test_add_func("/experiment/phase/offsets", test_phase_offsets);
	g_test_add_func("/experiment/phase/shift", test_phase_is_a_shift);
	g_test_add_func("/experiment/phase/zero-keeps-timings",
			test_phase_zero_keeps_timings);
	g_test_add_func("/experiment/elapsed", test_elapsed_from_first_start);
	g_test_add_func("/experiment/rng/streams", test_rng_streams);
	g_test_add_func("/experiment/stats/t-quantiles", test_t_quantiles);
	g_test_add_func("/experiment/stats/summary", test_summary);
	g_test_add_func("/experiment/stats/paired", test_paired_difference);
	return g_test_run();
}
