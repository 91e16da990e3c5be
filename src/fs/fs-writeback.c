/*
 * fs-writeback.c - the flusher (fs/fs-writeback.c, 4.9): the per-device
 * writeback worker that writes dirty inodes back in the background.
 *
 * The worker is the device's delayed work (wb->dwork), run by a simulated
 * task of its own ("flusher").  wb_wakeup_delayed() (mm/backing-dev.c)
 * queues it dirty_writeback_centisecs ahead when the first inode becomes
 * dirty and after each run that leaves dirty inodes; wb_wakeup() queues it
 * now (balance_dirty_pages' background kick); queueing work that is
 * already queued does nothing, and a wake-up during a run queues one more
 * run.  Each run (wb_workfn -> wb_do_writeback) sets WB_writeback_running,
 * does the periodic "kupdate" pass when dirty_writeback_centisecs have
 * passed since the last one (the inodes dirtied at least
 * dirty_expire_centisecs ago), then a background pass while more pages
 * are dirty than the background threshold.  A pass (wb_writeback) holds
 * the worker's plug across inodes and writes each inode in chunks of
 * writeback_chunk_size() pages (from the bandwidth estimate and the dirty
 * limit), WB_SYNC_NONE, range_cyclic, and hands back to wb_writeback after
 * HZ / 10 of simulated time (waits for requests and page locks take time).
 * After each chunk requeue_inode() puts the inode back: off the lists when
 * clean, on b_more_io when its chunk ran out, else redirty_tail().  When no
 * dirty inode is left nothing re-queues the work and the task ends, so a
 * run ends.  Times are in jiffies ([kernel] hz), as in 4.9.
 *
 * mpsim's lists run the other way from the kernel's: new entries go to the
 * tail, so the oldest inode is at ->next (the kernel adds at the head and
 * takes from ->prev).
 *
 * Inodes themselves are written (write_inode) when more than their pages
 * is dirty, on a filesystem that writes them (fs.metadata_writes).
 *
 * Simplified: one bdi_writeback and no work items (sync(2), the forker
 * thread); the delayed work's timer fires at its jiffy, without the timer
 * wheel's slack; I_SYNC only keeps __mark_inode_dirty off the lists of an
 * inode being written: nobody waits on it (fsync does not wait for the
 * flusher, the flusher does not skip an inode fsync is writing).
 */
#include "fs/fs-writeback.h"

#include <limits.h>
#include "block/blkdev.h"
#include "mm/page-writeback.h"
#include "sim/jiffies.h"
#include "sim/sched.h"
#include "trace/trace.h"

/* fs/fs-writeback.c: 4 MiB, the chunk's granule */
#define MIN_WRITEBACK_PAGES (4096UL >> (PAGE_SHIFT - 10))
/* include/linux/writeback.h: the dirty limit's share per chunk */
#define DIRTY_SCOPE 8
/* round_down() - include/linux/kernel.h (y a power of two) */
#define round_down(x, y) ((x) & ~((__typeof__(x))(y) - 1))

enum wb_reason { WB_REASON_BACKGROUND, WB_REASON_PERIODIC };

static const char *const reason_names[] = {
	[WB_REASON_BACKGROUND] = "background",
	[WB_REASON_PERIODIC] = "kupdate",
};

/* struct wb_writeback_work - fs/fs-writeback.c */
struct wb_writeback_work {
	long nr_pages;
	enum writeback_sync_modes sync_mode;
	unsigned for_kupdate:1;
	unsigned range_cyclic:1;
	unsigned for_background:1;
	enum wb_reason reason;
	uint64_t older_than_this;	/* jiffies */
};

/* struct bdi_writeback, reduced to one device's lists and its worker */
static struct {
	struct wb_options opt;
	bool active;
	struct list_head b_dirty;	/* dirty inodes, oldest first */
	struct list_head b_io;		/* parked for writeback */
	struct list_head b_more_io;	/* parked for more writeback */
	bool running;			/* WB_writeback_running */
	uint64_t last_old_flush;	/* jiffies */
	/* the delayed work (wb->dwork) and the task that runs it */
	bool pending;			/* queued */
	uint64_t due;			/* the jiffy it runs at */
	struct task *task;		/* the worker, or NULL */
	struct wait_queue_head wq;	/* where the worker sleeps */
	bool sleeping;
	uint64_t timer_gen;
} wb;

