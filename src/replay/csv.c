/*
 * csv.c - reading a plain CSV trace.  The header names the columns, in
 * any order:
 *
 *   op,sector,sectors,time_ns          op,sector,sectors,think_ns
 *   R,1024,8,0                         R,1024,8,500000
 *
 * op is R or W (or blkparse's RWBS letters: WS, RM, ...; read, write),
 * sector and sectors in 512-byte units; time_ns the issue time, or
 * think_ns the think time between this request's completion and the next
 * one's issue (the first request is issued at time 0: DiskSim's
 * closed-loop convention).  An optional service_ns column gives the
 * recorded service time, for `mpsim validate`; with time_ns, time plus
 * service is the recorded completion (closed loop: the think time before
 * the next request is its time minus that).
 */
#include "replay/reader.h"

#include <string.h>

enum { COL_OP, COL_SECTOR, COL_SECTORS, COL_TIME, COL_THINK, COL_SERVICE,
       NR_COLS };
static const char *const col_names[NR_COLS] = {
	"op", "sector", "sectors", "time_ns", "think_ns", "service_ns",
};

#define MAX_COLS 32

struct csv_state {
	bool header;
	int ncols;
	int col[NR_COLS];	/* index of each column, or -1 */
};

static int csv_header(struct line_reader *lr, char **f, int n,
		      GError **err)
{
	struct csv_state *st = lr->state;

	for (int c = 0; c < NR_COLS; c++)
		st->col[c] = -1;
	for (int i = 0; i < n; i++)
		for (int c = 0; c < NR_COLS; c++)
			if (!strcmp(f[i], col_names[c])) {
				if (st->col[c] >= 0)
					return lines_fail(&lr->l, err, "column "
						"%s twice", f[i]) - 1;
				st->col[c] = i;
			}
	if (st->col[COL_OP] < 0 || st->col[COL_SECTOR] < 0 ||
	    st->col[COL_SECTORS] < 0 ||
	    (st->col[COL_TIME] < 0) == (st->col[COL_THINK] < 0))
		return lines_fail(&lr->l, err, "the header needs op, sector, "
				  "sectors and one of time_ns, think_ns") - 1;
	st->ncols = n;
	st->header = true;
	return 0;
}

static bool csv_op(const char *s, struct replay_rec *rec)
{
	if ((s[0] == 'R' || s[0] == 'W') && !s[1]) {
		rec->op = s[0] == 'W' ? REQ_OP_WRITE : REQ_OP_READ;
		return true;
	}
	if (!strcmp(s, "read") || !strcmp(s, "write")) {
		rec->op = s[0] == 'w' ? REQ_OP_WRITE : REQ_OP_READ;
		return true;
	}
	if (s[0] != 'R' && s[0] != 'W')
		return false;
	rec->op = s[0] == 'W' ? REQ_OP_WRITE : REQ_OP_READ;
	for (s++; *s; s++) {
		if (*s == 'S')
			rec->flags |= REQ_SYNC;
		else if (*s == 'M')
			rec->flags |= REQ_META;
		else if (*s == 'F')
			rec->flags |= REQ_FUA;
		else if (*s == 'A')
			rec->flags |= REQ_RAHEAD;
		else
			return false;
	}
	return true;
}

static int csv_parse(struct line_reader *lr, char *line,
		     struct replay_rec *rec, GError **err)
{
	struct csv_state *st = lr->state;
	char *f[MAX_COLS];
	int n = lines_split(line, true, f, MAX_COLS);
	uint64_t sectors;

	if (n == 0 || line[0] == '#')
		return 0;
	if (n < 0 || n > MAX_COLS)
		return lines_fail(&lr->l, err, "not a CSV line of at most %d "
				  "fields", MAX_COLS) - 1;
	if (!st->header)
		return csv_header(lr, f, n, err);
	if (n != st->ncols)
		return lines_fail(&lr->l, err, "%d fields; the header has %d",
				  n, st->ncols) - 1;
	if (!csv_op(f[st->col[COL_OP]], rec))
		return lines_fail(&lr->l, err, "op: \"%s\" is not R or W "
				  "(RWBS letters) nor read or write",
				  f[st->col[COL_OP]]) - 1;
	if (!rd_u64(f[st->col[COL_SECTOR]], &rec->sector) ||
	    !rd_u64(f[st->col[COL_SECTORS]], &sectors) || !sectors ||
	    sectors > UINT32_MAX)
		return lines_fail(&lr->l, err, "sector and sectors are whole "
				  "numbers (sectors > 0)") - 1;
	rec->sectors = (uint32_t)sectors;
	if (st->col[COL_TIME] >= 0 &&
	    !rd_i64(f[st->col[COL_TIME]], &rec->time_ns))
		return lines_fail(&lr->l, err, "time_ns: not a whole number "
				  "of nanoseconds") - 1;
	if (st->col[COL_THINK] >= 0 &&
	    !rd_i64(f[st->col[COL_THINK]], &rec->think_ns))
		return lines_fail(&lr->l, err, "think_ns: not a whole number "
				  "of nanoseconds") - 1;
	if (st->col[COL_SERVICE] >= 0 && *f[st->col[COL_SERVICE]] &&
	    !rd_i64(f[st->col[COL_SERVICE]], &rec->service_ns))
		return lines_fail(&lr->l, err, "service_ns: not a whole number "
				  "of nanoseconds") - 1;
	/* the recorded completion, for closed-loop think times */
	if (rec->time_ns >= 0 && rec->service_ns >= 0 &&
	    rec->time_ns <= INT64_MAX - rec->service_ns)
		rec->complete_ns = rec->time_ns + rec->service_ns;
	return 1;
}

static const struct reader_ops csv_ops = {
	"csv", line_reader_next, line_reader_free, NULL,
};

struct reader *csv_reader_open(const char *path, GError **err)
{
	return line_reader_open(path, &csv_ops, csv_parse,
				sizeof(struct csv_state), err);
}
