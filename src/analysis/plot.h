/*
 * plot.h - pictures of runs, drawn by gnuplot: for each plot NAME, the
 * gnuplot script NAME.gp and its data files NAME*.dat are written into a
 * folder, and gnuplot run there to make NAME.png, NAME.svg and/or
 * NAME.pdf (struct plot_options).  The scripts stay, so that anyone can
 * edit them and run `gnuplot NAME.gp`.
 *
 * Plots: dispatch (sector against time), throughput, seeks (per second),
 * seek-distance (histogram), latency-cdf, cost (per-request cost split,
 * stacked), order (request number against sector).
 */
#ifndef MPSIM_ANALYSIS_PLOT_H
#define MPSIM_ANALYSIS_PLOT_H

#include <glib.h>
#include <stdbool.h>

struct adb;
struct out_inputs;

/* The picture formats, a set of bits. */
enum {
	PLOT_PNG = 1 << 0,
	PLOT_SVG = 1 << 1,
	PLOT_PDF = 1 << 2,	/* gnuplot's pdfcairo terminal */
};
#define PLOT_FORMATS_DEFAULT (PLOT_PNG | PLOT_SVG)

/* How every figure of one call is drawn. */
struct plot_options {
	unsigned formats;	/* PLOT_PNG | PLOT_SVG | PLOT_PDF, not 0 */
	bool axis_block;	/* positions in filesystem blocks (the run's
				 * fs.block_size), not 512-byte sectors */
	GPtrArray *notes;	/* when not NULL, receives (char *) one line
				 * per figure or run left out, and why */
};

/* "png,svg,pdf" (any non-empty subset) into *formats; false if not. */
bool plot_parse_formats(const char *s, unsigned *formats);
/* "sector" or "block" into *axis_block; false if neither. */
bool plot_parse_axis(const char *s, bool *axis_block);

/* The plot names, NULL-terminated. */
extern const char *const plot_names[];

/*
 * Draw the runs of stats (struct run_stats*, labels used in legends) into
 * dir (created if needed), as o says (NULL: PNG and SVG, in sectors).  A
 * figure that has nothing to draw (runs without requests) is left out and
 * said in o->notes.  false + *err when a file cannot be written or
 * gnuplot fails; dir is then left as it was.  Every file is refused
 * (OUT_ERROR_REFUSED, src/log/output.h) before anything is written when
 * it would replace the database read.
 */
bool plot_write(struct adb *a, const GPtrArray *stats, const char *dir,
		const struct plot_options *o, GError **err);
/* The same, checking the files against `inputs` (the database among
 * them) instead. */
bool plot_write_for(struct adb *a, const GPtrArray *stats, const char *dir,
		    const struct plot_options *o, struct out_inputs *inputs,
		    GError **err);
/*
 * Refuse (OUT_ERROR_REFUSED) a folder dir that is not one, or in which a
 * file plot_write() may replace is one of `inputs`; nothing is written.
 */
bool plot_check_dir(const char *dir, struct out_inputs *in, GError **err);

/*
 * The plots of replications (plot-experiment.c): elapsed-cdf (one CDF of
 * per-replication elapsed time per variant) and paired-diff (a histogram
 * of the paired differences against the first variant), written and
 * drawn as above.
 */
struct experiment;
extern const char *const plot_experiment_names[];
bool plot_experiment_write(const struct experiment *e, const char *dir,
			   const struct plot_options *o, GError **err);

/*
 * Plots are drawn in a staging folder inside dir (plot_stage_dir()):
 * plot_stage_end() renames every file into dir when ok and every
 * picture is whole (PNG, SVG, PDF: each checked for its format's
 * signature and ending), then removes the folder (false +
 * *err otherwise).  A signal in between removes it too, and ends mpsim
 * with that signal.  For any command that draws with gnuplot.
 */
struct plot_stage;
struct plot_stage *plot_stage_begin(const char *dir, GError **err);
const char *plot_stage_dir(const struct plot_stage *st);
bool plot_stage_end(struct plot_stage *st, bool ok, GError **err);

#endif /* MPSIM_ANALYSIS_PLOT_H */
