/*
 * sides.h - the two sides of the differential test: run one case through
 * the kernel's fs/mpage.c (ref-side.c) or through the port (port-side.c),
 * appending what happens to a log, one event a line.
 */
#ifndef MPSIM_TESTS_DIFF_SIDES_H
#define MPSIM_TESTS_DIFF_SIDES_H

#include "case.h"

void ref_run_case(const struct dcase *c, GPtrArray *log);
void port_run_case(const struct dcase *c, GPtrArray *log);

#endif
