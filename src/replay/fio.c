/*
 * fio.c - reading fio's I/O logs (--write_iolog), versions 2 and 3:
 *
 *   fio version 2 iolog            fio version 3 iolog
 *   /dev/sdb add                   0 /dev/sdb add
 *   /dev/sdb open                  12 /dev/sdb open
 *   /dev/sdb read 8192 4096        40 /dev/sdb read 8192 4096
 *
 * FILE ACTION [OFFSET LENGTH], version 3 with the issue time in
 * microseconds in front.  read and write become records (offset and
 * length in bytes, whole sectors); version 2's "wait" adds its offset
 * (microseconds) to the think time after the previous request; add, open,
 * close, sync, datasync and trim are skipped.  Every file named is taken
 * to be the one replayed device.
 *
 * The iolog records no completions; fio's completion-latency log does
 * (--write_lat_log=NAME --log_offset=1 writes NAME_clat.N.log: "TIME_MS,
 * CLAT_NS, DDIR, BYTES, OFFSET[, PRIO]" a line, in completion order).
 * Given one (--latencies), each read or write of the iolog is paired with
 * the next line of the log, which must be the same direction (0 read, 1
 * write), length and offset: in-order pairing, right for a job at
 * --iodepth=1, which completes its I/O in issue order.  The completion
 * latency becomes the request's recorded service time (and, version 3,
 * the issue time plus it the recorded completion, from which closed-loop
 * replay takes the think time before the next request).
 */
#include "replay/reader.h"

#include <string.h>

struct fio_state {
	int version;		/* 2 or 3, from the first line */
	struct lines lat;	/* the completion-latency log, if any */
};

/* The next line of the latency log for rec: its latency, checked. */
static bool pair_latency(struct line_reader *lr, struct replay_rec *rec,
			 GError **err)
{
	struct fio_state *st = lr->state;
	char *line, *f[8];
	uint64_t v[5];
	int n;
	GError *e = NULL;

	do {
		line = lines_next(&st->lat, &e);
		if (!line) {
			if (e) {
				g_propagate_error(err, e);
				return false;
			}
			return lines_fail(&lr->l, err, "%s ends before this "
					  "request's latency", st->lat.path);
		}
		n = lines_split(line, true, f, 7);
	} while (n == 0);
	if (n < 5 || n > 6)
		return lines_fail(&st->lat, err, "expected TIME, LATENCY, "
				  "DDIR, BYTES, OFFSET (fio's --log_offset=1)");
	for (int i = 0; i < 5; i++)
		if (!rd_u64(f[i], &v[i]))
			return lines_fail(&st->lat, err, "not a whole number: "
					  "\"%s\"", f[i]);
	if (v[2] != (rec->op == REQ_OP_WRITE) ||
	    v[3] != (uint64_t)rec->sectors * 512 || v[4] != rec->sector * 512 ||
	    v[1] > INT64_MAX)
		return lines_fail(&st->lat, err, "does not match the iolog's "
				  "request at its line %" G_GUINT64_FORMAT
				  " (the log pairs in order: record with "
				  "--iodepth=1)", lr->l.lineno);
	rec->service_ns = (int64_t)v[1];
	if (rec->time_ns >= 0 && rec->time_ns <= INT64_MAX - rec->service_ns)
		rec->complete_ns = rec->time_ns + rec->service_ns;
	return true;
}

static bool bytes_to_sectors(struct line_reader *lr, const char *off,
			     const char *len, struct replay_rec *rec,
			     GError **err)
{
	uint64_t o, n;

	if (!rd_u64(off, &o) || !rd_u64(len, &n))
		return lines_fail(&lr->l, err, "expected OFFSET LENGTH in "
				  "bytes");
	if (o % 512 || n % 512 || !n || n / 512 > UINT32_MAX)
		return lines_fail(&lr->l, err, "offset %" G_GUINT64_FORMAT
				  " and length %" G_GUINT64_FORMAT " must be "
				  "whole 512-byte sectors (length > 0)", o, n);
	rec->sector = o / 512;
	rec->sectors = (uint32_t)(n / 512);
	return true;
}

static int fio_parse(struct line_reader *lr, char *line,
		     struct replay_rec *rec, GError **err)
{
	struct fio_state *st = lr->state;
	char *f[8];
	int n, k;
	uint64_t us;

	if (!st->version) {
		if (!strcmp(g_strstrip(line), "fio version 2 iolog"))
			st->version = 2;
		else if (!strcmp(line, "fio version 3 iolog"))
			st->version = 3;
		else
			return lines_fail(&lr->l, err, "not a fio iolog "
					  "(expected \"fio version 2 iolog\" "
					  "or \"fio version 3 iolog\")") - 1;
		return 0;
	}
	n = lines_split(line, false, f, 6);
	if (n == 0)
		return 0;
	k = st->version == 3;
	if (n < 2 + k || n > 4 + k)
		return lines_fail(&lr->l, err, "expected %sFILE ACTION "
				  "[OFFSET LENGTH]", k ? "TIME " : "") - 1;
	if (k) {
		if (!rd_u64(f[0], &us) || us > INT64_MAX / 1000)
			return lines_fail(&lr->l, err, "bad time \"%s\" "
					  "(microseconds)", f[0]) - 1;
		rec->time_ns = (int64_t)us * 1000;
	}
	if (!strcmp(f[1 + k], "wait") && n == 4 + k) {
		if (!rd_u64(f[2 + k], &us) || us > INT64_MAX / 1000)
			return lines_fail(&lr->l, err, "bad wait \"%s\" "
					  "(microseconds)", f[2 + k]) - 1;
		rec->think_ns = (int64_t)us * 1000;
		return 2;
	}
	if (strcmp(f[1 + k], "read") && strcmp(f[1 + k], "write"))
		return 0;	/* add, open, close, sync, trim, ... */
	if (n != 4 + k)
		return lines_fail(&lr->l, err, "%s: expected OFFSET LENGTH",
				  f[1 + k]) - 1;
	rec->op = f[1 + k][0] == 'w' ? REQ_OP_WRITE : REQ_OP_READ;
	if (!bytes_to_sectors(lr, f[2 + k], f[3 + k], rec, err))
		return -1;
	if (st->lat.f && !pair_latency(lr, rec, err))
		return -1;
	return 1;
}

static bool fio_set_latencies(struct reader *r, const char *path,
			      GError **err)
{
	struct fio_state *st = ((struct line_reader *)r)->state;

	return lines_open(&st->lat, path, err);
}

static void fio_free(struct reader *r)
{
	struct fio_state *st = ((struct line_reader *)r)->state;

	lines_close(&st->lat);
	line_reader_free(r);
}

static const struct reader_ops fio_ops = {
	"fio", line_reader_next, fio_free, fio_set_latencies,
};

struct reader *fio_reader_open(const char *path, GError **err)
{
	return line_reader_open(path, &fio_ops, fio_parse,
				sizeof(struct fio_state), err);
}
