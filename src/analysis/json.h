/*
 * json.h - the figures of runs as one JSON document (json-glib), what
 * `mpsim report --format json` and `mpsim compare --format json` print:
 *
 *   { "mpsim_version": "...",
 *     "runs": [ { "id", "scenario", "seed", "replication",
 *                 "variant": { KEY: VALUE, ... },   (the --vary keys)
 *                 "params": { KEY: VALUE, ... },    (every option)
 *                 "figures": { ... },               (mpsim report's)
 *                 "order": [ first sectors in dispatch order ],
 *                 "tasks": [ { "id", "name", "file", "start_ns",
 *                              "end_ns", "elapsed_ns" } ],
 *                 "directions": { "read": {...}, "write": {...} },
 *                 "latency_histogram": [ { "lo_ns", "hi_ns", "count" } ]
 *               }, ... ],
 *     "statistics": { ... } }       (only with replications)
 *
 * docs/analysis.md lists every key.  Every string is valid UTF-8 (bytes
 * that are not become U+FFFD), whatever the database holds.
 */
#ifndef MPSIM_ANALYSIS_JSON_H
#define MPSIM_ANALYSIS_JSON_H

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

struct adb;
struct experiment;

/* Print the document of `stats` (struct run_stats*); e may be NULL. */
bool json_report(FILE *out, struct adb *a, const GPtrArray *stats,
		 const struct experiment *e, GError **err);

#endif /* MPSIM_ANALYSIS_JSON_H */
