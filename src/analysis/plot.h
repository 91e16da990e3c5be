/*
 * plot.h - pictures of runs, drawn by gnuplot: for each plot NAME, the
 * gnuplot script NAME.gp and its data files NAME*.dat are written into a
 * folder, and gnuplot run there to make NAME.png and NAME.svg.  The
 * scripts stay, so that anyone can edit them and run `gnuplot NAME.gp`.
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

/* The plot names, NULL-terminated. */
extern const char *const plot_names[];

/*
 * Draw the runs of stats (struct run_stats*, labels used in legends) into
 * dir (created if needed).  false + *err when a file cannot be written or
 * gnuplot fails; dir is then left as it was.  Every file is refused
 * (OUT_ERROR_REFUSED, src/log/output.h) before anything is written when
 * it would replace the database read.
 */
bool plot_write(struct adb *a, const GPtrArray *stats, const char *dir,
		GError **err);
/* The same, checking the files against `inputs` (the database among
 * them) instead. */
bool plot_write_for(struct adb *a, const GPtrArray *stats, const char *dir,
		    struct out_inputs *inputs, GError **err);
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
			   GError **err);

/*
 * Plots are drawn in a staging folder inside dir (plot_stage_dir()):
 * plot_stage_end() renames every file into dir when ok and every
 * picture is whole (PNG, SVG, PDF), then removes the folder (false +
 * *err otherwise).  A signal in between removes it too, and ends mpsim
 * with that signal.  For any command that draws with gnuplot.
 */
struct plot_stage;
struct plot_stage *plot_stage_begin(const char *dir, GError **err);
const char *plot_stage_dir(const struct plot_stage *st);
bool plot_stage_end(struct plot_stage *st, bool ok, GError **err);

#endif /* MPSIM_ANALYSIS_PLOT_H */
