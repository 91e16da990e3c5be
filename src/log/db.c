/*
 * db.c - the SQLite log.
 *
 * Rows are written with prepared statements as events arrive.  A bio row
 * is written when the bio enters the block layer and completed (its
 * request and completion time) when that request completes.  Nothing that
 * depends on the host goes into a row: no paths, no wall clock, no process
 * ids, so that the same scenario and options give the same rows anywhere.
 */
#include "log/db.h"

#include <sqlite3.h>
#include <string.h>
#include "scenario/scenario.h"

#define DB_ERROR (g_quark_from_static_string("mpsim-db-error"))

enum stmt {
	ST_BIO,
	ST_BIO_DONE,
	ST_REQUEST,
	ST_EVENT,
	ST_TASK,
	ST_COUNT,
};

static const char *const stmt_sql[ST_COUNT] = {
	[ST_BIO] = "INSERT INTO bio(run_id, seq, task, submit_ns, op, sector, "
		   "sectors, origin, file, pages, block, parent) "
		   "VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_BIO_DONE] = "UPDATE bio SET request_seq = ?, complete_ns = ?, "
			"error = ? WHERE run_id = ? AND seq = ?",
	[ST_REQUEST] = "INSERT INTO request(run_id, seq, op, sector, sectors, "
		       "nbios, queue_ns, insert_ns, dispatch_ns, complete_ns, "
		       "overhead_ns, seek_ns, rotation_ns, transfer_ns, "
		       "seek_cylinders, cache_hit, depth, error, merges) "
		       "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_EVENT] = "INSERT INTO event(run_id, seq, time_ns, action, task, "
		     "file, page, block, sector, sectors, offset, value, "
		     "reason, ra_start, ra_size, ra_async_size, ra_async) "
		     "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_TASK] = "INSERT INTO task(run_id, id, name, file, start_ns, "
		    "end_ns) VALUES(?,?,?,?,?,?)",
};

static const char schema_sql[] =
	"CREATE TABLE run("
	"  id INTEGER PRIMARY KEY,"
	"  scenario TEXT NOT NULL,"
	"  scenario_sha256 TEXT NOT NULL,"
	"  description TEXT NOT NULL,"
	"  options TEXT NOT NULL,"
	"  end_ns INTEGER,"
	"  events INTEGER);"
	"CREATE TABLE run_option("
	"  run_id INTEGER NOT NULL,"
	"  key TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  PRIMARY KEY(run_id, key)) WITHOUT ROWID;"
	"CREATE TABLE task("
	"  run_id INTEGER NOT NULL,"
	"  id INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  file TEXT,"
	"  start_ns INTEGER,"
	"  end_ns INTEGER,"
	"  PRIMARY KEY(run_id, id)) WITHOUT ROWID;"
	"CREATE TABLE bio("
	"  run_id INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  task TEXT,"
	"  submit_ns INTEGER NOT NULL,"
	"  op TEXT NOT NULL,"
	"  sector INTEGER NOT NULL,"
	"  sectors INTEGER NOT NULL,"
	"  origin TEXT NOT NULL,"
	"  file TEXT,"
	"  pages TEXT,"
	"  block INTEGER,"
	"  request_seq INTEGER,"
	"  complete_ns INTEGER,"
	"  error INTEGER,"
	"  parent INTEGER,"
	"  PRIMARY KEY(run_id, seq)) WITHOUT ROWID;"
	"CREATE TABLE request("
	"  run_id INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  op TEXT NOT NULL,"
	"  sector INTEGER NOT NULL,"
	"  sectors INTEGER NOT NULL,"
	"  nbios INTEGER NOT NULL,"
	"  queue_ns INTEGER NOT NULL,"
	"  insert_ns INTEGER NOT NULL,"
	"  dispatch_ns INTEGER NOT NULL,"
	"  complete_ns INTEGER NOT NULL,"
	"  overhead_ns INTEGER NOT NULL,"
	"  seek_ns INTEGER NOT NULL,"
	"  rotation_ns INTEGER NOT NULL,"
	"  transfer_ns INTEGER NOT NULL,"
	"  seek_cylinders INTEGER NOT NULL,"
	"  cache_hit INTEGER NOT NULL,"
	"  depth INTEGER NOT NULL,"
	"  error INTEGER NOT NULL,"
	"  merges INTEGER NOT NULL,"
	"  PRIMARY KEY(run_id, seq)) WITHOUT ROWID;"
	"CREATE TABLE event("
	"  run_id INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  time_ns INTEGER NOT NULL,"
	"  action TEXT NOT NULL,"
	"  task TEXT,"
	"  file TEXT,"
	"  page INTEGER,"
	"  block INTEGER,"
	"  sector INTEGER,"
	"  sectors INTEGER,"
	"  offset INTEGER,"
	"  value INTEGER,"
	"  reason TEXT,"
	"  ra_start INTEGER,"
	"  ra_size INTEGER,"
	"  ra_async_size INTEGER,"
	"  ra_async INTEGER,"
	"  PRIMARY KEY(run_id, seq)) WITHOUT ROWID;";

/*
 * Views answering common questions (docs/schema.md), with the definitions
 * of `mpsim report`: requests in dispatch order, seeks against the end of
 * the previous request, nearest-rank percentiles.  IF NOT EXISTS, so that
 * opening a database made before they existed adds them.
 */
static const char views_sql[] =
	"CREATE VIEW IF NOT EXISTS request_order AS"
	" SELECT run_id, seq,"
	"  row_number() OVER w AS n,"
	"  op, sector, sectors, nbios, queue_ns, dispatch_ns, complete_ns,"
	"  complete_ns - queue_ns AS latency_ns,"
	"  CASE WHEN sectors > 0 THEN"
	"   sector - lag(sector + sectors) OVER p END AS seek_delta,"
	"  seek_cylinders"
	" FROM request"
	" WINDOW w AS (PARTITION BY run_id ORDER BY dispatch_ns, seq),"
	"  p AS (PARTITION BY run_id, sectors > 0 ORDER BY dispatch_ns, seq);"
	"CREATE VIEW IF NOT EXISTS run_seeks AS"
	" SELECT run_id, count(*) AS requests,"
	"  count(NULLIF(seek_delta, 0)) AS seeks,"
	"  count(CASE WHEN seek_delta < 0 THEN 1 END) AS back_seeks,"
	"  coalesce(sum(abs(seek_delta)), 0) AS seek_distance,"
	"  coalesce(1.0 * sum(abs(seek_delta)) /"
	"   NULLIF(count(NULLIF(seek_delta, 0)), 0), 0) AS mean_seek_distance,"
	"  sum(seek_cylinders) AS seek_cylinders"
	" FROM request_order GROUP BY run_id;"
	"CREATE VIEW IF NOT EXISTS run_latency AS"
	" WITH l AS (SELECT run_id, complete_ns - queue_ns AS lat,"
	"  row_number() OVER (PARTITION BY run_id"
	"   ORDER BY complete_ns - queue_ns) AS rk,"
	"  count(*) OVER (PARTITION BY run_id) AS n FROM request)"
	" SELECT run_id, n AS requests, avg(lat) AS mean_ns, min(lat) AS min_ns,"
	"  max(CASE WHEN rk = (50 * n + 99) / 100 THEN lat END) AS p50_ns,"
	"  max(CASE WHEN rk = (90 * n + 99) / 100 THEN lat END) AS p90_ns,"
	"  max(CASE WHEN rk = (99 * n + 99) / 100 THEN lat END) AS p99_ns,"
	"  max(lat) AS max_ns"
	" FROM l GROUP BY run_id, n;"
	"CREATE VIEW IF NOT EXISTS run_throughput_ms AS"
	" SELECT run_id, complete_ns / 1000000 AS ms, count(*) AS requests,"
	"  sum(sectors) * 512 AS bytes, sum(sectors) * 512 / 1e3 AS mb_per_s"
	" FROM request GROUP BY run_id, complete_ns / 1000000;"
	"CREATE VIEW IF NOT EXISTS run_summary AS"
	" WITH q AS (SELECT run_id, count(*) AS requests,"
	"   sum(sectors) * 512 AS bytes FROM request GROUP BY run_id),"
	"  b AS (SELECT run_id, count(*) AS bios FROM bio GROUP BY run_id),"
	"  e AS (SELECT run_id,"
	"   count(CASE WHEN action = 'fallback' THEN 1 END) AS fallbacks,"
	"   count(CASE WHEN action = 'meta_read' THEN 1 END) AS meta_reads"
	"   FROM event GROUP BY run_id)"
	" SELECT r.id AS run_id, r.scenario, r.end_ns AS elapsed_ns,"
	"  coalesce(q.requests, 0) AS requests, coalesce(b.bios, 0) AS bios,"
	"  coalesce(b.bios, 0) - coalesce(q.requests, 0) AS merges,"
	"  coalesce(e.fallbacks, 0) AS fallbacks,"
	"  coalesce(e.meta_reads, 0) AS meta_reads,"
	"  coalesce(s.seeks, 0) AS seeks,"
	"  coalesce(s.back_seeks, 0) AS back_seeks,"
	"  coalesce(s.seek_distance, 0) AS seek_distance,"
	"  coalesce(q.bytes, 0) AS bytes,"
	"  coalesce(q.bytes * 1e3 / NULLIF(r.end_ns, 0), 0) AS mb_per_s,"
	"  l.mean_ns AS latency_mean_ns, l.p50_ns AS latency_p50_ns,"
	"  l.p99_ns AS latency_p99_ns"
	" FROM run r LEFT JOIN q ON q.run_id = r.id"
	"  LEFT JOIN b ON b.run_id = r.id LEFT JOIN e ON e.run_id = r.id"
	"  LEFT JOIN run_seeks s ON s.run_id = r.id"
	"  LEFT JOIN run_latency l ON l.run_id = r.id"
	" WHERE r.end_ns IS NOT NULL;";

struct task_start {
	char *name;
	char *file;
	int64_t start_ns;
};

struct db {
	sqlite3 *h;
	char *path;
	sqlite3_stmt *st[ST_COUNT];
	int64_t run_id;
	int64_t event_seq;
	GError *error;		/* first error met by the listener */
	GPtrArray *tasks;	/* struct task_start*, by task id - 1 */
};

/*
 * What a failed SQLite call means to the user: the common causes in plain
 * words, with SQLite's own text after them.
 */
static const char *sql_cause(struct db *db)
{
#ifdef SQLITE_READONLY_DIRECTORY
	if (sqlite3_extended_errcode(db->h) == SQLITE_READONLY_DIRECTORY)
		return "the folder is read-only, so SQLite cannot create the "
		       "journal it writes next to the database";
#endif
	switch (sqlite3_errcode(db->h) & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return "the database is locked by another process (waited "
		       "--db-timeout)";
	case SQLITE_FULL:
		return "the database or its disk is full";
	case SQLITE_READONLY:
		return "the database is read-only";
	case SQLITE_CANTOPEN:
		return "cannot open or create the file or its journal (does "
		       "the folder exist, is it writable?)";
	case SQLITE_NOTADB:
		return "not an SQLite database";
	case SQLITE_IOERR:
		return "I/O error";
	default:
		return NULL;
	}
}

static bool sql_fail(struct db *db, GError **err, const char *what)
{
	const char *cause = sql_cause(db);

	if (cause)
		g_set_error(err, DB_ERROR, 0, "%s: %s: %s (%s)", db->path,
			    what, cause, sqlite3_errmsg(db->h));
	else
		g_set_error(err, DB_ERROR, 0, "%s: %s: %s", db->path, what,
			    sqlite3_errmsg(db->h));
	return false;
}

static bool exec(struct db *db, const char *sql, GError **err)
{
	if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sql_fail(db, err, sql);
	return true;
}

static int64_t user_version(struct db *db)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL))
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static bool table_count(struct db *db, int64_t *n)
{
	sqlite3_stmt *st;
	bool ok = false;

	if (sqlite3_prepare_v2(db->h, "SELECT count(*) FROM sqlite_master",
			       -1, &st, NULL))
		return false;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*n = sqlite3_column_int64(st, 0);
		ok = true;
	}
	sqlite3_finalize(st);
	return ok;
}

