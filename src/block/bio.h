/*
 * bio.h - bios: the unit of I/O that filesystems hand to the block layer
 * (include/linux/bio.h, blk_types.h in miniature, 4.9 semantics).
 *
 * Besides the kernel's fields a bio carries what the log needs: a sequence
 * number taken at submission, who submitted it, and where it came from
 * (mpage, the buffer-head path, or a metadata read).
 */
#ifndef MPSIM_BLOCK_BIO_H
#define MPSIM_BLOCK_BIO_H

#include "include/kernel.h"
#include "sim/event.h"

struct page;
struct bio;
struct block_device;
struct buffer_head;
struct request;

#define BIO_MAX_PAGES 256

enum bio_origin {
	BIO_ORIGIN_MPAGE,
	BIO_ORIGIN_BUFFER,
	BIO_ORIGIN_META,
	BIO_ORIGIN_REPLAY,	/* a trace's request (src/replay) */
	BIO_ORIGIN_FLUSH,	/* an empty cache flush (blkdev_issue_flush) */
};

struct bio_vec {
	struct page *bv_page;
	unsigned bv_len;
	unsigned bv_offset;
};

struct bvec_iter {
	sector_t bi_sector;	/* 512-byte units from the disk's start */
	unsigned bi_size;	/* bytes */
	unsigned bi_idx;	/* current index into bi_io_vec */
	unsigned bi_bvec_done;	/* bytes done in the current bvec */
};

/*
 * REQ_NOMERGE: never merge this bio (set on the front part of a split,
 * as blk_queue_split() does).  An mpsim bit outside the REQ_* values of
 * include/kernel.h.
 */
#define REQ_NOMERGE (1u << 16)

typedef void (bio_end_io_t)(struct bio *bio);

struct bio {
	struct bio *bi_next;		/* in a request's chain */
	struct block_device *bi_bdev;
	int bi_error;
	enum req_op bi_op;
	unsigned bi_opf;		/* REQ_* flags */
	struct bvec_iter bi_iter;
	bio_end_io_t *bi_end_io;
	void *bi_private;
	unsigned short bi_vcnt;
	unsigned short bi_max_vecs;
	struct bio_vec *bi_io_vec;

	/* mpsim bookkeeping */
	uint64_t seq;			/* 1, 2, ... at submission */
	enum bio_origin origin;
	int task;			/* submitting task id, 0 for none */
	simtime_t queue_ns;
	sector_t meta_block;		/* fs block of a meta read/write */
	struct bio *split_parent;	/* a split part's original (bio_chain) */
	int split_pending;		/* split parts not yet completed: the
					 * original ends after all of them
					 * (bi_remaining - 1 in the kernel) */
};

/* bio_alloc(): NULL when nr_vecs > BIO_MAX_PAGES or a fault is injected. */
struct bio *bio_alloc(gfp_t gfp, unsigned nr_vecs);
void bio_put(struct bio *bio);
int bio_add_page(struct bio *bio, struct page *page, unsigned len,
		 unsigned offset);
static inline void bio_set_op_attrs(struct bio *bio, enum req_op op,
				    unsigned flags)
{
	bio->bi_op = op;
	bio->bi_opf = flags;
}
static inline bool bio_data_dir_write(const struct bio *bio)
{
	return bio->bi_op == REQ_OP_WRITE;
}
static inline unsigned bio_sectors(const struct bio *bio)
{
	return bio->bi_iter.bi_size >> 9;
}
static inline sector_t bio_end_sector(const struct bio *bio)
{
	return bio->bi_iter.bi_sector + bio_sectors(bio);
}
/* Segments (bvecs, or parts of them) the iterator covers. */
unsigned bio_segments(const struct bio *bio);
/* Move the iterator on by `bytes` (bio_advance). */
void bio_advance(struct bio *bio, unsigned bytes);
/*
 * bio_split(): a new bio for the first `sectors` of bio, sharing its
 * vectors; bio itself is advanced past them.
 */
struct bio *bio_split(struct bio *bio, unsigned sectors);
/* bio_chain(): the parent's completion waits for `split` too. */
void bio_chain(struct bio *split, struct bio *parent);
void bio_endio(struct bio *bio);
void guard_bio_eod(int op, struct bio *bio);
void submit_bio(struct bio *bio);

/*
 * Fault injection: make the n-th bio_alloc() calls of a run (1-based,
 * sorted) return NULL, as an allocation failure would.
 */
void bio_set_alloc_faults(const uint64_t *ordinals, unsigned n);
/* Reset per-run counters (sequence numbers, allocation ordinals). */
void bio_reset(void);

/* RWBS text of an op and flags, as blkparse prints it ("R", "WS", ...). */
void blk_fill_rwbs(char *rwbs, enum req_op op, unsigned flags);

#endif /* MPSIM_BLOCK_BIO_H */
