/*
 * test-replay.c - trace replay (src/replay): the readers on small traces,
 * closed-loop timing worked out by hand on the simple disk, replay at
 * depth 1 against the disk model driven directly, and the validation
 * figures on two small distributions worked out by hand.
 *
 * The simple disk serves one command at a time in 100000 ns plus
 * bytes / 10^8 B/s: a 4 KiB (8-sector) request takes 100000 + 4096 * 10^9
 * / 10^8 = 100000 + 40960 = 140960 ns.
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include "analysis/runner.h"
#include "disk/disk.h"
#include "include/blktrace_api.h"
#include "replay/replay.h"
#include "replay/validate.h"
#include "trace/trace.h"

#define SERVICE_4K 140960

static char *tmpdir;

static char *write_tmp(const char *name, const void *data, gsize len)
{
	char *path = g_build_filename(tmpdir, name, NULL);

	g_assert_true(g_file_set_contents(path, data, (gssize)len, NULL));
	return path;
}

struct done_row {
	uint64_t n;
	int64_t dispatch_ns, complete_ns, recorded_service_ns;
};

static void on_done(void *arg, const struct replay_rec *rec,
		    int64_t dispatch_ns, int64_t complete_ns)
{
	struct done_row d = { rec->n, dispatch_ns, complete_ns,
			      rec->service_ns };

	g_array_append_val((GArray *)arg, d);
}

static gint cmp_n(gconstpointer a, gconstpointer b)
{
	const struct done_row *x = a, *y = b;

	return (x->n > y->n) - (x->n < y->n);
}

/*
 * Replay a trace (text) on a scenario (text) in this process, through the
 * runner as `mpsim replay` does; the rows in trace order.
 */
static GArray *replay_text(const char *trace, gsize len, const char *ini,
			   const struct replay_options *opt)
{
	char *tpath = write_tmp("trace", trace, len);
	char *spath = write_tmp("scen.ini", ini, strlen(ini));
	GArray *rows = g_array_new(FALSE, FALSE, sizeof(struct done_row));
	struct replay_options o = *opt;
	struct runner_job job = { 0 };
	struct runner_result res;
	struct trace_listener l;
	struct replay *r;

	o.trace = tpath;
	o.precheck = true;
	r = replay_new(&o);
	replay_set_done(r, on_done, rows);
	replay_listener(r, &l);
	job.scenario = spath;
	job.extra = &l;
	job.device_only = true;
	job.setup = replay_setup;
	job.finish = replay_finish;
	job.hook_ctx = r;
	g_assert_cmpint(runner_run(&job, &res), ==, 0);
	g_assert_cmpuint(replay_completed(r), ==, replay_issued(r));
	g_free(res.scenario_name);
	replay_free(r);
	g_free(tpath);
	g_free(spath);
	g_array_sort(rows, cmp_n);
	return rows;
}

#define ROW(rows, i) (&g_array_index(rows, struct done_row, i))

static const char simple_noop[] =
	"[disk]\npreset = simple\n[block]\nelevator = noop\nplug = off\n";

static void check_times(GArray *rows, const int64_t *dispatch,
			const int64_t *complete, guint n)
{
	g_assert_cmpuint(rows->len, ==, n);
	for (guint i = 0; i < n; i++) {
		g_assert_cmpuint(ROW(rows, i)->n, ==, i + 1);
		g_assert_cmpint(ROW(rows, i)->dispatch_ns, ==, dispatch[i]);
		g_assert_cmpint(ROW(rows, i)->complete_ns, ==, complete[i]);
	}
}

/*
 * Think times, depth 1: request 1 at 0, done 140960; request 2 issued
 * at 140960 + think of row 1 (0), done 281920; request 3 at 281920 +
 * 50000 (row 2's think) = 331920, done 331920 + 140960 = 472880.
 */
