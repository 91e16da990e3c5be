/*
 * rng.c - the run's random streams (see rng.h).
 */
#include "sim/rng.h"

uint32_t rng_hash(const char *text)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		h ^= *p;
		h *= 16777619u;
	}
	return h;
}

GRand *rng_stream(uint64_t seed, const char *purpose)
{
	guint32 key[3] = {
		(guint32)seed, (guint32)(seed >> 32), rng_hash(purpose),
	};

	return g_rand_new_with_seed_array(key, 3);
}

uint64_t rng_uniform(uint64_t seed, const char *purpose, uint64_t n)
{
	GRand *r = rng_stream(seed, purpose);
	uint64_t v;

	if (n <= G_MAXINT32)
		v = (uint64_t)g_rand_int_range(r, 0, (gint32)n);
	else	/* 53 bits of a double: enough for any platter */
		v = (uint64_t)(g_rand_double(r) * (double)n);
	g_rand_free(r);
	return v < n ? v : n - 1;
}
