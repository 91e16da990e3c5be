/*
 * test-cfq.c - the CFQ elevator (src/block/cfq-iosched.c) on whole
 * scenarios: time slices for two readers, the idle window and what takes
 * it away (seeks, think time), fifo expiry, priorities, and the one-task
 * headline that must not move.  Expected values are worked out from 4.9's
 * rules in the comments; where a rule depends on sectors or times the
 * scenario makes, the test applies the rule to those inputs.
 *
 * The dispatch order by task: a request's task is the task of its first
 * bio (from the bio's queue line).
 */
#include <string.h>
#include "harness.h"

static char *read_bundled(const char *name)
{
	const char *top = g_getenv("top_srcdir");
	char *path = g_build_filename(top ? top : ".", "scenarios", name,
				      NULL);
	char *text = NULL;

	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	g_free(path);
	return text;
}

static char *line_action(const char *line)
{
	const char *a = strchr(line, ' ');
	const char *e;

	if (!a)
		return g_strdup("");
	a++;
	e = strchr(a, ' ');
	return e ? g_strndup(a, (gsize)(e - a)) : g_strdup(a);
}

static int64_t line_time(const char *line)
{
	return g_ascii_strtoll(line, NULL, 10);
}

/* The task of each dispatched request, in dispatch order (a GPtrArray of
 * task names owned by the table, or "-" for none). */
static GPtrArray *dispatch_tasks(const struct harness_run *r,
				 GPtrArray **sectors)
{
	GHashTable *bio_task = g_hash_table_new_full(g_str_hash, g_str_equal,
						     g_free, g_free);
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);

	if (sectors)
		*sectors = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < r->lines->len; i++) {
		const char *line = r->lines->pdata[i];
		char *action = line_action(line);

		if (!strcmp(action, "queue")) {
			char *bio = harness_field(line, "bio");
			char *task = harness_field(line, "task");

			g_hash_table_replace(bio_task, bio,
					     task ? task : g_strdup("-"));
		} else if (!strcmp(action, "dispatch")) {
			char *bios = harness_field(line, "bios");
			char **first = g_strsplit(bios, ",", 2);
			const char *task = g_hash_table_lookup(bio_task,
							       first[0]);

			g_ptr_array_add(out, g_strdup(task ? task : "-"));
			if (sectors)
				g_ptr_array_add(*sectors,
						harness_field(line, "sector"));
			g_strfreev(first);
			g_free(bios);
		}
		g_free(action);
	}
	g_hash_table_destroy(bio_task);
	return out;
}

/* Requests whose task is not the previous request's. */
static unsigned task_switches(const GPtrArray *tasks)
{
	unsigned n = 0;

	for (guint i = 1; i < tasks->len; i++)
		n += strcmp(tasks->pdata[i], tasks->pdata[i - 1]) != 0;
	return n;
}

/* The dispatched sectors of one task, joined by spaces. */
static char *task_sectors(const struct harness_run *r, const char *task)
{
	GPtrArray *sectors;
	GPtrArray *tasks = dispatch_tasks(r, &sectors);
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < tasks->len; i++)
		if (!strcmp(tasks->pdata[i], task))
			g_string_append_printf(s, "%s%s", s->len ? " " : "",
					       (char *)sectors->pdata[i]);
	g_ptr_array_unref(tasks);
	g_ptr_array_unref(sectors);
	return g_string_free(s, FALSE);
}

/* The first line of an action (with task=task when task is given). */
static const char *first_line(const struct harness_run *r,
			      const char *action, const char *task,
			      guint from, guint *at)
{
	for (guint i = from; i < r->lines->len; i++) {
		const char *line = r->lines->pdata[i];
		char *a = line_action(line);
		char *t = task ? harness_field(line, "task") : NULL;
		bool hit = !strcmp(a, action) && (!task || !g_strcmp0(t, task));

		g_free(a);
		g_free(t);
		if (hit) {
			if (at)
				*at = i;
			return line;
		}
	}
	return NULL;
}

/*
 * Two readers of 8 MiB files 7.6 GiB apart on hdd-7200, 64 KiB read(2)s
 * (scenarios/two-readers-large.ini).  Each reader's queue is sync with an
 * idle window (sequential, no think time), alone on the BE sync tree with
 * the other: cfq_scaled_cfqq_slice() gives it slice_sync = 100 ms at
 * be/4 (cfq_prio_slice: 100 + 20 * (4 - 4)) unscaled, since 2 queues *
 * 100 ms <= target_latency 300 ms.  The queue keeps the disk for its
 * slice (its next request arrives while the idle timer runs), so the
 * dispatch order changes task only when a slice ends: a switch per
 * cfq_set_active after the first.  A reader needs more than one slice
 * (its 8 MiB take longer than 100 ms at the disk's rate), so the slices
 * go ra, rb, ra, rb: the first two end because their 100 ms are used, at
 * least 100 ms after their cfq_set_slice; the last two when their tasks
 * end.  Deadline switches at nearly every request; the bound:
 * cfq's switches are at most a quarter of deadline's.
 */
