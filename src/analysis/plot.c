/*
 * plot.c - pictures of runs drawn by gnuplot (see plot.h).
 *
 * Every figure is computed here, in C, with the definitions of stats.h
 * (dispatch order, seeks, latency); gnuplot only draws columns of numbers.
 * Time axes use one unit for all runs shown (us, ms or s, whichever keeps
 * the longest run between 1 and 10000 units), and rates are per bucket of
 * 1/BUCKETS of the longest run.  PNG comes from the cairo terminal when
 * gnuplot has it, else from the plain png terminal.
 */
#include "config.h"

#include "analysis/plot.h"
#include "analysis/plot-int.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/stats.h"
#include "log/output.h"

#define PLOT_ERROR (g_quark_from_static_string("mpsim-plot-error"))
#define BUCKETS 25		/* time buckets of the rate plots */
#define COST_MAX 64		/* requests per run in the cost plot */

const char *const plot_names[] = {
	"dispatch", "throughput", "seeks", "seek-distance", "latency-cdf",
	"cost", "order", NULL,
};

/* Colour-blind-safe colours, one per run (cycled). */
static const char *const colours[] = {
	"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9",
	"#000000", "#f0e442",
};
#define NCOLOURS (sizeof(colours) / sizeof(colours[0]))

struct run_data {
	const struct run_stats *st;
	GArray *rq;		/* struct rq_row, dispatch order */
};

struct plotter {
	const char *dir;
	GPtrArray *runs;	/* struct run_data* */
	const char *unit;	/* "us", "ms" or "s" */
	double per_unit;	/* ns per unit */
	int64_t span_ns;	/* the longest run */
	int64_t bucket_ns;
	const char *png_term;
	char *title;		/* scenario name(s) */
};

static const char *colour(guint i)
{
	return colours[i % NCOLOURS];
}

/* Every file goes to the staging folder p->dir (see plot_write_for). */
static bool write_file(struct plotter *p, const char *name, GString *s,
		       GError **err)
{
	char *path = g_build_filename(p->dir, name, NULL);
	bool ok = out_write_contents(path, s->str, s->len, err);

	g_free(path);
	g_string_free(s, TRUE);
	return ok;
}

/*
 * The one way a string from a scenario or a database (a title, a label)
 * enters a gnuplot script: a single-quoted string, where gnuplot expands
 * nothing (no `command`, no @macro, no \ escape), with ' written ''.  A
 * control character (a newline would end the command and start another)
 * becomes a space.  Data files hold numbers only.
 */
static char *gp_str(const char *s)
{
	GString *o = g_string_new("'");

	for (; *s; s++) {
		if (*s == '\'')
			g_string_append_c(o, '\'');
		g_string_append_c(o, (unsigned char)*s < 0x20 || *s == 0x7f ?
				  ' ' : *s);
	}
	g_string_append_c(o, '\'');
	return g_string_free(o, FALSE);
}

/* The start of a script: terminal and output for the PNG, then common. */
static GString *script_begin(struct plotter *p, const char *name,
			     const char *what)
{
	GString *s = g_string_new(NULL);
	char *t = g_strdup_printf("%s: %s", p->title, what);
	char *title = gp_str(t);

	g_string_append_printf(s,
		"# %s.gp - %s; data in %s*.dat.\n"
		"# Run `gnuplot %s.gp` in this folder to redraw %s.png and "
		"%s.svg.\n"
		"set terminal %s size 1000,600 font \"sans,12\" noenhanced\n"
		"set output \"%s.png\"\n"
		"set title %s font \"sans,14\"\n"
		"set grid\n"
		"set key outside right top box\n",
		name, what, name, name, name, name, p->png_term, name, title);
	g_free(t);
	g_free(title);
	return s;
}

/* The end: the plot command, then the same again as SVG. */
static void script_end(GString *s, const char *name, const char *plot)
{
	g_string_append_printf(s, "%s\n"
		"set terminal svg size 1000,600 dynamic font \"sans,12\" "
		"noenhanced\n"
		"set output \"%s.svg\"\n"
		"replot\n"
		"unset output\n", plot, name);
}

static char *label_of(struct run_data *d)
{
	char *l = g_strdup_printf("run %" G_GINT64_FORMAT ": %s",
				  d->st->run_id, d->st->label);
	char *q = gp_str(l);

	g_free(l);
	return q;
}

