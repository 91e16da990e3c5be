/*
 * deadline-iosched.c - the deadline elevator (block/deadline-iosched.c,
 * 4.9).  Per direction, requests sit in a tree sorted by start sector and
 * in a FIFO with an expiry time (insert time + read_expire or
 * write_expire).  Dispatch runs one-way ascending batches of up to
 * fifo_batch requests; a batch restarts at the oldest request when the
 * FIFO head has expired or the sweep runs off the end; reads are preferred,
 * but writes get a batch after writes_starved read batches while both wait.
 * front_merges lets a bio merge in front of a queued request.
 *
 * Times are simulated nanoseconds, not jiffies: expiry is exact.  Of
 * several requests starting at the same sector, the tree keeps them in the
 * order they were added (elv_rb_add() sends equal keys right), and a
 * front-merge lookup finds the first of them.
 */
#include "block/blk.h"

#include <glib.h>

struct deadline_data {
	/*
	 * requests are present on both sort_list and fifo_list
	 */
	struct elv_rb_root sort_list[2];
	struct list_head fifo_list[2];

	/*
	 * next in sort order. read, write or both are NULL
	 */
	struct request *next_rq[2];
	unsigned batching;		/* number of sequential requests made */
	unsigned starved;		/* times reads have starved writes */

	/*
	 * settings that change how the i/o scheduler behaves
	 */
	int64_t fifo_expire[2];
	unsigned fifo_batch;
	unsigned writes_starved;
	bool front_merges;
};

static struct deadline_data *dd_of(struct request_queue *q)
{
	return q->elevator_data;
}

/*
 * get the request after `rq' in sector-sorted order
 */
static struct request *deadline_latter_request(struct request *rq)
{
	return elv_rb_next(rq);
}

/* deadline_del_rq_rb() - block/deadline-iosched.c */
static void deadline_del_rq_rb(struct deadline_data *dd, struct request *rq)
{
	const int data_dir = rq_data_dir(rq);

	if (dd->next_rq[data_dir] == rq)
		dd->next_rq[data_dir] = deadline_latter_request(rq);

	elv_rb_del(&dd->sort_list[data_dir], rq);
}

/*
 * add rq to rbtree and fifo
 */
static void deadline_add_request(struct request_queue *q, struct request *rq)
{
	struct deadline_data *dd = dd_of(q);
	const int data_dir = rq_data_dir(rq);

	elv_rb_add(&dd->sort_list[data_dir], rq);

	/*
	 * set expire time and add to fifo list
	 */
	rq->fifo_time = ev_now() + dd->fifo_expire[data_dir];
	list_add_tail(&rq->queuelist, &dd->fifo_list[data_dir]);
}

/*
 * remove rq from rbtree and fifo.
 */
static void deadline_remove_request(struct request_queue *q,
				    struct request *rq)
{
	list_del_init(&rq->queuelist);	/* rq_fifo_clear() */
	deadline_del_rq_rb(dd_of(q), rq);
}

/* deadline_merge() - block/deadline-iosched.c: the front merge lookup */
static int deadline_merge(struct request_queue *q, struct request **req,
			  struct bio *bio)
{
	struct deadline_data *dd = dd_of(q);
	struct request *__rq;

	/*
	 * check for front merge
	 */
	if (dd->front_merges) {
		sector_t sector = bio_end_sector(bio);

		__rq = elv_rb_find(&dd->sort_list[bio_data_dir(bio)], sector);
		if (__rq && elv_bio_merge_ok(__rq, bio)) {
			*req = __rq;
			return ELEVATOR_FRONT_MERGE;
		}
	}

	return ELEVATOR_NO_MERGE;
}

/* deadline_merged_request() - block/deadline-iosched.c */
static void deadline_merged_request(struct request_queue *q,
				    struct request *req, int type)
{
	/*
	 * if the merge was a front merge, we need to reposition request
	 */
	if (type == ELEVATOR_FRONT_MERGE) {
		struct elv_rb_root *root =
			&dd_of(q)->sort_list[rq_data_dir(req)];

		elv_rb_del(root, req);
		elv_rb_add(root, req);
	}
}

/* deadline_merged_requests() - block/deadline-iosched.c */
static void deadline_merged_requests(struct request_queue *q,
				     struct request *req,
				     struct request *next)
{
	/*
	 * if next expires before rq, assign its expire time to rq
	 * and move into next position (next will be deleted) in fifo
	 */
	if (!list_empty(&req->queuelist) && !list_empty(&next->queuelist)) {
		if (next->fifo_time < req->fifo_time) {
			list_move(&req->queuelist, &next->queuelist);
			req->fifo_time = next->fifo_time;
		}
	}