static void test_two_readers(void)
{
	char *ini = read_bundled("two-readers-large.ini");
	struct harness_run *cfq = harness_run1(ini, NULL);
	struct harness_run *dl = harness_run1(ini, "block.elevator=deadline");
	GPtrArray *t_cfq, *t_dl;
	guint at = 0;

	g_assert_cmpint(cfq->status, ==, 0);
	g_assert_cmpint(dl->status, ==, 0);
	t_cfq = dispatch_tasks(cfq, NULL);
	t_dl = dispatch_tasks(dl, NULL);
	harness_assert_summary(cfq, "cfq_set_active", "task reason",
			       "ra be-sync; rb be-sync; ra be-sync; "
			       "rb be-sync");
	harness_assert_summary(cfq, "cfq_slice_expired", "task reason",
			       "ra slice_used; rb slice_used; ra exit; "
			       "rb exit");
	harness_assert_summary(cfq, "cfq_set_slice", "value",
			       "100000000; 100000000; 100000000; 100000000");
	g_assert_cmpuint(task_switches(t_cfq), ==,
			 harness_count(cfq, "cfq_set_active") - 1);
	g_assert_cmpuint(4 * task_switches(t_cfq), <=, task_switches(t_dl));
	g_assert_cmpuint(harness_count(dl, "cfq_set_active"), ==, 0);
	/* the first two slices last at least their 100 ms */
	for (int k = 0; k < 2; k++) {
		const char *set = first_line(cfq, "cfq_set_slice", NULL, at,
					     &at);
		const char *exp = first_line(cfq, "cfq_slice_expired", NULL,
					     at, &at);

		g_assert_nonnull(set);
		g_assert_nonnull(exp);
		g_assert_cmpint(line_time(exp) - line_time(set), >=,
				100000000);
	}
	g_ptr_array_unref(t_cfq);
	g_ptr_array_unref(t_dl);
	harness_run_free(cfq);
	harness_run_free(dl);
	g_free(ini);
}

/*
 * A seeky reader: random 4 KiB reads in a 64 MiB file, beside a
 * sequential reader.  cfq_update_io_seektime() shifts one bit per request
 * into seek_history: 1 when the request starts more than CFQQ_SEEK_THR
 * (800) sectors from the end of the queue's previous request (the first
 * request, with no previous one, 0).  CFQQ_SEEKY is more than 4 bits of
 * the last 32, and cfq_update_idle_window() (run after the shift, for a
 * queue never "deep": one request at a time) then clears the idle window:
 * at the insert of the request that brings the fifth seek.  From then on
 * the queue's type is sync-noidle: the next time it is made active it is
 * on the be-sync-noidle tree.
 */
static void test_seeky_reader(void)
{
	static const char ini[] =
		"[fs]\ntype = ext2\nblock_size = 4096\n"
		"[file.a]\nsize = 64M\nlayout = ext2-sequential\n"
		"first_block = 1000\n"
		"[file.b]\nsize = 4M\nlayout = ext2-sequential\n"
		"first_block = 100000\n"
		"[task.seeky]\nfile = a\nops = randread 40 4K 7\n"
		"[task.seq]\nfile = b\nops = read 0 4M 64K\n";
	struct harness_run *r = harness_run1(ini, NULL);
	GHashTable *bio_task = g_hash_table_new_full(g_str_hash, g_str_equal,
						     g_free, g_free);
	uint64_t last_end = 0;
	uint32_t history = 0;
	int64_t expect_ns = -1;
	const char *note;
	guint at = 0;

	g_assert_cmpint(r->status, ==, 0);
	/* apply the rule to the seeky task's requests as inserted */
	for (guint i = 0; i < r->lines->len && expect_ns < 0; i++) {
		const char *line = r->lines->pdata[i];
		char *action = line_action(line);

		if (!strcmp(action, "queue")) {
			g_hash_table_replace(bio_task,
					     harness_field(line, "bio"),
					     harness_field(line, "task"));
		} else if (!strcmp(action, "insert")) {
			char *bios = harness_field(line, "bios");
			char **first = g_strsplit(bios, ",", 2);
			const char *task = g_hash_table_lookup(bio_task,
							       first[0]);
			char *s = harness_field(line, "sector");
			char *n = harness_field(line, "sectors");
			uint64_t sector = g_ascii_strtoull(s, NULL, 10);
			uint64_t dist = sector > last_end ? sector - last_end
							  : last_end - sector;

			if (!g_strcmp0(task, "seeky")) {
				history = history << 1 |
					  (last_end && dist > 800);
				last_end = sector +
					   g_ascii_strtoull(n, NULL, 10);
				if (__builtin_popcount(history) > 4)
					expect_ns = line_time(line);
			}
			g_free(s);
			g_free(n);
			g_strfreev(first);
			g_free(bios);
		}
		g_free(action);
	}
	g_assert_cmpint(expect_ns, >, 0);
	note = first_line(r, "cfq_idle_window", "seeky", 0, &at);
	g_assert_nonnull(note);
	g_assert_cmpint(line_time(note), ==, expect_ns);
	harness_assert_summary(r, "cfq_idle_window", "task value reason",
			       "seeky 0 seeky");
	note = first_line(r, "cfq_set_active", "seeky", at, NULL);
	g_assert_nonnull(note);
	g_assert_nonnull(strstr(note, "reason=be-sync-noidle"));
	g_hash_table_destroy(bio_task);
	harness_run_free(r);
}

