/*
 * bio.c - bio allocation, page adding, completion (block/bio.c, 4.9).
 *
 * bio_add_page() follows 4.9 exactly: it checks only the vector count, never
 * a queue limit (queue limits are applied later, when the block layer
 * splits bios).
 */
#include "block/bio.h"

#include <glib.h>
#include <string.h>
#include "block/blkdev.h"
#include "mm/filemap.h"
#include "mm/slab.h"

/*
 * Freed bios by the number of vectors they hold (a split, a clone without
 * vectors of its own, is a bio of 0), a few of each size kept.
 */
#define BIO_CACHE_LIMIT 64
static struct kmem_cache bio_caches[BIO_MAX_PAGES + 1];

static struct kmem_cache *bio_cache(unsigned nr_vecs)
{
	struct kmem_cache *c = &bio_caches[nr_vecs];

	if (!c->size) {
		c->size = sizeof(struct bio) + nr_vecs * sizeof(struct bio_vec);
		c->limit = BIO_CACHE_LIMIT;
	}
	return c;
}

static struct {
	uint64_t alloc_count;
	uint64_t *fail_at;	/* sorted ordinals of failing allocations */
	unsigned nr_fail, next_fail;
} bio_state;

void bio_set_alloc_faults(const uint64_t *ordinals, unsigned n)
{
	g_free(bio_state.fail_at);
	bio_state.fail_at = n ? g_memdup2(ordinals, n * sizeof(*ordinals)) : NULL;
	bio_state.nr_fail = n;
	bio_state.next_fail = 0;
}

void bio_reset(void)
{
	bio_set_alloc_faults(NULL, 0);
	bio_state.alloc_count = 0;
}

static bool alloc_should_fail(void)
{
	uint64_t n = ++bio_state.alloc_count;

	while (bio_state.next_fail < bio_state.nr_fail &&
	       bio_state.fail_at[bio_state.next_fail] < n)
		bio_state.next_fail++;
	return bio_state.next_fail < bio_state.nr_fail &&
	       bio_state.fail_at[bio_state.next_fail] == n;
}

/* bio_alloc() - block/bio.c */
struct bio *bio_alloc(gfp_t gfp, unsigned nr_vecs)
{
	struct bio *bio;

	if (nr_vecs > BIO_MAX_PAGES)
		return NULL;
	/* GFP_NOIO allocations come from a mempool and never fail */
	if (!(gfp & GFP_NOIO) && alloc_should_fail())
		return NULL;
	bio = kmem_cache_zalloc(bio_cache(nr_vecs));
	bio->bi_io_vec = (struct bio_vec *)(bio + 1);
	bio->bi_max_vecs = (unsigned short)nr_vecs;
	return bio;
}

/* bio_put() - block/bio.c */
void bio_put(struct bio *bio)
{
	kmem_cache_free(bio_cache(bio->bi_max_vecs), bio);
}

/* bio_add_page() - block/bio.c */
int bio_add_page(struct bio *bio, struct page *page, unsigned len,
		 unsigned offset)
{
	struct bio_vec *bv;

	/*
	 * cloned bio must not modify vec list (never the case here)
	 */
	if (bio->bi_vcnt > 0) {
		bv = &bio->bi_io_vec[bio->bi_vcnt - 1];

		if (page == bv->bv_page &&
		    offset == bv->bv_offset + bv->bv_len) {
			bv->bv_len += len;
			goto done;
		}
	}

	if (bio->bi_vcnt >= bio->bi_max_vecs)
		return 0;

	bv = &bio->bi_io_vec[bio->bi_vcnt];
	bv->bv_page = page;
	bv->bv_len = len;
	bv->bv_offset = offset;

	bio->bi_vcnt++;
done:
	bio->bi_iter.bi_size += len;
	return (int)len;
}

/*
 * The vectors the iterator covers, each as one segment: mpsim pages have
 * no physical address, so two vectors are never physically contiguous and
 * never share a segment.
 */
unsigned bio_segments(const struct bio *bio)
{
	unsigned idx = bio->bi_iter.bi_idx;
	unsigned done = bio->bi_iter.bi_bvec_done;
	unsigned left = bio->bi_iter.bi_size;
	unsigned n = 0;

	while (left && idx < bio->bi_vcnt) {
		unsigned len = bio->bi_io_vec[idx].bv_len - done;

		if (len > left)
			len = left;
		left -= len;
		n++;
		idx++;
		done = 0;
	}
	return n;
}

