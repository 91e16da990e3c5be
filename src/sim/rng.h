/*
 * rng.h - the run's random streams.
 *
 * A run has one seed ([scenario] seed, --seed; 1 by default).  Every
 * random choice draws from a stream of its own, named after its purpose
 * ("disk.phase", "task.NAME.randread.K", ...), so that adding a random
 * choice never moves another: the stream is GLib's GRand (a Mersenne
 * twister) seeded with the array { seed mod 2^32, seed / 2^32,
 * FNV-1a-32(purpose) } (docs/analysis.md).  Same seed and purpose, same
 * numbers, on every host.
 */
#ifndef MPSIM_SIM_RNG_H
#define MPSIM_SIM_RNG_H

#include <glib.h>
#include <stdint.h>

#define RNG_DEFAULT_SEED 1

/* 32-bit FNV-1a of a text (offset basis 2166136261, prime 16777619). */
uint32_t rng_hash(const char *text);
/* A new stream for (seed, purpose); free it with g_rand_free(). */
GRand *rng_stream(uint64_t seed, const char *purpose);
/* One integer uniform in [0, n), n >= 1, from a fresh stream. */
uint64_t rng_uniform(uint64_t seed, const char *purpose, uint64_t n);

#endif /* MPSIM_SIM_RNG_H */
