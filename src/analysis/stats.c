/*
 * stats.c - the figures of a run (definitions in stats.h).
 *
 * Everything is computed here in C from the request, bio and event rows,
 * with integer arithmetic wherever a count or a time is concerned; the
 * SQL views of the schema (docs/schema.md) give the same figures for
 * anyone who prefers to query the database directly.
 */
#include "analysis/stats.h"
#include "log/db.h"

#include <stddef.h>

#include <sqlite3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "log/db.h"

#define ADB_ERROR (g_quark_from_static_string("mpsim-analysis-error"))

struct adb {
	sqlite3 *h;
	char *path;
	/*
	 * The statements of query_int() and query_text(), by their SQL:
	 * prepared once, the same few asked again for each run (a compare
	 * of 2000 runs reads each run's counts; preparing a query of the
	 * event view costs more than running it).
	 */
	GHashTable *stmts;
};

static bool adb_fail(struct adb *a, GError **err, const char *what)
{
	g_set_error(err, ADB_ERROR, 0, "%s: %s: %s", a->path, what,
		    sqlite3_errmsg(a->h));
	return false;
}

/* Open read-only; *version is the database's schema version. */
static struct adb *adb_open_version(const char *path, int64_t *version,
				    GError **err)
{
	struct adb *a = g_new0(struct adb, 1);
	sqlite3_stmt *st = NULL;

	*version = -1;
	a->path = g_strdup(path);
	if (!db_check_name(path, err)) {
		adb_close(a);
		return NULL;
	}
	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		g_set_error(err, ADB_ERROR, 0, "%s: no such database", path);
		adb_close(a);
		return NULL;
	}
	if (sqlite3_open_v2(path, &a->h, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		adb_fail(a, err, "cannot open");
		adb_close(a);
		return NULL;
	}
	sqlite3_busy_timeout(a->h, 10000);
	if (sqlite3_prepare_v2(a->h, "PRAGMA user_version", -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		*version = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return a;
}

struct adb *adb_open(const char *path, GError **err)
{
	int64_t version;
	struct adb *a = adb_open_version(path, &version, err);

	if (a && version == 1) {
		/* an older database: upgraded in place (db.c), then read */
		struct db *db;

		adb_close(a);
		db = db_open(path, err);
		if (!db)
			return NULL;
		db_close(db);
		a = adb_open_version(path, &version, err);
	}
	if (a && version != DB_SCHEMA_VERSION) {
		g_set_error(err, ADB_ERROR, 0, "%s: not an mpsim database of "
			    "schema version %d", path, DB_SCHEMA_VERSION);
		adb_close(a);
		return NULL;
	}
	if (a && !db_check_tables(a->h, path, err)) {
		adb_close(a);
		return NULL;
	}
	return a;
}

void adb_close(struct adb *a)
{
	if (!a)
		return;
	if (a->stmts)
		g_hash_table_destroy(a->stmts);	/* finalizes them */
	sqlite3_close(a->h);
	g_free(a->path);
	g_free(a);
}

const char *adb_path(const struct adb *a)
{
	return a->path;
}

struct sqlite3 *adb_handle(struct adb *a)
{
	return a->h;
}

static void finalize_stmt(gpointer st)
{
	sqlite3_finalize(st);
}

/*
 * The statement of `sql` with the run id bound (when it takes one), ready
 * to step; the caller resets it after reading.  NULL when SQLite refuses
 * the SQL.
 */
static sqlite3_stmt *cached_stmt(struct adb *a, const char *sql,
				 int64_t run_id)
{
	sqlite3_stmt *st;

	if (!a->stmts)
		a->stmts = g_hash_table_new_full(g_str_hash, g_str_equal,
						 g_free, finalize_stmt);
	st = g_hash_table_lookup(a->stmts, sql);
	if (!st) {
		if (sqlite3_prepare_v3(a->h, sql, -1,
				       SQLITE_PREPARE_PERSISTENT, &st,
				       NULL) != SQLITE_OK) {
			sqlite3_finalize(st);
			return NULL;
		}
		g_hash_table_insert(a->stmts, g_strdup(sql), st);
	}
	if (sqlite3_bind_parameter_count(st))
		sqlite3_bind_int64(st, 1, run_id);
	return st;
}

/* Run a one-integer query with up to one bound run id. */
static bool query_int(struct adb *a, const char *sql, int64_t run_id,
		      int64_t *v, GError **err)
{
	sqlite3_stmt *st = cached_stmt(a, sql, run_id);
	int rc;

	if (!st)
		return adb_fail(a, err, "query");
	rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return adb_fail(a, err, "query");
	return true;
}

GArray *adb_run_ids(struct adb *a, GError **err)
{
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(int64_t));
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(a->h, "SELECT id FROM run WHERE end_ns IS NOT "
			       "NULL ORDER BY id", -1, &st, NULL) !=
	    SQLITE_OK) {
		adb_fail(a, err, "list runs");
		g_array_unref(ids);
		return NULL;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);

		g_array_append_val(ids, id);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		adb_fail(a, err, "list runs");
		g_array_unref(ids);
		return NULL;
	}
	return ids;
}

