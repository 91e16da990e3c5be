/*
 * plot.c - pictures of runs drawn by gnuplot (see plot.h).
 *
 * Every figure is computed here, in C, with the definitions of stats.h
 * (dispatch order, seeks, latency); gnuplot only draws columns of numbers.
 * Each script sets its terminal last, once per format asked for (PNG from
 * the cairo terminal when gnuplot has it, else from png; SVG; PDF from
 * pdfcairo), so that the same figure comes out in each.
 *
 * Axes and scales:
 *  - time axes use one unit for all runs shown (us, ms or s, whichever
 *    keeps the longest run between 1 and 10000 units);
 *  - the rate plots (throughput, seeks) count in buckets chosen from the
 *    runs: clamp(R / 8, 1, 50) buckets, R the requests of the busiest run
 *    shown (about 8 requests a bucket), over the longest run, each
 *    bucket's length rounded up to 1, 2 or 5 times a power of ten ns, so
 *    that 3 requests make one bucket and 600 make 50;
 *  - positions (dispatch, order) are 512-byte sectors, or with
 *    axis_block filesystem blocks: sector / (fs.block_size / 512), the
 *    run's block size from run_option, as fs/mpage.c counts blocks;
 *  - a cache flush (rq_is_flush(): no sector) has no position: it is
 *    left out of the dispatch, order and seek figures and of the seek
 *    count (as stats.c and the SQL views do), and the title says how many
 *    were;
 *  - the order plot marks a request whose bios are all metadata (bio
 *    origin 'meta') as "metadata", and one with some metadata bios as
 *    "data + metadata", each with its own marker, colour and key entry;
 *  - past LEGIBLE_MAX requests in a run, lines are thin and point markers
 *    are left out; the cost plot labels every k-th request so that at
 *    most COST_LABELS requests are labelled.
 *
 * A figure with nothing to draw (no run shown has requests, or none with
 * a position, or no seeks) is not drawn, and a run with nothing to draw
 * is left out of a figure; each is said in plot_options.notes, so that
 * gnuplot never fails on an empty data file.
 */
#include "config.h"

#include "analysis/plot.h"
#include "analysis/plot-int.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/stats.h"
#include "log/output.h"

#define PLOT_ERROR (g_quark_from_static_string("mpsim-plot-error"))
#define BUCKETS_MAX 50		/* time buckets of the rate plots, at most */
#define RQ_PER_BUCKET 8		/* requests of the busiest run a bucket */
#define COST_MAX 64		/* requests per run in the cost plot */
#define COST_LABELS 16		/* labelled requests in the cost plot */
#define LEGIBLE_MAX 100		/* requests a run past which lines thin */

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

/* What a request reads or writes, from the origins of its bios. */
enum rq_kind { KIND_DATA, KIND_META, KIND_MIXED, NKINDS };

struct run_data {
	const struct run_stats *st;
	GArray *rq;		/* struct rq_row, dispatch order */
	GArray *pos;		/* struct rq_row: those with a position */
	GArray *num;		/* guint: each pos's number in rq (1-based) */
	GArray *kind;		/* enum rq_kind (as int) of each pos */
	guint flushes;		/* rq - pos */
	int64_t spb;		/* sectors per unit of the position axis */
};

