/*
 * gen.h - the seeded generator of differential-test cases.
 */
#ifndef MPSIM_TESTS_DIFF_GEN_H
#define MPSIM_TESTS_DIFF_GEN_H

#include "case.h"

/* Case number n of seed `seed`: the same case on every host. */
struct dcase *gen_case(uint64_t seed, uint64_t n, bool boundary);
/* Write case n of seed `seed` (a stream apart from the read cases). */
struct dcase *gen_write_case(uint64_t seed, uint64_t n, bool boundary);

#endif
