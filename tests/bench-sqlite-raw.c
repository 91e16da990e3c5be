/*
 * bench-sqlite-raw.c - the raw SQLite insert rate, the limit that the
 * simulator's own logging (src/log/db.c) is compared with by bench/run.
 *
 *   bench-sqlite-raw DB NBIO NREQUEST NEVENT [NBVEC [NEXTENT]]
 *
 * Creates DB with mpsim's schema (db_open), then, in one transaction and
 * with prepared statements bound as db.c binds them, on a connection
 * opened as db.c opens its own (no mutex: one thread), inserts NBIO bio
 * rows (whole, with their request and completion time), NBVEC
 * bvec_stored rows of one vector each (spread evenly over the bios, each
 * bio's before its row), NREQUEST request rows (the bios spread evenly
 * over them) and NEVENT event rows (32 rows a
 * statement, as db.c writes them, the rest one by one), then NEXTENT
 * extent rows (a file's block map, as db_log_extent() writes it at the
 * end of a run: one block a row when no two are contiguous), shaped like
 * the rows of a run whose every page falls back to buffer heads: one
 * 1 KiB bio of one vector per request, its plug event in its row, events
 * with a task, a sector and a few NULLs.  No simulation runs: this is SQLite's cost alone.
 *
 * Prints: rows=N host_s=X rows_per_s=X (rows = NBIO + NBVEC + NREQUEST +
 * NEVENT + NEXTENT).
 */
#include <glib.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "log/db.h"

static const char bio_sql[] =
	"INSERT INTO bio(run_id, seq, task, submit_ns, op, sector, "
	"sectors, origin, file, pages, block, parent, "
	"request_seq, complete_ns, error, plug_event, plug_count, "
	"merge_event, merge_reason, merge_rq_sector, merge_rq_sectors) "
	"VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
static const char request_sql[] =
	"INSERT INTO request(run_id, seq, op, sector, sectors, "
	"nbios, queue_ns, insert_ns, dispatch_ns, complete_ns, "
	"overhead_ns, seek_ns, rotation_ns, transfer_ns, "
	"seek_cylinders, cache_hit, depth, error, merges) "
	"VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
static const char bvec_sql[] =
	"INSERT INTO bvec_stored(run_id, bio_seq, idx, page, offset, len, n) "
	"VALUES(?,?,?,?,?,?,?)";
static const char extent_sql[] =
	"INSERT INTO extent(run_id, file, seq, kind, logical, physical, "
	"length) VALUES(?,?,?,?,?,?,?)";
static const char event_sql[] =
	"INSERT INTO event_stored(run_id, seq, time_ns, action, task, "
	"file, page, block, sector, sectors, offset, value, "
	"reason, ra_start, ra_size, ra_async_size, ra_async) "
	"VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

#define EVENT_BATCH 32		/* as src/log/db.c */
#define EVENT_COLUMNS 17

static sqlite3 *h;

static void die(const char *what)
{
	fprintf(stderr, "bench-sqlite-raw: %s: %s\n", what, sqlite3_errmsg(h));
	exit(1);
}

static sqlite3_stmt *prepare(const char *sql)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		die("prepare");
	return st;
}

/* As db.c's step(): step and reset (every parameter is bound each time). */
static void step(sqlite3_stmt *st)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		die("step");
	sqlite3_reset(st);
}

