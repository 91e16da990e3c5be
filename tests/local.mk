# tests/local.mk - the test suite.  Each test program is a GLib test run
# with --tap (tests/run-test); shell tests print TAP themselves.  Each
# area of the simulator lists its tests in its own fragment.
check_LIBRARIES = tests/libharness.a
tests_libharness_a_SOURCES = tests/harness.c tests/harness.h
TEST_LDADD = tests/libharness.a src/libmpsim.a $(JSON_LIBS) $(GLIB_LIBS) $(SQLITE_LIBS) -lm

check_PROGRAMS += tests/test-smoke
TESTS += tests/test-smoke
tests_test_smoke_SOURCES = tests/test-smoke.c
tests_test_smoke_LDADD = $(TEST_LDADD)

include tests/disk.mk
include tests/read.mk
include tests/block.mk
include tests/write.mk
include tests/diff.mk
include tests/analysis.mk
include tests/robust.mk
include tests/workload.mk
include tests/perf.mk
include tests/lab.mk
include tests/replay.mk
