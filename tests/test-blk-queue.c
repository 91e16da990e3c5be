/*
 * test-blk-queue.c - the block layer on hand-made queues: bios built here
 * at chosen sectors, submitted by simulated tasks that follow small
 * scripts, against the simple disk.  Each test states the order in which
 * requests reach the device, worked out by hand from 4.9's blk-core.c,
 * blk-merge.c, elevator.c, noop-iosched.c and deadline-iosched.c.
 *
 * The device: simple preset, queue depth 1, latency 100 us, 512 MB/s, so
 * that a request of n sectors takes 100000 + 1000 n ns.  The driver peeks
 * before it checks the device (scsi_request_fn): while one request is at
 * the device, the next is already chosen and sits, started and no longer
 * mergeable, on the dispatch list.
 *
 * A script is a list of ops separated by ";":
 *   R S N / W S N   submit a read / write bio of N sectors at sector S
 *                   (one vector, one segment, per 8 sectors)
 *   plug / finish   blk_start_plug / blk_finish_plug
 *   busy T          spend T ns without sleeping (the plug is kept)
 *   wait            sleep until every bio of this task has completed
 */
#include <string.h>
#include "harness.h"
#include "block/blkdev.h"
#include "disk/disk.h"
#include "log/text.h"
#include "sim/sched.h"
#include "trace/trace.h"

struct fix;

struct script_task {
	struct fix *f;
	const char *script;
	struct blk_plug plug;
	struct wait_queue_head wq;
	int outstanding;
};

struct fix {
	struct disk_params *dp;
	struct disk *disk;
	struct block_device *bdev;
	struct blk_options opt;
	struct harness_run r;		/* only .lines is used */
	struct script_task tasks[4];
	int ntasks;
	GString *ended;			/* "seq@time " per bio_endio seen */
};

static void capture(void *ctx, const struct trace_event *ev)
{
	GString *s = g_string_new(NULL);

	text_trace_format(ev, s);
	g_ptr_array_add(ctx, g_string_free(s, FALSE));
}

/* Settings: "block.KEY=V" or "disk.KEY=V", NULL-terminated. */
static void fix_init(struct fix *f, const char *const *sets)
{
	static const char *const disk_base[][2] = {
		{ "preset", "simple" }, { "latency_ns", "100000" },
		{ "bandwidth_bps", "512000000" }, { "queue_depth", "1" },
	};
	struct trace_listener l = { capture, NULL };

	memset(f, 0, sizeof(*f));
	ev_init();
	sched_init();
	bio_reset();
	f->dp = disk_params_new();
	for (unsigned i = 0; i < G_N_ELEMENTS(disk_base); i++)
		g_assert_true(disk_params_set(f->dp, disk_base[i][0],
					      disk_base[i][1], NULL));
	blk_options_init(&f->opt);
	/* these tests are about noop and deadline (cfq: test-cfq) */
	f->opt.elevator = BLK_ELV_DEADLINE;
	for (; sets && *sets; sets++) {
		char **kv = g_strsplit(*sets, "=", 2);
		GError *err = NULL;
		bool ok;

		if (g_str_has_prefix(kv[0], "disk."))
			ok = disk_params_set(f->dp, kv[0] + 5, kv[1], &err);
		else
			ok = blk_options_set(&f->opt, kv[0] + 6, kv[1], &err);
		g_assert_no_error(err);
		g_assert_true(ok);
		g_strfreev(kv);
	}
	f->disk = disk_new(f->dp);
	f->bdev = blk_device_new(f->disk, &f->opt);
	f->r.lines = g_ptr_array_new_with_free_func(g_free);
	f->ended = g_string_new(NULL);
	l.ctx = f->r.lines;
	trace_clear_listeners();
	trace_add_listener(&l);
}

static void test_end_io(struct bio *bio)
{
	struct script_task *t = bio->bi_private;

	g_string_append_printf(t->f->ended, "%" G_GUINT64_FORMAT "@%"
			       G_GINT64_FORMAT " ", bio->seq, ev_now());
	bio_put(bio);
	if (--t->outstanding == 0)
		wake_up_all(&t->wq);
}

