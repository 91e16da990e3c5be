/*
 * blktrace.c - a run as the binary stream blktrace writes for one CPU
 * (what `blkparse -i -` and `btt -i` read).
 *
 * Each bio gives a queue record (Q) when it entered the block layer; the
 * first bio of a request gives a get-request record (G), the others a
 * back or front merge (M, F) by where they joined it; each request gives
 * insert (I), issue (D) and complete (C) records.  A task's plug gives a
 * plug record (P) when its first request joins the empty plug list, as
 * blk_queue_bio() fires trace_block_plug(), and an unplug record when the
 * plug is flushed, as queue_unplugged() fires trace_block_unplug(): U
 * (BLK_TA_UNPLUG_IO) when the task flushes it itself (blk_finish_plug, or
 * the plug's request limit), UT (BLK_TA_UNPLUG_TIMER) when it flushes on
 * going to sleep (from_schedule), with the number of requests flushed as
 * the 8-byte big-endian payload blkparse reads.  A bio-based device's
 * bio gives its Q alone (4.9's brd traces nothing else), and a flush that
 * ended for want of a write cache none (4.9 ends it before the
 * tracepoint).  Records are sorted by
 * time (ties keep the order in which a request goes through those steps)
 * and numbered in that order.  Times are the simulated nanoseconds, the
 * device is 8,0, the CPU 0; the process id is the task's id: for I, D and
 * C the id of the task that submitted the request's first bio (0 when no
 * task did), every one named by a process note at time 0 as blktrace
 * names the processes it sees.
 */
#include "analysis/export.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/stats.h"
#include "analysis/table.h"
#include "include/blktrace_api.h"

#define EXPORT_ERROR (g_quark_from_static_string("mpsim-export-error"))

/* BLK_TN_PROCESS notes carry the process name */
#define TASK_COMM_LEN 16

#define MKDEV(ma, mi) (((uint32_t)(ma) << 20) | (uint32_t)(mi))

struct rec {
	struct blk_io_trace t;
	char pdu[TASK_COMM_LEN];	/* a process note's name, an unplug's
					 * count */
	int64_t request;	/* for ties: the request's seq */
	int step;		/* Q, G/M/F, I, D, C: 0..4 */
	int64_t bio;
	int sub;		/* after the record of the same step: P after
				 * G, U after I */
};

static int cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	if (x->t.time != y->t.time)
		return x->t.time < y->t.time ? -1 : 1;
	if (x->request != y->request)
		return x->request < y->request ? -1 : 1;
	if (x->step != y->step)
		return x->step - y->step;
	if (x->bio != y->bio)
		return (x->bio > y->bio) - (x->bio < y->bio);
	return x->sub - y->sub;
}

/* The category bits of an RWBS op ("R", "W", "WS", "RM", ...). */
static uint32_t op_bits(const char *op)
{
	uint32_t v = 0;

	v |= strchr(op, 'W') ? BLK_TC_ACT(BLK_TC_WRITE) :
	     BLK_TC_ACT(BLK_TC_READ);
	if (strchr(op, 'S'))
		v |= BLK_TC_ACT(BLK_TC_SYNC);
	if (strchr(op, 'M'))
		v |= BLK_TC_ACT(BLK_TC_META);
	if (strchr(op, 'F'))
		v |= BLK_TC_ACT(BLK_TC_FUA);
	return v;
}

static struct rec mkrec(uint64_t time, uint32_t action, const char *op,
			int64_t sector, int64_t sectors, uint32_t pid,
			int error)
{
	struct rec r;

	memset(&r, 0, sizeof(r));
	r.t.magic = BLK_IO_TRACE_MAGIC | BLK_IO_TRACE_VERSION;
	r.t.time = time;
	r.t.sector = (uint64_t)sector;
	r.t.bytes = (uint32_t)(sectors * 512);
	r.t.action = action | op_bits(op);
	r.t.pid = pid;
	r.t.device = MKDEV(8, 0);
	r.t.error = (uint16_t)(error < 0 ? -error : error);
	return r;
}

struct req_state {
	int64_t start, end;	/* sectors covered so far */
	bool started;
	uint32_t pid;		/* the task of its first bio */
	int64_t first_bio;	/* that bio's seq */
};

