/*
 * test-analysis.c - the figures of `mpsim compare` and `mpsim report`
 * (src/analysis/stats.c), the variant grid and the divergence mark, on
 * request rows written by hand.
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/grid.h"
#include "analysis/stats.h"
#include "analysis/table.h"
#include "log/progress.h"
#include "run/run.h"
#include "scenario/scenario.h"
#include "task/task.h"

static struct rq_row row(int64_t sector, int64_t sectors, int64_t queue,
			 int64_t complete)
{
	struct rq_row r;

	memset(&r, 0, sizeof(r));
	r.sector = sector;
	r.sectors = sectors;
	r.queue_ns = queue;
	r.dispatch_ns = queue;
	r.complete_ns = complete;
	return r;
}

/*
 * Nearest rank: the p-th percentile of n sorted values is the value at
 * rank ceil(p * n / 100).  Of 1..100, p99 is rank 99 (= 99), p50 rank 50;
 * of three values, p50 is rank ceil(1.5) = 2 and p99 rank ceil(2.97) = 3;
 * of one value, every percentile is that value.
 */
static void test_percentile(void)
{
	int64_t v[100], three[] = { 7, 8, 9 }, one[] = { 5 };

	for (int i = 0; i < 100; i++)
		v[i] = i + 1;
	g_assert_cmpint(percentile_nearest_rank(v, 100, 99), ==, 99);
	g_assert_cmpint(percentile_nearest_rank(v, 100, 50), ==, 50);
	g_assert_cmpint(percentile_nearest_rank(v, 100, 100), ==, 100);
	g_assert_cmpint(percentile_nearest_rank(three, 3, 50), ==, 8);
	g_assert_cmpint(percentile_nearest_rank(three, 3, 99), ==, 9);
	g_assert_cmpint(percentile_nearest_rank(one, 1, 1), ==, 5);
	g_assert_cmpint(percentile_nearest_rank(one, 1, 99), ==, 5);
}

/*
 * Four requests in dispatch order: 0+8, 8+8 (starts at the end of the
 * previous: no seek), 100+8 (previous end 16: forward seek of 84), 50+10
 * (previous end 108: backward seek of 58).  Seeks 2, backward 1, distance
 * 142, mean 71.  Bytes (8+8+8+10) * 512 = 17408; over 1 ms elapsed that is
 * 17408 B / 0.001 s = 17.408 MB/s.  Latencies 10, 40, 20, 30 ns: mean 25,
 * p50 rank 2 of (10 20 30 40) = 20, p99 rank ceil(3.96) = 4 = 40.
 */
static void test_figures(void)
{
	struct rq_row rq[] = {
		row(0, 8, 0, 10), row(8, 8, 0, 40), row(100, 8, 50, 70),
		row(50, 10, 60, 90),
	};
	struct run_stats st = { .elapsed_ns = 1000000 };

	stats_from_requests(rq, 4, &st);
	g_assert_cmpint(st.requests, ==, 4);
	g_assert_cmpint(st.seeks, ==, 2);
	g_assert_cmpint(st.back_seeks, ==, 1);
	g_assert_cmpint(st.seek_distance, ==, 142);
	g_assert_cmpfloat(st.mean_seek_distance, ==, 71.0);
	g_assert_cmpint(st.bytes, ==, 17408);
	g_assert_cmpfloat_with_epsilon(st.mb_per_s, 17.408, 1e-9);
	g_assert_cmpfloat(st.lat_mean_ns, ==, 25.0);
	g_assert_cmpint(st.lat_p50_ns, ==, 20);
	g_assert_cmpint(st.lat_p99_ns, ==, 40);
	g_assert_cmpint(st.order->len, ==, 4);
	g_assert_cmpint(g_array_index(st.order, int64_t, 3), ==, 50);
	g_array_unref(st.order);
}

/* A request that starts just below the previous end overlaps it: that is
 * a backward seek of 1, not a forward one. */
