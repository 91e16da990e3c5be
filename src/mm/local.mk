src_libmpsim_a_SOURCES += \
	src/mm/filemap.c src/mm/filemap.h \
	src/mm/page-tree.c src/mm/page-tree.h \
	src/mm/readahead.c src/mm/readahead.h \
	src/mm/cleancache.c \
	src/mm/vmscan.c src/mm/vmscan.h \
	src/mm/page-writeback.c src/mm/page-writeback.h \
	src/mm/slab.c src/mm/slab.h
