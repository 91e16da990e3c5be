/*
 * json.c - the figures of runs as JSON (see json.h).
 *
 * The document is built as a json-glib tree and printed by its
 * generator, so that it is well-formed whatever the names hold; every
 * string goes through g_utf8_make_valid() first.  Per-run details that
 * the tables do not show (options, tasks, directions, the latency
 * histogram) are read here from the database.
 */
#include "config.h"

#include "analysis/json.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>
#include "analysis/experiment.h"
#include "analysis/stats.h"
#include "analysis/table.h"

#define JSON_ERROR (g_quark_from_static_string("mpsim-json-error"))

/* A member name, made valid UTF-8. */
static void add_member_name(JsonBuilder *b, const char *key)
{
	char *k = g_utf8_make_valid(key ? key : "", -1);

	json_builder_set_member_name(b, k);
	g_free(k);
}

/* A string member, made valid UTF-8. */
static void add_string(JsonBuilder *b, const char *key, const char *s)
{
	char *v = g_utf8_make_valid(s ? s : "", -1);

	add_member_name(b, key);
	json_builder_add_string_value(b, v);
	g_free(v);
}

static void add_int(JsonBuilder *b, const char *key, int64_t v)
{
	json_builder_set_member_name(b, key);
	json_builder_add_int_value(b, v);
}

static void add_double(JsonBuilder *b, const char *key, double v)
{
	json_builder_set_member_name(b, key);
	json_builder_add_double_value(b, isfinite(v) ? v : 0);
}

/* ---- one run ---- */

static void add_figure(const char *key, bool is_int, int64_t i, double d,
		       void *arg)
{
	if (is_int)
		add_int(arg, key, i);
	else
		add_double(arg, key, d);
}

/*
 * "params": every option; "variant": the options the variant label
 * names (label tokens KEY=..., values from the options).
 */
static bool add_options(JsonBuilder *b, struct adb *a,
			const struct run_stats *st, GError **err)
{
	sqlite3 *h = adb_handle(a);
	sqlite3_stmt *q;
	GHashTable *opts = g_hash_table_new_full(g_str_hash, g_str_equal,
						 g_free, g_free);
	char **tokens = g_strsplit(st->variant ? st->variant : "", " ", -1);
	int rc;

	if (sqlite3_prepare_v2(h, "SELECT key, value FROM run_option "
			       "WHERE run_id = ? ORDER BY key", -1, &q,
			       NULL) != SQLITE_OK) {
		g_set_error(err, JSON_ERROR, 0, "%s: %s", adb_path(a),
			    sqlite3_errmsg(h));
		g_hash_table_unref(opts);
		g_strfreev(tokens);
		return false;
	}
	sqlite3_bind_int64(q, 1, st->run_id);
	json_builder_set_member_name(b, "params");
	json_builder_begin_object(b);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(q, 0);
		const char *v = (const char *)sqlite3_column_text(q, 1);

		add_string(b, k, v);
		g_hash_table_insert(opts, g_strdup(k ? k : ""),
				    g_strdup(v ? v : ""));
	}
	json_builder_end_object(b);
	sqlite3_finalize(q);
	json_builder_set_member_name(b, "variant");
	json_builder_begin_object(b);
	for (char **t = tokens; *t; t++) {
		char *eq = strchr(*t, '=');
		const char *v;

		if (!eq)
			continue;
		*eq = '\0';
		v = g_hash_table_lookup(opts, *t);
		if (v)
			add_string(b, *t, v);
	}
	json_builder_end_object(b);
	g_hash_table_unref(opts);
	g_strfreev(tokens);
	return rc == SQLITE_DONE;
}

