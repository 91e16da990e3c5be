/*
 * table.h - the figures of several runs side by side, as text (a table
 * for people), CSV or JSON (for scripts).  Shared by `mpsim compare` and
 * `mpsim report`.
 */
#ifndef MPSIM_ANALYSIS_TABLE_H
#define MPSIM_ANALYSIS_TABLE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum table_format { TABLE_TEXT, TABLE_CSV, TABLE_JSON };

/* How many first requests the dispatch order shows. */
#define TABLE_ORDER_LEN 16

/* "text", "csv" or "json"; false if none. */
bool table_parse_format(const char *s, enum table_format *f);

/*
 * The first position (0-based) at which the dispatch orders of the runs
 * differ (a run that ends early differs there too), or -1 when they are
 * all the same.
 */
long table_divergence(const GPtrArray *stats);

/*
 * A CSV field, quoted (quotes doubled) when it holds , " or a line break;
 * one that starts as a spreadsheet formula would (= + - @, a tab) is
 * quoted with a ' before it, so that it stays a text.
 */
void table_csv_field(FILE *out, const char *s);

/* Each figure of a run, in table order: its key and integer or value. */
struct run_stats;
typedef void (*table_figure_fn)(const char *key, bool is_int, int64_t i,
				double d, void *arg);
void table_figures_foreach(const struct run_stats *st, table_figure_fn fn,
			   void *arg);

/* The text table's title of a figure by its key ("seeks": "seeks"). */
const char *table_figure_title(const char *key);

/* Print stats (struct run_stats*) in the format. */
void table_print(FILE *out, const GPtrArray *stats, enum table_format f);

#endif /* MPSIM_ANALYSIS_TABLE_H */
