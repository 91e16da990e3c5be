/*
 * db.c - the SQLite log.
 *
 * Rows are written with prepared statements as events arrive.  A bio row
 * is kept in memory from when the bio enters the block layer until its
 * request completes, and written then, whole (with its request and
 * completion time): one INSERT instead of an INSERT and an UPDATE.  Bios
 * still in flight when the run ends are written without them.  Event rows
 * are written EVENT_BATCH at a time, with one multi-row INSERT (SQLite
 * runs one statement of many rows nearly twice as fast as as many
 * statements); their texts are kept in a string pool of the run until
 * then, since a task's name, for one, goes when the task does.  Nothing that
 * depends on the host goes into a row: no paths, no wall clock, no process
 * ids, so that the same scenario and options give the same rows anywhere.
 */
#include "config.h"

#include "log/db.h"
#include "log/text.h"

#include <errno.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include "scenario/scenario.h"

#define DB_ERROR (g_quark_from_static_string("mpsim-db-error"))

enum stmt {
	ST_BIO,
	ST_REQUEST,
	ST_EVENT,
	ST_TASK,
	ST_BVEC,
	ST_COUNT,
};

static const char *const stmt_sql[ST_COUNT] = {
	[ST_BIO] = "INSERT INTO bio(run_id, seq, task, submit_ns, op, sector, "
		   "sectors, origin, file, pages, block, parent, "
		   "request_seq, complete_ns, error, plug_event, "
		   "plug_count, merge_event, merge_reason, "
		   "merge_rq_sector, merge_rq_sectors) "
		   "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_REQUEST] = "INSERT INTO request(run_id, seq, op, sector, sectors, "
		       "nbios, queue_ns, insert_ns, dispatch_ns, complete_ns, "
		       "overhead_ns, seek_ns, rotation_ns, transfer_ns, "
		       "seek_cylinders, cache_hit, depth, error, merges) "
		       "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_EVENT] = "INSERT INTO event_stored(run_id, seq, time_ns, action, "
		     "task, "
		     "file, page, block, sector, sectors, offset, value, "
		     "reason, ra_start, ra_size, ra_async_size, ra_async) "
		     "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_TASK] = "INSERT INTO task(run_id, id, name, file, start_ns, "
		    "end_ns, elapsed_ns) VALUES(?,?,?,?,?,?,?)",
	[ST_BVEC] = "INSERT INTO bvec_stored(run_id, bio_seq, idx, page, "
		    "offset, len, n) VALUES(?,?,?,?,?,?,?)",
};

/*
 * Schema version 2: each file's block map as the run ended (the layout the
 * scenario gave, with what the run allocated), one row per data run or
 * metadata block, in the order ext2 keeps it (mpsim layout); also what a
 * version-1 database gains when it is upgraded (v1_to_v2).
 */
#define EXTENT_TABLE_SQL \
	"CREATE TABLE IF NOT EXISTS extent(" \
	"  run_id INTEGER NOT NULL," \
	"  file TEXT NOT NULL," \
	"  seq INTEGER NOT NULL," \
	"  kind TEXT NOT NULL," \
	"  logical INTEGER NOT NULL," \
	"  physical INTEGER NOT NULL," \
	"  length INTEGER NOT NULL," \
	"  PRIMARY KEY(run_id, file, seq)) WITHOUT ROWID;"

/*
 * ---- bvec spans (schema version 2) ----------------------------------
 * The bvec view's rows (each bio's vectors: page, offset, length) come
 * from spans: one bvec_span row stands for n vectors idx .. idx+n-1 of a
 * bio that carry consecutive pages page .. page+n-1 (or n pages that are
 * not a file's, page NULL) with the same offset and length.  `bvec` is a
 * view that gives the vectors back one row each, with the columns and the
 * meaning of docs/schema.md (CROSS JOIN: the spans in key order, each
 * one's vectors in turn); a bio has at most BIO_MAX_PAGES (256) vectors,
 * so a span at most 256.
 *
 * bvec_span is itself a view.  Most bios are a run of whole pages read or
 * written by mpage: vectors (P, 0, PAGE_SIZE) .. (P+n-1, 0, PAGE_SIZE),
 * which is exactly what the bio row's `pages` ("P-Q", or "P" for one
 * page) and `sectors` (n * PAGE_SIZE / 512) already say.  Such a bio
 * stores no span (bvecs_implied()); the view makes its one span from the
 * bio row.  Every other bio stores its spans in the table bvec_stored
 * (a partial page, a page that is not a file's, pages out of order).  The
 * view walks bio in key order (the LEFT JOIN keeps bio the outer loop)
 * and gives, for each bio, its stored spans in idx order or the one span
 * its row implies: the rows of the table bvec_span used to be, in key
 * order.  A run upgraded from version 1 (mpsim_version NULL) logged no
 * vectors: its bios imply none.  A sequential read writes one row a bio
 * (the bio's) instead of a row a page.
 *
 * The table is part of the fresh schema and all that a version-1 database
 * needs (v1_to_v2); the views are made with the others (views_sql).  Two
 * older layouts of version 2 are moved in when a database is opened
 * (convert_older_layout()): a bvec table of one row a vector (spans of
 * one) and a bvec_span table (every span kept).
 */
#define BVEC_STORED_TABLE_SQL						\
	"CREATE TABLE IF NOT EXISTS bvec_stored("			\
	"  run_id INTEGER NOT NULL,"					\
	"  bio_seq INTEGER NOT NULL,"					\
	"  idx INTEGER NOT NULL,"					\
	"  page INTEGER,"						\
	"  offset INTEGER NOT NULL,"					\
	"  len INTEGER NOT NULL,"					\
	"  n INTEGER NOT NULL,"						\
	"  PRIMARY KEY(run_id, bio_seq, idx)) WITHOUT ROWID;"
/* A bio row's first page and page count, from pages "P-Q" or "P". */
#define BIO_DASH "instr(b.pages, '-')"
#define BIO_FIRST_PAGE							\
	"CAST(CASE WHEN " BIO_DASH " > 0 THEN substr(b.pages, 1, "	\
	BIO_DASH " - 1) ELSE b.pages END AS INTEGER)"
#define BIO_NPAGES							\
	"(CASE WHEN " BIO_DASH " > 0 THEN CAST(substr(b.pages, "	\
	BIO_DASH " + 1) AS INTEGER) - " BIO_FIRST_PAGE " + 1 ELSE 1 END)"
#define BVEC_SPAN_VIEW_SQL						\
	"CREATE VIEW IF NOT EXISTS bvec_span AS"			\
	" SELECT b.run_id AS run_id, b.seq AS bio_seq,"			\
	"  CASE WHEN s.bio_seq IS NULL THEN 0 ELSE s.idx END AS idx,"	\
	"  CASE WHEN s.bio_seq IS NULL THEN " BIO_FIRST_PAGE		\
	"   ELSE s.page END AS page,"					\
	"  CASE WHEN s.bio_seq IS NULL THEN 0 ELSE s.offset END"	\
	"   AS offset,"							\
	"  CASE WHEN s.bio_seq IS NULL THEN " G_STRINGIFY(TRACE_PAGE_SIZE) \
	"   ELSE s.len END AS len,"					\
	"  CASE WHEN s.bio_seq IS NULL THEN " BIO_NPAGES		\
	"   ELSE s.n END AS n"						\
	" FROM bio b LEFT JOIN bvec_stored s"				\
	"  ON s.run_id = b.run_id AND s.bio_seq = b.seq"		\
	" WHERE s.bio_seq IS NOT NULL OR (b.pages IS NOT NULL"		\
	"  AND instr(b.pages, ',') = 0"					\
	"  AND b.sectors = " BIO_NPAGES " * "				\
	G_STRINGIFY(TRACE_PAGE_SECTORS)					\
	"  AND (SELECT mpsim_version FROM run r WHERE r.id = b.run_id)"	\
	"   IS NOT NULL);"
#define BVEC_VIEW_SQL							\
	"CREATE VIEW IF NOT EXISTS bvec AS"				\
	" WITH RECURSIVE k(i) AS (VALUES(0) UNION ALL"			\
	"  SELECT i + 1 FROM k WHERE i < 255)"				\
	" SELECT s.run_id AS run_id, s.bio_seq AS bio_seq,"		\
	"  s.idx + k.i AS idx, s.page + k.i AS page,"			\
	"  s.offset AS offset, s.len AS len"				\
	" FROM bvec_span s CROSS JOIN k WHERE k.i < s.n;"
static const char bvec_table_to_stored_sql[] =
	"INSERT INTO bvec_stored(run_id, bio_seq, idx, page, offset, len, n)"
	" SELECT run_id, bio_seq, idx, page, offset, len, 1 FROM bvec;"
	"DROP TABLE bvec;";
static const char bvec_span_table_to_stored_sql[] =
	"INSERT INTO bvec_stored(run_id, bio_seq, idx, page, offset, len, n)"
	" SELECT run_id, bio_seq, idx, page, offset, len, n FROM bvec_span;"
	"DROP VIEW IF EXISTS bvec;"
	"DROP TABLE bvec_span;";
/* ---- end of bvec spans ---------------------------------------------- */

/*
 * ---- events (schema version 2) --------------------------------------
 * `event` is a view of three parts.  Most events of a bio's submission
 * are kept in the bio's own row: a request made from the bio joining the
 * task's plug ("plug", the note naming the bio): plug_event (the event's
 * seq) and plug_count (the plug's requests then); the bio joining a
 * request ("merge": plug-back, plug-front, back, front): merge_event,
 * merge_reason, merge_rq_sector and merge_rq_sectors (where the request
 * starts and how long it is after the merge).  The view makes those
 * events from the bio row, with the bio's task, submission time, sector
 * and sectors, as the note said (log_submit_note() checks that it does,
 * and stores the note as any other when it does not).  Every other event
 * is a row of the table event_stored, which has the view's columns.  The
 * view gives the rows in key order (ORDER BY run_id, seq: the stored rows
 * in their own order, merged with the bios' events).  A sequential read
 * plugs or merges every bio it submits: one row a bio fewer.  Older
 * databases have their event table renamed event_stored (version 1 in
 * v1_to_v2; an older layout of version 2 when opened,
 * event_table_to_stored()); their bios have no plug or merge columns set,
 * their events stay stored.
 */
#define EVENT_COLUMN_NAMES						\
	"run_id, seq, time_ns, action, task, file, page, block, sector,"	\
	" sectors, offset, value, reason, ra_start, ra_size,"		\
	" ra_async_size, ra_async"
#define EVENT_VIEW_SQL							\
	"CREATE VIEW IF NOT EXISTS event AS"				\
	" SELECT " EVENT_COLUMN_NAMES " FROM event_stored"		\
	" UNION ALL"							\
	" SELECT run_id, plug_event, submit_ns, 'plug', task, NULL,"	\
	"  NULL, NULL, sector, sectors, NULL, plug_count, NULL,"	\
	"  NULL, NULL, NULL, NULL"					\
	" FROM bio WHERE plug_event IS NOT NULL"			\
	" UNION ALL"							\
	" SELECT run_id, merge_event, submit_ns, 'merge', task, NULL,"	\
	"  NULL, NULL, merge_rq_sector, sectors, NULL,"		\
	"  merge_rq_sectors, merge_reason, NULL, NULL, NULL, NULL"	\
	" FROM bio WHERE merge_event IS NOT NULL"			\
	" ORDER BY run_id, seq;"
/*
 * The bio columns that hold its plug and merge events, each X(definition):
 * in BIO_COLUMNS, and added one by one to an older layout's bio table.
 */
#define BIO_EVENT_COLUMNS(X)						\
	X("plug_event INTEGER") X("plug_count INTEGER")			\
	X("merge_event INTEGER") X("merge_reason TEXT")			\
	X("merge_rq_sector INTEGER") X("merge_rq_sectors INTEGER")
#define BIO_EVENT_COLUMN_ITEM(def) def,
static const char *const bio_event_columns[] = {
	BIO_EVENT_COLUMNS(BIO_EVENT_COLUMN_ITEM)
};
/* ---- end of events -------------------------------------------------- */

/*
 * The bio and request tables' columns, for the fresh schema and for the
 * version-1 upgrade that rebuilds them.  A cache flush has no position on
 * the disk: its sector is NULL (schema version 2; version 1 logged 0).
 */
#define BIO_COLUMNS \
	"(" \
	"  run_id INTEGER NOT NULL," \
	"  seq INTEGER NOT NULL," \
	"  task TEXT," \
	"  submit_ns INTEGER NOT NULL," \
	"  op TEXT NOT NULL," \
	"  sector INTEGER," \
	"  sectors INTEGER NOT NULL," \
	"  origin TEXT NOT NULL," \
	"  file TEXT," \
	"  pages TEXT," \
	"  block INTEGER," \
	"  request_seq INTEGER," \
	"  complete_ns INTEGER," \
	"  error INTEGER," \
	"  parent INTEGER," \
	BIO_EVENT_COLUMNS(BIO_COLUMN_DEF) \
	"  PRIMARY KEY(run_id, seq)) WITHOUT ROWID;"
#define BIO_COLUMN_DEF(def) "  " def ","

#define REQUEST_COLUMNS \
	"(" \
	"  run_id INTEGER NOT NULL," \
	"  seq INTEGER NOT NULL," \
	"  op TEXT NOT NULL," \
	"  sector INTEGER," \
	"  sectors INTEGER NOT NULL," \
	"  nbios INTEGER NOT NULL," \
	"  queue_ns INTEGER NOT NULL," \
	"  insert_ns INTEGER NOT NULL," \
	"  dispatch_ns INTEGER NOT NULL," \
	"  complete_ns INTEGER NOT NULL," \
	"  overhead_ns INTEGER NOT NULL," \
	"  seek_ns INTEGER NOT NULL," \
	"  rotation_ns INTEGER NOT NULL," \
	"  transfer_ns INTEGER NOT NULL," \
	"  seek_cylinders INTEGER NOT NULL," \
	"  cache_hit INTEGER NOT NULL," \
	"  depth INTEGER NOT NULL," \
	"  error INTEGER NOT NULL," \
	"  merges INTEGER NOT NULL," \
	"  PRIMARY KEY(run_id, seq)) WITHOUT ROWID;"

static const char schema_sql[] =
	"CREATE TABLE run("
	"  id INTEGER PRIMARY KEY,"
	"  scenario TEXT NOT NULL,"
	"  scenario_sha256 TEXT NOT NULL,"
	"  description TEXT NOT NULL,"
	"  options TEXT NOT NULL,"
	"  end_ns INTEGER,"
	"  events INTEGER,"
	"  seed INTEGER,"
	"  replication INTEGER,"
	"  variant TEXT,"
	"  elapsed_ns INTEGER,"
	"  mpsim_version TEXT,"
	"  disk_phase_ns INTEGER);"
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
	"  elapsed_ns INTEGER,"
	"  PRIMARY KEY(run_id, id)) WITHOUT ROWID;"
	"CREATE TABLE bio" BIO_COLUMNS
	"CREATE TABLE request" REQUEST_COLUMNS
	"CREATE TABLE event_stored("
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
	"  PRIMARY KEY(run_id, seq)) WITHOUT ROWID;"
	EXTENT_TABLE_SQL
	BVEC_STORED_TABLE_SQL;

/*
 * Views answering common questions (docs/schema.md), with the definitions
 * of `mpsim report`: requests in dispatch order, seeks against the end of
 * the previous request, nearest-rank percentiles.  IF NOT EXISTS, so that
 * opening a database made before they existed adds them.
 */
static const char views_sql[] =
	EVENT_VIEW_SQL
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
	"CREATE VIEW IF NOT EXISTS request_extent AS"
	" WITH b AS (SELECT run_id, CAST(value AS INTEGER) / 512 AS spb"
	"  FROM run_option WHERE key = 'fs.block_size')"
	" SELECT q.run_id, q.seq AS request_seq, x.file, x.kind,"
	"  max(q.sector / b.spb, x.physical) AS first_block,"
	"  min((q.sector + q.sectors - 1) / b.spb,"
	"   x.physical + x.length - 1) AS last_block,"
	"  x.logical + max(q.sector / b.spb, x.physical) - x.physical"
	"   AS first_file_block"
	" FROM request q JOIN b ON b.run_id = q.run_id"
	"  JOIN extent x ON x.run_id = q.run_id"
	"   AND x.physical <= (q.sector + q.sectors - 1) / b.spb"
	"   AND x.physical + x.length > q.sector / b.spb"
	" WHERE q.sectors > 0;"
	"CREATE VIEW IF NOT EXISTS run_summary AS"
	" WITH q AS (SELECT run_id, count(*) AS requests,"
	"   sum(sectors) * 512 AS bytes FROM request GROUP BY run_id),"
	"  b AS (SELECT run_id, count(*) AS bios FROM bio GROUP BY run_id),"
	"  e AS (SELECT run_id,"
	"   count(CASE WHEN action = 'fallback' THEN 1 END) AS fallbacks,"
	"   count(CASE WHEN action = 'meta_read' THEN 1 END) AS meta_reads"
	"   FROM event GROUP BY run_id)"
	" SELECT r.id AS run_id, r.scenario, r.seed, r.replication,"
	"  r.variant, r.elapsed_ns,"
	"  coalesce(q.requests, 0) AS requests, coalesce(b.bios, 0) AS bios,"
	"  coalesce(b.bios, 0) - coalesce(q.requests, 0) AS merges,"
	"  coalesce(e.fallbacks, 0) AS fallbacks,"
	"  coalesce(e.meta_reads, 0) AS meta_reads,"
	"  coalesce(s.seeks, 0) AS seeks,"
	"  coalesce(s.back_seeks, 0) AS back_seeks,"
	"  coalesce(s.seek_distance, 0) AS seek_distance,"
	"  coalesce(q.bytes, 0) AS bytes,"
	"  coalesce(q.bytes * 1e3 / NULLIF(r.elapsed_ns, 0), 0) AS mb_per_s,"
	"  l.mean_ns AS latency_mean_ns, l.p50_ns AS latency_p50_ns,"
	"  l.p99_ns AS latency_p99_ns"
	" FROM run r LEFT JOIN q ON q.run_id = r.id"
	"  LEFT JOIN b ON b.run_id = r.id LEFT JOIN e ON e.run_id = r.id"
	"  LEFT JOIN run_seeks s ON s.run_id = r.id"
	"  LEFT JOIN run_latency l ON l.run_id = r.id"
	" WHERE r.end_ns IS NOT NULL;"
	BVEC_SPAN_VIEW_SQL
	BVEC_VIEW_SQL;

/* The views above, dropped and made again when the schema is upgraded. */
static const char *const view_names[] = {
	"request_order", "run_seeks", "run_latency", "run_throughput_ms",
	"run_summary", "bvec", "bvec_span", "event",
};

/*
 * Schema version 1, as mpsim wrote it: each table's columns in order.  A
 * database is upgraded only when its tables are exactly these (views of
 * the names above and indexes of its own may exist besides).
 */
static const struct {
	const char *table, *columns;
} v1_tables[] = {
	{ "run", "id,scenario,scenario_sha256,description,options,end_ns,"
		 "events" },
	{ "run_option", "run_id,key,value" },
	{ "task", "run_id,id,name,file,start_ns,end_ns" },
	{ "bio", "run_id,seq,task,submit_ns,op,sector,sectors,origin,file,"
		 "pages,block,request_seq,complete_ns,error,parent" },
	{ "request", "run_id,seq,op,sector,sectors,nbios,queue_ns,insert_ns,"
		     "dispatch_ns,complete_ns,overhead_ns,seek_ns,rotation_ns,"
		     "transfer_ns,seek_cylinders,cache_hit,depth,error,"
		     "merges" },
	{ "event", "run_id,seq,time_ns,action,task,file,page,block,sector,"
		   "sectors,offset,value,reason,ra_start,ra_size,"
		   "ra_async_size,ra_async" },
};

/*
 * From version 1 to version 2: one block per feature, each what a
 * version-1 database needs to gain that feature's tables and columns (the
 * fresh schema above already has them).  Run in order, in the transaction
 * that checks the version, after the views are dropped; the views are
 * made again afterwards.
 */
/* An empty cache flush, in SQL (rwbs_is_flush()). */
#define FLUSH_SQL "sectors = 0 AND op LIKE 'F%'"

static const struct {
	const char *feature, *sql;
} v1_to_v2[] = {
	/*
	 * Experiments: the run's seed, replication, variant label,
	 * elapsed time, program version and platter phase; each task's
	 * elapsed time.  A version-1 run ran at phase 0 with no seed; its
	 * elapsed time is worked out from its rows as version 2 defines it
	 * (from the earliest task start to the end).
	 */
	{ "experiments",
	  "ALTER TABLE run ADD COLUMN seed INTEGER;"
	  "ALTER TABLE run ADD COLUMN replication INTEGER;"
	  "ALTER TABLE run ADD COLUMN variant TEXT;"
	  "ALTER TABLE run ADD COLUMN elapsed_ns INTEGER;"
	  "ALTER TABLE run ADD COLUMN mpsim_version TEXT;"
	  "ALTER TABLE run ADD COLUMN disk_phase_ns INTEGER;"
	  "ALTER TABLE task ADD COLUMN elapsed_ns INTEGER;"
	  "UPDATE task SET elapsed_ns = end_ns - start_ns;"
	  "UPDATE run SET disk_phase_ns = 0, elapsed_ns = end_ns -"
	  " coalesce((SELECT min(start_ns) FROM task"
	  "  WHERE task.run_id = run.id), 0)"
	  " WHERE end_ns IS NOT NULL;" },
	/* Layouts: each file's block map as the run ended (mpsim layout). */
	{ "extent", EXTENT_TABLE_SQL },
	/* The mpage lab: each bio's vectors. */
	{ "bvec", BVEC_STORED_TABLE_SQL },
	/*
	 * Flushes: an empty cache flush (0 sectors, RWBS starting with F)
	 * gets origin 'flush' and no sector or block (version 1 logged it as
	 * a metadata bio of block 0, sector 0).  SQLite cannot drop a NOT
	 * NULL, so bio and request are made again.
	 */
	{ "flush",
	  "CREATE TABLE bio_v2" BIO_COLUMNS
	  "INSERT INTO bio_v2(run_id, seq, task, submit_ns, op, sector,"
	  " sectors, origin, file, pages, block, request_seq, complete_ns,"
	  " error, parent) SELECT run_id, seq, task, submit_ns, op,"
	  " CASE WHEN " FLUSH_SQL " THEN NULL ELSE sector END, sectors,"
	  " CASE WHEN " FLUSH_SQL " THEN 'flush' ELSE origin END, file, pages,"
	  " CASE WHEN " FLUSH_SQL " THEN NULL ELSE block END, request_seq,"
	  " complete_ns, error, parent FROM bio;"
	  "DROP TABLE bio;"
	  "ALTER TABLE bio_v2 RENAME TO bio;"
	  "CREATE TABLE request_v2" REQUEST_COLUMNS
	  "INSERT INTO request_v2 SELECT run_id, seq, op,"
	  " CASE WHEN " FLUSH_SQL " THEN NULL ELSE sector END, sectors, nbios,"
	  " queue_ns, insert_ns, dispatch_ns, complete_ns, overhead_ns,"
	  " seek_ns, rotation_ns, transfer_ns, seek_cylinders, cache_hit,"
	  " depth, error, merges FROM request;"
	  "DROP TABLE request;"
	  "ALTER TABLE request_v2 RENAME TO request;" },
	/*
	 * Events: the table becomes event_stored, under the event view
	 * (the old runs' merges stay there; the bio table made again above
	 * has the merge columns, NULL for the old bios).
	 */
	{ "event", "ALTER TABLE event RENAME TO event_stored;" },
};

struct task_start {
	char *name;
	char *file;
	int64_t start_ns;
};

#define EVENT_BATCH 32
#define EVENT_COLUMNS 17
#define POOL_RECENT_BITS 6	/* 64 texts remembered by address (pooled()) */
#define POOL_RECENT (1u << POOL_RECENT_BITS)

/* An event row waiting for its batch. */
struct pending_event {
	int64_t seq, time_ns;
	const char *action, *task, *file, *reason;	/* pooled */
	int64_t page, block, sector, sectors, offset, value;
	int64_t ra_start, ra_size, ra_async_size, ra_async;
};

/* Room for one range of pages as text: "A-B" of two int64s. */
#define PAGES_INLINE 44

/* A bio row waiting for its request to complete. */
struct pending_bio {
	uint64_t seq;
	int64_t submit_ns;
	const char *task, *op, *origin, *file;	/* pooled */
	char *pages;		/* pages_inline, or allocated */
	char pages_inline[PAGES_INLINE];
	struct pending_bio *next_spare;
	uint64_t sector;
	uint32_t sectors;
	int64_t block;
	uint64_t parent;
	/* its plug and merge events (log_submit_note()), 0 when none */
	int64_t plug_event, plug_count;
	int64_t merge_event, merge_rq_sector, merge_rq_sectors;
	const char *merge_reason;	/* pooled */
};

struct db {
	sqlite3 *h;
	char *path;
	sqlite3_stmt *st[ST_COUNT];
	int64_t run_id;
	int64_t event_seq;
	GError *error;		/* first error met by the listener */
	GPtrArray *tasks;	/* struct task_start*, by task id - 1 */
	GHashTable *bios;	/* seq -> struct pending_bio*, in flight */
	sqlite3_stmt *event_batch;	/* EVENT_BATCH rows at once */
	struct pending_event events[EVENT_BATCH];
	unsigned nr_events;
	GHashTable *strings;	/* the run's string pool: text -> itself */
	struct pool_recent {	/* texts pooled lately, by address */
		const char *text, *copy;
	} recent[POOL_RECENT];
	struct pending_bio *spare_bios;	/* written, for log_bio() again */
	sqlite3_stmt *extent_stmt;	/* db_log_extent() */
	char *extent_file;	/* the file whose rows are being added */
	int64_t extent_seq;
	bool batch;		/* inside db_begin_batch(): runs are savepoints */
};

/*
 * Has the database or its journal reached the file size limit (ulimit -f),
 * give or take a write of 1 MiB?
 */
static bool fsize_limited(const char *path)
{
	struct rlimit r;
	struct stat st;
	char *journal = g_strconcat(path, "-journal", NULL);
	uint64_t size = 0;

	if (!stat(path, &st))
		size = (uint64_t)st.st_size;
	if (!stat(journal, &st))
		size = MAX(size, (uint64_t)st.st_size);
	g_free(journal);
	return !getrlimit(RLIMIT_FSIZE, &r) && r.rlim_cur != RLIM_INFINITY &&
	       size + (1 << 20) >= (uint64_t)r.rlim_cur;
}

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
		/*
		 * A write past the file size limit (SIGXFSZ is ignored):
		 * EFBIG, which a rollback after it may hide, so a limit that
		 * is set is taken as the cause.
		 */
		if (sqlite3_system_errno(db->h) == EFBIG ||
		    fsize_limited(db->path))
			return "the database is too large (the file size "
			       "limit, ulimit -f, or the filesystem's)";
		if (sqlite3_system_errno(db->h) == ENOSPC)
			return "the database or its disk is full";
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

bool db_check_name(const char *path, GError **err)
{
	struct stat st;

	if (!*path || !strcmp(path, ":memory:") ||
	    !strncmp(path, "file:", 5)) {
		g_set_error(err, DB_ERROR, 0, "'%s': not a database file name "
			    "(empty, in memory or an SQLite URI); give a "
			    "file's path%s", path, *path == 'f' ?
			    " (./file:... for a file so named)" : "");
		return false;
	}
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		g_set_error(err, DB_ERROR, 0, "%s: not a database file (%s)",
			    path, S_ISDIR(st.st_mode) ? "a folder" :
			    "not a regular file");
		return false;
	}
	return true;
}

/* Does `h` have table `t` (a table, not a view), with column `col` if
 * not NULL? */
static bool has_column(sqlite3 *h, const char *t, const char *col)
{
	sqlite3_stmt *st;
	bool found = false;

	if (sqlite3_prepare_v2(h, "SELECT 1 FROM sqlite_master m, "
			       "pragma_table_info(m.name) c WHERE "
			       "m.type = 'table' AND m.name = ?1 AND "
			       "(?2 IS NULL OR c.name = ?2)", -1, &st,
			       NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
	if (col)
		sqlite3_bind_text(st, 2, col, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/*
 * The tables of older layouts of version 2, and the tables that hold
 * their rows now (their names are views now, or gone).
 */
static const struct {
	const char *old, *now;
} older_tables[] = {
	{ "event", "event_stored" },
	{ "bvec_span", "bvec_stored" },
	{ "bvec", "bvec_stored" },
};

const char *db_rows_of(sqlite3 *h, const char *table)
{
	if (has_column(h, table, NULL))
		return table;
	if (!strcmp(table, "event_stored") && has_column(h, "event", NULL))
		return "event";
	if (!strcmp(table, "bvec_stored")) {
		if (has_column(h, "bvec_span", NULL))
			return "bvec_span";
		if (has_column(h, "bvec", NULL))
			return "(SELECT *, 1 AS n FROM bvec)";
	}
	return NULL;
}

/* Is c one of the bio columns that hold its events (bio_event_columns)? */
static bool is_bio_event_column(const char *c)
{
	size_t n = strlen(c);

	for (size_t i = 0; i < G_N_ELEMENTS(bio_event_columns); i++)
		if (!strncmp(bio_event_columns[i], c, n) &&
		    bio_event_columns[i][n] == ' ')
			return true;
	return false;
}

/*
 * Is table t (column c) missing only because the database has an older
 * layout of version 2 (db_rows_of()), which db_open() converts in place
 * and mpsim merge reads as it is: a table kept elsewhere, or a bio column
 * that holds an event the event table of that layout holds itself?
 */
static bool older_layout_has(sqlite3 *h, const char *t, const char *c)
{
	const char *rows = db_rows_of(h, t);

	if (!rows)
		return false;
	if (strcmp(rows, t))
		return true;
	return !strcmp(t, "bio") && is_bio_event_column(c) &&
	       has_column(h, "event", NULL);
}

/*
 * The expected tables and columns are those of schema_sql, made in a
 * database in memory: the list cannot drift from the schema.
 */
bool db_check_tables(sqlite3 *h, const char *path, GError **err)
{
	sqlite3 *ref = NULL;
	sqlite3_stmt *st = NULL;
	bool ok;

	ok = sqlite3_open_v2(":memory:", &ref, SQLITE_OPEN_READWRITE, NULL) ==
	     SQLITE_OK &&
	     sqlite3_exec(ref, schema_sql, NULL, NULL, NULL) == SQLITE_OK &&
	     sqlite3_prepare_v2(ref, "SELECT m.name, c.name FROM sqlite_master "
				"m, pragma_table_info(m.name) c WHERE m.type = "
				"'table' ORDER BY m.name, c.cid", -1, &st,
				NULL) == SQLITE_OK;
	if (!ok)
		g_set_error(err, DB_ERROR, 0, "%s: cannot check the schema: %s",
			    path, sqlite3_errmsg(ref));
	while (ok && sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		const char *c = (const char *)sqlite3_column_text(st, 1);

		if (has_column(h, t, c))
			continue;
		if (older_layout_has(h, t, c))
			continue;
		if (has_column(h, t, NULL))
			g_set_error(err, DB_ERROR, 0, "%s: not an mpsim "
				    "database of schema version %d (table %s "
				    "has no column %s); use another file", path,
				    DB_SCHEMA_VERSION, t, c);
		else
			g_set_error(err, DB_ERROR, 0, "%s: not an mpsim "
				    "database of schema version %d (no table "
				    "%s); use another file", path,
				    DB_SCHEMA_VERSION, t);
		ok = false;
	}
	sqlite3_finalize(st);
	sqlite3_close(ref);
	for (size_t i = 0; ok && i < G_N_ELEMENTS(older_tables); i++)
		if (has_column(h, older_tables[i].old, NULL) &&
		    has_column(h, older_tables[i].now, NULL)) {
			g_set_error(err, DB_ERROR, 0, "%s: not an mpsim "
				    "database of schema version %d (a table "
				    "%s beside %s, which holds its rows now); "
				    "use another file", path,
				    DB_SCHEMA_VERSION, older_tables[i].old,
				    older_tables[i].now);
			ok = false;
		}
	return ok;
}

/* One text from a query with one bound text, or NULL. */
static char *query_text(struct db *db, const char *sql, const char *arg)
{
	sqlite3_stmt *st;
	char *v = NULL;

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL))
		return NULL;
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = g_strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

static bool is_view_name(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(view_names); i++)
		if (!strcmp(name, view_names[i]))
			return true;
	return false;
}

/*
 * Whether the database holds exactly mpsim's version-1 tables: the six
 * tables with their columns in order, no other table or trigger, views
 * only of mpsim's names.
 */
static bool is_mpsim_v1(struct db *db)
{
	sqlite3_stmt *st;
	int64_t tables = 0;
	bool ok = true;

	if (sqlite3_prepare_v2(db->h, "SELECT type, name FROM sqlite_master",
			       -1, &st, NULL))
		return false;
	while (ok && sqlite3_step(st) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);

		if (!type || !name)
			ok = false;
		else if (!strcmp(type, "table"))
			tables++;
		else if (!strcmp(type, "view"))
			ok = is_view_name(name);
		else
			ok = !strcmp(type, "index");
	}
	sqlite3_finalize(st);
	if (!ok || tables != (int64_t)G_N_ELEMENTS(v1_tables))
		return false;
	for (size_t i = 0; ok && i < G_N_ELEMENTS(v1_tables); i++) {
		char *cols = query_text(db, "SELECT group_concat(name, ',') "
					"FROM (SELECT name FROM "
					"pragma_table_info(?) ORDER BY cid)",
					v1_tables[i].table);

		ok = cols && !strcmp(cols, v1_tables[i].columns);
		g_free(cols);
	}
	return ok;
}

static bool is_table(struct db *db, const char *name);

/*
 * Drop mpsim's views (made again by views_sql), leaving a table of one of
 * their names alone (an older database's event table).
 */
static bool drop_views(struct db *db, GError **err)
{
	bool ok = true;

	for (size_t i = 0; ok && i < G_N_ELEMENTS(view_names); i++) {
		char *sql;

		if (is_table(db, view_names[i]))
			continue;
		sql = g_strdup_printf("DROP VIEW IF EXISTS %s;",
				      view_names[i]);
		ok = exec(db, sql, err);
		g_free(sql);
	}
	return ok;
}

/* Version 1 to 2 in place, inside the caller's transaction. */
static bool upgrade_v1(struct db *db, GError **err)
{
	char *sql;
	bool ok = drop_views(db, err);

	for (size_t i = 0; ok && i < G_N_ELEMENTS(v1_to_v2); i++)
		ok = exec(db, v1_to_v2[i].sql, err);
	if (ok) {
		sql = g_strdup_printf("PRAGMA user_version = %d;",
				      DB_SCHEMA_VERSION);
		ok = exec(db, sql, err);
		g_free(sql);
	}
	return ok;
}

/* Is `name` a table (not a view) of the database? */
static bool is_table(struct db *db, const char *name)
{
	sqlite3_stmt *st;
	bool yes = false;

	if (sqlite3_prepare_v2(db->h, "SELECT 1 FROM sqlite_master WHERE "
			       "type = 'table' AND name = ?", -1, &st, NULL))
		return false;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return yes;
}

/*
 * An older layout's table `old` (if the database has it): its rows moved
 * by `sql` into the table made by `create`.
 */
static bool move_table(struct db *db, const char *old, const char *create,
		       const char *sql, GError **err)
{
	if (!is_table(db, old))
		return true;
	return exec(db, create, err) && exec(db, sql, err);
}

/*
 * An event table (an older layout of version 2): renamed event_stored,
 * its plugs and merges kept there, and the bio table given the plug and
 * merge columns, NULL for the old bios; the views are made next.
 */
static bool event_table_to_stored(struct db *db, GError **err)
{
	bool ok;

	if (!is_table(db, "event"))
		return true;
	ok = drop_views(db, err) &&
	     exec(db, "ALTER TABLE event RENAME TO event_stored;", err);
	for (size_t i = 0; ok && i < G_N_ELEMENTS(bio_event_columns); i++) {
		char *col = g_strndup(bio_event_columns[i],
				      strcspn(bio_event_columns[i], " "));
		char *sql = g_strdup_printf("ALTER TABLE bio ADD COLUMN %s;",
					    bio_event_columns[i]);

		if (!has_column(db->h, "bio", col))
			ok = exec(db, sql, err);
		g_free(sql);
		g_free(col);
	}
	return ok;
}

/*
 * The older layouts of version 2, moved in: a bvec table of one row a
 * vector (spans of one), a bvec_span table (every span kept), an event
 * table.
 */
static bool convert_older_layout(struct db *db, GError **err)
{
	return move_table(db, "bvec", BVEC_STORED_TABLE_SQL,
			  bvec_table_to_stored_sql, err) &&
	       move_table(db, "bvec_span", BVEC_STORED_TABLE_SQL,
			  bvec_span_table_to_stored_sql, err) &&
	       event_table_to_stored(db, err);
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
	} else if (v == 1 && is_mpsim_v1(db)) {
		if (!upgrade_v1(db, err)) {
			exec(db, "ROLLBACK", NULL);
			return false;
		}
	} else if (v == DB_SCHEMA_VERSION) {
		/*
		 * every table and column before anything is written (an
		 * older layout passes, and is converted next)
		 */
		if (!db_check_tables(db->h, db->path, err) ||
		    !convert_older_layout(db, err)) {
			exec(db, "ROLLBACK", NULL);
			return false;
		}
	} else {
		exec(db, "ROLLBACK", NULL);
		g_set_error(err, DB_ERROR, 0, "%s: not an mpsim database of "
			    "schema version %d (it has version %" G_GINT64_FORMAT
			    "%s); use another file", db->path,
			    DB_SCHEMA_VERSION, v,
			    v == 0 ? " and other tables" :
			    v == 1 ? " but not mpsim's version-1 tables" : "");
		return false;
	}
	if (!exec(db, views_sql, err)) {
		exec(db, "ROLLBACK", NULL);
		return false;
	}
	return exec(db, "COMMIT", err);
}

/* The event INSERT with EVENT_BATCH rows of values. */
static bool prepare_event_batch(struct db *db)
{
	const char *one = strstr(stmt_sql[ST_EVENT], "VALUES(") + 6;
	GString *sql = g_string_new_len(stmt_sql[ST_EVENT],
					one - stmt_sql[ST_EVENT]);
	bool ok;

	for (unsigned i = 0; i < EVENT_BATCH; i++)
		g_string_append_printf(sql, "%s%s", i ? "," : "", one);
	ok = sqlite3_prepare_v2(db->h, sql->str, -1, &db->event_batch,
				NULL) == SQLITE_OK;
	g_string_free(sql, TRUE);
	return ok;
}

struct db *db_open(const char *path, GError **err)
{
	struct db_open_options o = { DB_BUSY_TIMEOUT_MS, 0 };

	return db_open_with(path, &o, err);
}

struct db *db_open_with(const char *path, const struct db_open_options *o,
			GError **err)
{
	struct db *db;
	static bool configured;

	if (!db_check_name(path, err))
		return NULL;
	/*
	 * No count of SQLite's memory: the count takes a global mutex around
	 * every allocation.  Only before SQLite starts (SQLITE_MISUSE after,
	 * when another connection came first: then as before).
	 */
	if (!configured) {
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
		configured = true;
	}
	db = g_new0(struct db, 1);
	db->path = g_strdup(path);
	/* one thread uses the connection: no mutex around every call */
	if (sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
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
	/*
	 * A run is one transaction: a 32 MiB page cache keeps SQLite from
	 * spilling the pages of a long run to the file before the commit.
	 */
	if (!exec(db, "PRAGMA synchronous = NORMAL; "
		  "PRAGMA cache_size = -32768;", err)) {
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
	/* journal_mode may write (from WAL): only once the schema is ours */
	if (!ensure_schema(db, err) ||
	    !exec(db, "PRAGMA journal_mode = DELETE", err)) {
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
	if (!prepare_event_batch(db)) {
		sql_fail(db, err, "prepare");
		db_close(db);
		return NULL;
	}
	return db;
}

static void pending_bio_free(gpointer p)
{
	struct pending_bio *b = p;

	if (b->pages != b->pages_inline)
		g_free(b->pages);
	g_free(b);
}

/* A bio's row is written: keep the structure for the next bio. */
static void pending_bio_done(struct db *db, struct pending_bio *b)
{
	g_hash_table_steal(db->bios, &b->seq);
	if (b->pages != b->pages_inline)
		g_free(b->pages);
	b->next_spare = db->spare_bios;
	db->spare_bios = b;
}

static void free_spare_bios(struct db *db)
{
	while (db->spare_bios) {
		struct pending_bio *b = db->spare_bios;

		db->spare_bios = b->next_spare;
		g_free(b);
	}
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(db->st[i]);
	sqlite3_finalize(db->event_batch);
	sqlite3_finalize(db->extent_stmt);
	g_free(db->extent_file);
	if (db->strings)
		g_hash_table_unref(db->strings);
	sqlite3_close(db->h);
	g_clear_error(&db->error);
	if (db->tasks)
		g_ptr_array_unref(db->tasks);
	if (db->bios)
		g_hash_table_unref(db->bios);
	free_spare_bios(db);
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

/* End the run's transaction, or release its savepoint in a batch. */
static bool finish_run(struct db *db)
{
	return !sqlite3_exec(db->h, db->batch ? "RELEASE run" : "COMMIT",
			     NULL, NULL, NULL);
}

int64_t db_begin_run(struct db *db, const struct scenario *s,
		     const struct db_run_info *info, GError **err)
{
	sqlite3_stmt *st;
	GString *opts = g_string_new(NULL);
	bool ok;

	if (sqlite3_exec(db->h, db->batch ? "SAVEPOINT run" :
			 "BEGIN IMMEDIATE", NULL, NULL, NULL)) {
		sql_fail(db, err, "cannot start the run's transaction");
		g_string_free(opts, TRUE);
		return -1;
	}
	for (guint i = 0; i < s->option_keys->len; i++)
		g_string_append_printf(opts, "%s=%s\n",
				       (char *)s->option_keys->pdata[i],
				       (char *)s->option_values->pdata[i]);
	ok = sqlite3_prepare_v2(db->h, "INSERT INTO run(scenario, "
				"scenario_sha256, description, options, seed, "
				"replication, variant, mpsim_version, "
				"disk_phase_ns) VALUES(?,?,?,?,?,?,?,?,?)",
				-1, &st, NULL) == SQLITE_OK;
	if (ok) {
		sqlite3_bind_text(st, 1, s->name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, s->checksum, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, s->description, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, opts->str, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 5, (int64_t)(info ? info->seed :
						    s->seed));
		sqlite3_bind_int64(st, 6, info ? info->replication : 0);
		sqlite3_bind_text(st, 7, info && info->variant ?
				  info->variant : "", -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 8, PACKAGE_VERSION, -1, SQLITE_STATIC);
		if (info)
			sqlite3_bind_int64(st, 9, info->phase_ns);
		else
			sqlite3_bind_null(st, 9);
		ok = sqlite3_step(st) == SQLITE_DONE;
		sqlite3_finalize(st);
	}
	g_string_free(opts, TRUE);
	if (!ok) {
		sql_fail(db, err, "insert run");
		db_rollback_run(db);
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
		db_rollback_run(db);
		return -1;
	}
	db->event_seq = 0;
	g_clear_pointer(&db->extent_file, g_free);
	g_clear_error(&db->error);
	if (db->tasks)
		g_ptr_array_unref(db->tasks);
	db->tasks = g_ptr_array_new_with_free_func(task_start_free);
	if (db->bios)
		g_hash_table_unref(db->bios);
	db->bios = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL,
					 pending_bio_free);
	db->nr_events = 0;
	if (db->strings)
		g_hash_table_unref(db->strings);
	db->strings = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					    NULL);
	memset(db->recent, 0, sizeof(db->recent));
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

/*
 * Bind a text or NULL.  SQLITE_STATIC: every string bound lives until
 * step() has run the statement, so SQLite need not copy it.
 */
static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/*
 * Run and reset a statement.  Every caller binds every parameter, so the
 * bindings need not be cleared (and a STATIC text is not read again).
 * After a first error nothing more is written: SQLite may have rolled the
 * transaction back (a full disk does), and a later statement would then
 * commit on its own.
 */
static void step(struct db *db, sqlite3_stmt *st, const char *what)
{
	if (db->error)
		return;
	if (sqlite3_step(st) != SQLITE_DONE)
		sql_fail(db, &db->error, what);
	sqlite3_reset(st);
}

/*
 * The pool's copy of a text (NULL stays NULL).  The few texts of a run
 * (actions, task and file names) come back again and again, mostly from
 * the same addresses: the last ones are remembered by address, and
 * checked, so that a text at an address used before for another still
 * finds its own copy.
 */
static const char *pooled(struct db *db, const char *s)
{
	struct pool_recent *r;
	char *p;

	if (!s)
		return NULL;
	r = &db->recent[(uint64_t)(uintptr_t)s * 0x9e3779b97f4a7c15ull >>
			(64 - POOL_RECENT_BITS)];
	if (r->text == s && !strcmp(r->copy, s))
		return r->copy;
	p = g_hash_table_lookup(db->strings, s);
	if (!p) {
		p = g_strdup(s);
		g_hash_table_add(db->strings, p);
	}
	r->text = s;
	r->copy = p;
	return p;
}

/* v in decimal at p; returns the end.  (No printf: a bio's row each.) */
static char *put_int64(char *p, int64_t v)
{
	char digits[20];
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	int n = 0;

	if (v < 0)
		*p++ = '-';
	do {
		digits[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	while (n)
		*p++ = digits[--n];
	return p;
}

/*
 * The bio's pages as text_trace_ranges() writes them ("0-2,5"): one run
 * of consecutive pages (every mpage bio) into b's own room, else
 * allocated.
 */
static void pages_text(struct pending_bio *b, const int64_t *v, uint32_t n)
{
	GString *s;
	uint32_t i = 1;
	char *p;

	while (i < n && v[i] == v[i - 1] + 1)
		i++;
	if (i == n) {
		p = put_int64(b->pages_inline, v[0]);
		if (n > 1) {
			*p++ = '-';
			p = put_int64(p, v[n - 1]);
		}
		*p = '\0';
		b->pages = b->pages_inline;
		return;
	}
	s = g_string_new(NULL);
	text_trace_ranges(s, v, n);
	b->pages = g_string_free(s, FALSE);
}

/* Does vector b continue the span of vector a (the next page, alike)? */
static bool bvec_continues(const struct trace_bvec *a,
			   const struct trace_bvec *b)
{
	return b->offset == a->offset && b->len == a->len &&
	       (a->page == TRACE_NONE ? b->page == TRACE_NONE :
		b->page == a->page + 1);
}

/*
 * Are the bio's vectors what its row says already: whole pages
 * P .. P+n-1 in order, `pages` one run of them, `sectors` n pages?  Then
 * the bvec_span view makes their span from the bio row, and none is
 * stored.
 */
static bool bvecs_implied(const struct trace_bio *b)
{
	if (!b->npages || b->nbvecs != b->npages ||
	    b->sectors != (uint64_t)b->npages * TRACE_PAGE_SECTORS)
		return false;
	for (uint32_t i = 0; i < b->nbvecs; i++)
		if (b->pages[i] != b->pages[0] + i ||
		    b->bvecs[i].page != b->pages[i] ||
		    b->bvecs[i].offset != 0 ||
		    b->bvecs[i].len != TRACE_PAGE_SIZE)
			return false;
	return true;
}

/*
 * The bio's vectors, one bvec_stored row a run of them, written at once;
 * nothing when the bio row implies them.
 */
static void log_bvecs(struct db *db, const struct trace_bio *b)
{
	sqlite3_stmt *st = db->st[ST_BVEC];
	uint32_t i, n;

	if (bvecs_implied(b))
		return;
	for (i = 0; i < b->nbvecs && !db->error; i += n) {
		for (n = 1; i + n < b->nbvecs &&
		     bvec_continues(&b->bvecs[i + n - 1], &b->bvecs[i + n]);
		     n++)
			;
		sqlite3_bind_int64(st, 1, db->run_id);
		sqlite3_bind_int64(st, 2, (int64_t)b->seq);
		sqlite3_bind_int64(st, 3, i);
		bind_opt(st, 4, b->bvecs[i].page);
		sqlite3_bind_int64(st, 5, b->bvecs[i].offset);
		sqlite3_bind_int64(st, 6, b->bvecs[i].len);
		sqlite3_bind_int64(st, 7, n);
		step(db, st, "insert bvec");
	}
}

/*
 * An empty cache flush (REQ_OP_FLUSH: RWBS "F", "FS"): no position on the
 * disk, so its sector is NULL in the bio and request tables.
 */
static bool rwbs_is_flush(const char *op, uint64_t sectors)
{
	return sectors == 0 && op && op[0] == 'F';
}

/* Bind a sector: NULL for a flush. */
static void bind_sector(sqlite3_stmt *st, int i, const char *op,
			uint64_t sector, uint64_t sectors)
{
	if (rwbs_is_flush(op, sectors))
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, (int64_t)sector);
}

/* Keep a bio's row until its request completes (insert_bio). */
static void log_bio(struct db *db, const struct trace_event *ev)
{
	const struct trace_bio *b = &ev->bio;
	struct pending_bio *p = db->spare_bios;

	if (p)
		db->spare_bios = p->next_spare;
	else
		p = g_new(struct pending_bio, 1);
	p->seq = b->seq;
	p->submit_ns = ev->time_ns;
	p->task = pooled(db, b->task_name);
	p->op = pooled(db, b->op);
	p->origin = pooled(db, b->origin);
	p->file = pooled(db, b->file);
	p->pages = NULL;
	if (b->npages)
		pages_text(p, b->pages, b->npages);
	p->sector = b->sector;
	p->sectors = b->sectors;
	p->block = b->block;
	p->parent = b->parent;
	p->plug_event = 0;
	p->merge_event = 0;
	g_hash_table_replace(db->bios, &p->seq, p);
	log_bvecs(db, b);
}

/*
 * Write a bio's row: with its completed request r, or ended without a
 * request at end_ns (r NULL), or still in flight (r NULL, end_ns
 * TRACE_NONE).
 */
static void insert_bio_at(struct db *db, const struct pending_bio *b,
			  const struct trace_request *r, int64_t end_ns,
			  int64_t error)
{
	sqlite3_stmt *st = db->st[ST_BIO];

	sqlite3_bind_int64(st, 1, db->run_id);
	sqlite3_bind_int64(st, 2, (int64_t)b->seq);
	bind_text(st, 3, b->task);
	sqlite3_bind_int64(st, 4, b->submit_ns);
	bind_text(st, 5, b->op);
	bind_sector(st, 6, b->op, b->sector, b->sectors);
	sqlite3_bind_int64(st, 7, b->sectors);
	bind_text(st, 8, b->origin);
	bind_text(st, 9, b->file);
	bind_text(st, 10, b->pages);
	bind_opt(st, 11, b->block);
	bind_opt(st, 12, b->parent ? (int64_t)b->parent : TRACE_NONE);
	bind_opt(st, 13, r ? (int64_t)r->seq : TRACE_NONE);
	bind_opt(st, 14, r ? r->complete_ns : end_ns);
	bind_opt(st, 15, r ? r->error : error);
	if (b->plug_event) {
		sqlite3_bind_int64(st, 16, b->plug_event);
		sqlite3_bind_int64(st, 17, b->plug_count);
	} else {
		sqlite3_bind_null(st, 16);
		sqlite3_bind_null(st, 17);
	}
	if (b->merge_event) {
		sqlite3_bind_int64(st, 18, b->merge_event);
		bind_text(st, 19, b->merge_reason);
		sqlite3_bind_int64(st, 20, b->merge_rq_sector);
		sqlite3_bind_int64(st, 21, b->merge_rq_sectors);
	} else {
		for (int i = 18; i <= 21; i++)
			sqlite3_bind_null(st, i);
	}
	step(db, st, "insert bio");
}

static void insert_bio(struct db *db, const struct pending_bio *b,
		       const struct trace_request *r)
{
	insert_bio_at(db, b, r, TRACE_NONE, TRACE_NONE);
}

/* "end": a bio that ended without a request gets its row now. */
static void log_bio_end(struct db *db, const struct trace_event *ev)
{
	uint64_t seq = ev->bio.seq;
	struct pending_bio *b = g_hash_table_lookup(db->bios, &seq);

	if (!b)
		return;
	insert_bio_at(db, b, NULL, ev->time_ns, ev->bio.error);
	pending_bio_done(db, b);
}

static gint cmp_pending_seq(gconstpointer a, gconstpointer b)
{
	const struct pending_bio *x = *(struct pending_bio *const *)a;
	const struct pending_bio *y = *(struct pending_bio *const *)b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* At the end of the run: the rows of bios no request completed. */
static void flush_pending_bios(struct db *db)
{
	GPtrArray *left;
	GHashTableIter it;
	gpointer v;

	if (!db->bios)
		return;
	left = g_ptr_array_new();
	g_hash_table_iter_init(&it, db->bios);
	while (g_hash_table_iter_next(&it, NULL, &v))
		g_ptr_array_add(left, v);
	g_ptr_array_sort(left, cmp_pending_seq);	/* never hash order */
	for (guint i = 0; i < left->len && !db->error; i++)
		insert_bio(db, left->pdata[i], NULL);
	g_ptr_array_unref(left);
	g_hash_table_remove_all(db->bios);
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
	bind_sector(st, 4, r->op, r->sector, r->sectors);
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

	for (uint32_t i = 0; i < r->nbios; i++) {
		uint64_t seq = r->bios[i];
		struct pending_bio *b = g_hash_table_lookup(db->bios, &seq);

		if (!b)
			continue;
		insert_bio(db, b, r);
		pending_bio_done(db, b);
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
	sqlite3_bind_int64(db->st[ST_TASK], 7, ev->time_ns - t->start_ns);
	step(db, db->st[ST_TASK], "insert task");
}


/* Bind event e's row as the row-th of a statement (0-based). */
static void bind_event(sqlite3_stmt *st, unsigned row, int64_t run_id,
		       const struct pending_event *e)
{
	int i = (int)(row * EVENT_COLUMNS);

	sqlite3_bind_int64(st, i + 1, run_id);
	sqlite3_bind_int64(st, i + 2, e->seq);
	sqlite3_bind_int64(st, i + 3, e->time_ns);
	bind_text(st, i + 4, e->action);
	bind_text(st, i + 5, e->task);
	bind_text(st, i + 6, e->file);
	bind_opt(st, i + 7, e->page);
	bind_opt(st, i + 8, e->block);
	bind_opt(st, i + 9, e->sector);
	bind_opt(st, i + 10, e->sectors);
	bind_opt(st, i + 11, e->offset);
	bind_opt(st, i + 12, e->value);
	bind_text(st, i + 13, e->reason);
	bind_opt(st, i + 14, e->ra_start);
	bind_opt(st, i + 15, e->ra_size);
	bind_opt(st, i + 16, e->ra_async_size);
	bind_opt(st, i + 17, e->ra_async);
}

/* Write the events kept so far: a full batch at once, else one by one. */
static void flush_events(struct db *db)
{
	if (db->nr_events == EVENT_BATCH) {
		for (unsigned r = 0; r < EVENT_BATCH; r++)
			bind_event(db->event_batch, r, db->run_id,
				   &db->events[r]);
		step(db, db->event_batch, "insert event");
	} else {
		for (unsigned r = 0; r < db->nr_events && !db->error; r++) {
			bind_event(db->st[ST_EVENT], 0, db->run_id,
				   &db->events[r]);
			step(db, db->st[ST_EVENT], "insert event");
		}
	}
	db->nr_events = 0;
}

/*
 * A note of a bio's submission ("plug" of the request made from it,
 * "merge" into a request), kept in the bio's row (the event view makes
 * the event from it) when the row says all the note says: the bio's task,
 * submission time and sectors, for a plug its sector too, nothing else
 * but the plug's count, or the request's sector, its sectors and the
 * merge's reason.  True when kept.
 */
static bool log_submit_note(struct db *db, const struct trace_event *ev)
{
	const struct trace_note *n = &ev->note;
	bool plug = !strcmp(ev->action, "plug");
	uint64_t seq = n->bio;
	struct pending_bio *b;

	if (!seq || !(b = g_hash_table_lookup(db->bios, &seq)) ||
	    ev->time_ns != b->submit_ns ||
	    pooled(db, n->task_name) != b->task || n->file ||
	    n->sectors != (int64_t)b->sectors || n->sector < 0 ||
	    n->value < 0 || n->page != TRACE_NONE ||
	    n->block != TRACE_NONE || n->offset != TRACE_NONE ||
	    n->ra_start != TRACE_NONE || n->ra_size != TRACE_NONE ||
	    n->ra_async_size != TRACE_NONE || n->ra_async != TRACE_NONE)
		return false;
	if (plug) {
		if (b->plug_event || n->reason ||
		    rwbs_is_flush(b->op, b->sectors) ||
		    n->sector != (int64_t)b->sector)
			return false;
		b->plug_event = ++db->event_seq;
		b->plug_count = n->value;
		return true;
	}
	if (b->merge_event || !n->reason)
		return false;
	b->merge_event = ++db->event_seq;
	b->merge_reason = pooled(db, n->reason);
	b->merge_rq_sector = n->sector;
	b->merge_rq_sectors = n->value;
	return true;
}

static void log_event(struct db *db, const struct trace_event *ev)
{
	const struct trace_note *n = &ev->note;
	struct pending_event *e;

	if (n->bio && log_submit_note(db, ev))
		return;
	if (!strcmp(ev->action, "task_start") ||
	    !strcmp(ev->action, "task_end"))
		log_task(db, ev);
	e = &db->events[db->nr_events++];
	e->seq = ++db->event_seq;
	e->time_ns = ev->time_ns;
	e->action = pooled(db, ev->action);
	e->task = pooled(db, n->task_name);
	e->file = pooled(db, n->file);
	e->reason = pooled(db, n->reason);
	e->page = n->page;
	e->block = n->block;
	e->sector = n->sector;
	e->sectors = n->sectors;
	e->offset = n->offset;
	e->value = n->value;
	e->ra_start = n->ra_start;
	e->ra_size = n->ra_size;
	e->ra_async_size = n->ra_async_size;
	e->ra_async = n->ra_async;
	if (db->nr_events == EVENT_BATCH)
		flush_events(db);
}

static void db_event(void *ctx, const struct trace_event *ev)
{
	struct db *db = ctx;

	if (db->error)
		return;
	switch (ev->kind) {
	case TRACE_BIO:
		if (!strcmp(ev->action, "end"))
			log_bio_end(db, ev);
		else
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

void db_log_extent(struct db *db, const char *file, const char *kind,
		   uint64_t logical, uint64_t physical, uint64_t length)
{
	if (db->error)
		return;
	if (!db->extent_stmt &&
	    sqlite3_prepare_v2(db->h, "INSERT INTO extent(run_id, file, seq, "
			       "kind, logical, physical, length) "
			       "VALUES(?,?,?,?,?,?,?)", -1, &db->extent_stmt,
			       NULL) != SQLITE_OK) {
		sql_fail(db, &db->error, "insert extent");
		return;
	}
	if (g_strcmp0(db->extent_file, file)) {
		g_free(db->extent_file);
		db->extent_file = g_strdup(file);
		db->extent_seq = 0;
	}
	sqlite3_bind_int64(db->extent_stmt, 1, db->run_id);
	bind_text(db->extent_stmt, 2, file);
	sqlite3_bind_int64(db->extent_stmt, 3, db->extent_seq++);
	bind_text(db->extent_stmt, 4, kind);
	sqlite3_bind_int64(db->extent_stmt, 5, (int64_t)logical);
	sqlite3_bind_int64(db->extent_stmt, 6, (int64_t)physical);
	sqlite3_bind_int64(db->extent_stmt, 7, (int64_t)length);
	step(db, db->extent_stmt, "insert extent");
}

bool db_ok(const struct db *db, GError **err)
{
	if (!db->error)
		return true;
	if (err)
		*err = g_error_copy(db->error);
	return false;
}

bool db_commit_run(struct db *db, int64_t end_ns, int64_t elapsed_ns,
		   uint64_t events, GError **err)
{
	sqlite3_stmt *st;
	bool ok;

	flush_pending_bios(db);
	if (!db->error)
		flush_events(db);
	if (!db_ok(db, err)) {
		db_rollback_run(db);
		return false;
	}
	ok = sqlite3_prepare_v2(db->h, "UPDATE run SET end_ns = ?, events = ?, "
				"elapsed_ns = ? WHERE id = ?", -1, &st,
				NULL) == SQLITE_OK;
	if (ok) {
		sqlite3_bind_int64(st, 1, end_ns);
		sqlite3_bind_int64(st, 2, (int64_t)events);
		sqlite3_bind_int64(st, 3, elapsed_ns);
		sqlite3_bind_int64(st, 4, db->run_id);
		ok = sqlite3_step(st) == SQLITE_DONE;
		sqlite3_finalize(st);
	}
	if (!ok) {
		sql_fail(db, err, "finish run");
		db_rollback_run(db);
		return false;
	}
	if (!finish_run(db)) {
		sql_fail(db, err, "cannot commit the run");
		db_rollback_run(db);
		return false;
	}
	return true;
}

void db_rollback_run(struct db *db)
{
	db->nr_events = 0;	/* the batch goes with the transaction */
	if (sqlite3_get_autocommit(db->h))
		return;
	if (db->batch)
		exec(db, "ROLLBACK TO run; RELEASE run", NULL);
	else
		exec(db, "ROLLBACK", NULL);
}

bool db_begin_batch(struct db *db, GError **err)
{
	if (sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL, NULL))
		return sql_fail(db, err, "cannot start the transaction");
	db->batch = true;
	return true;
}

bool db_commit_batch(struct db *db, GError **err)
{
	db->batch = false;
	if (sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL)) {
		sql_fail(db, err, "cannot commit the runs");
		if (!sqlite3_get_autocommit(db->h))
			exec(db, "ROLLBACK", NULL);
		return false;
	}
	return true;
}

void db_rollback_batch(struct db *db)
{
	db->batch = false;
	db->nr_events = 0;
	if (!sqlite3_get_autocommit(db->h))
		exec(db, "ROLLBACK", NULL);
}

bool db_in_batch(const struct db *db)
{
	return db->batch;
}