/*
 * A reader that thinks 20 ms between 4 KiB reads (readpage; wait; sleep)
 * on the simple disk.  __cfq_update_io_thinktime() caps each sample at
 * 2 * slice_idle = 16 ms and keeps samples = (7 * samples + 256) / 8,
 * total = (7 * total + 256 * elapsed) / 8, mean = (total + 128) / samples:
 *   request 1 (elapsed 0 since the io context was made): samples 32,
 *     total 0, mean 4;
 *   request 2 (16 ms): samples 60, total 512e6, mean 8533335;
 *   request 3 (16 ms): samples 84, total 960e6, mean 11428572.
 * Only at request 3 is the sample valid (> 80), and its mean is above
 * slice_idle (8 ms): cfq_update_idle_window() clears the idle window at
 * its insert.  Requests 1 and 2 complete with the idle window on and arm
 * the idle timer; it fires 8 ms later (nothing came), expiring the slice
 * (idle_timeout).  Request 3 and later complete without idling: neither
 * the idle window nor the service tree's think time (the same samples,
 * mean above slice_idle) allows it.  The reads are of consecutive pages:
 * no seeks.
 */
static void test_think_time(void)
{
	static const char ini[] =
		"[fs]\ntype = ext2\nblock_size = 4096\n"
		"[disk]\npreset = simple\nlatency_ns = 1000000\n"
		"[file.a]\nsize = 16K\nextents = 0-3:1000\n"
		"[task.slow]\nfile = a\n"
		"ops = readpage 0; wait 0-0; sleep 20ms; readpage 1; "
		"wait 1-1; sleep 20ms; readpage 2; wait 2-2; sleep 20ms; "
		"readpage 3; wait 3-3\n";
	struct harness_run *r = harness_run1(ini, NULL);
	const char *insert3, *note;
	guint at = 0;

	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "cfq_idle_window", "task value reason",
			       "slow 0 think_time");
	for (int k = 0; k < 3; k++)
		g_assert_nonnull(first_line(r, "insert", NULL,
					    k ? at + 1 : 0, &at));
	insert3 = r->lines->pdata[at];
	note = first_line(r, "cfq_idle_window", NULL, 0, NULL);
	g_assert_cmpint(line_time(note), ==, line_time(insert3));
	g_assert_cmpuint(harness_count(r, "cfq_arm_idle"), ==, 2);
	g_assert_cmpuint(harness_count(r, "cfq_idle_timer_fired"), ==, 2);
	harness_assert_summary(r, "cfq_slice_expired", "reason",
			       "idle_timeout; idle_timeout; exit");
	harness_run_free(r);
}

/*
 * fifo expiry.  Simple disk, 1 ms per request.  Task a reads 12 pages
 * one at a time near sector 8000 from t = 0; its queue is active and
 * keeps the disk (each next read arrives while it idles) until it ends
 * at 12 ms.  Task b starts at 1 ms and submits two reads at once, first
 * page 0 at sector 1000000 (the older), then page 1 at sector 100000.
 * Neither preempts a (far from a's position; a is not waiting at 1 ms,
 * its request is at the disk).  cfq_add_rq_rb() makes b's next_rq the one
 * nearer the last position (about 8008): sector 100000.  When b's slice
 * starts at 12 ms, cfq_check_fifo() looks at the fifo's head once:
 *   fifo_expire_sync 125 ms (default): inserted at 1 ms, due at 126 ms,
 *     not expired: b's order is 100000, 1000000;
 *   fifo_expire_sync 5 ms: due at 6 ms, expired: 1000000 goes first
 *     (a cfq_fifo note), then 100000.
 */