void wb_options_init(struct wb_options *opt)
{
	opt->dirty_expire_centisecs = 3000;
	opt->dirty_writeback_centisecs = 500;
	dirty_options_init(&opt->dirty);
}

void wb_init(const struct wb_options *opt)
{
	wb.opt = *opt;
	wb.active = true;
	INIT_LIST_HEAD(&wb.b_dirty);
	INIT_LIST_HEAD(&wb.b_io);
	INIT_LIST_HEAD(&wb.b_more_io);
	wb.running = false;
	wb.pending = false;
	wb.task = NULL;
	wb.wq.first = wb.wq.last = NULL;
	wb.sleeping = false;
	wb.timer_gen = 0;
	page_writeback_init(&opt->dirty);
	wb.last_old_flush = jiffies;	/* wb_init() - mm/backing-dev.c */
}

void wb_destroy(void)
{
	wb.active = false;
	wb.task = NULL;
	writeback_counters_reset();
}

/* dirty_writeback_interval or dirty_expire_interval as jiffies */
static uint64_t centisecs_to_jiffies(unsigned centisecs)
{
	return msecs_to_jiffies((uint64_t)centisecs * 10);
}

static struct inode *wb_inode(struct list_head *head)
{
	return list_entry(head, struct inode, i_io_list);
}

/* inode_io_list_move_locked() - fs/fs-writeback.c (to the newest end) */
static void inode_io_list_move(struct inode *inode, struct list_head *head)
{
	list_del(&inode->i_io_list);
	list_add_tail(&inode->i_io_list, head);
}

/* inode_io_list_del_locked() - fs/fs-writeback.c */
static void inode_io_list_del(struct inode *inode)
{
	list_del(&inode->i_io_list);
	INIT_LIST_HEAD(&inode->i_io_list);
}

/* wb_has_dirty_io() - include/linux/backing-dev.h */
static bool wb_has_dirty_io(void)
{
	return !list_empty(&wb.b_dirty) || !list_empty(&wb.b_io) ||
	       !list_empty(&wb.b_more_io);
}

bool writeback_in_progress(void)
{
	return wb.running;
}

static void wb_worker(void *arg);

/* get_nr_dirty_inodes() - fs/inode.c: inodes on the writeback lists */
static unsigned long get_nr_dirty_inodes(void)
{
	struct list_head *lists[] = { &wb.b_dirty, &wb.b_io, &wb.b_more_io };
	unsigned long n = 0;

	for (unsigned i = 0; i < G_N_ELEMENTS(lists); i++)
		for (struct list_head *p = lists[i]->next; p != lists[i];
		     p = p->next)
			n++;
	return n;
}

/*
 * Queue the delayed work to run at jiffy `due`, creating the task that
 * runs it if none is alive, or waking it to look at the new time.
 */
static void wb_queue_work(uint64_t due)
{
	wb.pending = true;
	wb.due = due;
	if (!wb.task)
		wb.task = task_create("flusher", ev_now(), wb_worker, NULL);
	else if (wb.sleeping)
		wake_up_all(&wb.wq);
}

/*
 * wb_wakeup_delayed() - mm/backing-dev.c: queue_delayed_work() with
 * dirty_writeback_interval, which leaves work already queued alone.
 */
static void wb_wakeup_delayed(void)
{
	if (!wb.pending)
		wb_queue_work(jiffies +
			      centisecs_to_jiffies(wb.opt.dirty_writeback_centisecs));
}

/* wb_wakeup() - fs/fs-writeback.c: mod_delayed_work(dwork, 0) */
static void wb_wakeup(void)
{
	wb_queue_work(jiffies);
}

