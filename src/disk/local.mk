src_libmpsim_a_SOURCES += src/disk/disk.c src/disk/disk.h
