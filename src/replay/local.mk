# src/replay/local.mk - trace-driven runs: one reader per trace format,
# the block-event matcher they share, the replay driver and the
# validation figures.
src_libmpsim_a_SOURCES += \
	src/include/blktrace_api.h \
	src/replay/reader.h src/replay/replay.h \
	src/replay/lines.c src/replay/blkevents.c \
	src/replay/blktrace.c src/replay/blkparse.c src/replay/fio.c \
	src/replay/disksim.c src/replay/csv.c src/replay/source.c \
	src/replay/replay.c src/replay/validate.c src/replay/validate.h

src_mpsim_SOURCES += src/cli/cmd-replay.c src/cli/cmd-validate.c
