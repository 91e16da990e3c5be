/*
 * plot-options.c - the options of the commands that draw plots (plot,
 * compare --plot, report and compare as HTML): the pictures' formats and
 * the position axis, read into a struct plot_options (analysis/plot.h).
 */
#include "config.h"

#include <stdio.h>
#include "analysis/plot.h"
#include "cli/cli.h"

bool cli_plot_options(const char *cmd, const char *format, const char *axis,
		      struct plot_options *po)
{
	if (format && !plot_parse_formats(format, &po->formats)) {
		fprintf(stderr, "mpsim %s: picture formats '%s': expected "
			"one or more of png, svg and pdf, e.g. png,svg,pdf\n",
			cmd, format);
		return false;
	}
	if (axis && !plot_parse_axis(axis, &po->axis_block)) {
		fprintf(stderr, "mpsim %s: axis '%s': expected sector or "
			"block\n", cmd, axis);
		return false;
	}
	return true;
}
