/*
 * fuzz-scenario.h - the scenario fuzz target's entry point, shared by the
 * libFuzzer build and the corpus replay test.
 */
#ifndef MPSIM_FUZZ_SCENARIO_H
#define MPSIM_FUZZ_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

/* Load, check and build one scenario given as bytes; always returns 0. */
int fuzz_scenario_input(const uint8_t *data, size_t size);

#endif /* MPSIM_FUZZ_SCENARIO_H */
