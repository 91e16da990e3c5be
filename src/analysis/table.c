/*
 * table.c - printing run figures (see table.h).
 *
 * The text table has one row per figure and one column per run, so that
 * the runs compare across a line; the dispatch order follows, one row per
 * request, with the first row where the runs differ marked.  Fractions
 * are printed with fixed decimals so that the output is the same on every
 * host.
 */
#include "analysis/table.h"

#include <stddef.h>
#include <string.h>
#include "analysis/stats.h"

bool table_parse_format(const char *s, enum table_format *f)
{
	if (!strcmp(s, "text"))
		*f = TABLE_TEXT;
	else if (!strcmp(s, "csv"))
		*f = TABLE_CSV;
	else if (!strcmp(s, "json"))
		*f = TABLE_JSON;
	else
		return false;
	return true;
}

long table_divergence(const GPtrArray *stats)
{
	guint longest = 0;

	if (stats->len < 2)
		return -1;
	for (guint i = 0; i < stats->len; i++) {
		const struct run_stats *st = stats->pdata[i];

		longest = MAX(longest, st->order->len);
	}
	for (guint k = 0; k < longest; k++) {
		const struct run_stats *first = stats->pdata[0];

		for (guint i = 0; i < stats->len; i++) {
			const struct run_stats *st = stats->pdata[i];

			if (k >= first->order->len || k >= st->order->len ||
			    g_array_index(st->order, int64_t, k) !=
			    g_array_index(first->order, int64_t, k))
				return (long)k;
		}
	}
	return -1;
}

/* The figures, in the order shown: name, unit, and how to format them. */
enum fig_kind { FIG_INT, FIG_DBL };

static const struct figure {
	const char *key;	/* CSV and JSON name */
	const char *title;	/* text table */
	enum fig_kind kind;
	size_t off;
} figures[] = {
#define I(k, t) { #k, t, FIG_INT, offsetof(struct run_stats, k) }
#define D(k, t) { #k, t, FIG_DBL, offsetof(struct run_stats, k) }
	I(requests, "requests"),
	I(bios, "bios"),
	I(merges, "merges (bios - requests)"),
	I(fallbacks, "fallbacks"),
	I(meta_reads, "metadata reads"),
	I(seeks, "seeks"),
	I(back_seeks, "backward seeks"),
	I(seek_distance, "seek distance (sectors)"),
	D(mean_seek_distance, "mean seek distance (sectors)"),
	I(seek_cylinders, "seek cylinders"),
	I(elapsed_ns, "elapsed (ns)"),
	I(bytes, "bytes transferred"),
	D(mb_per_s, "throughput (MB/s)"),
	D(lat_mean_ns, "latency mean (ns)"),
	I(lat_p50_ns, "latency p50 (ns)"),
	I(lat_p99_ns, "latency p99 (ns)"),
	I(task_switches, "task switches (dispatch order)"),
	I(cfq_slices, "cfq slices (set_active)"),
	I(cfq_expiries, "cfq slice expiries"),
	I(cfq_idles, "cfq idle timer armed"),
	I(cfq_idle_fired, "cfq idle timer fired"),
	I(cfq_preempts, "cfq preemptions"),
	I(cfq_workloads, "cfq workload slices"),
#undef I
#undef D
};
#define NFIG (sizeof(figures) / sizeof(figures[0]))

static char *fig_value(const struct run_stats *st, const struct figure *f)
{
	const char *p = (const char *)st + f->off;

	if (f->kind == FIG_INT)
		return g_strdup_printf("%" G_GINT64_FORMAT,
				       *(const int64_t *)(const void *)p);
	return g_strdup_printf("%.3f", *(const double *)(const void *)p);
}

void table_figures_foreach(const struct run_stats *st, table_figure_fn fn,
			   void *arg)
{
	for (size_t f = 0; f < NFIG; f++) {
		const char *p = (const char *)st + figures[f].off;

		if (figures[f].kind == FIG_INT)
			fn(figures[f].key, true,
			   *(const int64_t *)(const void *)p, 0, arg);
		else
			fn(figures[f].key, false, 0,
			   *(const double *)(const void *)p, arg);
	}
}

const char *table_figure_title(const char *key)
{
	for (size_t f = 0; f < NFIG; f++)
		if (!strcmp(figures[f].key, key))
			return figures[f].title;
	return key;
}