static void test_closed_think(void)
{
	static const char csv[] = "op,sector,sectors,think_ns\n"
		"R,0,8,0\nR,1000,8,50000\nW,8,8,0\n";
	const struct replay_options o = { .mode = REPLAY_MODE_CLOSED };
	const int64_t d[] = { 0, 140960, 331920 };
	const int64_t c[] = { 140960, 281920, 472880 };
	GArray *rows = replay_text(csv, strlen(csv), simple_noop, &o);

	check_times(rows, d, c, 3);
	g_array_unref(rows);
}

/*
 * Depth 2, think 30000 after each: requests 1 and 2 issued at 0; 1 is
 * dispatched at 0 (done 140960), 2 waits for the one-command disk and is
 * dispatched at 140960 (done 281920).  Request 3 is issued at 140960 +
 * 30000 = 170960 (1's completion plus the think of the last issued row),
 * waits for 2, dispatched 281920, done 422880; request 4 issued at 281920
 * + 30000, dispatched 422880, done 563840.  The second request in flight
 * hides the think time: at depth 1 the dispatches would be 0, 170960,
 * 341920, 512880.
 */
static void test_closed_depth2(void)
{
	static const char csv[] = "op,sector,sectors,think_ns\n"
		"R,0,8,30000\nR,1000,8,30000\nR,2000,8,30000\n"
		"R,3000,8,30000\n";
	struct replay_options o = { .mode = REPLAY_MODE_CLOSED, .depth = 2 };
	const int64_t d2[] = { 0, 140960, 281920, 422880 };
	const int64_t c2[] = { 140960, 281920, 422880, 563840 };
	const int64_t d1[] = { 0, 170960, 341920, 512880 };
	const int64_t c1[] = { 140960, 311920, 482880, 653840 };
	GArray *rows = replay_text(csv, strlen(csv), simple_noop, &o);

	check_times(rows, d2, c2, 4);
	g_array_unref(rows);
	o.depth = 1;
	rows = replay_text(csv, strlen(csv), simple_noop, &o);
	check_times(rows, d1, c1, 4);
	g_array_unref(rows);
}

/*
 * Depth 5, all issued at 0: A 5000, B 1000, C 3000, D 2000, E 4000.
 * A goes to the idle disk at 0.  B is inserted and at once peeked
 * (scsi_request_fn peeks before asking the device): it waits on the
 * dispatch list.  C, D, E wait in the elevator.
 * noop: FIFO, so B, C, D, E at 140960, 281920, 422880, 563840.
 * deadline: when A completes, B is dispatched and the next request is
 * picked: no next_rq (B was moved alone), so the FIFO's oldest, C (3000);
 * its successor in sector order, E (4000), becomes next_rq and, the batch
 * not being over (1 < fifo_batch 16), goes before D (2000): C at 281920,
 * E at 422880, D at 563840.
 */
static void test_elevator_reorders(void)
{
	static const char csv[] = "op,sector,sectors,think_ns\n"
		"R,5000,8,0\nR,1000,8,0\nR,3000,8,0\nR,2000,8,0\n"
		"R,4000,8,0\n";
	static const char simple_deadline[] = "[disk]\npreset = simple\n"
		"[block]\nelevator = deadline\nplug = off\n";
	const struct replay_options o = { .mode = REPLAY_MODE_CLOSED,
					  .depth = 5 };
	const int64_t dn[] = { 0, 140960, 281920, 422880, 563840 };
	const int64_t dd[] = { 0, 140960, 281920, 563840, 422880 };
	int64_t c[5];
	GArray *rows;

	for (int i = 0; i < 5; i++)
		c[i] = dn[i] + SERVICE_4K;
	rows = replay_text(csv, strlen(csv), simple_noop, &o);
	check_times(rows, dn, c, 5);
	g_array_unref(rows);
	for (int i = 0; i < 5; i++)
		c[i] = dd[i] + SERVICE_4K;
	rows = replay_text(csv, strlen(csv), simple_deadline, &o);
	check_times(rows, dd, c, 5);
	g_array_unref(rows);
}

/*
 * Open loop at the recorded times, --speed 2: issued at 0, 500000,
 * 1000000 (the times halved), each served at once in 140960 ns.
 */
