/*
 * page-writeback.c - the walk over a mapping's dirty pages that every
 * writeback goes through (mm/page-writeback.c, 4.9): write_cache_pages(),
 * and the page state changes it relies on (dirtying, clear_page_dirty_for_io,
 * set_page_writeback).
 *
 * The page cache keeps no radix tree here: the DIRTY tag is PG_dirty itself
 * and the TOWRITE tag is the PG_towrite bit, so a tagged lookup is a walk of
 * the mapping's index-ordered tree from a start index.  Dirtying a page
 * counts it (the flusher's background threshold) and puts its inode on the
 * flusher's dirty list (fs/fs-writeback.c).
 *
 * generic_perform_write (mm/filemap.c in the kernel) lives here too: it is
 * the writer's side of the same bookkeeping (balance_dirty_pages).
 *
 * The dirty limits and the estimates the flusher works from are here as
 * in 4.9: global_dirty_limits() from [writeback] dirty_ratio,
 * dirty_background_ratio (or dirty_background_pages) and memory;
 * wb_over_bg_thresh(); the write bandwidth estimate
 * (__wb_update_bandwidth, wb_update_write_bandwidth) and the domain's
 * dirty_limit; balance_dirty_pages_ratelimited() and balance_dirty_pages()
 * without the pause (the writer checks every nr_dirtied_pause pages and
 * wakes the flusher; it is never made to sleep).
 *
 * range_cyclic follows v4.9.0: a pass that started at a non-zero
 * writeback_index and did not finish wraps once to index 0 and goes on up
 * to writeback_index - 1 (the 4.9.y stable backport of "fix range_cyclic
 * writeback vs writepages deadlock" dropped the wrap; mpsim keeps 4.9.0).
 */
#include "mm/page-writeback.h"

#include "block/blkdev.h"
#include "fs/fs-writeback.h"
#include "fs/fs.h"
#include "sim/jiffies.h"
#include "sim/sched.h"

/* mm/backing-dev.c: the initial write bandwidth, 100 MB/s in pages */
#define INIT_BW (100UL << (20 - PAGE_SHIFT))
/* mm/page-writeback.c: the estimates' period, 200 ms */
#define BANDWIDTH_INTERVAL max_t(unsigned long, HZ / 5, 1)

/* ilog2() - include/linux/log2.h: floor(log2(n)), n > 0 */
static unsigned ilog2(uint64_t n)
{
	return 63u - (unsigned)__builtin_clzll(n);
}

/* roundup_pow_of_two() - include/linux/log2.h, n > 1 */
static uint64_t roundup_pow_of_two(uint64_t n)
{
	return 1ULL << (ilog2(n - 1) + 1);
}

static bool active;
static struct dirty_options dopt;
/* NR_FILE_DIRTY, NR_WRITEBACK and the device's WB_WRITTEN */
static unsigned long nr_file_dirty, nr_writeback, nr_written;

/*
 * The bandwidth fields of the one struct bdi_writeback, and the dirty
 * limit of global_wb_domain.
 */
static struct {
	uint64_t bw_time_stamp;			/* jiffies */
	unsigned long written_stamp;		/* WB_WRITTEN then */
	unsigned long write_bandwidth;		/* pages a second */
	unsigned long avg_write_bandwidth;	/* the same, smoothed */
	bool dirty_exceeded;
	unsigned long dirty_limit;		/* global_wb_domain's */
	uint64_t dirty_limit_tstamp;		/* jiffies */
} bw;

unsigned long global_dirty_pages(void)
{
	return nr_file_dirty;
}

void writeback_counters_reset(void)
{
	active = false;
	nr_file_dirty = nr_writeback = nr_written = 0;
}

void dirty_options_init(struct dirty_options *opt)
{
	opt->dirty_ratio = 20;			/* vm_dirty_ratio */
	opt->dirty_background_ratio = 10;	/* dirty_background_ratio */
	opt->dirty_background_pages = 0;	/* dirty_background_bytes */
	opt->memory_pages = 1UL << (30 - PAGE_SHIFT);	/* 1 GiB */
}

/*
 * global_dirtyable_memory() - mm/page-writeback.c: free and file pages,
 * the scenario's `memory`, which does not change during a run.
 */
static unsigned long global_dirtyable_memory(void)
{
	return dopt.memory_pages + 1;	/* Ensure that we never return 0 */
}

