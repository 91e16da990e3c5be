/*
 * blk-core.c - from submit_bio() to a request (block/blk-core.c, legacy
 * request_fn path of 4.9).
 *
 * generic_make_request() first ends a flush the device has no write cache
 * for (generic_make_request_checks), hands a bio-based device's bios to
 * its make_request function (brd.c), and every other bio to
 * blk_queue_bio(), the legacy queue's make_request function:
 *   1. blk_queue_split() cuts a bio larger than the queue limits; the cut
 *      off front part goes on, the rest is resubmitted after it;
 *   2. a task holding a plug first tries to merge the bio into a plugged
 *      request (blk_attempt_plug_merge), then everybody tries the requests
 *      in the elevator (elv_merge: back or front, then request+request);
 *   3. otherwise a request is allocated from the request list of its
 *      class (sync: reads and REQ_SYNC writes; async: the other writes)
 *      as __get_request does: congestion marks, the full mark and
 *      io-context batching, the hard limit of 3/2 nr_requests - a task
 *      refused sleeps (which flushes its plug) until a free wakes it;
 *   4. with a plug the request joins the plug list (flushing it first when
 *      it already holds BLK_MAX_REQUEST_COUNT requests); without one it is
 *      inserted into the elevator and the queue is run at once.
 * A plug is flushed when its task finishes it, sleeps, or hits the count
 * limit: its requests are sorted by start sector and inserted with insert
 * merging; a flush at sleep runs the queue from kblockd (an event at the
 * same simulated time, after the task has gone to sleep), the others run
 * it synchronously.  blk-driver.c takes the requests to the device.
 */
#include "block/blk.h"

#include <glib.h>
#include "disk/disk.h"
#include "mm/slab.h"
#include "sim/jiffies.h"
#include "trace/trace.h"

#define BLK_MAX_REQUEST_COUNT 16

static bool plug_enabled = true;
static struct request_queue *exit_io_queue;	/* the one device's */

/*
 * exit_io_context() - block/blk-ioc.c: a task ends; its io context (the
 * elevator's per-task state, cfq's cfq_io_cq) goes with it.
 */
static void blk_exit_io_context(struct task *t)
{
	struct request_queue *q = exit_io_queue;

	if (q && q->elevator->elevator_exit_icq_fn)
		q->elevator->elevator_exit_icq_fn(q, t);
}

/* BLK_BATCH_TIME, BLK_BATCH_REQ - block/blk.h */
#define BLK_BATCH_TIME (HZ / 50)
#define BLK_BATCH_REQ 32

/*
 * blk_queue_congestion_threshold() - block/blk-core.c: a class is
 * congested from nr_requests - nr_requests/8 + 1 allocated requests on,
 * and no longer below nr_requests - nr_requests/8 - nr_requests/16 - 1.
 */
static void blk_queue_congestion_threshold(struct request_queue *q)
{
	int nr;

	nr = (int)q->nr_requests - (int)(q->nr_requests / 8) + 1;
	if (nr > (int)q->nr_requests)
		nr = (int)q->nr_requests;
	q->nr_congestion_on = (unsigned)nr;

	nr = (int)q->nr_requests - (int)(q->nr_requests / 8) -
	     (int)(q->nr_requests / 16) - 1;
	if (nr < 1)
		nr = 1;
	q->nr_congestion_off = (unsigned)nr;
}

struct block_device *blk_device_new(struct disk *disk,
				    const struct blk_options *opt)
{
	struct block_device *bdev = g_new0(struct block_device, 1);
	struct request_queue *q = g_new0(struct request_queue, 1);

	q->bdev = bdev;
	q->disk = disk;
	q->armed_at = SIMTIME_NEVER;
	INIT_LIST_HEAD(&q->queue_head);
	INIT_LIST_HEAD(&q->in_flight);
	for (unsigned i = 0; i < ELV_HASH_SIZE; i++)
		INIT_LIST_HEAD(&q->hash[i]);
	q->opt = *opt;
	q->opt.fail_bio_alloc = NULL;	/* not ours to keep */
	q->opt.nr_fail_bio_alloc = 0;
	blk_fault_copy(&q->opt.fault, &opt->fault);
	q->limits.max_sectors = opt->max_sectors_kb * 2;
	q->limits.max_segments = opt->max_segments;
	q->nomerges = opt->nomerges;
	q->nr_requests = opt->nr_requests;
	q->nonrot = disk_nonrot(disk);
	q->nr_batching = BLK_BATCH_REQ;
	blk_queue_congestion_threshold(q);
	elevator_init(q);
	bdev->bd_queue = q;
	bdev->bd_disk = disk;
	bdev->bd_nr_sectors = disk_capacity(disk);
	plug_enabled = opt->plug;
	sched_flush_plug_hook = blk_schedule_flush_plug;
	sched_exit_io_hook = blk_exit_io_context;
	exit_io_queue = q;
	return bdev;
}