GArray *adb_parse_runs(struct adb *a, const char *list, GError **err)
{
	GArray *all = adb_run_ids(a, err), *ids;
	char **parts;

	if (!all)
		return NULL;
	ids = g_array_new(FALSE, FALSE, sizeof(int64_t));
	parts = g_strsplit(list, ",", -1);
	for (char **p = parts; *p; p++) {
		char *end;
		gint64 id = g_ascii_strtoll(*p, &end, 10);
		bool found = false;

		for (guint i = 0; i < all->len; i++)
			found |= g_array_index(all, int64_t, i) == id;
		if (!**p || *end || !found) {
			g_set_error(err, ADB_ERROR, 0, "%s: no run \"%s\"",
				    a->path, *p);
			g_array_unref(ids);
			ids = NULL;
			break;
		}
		g_array_append_val(ids, id);
	}
	g_strfreev(parts);
	g_array_unref(all);
	return ids;
}

GArray *adb_requests(struct adb *a, int64_t run_id, GError **err)
{
	GArray *rows = g_array_new(FALSE, TRUE, sizeof(struct rq_row));
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(a->h, "SELECT seq, op, sector, sectors, nbios, "
			       "queue_ns, insert_ns, dispatch_ns, complete_ns, "
			       "overhead_ns, seek_ns, rotation_ns, "
			       "transfer_ns, seek_cylinders FROM request "
			       "WHERE run_id = ? ORDER BY dispatch_ns, seq",
			       -1, &st, NULL) != SQLITE_OK) {
		adb_fail(a, err, "read requests");
		g_array_unref(rows);
		return NULL;
	}
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct rq_row r = { 0 };
		const unsigned char *op = sqlite3_column_text(st, 1);

		r.seq = sqlite3_column_int64(st, 0);
		g_strlcpy(r.op, op ? (const char *)op : "", sizeof(r.op));
		r.sector = sqlite3_column_int64(st, 2);
		r.sectors = sqlite3_column_int64(st, 3);
		r.nbios = sqlite3_column_int64(st, 4);
		r.queue_ns = sqlite3_column_int64(st, 5);
		r.insert_ns = sqlite3_column_int64(st, 6);
		r.dispatch_ns = sqlite3_column_int64(st, 7);
		r.complete_ns = sqlite3_column_int64(st, 8);
		r.overhead_ns = sqlite3_column_int64(st, 9);
		r.seek_ns = sqlite3_column_int64(st, 10);
		r.rotation_ns = sqlite3_column_int64(st, 11);
		r.transfer_ns = sqlite3_column_int64(st, 12);
		r.seek_cylinders = sqlite3_column_int64(st, 13);
		g_array_append_val(rows, r);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		adb_fail(a, err, "read requests");
		g_array_unref(rows);
		return NULL;
	}
	return rows;
}

size_t percentile_rank(size_t n, unsigned p)
{
	/* rank = ceil(p * n / 100), in integers so that 99% of 100 is 99 */
	size_t rank = (p * n + 99) / 100;

	return rank < 1 ? 1 : rank;
}