static void submit(struct script_task *t, enum req_op op, sector_t sector,
		   unsigned sectors)
{
	struct bio *bio = bio_alloc(GFP_NOIO, (sectors + 7) / 8);

	bio->bi_bdev = t->f->bdev;
	bio->bi_iter.bi_sector = sector;
	bio_set_op_attrs(bio, op, 0);
	bio->origin = BIO_ORIGIN_BUFFER;
	bio->bi_end_io = test_end_io;
	bio->bi_private = t;
	/* offset 0 each time: never contiguous, one vector per 8 sectors */
	for (unsigned left = sectors; left;) {
		unsigned n = left < 8 ? left : 8;

		g_assert_cmpint(bio_add_page(bio, NULL, n << 9, 0), ==, n << 9);
		left -= n;
	}
	t->outstanding++;
	submit_bio(bio);
}

static void run_script(void *arg)
{
	struct script_task *t = arg;
	char **ops = g_strsplit(t->script, ";", -1);

	for (char **op = ops; *op; op++) {
		char **w = g_strsplit(g_strstrip(*op), " ", -1);

		if (!strcmp(w[0], "R") || !strcmp(w[0], "W"))
			submit(t, w[0][0] == 'R' ? REQ_OP_READ : REQ_OP_WRITE,
			       g_ascii_strtoull(w[1], NULL, 10),
			       (unsigned)g_ascii_strtoull(w[2], NULL, 10));
		else if (!strcmp(w[0], "plug"))
			blk_start_plug(&t->plug);
		else if (!strcmp(w[0], "finish"))
			blk_finish_plug(&t->plug);
		else if (!strcmp(w[0], "busy"))
			sched_busy(g_ascii_strtoll(w[1], NULL, 10));
		else if (!strcmp(w[0], "wait"))
			while (t->outstanding)
				sched_wait(&t->wq);
		else
			g_assert_not_reached();
		g_strfreev(w);
	}
	g_strfreev(ops);
}

static void fix_task(struct fix *f, simtime_t start, const char *script)
{
	struct script_task *t = &f->tasks[f->ntasks];
	char name[8];

	g_assert_cmpint(f->ntasks, <, (int)G_N_ELEMENTS(f->tasks));
	g_snprintf(name, sizeof(name), "t%d", ++f->ntasks);
	t->f = f;
	t->script = script;
	task_create(name, start, run_script, t);
}

static void fix_run(struct fix *f)
{
	ev_run(SIMTIME_NEVER, NULL);
	g_assert_cmpint(sched_unfinished(), ==, 0);
	g_assert_true(blk_idle(f->bdev));
}

static void fix_free(struct fix *f)
{
	trace_clear_listeners();
	sched_destroy();
	blk_device_free(f->bdev);
	disk_free(f->disk);
	disk_params_free(f->dp);
	ev_destroy();
	g_ptr_array_unref(f->r.lines);
	g_string_free(f->ended, TRUE);
}

/* Run one task's script with the given settings; check what the disk got. */
static void check_one(const char *const *sets, const char *script,
		      const char *dispatched)
{
	struct fix f;

	fix_init(&f, sets);
	fix_task(&f, 0, script);
	fix_run(&f);
	harness_assert_summary(&f.r, "dispatch", "sector sectors bios",
			       dispatched);
	fix_free(&f);
}

/* ---- elevators ---- */

/*
 * Without a plug each bio is inserted and the queue run at once.  All six
 * reads are submitted at t=0:
 *   R0     device idle: dispatched.
 *   R1000  peeked (committed to the dispatch list), the device is busy.
 *   R400, R200, R600, R100 wait in the elevator.
 * noop: FIFO order, 400 200 600 100.
 * deadline: when R1000 was chosen the tree held nothing above it, so
 * next_rq is NULL and the next choice is the FIFO head, R400; its sorted
 * successor R600 follows in the same batch; R600 has no successor, so the
 * FIFO head again: R200 (its successor: none, R100 lies below), then R100.
 */
static const char sweep_script[] =
	"R 0 8; R 1000 8; R 400 8; R 200 8; R 600 8; R 100 8; wait";

