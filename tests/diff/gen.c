/*
 * gen.c - the seeded generator of cases for the differential test.
 *
 * Each case comes from its own GRand, seeded with (seed, case number), so
 * that any case can be made again alone.  A case picks a block size, a
 * window of pages to read (near block 0, or where the indirect, double or
 * triple indirect blocks take over, or at a leaf boundary inside them, or
 * anywhere), lays out the window's blocks (contiguous, fragmented or
 * scattered; pointer blocks right before the data they map as ext2's
 * allocator puts them, or elsewhere; holes of whole pages, page tails,
 * page heads, single blocks, whole pointer blocks), sets the file size
 * (aligned or not, sometimes short of the window), and sprinkles cached
 * pages, pages with buffers, cleancache hits, up-to-date and failing
 * get_block answers, bio_alloc failures, PF_MEMALLOC and rw_page.
 */
#include "gen.h"

#include <string.h>

struct layout {
	GRand *r;
	struct dcase *c;
	unsigned bs, bpp, ptrs;
	int style;		/* 0 contiguous, 1 fragmented, 2 scattered */
	bool ptr_inline;
	uint64_t next;		/* next free disk block, inline */
	uint64_t far_next;	/* next pointer block placed elsewhere */
	double ptr_hole, ptr_cached, run_break;
	GHashTable *decided;	/* pointer paths seen (placed or hole) */
};

static bool chance(GRand *r, double p)
{
	return g_rand_double(r) < p;
}

static uint64_t path_key(const unsigned *path, unsigned depth)
{
	uint64_t k = depth;

	for (unsigned d = 0; d < depth; d++)
		k = k * 2048 + path[d];
	return k;
}

/* Decide the pointer blocks on the way to file block lblk. */
static void place_ptrs(struct layout *L, const unsigned *off, int depth)
{
	for (int d = 1; d < depth; d++) {
		uint64_t key = path_key(off, (unsigned)d);
		struct dptr p = { 0 };

		if (g_hash_table_contains(L->decided, &key))
			continue;
		g_hash_table_add(L->decided, g_memdup2(&key, sizeof(key)));
		if (chance(L->r, L->ptr_hole))
			continue;	/* a whole pointer block of holes */
		p.depth = (unsigned)d;
		memcpy(p.path, off, (size_t)d * sizeof(unsigned));
		if (L->ptr_inline) {
			p.pblk = L->next++;
		} else {
			L->far_next += 1 + g_rand_int_range(L->r, 0, 50);
			p.pblk = L->far_next;
		}
		p.cached = chance(L->r, L->ptr_cached);
		g_array_append_val(L->c->ptrs, p);
	}
}

static void add_block(struct dcase *c, uint64_t lblk, uint64_t pblk)
{
	if (c->map->len) {
		struct dextent *e = &g_array_index(c->map, struct dextent,
						   c->map->len - 1);

		if (e->lblk + e->len == lblk && e->pblk + e->len == pblk) {
			e->len++;
			return;
		}
	}
	g_array_append_val(c->map, ((struct dextent){ lblk, pblk, 1 }));
}

/* Which blocks of a page are holes: none, all, a tail, a head, random. */
static void page_holes(GRand *r, unsigned bpp, double hole_rate, bool *hole)
{
	int kind = chance(r, hole_rate) ? g_rand_int_range(r, 0, 4) : -1;
	unsigned k = bpp > 1 ? (unsigned)g_rand_int_range(r, 1, (int)bpp) : 1;

	for (unsigned b = 0; b < bpp; b++)
		hole[b] = false;
	switch (kind) {
	case 0:
		for (unsigned b = 0; b < bpp; b++)
			hole[b] = true;
		break;
	case 1:		/* tail */
		for (unsigned b = bpp - k; b < bpp; b++)
			hole[b] = true;
		break;
	case 2:		/* head: hole then data */
		for (unsigned b = 0; b < k; b++)
			hole[b] = true;
		break;
	case 3:
		hole[g_rand_int_range(r, 0, (int)bpp)] = true;
		break;
	default:
		break;
	}
}

static void lay_out(struct layout *L, uint64_t b0, uint64_t b1,
		    double hole_rate)
{
	bool hole[8];

	for (uint64_t b = b0; b < b1; b++) {
		unsigned off[MODEL_NPATH];
		int depth = model_block_to_path(L->bs, b, off, NULL);

		if ((b - b0) % L->bpp == 0 || b == b0)
			page_holes(L->r, L->bpp, hole_rate, hole);
		if (depth == 0)
			break;
		place_ptrs(L, off, depth);
		if (hole[b % L->bpp])
			continue;
		if (L->style == 2) {
			add_block(L->c, b, (uint64_t)g_rand_int_range(L->r,
						1000000, 2000000000));
			continue;
		}
		if (L->style == 1 && chance(L->r, L->run_break))
			L->next += (uint64_t)g_rand_int_range(L->r, 1, 300);
		add_block(L->c, b, L->next++);
	}
}