/* One BLK_TN_PROCESS note per task, at time 0, before everything else. */
static bool add_process_notes(struct adb *a, int64_t run_id, GArray *recs,
			      GError **err)
{
	sqlite3 *h = adb_handle(a);
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(h, "SELECT id, name FROM task WHERE run_id = ? "
			       "ORDER BY id", -1, &st, NULL) != SQLITE_OK) {
		g_set_error(err, EXPORT_ERROR, 0, "%s: read tasks: %s",
			    adb_path(a), sqlite3_errmsg(h));
		return false;
	}
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct rec x;
		const char *name = (const char *)sqlite3_column_text(st, 1);

		memset(&x, 0, sizeof(x));
		x.t.magic = BLK_IO_TRACE_MAGIC | BLK_IO_TRACE_VERSION;
		x.t.action = BLK_TN_PROCESS | BLK_TC_ACT(BLK_TC_NOTIFY);
		x.t.pid = (uint32_t)sqlite3_column_int64(st, 0);
		x.t.device = MKDEV(8, 0);
		g_strlcpy(x.pdu, name ? name : "", sizeof(x.pdu));
		x.t.pdu_len = sizeof(x.pdu);
		x.request = -1;
		x.bio = x.t.pid;
		g_array_append_val(recs, x);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		g_set_error(err, EXPORT_ERROR, 0, "%s: read tasks: %s",
			    adb_path(a), sqlite3_errmsg(h));
		return false;
	}
	return true;
}

/* The request (index + 1 in rq) whose G record is bio `bio`, or 0. */
static guint request_of_first_bio(const struct req_state *state, guint n,
				  int64_t bio)
{
	for (guint i = 0; i < n; i++)
		if (state[i].started && state[i].first_bio == bio)
			return i + 1;
	return 0;
}

/*
 * P and U records from the run's plug and unplug events.  A P goes with
 * the request whose first bio the task had just queued (the G record at
 * that time and sector); a U after the I record of the last request the
 * flush inserted.
 */
static bool add_plug_records(struct adb *a, int64_t run_id, GArray *rq,
			     const struct req_state *state, GArray *recs,
			     GError **err)
{
	sqlite3 *h = adb_handle(a);
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(h, "SELECT e.time_ns, e.action, e.sector, "
			       "e.value, e.reason, coalesce(t.id, 0), "
			       "(SELECT min(b.seq) FROM bio b WHERE b.run_id = "
			       "e.run_id AND b.submit_ns = e.time_ns AND "
			       "b.sector = e.sector AND b.request_seq IS NOT "
			       "NULL) FROM event e LEFT JOIN task t ON "
			       "t.run_id = e.run_id AND t.name = e.task "
			       "WHERE e.run_id = ? AND (e.action = 'unplug' OR "
			       "(e.action = 'plug' AND e.value = 1)) "
			       "ORDER BY e.seq", -1, &st, NULL) != SQLITE_OK) {
		g_set_error(err, EXPORT_ERROR, 0, "%s: read plugs: %s",
			    adb_path(a), sqlite3_errmsg(h));
		return false;
	}
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t when = sqlite3_column_int64(st, 0);
		bool plug = !strcmp((const char *)sqlite3_column_text(st, 1),
				    "plug");
		int64_t depth = sqlite3_column_int64(st, 3);
		const char *reason = (const char *)sqlite3_column_text(st, 4);
		uint32_t pid = (uint32_t)sqlite3_column_int64(st, 5);
		struct rec x;

		if (plug) {
			guint idx = request_of_first_bio(
				state, rq->len, sqlite3_column_int64(st, 6));

			x = mkrec((uint64_t)when, BLK_TA_PLUG, "R", 0, 0, pid,
				  0);
			x.t.action &= ~BLK_TC_ACT(BLK_TC_READ);
			x.request = idx ? g_array_index(rq, struct rq_row,
							idx - 1).seq : -1;
			x.step = 1;
			x.bio = idx ? state[idx - 1].first_bio : 0;
			x.sub = 1;
		} else {
			uint64_t be = GUINT64_TO_BE((uint64_t)depth);
			int64_t last = INT64_MAX;

			/* the flush inserted its requests at `when` */
			for (guint i = 0; i < rq->len; i++) {
				const struct rq_row *r =
					&g_array_index(rq, struct rq_row, i);

				if (r->insert_ns == when &&
				    state[i].pid == pid &&
				    (last == INT64_MAX || r->seq > last))
					last = r->seq;
			}
			x = mkrec((uint64_t)when, reason &&
				  !strcmp(reason, "sleep") ?
				  BLK_TA_UNPLUG_TIMER : BLK_TA_UNPLUG_IO, "R",
				  0, 0, pid, 0);
			x.t.action &= ~BLK_TC_ACT(BLK_TC_READ);
			memcpy(x.pdu, &be, sizeof(be));
			x.t.pdu_len = sizeof(be);
			x.request = last;
			x.step = 2;
			x.bio = INT64_MAX;
			x.sub = 1;
		}
		g_array_append_val(recs, x);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		g_set_error(err, EXPORT_ERROR, 0, "%s: read plugs: %s",
			    adb_path(a), sqlite3_errmsg(h));
		return false;
	}
	return true;
}

