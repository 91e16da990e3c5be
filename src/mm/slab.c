/*
 * slab.c - caches of freed objects of one size (see slab.h).
 *
 * The kernel allocates buffer heads, bios and requests from slab caches;
 * mpsim keeps the idea and drops the rest: a cache is a list of freed
 * objects threaded through their first bytes.  The heap's own fast paths
 * are slower than this for the small objects a run churns through (a
 * buffer head a block on the buffer-head path, a request a block there),
 * and its free lists grow long enough to be consolidated again and again.
 */
#include "mm/slab.h"

#include <glib.h>
#include <string.h>

void *kmem_cache_zalloc(struct kmem_cache *c)
{
	void *obj = c->free;

	if (!obj)
		return g_malloc0(c->size);
	c->free = *(void **)obj;
	c->nr_free--;
	memset(obj, 0, c->size);
	return obj;
}

void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	if (!obj)
		return;
	if (c->nr_free >= c->limit) {
		g_free(obj);
		return;
	}
	*(void **)obj = c->free;
	c->free = obj;
	c->nr_free++;
}

void kmem_cache_shrink(struct kmem_cache *c)
{
	while (c->free) {
		void *obj = c->free;

		c->free = *(void **)obj;
		g_free(obj);
	}
	c->nr_free = 0;
}
