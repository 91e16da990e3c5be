# tests: read - the read path, branch by branch: do_mpage_readpage() and
# friends (test-mpage-read), the ext2 block mapping (test-ext2-map), and the
# same scenario giving the same bios and requests twice (test-determinism).
check_PROGRAMS += tests/test-mpage-read tests/test-ext2-map
TESTS += tests/test-mpage-read tests/test-ext2-map tests/test-determinism.sh
tests_test_mpage_read_SOURCES = tests/test-mpage-read.c
tests_test_mpage_read_LDADD = $(TEST_LDADD)
tests_test_ext2_map_SOURCES = tests/test-ext2-map.c
tests_test_ext2_map_LDADD = $(TEST_LDADD)
EXTRA_DIST += tests/test-determinism.sh