static bool ensure_schema(struct db *db, GError **err)
{
	int64_t v, n = 0;

	if (sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL, NULL))
		return sql_fail(db, err, "cannot start a write");
	v = user_version(db);
	if (v < 0 || !table_count(db, &n)) {
		sql_fail(db, err, "cannot read the schema");
		exec(db, "ROLLBACK", NULL);
		return false;
	}
	if (v == 0 && n == 0) {
		char *sql = g_strdup_printf("%sPRAGMA user_version = %d;",
					    schema_sql, DB_SCHEMA_VERSION);
		bool ok = exec(db, sql, err);

		g_free(sql);
		if (!ok) {
			exec(db, "ROLLBACK", NULL);
			return false;
		}
	} else if (v != DB_SCHEMA_VERSION) {
		exec(db, "ROLLBACK", NULL);
		g_set_error(err, DB_ERROR, 0, "%s: not an mpsim database of "
			    "schema version %d (it has version %" G_GINT64_FORMAT
			    "%s); use another file", db->path,
			    DB_SCHEMA_VERSION, v,
			    v == 0 ? " and other tables" : "");
		return false;
	}
	if (!exec(db, views_sql, err)) {
		exec(db, "ROLLBACK", NULL);
		return false;
	}
	return exec(db, "COMMIT", err);
}

