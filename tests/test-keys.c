/*
 * test-keys.c - the catalogue of scenario keys (src/scenario/keys.c)
 * against the modules that check their own groups, "did you mean", and
 * the duration parser every duration key shares.
 */
#include <glib.h>
#include <string.h>
#include "block/blkdev.h"
#include "block/blk-fault.h"
#include "disk/disk.h"
#include "include/parse.h"
#include "scenario/keys.h"

static gint cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The catalogue's names for `group`, sorted, joined by spaces. */
static char *catalogue_names(const char *group)
{
	GPtrArray *names = scen_key_names(group);
	GPtrArray *sorted = g_ptr_array_new();
	GString *s = g_string_new(NULL);

	for (guint i = 0; names->pdata[i]; i++)
		g_ptr_array_add(sorted, names->pdata[i]);
	g_ptr_array_sort(sorted, cmp_str);
	g_ptr_array_unref(names);
	for (guint i = 0; i < sorted->len; i++)
		g_string_append_printf(s, "%s%s", i ? " " : "",
				       (char *)sorted->pdata[i]);
	g_ptr_array_unref(sorted);
	return g_string_free(s, FALSE);
}

static char *sorted_text(GPtrArray *a)
{
	GString *s = g_string_new(NULL);

	g_ptr_array_sort(a, cmp_str);
	for (guint i = 0; i < a->len; i++)
		g_string_append_printf(s, "%s%s", i ? " " : "",
				       (char *)a->pdata[i]);
	return g_string_free(s, FALSE);
}

static void add_key(const char *key, const char *value, void *arg)
{
	(void)value;
	g_ptr_array_add(arg, g_strdup(key));
}

static void test_disk_rows(void)
{
	const char *const *k = disk_params_key_names();
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	char *want, *got;

	for (int i = 0; k[i]; i++)
		g_ptr_array_add(a, g_strdup(k[i]));
	/* the platter's phase: read by the loader, applied by the run */
	g_ptr_array_add(a, g_strdup("phase"));
	want = sorted_text(a);
	got = catalogue_names("disk");
	g_assert_cmpstr(got, ==, want);
	g_free(want);
	g_free(got);
	g_ptr_array_unref(a);
}

static void test_block_rows(void)
{
	struct blk_options o;
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	char *want, *got;

	GPtrArray *rows = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *cfq = scen_key_names("block.cfq");
	GPtrArray *block = scen_key_names("block");

	/* [block] keys, and [block.cfq] keys as the module names them */
	for (guint i = 0; block->pdata[i]; i++)
		g_ptr_array_add(rows, g_strdup(block->pdata[i]));
	for (guint i = 0; cfq->pdata[i]; i++)
		g_ptr_array_add(rows, g_strconcat("cfq.", cfq->pdata[i], NULL));
	g_ptr_array_unref(cfq);
	g_ptr_array_unref(block);
	got = sorted_text(rows);
	g_ptr_array_unref(rows);
	blk_options_init(&o);
	blk_options_foreach(&o, add_key, a);
	want = sorted_text(a);
	g_assert_cmpstr(got, ==, want);
	/* and every one of them is a key blk_options_set() takes */
	for (guint i = 0; i < a->len; i++) {
		GError *err = NULL;

		if (!blk_options_set(&o, a->pdata[i], "@", &err))
			g_assert_cmpint(err->code, !=,
					G_OPTION_ERROR_UNKNOWN_OPTION);
		g_clear_error(&err);
	}
	blk_options_clear(&o);
	g_free(want);
	g_free(got);
	g_ptr_array_unref(a);
}

static void test_fault_rows(void)
{
	struct blk_fault f;
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	char *want, *got;

	blk_fault_init(&f);
	g_assert_true(blk_fault_set(&f, "op", "R", NULL));
	blk_fault_foreach(&f, add_key, a);
	want = sorted_text(a);
	got = catalogue_names("fault");
	g_assert_cmpstr(got, ==, want);
	blk_fault_clear(&f);
	g_free(want);
	g_free(got);
	g_ptr_array_unref(a);
}

static void test_groups(void)
{
	/* named groups map to their catalogue group; a bare name does not */
	g_assert_cmpstr(scen_key_group_of("file.a"), ==, "file");
	g_assert_cmpstr(scen_key_group_of("page.a.3"), ==, "page");
	g_assert_cmpstr(scen_key_group_of("task.r"), ==, "task");
	g_assert_null(scen_key_group_of("file"));
	g_assert_null(scen_key_group_of("bogus"));
	g_assert_cmpstr(scen_key_group_of("writeback"), ==, "writeback");
	g_assert_nonnull(scen_key_find("file.x", "size"));
	g_assert_null(scen_key_find("file.x", "sizes"));
	g_assert_cmpstr(scen_key_group_shown("page"), ==, "page.FILE.INDEX");
}

static void test_did_you_mean(void)
{
	static const char *const words[] = {
		"boundary", "block_size", "type", "free", NULL,
	};
	char *msg;

	/* "boundry": one deletion from "boundary"; 7 letters allow 2 */
	g_assert_cmpstr(closest_word("boundry", words), ==, "boundary");
	/* "typo": one substitution from "type"; 4 letters allow 1 */
	g_assert_cmpstr(closest_word("typo", words), ==, "type");
	/* "fred": one substitution from "free" */
	g_assert_cmpstr(closest_word("fred", words), ==, "free");
	/* "xyz": three edits from "type" and "free": too far */
	g_assert_null(closest_word("xyz", words));
	/* "blocksize": one insertion from "block_size" */
	g_assert_cmpstr(closest_word("blocksize", words), ==, "block_size");
	msg = scen_key_unknown_message("fs", "boundry");
	g_assert_cmpstr(msg, ==, "unknown key (did you mean boundary?); known "
			"keys: type, block_size, boundary, cached_blocks, free, "
			"fragment, nobh, metadata_writes");
	g_free(msg);
}

static void test_durations(void)
{
	int64_t ns;

	g_assert_true(parse_duration("250", 1, &ns));
	g_assert_cmpint(ns, ==, 250);
	g_assert_true(parse_duration("250", 1000000, &ns));	/* bare ms */
	g_assert_cmpint(ns, ==, 250000000);
	g_assert_true(parse_duration("3 us", 1000000, &ns));	/* suffix wins */
	g_assert_cmpint(ns, ==, 3000);
	g_assert_true(parse_duration("30s", 10000000, &ns));
	g_assert_cmpint(ns, ==, 30000000000);
	g_assert_false(parse_duration("3 min", 1, &ns));
	g_assert_false(parse_duration("-3ms", 1, &ns));
	g_assert_false(parse_duration("", 1, &ns));
	/* INT64_MAX / 4 = 2305843009213693951 ns is the most a duration holds */
	g_assert_true(parse_duration("2305843009213693951", 1, &ns));
	g_assert_false(parse_duration("2305843009213693952", 1, &ns));
	/* 2305843010 s = 2305843010000000000 ns: below the limit */
	g_assert_true(parse_duration("2305843009s", 1, &ns));
	g_assert_false(parse_duration("2305843010s", 1, &ns));
	/* a bare number whose unit overflows 64 bits */
	g_assert_false(parse_duration("18446744073709551615", 1000000, &ns));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/keys/disk-rows", test_disk_rows);
	g_test_add_func("/keys/block-rows", test_block_rows);
	g_test_add_func("/keys/fault-rows", test_fault_rows);
	g_test_add_func("/keys/groups", test_groups);
	g_test_add_func("/keys/did-you-mean", test_did_you_mean);
	g_test_add_func("/keys/durations", test_durations);
	return g_test_run();
}