/* domain_dirty_limits() - mm/page-writeback.c, the global domain */
static void domain_dirty_limits(unsigned long available_memory,
				unsigned long *pthresh,
				unsigned long *pbg_thresh)
{
	/* convert ratios to per-PAGE_SIZE for higher precision */
	unsigned long ratio = (dopt.dirty_ratio * PAGE_SIZE) / 100;
	unsigned long bg_ratio = (dopt.dirty_background_ratio * PAGE_SIZE) /
				 100;
	unsigned long thresh, bg_thresh;

	thresh = (ratio * available_memory) / PAGE_SIZE;
	if (dopt.dirty_background_pages)
		bg_thresh = dopt.dirty_background_pages;
	else
		bg_thresh = (bg_ratio * available_memory) / PAGE_SIZE;
	if (bg_thresh >= thresh)
		bg_thresh = thresh / 2;
	*pthresh = thresh;
	*pbg_thresh = bg_thresh;
}

/* global_dirty_limits() - mm/page-writeback.c */
void global_dirty_limits(unsigned long *pbackground, unsigned long *pdirty)
{
	domain_dirty_limits(global_dirtyable_memory(), pdirty, pbackground);
}

void page_writeback_init(const struct dirty_options *opt)
{
	unsigned long bg_thresh;

	writeback_counters_reset();
	active = true;
	dopt = *opt;
	/* wb_init() - mm/backing-dev.c */
	bw.bw_time_stamp = jiffies;
	bw.written_stamp = 0;
	bw.write_bandwidth = INIT_BW;
	bw.avg_write_bandwidth = INIT_BW;
	bw.dirty_exceeded = false;
	/* writeback_set_ratelimit() and wb_domain_init() */
	global_dirty_limits(&bg_thresh, &bw.dirty_limit);
	bw.dirty_limit_tstamp = jiffies;
}

unsigned long global_dirty_limit(void)
{
	return bw.dirty_limit;
}

unsigned long wb_avg_write_bandwidth(void)
{
	return bw.avg_write_bandwidth;
}

/*
 * wb_over_bg_thresh() - mm/page-writeback.c: with one device the test of
 * the device's share of the threshold is the same as the global one.
 */
bool wb_over_bg_thresh(void)
{
	unsigned long bg_thresh, thresh;

	global_dirty_limits(&bg_thresh, &thresh);
	return nr_file_dirty > bg_thresh;
}

/* dirty_freerun_ceiling() - mm/page-writeback.c */
static unsigned long dirty_freerun_ceiling(unsigned long thresh,
					   unsigned long bg_thresh)
{
	return (thresh + bg_thresh) / 2;
}

/* wb_update_write_bandwidth() - mm/page-writeback.c */
static void wb_update_write_bandwidth(unsigned long elapsed,
				      unsigned long written)
{
	const unsigned long period = roundup_pow_of_two(3 * HZ);
	unsigned long avg = bw.avg_write_bandwidth;
	unsigned long old = bw.write_bandwidth;
	uint64_t b;

	/*
	 * bw = written * HZ / elapsed
	 *
	 *                   bw * elapsed + write_bandwidth * (period - elapsed)
	 * write_bandwidth = ---------------------------------------------------
	 *                                          period
	 */
	b = written - min_t(unsigned long, written, bw.written_stamp);
	b *= HZ;
	if (elapsed > period) {
		b /= elapsed;
		avg = (unsigned long)b;
		goto out;
	}
	b += (uint64_t)bw.write_bandwidth * (period - elapsed);
	b >>= ilog2(period);

	/*
	 * one more level of smoothing, for filtering out sudden spikes
	 */
	if (avg > old && old >= (unsigned long)b)
		avg -= (avg - old) >> 3;

	if (avg < old && old <= (unsigned long)b)
		avg += (old - avg) >> 3;

out:
	/* keep avg > 0 to guarantee that tot > 0 if there are dirty wbs */
	avg = max_t(unsigned long, avg, 1);
	bw.write_bandwidth = (unsigned long)b;
	bw.avg_write_bandwidth = avg;
}

/* update_dirty_limit() - mm/page-writeback.c */
static void update_dirty_limit(unsigned long thresh, unsigned long dirty)
{
	unsigned long limit = bw.dirty_limit;

	/*
	 * Follow up in one step.
	 */
	if (limit < thresh) {
		bw.dirty_limit = thresh;
		return;
	}
	/*
	 * Follow down slowly. Use the higher one as the target, because thresh
	 * may drop below dirty.
	 */
	thresh = max_t(unsigned long, thresh, dirty);
	if (limit > thresh)
		bw.dirty_limit = limit - ((limit - thresh) >> 5);
}

