/*
 * test-output.c - src/log/output.c on its own: which outputs are the same
 * file as an input, and what a failed or aborted output leaves behind.
 *
 * Each test works in a fresh temporary folder.  The expected answers come
 * from what the file system says the names are: a name, a symbolic link
 * to it, a hard link to it and dir/../name are one file (one device and
 * inode); a name not created yet is one file with every other spelling of
 * it in the same folder, and another file than any other name.
 */
#include "config.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include "log/output.h"

struct fixture {
	char *dir;
};

static char *in_dir(struct fixture *f, const char *name)
{
	return g_build_filename(f->dir, name, NULL);
}

static void setup(struct fixture *f, gconstpointer data)
{
	(void)data;
	f->dir = g_dir_make_tmp("mpsim-output-XXXXXX", NULL);
	g_assert_nonnull(f->dir);
}

static void teardown(struct fixture *f, gconstpointer data)
{
	GDir *d = g_dir_open(f->dir, 0, NULL);
	const char *name;

	(void)data;
	while (d && (name = g_dir_read_name(d))) {
		char *p = in_dir(f, name);

		g_unlink(p);
		g_free(p);
	}
	if (d)
		g_dir_close(d);
	g_rmdir(f->dir);
	g_free(f->dir);
}

/* Is `path` refused as an output, given `input`? */
static bool refused(const char *input, const char *path)
{
	struct out_inputs *in = out_inputs_new();
	GError *err = NULL;
	bool ok;

	out_inputs_add(in, input, "the input");
	ok = out_check(in, path, "OUT", &err);
	if (!ok)
		g_assert_true(g_error_matches(err, OUT_ERROR,
					      OUT_ERROR_REFUSED));
	g_clear_error(&err);
	out_inputs_free(in);
	return !ok;
}

static void test_same_file(struct fixture *f, gconstpointer data)
{
	char *db = in_dir(f, "runs.db"), *sym = in_dir(f, "sym");
	char *hard = in_dir(f, "hard"), *dotdot, *other = in_dir(f, "other");
	char *sub = in_dir(f, "sub");

	(void)data;
	g_assert_true(g_file_set_contents(db, "x", 1, NULL));
	g_assert_cmpint(symlink(db, sym), ==, 0);
	g_assert_cmpint(link(db, hard), ==, 0);
	g_assert_cmpint(g_mkdir(sub, 0755), ==, 0);
	dotdot = g_build_filename(sub, "..", "runs.db", NULL);
	g_assert_true(refused(db, db));
	g_assert_true(refused(db, sym));
	g_assert_true(refused(db, hard));
	g_assert_true(refused(db, dotdot));
	g_assert_false(refused(db, other));	/* a new name */
	g_assert_true(refused(db, sub));	/* a folder */
	g_rmdir(sub);
	g_free(db);
	g_free(sym);
	g_free(hard);
	g_free(dotdot);
	g_free(other);
	g_free(sub);
}

/* Two outputs that do not exist yet are one file by any spelling. */
static void test_two_new_outputs(struct fixture *f, gconstpointer data)
{
	struct out_inputs *in = out_inputs_new();
	char *a = in_dir(f, "new.db"), *b, *c = in_dir(f, "new.txt");
	GError *err = NULL;

	(void)data;
	b = g_build_filename(f->dir, ".", "new.db", NULL);
	g_assert_true(out_check(in, a, "--db", &err));
	g_assert_true(out_check(in, c, "--trace", &err));
	g_assert_false(out_check(in, b, "--trace", &err));
	g_assert_nonnull(strstr(err->message, "same file as --db"));
	g_assert_false(g_file_test(a, G_FILE_TEST_EXISTS));
	g_clear_error(&err);
	out_inputs_free(in);
	g_free(a);
	g_free(b);
	g_free(c);
}

/* The names SQLite writes beside a database count as it. */
static void test_db_sidecars(struct fixture *f, gconstpointer data)
{
	struct out_inputs *in = out_inputs_new();
	char *db = in_dir(f, "runs.db"), *j = in_dir(f, "runs.db-journal");
	GError *err = NULL;

	(void)data;
	g_assert_true(g_file_set_contents(db, "x", 1, NULL));
	out_inputs_add_db(in, db, "the database");
	g_assert_false(out_check(in, j, "OUT", &err));
	g_clear_error(&err);
	out_inputs_free(in);
	g_free(db);
	g_free(j);
}

/* Committed: the new content, no temporary file; aborted: the old one. */
static void test_commit_abort(struct fixture *f, gconstpointer data)
{
	char *t = in_dir(f, "t.txt"), *text = NULL;
	struct out_file *o;
	GError *err = NULL;

	(void)data;
	g_assert_true(g_file_set_contents(t, "old\n", 4, NULL));
	o = out_file_open(t, &err);
	g_assert_nonnull(o);
	fputs("new\n", out_file_stream(o));
	out_file_abort(o);
	g_assert_true(g_file_get_contents(t, &text, NULL, NULL));
	g_assert_cmpstr(text, ==, "old\n");
	g_free(text);
	o = out_file_open(t, &err);
	fputs("new\n", out_file_stream(o));
	g_assert_true(out_file_commit(o, &err));
	g_assert_true(g_file_get_contents(t, &text, NULL, NULL));
	g_assert_cmpstr(text, ==, "new\n");
	g_free(text);
	/* only t.txt is left in the folder */
	{
		GDir *d = g_dir_open(f->dir, 0, NULL);

		g_assert_cmpstr(g_dir_read_name(d), ==, "t.txt");
		g_assert_null(g_dir_read_name(d));
		g_dir_close(d);
	}
	g_free(t);
}

/* /dev/full: the write fails at the flush, named as a full disk. */
static void test_full(struct fixture *f, gconstpointer data)
{
	struct out_file *o;
	GError *err = NULL;

	(void)f;
	(void)data;
	if (!g_file_test("/dev/full", G_FILE_TEST_EXISTS)) {
		g_test_skip("no /dev/full");
		return;
	}
	o = out_file_open("/dev/full", &err);
	g_assert_nonnull(o);
	fputs("x\n", out_file_stream(o));
	g_assert_false(out_file_commit(o, &err));
	g_assert_nonnull(strstr(err->message, "disk is full"));
	g_clear_error(&err);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	out_init();
	g_test_add("/output/same-file", struct fixture, NULL, setup,
		   test_same_file, teardown);
	g_test_add("/output/two-new-outputs", struct fixture, NULL, setup,
		   test_two_new_outputs, teardown);
	g_test_add("/output/db-sidecars", struct fixture, NULL, setup,
		   test_db_sidecars, teardown);
	g_test_add("/output/commit-abort", struct fixture, NULL, setup,
		   test_commit_abort, teardown);
	g_test_add("/output/full", struct fixture, NULL, setup, test_full,
		   teardown);
	return g_test_run();
}
