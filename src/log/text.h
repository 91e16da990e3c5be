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

#include <stdio.h>
#include "trace/trace.h"

/* Listen and write to `out` (not closed by mpsim). */
void text_trace_listener(FILE *out, struct trace_listener *l);
/* Format one event as a line (without the newline) into `line`. */
void text_trace_format(const struct trace_event *ev, GString *line);

#endif /* MPSIM_LOG_TEXT_H */
