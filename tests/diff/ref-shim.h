/*
 * ref-shim.h - state shared by the shim's kernel API (ref-shim.c) and the
 * reference side's driver (ref-side.c): the case being run, the page
 * cache, the bios submitted and not yet completed.
 */
#ifndef MPSIM_TESTS_DIFF_REF_SHIM_H
#define MPSIM_TESTS_DIFF_REF_SHIM_H

#include "case.h"
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/buffer_head.h>

struct ref_world {
	const struct dcase *c;
	GHashTable *cache;		/* pgoff_t -> struct page * */
	GPtrArray *all_pages;		/* every page made, freed at the end */
	struct bio *pending, **pending_tail;	/* submitted, in order */
	uint64_t nr_bio_alloc;
	/* clean a cached pointer block; true if it was dirty */
	bool (*meta_clean)(uint64_t block);
};

extern struct ref_world ref_world;

#endif