void blk_device_free(struct block_device *bdev)
{
	struct request_queue *q;

	if (!bdev)
		return;
	q = bdev->bd_queue;
	/* a run cut short: move what the elevator holds out, free it all */
	while (q->elevator->elevator_dispatch_fn(q, 1))
		;
	blk_driver_free(q);
	elevator_exit(q);
	blk_fault_clear(&q->opt.fault);
	g_free(q);
	g_free(bdev);
	sched_flush_plug_hook = NULL;
	sched_exit_io_hook = NULL;
	exit_io_queue = NULL;
}

/* rw_is_sync() - include/linux/blkdev.h: the request pool class */
static bool rw_is_sync(enum req_op op, unsigned flags)
{
	return op == REQ_OP_READ || (flags & REQ_SYNC);
}

/* blk_set_congested() / blk_clear_congested() - block/blk-core.c */
static void blk_set_congested(struct request_queue *q, bool sync)
{
	if (q->congested[sync])
		return;
	q->congested[sync] = true;
	trace_block_congestion(true, sync, q->count[sync]);
}

static void blk_clear_congested(struct request_queue *q, bool sync)
{
	if (!q->congested[sync])
		return;
	q->congested[sync] = false;
	trace_block_congestion(false, sync, q->count[sync]);
}

bool blk_read_congested(const struct block_device *bdev)
{
	return bdev && bdev->bd_queue->congested[1];
}

/*
 * ioc_batching() - block/blk-core.c: the task is a batcher and may take a
 * request from a full class (its whole batch, or what is left of it
 * within BLK_BATCH_TIME of its wake-up).  Every task has an io_context
 * (generic_make_request_checks creates it); outside a task there is none.
 */
static bool ioc_batching(struct request_queue *q, struct task *ioc)
{
	if (!ioc)
		return false;
	return ioc->nr_batch_requests == (int)q->nr_batching ||
	       (ioc->nr_batch_requests > 0 &&
		time_before(jiffies, ioc->last_waited + BLK_BATCH_TIME));
}

/* ioc_set_batching() - block/blk-core.c */
static void ioc_set_batching(struct request_queue *q, struct task *ioc)
{
	if (!ioc || ioc_batching(q, ioc))
		return;
	ioc->nr_batch_requests = (int)q->nr_batching;
	ioc->last_waited = jiffies;
}

/*
 * __freed_request() - block/blk-core.c: leave congestion below the off
 * threshold; below the limit wake one waiter (they wait exclusively) and
 * clear the full mark.
 */
static void __freed_request(struct request_queue *q, bool sync)
{
	if (q->count[sync] < q->nr_congestion_off)
		blk_clear_congested(q, sync);

	if (q->count[sync] + 1 <= q->nr_requests) {
		if (waitqueue_active(&q->wait[sync]))
			wake_up(&q->wait[sync]);
		q->full[sync] = false;
	}
}

/* freed_request() - block/blk-core.c */
static void freed_request(struct request_queue *q, bool sync)
{
	q->count[sync]--;
	__freed_request(q, sync);
	if (q->starved[!sync])
		__freed_request(q, !sync);
}

/*
 * Freed requests, kept for the next (the request list's mempool; a
 * torn-down queue's requests go back to the heap, blk_driver_free()).
 */
static struct kmem_cache request_cachep =
	KMEM_CACHE_INIT(sizeof(struct request), 1024);

/* __blk_put_request() - block/blk-core.c */
void __blk_put_request(struct request_queue *q, struct request *rq)
{
	elv_completed_request(q, rq);
	g_assert(rq->bio == NULL);	/* this is a bio leak */
	elv_put_request(q, rq);
	freed_request(q, rq->is_sync);
	kmem_cache_free(&request_cachep, rq);
}

/* blk_rq_init() and the request list's accounting, for __get_request */
static struct request *blk_alloc_request(struct request_queue *q, bool sync)
{
	struct request *rq;

	q->count[sync]++;
	q->starved[sync] = false;
	rq = kmem_cache_zalloc(&request_cachep);
	INIT_LIST_HEAD(&rq->queuelist);
	INIT_LIST_HEAD(&rq->hash);
	rq->q = q;
	rq->seq = ++q->next_rq_seq;
	rq->is_sync = sync;
	q->stats.requests++;
	return rq;
}