static void test_fifo_expiry(void)
{
	static const char ini[] =
		"[fs]\ntype = ext2\nblock_size = 4096\n"
		"[disk]\npreset = simple\nlatency_ns = 1000000\n"
		"[file.a]\nsize = 48K\nextents = 0-11:1000\n"
		"[file.b]\nsize = 8K\nextents = 0-0:125000, 1-1:12500\n"
		"[task.a]\nfile = a\n"
		"ops = readpage 0; wait 0-0; readpage 1; wait 1-1; "
		"readpage 2; wait 2-2; readpage 3; wait 3-3; readpage 4; "
		"wait 4-4; readpage 5; wait 5-5; readpage 6; wait 6-6; "
		"readpage 7; wait 7-7; readpage 8; wait 8-8; readpage 9; "
		"wait 9-9; readpage 10; wait 10-10; readpage 11; wait 11-11\n"
		"[task.b]\nfile = b\nstart = 1ms\n"
		"ops = readpage 0; readpage 1; wait 0-1\n";
	struct harness_run *r = harness_run1(ini, NULL);
	char *got = task_sectors(r, "b");

	g_assert_cmpint(r->status, ==, 0);
	g_assert_cmpstr(got, ==, "100000 1000000");
	g_assert_cmpuint(harness_count(r, "cfq_fifo"), ==, 0);
	g_free(got);
	harness_run_free(r);

	r = harness_run1(ini, "block.cfq.fifo_expire_sync=5ms");
	got = task_sectors(r, "b");
	g_assert_cmpint(r->status, ==, 0);
	g_assert_cmpstr(got, ==, "1000000 100000");
	harness_assert_summary(r, "cfq_fifo", "task value", "b 1000000");
	g_free(got);
	harness_run_free(r);
}

/*
 * Priorities, simple disk at 1 ms per request, a reads pages one at a
 * time from t = 0 (12 requests, one per ms).
 *   rt: b (rt/0) starts at 5 ms with one read while a's fifth request
 *     is at the disk.  cfq_should_preempt(): the active queue is BE, the
 *     new one RT: preempt (cfq_preempt, naming a's task as the value);
 *     b's request is dispatched next, before a's sixth.
 *   idle: c (idle class) starts at 0 with one read.  It never preempts
 *     (cfq_should_preempt() refuses an idle-class queue) and a keeps its
 *     slice (100 ms, longer than its 12 ms of reads), so c's request is
 *     dispatched after all of a's: when a's task has ended.
 */
static void test_ioprio(void)
{
	static const char base[] =
		"[fs]\ntype = ext2\nblock_size = 4096\n"
		"[disk]\npreset = simple\nlatency_ns = 1000000\n"
		"[file.a]\nsize = 48K\nextents = 0-11:1000\n"
		"[file.b]\nsize = 4K\nextents = 0-0:125000\n"
		"[task.a]\nfile = a\n"
		"ops = readpage 0; wait 0-0; readpage 1; wait 1-1; "
		"readpage 2; wait 2-2; readpage 3; wait 3-3; readpage 4; "
		"wait 4-4; readpage 5; wait 5-5; readpage 6; wait 6-6; "
		"readpage 7; wait 7-7; readpage 8; wait 8-8; readpage 9; "
		"wait 9-9; readpage 10; wait 10-10; readpage 11; wait 11-11\n";
	char *ini = g_strconcat(base, "[task.b]\nfile = b\nstart = 5ms\n"
				"ioprio = rt/0\nops = readpage 0; wait 0-0\n",
				NULL);
	struct harness_run *r = harness_run1(ini, NULL);
	GPtrArray *tasks = dispatch_tasks(r, NULL);
	GString *order = g_string_new(NULL);

	g_assert_cmpint(r->status, ==, 0);
	for (guint i = 0; i < tasks->len; i++)
		g_string_append(order, tasks->pdata[i]);
	g_assert_cmpstr(order->str, ==, "aaaaabaaaaaaa");
	harness_assert_summary(r, "cfq_preempt", "task value", "b 1");
	g_ptr_array_unref(tasks);
	harness_run_free(r);
	g_free(ini);

	ini = g_strconcat(base, "[task.c]\nfile = b\nioprio = idle\n"
			  "ops = readpage 0; wait 0-0\n", NULL);
	r = harness_run1(ini, NULL);
	tasks = dispatch_tasks(r, NULL);
	g_string_truncate(order, 0);
	g_assert_cmpint(r->status, ==, 0);
	for (guint i = 0; i < tasks->len; i++)
		g_string_append(order, tasks->pdata[i]);
	g_assert_cmpstr(order->str, ==, "aaaaaaaaaaaac");
	g_assert_cmpuint(harness_count(r, "cfq_preempt"), ==, 0);
	harness_assert_summary(r, "cfq_set_active", "task reason",
			       "a be-sync; c idle");
	g_ptr_array_unref(tasks);
	harness_run_free(r);
	g_free(ini);
	g_string_free(order, TRUE);
}

