/*
 * validate.c - the figures of `mpsim validate` (see validate.h): the
 * requests matched, means and medians, the mean absolute relative error,
 * the share within 10%, and Ruemmler and Wilkes's demerit figure.  Keeps
 * four numbers per request (the figures need every value).
 */
#include "config.h"

#include "replay/validate.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct vrow {
	uint64_t n;
	int64_t rec, sim;
	uint64_t sector;
	uint32_t sectors;
};

struct validation {
	GArray *rows;		/* struct vrow, in completion order */
};

struct validation *validation_new(void)
{
	struct validation *v = g_new0(struct validation, 1);

	v->rows = g_array_new(FALSE, FALSE, sizeof(struct vrow));
	return v;
}

void validation_free(struct validation *v)
{
	if (!v)
		return;
	g_array_unref(v->rows);
	g_free(v);
}

void validation_add(struct validation *v, uint64_t n, int64_t recorded_ns,
		    int64_t simulated_ns, uint64_t sector, uint32_t sectors)
{
	struct vrow r = { n, recorded_ns, simulated_ns, sector, sectors };

	g_array_append_val(v->rows, r);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int cmp_row(const void *a, const void *b)
{
	const struct vrow *x = a, *y = b;

	return (x->n > y->n) - (x->n < y->n);
}

double validate_demerit(int64_t *recorded, int64_t *simulated, size_t n)
{
	double sum = 0;

	if (!n)
		return 0;
	qsort(recorded, n, sizeof(*recorded), cmp_i64);
	qsort(simulated, n, sizeof(*simulated), cmp_i64);
	for (size_t i = 0; i < n; i++) {
		double d = (double)(recorded[i] - simulated[i]);

		sum += d * d;
	}
	return sqrt(sum / (double)n);
}

/* The median of sorted values: the middle one, or the mean of two. */
static double median(const int64_t *v, size_t n)
{
	return n % 2 ? (double)v[n / 2] :
	       ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2;
}

bool validation_figures(struct validation *v, struct validate_figures *f)
{
	size_t n = v->rows->len;
	int64_t *rec, *sim;
	double rs = 0, ss = 0, err = 0;
	uint64_t within = 0;

	memset(f, 0, sizeof(*f));
	if (!n)
		return false;
	rec = g_new(int64_t, n);
	sim = g_new(int64_t, n);
	for (size_t i = 0; i < n; i++) {
		const struct vrow *r = &g_array_index(v->rows, struct vrow, i);
		double d = fabs((double)(r->sim - r->rec));

		rec[i] = r->rec;
		sim[i] = r->sim;
		rs += (double)r->rec;
		ss += (double)r->sim;
		err += r->rec > 0 ? d / (double)r->rec : (d > 0);
		within += d <= 0.1 * (double)r->rec;
	}
	f->matched = n;
	f->rec_mean_ns = rs / (double)n;
	f->sim_mean_ns = ss / (double)n;
	f->mean_abs_rel_err = err / (double)n;
	f->within_10 = (double)within / (double)n;
	f->demerit_ns = validate_demerit(rec, sim, n);	/* sorts both */
	f->rec_median_ns = median(rec, n);
	f->sim_median_ns = median(sim, n);
	f->demerit_rel = f->rec_mean_ns > 0 ? f->demerit_ns / f->rec_mean_ns
					    : 0;
	g_free(rec);
	g_free(sim);
	return true;
}

/* A gnuplot string: single quotes, a quote inside doubled. */
static void gp_squote(GString *s, const char *text)
{
	g_string_append_c(s, '\'');
	for (; *text; text++) {
		if (*text == '\'')
			g_string_append_c(s, '\'');
		g_string_append_c(s, *text);
	}
	g_string_append_c(s, '\'');
}

static bool write_in(const char *dir, const char *name, const GString *s,
		     GError **err)
{
	char *path = g_build_filename(dir, name, NULL);
	bool ok = g_file_set_contents(path, s->str, (gssize)s->len, err);

	g_free(path);
	return ok;
}

static bool gnuplot(const char *dir, const char *script, GError **err)
{
	char *argv[] = { (char *)GNUPLOT_PATH, (char *)script, NULL };
	char *errout = NULL;
	int status = -1;
	bool ok = g_spawn_sync(dir, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
			       NULL, NULL, NULL, &errout, &status, err);

	if (ok && !g_spawn_check_wait_status(status, NULL)) {
		g_set_error(err, G_SPAWN_ERROR, 0, "%s/%s: gnuplot failed: %s",
			    dir, script, errout ? errout : "");
		ok = false;
	}
	g_free(errout);
	return ok;
}

/* The script header: terminal, output, title, axis labels. */
static GString *script(const char *name, const char *title,
		       const char *xlabel, const char *ylabel)
{
	GString *s = g_string_new("set terminal svg size 800,500\n");
	char *out = g_strconcat(name, ".svg", NULL);

	g_string_append(s, "set output ");
	gp_squote(s, out);
	g_string_append(s, "\nset title ");
	gp_squote(s, title);
	g_string_append(s, "\nset xlabel ");
	gp_squote(s, xlabel);
	g_string_append(s, "\nset ylabel ");
	gp_squote(s, ylabel);
	g_string_append(s, "\nset key bottom right\nset grid\n");
	g_free(out);
	return s;
}

static bool plot_cdf(struct validation *v, const char *dir, GError **err)
{
	size_t n = v->rows->len;
	int64_t *rec = g_new(int64_t, n), *sim = g_new(int64_t, n);
	GString *d = g_string_new("# service_ms_recorded service_ms_"
				  "simulated cumulative_share\n");
	GString *s = script("validate-cdf", "service time distributions",
			    "service time (ms)", "share of requests");
	bool ok;

	for (size_t i = 0; i < n; i++) {
		rec[i] = g_array_index(v->rows, struct vrow, i).rec;
		sim[i] = g_array_index(v->rows, struct vrow, i).sim;
	}
	qsort(rec, n, sizeof(*rec), cmp_i64);
	qsort(sim, n, sizeof(*sim), cmp_i64);
	for (size_t i = 0; i < n; i++)
		g_string_append_printf(d, "%.6f %.6f %.6f\n", rec[i] / 1e6,
				       sim[i] / 1e6, (double)(i + 1) / n);
	g_string_append(s, "plot 'validate-cdf.dat' using 1:3 with steps "
			"title 'recorded', '' using 2:3 with steps title "
			"'simulated'\n");
	ok = write_in(dir, "validate-cdf.dat", d, err) &&
	     write_in(dir, "validate-cdf.gp", s, err) &&
	     gnuplot(dir, "validate-cdf.gp", err);
	g_string_free(d, TRUE);
	g_string_free(s, TRUE);
	g_free(rec);
	g_free(sim);
	return ok;
}

static bool plot_error(struct validation *v, const char *dir, GError **err)
{
	GString *d = g_string_new("# seek_distance_sectors "
				  "relative_error_percent\n");
	GString *s = script("validate-error", "simulated against recorded "
			    "service time", "seek distance (sectors)",
			    "error (%)");
	uint64_t end = 0;
	bool ok;

	g_array_sort(v->rows, cmp_row);		/* trace order */
	for (guint i = 0; i < v->rows->len; i++) {
		const struct vrow *r = &g_array_index(v->rows, struct vrow, i);
		uint64_t dist = r->sector > end ? r->sector - end :
				end - r->sector;

		g_string_append_printf(d, "%" G_GUINT64_FORMAT " %.4f\n", i ?
			dist : 0, r->rec > 0 ? 100.0 * (double)(r->sim -
			r->rec) / (double)r->rec : 0.0);
		end = r->sector + r->sectors;
	}
	g_string_append(s, "set key off\nplot 'validate-error.dat' using 1:2 "
			"with points pointtype 7 pointsize 0.4\n");
	ok = write_in(dir, "validate-error.dat", d, err) &&
	     write_in(dir, "validate-error.gp", s, err) &&
	     gnuplot(dir, "validate-error.gp", err);
	g_string_free(d, TRUE);
	g_string_free(s, TRUE);
	return ok;
}

bool validation_plot(struct validation *v, const char *dir, GError **err)
{
	if (g_mkdir_with_parents(dir, 0777)) {
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno),
			    "%s: %s", dir, g_strerror(errno));
		return false;
	}
	return plot_cdf(v, dir, err) && plot_error(v, dir, err);
}
