/*
 * block_dev.c - bdev_read_page() and bdev_write_page(): a page read or
 * written through the driver's rw_page (fs/block_dev.c, 4.9).
 *
 * Only devices with rw_page (a ramdisk, brd) take this path.  The driver
 * copies the page synchronously in the caller's context: no bio, no
 * request, no sleep (so the caller's plug is kept); the caller is busy for
 * the device's service time.  mpsim logs it as an "rw_page" event.
 */
#include "fs/block_dev.h"

#include "block/bio.h"
#include "block/blkdev.h"
#include "disk/disk.h"
#include "mm/filemap.h"
#include "mm/page-writeback.h"
#include "sim/sched.h"
#include "trace/trace.h"

static void trace_rw_page(const struct page *page, const char *op,
			  const struct disk_completion *c)
{
	struct trace_note n = trace_note_init();

	if (!trace_enabled())
		return;
	n.file = mapping_name(page->mapping);
	n.page = (int64_t)page->index;
	n.sector = (int64_t)c->cmd.sector;
	n.sectors = c->cmd.sectors;
	n.value = c->complete_ns - c->submit_ns;
	n.reason = op;
	trace_note("rw_page", &n);
}

/* bdev_read_page() - fs/block_dev.c */
int bdev_read_page(struct block_device *bdev, sector_t sector,
		   struct page *page)
{
	struct disk_completion c;

	if (!bdev || !disk_supports_rw_page(bdev->bd_disk))
		return -EOPNOTSUPP;
	disk_rw_page(bdev->bd_disk, DISK_READ, sector, PAGE_SIZE >> 9,
		     ev_now(), &c);
	trace_rw_page(page, "R", &c);
	/* brd_rw_page(): the copy takes the caller's time, then page_endio */
	if (current)
		sched_busy(c.complete_ns - ev_now());
	page_endio(page, false, 0);
	return 0;
}

/*
 * bdev_write_page() - fs/block_dev.c
 *
 * The page is set under writeback, the driver writes it synchronously
 * (brd_rw_page() ends the writeback through page_endio), and the page is
 * unlocked; the caller's time advances by the device's service time.
 */
int bdev_write_page(struct block_device *bdev, sector_t sector,
		    struct page *page, struct writeback_control *wbc)
{
	struct disk_completion c;

	(void)wbc;
	if (!bdev || !disk_supports_rw_page(bdev->bd_disk))
		return -EOPNOTSUPP;
	set_page_writeback(page);
	disk_rw_page(bdev->bd_disk, DISK_WRITE, sector, PAGE_SIZE >> 9,
		     ev_now(), &c);
	trace_rw_page(page, "W", &c);
	if (current)
		sched_busy(c.complete_ns - ev_now());
	page_endio(page, true, 0);
	unlock_page(page);
	return 0;
}

struct flush_wait {
	bool done;
	int error;
	struct wait_queue_head wq;
};

/* submit_bio_wait_endio() - block/bio.c */
static void flush_endio(struct bio *bio)
{
	struct flush_wait *w = bio->bi_private;

	w->done = true;
	w->error = bio->bi_error;
	wake_up_all(&w->wq);
	bio_put(bio);
}

/* blkdev_issue_flush() - block/blk-flush.c, with submit_bio_wait() */
int blkdev_issue_flush(struct block_device *bdev)
{
	struct flush_wait w = { false, 0, { NULL, NULL } };
	struct bio *bio = bio_alloc(GFP_NOIO, 0);

	bio->bi_bdev = bdev;
	bio->bi_iter.bi_sector = 0;
	bio->bi_end_io = flush_endio;
	bio->bi_private = &w;
	bio->origin = BIO_ORIGIN_META;
	bio->meta_block = 0;
	bio_set_op_attrs(bio, REQ_OP_FLUSH, WRITE_SYNC);
	submit_bio(bio);
	while (!w.done)
		sched_wait(&w.wq);
	return w.error;
}
