/*
 * slab.h - caches of freed objects of one size, for the structures the
 * engine makes and drops by the hundred thousand: buffer heads, bios,
 * requests (mm/slab.c's kmem_cache, reduced to a free list).
 *
 * kmem_cache_zalloc() hands back a zeroed object, from the cache's free
 * list when it has one, else from the heap; kmem_cache_free() keeps the
 * object on the list, up to the cache's limit, else returns it to the
 * heap.  A run that drops as many objects as it makes reuses the same few
 * instead of a malloc and a free each.  One thread; no locking.
 */
#ifndef MPSIM_MM_SLAB_H
#define MPSIM_MM_SLAB_H

#include <stddef.h>

struct kmem_cache {
	size_t size;		/* bytes an object */
	unsigned limit;		/* objects kept at most */
	unsigned nr_free;
	void *free;		/* freed objects, each holding the next */
};

/* A cache of objects of `size` bytes, keeping at most `limit` freed. */
#define KMEM_CACHE_INIT(size, limit) { (size), (limit), 0, NULL }

void *kmem_cache_zalloc(struct kmem_cache *c);
void kmem_cache_free(struct kmem_cache *c, void *obj);
/* Return every kept object to the heap. */
void kmem_cache_shrink(struct kmem_cache *c);

#endif /* MPSIM_MM_SLAB_H */
