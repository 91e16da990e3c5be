src_libmpsim_a_SOURCES += src/run/run.c src/run/run.h src/run/placement.c \
	src/run/placement.h