struct db *db_open(const char *path, GError **err)
{
	struct db_open_options o = { DB_BUSY_TIMEOUT_MS, 0 };

	return db_open_with(path, &o, err);
}

struct db *db_open_with(const char *path, const struct db_open_options *o,
			GError **err)
{
	struct db *db = g_new0(struct db, 1);

	db->path = g_strdup(path);
	if (sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		sql_fail(db, err, "cannot open");
		db_close(db);
		return NULL;
	}
	/* SQLite quietly opens a file it may not write read-only */
	if (sqlite3_db_readonly(db->h, "main") == 1) {
		g_set_error(err, DB_ERROR, 0, "%s: the database file is "
			    "read-only (no permission to write it)", path);
		db_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db->h, o->busy_timeout_ms);
	if (!exec(db, "PRAGMA journal_mode = DELETE; "
		  "PRAGMA synchronous = NORMAL;", err)) {
		db_close(db);
		return NULL;
	}
	if (o->max_pages > 0) {
		char *sql = g_strdup_printf("PRAGMA max_page_count = %"
					    G_GINT64_FORMAT, o->max_pages);
		bool ok = exec(db, sql, err);

		g_free(sql);
		if (!ok) {
			db_close(db);
			return NULL;
		}
	}
	if (!ensure_schema(db, err)) {
		db_close(db);
		return NULL;
	}
	for (int i = 0; i < ST_COUNT; i++)
		if (sqlite3_prepare_v2(db->h, stmt_sql[i], -1, &db->st[i],
				       NULL) != SQLITE_OK) {
			sql_fail(db, err, "prepare");
			db_close(db);
			return NULL;
		}
	return db;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(db->st[i]);
	sqlite3_close(db->h);
	g_clear_error(&db->error);
	if (db->tasks)
		g_ptr_array_unref(db->tasks);
	g_free(db->path);
	g_free(db);
}

