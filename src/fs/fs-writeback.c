/*
 * fs-writeback.c - the flusher (fs/fs-writeback.c, 4.9): the per-device
 * writeback worker that writes dirty inodes back in the background.
 *
 * The worker is a simulated task of its own ("flusher").  It is created
 * when an inode first becomes dirty while no worker exists, as
 * wb_wakeup_delayed() queues the delayed work: it first wakes
 * dirty_writeback_centisecs later.  Each time it runs (wb_do_writeback) it
 * does a background pass while more pages are dirty than the background
 * threshold, then a periodic "kupdate" pass every dirty_writeback_centisecs
 * over the inodes dirtied at least dirty_expire_centisecs ago.  An inode
 * leaves the dirty lists when the flusher finds it clean, or when fsync
 * leaves it clean (sync_inode_metadata).  Each pass
 * (wb_writeback) holds the worker's own plug across inodes and writes each
 * inode in chunks of MAX_WRITEBACK_PAGES pages, WB_SYNC_NONE, range_cyclic,
 * moving on to the next inode after each chunk.  When no dirty inode is
 * left the worker ends (nothing re-arms the delayed work), so a run ends.
 *
 * Simplified: one bdi_writeback; the chunk size ignores the write bandwidth
 * estimate (writeback_chunk_size() rounds it to MIN_WRITEBACK_PAGES =
 * 1024 pages; the bandwidth term is taken as zero); no time limit per
 * inode (the kernel's HZ/10 never elapses: submitting takes no simulated
 * time); writers are never throttled (balance_dirty_pages only kicks the
 * background pass); inodes themselves are never written.
 */
#include "fs/fs-writeback.h"

#include "block/blkdev.h"
#include "mm/page-writeback.h"
#include "sim/sched.h"
#include "trace/trace.h"

#define NS_PER_CENTISEC 10000000LL

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
	simtime_t older_than_this;
};

/* struct bdi_writeback, reduced to one device's lists and its worker */
static struct {
	struct wb_options opt;
	bool active;
	struct list_head b_dirty;	/* dirty inodes, oldest first */
	struct list_head b_io;		/* parked for writeback */
	struct list_head b_more_io;	/* parked for more writeback */
	struct task *task;		/* the worker, or NULL */
	struct wait_queue_head wq;	/* where the worker sleeps */
	bool sleeping, kicked;
	uint64_t timer_gen;
	simtime_t last_old_flush;
} wb;

void wb_options_init(struct wb_options *opt)
{
	opt->dirty_expire_centisecs = 3000;
	opt->dirty_writeback_centisecs = 500;
	opt->background_pages = 8192;
}

void wb_init(const struct wb_options *opt)
{
	wb.opt = *opt;
	wb.active = true;
	INIT_LIST_HEAD(&wb.b_dirty);
	INIT_LIST_HEAD(&wb.b_io);
	INIT_LIST_HEAD(&wb.b_more_io);
	wb.task = NULL;
	wb.wq.first = wb.wq.last = NULL;
	wb.sleeping = wb.kicked = false;
	wb.timer_gen = 0;
	wb.last_old_flush = 0;
	writeback_counters_reset();
}

void wb_destroy(void)
{
	wb.active = false;
	wb.task = NULL;
	writeback_counters_reset();
}

static simtime_t interval_ns(unsigned centisecs)
{
	return (simtime_t)centisecs * NS_PER_CENTISEC;
}

static struct inode *wb_inode(struct list_head *head)
{
	return list_entry(head, struct inode, i_io_list);
}

static void inode_io_list_move(struct inode *inode, struct list_head *head)
{
	list_del(&inode->i_io_list);
	list_add_tail(&inode->i_io_list, head);
}

static bool wb_has_dirty_io(void)
{
	return !list_empty(&wb.b_dirty) || !list_empty(&wb.b_io) ||
	       !list_empty(&wb.b_more_io);
}