static void test_overlap_is_backward(void)
{
	struct rq_row rq[] = { row(0, 8, 0, 1), row(7, 8, 0, 2) };
	struct run_stats st = { .elapsed_ns = 1 };

	stats_from_requests(rq, 2, &st);
	g_assert_cmpint(st.seeks, ==, 1);
	g_assert_cmpint(st.back_seeks, ==, 1);
	g_assert_cmpint(st.seek_distance, ==, 1);
	g_array_unref(st.order);
}

/*
 * A cache flush (0 sectors at sector 0, as fsync sends it) has no
 * position: 0+8, flush, 8+8 is no seek at all (8+8 starts where 0+8
 * ended), and the flush moves nothing.
 */
static void test_flush_is_not_a_seek(void)
{
	struct rq_row rq[] = { row(0, 8, 0, 1), row(0, 0, 0, 2),
			       row(8, 8, 0, 3), row(0, 0, 0, 4) };
	struct run_stats st = { .elapsed_ns = 1 };

	stats_from_requests(rq, 4, &st);
	g_assert_cmpint(st.seeks, ==, 0);
	g_assert_cmpint(st.back_seeks, ==, 0);
	g_assert_cmpint(st.seek_distance, ==, 0);
	g_array_unref(st.order);
}

/* The first --vary varies slowest: a=1,2 x b=x,y,z is (1,x) (1,y) (1,z)
 * (2,x) ...; the variant's pairs follow the common --set ones. */
static void test_grid(void)
{
	const char *vary[] = { "a.k=1,2", "b.k=x,y,z", NULL };
	const char *base[] = { "c.k=0", NULL };
	GError *err = NULL;
	struct grid *g = grid_parse(vary, &err);
	char **sets;
	char *l;

	g_assert_no_error(err);
	g_assert_cmpuint(grid_count(g), ==, 6);
	l = grid_label(g, 1);
	g_assert_cmpstr(l, ==, "a.k=1 b.k=y");
	g_free(l);
	l = grid_label(g, 3);
	g_assert_cmpstr(l, ==, "a.k=2 b.k=x");
	g_free(l);
	sets = grid_sets(g, 5, base);
	g_assert_cmpstr(sets[0], ==, "c.k=0");
	g_assert_cmpstr(sets[1], ==, "a.k=2");
	g_assert_cmpstr(sets[2], ==, "b.k=z");
	g_assert_null(sets[3]);
	g_strfreev(sets);
	grid_free(g);
}

static void test_grid_errors(void)
{
	const char *no_eq[] = { "a.k", NULL };
	const char *twice[] = { "a.k=1", "a.k=2", NULL };
	GError *err = NULL;

	g_assert_null(grid_parse(no_eq, &err));
	g_assert_nonnull(strstr(err->message, "a.k"));
	g_clear_error(&err);
	g_assert_null(grid_parse(twice, &err));
	g_assert_nonnull(strstr(err->message, "twice"));
	g_clear_error(&err);
}

static struct run_stats *with_order(const int64_t *v, guint n)
{
	struct run_stats *st = g_new0(struct run_stats, 1);

	st->order = g_array_new(FALSE, FALSE, sizeof(int64_t));
	g_array_append_vals(st->order, v, n);
	st->label = g_strdup("x");
	return st;
}

/* Orders 0 24 26 and 24 0 26 part at the first request (index 0); 0 24 26
 * and 0 24 part where the shorter one ends (index 2); equal orders never. */
static void test_divergence(void)
{
	const int64_t on[] = { 0, 24, 26 }, off[] = { 24, 0, 26 };
	GPtrArray *a = g_ptr_array_new_with_free_func(
		(GDestroyNotify)run_stats_free);

	g_ptr_array_add(a, with_order(on, 3));
	g_ptr_array_add(a, with_order(off, 3));
	g_assert_cmpint(table_divergence(a), ==, 0);
	g_ptr_array_remove_index(a, 1);
	g_ptr_array_add(a, with_order(on, 2));
	g_assert_cmpint(table_divergence(a), ==, 2);
	g_ptr_array_remove_index(a, 1);
	g_ptr_array_add(a, with_order(on, 3));
	g_assert_cmpint(table_divergence(a), ==, -1);
	g_ptr_array_unref(a);
}

