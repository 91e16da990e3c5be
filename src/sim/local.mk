src_libmpsim_a_SOURCES += \
	src/sim/event.c src/sim/event.h \
	src/sim/sched.c src/sim/sched.h