static double t(struct plotter *p, int64_t ns)
{
	return (double)ns / p->per_unit;
}

/* dispatch: each request a segment from (dispatch, first sector) to
 * (completion, last sector), seekwatcher-style. */
static bool plot_dispatch(struct plotter *p, GError **err)
{
	GString *s = script_begin(p, "dispatch", "dispatch sector against time");
	GString *cmd = g_string_new("plot ");

	g_string_append_printf(s, "set xlabel \"time (%s)\"\n"
			       "set ylabel \"sector (512 B)\"\n"
			       "set format y \"%%.0f\"\n", p->unit);
	for (guint i = 0; i < p->runs->len; i++) {
		struct run_data *d = p->runs->pdata[i];
		GString *dat = g_string_new("# dispatch_time sector "
					    "service_time sectors\n");
		char *name = g_strdup_printf("dispatch-run%" G_GINT64_FORMAT
					     ".dat", d->st->run_id);
		char *lab = label_of(d);

		for (guint k = 0; k < d->rq->len; k++) {
			struct rq_row *r = &g_array_index(d->rq, struct rq_row,
							  k);

			g_string_append_printf(dat, "%.3f %" G_GINT64_FORMAT
				" %.3f %" G_GINT64_FORMAT "\n",
				t(p, r->dispatch_ns), r->sector,
				t(p, r->complete_ns - r->dispatch_ns),
				r->sectors);
		}
		if (!write_file(p, name, dat, err)) {
			g_free(name);
			g_free(lab);
			g_string_free(s, TRUE);
			g_string_free(cmd, TRUE);
			return false;
		}
		g_string_append_printf(cmd, "%s\"%s\" using 1:2:3:4 with vectors "
			"nohead lw 3 lc rgb \"%s\" title %s, "
			"\"%s\" using 1:2 with points pt %u ps 1.2 "
			"lc rgb \"%s\" notitle",
			i ? ", \\\n     " : "", name, colour(i), lab, name,
			5 + 2 * (i % 4), colour(i));
		g_free(name);
		g_free(lab);
	}
	script_end(s, "dispatch", cmd->str);
	g_string_free(cmd, TRUE);
	return write_file(p, "dispatch.gp", s, err);
}

/*
 * A rate against time, per bucket divided by the bucket's length in
 * seconds: bytes, each request's spread evenly over its time at the device
 * (dispatch to completion), so that the curve is what the device moved;
 * seeks, counted in the bucket of their dispatch.
 */
enum rate_kind { RATE_BYTES, RATE_SEEKS };

static void spread(struct plotter *p, double *sum, guint nb, int64_t from,
		   int64_t to, double v)
{
	if (to <= from) {
		sum[MIN(from / p->bucket_ns, nb)] += v;
		return;
	}
	for (int64_t b = from / p->bucket_ns; b <= (to - 1) / p->bucket_ns &&
	     b <= nb; b++) {
		int64_t lo = MAX(from, b * p->bucket_ns);
		int64_t hi = MIN(to, (b + 1) * p->bucket_ns);

		sum[b] += v * (double)(hi - lo) / (double)(to - from);
	}
}

