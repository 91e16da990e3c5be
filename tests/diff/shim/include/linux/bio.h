/*
 * linux/bio.h (shim) - bios as fs/mpage.c builds them (4.9 fields), and
 * the allocation, page-adding and submission calls it makes.
 */
#ifndef DIFF_SHIM_LINUX_BIO_H
#define DIFF_SHIM_LINUX_BIO_H

#include <linux/kernel.h>
#include <linux/mm.h>

#define BIO_MAX_PAGES 256

struct bio;
typedef void (bio_end_io_t)(struct bio *);

struct bio_vec {
	struct page *bv_page;
	unsigned int bv_len;
	unsigned int bv_offset;
};

struct bvec_iter {
	sector_t bi_sector;
	unsigned int bi_size;
};

struct bio {
	struct block_device *bi_bdev;
	int bi_error;
	unsigned int bi_op;
	unsigned int bi_opf;
	struct bvec_iter bi_iter;
	bio_end_io_t *bi_end_io;
	void *bi_private;
	unsigned short bi_vcnt;
	unsigned short bi_max_vecs;
	struct bio_vec *bi_io_vec;
	struct bio *ref_next;		/* shim: on the list of submitted bios */
};

#define bio_for_each_segment_all(bvl, bio, i)				\
	for (i = 0, bvl = (bio)->bi_io_vec; i < (bio)->bi_vcnt; i++, bvl++)

static inline void bio_set_op_attrs(struct bio *bio, unsigned op,
				    unsigned op_flags)
{
	bio->bi_op = op;
	bio->bi_opf = op_flags;
}

#define bio_op(bio) ((bio)->bi_op)
#define bio_data_dir(bio) ((bio)->bi_op == REQ_OP_WRITE ? WRITE : READ)

struct bio *bio_alloc(gfp_t gfp_mask, unsigned int nr_iovecs);
void bio_put(struct bio *bio);
int bio_add_page(struct bio *bio, struct page *page, unsigned int len,
		 unsigned int offset);
void submit_bio(struct bio *bio);

#endif
