/*
 * blkparse.c - reading blkparse's default text output:
 *
 *   8,0    0        1     0.000000000  4162  Q   R 24 + 2 [dd]
 *   DEV   CPU     SEQ     SECONDS       PID  ACT RWBS SECTOR + SECTORS ...
 *
 * Q, D, C and R lines of the first device seen go to blkevents.c, the
 * RWBS letters giving direction and flags (F first: a preflush; then W,
 * R, D for discard or N for no data; then F FUA, A readahead, S sync, M
 * metadata).  Other actions (merges, plugs, splits, remaps, messages),
 * discards and requests without data are skipped.  The per-CPU and total
 * summary blkparse prints at the end (from a line starting "CPU" or
 * "Total") is not read.  Any other line that is not an event fails,
 * naming the line.
 */
#include "replay/reader.h"

#include <string.h>

struct blkparse_reader {
	struct reader base;
	struct lines l;
	struct blkevents *ev;
	char *device;		/* the first device seen */
	bool ended;
};

/* RWBS letters; false for discards and requests without data */
static bool parse_rwbs(const char *s, struct blk_ev *ev)
{
	if (s[0] == 'F' && s[1]) {
		ev->preflush = true;
		s++;
	}
	switch (*s) {
	case 'W':
		ev->write = true;
		break;
	case 'R':
		break;
	default:
		return false;	/* D (discard), N (no data), F alone */
	}
	for (s++; *s; s++) {
		if (*s == 'F')
			ev->fua = true;
		else if (*s == 'A')
			ev->ahead = true;
		else if (*s == 'S')
			ev->sync = true;
		else if (*s == 'M')
			ev->meta = true;
	}
	return true;
}

/* One line: -1 error, 0 skipped, 1 an event */
static int parse_line(struct blkparse_reader *r, char *line,
		      struct blk_ev *ev, GError **err)
{
	char *f[16];
	int n = lines_split(line, false, f, 16);
	uint64_t sector, sectors;

	memset(ev, 0, sizeof(*ev));
	if (n < 6 || !strchr(f[0], ',') || !rd_fixed(f[3], 9,
							 &ev->time_ns))
		return lines_fail(&r->l, err, "not a blkparse event line "
				  "(DEV CPU SEQ TIME PID ACTION ...)") - 1;
	if (strlen(f[5]) != 1 || !strchr("QDCR", f[5][0]))
		return 0;
	if (n < 7 || !parse_rwbs(f[6], ev))
		return 0;
	if (n < 10 || strcmp(f[8], "+") || !rd_u64(f[7], &sector) ||
	    !rd_u64(f[9], &sectors) || sectors > UINT32_MAX)
		return lines_fail(&r->l, err, "%s event: expected SECTOR + "
				  "SECTORS", f[5]) - 1;
	if (!r->device)
		r->device = g_strdup(f[0]);
	else if (strcmp(r->device, f[0]))
		return 0;
	ev->kind = f[5][0] == 'Q' ? BLK_EV_QUEUE : f[5][0] == 'D' ?
		   BLK_EV_ISSUE : f[5][0] == 'C' ? BLK_EV_COMPLETE :
		   BLK_EV_REQUEUE;
	ev->sector = sector;
	ev->sectors = (uint32_t)sectors;
	ev->where = r->l.lineno;
	return 1;
}

static bool bp_next(struct reader *base, struct replay_rec *rec,
		    GError **err)
{
	struct blkparse_reader *r = (struct blkparse_reader *)base;

	for (;;) {
		struct blk_ev ev;
		char *line;
		int k;

		if (blkevents_pop(r->ev, r->ended, rec))
			return true;
		if (r->ended)
			return false;
		line = lines_next(&r->l, err);
		if (!line) {
			if (err && *err)
				return false;
			r->ended = true;
			continue;
		}
		if (!line[strspn(line, " \t")])
			continue;
		if (g_str_has_prefix(line, "CPU") ||
		    g_str_has_prefix(line, "Total")) {
			r->ended = true;	/* the summary */
			continue;
		}
		k = parse_line(r, line, &ev, err);
		if (k < 0)
			return false;
		if (k)
			blkevents_feed(r->ev, &ev);
	}
}

static void bp_free(struct reader *base)
{
	struct blkparse_reader *r = (struct blkparse_reader *)base;

	lines_close(&r->l);
	blkevents_free(r->ev);
	g_free(r->device);
	g_free(r);
}

static const struct reader_ops blkparse_ops = {
	"blkparse", bp_next, bp_free, NULL,
};

struct reader *blkparse_reader_open(const char *path, bool at_dispatch,
				    GError **err)
{
	struct blkparse_reader *r = g_new0(struct blkparse_reader, 1);

	r->base.ops = &blkparse_ops;
	r->base.path = path;
	r->base.at_dispatch = at_dispatch;
	r->ev = blkevents_new(at_dispatch);
	if (!lines_open(&r->l, path, err)) {
		bp_free(&r->base);
		return NULL;
	}
	return &r->base;
}