static bool plot_rate(struct plotter *p, enum rate_kind kind, GError **err)
{
	const char *name = kind == RATE_BYTES ? "throughput" : "seeks";
	GString *s = script_begin(p, name, kind == RATE_BYTES ?
		"throughput against time" :
		"seeks per second (by dispatch)");
	GString *cmd = g_string_new("plot ");
	guint nb = (guint)((p->span_ns + p->bucket_ns - 1) / p->bucket_ns);

	g_string_append_printf(s, "set xlabel \"time (%s), buckets of %.3f "
			       "%s\"\nset ylabel \"%s\"\nset yrange [0:*]\n",
			       p->unit, t(p, p->bucket_ns), p->unit,
			       kind == RATE_BYTES ? "throughput (MB/s)" :
			       "seeks per second");
	for (guint i = 0; i < p->runs->len; i++) {
		struct run_data *d = p->runs->pdata[i];
		double *sum = g_new0(double, nb + 1);
		GString *dat = g_string_new(NULL);
		char *file = g_strdup_printf("%s-run%" G_GINT64_FORMAT ".dat",
					     name, d->st->run_id);
		char *lab = label_of(d);

		for (guint k = 0; k < d->rq->len; k++) {
			struct rq_row *r = &g_array_index(d->rq, struct rq_row,
							  k);
			struct rq_row *prev = k ? r - 1 : NULL;
			int64_t when = kind == RATE_BYTES ? r->complete_ns :
				       r->dispatch_ns;
			guint b = (guint)MIN(when / p->bucket_ns, nb);

			if (kind == RATE_BYTES)
				spread(p, sum, nb, r->dispatch_ns,
				       r->complete_ns,
				       (double)(r->sectors * 512));
			else if (prev && r->sector != prev->sector +
				 prev->sectors)
				sum[b] += 1;
		}
		g_string_append_printf(dat, "# bucket_start %s\n",
				       kind == RATE_BYTES ? "MB/s" :
				       "seeks/s");
		for (guint b = 0; b <= nb; b++) {
			double secs = (double)p->bucket_ns / 1e9;
			double v = kind == RATE_BYTES ? sum[b] / 1e6 / secs :
				   sum[b] / secs;

			g_string_append_printf(dat, "%.3f %.3f\n",
					       t(p, (int64_t)b * p->bucket_ns),
					       v);
		}
		g_free(sum);
		if (!write_file(p, file, dat, err)) {
			g_free(file);
			g_free(lab);
			g_string_free(s, TRUE);
			g_string_free(cmd, TRUE);
			return false;
		}
		g_string_append_printf(cmd, "%s\"%s\" using 1:2 with steps lw 2 "
				       "lc rgb \"%s\" title %s",
				       i ? ", \\\n     " : "", file, colour(i),
				       lab);
		g_free(file);
		g_free(lab);
	}
	script_end(s, name, cmd->str);
	g_string_free(cmd, TRUE);
	return write_file(p, kind == RATE_BYTES ? "throughput.gp" :
			  "seeks.gp", s, err);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Smallest power of two >= x (x >= 1). */
static int64_t pow2_at_least(int64_t x)
{
	int64_t v = 1;

	while (v < x)
		v <<= 1;
	return v;
}

/* seek-distance: signed distance (sector - previous end) in bins of a
 * power of two sectors, each run's bars side by side in a bin. */
static bool plot_seek_distance(struct plotter *p, GError **err)
{
	GString *s = script_begin(p, "seek-distance",
				  "seek distance histogram");
	GString *cmd = g_string_new("plot ");
	int64_t lo = 0, hi = 0, width;
	guint n = p->runs->len;

	for (guint i = 0; i < n; i++) {
		struct run_data *d = p->runs->pdata[i];

		for (guint k = 1; k < d->rq->len; k++) {
			struct rq_row *r = &g_array_index(d->rq, struct rq_row,
							  k);
			int64_t dist = r->sector - (r[-1].sector +
						    r[-1].sectors);

			lo = MIN(lo, dist);
			hi = MAX(hi, dist);
		}
	}
	width = pow2_at_least(MAX((hi - lo) / 32, 1));
	if (n && ((struct run_data *)p->runs->pdata[0])->rq->len <= 11)
		g_string_append(s, "set ytics 1\n");
	g_string_append_printf(s, "set xlabel \"seek distance (sectors; "
		"negative = backward), bins of %" G_GINT64_FORMAT "\"\n"
		"set ylabel \"seeks\"\nset yrange [0:*]\n"
		"set style fill solid 0.8 border -1\n"
		"set boxwidth %.4f absolute\n",
		width, (double)width / (double)(n + 1));
	for (guint i = 0; i < n; i++) {
		struct run_data *d = p->runs->pdata[i];
		GArray *bins = g_array_new(FALSE, FALSE, sizeof(int64_t));
		GString *dat = g_string_new("# bin_start seeks\n");
		char *file = g_strdup_printf("seek-distance-run%"
					     G_GINT64_FORMAT ".dat",
					     d->st->run_id);
		char *lab = label_of(d);

		/* the bin of every seek, sorted, then counted in runs */
		for (guint k = 1; k < d->rq->len; k++) {
			struct rq_row *r = &g_array_index(d->rq, struct rq_row,
							  k);
			int64_t dist = r->sector - (r[-1].sector +
						    r[-1].sectors);
			int64_t b;

			if (!dist)
				continue;
			b = dist >= 0 ? dist / width :
			    -((-dist + width - 1) / width);
			g_array_append_val(bins, b);
		}
		if (bins->len)
			qsort(bins->data, bins->len, sizeof(int64_t),
			      cmp_i64);
		for (guint j = 0; j < bins->len;) {
			int64_t b = g_array_index(bins, int64_t, j);
			guint m = j;

			while (m < bins->len &&
			       g_array_index(bins, int64_t, m) == b)
				m++;
			g_string_append_printf(dat, "%" G_GINT64_FORMAT " %u\n",
					       b * width, m - j);
			j = m;
		}
		if (!bins->len)
			g_string_append(dat, "0 0\n");
		g_array_unref(bins);
		if (!write_file(p, file, dat, err)) {
			g_free(file);
			g_free(lab);
			g_string_free(s, TRUE);
			g_string_free(cmd, TRUE);
			return false;
		}
		g_string_append_printf(cmd, "%s\"%s\" using ($1 + %.4f):2 with "
				       "boxes lc rgb \"%s\" title %s",
				       i ? ", \\\n     " : "", file,
				       (double)width * (i + 1) / (n + 1),
				       colour(i), lab);
		g_free(file);
		g_free(lab);
	}
	script_end(s, "seek-distance", cmd->str);
	g_string_free(cmd, TRUE);
	return write_file(p, "seek-distance.gp", s, err);
}

/* latency-cdf: the fraction of requests done within a latency. */
static bool plot_latency(struct plotter *p, GError **err)
{
	GString *s = script_begin(p, "latency-cdf",
				  "request latency CDF (completion - queue)");
	GString *cmd = g_string_new("plot ");

	g_string_append_printf(s, "set xlabel \"latency (%s)\"\n"
			       "set ylabel \"fraction of requests\"\n"
			       "set yrange [0:1.05]\nset xrange [0:*]\n"
			       "set key outside right top box\n", p->unit);
	for (guint i = 0; i < p->runs->len; i++) {
		struct run_data *d = p->runs->pdata[i];
		guint n = d->rq->len;
		int64_t *lat = g_new(int64_t, n ? n : 1);
		GString *dat = g_string_new("# latency fraction\n");
		char *file = g_strdup_printf("latency-cdf-run%" G_GINT64_FORMAT
					     ".dat", d->st->run_id);
		char *lab = label_of(d);

		for (guint k = 0; k < n; k++) {
			struct rq_row *r = &g_array_index(d->rq, struct rq_row,
							  k);

			lat[k] = r->complete_ns - r->queue_ns;
		}
		qsort(lat, n, sizeof(*lat), cmp_i64);
		/* a step from 0 up at each latency: (x, k/n) then (x, k+1/n) */
		g_string_append_printf(dat, "0 0\n");
		for (guint k = 0; k < n; k++)
			g_string_append_printf(dat, "%.3f %.6f\n", t(p, lat[k]),
					       (double)(k + 1) / n);
		g_free(lat);
		if (!write_file(p, file, dat, err)) {
			g_free(file);
			g_free(lab);
			g_string_free(s, TRUE);
			g_string_free(cmd, TRUE);
			return false;
		}
		g_string_append_printf(cmd, "%s\"%s\" using 1:2 with steps lw 2 "
				       "lc rgb \"%s\" title %s",
				       i ? ", \\\n     " : "", file, colour(i),
				       lab);
		g_free(file);
		g_free(lab);
	}
	script_end(s, "latency-cdf", cmd->str);
	g_string_free(cmd, TRUE);
	return write_file(p, "latency-cdf.gp", s, err);
}

/* cost: per request (dispatch order), queueing + overhead + seek +
 * rotation + transfer, stacked; one group of bars per run. */
static bool plot_cost(struct plotter *p, GError **err)
{
	static const char *const parts[] = {
		"queueing", "overhead", "seek", "rotation", "transfer",
	};
	static const char *const part_colours[] = {
		"#bbbbbb", "#56b4e9", "#d55e00", "#e69f00", "#009e73",
	};
	GString *s = script_begin(p, "cost", "per-request cost split");
	GString *cmd = g_string_new("plot ");
	guint most = 0;

	for (guint i = 0; i < p->runs->len; i++)
		most = MAX(most, ((struct run_data *)
				  p->runs->pdata[i])->rq->len);

	g_string_append_printf(s, "set xlabel \"request (dispatch order), "
		"grouped by run; at most %d per run\" offset 0,-1.5\n"
		"set ylabel \"time (%s)\"\nset yrange [0:*]\n"
		"set style data histograms\n"
		"set style histogram rowstacked title offset 0,0.6\n"
		"set style fill solid 0.9 border -1\n"
		"set boxwidth 0.8 relative\n"
		"set bmargin 7\n"
		"%s", COST_MAX, p->unit, most > 16 ?
		"set xtics rotate by -90 font \",8\"\n" : "");
	for (guint i = 0; i < p->runs->len; i++) {
		struct run_data *d = p->runs->pdata[i];
		GString *dat = g_string_new("# request queueing overhead seek "
					    "rotation transfer\n");
		char *file = g_strdup_printf("cost-run%" G_GINT64_FORMAT ".dat",
					     d->st->run_id);
		char *lab = g_strdup_printf("run %" G_GINT64_FORMAT ": %s",
					    d->st->run_id, d->st->label);
		char *qlab = gp_str(lab);

		for (guint k = 0; k < MIN(d->rq->len, COST_MAX); k++) {
			struct rq_row *r = &g_array_index(d->rq, struct rq_row,
							  k);

			g_string_append_printf(dat, "%u %.3f %.3f %.3f %.3f "
				"%.3f\n", k + 1,
				t(p, r->dispatch_ns - r->queue_ns),
				t(p, r->overhead_ns), t(p, r->seek_ns),
				t(p, r->rotation_ns), t(p, r->transfer_ns));
		}
		if (!write_file(p, file, dat, err)) {
			g_free(file);
			g_free(lab);
			g_free(qlab);
			g_string_free(s, TRUE);
			g_string_free(cmd, TRUE);
			return false;
		}
		g_string_append_printf(cmd, "%snewhistogram %s lt 1",
				       i ? ", \\\n     " : "", qlab);
		for (guint c = 0; c < G_N_ELEMENTS(parts); c++)
			g_string_append_printf(cmd, ", \\\n     \"%s\" using "
				"%u:xtic(1) lc rgb \"%s\" %s%s%s",
				file, c + 2, part_colours[c],
				i ? "notitle" : "title \"", i ? "" : parts[c],
				i ? "" : "\"");
		g_free(file);
		g_free(lab);
		g_free(qlab);
	}
	script_end(s, "cost", cmd->str);
	g_string_free(cmd, TRUE);
	return write_file(p, "cost.gp", s, err);
}

/* order: request number (dispatch order) against sector, each request a
 * bar over the sectors it covers; runs side by side. */
static bool plot_order(struct plotter *p, GError **err)
{
	GString *s = script_begin(p, "order",
				  "request order at the disk");
	GString *cmd = g_string_new("plot ");
	guint n = p->runs->len, most = 1;

	for (guint i = 0; i < n; i++)
		most = MAX(most, ((struct run_data *)
				  p->runs->pdata[i])->rq->len);
	g_string_append_printf(s, "set xlabel \"request number (dispatch "
			       "order)\"\nset ylabel \"sector (512 B)\"\n"
			       "set xrange [0.5:%u.5]\n%s"
			       "set format y \"%%.0f\"\n", most,
			       most <= 32 ? "set xtics 1\n" : "");
	for (guint i = 0; i < n; i++) {
		struct run_data *d = p->runs->pdata[i];
		GString *dat = g_string_new("# request sector sectors\n");
		char *file = g_strdup_printf("order-run%" G_GINT64_FORMAT ".dat",
					     d->st->run_id);
		char *lab = label_of(d);
		double off = n > 1 ? 0.5 * ((double)i / (n - 1) - 0.5) : 0;

		for (guint k = 0; k < d->rq->len; k++) {
			struct rq_row *r = &g_array_index(d->rq, struct rq_row,
							  k);

			g_string_append_printf(dat, "%u %" G_GINT64_FORMAT " %"
					       G_GINT64_FORMAT "\n", k + 1,
					       r->sector, r->sectors);
		}
		if (!write_file(p, file, dat, err)) {
			g_free(file);
			g_free(lab);
			g_string_free(s, TRUE);
			g_string_free(cmd, TRUE);
			return false;
		}
		g_string_append_printf(cmd, "%s\"%s\" using ($1 + %.3f):2:(0):3 "
			"with vectors nohead lw %d lc rgb \"%s\" title %s, "
			"\"%s\" using ($1 + %.3f):2 with linespoints lw 1 "
			"dt 2 pt 7 ps 0.8 lc rgb \"%s\" notitle",
			i ? ", \\\n     " : "", file, off,
			most <= 64 ? 8 : 2, colour(i), lab, file, off,
			colour(i));
		g_free(file);
		g_free(lab);
	}
	script_end(s, "order", cmd->str);
	g_string_free(cmd, TRUE);
	return write_file(p, "order.gp", s, err);
}

static bool gnuplot_has(const char *term)
{
	char *argv[] = { GNUPLOT_PATH, "-e", NULL, NULL };
	char *e = g_strdup_printf("set terminal %s", term);
	int status = -1;
	bool ok;

	argv[2] = e;
	ok = g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL |
			  G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL,
			  &status, NULL) &&
	     g_spawn_check_wait_status(status, NULL);
	g_free(e);
	return ok;
}