/*
 * Q and G, M or F records of every bio that reached a request; a Q alone
 * for a bio-based device's bio.
 */
static bool add_bio_records(struct adb *a, int64_t run_id,
			    GHashTable *by_seq, struct req_state *state,
			    GArray *recs, GError **err)
{
	sqlite3 *h = adb_handle(a);
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(h, "SELECT b.seq, b.submit_ns, b.op, b.sector, "
			       "b.sectors, b.request_seq, coalesce(t.id, 0) "
			       "FROM bio b LEFT JOIN task t ON t.run_id = "
			       "b.run_id AND t.name = b.task WHERE b.run_id = ? "
			       "AND (b.request_seq IS NOT NULL OR "
			       "(b.complete_ns IS NOT NULL AND b.sectors > 0)) "
			       "ORDER BY b.seq",
			       -1, &st, NULL) != SQLITE_OK) {
		g_set_error(err, EXPORT_ERROR, 0, "%s: read bios: %s",
			    adb_path(a), sqlite3_errmsg(h));
		return false;
	}
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(st, 0);
		uint64_t when = (uint64_t)sqlite3_column_int64(st, 1);
		const char *op = (const char *)sqlite3_column_text(st, 2);
		int64_t sector = sqlite3_column_int64(st, 3);
		int64_t sectors = sqlite3_column_int64(st, 4);
		int64_t rseq = sqlite3_column_int64(st, 5);
		uint32_t pid = (uint32_t)sqlite3_column_int64(st, 6);
		guint idx = GPOINTER_TO_UINT(g_hash_table_lookup(by_seq,
								 &rseq));
		struct req_state *s;
		uint32_t act;
		struct rec x;

		if (sqlite3_column_type(st, 5) == SQLITE_NULL) {
			/* a bio-based device's bio: Q alone, as 4.9 */
			x = mkrec(when, BLK_TA_QUEUE, op ? op : "R", sector,
				  sectors, pid, 0);
			x.bio = seq;
			g_array_append_val(recs, x);
			continue;
		}
		if (!idx)
			continue;	/* a request that never completed */
		s = &state[idx - 1];
		x = mkrec(when, BLK_TA_QUEUE, op ? op : "R", sector, sectors,
			  pid, 0);
		x.request = rseq, x.step = 0, x.bio = seq;
		g_array_append_val(recs, x);
		if (!s->started) {
			act = BLK_TA_GETRQ;
			s->started = true;
			s->start = sector;
			s->end = sector + sectors;
			s->pid = pid;
			s->first_bio = seq;
		} else if (sector == s->end) {
			act = BLK_TA_BACKMERGE;
			s->end += sectors;
		} else {
			act = BLK_TA_FRONTMERGE;
			s->start = sector;
		}
		x = mkrec(when, act, op ? op : "R", sector, sectors, pid, 0);
		x.request = rseq, x.step = 1, x.bio = seq;
		g_array_append_val(recs, x);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		g_set_error(err, EXPORT_ERROR, 0, "%s: read bios: %s",
			    adb_path(a), sqlite3_errmsg(h));
		return false;
	}
	return true;
}

