src_libmpsim_a_SOURCES += \
	src/block/bio.c src/block/bio.h \
	src/block/blkdev.h src/block/blk.h \
	src/block/blk-core.c src/block/blk-merge.c \
	src/block/elevator.c src/block/noop-iosched.c \
	src/block/deadline-iosched.c src/block/cfq-iosched.c \
	src/block/blk-driver.c src/block/brd.c \
	src/block/blk-trace.c src/block/blk-options.c \
	src/block/blk-fault.c src/block/blk-fault.h
