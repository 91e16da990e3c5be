/*
 * blk-core.c - from submit_bio() to the device and back (block/blk-core.c,
 * legacy request_fn path of 4.9, simplified).
 *
 * Each bio becomes a request.  A task that holds a plug (blk_start_plug)
 * keeps its requests on the plug list until the plug is flushed: when it
 * finishes, or when the task sleeps.  Flushed or unplugged requests go to
 * the elevator, here a FIFO, and the queue is run: requests are dispatched
 * to the device model while it accepts them.  The device's completion ends
 * each bio of the request, then the queue runs again.
 *
 * Not modelled here: plug and elevator merging, sorting at plug flush,
 * request size limits, other elevators.
 */
#include "block/blkdev.h"

#include <glib.h>
#include "disk/disk.h"
#include "mm/filemap.h"
#include "fs/fs.h"
#include "trace/trace.h"

struct request {
	uint64_t seq;
	enum req_op op;
	unsigned flags;
	sector_t sector;
	unsigned nr_sectors;
	struct bio *bio, *biotail;
	unsigned nr_bios;
	simtime_t queue_ns, insert_ns, dispatch_ns;
	struct request_queue *q;
};

struct request_queue {
	struct block_device *bdev;
	struct disk *disk;
	GQueue elevator;	/* noop: FIFO of struct request* */
	GQueue in_flight;	/* dispatched, not completed */
	simtime_t armed_at;	/* earliest armed completion event */
	uint64_t next_rq_seq, next_bio_seq;
	struct blk_stats stats;
};

static bool plug_enabled = true;

static void blk_run_queue(struct request_queue *q);

struct block_device *blk_device_new(struct disk *disk,
				    const struct blk_options *opt)
{
	struct block_device *bdev = g_new0(struct block_device, 1);
	struct request_queue *q = g_new0(struct request_queue, 1);

	q->bdev = bdev;
	q->disk = disk;
	q->armed_at = SIMTIME_NEVER;
	g_queue_init(&q->elevator);
	g_queue_init(&q->in_flight);
	bdev->bd_queue = q;
	bdev->bd_disk = disk;
	bdev->bd_nr_sectors = disk_capacity(disk);
	plug_enabled = opt->plug;
	sched_flush_plug_hook = blk_schedule_flush_plug;
	return bdev;
}

static void free_request(struct request *rq)
{
	g_free(rq);
}

void blk_device_free(struct block_device *bdev)
{
	struct request_queue *q;

	if (!bdev)
		return;
	q = bdev->bd_queue;
	g_queue_clear_full(&q->elevator, (GDestroyNotify)free_request);
	g_queue_clear_full(&q->in_flight, (GDestroyNotify)free_request);
	g_free(q);
	g_free(bdev);
	sched_flush_plug_hook = NULL;
}

/* Page indexes a bio carries, for the log (file pages only). */
static uint32_t bio_page_indexes(const struct bio *bio, int64_t *out)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < bio->bi_vcnt; i++) {
		const struct page *p = bio->bi_io_vec[i].bv_page;

		if (!p || !p->mapping)
			continue;
		if (n && out[n - 1] == (int64_t)p->index)
			continue;
		out[n++] = (int64_t)p->index;
	}
	return n;
}

static const char *const origin_names[] = {
	[BIO_ORIGIN_MPAGE] = "mpage",
	[BIO_ORIGIN_BUFFER] = "buffer",
	[BIO_ORIGIN_META] = "meta",
};

static void trace_bio_queue(const struct bio *bio)
{
	int64_t pages[BIO_MAX_PAGES];
	char rwbs[8];
	struct trace_event ev = {
		.kind = TRACE_BIO, .action = "queue", .time_ns = ev_now(),
	};
	const struct page *first = bio->bi_vcnt ? bio->bi_io_vec[0].bv_page
						: NULL;

	if (!trace_enabled())
		return;
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
	trace_emit(&ev);
}

static void trace_request(const char *action, const struct request *rq,
			  const struct disk_completion *c)
{
	uint64_t bios[64];
	uint64_t *seqs = bios;
	char rwbs[8];
	struct trace_event ev = {
		.kind = TRACE_REQUEST, .action = action, .time_ns = ev_now(),
	};
	unsigned n = 0;

	if (!trace_enabled())
		return;
	if (rq->nr_bios > G_N_ELEMENTS(bios))
		seqs = g_new(uint64_t, rq->nr_bios);
	for (const struct bio *b = rq->bio; b; b = b->bi_next)
		seqs[n++] = b->seq;
	blk_fill_rwbs(rwbs, rq->op, rq->flags);
	ev.rq.seq = rq->seq;
	ev.rq.op = rwbs;
	ev.rq.sector = rq->sector;
	ev.rq.sectors = rq->nr_sectors;
	ev.rq.queue_ns = rq->queue_ns;
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
	trace_emit(&ev);
	if (seqs != bios)
		g_free(seqs);
}

static struct request *request_from_bio(struct request_queue *q,
					struct bio *bio)
{
	struct request *rq = g_new0(struct request, 1);

	rq->seq = ++q->next_rq_seq;
	rq->op = bio->bi_op;
	rq->flags = bio->bi_opf;
	rq->sector = bio->bi_iter.bi_sector;
	rq->nr_sectors = bio_sectors(bio);
	rq->bio = rq->biotail = bio;
	rq->nr_bios = 1;
	rq->queue_ns = bio->queue_ns;
	rq->q = q;
	q->stats.requests++;
	return rq;
}

