/*
 * html.c - one self-contained HTML page of runs (see html.h).
 *
 * The page is built in memory and written once, through src/log/output.h
 * (a temporary file renamed onto DIR/NAME.html).  Under a heading, the
 * scenarios shown with their descriptions and links to the parts; the
 * parts, in order:
 *
 *  - settings: every option of run_option, one column per run shown, the
 *    keys whose values differ between the runs marked;
 *  - figures: the text report's table (table.h), the dispatch order of
 *    the first requests with the divergence marked, the runs by task;
 *  - statistics, when there are replications (experiment.h): per variant
 *    each figure's sample statistics, the paired differences, the
 *    sentences;
 *  - plots: every picture of `mpsim plot` (and of the experiment), drawn
 *    as SVG by plot.c into a temporary folder and inlined.  gnuplot names
 *    its SVG elements alike in every picture (gnuplot_canvas, gpPt0...),
 *    so each picture's ids and references get a prefix of their own.
 *
 * With replications, the per-run tables and plots show each variant's
 * first replication, as `compare --plot` does.  Every text from a
 * scenario or a database goes through html_escape().  No script, no
 * external file: the page reads offline.
 */
#include "config.h"

#include "analysis/html.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include "analysis/experiment.h"
#include "analysis/plot.h"
#include "analysis/stats.h"
#include "analysis/table.h"
#include "log/output.h"

#define HTML_ERROR (g_quark_from_static_string("mpsim-html-error"))

static const char style[] =
	"body{font-family:sans-serif;margin:2em auto;max-width:72em;"
	"padding:0 1em;color:#222}\n"
	"table{border-collapse:collapse;margin:0.5em 0 1.5em}\n"
	"th,td{border:1px solid #ccc;padding:0.2em 0.6em;text-align:right}\n"
	"th:first-child,td:first-child{text-align:left}\n"
	"td{max-width:30em;overflow-wrap:anywhere}\n"
	"thead th{background:#eee}\n"
	"tr.differs td,tr.diverge td{background:#fff3c4}\n"
	"figure{margin:1em 0 2em}\n"
	"figure svg{width:100%;max-width:1000px;height:auto}\n"
	"figcaption{font-weight:bold}\n"
	".note{color:#555}\n";

char *html_escape(const char *s)
{
	char *valid = g_utf8_make_valid(s, -1);
	GString *o = g_string_new(NULL);

	for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		switch (c) {
		case '&': g_string_append(o, "&amp;"); break;
		case '<': g_string_append(o, "&lt;"); break;
		case '>': g_string_append(o, "&gt;"); break;
		case '"': g_string_append(o, "&quot;"); break;
		case '\'': g_string_append(o, "&#39;"); break;
		default:
			if ((c < 0x20 && c != '\t' && c != '\n' &&
			     c != '\r') || c == 0x7f)
				g_string_append(o, "\xef\xbf\xbd");
			else
				g_string_append_len(o, p,
					g_utf8_next_char(p) - p);
		}
	}
	g_free(valid);
	return g_string_free(o, FALSE);
}

/* Append s escaped. */
static void put(GString *page, const char *s)
{
	char *e = html_escape(s);

	g_string_append(page, e);
	g_free(e);
}

/* Append a cell: <td>TEXT</td> (th when head). */
static void cell(GString *page, const char *s, bool head)
{
	g_string_append(page, head ? "<th>" : "<td>");
	put(page, s);
	g_string_append(page, head ? "</th>" : "</td>");
}

char *html_path(const char *dir, const char *source)
{
	char *base = g_path_get_basename(source);
	char *dot = strrchr(base, '.');
	char *file, *path;

	if (dot && (!strcmp(dot, ".db") || !strcmp(dot, ".ini")))
		*dot = '\0';
	if (!*base || !strcmp(base, ".") || !strcmp(base, "..") ||
	    !strcmp(base, G_DIR_SEPARATOR_S)) {
		g_free(base);
		base = g_strdup("report");
	}
	file = g_strconcat(base, ".html", NULL);
	path = g_build_filename(dir, file, NULL);
	g_free(base);
	g_free(file);
	return path;
}

