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
 * to be the one replayed device.  fio records no completions, so a fio
 * log can be replayed but not validated.
 */
#include "replay/reader.h"

#include <string.h>

struct fio_state {
	int version;		/* 2 or 3, from the first line */
};

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
	return bytes_to_sectors(lr, f[2 + k], f[3 + k], rec, err) ? 1 : -1;
}

static const struct reader_ops fio_ops = {
	"fio", line_reader_next, line_reader_free,
};

struct reader *fio_reader_open(const char *path, GError **err)
{
	return line_reader_open(path, &fio_ops, fio_parse,
				sizeof(struct fio_state), err);
}
