/*
 * task.c - the workload ops a scenario gives a task.
 *
 *   readpages A-B  one ->readpages call over pages A..B, inside a plug, as
 *                  mm/readahead.c's read_pages() makes it.  The list holds
 *                  every page of the range, cached or not: a cached page
 *                  fails add_to_page_cache_lru() inside mpage_readpages and
 *                  is skipped there (4.9's readahead leaves cached pages out
 *                  of the list; use this op to reach that branch).
 *   readpage N     ->readpage of one page, without a plug, as
 *                  do_generic_file_read() does after a miss: a new locked
 *                  page, or a cached page that is not up to date (locked
 *                  first).  An up-to-date page needs nothing.
 *   wait A-B       sleep until each cached page of the range is unlocked.
 *   sleep T        sleep for T of simulated time.
 *
 * and the read(2) ops, through do_generic_file_read() and readahead with
 * the task's own file_ra_state:
 *
 *   read OFFSET LEN REQSIZE        sequential read(2)s of REQSIZE bytes
 *   randread COUNT REQSIZE SEED    reads at random REQSIZE-aligned offsets
 *                                  in the file (GLib's g_rand, seeded)
 *   strided OFFSET REQSIZE STRIDE COUNT   reads STRIDE bytes apart
 *   drop_caches                    echo 1 > drop_caches, plus the buffer
 *                                  cache's clean pointer blocks
 *
 * and the write ops:
 *
 *   write OFF LEN  a buffered write(2) of LEN bytes at OFF
 *                  (generic_perform_write: ->write_begin allocates,
 *                  ->write_end dirties).
 *   writeback NR   one ->writepages call: WB_SYNC_NONE, nr_to_write NR,
 *                  range_cyclic, as the flusher makes it.
 *   fsync          fsync(2) of the whole file (ext2_fsync); logs "fsync"
 *                  with the pages still dirty or under writeback after it.
 *   fdatasync      fdatasync(2): the same, the inode written only when
 *                  I_DIRTY_DATASYNC.
 *
 * and the mpage lab's ops, which call fs/mpage.c's entry points by name
 * where the ops above go through the filesystem's a_ops and their callers'
 * checks (docs/mpage-lab.md):
 *
 *   mpage_readpage N       lock page N (added to the cache if absent) and
 *                          call mpage_readpage on it, up to date or not
 *   mpage_writepage N      lock dirty page N, clear its dirty bit and call
 *                          mpage_writepage: no fall back on -EAGAIN
 *   mpage_writepages [A-B] [all|none] [cyclic]
 *                          one mpage_writepages (write_cache_pages) pass
 */
#include "task/task.h"

#include "block/blkdev.h"
#include "fs/buffer.h"
#include "fs/ext2/ext2.h"
#include "fs/fs.h"
#include "fs/mpage.h"
#include "mm/page-writeback.h"
#include "mm/readahead.h"
#include "mm/vmscan.h"
#include "sim/rng.h"
#include "trace/trace.h"

static void trace_task(const char *action, const struct workload *w)
{
	struct trace_note n = trace_note_init();

	if (!trace_enabled())
		return;
	n.file = w->inode->i_name;
	trace_note(action, &n);
}

/* read_pages() - mm/readahead.c, over a list built as readahead builds it */
static void op_readpages(struct inode *inode, pgoff_t first, pgoff_t last)
{
	struct address_space *mapping = inode->i_mapping;
	LIST_HEAD(page_pool);
	unsigned nr_pages = 0;

	/* room for the pages first, as their allocation would reclaim */
	page_cache_reserve((unsigned long)(last - first + 1));
	/*
	 * __do_page_cache_readahead adds each page at the head of the list,
	 * so that pages->prev is the lowest index.
	 */
	for (pgoff_t index = first;; index++) {
		struct page *page = page_alloc(index);

		list_add(&page->lru, &page_pool);
		nr_pages++;
		cond_resched();
		if (index == last)
			break;
	}

	read_pages(mapping, &page_pool, nr_pages);
}

/* A new page added to the cache, locked (as a read miss makes it), or NULL. */
static struct page *add_new_page(struct address_space *mapping,
				 pgoff_t index)
{
	struct page *page;

	page_cache_reserve(1);
	page = page_alloc(index);
	if (add_to_page_cache_lru(page, mapping, index, mapping->gfp_mask)) {
		put_page(page);
		return NULL;
	}
	return page;
}

static void op_readpage(struct inode *inode, pgoff_t index)
{
	struct address_space *mapping = inode->i_mapping;
	struct page *page = find_get_page(mapping, index);

	if (!page) {
		page = add_new_page(mapping, index);
		if (!page)
			return;
	} else {
		if (PageUptodate(page)) {
			put_page(page);
			return;
		}
		lock_page(page);
		if (PageUptodate(page)) {
			unlock_page(page);
			put_page(page);
			return;
		}
	}
	ClearPageError(page);
	mapping->host->a_ops->readpage(page);
	put_page(page);
}