struct plotter {
	const char *dir;
	const struct plot_options *o;
	GPtrArray *runs;	/* struct run_data* */
	GPtrArray *drawn;	/* the names of the figures written */
	const char *unit;	/* "us", "ms" or "s" */
	double per_unit;	/* ns per unit */
	int64_t span_ns;	/* the longest run */
	int64_t bucket_ns;
	guint most;		/* requests of the busiest run */
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

static void note(struct plotter *p, const char *fmt, ...)
	G_GNUC_PRINTF(2, 3);

/* One line for plot_options.notes. */
static void note(struct plotter *p, const char *fmt, ...)
{
	va_list ap;

	if (!p->o->notes)
		return;
	va_start(ap, fmt);
	g_ptr_array_add(p->o->notes, g_strdup_vprintf(fmt, ap));
	va_end(ap);
}

/* The start of a script: title, grid, key outside the data. */
static GString *script_begin(struct plotter *p, const char *name,
			     const char *what)
{
	GString *s = g_string_new(NULL);
	char *t = g_strdup_printf("%s: %s", p->title, what);
	char *title = gp_str(t);

	g_string_append_printf(s,
		"# %s.gp - %s; data in %s*.dat.\n"
		"# Run `gnuplot %s.gp` in this folder to redraw its pictures.\n"
		"set title %s font \"sans,14\"\n"
		"set grid\n"
		"set key outside right top box\n",
		name, what, name, name, title);
	g_free(t);
	g_free(title);
	return s;
}

/*
 * The terminal and output of one format.  The terminals draw a point
 * size at different sizes: PS scales every marker so that they look
 * alike in each (the plot command is parsed again at each replot).
 */
static void terminal(GString *s, unsigned format, const char *name)
{
	g_string_append_printf(s, "PS = %s\n", format == PLOT_PNG ? "1" :
			       format == PLOT_SVG ? "0.45" : "0.6");
	switch (format) {
	case PLOT_PNG:
		g_string_append_printf(s, "if (strstrt(' '.GPVAL_TERMINALS.' ', "
			"' pngcairo ') > 0) {\n"
			"    set terminal pngcairo size 1000,600 "
			"font \"sans,12\" noenhanced\n"
			"} else {\n"
			"    set terminal png size 1000,600 noenhanced\n"
			"}\n"
			"set output \"%s.png\"\n", name);
		break;
	case PLOT_SVG:
		g_string_append_printf(s, "set terminal svg size 1000,600 "
			"dynamic font \"sans,12\" noenhanced\n"
			"set output \"%s.svg\"\n", name);
		break;
	default:
		g_string_append_printf(s, "set terminal pdfcairo size 6in,3.6in "
			"font \"sans,10\" noenhanced\n"
			"set output \"%s.pdf\"\n", name);
		break;
	}
}

/* The end: the plot command in the first format, a replot in each other. */
static void script_end(GString *s, const char *name, const char *plot,
		       const struct plot_options *o)
{
	bool first = true;

	for (unsigned f = PLOT_PNG; f <= PLOT_PDF; f <<= 1) {
		if (!(o->formats & f))
			continue;
		terminal(s, f, name);
		g_string_append_printf(s, "%s\n", first ? plot : "replot");
		first = false;
	}
	g_string_append(s, "unset output\n");
}

/* The axes' labels, each a string of gp_str(). */
static void axis_labels(GString *s, const char *x, const char *y)
{
	char *qx = gp_str(x), *qy = gp_str(y);

	g_string_append_printf(s, "set xlabel %s\nset ylabel %s\n", qx, qy);
	g_free(qx);
	g_free(qy);
}

/* "run N: LABEL" ("run N" when that is the label) and a suffix. */
static char *run_name(const struct run_data *d, const char *suffix)
{
	char *n = g_strdup_printf("run %" G_GINT64_FORMAT, d->st->run_id);
	char *l = strcmp(n, d->st->label) ?
		  g_strdup_printf("%s: %s%s", n, d->st->label, suffix) :
		  g_strconcat(n, suffix, NULL);

	g_free(n);
	return l;
}

/* The data file of a figure for a run: FIGURE-runN.dat. */
static char *dat_name(const char *figure, const struct run_data *d)
{
	return g_strdup_printf("%s-run%" G_GINT64_FORMAT ".dat", figure,
			       d->st->run_id);
}

/* The legend of a run, quoted. */
static char *label_of(struct run_data *d)
{
	char *l = run_name(d, "");
	char *q = gp_str(l);

	g_free(l);
	return q;
}

static double t(struct plotter *p, int64_t ns)
{
	return (double)ns / p->per_unit;
}

/* A position (a sector, or a count of them) on the position axis. */
static void append_pos(GString *s, const struct run_data *d, int64_t sectors)
{
	if (sectors % d->spb == 0)
		g_string_append_printf(s, "%" G_GINT64_FORMAT,
				       sectors / d->spb);
	else
		g_string_append_printf(s, "%.3f", (double)sectors /
				       (double)d->spb);
}

/* The position axis' label. */
static char *pos_label(struct plotter *p)
{
	int64_t spb = 0;

	if (!p->o->axis_block)
		return g_strdup("sector (512 B)");
	for (guint i = 0; i < p->runs->len; i++) {
		struct run_data *d = p->runs->pdata[i];

		if (spb && spb != d->spb)
			return g_strdup("filesystem block (each run's "
					"fs.block_size)");
		spb = d->spb;
	}
	return g_strdup_printf("filesystem block (%" G_GINT64_FORMAT " B)",
			       spb * 512);
}

/* ", N cache flushes left out (no position)" when the runs have any. */
static char *flush_note(struct plotter *p)
{
	guint n = 0;

	for (guint i = 0; i < p->runs->len; i++)
		n += ((struct run_data *)p->runs->pdata[i])->flushes;
	if (!n)
		return g_strdup("");
	return g_strdup_printf("; %u cache flush%s left out (no position)", n,
			       n == 1 ? "" : "es");
}

static const char *sep(const GString *cmd)
{
	return strcmp(cmd->str, "plot ") ? ", \\\n     " : "";
}

/* A key entry for run i, drawn nowhere: "run N: LABEL (why)". */
static void run_left_out(GString *cmd, struct run_data *d, guint i,
			 const char *why)
{
	char *w = g_strdup_printf(" (%s)", why);
	char *l = run_name(d, w);
	char *q = gp_str(l);

	g_free(w);
	g_string_append_printf(cmd, "%s1/0 with lines lw 2 lc rgb \"%s\" "
			       "title %s", sep(cmd), colour(i), q);
	g_free(l);
	g_free(q);
}

/* Is the figure drawn at all: some run has rows; else a note. */
static bool any_rows(struct plotter *p, const char *name, bool positioned,
		     const char *why)
{
	for (guint i = 0; i < p->runs->len; i++) {
		struct run_data *d = p->runs->pdata[i];

		if ((positioned ? d->pos : d->rq)->len)
			return true;
	}
	for (guint i = 0; i < p->runs->len; i++)
		if (((struct run_data *)
		     p->runs->pdata[i])->st->bios_without_request) {
			note(p, "%s: not drawn: %s (their bios ended without "
			     "a request, as on a bio-based device)", name, why);
			return false;
		}
	note(p, "%s: not drawn: %s", name, why);
	return false;
}

/*
 * A run with no rows is left out of a figure the others are drawn in: a
 * key entry of its own says so (an undefined function draws nothing).
 */
static bool run_has_rows(struct plotter *p, const char *name, GString *cmd,
			 struct run_data *d, guint i, bool positioned)
{
	const char *what = positioned ? "no request with a position" :
			   "no requests";
	if ((positioned ? d->pos : d->rq)->len)
		return true;
	note(p, "%s: run %" G_GINT64_FORMAT " left out: it has %s%s", name,
	     d->st->run_id, what, d->st->bios_without_request ?
	     " (its bios ended without a request, as on a bio-based "
	     "device)" : "");
	run_left_out(cmd, d, i, what);
	return false;
}

/* The end of a figure: its script saved, its name kept for gnuplot. */
static bool figure_end(struct plotter *p, const char *name, GString *s,
		       GString *cmd, GError **err)
{
	char *file = g_strdup_printf("%s.gp", name);
	bool ok;

	script_end(s, name, cmd->str, p->o);
	g_string_free(cmd, TRUE);
	ok = write_file(p, file, s, err);
	g_free(file);
	if (ok)
		g_ptr_array_add(p->drawn, (gpointer)name);
	return ok;
}

/* A figure given up half-way (a data file could not be written). */
static bool figure_fail(GString *s, GString *cmd, char *file, char *lab)
{
	g_string_free(s, TRUE);
	g_string_free(cmd, TRUE);
	g_free(file);
	g_free(lab);
	return false;
}

/* dispatch: each request a segment from (dispatch, first sector) to
 * (completion, last sector), seekwatcher-style. */
static bool plot_dispatch(struct plotter *p, GError **err)
{
	char *fl = flush_note(p);
	char *what = g_strdup_printf("dispatch %s against time%s",
				     p->o->axis_block ? "block" : "sector", fl);
	char *yl = pos_label(p), *xl;
	GString *s, *cmd;

	g_free(fl);
	if (!any_rows(p, "dispatch", true, "no run shown has a request with "
		      "a position")) {
		g_free(what);
		g_free(yl);
		return true;
	}
	s = script_begin(p, "dispatch", what);
	cmd = g_string_new("plot ");
	xl = g_strdup_printf("time (%s)", p->unit);
	axis_labels(s, xl, yl);
	g_string_append(s, "set format y \"%.0f\"\n");
	g_free(what);
	g_free(xl);
	g_free(yl);
	for (guint i = 0; i < p->runs->len; i++) {
		struct run_data *d = p->runs->pdata[i];
		GString *dat;
		char *name, *lab;
		bool many = d->pos->len > LEGIBLE_MAX;

		if (!run_has_rows(p, "dispatch", cmd, d, i, true))
			continue;
		dat = g_string_new("# dispatch_time position service_time "
				   "length\n");
		name = dat_name("dispatch", d);
		lab = label_of(d);
		for (guint k = 0; k < d->pos->len; k++) {
			struct rq_row *r = &g_array_index(d->pos, struct rq_row,
							  k);

			g_string_append_printf(dat, "%.3f ",
					       t(p, r->dispatch_ns));
			append_pos(dat, d, r->sector);
			g_string_append_printf(dat, " %.3f ",
				t(p, r->complete_ns - r->dispatch_ns));
			append_pos(dat, d, r->sectors);
			g_string_append_c(dat, '\n');
		}
		if (!write_file(p, name, dat, err))
			return figure_fail(s, cmd, name, lab);
		g_string_append_printf(cmd, "%s\"%s\" using 1:2:3:4 with vectors "
			"nohead lw %d lc rgb \"%s\" title %s", sep(cmd), name,
			many ? 2 : 3, colour(i), lab);
		if (!many)
			g_string_append_printf(cmd, ", \\\n     \"%s\" using 1:2 "
				"with points pt %u ps 1.2*PS lc rgb \"%s\" "
				"notitle", name, 5 + 2 * (i % 4), colour(i));
		g_free(name);
		g_free(lab);
	}
	return figure_end(p, "dispatch", s, cmd, err);
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

/* The seeks of a run's positioned requests, as stats.h defines them:
 * each request whose first sector is not the previous one's end. */
static bool is_seek(const struct run_data *d, guint k)
{
	const struct rq_row *r = &g_array_index(d->pos, struct rq_row, k);

	return k > 0 && r->sector != r[-1].sector + r[-1].sectors;
}

static bool plot_rate(struct plotter *p, enum rate_kind kind, GError **err)
{
	const char *name = kind == RATE_BYTES ? "throughput" : "seeks";
	guint nb = (guint)((p->span_ns + p->bucket_ns - 1) / p->bucket_ns);
	GString *s, *cmd;
	char *xl;

	if (!any_rows(p, name, false, "no run shown has any request"))
		return true;
	s = script_begin(p, name, kind == RATE_BYTES ?
			 "throughput against time" :
			 "seeks per second (by dispatch)");
	cmd = g_string_new("plot ");
	xl = g_strdup_printf("time (%s), %u bucket%s of %.6g %s", p->unit, nb,
			     nb == 1 ? "" : "s", t(p, p->bucket_ns), p->unit);
	axis_labels(s, xl, kind == RATE_BYTES ? "throughput (MB/s)" :
		    "seeks per second");
	g_string_append(s, "set yrange [0:*]\n");
	g_free(xl);
	for (guint i = 0; i < p->runs->len; i++) {
		struct run_data *d = p->runs->pdata[i];
		double *sum;
		GString *dat;
		char *file, *lab;

		if (!run_has_rows(p, name, cmd, d, i, false))
			continue;
		sum = g_new0(double, nb + 1);
		dat = g_string_new(NULL);
		file = dat_name(name, d);
		lab = label_of(d);
		if (kind == RATE_BYTES) {
			for (guint k = 0; k < d->rq->len; k++) {
				struct rq_row *r = &g_array_index(d->rq,
							struct rq_row, k);

				spread(p, sum, nb, r->dispatch_ns,
				       r->complete_ns,
				       (double)(r->sectors * 512));
			}
		} else {
			for (guint k = 0; k < d->pos->len; k++) {
				struct rq_row *r = &g_array_index(d->pos,
							struct rq_row, k);

				if (is_seek(d, k))
					sum[MIN(r->dispatch_ns / p->bucket_ns,
						nb)] += 1;
			}
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
		if (!write_file(p, file, dat, err))
			return figure_fail(s, cmd, file, lab);
		g_string_append_printf(cmd, "%s\"%s\" using 1:2 with steps lw %d "
				       "lc rgb \"%s\" title %s", sep(cmd), file,
				       p->most > LEGIBLE_MAX ? 1 : 2, colour(i),
				       lab);
		g_free(file);
		g_free(lab);
	}
	return figure_end(p, name, s, cmd, err);
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

/* The signed distance of seek k (sector - previous end). */
static int64_t seek_distance(const struct run_data *d, guint k)
{
	const struct rq_row *r = &g_array_index(d->pos, struct rq_row, k);

	return r->sector - (r[-1].sector + r[-1].sectors);
}

static guint run_seeks(const struct run_data *d)
{
	guint n = 0;

	for (guint k = 1; k < d->pos->len; k++)
		n += is_seek(d, k);
	return n;
}

/* seek-distance: signed distance (sector - previous end) in bins of a
 * power of two sectors, each run's bars side by side in a bin. */
static bool plot_seek_distance(struct plotter *p, GError **err)
{
	int64_t lo = 0, hi = 0, width;
	guint n = p->runs->len, seeks = 0;
	char *fl = flush_note(p), *what;
	GString *s, *cmd;

	for (guint i = 0; i < n; i++) {
		struct run_data *d = p->runs->pdata[i];

		for (guint k = 1; k < d->pos->len; k++) {
			if (!is_seek(d, k))
				continue;
			lo = MIN(lo, seek_distance(d, k));
			hi = MAX(hi, seek_distance(d, k));
			seeks++;
		}
	}
	if (!any_rows(p, "seek-distance", true, "no run shown has a request "
		      "with a position")) {
		g_free(fl);
		return true;
	}
	what = g_strdup_printf("seek distance histogram%s", fl);
	s = script_begin(p, "seek-distance", what);
	cmd = g_string_new("plot ");
	g_free(fl);
	g_free(what);
	width = pow2_at_least(MAX((hi - lo) / 32, 1));
	if (seeks <= 11)
		g_string_append(s, "set ytics 1\n");
	if (!seeks)	/* axes of their own: no point defines them */
		g_string_append(s, "set xrange [-1:1]\nset yrange [0:1]\n"
				"set xtics 1\n");
	what = g_strdup_printf("seek distance (sectors; negative = backward), "
			       "bins of %" G_GINT64_FORMAT, width);
	axis_labels(s, what, "seeks");
	g_free(what);
	g_string_append_printf(s, "%sset style fill solid 0.8 border -1\n"
			       "set boxwidth %.4f absolute\n",
			       seeks ? "set yrange [0:*]\n" : "",
			       (double)width / (double)(n + 1));
	for (guint i = 0; i < n; i++) {
		struct run_data *d = p->runs->pdata[i];
		GArray *bins;
		GString *dat;
		char *file, *lab;

		if (!run_seeks(d)) {	/* not missing: none to count */
			run_left_out(cmd, d, i, "no seeks");
			continue;
		}
		bins = g_array_new(FALSE, FALSE, sizeof(int64_t));
		dat = g_string_new("# bin_start seeks\n");
		file = dat_name("seek-distance", d);
		lab = label_of(d);
		/* the bin of every seek, sorted, then counted in runs */
		for (guint k = 1; k < d->pos->len; k++) {
			int64_t dist = seek_distance(d, k);
			int64_t b;

			if (!is_seek(d, k))
				continue;
			b = dist >= 0 ? dist / width :
			    -((-dist + width - 1) / width);
			g_array_append_val(bins, b);
		}
		qsort(bins->data, bins->len, sizeof(int64_t), cmp_i64);
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
		g_array_unref(bins);
		if (!write_file(p, file, dat, err))
			return figure_fail(s, cmd, file, lab);
		g_string_append_printf(cmd, "%s\"%s\" using ($1 + %.4f):2 with "
				       "boxes lc rgb \"%s\" title %s", sep(cmd),
				       file, (double)width * (i + 1) / (n + 1),
				       colour(i), lab);
		g_free(file);
		g_free(lab);
	}
	return figure_end(p, "seek-distance", s, cmd, err);
}

/* latency-cdf: the fraction of requests done within a latency. */
static bool plot_latency(struct plotter *p, GError **err)
{
	GString *s, *cmd;
	char *xl;

	if (!any_rows(p, "latency-cdf", false, "no run shown has any "
		      "request"))
		return true;
	s = script_begin(p, "latency-cdf",
			 "request latency CDF (completion - queue)");
	cmd = g_string_new("plot ");
	xl = g_strdup_printf("latency (%s)", p->unit);
	axis_labels(s, xl, "fraction of requests");
	g_string_append(s, "set yrange [0:1.05]\nset xrange [0:*]\n");
	g_free(xl);
	for (guint i = 0; i < p->runs->len; i++) {
		struct run_data *d = p->runs->pdata[i];
		guint n = d->rq->len;
		int64_t *lat;
		GString *dat;
		char *file, *lab;

		if (!run_has_rows(p, "latency-cdf", cmd, d, i, false))
			continue;
		lat = g_new(int64_t, n);
		dat = g_string_new("# latency fraction\n");
		file = dat_name("latency-cdf", d);
		lab = label_of(d);
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
		if (!write_file(p, file, dat, err))
			return figure_fail(s, cmd, file, lab);
		g_string_append_printf(cmd, "%s\"%s\" using 1:2 with steps lw %d "
				       "lc rgb \"%s\" title %s", sep(cmd), file,
				       n > LEGIBLE_MAX ? 1 : 2, colour(i), lab);
		g_free(file);
		g_free(lab);
	}
	return figure_end(p, "latency-cdf", s, cmd, err);
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
	GString *s, *cmd;
	guint bars = 0, every;
	bool titled = false;
	char *xl, *yl;

	if (!any_rows(p, "cost", false, "no run shown has any request"))
		return true;
	for (guint i = 0; i < p->runs->len; i++)
		bars += MIN(((struct run_data *)p->runs->pdata[i])->rq->len,
			    COST_MAX);
	/* label requests 1, 1 + every, ...: at most COST_LABELS in all */
	every = MAX((bars + COST_LABELS - 1) / COST_LABELS, 1);
	s = script_begin(p, "cost", "per-request cost split");
	cmd = g_string_new("plot ");
	xl = g_strdup_printf("request (dispatch order%s), grouped by run; at "
			     "most %d per run", every > 1 ?
			     "; every few labelled" : "", COST_MAX);
	yl = g_strdup_printf("time (%s)", p->unit);
	axis_labels(s, xl, yl);
	g_free(xl);
	g_free(yl);
	g_string_append_printf(s, "set xlabel offset 0,-1\n"
		"set yrange [0:*]\n"
		"set style data histograms\n"
		"set style histogram rowstacked title offset 0,0.3\n"
		"set style fill solid 0.9 %s\n"
		"set boxwidth 0.8 relative\n"
		"set bmargin 5\n", bars > LEGIBLE_MAX ? "noborder" : "border -1");
	for (guint i = 0; i < p->runs->len; i++) {
		struct run_data *d = p->runs->pdata[i];
		GString *dat;
		char *file, *lab;

		if (!d->rq->len) {	/* a histogram: no key entry */
			note(p, "cost: run %" G_GINT64_FORMAT " left out: it "
			     "has no requests", d->st->run_id);
			continue;
		}
		dat = g_string_new("# request queueing overhead seek rotation "
				   "transfer\n");
		file = dat_name("cost", d);
		lab = label_of(d);
		for (guint k = 0; k < MIN(d->rq->len, COST_MAX); k++) {
			struct rq_row *r = &g_array_index(d->rq, struct rq_row,
							  k);

			g_string_append_printf(dat, "%u %.3f %.3f %.3f %.3f "
				"%.3f\n", k + 1,
				t(p, r->dispatch_ns - r->queue_ns),
				t(p, r->overhead_ns), t(p, r->seek_ns),
				t(p, r->rotation_ns), t(p, r->transfer_ns));
		}
		if (!write_file(p, file, dat, err))
			return figure_fail(s, cmd, file, lab);
		g_string_append_printf(cmd, "%snewhistogram %s lt 1", sep(cmd),
				       lab);
		for (guint c = 0; c < G_N_ELEMENTS(parts); c++) {
			char *pt = gp_str(parts[c]);

			g_string_append_printf(cmd, ", \\\n     \"%s\" using "
				"%u:xtic((int($1) - 1) %% %u == 0 ? "
				"stringcolumn(1) : '') lc rgb \"%s\" %s%s",
				file, c + 2, every, part_colours[c],
				titled ? "notitle" : "title ",
				titled ? "" : pt);
			g_free(pt);
		}
		titled = true;
		g_free(file);
		g_free(lab);
	}
	return figure_end(p, "cost", s, cmd, err);
}

/* The key entry, marker and colour of a kind of request (order plot). */
static const struct {
	const char *title;	/* NULL: the run's own entry */
	int pt;
	const char *colour;	/* NULL: the run's */
} kinds[NKINDS] = {
	[KIND_DATA] = { NULL, 7, NULL },
	[KIND_META] = { "metadata", 9, "#000000" },
	[KIND_MIXED] = { "data + metadata", 13, "#cc79a7" },
};

/* order: request number (dispatch order) against position, each request
 * a bar over what it covers; runs side by side; metadata marked. */
static bool plot_order(struct plotter *p, GError **err)
{
	guint n = p->runs->len, most = 1;
	char *fl = flush_note(p), *what, *yl;
	GString *s, *cmd;

	if (!any_rows(p, "order", true, "no run shown has a request with a "
		      "position")) {
		g_free(fl);
		return true;
	}
	for (guint i = 0; i < n; i++)
		most = MAX(most, ((struct run_data *)
				  p->runs->pdata[i])->rq->len);
	what = g_strdup_printf("request order at the disk%s", fl);
	s = script_begin(p, "order", what);
	cmd = g_string_new("plot ");
	yl = pos_label(p);
	axis_labels(s, "request number (dispatch order)", yl);
	g_string_append_printf(s, "set xrange [0.5:%u.5]\n%s"
			       "set format y \"%%.0f\"\n", most,
			       most <= 32 ? "set xtics 1\n" : "");
	g_free(fl);
	g_free(what);
	g_free(yl);
	for (guint i = 0; i < n; i++) {
		struct run_data *d = p->runs->pdata[i];
		double off = n > 1 ? 0.5 * ((double)i / (n - 1) - 0.5) : 0;
		bool many = d->rq->len > LEGIBLE_MAX, has[NKINDS] = { 0 };
		GString *dat;
		char *file, *lab;

		if (!run_has_rows(p, "order", cmd, d, i, true))
			continue;
		dat = g_string_new("# request position length kind (0 data, "
				   "1 metadata, 2 data + metadata)\n");
		file = dat_name("order", d);
		lab = label_of(d);
		for (guint k = 0; k < d->pos->len; k++) {
			struct rq_row *r = &g_array_index(d->pos, struct rq_row,
							  k);
			int kd = g_array_index(d->kind, int, k);

			has[kd] = true;
			g_string_append_printf(dat, "%u ",
					       g_array_index(d->num, guint, k));
			append_pos(dat, d, r->sector);
			g_string_append_c(dat, ' ');
			append_pos(dat, d, r->sectors);
			g_string_append_printf(dat, " %d\n", kd);
		}
		if (!write_file(p, file, dat, err))
			return figure_fail(s, cmd, file, lab);
		g_string_append_printf(cmd, "%s\"%s\" using ($1 + %.3f):2:(0):3 "
			"with vectors nohead lw %d lc rgb \"%s\" title %s, "
			"\\\n     \"%s\" using ($1 + %.3f):2 with %s lc rgb "
			"\"%s\" notitle", sep(cmd), file, off,
			most <= 64 ? 8 : 2, colour(i), lab, file,
			off, many ? "lines lw 0.5" :
			"linespoints lw 1 dt 2 pt 7 ps 0.8*PS", colour(i));
		/* metadata: a marker of its own at the request's middle */
		for (int k = KIND_META; k < NKINDS; k++) {
			char *t_, *kt;

			if (!has[k])
				continue;
			t_ = g_strdup_printf("run %" G_GINT64_FORMAT ": %s",
					     d->st->run_id, kinds[k].title);
			kt = gp_str(t_);
			g_free(t_);
			g_string_append_printf(cmd, ", \\\n     \"%s\" using "
				"($1 + %.3f):($4 == %d ? $2 + $3 / 2 : 1/0) "
				"with points pt %d ps %.1f*PS lc rgb \"%s\" "
				"title %s", file, off, k, kinds[k].pt,
				many ? 0.8 : 2.6, kinds[k].colour, kt);
			g_free(kt);
		}
		g_free(file);
		g_free(lab);
	}
	return figure_end(p, "order", s, cmd, err);
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


/* The smallest 1, 2 or 5 times a power of ten that is >= x (x >= 1). */
static int64_t round_up_125(int64_t x)
{
	for (int64_t p10 = 1;; p10 *= 10)
		for (int m = 1; m <= 5; m += m == 2 ? 3 : 1)
			if (m * p10 >= x || p10 > INT64_MAX / 50)
				return m * p10;
}

/* The time unit, and the rate plots' buckets (see the opening comment). */
static void pick_unit(struct plotter *p)
{
	int64_t nb = CLAMP(p->most / RQ_PER_BUCKET, 1, BUCKETS_MAX);

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
	p->bucket_ns = round_up_125(MAX((p->span_ns + nb - 1) / nb, 1));
}

static void run_data_free(gpointer x)
{
	struct run_data *d = x;

	if (d->rq)
		g_array_unref(d->rq);
	if (d->pos)
		g_array_unref(d->pos);
	if (d->num)
		g_array_unref(d->num);
	if (d->kind)
		g_array_unref(d->kind);
	g_free(d);
}

static bool sql_fail(struct adb *a, GError **err, const char *what)
{
	g_set_error(err, PLOT_ERROR, 0, "%s: %s: %s", adb_path(a), what,
		    sqlite3_errmsg(adb_handle(a)));
	return false;
}

/* The kind of each request of a run by seq (origins of its bios). */
static GHashTable *request_kinds(struct adb *a, int64_t run_id, GError **err)
{
	GHashTable *h = g_hash_table_new_full(g_int64_hash, g_int64_equal,
					      g_free, NULL);
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(adb_handle(a), "SELECT request_seq, "
			       "min(origin = 'meta'), max(origin = 'meta') "
			       "FROM bio WHERE run_id = ? AND request_seq "
			       "IS NOT NULL GROUP BY request_seq", -1, &st,
			       NULL) != SQLITE_OK) {
		sql_fail(a, err, "reading the bios' origins");
		g_hash_table_unref(h);
		return NULL;
	}
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t *seq = g_new(int64_t, 1);
		bool all = sqlite3_column_int(st, 1), some =
			sqlite3_column_int(st, 2);

		*seq = sqlite3_column_int64(st, 0);
		g_hash_table_insert(h, seq, GINT_TO_POINTER(all ? KIND_META :
					   some ? KIND_MIXED : KIND_DATA));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		sql_fail(a, err, "reading the bios' origins");
		g_hash_table_unref(h);
		return NULL;
	}
	return h;
}

/* Sectors per filesystem block of a run (its fs.block_size option). */
static bool block_sectors(struct adb *a, int64_t run_id, int64_t *spb,
			  GError **err)
{
	sqlite3_stmt *st = NULL;
	int64_t bs = 0;

	if (sqlite3_prepare_v2(adb_handle(a), "SELECT value FROM run_option "
			       "WHERE run_id = ? AND key = 'fs.block_size'",
			       -1, &st, NULL) != SQLITE_OK)
		return sql_fail(a, err, "reading fs.block_size");
	sqlite3_bind_int64(st, 1, run_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		bs = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (bs < 512 || bs % 512) {
		g_set_error(err, PLOT_ERROR, 0, "%s: run %" G_GINT64_FORMAT
			    ": --axis block needs the run's fs.block_size (a "
			    "multiple of 512), and it has none", adb_path(a),
			    run_id);
		return false;
	}
	*spb = bs / 512;
	return true;
}

/* A run's requests, those with a position, and their kinds. */
static struct run_data *run_data_load(struct adb *a,
				      const struct run_stats *st, bool block,
				      GError **err)
{
	struct run_data *d = g_new0(struct run_data, 1);
	GHashTable *kinds_of;

	d->st = st;
	d->spb = 1;
	d->rq = adb_requests(a, st->run_id, err);
	if (!d->rq || (block && !block_sectors(a, st->run_id, &d->spb, err)) ||
	    !(kinds_of = request_kinds(a, st->run_id, err))) {
		run_data_free(d);
		return NULL;
	}
	d->pos = g_array_new(FALSE, FALSE, sizeof(struct rq_row));
	d->num = g_array_new(FALSE, FALSE, sizeof(guint));
	d->kind = g_array_new(FALSE, FALSE, sizeof(int));
	for (guint k = 0; k < d->rq->len; k++) {
		struct rq_row *r = &g_array_index(d->rq, struct rq_row, k);
		guint num = k + 1;
		int kind;

		/* no position: a cache flush (as stats.c, by its sectors) */
		if (r->sectors == 0) {
			d->flushes++;
			continue;
		}
		kind = GPOINTER_TO_INT(g_hash_table_lookup(kinds_of, &r->seq));
		g_array_append_val(d->pos, *r);
		g_array_append_val(d->num, num);
		g_array_append_val(d->kind, kind);
	}
	g_hash_table_unref(kinds_of);
	return d;
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
 * signature at the start and its ending: PNG's 8-byte signature and IEND
 * chunk, SVG's <svg and </svg>, PDF's %PDF- and %%EOF.
 */
static bool picture_whole(const char *path)
{
	static const unsigned char png_sig[] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
	};
	static const unsigned char iend[] = {
		0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82,
	};
	char *text = NULL;
	gsize len = 0;
	bool ok = false;

	if (!g_file_get_contents(path, &text, &len, NULL))
		return false;
	if (g_str_has_suffix(path, ".png"))
		ok = len >= sizeof(png_sig) + sizeof(iend) &&
		     !memcmp(text, png_sig, sizeof(png_sig)) &&
		     !memcmp(text + len - sizeof(iend), iend, sizeof(iend));
	else if (g_str_has_suffix(path, ".svg"))
		ok = g_strstr_len(text, MIN(len, 1024), "<svg") &&
		     g_strstr_len(text + (len > 64 ? len - 64 : 0),
				  MIN(len, 64), "</svg>");
	else if (g_str_has_suffix(path, ".pdf"))
		ok = len > 5 && !memcmp(text, "%PDF-", 5) &&
		     g_strstr_len(text + (len > 64 ? len - 64 : 0),
				  MIN(len, 64), "%%EOF");
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

bool plot_write(struct adb *a, const GPtrArray *stats, const char *dir,
		const struct plot_options *o, GError **err)
{
	return plot_write_for(a, stats, dir, o, NULL, err);
}

/* Refuse PDF when gnuplot cannot draw it. */
static bool check_formats(const struct plot_options *o, GError **err)
{
	if ((o->formats & PLOT_PDF) && !gnuplot_has("pdfcairo")) {
		g_set_error(err, PLOT_ERROR, 0, "PDF needs gnuplot's pdfcairo "
			    "terminal, and %s has none", GNUPLOT_PATH);
		return false;
	}
	return true;
}

static const struct plot_options default_options = {
	.formats = PLOT_FORMATS_DEFAULT,
};

bool plot_write_for(struct adb *a, const GPtrArray *stats, const char *dir,
		    const struct plot_options *o, struct out_inputs *inputs,
		    GError **err)
{
	struct plotter p = { .o = o ? o : &default_options };
	struct out_inputs *own = inputs ? NULL : out_inputs_new();
	struct plot_stage *stage;
	GString *title;
	bool ok;

	if (own)
		out_inputs_add_db(own, adb_path(a), "the database");
	ok = plot_check_dir(dir, inputs ? inputs : own, err);
	out_inputs_free(own);
	if (!ok || !check_formats(p.o, err) ||
	    !(stage = plot_stage_begin(dir, err)))
		return false;
	title = g_string_new(NULL);
	p.dir = plot_stage_dir(stage);
	p.runs = g_ptr_array_new_with_free_func(run_data_free);
	p.drawn = g_ptr_array_new();
	for (guint i = 0; ok && i < stats->len; i++) {
		const struct run_stats *st = stats->pdata[i];
		struct run_data *d = run_data_load(a, st, p.o->axis_block, err);

		ok = d != NULL;
		if (!ok)
			break;
		g_ptr_array_add(p.runs, d);
		p.span_ns = MAX(p.span_ns, st->elapsed_ns);
		p.most = MAX(p.most, d->rq->len);
		if (st->scenario && !strstr(title->str, st->scenario))
			g_string_append_printf(title, "%s%s",
					       title->len ? ", " : "",
					       st->scenario);
	}
	p.title = g_string_free(title, FALSE);
	pick_unit(&p);
	ok = ok && plot_dispatch(&p, err) && plot_rate(&p, RATE_BYTES, err) &&
	     plot_rate(&p, RATE_SEEKS, err) && plot_seek_distance(&p, err) &&
	     plot_latency(&p, err) && plot_cost(&p, err) &&
	     plot_order(&p, err);
	for (guint i = 0; ok && i < p.drawn->len && !out_signal(); i++)
		ok = run_gnuplot(&p, p.drawn->pdata[i], err);
	g_ptr_array_unref(p.runs);
	g_ptr_array_unref(p.drawn);
	g_free(p.title);
	return plot_stage_end(stage, ok, err);
}

bool plot_parse_formats(const char *s, unsigned *formats)
{
	static const char *const names[] = { "png", "svg", "pdf" };
	char **parts = g_strsplit(s, ",", -1);
	bool ok = parts[0] != NULL;

	*formats = 0;
	for (char **f = parts; ok && *f; f++) {
		size_t i = 0;

		while (i < G_N_ELEMENTS(names) && strcmp(*f, names[i]))
			i++;
		ok = i < G_N_ELEMENTS(names);
		if (ok)
			*formats |= 1u << i;
	}
	g_strfreev(parts);
	return ok;
}

bool plot_parse_axis(const char *s, bool *axis_block)
{
	if (strcmp(s, "sector") && strcmp(s, "block"))
		return false;
	*axis_block = !strcmp(s, "block");
	return true;
}

/* ---- for plot-experiment.c (plot-int.h) ---- */

char *plot_quote(const char *s)
{
	return gp_str(s);
}

GString *plot_script_begin(const char *scenario, const char *name,
			   const char *what)
{
	struct plotter p = { .title = (char *)scenario };

	return script_begin(&p, name, what);
}

void plot_script_end(GString *s, const char *name, const char *plot,
		     const struct plot_options *o)
{
	script_end(s, name, plot, o ? o : &default_options);
}

bool plot_check_formats(const struct plot_options *o, GError **err)
{
	return check_formats(o ? o : &default_options, err);
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
