src_libmpsim_a_SOURCES += \
	src/block/bio.c src/block/bio.h \
	src/block/blk-core.c src/block/blkdev.h \
	src/block/blk-options.c
