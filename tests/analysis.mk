# tests: analysis - the figures, tables, plots, exports, sweeps, and the
# committed results
check_PROGRAMS += tests/test-analysis tests/test-keys tests/test-html
TESTS += tests/test-analysis tests/test-keys tests/test-html \
	tests/test-analysis-cli.sh \
	tests/test-analysis-results.sh tests/test-finding.sh \
	tests/test-completion.sh tests/test-blktrace.sh tests/test-doc-examples.sh \
	tests/test-flush.sh tests/test-plot-figures.sh tests/test-progress.sh \
	tests/test-html-report.sh tests/test-html-render.sh
tests_test_analysis_SOURCES = tests/test-analysis.c
tests_test_analysis_LDADD = $(TEST_LDADD)
tests_test_html_SOURCES = tests/test-html.c
tests_test_html_LDADD = $(TEST_LDADD)
tests_test_keys_SOURCES = tests/test-keys.c
tests_test_keys_LDADD = $(TEST_LDADD)
EXTRA_DIST += tests/test-analysis-cli.sh tests/test-analysis-results.sh \
	tests/test-finding.sh tests/test-completion.sh tests/tap.sh \
	tests/test-blktrace.sh tests/test-doc-examples.sh tests/test-flush.sh tests/flush.ini \
	tests/test-plot-figures.sh tests/test-progress.sh \
	tests/test-html-report.sh tests/test-html-render.sh

# experiments: the platter's phase, seeds, replications, statistics
check_PROGRAMS += tests/test-experiment
TESTS += tests/test-experiment tests/test-experiment.sh
tests_test_experiment_SOURCES = tests/test-experiment.c
tests_test_experiment_LDADD = $(TEST_LDADD)
EXTRA_DIST += tests/test-experiment.sh tests/tap-db.sh

# parse_range(): the quick path for plain numbers reads as the general one
check_PROGRAMS += tests/test-parse-range
TESTS += tests/test-parse-range
tests_test_parse_range_SOURCES = tests/test-parse-range.c
tests_test_parse_range_LDADD = $(TEST_LDADD)
