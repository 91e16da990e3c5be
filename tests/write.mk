# tests: write
check_PROGRAMS += tests/test-write-mpage
TESTS += tests/test-write-mpage
tests_test_write_mpage_SOURCES = tests/test-write-mpage.c
tests_test_write_mpage_LDADD = $(TEST_LDADD)
check_PROGRAMS += tests/test-write-wb
TESTS += tests/test-write-wb
tests_test_write_wb_SOURCES = tests/test-write-wb.c
tests_test_write_wb_LDADD = $(TEST_LDADD)
check_PROGRAMS += tests/test-write-scenarios
TESTS += tests/test-write-scenarios
tests_test_write_scenarios_SOURCES = tests/test-write-scenarios.c
tests_test_write_scenarios_LDADD = $(TEST_LDADD)
TESTS += tests/test-write-cli.sh
EXTRA_DIST += tests/test-write-cli.sh
EXTRA_DIST += docs/write-path.md
# the bundled write scenarios, installed with the others
dist_scenarios_DATA += scenarios/ext2-write-new-file.ini \
	scenarios/ext2-rewrite.ini
check_PROGRAMS += tests/test-write-meta
TESTS += tests/test-write-meta
tests_test_write_meta_SOURCES = tests/test-write-meta.c
tests_test_write_meta_LDADD = $(TEST_LDADD)