static void wb_workfn(void *arg);

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

/* wb_wakeup_delayed() - mm/backing-dev.c, as the creation of the worker */
static void wb_wakeup_delayed(void)
{
	if (wb.task)
		return;
	wb.task = task_create("flusher", ev_now(), wb_workfn, NULL);
}

/* __mark_inode_dirty() - fs/fs-writeback.c (I_DIRTY_PAGES only) */
void __mark_inode_dirty(struct inode *inode, unsigned flags)
{
	if (!wb.active || (inode->i_state & flags) == flags)
		return;
	inode->i_state |= flags;
	inode->dirtied_when = ev_now();
	list_add_tail(&inode->i_io_list, &wb.b_dirty);
	wb_wakeup_delayed();
}

static void wb_wakeup(void)
{
	wb.kicked = true;
	if (wb.sleeping)
		wake_up_all(&wb.wq);
}

/* balance_dirty_pages_ratelimited() - mm/page-writeback.c, the kick only */
void balance_dirty_pages_ratelimited(struct address_space *mapping)
{
	(void)mapping;
	if (!wb.active || global_dirty_pages() <= wb.opt.background_pages)
		return;
	if (!wb.task)
		wb_wakeup_delayed();
	wb_wakeup();
}

static bool wb_over_bg_thresh(void)
{
	return global_dirty_pages() > wb.opt.background_pages;
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
 * queue_io() - fs/fs-writeback.c: b_more_io goes back to b_io, then the
 * inodes dirtied before older_than_this, oldest first.
 */
static void queue_io(struct wb_writeback_work *work)
{
	struct list_head *pos, *next;

	while (!list_empty(&wb.b_more_io))
		inode_io_list_move(wb_inode(wb.b_more_io.next), &wb.b_io);
	for (pos = wb.b_dirty.next; pos != &wb.b_dirty; pos = next) {
		struct inode *inode = wb_inode(pos);

		next = pos->next;
		if (inode->dirtied_when > work->older_than_this)
			break;
		inode_io_list_move(inode, &wb.b_io);
	}
}

static bool page_is_dirty(struct page *page, void *arg)
{
	*(bool *)arg = PageDirty(page);
	return *(bool *)arg;
}

static bool mapping_tagged_dirty(struct address_space *mapping)
{
	bool dirty = false;

	mapping_foreach_page(mapping, 0, page_is_dirty, &dirty);
	return dirty;
}

/*
 * requeue_inode() - fs/fs-writeback.c: a clean inode leaves the lists; one
 * whose chunk ran out goes to b_more_io; one left dirty for another reason
 * is redirtied (redirty_tail).
 */
static void requeue_inode(struct inode *inode, struct writeback_control *wbc)
{
	if (!mapping_tagged_dirty(inode->i_mapping)) {
		inode->i_state &= ~I_DIRTY_PAGES;
		list_del(&inode->i_io_list);
		INIT_LIST_HEAD(&inode->i_io_list);
	} else if (wbc->nr_to_write <= 0) {
		inode_io_list_move(inode, &wb.b_more_io);
	} else {
		inode->dirtied_when = ev_now();
		inode_io_list_move(inode, &wb.b_dirty);
	}
}

/*
 * writeback_sb_inodes() - fs/fs-writeback.c: one chunk of each parked
 * inode.  Returns the pages written.
 */
static long writeback_sb_inodes(struct wb_writeback_work *work)
{
	long wrote = 0;

	while (!list_empty(&wb.b_io)) {
		struct inode *inode = wb_inode(wb.b_io.next);
		/* writeback_chunk_size(): bandwidth term 0, rounded up */
		long write_chunk = MAX_WRITEBACK_PAGES;
		struct writeback_control wbc = {
			.sync_mode = work->sync_mode,
			.nr_to_write = write_chunk,
			.range_cyclic = work->range_cyclic,
			.for_kupdate = work->for_kupdate,
			.for_background = work->for_background,
			.range_start = 0,
			.range_end = LLONG_MAX_LOFF,
		};
		pgoff_t from = inode->i_mapping->writeback_index;

		/* __writeback_single_inode() */
		do_writepages(inode->i_mapping, &wbc);
		trace_wb("writeback", inode, work, (int64_t)from,
			 write_chunk - wbc.nr_to_write);
		work->nr_pages -= write_chunk - wbc.nr_to_write;
		wrote += write_chunk - wbc.nr_to_write;
		requeue_inode(inode, &wbc);
		if (wrote && work->nr_pages <= 0)
			break;
	}
	return wrote;
}

/* wb_writeback() - fs/fs-writeback.c */
static long wb_writeback(struct wb_writeback_work *work)
{
	long nr_pages = work->nr_pages;
	long progress;
	struct blk_plug plug;

	work->older_than_this = ev_now();
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
			work->older_than_this = ev_now() -
				interval_ns(wb.opt.dirty_expire_centisecs);
		else if (work->for_background)
			work->older_than_this = ev_now();

		if (list_empty(&wb.b_io))
			queue_io(work);
		progress = writeback_sb_inodes(work);

		/*
		 * Did we write something? Try for more
		 */
		if (progress)
			continue;
		/*
		 * No more inodes for IO, bail (the kernel would wait on an
		 * inode under writeback in b_more_io; nothing here holds
		 * one back)
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
			.nr_pages = INT64_MAX,
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
	simtime_t expired;
	long nr_pages;

	if (!wb.opt.dirty_writeback_centisecs)
		return 0;
	expired = wb.last_old_flush +
		  interval_ns(wb.opt.dirty_writeback_centisecs);
	if (ev_now() < expired)
		return 0;
	wb.last_old_flush = ev_now();
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

static void wb_timer(void *arg)
{
	uint64_t gen = (uint64_t)(uintptr_t)arg;

	if (wb.active && gen == wb.timer_gen && wb.sleeping)
		wake_up_all(&wb.wq);
}

/* Sleep until the delayed work is due, or a kick. */
static void wb_sleep(simtime_t delay)
{
	if (wb.kicked)
		return;
	wb.timer_gen++;
	ev_after(delay, wb_timer, (void *)(uintptr_t)wb.timer_gen);
	wb.sleeping = true;
	sched_wait(&wb.wq);
	wb.sleeping = false;
	wb.timer_gen++;		/* a pending timer is stale now */
}

/*
 * wb_workfn() - fs/fs-writeback.c: the worker's life.  Each run does the
 * background and the periodic pass; with dirty inodes left it sleeps
 * until the next period (wb_wakeup_delayed), else it ends.
 */
static void wb_workfn(void *arg)
{
	(void)arg;
	wb_sleep(interval_ns(wb.opt.dirty_writeback_centisecs));
	for (;;) {
		wb.kicked = false;
		wb_check_background_flush();
		wb_check_old_data_flush();
		if (!wb_has_dirty_io() && !wb.kicked)
			break;
		wb_sleep(interval_ns(wb.opt.dirty_writeback_centisecs));
	}
	wb.task = NULL;
}

/*
 * sync_inode_metadata() - fs/fs-writeback.c, as __generic_file_fsync()
 * calls it once the data is on disk: writeback_single_inode() finds no
 * dirty page left, clears I_DIRTY_PAGES and takes the inode off the
 * writeback lists (inode_io_list_del_locked).  The inode itself is not
 * written in mpsim.
 */
void sync_inode_metadata(struct inode *inode)
{
	if (!(inode->i_state & I_DIRTY_PAGES) ||
	    mapping_tagged_dirty(inode->i_mapping))
		return;
	inode->i_state &= ~I_DIRTY_PAGES;
	list_del(&inode->i_io_list);
	INIT_LIST_HEAD(&inode->i_io_list);
}
