src_libmpsim_a_SOURCES += src/trace/trace.c src/trace/trace.h
