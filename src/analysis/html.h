/*
 * html.h - one self-contained HTML page of runs, readable offline and
 * attachable to a mail: the runs' settings (the options that differ
 * between them marked), the figures of the text report as tables, the
 * statistics when there are replications (experiment.h), and every plot
 * of `mpsim plot` (and of the experiment) inline as SVG.  What `mpsim
 * report --format html` and `mpsim compare --html` write.
 */
#ifndef MPSIM_ANALYSIS_HTML_H
#define MPSIM_ANALYSIS_HTML_H

#include <glib.h>
#include <stdbool.h>

struct adb;
struct out_inputs;
struct plot_options;

/*
 * The page's file: DIR/NAME.html, NAME the last part of `source` (a
 * database or scenario path) without its extension (.db, .ini); "report"
 * when nothing is left.  A new string.
 */
char *html_path(const char *dir, const char *source);

/*
 * Refuse (OUT_ERROR_REFUSED) a page path whose folder is not one, or
 * that is one of `inputs` (out_check(), src/log/output.h).
 */
bool html_check(const char *path, struct out_inputs *inputs, GError **err);

/*
 * Write the page of the runs of stats (struct run_stats*) to path,
 * creating its folder, atomically (src/log/output.h).  The plots are drawn
 * as SVG (o: the axis; NULL: sectors) into a temporary folder, inlined,
 * and the folder removed.  With `inputs` NULL, path is first checked
 * (html_check()) against the database; else the caller has checked it
 * against `inputs`.  false + *err on failure.
 */
bool html_write(struct adb *a, const GPtrArray *stats, const char *path,
		const char *name, const struct plot_options *o,
		struct out_inputs *inputs, GError **err);

/* s with & < > " ' as entities, made valid UTF-8, control characters
 * other than tab and line breaks as U+FFFD (for the tests). */
char *html_escape(const char *s);

#endif /* MPSIM_ANALYSIS_HTML_H */