static void test_open_speed(void)
{
	static const char csv[] = "op,sector,sectors,time_ns\n"
		"R,0,8,0\nR,8000,8,1000000\nW,16,8,2000000\n";
	const struct replay_options o = { .speed = 2 };
	const int64_t d[] = { 0, 500000, 1000000 };
	const int64_t c[] = { 140960, 640960, 1140960 };
	GArray *rows = replay_text(csv, strlen(csv), simple_noop, &o);

	check_times(rows, d, c, 3);
	g_array_unref(rows);
}

/*
 * --plug: three 4 KiB reads at time 0, sectors 0, 8 and 100, on the
 * simple disk with noop and block.plug on.  The replay task holds a plug
 * around all three: 8+8 back-merges into 0+8 there (0+16), and the flush
 * inserts 0+16 and 100+8 in sector order.  0+16 is served in 100000 +
 * 8192 * 10^9 / 10^8 = 181920 ns, then 100+8 from 181920 to 322880.  So
 * request 1 and 2 (one request) complete at 181920, request 3 at 322880.
 * Without the plug, 0+8 goes to the idle disk at once and the others each
 * make a request: done at 140960, 281920, 422880.
 */
static void test_plug(void)
{
	static const char csv[] = "op,sector,sectors,time_ns\n"
		"R,0,8,0\nR,8,8,0\nR,100,8,0\n";
	static const char simple_plug[] = "[disk]\npreset = simple\n"
		"[block]\nelevator = noop\n";
	struct replay_options o = { .plug = true };
	const int64_t dp[] = { 0, 0, 181920 };
	const int64_t cp[] = { 181920, 181920, 322880 };
	const int64_t d[] = { 0, 140960, 281920 };
	const int64_t c[] = { 140960, 281920, 422880 };
	GArray *rows = replay_text(csv, strlen(csv), simple_plug, &o);

	check_times(rows, dp, cp, 3);
	g_array_unref(rows);
	o.plug = false;
	rows = replay_text(csv, strlen(csv), simple_plug, &o);
	check_times(rows, d, c, 3);
	g_array_unref(rows);
}

/* A small deterministic generator for the trace below. */
static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 33;
}

/*
 * Depth 1, noop, plugging off: the disk sees the trace's requests one at
 * a time, each at the previous completion plus the think time.  Drive a
 * second hdd-7200 directly with the same commands at the same times: every
 * dispatch and service time must match to the nanosecond.
 */
static void test_depth1_equals_disk(void)
{
	static const char hdd_noop[] = "[disk]\npreset = hdd-7200\nphase = 0\n"
		"[block]\nelevator = noop\nplug = off\n";
	const struct replay_options o = { .mode = REPLAY_MODE_CLOSED };
	GString *csv = g_string_new("op,sector,sectors,think_ns\n");
	struct disk_params *p = disk_params_new();
	struct disk *d;
	GArray *cmds = g_array_new(FALSE, FALSE, sizeof(struct disk_cmd));
	GArray *thinks = g_array_new(FALSE, FALSE, sizeof(int64_t));
	GArray *rows;
	uint64_t seed = 17;
	int64_t t = 0;

	for (int i = 0; i < 400; i++) {
		struct disk_cmd c = { .id = (uint64_t)i };
		int64_t think = (int64_t)(lcg(&seed) % 4) * 700000;

		c.op = lcg(&seed) % 3 ? DISK_READ : DISK_WRITE;
		c.sectors = 8u << (lcg(&seed) % 5);		/* 4-64 KiB */
		/* half near the last, half anywhere on the disk */
		c.sector = i && lcg(&seed) % 2 ?
			g_array_index(cmds, struct disk_cmd, i - 1).sector +
			lcg(&seed) % 4096 : lcg(&seed) % 900000000;
		g_array_append_val(cmds, c);
		g_array_append_val(thinks, think);
		g_string_append_printf(csv, "%c,%" G_GUINT64_FORMAT ",%u,%"
				       G_GINT64_FORMAT "\n", c.op == DISK_READ ?
				       'R' : 'W', c.sector, c.sectors, think);
	}
	rows = replay_text(csv->str, csv->len, hdd_noop, &o);
	g_assert_true(disk_params_set(p, "preset", "hdd-7200", NULL));
	d = disk_new(p);
	g_assert_cmpuint(rows->len, ==, cmds->len);
	for (guint i = 0; i < cmds->len; i++) {
		struct disk_completion done;

		disk_submit(d, &g_array_index(cmds, struct disk_cmd, i), t);
		g_assert_true(disk_complete(d, disk_next_completion(d), &done));
		g_assert_cmpint(ROW(rows, i)->dispatch_ns, ==, t);
		g_assert_cmpint(ROW(rows, i)->complete_ns -
				ROW(rows, i)->dispatch_ns, ==,
				done.complete_ns - t);
		t = done.complete_ns + g_array_index(thinks, int64_t, i);
	}
	disk_free(d);
	disk_params_free(p);
	g_array_unref(rows);
	g_array_unref(cmds);
	g_array_unref(thinks);
	g_string_free(csv, TRUE);
}

