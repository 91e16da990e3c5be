# tests: the mpage lab (docs/mpage-lab.md)
check_PROGRAMS += tests/test-mpage-lab
TESTS += tests/test-mpage-lab
tests_test_mpage_lab_SOURCES = tests/test-mpage-lab.c
tests_test_mpage_lab_LDADD = $(TEST_LDADD)
EXTRA_DIST += docs/mpage-lab.md
TESTS += tests/test-bvec.sh tests/test-event-view.sh
EXTRA_DIST += tests/test-bvec.sh tests/test-event-view.sh
TESTS += tests/test-lab.sh
EXTRA_DIST += tests/test-lab.sh
# the lab's scenarios, installed beside the others
labscenariosdir = $(pkgdatadir)/scenarios/lab
dist_labscenarios_DATA = \
	scenarios/lab/read-bio-alloc-failure.ini \
	scenarios/lab/read-bio-limit.ini \
	scenarios/lab/read-boundary-512.ini \
	scenarios/lab/read-boundary.ini \
	scenarios/lab/read-discontiguous.ini \
	scenarios/lab/read-eof.ini \
	scenarios/lab/read-fallbacks.ini \
	scenarios/lab/read-hole-mid-page.ini \
	scenarios/lab/read-page-buffers.ini \
	scenarios/lab/read-past-ext2.ini \
	scenarios/lab/read-uptodate-page.ini \
	scenarios/lab/write-boundary.ini \
	scenarios/lab/write-eagain.ini \
	scenarios/lab/write-eof.ini \
	scenarios/lab/write-errors.ini \
	scenarios/lab/write-fallbacks.ini
