/*
 * grid.h - the variants of a comparison or sweep: the cross product of
 * every --vary KEY=V1,V2,..., numbered with the first --vary varying
 * slowest (like nested loops written in the order given).
 */
#ifndef MPSIM_ANALYSIS_GRID_H
#define MPSIM_ANALYSIS_GRID_H

#include <glib.h>
#include <stdbool.h>

struct grid;

/* Parse the --vary arguments; NULL + *err naming the bad one. */
struct grid *grid_parse(const char *const *vary, GError **err);
void grid_free(struct grid *g);
/* Number of variants (1 without any --vary). */
guint grid_count(const struct grid *g);
/*
 * The --set list of variant i: base (may be NULL) followed by the
 * variant's own KEY=VALUE pairs, which therefore win.  Free with
 * g_strfreev.
 */
char **grid_sets(const struct grid *g, guint i, const char *const *base);
/* "KEY=VALUE KEY=VALUE" of variant i (a new string). */
char *grid_label(const struct grid *g, guint i);

#endif /* MPSIM_ANALYSIS_GRID_H */
