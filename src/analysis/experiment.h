/*
 * experiment.h - replications of variants, summarised: per variant the
 * sample statistics of each figure, and for each variant against the
 * first the paired difference of elapsed time over the seeds both ran
 * (docs/analysis.md).  What `mpsim compare --replications` and
 * `mpsim report` print when a variant has more than one run.
 *
 * Every statistic is computed here and only here: the text, CSV and
 * JSON outputs and the plots print these numbers.
 */
#ifndef MPSIM_ANALYSIS_EXPERIMENT_H
#define MPSIM_ANALYSIS_EXPERIMENT_H

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include "analysis/table.h"

struct run_stats;

/*
 * A sample's statistics: n, mean, sample standard deviation (n - 1 in
 * the denominator; 0 when n < 2), min, median (nearest rank, as every
 * percentile in mpsim), max, and the 95% confidence interval of the mean
 * by Student's t with n - 1 degrees of freedom (mean +- t * sd /
 * sqrt(n); the mean itself at both ends when n < 2).
 */
struct summary {
	size_t n;
	double mean, sd, min, median, max, ci_lo, ci_hi;
};

void summary_of(const double *x, size_t n, struct summary *out);

/*
 * The p-quantile of Student's t distribution with df >= 1 degrees of
 * freedom (0.5 < p < 1), from its distribution function (the regularised
 * incomplete beta function) by bisection, to 1e-9.
 */
double student_t_quantile(double p, unsigned df);

/* The figures summarised per variant. */
enum exp_figure {
	EXP_ELAPSED_MS,
	EXP_MB_PER_S,
	EXP_LAT_MEAN_MS,
	EXP_LAT_P99_MS,
	EXP_SEEKS,
	EXP_NR_FIGURES,
};

/* CSV and JSON key, and text title, of a figure. */
const char *exp_figure_key(enum exp_figure f);
const char *exp_figure_title(enum exp_figure f);
double exp_figure_value(const struct run_stats *st, enum exp_figure f);

/*
 * The runs of one variant: the same scenario, effective options and
 * variant label (replications differ in their seeds only).
 */
struct exp_variant {
	char *scenario;
	char *options;		/* run.options */
	char *label;		/* the variant ("" for a plain run) */
	GPtrArray *runs;	/* struct run_stats*, borrowed, in run order */
	struct summary fig[EXP_NR_FIGURES];
	/* against the first variant (not for the first itself) */
	bool has_diff;
	struct summary diff;	/* elapsed (ms), this minus the first, paired
				 * by seed */
	size_t slower;		/* pairs in which this one took longer */
};

struct experiment {
	GPtrArray *variants;	/* struct exp_variant*, first-seen order */
	int64_t seed_lo, seed_hi;	/* of all runs (-1: unknown) */
};

/*
 * Group runs into variants and work out every statistic.
 * Returns NULL when no variant has runs of more than one seed (no
 * replications: nothing to summarise).  The runs stay owned by `stats`.
 */
struct experiment *experiment_new(const GPtrArray *stats);
void experiment_free(struct experiment *e);

/*
 * The plain sentence of variant i >= 1 against the first, e.g.
 * "fs.boundary=off takes 8.29 ms longer (95% CI 8.21 to 8.37) over 1000
 * paired runs; slower in 1000 of 1000."  A new string.
 */
char *experiment_sentence(const struct experiment *e, guint i);

/* Print the statistics as text or CSV (JSON: json.h). */
void experiment_print(FILE *out, const struct experiment *e,
		      enum table_format f);

#endif /* MPSIM_ANALYSIS_EXPERIMENT_H */
