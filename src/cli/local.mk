src_mpsim_SOURCES += src/cli/main.c
