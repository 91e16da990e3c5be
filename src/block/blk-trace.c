/*
 * blk-trace.c - the block layer's tracepoints (include/trace/events/
 * block.h in spirit): a bio queued or split, a request inserted,
 * dispatched or completed, a request plugged, a plug flushed, a merge, a
 * task sleeping for a free request.  Each turns engine structures into the
 * plain values of src/trace/trace.h.
 */
#include "block/blk.h"

#include <glib.h>
#include "disk/disk.h"
#include "mm/filemap.h"
#include "fs/fs.h"
#include "trace/trace.h"

/* the page the database's views take a whole vector to be */
G_STATIC_ASSERT(PAGE_SIZE == TRACE_PAGE_SIZE &&
		PAGE_SIZE / 512 == TRACE_PAGE_SECTORS);

/*
 * Page indexes of the part of a bio its iterator covers, for the log
 * (file pages only).
 */
static uint32_t bio_page_indexes(const struct bio *bio, int64_t *out)
{
	unsigned idx = bio->bi_iter.bi_idx;
	unsigned done = bio->bi_iter.bi_bvec_done;
	unsigned left = bio->bi_iter.bi_size;
	uint32_t n = 0;

	for (; left && idx < bio->bi_vcnt; idx++, done = 0) {
		const struct page *p = bio->bi_io_vec[idx].bv_page;
		unsigned len = bio->bi_io_vec[idx].bv_len - done;

		left -= len < left ? len : left;
		if (!p || !p->mapping)
			continue;
		if (n && out[n - 1] == (int64_t)p->index)
			continue;
		out[n++] = (int64_t)p->index;
	}
	return n;
}

/*
 * The vectors of the part of a bio its iterator covers: page, offset and
 * length of each, so that a partial page is explicit.
 */
static uint32_t bio_vectors(const struct bio *bio, struct trace_bvec *out)
{
	unsigned idx = bio->bi_iter.bi_idx;
	unsigned done = bio->bi_iter.bi_bvec_done;
	unsigned left = bio->bi_iter.bi_size;
	uint32_t n = 0;

	for (; left && idx < bio->bi_vcnt; idx++, done = 0) {
		const struct bio_vec *bv = &bio->bi_io_vec[idx];
		unsigned len = bv->bv_len - done;

		if (len > left)
			len = left;
		left -= len;
		out[n].page = bv->bv_page && bv->bv_page->mapping ?
			      (int64_t)bv->bv_page->index : TRACE_NONE;
		out[n].offset = bv->bv_offset + done;
		out[n].len = len;
		n++;
	}
	return n;
}

static const char *const origin_names[] = {
	[BIO_ORIGIN_MPAGE] = "mpage",
	[BIO_ORIGIN_BUFFER] = "buffer",
	[BIO_ORIGIN_META] = "meta",
	[BIO_ORIGIN_REPLAY] = "replay",
	[BIO_ORIGIN_FLUSH] = "flush",
};

static const struct page *bio_first_page(const struct bio *bio)
{
	unsigned idx = bio->bi_iter.bi_idx;

	return idx < bio->bi_vcnt ? bio->bi_io_vec[idx].bv_page : NULL;
}

/*
 * "queue" (a bio enters the block layer), "split" (a part cut off) or
 * "end" (a bio ended without a request: a flush with no write cache to
 * flush, or a bio-based device's bio).
 */
void trace_block_bio_queue(const struct bio *bio, const char *action,
			   uint64_t parent)
{
	int64_t pages[BIO_MAX_PAGES];
	struct trace_bvec vecs[BIO_MAX_PAGES];
	char rwbs[8];
	struct trace_event ev;
	const struct page *first = bio_first_page(bio);

	if (!trace_enabled())
		return;		/* before building the event: the fast path */
	ev = (struct trace_event){
		.kind = TRACE_BIO, .action = action, .time_ns = ev_now(),
	};
	blk_fill_rwbs(rwbs, bio->bi_op, bio->bi_opf);
	ev.bio.seq = bio->seq;
	ev.bio.task = current ? current->id : 0;
	ev.bio.task_name = current ? current->name : NULL;
	ev.bio.op = rwbs;
	ev.bio.sector = bio->bi_iter.bi_sector;
	ev.bio.sectors = bio_sectors(bio);
	ev.bio.origin = origin_names[bio->origin];
	ev.bio.file = first && first->mapping ? mapping_name(first->mapping)
					      : NULL;
	ev.bio.npages = bio_page_indexes(bio, pages);
	ev.bio.pages = pages;
	ev.bio.block = bio->origin == BIO_ORIGIN_META ?
		(int64_t)bio->meta_block : TRACE_NONE;
	ev.bio.parent = parent;
	ev.bio.error = bio->bi_error;
	ev.bio.nbvecs = bio_vectors(bio, vecs);
	ev.bio.bvecs = vecs;
	trace_emit(&ev);
}

