/*
 * experiment.c - replications summarised (see experiment.h).
 *
 * Runs are grouped by (scenario, effective options, variant) in the
 * order they are first met: a group is one configuration run with
 * several seeds; within a variant, runs are paired with the first variant's by
 * seed (common random numbers: replication r of every variant has the
 * same seed, hence the same platter phase).  Fractions are printed with
 * fixed decimals, so the output is the same on every host.
 */
#include "analysis/experiment.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/stats.h"

/* ---- Student's t ---- */

/* The continued fraction of the incomplete beta function (Lentz). */
static double beta_cf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double qab = a + b, qap = a + 1, qam = a - 1;
	double c = 1, d = 1 - qab * x / qap, h;

	d = 1 / (fabs(d) < tiny ? tiny : d);
	h = d;
	for (int m = 1; m <= 1000; m++) {
		double m2 = 2.0 * m, aa, del;

		aa = m * (b - m) * x / ((qam + m2) * (a + m2));
		d = 1 + aa * d;
		c = 1 + aa / c;
		d = 1 / (fabs(d) < tiny ? tiny : d);
		c = fabs(c) < tiny ? tiny : c;
		h *= d * c;
		aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
		d = 1 + aa * d;
		c = 1 + aa / c;
		d = 1 / (fabs(d) < tiny ? tiny : d);
		c = fabs(c) < tiny ? tiny : c;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < 1e-15)
			break;
	}
	return h;
}

/* The regularised incomplete beta function I_x(a, b). */
static double beta_inc(double a, double b, double x)
{
	double bt;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	bt = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) +
		 b * log(1 - x));
	if (x < (a + 1) / (a + b + 2))
		return bt * beta_cf(a, b, x) / a;
	return 1 - bt * beta_cf(b, a, 1 - x) / b;
}

/* P(T <= t) for t >= 0: 1 - I_{df / (df + t^2)}(df / 2, 1 / 2) / 2. */
static double student_t_cdf(double t, unsigned df)
{
	return 1 - 0.5 * beta_inc(df / 2.0, 0.5, df / (df + t * t));
}

