src_libmpsim_a_SOURCES += src/task/task.c src/task/task.h