/* Hand a request to the elevator (__elv_add_request, noop). */
static void elv_add_request(struct request_queue *q, struct request *rq)
{
	rq->insert_ns = ev_now();
	trace_request("insert", rq, NULL);
	g_queue_push_tail(&q->elevator, rq);
}

static enum disk_op disk_op_of(enum req_op op)
{
	switch (op) {
	case REQ_OP_WRITE:
		return DISK_WRITE;
	case REQ_OP_FLUSH:
		return DISK_FLUSH;
	default:
		return DISK_READ;
	}
}

static void blk_complete_event(void *arg);

/* Arm one event at the device's next completion, if none is armed before. */
static void arm_completion(struct request_queue *q)
{
	simtime_t t = disk_next_completion(q->disk);

	if (t == DISK_NEVER || t >= q->armed_at)
		return;
	q->armed_at = t;
	ev_at(t, blk_complete_event, q);
}

/* __blk_run_queue: dispatch while the device takes commands. */
static void blk_run_queue(struct request_queue *q)
{
	while (disk_can_accept(q->disk) && !g_queue_is_empty(&q->elevator)) {
		struct request *rq = g_queue_pop_head(&q->elevator);
		struct disk_cmd cmd = {
			.id = rq->seq, .op = disk_op_of(rq->op),
			.sector = rq->sector, .sectors = rq->nr_sectors,
		};

		rq->dispatch_ns = ev_now();
		trace_request("dispatch", rq, NULL);
		g_queue_push_tail(&q->in_flight, rq);
		q->stats.dispatched++;
		disk_submit(q->disk, &cmd, ev_now());
	}
	arm_completion(q);
}

static struct request *find_in_flight(struct request_queue *q, uint64_t id)
{
	for (GList *l = q->in_flight.head; l; l = l->next) {
		struct request *rq = l->data;

		if (rq->seq == id) {
			g_queue_delete_link(&q->in_flight, l);
			return rq;
		}
	}
	g_assert_not_reached();
	return NULL;
}

/* blk_end_request_all: end every bio of a completed request. */
static void blk_end_request(struct request *rq, int error)
{
	struct bio *bio = rq->bio;

	while (bio) {
		struct bio *next = bio->bi_next;

		bio->bi_next = NULL;
		bio->bi_error = error;
		bio_endio(bio);
		bio = next;
	}
	free_request(rq);
}

static void blk_complete_event(void *arg)
{
	struct request_queue *q = arg;
	struct disk_completion c;

	if (q->armed_at == ev_now())
		q->armed_at = SIMTIME_NEVER;
	while (disk_complete(q->disk, ev_now(), &c)) {
		struct request *rq = find_in_flight(q, c.cmd.id);

		trace_request("complete", rq, &c);
		q->stats.completed++;
		blk_end_request(rq, 0);
	}
	blk_run_queue(q);
}

/* blk_flush_plug_list: move the plugged requests to the elevator. */
static void blk_flush_plug_list(struct blk_plug *plug, bool from_schedule)
{
	struct request_queue *q = NULL;
	struct request *rq;

	if (g_queue_is_empty(&plug->list))
		return;
	if (trace_enabled()) {
		struct trace_note n = trace_note_init();

		n.task = current ? current->id : 0;
		n.task_name = current ? current->name : NULL;
		n.value = (int64_t)g_queue_get_length(&plug->list);
		n.reason = from_schedule ? "sleep" : "finish";
		trace_note("unplug", &n);
	}
	while ((rq = g_queue_pop_head(&plug->list))) {
		q = rq->q;
		elv_add_request(q, rq);
	}
	blk_run_queue(q);
}

void blk_start_plug(struct blk_plug *plug)
{
	struct task *tsk = current;

	g_queue_init(&plug->list);
	if (!plug_enabled || !tsk || tsk->plug)
		return;		/* off, no task, or nested: ignored */
	tsk->plug = plug;
}

void blk_finish_plug(struct blk_plug *plug)
{
	struct task *tsk = current;

	if (!tsk || plug != tsk->plug)
		return;
	blk_flush_plug_list(plug, false);
	tsk->plug = NULL;
}

void blk_schedule_flush_plug(struct task *t)
{
	if (t->plug)
		blk_flush_plug_list(t->plug, true);
}

/* blk_queue_bio: the make_request function of the legacy queue. */
static void blk_queue_bio(struct request_queue *q, struct bio *bio)
{
	struct blk_plug *plug = current ? current->plug : NULL;
	struct request *rq = request_from_bio(q, bio);

	if (plug) {
		g_queue_push_tail(&plug->list, rq);
		return;
	}
	elv_add_request(q, rq);
	blk_run_queue(q);
}

/* generic_make_request() - block/blk-core.c */
void generic_make_request(struct bio *bio)
{
	struct request_queue *q = bio->bi_bdev->bd_queue;

	bio->seq = ++q->next_bio_seq;
	bio->queue_ns = ev_now();
	bio->task = current ? current->id : 0;
	q->stats.bios++;
	trace_bio_queue(bio);
	blk_queue_bio(q, bio);
}

void blk_get_stats(const struct block_device *bdev, struct blk_stats *st)
{
	*st = bdev->bd_queue->stats;
}

bool blk_idle(const struct block_device *bdev)
{
	struct request_queue *q = bdev->bd_queue;

	return g_queue_is_empty(&q->elevator) &&
	       g_queue_is_empty(&q->in_flight);
}