/* A page index where something happens: the start of a container. */
static uint64_t pick_start(GRand *r, unsigned bs, unsigned bpp)
{
	uint64_t ptrs = bs / 4, blk, back;
	int where = g_rand_int_range(r, 0, 100);

	if (where < 30)
		return (uint64_t)g_rand_int_range(r, 0, 4);
	if (where < 50)
		blk = 12;
	else if (where < 65)
		blk = 12 + ptrs;
	else if (where < 78)
		blk = 12 + ptrs + ptrs * (uint64_t)g_rand_int_range(r, 1, 8);
	else if (where < 86)
		blk = 12 + ptrs + ptrs * ptrs +
		      (chance(r, 0.5) ? 0 : ptrs * ptrs *
		       (uint64_t)g_rand_int_range(r, 1, 3));
	else if (where < 89)	/* the end of what ext2 can map */
		blk = 12 + ptrs + ptrs * ptrs + ptrs * ptrs * ptrs;
	else
		return (uint64_t)g_rand_int_range(r, 0, 5000);
	/* a few pages either side of the boundary block */
	blk /= bpp;
	back = (uint64_t)g_rand_int_range(r, 0, 6);
	return blk - MIN(blk, back);
}

static unsigned pick_npages(GRand *r)
{
	int k = g_rand_int_range(r, 0, 100);

	if (k < 55)
		return (unsigned)g_rand_int_range(r, 1, 33);
	if (k < 85)
		return (unsigned)g_rand_int_range(r, 33, 257);
	return (unsigned)g_rand_int_range(r, 257, 700);
}

static void pick_isize(GRand *r, struct dcase *c, uint64_t w0, uint64_t w1)
{
	int k = g_rand_int_range(r, 0, 100);
	uint64_t end;

	if (k < 40) {		/* the file goes on past the window */
		end = w1 * 4096 + (uint64_t)g_rand_int_range(r, 0, 1 << 20);
	} else if (k < 85) {	/* it ends in the window's last pages */
		uint64_t lo = w1 > w0 + 2 ? w1 - 2 : w0;

		end = lo * 4096 + (uint64_t)g_rand_int_range(r, 1,
					(int)((w1 - lo) * 4096 + 1));
	} else {		/* it ends somewhere in the window */
		end = w0 * 4096 + (uint64_t)g_rand_int_range(r, 0,
					(int)((w1 - w0) * 4096 + 1));
	}
	if (chance(r, 0.3))	/* block aligned */
		end = (end + c->blocksize - 1) / c->blocksize * c->blocksize;
	else if (chance(r, 0.2))	/* page aligned */
		end = (end + 4095) / 4096 * 4096;
	c->isize = end ? end : 1;
}

static void random_buffers(GRand *r, struct dpage *p, unsigned bpp)
{
	p->nbufs = (int)bpp;
	for (unsigned b = 0; b < bpp; b++) {
		unsigned st = 0;

		if (chance(r, 0.4))
			st |= DB_UPTODATE;
		if (chance(r, 0.5)) {
			st |= DB_MAPPED;
			p->bblock[b] = (uint64_t)g_rand_int_range(r, 0, 100000);
		}
		if (chance(r, 0.1))
			st |= DB_DIRTY;
		if (chance(r, 0.1))	/* held by another reader or writer */
			st |= DB_LOCKED;
		p->bstate[b] = st;
	}
}

/* A file block where get_block is likely to be asked: a page's first. */
static uint64_t pick_block(GRand *r, const struct dcase *c, uint64_t w0,
			   uint64_t w1, unsigned bpp)
{
	uint64_t page = w0 + (uint64_t)g_rand_int_range(r, 0,
							(int)(w1 - w0));

	return page * bpp + (chance(r, 0.6) ? 0 :
			     (uint64_t)g_rand_int_range(r, 0, (int)bpp));
}

struct dcase *gen_case(uint64_t seed, uint64_t n, bool boundary)
{
	guint32 s[4] = { (guint32)seed, (guint32)(seed >> 32), (guint32)n,
			 (guint32)(n >> 32) };
	GRand *r = g_rand_new_with_seed_array(s, 4);
	struct dcase *c = case_new();
	struct layout L = { 0 };
	uint64_t w0, w1;
	unsigned npages, bpp;
	double skip;

