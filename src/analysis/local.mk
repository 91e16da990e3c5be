# src/analysis/local.mk - reading runs back: figures, tables, plots,
# exports, sweeps; and what `make install` puts beside the program (the
# manual page and the bundled scenarios).
src_libmpsim_a_SOURCES += \
	src/analysis/grid.c src/analysis/grid.h \
	src/analysis/plot.c src/analysis/plot.h \
	src/analysis/runner.c src/analysis/runner.h \
	src/analysis/stats.c src/analysis/stats.h \
	src/analysis/table.c src/analysis/table.h \
	src/log/progress.c src/log/progress.h

src_mpsim_SOURCES += \
	src/cli/cmd-compare.c \
	src/cli/cmd-report.c
