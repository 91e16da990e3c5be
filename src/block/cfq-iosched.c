/*
 * cfq-iosched.c - the CFQ elevator (block/cfq-iosched.c, 4.9), built as a
 * kernel without CONFIG_CFQ_GROUP_IOSCHED: one root group, no blkcg
 * weights, group_idle 0 unless set.  The default elevator, as 4.9's
 * Kconfig makes it.
 *
 * Every task has an io context (a cfq_io_cq, found by task id; code
 * running outside a task uses the one of "task 0").  Its sync requests
 * (reads, REQ_SYNC writes) go to its own sync cfq_queue; its async writes
 * to a queue shared by every task of the same priority class and level.
 * Busy queues wait on service trees, one per class (RT, BE, IDLE) and,
 * for RT and BE, per workload type (sync, sync-noidle, async), ordered by
 * a key of simulated time.  cfq_select_queue() keeps one queue active for
 * its time slice (slice_sync / slice_async scaled by the priority level,
 * and with low_latency by the number of busy queues against
 * target_latency); when the active queue runs dry it idles for slice_idle
 * waiting for its task's next request (an event of the simulation, the
 * kernel's hrtimer) unless the task thinks too long or seeks.  Within a
 * queue, requests are taken in sector order from the last position
 * (cfq_choose_req: back seeks up to back_seek_max at back_seek_penalty
 * times the cost) except that once a slice an expired fifo request goes
 * first.  Requests reach the dispatch list through elv_dispatch_sort().
 * Merges go through the common elevator code (elevator.c) with cfq's
 * front-merge lookup in the task's own queue and its rule that a bio or
 * request merges only within its own cfq_queue.
 *
 * Times are nanoseconds as in 4.9 (ktime_get_ns() reads the simulated
 * clock, offset by one second so that no time is 0, which 4.9 uses for
 * "not set"), and the rules 4.9 keeps in jiffies use `[kernel] hz`
 * (src/sim/jiffies.h): the last delayed sync request, CFQ_MIN_TT and one
 * jiffy of slice.
 *
 * Left out: blkcg groups and their weights (the group service tree holds
 * the root group alone), the oom queue (allocation never fails), iops
 * mode only as 4.9 derives it.  The queue-proximity tree (prio_trees) is
 * a sorted sequence: where an rbtree search for a sector ends depends on
 * the tree's shape, so of the two queues around the sector cfqq_close()
 * looks at the one before it first.
 *
 * Decisions are trace notes named after 4.9's cfq_log messages (docs/
 * block-layer.md lists them).
 */
#include "block/blk.h"

#include <glib.h>
#include "sim/jiffies.h"
#include "trace/trace.h"

typedef uint64_t u64;
typedef int64_t s64;

#define NSEC_PER_SEC	1000000000ULL
#define NSEC_PER_USEC	1000ULL
#define PAGE_BYTES	4096u

/* include/linux/ioprio.h */
#define IOPRIO_CLASS_SHIFT	13
#define IOPRIO_PRIO_CLASS(m)	((m) >> IOPRIO_CLASS_SHIFT)
#define IOPRIO_PRIO_DATA(m)	((m) & ((1u << IOPRIO_CLASS_SHIFT) - 1))
enum { IOPRIO_CLASS_NONE, IOPRIO_CLASS_RT, IOPRIO_CLASS_BE,
       IOPRIO_CLASS_IDLE };
#define IOPRIO_BE_NR	8
#define IOPRIO_NORM	4
#define ioprio_valid(m)	(IOPRIO_PRIO_CLASS(m) != IOPRIO_CLASS_NONE)

static const int cfq_hist_divisor = 4;

/* offset from end of queue service tree for idle class */
#define CFQ_IDLE_DELAY		(NSEC_PER_SEC / 5)
/* below this threshold, we consider thinktime immediate */
#define CFQ_MIN_TT		(2 * NSEC_PER_SEC / HZ)
#define CFQ_SLICE_SCALE		(5)
#define CFQ_HW_QUEUE_MIN	(5)
#define CFQ_SERVICE_SHIFT	12

#define CFQQ_SEEK_THR		(sector_t)(8 * 100)
#define CFQQ_CLOSE_THR		(sector_t)(8 * 1024)
#define CFQQ_SECT_THR_NONROT	(sector_t)(2 * 32)
#define CFQQ_SEEKY(cfqq)	(__builtin_popcount((cfqq)->seek_history) > \
				 32 / 8)

#define CFQ_PRIO_LISTS		IOPRIO_BE_NR
#define cfq_class_idle(cfqq)	((cfqq)->ioprio_class == IOPRIO_CLASS_IDLE)
#define cfq_class_rt(cfqq)	((cfqq)->ioprio_class == IOPRIO_CLASS_RT)

#define sample_valid(samples)	((samples) > 80)

/* the root group's weights: 2 * CFQ_WEIGHT_LEGACY_DFL */
#define CFQ_ROOT_WEIGHT		1000

struct cfq_ttime {
	u64 last_end_request;
	u64 ttime_total;
	u64 ttime_mean;
	unsigned long ttime_samples;
};

/* A service tree: queues by rb_key, equal keys in insertion order. */
struct cfq_rb_root {
	GSequence *rb;		/* struct cfq_queue*, by rb_key, rb_seq */
	unsigned count;
	u64 min_vdisktime;
	struct cfq_ttime ttime;
};

struct cfq_data;
struct cfq_group;

/* Per process-grouping structure */
struct cfq_queue {
	/* reference count */
	int ref;
	/* various state flags, see below */
	unsigned int flags;
	/* parent cfq_data */
	struct cfq_data *cfqd;
	/* service_tree member (NULL: RB_EMPTY_NODE) */
	GSequenceIter *rb_node;
	/* service_tree key, and the order of equal keys */
	u64 rb_key;
	uint64_t rb_seq;
	/* prio tree member, and the tree we belong to, if any */
	GSequenceIter *p_node;
	GSequence *p_root;
	/* sorted list of pending requests */
	struct elv_rb_root sort_list;
	/* if fifo isn't expired, next request to serve */
	struct request *next_rq;
	/* requests queued in sort_list */
	int queued[2];
	/* currently allocated requests */
	int allocated[2];
	/* fifo list of requests in sort_list */
	struct list_head fifo;

	/* time when queue got scheduled in to dispatch first request. */
	u64 dispatch_start;
	u64 allocated_slice;
	u64 slice_dispatch;
	/* time when first request from queue completed and slice started. */
	u64 slice_start;
	u64 slice_end;
	s64 slice_resid;

	/* pending priority requests */
	int prio_pending;
	/* number of requests that are on the dispatch list or inside driver */
	int dispatched;

	/* io prio of this group */
	unsigned short ioprio, org_ioprio;
	unsigned short ioprio_class, org_ioprio_class;

	int pid;		/* the task that made it (0: none) */
	const char *name;	/* its name, for the trace (NULL: async) */

	uint32_t seek_history;
	sector_t last_request_pos;

	struct cfq_rb_root *service_tree;
	struct cfq_queue *new_cfqq;
	struct cfq_group *cfqg;
	/* Number of sectors dispatched from queue in single dispatch round */
	unsigned long nr_sectors;
};

/* First index in the service_trees. */
enum wl_class_t {
	BE_WORKLOAD = 0,
	RT_WORKLOAD = 1,
	IDLE_WORKLOAD = 2,
	CFQ_PRIO_NR,
};

/* Second index in the service_trees. */
enum wl_type_t {
	ASYNC_WORKLOAD = 0,
	SYNC_NOIDLE_WORKLOAD = 1,
	SYNC_WORKLOAD = 2
};

/* The root group, the only one without CONFIG_CFQ_GROUP_IOSCHED. */
struct cfq_group {
	bool on_st;		/* on the group service tree */
	u64 vdisktime;
	int nr_active;
	unsigned int children_weight;
	unsigned int vfraction;
	unsigned int weight;
	unsigned int leaf_weight;
	/* number of cfqq currently on this group */
	int nr_cfqq;
	unsigned int busy_queues_avg[CFQ_PRIO_NR];
	struct cfq_rb_root service_trees[2][3];
	struct cfq_rb_root service_tree_idle;

	u64 saved_wl_slice;
	enum wl_type_t saved_wl_type;
	enum wl_class_t saved_wl_class;

	/* number of requests that are on the dispatch list or inside driver */
	int dispatched;
	struct cfq_ttime ttime;

	/* async queue for each priority case */
	struct cfq_queue *async_cfqq[2][IOPRIO_BE_NR];
	struct cfq_queue *async_idle_cfqq;
};

/* A task's io context on this queue (struct cfq_io_cq, with its ioc). */
struct cfq_io_cq {
	int task;		/* task id (0: outside any task) */
	char *name;
	bool active;		/* ioc->active_ref: the task runs */
	struct cfq_queue *cfqq[2];
	struct cfq_ttime ttime;
	int ioprio;		/* the current ioprio */
};

/* Per block device queue structure */
struct cfq_data {
	struct request_queue *queue;
	struct cfq_group *root_group;

	/* The priority currently being served */
	enum wl_class_t serving_wl_class;
	enum wl_type_t serving_wl_type;
	u64 workload_expires;
	struct cfq_group *serving_group;

	/*
	 * Each priority tree is sorted by next_request position.  These
	 * trees are used when determining if two or more queues are
	 * interleaving requests (see cfq_close_cooperator).
	 */
	GSequence *prio_trees[CFQ_PRIO_LISTS];

	unsigned int busy_queues;
	unsigned int busy_sync_queues;

	int rq_in_driver;
	int rq_in_flight[2];

	/* queue-depth detection */
	int rq_queued;
	int hw_tag;
	int hw_tag_est_depth;
	unsigned int hw_tag_samples;

	/* idle window management: the idle_slice_timer as an event */
	bool idle_timer_active;		/* hrtimer_active() */
	simtime_t idle_timer_expires;

	struct cfq_queue *active_queue;
	struct cfq_io_cq *active_cic;

	sector_t last_position;

	/* tunables, see blk_cfq_options */
	unsigned int cfq_quantum;
	unsigned int cfq_back_penalty;
	unsigned int cfq_back_max;
	unsigned int cfq_slice_async_rq;
	unsigned int cfq_latency;
	u64 cfq_fifo_expire[2];
	u64 cfq_slice[2];
	u64 cfq_slice_idle;
	u64 cfq_group_idle;
	u64 cfq_target_latency;

	u64 last_delayed_sync;

	/* mpsim: the io contexts by task id, every queue, the trace */
	GHashTable *cics;
	struct cfq_io_cq *icq_hint;	/* the last found (ioc->icq_hint) */
	GPtrArray *queues;
	uint64_t next_rb_seq;
	const char *expire_why;		/* why the next slice expires */
};

enum cfqq_state_flags {
	CFQ_CFQQ_FLAG_on_rr = 0,	/* on round-robin busy list */
	CFQ_CFQQ_FLAG_wait_request,	/* waiting for a request */
	CFQ_CFQQ_FLAG_must_dispatch,	/* must be allowed a dispatch */
	CFQ_CFQQ_FLAG_must_alloc_slice,	/* per-slice must_alloc flag */
	CFQ_CFQQ_FLAG_fifo_expire,	/* FIFO checked in this slice */
	CFQ_CFQQ_FLAG_idle_window,	/* slice idling enabled */
	CFQ_CFQQ_FLAG_prio_changed,	/* task priority has changed */
	CFQ_CFQQ_FLAG_slice_new,	/* no requests dispatched in slice */
	CFQ_CFQQ_FLAG_sync,		/* synchronous queue */
	CFQ_CFQQ_FLAG_coop,		/* cfqq is shared */
	CFQ_CFQQ_FLAG_split_coop,	/* shared cfqq will be splitted */
	CFQ_CFQQ_FLAG_deep,		/* sync cfqq had a large depth */
	CFQ_CFQQ_FLAG_wait_busy,	/* Waiting for next request */
};

