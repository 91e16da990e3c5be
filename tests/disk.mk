# tests/disk.mk - tests and the benchmark helper of the disk models.
check_PROGRAMS += tests/test-disk
TESTS += tests/test-disk
tests_test_disk_SOURCES = tests/test-disk.c
tests_test_disk_LDADD = src/libmpsim.a $(GLIB_LIBS) $(SQLITE_LIBS) -lm

# the helper of bench/disk-model; built by `make check` so it stays
# compilable, run only by the script
check_PROGRAMS += tests/disk-bench
tests_disk_bench_SOURCES = tests/disk-bench.c
tests_disk_bench_LDADD = src/libmpsim.a $(GLIB_LIBS) $(SQLITE_LIBS) -lm

EXTRA_DIST += bench/disk-model docs/disk-model.md

# the disk model as a library: disk.h, libmpsim.a, GLib and libm only
check_PROGRAMS += tests/test-disk-lib
TESTS += tests/test-disk-lib
tests_test_disk_lib_SOURCES = tests/test-disk-lib.c
tests_test_disk_lib_LDADD = src/libmpsim.a $(GLIB_LIBS) -lm