static void feed(struct trace_listener *l, unsigned n, int64_t t)
{
	struct trace_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = TRACE_REQUEST;
	ev.action = "complete";
	ev.time_ns = t;
	for (unsigned i = 0; i < n; i++)
		l->event(l->ctx, &ev);
}

/*
 * The progress line: nothing during the first second of host time; after
 * it, at the next clock read (every 4096 events), a line with the
 * simulated time and the requests done (8192 completions, the last at
 * 5 ms); erased at the end.
 */
static void test_progress(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct progress *p = progress_new(f, "big");
	struct trace_listener l;

	progress_listener(p, &l);
	feed(&l, 4096, 1000000);
	fflush(f);
	g_assert_cmpuint(len, ==, 0);
	g_usleep(1100000);
	feed(&l, 4096, 5000000);
	fflush(f);
	g_assert_nonnull(strstr(buf, "big: simulated 5.000 ms, 8192 requests "
				"done"));
	progress_free(p);
	fflush(f);
	g_assert_true(g_str_has_suffix(buf, "\r\033[K"));
	fclose(f);
	free(buf);
}

static double quarter(void *arg)
{
	return *(double *)arg;
}

/*
 * With the share of the work known: "25% done", and the time left from
 * the host time so far (more than a second: at least 3 s left at 25%);
 * a share that is not known (below 0) shows neither.
 */
static void test_progress_share(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct progress *p = progress_new(f, "big");
	struct trace_listener l;
	double share = 0.25;

	progress_listener(p, &l);
	progress_set_share(p, quarter, &share);
	g_usleep(1100000);
	feed(&l, 4096, 5000000);
	fflush(f);
	g_assert_nonnull(strstr(buf, "big: 25% done, about "));
	g_assert_nonnull(strstr(buf, " s left; simulated 5.000 ms, 4096 "
				"requests done"));
	share = -1;
	progress_show(p);
	fflush(f);
	g_assert_true(g_str_has_suffix(buf, "\rbig: simulated 5.000 ms, 4096 "
				       "requests done\033[K"));
	progress_free(p);
	fclose(f);
	free(buf);
}

/*
 * The units a task's ops count (workload_units): readpages 0-3 is 4
 * pages, a sleep 1, read 0 16K 4K one per read(2) of 4 KiB plus 1 (5),
 * write 0 10K its pages 10240 / 4096 + 1 = 3: 13 in all.  At the end of
 * the run every unit is done.
 */
static void test_work_units(void)
{
	static const char ini[] =
		"[disk]\npreset = simple\n[fs]\nblock_size = 4096\n"
		"[file.a]\nsize = 48K\nextents = 0-11:100\n"
		"[task.t]\nfile = a\nops = readpages 0-3; sleep 1ms; "
		"read 0 16K 4K; write 0 10K\n";
	GError *err = NULL;
	struct scenario *s = scenario_load_data("w.ini", ini, strlen(ini),
						NULL, &err);
	struct world *w;
	struct run_result res;

	g_assert_no_error(err);
	g_assert_cmpuint(workload_units(s->tasks->pdata[0]), ==, 13);
	w = world_build(s, &err);
	g_assert_no_error(err);
	g_assert_cmpfloat(world_progress(w), ==, 0.0);
	g_assert_true(world_run(w, NULL, &res, &err));
	g_assert_cmpfloat(world_progress(w), ==, 1.0);
	world_free(w);
	scenario_free(s);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/analysis/percentile", test_percentile);
	g_test_add_func("/analysis/figures", test_figures);
	g_test_add_func("/analysis/overlap-is-backward",
			test_overlap_is_backward);
	g_test_add_func("/analysis/flush-is-not-a-seek",
			test_flush_is_not_a_seek);
	g_test_add_func("/analysis/grid", test_grid);
	g_test_add_func("/analysis/grid-errors", test_grid_errors);
	g_test_add_func("/analysis/divergence", test_divergence);
	g_test_add_func("/analysis/progress", test_progress);
	g_test_add_func("/analysis/progress-share", test_progress_share);
	g_test_add_func("/analysis/work-units", test_work_units);
	return g_test_run();
}