static bool run_gnuplot(struct plotter *p, const char *name, GError **err)
{
	char *script = g_strdup_printf("%s.gp", name);
	char *argv[] = { GNUPLOT_PATH, script, NULL };
	char *errout = NULL;
	int status = -1;
	bool ok;

	ok = g_spawn_sync(p->dir, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
			  NULL, NULL, NULL, &errout, &status, err);
	if (ok && !g_spawn_check_wait_status(status, NULL)) {
		g_set_error(err, PLOT_ERROR, 0, "%s/%s: gnuplot failed: %s",
			    p->dir, script, errout ? errout : "");
		ok = false;
	} else if (!ok) {
		g_prefix_error(err, "%s: cannot run gnuplot (%s): ", p->dir,
			       GNUPLOT_PATH);
	}
	g_free(errout);
	g_free(script);
	return ok;
}

static void pick_unit(struct plotter *p)
{
	if (p->span_ns < 10 * 1000000LL) {
		p->unit = "us";
		p->per_unit = 1e3;
	} else if (p->span_ns < 10 * 1000000000LL) {
		p->unit = "ms";
		p->per_unit = 1e6;
	} else {
		p->unit = "s";
		p->per_unit = 1e9;
	}
	p->bucket_ns = MAX((p->span_ns + BUCKETS - 1) / BUCKETS, 1);
}

