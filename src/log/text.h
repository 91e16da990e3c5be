/*
 * text.h - the text trace: one line per event, in time order,
 *
 *     <time_ns> <action> key=value ...
 *
 * a listener on the tracepoints (src/trace).  The format is documented in
 * docs/trace-format.md.
 */
#ifndef MPSIM_LOG_TEXT_H
#define MPSIM_LOG_TEXT_H

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include "trace/trace.h"

/* Listen and write to `out` (not closed by mpsim). */
void text_trace_listener(FILE *out, struct trace_listener *l);
/* Sorted page indexes as ranges, "0-2,5" (the trace and the database). */
void text_trace_ranges(GString *s, const int64_t *v, uint32_t n);
/* Format one event as a line (without the newline) into `line`. */
void text_trace_format(const struct trace_event *ev, GString *line);

#endif /* MPSIM_LOG_TEXT_H */
