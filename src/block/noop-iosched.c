/*
 * noop-iosched.c - the noop elevator (block/noop-iosched.c, 4.9): one FIFO
 * in insertion order.  It merges only through the core (the one-hit cache
 * and the end-sector hash); a request absorbed by another leaves the FIFO.
 * Its neighbours for request merges are its FIFO neighbours.
 */
#include "block/blk.h"

#include <glib.h>

struct noop_data {
	struct list_head queue;
};

static struct noop_data *nd_of(struct request_queue *q)
{
	return q->elevator_data;
}

/* noop_merged_requests() - block/noop-iosched.c */
static void noop_merged_requests(struct request_queue *q, struct request *rq,
				 struct request *next)
{
	(void)q;
	(void)rq;
	list_del_init(&next->queuelist);
}

/* noop_dispatch() - block/noop-iosched.c */
static int noop_dispatch(struct request_queue *q, int force)
{
	struct noop_data *nd = nd_of(q);
	struct request *rq;

	(void)force;
	if (list_empty(&nd->queue))
		return 0;
	rq = list_entry_rq(nd->queue.next);
	list_del_init(&rq->queuelist);
	elv_dispatch_sort(q, rq);
	return 1;
}

/* noop_add_request() - block/noop-iosched.c */
static void noop_add_request(struct request_queue *q, struct request *rq)
{
	list_add_tail(&rq->queuelist, &nd_of(q)->queue);
}

/* noop_former_request() - block/noop-iosched.c */
static struct request *noop_former_request(struct request_queue *q,
					   struct request *rq)
{
	if (rq->queuelist.prev == &nd_of(q)->queue)
		return NULL;
	return list_entry_rq(rq->queuelist.prev);
}

/* noop_latter_request() - block/noop-iosched.c */
static struct request *noop_latter_request(struct request_queue *q,
					   struct request *rq)
{
	if (rq->queuelist.next == &nd_of(q)->queue)
		return NULL;
	return list_entry_rq(rq->queuelist.next);
}

/* noop_init_queue() - block/noop-iosched.c */
static void *noop_init_queue(struct request_queue *q)
{
	struct noop_data *nd = g_new0(struct noop_data, 1);

	(void)q;
	INIT_LIST_HEAD(&nd->queue);
	return nd;
}

static void noop_exit_queue(void *data)
{
	g_free(data);
}

const struct elevator_type elevator_noop = {
	.elevator_name = "noop",
	.elevator_merge_req_fn = noop_merged_requests,
	.elevator_dispatch_fn = noop_dispatch,
	.elevator_add_req_fn = noop_add_request,
	.elevator_former_req_fn = noop_former_request,
	.elevator_latter_req_fn = noop_latter_request,
	.elevator_init_fn = noop_init_queue,
	.elevator_exit_fn = noop_exit_queue,
};