#define CFQ_CFQQ_FNS(name)						\
static inline void cfq_mark_cfqq_##name(struct cfq_queue *cfqq)		\
{									\
	(cfqq)->flags |= (1u << CFQ_CFQQ_FLAG_##name);			\
}									\
static inline void cfq_clear_cfqq_##name(struct cfq_queue *cfqq)	\
{									\
	(cfqq)->flags &= ~(1u << CFQ_CFQQ_FLAG_##name);			\
}									\
static inline int cfq_cfqq_##name(const struct cfq_queue *cfqq)		\
{									\
	return ((cfqq)->flags & (1u << CFQ_CFQQ_FLAG_##name)) != 0;	\
}

CFQ_CFQQ_FNS(on_rr)
CFQ_CFQQ_FNS(wait_request)
CFQ_CFQQ_FNS(must_dispatch)
CFQ_CFQQ_FNS(must_alloc_slice)
CFQ_CFQQ_FNS(fifo_expire)
CFQ_CFQQ_FNS(idle_window)
CFQ_CFQQ_FNS(prio_changed)
CFQ_CFQQ_FNS(slice_new)
CFQ_CFQQ_FNS(sync)
CFQ_CFQQ_FNS(coop)
CFQ_CFQQ_FNS(split_coop)
CFQ_CFQQ_FNS(deep)
CFQ_CFQQ_FNS(wait_busy)
#undef CFQ_CFQQ_FNS

#define RQ_CFQQ(rq)	((struct cfq_queue *)((rq)->elv_priv[0]))
#define RQ_CIC(rq)	((struct cfq_io_cq *)((rq)->elv_priv[1]))

#define rq_is_sync(rq)	((rq)->is_sync)

static void cfq_put_queue(struct cfq_queue *cfqq);

/* ---- time: ktime_get_ns() and 4.9's jiffy rules ---- */

/* ktime_get_ns(): the simulated clock, one second after "boot" */
static u64 ktime_get_ns(void)
{
	return (u64)ev_now() + NSEC_PER_SEC;
}

/* jiffies_to_nsecs() - include/linux/jiffies.h (via jiffies_to_usecs) */
static u64 jiffies_to_nsecs(u64 j)
{
	return j * 1000000ULL / HZ * NSEC_PER_USEC;
}

static u64 min_u64(u64 a, u64 b)
{
	return a < b ? a : b;
}

static u64 max_u64(u64 a, u64 b)
{
	return a > b ? a : b;
}

/* ---- the trace: cfq_log() ---- */

static const char *const class_names[] = { "be", "rt", "idle" };
static const char *const type_names[] = { "async", "sync-noidle", "sync" };

static enum wl_class_t cfqq_class(struct cfq_queue *cfqq);
static enum wl_type_t cfqq_type(struct cfq_queue *cfqq);

/* The class and workload of a queue, "be-sync" ... "idle". */
static const char *cfqq_wl_name(struct cfq_queue *cfqq, char *buf,
				size_t len)
{
	if (cfqq_class(cfqq) == IDLE_WORKLOAD)
		return "idle";
	g_snprintf(buf, len, "%s-%s", class_names[cfqq_class(cfqq)],
		   type_names[cfqq_type(cfqq)]);
	return buf;
}

/*
 * cfq_log_cfqq(): a note naming the queue's task (none for the shared
 * async queues), the queue's class and workload (or `reason` when given)
 * and a value.
 */
static void cfq_log_cfqq(struct cfq_data *cfqd, struct cfq_queue *cfqq,
			 const char *action, const char *reason,
			 int64_t value)
{
	struct trace_note n;
	char buf[32];

	(void)cfqd;
	if (!trace_enabled())
		return;
	n = trace_note_init();
	n.task = cfqq ? cfqq->pid : 0;
	n.task_name = cfqq ? cfqq->name : NULL;
	n.reason = reason ? reason :
		   cfqq ? cfqq_wl_name(cfqq, buf, sizeof(buf)) : NULL;
	n.value = value;
	trace_note(action, &n);
}

/* cfq_log(): a note about the scheduler as a whole */
static void cfq_log(struct cfq_data *cfqd, const char *action,
		    const char *reason, int64_t value)
{
	cfq_log_cfqq(cfqd, NULL, action, reason, value);
}

/* ---- service trees ---- */

static struct cfq_rb_root *st_for(struct cfq_group *cfqg,
				  enum wl_class_t class, enum wl_type_t type)
{
	if (!cfqg)
		return NULL;

	if (class == IDLE_WORKLOAD)
		return &cfqg->service_tree_idle;

	return &cfqg->service_trees[class][type];
}

#define for_each_cfqg_st(cfqg, i, j, st)				\
	for (i = 0; i <= IDLE_WORKLOAD; i++)				\
		for (j = 0, st = i < IDLE_WORKLOAD ?			\
			&cfqg->service_trees[i][j] :			\
			&cfqg->service_tree_idle;			\
		     (i < IDLE_WORKLOAD && j <= SYNC_WORKLOAD) ||	\
		     (i == IDLE_WORKLOAD && j == 0);			\
		     j++, st = i < IDLE_WORKLOAD && j <= SYNC_WORKLOAD ? \
			&cfqg->service_trees[i][j] : NULL)

static inline bool cfq_io_thinktime_big(struct cfq_data *cfqd,
					struct cfq_ttime *ttime,
					bool group_idle)
{
	u64 slice;

	if (!sample_valid(ttime->ttime_samples))
		return false;
	if (group_idle)
		slice = cfqd->cfq_group_idle;
	else
		slice = cfqd->cfq_slice_idle;
	return ttime->ttime_mean > slice;
}

/* iops_mode() - block/cfq-iosched.c */
static inline bool iops_mode(struct cfq_data *cfqd)
{
	/*
	 * If we are not idling on queues and it is a NCQ drive, parallel
	 * execution of requests is on and measuring time is not possible
	 * in most of the cases until and unless we drive shallower queue
	 * depths and that becomes a performance bottleneck. In such cases
	 * switch to start providing fairness in terms of number of IOs.
	 */
	return !cfqd->cfq_slice_idle && cfqd->hw_tag;
}

/* cfqq_class() - block/cfq-iosched.c */
static enum wl_class_t cfqq_class(struct cfq_queue *cfqq)
{
	if (cfq_class_idle(cfqq))
		return IDLE_WORKLOAD;
	if (cfq_class_rt(cfqq))
		return RT_WORKLOAD;
	return BE_WORKLOAD;
}

/* cfqq_type() - block/cfq-iosched.c */
static enum wl_type_t cfqq_type(struct cfq_queue *cfqq)
{
	if (!cfq_cfqq_sync(cfqq))
		return ASYNC_WORKLOAD;
	if (!cfq_cfqq_idle_window(cfqq))
		return SYNC_NOIDLE_WORKLOAD;
	return SYNC_WORKLOAD;
}

/* cfq_group_busy_queues_wl() - block/cfq-iosched.c */
static inline int cfq_group_busy_queues_wl(enum wl_class_t wl_class,
					   struct cfq_data *cfqd,
					   struct cfq_group *cfqg)
{
	(void)cfqd;
	if (wl_class == IDLE_WORKLOAD)
		return (int)cfqg->service_tree_idle.count;

	return (int)(cfqg->service_trees[wl_class][ASYNC_WORKLOAD].count +
		     cfqg->service_trees[wl_class][SYNC_NOIDLE_WORKLOAD].count +
		     cfqg->service_trees[wl_class][SYNC_WORKLOAD].count);
}

/* cfqg_busy_async_queues() - block/cfq-iosched.c */
static inline int cfqg_busy_async_queues(struct cfq_data *cfqd,
					 struct cfq_group *cfqg)
{
	(void)cfqd;
	return (int)(cfqg->service_trees[RT_WORKLOAD][ASYNC_WORKLOAD].count +
		     cfqg->service_trees[BE_WORKLOAD][ASYNC_WORKLOAD].count);
}

static inline struct cfq_queue *cic_to_cfqq(struct cfq_io_cq *cic,
					    bool is_sync)
{
	return cic->cfqq[is_sync];
}

static inline void cic_set_cfqq(struct cfq_io_cq *cic,
				struct cfq_queue *cfqq, bool is_sync)
{
	cic->cfqq[is_sync] = cfqq;
}

/*
 * The io context of a task, if it has one here (no merges without one):
 * ioc_lookup_icq(), the last one found tried first (ioc->icq_hint; an
 * io context lives as long as the queue).
 */
static struct cfq_io_cq *cfq_cic_find(struct cfq_data *cfqd,
				      struct task *tsk)
{
	int id = tsk ? tsk->id : 0;
	struct cfq_io_cq *cic = cfqd->icq_hint;

	if (cic && cic->task == id)
		return cic;
	cic = g_hash_table_lookup(cfqd->cics, GINT_TO_POINTER(id));
	if (cic)
		cfqd->icq_hint = cic;
	return cic;
}

/*
 * cfq_cic_lookup() - block/cfq-iosched.c: the io context of a task (0:
 * code outside any task), made on first use as ioc_create_icq() does
 * (with cfq_init_icq()).
 */
static struct cfq_io_cq *cfq_cic_lookup(struct cfq_data *cfqd,
					struct task *tsk)
{
	int id = tsk ? tsk->id : 0;
	struct cfq_io_cq *cic = cfq_cic_find(cfqd, tsk);

	if (!cic) {
		cic = g_new0(struct cfq_io_cq, 1);
		cic->task = id;
		cic->name = g_strdup(tsk ? tsk->name : NULL);
		cic->active = true;
		cic->ioprio = tsk ? tsk->ioprio : 0;
		/* cfq_init_icq() */
		cic->ttime.last_end_request = ktime_get_ns();
		g_hash_table_insert(cfqd->cics, GINT_TO_POINTER(id), cic);
	}
	return cic;
}

/*
 * We regard a request as SYNC, if it's either a read or has the SYNC bit
 * set (in which case it could also be direct WRITE).
 */
static inline bool cfq_bio_sync(struct bio *bio)
{
	return bio_data_dir(bio) == 0 || (bio->bi_opf & REQ_SYNC);
}

/*
 * scheduler run of queue, if there are requests pending and no one in the
 * driver that will restart queueing (cfq_schedule_dispatch(): kblockd)
 */
static inline void cfq_schedule_dispatch(struct cfq_data *cfqd)
{
	if (cfqd->busy_queues)
		blk_run_queue_async(cfqd->queue);
}

/*
 * cfq_prio_slice() - block/cfq-iosched.c: scale schedule slice based on
 * io priority.
 */
static inline u64 cfq_prio_slice(struct cfq_data *cfqd, bool sync,
				 unsigned short prio)
{
	u64 base_slice = cfqd->cfq_slice[sync];
	u64 slice = base_slice / CFQ_SLICE_SCALE;

	return base_slice + (slice * (u64)(4 - (int)prio));
}

/* cfq_prio_to_slice() - block/cfq-iosched.c */
static inline u64 cfq_prio_to_slice(struct cfq_data *cfqd,
				    struct cfq_queue *cfqq)
{
	return cfq_prio_slice(cfqd, cfq_cfqq_sync(cfqq), cfqq->ioprio);
}

/*
 * cfq_group_get_avg_queues() - block/cfq-iosched.c: averaged number of
 * queues of RT/BE priority, following increases quickly and decreases
 * slowly.
 */
static inline unsigned cfq_group_get_avg_queues(struct cfq_data *cfqd,
						struct cfq_group *cfqg,
						bool rt)
{
	unsigned min_q, max_q;
	unsigned mult = (unsigned)cfq_hist_divisor - 1;
	unsigned round = (unsigned)cfq_hist_divisor / 2;
	unsigned busy = (unsigned)cfq_group_busy_queues_wl(rt, cfqd, cfqg);

	min_q = MIN(cfqg->busy_queues_avg[rt], busy);
	max_q = MAX(cfqg->busy_queues_avg[rt], busy);
	cfqg->busy_queues_avg[rt] = (mult * max_q + min_q + round) /
		(unsigned)cfq_hist_divisor;
	return cfqg->busy_queues_avg[rt];
}

/* cfq_group_slice() - block/cfq-iosched.c */
static inline u64 cfq_group_slice(struct cfq_data *cfqd,
				  struct cfq_group *cfqg)
{
	return cfqd->cfq_target_latency * cfqg->vfraction >> CFQ_SERVICE_SHIFT;
}

/* cfq_scaled_cfqq_slice() - block/cfq-iosched.c */
static inline u64 cfq_scaled_cfqq_slice(struct cfq_data *cfqd,
					struct cfq_queue *cfqq)
{
	u64 slice = cfq_prio_to_slice(cfqd, cfqq);

	if (cfqd->cfq_latency) {
		/*
		 * interested queues (we consider only the ones with the same
		 * priority class in the cfq group)
		 */
		unsigned iq = cfq_group_get_avg_queues(cfqd, cfqq->cfqg,
						       cfq_class_rt(cfqq));
		u64 sync_slice = cfqd->cfq_slice[1];
		u64 expect_latency = sync_slice * iq;
		u64 group_slice = cfq_group_slice(cfqd, cfqq->cfqg);

		if (expect_latency > group_slice) {
			u64 base_low_slice = 2 * cfqd->cfq_slice_idle;
			u64 low_slice;

			/* scale low_slice according to IO priority
			 * and sync vs async */
			low_slice = base_low_slice * slice / sync_slice;
			low_slice = min_u64(slice, low_slice);
			/* the adapted slice value is scaled to fit all iqs
			 * into the target latency */
			slice = slice * group_slice / expect_latency;
			slice = max_u64(slice, low_slice);
		}
	}
	return slice;
}

/* cfq_set_prio_slice() - block/cfq-iosched.c */
static inline void cfq_set_prio_slice(struct cfq_data *cfqd,
				      struct cfq_queue *cfqq)
{
	u64 slice = cfq_scaled_cfqq_slice(cfqd, cfqq);
	u64 now = ktime_get_ns();

	cfqq->slice_start = now;
	cfqq->slice_end = now + slice;
	cfqq->allocated_slice = slice;
	cfq_log_cfqq(cfqd, cfqq, "cfq_set_slice", NULL,
		     (int64_t)(cfqq->slice_end - now));
}

/*
 * cfq_slice_used() - block/cfq-iosched.c: ->slice_end isn't valid until
 * the first request from the dispatch is activated and the slice time
 * set.
 */
static inline bool cfq_slice_used(struct cfq_queue *cfqq)
{
	if (cfq_cfqq_slice_new(cfqq))
		return false;
	if (ktime_get_ns() < cfqq->slice_end)
		return false;

	return true;
}

/*
 * cfq_choose_req() - block/cfq-iosched.c: lifted from AS - choose which
 * of rq1 and rq2 that is best served now.  We choose the request that is
 * closest to the head right now. Distance behind the head is penalized
 * and only allowed to a certain extent.
 */
static struct request *cfq_choose_req(struct cfq_data *cfqd,
				      struct request *rq1,
				      struct request *rq2, sector_t last)
{
	sector_t s1, s2, d1 = 0, d2 = 0;
	unsigned long back_max;
#define CFQ_RQ1_WRAP	0x01 /* request 1 wraps */
#define CFQ_RQ2_WRAP	0x02 /* request 2 wraps */
	unsigned wrap = 0; /* bit mask: requests behind the disk head? */

	if (rq1 == NULL || rq1 == rq2)
		return rq2;
	if (rq2 == NULL)
		return rq1;

	if (rq_is_sync(rq1) != rq_is_sync(rq2))
		return rq_is_sync(rq1) ? rq1 : rq2;

	if ((rq1->cmd_flags ^ rq2->cmd_flags) & REQ_PRIO)
		return rq1->cmd_flags & REQ_PRIO ? rq1 : rq2;

	s1 = blk_rq_pos(rq1);
	s2 = blk_rq_pos(rq2);

	/*
	 * by definition, 1KiB is 2 sectors
	 */
	back_max = cfqd->cfq_back_max * 2;

	/*
	 * Strict one way elevator _except_ in the case where we allow
	 * short backward seeks which are biased as twice the cost of a
	 * similar forward seek.
	 */
	if (s1 >= last)
		d1 = s1 - last;
	else if (s1 + back_max >= last)
		d1 = (last - s1) * cfqd->cfq_back_penalty;
	else
		wrap |= CFQ_RQ1_WRAP;

	if (s2 >= last)
		d2 = s2 - last;
	else if (s2 + back_max >= last)
		d2 = (last - s2) * cfqd->cfq_back_penalty;
	else
		wrap |= CFQ_RQ2_WRAP;

	/* Found required data */

	/*
	 * By doing switch() on the bit mask "wrap" we avoid having to
	 * check two variables for all permutations: --> faster!
	 */
	switch (wrap) {
	case 0: /* common case for CFQ: rq1 and rq2 not wrapped */
		if (d1 < d2)
			return rq1;
		else if (d2 < d1)
			return rq2;
		else {
			if (s1 >= s2)
				return rq1;
			else
				return rq2;
		}

	case CFQ_RQ2_WRAP:
		return rq1;
	case CFQ_RQ1_WRAP:
		return rq2;
	case (CFQ_RQ1_WRAP|CFQ_RQ2_WRAP): /* both rqs wrapped */
	default:
		/*
		 * Since both rqs are wrapped,
		 * start with the one that's further behind head
		 * (--> only *one* back seek required),
		 * since back seek takes more time than forward.
		 */
		if (s1 <= s2)
			return rq1;
		else
			return rq2;
	}
#undef CFQ_RQ1_WRAP
#undef CFQ_RQ2_WRAP
}

/* ---- the service trees as sorted sequences ---- */

static gint st_cmp(gconstpointer a, gconstpointer b, gpointer unused)
{
	const struct cfq_queue *x = a, *y = b;

	(void)unused;
	if (x->rb_key != y->rb_key)
		return x->rb_key < y->rb_key ? -1 : 1;
	return x->rb_seq < y->rb_seq ? -1 : x->rb_seq > y->rb_seq;
}

static void cfq_rb_root_init(struct cfq_rb_root *st)
{
	/* CFQ_RB_ROOT */
	st->rb = g_sequence_new(NULL);
	st->count = 0;
	st->min_vdisktime = 0;
	st->ttime = (struct cfq_ttime){ .last_end_request = ktime_get_ns() };
}

/* cfq_rb_first() - block/cfq-iosched.c: the leftmost queue */
static struct cfq_queue *cfq_rb_first(struct cfq_rb_root *root)
{
	GSequenceIter *it;

	/* Service tree is empty */
	if (!root->count)
		return NULL;
	it = g_sequence_get_begin_iter(root->rb);
	return g_sequence_iter_is_end(it) ? NULL : g_sequence_get(it);
}

/* cfq_rb_last(): rb_last() of a service tree */
static struct cfq_queue *cfq_rb_last(struct cfq_rb_root *root)
{
	GSequenceIter *it = g_sequence_get_end_iter(root->rb);

	if (g_sequence_iter_is_begin(it))
		return NULL;
	return g_sequence_get(g_sequence_iter_prev(it));
}

/* cfq_rb_erase() - block/cfq-iosched.c */
static void cfq_rb_erase(struct cfq_queue *cfqq, struct cfq_rb_root *root)
{
	g_sequence_remove(cfqq->rb_node);
	cfqq->rb_node = NULL;
	--root->count;
}

/*
 * cfq_find_next_rq() - block/cfq-iosched.c: would be nice to take fifo
 * expire time into account as well
 */
static struct request *cfq_find_next_rq(struct cfq_data *cfqd,
					struct cfq_queue *cfqq,
					struct request *last)
{
	struct request *next = elv_rb_next(last);
	struct request *prev = elv_rb_prev(last);

	if (!next) {
		struct request *first = elv_rb_first(&cfqq->sort_list);

		if (first && first != last)
			next = first;
	}

	return cfq_choose_req(cfqd, next, prev, blk_rq_pos(last));
}

/* cfq_slice_offset() - block/cfq-iosched.c: just an approximation */
static u64 cfq_slice_offset(struct cfq_data *cfqd, struct cfq_queue *cfqq)
{
	return (u64)(cfqq->cfqg->nr_cfqq - 1) *
	       (cfq_prio_slice(cfqd, 1, 0) -
		cfq_prio_slice(cfqd, cfq_cfqq_sync(cfqq), cfqq->ioprio));
}

/*
 * cfq_group_service_tree_add() - block/cfq-iosched.c, for the root group
 * alone: it owns the whole vfraction while it is active.
 */
static void cfq_group_service_tree_add(struct cfq_group *cfqg)
{
	unsigned int vfr = 1 << CFQ_SERVICE_SHIFT;	/* start with 1 */

	cfqg->on_st = true;
	cfqg->nr_active++;
	cfqg->children_weight += cfqg->leaf_weight;
	vfr = vfr * cfqg->leaf_weight / cfqg->children_weight;
	cfqg->vfraction = MAX(vfr, 1u);
}

/* cfq_group_service_tree_del() - block/cfq-iosched.c */
static void cfq_group_service_tree_del(struct cfq_group *cfqg)
{
	if (!--cfqg->nr_active)
		cfqg->vfraction = 0;
	cfqg->children_weight -= cfqg->leaf_weight;
	cfqg->on_st = false;
}

/* cfq_group_notify_queue_add() - block/cfq-iosched.c */
static void cfq_group_notify_queue_add(struct cfq_data *cfqd,
				       struct cfq_group *cfqg)
{
	(void)cfqd;
	cfqg->nr_cfqq++;
	if (cfqg->on_st)
		return;
	/* the group service tree is empty: vdisktime = min_vdisktime */
	cfq_group_service_tree_add(cfqg);
}

/* cfq_group_notify_queue_del() - block/cfq-iosched.c */
static void cfq_group_notify_queue_del(struct cfq_data *cfqd,
				       struct cfq_group *cfqg)
{
	g_assert(cfqg->nr_cfqq >= 1);
	cfqg->nr_cfqq--;

	/* If there are other cfq queues under this group, don't delete it */
	if (cfqg->nr_cfqq)
		return;

	cfq_log(cfqd, "cfq_del_from_rr_group", NULL, TRACE_NONE);
	cfq_group_service_tree_del(cfqg);
	cfqg->saved_wl_slice = 0;
}

/* cfq_cfqq_slice_usage() - block/cfq-iosched.c */
static inline u64 cfq_cfqq_slice_usage(struct cfq_queue *cfqq,
				       u64 *unaccounted_time)
{
	u64 slice_used;
	u64 now = ktime_get_ns();

	/*
	 * Queue got expired before even a single request completed or
	 * got expired immediately after first request completion.
	 */
	if (!cfqq->slice_start || cfqq->slice_start == now) {
		/*
		 * Also charge the seek time incurred to the group, otherwise
		 * if there are mutiple queues in the group, each can dispatch
		 * a single request on seeky media and cause lots of seek time
		 * and group will never know it.
		 */
		slice_used = max_u64(now - cfqq->dispatch_start,
				     jiffies_to_nsecs(1));
	} else {
		slice_used = now - cfqq->slice_start;
		if (slice_used > cfqq->allocated_slice) {
			*unaccounted_time = slice_used - cfqq->allocated_slice;
			slice_used = cfqq->allocated_slice;
		}
		if (cfqq->slice_start > cfqq->dispatch_start)
			*unaccounted_time += cfqq->slice_start -
					cfqq->dispatch_start;
	}

	return slice_used;
}

/*
 * cfq_group_served() - block/cfq-iosched.c: charge the group (its
 * vdisktime only orders groups, and there is one) and save the workload
 * state for when the group is served again.
 */
static void cfq_group_served(struct cfq_data *cfqd, struct cfq_group *cfqg,
			     struct cfq_queue *cfqq)
{
	u64 charge, unaccounted_sl = 0;
	int nr_sync = cfqg->nr_cfqq - cfqg_busy_async_queues(cfqd, cfqg)
			- (int)cfqg->service_tree_idle.count;
	unsigned int vfr;
	u64 now = ktime_get_ns();

	g_assert(nr_sync >= 0);
	charge = cfq_cfqq_slice_usage(cfqq, &unaccounted_sl);

	if (iops_mode(cfqd))
		charge = cfqq->slice_dispatch;
	else if (!cfq_cfqq_sync(cfqq) && !nr_sync)
		charge = cfqq->allocated_slice;

	/*
	 * Can't update vdisktime while on service tree and cfqg->vfraction
	 * is valid only while on it.  Cache vfr, leave the service tree,
	 * update vdisktime and go back on.
	 */
	vfr = cfqg->vfraction;
	if (cfqg->on_st && vfr) {
		cfq_group_service_tree_del(cfqg);
		cfqg->vdisktime += (charge << CFQ_SERVICE_SHIFT
				    << CFQ_SERVICE_SHIFT) / vfr;
		cfq_group_service_tree_add(cfqg);
	}

	/* This group is being expired. Save the context */
	if (cfqd->workload_expires > now) {
		cfqg->saved_wl_slice = cfqd->workload_expires - now;
		cfqg->saved_wl_type = cfqd->serving_wl_type;
		cfqg->saved_wl_class = cfqd->serving_wl_class;
	} else
		cfqg->saved_wl_slice = 0;
}

/*
 * cfq_service_tree_add() - block/cfq-iosched.c: the service trees hold
 * all pending cfq_queue's that have requests waiting to be processed,
 * sorted in the order that we will service the queues.
 */
static void cfq_service_tree_add(struct cfq_data *cfqd,
				 struct cfq_queue *cfqq, bool add_front)
{
	struct cfq_queue *__cfqq;
	u64 rb_key;
	struct cfq_rb_root *st;
	int new_cfqq = 1;
	u64 now = ktime_get_ns();

	st = st_for(cfqq->cfqg, cfqq_class(cfqq), cfqq_type(cfqq));
	if (cfq_class_idle(cfqq)) {
		rb_key = CFQ_IDLE_DELAY;
		__cfqq = cfq_rb_last(st);
		if (__cfqq && __cfqq != cfqq)
			rb_key += __cfqq->rb_key;
		else
			rb_key += now;
	} else if (!add_front) {
		/*
		 * Get our rb key offset. Subtract any residual slice
		 * value carried from last service. A negative resid
		 * count indicates slice overrun, and this should position
		 * the next service time further away in the tree.
		 */
		rb_key = cfq_slice_offset(cfqd, cfqq) + now;
		rb_key -= (u64)cfqq->slice_resid;
		cfqq->slice_resid = 0;
	} else {
		rb_key = -NSEC_PER_SEC;
		__cfqq = cfq_rb_first(st);
		rb_key += __cfqq ? __cfqq->rb_key : now;
	}

	if (cfqq->rb_node) {
		new_cfqq = 0;
		/*
		 * same position, nothing more to do
		 */
		if (rb_key == cfqq->rb_key && cfqq->service_tree == st)
			return;

		cfq_rb_erase(cfqq, cfqq->service_tree);
		cfqq->service_tree = NULL;
	}

	cfqq->service_tree = st;
	cfqq->rb_key = rb_key;
	cfqq->rb_seq = ++cfqd->next_rb_seq;	/* equal keys go right */
	cfqq->rb_node = g_sequence_insert_sorted(st->rb, cfqq, st_cmp, NULL);
	st->count++;
	if (add_front || !new_cfqq)
		return;
	cfq_group_notify_queue_add(cfqd, cfqq->cfqg);
}

/* ---- the prio trees: queues by the sector of their next request ---- */

static gint prio_cmp(gconstpointer a, gconstpointer b, gpointer unused)
{
	const struct cfq_queue *x = a, *y = b;
	sector_t sx = blk_rq_pos(x->next_rq), sy = blk_rq_pos(y->next_rq);

	(void)unused;
	return sx < sy ? -1 : sx > sy;
}

/*
 * cfq_prio_tree_lookup() - block/cfq-iosched.c: the queue whose next
 * request starts at `sector`, or NULL and in *before / *after the queues
 * around that sector.
 */
static struct cfq_queue *cfq_prio_tree_lookup(struct cfq_data *cfqd,
					      GSequence *root,
					      sector_t sector,
					      GSequenceIter **after)
{
	struct request probe_rq = { .__sector = sector };
	struct cfq_queue probe = { .next_rq = &probe_rq };
	GSequenceIter *it;
	struct cfq_queue *cfqq;

	(void)cfqd;
	/* the first queue at or after the sector */
	it = g_sequence_search(root, &probe, prio_cmp, NULL);
	if (!g_sequence_iter_is_begin(it)) {
		GSequenceIter *prev = g_sequence_iter_prev(it);

		cfqq = g_sequence_get(prev);
		if (blk_rq_pos(cfqq->next_rq) == sector)
			return cfqq;
	}
	if (after)
		*after = it;
	return NULL;
}

/* cfq_prio_tree_add() - block/cfq-iosched.c */
static void cfq_prio_tree_add(struct cfq_data *cfqd, struct cfq_queue *cfqq)
{
	if (cfqq->p_root) {
		g_sequence_remove(cfqq->p_node);
		cfqq->p_node = NULL;
		cfqq->p_root = NULL;
	}

	if (cfq_class_idle(cfqq))
		return;
	if (!cfqq->next_rq)
		return;

	cfqq->p_root = cfqd->prio_trees[cfqq->org_ioprio];
	if (!cfq_prio_tree_lookup(cfqd, cfqq->p_root,
				  blk_rq_pos(cfqq->next_rq), NULL))
		cfqq->p_node = g_sequence_insert_sorted(cfqq->p_root, cfqq,
							prio_cmp, NULL);
	else
		cfqq->p_root = NULL;
}

static void cfq_prio_tree_del(struct cfq_queue *cfqq)
{
	if (cfqq->p_root) {
		g_sequence_remove(cfqq->p_node);
		cfqq->p_node = NULL;
		cfqq->p_root = NULL;
	}
}

/* cfq_resort_rr_list() - block/cfq-iosched.c */
static void cfq_resort_rr_list(struct cfq_data *cfqd, struct cfq_queue *cfqq)
{
	/*
	 * Resorting requires the cfqq to be on the RR list already.
	 */
	if (cfq_cfqq_on_rr(cfqq)) {
		cfq_service_tree_add(cfqd, cfqq, 0);
		cfq_prio_tree_add(cfqd, cfqq);
	}
}

/*
 * cfq_add_cfqq_rr() - block/cfq-iosched.c: add to busy list of queues for
 * service, trying to be fair in ordering the pending list according to
 * last request service
 */
static void cfq_add_cfqq_rr(struct cfq_data *cfqd, struct cfq_queue *cfqq)
{
	g_assert(!cfq_cfqq_on_rr(cfqq));
	cfq_mark_cfqq_on_rr(cfqq);
	cfqd->busy_queues++;
	if (cfq_cfqq_sync(cfqq))
		cfqd->busy_sync_queues++;

	cfq_resort_rr_list(cfqd, cfqq);
}

/*
 * cfq_del_cfqq_rr() - block/cfq-iosched.c: called when the cfqq no longer
 * has requests pending, remove it from the service tree.
 */
static void cfq_del_cfqq_rr(struct cfq_data *cfqd, struct cfq_queue *cfqq)
{
	g_assert(cfq_cfqq_on_rr(cfqq));
	cfq_clear_cfqq_on_rr(cfqq);

	if (cfqq->rb_node) {
		cfq_rb_erase(cfqq, cfqq->service_tree);
		cfqq->service_tree = NULL;
	}
	cfq_prio_tree_del(cfqq);

	cfq_group_notify_queue_del(cfqd, cfqq->cfqg);
	g_assert(cfqd->busy_queues);
	cfqd->busy_queues--;
	if (cfq_cfqq_sync(cfqq))
		cfqd->busy_sync_queues--;
}

/* ---- requests in a queue ---- */

/* cfq_del_rq_rb() - block/cfq-iosched.c */
static void cfq_del_rq_rb(struct request *rq)
{
	struct cfq_queue *cfqq = RQ_CFQQ(rq);
	const int sync = rq_is_sync(rq);

	g_assert(cfqq->queued[sync]);
	cfqq->queued[sync]--;

	elv_rb_del(&cfqq->sort_list, rq);

	if (cfq_cfqq_on_rr(cfqq) && elv_rb_empty(&cfqq->sort_list)) {
		/*
		 * Queue will be deleted from service tree when we actually
		 * expire it later. Right now just remove it from prio tree
		 * as it is empty.
		 */
		cfq_prio_tree_del(cfqq);
	}
}

/* cfq_add_rq_rb() - block/cfq-iosched.c */
static void cfq_add_rq_rb(struct request *rq)
{
	struct cfq_queue *cfqq = RQ_CFQQ(rq);
	struct cfq_data *cfqd = cfqq->cfqd;
	struct request *prev;

	cfqq->queued[rq_is_sync(rq)]++;

	elv_rb_add(&cfqq->sort_list, rq);

	if (!cfq_cfqq_on_rr(cfqq))
		cfq_add_cfqq_rr(cfqd, cfqq);

	/*
	 * check if this request is a better next-serve candidate
	 */
	prev = cfqq->next_rq;
	cfqq->next_rq = cfq_choose_req(cfqd, cfqq->next_rq, rq,
				       cfqd->last_position);

	/*
	 * adjust priority tree position, if ->next_rq changes
	 */
	if (prev != cfqq->next_rq)
		cfq_prio_tree_add(cfqd, cfqq);

	g_assert(cfqq->next_rq);
}

/* cfq_reposition_rq_rb() - block/cfq-iosched.c */
static void cfq_reposition_rq_rb(struct cfq_queue *cfqq, struct request *rq)
{
	elv_rb_del(&cfqq->sort_list, rq);
	cfqq->queued[rq_is_sync(rq)]--;
	cfq_add_rq_rb(rq);
}

/* cfq_find_rq_fmerge() - block/cfq-iosched.c */
static struct request *cfq_find_rq_fmerge(struct cfq_data *cfqd,
					  struct bio *bio)
{
	struct cfq_io_cq *cic;
	struct cfq_queue *cfqq;

	cic = cfq_cic_find(cfqd, current);
	if (!cic)
		return NULL;
	cfqq = cic_to_cfqq(cic, cfq_bio_sync(bio));
	if (cfqq)
		return elv_rb_find(&cfqq->sort_list, bio_end_sector(bio));

	return NULL;
}

/* cfq_activate_request() - block/cfq-iosched.c */
static void cfq_activate_request(struct request_queue *q, struct request *rq)
{
	struct cfq_data *cfqd = q->elevator_data;

	cfqd->rq_in_driver++;
	cfqd->last_position = blk_rq_pos(rq) + blk_rq_sectors(rq);
}

/* cfq_remove_request() - block/cfq-iosched.c */
static void cfq_remove_request(struct request *rq)
{
	struct cfq_queue *cfqq = RQ_CFQQ(rq);

	if (cfqq->next_rq == rq)
		cfqq->next_rq = cfq_find_next_rq(cfqq->cfqd, cfqq, rq);

	list_del_init(&rq->queuelist);
	cfq_del_rq_rb(rq);

	cfqq->cfqd->rq_queued--;
	if (rq->cmd_flags & REQ_PRIO) {
		g_assert(cfqq->prio_pending);
		cfqq->prio_pending--;
	}
}

/* cfq_merge() - block/cfq-iosched.c */
static int cfq_merge(struct request_queue *q, struct request **req,
		     struct bio *bio)
{
	struct cfq_data *cfqd = q->elevator_data;
	struct request *__rq;

	__rq = cfq_find_rq_fmerge(cfqd, bio);
	if (__rq && elv_bio_merge_ok(__rq, bio)) {
		*req = __rq;
		return ELEVATOR_FRONT_MERGE;
	}

	return ELEVATOR_NO_MERGE;
}

/* cfq_merged_request() - block/cfq-iosched.c */
static void cfq_merged_request(struct request_queue *q, struct request *req,
			       int type)
{
	(void)q;
	if (type == ELEVATOR_FRONT_MERGE) {
		struct cfq_queue *cfqq = RQ_CFQQ(req);

		cfq_reposition_rq_rb(cfqq, req);
	}
}

/* cfq_merged_requests() - block/cfq-iosched.c */
static void cfq_merged_requests(struct request_queue *q, struct request *rq,
				struct request *next)
{
	struct cfq_queue *cfqq = RQ_CFQQ(rq);
	struct cfq_data *cfqd = q->elevator_data;

	/*
	 * reposition in fifo if next is older than rq
	 */
	if (!list_empty(&rq->queuelist) && !list_empty(&next->queuelist) &&
	    next->fifo_time < rq->fifo_time &&
	    cfqq == RQ_CFQQ(next)) {
		list_move(&rq->queuelist, &next->queuelist);
		rq->fifo_time = next->fifo_time;
	}

	if (cfqq->next_rq == next)
		cfqq->next_rq = rq;
	cfq_remove_request(next);

	cfqq = RQ_CFQQ(next);
	/*
	 * all requests of this queue are merged to other queues, delete it
	 * from the service tree. If it's the active_queue,
	 * cfq_dispatch_requests() will choose to expire it or do idle
	 */
	if (cfq_cfqq_on_rr(cfqq) && elv_rb_empty(&cfqq->sort_list) &&
	    cfqq != cfqd->active_queue)
		cfq_del_cfqq_rr(cfqd, cfqq);
}

/* cfq_allow_bio_merge() - block/cfq-iosched.c */
static int cfq_allow_bio_merge(struct request_queue *q, struct request *rq,
			       struct bio *bio)
{
	struct cfq_data *cfqd = q->elevator_data;
	struct cfq_io_cq *cic;
	struct cfq_queue *cfqq;

	/*
	 * Disallow merge of a sync bio into an async request.
	 */
	if (cfq_bio_sync(bio) && !rq_is_sync(rq))
		return false;

	/*
	 * Lookup the cfqq that this bio will be queued with and allow
	 * merge only if rq is queued there.
	 */
	cic = cfq_cic_find(cfqd, current);
	if (!cic)
		return false;
	cfqq = cic_to_cfqq(cic, cfq_bio_sync(bio));
	return cfqq == RQ_CFQQ(rq);
}

/* cfq_allow_rq_merge() - block/cfq-iosched.c */
static int cfq_allow_rq_merge(struct request_queue *q, struct request *rq,
			      struct request *next)
{
	(void)q;
	return RQ_CFQQ(rq) == RQ_CFQQ(next);
}

/* ---- the idle timer: an event of the simulation ---- */

static void cfq_idle_slice_timer(void *arg);

/* cfq_del_timer() - block/cfq-iosched.c: hrtimer_try_to_cancel() */
static inline void cfq_del_timer(struct cfq_data *cfqd,
				 struct cfq_queue *cfqq)
{
	(void)cfqq;
	cfqd->idle_timer_active = false;
}

/* hrtimer_start(&cfqd->idle_slice_timer, sl, HRTIMER_MODE_REL) */
static void cfq_start_idle_timer(struct cfq_data *cfqd, u64 sl)
{
	cfqd->idle_timer_active = true;
	cfqd->idle_timer_expires = ev_now() + (simtime_t)sl;
	ev_at(cfqd->idle_timer_expires, cfq_idle_slice_timer, cfqd);
}

/* ---- choosing the active queue ---- */

/* __cfq_set_active_queue() - block/cfq-iosched.c */
static void __cfq_set_active_queue(struct cfq_data *cfqd,
				   struct cfq_queue *cfqq)
{
	if (cfqq) {
		cfq_log_cfqq(cfqd, cfqq, "cfq_set_active", NULL, TRACE_NONE);
		cfqq->slice_start = 0;
		cfqq->dispatch_start = ktime_get_ns();
		cfqq->allocated_slice = 0;
		cfqq->slice_end = 0;
		cfqq->slice_dispatch = 0;
		cfqq->nr_sectors = 0;

		cfq_clear_cfqq_wait_request(cfqq);
		cfq_clear_cfqq_must_dispatch(cfqq);
		cfq_clear_cfqq_must_alloc_slice(cfqq);
		cfq_clear_cfqq_fifo_expire(cfqq);
		cfq_mark_cfqq_slice_new(cfqq);

		cfq_del_timer(cfqd, cfqq);
	}

	cfqd->active_queue = cfqq;
}

/* Say why the next expiry happens (its trace note's reason). */
static void cfq_expire_why(struct cfq_data *cfqd, const char *why)
{
	cfqd->expire_why = why;
}

/*
 * __cfq_slice_expired() - block/cfq-iosched.c: current cfqq expired its
 * slice (or was too idle), select new one
 */
static void __cfq_slice_expired(struct cfq_data *cfqd,
				struct cfq_queue *cfqq, bool timed_out)
{
	cfq_log_cfqq(cfqd, cfqq, "cfq_slice_expired",
		     cfqd->expire_why ? cfqd->expire_why : "expired",
		     timed_out);
	cfqd->expire_why = NULL;

	if (cfq_cfqq_wait_request(cfqq))
		cfq_del_timer(cfqd, cfqq);

	cfq_clear_cfqq_wait_request(cfqq);
	cfq_clear_cfqq_wait_busy(cfqq);

	/*
	 * If this cfqq is shared between multiple processes, check to
	 * make sure that those processes are still issuing I/Os within
	 * the mean seek distance.  If not, it may be time to break the
	 * queues apart again.
	 */
	if (cfq_cfqq_coop(cfqq) && CFQQ_SEEKY(cfqq))
		cfq_mark_cfqq_split_coop(cfqq);

	/*
	 * store what was left of this slice, if the queue idled/timed out
	 */
	if (timed_out) {
		if (cfq_cfqq_slice_new(cfqq))
			cfqq->slice_resid = (s64)cfq_scaled_cfqq_slice(cfqd,
								       cfqq);
		else
			cfqq->slice_resid = (s64)(cfqq->slice_end -
						  ktime_get_ns());
	}

	cfq_group_served(cfqd, cfqq->cfqg, cfqq);

	if (cfq_cfqq_on_rr(cfqq) && elv_rb_empty(&cfqq->sort_list))
		cfq_del_cfqq_rr(cfqd, cfqq);

	cfq_resort_rr_list(cfqd, cfqq);

	if (cfqq == cfqd->active_queue)
		cfqd->active_queue = NULL;

	cfqd->active_cic = NULL;	/* put_io_context() */
}

/* cfq_slice_expired() - block/cfq-iosched.c */
static inline void cfq_slice_expired(struct cfq_data *cfqd, bool timed_out)
{
	struct cfq_queue *cfqq = cfqd->active_queue;

	if (cfqq)
		__cfq_slice_expired(cfqd, cfqq, timed_out);
	cfqd->expire_why = NULL;
}

/*
 * cfq_get_next_queue() - block/cfq-iosched.c: unless we have a queue
 * preemption, we'll simply select the first cfqq in the service tree.
 */
static struct cfq_queue *cfq_get_next_queue(struct cfq_data *cfqd)
{
	struct cfq_rb_root *st = st_for(cfqd->serving_group,
			cfqd->serving_wl_class, cfqd->serving_wl_type);

	if (!cfqd->rq_queued)
		return NULL;

	/* There is nothing to dispatch */
	if (!st)
		return NULL;
	if (!st->count)
		return NULL;
	return cfq_rb_first(st);
}

/* cfq_get_next_cfqg() - block/cfq-iosched.c: the root group, if busy */
static struct cfq_group *cfq_get_next_cfqg(struct cfq_data *cfqd)
{
	return cfqd->root_group->on_st ? cfqd->root_group : NULL;
}

/* cfq_get_next_queue_forced() - block/cfq-iosched.c */
static struct cfq_queue *cfq_get_next_queue_forced(struct cfq_data *cfqd)
{
	struct cfq_group *cfqg;
	struct cfq_queue *cfqq;
	int i, j;
	struct cfq_rb_root *st;

	if (!cfqd->rq_queued)
		return NULL;

	cfqg = cfq_get_next_cfqg(cfqd);
	if (!cfqg)
		return NULL;

	for_each_cfqg_st(cfqg, i, j, st)
		if ((cfqq = cfq_rb_first(st)) != NULL)
			return cfqq;
	return NULL;
}

/* cfq_set_active_queue() - block/cfq-iosched.c */
static struct cfq_queue *cfq_set_active_queue(struct cfq_data *cfqd,
					      struct cfq_queue *cfqq)
{
	if (!cfqq)
		cfqq = cfq_get_next_queue(cfqd);

	__cfq_set_active_queue(cfqd, cfqq);
	return cfqq;
}

/* cfq_dist_from_last() - block/cfq-iosched.c */
static inline sector_t cfq_dist_from_last(struct cfq_data *cfqd,
					  struct request *rq)
{
	if (blk_rq_pos(rq) >= cfqd->last_position)
		return blk_rq_pos(rq) - cfqd->last_position;
	else
		return cfqd->last_position - blk_rq_pos(rq);
}

/* cfq_rq_close() - block/cfq-iosched.c */
static inline int cfq_rq_close(struct cfq_data *cfqd, struct cfq_queue *cfqq,
			       struct request *rq)
{
	(void)cfqq;
	return cfq_dist_from_last(cfqd, rq) <= CFQQ_CLOSE_THR;
}

/*
 * cfqq_close() - block/cfq-iosched.c: a queue whose next request starts
 * at the last position, or is close to it (of the queues on either side,
 * the one before first).
 */
static struct cfq_queue *cfqq_close(struct cfq_data *cfqd,
				    struct cfq_queue *cur_cfqq)
{
	GSequence *root = cfqd->prio_trees[cur_cfqq->org_ioprio];
	GSequenceIter *after = NULL;
	struct cfq_queue *__cfqq;
	sector_t sector = cfqd->last_position;

	if (g_sequence_is_empty(root))
		return NULL;

	/*
	 * First, if we find a request starting at the end of the last
	 * request, choose it.
	 */
	__cfqq = cfq_prio_tree_lookup(cfqd, root, sector, &after);
	if (__cfqq)
		return __cfqq;

	/*
	 * If the exact sector wasn't found, the neighbours of the sector
	 * contain the closest ones.
	 */
	if (!g_sequence_iter_is_begin(after)) {
		__cfqq = g_sequence_get(g_sequence_iter_prev(after));
		if (cfq_rq_close(cfqd, cur_cfqq, __cfqq->next_rq))
			return __cfqq;
	}
	if (!g_sequence_iter_is_end(after)) {
		__cfqq = g_sequence_get(after);
		if (cfq_rq_close(cfqd, cur_cfqq, __cfqq->next_rq))
			return __cfqq;
	}
	return NULL;
}

/*
 * cfq_close_cooperator() - block/cfq-iosched.c: cur_cfqq is passed in so
 * that we don't decide that the current queue is closely cooperating
 * with itself.
 */
static struct cfq_queue *cfq_close_cooperator(struct cfq_data *cfqd,
					      struct cfq_queue *cur_cfqq)
{
	struct cfq_queue *cfqq;

	if (cfq_class_idle(cur_cfqq))
		return NULL;
	if (!cfq_cfqq_sync(cur_cfqq))
		return NULL;
	if (CFQQ_SEEKY(cur_cfqq))
		return NULL;

	/*
	 * Don't search priority tree if it's the only queue in the group.
	 */
	if (cur_cfqq->cfqg->nr_cfqq == 1)
		return NULL;

	/*
	 * We should notice if some of the queues are cooperating, eg
	 * working closely on the same area of the disk. In that case,
	 * we can group them together and don't waste time idling.
	 */
	cfqq = cfqq_close(cfqd, cur_cfqq);
	if (!cfqq)
		return NULL;

	/*
	 * It only makes sense to merge sync queues.
	 */
	if (!cfq_cfqq_sync(cfqq))
		return NULL;
	if (CFQQ_SEEKY(cfqq))
		return NULL;

	/*
	 * Do not merge queues of different priority classes
	 */
	if (cfq_class_rt(cfqq) != cfq_class_rt(cur_cfqq))
		return NULL;

	return cfqq;
}

/*
 * cfq_should_idle() - block/cfq-iosched.c: determine whether we should
 * enforce idle window for this queue.
 */
static bool cfq_should_idle(struct cfq_data *cfqd, struct cfq_queue *cfqq)
{
	enum wl_class_t wl_class = cfqq_class(cfqq);
	struct cfq_rb_root *st = cfqq->service_tree;

	g_assert(st);
	g_assert(st->count);

	if (!cfqd->cfq_slice_idle)
		return false;

	/* We never do for idle class queues. */
	if (wl_class == IDLE_WORKLOAD)
		return false;

	/* We do for queues that were marked with idle window flag. */
	if (cfq_cfqq_idle_window(cfqq) &&
	    !(cfqd->queue->nonrot && cfqd->hw_tag))
		return true;

	/*
	 * Otherwise, we do only if they are the last ones
	 * in their service tree.
	 */
	if (st->count == 1 && cfq_cfqq_sync(cfqq) &&
	    !cfq_io_thinktime_big(cfqd, &st->ttime, false))
		return true;
	return false;
}

/* cfq_arm_slice_timer() - block/cfq-iosched.c */
static void cfq_arm_slice_timer(struct cfq_data *cfqd)
{
	struct cfq_queue *cfqq = cfqd->active_queue;
	struct cfq_rb_root *st = cfqq->service_tree;
	struct cfq_io_cq *cic;
	u64 sl, group_idle = 0;
	u64 now = ktime_get_ns();

	/*
	 * SSD device without seek penalty, disable idling. But only do so
	 * for devices that support queuing, otherwise we still have a problem
	 * with sync vs async workloads.
	 */
	if (cfqd->queue->nonrot && cfqd->hw_tag)
		return;

	/*
	 * idle is disabled, either manually or by past process history
	 */
	if (!cfq_should_idle(cfqd, cfqq)) {
		/* no queue idling. Check for group idling */
		if (cfqd->cfq_group_idle)
			group_idle = cfqd->cfq_group_idle;
		else
			return;
	}

	/*
	 * still active requests from this queue, don't idle
	 */
	if (cfqq->dispatched)
		return;

	/*
	 * task has exited, don't wait
	 */
	cic = cfqd->active_cic;
	if (!cic || !cic->active)
		return;

	/*
	 * If our average think time is larger than the remaining time
	 * slice, then don't idle. This avoids overrunning the allotted
	 * time slice.
	 */
	if (sample_valid(cic->ttime.ttime_samples) &&
	    (cfqq->slice_end - now < cic->ttime.ttime_mean)) {
		cfq_log_cfqq(cfqd, cfqq, "cfq_not_idling", "think_time",
			     (int64_t)cic->ttime.ttime_mean);
		return;
	}

	/*
	 * There are other queues in the group or this is the only group and
	 * it has too big thinktime, don't do group idle.
	 */
	if (group_idle &&
	    (cfqq->cfqg->nr_cfqq > 1 ||
	     cfq_io_thinktime_big(cfqd, &st->ttime, true)))
		return;

	cfq_mark_cfqq_wait_request(cfqq);

	if (group_idle)
		sl = cfqd->cfq_group_idle;
	else
		sl = cfqd->cfq_slice_idle;

	cfq_start_idle_timer(cfqd, sl);
	cfq_log_cfqq(cfqd, cfqq, "cfq_arm_idle",
		     group_idle ? "group_idle" : NULL, (int64_t)sl);
}

/*
 * cfq_dispatch_insert() - block/cfq-iosched.c: move request from internal
 * lists to the request queue dispatch list.
 */
static void cfq_dispatch_insert(struct request_queue *q, struct request *rq)
{
	struct cfq_data *cfqd = q->elevator_data;
	struct cfq_queue *cfqq = RQ_CFQQ(rq);

	cfqq->next_rq = cfq_find_next_rq(cfqd, cfqq, rq);
	cfq_remove_request(rq);
	cfqq->dispatched++;
	cfqq->cfqg->dispatched++;
	elv_dispatch_sort(q, rq);

	cfqd->rq_in_flight[cfq_cfqq_sync(cfqq)]++;
	cfqq->nr_sectors += blk_rq_sectors(rq);
}

/*
 * cfq_check_fifo() - block/cfq-iosched.c: return expired entry, or NULL
 * to just start from scratch in rbtree
 */
static struct request *cfq_check_fifo(struct cfq_queue *cfqq)
{
	struct request *rq = NULL;

	if (cfq_cfqq_fifo_expire(cfqq))
		return NULL;

	cfq_mark_cfqq_fifo_expire(cfqq);

	if (list_empty(&cfqq->fifo))
		return NULL;

	rq = list_entry_rq(cfqq->fifo.next);
	if (ktime_get_ns() < (u64)rq->fifo_time)
		rq = NULL;

	return rq;
}

/* cfq_prio_to_maxrq() - block/cfq-iosched.c */
static inline int cfq_prio_to_maxrq(struct cfq_data *cfqd,
				    struct cfq_queue *cfqq)
{
	const int base_rq = (int)cfqd->cfq_slice_async_rq;

	return 2 * base_rq * (IOPRIO_BE_NR - cfqq->ioprio);
}

/* cfqq_process_refs() - block/cfq-iosched.c */
static int cfqq_process_refs(struct cfq_queue *cfqq)
{
	int process_refs, io_refs;

	io_refs = cfqq->allocated[0] + cfqq->allocated[1];
	process_refs = cfqq->ref - io_refs;
	g_assert(process_refs >= 0);
	return process_refs;
}

/* cfq_setup_merge() - block/cfq-iosched.c */
static void cfq_setup_merge(struct cfq_queue *cfqq,
			    struct cfq_queue *new_cfqq)
{
	int process_refs, new_process_refs;
	struct cfq_queue *__cfqq;

	/*
	 * If there are no process references on the new_cfqq, then it is
	 * unsafe to follow the ->new_cfqq chain as other cfqq's in the
	 * chain may have dropped their last reference (not just their
	 * last process reference).
	 */
	if (!cfqq_process_refs(new_cfqq))
		return;

	/* Avoid a circular list and skip interim queue merges */
	while ((__cfqq = new_cfqq->new_cfqq)) {
		if (__cfqq == cfqq)
			return;
		new_cfqq = __cfqq;
	}

	process_refs = cfqq_process_refs(cfqq);
	new_process_refs = cfqq_process_refs(new_cfqq);
	/*
	 * If the process for the cfqq has gone away, there is no
	 * sense in merging the queues.
	 */
	if (process_refs == 0 || new_process_refs == 0)
		return;

	/*
	 * Merge in the direction of the lesser amount of work.
	 */
	if (new_process_refs >= process_refs) {
		cfqq->new_cfqq = new_cfqq;
		new_cfqq->ref += process_refs;
	} else {
		new_cfqq->new_cfqq = cfqq;
		cfqq->ref += new_process_refs;
	}
}

/* cfq_choose_wl_type() - block/cfq-iosched.c */
static enum wl_type_t cfq_choose_wl_type(struct cfq_data *cfqd,
					 struct cfq_group *cfqg,
					 enum wl_class_t wl_class)
{
	struct cfq_queue *queue;
	int i;
	bool key_valid = false;
	u64 lowest_key = 0;
	enum wl_type_t cur_best = SYNC_NOIDLE_WORKLOAD;

	(void)cfqd;
	for (i = 0; i <= SYNC_WORKLOAD; ++i) {
		/* select the one with lowest rb_key */
		queue = cfq_rb_first(st_for(cfqg, wl_class, i));
		if (queue &&
		    (!key_valid || queue->rb_key < lowest_key)) {
			lowest_key = queue->rb_key;
			cur_best = i;
			key_valid = true;
		}
	}

	return cur_best;
}

/* choose_wl_class_and_type() - block/cfq-iosched.c */
static void choose_wl_class_and_type(struct cfq_data *cfqd,
				     struct cfq_group *cfqg)
{
	u64 slice;
	unsigned count;
	struct cfq_rb_root *st;
	u64 group_slice;
	enum wl_class_t original_class = cfqd->serving_wl_class;
	u64 now = ktime_get_ns();
	char buf[32];

	/* Choose next priority. RT > BE > IDLE */
	if (cfq_group_busy_queues_wl(RT_WORKLOAD, cfqd, cfqg))
		cfqd->serving_wl_class = RT_WORKLOAD;
	else if (cfq_group_busy_queues_wl(BE_WORKLOAD, cfqd, cfqg))
		cfqd->serving_wl_class = BE_WORKLOAD;
	else {
		cfqd->serving_wl_class = IDLE_WORKLOAD;
		cfqd->workload_expires = now + jiffies_to_nsecs(1);
		return;
	}

	if (original_class != cfqd->serving_wl_class)
		goto new_workload;

	/*
	 * For RT and BE, we have to choose also the type
	 * (SYNC, SYNC_NOIDLE, ASYNC), and to compute a workload
	 * expiration time
	 */
	st = st_for(cfqg, cfqd->serving_wl_class, cfqd->serving_wl_type);
	count = st->count;

	/*
	 * check workload expiration, and that we still have other queues ready
	 */
	if (count && !(now > cfqd->workload_expires))
		return;

new_workload:
	/* otherwise select new workload type */
	cfqd->serving_wl_type = cfq_choose_wl_type(cfqd, cfqg,
					cfqd->serving_wl_class);
	st = st_for(cfqg, cfqd->serving_wl_class, cfqd->serving_wl_type);
	count = st->count;

	/*
	 * the workload slice is computed as a fraction of target latency
	 * proportional to the number of queues in that workload, over
	 * all the queues in the same priority class
	 */
	group_slice = cfq_group_slice(cfqd, cfqg);

	slice = group_slice * count /
		MAX(cfqg->busy_queues_avg[cfqd->serving_wl_class],
		    (unsigned)cfq_group_busy_queues_wl(cfqd->serving_wl_class,
						       cfqd, cfqg));

	if (cfqd->serving_wl_type == ASYNC_WORKLOAD) {
		u64 tmp;

		/*
		 * Async queues are currently system wide. Just taking
		 * proportion of queues with-in same group will lead to higher
		 * async ratio system wide as generally root group is going
		 * to have higher weight. A more accurate thing would be to
		 * calculate system wide asnc/sync ratio.
		 */
		tmp = cfqd->cfq_target_latency *
			(u64)cfqg_busy_async_queues(cfqd, cfqg);
		tmp = tmp / cfqd->busy_queues;
		slice = min_u64(slice, tmp);

		/* async workload slice is scaled down according to
		 * the sync/async slice ratio. */
		slice = slice * cfqd->cfq_slice[0] / cfqd->cfq_slice[1];
	} else
		/* sync workload slice is at least 2 * cfq_slice_idle */
		slice = max_u64(slice, 2 * cfqd->cfq_slice_idle);

	slice = max_u64(slice, CFQ_MIN_TT);
	g_snprintf(buf, sizeof(buf), "%s-%s",
		   class_names[cfqd->serving_wl_class],
		   type_names[cfqd->serving_wl_type]);
	cfq_log(cfqd, "cfq_workload_slice", buf, (int64_t)slice);
	cfqd->workload_expires = now + slice;
}

/* cfq_choose_cfqg() - block/cfq-iosched.c */
static void cfq_choose_cfqg(struct cfq_data *cfqd)
{
	struct cfq_group *cfqg = cfq_get_next_cfqg(cfqd);
	u64 now = ktime_get_ns();

	if (!cfqg)
		return;
	cfqd->serving_group = cfqg;

	/* Restore the workload type data */
	if (cfqg->saved_wl_slice) {
		cfqd->workload_expires = now + cfqg->saved_wl_slice;
		cfqd->serving_wl_type = cfqg->saved_wl_type;
		cfqd->serving_wl_class = cfqg->saved_wl_class;
	} else
		cfqd->workload_expires = now - 1;

	choose_wl_class_and_type(cfqd, cfqg);
}

/*
 * cfq_select_queue() - block/cfq-iosched.c: select a queue for service.
 * If we have a current active queue, check whether to continue servicing
 * it, or retrieve and set a new one.
 */
static struct cfq_queue *cfq_select_queue(struct cfq_data *cfqd)
{
	struct cfq_queue *cfqq, *new_cfqq = NULL;
	u64 now = ktime_get_ns();

	cfqq = cfqd->active_queue;
	if (!cfqq)
		goto new_queue;

	if (!cfqd->rq_queued)
		return NULL;

	/*
	 * We were waiting for group to get backlogged. Expire the queue
	 */
	if (cfq_cfqq_wait_busy(cfqq) && !elv_rb_empty(&cfqq->sort_list)) {
		cfq_expire_why(cfqd, "wait_busy");
		goto expire;
	}

	/*
	 * The active queue has run out of time, expire it and select new.
	 */
	if (cfq_slice_used(cfqq) && !cfq_cfqq_must_dispatch(cfqq)) {
		/*
		 * If slice had not expired at the completion of last request
		 * we might not have turned on wait_busy flag. Don't expire
		 * the queue yet. Allow the group to get backlogged.
		 *
		 * The very fact that we have used the slice, that means we
		 * have been idling all along on this queue and it should be
		 * ok to wait for this request to complete.
		 */
		if (cfqq->cfqg->nr_cfqq == 1 &&
		    elv_rb_empty(&cfqq->sort_list) &&
		    cfqq->dispatched && cfq_should_idle(cfqd, cfqq)) {
			cfqq = NULL;
			goto keep_queue;
		} else {
			cfq_expire_why(cfqd, "slice_used");
			goto check_group_idle;
		}
	}

	/*
	 * The active queue has requests and isn't expired, allow it to
	 * dispatch.
	 */
	if (!elv_rb_empty(&cfqq->sort_list))
		goto keep_queue;

	/*
	 * If another queue has a request waiting within our mean seek
	 * distance, let it run.  The expire code will check for close
	 * cooperators and put the close queue at the front of the service
	 * tree.  If possible, merge the expiring queue with the new cfqq.
	 */
	new_cfqq = cfq_close_cooperator(cfqd, cfqq);
	if (new_cfqq) {
		if (!cfqq->new_cfqq)
			cfq_setup_merge(cfqq, new_cfqq);
		cfq_expire_why(cfqd, "cooperator");
		goto expire;
	}

	/*
	 * No requests pending. If the active queue still has requests in
	 * flight or is idling for a new request, allow either of these
	 * conditions to happen (or time out) before selecting a new queue.
	 */
	if (cfqd->idle_timer_active) {
		cfqq = NULL;
		goto keep_queue;
	}

	/*
	 * This is a deep seek queue, but the device is much faster than
	 * the queue can deliver, don't idle
	 **/
	if (CFQQ_SEEKY(cfqq) && cfq_cfqq_idle_window(cfqq) &&
	    (cfq_cfqq_slice_new(cfqq) ||
	    (cfqq->slice_end - now > now - cfqq->slice_start))) {
		cfq_clear_cfqq_deep(cfqq);
		cfq_clear_cfqq_idle_window(cfqq);
	}

	if (cfqq->dispatched && cfq_should_idle(cfqd, cfqq)) {
		cfqq = NULL;
		goto keep_queue;
	}
	cfq_expire_why(cfqd, "no_requests");

	/*
	 * If group idle is enabled and there are requests dispatched from
	 * this group, wait for requests to complete.
	 */
check_group_idle:
	if (cfqd->cfq_group_idle && cfqq->cfqg->nr_cfqq == 1 &&
	    cfqq->cfqg->dispatched &&
	    !cfq_io_thinktime_big(cfqd, &cfqq->cfqg->ttime, true)) {
		cfqd->expire_why = NULL;
		cfqq = NULL;
		goto keep_queue;
	}

expire:
	cfq_slice_expired(cfqd, 0);
new_queue:
	/*
	 * Current queue expired. Check if we have to switch to a new
	 * service tree
	 */
	if (!new_cfqq)
		cfq_choose_cfqg(cfqd);

	cfqq = cfq_set_active_queue(cfqd, new_cfqq);
keep_queue:
	return cfqq;
}

/* __cfq_forced_dispatch_cfqq() - block/cfq-iosched.c */
static int __cfq_forced_dispatch_cfqq(struct cfq_queue *cfqq)
{
	int dispatched = 0;

	while (cfqq->next_rq) {
		cfq_dispatch_insert(cfqq->cfqd->queue, cfqq->next_rq);
		dispatched++;
	}

	g_assert(list_empty(&cfqq->fifo));

	/* By default cfqq is not expired if it is empty. Do it explicitly */
	cfq_expire_why(cfqq->cfqd, "forced");
	__cfq_slice_expired(cfqq->cfqd, cfqq, 0);
	return dispatched;
}

/*
 * cfq_forced_dispatch() - block/cfq-iosched.c: drain our current
 * requests. Used for barriers and when switching io schedulers on-the-fly.
 */
static int cfq_forced_dispatch(struct cfq_data *cfqd)
{
	struct cfq_queue *cfqq;
	int dispatched = 0;

	/* Expire the timeslice of the current active queue first */
	cfq_expire_why(cfqd, "forced");
	cfq_slice_expired(cfqd, 0);
	while ((cfqq = cfq_get_next_queue_forced(cfqd)) != NULL) {
		__cfq_set_active_queue(cfqd, cfqq);
		dispatched += __cfq_forced_dispatch_cfqq(cfqq);
	}

	g_assert(!cfqd->busy_queues);
	return dispatched;
}

/* cfq_slice_used_soon() - block/cfq-iosched.c */
static inline bool cfq_slice_used_soon(struct cfq_data *cfqd,
				       struct cfq_queue *cfqq)
{
	u64 now = ktime_get_ns();

	/* the queue hasn't finished any request, can't estimate */
	if (cfq_cfqq_slice_new(cfqq))
		return true;
	if (now + cfqd->cfq_slice_idle * (u64)cfqq->dispatched >
	    cfqq->slice_end)
		return true;

	return false;
}

/* cfq_may_dispatch() - block/cfq-iosched.c */
static bool cfq_may_dispatch(struct cfq_data *cfqd, struct cfq_queue *cfqq)
{
	unsigned int max_dispatch;

	if (cfq_cfqq_must_dispatch(cfqq))
		return true;

	/*
	 * Drain async requests before we start sync IO
	 */
	if (cfq_should_idle(cfqd, cfqq) && cfqd->rq_in_flight[0])
		return false;

	/*
	 * If this is an async queue and we have sync IO in flight, let it wait
	 */
	if (cfqd->rq_in_flight[1] && !cfq_cfqq_sync(cfqq))
		return false;

	max_dispatch = MAX(cfqd->cfq_quantum / 2, 1u);
	if (cfq_class_idle(cfqq))
		max_dispatch = 1;

	/*
	 * Does this cfqq already have too much IO in flight?
	 */
	if ((unsigned)cfqq->dispatched >= max_dispatch) {
		bool promote_sync = false;
		/*
		 * idle queue must always only have a single IO in flight
		 */
		if (cfq_class_idle(cfqq))
			return false;

		/*
		 * If there is only one sync queue
		 * we can ignore async queue here and give the sync
		 * queue no dispatch limit. The reason is a sync queue can
		 * preempt async queue, limiting the sync queue doesn't make
		 * sense. This is useful for aiostress test.
		 */
		if (cfq_cfqq_sync(cfqq) && cfqd->busy_sync_queues == 1)
			promote_sync = true;

		/*
		 * We have other queues, don't allow more IO from this one
		 */
		if (cfqd->busy_queues > 1 && cfq_slice_used_soon(cfqd, cfqq) &&
				!promote_sync)
			return false;

		/*
		 * Sole queue user, no limit
		 */
		if (cfqd->busy_queues == 1 || promote_sync)
			max_dispatch = (unsigned)-1;
		else
			/*
			 * Normally we start throttling cfqq when cfq_quantum/2
			 * requests have been dispatched. But we can drive
			 * deeper queue depths at the beginning of slice
			 * subjected to upper limit of cfq_quantum.
			 * */
			max_dispatch = cfqd->cfq_quantum;
	}

	/*
	 * Async queues must wait a bit before being allowed dispatch.
	 * We also ramp up the dispatch depth gradually for async IO,
	 * based on the last sync IO we serviced
	 */
	if (!cfq_cfqq_sync(cfqq) && cfqd->cfq_latency) {
		u64 last_sync = ktime_get_ns() - cfqd->last_delayed_sync;
		unsigned int depth;

		depth = (unsigned)(last_sync / cfqd->cfq_slice[1]);
		if (!depth && !cfqq->dispatched)
			depth = 1;
		if (depth < max_dispatch)
			max_dispatch = depth;
	}

	/*
	 * If we're below the current max, allow a dispatch
	 */
	return (unsigned)cfqq->dispatched < max_dispatch;
}

/*
 * cfq_dispatch_request() - block/cfq-iosched.c: dispatch a request from
 * cfqq, moving them to the request queue dispatch list.
 */
static bool cfq_dispatch_request(struct cfq_data *cfqd,
				 struct cfq_queue *cfqq)
{
	struct request *rq;

	g_assert(!elv_rb_empty(&cfqq->sort_list));

	rq = cfq_check_fifo(cfqq);
	if (rq)
		cfq_mark_cfqq_must_dispatch(cfqq);

	if (!cfq_may_dispatch(cfqd, cfqq))
		return false;

	/*
	 * follow expired path, else get first next available
	 */
	if (!rq)
		rq = cfqq->next_rq;
	else
		cfq_log_cfqq(cfqd, cfqq, "cfq_fifo", NULL,
			     (int64_t)blk_rq_pos(rq));

	/*
	 * insert request into driver dispatch list
	 */
	cfq_dispatch_insert(cfqd->queue, rq);

	if (!cfqd->active_cic)
		cfqd->active_cic = RQ_CIC(rq);

	return true;
}

/*
 * cfq_dispatch_requests() - block/cfq-iosched.c: find the cfqq that we
 * need to service and move a request from that to the dispatch list
 */
static int cfq_dispatch_requests(struct request_queue *q, int force)
{
	struct cfq_data *cfqd = q->elevator_data;
	struct cfq_queue *cfqq;

	if (!cfqd->busy_queues)
		return 0;

	if (force)
		return cfq_forced_dispatch(cfqd);

	cfqq = cfq_select_queue(cfqd);
	if (!cfqq)
		return 0;

	/*
	 * Dispatch a request from this cfqq, if it is allowed
	 */
	if (!cfq_dispatch_request(cfqd, cfqq))
		return 0;

	cfqq->slice_dispatch++;
	cfq_clear_cfqq_must_dispatch(cfqq);

	/*
	 * expire an async queue immediately if it has used up its slice. idle
	 * queue always expire after 1 dispatch round.
	 */
	if (cfqd->busy_queues > 1 && ((!cfq_cfqq_sync(cfqq) &&
	    cfqq->slice_dispatch >= (u64)cfq_prio_to_maxrq(cfqd, cfqq)) ||
	    cfq_class_idle(cfqq))) {
		cfqq->slice_end = ktime_get_ns() + 1;
		cfq_expire_why(cfqd, cfq_class_idle(cfqq) ? "idle_class"
							  : "async_rq");
		cfq_slice_expired(cfqd, 0);
	}

	return 1;
}

/* ---- queue lifetime ---- */

/*
 * cfq_put_queue() - block/cfq-iosched.c: task holds one reference to the
 * queue, dropped when task exits. each rq in-flight on this queue also
 * holds a reference, dropped when rq is freed.
 */
static void cfq_put_queue(struct cfq_queue *cfqq)
{
	struct cfq_data *cfqd = cfqq->cfqd;

	g_assert(cfqq->ref > 0);

	cfqq->ref--;
	if (cfqq->ref)
		return;

	g_assert(elv_rb_empty(&cfqq->sort_list));
	g_assert(!(cfqq->allocated[0] + cfqq->allocated[1]));

	if (cfqd->active_queue == cfqq) {
		cfq_expire_why(cfqd, "put_queue");
		__cfq_slice_expired(cfqd, cfqq, 0);
		cfq_schedule_dispatch(cfqd);
	}

	g_assert(!cfq_cfqq_on_rr(cfqq));
	g_ptr_array_remove_fast(cfqd->queues, cfqq);
	elv_rb_free(&cfqq->sort_list);
	g_free(cfqq);
}

/* cfq_put_cooperator() - block/cfq-iosched.c */
static void cfq_put_cooperator(struct cfq_queue *cfqq)
{
	struct cfq_queue *__cfqq, *next;

	/*
	 * If this queue was scheduled to merge with another queue, be
	 * sure to drop the reference taken on that queue (and others in
	 * the merge chain).  See cfq_setup_merge and cfq_merge_cfqqs.
	 */
	__cfqq = cfqq->new_cfqq;
	while (__cfqq) {
		if (__cfqq == cfqq)
			break;
		next = __cfqq->new_cfqq;
		cfq_put_queue(__cfqq);
		__cfqq = next;
	}
}

/* cfq_exit_cfqq() - block/cfq-iosched.c */
static void cfq_exit_cfqq(struct cfq_data *cfqd, struct cfq_queue *cfqq)
{
	if (cfqq == cfqd->active_queue) {
		cfq_expire_why(cfqd, "exit");
		__cfq_slice_expired(cfqd, cfqq, 0);
		cfq_schedule_dispatch(cfqd);
	}

	cfq_put_cooperator(cfqq);

	cfq_put_queue(cfqq);
}

/*
 * cfq_exit_icq() - block/cfq-iosched.c: the task has ended
 * (exit_io_context() drops its last active reference).
 */
static void cfq_exit_icq(struct request_queue *q, struct task *t)
{
	struct cfq_data *cfqd = q->elevator_data;
	struct cfq_io_cq *cic = g_hash_table_lookup(cfqd->cics,
						    GINT_TO_POINTER(t->id));

	if (!cic)
		return;
	cic->active = false;
	if (cic_to_cfqq(cic, false)) {
		cfq_exit_cfqq(cfqd, cic_to_cfqq(cic, false));
		cic_set_cfqq(cic, NULL, false);
	}

	if (cic_to_cfqq(cic, true)) {
		cfq_exit_cfqq(cfqd, cic_to_cfqq(cic, true));
		cic_set_cfqq(cic, NULL, true);
	}
}

/* cfq_init_prio_data() - block/cfq-iosched.c */
static void cfq_init_prio_data(struct cfq_queue *cfqq,
			       struct cfq_io_cq *cic)
{
	int ioprio_class;

	if (!cfq_cfqq_prio_changed(cfqq))
		return;

	ioprio_class = (int)IOPRIO_PRIO_CLASS((unsigned)cic->ioprio);
	switch (ioprio_class) {
	default:
	case IOPRIO_CLASS_NONE:
		/*
		 * no prio set, inherit CPU scheduling settings: nice 0
		 * (task_nice_ioprio(), task_nice_ioclass())
		 */
		cfqq->ioprio = (0 + 20) / 5;
		cfqq->ioprio_class = IOPRIO_CLASS_BE;
		break;
	case IOPRIO_CLASS_RT:
		cfqq->ioprio = IOPRIO_PRIO_DATA((unsigned)cic->ioprio);
		cfqq->ioprio_class = IOPRIO_CLASS_RT;
		break;
	case IOPRIO_CLASS_BE:
		cfqq->ioprio = IOPRIO_PRIO_DATA((unsigned)cic->ioprio);
		cfqq->ioprio_class = IOPRIO_CLASS_BE;
		break;
	case IOPRIO_CLASS_IDLE:
		cfqq->ioprio_class = IOPRIO_CLASS_IDLE;
		cfqq->ioprio = 7;
		cfq_clear_cfqq_idle_window(cfqq);
		break;
	}

	/*
	 * keep track of original prio settings in case we have to temporarily
	 * elevate the priority of this queue
	 */
	cfqq->org_ioprio = cfqq->ioprio;
	cfqq->org_ioprio_class = cfqq->ioprio_class;
	cfq_clear_cfqq_prio_changed(cfqq);
}

/* cfq_init_cfqq() - block/cfq-iosched.c */
static void cfq_init_cfqq(struct cfq_data *cfqd, struct cfq_queue *cfqq,
			  struct cfq_io_cq *cic, bool is_sync)
{
	INIT_LIST_HEAD(&cfqq->fifo);
	elv_rb_init(&cfqq->sort_list);

	cfqq->ref = 0;
	cfqq->cfqd = cfqd;

	cfq_mark_cfqq_prio_changed(cfqq);

	if (is_sync) {
		if (!cfq_class_idle(cfqq))
			cfq_mark_cfqq_idle_window(cfqq);
		cfq_mark_cfqq_sync(cfqq);
	}
	cfqq->pid = is_sync ? cic->task : 0;
	cfqq->name = is_sync ? cic->name : NULL;
}

/* cfq_async_queue_prio() - block/cfq-iosched.c */
static struct cfq_queue **cfq_async_queue_prio(struct cfq_group *cfqg,
					       int ioprio_class, int ioprio)
{
	switch (ioprio_class) {
	case IOPRIO_CLASS_RT:
		return &cfqg->async_cfqq[0][ioprio];
	case IOPRIO_CLASS_NONE:
		ioprio = IOPRIO_NORM;
		/* fall through */
	case IOPRIO_CLASS_BE:
		return &cfqg->async_cfqq[1][ioprio];
	default:
		return &cfqg->async_idle_cfqq;
	}
}

/* cfq_get_queue() - block/cfq-iosched.c */
static struct cfq_queue *cfq_get_queue(struct cfq_data *cfqd, bool is_sync,
				       struct cfq_io_cq *cic)
{
	int ioprio_class = (int)IOPRIO_PRIO_CLASS((unsigned)cic->ioprio);
	int ioprio = (int)IOPRIO_PRIO_DATA((unsigned)cic->ioprio);
	struct cfq_queue **async_cfqq = NULL;
	struct cfq_queue *cfqq;
	struct cfq_group *cfqg = cfqd->root_group;

	if (!is_sync) {
		if (!ioprio_valid((unsigned)cic->ioprio)) {
			/* nice 0: task_nice_ioprio(), task_nice_ioclass() */
			ioprio = IOPRIO_NORM;
			ioprio_class = IOPRIO_CLASS_BE;
		}
		async_cfqq = cfq_async_queue_prio(cfqg, ioprio_class, ioprio);
		cfqq = *async_cfqq;
		if (cfqq)
			goto out;
	}

	cfqq = g_new0(struct cfq_queue, 1);
	g_ptr_array_add(cfqd->queues, cfqq);

	cfq_init_cfqq(cfqd, cfqq, cic, is_sync);
	cfq_init_prio_data(cfqq, cic);
	cfqq->cfqg = cfqg;	/* cfq_link_cfqq_cfqg() */

	if (async_cfqq) {
		/* a new async queue is created, pin and remember */
		cfqq->ref++;
		*async_cfqq = cfqq;
	}
out:
	cfqq->ref++;
	return cfqq;
}

/* ---- a request arrives ---- */

/* __cfq_update_io_thinktime() - block/cfq-iosched.c */
static void __cfq_update_io_thinktime(struct cfq_ttime *ttime,
				      u64 slice_idle)
{
	u64 elapsed = ktime_get_ns() - ttime->last_end_request;

	elapsed = min_u64(elapsed, 2UL * slice_idle);

	ttime->ttime_samples = (7 * ttime->ttime_samples + 256) / 8;
	ttime->ttime_total = (7 * ttime->ttime_total + 256 * elapsed) / 8;
	ttime->ttime_mean = (ttime->ttime_total + 128) /
			    ttime->ttime_samples;
}

/*
 * cfq_update_io_thinktime() - block/cfq-iosched.c (the group's think
 * time only with CONFIG_CFQ_GROUP_IOSCHED)
 */
static void cfq_update_io_thinktime(struct cfq_data *cfqd,
				    struct cfq_queue *cfqq,
				    struct cfq_io_cq *cic)
{
	if (cfq_cfqq_sync(cfqq)) {
		__cfq_update_io_thinktime(&cic->ttime, cfqd->cfq_slice_idle);
		__cfq_update_io_thinktime(&cfqq->service_tree->ttime,
					  cfqd->cfq_slice_idle);
	}
}

/* cfq_update_io_seektime() - block/cfq-iosched.c */
static void cfq_update_io_seektime(struct cfq_data *cfqd,
				   struct cfq_queue *cfqq,
				   struct request *rq)
{
	sector_t sdist = 0;
	sector_t n_sec = blk_rq_sectors(rq);

	if (cfqq->last_request_pos) {
		if (cfqq->last_request_pos < blk_rq_pos(rq))
			sdist = blk_rq_pos(rq) - cfqq->last_request_pos;
		else
			sdist = cfqq->last_request_pos - blk_rq_pos(rq);
	}

	cfqq->seek_history <<= 1;
	if (cfqd->queue->nonrot)
		cfqq->seek_history |= (n_sec < CFQQ_SECT_THR_NONROT);
	else
		cfqq->seek_history |= (sdist > CFQQ_SEEK_THR);
}

/*
 * cfq_update_idle_window() - block/cfq-iosched.c: disable idle window if
 * the process thinks too long or seeks so much that it doesn't matter
 */
static void cfq_update_idle_window(struct cfq_data *cfqd,
				   struct cfq_queue *cfqq,
				   struct cfq_io_cq *cic)
{
	int old_idle, enable_idle;

	/*
	 * Don't idle for async or idle io prio class
	 */
	if (!cfq_cfqq_sync(cfqq) || cfq_class_idle(cfqq))
		return;

	enable_idle = old_idle = cfq_cfqq_idle_window(cfqq);

	if (cfqq->queued[0] + cfqq->queued[1] >= 4)
		cfq_mark_cfqq_deep(cfqq);

	if (cfqq->next_rq && (cfqq->next_rq->cmd_flags & REQ_NOIDLE))
		enable_idle = 0;
	else if (!cic->active ||
		 !cfqd->cfq_slice_idle ||
		 (!cfq_cfqq_deep(cfqq) && CFQQ_SEEKY(cfqq)))
		enable_idle = 0;
	else if (sample_valid(cic->ttime.ttime_samples)) {
		if (cic->ttime.ttime_mean > cfqd->cfq_slice_idle)
			enable_idle = 0;
		else
			enable_idle = 1;
	}

	if (old_idle != enable_idle) {
		cfq_log_cfqq(cfqd, cfqq, "cfq_idle_window",
			     CFQQ_SEEKY(cfqq) ? "seeky" : "think_time",
			     enable_idle);
		if (enable_idle)
			cfq_mark_cfqq_idle_window(cfqq);
		else
			cfq_clear_cfqq_idle_window(cfqq);
	}
}

/*
 * cfq_should_preempt() - block/cfq-iosched.c: check if new_cfqq should
 * preempt the currently active queue.
 */
static bool cfq_should_preempt(struct cfq_data *cfqd,
			       struct cfq_queue *new_cfqq,
			       struct request *rq)
{
	struct cfq_queue *cfqq;

	cfqq = cfqd->active_queue;
	if (!cfqq)
		return false;

	if (cfq_class_idle(new_cfqq))
		return false;

	if (cfq_class_idle(cfqq))
		return true;

	/*
	 * Don't allow a non-RT request to preempt an ongoing RT cfqq timeslice.
	 */
	if (cfq_class_rt(cfqq) && !cfq_class_rt(new_cfqq))
		return false;

	/*
	 * if the new request is sync, but the currently running queue is
	 * not, let the sync request have priority.
	 */
	if (rq_is_sync(rq) && !cfq_cfqq_sync(cfqq) &&
	    !cfq_cfqq_must_dispatch(cfqq))
		return true;

	/* one group: cfqg_is_descendant() always holds */

	if (cfq_slice_used(cfqq))
		return true;

	/*
	 * Allow an RT request to pre-empt an ongoing non-RT cfqq timeslice.
	 */
	if (cfq_class_rt(new_cfqq) && !cfq_class_rt(cfqq))
		return true;

	/* Allow preemption only if we are idling on sync-noidle tree */
	if (cfqd->serving_wl_type == SYNC_NOIDLE_WORKLOAD &&
	    cfqq_type(new_cfqq) == SYNC_NOIDLE_WORKLOAD &&
	    elv_rb_empty(&cfqq->sort_list))
		return true;

	/*
	 * So both queues are sync. Let the new request get disk time if
	 * it's a metadata request and the current queue is doing regular IO.
	 */
	if ((rq->cmd_flags & REQ_PRIO) && !cfqq->prio_pending)
		return true;

	/* An idle queue should not be idle now for some reason */
	if (elv_rb_empty(&cfqq->sort_list) && !cfq_should_idle(cfqd, cfqq))
		return true;

	if (!cfqd->active_cic || !cfq_cfqq_wait_request(cfqq))
		return false;

	/*
	 * if this request is as-good as one we would expect from the
	 * current cfqq, let it preempt
	 */
	if (cfq_rq_close(cfqd, cfqq, rq))
		return true;

	return false;
}

/*
 * cfq_preempt_queue() - block/cfq-iosched.c: cfqq preempts the active
 * queue. if we allowed preempt with no slice left, let it have half of
 * its nominal slice.
 */
static void cfq_preempt_queue(struct cfq_data *cfqd, struct cfq_queue *cfqq)
{
	enum wl_type_t old_type = cfqq_type(cfqd->active_queue);

	cfq_log_cfqq(cfqd, cfqq, "cfq_preempt", NULL,
		     cfqd->active_queue->pid);
	cfq_expire_why(cfqd, "preempted");
	cfq_slice_expired(cfqd, 1);

	/*
	 * workload type is changed, don't save slice, otherwise preempt
	 * doesn't happen
	 */
	if (old_type != cfqq_type(cfqq))
		cfqq->cfqg->saved_wl_slice = 0;

	/*
	 * Put the new queue at the front of the of the current list,
	 * so we know that it will be selected next.
	 */
	g_assert(cfq_cfqq_on_rr(cfqq));

	cfq_service_tree_add(cfqd, cfqq, 1);

	cfqq->slice_end = 0;
	cfq_mark_cfqq_slice_new(cfqq);
}

/*
 * cfq_rq_enqueued() - block/cfq-iosched.c: called when a new fs request
 * (rq) is added (to cfqq). Check if there's something we should do about
 * it
 */
static void cfq_rq_enqueued(struct cfq_data *cfqd, struct cfq_queue *cfqq,
			    struct request *rq)
{
	struct cfq_io_cq *cic = RQ_CIC(rq);

	cfqd->rq_queued++;
	if (rq->cmd_flags & REQ_PRIO)
		cfqq->prio_pending++;

	cfq_update_io_thinktime(cfqd, cfqq, cic);
	cfq_update_io_seektime(cfqd, cfqq, rq);
	cfq_update_idle_window(cfqd, cfqq, cic);

	cfqq->last_request_pos = blk_rq_pos(rq) + blk_rq_sectors(rq);

	if (cfqq == cfqd->active_queue) {
		/*
		 * Remember that we saw a request from this process, but
		 * don't start queuing just yet. Otherwise we risk seeing lots
		 * of tiny requests, because we disrupt the normal plugging
		 * and merging. If the request is already larger than a single
		 * page, let it rip immediately. For that case we assume that
		 * merging is already done. Ditto for a busy system that
		 * has other work pending, don't risk delaying until the
		 * idle timer unplug to continue working.
		 */
		if (cfq_cfqq_wait_request(cfqq)) {
			if (blk_rq_sectors(rq) * 512u > PAGE_BYTES ||
			    cfqd->busy_queues > 1) {
				cfq_del_timer(cfqd, cfqq);
				cfq_clear_cfqq_wait_request(cfqq);
				__blk_run_queue(cfqd->queue);
			} else {
				cfq_mark_cfqq_must_dispatch(cfqq);
			}
		}
	} else if (cfq_should_preempt(cfqd, cfqq, rq)) {
		/*
		 * not the active queue - expire current slice if it is
		 * idle and has expired it's mean thinktime or this new queue
		 * has some old slice time left and is of higher priority or
		 * this new queue is RT and the current one is BE
		 */
		cfq_preempt_queue(cfqd, cfqq);
		__blk_run_queue(cfqd->queue);
	}
}

/* cfq_insert_request() - block/cfq-iosched.c */
static void cfq_insert_request(struct request_queue *q, struct request *rq)
{
	struct cfq_data *cfqd = q->elevator_data;
	struct cfq_queue *cfqq = RQ_CFQQ(rq);

	cfq_init_prio_data(cfqq, RQ_CIC(rq));

	rq->fifo_time = (simtime_t)(ktime_get_ns() +
				    cfqd->cfq_fifo_expire[rq_is_sync(rq)]);
	list_add_tail(&rq->queuelist, &cfqq->fifo);
	cfq_add_rq_rb(rq);
	cfq_rq_enqueued(cfqd, cfqq, rq);
}

/* ---- a request completes ---- */

/*
 * cfq_update_hw_tag() - block/cfq-iosched.c: update hw_tag based on peak
 * queue depth over 50 samples under sufficient load.
 */
static void cfq_update_hw_tag(struct cfq_data *cfqd)
{
	struct cfq_queue *cfqq = cfqd->active_queue;

	if (cfqd->rq_in_driver > cfqd->hw_tag_est_depth)
		cfqd->hw_tag_est_depth = cfqd->rq_in_driver;

	if (cfqd->hw_tag == 1)
		return;

	if (cfqd->rq_queued <= CFQ_HW_QUEUE_MIN &&
	    cfqd->rq_in_driver <= CFQ_HW_QUEUE_MIN)
		return;

	/*
	 * If active queue hasn't enough requests and can idle, cfq might not
	 * dispatch sufficient requests to hardware. Don't zero hw_tag in this
	 * case
	 */
	if (cfqq && cfq_cfqq_idle_window(cfqq) &&
	    cfqq->dispatched + cfqq->queued[0] + cfqq->queued[1] <
	    CFQ_HW_QUEUE_MIN && cfqd->rq_in_driver < CFQ_HW_QUEUE_MIN)
		return;

	if (cfqd->hw_tag_samples++ < 50)
		return;

	if (cfqd->hw_tag_est_depth >= CFQ_HW_QUEUE_MIN)
		cfqd->hw_tag = 1;
	else
		cfqd->hw_tag = 0;
}

/* cfq_should_wait_busy() - block/cfq-iosched.c */
static bool cfq_should_wait_busy(struct cfq_data *cfqd,
				 struct cfq_queue *cfqq)
{
	struct cfq_io_cq *cic = cfqd->active_cic;
	u64 now = ktime_get_ns();

	/* If the queue already has requests, don't wait */
	if (!elv_rb_empty(&cfqq->sort_list))
		return false;

	/* If there are other queues in the group, don't wait */
	if (cfqq->cfqg->nr_cfqq > 1)
		return false;

	/* the only queue in the group, but think time is big */
	if (cfq_io_thinktime_big(cfqd, &cfqq->cfqg->ttime, true))
		return false;

	if (cfq_slice_used(cfqq))
		return true;

	/* if slice left is less than think time, wait busy */
	if (cic && sample_valid(cic->ttime.ttime_samples)
	    && (cfqq->slice_end - now < cic->ttime.ttime_mean))
		return true;

	/*
	 * If think times is less than a jiffy than ttime_mean=0 and above
	 * will not be true. It might happen that slice has not expired yet
	 * but will expire soon (4-5 ns) during select_queue(). To cover the
	 * case where think time is less than a jiffy, mark the queue wait
	 * busy if only 1 jiffy is left in the slice.
	 */
	if (cfqq->slice_end - now <= jiffies_to_nsecs(1))
		return true;

	return false;
}

/* cfq_completed_request() - block/cfq-iosched.c */
static void cfq_completed_request(struct request_queue *q,
				  struct request *rq)
{
	struct cfq_queue *cfqq = RQ_CFQQ(rq);
	struct cfq_data *cfqd = cfqq->cfqd;
	const int sync = rq_is_sync(rq);
	u64 now = ktime_get_ns();

	(void)q;
	cfq_update_hw_tag(cfqd);

	g_assert(cfqd->rq_in_driver);
	g_assert(cfqq->dispatched);
	cfqd->rq_in_driver--;
	cfqq->dispatched--;
	cfqq->cfqg->dispatched--;

	cfqd->rq_in_flight[cfq_cfqq_sync(cfqq)]--;

	if (sync) {
		struct cfq_rb_root *st;

		RQ_CIC(rq)->ttime.last_end_request = now;

		if (cfq_cfqq_on_rr(cfqq))
			st = cfqq->service_tree;
		else
			st = st_for(cfqq->cfqg, cfqq_class(cfqq),
					cfqq_type(cfqq));

		st->ttime.last_end_request = now;
		/*
		 * We have to do this check in jiffies since start_time is in
		 * jiffies and it is not trivial to convert to ns. If
		 * cfq_fifo_expire[1] ever comes close to 1 jiffie, this test
		 * will become problematic but so far we are fine (the default
		 * is 128 ms).
		 */
		if (!time_after(ns_to_jiffies(rq->start_time) +
				ns_to_jiffies((simtime_t)
					      cfqd->cfq_fifo_expire[1]),
				jiffies))
			cfqd->last_delayed_sync = now;
	}

	/*
	 * If this is the active queue, check if it needs to be expired,
	 * or if we want to idle in case it has no pending requests.
	 */
	if (cfqd->active_queue == cfqq) {
		const bool cfqq_empty = elv_rb_empty(&cfqq->sort_list);

		if (cfq_cfqq_slice_new(cfqq)) {
			cfq_set_prio_slice(cfqd, cfqq);
			cfq_clear_cfqq_slice_new(cfqq);
		}

		/*
		 * Should we wait for next request to come in before we expire
		 * the queue.
		 */
		if (cfq_should_wait_busy(cfqd, cfqq)) {
			u64 extend_sl = cfqd->cfq_slice_idle;

			if (!cfqd->cfq_slice_idle)
				extend_sl = cfqd->cfq_group_idle;
			cfqq->slice_end = now + extend_sl;
			cfq_mark_cfqq_wait_busy(cfqq);
		}

		/*
		 * Idling is not enabled on:
		 * - expired queues
		 * - idle-priority queues
		 * - async queues
		 * - queues with still some requests queued
		 * - when there is a close cooperator
		 */
		if (cfq_slice_used(cfqq) || cfq_class_idle(cfqq)) {
			cfq_expire_why(cfqd, cfq_class_idle(cfqq) ?
				       "idle_class" : "slice_used");
			cfq_slice_expired(cfqd, 1);
		} else if (sync && cfqq_empty &&
			   !cfq_close_cooperator(cfqd, cfqq)) {
			cfq_arm_slice_timer(cfqd);
		}
	}

	if (!cfqd->rq_in_driver)
		cfq_schedule_dispatch(cfqd);
}

/* cfqq_boost_on_prio() - block/cfq-iosched.c */
static void cfqq_boost_on_prio(struct cfq_queue *cfqq, unsigned op_flags)
{
	/*
	 * If REQ_PRIO is set, boost class and prio level, if it's below
	 * BE/NORM. If prio is not set, restore the potentially boosted
	 * class/prio level.
	 */
	if (!(op_flags & REQ_PRIO)) {
		cfqq->ioprio_class = cfqq->org_ioprio_class;
		cfqq->ioprio = cfqq->org_ioprio;
	} else {
		if (cfq_class_idle(cfqq))
			cfqq->ioprio_class = IOPRIO_CLASS_BE;
		if (cfqq->ioprio > IOPRIO_NORM)
			cfqq->ioprio = IOPRIO_NORM;
	}
}

/* __cfq_may_queue() - block/cfq-iosched.c */
static inline int __cfq_may_queue(struct cfq_queue *cfqq)
{
	if (cfq_cfqq_wait_request(cfqq) && !cfq_cfqq_must_alloc_slice(cfqq)) {
		cfq_mark_cfqq_must_alloc_slice(cfqq);
		return ELV_MQUEUE_MUST;
	}

	return ELV_MQUEUE_MAY;
}

/*
 * cfq_may_queue() - block/cfq-iosched.c.  mpsim's hook gets the
 * operation only: its flags are taken as none (no REQ_SYNC write, no
 * REQ_PRIO), so a write asks about the async queue.
 */
static int cfq_may_queue(struct request_queue *q, unsigned int op)
{
	struct cfq_data *cfqd = q->elevator_data;
	struct cfq_io_cq *cic;
	struct cfq_queue *cfqq;

	/*
	 * don't force setup of a queue from here, as a call to may_queue
	 * does not necessarily imply that a request actually will be queued.
	 * so just lookup a possibly existing queue, or return 'may queue'
	 * if that fails
	 */
	cic = cfq_cic_find(cfqd, current);
	if (!cic)
		return ELV_MQUEUE_MAY;

	cfqq = cic_to_cfqq(cic, op == REQ_OP_READ);
	if (cfqq) {
		cfq_init_prio_data(cfqq, cic);
		cfqq_boost_on_prio(cfqq, 0);

		return __cfq_may_queue(cfqq);
	}

	return ELV_MQUEUE_MAY;
}

/* cfq_put_request() - block/cfq-iosched.c */
static void cfq_put_request(struct request *rq)
{
	struct cfq_queue *cfqq = RQ_CFQQ(rq);

	if (cfqq) {
		const int rw = rq_data_dir(rq);

		g_assert(cfqq->allocated[rw]);
		cfqq->allocated[rw]--;

		rq->elv_priv[0] = NULL;
		rq->elv_priv[1] = NULL;

		cfq_put_queue(cfqq);
	}
}

/* cfq_merge_cfqqs() - block/cfq-iosched.c */
static struct cfq_queue *cfq_merge_cfqqs(struct cfq_data *cfqd,
					 struct cfq_io_cq *cic,
					 struct cfq_queue *cfqq)
{
	cfq_log_cfqq(cfqd, cfqq, "cfq_merging", NULL, cfqq->new_cfqq->pid);
	cic_set_cfqq(cic, cfqq->new_cfqq, 1);
	cfq_mark_cfqq_coop(cfqq->new_cfqq);
	cfq_put_queue(cfqq);
	return cic_to_cfqq(cic, 1);
}

/*
 * split_cfqq() - block/cfq-iosched.c: returns NULL if a new cfqq should
 * be allocated, or the old cfqq if this was the last process referring to
 * said cfqq.
 */
static struct cfq_queue *split_cfqq(struct cfq_io_cq *cic,
				    struct cfq_queue *cfqq)
{
	if (cfqq_process_refs(cfqq) == 1) {
		cfqq->pid = cic->task;
		cfqq->name = cic->name;
		cfq_clear_cfqq_coop(cfqq);
		cfq_clear_cfqq_split_coop(cfqq);
		return cfqq;
	}

	cic_set_cfqq(cic, NULL, 1);

	cfq_put_cooperator(cfqq);

	cfq_put_queue(cfqq);
	return NULL;
}

/*
 * cfq_set_request() - block/cfq-iosched.c: allocate cfq data structures
 * associated with this request (the io context of the task that
 * allocates it).
 */
static int cfq_set_request(struct request_queue *q, struct request *rq,
			   struct bio *bio)
{
	struct cfq_data *cfqd = q->elevator_data;
	struct cfq_io_cq *cic = cfq_cic_lookup(cfqd, current);
	const int rw = rq_data_dir(rq);
	const bool is_sync = rq_is_sync(rq);
	struct cfq_queue *cfqq;

	(void)bio;
new_queue:
	cfqq = cic_to_cfqq(cic, is_sync);
	if (!cfqq) {
		cfqq = cfq_get_queue(cfqd, is_sync, cic);
		cic_set_cfqq(cic, cfqq, is_sync);
	} else {
		/*
		 * If the queue was seeky for too long, break it apart.
		 */
		if (cfq_cfqq_coop(cfqq) && cfq_cfqq_split_coop(cfqq)) {
			cfq_log_cfqq(cfqd, cfqq, "cfq_breaking_apart", NULL,
				     TRACE_NONE);
			cfqq = split_cfqq(cic, cfqq);
			if (!cfqq)
				goto new_queue;
		}

		/*
		 * Check to see if this queue is scheduled to merge with
		 * another, closely cooperating queue.  The merging of
		 * queues happens here as it must be done in process context.
		 * The reference on new_cfqq was taken in merge_cfqqs.
		 */
		if (cfqq->new_cfqq)
			cfqq = cfq_merge_cfqqs(cfqd, cic, cfqq);
	}

	cfqq->allocated[rw]++;

	cfqq->ref++;
	rq->elv_priv[0] = cfqq;
	rq->elv_priv[1] = cic;
	return 0;
}

/*
 * cfq_idle_slice_timer() - block/cfq-iosched.c: timer running if the
 * active_queue is currently idling inside its time slice.  A cancelled
 * or re-armed timer's earlier event does nothing.
 */
static void cfq_idle_slice_timer(void *arg)
{
	struct cfq_data *cfqd = arg;
	struct cfq_queue *cfqq;
	int timed_out = 1;

	if (!cfqd->idle_timer_active ||
	    cfqd->idle_timer_expires != ev_now())
		return;
	cfqd->idle_timer_active = false;
	cfq_log(cfqd, "cfq_idle_timer_fired", NULL, TRACE_NONE);

	cfqq = cfqd->active_queue;
	if (cfqq) {
		timed_out = 0;

		/*
		 * We saw a request before the queue expired, let it through
		 */
		if (cfq_cfqq_must_dispatch(cfqq))
			goto out_kick;

		/*
		 * expired
		 */
		if (cfq_slice_used(cfqq)) {
			cfq_expire_why(cfqd, "slice_used");
			goto expire;
		}

		/*
		 * only expire and reinvoke request handler, if there are
		 * other queues with pending requests
		 */
		if (!cfqd->busy_queues)
			goto out_cont;

		/*
		 * not expired and it has a request pending, let it dispatch
		 */
		if (!elv_rb_empty(&cfqq->sort_list))
			goto out_kick;

		/*
		 * Queue depth flag is reset only when the idle didn't succeed
		 */
		cfq_clear_cfqq_deep(cfqq);
		cfq_expire_why(cfqd, "idle_timeout");
	}
expire:
	cfq_slice_expired(cfqd, timed_out);
out_kick:
	cfq_schedule_dispatch(cfqd);
out_cont:
	return;
}

/* ---- setting up and tearing down ---- */

static void cfq_free_cic(gpointer data)
{
	struct cfq_io_cq *cic = data;

	g_free(cic->name);
	g_free(cic);
}

/* cfq_init_queue() - block/cfq-iosched.c, with cfq_registered_queue() */
static void *cfq_init_queue(struct request_queue *q)
{
	const struct blk_cfq_options *o = &q->opt.cfq;
	struct cfq_data *cfqd = g_new0(struct cfq_data, 1);
	struct cfq_group *cfqg = g_new0(struct cfq_group, 1);
	struct cfq_rb_root *st;
	int i, j;

	cfqd->queue = q;
	cfqd->cics = g_hash_table_new_full(g_direct_hash, g_direct_equal,
					   NULL, cfq_free_cic);
	cfqd->queues = g_ptr_array_new();

	/* cfq_init_cfqg_base() */
	for_each_cfqg_st(cfqg, i, j, st)
		cfq_rb_root_init(st);
	cfqg->ttime.last_end_request = ktime_get_ns();
	cfqg->weight = 2 * 500;		/* 2 * CFQ_WEIGHT_LEGACY_DFL */
	cfqg->leaf_weight = CFQ_ROOT_WEIGHT;
	cfqd->root_group = cfqg;

	/*
	 * Not strictly needed (since RB_ROOT just clears the node and we
	 * zeroed cfqd on alloc), but better be safe in case someone decides
	 * to add magic to the rb code
	 */
	for (i = 0; i < CFQ_PRIO_LISTS; i++)
		cfqd->prio_trees[i] = g_sequence_new(NULL);

	cfqd->cfq_quantum = o->quantum;
	cfqd->cfq_fifo_expire[0] = (u64)o->fifo_expire_ns[0];
	cfqd->cfq_fifo_expire[1] = (u64)o->fifo_expire_ns[1];
	cfqd->cfq_back_max = o->back_seek_max;
	cfqd->cfq_back_penalty = o->back_seek_penalty;
	cfqd->cfq_slice[0] = (u64)o->slice_ns[0];
	cfqd->cfq_slice[1] = (u64)o->slice_ns[1];
	cfqd->cfq_target_latency = (u64)o->target_latency_ns;
	cfqd->cfq_slice_async_rq = o->slice_async_rq;
	cfqd->cfq_slice_idle = (u64)o->slice_idle_ns;
	cfqd->cfq_group_idle = (u64)o->group_idle_ns;
	cfqd->cfq_latency = o->low_latency;
	cfqd->hw_tag = -1;
	/*
	 * we optimistically start assuming sync ops weren't delayed in last
	 * second, in order to have larger depth for async operations.
	 */
	cfqd->last_delayed_sync = ktime_get_ns() - NSEC_PER_SEC;

	/*
	 * cfq_registered_queue(): default to IOPS mode with no idling for
	 * SSDs (a slice_idle the scenario sets is written after, as sysfs
	 * would be)
	 */
	if (q->nonrot && !o->slice_idle_set)
		cfqd->cfq_slice_idle = 0;
	return cfqd;
}

/* cfq_exit_queue() - block/cfq-iosched.c: free what is left */
static void cfq_exit_queue(void *data)
{
	struct cfq_data *cfqd = data;
	struct cfq_group *cfqg = cfqd->root_group;
	struct cfq_rb_root *st;
	int i, j;

	for (guint k = 0; k < cfqd->queues->len; k++) {
		struct cfq_queue *cfqq = cfqd->queues->pdata[k];

		cfq_prio_tree_del(cfqq);
		elv_rb_free(&cfqq->sort_list);
		g_free(cfqq);
	}
	g_ptr_array_free(cfqd->queues, TRUE);
	for_each_cfqg_st(cfqg, i, j, st)
		g_sequence_free(st->rb);
	for (i = 0; i < CFQ_PRIO_LISTS; i++)
		g_sequence_free(cfqd->prio_trees[i]);
	g_hash_table_destroy(cfqd->cics);
	g_free(cfqg);
	g_free(cfqd);
}

const struct elevator_type elevator_cfq = {
	.elevator_name = "cfq",
	.elevator_merge_fn = cfq_merge,
	.elevator_merged_fn = cfq_merged_request,
	.elevator_merge_req_fn = cfq_merged_requests,
	.elevator_allow_bio_merge_fn = cfq_allow_bio_merge,
	.elevator_allow_rq_merge_fn = cfq_allow_rq_merge,
	.elevator_dispatch_fn = cfq_dispatch_requests,
	.elevator_add_req_fn = cfq_insert_request,
	.elevator_activate_req_fn = cfq_activate_request,
	.elevator_completed_req_fn = cfq_completed_request,
	.elevator_former_req_fn = elv_rb_former_request,
	.elevator_latter_req_fn = elv_rb_latter_request,
	.elevator_set_req_fn = cfq_set_request,
	.elevator_put_req_fn = cfq_put_request,
	.may_queue = cfq_may_queue,
	.elevator_exit_icq_fn = cfq_exit_icq,
	.elevator_init_fn = cfq_init_queue,
	.elevator_exit_fn = cfq_exit_queue,
};
