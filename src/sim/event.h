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

/*
 * No event is scheduled past EV_TIME_LIMIT (2^62 ns, 146 years): one that
 * would be (or whose time wrapped) is not scheduled, and the loop stops
 * with ev_stopped() = EV_STOP_TIME, so that a run that asks for more
 * time ends with an error instead of overflowing.  Every time a model
 * adds to the current time is bounded well below the remaining 2^62 ns.
 */
#define EV_TIME_LIMIT (INT64_MAX / 2)

/* Why ev_run() stopped early, if it did. */
enum ev_stop {
	EV_STOP_NONE,
	EV_STOP_FLAG,		/* the caller's stop flag was set */
	EV_STOP_TIME,		/* an event past EV_TIME_LIMIT */
	EV_STOP_EVENTS,		/* more events than ev_set_max_events() */
};

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

/* Stop ev_run() after `n` events (0: no limit); ev_init() clears it. */
void ev_set_max_events(uint64_t n);
/* Why the last ev_run() stopped early, or EV_STOP_NONE. */
enum ev_stop ev_stopped(void);
/*
 * True once the running ev_run()'s stop flag is set: for loops that run
 * long inside one event (see cond_resched() in sched.h).
 */
bool ev_stop_requested(void);

#endif /* MPSIM_SIM_EVENT_H */
