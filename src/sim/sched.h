/*
 * sched.h - simulated tasks: each a coroutine with its own stack.
 *
 * The kernel blocks deep inside calls (sb_bread inside get_block inside
 * do_mpage_readpage).  To keep the ported code in the kernel's shape, each
 * simulated task runs on its own stack and gives the processor back to the
 * event loop when it sleeps; a wake-up schedules an event that switches back
 * into it.  Tasks take no simulated CPU time unless they say so.
 *
 * `current` is the running task, NULL while the event loop itself runs
 * (completions, the "interrupt" context).
 */
#ifndef MPSIM_SIM_SCHED_H
#define MPSIM_SIM_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sim/event.h"

struct task;
struct blk_plug;

typedef void (*task_fn)(void *arg);

struct task {
	int id;			/* 1, 2, ... in creation order */
	char *name;
	task_fn fn;
	void *arg;
	struct blk_plug *plug;	/* as current->plug in the kernel */
	unsigned flags;		/* PF_* */
	unsigned short ioprio;	/* io_context->ioprio: IOPRIO_PRIO_VALUE(
				 * class, level); 0: none (from nice 0) */
	simtime_t start_ns, end_ns;
	bool running, finished, queued_to_run;
	struct task *wait_next;	/* link in a wait queue */
	/* io_context request batching (include/linux/iocontext.h) */
	int nr_batch_requests;	/* requests left in the batch */
	uint64_t last_waited;	/* jiffy last woken after waiting */
	struct task_ctx *ctx;	/* coroutine state, private to sched.c */
	/* dirty page accounting (balance_dirty_pages, mm/page-writeback.c) */
	unsigned long nr_dirtied;	/* pages dirtied since the last check */
	unsigned long nr_dirtied_pause;	/* the check's ratelimit */
	uint64_t dirty_paused_when;	/* jiffies */
};

#define PF_MEMALLOC 0x0800	/* as in the kernel; never set by mpsim */

struct wait_queue_head {
	struct task *first, *last;
};

extern struct task *current;

void sched_init(void);
/* Free every task; call after the event loop has drained. */
void sched_destroy(void);

/* Create a task that starts running fn(arg) at simulated time `start`. */
struct task *task_create(const char *name, simtime_t start, task_fn fn,
			 void *arg);
/* Tasks in creation order, for reports; *n gets the count. */
struct task *const *sched_tasks(int *n);
/* Tasks that have not finished (e.g. asleep forever): a deadlock. */
int sched_unfinished(void);

/*
 * Sleep on a wait queue until woken.  Like schedule() in 4.9, going to
 * sleep first flushes the task's plug (sched_submit_work).  Must be called
 * from a task.
 */
void sched_wait(struct wait_queue_head *wq);
/* Wake every task waiting on wq; each resumes at the current time. */
void wake_up_all(struct wait_queue_head *wq);
/*
 * Wake the first task waiting on wq (wake_up() with exclusive waiters, as
 * prepare_to_wait_exclusive() queues them: one at a time, oldest first).
 */
void wake_up(struct wait_queue_head *wq);
/* True when somebody waits on wq (waitqueue_active). */
static inline bool waitqueue_active(const struct wait_queue_head *wq)
{
	return wq->first != NULL;
}
/*
 * cond_resched() - kernel/sched/core.c, where a long loop lets others run.
 * No simulated time passes; but when the event loop has been asked to
 * stop (a signal), the running task gives the processor back for good, so
 * that a task that never sleeps (reading cached pages) still stops at once.
 */
void cond_resched(void);
/* Sleep for a stretch of simulated time (flushes the plug too). */
void sched_sleep(simtime_t ns);
/*
 * Spend simulated time busy, without sleeping: the plug is kept (a
 * synchronous driver call such as rw_page, or CPU work).
 */
void sched_busy(simtime_t ns);

/* Hook called before a task sleeps; the block layer sets it. */
extern void (*sched_flush_plug_hook)(struct task *t);
/*
 * Hook called when a task ends, after its plug is flushed: its io context
 * goes away (exit_io_context); the block layer sets it.
 */
extern void (*sched_exit_io_hook)(struct task *t);

#endif /* MPSIM_SIM_SCHED_H */
