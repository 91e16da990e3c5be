/*
 * elevator.c - the elevator core (block/elevator.c, 4.9): finding a
 * request a bio can merge with (the one-hit cache q->last_merge, the hash
 * of requests by end sector, then the elevator's own hook), inserting
 * requests (with the insert merge of a plug flush), and the dispatch list
 * q->queue_head from which the driver takes requests.
 *
 * The hash is a list of the queue's sorted, mergeable requests, newest
 * first: a lookup takes the newest request ending at the sector, as the
 * kernel's hash bucket (hlist_add_head) does.  A request leaves it when it
 * moves to the dispatch list, which ends its mergeability.
 */
#include "block/blk.h"

#include "trace/trace.h"

void elevator_init(struct request_queue *q)
{
	switch (q->opt.elevator) {
	case BLK_ELV_NOOP:
		q->elevator = &elevator_noop;
		break;
	case BLK_ELV_DEADLINE:
		q->elevator = &elevator_deadline;
		break;
	case BLK_ELV_CFQ:
		q->elevator = &elevator_cfq;
		break;
	}
	q->elevator_data = q->elevator->elevator_init_fn(q);
}

void elevator_exit(struct request_queue *q)
{
	q->elevator->elevator_exit_fn(q->elevator_data);
	q->elevator_data = NULL;
}

/* elv_rqhash_del() - block/elevator.c */
void elv_rqhash_del(struct request_queue *q, struct request *rq)
{
	(void)q;
	if (rq->rq_flags & RQF_HASHED) {
		list_del_init(&rq->hash);
		rq->rq_flags &= ~RQF_HASHED;
	}
}

/*
 * The bucket of an end sector: hash_min() - include/linux/hash.h, i.e.
 * hash_64(key, ELV_HASH_BITS) with 4.9's GOLDEN_RATIO_64.
 */
static struct list_head *rqhash_bucket(struct request_queue *q,
				       sector_t offset)
{
	return &q->hash[((uint64_t)offset * 0x61C8864680B583EBull) >>
			(64 - ELV_HASH_BITS)];
}

/* elv_rqhash_add() - block/elevator.c: hash_add(), at the bucket's head */
static void elv_rqhash_add(struct request_queue *q, struct request *rq)
{
	list_add(&rq->hash, rqhash_bucket(q, rq_end_sector(rq)));
	rq->rq_flags |= RQF_HASHED;
}

/* elv_rqhash_reposition() - block/elevator.c */
static void elv_rqhash_reposition(struct request_queue *q,
				  struct request *rq)
{
	elv_rqhash_del(q, rq);
	elv_rqhash_add(q, rq);
}

/*
 * elv_rqhash_find() - block/elevator.c: a request ending at `offset`
 * (hash_for_each_possible_safe over its bucket, newest first); requests
 * no longer mergeable are dropped on the way.
 */
static struct request *elv_rqhash_find(struct request_queue *q,
				       sector_t offset)
{
	struct list_head *head = rqhash_bucket(q, offset);
	struct list_head *pos = head->next;

	while (pos != head) {
		struct request *rq = list_entry(pos, struct request, hash);

		pos = pos->next;
		if (!rq_mergeable(rq)) {
			elv_rqhash_del(q, rq);
			continue;
		}
		if (rq_end_sector(rq) == offset)
			return rq;
	}
	return NULL;
}

/* elv_iosched_allow_bio_merge() - block/elevator.c */
static int elv_iosched_allow_bio_merge(struct request *rq, struct bio *bio)
{
	struct request_queue *q = rq->q;

	if (q->elevator->elevator_allow_bio_merge_fn)
		return q->elevator->elevator_allow_bio_merge_fn(q, rq, bio);
	return 1;
}

/* elv_bio_merge_ok() - block/elevator.c */
bool elv_bio_merge_ok(struct request *rq, struct bio *bio)
{
	if (!blk_rq_merge_ok(rq, bio))
		return false;
	if (!elv_iosched_allow_bio_merge(rq, bio))
		return false;
	return true;
}

