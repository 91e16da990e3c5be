/*
 * db.h - the SQLite log: every run, bio, request and event of a run,
 * appended to a database in one transaction (docs/schema.md).
 *
 * A run lands whole or not at all: db_begin_run() opens the transaction,
 * the listener adds rows as the run goes, db_commit_run() ends it, and
 * db_rollback_run() (or a crash) leaves the database as it was.
 */
#ifndef MPSIM_LOG_DB_H
#define MPSIM_LOG_DB_H

#include <glib.h>
#include <stdint.h>
#include "trace/trace.h"

#define DB_SCHEMA_VERSION 2

struct db;
struct scenario;

/* How long a write waits for another process's transaction. */
#define DB_BUSY_TIMEOUT_MS 10000

struct db_open_options {
	int busy_timeout_ms;	/* wait this long for a lock, then fail */
	int64_t max_pages;	/* > 0: PRAGMA max_page_count (tests) */
};

/*
 * A name SQLite must take as a plain file, checked before any open:
 * refused when empty, ":memory:", an SQLite URI ("file:..."), or an
 * existing file that is not a regular file (a folder, a device).
 */
bool db_check_name(const char *path, GError **err);

/*
 * A database of mpsim's schema version has every table of the schema,
 * each with every column (compared with the schema itself, so that the
 * check follows it); false + *err naming what is missing.  Nothing is
 * written.
 */
struct sqlite3;
bool db_check_tables(struct sqlite3 *h, const char *path, GError **err);
/*
 * Where a database of mpsim's schema version keeps the rows of `table`:
 * the table itself, or in an older layout of version 2 (which
 * db_check_tables() lets through) what holds them: for bvec_stored a
 * bvec_span table, or a bvec table of one vector a row as a subquery of
 * spans of one; for event_stored an event table.  NULL when none.
 */
const char *db_rows_of(struct sqlite3 *h, const char *table);

/* Open (creating if needed) and check the schema; NULL + *err if not. */
struct db *db_open(const char *path, GError **err);
struct db *db_open_with(const char *path, const struct db_open_options *o,
			GError **err);
void db_close(struct db *db);

/* What the run row says besides the scenario (schema version 2). */
struct db_run_info {
	uint64_t seed;
	int64_t replication;	/* 0-based */
	const char *variant;	/* the --vary keys and values; "" for none */
	int64_t phase_ns;	/* the platter's phase offset */
};

/*
 * Start a run: a transaction (or, inside db_begin_batch(), a savepoint)
 * and its run row.  info NULL: seed s->seed, replication 0, no variant,
 * phase unknown.  Returns the run id or -1.
 */
int64_t db_begin_run(struct db *db, const struct scenario *s,
		     const struct db_run_info *info, GError **err);
/* The listener that adds the run's rows. */
void db_listener(struct db *db, struct trace_listener *l);
/*
 * One row of the extent table: a run of file `file`'s block map (kind
 * "data", "indirect", "dindirect", "tindirect" or "tree"); rows of a file
 * are numbered in the order given.  An error shows in db_ok().
 */
void db_log_extent(struct db *db, const char *file, const char *kind,
		   uint64_t logical, uint64_t physical, uint64_t length);
/* Record the run's totals and commit; false + *err on failure. */
bool db_commit_run(struct db *db, int64_t end_ns, int64_t elapsed_ns,
		   uint64_t events, GError **err);
void db_rollback_run(struct db *db);

/*
 * Many runs in one transaction (compare, sweep, replications): between
 * db_begin_batch() and db_commit_batch() each run is a savepoint, and the
 * batch lands whole or not at all; db_rollback_batch() drops it all.
 */
bool db_begin_batch(struct db *db, GError **err);
bool db_commit_batch(struct db *db, GError **err);
void db_rollback_batch(struct db *db);
bool db_in_batch(const struct db *db);
/* The first error a listener met while adding rows, if any. */
bool db_ok(const struct db *db, GError **err);

#endif /* MPSIM_LOG_DB_H */
