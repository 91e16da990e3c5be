/*
 * blk.h - the block layer's internals, shared by its files and nothing
 * else (block/blk.h, include/linux/elevator.h and the request parts of
 * include/linux/blkdev.h in miniature, 4.9 legacy request_fn path).
 *
 *   blk-core.c         submit_bio to a request: splitting, plug and
 *                      elevator merges, the request pool, plugging
 *   blk-merge.c        splitting bios and merging bios and requests
 *                      within the queue limits
 *   elevator.c         the elevator core: merge lookup, insertion, the
 *                      dispatch list
 *   noop-iosched.c     the noop elevator
 *   deadline-iosched.c the deadline elevator
 *   cfq-iosched.c      the CFQ elevator (the default)
 *   blk-driver.c       the driver glue: the request function that hands
 *                      requests to the disk model, completions
 *   brd.c              the bio-based ramdisk's make_request function
 *   blk-trace.c        the block tracepoints
 */
#ifndef MPSIM_BLOCK_BLK_H
#define MPSIM_BLOCK_BLK_H

#include <glib.h>
#include "block/blkdev.h"
#include "include/list.h"
#include "sim/sched.h"

struct disk;
struct disk_completion;

/* rq_flags (RQF_* / the REQ_* request bits of 4.9) */
#define RQF_SORTED	(1u << 0)	/* in the elevator */
#define RQF_STARTED	(1u << 1)	/* seen by the driver */
#define RQF_NOMERGE	(1u << 2)	/* a merge failed the limits */
#define RQF_SOFTBARRIER	(1u << 3)	/* may not be passed (INSERT_BACK) */
#define RQF_HASHED	(1u << 4)	/* on q->hash */

struct request {
	struct list_head queuelist;	/* plug list, elevator FIFO, dispatch
					 * list or in-flight list */
	struct list_head hash;		/* q->hash, while RQF_HASHED */
	struct request_queue *q;
	uint64_t seq;			/* 1, 2, ... in allocation order */
	enum req_op op;
	unsigned cmd_flags;		/* REQ_* of the first bio */
	unsigned rq_flags;		/* RQF_* */
	bool is_sync;			/* request pool class */
	sector_t __sector;
	unsigned __sectors;		/* __data_len >> 9 */
	unsigned nr_phys_segments;
	struct bio *bio, *biotail;	/* the bi_next chain */
	unsigned nr_bios, nr_merges;
	simtime_t start_time;		/* first bio queued (kept the earlier
					 * on a request merge) */
	simtime_t insert_ns, dispatch_ns;
	int errors;			/* the device's: 0 or -EIO ([fault]) */
	/* elevator private */
	simtime_t fifo_time;		/* deadline, cfq: expiry */
	void *rb_node;			/* deadline, cfq: GSequenceIter in
					 * the sector-sorted tree */
	uint64_t rb_key;		/* deadline, cfq: tie order there */
	void *elv_priv[2];		/* cfq: the cfq_queue, the cfq_io_cq
					 * (rq->elv.priv / rq->elv.icq) */
};

static inline sector_t blk_rq_pos(const struct request *rq)
{
	return rq->__sector;
}
static inline unsigned blk_rq_sectors(const struct request *rq)
{
	return rq->__sectors;
}
static inline sector_t rq_end_sector(const struct request *rq)
{
	return rq->__sector + rq->__sectors;
}
/* rq_data_dir / bio_data_dir: 0 read, 1 write */
static inline int rq_data_dir(const struct request *rq)
{
	return rq->op == REQ_OP_WRITE;
}
static inline int bio_data_dir(const struct bio *bio)
{
	return bio->bi_op == REQ_OP_WRITE;
}
static inline struct request *list_entry_rq(struct list_head *l)
{
	return list_entry(l, struct request, queuelist);
}

/* list.h helpers the block layer needs beyond include/list.h */
static inline void list_del_init(struct list_head *entry)
{
	list_del(entry);
	INIT_LIST_HEAD(entry);
}
static inline void list_move(struct list_head *entry, struct list_head *head)
{
	list_del(entry);
	list_add(entry, head);
}

/* elevator merge kinds, insert kinds */
enum {
	ELEVATOR_NO_MERGE,
	ELEVATOR_FRONT_MERGE,
	ELEVATOR_BACK_MERGE,
};
enum {
	ELEVATOR_INSERT_SORT,
	ELEVATOR_INSERT_SORT_MERGE,
	ELEVATOR_INSERT_BACK,
};