/* domain_update_bandwidth() - mm/page-writeback.c */
static void domain_update_bandwidth(unsigned long thresh, unsigned long dirty,
				    uint64_t now)
{
	if (time_before(now, bw.dirty_limit_tstamp + BANDWIDTH_INTERVAL))
		return;
	update_dirty_limit(thresh, dirty);
	bw.dirty_limit_tstamp = now;
}

/*
 * __wb_update_bandwidth() - mm/page-writeback.c.  From
 * balance_dirty_pages (update_ratelimit) it also moves the domain's dirty
 * limit; the dirty ratelimit it would update there only sets throttling
 * pauses, which mpsim leaves out.
 */
static void __wb_update_bandwidth(unsigned long thresh, unsigned long dirty,
				  uint64_t start_time, bool update_ratelimit)
{
	uint64_t now = jiffies;
	unsigned long elapsed = (unsigned long)(now - bw.bw_time_stamp);

	/*
	 * rate-limit, only update once every 200ms.
	 */
	if (elapsed < BANDWIDTH_INTERVAL)
		return;

	/*
	 * Skip quiet periods when disk bandwidth is under-utilized.
	 * (at least 1s idle time between two flusher runs)
	 */
	if (elapsed > HZ && time_before(bw.bw_time_stamp, start_time))
		goto snapshot;

	if (update_ratelimit)
		domain_update_bandwidth(thresh, dirty, now);
	wb_update_write_bandwidth(elapsed, nr_written);

snapshot:
	bw.written_stamp = nr_written;
	bw.bw_time_stamp = now;
}

/* wb_update_bandwidth() - mm/page-writeback.c */
void wb_update_bandwidth(uint64_t start_time)
{
	__wb_update_bandwidth(0, 0, start_time, false);
}

/* dirty_poll_interval() - mm/page-writeback.c */
static unsigned long dirty_poll_interval(unsigned long dirty,
					 unsigned long thresh)
{
	if (thresh > dirty)
		return 1UL << (ilog2(thresh - dirty) >> 1);

	return 1;
}

/*
 * balance_dirty_pages() - mm/page-writeback.c, without its pause: over
 * the freerun ceiling 4.9 makes the writer sleep in proportion to the
 * pages it dirtied (the dirty ratelimit and position ratio); mpsim only
 * wakes the flusher, updates the bandwidth estimate and polls again after
 * dirty_poll_interval pages.  Under the ceiling it is 4.9's: the poll
 * interval, then the background kick when no pass is running.
 */
static void balance_dirty_pages(void)
{
	uint64_t start_time = jiffies;
	uint64_t now = jiffies;
	unsigned long nr_reclaimable = nr_file_dirty;
	unsigned long dirty = nr_reclaimable + nr_writeback;
	unsigned long thresh, bg_thresh;
	bool dirty_exceeded = false;

	global_dirty_limits(&bg_thresh, &thresh);
	current->dirty_paused_when = now;
	current->nr_dirtied = 0;
	current->nr_dirtied_pause = dirty_poll_interval(dirty, thresh);
	if (dirty > dirty_freerun_ceiling(thresh, bg_thresh)) {
		if (!writeback_in_progress())
			wb_start_background_writeback();
		/* one device: wb_dirty > wb_thresh when dirty > thresh */
		dirty_exceeded = dirty > thresh;
		if (dirty_exceeded && !bw.dirty_exceeded)
			bw.dirty_exceeded = true;
		if (time_after(jiffies, bw.bw_time_stamp + BANDWIDTH_INTERVAL))
			__wb_update_bandwidth(thresh, dirty, start_time, true);
	}

	if (!dirty_exceeded && bw.dirty_exceeded)
		bw.dirty_exceeded = false;

	if (writeback_in_progress())
		return;

	if (nr_reclaimable > bg_thresh)
		wb_start_background_writeback();
}

/*
 * balance_dirty_pages_ratelimited() - mm/page-writeback.c: the per-task
 * ratelimit only (one CPU's bdp_ratelimits and dirty_throttle_leaks are
 * left out).
 */
void balance_dirty_pages_ratelimited(struct address_space *mapping)
{
	unsigned long ratelimit;

	(void)mapping;
	if (!active || !current)
		return;
	ratelimit = current->nr_dirtied_pause;
	if (bw.dirty_exceeded)
		ratelimit = min_t(unsigned long, ratelimit,
				  32 >> (PAGE_SHIFT - 10));
	if (current->nr_dirtied >= ratelimit)
		balance_dirty_pages();
}

