/*
 * readahead.c - address_space-level file readahead (mm/readahead.c, 4.9).
 *
 * The read loop (do_generic_file_read in mm/filemap.c) calls in here on a
 * page-cache miss (synchronous readahead) and when it touches a page that
 * carries PG_readahead (asynchronous readahead).  ondemand_readahead()
 * decides the window: an initial window at the start of a file or of a
 * sequential stream, a ramp-up when the reader hits the expected marker,
 * context readahead from the pages a stream left in the cache, or just
 * the pages asked for on a small random read.  __do_page_cache_readahead()
 * turns the window into a list of new pages (cached pages skipped, the
 * window clipped at EOF, PG_readahead on the page that starts the async
 * part) and read_pages() hands it to ->readpages inside a plug.
 *
 * Each submission is reported as a "readahead" trace note (start, size,
 * async_size, async, and nr_pages, the pages actually sent).
 *
 * Not modelled: FMODE_RANDOM (fadvise) and force_page_cache_readahead;
 * the read-congestion test of the async path (the queue never reports
 * congestion); readahead page allocation never fails.
 */
#include "mm/readahead.h"

#include "block/blkdev.h"
#include "fs/fs.h"
#include "mm/filemap.h"
#include "trace/trace.h"

void file_ra_state_init(struct file_ra_state *ra, unsigned int ra_pages)
{
	*ra = (struct file_ra_state){ .ra_pages = ra_pages, .prev_pos = -1 };
}

static bool page_cached(struct address_space *mapping, pgoff_t index)
{
	struct page *page = find_get_page(mapping, index);

	if (page)
		put_page(page);
	return page != NULL;
}

/* put_pages_list() - mm/swap.c */
static void put_pages_list(struct list_head *pages)
{
	while (!list_empty(pages)) {
		struct page *victim = lru_to_page(pages);

		list_del(&victim->lru);
		put_page(victim);
	}
}

/* read_pages() - mm/readahead.c */
int read_pages(struct address_space *mapping, struct list_head *pages,
	       unsigned int nr_pages)
{
	struct blk_plug plug;
	int ret = 0;

	blk_start_plug(&plug);
	if (mapping->host->a_ops->readpages) {
		ret = mapping->host->a_ops->readpages(mapping, pages, nr_pages);
		/* Clean up the remaining pages */
		put_pages_list(pages);
		goto out;
	}
	for (unsigned int page_idx = 0; page_idx < nr_pages; page_idx++) {
		struct page *page = lru_to_page(pages);

		list_del(&page->lru);
		if (!add_to_page_cache_lru(page, mapping, page->index,
					   mapping->gfp_mask))
			mapping->host->a_ops->readpage(page);
		put_page(page);
	}
out:
	blk_finish_plug(&plug);
	return ret;
}

static void trace_readahead(struct address_space *mapping, pgoff_t start,
			    unsigned long size, unsigned long async_size,
			    bool async, int nr_pages)
{
	struct trace_note n = trace_note_init();

	if (!trace_enabled())
		return;
	n.file = mapping_name(mapping);
	n.ra_start = (int64_t)start;
	n.ra_size = (int64_t)size;
	n.ra_async_size = (int64_t)async_size;
	n.ra_async = async;
	n.value = nr_pages;
	trace_note("readahead", &n);
}

/*
 * __do_page_cache_readahead() - mm/readahead.c.  `async` only labels the
 * trace note (the kernel has no such argument).
 */
static int __do_page_cache_readahead(struct address_space *mapping,
				     pgoff_t offset, unsigned long nr_to_read,
				     unsigned long lookahead_size, bool async)
{
	loff_t isize = i_size_read(mapping->host);
	LIST_HEAD(page_pool);
	pgoff_t end_index;	/* The last page we want to read */
	int ret = 0;

	if (isize == 0)
		goto out;
	end_index = (pgoff_t)((isize - 1) >> PAGE_SHIFT);
	/* Preallocate as many pages as we will need. */
	for (unsigned long page_idx = 0; page_idx < nr_to_read; page_idx++) {
		pgoff_t page_offset = offset + page_idx;
		struct page *page;

		if (page_offset > end_index)
			break;
		if (page_cached(mapping, page_offset))
			continue;
		page = page_alloc(page_offset);
		list_add(&page->lru, &page_pool);
		if (page_idx == nr_to_read - lookahead_size)
			SetPageReadahead(page);
		ret++;
	}
out:
	trace_readahead(mapping, offset, nr_to_read, lookahead_size, async,
			ret);
	/*
	 * Now start the IO.  We ignore I/O errors - if the page is not
	 * uptodate then the caller will launch readpage again.
	 */
	if (ret)
		read_pages(mapping, &page_pool, (unsigned int)ret);
	return ret;
}