	c->blocksize = 512u << g_rand_int_range(r, 0, 4);
	c->boundary = boundary;
	bpp = 4096 / c->blocksize;
	c->op = chance(r, 0.2) ? DOP_READPAGE : DOP_READPAGES;
	npages = c->op == DOP_READPAGE ? 1 : pick_npages(r);
	w0 = pick_start(r, c->blocksize, bpp);
	w1 = w0 + npages;

	/* the readahead list: the window, less pages readahead skipped */
	skip = chance(r, 0.5) ? 0.0 : 0.05;
	for (uint64_t p = w0; p < w1; p++)
		if (c->op == DOP_READPAGE || p == w0 || !chance(r, skip))
			g_array_append_val(c->pages, p);

	pick_isize(r, c, w0, w1);

	L.r = r;
	L.c = c;
	L.bs = c->blocksize;
	L.bpp = bpp;
	L.ptrs = c->blocksize / 4;
	L.style = g_rand_int_range(r, 0, 10) < 5 ? 0 :
		  g_rand_int_range(r, 0, 10) < 7 ? 1 : 2;
	L.ptr_inline = chance(r, 0.6);
	L.next = (uint64_t)g_rand_int_range(r, 0, 100000);
	L.far_next = 3000000000u + (uint64_t)g_rand_int_range(r, 0, 1000000);
	L.ptr_hole = chance(r, 0.15) ? 0.3 : 0.0;
	L.ptr_cached = chance(r, 0.5) ? 0.0 : g_rand_double(r);
	L.run_break = 0.02 + g_rand_double(r) * 0.3;
	L.decided = g_hash_table_new_full(g_int64_hash, g_int64_equal,
					  g_free, NULL);
	lay_out(&L, w0 * bpp, (w1 + 1) * bpp,
		chance(r, 0.5) ? 0.0 : g_rand_double(r) * 0.3);
	g_hash_table_destroy(L.decided);

	/* pages cached already: inside the batch, or the readpage target */
	if (c->op == DOP_READPAGE) {
		if (chance(r, 0.6)) {
			struct dpage p = { .index = w0 };

			p.uptodate = chance(r, 0.15);
			if (chance(r, 0.5))
				random_buffers(r, &p, bpp);
			g_array_append_val(c->cached, p);
		}
	} else if (chance(r, 0.3)) {
		for (guint i = 0; i < c->pages->len; i++)
			if (chance(r, 0.05)) {
				struct dpage p = {
					.index = g_array_index(c->pages,
							       uint64_t, i),
				};

				p.uptodate = chance(r, 0.5);
				if (chance(r, 0.3))
					random_buffers(r, &p, bpp);
				g_array_append_val(c->cached, p);
			}
	}

	if (chance(r, 0.12))
		for (int i = g_rand_int_range(r, 1, 3); i > 0; i--) {
			uint64_t b = pick_block(r, c, w0, w1, bpp);

			g_array_append_val(c->uptodate, b);
		}
	if (chance(r, 0.06)) {
		uint64_t b = pick_block(r, c, w0, w1, bpp);

		g_array_append_val(c->eio, b);
	}
	if (c->ptrs->len && chance(r, 0.06)) {
		const struct dptr *p = &g_array_index(c->ptrs, struct dptr,
			g_rand_int_range(r, 0, (gint32)c->ptrs->len));

		g_array_append_val(c->metaeio, p->pblk);
	}
	if (bpp == 1 && chance(r, 0.3))
		for (uint64_t p = w0; p < w1; p++)
			if (chance(r, 0.2))
				g_array_append_val(c->cleancache, p);
	if (chance(r, 0.1))
		for (int i = g_rand_int_range(r, 1, 3); i > 0; i--) {
			uint64_t k = (uint64_t)g_rand_int_range(r, 1, 5);

			if (!u64_in(c->allocfail, k))
				g_array_append_val(c->allocfail, k);
		}
	if (chance(r, 0.05)) {
		uint64_t k = (uint64_t)g_rand_int_range(r, 1, 4);

		g_array_append_val(c->bioeio, k);
	}
	c->memalloc = chance(r, 0.1);
	c->rw_page = chance(r, 0.08);
	c->aops = chance(r, 0.2);
	g_rand_free(r);
	return c;
}

/* ---- writes ---- */

/*
 * A cached page's buffers as they would be after a write over the map:
 * mapped where the model maps, dirty and up to date, BH_Boundary on the
 * last block of a container; holes unmapped and clean.  Then, now and
 * then, one buffer changed at random.
 */