/*
 * __get_request() - block/blk-core.c: NULL when the task must wait.  The
 * elevator may refuse (ELV_MQUEUE_NO) or insist (ELV_MQUEUE_MUST).  The
 * allocation that fills the class marks it full and makes its task a
 * batcher; from then on only batchers allocate, up to half as many again
 * as nr_requests.
 */
static struct request *__get_request(struct request_queue *q,
				     enum req_op op, bool sync)
{
	struct task *ioc = current;
	int may_queue;
	struct request *rq;

	may_queue = elv_may_queue(q, (unsigned)op);
	if (may_queue == ELV_MQUEUE_NO)
		goto rq_starved;

	if (q->count[sync] + 1 >= q->nr_congestion_on) {
		if (q->count[sync] + 1 >= q->nr_requests) {
			/*
			 * The queue will fill after this allocation, so set
			 * it as full, and mark this process as "batching".
			 */
			if (!q->full[sync]) {
				ioc_set_batching(q, ioc);
				q->full[sync] = true;
			} else if (may_queue != ELV_MQUEUE_MUST &&
				   !ioc_batching(q, ioc)) {
				return NULL;
			}
		}
		blk_set_congested(q, sync);
	}

	/*
	 * Only allow batching queuers to allocate up to 50% over the defined
	 * limit of requests.
	 */
	if (q->count[sync] >= 3 * q->nr_requests / 2)
		return NULL;

	rq = blk_alloc_request(q, sync);
	if (ioc_batching(q, ioc))
		ioc->nr_batch_requests--;
	return rq;

rq_starved:
	if (q->count[sync] == 0)
		q->starved[sync] = true;
	return NULL;
}

/*
 * get_request() - block/blk-core.c: sleep (exclusively) until a request is
 * free, then retry as a batcher.  The sleep flushes the task's plug
 * (io_schedule).  Outside a task (no one to put to sleep, no io_context)
 * a refused allocation is made anyway: the pool may overflow.
 */
static struct request *get_request(struct request_queue *q, struct bio *bio)
{
	const bool sync = rw_is_sync(bio->bi_op, bio->bi_opf);
	struct request *rq;

	while (!(rq = __get_request(q, bio->bi_op, sync))) {
		if (!current)
			return blk_alloc_request(q, sync);
		trace_block_sleeprq(bio);
		sched_wait(&q->wait[sync]);
		/*
		 * After sleeping, we become a "batching" process and will be
		 * able to allocate at least one request, and up to a big
		 * batch of them for a small period time.
		 */
		ioc_set_batching(q, current);
	}
	return rq;
}

/* init_request_from_bio() - block/blk-core.c */
static void init_request_from_bio(struct request *req, struct bio *bio)
{
	req->op = bio->bi_op;
	req->cmd_flags = bio->bi_opf;
	req->__sector = bio->bi_iter.bi_sector;
	req->__sectors = bio_sectors(bio);
	req->nr_phys_segments = bio_segments(bio);
	req->bio = req->biotail = bio;
	req->nr_bios = 1;
	req->start_time = bio->queue_ns;
}

/* blk_run_queue_async() - block/blk-core.c: kblockd, with no delay */
static void kblockd_run_queue(void *arg)
{
	struct request_queue *q = arg;

	q->run_pending = false;
	__blk_run_queue(q);
}

void blk_run_queue_async(struct request_queue *q)
{
	if (q->run_pending)
		return;		/* mod_delayed_work: already queued */
	q->run_pending = true;
	ev_at(ev_now(), kblockd_run_queue, q);
}

/* queue_unplugged() - block/blk-core.c */
static void queue_unplugged(struct request_queue *q, unsigned depth,
			    const char *reason, bool from_schedule)
{
	trace_block_unplug(depth, reason);
	if (from_schedule)
		blk_run_queue_async(q);
	else
		__blk_run_queue(q);
}

/*
 * plug_rq_cmp() with list_sort() - block/blk-core.c, lib/list_sort.c: by
 * start sector.  plug_rq_cmp() says "not before" for equal sectors and
 * list_sort() then takes the later element first, so requests that start
 * at the same sector leave the plug newest first.
 */
static gint plug_rq_cmp(gconstpointer a, gconstpointer b)
{
	const struct request *rqa = a, *rqb = b;

	if (blk_rq_pos(rqa) != blk_rq_pos(rqb))
		return blk_rq_pos(rqa) < blk_rq_pos(rqb) ? -1 : 1;
	return rqa->seq > rqb->seq ? -1 : rqa->seq < rqb->seq;
}

