# tests: write
check_PROGRAMS += tests/test-write-mpage
TESTS += tests/test-write-mpage
tests_test_write_mpage_SOURCES = tests/test-write-mpage.c
tests_test_write_mpage_LDADD = $(TEST_LDADD)