static bool PageTowrite(const struct page *page)
{
	return test_bit(PG_towrite, &page->flags);
}

/* account_page_dirtied() + __mark_inode_dirty(I_DIRTY_PAGES) */
void account_page_dirtied(struct page *page)
{
	nr_file_dirty++;
	if (current)
		current->nr_dirtied++;
	if (page->mapping && page->mapping->host)
		__mark_inode_dirty(page->mapping->host, I_DIRTY_PAGES);
}

/* __set_page_dirty_nobuffers() - mm/page-writeback.c */
bool __set_page_dirty_nobuffers(struct page *page)
{
	if (test_and_set_bit(PG_dirty, &page->flags))
		return false;
	account_page_dirtied(page);
	return true;
}

/* redirty_page_for_writepage() - mm/page-writeback.c */
void redirty_page_for_writepage(struct writeback_control *wbc,
				struct page *page)
{
	wbc->pages_skipped++;
	__set_page_dirty_nobuffers(page);
}

/* clear_page_dirty_for_io() - mm/page-writeback.c */
bool clear_page_dirty_for_io(struct page *page)
{
	g_assert(PageLocked(page));
	if (test_and_clear_bit(PG_dirty, &page->flags)) {
		g_assert(nr_file_dirty > 0);
		nr_file_dirty--;
		return true;
	}
	return false;
}

/*
 * set_page_writeback() - __test_set_page_writeback(), mm/page-writeback.c:
 * the page leaves the TOWRITE set (and the DIRTY one, being clean).
 */
void set_page_writeback(struct page *page)
{
	g_assert(!PageWriteback(page));
	SetPageWriteback(page);
	nr_writeback++;
	clear_bit(PG_towrite, &page->flags);
}

/*
 * test_clear_page_writeback() - mm/page-writeback.c: NR_WRITEBACK down,
 * the device's WB_WRITTEN up (__wb_writeout_inc), for the bandwidth.
 */
void test_clear_page_writeback(struct page *page)
{
	if (!PageWriteback(page))
		return;
	ClearPageWriteback(page);
	if (nr_writeback)	/* 0 only for a page from before the run */
		nr_writeback--;
	nr_written++;
}

struct tag_ctx {
	pgoff_t end;
};

static bool tag_one(struct page *page, void *arg)
{
	struct tag_ctx *c = arg;

	if (page->index > c->end)
		return true;
	if (PageDirty(page))
		set_bit(PG_towrite, &page->flags);
	return false;
}

/*
 * tag_pages_for_writeback() - mm/page-writeback.c: every page of the range
 * that is dirty now gets TOWRITE, so that pages dirtied during the walk do
 * not keep a data-integrity writeback going for ever.
 */
void tag_pages_for_writeback(struct address_space *mapping, pgoff_t start,
			     pgoff_t end)
{
	struct tag_ctx c = { end };

	mapping_foreach_page(mapping, start, tag_one, &c);
}

enum { PAGECACHE_TAG_DIRTY, PAGECACHE_TAG_TOWRITE };

struct lookup_ctx {
	int tag;
	unsigned nr, max;
	struct page **pages;
};

static bool lookup_one(struct page *page, void *arg)
{
	struct lookup_ctx *c = arg;
	bool tagged = c->tag == PAGECACHE_TAG_DIRTY ? PageDirty(page)
						    : PageTowrite(page);

	if (tagged) {
		get_page(page);
		c->pages[c->nr++] = page;
	}
	return c->nr == c->max;
}

/* pagevec_lookup_tag() - mm/swap.c: up to nr tagged pages from *index on */
static unsigned pagevec_lookup_tag(struct page **pages,
				   struct address_space *mapping,
				   pgoff_t *index, int tag, unsigned nr)
{
	struct lookup_ctx c = { tag, 0, nr, pages };

	mapping_foreach_page(mapping, *index, lookup_one, &c);
	if (c.nr)
		*index = pages[c.nr - 1]->index + 1;
	return c.nr;
}

