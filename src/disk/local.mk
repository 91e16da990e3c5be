# src/disk/local.mk - the storage device models.
src_libmpsim_a_SOURCES += \
	src/disk/disk.h src/disk/disk-int.h \
	src/disk/disk.c src/disk/params.c src/disk/presets.c \
	src/disk/describe.c src/disk/simple.c src/disk/geom.c \
	src/disk/hdd.c src/disk/ssd.c
