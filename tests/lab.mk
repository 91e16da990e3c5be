# tests: the mpage lab (docs/mpage-lab.md)
check_PROGRAMS += tests/test-mpage-lab
TESTS += tests/test-mpage-lab
tests_test_mpage_lab_SOURCES = tests/test-mpage-lab.c
tests_test_mpage_lab_LDADD = $(TEST_LDADD)
EXTRA_DIST += docs/mpage-lab.md
TESTS += tests/test-bvec.sh
EXTRA_DIST += tests/test-bvec.sh