/* wb_start_background_writeback() - fs/fs-writeback.c */
void wb_start_background_writeback(void)
{
	if (wb.active)
		wb_wakeup();
}

/*
 * __mark_inode_dirty() - fs/fs-writeback.c: the first dirty inode of the
 * device queues the delayed work.  An inode being written (I_SYNC) only
 * takes the flags: the flusher's requeue_inode() places it.
 */
void __mark_inode_dirty(struct inode *inode, unsigned flags)
{
	unsigned was_dirty;
	bool wakeup_bdi;

	/* a filesystem that writes no inodes: only its pages count */
	if ((flags & (I_DIRTY_SYNC | I_DIRTY_DATASYNC)) &&
	    (!inode->i_sb || !inode->i_sb->s_op))
		return;
	if (!wb.active || (inode->i_state & flags) == flags)
		return;
	was_dirty = inode->i_state & I_DIRTY;
	inode->i_state |= flags;
	if (inode->i_state & I_SYNC)
		return;
	if (!was_dirty) {
		inode->dirtied_when = jiffies;
		wakeup_bdi = !wb_has_dirty_io();  /* wb_io_lists_populated() */
		list_del(&inode->i_io_list);
		list_add_tail(&inode->i_io_list, &wb.b_dirty);
		if (wakeup_bdi)
			wb_wakeup_delayed();
	}
}

static void trace_wb(const char *action, const struct inode *inode,
		     const struct wb_writeback_work *work, int64_t page,
		     int64_t value)
{
	struct trace_note n = trace_note_init();

	if (!trace_enabled())
		return;
	n.file = inode ? inode->i_name : NULL;
	n.page = page;
	n.value = value;
	n.reason = reason_names[work->reason];
	trace_note(action, &n);
}

/*
 * redirty_tail() - fs/fs-writeback.c: back to b_dirty as its newest entry;
 * dirtied_when is reset to now only when it is older than the newest
 * inode's there (b_dirty.next in 4.9, b_dirty.prev here).
 */
static void redirty_tail(struct inode *inode)
{
	if (!list_empty(&wb.b_dirty)) {
		struct inode *tail = wb_inode(wb.b_dirty.prev);

		if (time_before(inode->dirtied_when, tail->dirtied_when))
			inode->dirtied_when = jiffies;
	}
	inode_io_list_move(inode, &wb.b_dirty);
}

/* requeue_io() - fs/fs-writeback.c */
static void requeue_io(struct inode *inode)
{
	inode_io_list_move(inode, &wb.b_more_io);
}

/* inode_dirtied_after() - fs/fs-writeback.c (64-bit) */
static bool inode_dirtied_after(struct inode *inode, uint64_t t)
{
	return time_after(inode->dirtied_when, t);
}

/*
 * queue_io() - fs/fs-writeback.c: b_more_io goes back to b_io, then
 * move_expired_inodes() adds the inodes dirtied before older_than_this,
 * oldest first.
 */
static void queue_io(struct wb_writeback_work *work)
{
	struct list_head *pos, *next;

	while (!list_empty(&wb.b_more_io))
		inode_io_list_move(wb_inode(wb.b_more_io.next), &wb.b_io);
	for (pos = wb.b_dirty.next; pos != &wb.b_dirty; pos = next) {
		struct inode *inode = wb_inode(pos);

		next = pos->next;
		if (inode_dirtied_after(inode, work->older_than_this))
			break;
		inode_io_list_move(inode, &wb.b_io);
	}
}

static bool page_is_dirty(struct page *page, void *arg)
{
	*(bool *)arg = PageDirty(page);
	return *(bool *)arg;
}

/* mapping_tagged(mapping, PAGECACHE_TAG_DIRTY) */
static bool mapping_tagged_dirty(struct address_space *mapping)
{
	bool dirty = false;

	mapping_foreach_page(mapping, 0, page_is_dirty, &dirty);
	return dirty;
}