static void test_noop_fifo(void)
{
	const char *sets[] = { "block.elevator=noop", NULL };

	check_one(sets, sweep_script,
		  "0 8 1; 1000 8 2; 400 8 3; 200 8 4; 600 8 5; 100 8 6");
}

static void test_deadline_sweep(void)
{
	const char *sets[] = { "block.elevator=deadline", NULL };

	check_one(sets, sweep_script,
		  "0 8 1; 1000 8 2; 400 8 3; 600 8 5; 200 8 4; 100 8 6");
}

/*
 * fifo_batch and writes_starved.  R0 is dispatched, R10 committed (next_rq
 * NULL: the tree was empty).  Then reads 100..150 and writes 500, 510.
 * fifo_batch=2, writes_starved=2:
 *   decide: reads and writes pending, starved 0 >= 2? no (starved 1):
 *     FIFO head R100, then R110 (batch of 2);
 *   decide: starved 1 >= 2? no (2): next_rq R120, not expired: R120, R130;
 *   decide: starved 2 >= 2: writes (starved 0): W500, W510;
 *   decide: reads only: next_rq[READ] was cleared by the write batch:
 *     FIFO head R140, then R150.
 * writes_starved=1: the writes come after the first read batch.
 * fifo_batch=16: one batch takes all six reads, then the writes.
 */
static const char starve_script[] =
	"R 0 8; R 10 8; R 100 8; R 110 8; R 120 8; R 130 8; R 140 8; "
	"R 150 8; W 500 8; W 510 8; wait";

static void test_deadline_writes_starved(void)
{
	const char *sets2[] = { "block.fifo_batch=2", "block.writes_starved=2",
				NULL };
	const char *sets1[] = { "block.fifo_batch=2", "block.writes_starved=1",
				NULL };
	const char *sets16[] = { NULL };

	check_one(sets2, starve_script,
		  "0 8 1; 10 8 2; 100 8 3; 110 8 4; 120 8 5; 130 8 6; "
		  "500 8 9; 510 8 10; 140 8 7; 150 8 8");
	check_one(sets1, starve_script,
		  "0 8 1; 10 8 2; 100 8 3; 110 8 4; 500 8 9; 510 8 10; "
		  "120 8 5; 130 8 6; 140 8 7; 150 8 8");
	check_one(sets16, starve_script,
		  "0 8 1; 10 8 2; 100 8 3; 110 8 4; 120 8 5; 130 8 6; "
		  "140 8 7; 150 8 8; 500 8 9; 510 8 10");
}

/*
 * Expiry.  Every request takes 108 us.  t1 at 0: R1000 dispatched; a plug
 * of R1010, R1020 is flushed: R1010 committed with next_rq R1020.  t2 at
 * 10 us: R0 (FIFO head from now on; expires at 10 us + read_expire).  t3
 * at 20 us: R1030 .. R1070.  fifo_batch=2, read_expire=300us:
 *   108 us: R1020 (batch, next_rq);            batching 2
 *   216 us: batch over; head R0 due at 310 us, not yet: next_rq R1030, R1040
 *   432 us: batch over; R0 has expired: R0, then its successor R1050
 *   648 us: batch over; head R1060 (due 320 us) expired: R1060, R1070.
 * With the default 500 ms nothing expires: the sweep runs to R1070 and
 * only then returns to R0.
 */
static void run_expiry(const char *const *sets, const char *expect)
{
	struct fix f;

	fix_init(&f, sets);
	fix_task(&f, 0, "R 1000 8; plug; R 1010 8; R 1020 8; finish; wait");
	fix_task(&f, 10000, "R 0 8; wait");
	fix_task(&f, 20000, "R 1030 8; R 1040 8; R 1050 8; R 1060 8; "
		 "R 1070 8; wait");
	fix_run(&f);
	harness_assert_summary(&f.r, "dispatch", "sector", expect);
	fix_free(&f);
}

static void test_deadline_expiry(void)
{
	const char *expire[] = { "block.fifo_batch=2",
				 "block.read_expire=300us", NULL };
	const char *noexpire[] = { "block.fifo_batch=2", NULL };

	run_expiry(expire, "1000; 1010; 1020; 1030; 1040; 0; 1050; 1060; 1070");
	run_expiry(noexpire,
		   "1000; 1010; 1020; 1030; 1040; 1050; 1060; 1070; 0");
}