static void op_wait(struct inode *inode, pgoff_t first, pgoff_t last)
{
	for (pgoff_t index = first;; index++) {
		struct page *page = find_get_page(inode->i_mapping, index);

		if (page) {
			wait_on_page_locked(page);
			put_page(page);
		}
		cond_resched();
		if (index == last)
			break;
	}
}

/* pread(2) of len bytes at pos, as many calls as needed at EOF: one */
static void file_read(struct workload *w, loff_t pos, uint64_t len)
{
	do_generic_file_read(w->inode->i_mapping, &w->ra, &pos, len,
			     w->spec->copy_ns);
}

/* LEN bytes from OFFSET in REQSIZE read(2)s; stops at end of file. */
static void op_read(struct workload *w, const struct scen_op *op)
{
	loff_t pos = (loff_t)op->a;
	uint64_t left = op->b;

	while (left) {
		uint64_t count = left < op->c ? left : op->c;
		int64_t n = do_generic_file_read(w->inode->i_mapping, &w->ra,
						 &pos, count, w->spec->copy_ns);

		if (n <= 0)
			break;
		left -= (uint64_t)n;
		w->units_done++;
		cond_resched();
	}
}

/*
 * The stream of a randread that names no seed: the run's stream
 * "task.NAME.randread.K", K the op's index in the task's ops.
 */
static GRand *randread_stream(struct workload *w, const struct scen_op *op)
{
	const struct scen_op *ops = (const struct scen_op *)w->spec->ops->data;
	char *purpose = g_strdup_printf("task.%s.randread.%u", w->spec->name,
					(unsigned)(op - ops));
	GRand *r = rng_stream(w->seed, purpose);

	g_free(purpose);
	return r;
}

/* COUNT reads of REQSIZE at offsets k * REQSIZE, k uniform in the file. */
static void op_randread(struct workload *w, const struct scen_op *op)
{
	GRand *rand = op->b ? randread_stream(w, op) :
			      g_rand_new_with_seed((guint32)op->d);
	uint64_t slots = (uint64_t)i_size_read(w->inode) / op->c;

	for (uint64_t i = 0; i < op->a; i++) {
		uint64_t k;

		if (slots <= G_MAXINT32)
			k = (uint64_t)g_rand_int_range(rand, 0, (gint32)slots);
		else
			k = (uint64_t)(g_rand_double(rand) * (double)slots);
		file_read(w, (loff_t)(k * op->c), op->c);
		w->units_done++;
		cond_resched();
	}
	g_rand_free(rand);
}

static void op_strided(struct workload *w, const struct scen_op *op)
{
	for (uint64_t i = 0; i < op->d; i++) {
		file_read(w, (loff_t)(op->a + i * op->b), op->c);
		w->units_done++;
		cond_resched();
	}
}

/* drop_caches: clean pages of every file, then clean pointer blocks. */
static void op_drop_caches(struct workload *w)
{
	for (unsigned i = 0; i < w->nr_inodes; i++)
		invalidate_mapping_pages(w->all_inodes[i]->i_mapping, 0,
					 (pgoff_t)-1);
	if (w->bdev)
		invalidate_bdev(w->bdev);
	trace_task("drop_caches", w);
}

/* write(2) of [pos, pos + len): generic_perform_write */
static void op_write(struct inode *inode, uint64_t pos, uint64_t len)
{
	generic_perform_write(inode, (loff_t)pos, len);
}

/* One ->writepages call as wb_writeback makes it, for nr pages. */
static void op_writeback(struct inode *inode, uint64_t nr)
{
	struct writeback_control wbc = {
		.sync_mode = WB_SYNC_NONE,
		.nr_to_write = (long)nr,
		.range_cyclic = 1,
		.range_start = 0,
		.range_end = LLONG_MAX_LOFF,
	};

	inode->a_ops->writepages(inode->i_mapping, &wbc);
}

/*
 * mpage_readpage N: the page locked as ->readpage wants it, then
 * mpage_readpage itself, even on a page that is up to date or has
 * buffers (do_generic_file_read never calls ->readpage on an up-to-date
 * page).  ClearPageError first, as do_generic_file_read does.
 */
static void op_mpage_readpage(struct inode *inode, pgoff_t index)
{
	struct address_space *mapping = inode->i_mapping;
	struct page *page = find_get_page(mapping, index);

	if (page)
		lock_page(page);
	else if (!(page = add_new_page(mapping, index)))
		return;
	ClearPageError(page);
	mpage_readpage(page, inode->get_block);
	put_page(page);
}

/*
 * mpage_writepage N, as write_cache_pages (WB_SYNC_NONE) prepares a page
 * for ->writepage: locked, skipped when clean or under writeback, its
 * dirty bit cleared; then mpage_writepage with nobody to fall back.  On
 * -EAGAIN nothing was written: the page is put back dirty and unlocked
 * (redirty_page_for_writepage), where nobh_writepage would call
 * __block_write_full_page.  A page not cached is left alone.
 */
