/*
 * export.h - one run's requests in formats other tools read: the binary
 * stream of Linux's blktrace (for blkparse, btt, seekwatcher) and CSV.
 */
#ifndef MPSIM_ANALYSIS_EXPORT_H
#define MPSIM_ANALYSIS_EXPORT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct adb;

bool export_blktrace(struct adb *a, int64_t run_id, FILE *out, GError **err);
bool export_csv(struct adb *a, int64_t run_id, FILE *out, GError **err);

#endif /* MPSIM_ANALYSIS_EXPORT_H */