/*
 * write_cache_pages - walk the list of dirty pages of the given address
 * space and write all of them.
 *
 * If a page is already under I/O, write_cache_pages() skips it, even if
 * it's dirty.  This is desirable behaviour for memory-cleaning writeback,
 * but it is INCORRECT for data-integrity system calls such as fsync().
 * fsync() and msync() need to guarantee that all the data which was dirty
 * at the time the call was made get new I/O started against them.  If
 * wbc->sync_mode is WB_SYNC_ALL then we were called for data integrity and
 * we must wait for existing IO to complete.
 *
 * To avoid livelocks (when other process dirties new pages), we first tag
 * pages which should be written back with TOWRITE tag and only then start
 * writing them.
 */
/* write_cache_pages() - mm/page-writeback.c (v4.9.0) */
int write_cache_pages(struct address_space *mapping,
		      struct writeback_control *wbc, writepage_t writepage,
		      void *data)
{
	int ret = 0;
	int done = 0;
	struct page *pages[PAGEVEC_SIZE];
	unsigned nr_pages;
	pgoff_t writeback_index = 0;
	pgoff_t index;
	pgoff_t end;		/* Inclusive */
	pgoff_t done_index;
	int cycled;
	int range_whole = 0;
	int tag;

	if (wbc->range_cyclic) {
		writeback_index = mapping->writeback_index; /* prev offset */
		index = writeback_index;
		if (index == 0)
			cycled = 1;
		else
			cycled = 0;
		end = (pgoff_t)-1;
	} else {
		index = (pgoff_t)(wbc->range_start >> PAGE_SHIFT);
		end = (pgoff_t)(wbc->range_end >> PAGE_SHIFT);
		if (wbc->range_start == 0 && wbc->range_end == LLONG_MAX_LOFF)
			range_whole = 1;
		cycled = 1; /* ignore range_cyclic tests */
	}
	if (wbc->sync_mode == WB_SYNC_ALL || wbc->tagged_writepages)
		tag = PAGECACHE_TAG_TOWRITE;
	else
		tag = PAGECACHE_TAG_DIRTY;
retry:
	if (wbc->sync_mode == WB_SYNC_ALL || wbc->tagged_writepages)
		tag_pages_for_writeback(mapping, index, end);
	done_index = index;
	while (!done && (index <= end)) {
		unsigned i;

		nr_pages = pagevec_lookup_tag(pages, mapping, &index, tag,
			(unsigned)min_t(pgoff_t, end - index,
					(pgoff_t)PAGEVEC_SIZE - 1) + 1);
		if (nr_pages == 0)
			break;

		for (i = 0; i < nr_pages; i++) {
			struct page *page = pages[i];

			if (page->index > end) {
				/*
				 * can't be range_cyclic (1st pass) because
				 * end == -1 in that case.
				 */
				done = 1;
				break;
			}

			done_index = page->index;

			lock_page(page);

			/*
			 * Page truncated or invalidated. We can freely skip
			 * it then, even for data integrity operations.
			 */
			if (page->mapping != mapping || !page->in_cache) {
continue_unlock:
				unlock_page(page);
				continue;
			}

			if (!PageDirty(page)) {
				/* someone wrote it for us */
				goto continue_unlock;
			}

			if (PageWriteback(page)) {
				if (wbc->sync_mode != WB_SYNC_NONE)
					wait_on_page_writeback(page);
				else
					goto continue_unlock;
			}

			g_assert(!PageWriteback(page));
			if (!clear_page_dirty_for_io(page))
				goto continue_unlock;

			ret = (*writepage)(page, wbc, data);
			if (ret) {
				/*
				 * done_index is set past this page,
				 * so media errors will not choke
				 * background writeout for the entire
				 * file.
				 */
				done_index = page->index + 1;
				done = 1;
				break;
			}

			/*
			 * We stop writing back only if we are not doing
			 * integrity sync. In case of integrity sync we have
			 * to keep going until we have written all the pages
			 * we tagged for writeback prior to entering this loop.
			 */
			if (--wbc->nr_to_write <= 0 &&
			    wbc->sync_mode == WB_SYNC_NONE) {
				done = 1;
				break;
			}
		}
		/* pagevec_release() */
		for (unsigned j = 0; j < nr_pages; j++)
			put_page(pages[j]);
		cond_resched();
	}
	if (!cycled && !done) {
		/*
		 * range_cyclic:
		 * We hit the last page and there is more work to be done:
		 * wrap back to the start of the file
		 */
		cycled = 1;
		index = 0;
		end = writeback_index - 1;
		goto retry;
	}
	if (wbc->range_cyclic || (range_whole && wbc->nr_to_write > 0))
		mapping->writeback_index = done_index;

	return ret;
}