static void task_start_free(gpointer p)
{
	struct task_start *t = p;

	g_free(t->name);
	g_free(t->file);
	g_free(t);
}

int64_t db_begin_run(struct db *db, const struct scenario *s, GError **err)
{
	sqlite3_stmt *st;
	GString *opts = g_string_new(NULL);
	bool ok;

	if (sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL, NULL)) {
		sql_fail(db, err, "cannot start the run's transaction");
		return -1;
	}
	for (guint i = 0; i < s->option_keys->len; i++)
		g_string_append_printf(opts, "%s=%s\n",
				       (char *)s->option_keys->pdata[i],
				       (char *)s->option_values->pdata[i]);
	ok = sqlite3_prepare_v2(db->h, "INSERT INTO run(scenario, "
				"scenario_sha256, description, options) "
				"VALUES(?,?,?,?)", -1, &st, NULL) == SQLITE_OK;
	if (ok) {
		sqlite3_bind_text(st, 1, s->name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, s->checksum, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, s->description, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, opts->str, -1, SQLITE_TRANSIENT);
		ok = sqlite3_step(st) == SQLITE_DONE;
		sqlite3_finalize(st);
	}
	g_string_free(opts, TRUE);
	if (!ok) {
		sql_fail(db, err, "insert run");
		exec(db, "ROLLBACK", NULL);
		return -1;
	}
	db->run_id = sqlite3_last_insert_rowid(db->h);
	ok = sqlite3_prepare_v2(db->h, "INSERT INTO run_option(run_id, key, "
				"value) VALUES(?,?,?)", -1, &st, NULL) ==
	     SQLITE_OK;
	for (guint i = 0; ok && i < s->option_keys->len; i++) {
		sqlite3_bind_int64(st, 1, db->run_id);
		sqlite3_bind_text(st, 2, s->option_keys->pdata[i], -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(st, 3, s->option_values->pdata[i], -1,
				  SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_DONE;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (!ok) {
		sql_fail(db, err, "insert run options");
		exec(db, "ROLLBACK", NULL);
		return -1;
	}
	db->event_seq = 0;
	g_clear_error(&db->error);
	if (db->tasks)
		g_ptr_array_unref(db->tasks);
	db->tasks = g_ptr_array_new_with_free_func(task_start_free);
	return db->run_id;
}

/* Bind an optional integer: NULL when TRACE_NONE. */
static void bind_opt(sqlite3_stmt *st, int i, int64_t v)
{
	if (v == TRACE_NONE)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void step(struct db *db, sqlite3_stmt *st, const char *what)
{
	if (sqlite3_step(st) != SQLITE_DONE && !db->error)
		sql_fail(db, &db->error, what);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static char *pages_text(const int64_t *v, uint32_t n)
{
	GString *s = g_string_new(NULL);

	for (uint32_t i = 0; i < n;) {
		uint32_t j = i;

		while (j + 1 < n && v[j + 1] == v[j] + 1)
			j++;
		if (i)
			g_string_append_c(s, ',');
		if (j > i)
			g_string_append_printf(s, "%" G_GINT64_FORMAT "-%"
					       G_GINT64_FORMAT, v[i], v[j]);
		else
			g_string_append_printf(s, "%" G_GINT64_FORMAT, v[i]);
		i = j + 1;
	}
	return g_string_free(s, FALSE);
}

static void log_bio(struct db *db, const struct trace_event *ev)
{
	sqlite3_stmt *st = db->st[ST_BIO];
	const struct trace_bio *b = &ev->bio;
	char *pages = b->npages ? pages_text(b->pages, b->npages) : NULL;

	sqlite3_bind_int64(st, 1, db->run_id);
	sqlite3_bind_int64(st, 2, (int64_t)b->seq);
	bind_text(st, 3, b->task_name);
	sqlite3_bind_int64(st, 4, ev->time_ns);
	bind_text(st, 5, b->op);
	sqlite3_bind_int64(st, 6, (int64_t)b->sector);
	sqlite3_bind_int64(st, 7, b->sectors);
	bind_text(st, 8, b->origin);
	bind_text(st, 9, b->file);
	bind_text(st, 10, pages);
	bind_opt(st, 11, b->block);
	bind_opt(st, 12, b->parent ? (int64_t)b->parent : TRACE_NONE);
	step(db, st, "insert bio");
	g_free(pages);
}

static void log_request(struct db *db, const struct trace_event *ev)
{
	sqlite3_stmt *st = db->st[ST_REQUEST];
	const struct trace_request *r = &ev->rq;

	if (strcmp(ev->action, "complete"))
		return;		/* insert and dispatch are in the row */
	sqlite3_bind_int64(st, 1, db->run_id);
	sqlite3_bind_int64(st, 2, (int64_t)r->seq);
	bind_text(st, 3, r->op);
	sqlite3_bind_int64(st, 4, (int64_t)r->sector);
	sqlite3_bind_int64(st, 5, r->sectors);
	sqlite3_bind_int64(st, 6, r->nbios);
	sqlite3_bind_int64(st, 7, r->queue_ns);
	sqlite3_bind_int64(st, 8, r->insert_ns);
	sqlite3_bind_int64(st, 9, r->dispatch_ns);
	sqlite3_bind_int64(st, 10, r->complete_ns);
	sqlite3_bind_int64(st, 11, r->overhead_ns);
	sqlite3_bind_int64(st, 12, r->seek_ns);
	sqlite3_bind_int64(st, 13, r->rotation_ns);
	sqlite3_bind_int64(st, 14, r->transfer_ns);
	sqlite3_bind_int64(st, 15, r->seek_cylinders);
	sqlite3_bind_int64(st, 16, r->cache_hit);
	sqlite3_bind_int64(st, 17, r->depth);
	sqlite3_bind_int64(st, 18, r->error);
	sqlite3_bind_int64(st, 19, r->merges);
	step(db, st, "insert request");

	st = db->st[ST_BIO_DONE];
	for (uint32_t i = 0; i < r->nbios; i++) {
		sqlite3_bind_int64(st, 1, (int64_t)r->seq);
		sqlite3_bind_int64(st, 2, r->complete_ns);
		sqlite3_bind_int64(st, 3, r->error);
		sqlite3_bind_int64(st, 4, db->run_id);
		sqlite3_bind_int64(st, 5, (int64_t)r->bios[i]);
		step(db, st, "complete bio");
	}
}

static void log_task(struct db *db, const struct trace_event *ev)
{
	const struct trace_note *n = &ev->note;
	struct task_start *t;

	if (n->task <= 0)
		return;
	if (!strcmp(ev->action, "task_start")) {
		t = g_new0(struct task_start, 1);
		t->name = g_strdup(n->task_name);
		t->file = g_strdup(n->file);
		t->start_ns = ev->time_ns;
		if (db->tasks->len < (guint)n->task)
			g_ptr_array_set_size(db->tasks, n->task);
		db->tasks->pdata[n->task - 1] = t;
		return;
	}
	if ((guint)n->task > db->tasks->len ||
	    !(t = db->tasks->pdata[n->task - 1]))
		return;
	sqlite3_bind_int64(db->st[ST_TASK], 1, db->run_id);
	sqlite3_bind_int64(db->st[ST_TASK], 2, n->task);
	bind_text(db->st[ST_TASK], 3, t->name);
	bind_text(db->st[ST_TASK], 4, t->file);
	sqlite3_bind_int64(db->st[ST_TASK], 5, t->start_ns);
	sqlite3_bind_int64(db->st[ST_TASK], 6, ev->time_ns);
	step(db, db->st[ST_TASK], "insert task");
}

static void log_event(struct db *db, const struct trace_event *ev)
{
	sqlite3_stmt *st = db->st[ST_EVENT];
	const struct trace_note *n = &ev->note;

	if (!strcmp(ev->action, "task_start") ||
	    !strcmp(ev->action, "task_end"))
		log_task(db, ev);
	sqlite3_bind_int64(st, 1, db->run_id);
	sqlite3_bind_int64(st, 2, ++db->event_seq);
	sqlite3_bind_int64(st, 3, ev->time_ns);
	bind_text(st, 4, ev->action);
	bind_text(st, 5, n->task_name);
	bind_text(st, 6, n->file);
	bind_opt(st, 7, n->page);
	bind_opt(st, 8, n->block);
	bind_opt(st, 9, n->sector);
	bind_opt(st, 10, n->sectors);
	bind_opt(st, 11, n->offset);
	bind_opt(st, 12, n->value);
	bind_text(st, 13, n->reason);
	bind_opt(st, 14, n->ra_start);
	bind_opt(st, 15, n->ra_size);
	bind_opt(st, 16, n->ra_async_size);
	bind_opt(st, 17, n->ra_async);
	step(db, st, "insert event");
}

static void db_event(void *ctx, const struct trace_event *ev)
{
	struct db *db = ctx;

	if (db->error)
		return;
	switch (ev->kind) {
	case TRACE_BIO:
		log_bio(db, ev);
		break;
	case TRACE_REQUEST:
		log_request(db, ev);
		break;
	case TRACE_NOTE:
		log_event(db, ev);
		break;
	}
}

void db_listener(struct db *db, struct trace_listener *l)
{
	l->event = db_event;
	l->ctx = db;
}

bool db_ok(const struct db *db, GError **err)
{
	if (!db->error)
		return true;
	if (err)
		*err = g_error_copy(db->error);
	return false;
}

bool db_commit_run(struct db *db, int64_t end_ns, uint64_t events,
		   GError **err)
{
	sqlite3_stmt *st;
	bool ok;

	if (!db_ok(db, err)) {
		db_rollback_run(db);
		return false;
	}
	ok = sqlite3_prepare_v2(db->h, "UPDATE run SET end_ns = ?, events = ? "
				"WHERE id = ?", -1, &st, NULL) == SQLITE_OK;
	if (ok) {
		sqlite3_bind_int64(st, 1, end_ns);
		sqlite3_bind_int64(st, 2, (int64_t)events);
		sqlite3_bind_int64(st, 3, db->run_id);
		ok = sqlite3_step(st) == SQLITE_DONE;
		sqlite3_finalize(st);
	}
	if (!ok) {
		sql_fail(db, err, "finish run");
		db_rollback_run(db);
		return false;
	}
	if (sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL)) {
		sql_fail(db, err, "cannot commit the run");
		db_rollback_run(db);
		return false;
	}
	return true;
}

void db_rollback_run(struct db *db)
{
	if (!sqlite3_get_autocommit(db->h))
		exec(db, "ROLLBACK", NULL);
}
