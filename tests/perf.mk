# tests/perf.mk - the helpers of bench/run (the raw SQLite insert rate that
# the simulator's logging is compared with, and the CPU time of a
# command); built by `make check` so they stay compiling, run only by
# bench/run.
check_PROGRAMS += tests/bench-sqlite-raw tests/bench-cputime
tests_bench_sqlite_raw_SOURCES = tests/bench-sqlite-raw.c
tests_bench_sqlite_raw_LDADD = src/libmpsim.a $(GLIB_LIBS) $(SQLITE_LIBS) -lm
tests_bench_cputime_SOURCES = tests/bench-cputime.c

EXTRA_DIST += bench/run docs/performance.md

# device faults ([fault], src/block/blk-fault.c)
check_PROGRAMS += tests/test-fault
TESTS += tests/test-fault
tests_test_fault_SOURCES = tests/test-fault.c
tests_test_fault_LDADD = $(TEST_LDADD)
EXTRA_DIST += docs/faults.md

# the page cache's radix tree (src/mm/page-tree.c)
check_PROGRAMS += tests/test-page-tree
TESTS += tests/test-page-tree
tests_test_page_tree_SOURCES = tests/test-page-tree.c
tests_test_page_tree_LDADD = $(TEST_LDADD)