/* "run N" and its label, as a column head. */
static char *run_head(const struct run_stats *st)
{
	char *n = g_strdup_printf("run %" G_GINT64_FORMAT, st->run_id);
	char *h = strcmp(n, st->label) ?
		  g_strdup_printf("%s: %s", n, st->label) : g_strdup(n);

	g_free(n);
	return h;
}

static void table_head(GString *page, const GPtrArray *runs,
		       const char *first)
{
	g_string_append(page, "<table>\n<thead><tr>");
	cell(page, first, true);
	for (guint i = 0; i < runs->len; i++) {
		char *h = run_head(runs->pdata[i]);

		cell(page, h, true);
		g_free(h);
	}
	g_string_append(page, "</tr></thead>\n<tbody>\n");
}

/* A row of one value per run, marked when they differ. */
static void row(GString *page, const char *title, char **values, guint n)
{
	bool differs = false;

	for (guint i = 1; i < n; i++)
		differs |= g_strcmp0(values[i], values[0]) != 0;
	g_string_append(page, differs ? "<tr class=\"differs\">" : "<tr>");
	cell(page, title, false);
	for (guint i = 0; i < n; i++)
		cell(page, values[i] ? values[i] : "-", false);
	g_string_append(page, "</tr>\n");
}

/* ---- settings ---- */

/* The options of a run: key -> value. */
static GHashTable *run_options(struct adb *a, int64_t run_id, GTree *keys,
			       GError **err)
{
	GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					      g_free);
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(adb_handle(a), "SELECT key, value FROM "
			       "run_option WHERE run_id = ?", -1, &st,
			       NULL) != SQLITE_OK) {
		g_set_error(err, HTML_ERROR, 0, "%s: %s", adb_path(a),
			    sqlite3_errmsg(adb_handle(a)));
		g_hash_table_unref(h);
		return NULL;
	}
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		const char *v = (const char *)sqlite3_column_text(st, 1);

		g_hash_table_insert(h, g_strdup(k ? k : ""),
				    g_strdup(v ? v : ""));
		if (!g_tree_lookup(keys, k ? k : ""))
			g_tree_insert(keys, g_strdup(k ? k : ""),
				      GINT_TO_POINTER(1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		g_set_error(err, HTML_ERROR, 0, "%s: %s", adb_path(a),
			    sqlite3_errmsg(adb_handle(a)));
		g_hash_table_unref(h);
		return NULL;
	}
	return h;
}

static gint key_cmp(gconstpointer a, gconstpointer b, gpointer unused)
{
	(void)unused;
	return strcmp(a, b);
}

struct settings {
	GString *all, *differ;	/* rows of every option, of those that
				 * differ */
	GPtrArray *opts;	/* GHashTable* per run */
	guint n, ndiffer;
};

static gboolean settings_row(gpointer key, gpointer value, gpointer arg)
{
	struct settings *s = arg;
	char **v = g_new0(char *, s->opts->len + 1);
	bool differs = false;

	(void)value;
	for (guint i = 0; i < s->opts->len; i++) {
		v[i] = g_hash_table_lookup(s->opts->pdata[i], key);
		differs |= i && g_strcmp0(v[i], v[0]);
	}
	row(s->all, key, v, s->opts->len);
	if (differs)
		row(s->differ, key, v, s->opts->len);
	s->n++;
	s->ndiffer += differs;
	g_free(v);
	return FALSE;
}

