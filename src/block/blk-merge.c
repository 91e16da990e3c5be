/*
 * blk-merge.c - splitting bios to the queue limits, and merging a bio into
 * a request or two requests into one within those limits
 * (block/blk-merge.c and the bio merge helpers of block/blk-core.c, 4.9).
 *
 * Limits: max_sectors (max_sectors_kb * 2) and max_segments.  A segment
 * here is one bio vector (or the part of one a split leaves): mpsim pages
 * have no physical address, so no two vectors are ever physically
 * contiguous; a 4.9 kernel would sometimes count fewer segments.  The
 * segment size and boundary limits, SG gaps, chunk sectors and integrity
 * are not modelled.
 */
#include "block/blk.h"

#include "trace/trace.h"

/*
 * blk_bio_segment_split() - block/blk-merge.c: where to cut bio so that
 * the front part fits max_sectors and max_segments; 0 when it fits whole.
 * *segs gets the front part's segment count.
 */
static unsigned blk_bio_segment_split(struct request_queue *q,
				      const struct bio *bio, unsigned *segs)
{
	const unsigned max_sectors = q->limits.max_sectors;
	unsigned idx = bio->bi_iter.bi_idx;
	unsigned done = bio->bi_iter.bi_bvec_done;
	unsigned left = bio->bi_iter.bi_size;
	unsigned nsegs = 0, sectors = 0;

	for (; left && idx < bio->bi_vcnt; idx++, done = 0) {
		unsigned len = bio->bi_io_vec[idx].bv_len - done;

		if (len > left)
			len = left;
		left -= len;
		if (sectors + (len >> 9) > max_sectors) {
			/*
			 * Consider this a new segment if we're splitting in
			 * the middle of this vector.
			 */
			if (nsegs < q->limits.max_segments &&
			    sectors < max_sectors) {
				nsegs++;
				sectors = max_sectors;
			}
			if (sectors)
				goto split;
			/* Make this single bvec as the 1st segment */
		}
		/* new_segment: every vector is one (no physical merging) */
		if (nsegs == q->limits.max_segments)
			goto split;
		nsegs++;
		sectors += len >> 9;
	}
	*segs = nsegs;
	return 0;
split:
	*segs = nsegs;
	return sectors;
}

/*
 * blk_queue_split() - block/blk-merge.c.  When *bio exceeds the limits,
 * its front part becomes a new bio (never merged again, chained to the
 * original so that the original completes after it) and *bio points to
 * it; the original, advanced past the part, is returned for the caller to
 * resubmit (generic_make_request).  Otherwise NULL.
 */
struct bio *blk_queue_split(struct request_queue *q, struct bio **bio)
{
	struct bio *split;
	unsigned nsegs, sectors;

	if ((*bio)->bi_op == REQ_OP_FLUSH || !bio_sectors(*bio))
		return NULL;
	sectors = blk_bio_segment_split(q, *bio, &nsegs);
	if (!sectors)
		return NULL;
	split = bio_split(*bio, sectors);
	/* there isn't chance to merge the splitted bio */
	split->bi_opf |= REQ_NOMERGE;
	split->seq = ++q->next_bio_seq;
	q->stats.bios++;
	bio_chain(split, *bio);
	trace_block_bio_queue(split, "split", (*bio)->seq);
	*bio = split;
	return split->split_parent;
}

/* rq_mergeable() - include/linux/blkdev.h */
bool rq_mergeable(const struct request *rq)
{
	if (rq->op == REQ_OP_FLUSH)
		return false;
	if (rq->cmd_flags & (REQ_NOMERGE | REQ_PREFLUSH | REQ_FUA))
		return false;
	if (rq->rq_flags & (RQF_NOMERGE | RQF_STARTED | RQF_SOFTBARRIER))
		return false;
	return true;
}

/* bio_mergeable() - include/linux/bio.h */
bool bio_mergeable(const struct bio *bio)
{
	return !(bio->bi_opf & (REQ_NOMERGE | REQ_PREFLUSH | REQ_FUA)) &&
	       bio->bi_op != REQ_OP_FLUSH;
}

/*
 * blk_rq_merge_ok() - block/blk-merge.c: same op (so same direction), same
 * device.  SYNC, META, PRIO and RAHEAD differences do not stop a merge.
 */
bool blk_rq_merge_ok(struct request *rq, struct bio *bio)
{
	if (!rq_mergeable(rq) || !bio_mergeable(bio))
		return false;
	if (rq->op != bio->bi_op)
		return false;
	if (rq->q->bdev != bio->bi_bdev)
		return false;
	return true;
}

/* blk_try_merge() - block/blk-merge.c */
int blk_try_merge(struct request *rq, struct bio *bio)
{
	if (blk_rq_pos(rq) + blk_rq_sectors(rq) == bio->bi_iter.bi_sector)
		return ELEVATOR_BACK_MERGE;
	else if (bio_end_sector(bio) == blk_rq_pos(rq))
		return ELEVATOR_FRONT_MERGE;
	return ELEVATOR_NO_MERGE;
}

/* A failed limit check: the request takes no more merges (REQ_NOMERGE). */
static int req_set_nomerge(struct request_queue *q, struct request *req)
{
	req->rq_flags |= RQF_NOMERGE;
	if (req == q->last_merge)
		q->last_merge = NULL;
	return 0;
}

