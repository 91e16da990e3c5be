/*
 * blk-driver.c - the driver glue between the request queue and the disk
 * model: the request function, shaped like 4.9's scsi_request_fn(), and
 * completions.
 *
 * Running the queue (__blk_run_queue) calls the request function: it
 * peeks at the next request (blk_peek_request: the dispatch list's head,
 * or one the elevator moves there; from then on the request is "started"
 * and no longer mergeable), and hands it to the device while the device
 * takes commands (disk_can_accept, i.e. fewer than its queue depth).  Like
 * scsi_request_fn it peeks before it checks the device, so with a busy
 * device one request waits on the dispatch list, already chosen.  The
 * device model never schedules events: this file arms one event at the
 * device's next completion, ends every bio of each completed request, frees
 * it, and runs the queue again.
 */
#include "block/blk.h"

#include <glib.h>
#include "disk/disk.h"

/* __elv_next_request() - block/blk.h */
static struct request *__elv_next_request(struct request_queue *q)
{
	while (1) {
		if (!list_empty(&q->queue_head))
			return list_entry_rq(q->queue_head.next);
		if (!q->elevator->elevator_dispatch_fn(q, 0))
			return NULL;
	}
}

/* blk_peek_request() - block/blk-core.c */
struct request *blk_peek_request(struct request_queue *q)
{
	struct request *rq = __elv_next_request(q);

	if (!rq)
		return NULL;
	if (!(rq->rq_flags & RQF_STARTED)) {
		/*
		 * This is the first time the device driver sees this
		 * request.  Notify IO scheduler.
		 */
		if (rq->rq_flags & RQF_SORTED)
			elv_activate_rq(q, rq);
		/*
		 * just mark as started even if we don't start it, a
		 * request that has been delayed should not be passed by
		 * new incoming requests
		 */
		rq->rq_flags |= RQF_STARTED;
	}
	if (!q->boundary_rq || q->boundary_rq == rq) {
		q->end_sector = rq_end_sector(rq);
		q->boundary_rq = NULL;
	}
	return rq;
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

/*
 * blk_start_request() - block/blk-core.c, and the command handed to the
 * device (scsi_dispatch_cmd).
 */
static void blk_start_request(struct request_queue *q, struct request *rq)
{
	struct disk_cmd cmd = {
		.id = rq->seq, .op = disk_op_of(rq->op),
		.sector = blk_rq_pos(rq), .sectors = blk_rq_sectors(rq),
	};

	list_del_init(&rq->queuelist);	/* blk_dequeue_request() */
	q->in_flight_rq[rq->is_sync]++;
	rq->dispatch_ns = ev_now();
	/* the device will fail it ([fault]): -EIO at completion */
	rq->errors = blk_fault_check(&q->opt.fault, rq, &q->nr_faults);
	trace_block_rq("dispatch", rq, NULL);
	list_add_tail(&rq->queuelist, &q->in_flight);
	q->stats.dispatched++;
	disk_submit(q->disk, &cmd, ev_now());
}

/* The request function: scsi_request_fn() - drivers/scsi/scsi_lib.c */
static void blk_request_fn(struct request_queue *q)
{
	for (;;) {
		/*
		 * get next queueable request.  We do this early to make sure
		 * that the request is fully prepared even if we cannot
		 * accept it.
		 */
		struct request *rq = blk_peek_request(q);

		if (!rq)
			break;
		if (!disk_can_accept(q->disk))	/* scsi_dev_queue_ready() */
			break;
		blk_start_request(q, rq);
	}
	arm_completion(q);
}

/* __blk_run_queue() - block/blk-core.c */
void __blk_run_queue(struct request_queue *q)
{
	blk_request_fn(q);
}

static struct request *find_in_flight(struct request_queue *q, uint64_t id)
{
	struct list_head *pos;

	for (pos = q->in_flight.next; pos != &q->in_flight; pos = pos->next) {
		struct request *rq = list_entry_rq(pos);

		if (rq->seq == id) {
			list_del_init(&rq->queuelist);
			return rq;
		}
	}
	g_assert_not_reached();
	return NULL;
}

/* blk_end_request_all() - block/blk-core.c: end every bio, free rq */
static void blk_end_request_all(struct request *rq, int error)
{
	struct bio *bio = rq->bio;

	rq->bio = rq->biotail = NULL;
	while (bio) {
		struct bio *next = bio->bi_next;

		bio->bi_next = NULL;
		if (error)		/* req_bio_endio() */
			bio->bi_error = error;
		bio_endio(bio);
		bio = next;
	}
	__blk_put_request(rq->q, rq);
}

static void blk_complete_event(void *arg)
{
	struct request_queue *q = arg;
	struct disk_completion c;

	if (q->armed_at == ev_now())
		q->armed_at = SIMTIME_NEVER;
	while (disk_complete(q->disk, ev_now(), &c)) {
		struct request *rq = find_in_flight(q, c.cmd.id);

		trace_block_rq("complete", rq, &c);
		q->stats.completed++;
		q->stats.last_complete_ns = ev_now();
		blk_end_request_all(rq, rq->errors);
	}
	__blk_run_queue(q);
}

/* Free whatever a torn-down queue still holds (a run cut short). */
void blk_driver_free(struct request_queue *q)
{
	while (!list_empty(&q->in_flight)) {
		struct request *rq = list_entry_rq(q->in_flight.next);

		list_del_init(&rq->queuelist);
		g_free(rq);
	}
	while (!list_empty(&q->queue_head)) {
		struct request *rq = list_entry_rq(q->queue_head.next);

		list_del_init(&rq->queuelist);
		g_free(rq);
	}
}