static bool put_settings(GString *page, struct adb *a, const GPtrArray *runs,
			 GError **err)
{
	GTree *keys = g_tree_new_full(key_cmp, NULL, g_free, NULL);
	struct settings s = {
		g_string_new(NULL), g_string_new(NULL),
		g_ptr_array_new_with_free_func(
			(GDestroyNotify)g_hash_table_unref), 0, 0,
	};
	bool ok = true;

	for (guint i = 0; ok && i < runs->len; i++) {
		const struct run_stats *st = runs->pdata[i];
		GHashTable *h = run_options(a, st->run_id, keys, err);

		ok = h != NULL;
		if (ok)
			g_ptr_array_add(s.opts, h);
	}
	if (ok) {
		g_tree_foreach(keys, settings_row, &s);
		g_string_append_printf(page, "<h2 id=\"settings\">Settings"
			"</h2>\n<p class=\"note\">The options of each run (the "
			"scenario's and the defaults, with --set and --vary "
			"applied): %u, of which %u differ between the runs "
			"(highlighted).</p>\n", s.n, s.ndiffer);
		if (s.ndiffer) {
			table_head(page, runs, "option that differs");
			g_string_append_printf(page, "%s</tbody></table>\n",
					       s.differ->str);
		}
		g_string_append_printf(page, "<details>\n<summary>every "
				       "option (%u)</summary>\n", s.n);
		table_head(page, runs, "option");
		g_string_append_printf(page, "%s</tbody></table>\n"
				       "</details>\n", s.all->str);
	}
	g_string_free(s.all, TRUE);
	g_string_free(s.differ, TRUE);
	g_ptr_array_unref(s.opts);
	g_tree_destroy(keys);
	return ok;
}

/* ---- figures ---- */

static void collect(const char *key, bool is_int, int64_t i, double d,
		    void *arg)
{
	GPtrArray *v = arg;

	(void)key;
	g_ptr_array_add(v, is_int ? g_strdup_printf("%" G_GINT64_FORMAT, i) :
			g_strdup_printf("%.3f", d));
}

static void collect_key(const char *key, bool is_int, int64_t i, double d,
			void *arg)
{
	(void)is_int;
	(void)i;
	(void)d;
	g_ptr_array_add(arg, (gpointer)key);
}

static char *order_cell(const struct run_stats *st, guint k)
{
	int64_t first;

	if (k >= st->order->len)
		return g_strdup("-");
	first = g_array_index(st->order, int64_t, k);
	if (first == STATS_ORDER_FLUSH)
		return g_strdup("flush");
	return g_strdup_printf("%" G_GINT64_FORMAT, first);
}

static void put_figures(GString *page, const GPtrArray *runs)
{
	GPtrArray *keys = g_ptr_array_new();
	GPtrArray *vals = g_ptr_array_new_with_free_func(
		(GDestroyNotify)g_ptr_array_unref);
	long div = table_divergence(runs);
	guint rows = 0;
	char **v = g_new0(char *, runs->len + 1);

	g_string_append(page, "<h2 id=\"figures\">Figures</h2>\n");
	table_head(page, runs, "figure");
	if (runs->len)
		table_figures_foreach(runs->pdata[0], collect_key, keys);
	for (guint i = 0; i < runs->len; i++) {
		GPtrArray *r = g_ptr_array_new_with_free_func(g_free);

		table_figures_foreach(runs->pdata[i], collect, r);
		g_ptr_array_add(vals, r);
		rows = MAX(rows, MIN(((const struct run_stats *)
				      runs->pdata[i])->order->len,
				     TABLE_ORDER_LEN));
	}
	for (guint f = 0; f < keys->len; f++) {
		for (guint i = 0; i < runs->len; i++)
			v[i] = ((GPtrArray *)vals->pdata[i])->pdata[f];
		row(page, table_figure_title(keys->pdata[f]), v, runs->len);
	}
	g_string_append(page, "</tbody></table>\n"
			"<h3>Dispatch order, first sector</h3>\n");
	table_head(page, runs, "request");
	for (guint k = 0; k < rows; k++) {
		char *n = g_strdup_printf("request %u%s", k + 1,
					  (long)k == div ?
					  " (the runs diverge here)" : "");

		g_string_append(page, (long)k == div ?
				"<tr class=\"diverge\">" : "<tr>");
		cell(page, n, false);
		for (guint i = 0; i < runs->len; i++) {
			char *c = order_cell(runs->pdata[i], k);

			cell(page, c, false);
			g_free(c);
		}
		g_string_append(page, "</tr>\n");
		g_free(n);
	}
	g_string_append(page, "</tbody></table>\n");
	if (runs->len > 1 && div < 0)
		g_string_append(page, "<p>The same dispatch order in every "
				"run.</p>\n");
	else if (div >= (long)rows)
		g_string_append_printf(page, "<p>The runs diverge at request "
				       "%ld.</p>\n", div + 1);
	g_string_append(page, "<h3>Dispatch order by task: requests of one "
			"task in a row</h3>\n<ul>\n");
	for (guint i = 0; i < runs->len; i++) {
		const struct run_stats *st = runs->pdata[i];
		char *h = run_head(st);

		g_string_append(page, "<li>");
		put(page, h);
		g_string_append(page, ": ");
		put(page, st->task_runs && *st->task_runs ? st->task_runs :
		    "-");
		g_string_append(page, "</li>\n");
		g_free(h);
	}
	g_string_append(page, "</ul>\n");
	g_free(v);
	g_ptr_array_unref(vals);
	g_ptr_array_unref(keys);
}