/*
 * The demerit figure: recorded 1, 2, 3, 4 ms against simulated 2, 2, 5,
 * 3 ms (paired in that order).  Sorted, the simulated are 2, 2, 3, 5:
 * horizontal distances 1, 0, 0, 1 ms, so the demerit is sqrt((1 + 0 + 0 +
 * 1) / 4) = sqrt(0.5) = 0.70710678 ms, 28.28% of the recorded mean 2.5 ms.
 * Per request the relative errors are 1/1, 0/2, 2/3, 1/4: mean (1 + 0 +
 * 0.6667 + 0.25) / 4 = 0.47917; within 10%: one of four.  Medians: 2.5 ms
 * both (the mean of the middle two); means 2.5 and 3 ms.
 */
static void test_demerit(void)
{
	struct validation *v = validation_new();
	const int64_t rec[] = { 1000000, 2000000, 3000000, 4000000 };
	const int64_t sim[] = { 2000000, 2000000, 5000000, 3000000 };
	struct validate_figures f;

	for (int i = 0; i < 4; i++)
		validation_add(v, (uint64_t)i + 1, rec[i], sim[i], 0, 8);
	g_assert_true(validation_figures(v, &f));
	g_assert_cmpuint(f.matched, ==, 4);
	g_assert_cmpfloat_with_epsilon(f.demerit_ns, 707106.781, 0.001);
	g_assert_cmpfloat_with_epsilon(f.demerit_rel, 0.2828427, 1e-6);
	g_assert_cmpfloat_with_epsilon(f.mean_abs_rel_err, 0.4791667, 1e-6);
	g_assert_cmpfloat(f.within_10, ==, 0.25);
	g_assert_cmpfloat(f.rec_median_ns, ==, 2500000);
	g_assert_cmpfloat(f.sim_median_ns, ==, 2500000);
	g_assert_cmpfloat(f.rec_mean_ns, ==, 2500000);
	g_assert_cmpfloat(f.sim_mean_ns, ==, 3000000);
	validation_free(v);
}

/* Read every record of a trace file. */
static GArray *read_all(const char *path, enum replay_format fmt,
			bool at_dispatch, const char *want_format)
{
	GError *err = NULL;
	struct replay_source *src = replay_source_open(path, fmt, at_dispatch,
						       &err);
	GArray *recs = g_array_new(FALSE, FALSE, sizeof(struct replay_rec));
	struct replay_rec rec;

	g_assert_no_error(err);
	g_assert_cmpstr(replay_source_format(src), ==, want_format);
	while (replay_source_next(src, &rec, &err))
		g_array_append_val(recs, rec);
	g_assert_no_error(err);
	replay_source_free(src);
	return recs;
}

#define REC(recs, i) (&g_array_index(recs, struct replay_rec, i))

static char *sample(const char *name)
{
	return g_build_filename(g_getenv("top_srcdir") ? g_getenv("top_srcdir")
				: ".", "tests", "replay", name, NULL);
}

