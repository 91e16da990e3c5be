# tests: robust - bad input, interruptions, fuzzing, determinism, bounded
# memory (docs/robustness.md).

# Every fuzz corpus file through the fuzz target, in the normal build.
check_PROGRAMS += tests/test-fuzz-replay
TESTS += tests/test-fuzz-replay
tests_test_fuzz_replay_SOURCES = tests/test-fuzz-replay.c \
	tests/fuzz/fuzz-scenario.c tests/fuzz/fuzz-scenario.h
tests_test_fuzz_replay_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests \
	-DMPSIM_FUZZ_REPLAY
tests_test_fuzz_replay_LDADD = $(TEST_LDADD)

# The catalogue of bad scenarios: exit 2, one clear message, nothing saved.
TESTS += tests/test-bad-scenarios.sh

EXTRA_DIST += tests/test-bad-scenarios.sh tests/test-atomic.sh \
	tests/fuzz/run-fuzz tests/fuzz/scenario.dict \
	tests/fuzz/corpus tests/bad

# Runs land whole or not at all: signals, locks, read-only, foreign and
# full databases.
TESTS += tests/test-atomic.sh

# Special files, large scenarios, the address-space limit, signals to a
# run that never sleeps.
TESTS += tests/test-hostile.sh
EXTRA_DIST += tests/test-hostile.sh
# A version-1 database is upgraded in place; anything else is refused.
TESTS += tests/test-schema-upgrade.sh
EXTRA_DIST += tests/test-schema-upgrade.sh tests/schema-v1.sql

# Every bundled scenario gives identical rows run after run (and, with
# MPSIM_OTHER_BUILD set by .ci/run, from the -O0 build too).
TESTS += tests/test-determinism-all.sh
EXTRA_DIST += tests/test-determinism-all.sh

# The page cache's capacity and LRU.
check_PROGRAMS += tests/test-cache
TESTS += tests/test-cache
tests_test_cache_SOURCES = tests/test-cache.c
tests_test_cache_LDADD = $(TEST_LDADD)

# What mpsim writes: no output that is an input, outputs whole or not at
# all, exit statuses that tell the truth, database names and schemas
# (docs/robustness.md); no string from a scenario or database runs through
# gnuplot; an interrupted sweep cleans up, --emit-jobs quotes its names.
check_PROGRAMS += tests/test-output
TESTS += tests/test-output tests/test-outputs.sh \
	tests/test-gnuplot-quoting.sh tests/test-sweep-cleanup.sh
tests_test_output_SOURCES = tests/test-output.c
tests_test_output_LDADD = $(TEST_LDADD)
EXTRA_DIST += tests/test-outputs.sh tests/test-gnuplot-quoting.sh \
	tests/test-sweep-cleanup.sh
