/*
 * plot-int.h - what the plot files share (plot.c): gnuplot's string
 * quoting, the scripts' start and end (with their terminals), colours,
 * writing files, running gnuplot.  Private to src/analysis.
 */
#ifndef MPSIM_ANALYSIS_PLOT_INT_H
#define MPSIM_ANALYSIS_PLOT_INT_H

#include <glib.h>
#include <stdbool.h>

/* A gnuplot string literal of s (a new string). */
char *plot_quote(const char *s);
/*
 * A script NAME.gp: its start (title "SCENARIO: WHAT", grid, the key
 * outside the data) and its end (the first format's terminal and the plot
 * command, then a replot for each other format of o); the colour of
 * series i; writing a file into dir (frees s).
 */
struct plot_options;
GString *plot_script_begin(const char *scenario, const char *name,
			   const char *what);
void plot_script_end(GString *s, const char *name, const char *plot,
		     const struct plot_options *o);
/* false + *err when o asks for PDF and gnuplot has no pdfcairo. */
bool plot_check_formats(const struct plot_options *o, GError **err);
const char *plot_colour(guint i);
bool plot_save(const char *dir, const char *name, GString *s, GError **err);
/* Run `gnuplot NAME.gp` in dir; false + *err when it fails. */
bool plot_run_gnuplot(const char *dir, const char *name, GError **err);

#endif /* MPSIM_ANALYSIS_PLOT_INT_H */
