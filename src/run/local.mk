src_libmpsim_a_SOURCES += src/run/run.c src/run/run.h