static void text(sqlite3_stmt *st, int i, const char *s)
{
	sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static void insert_bio(sqlite3_stmt *st, int64_t seq, int64_t rq)
{
	char pages[24];

	g_snprintf(pages, sizeof(pages), "%" G_GINT64_FORMAT, seq / 4);
	sqlite3_bind_int64(st, 1, 1);
	sqlite3_bind_int64(st, 2, seq);
	text(st, 3, "reader");
	sqlite3_bind_int64(st, 4, seq * 890000);
	text(st, 5, "R");
	sqlite3_bind_int64(st, 6, 2000 + 4 * seq);
	sqlite3_bind_int64(st, 7, 2);
	text(st, 8, "buffer");
	text(st, 9, "data");
	text(st, 10, pages);
	sqlite3_bind_int64(st, 11, 1000 + 2 * seq);
	sqlite3_bind_null(st, 12);
	sqlite3_bind_int64(st, 13, rq);
	sqlite3_bind_int64(st, 14, rq * 890000 + 880000);
	sqlite3_bind_int64(st, 15, 0);
	/* each made a request that joined the plug: its plug event */
	sqlite3_bind_int64(st, 16, 3 * seq);
	sqlite3_bind_int64(st, 17, 1);
	for (int i = 18; i <= 21; i++)	/* not merged */
		sqlite3_bind_null(st, i);
	step(st);
}

static void insert_bvec(sqlite3_stmt *st, int64_t bio, int64_t idx)
{
	sqlite3_bind_int64(st, 1, 1);
	sqlite3_bind_int64(st, 2, bio);
	sqlite3_bind_int64(st, 3, idx);
	sqlite3_bind_int64(st, 4, bio / 4);
	sqlite3_bind_int64(st, 5, 1024 * (bio % 4));
	sqlite3_bind_int64(st, 6, 1024);
	sqlite3_bind_int64(st, 7, 1);
	step(st);
}

static void insert_extent(sqlite3_stmt *st, int64_t seq)
{
	sqlite3_bind_int64(st, 1, 1);
	text(st, 2, "data");
	sqlite3_bind_int64(st, 3, seq);
	text(st, 4, "data");
	sqlite3_bind_int64(st, 5, seq);
	sqlite3_bind_int64(st, 6, 1000 + 2 * seq);
	sqlite3_bind_int64(st, 7, 1);
	step(st);
}

static void insert_request(sqlite3_stmt *st, int64_t seq, int64_t nbios)
{
	int64_t t = seq * 890000;

	sqlite3_bind_int64(st, 1, 1);
	sqlite3_bind_int64(st, 2, seq);
	text(st, 3, "R");
	sqlite3_bind_int64(st, 4, 2000 + 4 * seq);
	sqlite3_bind_int64(st, 5, 2);
	sqlite3_bind_int64(st, 6, nbios);
	sqlite3_bind_int64(st, 7, t);
	sqlite3_bind_int64(st, 8, t);
	sqlite3_bind_int64(st, 9, t + 1000);
	sqlite3_bind_int64(st, 10, t + 880000);
	sqlite3_bind_int64(st, 11, 300000);
	sqlite3_bind_int64(st, 12, 0);
	sqlite3_bind_int64(st, 13, 563000);
	sqlite3_bind_int64(st, 14, 15148);
	sqlite3_bind_int64(st, 15, 0);
	sqlite3_bind_int64(st, 16, 0);
	sqlite3_bind_int64(st, 17, 1);
	sqlite3_bind_int64(st, 18, 0);
	sqlite3_bind_int64(st, 19, 0);
	step(st);
}

/* Bind event seq as the row-th row (0-based) of st. */
static void bind_event(sqlite3_stmt *st, unsigned row, int64_t seq)
{
	int o = (int)(row * EVENT_COLUMNS);

	sqlite3_bind_int64(st, o + 1, 1);
	sqlite3_bind_int64(st, o + 2, seq);
	sqlite3_bind_int64(st, o + 3, seq * 400000);
	text(st, o + 4, seq % 2 ? "plug" : "sleeprq");
	text(st, o + 5, "reader");
	sqlite3_bind_null(st, o + 6);
	sqlite3_bind_null(st, o + 7);
	sqlite3_bind_null(st, o + 8);
	sqlite3_bind_int64(st, o + 9, 2000 + 2 * seq);
	sqlite3_bind_int64(st, o + 10, 2);
	sqlite3_bind_null(st, o + 11);
	sqlite3_bind_int64(st, o + 12, 1);
	sqlite3_bind_null(st, o + 13);
	for (int i = 14; i <= 17; i++)
		sqlite3_bind_null(st, o + i);
}

/* The event INSERT with EVENT_BATCH rows of values. */
static sqlite3_stmt *prepare_event_batch(void)
{
	const char *one = strstr(event_sql, "VALUES(") + 6;
	GString *sql = g_string_new_len(event_sql, one - event_sql);
	sqlite3_stmt *st;

	for (unsigned i = 0; i < EVENT_BATCH; i++)
		g_string_append_printf(sql, "%s%s", i ? "," : "", one);
	st = prepare(sql->str);
	g_string_free(sql, TRUE);
	return st;
}

int main(int argc, char **argv)
{
	GError *err = NULL;
	struct db *db;
	sqlite3_stmt *bio, *bvec, *rq, *ev, *evb, *ext;
	int64_t nbio, nrq, nev, nbvec = 0, next = 0, t0, t1;
	double s;

	if (argc < 5 || argc > 7) {
		fprintf(stderr, "usage: bench-sqlite-raw DB NBIO NREQUEST "
			"NEVENT [NBVEC [NEXTENT]]\n");
		return 2;
	}
	nbio = g_ascii_strtoll(argv[2], NULL, 10);
	nrq = g_ascii_strtoll(argv[3], NULL, 10);
	nev = g_ascii_strtoll(argv[4], NULL, 10);
	if (argc >= 6)
		nbvec = g_ascii_strtoll(argv[5], NULL, 10);
	if (argc == 7)
		next = g_ascii_strtoll(argv[6], NULL, 10);
	if (nbio < 0 || nrq <= 0 || nev < 0 || nbvec < 0 || next < 0 ||
	    (nbvec > 0 && nbio == 0)) {
		fprintf(stderr, "bench-sqlite-raw: bad counts\n");
		return 2;
	}
	/* the schema, exactly as mpsim creates it */
	db = db_open(argv[1], &err);
	if (!db) {
		fprintf(stderr, "bench-sqlite-raw: %s\n", err->message);
		return 1;
	}
	db_close(db);

	t0 = g_get_monotonic_time();
	if (sqlite3_open_v2(argv[1], &h, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		die("open");
	if (sqlite3_exec(h, "PRAGMA journal_mode = DELETE; "
			 "PRAGMA synchronous = NORMAL; "
			 "PRAGMA cache_size = -32768; BEGIN IMMEDIATE",
			 NULL, NULL, NULL) != SQLITE_OK)
		die("begin");
	bio = prepare(bio_sql);
	bvec = prepare(bvec_sql);
	ext = prepare(extent_sql);
	rq = prepare(request_sql);
	ev = prepare(event_sql);
	evb = prepare_event_batch();
	/* as a run goes: a request, then its bios' rows */
	for (int64_t r = 0, b = 0, v = 0; r < nrq; r++) {
		int64_t hi = (r + 1) * nbio / nrq;

		insert_request(rq, r + 1, hi - b);
		for (; b < hi; b++) {
			int64_t vhi = (b + 1) * nbvec / nbio;

			for (int64_t i = 0; v < vhi; v++, i++)
				insert_bvec(bvec, b + 1, i);
			insert_bio(bio, b + 1, r + 1);
		}
	}
	for (int64_t e = 0; e < nev;) {
		if (nev - e >= EVENT_BATCH) {
			for (unsigned r = 0; r < EVENT_BATCH; r++)
				bind_event(evb, r, ++e);
			step(evb);
		} else {
			bind_event(ev, 0, ++e);
			step(ev);
		}
	}
	for (int64_t x = 0; x < next; x++)
		insert_extent(ext, x);
	sqlite3_finalize(bio);
	sqlite3_finalize(ext);
	sqlite3_finalize(bvec);
	sqlite3_finalize(rq);
	sqlite3_finalize(ev);
	sqlite3_finalize(evb);
	if (sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die("commit");
	sqlite3_close(h);
	t1 = g_get_monotonic_time();
	s = (double)(t1 - t0) / 1e6;
	printf("rows=%" G_GINT64_FORMAT " host_s=%.3f rows_per_s=%.0f\n",
	       nbio + nbvec + nrq + nev + next, s,
	       (double)(nbio + nbvec + nrq + nev + next) / s);
	return 0;
}