/* The committed samples, read by the detected format. */
static void test_samples(void)
{
	char *p;
	GArray *r;

	/* fio v2 (written by hand): a wait of 2000 us after the 1st read */
	p = sample("handwritten-v2.fiolog");
	r = read_all(p, REPLAY_FORMAT_AUTO, false, "fio");
	g_assert_cmpuint(r->len, ==, 3);
	g_assert_cmpuint(REC(r, 0)->sector, ==, 0);
	g_assert_cmpuint(REC(r, 0)->sectors, ==, 8);
	g_assert_cmpint(REC(r, 0)->think_ns, ==, 2000000);
	g_assert_cmpint(REC(r, 0)->time_ns, ==, -1);
	g_assert_cmpint(REC(r, 1)->op, ==, REQ_OP_WRITE);
	g_assert_cmpuint(REC(r, 1)->sector, ==, 1048576 / 512);
	g_assert_cmpuint(REC(r, 2)->sectors, ==, 128);
	g_array_unref(r);
	g_free(p);
	/* fio v3 (written by hand): times in microseconds */
	p = sample("handwritten-v3.fiolog");
	r = read_all(p, REPLAY_FORMAT_AUTO, false, "fio");
	g_assert_cmpuint(r->len, ==, 3);
	g_assert_cmpint(REC(r, 0)->time_ns, ==, 105000);
	g_assert_cmpint(REC(r, 2)->time_ns, ==, 9210000);
	g_assert_cmpuint(REC(r, 2)->sector, ==, 24);
	g_array_unref(r);
	g_free(p);
	/* DiskSim ASCII: ms to ns exactly; flags bit 0 = read; device 0 */
	p = sample("sample.disksim");
	r = read_all(p, REPLAY_FORMAT_AUTO, false, "disksim");
	g_assert_cmpuint(r->len, ==, 3);
	g_assert_cmpint(REC(r, 1)->time_ns, ==, 12500001);
	g_assert_cmpint(REC(r, 1)->op, ==, REQ_OP_WRITE);
	g_assert_cmpint(REC(r, 2)->op, ==, REQ_OP_READ);
	g_assert_cmpuint(REC(r, 2)->sectors, ==, 16);
	g_array_unref(r);
	g_free(p);
	/* CSV with service times */
	p = sample("sample.csv");
	r = read_all(p, REPLAY_FORMAT_AUTO, false, "csv");
	g_assert_cmpuint(r->len, ==, 4);
	g_assert_cmpint(REC(r, 3)->service_ns, ==, 200000);
	g_assert_cmpuint(REC(r, 1)->flags, ==, REQ_SYNC);
	g_array_unref(r);
	g_free(p);
	/*
	 * blkparse text (made by blkparse from an export of ext2-boundary):
	 * two requests, 0+26 then 26+8; at dispatch, their D to C.
	 */
	p = sample("ext2-boundary.blkparse");
	r = read_all(p, REPLAY_FORMAT_AUTO, true, "blkparse");
	g_assert_cmpuint(r->len, ==, 2);
	g_assert_cmpuint(REC(r, 0)->sectors, ==, 26);
	g_assert_cmpint(REC(r, 0)->service_ns, ==, 8509772);
	g_assert_cmpint(REC(r, 1)->time_ns, ==, 8509772);
	g_assert_cmpint(REC(r, 1)->service_ns, ==, 8563535 - 8509772);
	g_array_unref(r);
	/* at queue: the three bios, the metadata read among them */
	r = read_all(p, REPLAY_FORMAT_AUTO, false, "blkparse");
	g_assert_cmpuint(r->len, ==, 3);
	g_array_unref(r);
	g_free(p);
}

/*
 * A fio iolog with fio's completion-latency log (both written by hand):
 * each read or write takes the latency of the log's line in order, and
 * version 3's issue time plus it is the recorded completion.  A log line
 * that does not match its request fails, naming it.
 */