int64_t percentile_nearest_rank(const int64_t *sorted, size_t n, unsigned p)
{
	return sorted[percentile_rank(n, p) - 1];
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

void stats_from_requests(const struct rq_row *rq, size_t n,
			 struct run_stats *st)
{
	int64_t *lat = g_new(int64_t, n ? n : 1);
	int64_t lat_sum = 0, end = 0;
	bool have_end = false;

	st->requests = (int64_t)n;
	st->seeks = st->back_seeks = st->seek_distance = 0;
	st->seek_cylinders = st->bytes = 0;
	if (!st->order)
		st->order = g_array_new(FALSE, FALSE, sizeof(int64_t));
	g_array_set_size(st->order, 0);
	for (size_t i = 0; i < n; i++) {
		int64_t first = rq_is_flush(rq[i].op, rq[i].sectors) ?
				STATS_ORDER_FLUSH : rq[i].sector;

		g_array_append_val(st->order, first);
		st->bytes += rq[i].sectors * 512;
		st->seek_cylinders += rq[i].seek_cylinders;
		lat[i] = rq[i].complete_ns - rq[i].queue_ns;
		lat_sum += lat[i];
		/* a cache flush has no position: it neither seeks nor ends */
		if (rq[i].sectors == 0)
			continue;
		if (have_end) {
			if (rq[i].sector != end) {
				st->seeks++;
				st->seek_distance += rq[i].sector > end ?
					rq[i].sector - end : end - rq[i].sector;
			}
			if (rq[i].sector < end)
				st->back_seeks++;
		}
		end = rq[i].sector + rq[i].sectors;
		have_end = true;
	}
	st->mean_seek_distance = st->seeks ?
		(double)st->seek_distance / (double)st->seeks : 0;
	qsort(lat, n, sizeof(*lat), cmp_i64);
	st->lat_mean_ns = n ? (double)lat_sum / (double)n : 0;
	st->lat_p50_ns = n ? percentile_nearest_rank(lat, n, 50) : 0;
	st->lat_p99_ns = n ? percentile_nearest_rank(lat, n, 99) : 0;
	st->mb_per_s = st->elapsed_ns > 0 ?
		(double)st->bytes * 1e3 / (double)st->elapsed_ns : 0;
	g_free(lat);
}

void run_stats_free(struct run_stats *st)
{
	if (!st)
		return;
	g_free(st->scenario);
	g_free(st->label);
	g_free(st->task_runs);
	g_free(st->variant);
	g_free(st->options);
	if (st->order)
		g_array_unref(st->order);
	g_free(st);
}

static char *query_text(struct adb *a, const char *sql, int64_t run_id)
{
	sqlite3_stmt *st = cached_stmt(a, sql, run_id);
	char *s = NULL;

	if (!st)
		return NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		s = g_strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return s;
}

/*
 * The counts of the run's events that the statistics report: fallbacks,
 * metadata reads and cfq's decisions, in one pass over the event view.
 */
static bool event_counts(struct adb *a, struct run_stats *st, GError **err)
{
	static const struct {
		const char *action;
		size_t off;
	} counted[] = {
		{ "fallback", offsetof(struct run_stats, fallbacks) },
		{ "meta_read", offsetof(struct run_stats, meta_reads) },
		{ "cfq_set_active", offsetof(struct run_stats, cfq_slices) },
		{ "cfq_slice_expired",
		  offsetof(struct run_stats, cfq_expiries) },
		{ "cfq_arm_idle", offsetof(struct run_stats, cfq_idles) },
		{ "cfq_idle_timer_fired",
		  offsetof(struct run_stats, cfq_idle_fired) },
		{ "cfq_preempt", offsetof(struct run_stats, cfq_preempts) },
		{ "cfq_workload_slice",
		  offsetof(struct run_stats, cfq_workloads) },
	};
	GString *sql = g_string_new("SELECT ");
	sqlite3_stmt *q;
	int rc = SQLITE_ERROR;

	for (unsigned i = 0; i < G_N_ELEMENTS(counted); i++)
		g_string_append_printf(sql, "%scount(CASE WHEN action = '%s' "
				       "THEN 1 END)", i ? ", " : "",
				       counted[i].action);
	g_string_append(sql, " FROM event WHERE run_id = ?");
	q = cached_stmt(a, sql->str, st->run_id);
	g_string_free(sql, TRUE);
	if (q)
		rc = sqlite3_step(q);
	for (unsigned i = 0; rc == SQLITE_ROW && i < G_N_ELEMENTS(counted);
	     i++)
		*(int64_t *)(void *)((char *)st + counted[i].off) =
			sqlite3_column_int64(q, (int)i);
	if (q)
		sqlite3_reset(q);
	if (rc != SQLITE_ROW)
		return adb_fail(a, err, "query");
	return true;
}

static bool run_counts(struct adb *a, struct run_stats *st, GError **err)
{
	int64_t id = st->run_id;

	st->scenario = query_text(a, "SELECT scenario FROM run WHERE id = ?",
				  id);
	st->variant = query_text(a, "SELECT coalesce(variant, '') FROM run "
				 "WHERE id = ?", id);
	st->options = query_text(a, "SELECT options FROM run WHERE id = ?",
				 id);
	return query_int(a, "SELECT coalesce(elapsed_ns, end_ns) FROM run "
			 "WHERE id = ?", id, &st->elapsed_ns, err) &&
	       query_int(a, "SELECT coalesce(seed, -1) FROM run WHERE id = ?",
			 id, &st->seed, err) &&
	       query_int(a, "SELECT coalesce(replication, 0) FROM run "
			 "WHERE id = ?", id, &st->replication, err) &&
	       query_int(a, "SELECT count(*) FROM bio WHERE run_id = ?", id,
			 &st->bios, err) &&
	       query_int(a, "SELECT count(*) FROM bio WHERE run_id = ? AND "
			 "request_seq IS NULL AND complete_ns IS NOT NULL", id,
			 &st->bios_without_request, err) &&
	       event_counts(a, st, err);
}

/* The task of each request (its first bio's), in dispatch order. */
#define TASKS_IN_ORDER_SQL						\
	"WITH f AS (SELECT request_seq AS rq, task, min(seq) FROM bio "	\
	"  WHERE run_id = ?1 AND request_seq IS NOT NULL "		\
	"  GROUP BY request_seq) "					\
	"SELECT coalesce(f.task, '-') FROM request q "			\
	"  LEFT JOIN f ON f.rq = q.seq WHERE q.run_id = ?1 "		\
	"  ORDER BY q.dispatch_ns, q.seq"

/*
 * The task switches along the dispatch order, and the runs of requests
 * of one task ("ra 33, rb 34, ..."), the first TABLE_TASK_RUNS of them.
 */
static bool task_runs(struct adb *a, struct run_stats *st, GError **err)
{
	GString *runs = g_string_new(NULL);
	char *prev = NULL;
	unsigned nruns = 0;
	int64_t len = 0;
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(a->h, TASKS_IN_ORDER_SQL, -1, &q, NULL) !=
	    SQLITE_OK) {
		g_string_free(runs, TRUE);
		return adb_fail(a, err, "query");
	}
	sqlite3_bind_int64(q, 1, st->run_id);
	st->task_switches = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(q, 0);

		if (prev && !strcmp(prev, t)) {
			len++;
			continue;
		}
		if (prev) {
			st->task_switches++;
			if (nruns++ < STATS_TASK_RUNS)
				g_string_append_printf(
					runs, "%s%s %" G_GINT64_FORMAT,
					runs->len ? ", " : "", prev, len);
		}
		g_free(prev);
		prev = g_strdup(t);
		len = 1;
	}
	sqlite3_finalize(q);
	if (prev && nruns++ < STATS_TASK_RUNS)
		g_string_append_printf(runs, "%s%s %" G_GINT64_FORMAT,
				       runs->len ? ", " : "", prev, len);
	if (nruns > STATS_TASK_RUNS)
		g_string_append(runs, ", ...");
	g_free(prev);
	g_free(st->task_runs);
	st->task_runs = g_string_free(runs, FALSE);
	if (rc != SQLITE_DONE)
		return adb_fail(a, err, "query");
	return true;
}