static void run_data_free(gpointer x)
{
	struct run_data *d = x;

	if (d->rq)
		g_array_unref(d->rq);
	g_free(d);
}

/* A name plot_write() may write into its folder. */
static bool plot_output_name(const char *name)
{
	static const char *const exts[] = { ".gp", ".png", ".svg", ".pdf" };

	static const char *const *const lists[] = {
		plot_names, plot_experiment_names,
	};

	for (size_t l = 0; l < G_N_ELEMENTS(lists); l++)
		for (const char *const *n = lists[l]; *n; n++) {
			size_t len = strlen(*n);

			if (strncmp(name, *n, len))
				continue;
			for (size_t e = 0; e < G_N_ELEMENTS(exts); e++)
				if (!strcmp(name + len, exts[e]))
					return true;
			if (name[len] == '-' &&
			    g_str_has_suffix(name, ".dat"))
				return true;
		}
	return false;
}

bool plot_check_dir(const char *dir, struct out_inputs *in, GError **err)
{
	GDir *d;
	const char *name;
	bool ok = true;

	if (!g_file_test(dir, G_FILE_TEST_EXISTS))
		return true;
	if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
		if (out_check(in, dir, "--out", err))
			g_set_error(err, OUT_ERROR, OUT_ERROR_REFUSED, "%s: "
				    "--out is not a folder; refused, nothing "
				    "was written", dir);
		return false;
	}
	d = g_dir_open(dir, 0, err);
	if (!d)
		return false;
	while (ok && (name = g_dir_read_name(d))) {
		char *path;

		if (!plot_output_name(name))
			continue;
		path = g_build_filename(dir, name, NULL);
		ok = out_check(in, path, "--out", err);
		g_free(path);
	}
	g_dir_close(d);
	return ok;
}

