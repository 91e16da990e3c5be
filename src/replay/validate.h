/*
 * validate.h - how close a drive model comes to a recorded trace: per
 * request, the recorded service time (D to C) against the simulated one,
 * summed up as disk-simulation papers do (Ruemmler and Wilkes, "An
 * introduction to disk drive modeling", 1994; DiskSim's validation).
 *
 * The demerit figure is the root mean square horizontal distance between
 * the two service-time distributions (their CDFs).  With n values on each
 * side, both quantile functions are steps of width 1/n, so the distance
 * at every quantile in ((i-1)/n, i/n] is the difference between the i-th
 * smallest recorded and the i-th smallest simulated time, and the demerit
 * is sqrt(sum (r(i) - s(i))^2 / n).
 */
#ifndef MPSIM_REPLAY_VALIDATE_H
#define MPSIM_REPLAY_VALIDATE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

struct validation;

struct validate_figures {
	uint64_t matched;
	double rec_mean_ns, rec_median_ns;
	double sim_mean_ns, sim_median_ns;
	double mean_abs_rel_err;	/* mean |s - r| / r, a fraction */
	double within_10;		/* share with |s - r| <= 0.1 r */
	double demerit_ns;
	double demerit_rel;		/* demerit / recorded mean */
};

struct validation *validation_new(void);
void validation_free(struct validation *v);
/* One request: its trace number, recorded and simulated service times,
 * and where it lay (for the seek distance from the request before). */
void validation_add(struct validation *v, uint64_t n, int64_t recorded_ns,
		    int64_t simulated_ns, uint64_t sector, uint32_t sectors);
/* false when no request was matched */
bool validation_figures(struct validation *v, struct validate_figures *f);
/* The demerit of two samples of n values each (sorted here, in place). */
double validate_demerit(int64_t *recorded, int64_t *simulated, size_t n);
/*
 * Draw into dir (made if needed) validate-cdf (both CDFs on one plot) and
 * validate-error (relative error against seek distance, in sectors from
 * the end of the request before), as .gp, .dat and .svg.
 */
bool validation_plot(struct validation *v, const char *dir, GError **err);

#endif /* MPSIM_REPLAY_VALIDATE_H */