/* Labels: the run's variant, or "run N" for a run without one. */
static void make_labels(GPtrArray *stats)
{
	for (guint i = 0; i < stats->len; i++) {
		struct run_stats *rs = stats->pdata[i];

		g_free(rs->label);
		rs->label = rs->variant && *rs->variant ?
			    g_strdup(rs->variant) :
			    g_strdup_printf("run %" G_GINT64_FORMAT,
					    rs->run_id);
	}
}

GPtrArray *stats_for_runs(struct adb *a, const GArray *run_ids,
			  GError **err)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(
		(GDestroyNotify)run_stats_free);

	for (guint i = 0; i < run_ids->len; i++) {
		struct run_stats *st = g_new0(struct run_stats, 1);
		GArray *rq;

		st->run_id = g_array_index(run_ids, int64_t, i);
		g_ptr_array_add(out, st);
		if (!run_counts(a, st, err) || !task_runs(a, st, err) ||
		    !(rq = adb_requests(a, st->run_id, err))) {
			g_ptr_array_unref(out);
			return NULL;
		}
		stats_from_requests((struct rq_row *)(void *)rq->data, rq->len,
				    st);
		st->merges = st->bios - st->bios_without_request -
			     st->requests;
		g_array_unref(rq);
	}
	make_labels(out);
	return out;
}
