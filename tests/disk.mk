# tests/disk.mk - tests and the benchmark helper of the disk models.
check_PROGRAMS += tests/test-disk
TESTS += tests/test-disk
tests_test_disk_SOURCES = tests/test-disk.c
tests_test_disk_LDADD = src/libmpsim.a $(GLIB_LIBS) $(SQLITE_LIBS) -lm