/* ---- statistics ---- */

static const char *variant_name(const struct exp_variant *v)
{
	return *v->label ? v->label : v->scenario;
}

static void put_number(GString *page, double x)
{
	g_string_append_printf(page, "<td>%.3f</td>", x);
}

static void put_statistics(GString *page, const struct experiment *e)
{
	g_string_append(page, "<h2 id=\"statistics\">Statistics</h2>\n");
	if (e->seed_lo >= 0)
		g_string_append_printf(page, "<p>Seeds %" G_GINT64_FORMAT
				       " to %" G_GINT64_FORMAT "; 95%% CI: "
				       "Student's t interval of the mean."
				       "</p>\n", e->seed_lo, e->seed_hi);
	for (guint i = 0; i < e->variants->len; i++) {
		const struct exp_variant *v = e->variants->pdata[i];

		g_string_append(page, "<h3>");
		put(page, variant_name(v));
		g_string_append_printf(page, " (%u runs)</h3>\n<table>\n"
			"<thead><tr><th>figure</th><th>mean</th><th>sd</th>"
			"<th>min</th><th>median</th><th>max</th><th>n</th>"
			"<th>95%% CI of the mean</th></tr></thead>\n<tbody>\n",
			v->runs->len);
		for (int f = 0; f < EXP_NR_FIGURES; f++) {
			const struct summary *s = &v->fig[f];

			g_string_append(page, "<tr>");
			cell(page, exp_figure_title(f), false);
			put_number(page, s->mean);
			put_number(page, s->sd);
			put_number(page, s->min);
			put_number(page, s->median);
			put_number(page, s->max);
			g_string_append_printf(page, "<td>%zu</td><td>%.3f to "
					       "%.3f</td></tr>\n", s->n,
					       s->ci_lo, s->ci_hi);
		}
		g_string_append(page, "</tbody></table>\n");
	}
	if (e->variants->len < 2)
		return;
	g_string_append(page, "<h3>Paired differences of elapsed time "
			"against ");
	put(page, variant_name(e->variants->pdata[0]));
	g_string_append(page, " (same seeds; ms)</h3>\n<table>\n<thead><tr>"
			"<th>variant</th><th>mean</th><th>sd</th><th>n</th>"
			"<th>95% CI</th><th>slower</th></tr></thead>\n"
			"<tbody>\n");
	for (guint i = 1; i < e->variants->len; i++) {
		const struct exp_variant *v = e->variants->pdata[i];
		const struct summary *d = &v->diff;

		g_string_append(page, "<tr>");
		cell(page, variant_name(v), false);
		put_number(page, d->mean);
		put_number(page, d->sd);
		g_string_append_printf(page, "<td>%zu</td><td>%.3f to %.3f"
				       "</td><td>%zu of %zu</td></tr>\n",
				       d->n, d->ci_lo, d->ci_hi, v->slower,
				       d->n);
	}
	g_string_append(page, "</tbody></table>\n");
	for (guint i = 1; i < e->variants->len; i++) {
		char *s = experiment_sentence(e, i);

		g_string_append(page, "<p>");
		put(page, s);
		g_string_append(page, "</p>\n");
		g_free(s);
	}
}

/* ---- plots ---- */

/*
 * An SVG file gnuplot wrote, from its <svg> element on (no XML prolog),
 * made valid UTF-8, every id="X" in a tag renamed PREFIX-X and every
 * reference to one (href="#X", url(#X)) with it.
 */