/* ll_new_hw_segment() - block/blk-merge.c */
static int ll_new_hw_segment(struct request_queue *q, struct request *req,
			     struct bio *bio)
{
	unsigned nr_phys_segs = bio_segments(bio);

	if (req->nr_phys_segments + nr_phys_segs > q->limits.max_segments)
		return req_set_nomerge(q, req);
	req->nr_phys_segments += nr_phys_segs;
	return 1;
}

/* ll_back_merge_fn() - block/blk-merge.c */
static int ll_back_merge_fn(struct request_queue *q, struct request *req,
			    struct bio *bio)
{
	if (blk_rq_sectors(req) + bio_sectors(bio) > q->limits.max_sectors)
		return req_set_nomerge(q, req);
	return ll_new_hw_segment(q, req, bio);
}

/* ll_front_merge_fn() - block/blk-merge.c */
static int ll_front_merge_fn(struct request_queue *q, struct request *req,
			     struct bio *bio)
{
	if (blk_rq_sectors(req) + bio_sectors(bio) > q->limits.max_sectors)
		return req_set_nomerge(q, req);
	return ll_new_hw_segment(q, req, bio);
}

/* bio_attempt_back_merge() - block/blk-core.c */
bool bio_attempt_back_merge(struct request_queue *q, struct request *req,
			    struct bio *bio)
{
	if (!ll_back_merge_fn(q, req, bio))
		return false;
	req->biotail->bi_next = bio;
	req->biotail = bio;
	req->__sectors += bio_sectors(bio);
	req->nr_bios++;
	req->nr_merges++;
	return true;
}

/* bio_attempt_front_merge() - block/blk-core.c */
bool bio_attempt_front_merge(struct request_queue *q, struct request *req,
			     struct bio *bio)
{
	if (!ll_front_merge_fn(q, req, bio))
		return false;
	bio->bi_next = req->bio;
	req->bio = bio;
	req->__sector = bio->bi_iter.bi_sector;
	req->__sectors += bio_sectors(bio);
	req->nr_bios++;
	req->nr_merges++;
	return true;
}

/*
 * ll_merge_requests_fn() - block/blk-merge.c: the two requests' segments
 * add up (their boundary vectors are never physically contiguous here).
 */
static int ll_merge_requests_fn(struct request_queue *q, struct request *req,
				struct request *next)
{
	unsigned total_phys_segments;

	if (blk_rq_sectors(req) + blk_rq_sectors(next) > q->limits.max_sectors)
		return 0;
	total_phys_segments = req->nr_phys_segments + next->nr_phys_segments;
	if (total_phys_segments > q->limits.max_segments)
		return 0;
	req->nr_phys_segments = total_phys_segments;
	return 1;
}

/*
 * attempt_merge() - block/blk-merge.c: next joins the back of req and is
 * freed.
 */
static int attempt_merge(struct request_queue *q, struct request *req,
			 struct request *next)
{
	if (!rq_mergeable(req) || !rq_mergeable(next))
		return 0;
	if (req->op != next->op)
		return 0;
	/* not contiguous */
	if (blk_rq_pos(req) + blk_rq_sectors(req) != blk_rq_pos(next))
		return 0;
	if (!ll_merge_requests_fn(q, req, next))
		return 0;
	/*
	 * The merged request keeps the earlier start time of the two.
	 */
	if (req->start_time > next->start_time)
		req->start_time = next->start_time;
	req->biotail->bi_next = next->bio;
	req->biotail = next->biotail;
	req->__sectors += blk_rq_sectors(next);
	req->nr_bios += next->nr_bios;
	req->nr_merges += next->nr_merges + 1;

	elv_merge_requests(q, req, next);

	/* owner-ship of bio passed from next to req */
	next->bio = next->biotail = NULL;
	next->nr_bios = 0;
	__blk_put_request(q, next);
	return 1;
}

/* attempt_back_merge() - block/blk-merge.c */
int attempt_back_merge(struct request_queue *q, struct request *rq)
{
	struct request *next = elv_latter_request(q, rq);
	unsigned sectors = next ? blk_rq_sectors(next) : 0;

	if (next && attempt_merge(q, rq, next)) {
		trace_block_merge(rq, sectors, "request");
		return 1;
	}
	return 0;
}

/* attempt_front_merge() - block/blk-merge.c */
int attempt_front_merge(struct request_queue *q, struct request *rq)
{
	struct request *prev = elv_former_request(q, rq);
	unsigned sectors = blk_rq_sectors(rq);

	if (prev && attempt_merge(q, prev, rq)) {
		trace_block_merge(prev, sectors, "request");
		return 1;
	}
	return 0;
}

/* blk_attempt_req_merge() - block/blk-merge.c (insert merge) */
int blk_attempt_req_merge(struct request_queue *q, struct request *rq,
			  struct request *next)
{
	unsigned sectors = blk_rq_sectors(next);

	if (q->elevator->elevator_allow_rq_merge_fn &&
	    !q->elevator->elevator_allow_rq_merge_fn(q, rq, next))
		return 0;
	if (attempt_merge(q, rq, next)) {
		trace_block_merge(rq, sectors, "insert");
		return 1;
	}
	return 0;
}