/*
 * Front merges.  R0 dispatched, R2000 committed.  R108 is queued (and
 * becomes last_merge); R300 queued; R308 back-merges into R300 through the
 * end-sector hash (last_merge is now R300).  Then R100 (ends at 108):
 * last_merge R300 does not fit, no queued request ends at 100; deadline's
 * own hook finds R108 starting at 108: front merge, R100..116.  Its FIFO
 * position is R108's, the oldest: next after R2000.  noop has no such hook:
 * R100 stays a request of its own, last in the FIFO.  front_merges=0 turns
 * the hook off.
 */
static const char front_script[] =
	"R 0 8; R 2000 8; R 108 8; R 300 8; R 308 8; R 100 8; wait";

static void test_deadline_front_merge(void)
{
	const char *dl[] = { NULL };
	const char *noop[] = { "block.elevator=noop", NULL };
	const char *off[] = { "block.front_merges=0", NULL };
	struct fix f;

	check_one(dl, front_script,
		  "0 8 1; 2000 8 2; 100 16 6,3; 300 16 4,5");
	check_one(noop, front_script,
		  "0 8 1; 2000 8 2; 108 8 3; 300 16 4,5; 100 8 6");
	/* deadline without front merges: R100 alone, swept after R300 is
	 * chosen from the FIFO head R108 (next_rq R300, then none: R100) */
	check_one(off, front_script,
		  "0 8 1; 2000 8 2; 108 8 3; 300 16 4,5; 100 8 6");

	fix_init(&f, dl);
	fix_task(&f, 0, front_script);
	fix_run(&f);
	harness_assert_summary(&f.r, "merge", "sector sectors sectors_after "
			       "reason",
			       "300 8 16 back; 100 8 16 front");
	fix_free(&f);
}

/*
 * Request + request merge: R100 and R116 queued, then R108 back-merges
 * into R100 (last_merge), and attempt_back_merge() finds R116 right after
 * it (deadline: the sorted successor; noop: the FIFO successor) and merges
 * it too: one request 100..124 of bios 3, 5, 4.
 */
static void test_request_merge(void)
{
	const char *script = "R 0 8; R 2000 8; R 100 8; R 116 8; R 108 8; "
			     "wait";
	const char *dl[] = { NULL };
	const char *noop[] = { "block.elevator=noop", NULL };
	struct fix f;

	check_one(dl, script, "0 8 1; 2000 8 2; 100 24 3,5,4");
	check_one(noop, script, "0 8 1; 2000 8 2; 100 24 3,5,4");

	fix_init(&f, dl);
	fix_task(&f, 0, script);
	fix_run(&f);
	harness_assert_summary(&f.r, "merge", "sector sectors sectors_after "
			       "reason",
			       "100 8 16 back; 100 8 24 request");
	harness_assert_summary(&f.r, "complete", "sector merges", "0 0; "
			       "2000 0; 100 2");
	fix_free(&f);
}

/* ---- plugging ---- */

/*
 * Plug merges: R8, then R16 joins its back, R0 its front; R100 stays
 * apart; R108 walks the plug newest first and joins R100's back.  At the
 * finish the two requests are sorted (0, 100) and inserted.
 */
static void test_plug_merge(void)
{
	struct fix f;

	fix_init(&f, NULL);
	fix_task(&f, 0, "plug; R 8 8; R 16 8; R 100 8; R 0 8; R 108 8; "
		 "finish; wait");
	fix_run(&f);
	harness_assert_summary(&f.r, "merge", "sector sectors_after reason",
			       "8 16 plug-back; 0 24 plug-front; "
			       "100 16 plug-back");
	harness_assert_summary(&f.r, "plug", "sector count", "8 1; 100 2");
	harness_assert_summary(&f.r, "unplug", "count reason", "2 finish");
	harness_assert_summary(&f.r, "dispatch", "sector sectors bios merges",
			       "0 24 4,1,2 2; 100 16 3,5 1");
	fix_free(&f);
}

