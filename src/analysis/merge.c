/*
 * merge.c - copying runs between databases (see merge.h).
 *
 * Each source is opened read-only in turn and a run's rows copied table
 * by table with the run id replaced, all in one transaction on the
 * output.  Columns are listed from the output's own schema, so that every
 * column is carried over without this file naming them.
 */
#include "analysis/merge.h"

#include <glib/gstdio.h>

#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include "log/db.h"

#define MERGE_ERROR (g_quark_from_static_string("mpsim-merge-error"))

/* The tables copied for each run, with the column holding the run id. */
static const struct { const char *table, *key; } run_tables[] = {
	{ "run", "id" }, { "run_option", "run_id" }, { "task", "run_id" },
	{ "bio", "run_id" }, { "request", "run_id" },
	{ "event_stored", "run_id" },
	{ "bvec_stored", "run_id" }, { "extent", "run_id" },
};

static bool fail(sqlite3 *h, GError **err, const char *path, const char *what)
{
	g_set_error(err, MERGE_ERROR, 0, "%s: %s: %s", path, what,
		    sqlite3_errmsg(h));
	return false;
}

static bool exec(sqlite3 *h, const char *sql, const char *path, GError **err)
{
	char *msg = NULL;

	if (sqlite3_exec(h, sql, NULL, NULL, &msg) == SQLITE_OK)
		return true;
	g_set_error(err, MERGE_ERROR, 0, "%s: %s", path,
		    msg ? msg : sqlite3_errmsg(h));
	sqlite3_free(msg);
	return false;
}

/* The columns of a table of the output, in schema order. */
static GPtrArray *columns(sqlite3 *h, const char *table)
{
	char *sql = g_strdup_printf("PRAGMA table_info(%s)", table);
	GPtrArray *cols = g_ptr_array_new_with_free_func(g_free);
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			g_ptr_array_add(cols, g_strdup((const char *)
					sqlite3_column_text(st, 1)));
		sqlite3_finalize(st);
	}
	g_free(sql);
	return cols;
}

/*
 * The columns of `from` (a source's table, or the subquery db_rows_of()
 * gives for an older layout), by name.
 */
static GHashTable *source_columns(sqlite3 *src, const char *from)
{
	GHashTable *names = g_hash_table_new_full(g_str_hash, g_str_equal,
						  g_free, NULL);
	char *sql = g_strdup_printf("SELECT * FROM %s LIMIT 0", from);
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(src, sql, -1, &st, NULL) == SQLITE_OK)
		for (int i = 0; i < sqlite3_column_count(st); i++)
			g_hash_table_add(names,
					 g_strdup(sqlite3_column_name(st, i)));
	sqlite3_finalize(st);
	g_free(sql);
	return names;
}

/* Copy the rows of one table of run `from` (in src) as run `to`. */
static bool copy_table(sqlite3 *out, sqlite3 *src, const char *src_path,
		       const char *table, const char *key, int64_t from,
		       int64_t to, GError **err)
{
	/* there, as open_source()'s db_check_tables() saw */
	const char *src_table = db_rows_of(src, table);
	GPtrArray *cols;
	GHashTable *src_cols;
	GString *names, *marks, *picks;
	sqlite3_stmt *rd = NULL, *wr = NULL;
	int key_col = -1, rc;
	bool ok = true;
	char *sql;

	if (!src_table) {
		g_set_error(err, MERGE_ERROR, 0, "%s: no table %s", src_path,
			    table);
		return false;
	}
	cols = columns(out, table);
	src_cols = source_columns(src, src_table);
	names = g_string_new(NULL);
	marks = g_string_new(NULL);
	picks = g_string_new(NULL);

	for (guint i = 0; i < cols->len; i++) {
		g_string_append_printf(names, "%s\"%s\"", i ? ", " : "",
				       (char *)cols->pdata[i]);
		/* a column an older layout lacks (a bio's plug): NULL */
		if (g_hash_table_contains(src_cols, cols->pdata[i]))
			g_string_append_printf(picks, "%s\"%s\"",
					       i ? ", " : "",
					       (char *)cols->pdata[i]);
		else
			g_string_append(picks, i ? ", NULL" : "NULL");
		g_string_append(marks, i ? ", ?" : "?");
		if (!strcmp(cols->pdata[i], key))
			key_col = (int)i;
	}
	sql = g_strdup_printf("SELECT %s FROM %s WHERE %s = ?", picks->str,
			      src_table, key);
	if (sqlite3_prepare_v2(src, sql, -1, &rd, NULL) != SQLITE_OK)
		ok = fail(src, err, src_path, "read");
	g_free(sql);
	sql = g_strdup_printf("INSERT INTO %s(%s) VALUES(%s)", table,
			      names->str, marks->str);
	if (ok && sqlite3_prepare_v2(out, sql, -1, &wr, NULL) != SQLITE_OK)
		ok = fail(out, err, "output", "write");
	g_free(sql);
	if (ok)
		sqlite3_bind_int64(rd, 1, from);
	while (ok && (rc = sqlite3_step(rd)) == SQLITE_ROW) {
		for (int i = 0; i < (int)cols->len; i++) {
			if (i == key_col)
				sqlite3_bind_int64(wr, i + 1, to);
			else
				sqlite3_bind_value(wr, i + 1,
						   sqlite3_column_value(rd, i));
		}
		if (sqlite3_step(wr) != SQLITE_DONE)
			ok = fail(out, err, "output", "write");
		sqlite3_reset(wr);
	}
	if (ok && rc != SQLITE_DONE)
		ok = fail(src, err, src_path, "read");
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	g_string_free(names, TRUE);
	g_string_free(marks, TRUE);
	g_string_free(picks, TRUE);
	g_hash_table_unref(src_cols);
	g_ptr_array_unref(cols);
	return ok;
}

