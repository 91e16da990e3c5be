src_libmpsim_a_SOURCES += \
	src/sim/event.c src/sim/event.h \
	src/sim/sched.c src/sim/sched.h \
	src/sim/jiffies.c src/sim/jiffies.h \
	src/sim/rng.c src/sim/rng.h
src_libmpsim_a_SOURCES += src/include/kernel.h src/include/list.h \
	src/include/parse.h