static void test_fio_latencies(void)
{
	char *p = sample("handwritten-v3.fiolog");
	char *lat = sample("handwritten-v3.clat");
	char *bad;
	GError *err = NULL;
	struct replay_source *src = replay_source_open(p, REPLAY_FORMAT_AUTO,
						       false, &err);
	struct replay_rec rec[3];

	g_assert_no_error(err);
	g_assert_true(replay_source_set_latencies(src, lat, &err));
	for (int i = 0; i < 3; i++)
		g_assert_true(replay_source_next(src, &rec[i], &err));
	g_assert_false(replay_source_next(src, &rec[0], &err));
	g_assert_no_error(err);
	g_assert_cmpint(rec[0].service_ns, ==, 3000000);
	g_assert_cmpint(rec[0].complete_ns, ==, 105000 + 3000000);
	g_assert_cmpint(rec[1].service_ns, ==, 2500000);
	g_assert_cmpint(rec[2].service_ns, ==, 800000);
	g_assert_cmpint(rec[2].complete_ns, ==, 9210000 + 800000);
	replay_source_free(src);
	/* the write's line says offset 4096: line 2 of the log, line 5 */
	bad = write_tmp("bad.clat", "0, 3000000, 0, 4096, 0, 0\n"
			"4, 2500000, 1, 4096, 4096, 0\n", 55);
	src = replay_source_open(p, REPLAY_FORMAT_AUTO, false, &err);
	g_assert_true(replay_source_set_latencies(src, bad, &err));
	while (replay_source_next(src, &rec[0], &err))
		;
	g_assert_nonnull(err);
	g_assert_nonnull(strstr(err->message, "bad.clat: line 2: does not "
				"match the iolog's request at its line 5"));
	g_clear_error(&err);
	replay_source_free(src);
	g_free(bad);
	/* latencies go with fio only */
	g_free(p);
	p = sample("sample.csv");
	src = replay_source_open(p, REPLAY_FORMAT_AUTO, false, &err);
	g_assert_false(replay_source_set_latencies(src, lat, &err));
	g_assert_nonnull(strstr(err->message, "goes with a fio iolog"));
	g_clear_error(&err);
	replay_source_free(src);
	g_free(p);
	g_free(lat);
}

/* Append one record of blktrace's binary format. */
static void bt_rec(GByteArray *b, uint64_t time, uint32_t act,
		   uint32_t cat, uint64_t sector, uint32_t sectors)
{
	struct blk_io_trace t = {
		.magic = BLK_IO_TRACE_MAGIC | BLK_IO_TRACE_VERSION,
		.time = time, .sector = sector, .bytes = sectors * 512,
		.action = act | BLK_TC_ACT(cat), .device = 8 << 20,
	};

	g_byte_array_append(b, (const guint8 *)&t, sizeof(t));
}

/*
 * Per-CPU files merged by time: CPU 0 queues and dispatches request 1 at
 * 10 and 20 us, CPU 1 request 2 at 15 and 25 us; completions cross over
 * (request 1's on CPU 1 at 90 us, request 2's on CPU 0 at 60 us).  At
 * dispatch: records at 20 and 25 us, serviced 70 and 35 us.  A process
 * note (with its 16-byte payload) and a PC request are skipped.
 */