static void write_buffers(GRand *r, const struct dcase *c, struct dpage *p,
			  unsigned bpp)
{
	p->nbufs = (int)bpp;
	for (unsigned b = 0; b < bpp; b++) {
		uint64_t lblk = p->index * bpp + b, pblk;
		unsigned off[MODEL_NPATH];
		int to_boundary = 1;

		p->bstate[b] = 0;
		if (!model_map_lookup(c, lblk, &pblk))
			continue;
		model_block_to_path(c->blocksize, lblk, off, &to_boundary);
		p->bstate[b] = DB_MAPPED | DB_DIRTY | DB_UPTODATE;
		p->bblock[b] = pblk;
		if (to_boundary == 0 && c->boundary)
			p->bstate[b] |= DB_BOUNDARY;
	}
	if (chance(r, 0.4)) {
		unsigned b = (unsigned)g_rand_int_range(r, 0, (int)bpp);

		p->bstate[b] = (unsigned)g_rand_int_range(r, 0, 32);
		if (p->bstate[b] & DB_MAPPED)
			p->bblock[b] = chance(r, 0.5) && b ?
				p->bblock[b - 1] + 1 :
				(uint64_t)g_rand_int_range(r, 0, 100000);
	}
}

static uint64_t pick_page(GRand *r, uint64_t w0, uint64_t w1)
{
	return w0 + (uint64_t)g_rand_int_range(r, 0, (gint32)(w1 - w0));
}

struct dcase *gen_write_case(uint64_t seed, uint64_t n, bool boundary)
{
	/* a stream of its own: write case n is not read case n */
	guint32 s[5] = { (guint32)seed, (guint32)(seed >> 32), (guint32)n,
			 (guint32)(n >> 32), 0x57524954u };
	GRand *r = g_rand_new_with_seed_array(s, 5);
	struct dcase *c = case_new();
	struct layout L = { 0 };
	uint64_t w0, w1, nholes = 0;
	unsigned npages, bpp;
	double p_cached, p_dirty, p_bufs, p_wb;

	c->blocksize = 512u << g_rand_int_range(r, 0, 4);
	c->boundary = boundary;
	bpp = 4096 / c->blocksize;
	c->op = chance(r, 0.15) ? DOP_WRITEPAGE : DOP_WRITEPAGES;
	npages = chance(r, 0.9) ? (unsigned)g_rand_int_range(r, 1, 65) :
		 (unsigned)g_rand_int_range(r, 65, 400);
	w0 = pick_start(r, c->blocksize, bpp);
	w1 = w0 + npages;
	pick_isize(r, c, w0, w1);
	if (chance(r, 0.1))	/* pages wholly past i_size */
		c->isize = w0 * 4096 / 2;

	L.r = r;
	L.c = c;
	L.bs = c->blocksize;
	L.bpp = bpp;
	L.ptrs = c->blocksize / 4;
	L.style = g_rand_int_range(r, 0, 10) < 5 ? 0 :
		  g_rand_int_range(r, 0, 10) < 7 ? 1 : 2;
	L.ptr_inline = chance(r, 0.7);
	L.next = (uint64_t)g_rand_int_range(r, 0, 100000);
	L.far_next = 3000000000u + (uint64_t)g_rand_int_range(r, 0, 1000000);
	L.ptr_hole = chance(r, 0.1) ? 0.3 : 0.0;
	L.ptr_cached = chance(r, 0.3) ? 1.0 : g_rand_double(r);
	L.run_break = 0.02 + g_rand_double(r) * 0.3;
	L.decided = g_hash_table_new_full(g_int64_hash, g_int64_equal,
					  g_free, NULL);
	lay_out(&L, w0 * bpp, w1 * bpp,
		chance(r, 0.4) ? 0.0 : g_rand_double(r) * 0.4);
	g_hash_table_destroy(L.decided);
	for (uint64_t b = w0 * bpp; b < w1 * bpp; b++) {
		uint64_t pb;

		nholes += !model_map_lookup(c, b, &pb);
	}

	/* pointer blocks dirty in the buffer cache: write_boundary_block */
	{
		double p = chance(r, 0.5) ? 0.0 : g_rand_double(r);

		for (guint i = 0; i < c->ptrs->len; i++) {
			struct dptr *d = &g_array_index(c->ptrs, struct dptr,
							i);

			d->dirty = d->cached && chance(r, p);
		}
	}