double student_t_quantile(double p, unsigned df)
{
	double lo = 0, hi = 1;

	while (student_t_cdf(hi, df) < p && hi < 1e12)
		hi *= 2;
	while (hi - lo > 1e-9 * hi) {
		double mid = (lo + hi) / 2;

		if (student_t_cdf(mid, df) < p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

/* ---- a sample ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void summary_of(const double *x, size_t n, struct summary *out)
{
	double *s, sum = 0, ss = 0, half = 0;

	memset(out, 0, sizeof(*out));
	out->n = n;
	if (!n)
		return;
	s = g_memdup2(x, n * sizeof(*x));
	qsort(s, n, sizeof(*s), cmp_double);
	for (size_t i = 0; i < n; i++)
		sum += s[i];
	out->mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		ss += (s[i] - out->mean) * (s[i] - out->mean);
	out->min = s[0];
	out->max = s[n - 1];
	out->median = s[percentile_rank(n, 50) - 1];
	if (n > 1) {
		out->sd = sqrt(ss / (double)(n - 1));
		half = student_t_quantile(0.975, (unsigned)(n - 1)) *
		       out->sd / sqrt((double)n);
	}
	out->ci_lo = out->mean - half;
	out->ci_hi = out->mean + half;
	g_free(s);
}

/* ---- figures ---- */

static const struct {
	const char *key, *title;
} figures[EXP_NR_FIGURES] = {
	[EXP_ELAPSED_MS] = { "elapsed_ms", "elapsed (ms)" },
	[EXP_MB_PER_S] = { "throughput_mb_per_s", "throughput (MB/s)" },
	[EXP_LAT_MEAN_MS] = { "latency_mean_ms", "latency mean (ms)" },
	[EXP_LAT_P99_MS] = { "latency_p99_ms", "latency p99 (ms)" },
	[EXP_SEEKS] = { "seeks", "seeks" },
};

const char *exp_figure_key(enum exp_figure f)
{
	return figures[f].key;
}

const char *exp_figure_title(enum exp_figure f)
{
	return figures[f].title;
}

double exp_figure_value(const struct run_stats *st, enum exp_figure f)
{
	switch (f) {
	case EXP_ELAPSED_MS:
		return (double)st->elapsed_ns / 1e6;
	case EXP_MB_PER_S:
		return st->mb_per_s;
	case EXP_LAT_MEAN_MS:
		return st->lat_mean_ns / 1e6;
	case EXP_LAT_P99_MS:
		return (double)st->lat_p99_ns / 1e6;
	case EXP_SEEKS:
	default:
		return (double)st->seeks;
	}
}

/* ---- grouping and pairing ---- */

static void variant_free(struct exp_variant *v)
{
	g_free(v->scenario);
	g_free(v->options);
	g_free(v->label);
	g_ptr_array_unref(v->runs);
	g_free(v);
}

static struct exp_variant *find_variant(GPtrArray *vs,
					const struct run_stats *st)
{
	const char *label = st->variant ? st->variant : "";

	for (guint i = 0; i < vs->len; i++) {
		struct exp_variant *v = vs->pdata[i];

		if (!g_strcmp0(v->scenario, st->scenario) &&
		    !g_strcmp0(v->options, st->options) &&
		    !strcmp(v->label, label))
			return v;
	}
	return NULL;
}

static void summarise(struct exp_variant *v)
{
	double *x = g_new(double, v->runs->len);

	for (int f = 0; f < EXP_NR_FIGURES; f++) {
		for (guint i = 0; i < v->runs->len; i++)
			x[i] = exp_figure_value(v->runs->pdata[i], f);
		summary_of(x, v->runs->len, &v->fig[f]);
	}
	g_free(x);
}

/* The first run of `base` with this seed, or NULL. */
static const struct run_stats *run_with_seed(const struct exp_variant *base,
					     int64_t seed)
{
	for (guint i = 0; i < base->runs->len; i++) {
		const struct run_stats *r = base->runs->pdata[i];

		if (r->seed == seed)
			return r;
	}
	return NULL;
}

/* Elapsed time of v minus base's, over the seeds both ran. */
static void pair(struct exp_variant *v, const struct exp_variant *base)
{
	double *d = g_new(double, v->runs->len);
	size_t n = 0;

	v->slower = 0;
	for (guint i = 0; i < v->runs->len; i++) {
		const struct run_stats *r = v->runs->pdata[i];
		const struct run_stats *b = r->seed >= 0 ?
			run_with_seed(base, r->seed) : NULL;

		if (!b)
			continue;
		d[n] = (double)(r->elapsed_ns - b->elapsed_ns) / 1e6;
		v->slower += r->elapsed_ns > b->elapsed_ns;
		n++;
	}
	summary_of(d, n, &v->diff);
	v->has_diff = n > 0;
	g_free(d);
}

struct experiment *experiment_new(const GPtrArray *stats)
{
	struct experiment *e = g_new0(struct experiment, 1);
	bool many = false;

	e->variants = g_ptr_array_new_with_free_func(
		(GDestroyNotify)variant_free);
	e->seed_lo = e->seed_hi = -1;
	for (guint i = 0; i < stats->len; i++) {
		struct run_stats *st = stats->pdata[i];
		struct exp_variant *v = find_variant(e->variants, st);

		if (!v) {
			v = g_new0(struct exp_variant, 1);
			v->scenario = g_strdup(st->scenario);
			v->options = g_strdup(st->options);
			v->label = g_strdup(st->variant ? st->variant : "");
			v->runs = g_ptr_array_new();
			g_ptr_array_add(e->variants, v);
		}
		/* replications: runs of one variant with different seeds */
		many |= v->runs->len && st->seed !=
			((struct run_stats *)v->runs->pdata[0])->seed;
		g_ptr_array_add(v->runs, st);
		if (st->seed >= 0 && (e->seed_lo < 0 || st->seed < e->seed_lo))
			e->seed_lo = st->seed;
		if (st->seed > e->seed_hi)
			e->seed_hi = st->seed;
	}
	if (!many) {
		experiment_free(e);
		return NULL;
	}
	for (guint i = 0; i < e->variants->len; i++) {
		summarise(e->variants->pdata[i]);
		if (i)
			pair(e->variants->pdata[i], e->variants->pdata[0]);
	}
	return e;
}

void experiment_free(struct experiment *e)
{
	if (!e)
		return;
	g_ptr_array_unref(e->variants);
	g_free(e);
}

/* ---- output ---- */

static const char *name_of(const struct exp_variant *v)
{
	return *v->label ? v->label : v->scenario;
}

char *experiment_sentence(const struct experiment *e, guint i)
{
	const struct exp_variant *v = e->variants->pdata[i];
	const struct summary *d = &v->diff;

	if (!v->has_diff)
		return g_strdup_printf("%s has no run with a seed of %s's.",
				       name_of(v),
				       name_of(e->variants->pdata[0]));
	return g_strdup_printf("%s takes %.2f ms %s than %s (95%% CI %.2f to "
			       "%.2f) over %zu paired runs; slower in %zu of "
			       "%zu.", name_of(v), fabs(d->mean),
			       d->mean >= 0 ? "longer" : "less", name_of(
			       e->variants->pdata[0]), d->ci_lo, d->ci_hi,
			       d->n, v->slower, d->n);
}

static void print_text(FILE *out, const struct experiment *e)
{
	const struct exp_variant *base = e->variants->pdata[0];

	if (e->seed_lo >= 0)
		fprintf(out, "seeds %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT
			"; 95%% CI: Student's t interval of the mean\n",
			e->seed_lo, e->seed_hi);
	for (guint i = 0; i < e->variants->len; i++) {
		const struct exp_variant *v = e->variants->pdata[i];

		fprintf(out, "\n%s (%u runs)\n", name_of(v), v->runs->len);
		fprintf(out, "  %-20s %10s %10s %10s %10s %10s %10s  %s\n",
			"figure", "mean", "sd", "min", "median", "max",
			"n", "95% CI of the mean");
		for (int f = 0; f < EXP_NR_FIGURES; f++) {
			const struct summary *s = &v->fig[f];

			fprintf(out, "  %-20s %10.3f %10.3f %10.3f %10.3f "
				"%10.3f %10zu  %.3f to %.3f\n",
				figures[f].title, s->mean, s->sd, s->min,
				s->median, s->max, s->n, s->ci_lo, s->ci_hi);
		}
	}
	if (e->variants->len < 2)
		return;
	fprintf(out, "\npaired differences of elapsed time against %s "
		"(same seeds; ms)\n", name_of(base));
	fprintf(out, "  %-30s %10s %10s %10s  %-22s %s\n", "variant", "mean",
		"sd", "n", "95% CI", "slower");
	for (guint i = 1; i < e->variants->len; i++) {
		const struct exp_variant *v = e->variants->pdata[i];
		const struct summary *d = &v->diff;
		char *ci = g_strdup_printf("%.3f to %.3f", d->ci_lo, d->ci_hi);

		fprintf(out, "  %-30s %10.3f %10.3f %10zu  %-22s %zu of %zu\n",
			name_of(v), d->mean, d->sd, d->n, ci, v->slower, d->n);
		g_free(ci);
	}
	fputc('\n', out);
	for (guint i = 1; i < e->variants->len; i++) {
		char *s = experiment_sentence(e, i);

		fprintf(out, "%s\n", s);
		g_free(s);
	}
}

static void csv_row(FILE *out, const char *kind, const struct exp_variant *v,
		    const char *against, const char *figure,
		    const struct summary *s, const char *slower)
{
	fprintf(out, "%s,", kind);
	table_csv_field(out, v->scenario);
	fputc(',', out);
	table_csv_field(out, v->label);
	fputc(',', out);
	table_csv_field(out, against);
	fprintf(out, ",%s,%zu,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%s\n",
		figure, s->n, s->mean, s->sd, s->min, s->median, s->max,
		s->ci_lo, s->ci_hi, slower);
}

static void print_csv(FILE *out, const struct experiment *e)
{
	const struct exp_variant *base = e->variants->pdata[0];

	fputs("kind,scenario,variant,against,figure,n,mean,sd,min,median,max,"
	      "ci95_low,ci95_high,slower\n", out);
	for (guint i = 0; i < e->variants->len; i++) {
		const struct exp_variant *v = e->variants->pdata[i];

		for (int f = 0; f < EXP_NR_FIGURES; f++)
			csv_row(out, "variant", v, "", figures[f].key,
				&v->fig[f], "");
	}
	for (guint i = 1; i < e->variants->len; i++) {
		const struct exp_variant *v = e->variants->pdata[i];
		char *slower = g_strdup_printf("%zu", v->slower);

		csv_row(out, "paired_difference", v, base->label,
			figures[EXP_ELAPSED_MS].key, &v->diff, slower);
		g_free(slower);
	}
}

void experiment_print(FILE *out, const struct experiment *e,
		      enum table_format f)
{
	if (f == TABLE_CSV)
		print_csv(out, e);
	else
		print_text(out, e);
}