/*
 * Is a picture gnuplot wrote whole?  gnuplot may exit 0 after a failed
 * write (a full disk, EFBIG), so each file is checked for its format's
 * ending: PNG's IEND chunk, SVG's </svg>, PDF's %%EOF.
 */
static bool picture_whole(const char *path)
{
	static const unsigned char iend[] = {
		0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82,
	};
	char *text = NULL;
	gsize len = 0;
	bool ok = false;

	if (!g_file_get_contents(path, &text, &len, NULL))
		return false;
	if (g_str_has_suffix(path, ".png"))
		ok = len >= sizeof(iend) &&
		     !memcmp(text + len - sizeof(iend), iend, sizeof(iend));
	else if (g_str_has_suffix(path, ".svg") ||
		 g_str_has_suffix(path, ".pdf"))
		ok = len > 0 && g_strstr_len(text + (len > 64 ? len - 64 : 0),
			MIN(len, 64), g_str_has_suffix(path, ".svg") ?
			"</svg>" : "%%EOF");
	else
		ok = len > 0;
	g_free(text);
	return ok;
}

/* Sync a file gnuplot wrote, so that the rename publishes it whole. */
static bool sync_file(const char *path)
{
	int fd = g_open(path, O_RDONLY | O_CLOEXEC, 0);
	bool ok = fd >= 0 && !fsync(fd);

	if (fd >= 0)
		close(fd);
	return ok;
}