/*
 * One task: the BH_Boundary headline (scenarios/ext2-boundary.ini) ends
 * at 8,563,535 ns with the boundary and 16,863,320 ns without, with cfq
 * as with deadline: a lone reader's queue is always the active one and
 * its requests leave in the order deadline sends them.
 */
static void test_boundary_headline(void)
{
	static const char *const elevators[] = {
		"block.elevator=cfq", "block.elevator=deadline",
	};
	char *ini = read_bundled("ext2-boundary.ini");

	for (unsigned i = 0; i < G_N_ELEMENTS(elevators); i++) {
		const char *on[] = { elevators[i], "fs.boundary=on",
				     "disk.phase=0", NULL };
		const char *off[] = { elevators[i], "fs.boundary=off",
				      "disk.phase=0", NULL };
		struct harness_run *r = harness_run_text(ini, on);

		g_assert_cmpint(r->status, ==, 0);
		g_assert_cmpint(r->res.end_ns, ==, 8563535);
		harness_run_free(r);
		r = harness_run_text(ini, off);
		g_assert_cmpint(r->status, ==, 0);
		g_assert_cmpint(r->res.end_ns, ==, 16863320);
		harness_run_free(r);
	}
	g_free(ini);
}

/*
 * The largest number of writes at the device at once, and whether a read
 * was ever dispatched while writes were in flight or a write while reads
 * were (from the dispatch and complete lines, in order).
 */
static void in_flight(const struct harness_run *r, int *max_writes,
		      bool *mixed)
{
	int n[2] = { 0, 0 };

	*max_writes = 0;
	*mixed = false;
	for (guint i = 0; i < r->lines->len; i++) {
		const char *line = r->lines->pdata[i];
		char *action = line_action(line);
		char *op = harness_field(line, "op");
		int w = op && op[0] == 'W';

		if (!strcmp(action, "dispatch")) {
			*mixed |= n[!w] > 0;
			n[w]++;
			*max_writes = MAX(*max_writes, n[1]);
		} else if (!strcmp(action, "complete")) {
			n[w]--;
		}
		g_free(op);
		g_free(action);
	}
}

/*
 * A buffered writer: task w dirties 64 pages of a file whose blocks lie
 * every other block (64 requests), and writes them back itself (one
 * ->writepages, WB_SYNC_NONE: async requests on the shared be/4 async
 * queue).  Simple disk, 1 ms a request, 32 commands deep.
 *   Alone: cfq_may_dispatch() lets the sole queue dispatch without the
 *   quantum limit, but with low_latency an async queue's depth is
 *   (now - last_delayed_sync) / slice_sync; last_delayed_sync starts one
 *   second before the queue was set up (cfq_init_queue) and no sync
 *   request has waited since, so for the run's first 100 ms (its 64
 *   writes take about 67 ms) the depth is 1 s / 100 ms = 10: at most 10
 *   writes at the device.  With low_latency = 0 the limit is the
 *   device's 32.
 *   Against a reader (task r, 4 KiB reads from 5 ms): r's sync read
 *   preempts the async queue (cfq_preempt naming r, value 0: the async
 *   queue has no task); r's queue, which idles, may not dispatch while
 *   async requests are in flight ("drain async requests before we start
 *   sync IO"), and no async request is dispatched while sync ones are.
 *   So no read is dispatched with writes at the device nor a write with
 *   reads (deadline, which sends each request as it comes, does).
 */
