/*
 * test-fuzz-replay.c - every file of the fuzz corpus, fed to the fuzz
 * target in a normal build.
 *
 * tests/fuzz/corpus/ holds the bundled scenarios, the bad-scenario
 * catalogue and every input the fuzzer once crashed, hung or blew up on.
 * Each is loaded, checked and built exactly as by the libFuzzer target
 * (tests/fuzz/fuzz-scenario.c): the test passes when none crashes, asserts,
 * or (under the sanitizer build) leaks or touches memory it should not.
 * One test point per file, so a regression names its input.
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

int main(int argc, char **argv)
{
	const char *srcdir = g_getenv("top_srcdir");
	char *dir_path = g_build_filename(srcdir ? srcdir : ".", "tests",
					  "fuzz", "corpus", NULL);
	GDir *dir;
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	const char *name;
	int status;

	g_test_init(&argc, &argv, NULL);
	dir = g_dir_open(dir_path, 0, NULL);
	if (!dir) {
		g_printerr("no corpus at %s\n", dir_path);
		return 1;
	}
	while ((name = g_dir_read_name(dir)))
		g_ptr_array_add(names, g_strdup(name));
	g_dir_close(dir);
	/* sorted: the order of a folder listing depends on the host */
	g_ptr_array_sort(names, cmp_names);
	for (guint i = 0; i < names->len; i++) {
		const char *n = names->pdata[i];
		char *test = g_strdup_printf("/fuzz-replay/%s", n);

		g_test_add_data_func_full(test, g_build_filename(dir_path, n,
								  NULL),
					  replay_one, g_free);
		g_free(test);
	}
	status = g_test_run();
	g_ptr_array_unref(names);
	g_free(dir_path);
	return status;
}