/* elv_may_queue() answers - include/linux/elevator.h */
enum {
	ELV_MQUEUE_MAY,
	ELV_MQUEUE_NO,
	ELV_MQUEUE_MUST,
};

/* An elevator's hooks (struct elevator_ops of 4.9, the ones used). */
struct elevator_type {
	const char *elevator_name;
	int (*elevator_merge_fn)(struct request_queue *q, struct request **rq,
				 struct bio *bio);
	void (*elevator_merged_fn)(struct request_queue *q, struct request *rq,
				   int type);
	void (*elevator_merge_req_fn)(struct request_queue *q,
				      struct request *rq,
				      struct request *next);
	int (*elevator_dispatch_fn)(struct request_queue *q, int force);
	void (*elevator_add_req_fn)(struct request_queue *q,
				    struct request *rq);
	struct request *(*elevator_former_req_fn)(struct request_queue *q,
						  struct request *rq);
	struct request *(*elevator_latter_req_fn)(struct request_queue *q,
						  struct request *rq);
	void *(*elevator_init_fn)(struct request_queue *q);
	void (*elevator_exit_fn)(void *data);
	/* optional (NULL: as the kernel's default) */
	int (*elevator_allow_bio_merge_fn)(struct request_queue *q,
					   struct request *rq,
					   struct bio *bio);
	int (*elevator_allow_rq_merge_fn)(struct request_queue *q,
					  struct request *rq,
					  struct request *next);
	void (*elevator_activate_req_fn)(struct request_queue *q,
					 struct request *rq);
	void (*elevator_completed_req_fn)(struct request_queue *q,
					  struct request *rq);
	int (*elevator_set_req_fn)(struct request_queue *q,
				   struct request *rq, struct bio *bio);
	void (*elevator_put_req_fn)(struct request *rq);
	/* elevator_may_queue_fn: ELV_MQUEUE_MAY, _NO or _MUST */
	int (*may_queue)(struct request_queue *q, unsigned int op);
	/* a task's io context goes away (elevator_exit_icq_fn) */
	void (*elevator_exit_icq_fn)(struct request_queue *q,
				     struct task *t);
};

/* A sector-sorted request tree (the elevators' rb_root of requests). */
struct elv_rb_root {
	GSequence *seq;		/* struct request*, by sector, rb_key */
	uint64_t next_key;	/* rb_key source: equal sectors, add order */
};

extern const struct elevator_type elevator_noop;
extern const struct elevator_type elevator_deadline;
extern const struct elevator_type elevator_cfq;

struct queue_limits {
	unsigned max_sectors;
	unsigned max_segments;
};

/* The elevator's back-merge hash: ELV_HASH_BITS - block/elevator.c */
#define ELV_HASH_BITS 6
#define ELV_HASH_SIZE (1u << ELV_HASH_BITS)

struct request_queue {
	struct block_device *bdev;
	struct disk *disk;
	struct list_head queue_head;	/* the dispatch list */
	struct list_head in_flight;	/* started, at the device */
	const struct elevator_type *elevator;
	void *elevator_data;
	/* mergeable requests by end sector, each bucket newest first */
	struct list_head hash[ELV_HASH_SIZE];
	struct request *last_merge;	/* one-hit merge cache */
	struct request *boundary_rq;
	sector_t end_sector;
	unsigned nr_sorted;		/* requests in the elevator */
	struct queue_limits limits;
	unsigned nomerges;		/* 0, 1 (noxmerges), 2 (nomerges) */
	struct blk_options opt;		/* tunables (elevator reads them) */
	unsigned nr_requests;
	/* the request list (struct request_list), per class: async, sync */
	unsigned count[2];		/* allocated requests */
	bool starved[2];		/* refused with none of its class out */
	bool full[2];			/* blk_rl_full(): the class filled */
	bool congested[2];		/* blk_set_congested() state */
	struct wait_queue_head wait[2];	/* tasks waiting for a request */
	unsigned nr_congestion_on, nr_congestion_off;
	unsigned nr_batching;		/* BLK_BATCH_REQ */
	bool run_pending;		/* kblockd run scheduled */
	simtime_t armed_at;		/* earliest armed completion event */
	uint64_t next_rq_seq, next_bio_seq;
	struct blk_stats stats;
	uint64_t nr_faults;		/* requests failed by opt.fault */
	unsigned in_flight_rq[2];	/* q->in_flight[]: started, by sync */
	bool nonrot;			/* QUEUE_FLAG_NONROT */
};