	/* the free list: right after the data (contiguous) or anywhere */
	if (nholes && chance(r, 0.85)) {
		uint64_t k = (uint64_t)g_rand_int_range(r, 0,
						(gint32)nholes + 3);
		uint64_t at = chance(r, 0.5) ? L.next :
			      (uint64_t)g_rand_int_range(r, 200000, 400000);

		for (uint64_t i = 0; i < k; i++) {
			if (chance(r, 0.1))
				at += (uint64_t)g_rand_int_range(r, 1, 40);
			g_array_append_val(c->freeblk, at);
			at++;
		}
		/* a free block that was metadata and is still cached */
		if (k && chance(r, 0.1)) {
			uint64_t b = g_array_index(c->freeblk, uint64_t,
				g_rand_int_range(r, 0, (gint32)k));

			g_array_append_val(c->stale, b);
		}
	}

	c->sync_all = chance(r, 0.4);
	c->tagged = !c->sync_all && chance(r, 0.15);
	p_cached = chance(r, 0.5) ? 1.0 : 0.3 + 0.7 * g_rand_double(r);
	p_dirty = chance(r, 0.5) ? 1.0 : 0.5 + 0.5 * g_rand_double(r);
	p_bufs = chance(r, 0.4) ? 0.0 : g_rand_double(r);
	p_wb = chance(r, 0.85) ? 0.0 : 0.2;
	for (uint64_t p = w0; p < w1; p++) {
		struct dpage d = { .index = p };

		if (!chance(r, p_cached))
			continue;
		d.dirty = chance(r, p_dirty);
		d.uptodate = true;
		if (chance(r, p_bufs)) {
			write_buffers(r, c, &d, bpp);
			d.uptodate = !chance(r, 0.1);
		}
		/* under writeback: skipped by WB_SYNC_NONE */
		d.writeback = chance(r, p_wb) && (!c->sync_all || !d.dirty);
		g_array_append_val(c->cached, d);
	}
	if (!c->cached->len) {
		struct dpage d = { .index = w0, .uptodate = true,
				   .dirty = true };

		g_array_append_val(c->cached, d);
	}
	if (c->op == DOP_WRITEPAGE) {
		struct dpage *d = &g_array_index(c->cached, struct dpage,
			g_rand_int_range(r, 0, (gint32)c->cached->len));

		d->writeback = false;
		d->dirty = true;
		if (!d->nbufs)
			d->uptodate = true;
		g_array_append_val(c->pages, d->index);
	}

	/* the writeback_control */
	if (chance(r, 0.5))
		c->nr_to_write = chance(r, 0.1) ?
			(int64_t)g_rand_int_range(r, -1, 1) :
			(int64_t)g_rand_int_range(r, 1, (gint32)npages + 2);
	switch (g_rand_int_range(r, 0, 4)) {
	case 0:
		c->cyclic = true;
		c->wb_index = chance(r, 0.3) ? 0 : pick_page(r, w0, w1 + 1);
		break;
	case 1: {
		uint64_t a = pick_page(r, w0, w1), b = pick_page(r, a, w1 + 1);

		c->range_start = (int64_t)(a * 4096 + (chance(r, 0.3) ?
				 (uint64_t)g_rand_int_range(r, 0, 4096) : 0));
		c->range_end = (int64_t)(b * 4096 + (uint64_t)
				 g_rand_int_range(r, 0, 4096));
		break;
	}
	default:
		break;		/* the whole file */
	}

	/* faults */
	if (chance(r, 0.06)) {
		uint64_t b = pick_block(r, c, w0, w1, bpp);

		g_array_append_val(c->eio, b);
	}
	if (c->ptrs->len && chance(r, 0.05)) {
		const struct dptr *p = &g_array_index(c->ptrs, struct dptr,
			g_rand_int_range(r, 0, (gint32)c->ptrs->len));

		if (!p->cached)
			g_array_append_val(c->metaeio, p->pblk);
	}
	if (chance(r, 0.1))
		for (int i = g_rand_int_range(r, 1, 3); i > 0; i--) {
			uint64_t k = (uint64_t)g_rand_int_range(r, 1, 6);

			if (!u64_in(c->allocfail, k))
				g_array_append_val(c->allocfail, k);
		}
	if (chance(r, 0.08)) {
		uint64_t k = (uint64_t)g_rand_int_range(r, 1, 4);

		g_array_append_val(c->bioeio, k);
	}
	if (chance(r, 0.06)) {
		uint64_t p = pick_page(r, w0, w1);

		g_array_append_val(c->wperr, p);
	}
	c->memalloc = chance(r, 0.05);
	c->rw_page = chance(r, 0.08);
	g_rand_free(r);
	g_assert(!case_invalid(c));
	return c;
}