/*
 * blk_flush_plug_list() - block/blk-core.c.  `reason` says why, for the
 * trace: "sleep" (from_schedule), "finish" or "limit".
 */
static void __blk_flush_plug_list(struct blk_plug *plug, bool from_schedule,
				  const char *reason)
{
	struct request_queue *q = NULL;
	GList *list = NULL;
	unsigned depth = 0;

	if (list_empty(&plug->list))
		return;

	while (!list_empty(&plug->list)) {
		struct request *rq = list_entry_rq(plug->list.next);

		list_del_init(&rq->queuelist);
		list = g_list_prepend(list, rq);
	}
	list = g_list_sort(g_list_reverse(list), plug_rq_cmp);	/* stable */

	for (GList *l = list; l; l = l->next) {
		struct request *rq = l->data;

		q = rq->q;	/* one queue: mpsim has one device */
		/*
		 * rq is already accounted, so use raw insert
		 */
		if (rq->cmd_flags & (REQ_PREFLUSH | REQ_FUA))
			__elv_add_request(q, rq, ELEVATOR_INSERT_BACK);
		else
			__elv_add_request(q, rq, ELEVATOR_INSERT_SORT_MERGE);
		depth++;
	}
	g_list_free(list);
	queue_unplugged(q, depth, reason, from_schedule);
}

void blk_start_plug(struct blk_plug *plug)
{
	struct task *tsk = current;

	INIT_LIST_HEAD(&plug->list);
	/*
	 * If this is a nested plug, don't actually assign it.
	 */
	if (!plug_enabled || !tsk || tsk->plug)
		return;
	tsk->plug = plug;
}

void blk_finish_plug(struct blk_plug *plug)
{
	struct task *tsk = current;

	if (!tsk || plug != tsk->plug)
		return;
	__blk_flush_plug_list(plug, false, "finish");
	tsk->plug = NULL;
}

void blk_schedule_flush_plug(struct task *t)
{
	if (t->plug)
		__blk_flush_plug_list(t->plug, true, "sleep");
}

/*
 * blk_attempt_plug_merge() - block/blk-core.c: walk the plug newest to
 * oldest, counting its requests; the first that can take the bio (back or
 * front, within the limits) does.
 */
static bool blk_attempt_plug_merge(struct request_queue *q, struct bio *bio,
				   unsigned *request_count)
{
	struct blk_plug *plug = current ? current->plug : NULL;
	struct list_head *pos;
	bool ret = false;

	if (!plug)
		return false;
	*request_count = 0;

	for (pos = plug->list.prev; pos != &plug->list; pos = pos->prev) {
		struct request *rq = list_entry_rq(pos);
		int el_ret;

		if (rq->q == q)
			(*request_count)++;

		if (rq->q != q || !blk_rq_merge_ok(rq, bio))
			continue;

		el_ret = blk_try_merge(rq, bio);
		if (el_ret == ELEVATOR_BACK_MERGE) {
			ret = bio_attempt_back_merge(q, rq, bio);
			if (ret) {
				trace_block_bio_merge(rq, bio, "plug-back");
				break;
			}
		} else if (el_ret == ELEVATOR_FRONT_MERGE) {
			ret = bio_attempt_front_merge(q, rq, bio);
			if (ret) {
				trace_block_bio_merge(rq, bio, "plug-front");
				break;
			}
		}
	}
	return ret;
}

/* blk_plug_queued_count() - block/blk-core.c */
static unsigned blk_plug_queued_count(struct request_queue *q)
{
	struct blk_plug *plug = current ? current->plug : NULL;
	struct list_head *pos;
	unsigned ret = 0;

	if (!plug)
		return 0;
	for (pos = plug->list.next; pos != &plug->list; pos = pos->next)
		ret += list_entry_rq(pos)->q == q;
	return ret;
}