/*
 * requeue_inode() - fs/fs-writeback.c: after a chunk, an inode whose
 * writeback skipped pages is redirtied; one with dirty pages left goes to
 * b_more_io when its chunk ran out, else is redirtied; a clean one leaves
 * the lists.
 */
static void requeue_inode(struct inode *inode, struct writeback_control *wbc)
{
	if (wbc->pages_skipped) {
		/*
		 * writeback is not making progress due to locked
		 * buffers. Skip this inode for now.
		 */
		redirty_tail(inode);
		return;
	}

	if (mapping_tagged_dirty(inode->i_mapping)) {
		if (wbc->nr_to_write <= 0) {
			/* Slice used up. Queue for next turn. */
			requeue_io(inode);
		} else {
			/*
			 * Writeback blocked by something other than
			 * congestion.
			 */
			redirty_tail(inode);
		}
	} else if (inode->i_state & I_DIRTY) {
		/*
		 * Filesystems can dirty the inode during writeback operations,
		 * such as delayed allocation during submission or metadata
		 * updates after data IO completion.
		 */
		redirty_tail(inode);
	} else {
		/* The inode is clean. Remove from writeback lists. */
		inode_io_list_del(inode);
	}
}

static bool page_under_writeback(struct page *page, void *arg)
{
	*(bool *)arg = PageWriteback(page);
	return *(bool *)arg;
}

/* mapping_tagged(mapping, PAGECACHE_TAG_WRITEBACK) */
static bool mapping_tagged_writeback(struct address_space *mapping)
{
	bool wb_pages = false;

	mapping_foreach_page(mapping, 0, page_under_writeback, &wb_pages);
	return wb_pages;
}

/* write_inode() - fs/fs-writeback.c */
static int write_inode(struct inode *inode, struct writeback_control *wbc)
{
	if (inode->i_sb->s_op && inode->i_sb->s_op->write_inode)
		return inode->i_sb->s_op->write_inode(inode, wbc);
	return 0;
}

/*
 * __writeback_single_inode() - fs/fs-writeback.c: write the pages (and
 * for WB_SYNC_ALL wait on them), clear the inode's dirty state, keeping
 * I_DIRTY_PAGES while a page is still dirty, and write the inode itself
 * when more than its pages was dirty.
 */
static int __writeback_single_inode(struct inode *inode,
				    struct writeback_control *wbc)
{
	struct address_space *mapping = inode->i_mapping;
	unsigned dirty;
	int ret;

	ret = do_writepages(mapping, wbc);
	if (wbc->sync_mode == WB_SYNC_ALL && !wbc->for_sync) {
		int err = filemap_fdatawait_range(mapping, 0, LLONG_MAX_LOFF);

		if (ret == 0)
			ret = err;
	}
	dirty = inode->i_state & I_DIRTY;
	inode->i_state &= ~dirty;
	if (mapping_tagged_dirty(mapping))
		inode->i_state |= I_DIRTY_PAGES;
	/* Don't write the inode if only I_DIRTY_PAGES was set */
	if (dirty & ~I_DIRTY_PAGES) {
		int err = write_inode(inode, wbc);

		if (ret == 0)
			ret = err;
	}
	return ret;
}

/* writeback_chunk_size() - fs/fs-writeback.c (WB_SYNC_NONE) */
static long writeback_chunk_size(struct wb_writeback_work *work)
{
	long pages;

	pages = (long)min_t(unsigned long, wb_avg_write_bandwidth() / 2,
			    global_dirty_limit() / DIRTY_SCOPE);
	pages = min_t(long, pages, work->nr_pages);
	pages = (long)round_down((unsigned long)pages + MIN_WRITEBACK_PAGES,
				 MIN_WRITEBACK_PAGES);
	return pages;
}

/*
 * writeback_sb_inodes() - fs/fs-writeback.c: one chunk of each parked
 * inode, until the work is done or HZ / 10 has passed with some written.
 * Returns the pages written plus the inodes left clean.
 */
