/*
 * event.h - the discrete-event core.
 *
 * Simulated time is a signed 64-bit count of nanoseconds from the start of
 * a run.  Events fire in (time, sequence) order: two events due at the same
 * nanosecond fire in the order they were scheduled, so a run is a pure
 * function of its inputs.  Like Redis's ae.c this is a small library with a
 * plain API; unlike it, nothing here ever looks at a real clock.
 */
#ifndef MPSIM_SIM_EVENT_H
#define MPSIM_SIM_EVENT_H

#include <stdbool.h>
#include <stdint.h>

typedef int64_t simtime_t;

#define SIMTIME_NEVER INT64_MAX

typedef void (*ev_fn)(void *arg);

/* Start a fresh loop at time 0 (drops any events left from a previous run). */
void ev_init(void);
void ev_destroy(void);

/* Current simulated time. */
simtime_t ev_now(void);

/* Schedule fn(arg) at absolute time `when` (>= now). Returns its sequence. */
uint64_t ev_at(simtime_t when, ev_fn fn, void *arg);
/* Schedule fn(arg) `delay` ns from now. */
uint64_t ev_after(simtime_t delay, ev_fn fn, void *arg);

/*
 * Run events until none is left, `stop` is set, or the next event lies
 * beyond `until`.  Returns the number of events fired.
 */
uint64_t ev_run(simtime_t until, const volatile bool *stop);

/* Number of events pending. */
uint64_t ev_pending(void);

#endif /* MPSIM_SIM_EVENT_H */