static void test_blktrace_percpu(void)
{
	GByteArray *c0 = g_byte_array_new(), *c1 = g_byte_array_new();
	char *base = g_build_filename(tmpdir, "dev", NULL);
	char *p0 = g_strconcat(base, ".blktrace.0", NULL);
	char *p1 = g_strconcat(base, ".blktrace.1", NULL);
	struct blk_io_trace note = {
		.magic = BLK_IO_TRACE_MAGIC | BLK_IO_TRACE_VERSION,
		.action = BLK_TC_ACT(BLK_TC_NOTIFY), .pdu_len = 16,
	};
	GArray *r;

	g_byte_array_append(c0, (const guint8 *)&note, sizeof(note));
	g_byte_array_append(c0, (const guint8 *)"dd\0\0\0\0\0\0\0\0\0\0\0\0\0",
			    16);
	bt_rec(c0, 10000, __BLK_TA_QUEUE, BLK_TC_READ | BLK_TC_QUEUE, 100, 8);
	bt_rec(c0, 12000, __BLK_TA_ISSUE, BLK_TC_PC, 0, 8);
	bt_rec(c0, 20000, __BLK_TA_ISSUE, BLK_TC_READ | BLK_TC_ISSUE, 100, 8);
	bt_rec(c0, 60000, __BLK_TA_COMPLETE, BLK_TC_WRITE | BLK_TC_COMPLETE,
	       500, 16);
	bt_rec(c1, 15000, __BLK_TA_QUEUE, BLK_TC_WRITE | BLK_TC_QUEUE, 500,
	       16);
	bt_rec(c1, 25000, __BLK_TA_ISSUE, BLK_TC_WRITE | BLK_TC_ISSUE, 500,
	       16);
	bt_rec(c1, 90000, __BLK_TA_COMPLETE, BLK_TC_READ | BLK_TC_COMPLETE,
	       100, 8);
	g_assert_true(g_file_set_contents(p0, (char *)c0->data, c0->len, NULL));
	g_assert_true(g_file_set_contents(p1, (char *)c1->data, c1->len, NULL));
	r = read_all(base, REPLAY_FORMAT_AUTO, true, "blktrace");
	g_assert_cmpuint(r->len, ==, 2);
	g_assert_cmpint(REC(r, 0)->time_ns, ==, 20000);
	g_assert_cmpint(REC(r, 0)->service_ns, ==, 70000);
	g_assert_cmpint(REC(r, 1)->time_ns, ==, 25000);
	g_assert_cmpint(REC(r, 1)->op, ==, REQ_OP_WRITE);
	g_assert_cmpint(REC(r, 1)->service_ns, ==, 35000);
	g_array_unref(r);
	/* at queue: the Q times; D to C still measured */
	r = read_all(base, REPLAY_FORMAT_AUTO, false, "blktrace");
	g_assert_cmpuint(r->len, ==, 2);
	g_assert_cmpint(REC(r, 0)->time_ns, ==, 10000);
	g_assert_cmpint(REC(r, 0)->service_ns, ==, 70000);
	g_assert_cmpint(REC(r, 1)->time_ns, ==, 15000);
	g_array_unref(r);
	g_byte_array_unref(c0);
	g_byte_array_unref(c1);
	g_free(base);
	g_free(p0);
	g_free(p1);
}

/*
 * A trace written on a machine of the other byte order: the magic read
 * swapped says so, and every field is swapped back.  Q at 1 us, D at 2 us,
 * C at 5 us of a 4 KiB write at sector 2048: at dispatch one record at
 * 2000 ns, serviced 3000 ns.
 */
static void test_blktrace_swapped(void)
{
	GByteArray *b = g_byte_array_new();
	GArray *r;
	char *path;

	bt_rec(b, 1000, __BLK_TA_QUEUE, BLK_TC_WRITE | BLK_TC_QUEUE, 2048, 8);
	bt_rec(b, 2000, __BLK_TA_ISSUE, BLK_TC_WRITE | BLK_TC_ISSUE, 2048, 8);
	bt_rec(b, 5000, __BLK_TA_COMPLETE, BLK_TC_WRITE | BLK_TC_COMPLETE,
	       2048, 8);
	for (guint off = 0; off < b->len; off += sizeof(struct blk_io_trace)) {
		struct blk_io_trace *t = (struct blk_io_trace *)(b->data + off);

		t->magic = GUINT32_SWAP_LE_BE(t->magic);
		t->time = GUINT64_SWAP_LE_BE(t->time);
		t->sector = GUINT64_SWAP_LE_BE(t->sector);
		t->bytes = GUINT32_SWAP_LE_BE(t->bytes);
		t->action = GUINT32_SWAP_LE_BE(t->action);
		t->device = GUINT32_SWAP_LE_BE(t->device);
	}
	path = write_tmp("swapped.blktrace", b->data, b->len);
	r = read_all(path, REPLAY_FORMAT_AUTO, true, "blktrace");
	g_assert_cmpuint(r->len, ==, 1);
	g_assert_cmpint(REC(r, 0)->time_ns, ==, 2000);
	g_assert_cmpint(REC(r, 0)->service_ns, ==, 3000);
	g_assert_cmpuint(REC(r, 0)->sector, ==, 2048);
	g_assert_cmpuint(REC(r, 0)->sectors, ==, 8);
	g_assert_cmpint(REC(r, 0)->op, ==, REQ_OP_WRITE);
	g_array_unref(r);
	g_byte_array_unref(b);
	g_free(path);
}

