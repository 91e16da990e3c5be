/*
 * test-fuzz-replay.c - every file of the fuzz corpus, fed to the fuzz
 * target in a normal build.
 *
 * tests/fuzz/corpus/ holds the bundled scenarios, the bad-scenario
 * catalogue and every input the fuzzer once crashed, hung or blew up on.
 * Each is loaded, checked and built exactly as by the libFuzzer target
 * (tests/fuzz/fuzz-scenario.c): the test passes when none crashes, asserts,
 * or (under the sanitizer build) leaks or touches memory it should not.
 * One test point per file, so a regression names its input; the files of
 * scenarios/ are replayed as well, whether or not the corpus has them yet.
 */
#include <glib.h>
#include <string.h>
#include "fuzz/fuzz-scenario.h"

static gint cmp_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void replay_one(gconstpointer data)
{
	const char *path = data;
	char *text = NULL;
	gsize len = 0;
	GError *err = NULL;

	g_assert_true(g_file_get_contents(path, &text, &len, &err));
	g_assert_no_error(err);
	fuzz_scenario_input((const uint8_t *)text, len);
	g_free(text);
}

/* One test point per file of a folder (ending in suffix), in name order. */
static void add_folder(const char *top, const char *sub, const char *label,
		       const char *suffix)
{
	char *dir_path = g_build_filename(top, sub, NULL);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	GDir *dir = g_dir_open(dir_path, 0, NULL);
	const char *name;

	if (!dir)
		g_error("no folder %s", dir_path);
	while ((name = g_dir_read_name(dir)))
		if (!suffix || g_str_has_suffix(name, suffix))
			g_ptr_array_add(names, g_strdup(name));
	g_dir_close(dir);
	/* sorted: the order of a folder listing depends on the host */
	g_ptr_array_sort(names, cmp_names);
	for (guint i = 0; i < names->len; i++) {
		const char *n = names->pdata[i];
		char *test = g_strdup_printf("/fuzz-replay/%s/%s", label, n);

		g_test_add_data_func_full(test, g_build_filename(dir_path, n,
								  NULL),
					  replay_one, g_free);
		g_free(test);
	}
	g_ptr_array_unref(names);
	g_free(dir_path);
}

int main(int argc, char **argv)
{
	const char *srcdir = g_getenv("top_srcdir");

	g_test_init(&argc, &argv, NULL);
	if (!srcdir)
		srcdir = ".";
	add_folder(srcdir, "tests/fuzz/corpus", "corpus", NULL);
	/* the bundled scenarios too, so that a new one is covered at once */
	add_folder(srcdir, "scenarios", "scenarios", ".ini");
	return g_test_run();
}
