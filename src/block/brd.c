/*
 * brd.c - the ramdisk as 4.9's brd driver has it (drivers/block/brd.c):
 * a bio-based device.  brd registers brd_make_request with
 * blk_queue_make_request, so generic_make_request (blk-core.c) hands each
 * bio straight to it: no request queue, plug, merge or elevator.  The
 * device model (disk_make_request) gives the copy's cost; the rw_page
 * path of the same driver is in src/fs/block_dev.c.
 */
#include "block/blk.h"

#include "disk/disk.h"

/*
 * brd_make_request() - drivers/block/brd.c: a bio-based device's
 * make_request function (blk_queue_make_request).  No split, plug,
 * merge, elevator or request: the segments are copied in the submitter's
 * time (the device model's fixed cost, as for rw_page) and the bio ends
 * before submit_bio returns.  A bio past the end fails (-EIO).
 */
void brd_make_request(struct request_queue *q, struct bio *bio)
{
	struct disk_completion c;

	if (bio_end_sector(bio) > disk_capacity(q->disk)) {
		blk_end_bio_now(bio, -EIO);
		return;
	}
	disk_make_request(q->disk, bio_data_dir(bio) ? DISK_WRITE : DISK_READ,
			  bio->bi_iter.bi_sector, bio_sectors(bio), ev_now(),
			  &c);
	if (current)
		sched_busy(c.complete_ns - ev_now());
	blk_end_bio_now(bio, 0);
}