/* Read a trace expecting an error whose message holds `want` (len 0: the
 * data is a string). */
static void expect_error(const char *name, const void *data, gsize len,
			 const char *want)
{
	char *path = write_tmp(name, data, len ? len : strlen(data));
	GError *err = NULL;
	struct replay_source *src = replay_source_open(path,
		REPLAY_FORMAT_AUTO, false, &err);
	struct replay_rec rec;

	while (src && replay_source_next(src, &rec, &err))
		;
	g_assert_nonnull(err);
	if (!strstr(err->message, want))
		g_error("\"%s\" lacks \"%s\"", err->message, want);
	g_error_free(err);
	replay_source_free(src);
	g_free(path);
}

/* Bad traces name the line or the byte offset. */
static void test_bad_traces(void)
{
	GByteArray *b = g_byte_array_new();

	expect_error("bad.csv", "op,sector,sectors,time_ns\nR,0,8,0\n"
		     "X,8,8,5\n", 0, "line 3: op");
	expect_error("bad2.csv", "op,sector,sectors\nR,0,8\n", 0,
		     "line 1: the header needs");
	expect_error("bad.fio", "fio version 3 iolog\n1 /dev/sdb read 0 "
		     "4096\n2 /dev/sdb read 100 4096\n", 0,
		     "line 3: offset 100");
	expect_error("bad.disksim", "0.0 0 8 8 1\n0.5 0 x 8 1\n", 0,
		     "line 2:");
	/* a record cut short after a whole one: at byte 48 */
	bt_rec(b, 10, __BLK_TA_QUEUE, BLK_TC_READ | BLK_TC_QUEUE, 0, 8);
	bt_rec(b, 20, __BLK_TA_QUEUE, BLK_TC_READ | BLK_TC_QUEUE, 8, 8);
	expect_error("cut.blktrace", b->data, b->len - 10,
		     "byte offset 48: truncated record");
	/* a bad magic in the second record */
	b->data[48] ^= 0xff;
	b->data[49] ^= 0xff;
	expect_error("magic.blktrace", b->data, b->len,
		     "byte offset 48: not a blktrace record");
	expect_error("what.txt", "hello world\n", 0, "name one with "
		     "--format");
	g_byte_array_unref(b);
}

int main(int argc, char **argv)
{
	int rc;

	g_test_init(&argc, &argv, NULL);
	tmpdir = g_dir_make_tmp("test-replay-XXXXXX", NULL);
	g_test_add_func("/replay/closed-think", test_closed_think);
	g_test_add_func("/replay/closed-depth2", test_closed_depth2);
	g_test_add_func("/replay/elevator-reorders", test_elevator_reorders);
	g_test_add_func("/replay/open-speed", test_open_speed);
	g_test_add_func("/replay/plug", test_plug);
	g_test_add_func("/replay/depth1-equals-disk", test_depth1_equals_disk);
	g_test_add_func("/replay/demerit", test_demerit);
	g_test_add_func("/replay/samples", test_samples);
	g_test_add_func("/replay/fio-latencies", test_fio_latencies);
	g_test_add_func("/replay/blktrace-percpu", test_blktrace_percpu);
	g_test_add_func("/replay/blktrace-swapped", test_blktrace_swapped);
	g_test_add_func("/replay/bad-traces", test_bad_traces);
	rc = g_test_run();
	{
		GDir *d = g_dir_open(tmpdir, 0, NULL);
		const char *name;

		while (d && (name = g_dir_read_name(d))) {
			char *p = g_build_filename(tmpdir, name, NULL);

			g_unlink(p);
			g_free(p);
		}
		if (d)
			g_dir_close(d);
		g_rmdir(tmpdir);
	}
	g_free(tmpdir);
	return rc;
}