static void test_writer(void)
{
	GString *ini = g_string_new("[fs]\ntype = ext2\nblock_size = 4096\n"
				    "[disk]\npreset = simple\n"
				    "latency_ns = 1000000\nqueue_depth = 32\n"
				    "[file.w]\nsize = 256K\n"
				    "indirect = ind:1000\n"
				    "extents = ");
	const char *ll_off[] = { "block.cfq.low_latency=0", NULL };
	struct harness_run *r;
	int max_writes;
	bool mixed;

	for (int i = 0; i < 64; i++)
		g_string_append_printf(ini, "%s%d:%d", i ? ", " : "", i,
				       2000 + 2 * i);
	g_string_append(ini, "\n[file.r]\nsize = 256K\n"
			"extents = 0-63:100000\nindirect = ind:99000\n"
			"[task.w]\nfile = w\n"
			"ops = write 0 256K; writeback 64\n");
	r = harness_run1(ini->str, NULL);
	g_assert_cmpint(r->status, ==, 0);
	in_flight(r, &max_writes, &mixed);
	g_assert_cmpint(max_writes, ==, 10);
	harness_run_free(r);
	r = harness_run_text(ini->str, ll_off);
	g_assert_cmpint(r->status, ==, 0);
	in_flight(r, &max_writes, &mixed);
	g_assert_cmpint(max_writes, ==, 32);
	harness_run_free(r);

	g_string_append(ini, "[task.r]\nfile = r\nstart = 5ms\n"
			"ops = readpage 0; wait 0-0; readpage 1; wait 1-1; "
			"readpage 2; wait 2-2\n");
	r = harness_run1(ini->str, NULL);
	g_assert_cmpint(r->status, ==, 0);
	g_assert_nonnull(first_line(r, "cfq_preempt", "r", 0, NULL));
	g_assert_nonnull(strstr(first_line(r, "cfq_preempt", "r", 0, NULL),
				"value=0"));
	in_flight(r, &max_writes, &mixed);
	g_assert_false(mixed);
	harness_run_free(r);
	/* deadline sends the read to the device among the writes */
	r = harness_run1(ini->str, "block.elevator=deadline");
	in_flight(r, &max_writes, &mixed);
	g_assert_true(mixed);
	harness_run_free(r);
	g_string_free(ini, TRUE);
}

/* "readpage N; wait N-N" for N = first, first + 2, ... below end */
static void append_reads(GString *s, int first, int end)
{
	for (int i = first; i < end; i += 2)
		g_string_append_printf(s, "%sreadpage %d; wait %d-%d",
				       i > first ? "; " : "", i, i, i);
}

/*
 * Cooperating queues: tasks a and b read one file's even and odd pages,
 * one page at a time (simple disk, 1 ms a request; pages 0-11 at sectors
 * 8000, 8008, ...).  At t = 0 a's page 0 goes to the disk; b's page 1
 * (sector 8008) waits.  Choosing the next request, cfq_select_queue()
 * finds a's queue empty and cfq_close_cooperator() finds b's next request
 * exactly at the last position (8008): a is expired ("cooperator") and b
 * served; cfq_setup_merge() (one process reference each) sends a's
 * queue towards b's, and a's next request, at allocation
 * (cfq_set_request), moves a's io context onto b's queue
 * (cfq_merge_cfqqs: cfq_merging, value b's task id 2).  From then on one
 * queue holds both tasks' requests: no other queue is made active, it
 * never idles while both tasks read (the other task's request is always
 * queued), and the disk reads the file in order, without a seek.
 */
static void test_cooperators(void)
{
	GString *ini = g_string_new("[fs]\ntype = ext2\nblock_size = 4096\n"
				    "[disk]\npreset = simple\n"
				    "latency_ns = 1000000\n"
				    "[file.f]\nsize = 48K\n"
				    "extents = 0-11:1000\n"
				    "[task.a]\nfile = f\nops = ");
	struct harness_run *r;
	const char *line;
	char *got;
	guint at = 0;

	append_reads(ini, 0, 12);
	g_string_append(ini, "\n[task.b]\nfile = f\nops = ");
	append_reads(ini, 1, 12);
	g_string_append_c(ini, '\n');
	r = harness_run1(ini->str, NULL);
	g_assert_cmpint(r->status, ==, 0);
	line = first_line(r, "cfq_slice_expired", NULL, 0, NULL);
	g_assert_nonnull(strstr(line, "task=a"));
	g_assert_nonnull(strstr(line, "reason=cooperator"));
	harness_assert_summary(r, "cfq_merging", "task value", "a 2");
	g_assert_nonnull(first_line(r, "cfq_merging", NULL, 0, &at));
	for (guint i = at; i < r->lines->len; i++) {
		char *a = line_action(r->lines->pdata[i]);

		if (!strcmp(a, "cfq_set_active"))
			g_assert_nonnull(strstr(r->lines->pdata[i],
						"task=b"));
		g_free(a);
	}
	got = harness_summary(r, "dispatch", "sector");
	g_assert_cmpstr(got, ==, "8000; 8008; 8016; 8024; 8032; 8040; 8048; "
			"8056; 8064; 8072; 8080; 8088");
	g_free(got);
	line = first_line(r, "task_end", NULL, 0, &at);
	g_assert_nonnull(line);
	for (guint i = 0; i < at; i++)
		g_assert_null(strstr(r->lines->pdata[i], " cfq_arm_idle "));
	harness_run_free(r);
	g_string_free(ini, TRUE);
}