/* blk_queue_bio() - block/blk-core.c, for one bio already within limits */
static void blk_queue_bio(struct request_queue *q, struct bio *bio)
{
	struct blk_plug *plug;
	int el_ret, where = ELEVATOR_INSERT_SORT;
	struct request *req;
	unsigned request_count = 0;

	if (bio->bi_opf & (REQ_PREFLUSH | REQ_FUA)) {
		where = ELEVATOR_INSERT_BACK;	/* the flush machinery, in
						 * outline: no merging, no
						 * passing */
		goto get_rq;
	}

	/*
	 * Check if we can merge with the plugged list before grabbing
	 * any locks.
	 */
	if (!blk_queue_nomerges(q)) {
		if (blk_attempt_plug_merge(q, bio, &request_count))
			return;
	} else {
		request_count = blk_plug_queued_count(q);
	}

	el_ret = elv_merge(q, &req, bio);
	if (el_ret == ELEVATOR_BACK_MERGE) {
		if (bio_attempt_back_merge(q, req, bio)) {
			trace_block_bio_merge(req, bio, "back");
			if (!attempt_back_merge(q, req))
				elv_merged_request(q, req, el_ret);
			return;
		}
	} else if (el_ret == ELEVATOR_FRONT_MERGE) {
		if (bio_attempt_front_merge(q, req, bio)) {
			trace_block_bio_merge(req, bio, "front");
			if (!attempt_front_merge(q, req))
				elv_merged_request(q, req, el_ret);
			return;
		}
	}

get_rq:
	/*
	 * Grab a free request. This is might sleep but can not fail.
	 */
	req = get_request(q, bio);

	/*
	 * After dropping the lock and possibly sleeping here, our request
	 * may now be mergeable after it had proven unmergeable (above).
	 * We don't worry about that case for efficiency. It won't happen
	 * often, and the elevators are able to handle it.
	 */
	init_request_from_bio(req, bio);
	/* as __get_request() does; blk_rq_should_init_elevator() */
	if (!(bio->bi_opf & (REQ_PREFLUSH | REQ_FUA)))
		elv_set_request(q, req, bio);

	plug = current ? current->plug : NULL;
	if (plug) {
		/*
		 * request_count was taken before any sleep in get_request(),
		 * as in 4.9: after such a sleep the limit flush may find the
		 * plug already empty.
		 */
		if (request_count >= BLK_MAX_REQUEST_COUNT)
			__blk_flush_plug_list(plug, false, "limit");
		list_add_tail(&req->queuelist, &plug->list);
		trace_block_plug(req, blk_plug_queued_count(q));
	} else {
		__elv_add_request(q, req, where);
		__blk_run_queue(q);
	}
}

/* A bio that ends without a request: logged as ended now ("end"). */
void blk_end_bio_now(struct bio *bio, int error)
{
	bio->bi_error = error;
	trace_block_bio_queue(bio, "end", 0);
	bio_endio(bio);
}

/*
 * generic_make_request_checks() - block/blk-core.c, the flush filter:
 * without a volatile write cache (QUEUE_FLAG_WC unset) the flush and FUA
 * bits are dropped, and an empty flush bio ends at once, successfully.
 * (mpsim's REQ_OP_FLUSH is 4.9's empty WRITE with WRITE_FLUSH.)  4.9
 * traces the bio after this filter; mpsim logs it before, so that the
 * ended flush has its bio row.
 */
static bool generic_make_request_checks(struct request_queue *q,
					struct bio *bio)
{
	if ((bio->bi_op == REQ_OP_FLUSH ||
	     (bio->bi_opf & (REQ_PREFLUSH | REQ_FUA))) &&
	    !disk_has_write_cache(q->disk)) {
		bio->bi_opf &= ~(REQ_PREFLUSH | REQ_FUA);
		if (bio->bi_op == REQ_OP_FLUSH || !bio_sectors(bio)) {
			blk_end_bio_now(bio, 0);
			return false;
		}
	}
	return true;
}

/* generic_make_request() - block/blk-core.c */
void generic_make_request(struct bio *bio)
{
	struct request_queue *q = bio->bi_bdev->bd_queue;
	struct bio *rest;

	bio->seq = ++q->next_bio_seq;
	bio->queue_ns = ev_now();
	bio->task = current ? current->id : 0;
	q->stats.bios++;
	trace_block_bio_queue(bio, "queue", 0);
	if (!generic_make_request_checks(q, bio))
		return;
	if (disk_bio_based(q->disk)) {
		brd_make_request(q, bio);
		return;
	}
	/*
	 * A split leaves the rest of the bio to be resubmitted after the
	 * part in front (current->bio_list in the kernel).
	 */
	do {
		rest = blk_queue_split(q, &bio);
		blk_queue_bio(q, bio);
		bio = rest;
	} while (bio);
}

void blk_get_stats(const struct block_device *bdev, struct blk_stats *st)
{
	*st = bdev->bd_queue->stats;
}

bool blk_idle(const struct block_device *bdev)
{
	struct request_queue *q = bdev->bd_queue;

	return !q->nr_sorted && list_empty(&q->queue_head) &&
	       list_empty(&q->in_flight);
}