static long writeback_sb_inodes(struct wb_writeback_work *work)
{
	uint64_t start_time = jiffies;
	long wrote = 0;

	while (!list_empty(&wb.b_io)) {
		struct inode *inode = wb_inode(wb.b_io.next);
		long write_chunk = writeback_chunk_size(work);
		struct writeback_control wbc = {
			.sync_mode = work->sync_mode,
			.nr_to_write = write_chunk,
			.pages_skipped = 0,
			.range_cyclic = work->range_cyclic,
			.for_kupdate = work->for_kupdate,
			.for_background = work->for_background,
			.range_start = 0,
			.range_end = LLONG_MAX_LOFF,
		};
		pgoff_t from = inode->i_mapping->writeback_index;

		inode->i_state |= I_SYNC;
		__writeback_single_inode(inode, &wbc);
		trace_wb("writeback", inode, work, (int64_t)from,
			 write_chunk - wbc.nr_to_write);
		work->nr_pages -= write_chunk - wbc.nr_to_write;
		wrote += write_chunk - wbc.nr_to_write;
		if (!(inode->i_state & I_DIRTY_ALL))
			wrote++;
		requeue_inode(inode, &wbc);
		inode->i_state &= ~I_SYNC;	/* inode_sync_complete() */

		/*
		 * bail out to wb_writeback() often enough to check
		 * background threshold and other termination conditions.
		 */
		if (wrote) {
			if (time_after(jiffies, start_time + HZ / 10UL))
				break;
			if (work->nr_pages <= 0)
				break;
		}
	}
	return wrote;
}

/*
 * wb_writeback() - fs/fs-writeback.c.  (__writeback_inodes_wb, the loop
 * over superblocks, is writeback_sb_inodes itself with one superblock.)
 */
static long wb_writeback(struct wb_writeback_work *work)
{
	uint64_t wb_start = jiffies;
	long nr_pages = work->nr_pages;
	long progress;
	struct blk_plug plug;

	work->older_than_this = jiffies;
	blk_start_plug(&plug);
	for (;;) {
		/*
		 * Stop writeback when nr_pages has been consumed
		 */
		if (work->nr_pages <= 0)
			break;

		/*
		 * For background writeout, stop when we are below the
		 * background dirty threshold
		 */
		if (work->for_background && !wb_over_bg_thresh())
			break;

		if (work->for_kupdate)
			work->older_than_this = jiffies -
				centisecs_to_jiffies(wb.opt.dirty_expire_centisecs);
		else if (work->for_background)
			work->older_than_this = jiffies;

		if (list_empty(&wb.b_io))
			queue_io(work);
		progress = writeback_sb_inodes(work);

		wb_update_bandwidth(wb_start);

		/*
		 * Did we write something? Try for more
		 */
		if (progress)
			continue;
		/*
		 * No more inodes for IO, bail (the kernel would wait on an
		 * inode of b_more_io under I_SYNC; none is here: only the
		 * flusher sets it, and it is between inodes)
		 */
		break;
	}
	blk_finish_plug(&plug);

	return nr_pages - work->nr_pages;
}

/* wb_check_background_flush() - fs/fs-writeback.c */
static long wb_check_background_flush(void)
{
	if (wb_over_bg_thresh()) {
		struct wb_writeback_work work = {
			.nr_pages = LONG_MAX,
			.sync_mode = WB_SYNC_NONE,
			.for_background = 1,
			.range_cyclic = 1,
			.reason = WB_REASON_BACKGROUND,
		};

		trace_wb("wb_start", NULL, &work, TRACE_NONE,
			 (int64_t)global_dirty_pages());
		return wb_writeback(&work);
	}
	return 0;
}