/* elv_may_queue() - block/elevator.c */
int elv_may_queue(struct request_queue *q, unsigned int op)
{
	if (q->elevator->may_queue)
		return q->elevator->may_queue(q, op);
	return ELV_MQUEUE_MAY;
}

/* elv_merge() - block/elevator.c */
int elv_merge(struct request_queue *q, struct request **req, struct bio *bio)
{
	struct request *__rq;
	int ret;

	/*
	 * Levels of merges:
	 *	nomerges:  No merges at all attempted
	 *	noxmerges: Only simple one-hit cache try
	 *	merges:	   All merge tries attempted
	 */
	if (blk_queue_nomerges(q) || !bio_mergeable(bio))
		return ELEVATOR_NO_MERGE;

	/*
	 * First try one-hit cache.
	 */
	if (q->last_merge && elv_bio_merge_ok(q->last_merge, bio)) {
		ret = blk_try_merge(q->last_merge, bio);
		if (ret != ELEVATOR_NO_MERGE) {
			*req = q->last_merge;
			return ret;
		}
	}

	if (blk_queue_noxmerges(q))
		return ELEVATOR_NO_MERGE;

	/*
	 * See if our hash lookup can find a potential backmerge.
	 */
	__rq = elv_rqhash_find(q, bio->bi_iter.bi_sector);
	if (__rq && elv_bio_merge_ok(__rq, bio)) {
		*req = __rq;
		return ELEVATOR_BACK_MERGE;
	}

	if (q->elevator->elevator_merge_fn)
		return q->elevator->elevator_merge_fn(q, req, bio);

	return ELEVATOR_NO_MERGE;
}

/*
 * elv_attempt_insert_merge() - block/elevator.c: attempt to do an
 * insertion back merge.  Only check for the case where the new request
 * can be appended to a queued one, then that one to another, and so on.
 */
bool elv_attempt_insert_merge(struct request_queue *q, struct request *rq)
{
	struct request *__rq;
	bool ret;

	if (blk_queue_nomerges(q))
		return false;

	/*
	 * First try one-hit cache.
	 */
	if (q->last_merge && blk_attempt_req_merge(q, q->last_merge, rq))
		return true;

	if (blk_queue_noxmerges(q))
		return false;

	ret = false;
	/*
	 * See if our hash lookup can find a potential backmerge.
	 */
	while (1) {
		__rq = elv_rqhash_find(q, blk_rq_pos(rq));
		if (!__rq || !blk_attempt_req_merge(q, __rq, rq))
			break;

		/* The merged request could be merged with others, try again */
		ret = true;
		rq = __rq;
	}

	return ret;
}

/* elv_merged_request() - block/elevator.c */
void elv_merged_request(struct request_queue *q, struct request *rq,
			int type)
{
	if (q->elevator->elevator_merged_fn)
		q->elevator->elevator_merged_fn(q, rq, type);

	if (type == ELEVATOR_BACK_MERGE)
		elv_rqhash_reposition(q, rq);

	q->last_merge = rq;
}

/* elv_merge_requests() - block/elevator.c: next is going away */
void elv_merge_requests(struct request_queue *q, struct request *rq,
			struct request *next)
{
	const bool next_sorted = next->rq_flags & RQF_SORTED;

	if (next_sorted && q->elevator->elevator_merge_req_fn)
		q->elevator->elevator_merge_req_fn(q, rq, next);

	elv_rqhash_reposition(q, rq);

	if (next_sorted) {
		elv_rqhash_del(q, next);
		q->nr_sorted--;
	}

	q->last_merge = rq;
}

/* elv_latter_request() / elv_former_request() - block/elevator.c */
struct request *elv_latter_request(struct request_queue *q,
				   struct request *rq)
{
	if (q->elevator->elevator_latter_req_fn)
		return q->elevator->elevator_latter_req_fn(q, rq);
	return NULL;
}