static void put_svg(GString *page, const char *svg, const char *prefix)
{
	static const char *const refs[] = {
		"id=\"", "id='", "href=\"#", "href='#", "url(#",
	};
	const char *start = strstr(svg, "<svg");
	char *valid;
	bool in_tag = false;

	if (!start)
		return;
	valid = g_utf8_make_valid(start, -1);
	for (const char *p = valid; *p; p++) {
		size_t r = G_N_ELEMENTS(refs);

		if (*p == '<')
			in_tag = true;
		else if (*p == '>')
			in_tag = false;
		/* an attribute id starts a word: not the end of "grid=" */
		for (size_t k = 0; in_tag && k < G_N_ELEMENTS(refs); k++)
			if (!strncmp(p, refs[k], strlen(refs[k])) &&
			    (refs[k][0] != 'i' || g_ascii_isspace(p[-1]))) {
				r = k;
				break;
			}
		if (r < G_N_ELEMENTS(refs)) {
			g_string_append_printf(page, "%s%s-", refs[r], prefix);
			p += strlen(refs[r]) - 1;
		} else {
			g_string_append_c(page, *p);
		}
	}
	g_free(valid);
}

/* Inline each picture of a list that was drawn into dir. */
static void put_pictures(GString *page, const char *dir,
			 const char *const *names, guint *count)
{
	for (const char *const *n = names; *n; n++) {
		char *file = g_strdup_printf("%s.svg", *n);
		char *path = g_build_filename(dir, file, NULL);
		char *svg = NULL;

		if (g_file_get_contents(path, &svg, NULL, NULL)) {
			char *prefix = g_strdup_printf("f%u", ++*count);

			g_string_append_printf(page, "<figure id=\"%s\">\n"
					       "<figcaption>%s</figcaption>\n",
					       *n, *n);
			put_svg(page, svg, prefix);
			g_string_append(page, "\n</figure>\n");
			g_free(prefix);
			g_free(svg);
		}
		g_free(path);
		g_free(file);
	}
}

/*
 * The plots, drawn into a staging folder (plot.h) of a temporary folder:
 * ending the stage without publishing removes every file, and a signal
 * meanwhile removes them too.
 */
static bool put_plots(GString *page, struct adb *a, const GPtrArray *runs,
		      const struct experiment *e,
		      const struct plot_options *o, GError **err)
{
	struct plot_options po = {
		.formats = PLOT_SVG,
		.axis_block = o && o->axis_block,
		.notes = g_ptr_array_new_with_free_func(g_free),
	};
	char *tmp = g_dir_make_tmp("mpsim-html-XXXXXX", err);
	struct plot_stage *st = tmp ? plot_stage_begin(tmp, err) : NULL;
	const char *dir = st ? plot_stage_dir(st) : NULL;
	guint count = 0;
	bool ok = dir != NULL;

	if (ok)
		ok = plot_write(a, runs, dir, &po, err) &&
		     (!e || plot_experiment_write(e, dir, &po, err));
	if (ok) {
		g_string_append(page, "<h2 id=\"plots\">Plots</h2>\n");
		for (guint i = 0; i < po.notes->len; i++) {
			g_string_append(page, "<p class=\"note\">");
			put(page, po.notes->pdata[i]);
			g_string_append(page, "</p>\n");
		}
		put_pictures(page, dir, plot_names, &count);
		if (e)
			put_pictures(page, dir, plot_experiment_names, &count);
	}
	/* not published: every file goes with the staging folder */
	if (st)
		plot_stage_end(st, false, NULL);
	if (ok && out_signal()) {
		g_set_error(err, OUT_ERROR, OUT_ERROR_WRITE, "interrupted; "
			    "nothing was written");
		ok = false;
	}
	if (tmp)
		g_rmdir(tmp);
	g_free(tmp);
	g_ptr_array_unref(po.notes);
	return ok;
}

/* ---- the page ---- */

