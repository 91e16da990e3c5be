src_libmpsim_a_SOURCES += src/scenario/scenario.c src/scenario/scenario.h
