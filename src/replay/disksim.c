/*
 * disksim.c - reading DiskSim's ASCII trace format: one request a line,
 *
 *   ARRIVAL_MS DEVNO BLKNO SIZE FLAGS
 *   0.000000   0     1024  8    1
 *
 * the arrival time in milliseconds (up to six decimals, i.e. exact
 * nanoseconds), the device, the first block and the size in 512-byte
 * blocks, and the flags, whose bit 0 set means a read (DiskSim's
 * READ flag), clear a write.  Only the first device's requests are
 * replayed.  DiskSim's input records no completions.
 */
#include "replay/reader.h"

struct disksim_state {
	bool device_known;
	uint64_t device;
};

static int disksim_parse(struct line_reader *lr, char *line,
			 struct replay_rec *rec, GError **err)
{
	struct disksim_state *st = lr->state;
	char *f[6];
	int n = lines_split(line, false, f, 5);
	uint64_t dev, blk, size, flags;

	if (n == 0 || f[0][0] == '#')
		return 0;
	if (n != 5)
		return lines_fail(&lr->l, err, "expected ARRIVAL_MS DEVNO "
				  "BLKNO SIZE FLAGS") - 1;
	if (!rd_fixed(f[0], 6, &rec->time_ns))
		return lines_fail(&lr->l, err, "bad arrival time \"%s\" "
				  "(milliseconds, up to 6 decimals)", f[0]) - 1;
	if (!rd_u64(f[1], &dev) || !rd_u64(f[2], &blk) ||
	    !rd_u64(f[3], &size) || !rd_u64(f[4], &flags))
		return lines_fail(&lr->l, err, "DEVNO, BLKNO, SIZE and FLAGS "
				  "are whole numbers") - 1;
	if (!size || size > UINT32_MAX)
		return lines_fail(&lr->l, err, "bad size %" G_GUINT64_FORMAT,
				  size) - 1;
	if (!st->device_known) {
		st->device_known = true;
		st->device = dev;
	} else if (dev != st->device) {
		return 0;
	}
	rec->op = flags & 1 ? REQ_OP_READ : REQ_OP_WRITE;
	rec->sector = blk;
	rec->sectors = (uint32_t)size;
	return 1;
}

static const struct reader_ops disksim_ops = {
	"disksim", line_reader_next, line_reader_free, NULL,
};

struct reader *disksim_reader_open(const char *path, GError **err)
{
	return line_reader_open(path, &disksim_ops, disksim_parse,
				sizeof(struct disksim_state), err);
}