static void print_text(FILE *out, const GPtrArray *stats)
{
	size_t w0 = strlen("dispatch order, first sector"), *w;
	long div = table_divergence(stats);
	guint rows = 0;

	for (size_t f = 0; f < NFIG; f++)
		w0 = MAX(w0, strlen(figures[f].title));
	w = g_new0(size_t, stats->len);
	for (guint i = 0; i < stats->len; i++) {
		const struct run_stats *st = stats->pdata[i];

		w[i] = MAX(strlen(st->label), 10);
		rows = MAX(rows, MIN(st->order->len, TABLE_ORDER_LEN));
	}
	fprintf(out, "%-*s", (int)w0, "run");
	for (guint i = 0; i < stats->len; i++)
		fprintf(out, "  %*" G_GINT64_FORMAT, (int)w[i],
			((struct run_stats *)stats->pdata[i])->run_id);
	fprintf(out, "\n%-*s", (int)w0, "variant");
	for (guint i = 0; i < stats->len; i++)
		fprintf(out, "  %*s", (int)w[i],
			((struct run_stats *)stats->pdata[i])->label);
	fputc('\n', out);
	for (size_t f = 0; f < NFIG; f++) {
		fprintf(out, "%-*s", (int)w0, figures[f].title);
		for (guint i = 0; i < stats->len; i++) {
			char *v = fig_value(stats->pdata[i], &figures[f]);

			fprintf(out, "  %*s", (int)w[i], v);
			g_free(v);
		}
		fputc('\n', out);
	}
	fprintf(out, "\n%-*s\n", (int)w0, "dispatch order, first sector");
	for (guint k = 0; k < rows; k++) {
		char *n = g_strdup_printf("  request %u", k + 1);

		fprintf(out, "%-*s", (int)w0, n);
		g_free(n);
		for (guint i = 0; i < stats->len; i++) {
			const struct run_stats *st = stats->pdata[i];

			if (k < st->order->len &&
			    g_array_index(st->order, int64_t, k) ==
			    STATS_ORDER_FLUSH)
				fprintf(out, "  %*s", (int)w[i], "flush");
			else if (k < st->order->len)
				fprintf(out, "  %*" G_GINT64_FORMAT, (int)w[i],
					g_array_index(st->order, int64_t, k));
			else
				fprintf(out, "  %*s", (int)w[i], "-");
		}
		fputs((long)k == div ? "  <- the runs diverge here\n" : "\n",
		      out);
	}
	if (stats->len > 1 && div < 0)
		fputs("  (the same dispatch order in every run)\n", out);
	else if (div >= (long)rows)
		fprintf(out, "  (the runs diverge at request %ld)\n", div + 1);
	fputs("\ndispatch order by task: requests of one task in a row\n", out);
	for (guint i = 0; i < stats->len; i++) {
		const struct run_stats *st = stats->pdata[i];

		fprintf(out, "  run %" G_GINT64_FORMAT ": %s\n", st->run_id,
			st->task_runs && *st->task_runs ? st->task_runs : "-");
	}
	g_free(w);
}

void table_csv_field(FILE *out, const char *s)
{
	/* a text a spreadsheet would take for a formula stays a text */
	bool formula = *s && strchr("=+-@\t\r", *s);

	if (!formula && !strpbrk(s, ",\"\n\r")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	if (formula)
		fputc('\'', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(out, "\\u%04x", *s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

static void print_order(FILE *out, const struct run_stats *st,
			const char *sep)
{
	guint n = MIN(st->order->len, TABLE_ORDER_LEN);

	for (guint k = 0; k < n; k++) {
		int64_t first = g_array_index(st->order, int64_t, k);

		if (first == STATS_ORDER_FLUSH)
			fprintf(out, "%sflush", k ? sep : "");
		else
			fprintf(out, "%s%" G_GINT64_FORMAT, k ? sep : "",
				first);
	}
}

static void print_csv(FILE *out, const GPtrArray *stats)
{
	fputs("run_id,scenario,label", out);
	for (size_t f = 0; f < NFIG; f++)
		fprintf(out, ",%s", figures[f].key);
	fputs(",order\n", out);
	for (guint i = 0; i < stats->len; i++) {
		const struct run_stats *st = stats->pdata[i];

		fprintf(out, "%" G_GINT64_FORMAT ",", st->run_id);
		table_csv_field(out, st->scenario ? st->scenario : "");
		fputc(',', out);
		table_csv_field(out, st->label);
		for (size_t f = 0; f < NFIG; f++) {
			char *v = fig_value(st, &figures[f]);

			fprintf(out, ",%s", v);
			g_free(v);
		}
		fputc(',', out);
		print_order(out, st, " ");
		fputc('\n', out);
	}
}

static void print_json(FILE *out, const GPtrArray *stats)
{
	long div = table_divergence(stats);

	fputs("{\n  \"runs\": [\n", out);
	for (guint i = 0; i < stats->len; i++) {
		const struct run_stats *st = stats->pdata[i];

		fprintf(out, "    {\"run_id\": %" G_GINT64_FORMAT
			", \"scenario\": ", st->run_id);
		json_string(out, st->scenario ? st->scenario : "");
		fputs(", \"label\": ", out);
		json_string(out, st->label);
		for (size_t f = 0; f < NFIG; f++) {
			char *v = fig_value(st, &figures[f]);

			fprintf(out, ", \"%s\": %s", figures[f].key, v);
			g_free(v);
		}
		fputs(", \"order\": [", out);
		print_order(out, st, ", ");
		fprintf(out, "]}%s\n", i + 1 < stats->len ? "," : "");
	}
	fputs("  ],\n  \"diverge_at\": ", out);
	if (div < 0)
		fputs("null", out);
	else
		fprintf(out, "%ld", div + 1);
	fputs("\n}\n", out);
}

void table_print(FILE *out, const GPtrArray *stats, enum table_format f)
{
	switch (f) {
	case TABLE_TEXT:
		print_text(out, stats);
		break;
	case TABLE_CSV:
		print_csv(out, stats);
		break;
	case TABLE_JSON:
		print_json(out, stats);
		break;
	}
}
