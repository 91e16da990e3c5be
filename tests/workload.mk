# tests: workload - readahead, the read ops, generated layouts, scenarios
check_PROGRAMS += tests/test-readahead
TESTS += tests/test-readahead
tests_test_readahead_SOURCES = tests/test-readahead.c
tests_test_readahead_LDADD = $(TEST_LDADD)

check_PROGRAMS += tests/test-readahead-concurrent
TESTS += tests/test-readahead-concurrent
tests_test_readahead_concurrent_SOURCES = tests/test-readahead-concurrent.c
tests_test_readahead_concurrent_LDADD = $(TEST_LDADD)

check_PROGRAMS += tests/test-layout
TESTS += tests/test-layout
tests_test_layout_SOURCES = tests/test-layout.c
tests_test_layout_LDADD = $(TEST_LDADD)

EXTRA_DIST += scenarios/seq-read-1m.ini scenarios/two-readers.ini \
	scenarios/two-readers-large.ini

TESTS += tests/test-scenarios.sh
EXTRA_DIST += tests/test-scenarios.sh scenarios/README.md \
	scenarios/contiguous.ini scenarios/fragmented.ini scenarios/sparse.ini \
	scenarios/eof-partial.ini scenarios/bs4k.ini scenarios/bs512.ini \
	scenarios/page-buffers.ini scenarios/cached-batch.ini \
	scenarios/big-batch.ini scenarios/random-read.ini scenarios/strided.ini \
	scenarios/extent-boundary.ini

check_PROGRAMS += tests/test-layout-extent
TESTS += tests/test-layout-extent
tests_test_layout_extent_SOURCES = tests/test-layout-extent.c
tests_test_layout_extent_LDADD = $(TEST_LDADD)

check_PROGRAMS += tests/test-image-map
tests_test_image_map_SOURCES = tests/test-image-map.c
tests_test_image_map_LDADD = $(TEST_LDADD)
TESTS += tests/test-image.sh
EXTRA_DIST += tests/test-image.sh docs/workloads.md
