/*
 * blktrace.c - reading blktrace's binary output: one file, or the per-CPU
 * files NAME.blktrace.0, NAME.blktrace.1, ... that `blktrace -d DEV -o
 * NAME` writes, merged by time (ties: the lower CPU's file first).
 *
 * Records are struct blk_io_trace (include/blktrace_api.h, shared with
 * the exporter), each followed by pdu_len bytes of payload, in the byte
 * order of the machine that wrote them; the magic says which.  Q, D, C
 * and R events of the first device seen go to blkevents.c; notes
 * (process names, messages), SCSI pass-through (PC) requests, remaps,
 * splits, merges, plugs and the other actions are skipped.  A record cut
 * short or with a bad magic fails naming the file and its byte offset.
 */
#include "replay/reader.h"
#include "include/blktrace_api.h"

#include <errno.h>
#include <string.h>

struct cpu_file {
	FILE *f;
	char *path;
	uint64_t off;		/* of the next record */
	int swap;		/* -1 unknown, 0 native, 1 swapped */
	bool have;		/* head holds the next event */
	struct blk_io_trace head;
	uint64_t head_off;
};

struct blktrace_reader {
	struct reader base;
	GPtrArray *files;	/* struct cpu_file* */
	struct blkevents *ev;
	bool device_known;
	uint32_t device;
	bool ended;
};

bool blktrace_magic_ok(const unsigned char *buf, size_t len)
{
	uint32_t m, s;

	if (len < sizeof(struct blk_io_trace))
		return false;
	memcpy(&m, buf, 4);
	s = GUINT32_SWAP_LE_BE(m);
	return (m & 0xffffff00) == BLK_IO_TRACE_MAGIC ||
	       (s & 0xffffff00) == BLK_IO_TRACE_MAGIC;
}

static void swap_trace(struct blk_io_trace *t)
{
	t->magic = GUINT32_SWAP_LE_BE(t->magic);
	t->sequence = GUINT32_SWAP_LE_BE(t->sequence);
	t->time = GUINT64_SWAP_LE_BE(t->time);
	t->sector = GUINT64_SWAP_LE_BE(t->sector);
	t->bytes = GUINT32_SWAP_LE_BE(t->bytes);
	t->action = GUINT32_SWAP_LE_BE(t->action);
	t->pid = GUINT32_SWAP_LE_BE(t->pid);
	t->device = GUINT32_SWAP_LE_BE(t->device);
	t->cpu = GUINT32_SWAP_LE_BE(t->cpu);
	t->error = GUINT16_SWAP_LE_BE(t->error);
	t->pdu_len = GUINT16_SWAP_LE_BE(t->pdu_len);
}

static bool bt_fail(const struct cpu_file *c, uint64_t off, GError **err,
		    const char *what)
{
	g_set_error(err, REPLAY_ERROR, 0, "%s: byte offset %" G_GUINT64_FORMAT
		    ": %s", c->path, off, what);
	return false;
}

/* Read the file's next record into c->head (c->have false at the end). */
static bool read_head(struct cpu_file *c, GError **err)
{
	size_t n = fread(&c->head, 1, sizeof(c->head), c->f);
	unsigned char skip[256];
	unsigned left;

	c->have = false;
	if (n == 0 && feof(c->f))
		return true;
	if (n < sizeof(c->head))
		return bt_fail(c, c->off, err, ferror(c->f) ?
			       g_strerror(errno) : "truncated record");
	if (c->swap < 0) {
		c->swap = (c->head.magic & 0xffffff00) != BLK_IO_TRACE_MAGIC;
	}
	if (c->swap)
		swap_trace(&c->head);
	if ((c->head.magic & 0xffffff00) != BLK_IO_TRACE_MAGIC)
		return bt_fail(c, c->off, err, "not a blktrace record (bad "
			       "magic)");
	if ((c->head.magic & 0xff) != BLK_IO_TRACE_VERSION)
		return bt_fail(c, c->off, err, "unsupported blktrace version "
			       "(only 7 is known)");
	c->head_off = c->off;
	c->off += sizeof(c->head);
	for (left = c->head.pdu_len; left; ) {
		unsigned k = left < sizeof(skip) ? left : sizeof(skip);

		if (fread(skip, 1, k, c->f) != k)
			return bt_fail(c, c->head_off, err, "truncated "
				       "record payload");
		left -= k;
		c->off += k;
	}
	if (c->head.time > INT64_MAX)
		return bt_fail(c, c->head_off, err, "time out of range");
	c->have = true;
	return true;
}