/*
 * Sorting at flush: plugged 300, 100, 200 reach the elevator as 100, 200,
 * 300 (noop keeps that order).  Two reads of the same sector do not merge
 * (neither back nor front) and leave the plug newest first, as 4.9's
 * list_sort() with plug_rq_cmp() orders equal keys.
 */
static void test_plug_sort(void)
{
	const char *noop[] = { "block.elevator=noop", NULL };

	check_one(noop, "plug; R 300 8; R 100 8; R 200 8; finish; wait",
		  "100 8 2; 200 8 3; 300 8 1");
	check_one(noop, "plug; R 100 8; R 100 8; finish; wait",
		  "100 8 2; 100 8 1");
}

/*
 * The 16-request flush: sixteen reads at 1500, 1400, ..., 0 fill the plug;
 * the seventeenth (50) finds 16 requests there, so the plug is flushed
 * first (reason limit: sorted, inserted, the queue run at once: R0 goes to
 * the device, R100 is chosen next), then R50 is plugged, and flushed at the
 * finish.  deadline sweeps 100 .. 1500 as one batch of 16 (with R0) and then
 * returns to the FIFO head, R50.
 */
static void test_plug_limit(void)
{
	GString *script = g_string_new("plug; ");
	GString *expect = g_string_new(NULL);
	struct fix f;

	for (int s = 1500; s >= 0; s -= 100)
		g_string_append_printf(script, "R %d 8; ", s);
	g_string_append(script, "R 50 8; finish; wait");
	for (int s = 0; s <= 1500; s += 100)
		g_string_append_printf(expect, "%d; ", s);
	g_string_append(expect, "50");

	fix_init(&f, NULL);
	fix_task(&f, 0, script->str);
	fix_run(&f);
	harness_assert_summary(&f.r, "unplug", "count reason",
			       "16 limit; 1 finish");
	g_assert_cmpuint(harness_count(&f.r, "plug"), ==, 17);
	harness_assert_summary(&f.r, "dispatch", "sector", expect->str);
	fix_free(&f);
	g_string_free(script, TRUE);
	g_string_free(expect, TRUE);
}

/*
 * Insert merge.  t1: R0 dispatched, R500 committed, then a plug holding
 * R108 (bio 3) while t1 stays busy.  t2 at 10 us, without a plug: R100
 * (bio 4) is queued in the elevator (last_merge).  t1 finishes its plug at
 * 20 us: R108 is inserted with insert merging, and last_merge R100 ends
 * where it starts: one request 100..116, bios 4, 3.
 */
static void test_insert_merge(void)
{
	struct fix f;

	fix_init(&f, NULL);
	fix_task(&f, 0, "R 0 8; R 500 8; plug; R 108 8; busy 20000; finish; "
		 "wait");
	fix_task(&f, 10000, "R 100 8; wait");
	fix_run(&f);
	harness_assert_summary(&f.r, "merge", "sector sectors sectors_after "
			       "reason", "100 8 16 insert");
	harness_assert_summary(&f.r, "dispatch", "sector sectors bios",
			       "0 8 1; 500 8 2; 100 16 4,3");
	fix_free(&f);
}

/*
 * block.plug=off: each bio goes to the elevator and the queue runs.  R100
 * is chosen (started) while R0 is at the device, so R108 cannot join it and
 * becomes a request of its own; R116 joins R108's back (last_merge).
 */
static void test_plug_off(void)
{
	const char *sets[] = { "block.plug=off", NULL };
	struct fix f;

	fix_init(&f, sets);
	fix_task(&f, 0, "plug; R 0 8; R 100 8; R 108 8; R 116 8; finish; "
		 "wait");
	fix_run(&f);
	g_assert_cmpuint(harness_count(&f.r, "plug"), ==, 0);
	g_assert_cmpuint(harness_count(&f.r, "unplug"), ==, 0);
	harness_assert_summary(&f.r, "dispatch", "sector sectors bios",
			       "0 8 1; 100 8 2; 108 16 3,4");
	fix_free(&f);
}

