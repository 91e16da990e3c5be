/*
 * plot-experiment.c - the plots of replications (see plot.h):
 *
 *   elapsed-cdf  one step CDF per variant of its runs' elapsed times
 *   paired-diff  a histogram of the paired differences of elapsed time,
 *                each variant minus the first, over common seeds
 *
 * The numbers are the experiment's (experiment.c); gnuplot only draws
 * them.  Legends sit outside the plotting area, named by variant.
 */
#include "config.h"

#include "analysis/plot.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/experiment.h"
#include "analysis/plot-int.h"
#include "analysis/stats.h"

#define DIFF_BINS 40

const char *const plot_experiment_names[] = {
	"elapsed-cdf", "paired-diff", NULL,
};

static const char *name_of(const struct exp_variant *v)
{
	return *v->label ? v->label : v->scenario;
}

/* The start of a script, with its axes' labels. */
static GString *script_begin(const char *scen, const char *name,
			     const char *what, const char *xlabel,
			     const char *ylabel)
{
	GString *s = plot_script_begin(scen, name, what);
	char *x = plot_quote(xlabel), *y = plot_quote(ylabel);

	g_string_append_printf(s, "set xlabel %s\nset ylabel %s\n", x, y);
	g_free(x);
	g_free(y);
	return s;
}

static void script_end(GString *s, const char *name, GString *plot,
		       const struct plot_options *o)
{
	plot_script_end(s, name, plot->str, o);
	g_string_free(plot, TRUE);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static bool elapsed_cdf(const char *dir, const struct experiment *e,
			const char *scen, const struct plot_options *o,
			GError **err)
{
	GString *s = script_begin(scen, "elapsed-cdf", "elapsed time of each "
				  "replication (CDF)", "elapsed (ms)",
				  "fraction of replications");
	GString *cmd = g_string_new("plot ");
	bool ok = true;

	g_string_append(s, "set yrange [0:1.05]\n");
	for (guint i = 0; ok && i < e->variants->len; i++) {
		const struct exp_variant *v = e->variants->pdata[i];
		guint n = v->runs->len;
		double *x = g_new(double, n);
		GString *dat = g_string_new("# elapsed_ms fraction\n");
		char *file = g_strdup_printf("elapsed-cdf-%u.dat", i + 1);
		char *lab = plot_quote(name_of(v));

		for (guint k = 0; k < n; k++)
			x[k] = exp_figure_value(v->runs->pdata[k],
						EXP_ELAPSED_MS);
		qsort(x, n, sizeof(*x), cmp_double);
		for (guint k = 0; k < n; k++)
			g_string_append_printf(dat, "%.6f %.6f\n", x[k],
					       (double)(k + 1) / n);
		ok = plot_save(dir, file, dat, err);
		g_string_append_printf(cmd, "%s\"%s\" using 1:2 with steps lw 2 "
				       "lc rgb \"%s\" title %s",
				       i ? ", \\\n     " : "", file, plot_colour(i),
				       lab);
		g_free(x);
		g_free(file);
		g_free(lab);
	}
	script_end(s, "elapsed-cdf", cmd, o);
	return ok && plot_save(dir, "elapsed-cdf.gp", s, err);
}

/* The paired differences of variant v against the first, in ms. */
static GArray *differences(const struct experiment *e,
			   const struct exp_variant *v)
{
	const struct exp_variant *base = e->variants->pdata[0];
	GArray *d = g_array_new(FALSE, FALSE, sizeof(double));

	for (guint i = 0; i < v->runs->len; i++) {
		const struct run_stats *r = v->runs->pdata[i];

		for (guint k = 0; r->seed >= 0 && k < base->runs->len; k++) {
			const struct run_stats *b = base->runs->pdata[k];
			double x;

			if (b->seed != r->seed)
				continue;
			x = (double)(r->elapsed_ns - b->elapsed_ns) / 1e6;
			g_array_append_val(d, x);
			break;
		}
	}
	return d;
}

static bool paired_diff(const char *dir, const struct experiment *e,
			const char *scen, const struct plot_options *o,
			GError **err)
{
	const struct exp_variant *base = e->variants->pdata[0];
	char *what = g_strdup_printf("paired differences of elapsed time "
				     "against %s", name_of(base));
	GString *s = script_begin(scen, "paired-diff", what,
				  "difference of elapsed time (ms)",
				  "replications");
	GString *cmd = g_string_new("plot ");
	double lo = INFINITY, hi = -INFINITY, width;
	bool ok = true;

	g_free(what);
	for (guint i = 1; i < e->variants->len; i++) {
		const struct exp_variant *v = e->variants->pdata[i];

		if (v->has_diff) {
			lo = MIN(lo, v->diff.min);
			hi = MAX(hi, v->diff.max);
		}
	}
	if (lo > hi)
		lo = hi = 0;
	width = hi > lo ? (hi - lo) / DIFF_BINS : 1;
	g_string_append_printf(s, "set style fill transparent solid 0.5\n"
			       "set boxwidth %.9g absolute\n", width);
	for (guint i = 1; ok && i < e->variants->len; i++) {
		const struct exp_variant *v = e->variants->pdata[i];
		GArray *d = differences(e, v);
		guint count[DIFF_BINS] = { 0 };
		GString *dat = g_string_new("# bin_centre_ms replications\n");
		char *file = g_strdup_printf("paired-diff-%u.dat", i + 1);
		char *lab = plot_quote(name_of(v));

		for (guint k = 0; k < d->len; k++) {
			double x = g_array_index(d, double, k);
			int b = (int)floor((x - lo) / width);

			count[CLAMP(b, 0, DIFF_BINS - 1)]++;
		}
		for (int b = 0; b < DIFF_BINS; b++)
			g_string_append_printf(dat, "%.6f %u\n",
					       lo + (b + 0.5) * width,
					       count[b]);
		ok = plot_save(dir, file, dat, err);
		g_string_append_printf(cmd, "%s\"%s\" using 1:2 with boxes "
				       "lc rgb \"%s\" title %s",
				       i > 1 ? ", \\\n     " : "", file,
				       plot_colour(i), lab);
		g_array_unref(d);
		g_free(file);
		g_free(lab);
	}
	if (e->variants->len < 2)
		g_string_append(cmd, "0 notitle");
	script_end(s, "paired-diff", cmd, o);
	return ok && plot_save(dir, "paired-diff.gp", s, err);
}

bool plot_experiment_write(const struct experiment *e, const char *dir,
			   const struct plot_options *o, GError **err)
{
	const struct exp_variant *v = e->variants->pdata[0];
	struct plot_stage *st;
	const char *stage;
	bool ok;

	if (!plot_check_formats(o, err) || !(st = plot_stage_begin(dir, err)))
		return false;
	stage = plot_stage_dir(st);
	ok = elapsed_cdf(stage, e, v->scenario, o, err) &&
	     paired_diff(stage, e, v->scenario, o, err);
	for (const char *const *n = plot_experiment_names; ok && *n; n++)
		ok = plot_run_gnuplot(stage, *n, err);
	return plot_stage_end(st, ok, err);
}
