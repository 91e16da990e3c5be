/*
 * jiffies.c - the kernel's tick in simulated time (see jiffies.h).
 *
 * The conversions split nanoseconds into whole seconds and the rest, so
 * that no product overflows 64 bits for any time up to INT64_MAX.
 */
#include "sim/jiffies.h"

#define NSEC_PER_SEC 1000000000LL

static unsigned tick_hz = JIFFIES_DEFAULT_HZ;

bool jiffies_valid_hz(uint64_t hz)
{
	return hz == 100 || hz == 250 || hz == 300 || hz == 1000;
}

void jiffies_init(unsigned hz)
{
	tick_hz = jiffies_valid_hz(hz) ? hz : JIFFIES_DEFAULT_HZ;
}

unsigned jiffies_hz(void)
{
	return tick_hz;
}

uint64_t ns_to_jiffies(simtime_t ns)
{
	if (ns <= 0)
		return 0;
	return (uint64_t)(ns / NSEC_PER_SEC) * tick_hz +
	       (uint64_t)(ns % NSEC_PER_SEC) * tick_hz / NSEC_PER_SEC;
}

uint64_t jiffies_now(void)
{
	return ns_to_jiffies(ev_now());
}

simtime_t jiffies_to_ns(uint64_t j)
{
	uint64_t secs = j / tick_hz, rest = j % tick_hz;

	if (secs >= (uint64_t)(INT64_MAX / NSEC_PER_SEC))
		return SIMTIME_NEVER;
	return (simtime_t)secs * NSEC_PER_SEC +
	       (simtime_t)((rest * NSEC_PER_SEC + tick_hz - 1) / tick_hz);
}

uint64_t msecs_to_jiffies(uint64_t ms)
{
	return (ms / 1000) * tick_hz + ((ms % 1000) * tick_hz + 999) / 1000;
}