/* The staging folder's files: checked, then renamed into dir, sorted. */
static bool publish(const char *stage, const char *dir, GError **err)
{
	GDir *d = g_dir_open(stage, 0, err);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	const char *name;
	bool ok = d != NULL;

	while (d && (name = g_dir_read_name(d)))
		g_ptr_array_add(names, g_strdup(name));
	if (d)
		g_dir_close(d);
	g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
	for (guint i = 0; ok && i < names->len; i++) {
		char *from = g_build_filename(stage, names->pdata[i], NULL);

		if (!picture_whole(from) || !sync_file(from)) {
			g_set_error(err, OUT_ERROR, OUT_ERROR_WRITE, "%s/%s: "
				    "gnuplot could not write it whole (is the "
				    "disk full, or the file size limited?)",
				    dir, (char *)names->pdata[i]);
			ok = false;
		}
		g_free(from);
	}
	for (guint i = 0; ok && i < names->len; i++) {
		char *from = g_build_filename(stage, names->pdata[i], NULL);
		char *to = g_build_filename(dir, names->pdata[i], NULL);

		if (g_rename(from, to)) {
			g_set_error(err, OUT_ERROR, OUT_ERROR_WRITE, "%s: %s",
				    to, g_strerror(errno));
			ok = false;
		}
		g_free(from);
		g_free(to);
	}
	g_ptr_array_unref(names);
	return ok;
}

/* Remove the staging folder and what is left in it. */
static void remove_stage(const char *stage)
{
	GDir *d = g_dir_open(stage, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		char *path = g_build_filename(stage, name, NULL);

		g_unlink(path);
		g_free(path);
	}
	if (d)
		g_dir_close(d);
	g_rmdir(stage);
}

bool plot_write(struct adb *a, const GPtrArray *stats, const char *dir,
		GError **err)
{
	return plot_write_for(a, stats, dir, NULL, err);
}

/*
 * Everything is written into a staging folder inside dir, and gnuplot
 * runs there; only when every script, data file and picture is whole are
 * they renamed into dir.  So a failure leaves dir as it was.
 */
/* A staging folder in dir, for every file a set of plots writes. */
struct plot_stage {
	char *dir, *path;
	struct sigaction old_int, old_term;
};

struct plot_stage *plot_stage_begin(const char *dir, GError **err)
{
	struct plot_stage *st;
	char *path;