static bool add_tasks(JsonBuilder *b, struct adb *a, int64_t run_id)
{
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(adb_handle(a), "SELECT id, name, file, "
			       "start_ns, end_ns, coalesce(elapsed_ns, "
			       "end_ns - start_ns) FROM task WHERE run_id = ? "
			       "ORDER BY id", -1, &q, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_int64(q, 1, run_id);
	json_builder_set_member_name(b, "tasks");
	json_builder_begin_array(b);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		json_builder_begin_object(b);
		add_int(b, "id", sqlite3_column_int64(q, 0));
		add_string(b, "name", (const char *)sqlite3_column_text(q, 1));
		if (sqlite3_column_type(q, 2) == SQLITE_NULL) {
			json_builder_set_member_name(b, "file");
			json_builder_add_null_value(b);
		} else {
			add_string(b, "file",
				   (const char *)sqlite3_column_text(q, 2));
		}
		add_int(b, "start_ns", sqlite3_column_int64(q, 3));
		add_int(b, "end_ns", sqlite3_column_int64(q, 4));
		add_int(b, "elapsed_ns", sqlite3_column_int64(q, 5));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE;
}

/* Requests of one direction ('R' reads, 'W' writes; flushes neither). */
static void add_direction(JsonBuilder *b, const char *name, char op,
			  const struct rq_row *rq, size_t n)
{
	int64_t count = 0, bytes = 0, lat = 0;

	for (size_t i = 0; i < n; i++) {
		if (rq[i].op[0] != op)
			continue;
		count++;
		bytes += rq[i].sectors * 512;
		lat += rq[i].complete_ns - rq[i].queue_ns;
	}
	json_builder_set_member_name(b, name);
	json_builder_begin_object(b);
	add_int(b, "requests", count);
	add_int(b, "bytes", bytes);
	add_double(b, "latency_mean_ns", count ? (double)lat / count : 0);
	json_builder_end_object(b);
}

/*
 * Latency histogram: powers of two of ns, bucket k holding latencies in
 * [2^k, 2^(k+1)) (bucket 0 also 0); only buckets that hold requests.
 */
static void add_histogram(JsonBuilder *b, const struct rq_row *rq, size_t n)
{
	int64_t count[64] = { 0 };

	for (size_t i = 0; i < n; i++) {
		int64_t l = rq[i].complete_ns - rq[i].queue_ns;
		int k = 0;

		while (k < 62 && l >= ((int64_t)2 << k))
			k++;
		count[k]++;
	}
	json_builder_set_member_name(b, "latency_histogram");
	json_builder_begin_array(b);
	for (int k = 0; k < 63; k++) {
		if (!count[k])
			continue;
		json_builder_begin_object(b);
		add_int(b, "lo_ns", k ? (int64_t)1 << k : 0);
		add_int(b, "hi_ns", (int64_t)2 << k);
		add_int(b, "count", count[k]);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
}

static bool add_run(JsonBuilder *b, struct adb *a, const struct run_stats *st,
		    GError **err)
{
	GArray *rq;
	bool ok;

	json_builder_begin_object(b);
	add_int(b, "id", st->run_id);
	add_string(b, "scenario", st->scenario);
	json_builder_set_member_name(b, "seed");
	if (st->seed >= 0)
		json_builder_add_int_value(b, st->seed);
	else
		json_builder_add_null_value(b);
	add_int(b, "replication", st->replication);
	add_string(b, "label", st->label);
	ok = add_options(b, a, st, err);
	json_builder_set_member_name(b, "figures");
	json_builder_begin_object(b);
	table_figures_foreach(st, add_figure, b);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "order");
	json_builder_begin_array(b);
	for (guint k = 0; k < st->order->len; k++) {
		int64_t first = g_array_index(st->order, int64_t, k);

		if (first == STATS_ORDER_FLUSH)
			json_builder_add_string_value(b, "flush");
		else
			json_builder_add_int_value(b, first);
	}
	json_builder_end_array(b);
	if (ok && !add_tasks(b, a, st->run_id)) {
		g_set_error(err, JSON_ERROR, 0, "%s: %s", adb_path(a),
			    sqlite3_errmsg(adb_handle(a)));
		ok = false;
	}
	rq = ok ? adb_requests(a, st->run_id, err) : NULL;
	if (rq) {
		const struct rq_row *r = (const struct rq_row *)(void *)
					 rq->data;

		json_builder_set_member_name(b, "directions");
		json_builder_begin_object(b);
		add_direction(b, "read", 'R', r, rq->len);
		add_direction(b, "write", 'W', r, rq->len);
		json_builder_end_object(b);
		add_histogram(b, r, rq->len);
		g_array_unref(rq);
	}
	json_builder_end_object(b);
	return rq != NULL;
}

/* ---- statistics ---- */

static void add_summary(JsonBuilder *b, const char *key,
			const struct summary *s)
{
	json_builder_set_member_name(b, key);
	json_builder_begin_object(b);
	add_int(b, "n", (int64_t)s->n);
	add_double(b, "mean", s->mean);
	add_double(b, "sd", s->sd);
	add_double(b, "min", s->min);
	add_double(b, "median", s->median);
	add_double(b, "max", s->max);
	add_double(b, "ci95_low", s->ci_lo);
	add_double(b, "ci95_high", s->ci_hi);
	json_builder_end_object(b);
}

static void add_statistics(JsonBuilder *b, const struct experiment *e)
{
	json_builder_set_member_name(b, "statistics");
	json_builder_begin_object(b);
	add_string(b, "interval", "95% Student's t interval of the mean");
	json_builder_set_member_name(b, "variants");
	json_builder_begin_array(b);
	for (guint i = 0; i < e->variants->len; i++) {
		const struct exp_variant *v = e->variants->pdata[i];

		json_builder_begin_object(b);
		add_string(b, "scenario", v->scenario);
		add_string(b, "variant", v->label);
		add_int(b, "runs", v->runs->len);
		json_builder_set_member_name(b, "figures");
		json_builder_begin_object(b);
		for (int f = 0; f < EXP_NR_FIGURES; f++)
			add_summary(b, exp_figure_key(f), &v->fig[f]);
		json_builder_end_object(b);
		if (i && v->has_diff) {
			char *s = experiment_sentence(e, i);

			json_builder_set_member_name(b, "paired_difference");
			json_builder_begin_object(b);
			add_string(b, "against", ((struct exp_variant *)
				   e->variants->pdata[0])->label);
			add_string(b, "figure",
				   exp_figure_key(EXP_ELAPSED_MS));
			add_summary(b, "difference", &v->diff);
			add_int(b, "slower", (int64_t)v->slower);
			add_string(b, "sentence", s);
			json_builder_end_object(b);
			g_free(s);
		}
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
}

bool json_report(FILE *out, struct adb *a, const GPtrArray *stats,
		 const struct experiment *e, GError **err)
{
	JsonBuilder *b = json_builder_new();
	JsonGenerator *gen;
	JsonNode *root;
	char *text;
	bool ok = true;

	json_builder_begin_object(b);
	add_string(b, "mpsim_version", PACKAGE_VERSION);
	json_builder_set_member_name(b, "runs");
	json_builder_begin_array(b);
	for (guint i = 0; ok && i < stats->len; i++)
		ok = add_run(b, a, stats->pdata[i], err);
	json_builder_end_array(b);
	if (ok && e)
		add_statistics(b, e);
	json_builder_end_object(b);
	if (!ok) {
		g_object_unref(b);
		return false;
	}
	root = json_builder_get_root(b);
	gen = json_generator_new();
	json_generator_set_pretty(gen, TRUE);
	json_generator_set_indent(gen, 1);
	json_generator_set_root(gen, root);
	text = json_generator_to_data(gen, NULL);
	fputs(text, out);
	fputc('\n', out);
	g_free(text);
	json_node_unref(root);
	g_object_unref(gen);
	g_object_unref(b);
	return true;
}
