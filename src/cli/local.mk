src_mpsim_SOURCES += \
	src/cli/main.c src/cli/cli.h \
	src/cli/cmd-run.c src/cli/replications.c \
	src/cli/cmd-disk-info.c
