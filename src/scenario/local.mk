src_libmpsim_a_SOURCES += src/scenario/scenario.c src/scenario/scenario.h \
	src/scenario/loader.h src/scenario/values.c src/scenario/settings.c \
	src/scenario/files.c src/scenario/tasks.c \
	src/scenario/work.c \
	src/scenario/bundled.c src/scenario/bundled.h \
	src/scenario/keys.c src/scenario/keys.h
