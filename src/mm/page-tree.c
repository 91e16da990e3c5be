/*
 * page-tree.c - a radix tree of pages by index (see page-tree.h).
 *
 * Each node has 64 slots (6 bits of the index); the tree's height grows
 * when an index does not fit below the root, as radix_tree_extend() does,
 * and nodes left empty by a removal are freed on the way back up.  Leaves
 * are the struct page pointers themselves.  The bottom nodes of the last
 * insert and of the last removal are kept at hand: the cache fills and
 * empties in runs of consecutive pages, and the next index is most often
 * in the same node.
 */
#include "mm/page-tree.h"

#include <glib.h>
#include "mm/filemap.h"

#define TREE_SHIFT 6
#define TREE_SLOTS (1u << TREE_SHIFT)
#define TREE_MASK ((pgoff_t)TREE_SLOTS - 1)
#define MAX_HEIGHT ((64 + TREE_SHIFT - 1) / TREE_SHIFT)

struct tree_node {
	void *slots[TREE_SLOTS];
	unsigned count;		/* slots in use */
};

/* A bottom node kept at hand, with its first index >> TREE_SHIFT. */
struct tree_hint {
	struct tree_node *node;	/* NULL: none */
	pgoff_t base;
};

struct page_tree {
	struct tree_node *root;	/* NULL when empty */
	unsigned height;	/* levels of nodes: 0 when empty */
	struct tree_hint ins, rm;	/* the last insert's, removal's */
};

/* The bottom node holding index, if a hint has it, else NULL. */
static struct tree_node *hinted(const struct page_tree *t, pgoff_t index)
{
	pgoff_t base = index >> TREE_SHIFT;

	if (t->ins.node && t->ins.base == base)
		return t->ins.node;
	if (t->rm.node && t->rm.base == base)
		return t->rm.node;
	return NULL;
}

/* Bottom node n is freed: no hint may keep it. */
static void unhint(struct page_tree *t, const struct tree_node *n)
{
	if (t->ins.node == n)
		t->ins.node = NULL;
	if (t->rm.node == n)
		t->rm.node = NULL;
}

/* Does index fit below a root of this height? */
static bool fits(unsigned height, pgoff_t index)
{
	return height * TREE_SHIFT >= 64 ||
	       (index >> (height * TREE_SHIFT)) == 0;
}

static unsigned slot_of(pgoff_t index, unsigned level)
{
	return (unsigned)((index >> (level * TREE_SHIFT)) & TREE_MASK);
}

struct page_tree *page_tree_new(void)
{
	return g_new0(struct page_tree, 1);
}

static void destroy_node(struct tree_node *n, unsigned level,
			 void (*drop)(struct page *))
{
	for (unsigned i = 0; i < TREE_SLOTS; i++) {
		if (!n->slots[i])
			continue;
		if (level)
			destroy_node(n->slots[i], level - 1, drop);
		else if (drop)
			drop(n->slots[i]);
	}
	g_free(n);
}

void page_tree_destroy(struct page_tree *t, void (*drop)(struct page *))
{
	if (!t)
		return;
	if (t->root)
		destroy_node(t->root, t->height - 1, drop);
	g_free(t);
}

struct page *page_tree_lookup(const struct page_tree *t, pgoff_t index)
{
	const struct tree_node *n = hinted(t, index);

	if (n)
		return n->slots[slot_of(index, 0)];
	n = t->root;
	if (!n || !fits(t->height, index))
		return NULL;
	for (unsigned level = t->height - 1; level; level--) {
		n = n->slots[slot_of(index, level)];
		if (!n)
			return NULL;
	}
	return n->slots[slot_of(index, 0)];
}

void page_tree_insert(struct page_tree *t, struct page *page)
{
	pgoff_t index = page->index;
	struct tree_node *n = hinted(t, index);

	if (n) {
		g_assert(!n->slots[slot_of(index, 0)]);
		n->slots[slot_of(index, 0)] = page;
		n->count++;
		return;
	}
	if (!t->root) {
		t->root = g_new0(struct tree_node, 1);
		t->height = 1;
	}
	/* radix_tree_extend(): the old root becomes slot 0 of a new one */
	while (!fits(t->height, index)) {
		struct tree_node *root = g_new0(struct tree_node, 1);

		root->slots[0] = t->root;
		root->count = 1;
		t->root = root;
		t->height++;
	}
	n = t->root;
	for (unsigned level = t->height - 1; level; level--) {
		unsigned i = slot_of(index, level);

		if (!n->slots[i]) {
			n->slots[i] = g_new0(struct tree_node, 1);
			n->count++;
		}
		n = n->slots[i];
	}
	g_assert(!n->slots[slot_of(index, 0)]);
	n->slots[slot_of(index, 0)] = page;
	n->count++;
	t->ins.node = n;
	t->ins.base = index >> TREE_SHIFT;
}

struct page *page_tree_remove(struct page_tree *t, pgoff_t index)
{
	struct tree_node *path[MAX_HEIGHT];
	struct tree_node *n = hinted(t, index);
	struct page *page;
	unsigned level;

	/* a bottom node at hand that keeps other pages: no walk */
	if (n && n->count > 1) {
		page = n->slots[slot_of(index, 0)];
		if (page) {
			n->slots[slot_of(index, 0)] = NULL;
			n->count--;
		}
		return page;
	}
	n = t->root;
	if (!n || !fits(t->height, index))
		return NULL;
	for (level = t->height - 1; level; level--) {
		path[level] = n;
		n = n->slots[slot_of(index, level)];
		if (!n)
			return NULL;
	}
	page = n->slots[slot_of(index, 0)];
	if (!page)
		return NULL;
	n->slots[slot_of(index, 0)] = NULL;
	t->rm.node = n;
	t->rm.base = index >> TREE_SHIFT;
	/* free the nodes this leaves empty, leaf first */
	for (level = 0; !--n->count; level++) {
		if (!level)
			unhint(t, n);
		g_free(n);
		if (level + 1 == t->height) {
			t->root = NULL;
			t->height = 0;
			break;
		}
		n = path[level + 1];
		n->slots[slot_of(index, level + 1)] = NULL;
	}
	return page;
}

/* Walk node n (at level) from index `from`; true when fn stopped it. */
static bool walk(const struct tree_node *n, unsigned level, pgoff_t base,
		 pgoff_t from, bool (*fn)(struct page *, void *), void *arg)
{
	unsigned shift = level * TREE_SHIFT;
	unsigned first = 0;

	if (from > base)
		first = (unsigned)((from - base) >> shift);
	for (unsigned i = first; i < TREE_SLOTS; i++) {
		pgoff_t start = base + ((pgoff_t)i << shift);

		if (!n->slots[i])
			continue;
		if (level ? walk(n->slots[i], level - 1, start, from, fn, arg)
			  : fn(n->slots[i], arg))
			return true;
	}
	return false;
}

void page_tree_foreach(const struct page_tree *t, pgoff_t from,
		       bool (*fn)(struct page *page, void *arg), void *arg)
{
	if (!t->root || !fits(t->height, from))
		return;
	walk(t->root, t->height - 1, 0, from, fn, arg);
}