/* Each scenario shown (first seen first), with its description. */
static void put_scenarios(GString *page, struct adb *a, const GPtrArray *runs)
{
	GPtrArray *seen = g_ptr_array_new();
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(adb_handle(a), "SELECT description FROM run "
			       "WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		st = NULL;
	for (guint i = 0; i < runs->len; i++) {
		const struct run_stats *r = runs->pdata[i];
		const char *desc = NULL;
		bool dup = false;

		for (guint k = 0; k < seen->len; k++)
			dup |= !g_strcmp0(seen->pdata[k], r->scenario);
		if (dup || !r->scenario)
			continue;
		g_ptr_array_add(seen, r->scenario);
		if (st) {
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, r->run_id);
			if (sqlite3_step(st) == SQLITE_ROW)
				desc = (const char *)sqlite3_column_text(st,
									 0);
		}
		g_string_append(page, "<p>Scenario <code>");
		put(page, r->scenario);
		g_string_append(page, "</code>");
		if (desc && *desc) {
			g_string_append(page, ": ");
			put(page, desc);
		}
		g_string_append(page, "</p>\n");
	}
	sqlite3_finalize(st);
	g_ptr_array_unref(seen);
}

bool html_check(const char *path, struct out_inputs *inputs, GError **err)
{
	char *dir = g_path_get_dirname(path);
	bool ok = !g_file_test(dir, G_FILE_TEST_EXISTS) ||
		  g_file_test(dir, G_FILE_TEST_IS_DIR);

	if (!ok)
		g_set_error(err, OUT_ERROR, OUT_ERROR_REFUSED, "%s: not a "
			    "folder; refused, nothing was written", dir);
	g_free(dir);
	return ok && out_check(inputs, path, "the page", err);
}

bool html_write(struct adb *a, const GPtrArray *stats, const char *path,
		const char *name, const struct plot_options *o,
		struct out_inputs *inputs, GError **err)
{
	struct experiment *e = experiment_new(stats);
	GPtrArray *runs = g_ptr_array_new();
	GString *page = g_string_new(NULL);
	char *dir = g_path_get_dirname(path);
	bool ok = true;

	if (!inputs) {
		struct out_inputs *own = out_inputs_new();

		out_inputs_add_db(own, adb_path(a), "the database");
		ok = html_check(path, own, err);
		out_inputs_free(own);
	}
	for (guint i = 0; i < stats->len; i++) {
		struct run_stats *st = stats->pdata[i];

		if (!e || st->replication == 0)
			g_ptr_array_add(runs, st);
	}
	g_string_append(page, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
			"<meta charset=\"utf-8\">\n<title>mpsim: ");
	put(page, name);
	g_string_append_printf(page, "</title>\n<style>\n%s</style>\n</head>\n"
			       "<body>\n<h1>", style);
	put(page, name);
	g_string_append_printf(page, "</h1>\n<p class=\"note\">%u run%s, "
			       "from mpsim %s.%s</p>\n", stats->len,
			       stats->len == 1 ? "" : "s", PACKAGE_VERSION,
			       e ? " With replications, the tables of runs "
			       "and the plots show each variant's first "
			       "replication." : "");
	put_scenarios(page, a, runs);
	g_string_append_printf(page, "<nav><a href=\"#settings\">Settings</a>"
			       " &middot; <a href=\"#figures\">Figures</a>%s"
			       " &middot; <a href=\"#plots\">Plots</a></nav>\n",
			       e ? " &middot; <a href=\"#statistics\">"
			       "Statistics</a>" : "");
	ok = ok && put_settings(page, a, runs, err);
	if (ok)
		put_figures(page, runs);
	if (ok && e)
		put_statistics(page, e);
	ok = ok && put_plots(page, a, runs, e, o, err);
	g_string_append(page, "</body>\n</html>\n");
	if (ok && g_mkdir_with_parents(dir, 0777)) {
		g_set_error(err, HTML_ERROR, 0, "%s: %s", dir,
			    g_strerror(errno));
		ok = false;
	}
	ok = ok && out_write_contents(path, page->str, page->len, err);
	g_string_free(page, TRUE);
	g_ptr_array_unref(runs);
	experiment_free(e);
	g_free(dir);
	return ok;
}