/*
 * nomerges.  2: no merge at all - not in the plug, not at insert.  1
 * (noxmerges): plug merges still happen (blk_attempt_plug_merge only
 * checks nomerges=2), and the elevator tries only its one-hit cache: R108
 * joins R100 (last_merge), but R308 finds last_merge still R100 and stops
 * there, where the end-sector hash would have found R300.
 */
static void test_nomerges(void)
{
	const char *none[] = { "block.nomerges=2", NULL };
	const char *onehit[] = { "block.nomerges=1", NULL };
	const char *all[] = { NULL };
	const char *plugged = "plug; R 0 8; R 8 8; finish; wait";
	const char *queued = "R 0 8; R 2000 8; R 100 8; R 300 8; R 108 8; "
			     "R 308 8; wait";

	check_one(none, plugged, "0 8 1; 8 8 2");
	check_one(onehit, plugged, "0 16 1,2");
	check_one(onehit, queued,
		  "0 8 1; 2000 8 2; 100 16 3,5; 300 8 4; 308 8 6");
	check_one(all, queued, "0 8 1; 2000 8 2; 100 16 3,5; 300 16 4,6");
}

/* ---- limits and splitting ---- */

/*
 * max_sectors_kb=4 (8 sectors): a 24-sector read is cut into 8-sector
 * parts: bio 2 (0..8) and bio 3 (8..16) split off, the original (bio 1)
 * keeps 16..24.  The parts never merge (REQ_NOMERGE).  The original's
 * end_io runs once, after its last part: at the third completion, 3 x 108
 * us.
 */
static void test_split_max_sectors(void)
{
	const char *sets[] = { "block.max_sectors_kb=4", NULL };
	struct fix f;

	fix_init(&f, sets);
	fix_task(&f, 0, "plug; R 0 24; finish; wait");
	fix_run(&f);
	harness_assert_summary(&f.r, "split", "sector sectors bio parent",
			       "0 8 2 1; 8 8 3 1");
	harness_assert_summary(&f.r, "dispatch", "sector sectors bios",
			       "0 8 2; 8 8 3; 16 8 1");
	g_assert_cmpstr(f.ended->str, ==, "1@324000 ");
	fix_free(&f);
}

/*
 * max_sectors_kb=6 (12 sectors): the cut falls inside the second vector
 * (blk_bio_segment_split counts it as a segment of the front part); the
 * rest, 12 sectors, fits.
 */
static void test_split_mid_vector(void)
{
	const char *sets[] = { "block.max_sectors_kb=6", NULL };

	check_one(sets, "plug; R 0 24; finish; wait", "0 12 2; 12 12 1");
}

/*
 * max_segments=3: a 32-sector read (4 vectors) splits after 3 segments.
 */
static void test_split_max_segments(void)
{
	const char *sets[] = { "block.max_segments=3", NULL };

	check_one(sets, "plug; R 0 32; finish; wait", "0 24 2; 24 8 1");
}

/*
 * No merge past the limits.  max_sectors_kb=8 (16 sectors): R0 + R8 make
 * 16 sectors; R16 would make 24: the merge fails (and R0..16 takes no more
 * merges), R16 starts a request that R24 then joins.  max_segments=2 has
 * the same effect, counted in segments (one per 8-sector vector).
 */
static void test_merge_limits(void)
{
	const char *sectors[] = { "block.max_sectors_kb=8", NULL };
	const char *segments[] = { "block.max_segments=2", NULL };
	const char *script = "plug; R 0 8; R 8 8; R 16 8; R 24 8; finish; wait";

	check_one(sectors, script, "0 16 1,2; 16 16 3,4");
	check_one(segments, script, "0 16 1,2; 16 16 3,4");
	check_one(NULL, script, "0 32 1,2,3,4");
}

/* "TIME:SECTOR" of every line of an action, joined by spaces. */
static char *times_of(const struct fix *f, const char *action)
{
	GString *out = g_string_new(NULL);

	for (unsigned i = 0; i < f->r.lines->len; i++) {
		const char *line = g_ptr_array_index(f->r.lines, i);
		char **w = g_strsplit(line, " ", 3);
		char *sector = harness_field(line, "sector");

		if (w[1] && !strcmp(w[1], action))
			g_string_append_printf(out, "%s%s:%s",
					       out->len ? " " : "", w[0],
					       sector ? sector : "-");
		g_free(sector);
		g_strfreev(w);
	}
	return g_string_free(out, FALSE);
}