/* wb_check_old_data_flush() - fs/fs-writeback.c */
static long wb_check_old_data_flush(void)
{
	uint64_t expired;
	long nr_pages;

	/*
	 * When set to zero, disable periodic writeback
	 */
	if (!wb.opt.dirty_writeback_centisecs)
		return 0;
	expired = wb.last_old_flush +
		  centisecs_to_jiffies(wb.opt.dirty_writeback_centisecs);
	if (time_before(jiffies, expired))
		return 0;
	wb.last_old_flush = jiffies;
	/* get_nr_dirty_pages(): dirty pages plus dirty inodes */
	nr_pages = (long)(global_dirty_pages() + get_nr_dirty_inodes());
	if (nr_pages) {
		struct wb_writeback_work work = {
			.nr_pages = nr_pages,
			.sync_mode = WB_SYNC_NONE,
			.for_kupdate = 1,
			.range_cyclic = 1,
			.reason = WB_REASON_PERIODIC,
		};

		trace_wb("wb_start", NULL, &work, TRACE_NONE, nr_pages);
		return wb_writeback(&work);
	}
	return 0;
}

/*
 * wb_do_writeback() - fs/fs-writeback.c: kupdate first, then background,
 * with WB_writeback_running set around both.
 */
static long wb_do_writeback(void)
{
	long wrote = 0;

	wb.running = true;
	/*
	 * Check for periodic writeback, kupdated() style
	 */
	wrote += wb_check_old_data_flush();
	wrote += wb_check_background_flush();
	wb.running = false;
	return wrote;
}

/* wb_workfn() - fs/fs-writeback.c */
static void wb_workfn(void)
{
	wb_do_writeback();
	if (wb_has_dirty_io() && wb.opt.dirty_writeback_centisecs)
		wb_wakeup_delayed();
}

static void wb_timer(void *arg)
{
	uint64_t gen = (uint64_t)(uintptr_t)arg;

	if (wb.active && gen == wb.timer_gen && wb.sleeping)
		wake_up_all(&wb.wq);
}

/* Sleep until the delayed work's jiffy, or until it is queued anew. */
static void wb_sleep_until_due(void)
{
	wb.timer_gen++;
	ev_after(jiffies_to_ns(wb.due) - ev_now(), wb_timer,
		 (void *)(uintptr_t)wb.timer_gen);
	wb.sleeping = true;
	sched_wait(&wb.wq);
	wb.sleeping = false;
	wb.timer_gen++;		/* a pending timer is stale now */
}

/*
 * The worker's life: run the delayed work each time it is due, for as
 * long as it is queued; then end (the next dirty inode creates a new one).
 */
static void wb_worker(void *arg)
{
	(void)arg;
	while (wb.pending) {
		if (time_before(jiffies, wb.due)) {
			wb_sleep_until_due();
			continue;
		}
		wb.pending = false;
		wb_workfn();
	}
	wb.task = NULL;
}

/*
 * writeback_single_inode() - fs/fs-writeback.c, outside the flusher: a
 * clean inode without pages under writeback is left alone; else it is
 * written, and a clean one leaves the writeback lists.  (4.9 first waits
 * for a flusher writing the same inode, I_SYNC; mpsim does not.)
 */
static int writeback_single_inode(struct inode *inode,
				  struct writeback_control *wbc)
{
	/* the flusher's I_SYNC, if it is writing the inode, stays its own */
	bool flusher = inode->i_state & I_SYNC;
	int ret;

	if (!(inode->i_state & I_DIRTY_ALL) &&
	    (wbc->sync_mode != WB_SYNC_ALL ||
	     !mapping_tagged_writeback(inode->i_mapping)))
		return 0;
	inode->i_state |= I_SYNC;
	ret = __writeback_single_inode(inode, wbc);
	/*
	 * If inode is clean, remove it from writeback lists. Otherwise don't
	 * touch it.
	 */
	if (!(inode->i_state & I_DIRTY_ALL))
		inode_io_list_del(inode);
	if (!flusher)
		inode->i_state &= ~I_SYNC;	/* inode_sync_complete() */
	return ret;
}

/* sync_inode_metadata() - fs/fs-writeback.c, with sync_inode() */
int sync_inode_metadata(struct inode *inode, int wait)
{
	struct writeback_control wbc = {
		.sync_mode = wait ? WB_SYNC_ALL : WB_SYNC_NONE,
		.nr_to_write = 0, /* metadata-only */
	};

	return writeback_single_inode(inode, &wbc);
}