/* Turn a record into an event for blkevents; false: not one to keep. */
static bool decode(struct blktrace_reader *r, const struct blk_io_trace *t,
		   uint64_t off, struct blk_ev *ev)
{
	uint32_t cat = t->action >> BLK_TC_SHIFT;

	if (cat & (BLK_TC_NOTIFY | BLK_TC_PC | BLK_TC_DRV_DATA))
		return false;
	switch (t->action & 0xffff) {
	case __BLK_TA_QUEUE:
		ev->kind = BLK_EV_QUEUE;
		break;
	case __BLK_TA_ISSUE:
		ev->kind = BLK_EV_ISSUE;
		break;
	case __BLK_TA_COMPLETE:
		ev->kind = BLK_EV_COMPLETE;
		break;
	case __BLK_TA_REQUEUE:
		ev->kind = BLK_EV_REQUEUE;
		break;
	default:
		return false;
	}
	if (!r->device_known) {
		r->device_known = true;
		r->device = t->device;
	} else if (t->device != r->device) {
		return false;
	}
	ev->time_ns = (int64_t)t->time;
	ev->write = cat & BLK_TC_WRITE;
	ev->sync = cat & BLK_TC_SYNC;
	ev->meta = cat & BLK_TC_META;
	ev->fua = cat & BLK_TC_FUA;
	ev->preflush = cat & BLK_TC_FLUSH;
	ev->ahead = cat & BLK_TC_AHEAD;
	ev->sector = t->sector;
	ev->sectors = t->bytes >> 9;
	ev->where = off;
	return true;
}

static bool bt_next(struct reader *base, struct replay_rec *rec,
		    GError **err)
{
	struct blktrace_reader *r = (struct blktrace_reader *)base;

	for (;;) {
		struct cpu_file *min = NULL;
		struct blk_ev ev;

		if (blkevents_pop(r->ev, r->ended, rec))
			return true;
		if (r->ended)
			return false;
		for (guint i = 0; i < r->files->len; i++) {
			struct cpu_file *c = r->files->pdata[i];

			if (c->have && (!min || c->head.time < min->head.time))
				min = c;
		}
		if (!min) {
			r->ended = true;
			continue;
		}
		if (decode(r, &min->head, min->head_off, &ev))
			blkevents_feed(r->ev, &ev);
		if (!read_head(min, err))
			return false;
	}
}

static void bt_free(struct reader *base)
{
	struct blktrace_reader *r = (struct blktrace_reader *)base;

	for (guint i = 0; r->files && i < r->files->len; i++) {
		struct cpu_file *c = r->files->pdata[i];

		if (c->f)
			fclose(c->f);
		g_free(c->path);
		g_free(c);
	}
	if (r->files)
		g_ptr_array_free(r->files, TRUE);
	blkevents_free(r->ev);
	g_free(r);
}

static const struct reader_ops blktrace_ops = {
	"blktrace", bt_next, bt_free, NULL,
};

static bool add_file(struct blktrace_reader *r, char *path, GError **err)
{
	struct cpu_file *c = g_new0(struct cpu_file, 1);

	c->path = path;
	c->swap = -1;
	g_ptr_array_add(r->files, c);
	c->f = fopen(path, "rb");
	if (!c->f) {
		g_set_error(err, REPLAY_ERROR, 0, "%s: %s", path,
			    g_strerror(errno));
		return false;
	}
	return read_head(c, err);
}

struct reader *blktrace_reader_open(const char *path, bool at_dispatch,
				    GError **err)
{
	struct blktrace_reader *r = g_new0(struct blktrace_reader, 1);
	bool ok = true;

	r->base.ops = &blktrace_ops;
	r->base.path = path;
	r->base.at_dispatch = at_dispatch;
	r->files = g_ptr_array_new();
	r->ev = blkevents_new(at_dispatch);
	if (g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		ok = add_file(r, g_strdup(path), err);
	} else {
		for (unsigned cpu = 0; ok; cpu++) {
			char *p = g_strdup_printf("%s.blktrace.%u", path, cpu);

			if (!g_file_test(p, G_FILE_TEST_IS_REGULAR)) {
				g_free(p);
				break;
			}
			ok = add_file(r, p, err);
		}
		if (ok && !r->files->len) {
			g_set_error(err, REPLAY_ERROR, 0, "%s: no such file, "
				    "nor %s.blktrace.0", path, path);
			ok = false;
		}
	}
	if (!ok) {
		bt_free(&r->base);
		return NULL;
	}
	return &r->base;
}
