src_mpsim_SOURCES += \
	src/cli/main.c src/cli/cli.h src/cli/options.c \
	src/cli/cmd-list.c src/cli/cmd-keys.c src/cli/cmd-layout.c \
	src/cli/cmd-run.c src/cli/replications.c src/cli/plot-options.c \
	src/cli/cmd-disk-info.c