static void op_mpage_writepage(struct inode *inode, pgoff_t index)
{
	struct writeback_control wbc = {
		.sync_mode = WB_SYNC_NONE,
		.nr_to_write = 1,
	};
	struct page *page = find_get_page(inode->i_mapping, index);

	if (!page)
		return;
	lock_page(page);
	if (!PageDirty(page) || PageWriteback(page) ||
	    !clear_page_dirty_for_io(page)) {
		unlock_page(page);
		put_page(page);
		return;
	}
	if (mpage_writepage(page, inode->get_block, &wbc) == -EAGAIN) {
		redirty_page_for_writepage(&wbc, page);
		unlock_page(page);
	}
	put_page(page);
}

/*
 * mpage_writepages [A-B] [all|none] [cyclic]: one pass as
 * __filemap_fdatawrite_range makes it (nr_to_write LONG_MAX), straight
 * into mpage_writepages: no metadata writes, no flush, no wait.
 */
static void op_mpage_writepages(struct inode *inode, const struct scen_op *op)
{
	struct writeback_control wbc = {
		.sync_mode = op->c ? WB_SYNC_ALL : WB_SYNC_NONE,
		.nr_to_write = LONG_MAX,
		.range_start = (loff_t)(op->a << PAGE_SHIFT),
		.range_end = op->b == UINT64_MAX ? LLONG_MAX_LOFF :
			     (loff_t)(((op->b + 1) << PAGE_SHIFT) - 1),
		.range_cyclic = op->d ? 1 : 0,
	};

	mpage_writepages(inode->i_mapping, &wbc, inode->get_block);
}

static bool count_unclean(struct page *page, void *arg)
{
	*(int64_t *)arg += PageDirty(page) || PageWriteback(page);
	return false;
}

static void op_fsync(struct workload *w, int datasync)
{
	struct trace_note n = trace_note_init();
	int64_t unclean = 0;
	int err = ext2_fsync(w->inode, 0, LLONG_MAX_LOFF, datasync);

	if (!trace_enabled())
		return;
	mapping_foreach_page(w->inode->i_mapping, 0, count_unclean, &unclean);
	n.file = w->inode->i_name;
	n.value = unclean;
	n.reason = err ? "error" : "ok";
	trace_note("fsync", &n);
}

/* The units of one op (workload_units()). */
static uint64_t op_units(const struct scen_op *op)
{
	switch (op->type) {
	case OP_READPAGES:
		return op->b - op->a + 1;
	case OP_WRITE:
		return op->b / PAGE_SIZE + 1;
	case OP_READ:
		return op->c ? op->b / op->c + 1 : 1;
	case OP_RANDREAD:
		return op->a + 1;
	case OP_STRIDED:
		return op->d + 1;
	default:
		return 1;
	}
}

uint64_t workload_units(const struct scen_task *t)
{
	uint64_t n = 0;

	for (guint i = 0; i < t->ops->len; i++) {
		uint64_t u = op_units(&g_array_index(t->ops, struct scen_op,
						     i));

		n = n > UINT64_MAX - u ? UINT64_MAX : n + u;
	}
	return n;
}

void workload_main(void *arg)
{
	struct workload *w = arg;
	const GArray *ops = w->spec->ops;

	trace_task("task_start", w);
	for (guint i = 0; i < ops->len; i++) {
		const struct scen_op *op = &g_array_index(ops, struct scen_op, i);
		uint64_t before = w->units_done;

		cond_resched();
		switch (op->type) {
		case OP_READPAGES:
			op_readpages(w->inode, op->a, op->b);
			break;
		case OP_READPAGE:
			op_readpage(w->inode, op->a);
			break;
		case OP_WAIT:
			op_wait(w->inode, op->a, op->b);
			break;
		case OP_SLEEP:
			sched_sleep((simtime_t)op->a);
			break;
		case OP_WRITE:
			op_write(w->inode, op->a, op->b);
			break;
		case OP_WRITEBACK:
			op_writeback(w->inode, op->a);
			break;
		case OP_FSYNC:
			op_fsync(w, (int)op->a);
			break;
		case OP_READ:
			op_read(w, op);
			break;
		case OP_RANDREAD:
			op_randread(w, op);
			break;
		case OP_STRIDED:
			op_strided(w, op);
			break;
		case OP_DROP_CACHES:
			op_drop_caches(w);
			break;
		case OP_MPAGE_READPAGE:
			op_mpage_readpage(w->inode, op->a);
			break;
		case OP_MPAGE_WRITEPAGE:
			op_mpage_writepage(w->inode, op->a);
			break;
		case OP_MPAGE_WRITEPAGES:
			op_mpage_writepages(w->inode, op);
			break;
		}
		/* the op's whole share, however many calls it took */
		w->units_done = before + op_units(op);
	}
	trace_task("task_end", w);
}