/*
 * A non-rotational device (the ssd preset): cfq_registered_queue() sets
 * slice_idle to 0, so cfq_should_idle() never idles and no idle timer is
 * armed; the same two readers on hdd-7200 idle (test_two_readers).
 */
static void test_nonrot(void)
{
	char *ini = read_bundled("two-readers.ini");
	struct harness_run *r = harness_run1(ini, "disk.preset=ssd");

	g_assert_cmpint(r->status, ==, 0);
	g_assert_cmpuint(harness_count(r, "cfq_arm_idle"), ==, 0);
	harness_run_free(r);
	r = harness_run1(ini, NULL);
	g_assert_cmpint(r->status, ==, 0);
	g_assert_cmpuint(harness_count(r, "cfq_arm_idle"), >, 0);
	harness_run_free(r);
	g_free(ini);
}

/*
 * elv_may_queue: nr_requests = 4, simple disk at 1 ms a request.  Task a
 * reads page 0 (done at 1040960 ns), thinks 1 ms, reads page 1.  Task b
 * at 1.5 ms queues 4 reads at once (discontiguous blocks: 4 requests),
 * filling the sync pool.  a's queue, active, idles for it (its think time
 * is under slice_idle), so b's requests wait and at 2040960 ns the pool
 * is still full when a asks for a request: cfq_may_queue() answers
 * ELV_MQUEUE_MUST for a queue waiting for a request (once a slice), and
 * a gets its fifth request without sleeping; it goes to the disk at
 * once, before b's.  With slice_idle = 0 nobody idles: b's requests are
 * served from 1.5 ms, a's queue is not waiting, cfq answers
 * ELV_MQUEUE_MAY and a sleeps for a request (sleeprq).
 */
static void test_may_queue(void)
{
	static const char ini[] =
		"[fs]\ntype = ext2\nblock_size = 4096\n"
		"[disk]\npreset = simple\nlatency_ns = 1000000\n"
		"[block]\nnr_requests = 4\n"
		"[file.a]\nsize = 16K\nextents = 0-3:1000\n"
		"[file.b]\nsize = 16K\n"
		"extents = 0:3000, 1:3002, 2:3004, 3:3006\n"
		"[task.a]\nfile = a\n"
		"ops = readpage 0; wait 0-0; sleep 1ms; readpage 1; wait 1-1\n"
		"[task.b]\nfile = b\nstart = 1500us\n"
		"ops = readpages 0-3; wait 0-3\n";
	struct harness_run *r = harness_run1(ini, NULL);

	g_assert_cmpint(r->status, ==, 0);
	g_assert_cmpuint(harness_count(r, "sleeprq"), ==, 0);
	harness_assert_summary(r, "dispatch", "sector",
			       "8000; 8008; 24000; 24016; 24032; 24048");
	harness_run_free(r);
	r = harness_run1(ini, "block.cfq.slice_idle=0");
	g_assert_cmpint(r->status, ==, 0);
	harness_assert_summary(r, "sleeprq", "task sector", "a 8008");
	harness_run_free(r);
}

/* The runs of one task's requests in dispatch order: "w 6, v 8, ...". */
static char *task_runs(const struct harness_run *r)
{
	GPtrArray *tasks = dispatch_tasks(r, NULL);
	GString *s = g_string_new(NULL);
	guint start = 0;

	for (guint i = 1; i <= tasks->len; i++)
		if (i == tasks->len ||
		    strcmp(tasks->pdata[i], tasks->pdata[start])) {
			g_string_append_printf(s, "%s%s %u", s->len ? ", " : "",
					       (char *)tasks->pdata[start],
					       i - start);
			start = i;
		}
	g_ptr_array_unref(tasks);
	return g_string_free(s, FALSE);
}