struct request *elv_former_request(struct request_queue *q,
				   struct request *rq)
{
	if (q->elevator->elevator_former_req_fn)
		return q->elevator->elevator_former_req_fn(q, rq);
	return NULL;
}

/*
 * elv_dispatch_sort() - block/elevator.c: insert rq into the dispatch
 * list in sector order after the last request that may not be passed
 * (the noop elevator's way to the dispatch list).
 */
void elv_dispatch_sort(struct request_queue *q, struct request *rq)
{
	sector_t boundary;
	struct list_head *entry;

	if (q->last_merge == rq)
		q->last_merge = NULL;

	elv_rqhash_del(q, rq);

	q->nr_sorted--;

	boundary = q->end_sector;
	for (entry = q->queue_head.prev; entry != &q->queue_head;
	     entry = entry->prev) {
		struct request *pos = list_entry_rq(entry);

		if (rq->op != pos->op)
			break;
		if (pos->rq_flags & (RQF_STARTED | RQF_SOFTBARRIER))
			break;
		if (blk_rq_pos(rq) >= boundary) {
			if (blk_rq_pos(pos) < boundary)
				continue;
		} else {
			if (blk_rq_pos(pos) >= boundary)
				break;
		}
		if (blk_rq_pos(rq) >= blk_rq_pos(pos))
			break;
	}

	list_add(&rq->queuelist, entry);
}

/*
 * elv_dispatch_add_tail() - block/elevator.c: append rq to the dispatch
 * list (the deadline elevator's way).
 */
void elv_dispatch_add_tail(struct request_queue *q, struct request *rq)
{
	if (q->last_merge == rq)
		q->last_merge = NULL;

	elv_rqhash_del(q, rq);

	q->nr_sorted--;

	q->end_sector = rq_end_sector(rq);
	q->boundary_rq = rq;
	list_add_tail(&rq->queuelist, &q->queue_head);
}

/* elv_drain_elevator() - block/elevator.c */
static void elv_drain_elevator(struct request_queue *q)
{
	while (q->elevator->elevator_dispatch_fn(q, 1))
		;
}

/* __elv_add_request() - block/elevator.c */
void __elv_add_request(struct request_queue *q, struct request *rq,
		       int where)
{
	rq->insert_ns = ev_now();
	trace_block_rq("insert", rq, NULL);

	switch (where) {
	case ELEVATOR_INSERT_BACK:
		rq->rq_flags |= RQF_SOFTBARRIER;
		elv_drain_elevator(q);
		list_add_tail(&rq->queuelist, &q->queue_head);
		/* barriers are scheduling boundary, update end_sector */
		q->end_sector = rq_end_sector(rq);
		q->boundary_rq = rq;
		__blk_run_queue(q);
		break;

	case ELEVATOR_INSERT_SORT_MERGE:
		/*
		 * If we succeed in merging this request with one in the
		 * queue already, we are done - rq has now been freed,
		 * so no need to do anything further.
		 */
		if (elv_attempt_insert_merge(q, rq))
			break;
		/* fall through */
	case ELEVATOR_INSERT_SORT:
		rq->rq_flags |= RQF_SORTED;
		q->nr_sorted++;
		if (rq_mergeable(rq)) {
			elv_rqhash_add(q, rq);
			if (!q->last_merge)
				q->last_merge = rq;
		}
		q->elevator->elevator_add_req_fn(q, rq);
		break;
	}
}

/* elv_activate_rq() - block/elevator.c: the driver sees rq first */
void elv_activate_rq(struct request_queue *q, struct request *rq)
{
	if (q->elevator->elevator_activate_req_fn)
		q->elevator->elevator_activate_req_fn(q, rq);
}

/* elv_completed_request() - block/elevator.c */
void elv_completed_request(struct request_queue *q, struct request *rq)
{
	/*
	 * request is released from the driver, io must be done
	 */
	if (rq->rq_flags & RQF_STARTED) {	/* blk_account_rq() */
		q->in_flight_rq[rq->is_sync]--;
		if ((rq->rq_flags & RQF_SORTED) &&
		    q->elevator->elevator_completed_req_fn)
			q->elevator->elevator_completed_req_fn(q, rq);
	}
}