/* bio_advance() - block/bio.c */
void bio_advance(struct bio *bio, unsigned bytes)
{
	struct bvec_iter *it = &bio->bi_iter;

	it->bi_sector += bytes >> 9;
	it->bi_size -= bytes;
	while (bytes && it->bi_idx < bio->bi_vcnt) {
		unsigned len = bio->bi_io_vec[it->bi_idx].bv_len -
			       it->bi_bvec_done;

		if (bytes < len) {
			it->bi_bvec_done += bytes;
			break;
		}
		bytes -= len;
		it->bi_idx++;
		it->bi_bvec_done = 0;
	}
}

/* bio_split() - block/bio.c (the split shares bio's vectors, as a clone) */
struct bio *bio_split(struct bio *bio, unsigned sectors)
{
	struct bio *split = kmem_cache_zalloc(bio_cache(0));

	g_assert(sectors > 0 && sectors < bio_sectors(bio));
	*split = *bio;
	split->bi_next = NULL;
	split->bi_end_io = NULL;
	split->bi_private = NULL;
	split->bi_max_vecs = 0;		/* a clone: nothing may be added */
	split->bi_iter.bi_size = sectors << 9;
	split->split_parent = NULL;
	split->split_pending = 0;
	split->seq = 0;
	bio_advance(bio, sectors << 9);
	return split;
}

/* bio_chain_endio() - block/bio.c: end the part, then the parent */
static void bio_chain_endio(struct bio *bio)
{
	struct bio *parent = bio->split_parent;

	if (!parent->bi_error)
		parent->bi_error = bio->bi_error;
	bio_put(bio);
	bio_endio(parent);
}

/* bio_chain() - block/bio.c */
void bio_chain(struct bio *split, struct bio *parent)
{
	split->split_parent = parent;
	split->bi_end_io = bio_chain_endio;
	parent->split_pending++;	/* bio_inc_remaining() */
}

/* bio_endio() - block/bio.c */
void bio_endio(struct bio *bio)
{
	/* bio_remaining_done(): a split original waits for its parts */
	if (bio->split_pending > 0) {
		bio->split_pending--;
		return;
	}
	if (bio->bi_end_io)
		bio->bi_end_io(bio);
	else
		bio_put(bio);
}

/*
 * guard_bio_eod() - fs/buffer.c: a bio that starts inside the device but
 * runs past its end is trimmed, when the overhang lies in its last vector;
 * for a read the cut tail of that page is zeroed.
 */
void guard_bio_eod(int op, struct bio *bio)
{
	sector_t maxsector;
	struct bio_vec *bvec;
	unsigned truncated_bytes;

	if (!bio->bi_bdev)
		return;
	maxsector = bio->bi_bdev->bd_nr_sectors;
	if (!maxsector)
		return;

	/*
	 * If the *whole* IO is past the end of the device,
	 * let it through, and the IO layer will turn it into
	 * an EIO.
	 */
	if (bio->bi_iter.bi_sector >= maxsector)
		return;

	maxsector -= bio->bi_iter.bi_sector;
	if ((uint64_t)(bio->bi_iter.bi_size >> 9) <= maxsector)
		return;

	/* Uhhuh. We've got a bio that straddles the device size! */
	truncated_bytes = bio->bi_iter.bi_size - (unsigned)(maxsector << 9);
	bvec = &bio->bi_io_vec[bio->bi_vcnt - 1];
	if (truncated_bytes > bvec->bv_len)
		return;

	/* Truncate the bio.. */
	bio->bi_iter.bi_size -= truncated_bytes;
	bvec->bv_len -= truncated_bytes;

	/* ..and clear the end of the buffer for reads */
	if (op == REQ_OP_READ && bvec->bv_page)
		zero_user_segment(bvec->bv_page, bvec->bv_offset + bvec->bv_len,
				  bvec->bv_offset + bvec->bv_len +
				  truncated_bytes);
}

/* submit_bio() - block/blk-core.c */
void submit_bio(struct bio *bio)
{
	generic_make_request(bio);
}

/* blk_fill_rwbs() - kernel/trace/blktrace.c, the letters mpsim uses */
void blk_fill_rwbs(char *rwbs, enum req_op op, unsigned flags)
{
	int i = 0;

	if (flags & REQ_PREFLUSH)
		rwbs[i++] = 'F';
	switch (op) {
	case REQ_OP_WRITE:
		rwbs[i++] = 'W';
		break;
	case REQ_OP_READ:
		rwbs[i++] = 'R';
		break;
	case REQ_OP_FLUSH:
		rwbs[i++] = 'F';
		break;
	}
	if (flags & REQ_FUA)
		rwbs[i++] = 'F';
	if (flags & REQ_RAHEAD)
		rwbs[i++] = 'A';
	if (flags & REQ_SYNC)
		rwbs[i++] = 'S';
	if (flags & REQ_META)
		rwbs[i++] = 'M';
	rwbs[i] = '\0';
}
