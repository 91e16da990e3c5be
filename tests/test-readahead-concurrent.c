/*
 * test-readahead-concurrent.c - two sequential readers of two files far
 * apart (scenarios/two-readers.ini): each keeps its own readahead state,
 * and the disk sees their bios interleaved, in the trace and in the
 * database alike.
 *
 * Each task reads 256 KiB (64 pages) in 16 KiB calls (req 4), so alone it
 * would send (see test-readahead.c, 16 KiB reads): 0-7 sync (init(4) = 8,
 * async 4), then 8-23, 24-55, 56-63 (clipped) and an empty window at 88.
 * Sharing the disk changes when, not what: each task's windows are the
 * same.  Task ra is created first, so at time 0 its first window is
 * queued before rb's.
 */
#include <sqlite3.h>
#include <string.h>
#include <glib/gstdio.h>
#include "harness.h"
#include "log/db.h"
#include "run/run.h"

#define SOLO "0 8 4 0 8; 8 16 16 1 16; 24 32 32 1 32; 56 32 32 1 8; " \
	     "88 32 32 1 0"

static char *scenario_path(void)
{
	const char *top = g_getenv("top_srcdir");

	return g_build_filename(top ? top : ".", "scenarios",
				"two-readers.ini", NULL);
}

/* "start size async_size async nr_pages" of one task's readahead notes */
static char *task_windows(const struct harness_run *r, const char *task)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < r->lines->len; i++) {
		const char *line = r->lines->pdata[i];
		char *t = harness_field(line, "task");

		if (strstr(line, " readahead ") && !g_strcmp0(t, task)) {
			static const char *const keys[] = {
				"start", "size", "async_size", "async",
				"nr_pages",
			};

			g_string_append(s, s->len ? "; " : "");
			for (unsigned k = 0; k < G_N_ELEMENTS(keys); k++) {
				char *v = harness_field(line, keys[k]);

				g_string_append_printf(s, "%s%s", k ? " " : "",
						       v);
				g_free(v);
			}
		}
		g_free(t);
	}
	return g_string_free(s, FALSE);
}

/* Files of the mpage bios in queue order, e.g. "abab..." */
static char *bio_files(const struct harness_run *r)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < r->lines->len; i++) {
		const char *line = r->lines->pdata[i];
		char *origin = harness_field(line, "origin");
		char *file = harness_field(line, "file");

		if (strstr(line, " queue ") && !g_strcmp0(origin, "mpage"))
			g_string_append(s, file);
		g_free(origin);
		g_free(file);
	}
	return g_string_free(s, FALSE);
}

static unsigned switches(const char *seq)
{
	unsigned n = 0;

	for (const char *p = seq; *p && p[1]; p++)
		n += p[0] != p[1];
	return n;
}

static struct harness_run *run_scenario(void)
{
	char *path = scenario_path(), *text = NULL;
	struct harness_run *r;

	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	/* the interleaving deadline gives (cfq gives each reader a slice) */
	r = harness_run1(text, "block.elevator=deadline");
	g_assert_cmpint(r->status, ==, 0);
	g_free(text);
	g_free(path);
	return r;
}

static void test_trace(void)
{
	struct harness_run *r = run_scenario();
	char *wa = task_windows(r, "ra"), *wb = task_windows(r, "rb");
	char *files = bio_files(r);

	g_assert_cmpstr(wa, ==, SOLO);
	g_assert_cmpstr(wb, ==, SOLO);
	/* ra's first window first, then rb's; then they alternate */
	g_assert_true(g_str_has_prefix(files, "ab"));
	g_assert_cmpuint(switches(files), >=, 4);
	g_free(wa);
	g_free(wb);
	g_free(files);
	harness_run_free(r);
}

static char *query(sqlite3 *h, const char *sql)
{
	GString *s = g_string_new(NULL);
	sqlite3_stmt *st;

	g_assert_cmpint(sqlite3_prepare_v2(h, sql, -1, &st, NULL), ==,
			SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (s->len)
			g_string_append(s, "; ");
		for (int c = 0; c < sqlite3_column_count(st); c++)
			g_string_append_printf(s, "%s%s", c ? " " : "",
					       (const char *)
					       sqlite3_column_text(st, c));
	}
	sqlite3_finalize(st);
	return g_string_free(s, FALSE);
}

/* The same run logged to a database: the same windows, the same order. */
static void test_database(void)
{
	char *path = scenario_path();
	char *dir = g_dir_make_tmp("mpsim-ra-XXXXXX", NULL);
	char *dbpath = g_build_filename(dir, "run.db", NULL);
	GError *err = NULL;
	const char *const sets[] = { "block.elevator=deadline", NULL };
	struct scenario *s = scenario_load(path, sets, &err);
	struct db *db = db_open(dbpath, &err);
	struct trace_listener l;
	struct run_result res;
	struct world *w;
	struct harness_run *r = run_scenario();
	char *trace_files = bio_files(r), *got;
	sqlite3 *h;

	g_assert_no_error(err);
	g_assert_cmpint(db_begin_run(db, s, NULL, &err), >, 0);
	db_listener(db, &l);
	trace_clear_listeners();
	trace_add_listener(&l);
	w = world_build(s, &err);
	g_assert_no_error(err);
	g_assert_true(world_run(w, NULL, &res, &err));
	trace_clear_listeners();
	g_assert_true(db_commit_run(db, res.end_ns, res.elapsed_ns, res.events,
				      &err));
	world_free(w);
	db_close(db);
	scenario_free(s);

	g_assert_cmpint(sqlite3_open(dbpath, &h), ==, SQLITE_OK);
	got = query(h, "SELECT ra_start, ra_size, ra_async_size, ra_async, "
		    "value FROM event WHERE action = 'readahead' AND "
		    "task = 'ra' ORDER BY seq");
	g_assert_cmpstr(got, ==, SOLO);
	g_free(got);
	got = query(h, "SELECT ra_start, ra_size, ra_async_size, ra_async, "
		    "value FROM event WHERE action = 'readahead' AND "
		    "task = 'rb' ORDER BY seq");
	g_assert_cmpstr(got, ==, SOLO);
	g_free(got);
	got = query(h, "SELECT group_concat(file, '') FROM (SELECT file "
		    "FROM bio WHERE origin = 'mpage' ORDER BY seq)");
	g_assert_cmpstr(got, ==, trace_files);
	g_free(got);
	sqlite3_close(h);

	harness_run_free(r);
	g_free(trace_files);
	g_unlink(dbpath);
	g_rmdir(dir);
	g_free(dbpath);
	g_free(dir);
	g_free(path);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/readahead/concurrent/trace", test_trace);
	g_test_add_func("/readahead/concurrent/database", test_database);
	return g_test_run();
}
