src_libmpsim_a_SOURCES += \
	src/log/db.c src/log/db.h \
	src/log/output.c src/log/output.h \
	src/log/text.c src/log/text.h
