# src/analysis/local.mk - reading runs back: figures, tables, plots,
# exports, sweeps; and what `make install` puts beside the program (the
# manual page and the bundled scenarios).
src_libmpsim_a_SOURCES += \
	src/analysis/blktrace.c src/analysis/export.h \
	src/analysis/experiment.c src/analysis/experiment.h \
	src/analysis/grid.c src/analysis/grid.h \
	src/analysis/html.c src/analysis/html.h \
	src/analysis/json.c src/analysis/json.h \
	src/analysis/merge.c src/analysis/merge.h \
	src/analysis/plot.c src/analysis/plot.h src/analysis/plot-int.h \
	src/analysis/plot-experiment.c \
	src/analysis/runner.c src/analysis/runner.h \
	src/analysis/stats.c src/analysis/stats.h \
	src/analysis/table.c src/analysis/table.h \
	src/log/progress.c src/log/progress.h

src_mpsim_SOURCES += \
	src/cli/cmd-compare.c \
	src/cli/cmd-report.c \
	src/cli/cmd-plot.c \
	src/cli/cmd-export.c \
	src/cli/cmd-sweep.c \
	src/cli/cmd-merge.c

# The manual page, and the bundled scenarios, installed where
# `mpsim run NAME` finds them ($(pkgdatadir)/scenarios, MPSIM_DATADIR).
dist_man_MANS = docs/mpsim.1
scenariosdir = $(pkgdatadir)/scenarios
dist_scenarios_DATA = \
	scenarios/big-batch.ini scenarios/bs4k.ini scenarios/bs512.ini \
	scenarios/cached-batch.ini scenarios/contiguous.ini \
	scenarios/eof-partial.ini scenarios/ext2-boundary.ini \
	scenarios/extent-boundary.ini scenarios/fragmented.ini \
	scenarios/page-buffers.ini scenarios/random-read.ini \
	scenarios/seq-read-1m.ini scenarios/sparse.ini scenarios/strided.ini \
	scenarios/two-readers.ini

EXTRA_DIST += docs/schema.md docs/analysis.md \
	results/ext2-boundary.txt results/ext2-boundary.svg \
	results/ext2-boundary-elapsed-cdf.svg \
	results/contiguous.txt results/seq-read-1m.txt \
	results/two-readers.txt

# An installed mpsim runs a bundled scenario by name from outside the
# source tree (make installcheck, run by make distcheck).
installcheck-local:
	d=`mktemp -d` && cd "$$d" && \
	"$(DESTDIR)$(bindir)/mpsim" run ext2-boundary --no-db --quiet; \
	rc=$$?; cd / && rm -rf "$$d"; exit $$rc
