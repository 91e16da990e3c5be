# tests: block
check_PROGRAMS += tests/test-blk-queue tests/test-blk-scenario tests/test-cfq
TESTS += tests/test-blk-queue tests/test-blk-scenario tests/test-cfq
tests_test_blk_queue_SOURCES = tests/test-blk-queue.c
tests_test_blk_queue_LDADD = $(TEST_LDADD)
tests_test_blk_scenario_SOURCES = tests/test-blk-scenario.c
tests_test_blk_scenario_LDADD = $(TEST_LDADD)
tests_test_cfq_SOURCES = tests/test-cfq.c
tests_test_cfq_LDADD = $(TEST_LDADD)
EXTRA_DIST += docs/block-layer.md scenarios/ext2-boundary.ini
check_PROGRAMS += tests/test-blk-edges
TESTS += tests/test-blk-edges
tests_test_blk_edges_SOURCES = tests/test-blk-edges.c
tests_test_blk_edges_LDADD = $(TEST_LDADD)
TESTS += tests/test-blk-edges.sh
EXTRA_DIST += tests/test-blk-edges.sh
