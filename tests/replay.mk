# tests: trace replay and validation (src/replay)
check_PROGRAMS += tests/test-replay
TESTS += tests/test-replay tests/test-replay.sh
tests_test_replay_SOURCES = tests/test-replay.c
tests_test_replay_LDADD = $(TEST_LDADD)
EXTRA_DIST += tests/test-replay.sh docs/replay.md \
	tests/replay/README tests/replay/handwritten-v2.fiolog \
	tests/replay/handwritten-v3.fiolog tests/replay/handwritten-v3.clat \
	tests/replay/sample.disksim \
	tests/replay/sample.csv tests/replay/ext2-boundary.blkparse
