/*
 * page-tree.h - the page cache's index of one mapping: struct page by
 * page index, walked in index order.  A radix tree like the kernel's
 * page_tree (lib/radix-tree.c), 64 slots a node: a lookup or an insert is
 * a few array steps, with no comparison callbacks and no node per page.
 */
#ifndef MPSIM_MM_PAGE_TREE_H
#define MPSIM_MM_PAGE_TREE_H

#include <stdbool.h>
#include "include/kernel.h"

struct page;
struct page_tree;

struct page_tree *page_tree_new(void);
/* Free the tree, calling drop on every page in index order. */
void page_tree_destroy(struct page_tree *t, void (*drop)(struct page *));
struct page *page_tree_lookup(const struct page_tree *t, pgoff_t index);
/* Insert page at page->index, which must be free. */
void page_tree_insert(struct page_tree *t, struct page *page);
/* Take the page at index out (NULL if none) and return it. */
struct page *page_tree_remove(struct page_tree *t, pgoff_t index);
/*
 * Call fn on each page from index `from` on, in index order, until it
 * returns true.  fn must not insert or remove pages.
 */
void page_tree_foreach(const struct page_tree *t, pgoff_t from,
		       bool (*fn)(struct page *page, void *arg), void *arg);

#endif /* MPSIM_MM_PAGE_TREE_H */