static inline bool blk_queue_nomerges(const struct request_queue *q)
{
	return q->nomerges == 2;
}
static inline bool blk_queue_noxmerges(const struct request_queue *q)
{
	return q->nomerges >= 1;
}

/* blk-merge.c */
struct bio *blk_queue_split(struct request_queue *q, struct bio **bio);
bool rq_mergeable(const struct request *rq);
bool bio_mergeable(const struct bio *bio);
bool blk_rq_merge_ok(struct request *rq, struct bio *bio);
int blk_try_merge(struct request *rq, struct bio *bio);
bool bio_attempt_back_merge(struct request_queue *q, struct request *req,
			    struct bio *bio);
bool bio_attempt_front_merge(struct request_queue *q, struct request *req,
			     struct bio *bio);
int attempt_back_merge(struct request_queue *q, struct request *rq);
int attempt_front_merge(struct request_queue *q, struct request *rq);
int blk_attempt_req_merge(struct request_queue *q, struct request *rq,
			  struct request *next);

/* elevator.c */
void elevator_init(struct request_queue *q);
void elevator_exit(struct request_queue *q);
int elv_merge(struct request_queue *q, struct request **req,
	      struct bio *bio);
void elv_merged_request(struct request_queue *q, struct request *rq,
			int type);
void elv_merge_requests(struct request_queue *q, struct request *rq,
			struct request *next);
bool elv_attempt_insert_merge(struct request_queue *q, struct request *rq);
void __elv_add_request(struct request_queue *q, struct request *rq,
		       int where);
void elv_dispatch_sort(struct request_queue *q, struct request *rq);
void elv_dispatch_add_tail(struct request_queue *q, struct request *rq);
struct request *elv_latter_request(struct request_queue *q,
				   struct request *rq);
struct request *elv_former_request(struct request_queue *q,
				   struct request *rq);
void elv_rqhash_del(struct request_queue *q, struct request *rq);
bool elv_bio_merge_ok(struct request *rq, struct bio *bio);
void elv_activate_rq(struct request_queue *q, struct request *rq);
void elv_completed_request(struct request_queue *q, struct request *rq);
int elv_set_request(struct request_queue *q, struct request *rq,
		    struct bio *bio);
void elv_put_request(struct request_queue *q, struct request *rq);
int elv_may_queue(struct request_queue *q, unsigned int op);
void elv_rb_init(struct elv_rb_root *root);
void elv_rb_free(struct elv_rb_root *root);
void elv_rb_add(struct elv_rb_root *root, struct request *rq);
void elv_rb_del(struct elv_rb_root *root, struct request *rq);
struct request *elv_rb_find(struct elv_rb_root *root, sector_t sector);
struct request *elv_rb_first(struct elv_rb_root *root);
bool elv_rb_empty(const struct elv_rb_root *root);
struct request *elv_rb_next(struct request *rq);
struct request *elv_rb_prev(struct request *rq);
struct request *elv_rb_former_request(struct request_queue *q,
				      struct request *rq);
struct request *elv_rb_latter_request(struct request_queue *q,
				      struct request *rq);

/* blk-core.c */
void __blk_put_request(struct request_queue *q, struct request *rq);
void blk_run_queue_async(struct request_queue *q);

void blk_end_bio_now(struct bio *bio, int error);

/* brd.c */
void brd_make_request(struct request_queue *q, struct bio *bio);

/* blk-driver.c */
struct request *blk_peek_request(struct request_queue *q);
void __blk_run_queue(struct request_queue *q);
void blk_driver_free(struct request_queue *q);

/* blk-trace.c */
void trace_block_bio_queue(const struct bio *bio, const char *action,
			   uint64_t parent);
void trace_block_rq(const char *action, const struct request *rq,
		    const struct disk_completion *c);
void trace_block_plug(const struct request *rq, unsigned count);
void trace_block_unplug(unsigned depth, const char *reason);
void trace_block_merge(const struct request *rq, unsigned sectors,
		       const char *reason);
void trace_block_bio_merge(const struct request *rq, const struct bio *bio,
			   const char *reason);
void trace_block_sleeprq(const struct bio *bio);
void trace_block_congestion(bool on, bool sync, unsigned count);

#endif /* MPSIM_BLOCK_BLK_H */