#define assert_times(f, action, expected)				\
	do {								\
		char *got_ = times_of((f), (action));			\
		g_assert_cmpstr(got_, ==, (expected));			\
		g_free(got_);						\
	} while (0)

/*
 * The request list (__get_request, block/blk-core.c), nr_requests=4:
 * congestion on at min(4 - 4/8 + 1, 4) = 4, off below max(4 - 0 - 0 - 1,
 * 1) = 3, the hard limit 3 * 4 / 2 = 6.  One plugged task reads 700, 600,
 * ..., 0 (8 sectors each, 108 us apiece at the device).
 *   700, 600, 500: counts 1, 2, 3.
 *   400: count 3 + 1 >= 4: congested (value=3, the count before it), and
 *        the class fills: it is marked full and the task becomes a batcher
 *        (ioc_set_batching: 32 requests within HZ/50 = 5 jiffies = 20 ms),
 *        count 4.
 *   300, 200: full, but the task is batching: counts 5, 6.
 *   100: count 6 >= 6: refused; the task sleeps (sleeprq), flushing its
 *        plug of 6 (sorted 200 .. 700); 200 is dispatched at 0, 300 chosen.
 *   Frees at 108 us (count 5) and 216 us (count 4) wake nobody: a waiter is
 *   woken only when count + 1 <= nr_requests, at 324 us (count 3).  The
 *   task (still batching at jiffy 0) takes a request for 100 (count 4) and
 *   one for 0 (count 5), plugged, and finishes its plug.
 *   Counts then fall 4, 3, 2 at 432, 540, 648 us: below 3 at 648 us
 *   (uncongested, value=2).
 * deadline dispatches 200 .. 700 in one ascending batch (600 was chosen
 * at 324 us, 700 continues the batch), then the FIFO head 0 and 100.
 */
static void test_nr_requests(void)
{
	const char *sets[] = { "block.nr_requests=4", NULL };
	struct fix f;

	fix_init(&f, sets);
	fix_task(&f, 0, "plug; R 700 8; R 600 8; R 500 8; R 400 8; R 300 8; "
		 "R 200 8; R 100 8; R 0 8; finish; wait");
	fix_run(&f);
	g_assert_cmpuint(harness_count(&f.r, "sleeprq"), ==, 1);
	harness_assert_summary(&f.r, "unplug", "count reason",
			       "6 sleep; 2 finish");
	harness_assert_summary(&f.r, "dispatch", "sector",
			       "200; 300; 400; 500; 600; 700; 0; 100");
	harness_assert_summary(&f.r, "congested", "value reason", "3 sync");
	harness_assert_summary(&f.r, "uncongested", "value reason", "2 sync");
	assert_times(&f, "congested", "0:-");
	assert_times(&f, "uncongested", "648000:-");
	assert_times(&f, "insert", "0:200 0:300 0:400 0:500 0:600 0:700 "
		     "324000:0 324000:100");
	fix_free(&f);
}

/*
 * Waiters are woken one at a time (prepare_to_wait_exclusive, wake_up in
 * __freed_request), and a task that is not batching cannot take a request
 * from a full class.  nr_requests=4, no plug.  t1 reads 0, 100, 200, 300,
 * 400 at t=0: the fourth fills the class and makes t1 a batcher, so the
 * fifth is granted (count 5).  t2 (1 us) and t3 (2 us) each read once:
 * the class is full and they are not batching: both sleep, t2 first.
 *   108 us: 0 completes, count 4: 4 + 1 > 4, nobody is woken.
 *   216 us: 100 completes, count 3: t2 alone is woken; it becomes a
 *           batcher, re-fills the class (count 4) and inserts 1000.
 *   324 us: 200 completes, count 3: t3 is woken and inserts 2000.
 * (Waking every waiter at 216 us, t3 would insert there too.)
 */