	if (g_mkdir_with_parents(dir, 0777)) {
		g_set_error(err, PLOT_ERROR, 0, "%s: %s", dir,
			    g_strerror(errno));
		return NULL;
	}
	path = g_build_filename(dir, ".mpsim-plot-XXXXXX", NULL);
	if (!g_mkdtemp(path)) {
		g_set_error(err, PLOT_ERROR, 0, "%s: cannot create a folder "
			    "in it: %s", dir, g_strerror(errno));
		g_free(path);
		return NULL;
	}
	st = g_new0(struct plot_stage, 1);
	st->dir = g_strdup(dir);
	st->path = path;
	/* a signal from here on removes the staging folder first */
	out_catch_signals(NULL, &st->old_int, &st->old_term);
	return st;
}

const char *plot_stage_dir(const struct plot_stage *st)
{
	return st->path;
}

bool plot_stage_end(struct plot_stage *st, bool ok, GError **err)
{
	ok = ok && !out_signal() && publish(st->path, st->dir, err);
	remove_stage(st->path);
	out_restore_signals(&st->old_int, &st->old_term);
	if (out_signal()) {	/* nothing left: end as the signal would */
		raise(out_signal());
		/* still here: the signal was ignored before plot caught it */
		if (!err || !*err)
			g_set_error(err, PLOT_ERROR, 0, "%s: interrupted; "
				    "nothing was written", st->dir);
		ok = false;
	}
	g_free(st->dir);
	g_free(st->path);
	g_free(st);
	return ok;
}

bool plot_write_for(struct adb *a, const GPtrArray *stats, const char *dir,
		    struct out_inputs *inputs, GError **err)
{
	struct plotter p = { 0 };
	struct out_inputs *own = inputs ? NULL : out_inputs_new();
	struct plot_stage *stage;
	GString *title;
	bool ok;

	if (own)
		out_inputs_add_db(own, adb_path(a), "the database");
	ok = plot_check_dir(dir, inputs ? inputs : own, err);
	out_inputs_free(own);
	if (!ok || !(stage = plot_stage_begin(dir, err)))
		return false;
	title = g_string_new(NULL);
	p.dir = plot_stage_dir(stage);
	p.runs = g_ptr_array_new_with_free_func(run_data_free);
	for (guint i = 0; ok && i < stats->len; i++) {
		struct run_data *d = g_new0(struct run_data, 1);
		const struct run_stats *st = stats->pdata[i];

		d->st = st;
		g_ptr_array_add(p.runs, d);
		d->rq = adb_requests(a, st->run_id, err);
		ok = d->rq != NULL;
		p.span_ns = MAX(p.span_ns, st->elapsed_ns);
		if (st->scenario && !strstr(title->str, st->scenario))
			g_string_append_printf(title, "%s%s",
					       title->len ? ", " : "",
					       st->scenario);
	}
	p.title = g_string_free(title, FALSE);
	pick_unit(&p);
	p.png_term = gnuplot_has("pngcairo") ? "pngcairo" : "png";
	ok = ok && plot_dispatch(&p, err) && plot_rate(&p, RATE_BYTES, err) &&
	     plot_rate(&p, RATE_SEEKS, err) && plot_seek_distance(&p, err) &&
	     plot_latency(&p, err) && plot_cost(&p, err) &&
	     plot_order(&p, err);
	for (const char *const *n = plot_names; ok && *n && !out_signal(); n++)
		ok = run_gnuplot(&p, *n, err);
	g_ptr_array_unref(p.runs);
	g_free(p.title);
	return plot_stage_end(stage, ok, err);
}

/* ---- for plot-experiment.c (plot-int.h) ---- */

char *plot_quote(const char *s)
{
	return gp_str(s);
}

const char *plot_png_terminal(void)
{
	return gnuplot_has("pngcairo") ? "pngcairo" : "png";
}

GString *plot_script_begin(const char *scenario, const char *name,
			   const char *what)
{
	struct plotter p = { .png_term = plot_png_terminal(),
			     .title = (char *)scenario };

	return script_begin(&p, name, what);
}

void plot_script_end(GString *s, const char *name, const char *plot)
{
	script_end(s, name, plot);
}

const char *plot_colour(guint i)
{
	return colour(i);
}

bool plot_save(const char *dir, const char *name, GString *s, GError **err)
{
	struct plotter p = { .dir = dir };

	return write_file(&p, name, s, err);
}

bool plot_run_gnuplot(const char *dir, const char *name, GError **err)
{
	struct plotter p = { .dir = dir };

	return run_gnuplot(&p, name, err);
}
