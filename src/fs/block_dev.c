/*
 * block_dev.c - bdev_read_page(): a page read through the driver's rw_page
 * (fs/block_dev.c, 4.9).
 *
 * Only devices with rw_page (a ramdisk, brd) take this path.  The driver
 * copies the page synchronously in the caller's context: no bio, no
 * request, no sleep (so the caller's plug is kept); the caller is busy for
 * the device's service time.  mpsim logs it as an "rw_page" event.
 */
#include "fs/block_dev.h"

#include "block/blkdev.h"
#include "disk/disk.h"
#include "mm/filemap.h"
#include "sim/sched.h"
#include "trace/trace.h"

static void trace_rw_page(const struct page *page, const char *op,
			  const struct disk_completion *c)
{
	struct trace_note n = trace_note_init();

	if (!trace_enabled())
		return;
	n.task = current ? current->id : 0;
	n.task_name = current ? current->name : NULL;
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