static void test_request_wake_one(void)
{
	const char *sets[] = { "block.nr_requests=4", NULL };
	struct fix f;

	fix_init(&f, sets);
	fix_task(&f, 0, "R 0 8; R 100 8; R 200 8; R 300 8; R 400 8; wait");
	fix_task(&f, 1000, "R 1000 8; wait");
	fix_task(&f, 2000, "R 2000 8; wait");
	fix_run(&f);
	g_assert_cmpuint(harness_count(&f.r, "sleeprq"), ==, 2);
	assert_times(&f, "insert", "0:0 0:100 0:200 0:300 0:400 "
		     "216000:1000 324000:2000");
	harness_assert_summary(&f.r, "dispatch", "sector",
			       "0; 100; 200; 300; 400; 1000; 2000");
	fix_free(&f);
}

/*
 * The batch lasts BLK_BATCH_TIME = HZ/50 = 5 jiffies (HZ 250: 4 ms a
 * jiffy).  nr_requests=4, a 30 ms device (latency_ns 30,000,000: a
 * request of 8 sectors takes 30,008,000 ns).  One task, no plug, reads
 * 0, 100, 200, 300 at t = 0: the fourth fills the class and makes it a
 * batcher (32 requests, last_waited = jiffy 0; 31 left after this one).
 * It then spends T busy and reads 400 with the class still full (count 4,
 * nothing has completed):
 *   T = 15 ms: jiffy 3, before 0 + 5: still batching, granted at once
 *   (count 5 <= 3 * 4 / 2): inserted at 15,000,000.
 *   T = 25 ms: jiffy 6, not before 5, and 31 != 32: not batching,
 *   refused: it sleeps (sleeprq).  Request 0 completes at 30,008,000,
 *   count 3 < 4: it is woken, becomes a batcher again and inserts 400.
 */
static void test_batch_time(void)
{
	const char *sets[] = { "block.nr_requests=4",
			       "disk.latency_ns=30000000", NULL };
	static const char *const scripts[2] = {
		"R 0 8; R 100 8; R 200 8; R 300 8; busy 15000000; R 400 8; "
		"wait",
		"R 0 8; R 100 8; R 200 8; R 300 8; busy 25000000; R 400 8; "
		"wait",
	};
	static const char *const inserts[2] = {
		"0:0 0:100 0:200 0:300 15000000:400",
		"0:0 0:100 0:200 0:300 30008000:400",
	};

	for (int i = 0; i < 2; i++) {
		struct fix f;

		fix_init(&f, sets);
		fix_task(&f, 0, scripts[i]);
		fix_run(&f);
		g_assert_cmpuint(harness_count(&f.r, "sleeprq"), ==,
				 (unsigned)i);
		assert_times(&f, "insert", inserts[i]);
		fix_free(&f);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/blk/noop-fifo", test_noop_fifo);
	g_test_add_func("/blk/deadline-sweep", test_deadline_sweep);
	g_test_add_func("/blk/deadline-writes-starved",
			test_deadline_writes_starved);
	g_test_add_func("/blk/deadline-expiry", test_deadline_expiry);
	g_test_add_func("/blk/deadline-front-merge",
			test_deadline_front_merge);
	g_test_add_func("/blk/request-merge", test_request_merge);
	g_test_add_func("/blk/plug-merge", test_plug_merge);
	g_test_add_func("/blk/plug-sort", test_plug_sort);
	g_test_add_func("/blk/plug-limit", test_plug_limit);
	g_test_add_func("/blk/insert-merge", test_insert_merge);
	g_test_add_func("/blk/plug-off", test_plug_off);
	g_test_add_func("/blk/nomerges", test_nomerges);
	g_test_add_func("/blk/split-max-sectors", test_split_max_sectors);
	g_test_add_func("/blk/split-mid-vector", test_split_mid_vector);
	g_test_add_func("/blk/split-max-segments", test_split_max_segments);
	g_test_add_func("/blk/merge-limits", test_merge_limits);
	g_test_add_func("/blk/nr-requests", test_nr_requests);
	g_test_add_func("/blk/request-wake-one", test_request_wake_one);
	g_test_add_func("/blk/batch-time", test_batch_time);
	return g_test_run();
}