/* elv_set_request() - block/elevator.c */
int elv_set_request(struct request_queue *q, struct request *rq,
		    struct bio *bio)
{
	if (q->elevator->elevator_set_req_fn)
		return q->elevator->elevator_set_req_fn(q, rq, bio);
	return 0;
}

/* elv_put_request() - block/elevator.c */
void elv_put_request(struct request_queue *q, struct request *rq)
{
	if (q->elevator->elevator_put_req_fn)
		q->elevator->elevator_put_req_fn(rq);
}

/*
 * The sector-sorted trees of the elevators (elv_rb_add() and friends -
 * block/elevator.c): a GSequence ordered by start sector, requests with
 * the same start sector in the order they were added (elv_rb_add() sends
 * equal keys right).
 */
static gint elv_rb_cmp(gconstpointer a, gconstpointer b, gpointer unused)
{
	const struct request *x = a, *y = b;

	(void)unused;
	if (blk_rq_pos(x) != blk_rq_pos(y))
		return blk_rq_pos(x) < blk_rq_pos(y) ? -1 : 1;
	return x->rb_key < y->rb_key ? -1 : x->rb_key > y->rb_key;
}

void elv_rb_init(struct elv_rb_root *root)
{
	root->seq = g_sequence_new(NULL);
	root->next_key = 0;
}

void elv_rb_free(struct elv_rb_root *root)
{
	g_sequence_free(root->seq);
	root->seq = NULL;
}

/* elv_rb_add() - block/elevator.c */
void elv_rb_add(struct elv_rb_root *root, struct request *rq)
{
	rq->rb_key = ++root->next_key;
	rq->rb_node = g_sequence_insert_sorted(root->seq, rq, elv_rb_cmp,
					       NULL);
}

/* elv_rb_del() - block/elevator.c */
void elv_rb_del(struct elv_rb_root *root, struct request *rq)
{
	(void)root;
	g_sequence_remove(rq->rb_node);
	rq->rb_node = NULL;
}

/* elv_rb_find() - block/elevator.c: a request starting at sector */
struct request *elv_rb_find(struct elv_rb_root *root, sector_t sector)
{
	struct request probe = { .__sector = sector, .rb_key = 0 };
	GSequenceIter *it = g_sequence_search(root->seq, &probe, elv_rb_cmp,
					      NULL);
	struct request *rq;

	if (g_sequence_iter_is_end(it))
		return NULL;
	rq = g_sequence_get(it);
	return blk_rq_pos(rq) == sector ? rq : NULL;
}

/* rb_first() of a request tree */
struct request *elv_rb_first(struct elv_rb_root *root)
{
	GSequenceIter *it = g_sequence_get_begin_iter(root->seq);

	return g_sequence_iter_is_end(it) ? NULL : g_sequence_get(it);
}

/* RB_EMPTY_ROOT() of a request tree */
bool elv_rb_empty(const struct elv_rb_root *root)
{
	return g_sequence_is_empty(root->seq);
}

/* rb_next() / rb_prev() of a request in its tree */
struct request *elv_rb_next(struct request *rq)
{
	GSequenceIter *it = g_sequence_iter_next(rq->rb_node);

	return g_sequence_iter_is_end(it) ? NULL : g_sequence_get(it);
}

struct request *elv_rb_prev(struct request *rq)
{
	if (g_sequence_iter_is_begin(rq->rb_node))
		return NULL;
	return g_sequence_get(g_sequence_iter_prev(rq->rb_node));
}

/* elv_rb_latter_request() / elv_rb_former_request() - block/elevator.c */
struct request *elv_rb_latter_request(struct request_queue *q,
				      struct request *rq)
{
	(void)q;
	return elv_rb_next(rq);
}

struct request *elv_rb_former_request(struct request_queue *q,
				      struct request *rq)
{
	(void)q;
	return elv_rb_prev(rq);
}
