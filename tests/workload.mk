# tests: workload - readahead, the read ops, generated layouts, scenarios
check_PROGRAMS += tests/test-readahead
TESTS += tests/test-readahead
tests_test_readahead_SOURCES = tests/test-readahead.c
tests_test_readahead_LDADD = $(TEST_LDADD)