	/*
	 * kill knowledge of next, this one is a goner
	 */
	deadline_remove_request(q, next);
}

/*
 * move an entry to dispatch queue
 */
static void deadline_move_request(struct deadline_data *dd,
				  struct request *rq)
{
	const int data_dir = rq_data_dir(rq);

	dd->next_rq[0] = NULL;
	dd->next_rq[1] = NULL;
	dd->next_rq[data_dir] = deadline_latter_request(rq);

	/*
	 * take it off the sort and fifo list, move
	 * to dispatch queue
	 */
	deadline_remove_request(rq->q, rq);
	elv_dispatch_add_tail(rq->q, rq);
}

/*
 * deadline_check_fifo returns 0 if there are no expired requests on the
 * fifo, 1 otherwise. Requires !list_empty(&dd->fifo_list[data_dir])
 */
static int deadline_check_fifo(struct deadline_data *dd, int ddir)
{
	struct request *rq = list_entry_rq(dd->fifo_list[ddir].next);

	/*
	 * rq is expired!
	 */
	return ev_now() >= rq->fifo_time;
}

/*
 * deadline_dispatch_requests selects the best request according to
 * read/write expire, fifo_batch, etc
 */
static int deadline_dispatch_requests(struct request_queue *q, int force)
{
	struct deadline_data *dd = dd_of(q);
	const int reads = !list_empty(&dd->fifo_list[0]);
	const int writes = !list_empty(&dd->fifo_list[1]);
	struct request *rq;
	int data_dir;

	(void)force;
	/*
	 * batches are currently reads XOR writes
	 */
	if (dd->next_rq[1])
		rq = dd->next_rq[1];
	else
		rq = dd->next_rq[0];

	if (rq && dd->batching < dd->fifo_batch)
		/* we have a next request are still entitled to batch */
		goto dispatch_request;

	/*
	 * at this point we are not running a batch. select the appropriate
	 * data direction (read / write)
	 */

	if (reads) {
		if (writes && (dd->starved++ >= dd->writes_starved))
			goto dispatch_writes;

		data_dir = 0;

		goto dispatch_find_request;
	}

	/*
	 * there are either no reads or writes have been starved
	 */

	if (writes) {
dispatch_writes:
		dd->starved = 0;

		data_dir = 1;

		goto dispatch_find_request;
	}

	return 0;

dispatch_find_request:
	/*
	 * we are not running a batch, find best request for selected data_dir
	 */
	if (deadline_check_fifo(dd, data_dir) || !dd->next_rq[data_dir]) {
		/*
		 * A deadline has expired, the last request was in the other
		 * direction, or we have run out of higher-sectored requests.
		 * Start again from the request with the earliest expiry time.
		 */
		rq = list_entry_rq(dd->fifo_list[data_dir].next);
	} else {
		/*
		 * The last req was the same dir and we have a next request in
		 * sort order. No expired requests so continue on from here.
		 */
		rq = dd->next_rq[data_dir];
	}

	dd->batching = 0;

dispatch_request:
	/*
	 * rq is the selected appropriate request.
	 */
	dd->batching++;
	deadline_move_request(dd, rq);

	return 1;
}

/* deadline_init_queue() - block/deadline-iosched.c */
static void *deadline_init_queue(struct request_queue *q)
{
	struct deadline_data *dd = g_new0(struct deadline_data, 1);

	for (int i = 0; i < 2; i++) {
		INIT_LIST_HEAD(&dd->fifo_list[i]);
		elv_rb_init(&dd->sort_list[i]);
	}
	dd->fifo_expire[0] = q->opt.read_expire_ns;
	dd->fifo_expire[1] = q->opt.write_expire_ns;
	dd->writes_starved = q->opt.writes_starved;
	dd->front_merges = q->opt.front_merges;
	dd->fifo_batch = q->opt.fifo_batch;
	return dd;
}

static void deadline_exit_queue(void *data)
{
	struct deadline_data *dd = data;

	for (int i = 0; i < 2; i++)
		elv_rb_free(&dd->sort_list[i]);
	g_free(dd);
}

const struct elevator_type elevator_deadline = {
	.elevator_name = "deadline",
	.elevator_merge_fn = deadline_merge,
	.elevator_merged_fn = deadline_merged_request,
	.elevator_merge_req_fn = deadline_merged_requests,
	.elevator_dispatch_fn = deadline_dispatch_requests,
	.elevator_add_req_fn = deadline_add_request,
	.elevator_former_req_fn = elv_rb_former_request,
	.elevator_latter_req_fn = elv_rb_latter_request,
	.elevator_init_fn = deadline_init_queue,
	.elevator_exit_fn = deadline_exit_queue,
};