/* ra_submit() - mm/internal.h */
static unsigned long ra_submit(struct file_ra_state *ra,
			       struct address_space *mapping, bool async)
{
	return (unsigned long)__do_page_cache_readahead(mapping, ra->start,
							ra->size,
							ra->async_size, async);
}

static unsigned long roundup_pow_of_two(unsigned long n)
{
	unsigned long r = 1;

	while (r < n)
		r <<= 1;
	return r;
}

/*
 * get_init_ra_size() - mm/readahead.c: the first window, 4x the request
 * when it is small, 2x when medium, else max.
 */
static unsigned long get_init_ra_size(unsigned long size, unsigned long max)
{
	unsigned long newsize = roundup_pow_of_two(size);

	if (newsize <= max / 32)
		newsize = newsize * 4;
	else if (newsize <= max / 4)
		newsize = newsize * 2;
	else
		newsize = max;
	return newsize;
}

/*
 * get_next_ra_size() - mm/readahead.c: 4x while the window is small, then
 * 2x, capped at max.
 */
static unsigned long get_next_ra_size(struct file_ra_state *ra,
				      unsigned long max)
{
	unsigned long cur = ra->size;
	unsigned long newsize;

	if (cur < max / 16)
		newsize = 4 * cur;
	else
		newsize = 2 * cur;
	return newsize < max ? newsize : max;
}

/* page_cache_next_hole() - mm/filemap.c */
static pgoff_t page_cache_next_hole(struct address_space *mapping,
				    pgoff_t index, unsigned long max_scan)
{
	for (unsigned long i = 0; i < max_scan; i++) {
		if (!page_cached(mapping, index))
			break;
		index++;
		if (index == 0)
			break;
	}
	return index;
}

/* page_cache_prev_hole() - mm/filemap.c */
static pgoff_t page_cache_prev_hole(struct address_space *mapping,
				    pgoff_t index, unsigned long max_scan)
{
	for (unsigned long i = 0; i < max_scan; i++) {
		if (!page_cached(mapping, index))
			break;
		index--;
		if (index == (pgoff_t)-1)
			break;
	}
	return index;
}

/*
 * count_history_pages() - mm/readahead.c: contiguously cached pages from
 * offset-1 down to offset-max, an estimate of the stream's length.
 */
static pgoff_t count_history_pages(struct address_space *mapping,
				   pgoff_t offset, unsigned long max)
{
	pgoff_t head = page_cache_prev_hole(mapping, offset - 1, max);

	return offset - 1 - head;
}

/*
 * try_context_readahead() - mm/readahead.c: a read that follows pages a
 * sequential stream left in the cache continues that stream.
 */
static int try_context_readahead(struct address_space *mapping,
				 struct file_ra_state *ra, pgoff_t offset,
				 unsigned long req_size, unsigned long max)
{
	pgoff_t size = count_history_pages(mapping, offset, max);

	/* not enough history pages: no sign of a stream */
	if (size <= req_size)
		return 0;
	/* starts from beginning of file: it is a strong indication of a
	 * long-run stream (or whole-file read) */
	if (size >= offset)
		size *= 2;
	ra->start = offset;
	ra->size = (unsigned int)MIN(size + req_size, max);
	ra->async_size = 1;
	return 1;
}