/*
 * slice_async_rq: two writers, w at be/7 and v at be/6, each write back
 * 12 pages (blocks every other: 12 async requests) from t = 0; their
 * async queues are two (one per level).  Simple disk, depth 1: the
 * driver starts one request and holds the next on the dispatch list.
 * cfq_dispatch_requests() expires an async queue after
 * cfq_prio_to_maxrq() = 2 * slice_async_rq * (8 - level) dispatches
 * while another queue waits: 4 for be/7, 8 for be/6.
 *   w's writeback comes first: its queue is alone and dispatches 2
 *   (one at the disk, one on the list) before w's task ends, which
 *   expires it (cfq_exit_cfqq: the task's async queue was the active
 *   one).  Then v's 12 are queued; the two queues' keys are equal
 *   (cfq_slice_offset() is 0 with one queue in the group when each was
 *   added) and w's went first: w 4 more (quota), v 8 (quota), w 4
 *   (quota), v its last 4, w its last 2: runs w 6, v 8, w 4, v 4, w 2.
 *   The slices end: exit, three quotas (async_rq), v's queue empty
 *   (no_requests); w's last slice is not expired (v's task ended while
 *   w's queue was active, and an async queue neither idles nor expires
 *   at a completion before its slice is used).
 *   With slice_async_rq = 4 the quotas are 8 and 16: w 2 + 8, v all 12,
 *   w 2.
 */
static void test_async_quota(void)
{
	GString *ini = g_string_new("[fs]\ntype = ext2\nblock_size = 4096\n"
				    "[disk]\npreset = simple\n"
				    "latency_ns = 1000000\n");
	const char *const files[] = { "w", "v" };
	struct harness_run *r;
	char *got;

	for (int f = 0; f < 2; f++) {
		g_string_append_printf(ini, "[file.%s]\nsize = 48K\n"
				       "extents = ", files[f]);
		for (int i = 0; i < 12; i++)
			g_string_append_printf(ini, "%s%d:%d", i ? ", " : "",
					       i, 2000 + 1000 * f + 2 * i);
		g_string_append_printf(ini, "\n[task.%s]\nfile = %s\n"
				       "ioprio = be/%d\nops = write 0 48K; "
				       "writeback 12\n", files[f], files[f],
				       7 - f);
	}
	r = harness_run1(ini->str, NULL);
	g_assert_cmpint(r->status, ==, 0);
	got = task_runs(r);
	g_assert_cmpstr(got, ==, "w 6, v 8, w 4, v 4, w 2");
	g_free(got);
	harness_assert_summary(r, "cfq_slice_expired", "reason",
			       "exit; async_rq; async_rq; async_rq; "
			       "no_requests");
	harness_run_free(r);
	r = harness_run1(ini->str, "block.cfq.slice_async_rq=4");
	g_assert_cmpint(r->status, ==, 0);
	got = task_runs(r);
	g_assert_cmpstr(got, ==, "w 10, v 12, w 2");
	g_free(got);
	harness_run_free(r);
	g_string_free(ini, TRUE);
}

/* Bad keys: exit status 2, the message names the group and key. */
static void test_bad_keys(void)
{
	static const char *const bad[][2] = {
		{ "task.ra.ioprio=rt/8", "[task.ra] ioprio" },
		{ "task.ra.ioprio=best-effort", "[task.ra] ioprio" },
		{ "block.cfq.quantum=0", "[block.cfq] quantum" },
		{ "block.cfq.slice_sync=0", "[block.cfq] slice_sync" },
		{ "block.cfq.slice_idle=soon", "[block.cfq] slice_idle" },
		{ "block.cfq.low_latency=2", "[block.cfq] low_latency" },
		{ "block.cfq.weight=500", "[block.cfq] weight" },
	};
	char *ini = read_bundled("two-readers.ini");

	for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++)
		harness_assert_refused(ini, bad[i][0], bad[i][1]);
	g_free(ini);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cfq/two-readers", test_two_readers);
	g_test_add_func("/cfq/seeky-reader", test_seeky_reader);
	g_test_add_func("/cfq/think-time", test_think_time);
	g_test_add_func("/cfq/fifo-expiry", test_fifo_expiry);
	g_test_add_func("/cfq/ioprio", test_ioprio);
	g_test_add_func("/cfq/writer", test_writer);
	g_test_add_func("/cfq/cooperators", test_cooperators);
	g_test_add_func("/cfq/nonrot", test_nonrot);
	g_test_add_func("/cfq/may-queue", test_may_queue);
	g_test_add_func("/cfq/async-quota", test_async_quota);
	g_test_add_func("/cfq/boundary-headline", test_boundary_headline);
	g_test_add_func("/cfq/bad-keys", test_bad_keys);
	return g_test_run();
}
