src_libmpsim_a_SOURCES += \
	src/fs/fs.h \
	src/fs/buffer.c src/fs/buffer.h \
	src/fs/block_dev.c src/fs/block_dev.h \
	src/fs/mpage.c src/fs/mpage.h \
	src/fs/fs-writeback.c src/fs/fs-writeback.h \
	src/fs/ext2/inode.c src/fs/ext2/ext2.h \
	src/fs/ext2/balloc.c \
	src/fs/ext2/layout.c \
	src/fs/ext2/mke2fs.c \
	src/fs/ext2/image.c \
	src/fs/extfs/extfs.c src/fs/extfs/extfs.h
# libext2fs headers for the image import (configure: optional)
AM_CPPFLAGS += $(EXT2FS_CFLAGS)
