/*
 * test-page-tree.c - the page cache's radix tree (src/mm/page-tree.c)
 * against a plain model: a sorted list of indexes.
 *
 * The tree has 64 slots a node, so indexes 0..63 fit under one node,
 * 64..4095 need two levels, and index 2^64-1 needs eleven (66 bits): the
 * tests insert across those boundaries, remove in another order (so nodes
 * empty and are freed, the root last), and check lookups and ordered walks
 * from various starting points after each step.
 */
#include <glib.h>
#include "mm/filemap.h"
#include "mm/page-tree.h"

struct walk {
	GString *s;
	pgoff_t stop_at;	/* stop after visiting this index */
};

static bool visit(struct page *page, void *arg)
{
	struct walk *w = arg;

	g_string_append_printf(w->s, "%s%lu", w->s->len ? " " : "",
			       (unsigned long)page->index);
	return page->index == w->stop_at;
}

static char *walk_from(struct page_tree *t, pgoff_t from, pgoff_t stop)
{
	struct walk w = { g_string_new(NULL), stop };

	page_tree_foreach(t, from, visit, &w);
	return g_string_free(w.s, FALSE);
}

static void check(struct page_tree *t, pgoff_t from, const char *expected)
{
	char *got = walk_from(t, from, (pgoff_t)-2);

	g_assert_cmpstr(got, ==, expected);
	g_free(got);
}

static void test_insert_lookup_walk(void)
{
	static const pgoff_t idx[] = { 4096, 5, 63, 64, 0, 262143,
				       (pgoff_t)-1, 4095 };
	struct page_tree *t = page_tree_new();
	struct page *pages[G_N_ELEMENTS(idx)];
	char *got;

	for (unsigned i = 0; i < G_N_ELEMENTS(idx); i++) {
		pages[i] = page_alloc(idx[i]);
		page_tree_insert(t, pages[i]);
	}
	for (unsigned i = 0; i < G_N_ELEMENTS(idx); i++)
		g_assert_true(page_tree_lookup(t, idx[i]) == pages[i]);
	g_assert_null(page_tree_lookup(t, 1));
	g_assert_null(page_tree_lookup(t, 65));
	g_assert_null(page_tree_lookup(t, (pgoff_t)-2));
	check(t, 0, "0 5 63 64 4095 4096 262143 18446744073709551615");
	check(t, 6, "63 64 4095 4096 262143 18446744073709551615");
	check(t, 64, "64 4095 4096 262143 18446744073709551615");
	check(t, 4097, "262143 18446744073709551615");
	check(t, (pgoff_t)-1, "18446744073709551615");
	/* the walk stops when the visitor says so */
	got = walk_from(t, 0, 64);
	g_assert_cmpstr(got, ==, "0 5 63 64");
	g_free(got);

	/* remove in another order; the walk follows */
	g_assert_true(page_tree_remove(t, 63) == pages[2]);
	g_assert_null(page_tree_remove(t, 63));
	g_assert_null(page_tree_remove(t, 7));
	check(t, 0, "0 5 64 4095 4096 262143 18446744073709551615");
	g_assert_true(page_tree_remove(t, (pgoff_t)-1) == pages[6]);
	g_assert_true(page_tree_remove(t, 4096) == pages[0]);
	check(t, 0, "0 5 64 4095 262143");
	check(t, 100, "4095 262143");
	for (unsigned i = 0; i < G_N_ELEMENTS(idx); i++)
		page_tree_remove(t, idx[i]);
	check(t, 0, "");
	g_assert_null(page_tree_lookup(t, 0));
	/* and it grows again from empty */
	page_tree_insert(t, pages[1]);
	g_assert_true(page_tree_lookup(t, 5) == pages[1]);
	check(t, 0, "5");
	page_tree_remove(t, 5);
	page_tree_destroy(t, NULL);
	for (unsigned i = 0; i < G_N_ELEMENTS(idx); i++)
		put_page(pages[i]);
}

static void drop(struct page *page)
{
	put_page(page);
}

/* Dense indexes 0..9999 in reverse, walked and destroyed. */
static void test_dense(void)
{
	struct page_tree *t = page_tree_new();
	struct walk w = { g_string_new(NULL), (pgoff_t)-2 };
	unsigned n = 0;

	for (pgoff_t i = 10000; i-- > 0;)
		page_tree_insert(t, page_alloc(i));
	for (pgoff_t i = 0; i < 10000; i++)
		g_assert_cmpuint(page_tree_lookup(t, i)->index, ==, i);
	page_tree_foreach(t, 9990, visit, &w);
	g_assert_cmpstr(w.s->str, ==,
			"9990 9991 9992 9993 9994 9995 9996 9997 9998 9999");
	g_string_free(w.s, TRUE);
	/* every other page out: the walk sees the rest, in order */
	for (pgoff_t i = 0; i < 10000; i += 2)
		put_page(page_tree_remove(t, i));
	for (pgoff_t i = 0; i < 10000; i++)
		n += page_tree_lookup(t, i) != NULL;
	g_assert_cmpuint(n, ==, 5000);
	page_tree_destroy(t, drop);
}

/*
 * The bottom nodes kept at hand (the last insert's and removal's): a node
 * emptied while at hand is freed and forgotten, so that 64-127 go into a
 * new node; and the cache's pattern, pages taken from the bottom while
 * others go in at the top, keeps every page findable and in order.
 */
static void test_hints(void)
{
	struct page_tree *t = page_tree_new();
	char *expected;
	GString *s;

	/* 64, 65, 66 share the node of 64..127 */
	for (pgoff_t i = 64; i < 67; i++)
		page_tree_insert(t, page_alloc(i));
	put_page(page_tree_remove(t, 64));
	put_page(page_tree_remove(t, 65));
	g_assert_null(page_tree_remove(t, 65));
	put_page(page_tree_remove(t, 66));	/* the node goes */
	g_assert_null(page_tree_lookup(t, 66));
	check(t, 0, "");
	page_tree_insert(t, page_alloc(70));
	g_assert_cmpuint(page_tree_lookup(t, 70)->index, ==, 70);
	g_assert_null(page_tree_lookup(t, 66));
	check(t, 0, "70");
	put_page(page_tree_remove(t, 70));

	/* 0..199 in; then i out and 200 + i in, for i = 0..199 */
	for (pgoff_t i = 0; i < 200; i++)
		page_tree_insert(t, page_alloc(i));
	for (pgoff_t i = 0; i < 200; i++) {
		put_page(page_tree_remove(t, i));
		page_tree_insert(t, page_alloc(200 + i));
		g_assert_null(page_tree_lookup(t, i));
		g_assert_cmpuint(page_tree_lookup(t, i + 1)->index, ==, i + 1);
	}
	s = g_string_new(NULL);
	for (pgoff_t i = 200; i < 400; i++)
		g_string_append_printf(s, "%s%lu", i > 200 ? " " : "",
				       (unsigned long)i);
	expected = g_string_free(s, FALSE);
	check(t, 0, expected);
	g_free(expected);
	page_tree_destroy(t, drop);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/page-tree/insert-lookup-walk",
			test_insert_lookup_walk);
	g_test_add_func("/page-tree/dense", test_dense);
	g_test_add_func("/page-tree/hints", test_hints);
	return g_test_run();
}
