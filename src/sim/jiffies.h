/*
 * jiffies.h - the kernel's tick, in simulated time.
 *
 * Some of 4.9's rules count jiffies, not nanoseconds: the flusher's pass
 * limit (HZ / 10), the bandwidth estimate's period, the request
 * allocator's batching time (BLK_BATCH_TIME = HZ / 50), CFQ's jiffy rules.
 * The tick rate is the scenario's `[kernel] hz` (100, 250, 300 or 1000, the
 * choices of 4.9's kernel/Kconfig.hz; 250 by default, as Debian's 4.9
 * kernels).  jiffies counts ticks from the start of a run (t = 0 is
 * jiffy 0; 4.9's INITIAL_JIFFIES offset is left out, since no rule here
 * depends on the wrap it provokes).
 */
#ifndef MPSIM_SIM_JIFFIES_H
#define MPSIM_SIM_JIFFIES_H

#include <stdbool.h>
#include <stdint.h>
#include "sim/event.h"

#define JIFFIES_DEFAULT_HZ 250

/* Set the tick rate for the run about to start (ev_init() time). */
void jiffies_init(unsigned hz);
/* True when `hz` is one of the rates 4.9 can be built with. */
bool jiffies_valid_hz(uint64_t hz);

/* The tick rate, as the kernel's HZ. */
unsigned jiffies_hz(void);
#define HZ (jiffies_hz())

/* Ticks since the start of the run: floor(now * HZ / 10^9). */
uint64_t jiffies_now(void);
#define jiffies (jiffies_now())

/* The first nanosecond of jiffy j: ceil(j * 10^9 / HZ). */
simtime_t jiffies_to_ns(uint64_t j);
/* Whole jiffies in `ns` (rounded down), as nsecs_to_jiffies(). */
uint64_t ns_to_jiffies(simtime_t ns);
/* msecs_to_jiffies() - include/linux/jiffies.h (rounds up) */
uint64_t msecs_to_jiffies(uint64_t ms);

/* time_after() and friends - include/linux/jiffies.h */
#define time_after(a, b) ((int64_t)((b) - (a)) < 0)
#define time_before(a, b) time_after(b, a)
#define time_after_eq(a, b) ((int64_t)((a) - (b)) >= 0)
#define time_before_eq(a, b) time_after_eq(b, a)

#endif /* MPSIM_SIM_JIFFIES_H */