/* ondemand_readahead() - mm/readahead.c */
static unsigned long ondemand_readahead(struct address_space *mapping,
					struct file_ra_state *ra,
					bool hit_readahead_marker,
					pgoff_t offset, unsigned long req_size)
{
	unsigned long max = ra->ra_pages;
	pgoff_t prev_offset;

	/* start of file */
	if (!offset)
		goto initial_readahead;

	/*
	 * It's the expected callback offset, assume sequential access.
	 * Ramp up sizes, and push forward the readahead window.
	 */
	if (offset == ra->start + ra->size - ra->async_size ||
	    offset == ra->start + ra->size) {
		ra->start += ra->size;
		ra->size = (unsigned int)get_next_ra_size(ra, max);
		ra->async_size = ra->size;
		goto readit;
	}

	/*
	 * Hit a marked page without valid readahead state (e.g. interleaved
	 * reads): the distance to the next hole is the old async_size; ramp
	 * it up and use it as the new readahead size.
	 */
	if (hit_readahead_marker) {
		pgoff_t start = page_cache_next_hole(mapping, offset + 1, max);

		if (!start || start - offset > max)
			return 0;
		ra->start = start;
		ra->size = (unsigned int)(start - offset);	/* old async_size */
		ra->size += (unsigned int)req_size;
		ra->size = (unsigned int)get_next_ra_size(ra, max);
		ra->async_size = ra->size;
		goto readit;
	}

	/* oversize read */
	if (req_size > max)
		goto initial_readahead;

	/*
	 * sequential cache miss
	 * trivial case: (offset - prev_offset) == 1
	 * unaligned reads: (offset - prev_offset) == 0
	 */
	prev_offset = (pgoff_t)((uint64_t)ra->prev_pos >> PAGE_SHIFT);
	if (offset - prev_offset <= 1UL)
		goto initial_readahead;

	/*
	 * Query the page cache and look for the traces (cached history pages)
	 * that a sequential stream would leave behind.
	 */
	if (try_context_readahead(mapping, ra, offset, req_size, max))
		goto readit;

	/*
	 * standalone, small random read
	 * Read as is, and do not pollute the readahead state.
	 */
	return (unsigned long)__do_page_cache_readahead(mapping, offset,
							req_size, 0,
							hit_readahead_marker);

initial_readahead:
	ra->start = offset;
	ra->size = (unsigned int)get_init_ra_size(req_size, max);
	ra->async_size = ra->size > req_size ?
			 ra->size - (unsigned int)req_size : ra->size;

readit:
	/*
	 * Will this read hit the readahead marker made by itself?
	 * If so, trigger the readahead marker hit now, and merge
	 * the resulted next readahead window into the current one.
	 */
	if (offset == ra->start && ra->size == ra->async_size) {
		ra->async_size = (unsigned int)get_next_ra_size(ra, max);
		ra->size += ra->async_size;
	}
	return ra_submit(ra, mapping, hit_readahead_marker);
}

/* page_cache_sync_readahead() - mm/readahead.c */
void page_cache_sync_readahead(struct address_space *mapping,
			       struct file_ra_state *ra, pgoff_t offset,
			       unsigned long req_size)
{
	/* no read-ahead */
	if (!ra->ra_pages)
		return;
	/* do read-ahead */
	ondemand_readahead(mapping, ra, false, offset, req_size);
}

/*
 * inode_read_congested() - include/linux/backing-dev.h: the device's sync
 * (read) request list is congested (blk_set_congested).
 */
static bool inode_read_congested(const struct inode *inode)
{
	return inode && inode->i_sb && blk_read_congested(inode->i_sb->s_bdev);
}

/* page_cache_async_readahead() - mm/readahead.c */
void page_cache_async_readahead(struct address_space *mapping,
				struct file_ra_state *ra, struct page *page,
				pgoff_t offset, unsigned long req_size)
{
	/* no read-ahead */
	if (!ra->ra_pages)
		return;
	/* Same bit is used for PG_readahead and PG_reclaim. */
	if (PageWriteback(page))
		return;
	ClearPageReadahead(page);
	/* Defer asynchronous read-ahead on IO congestion. */
	if (inode_read_congested(mapping->host))
		return;
	ondemand_readahead(mapping, ra, true, offset, req_size);
}