/* __writepage() - mm/page-writeback.c */
static int __writepage(struct page *page, struct writeback_control *wbc,
		       void *data)
{
	struct address_space *mapping = data;
	int ret = mapping->host->a_ops->writepage(page, wbc);

	mapping_set_error(mapping, ret);
	return ret;
}

/* generic_writepages() - mm/page-writeback.c */
int generic_writepages(struct address_space *mapping,
		       struct writeback_control *wbc)
{
	struct blk_plug plug;
	int ret;

	blk_start_plug(&plug);
	ret = write_cache_pages(mapping, wbc, __writepage, mapping);
	blk_finish_plug(&plug);
	return ret;
}

/* do_writepages() - mm/page-writeback.c */
int do_writepages(struct address_space *mapping,
		  struct writeback_control *wbc)
{
	if (wbc->nr_to_write <= 0)
		return 0;
	if (mapping->host->a_ops->writepages)
		return mapping->host->a_ops->writepages(mapping, wbc);
	return generic_writepages(mapping, wbc);
}

/* __filemap_fdatawrite_range() - mm/filemap.c, WB_SYNC_ALL */
int filemap_fdatawrite_range(struct address_space *mapping, loff_t start,
			     loff_t end)
{
	struct writeback_control wbc = {
		.sync_mode = WB_SYNC_ALL,
		.nr_to_write = INT64_MAX,
		.range_start = start,
		.range_end = end,
	};

	return do_writepages(mapping, &wbc);
}

struct wait_ctx {
	pgoff_t end;
	GPtrArray *pages;
};

static bool collect_writeback(struct page *page, void *arg)
{
	struct wait_ctx *c = arg;

	if (page->index > c->end)
		return true;
	if (PageWriteback(page)) {
		get_page(page);
		g_ptr_array_add(c->pages, page);
	}
	return false;
}

/* __filemap_fdatawait_range() - mm/filemap.c */
int filemap_fdatawait_range(struct address_space *mapping, loff_t start,
			    loff_t end)
{
	struct wait_ctx c = { (pgoff_t)(end >> PAGE_SHIFT),
			      g_ptr_array_new() };
	int ret = 0;

	/* collect first: waiting sleeps, and the tree may change meanwhile */
	mapping_foreach_page(mapping, (pgoff_t)(start >> PAGE_SHIFT),
			     collect_writeback, &c);
	for (guint i = 0; i < c.pages->len; i++) {
		struct page *page = c.pages->pdata[i];

		wait_on_page_writeback(page);
		if (test_and_clear_bit(PG_error, &page->flags))	/* TestClearPageError */
			ret = -EIO;
		put_page(page);
	}
	g_ptr_array_unref(c.pages);
	if (test_and_clear_bit(AS_EIO, &mapping->flags))
		ret = -EIO;
	return ret;
}

/*
 * file_update_time() - fs/inode.c, with generic_update_time(): the write's
 * mtime and ctime, in whole seconds (ext2's granularity); a change marks
 * the inode dirty (I_DIRTY_SYNC, which fdatasync does not write).
 */
void file_update_time(struct inode *inode)
{
	int64_t now = ev_now() / 1000000000;

	if (inode->i_mtime == now)
		return;
	inode->i_mtime = now;
	__mark_inode_dirty(inode, I_DIRTY_SYNC);
}

/*
 * generic_perform_write() - mm/filemap.c, after the file_update_time()
 * that __generic_file_write_iter() makes first.
 */
long generic_perform_write(struct inode *inode, loff_t pos, uint64_t len)
{
	struct address_space *mapping = inode->i_mapping;
	const struct address_space_operations *a_ops = inode->a_ops;
	long written = 0;
	int status = 0;

	file_update_time(inode);

	do {
		struct page *page;
		void *fsdata = NULL;
		unsigned offset = (unsigned)(pos & (PAGE_SIZE - 1));
		unsigned bytes = (unsigned)min_t(uint64_t, PAGE_SIZE - offset,
						 len);
		unsigned copied;

		status = a_ops->write_begin(mapping, pos, bytes, &page,
					    &fsdata);
		if (status < 0)
			break;
		copied = bytes;		/* iov_iter_copy_from_user_atomic */
		status = a_ops->write_end(mapping, pos, bytes, copied, page,
					  fsdata);
		if (status < 0)
			break;
		copied = (unsigned)status;
		pos += copied;
		written += copied;
		len -= copied;
		cond_resched();

		balance_dirty_pages_ratelimited(mapping);
	} while (len);

	return written ? written : status;
}