bool export_blktrace(struct adb *a, int64_t run_id, FILE *out, GError **err)
{
	GArray *rq = adb_requests(a, run_id, err);
	GArray *recs;
	GHashTable *by_seq;	/* request seq -> index in rq (lookups only) */
	struct req_state *state;
	bool ok = true;

	if (!rq)
		return false;
	recs = g_array_new(FALSE, FALSE, sizeof(struct rec));
	by_seq = g_hash_table_new(g_int64_hash, g_int64_equal);
	state = g_new0(struct req_state, rq->len + 1);
	for (guint i = 0; i < rq->len; i++) {
		struct rq_row *r = &g_array_index(rq, struct rq_row, i);

		g_hash_table_insert(by_seq, &r->seq, GUINT_TO_POINTER(i + 1));
	}
	ok = add_process_notes(a, run_id, recs, err) &&
	     add_bio_records(a, run_id, by_seq, state, recs, err) &&
	     add_plug_records(a, run_id, rq, state, recs, err);
	for (guint i = 0; ok && i < rq->len; i++) {
		struct rq_row *r = &g_array_index(rq, struct rq_row, i);
		static const uint32_t acts[] = {
			BLK_TA_INSERT, BLK_TA_ISSUE, BLK_TA_COMPLETE,
		};
		const int64_t at[] = {
			r->insert_ns, r->dispatch_ns, r->complete_ns,
		};

		for (int k = 0; k < 3; k++) {
			struct rec x = mkrec((uint64_t)at[k], acts[k], r->op,
					     r->sector, r->sectors,
					     state[i].pid, 0);

			x.request = r->seq, x.step = 2 + k;
			g_array_append_val(recs, x);
		}
	}
	if (ok)
		qsort(recs->data, recs->len, sizeof(struct rec), cmp_rec);
	for (guint i = 0; i < recs->len && ok; i++) {
		struct rec *x = &g_array_index(recs, struct rec, i);

		x->t.sequence = i + 1;
		ok = fwrite(&x->t, sizeof(x->t), 1, out) == 1 &&
		     (!x->t.pdu_len ||
		      fwrite(x->pdu, x->t.pdu_len, 1, out) == 1);
		if (!ok)
			g_set_error(err, EXPORT_ERROR, 0, "write: %s",
				    g_strerror(errno));
	}
	g_hash_table_unref(by_seq);
	g_free(state);
	g_array_unref(recs);
	g_array_unref(rq);
	return ok;
}

bool export_csv(struct adb *a, int64_t run_id, FILE *out, GError **err)
{
	GArray *rq = adb_requests(a, run_id, err);

	if (!rq)
		return false;
	fputs("run_id,dispatch_order,seq,op,sector,sectors,nbios,queue_ns,"
	      "insert_ns,dispatch_ns,complete_ns,overhead_ns,seek_ns,"
	      "rotation_ns,transfer_ns,seek_cylinders,latency_ns,"
	      "seek_distance\n", out);
	for (guint i = 0; i < rq->len; i++) {
		struct rq_row *r = &g_array_index(rq, struct rq_row, i);
		int64_t dist = i ? r->sector - (r[-1].sector + r[-1].sectors) :
			       0;

		/* op comes from the database: quoted like any text */
		fprintf(out, "%" G_GINT64_FORMAT ",%u,%" G_GINT64_FORMAT ",",
			run_id, i + 1, r->seq);
		table_csv_field(out, r->op);
		fprintf(out, ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
			",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
			",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
			",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
			",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
			",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
			",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "\n",
			r->sector, r->sectors, r->nbios, r->queue_ns, r->insert_ns, r->dispatch_ns,
			r->complete_ns, r->overhead_ns, r->seek_ns,
			r->rotation_ns, r->transfer_ns, r->seek_cylinders,
			r->complete_ns - r->queue_ns, dist);
	}
	g_array_unref(rq);
	if (ferror(out)) {
		g_set_error(err, EXPORT_ERROR, 0, "write: %s",
			    g_strerror(errno));
		return false;
	}
	return true;
}
