/*
 * merge.h - copying runs from databases into one, numbering them anew in
 * the order given: how `mpsim merge` combines databases and how
 * `mpsim sweep` gathers its workers' runs in grid order.
 */
#ifndef MPSIM_ANALYSIS_MERGE_H
#define MPSIM_ANALYSIS_MERGE_H

#include <glib.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

struct merge_src {
	const char *path;
	int64_t run_id;		/* 0: every finished run, by id */
};

/*
 * Append the runs to out (created if needed, and removed again if the
 * merge fails), each with the next free run id, in one transaction: all
 * of them or none.  *first_id (may be NULL)
 * gets the id of the first run appended; *count how many.
 */
bool merge_runs(const char *out, const struct merge_src *src, guint n,
		int64_t *first_id, guint *count, GError **err);
/* The same, rolled back (false + *err) once *stop is set (a signal). */
bool merge_runs_until(const char *out, const struct merge_src *src, guint n,
		      const volatile sig_atomic_t *stop, int64_t *first_id,
		      guint *count, GError **err);

#endif /* MPSIM_ANALYSIS_MERGE_H */