/* Open a source read-only and list its finished runs, ascending. */
static sqlite3 *open_source(const char *path, GArray *ids, GError **err)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st;
	int64_t version = -1;

	if (!db_check_name(path, err))
		return NULL;
	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		g_set_error(err, MERGE_ERROR, 0, "%s: no such database", path);
		return NULL;
	}
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL)) {
		fail(h, err, path, "cannot open");
		sqlite3_close(h);
		return NULL;
	}
	if (sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (version != DB_SCHEMA_VERSION) {
		g_set_error(err, MERGE_ERROR, 0, "%s: not an mpsim database "
			    "of schema version %d%s", path, DB_SCHEMA_VERSION,
			    version == 1 ? " (it has version 1: `mpsim report "
			    "DB` upgrades it in place first)" : "");
		sqlite3_close(h);
		return NULL;
	}
	if (!db_check_tables(h, path, err)) {
		sqlite3_close(h);
		return NULL;
	}
	if (sqlite3_prepare_v2(h, "SELECT id FROM run WHERE end_ns IS NOT "
			       "NULL ORDER BY id", -1, &st, NULL) !=
	    SQLITE_OK) {
		fail(h, err, path, "list runs");
		sqlite3_close(h);
		return NULL;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);

		g_array_append_val(ids, id);
	}
	sqlite3_finalize(st);
	return h;
}

bool merge_runs(const char *out, const struct merge_src *src, guint n,
		int64_t *first_id, guint *count, GError **err)
{
	return merge_runs_until(out, src, n, NULL, first_id, count, err);
}

/* Set *err and say false when *stop is set: the merge is rolled back. */
static bool stopped(const volatile sig_atomic_t *stop, const char *out,
		    GError **err)
{
	if (!stop || !*stop)
		return false;
	g_set_error(err, MERGE_ERROR, 0, "%s: interrupted; nothing was "
		    "merged", out);
	return true;
}

bool merge_runs_until(const char *out, const struct merge_src *src, guint n,
		      const volatile sig_atomic_t *stop, int64_t *first_id,
		      guint *count, GError **err)
{
	/* a file this merge creates is removed again if it fails */
	bool existed = g_file_test(out, G_FILE_TEST_EXISTS);
	struct db *db = db_open(out, err);	/* creates the schema */
	sqlite3 *h = NULL;
	int64_t next = 1;
	guint copied = 0;
	bool ok = db != NULL;
	sqlite3_stmt *st;

	db_close(db);
	if (ok && sqlite3_open_v2(out, &h, SQLITE_OPEN_READWRITE, NULL))
		ok = fail(h, err, out, "cannot open");
	if (ok) {
		sqlite3_busy_timeout(h, 10000);
		ok = exec(h, "BEGIN IMMEDIATE", out, err);
	}
	if (ok && sqlite3_prepare_v2(h, "SELECT coalesce(max(id), 0) + 1 "
				     "FROM run", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			next = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	if (first_id)
		*first_id = next;
	for (guint i = 0; ok && i < n; i++) {
		GArray *ids;

		if (stopped(stop, out, err)) {
			ok = false;
			break;
		}
		ids = g_array_new(FALSE, FALSE, sizeof(int64_t));
		sqlite3 *s = open_source(src[i].path, ids, err);
		bool found = !src[i].run_id;

		ok = s != NULL;
		for (guint k = 0; ok && k < ids->len; k++) {
			int64_t id = g_array_index(ids, int64_t, k);

			if (src[i].run_id && id != src[i].run_id)
				continue;
			found = true;
			for (size_t t = 0; ok && t < G_N_ELEMENTS(run_tables);
			     t++)
				ok = copy_table(h, s, src[i].path,
						run_tables[t].table,
						run_tables[t].key, id, next,
						err);
			next++;
			copied++;
		}
		if (ok && !found) {
			g_set_error(err, MERGE_ERROR, 0, "%s: no run %"
				    G_GINT64_FORMAT, src[i].path,
				    src[i].run_id);
			ok = false;
		}
		sqlite3_close(s);
		g_array_unref(ids);
	}
	if (ok && stopped(stop, out, err))
		ok = false;
	if (ok)
		ok = exec(h, "COMMIT", out, err);
	else if (h)
		exec(h, "ROLLBACK", out, NULL);
	sqlite3_close(h);
	if (!ok && !existed) {
		char *journal = g_strconcat(out, "-journal", NULL);

		g_unlink(journal);
		g_unlink(out);
		g_free(journal);
	}
	if (count)
		*count = copied;
	return ok;
}