/* "insert", "dispatch" or "complete" (with the device's costs). */
void trace_block_rq(const char *action, const struct request *rq,
		    const struct disk_completion *c)
{
	uint64_t bios[64];
	uint64_t *seqs = bios;
	char rwbs[8];
	struct trace_event ev;
	unsigned n = 0;

	if (!trace_enabled())
		return;		/* before building the event: the fast path */
	ev = (struct trace_event){
		.kind = TRACE_REQUEST, .action = action, .time_ns = ev_now(),
	};
	if (rq->nr_bios > G_N_ELEMENTS(bios))
		seqs = g_new(uint64_t, rq->nr_bios);
	for (const struct bio *b = rq->bio; b; b = b->bi_next)
		seqs[n++] = b->seq;
	blk_fill_rwbs(rwbs, rq->op, rq->cmd_flags);
	ev.rq.seq = rq->seq;
	ev.rq.op = rwbs;
	ev.rq.sector = blk_rq_pos(rq);
	ev.rq.sectors = blk_rq_sectors(rq);
	ev.rq.queue_ns = rq->start_time;
	ev.rq.insert_ns = rq->insert_ns;
	ev.rq.dispatch_ns = rq->dispatch_ns;
	ev.rq.complete_ns = c ? c->complete_ns : TRACE_NONE;
	ev.rq.overhead_ns = c ? c->overhead_ns : 0;
	ev.rq.seek_ns = c ? c->seek_ns : 0;
	ev.rq.rotation_ns = c ? c->rotation_ns : 0;
	ev.rq.transfer_ns = c ? c->transfer_ns : 0;
	ev.rq.seek_cylinders = c ? c->seek_cylinders : 0;
	ev.rq.cache_hit = c ? c->cache_hit : 0;
	ev.rq.depth = c ? c->queue_depth : 0;
	ev.rq.bios = seqs;
	ev.rq.nbios = n;
	ev.rq.merges = rq->nr_merges;
	ev.rq.error = c ? rq->errors : 0;
	trace_emit(&ev);
	if (seqs != bios)
		g_free(seqs);
}

static struct trace_note task_note(void)
{
	struct trace_note n = trace_note_init();

	return n;
}

/* "plug": a request joins the task's plug list, now `count` long. */
void trace_block_plug(const struct request *rq, unsigned count)
{
	struct trace_note n;

	if (!trace_enabled())
		return;
	n = task_note();
	n.sector = (int64_t)blk_rq_pos(rq);
	n.sectors = blk_rq_sectors(rq);
	n.value = count;
	n.bio = rq->bio ? rq->bio->seq : 0;
	trace_note("plug", &n);
}

/* "unplug": `depth` requests leave the plug (sleep, finish or limit). */
void trace_block_unplug(unsigned depth, const char *reason)
{
	struct trace_note n;

	if (!trace_enabled())
		return;
	n = task_note();
	n.value = depth;
	n.reason = reason;
	trace_note("unplug", &n);
}

/* The "merge" note: `sectors` (of bio `bio_seq`, or 0) joined rq. */
static void merge_note(const struct request *rq, unsigned sectors,
		       const char *reason, uint64_t bio_seq)
{
	struct trace_note n;

	if (!trace_enabled())
		return;
	n = task_note();
	n.sector = (int64_t)blk_rq_pos(rq);
	n.sectors = sectors;
	n.value = blk_rq_sectors(rq);
	n.reason = reason;
	n.bio = bio_seq;
	trace_note("merge", &n);
}

/*
 * "merge": `sectors` joined rq, which now starts at sector= and holds
 * sectors_after= sectors.
 */
void trace_block_merge(const struct request *rq, unsigned sectors,
		       const char *reason)
{
	merge_note(rq, sectors, reason, 0);
}

/* "merge" of a bio: as trace_block_merge(), the note naming the bio. */
void trace_block_bio_merge(const struct request *rq, const struct bio *bio,
			   const char *reason)
{
	merge_note(rq, bio_sectors(bio), reason, bio->seq);
}

/* "sleeprq": no free request; the submitter sleeps (get_request). */
void trace_block_sleeprq(const struct bio *bio)
{
	struct trace_note n;

	if (!trace_enabled())
		return;
	n = task_note();
	n.sector = (int64_t)bio->bi_iter.bi_sector;
	n.sectors = bio_sectors(bio);
	trace_note("sleeprq", &n);
}

/*
 * "congested" / "uncongested": the request list of a class (sync or async)
 * crossed the congestion threshold (blk_set_congested/blk_clear_congested);
 * value= the requests of the class allocated then.
 */
void trace_block_congestion(bool on, bool sync, unsigned count)
{
	struct trace_note n;

	if (!trace_enabled())
		return;
	n = task_note();
	n.value = count;
	n.reason = sync ? "sync" : "async";
	trace_note(on ? "congested" : "uncongested", &n);
}
