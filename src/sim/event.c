/*
 * event.c - the discrete-event core: a binary min-heap of (time, seq).
 *
 * The heap holds events by value; a sequence number taken at scheduling
 * time breaks ties, which is what makes same-time events deterministic.
 */
#include "sim/event.h"

#include <glib.h>

struct ev {
	simtime_t when;
	uint64_t seq;
	ev_fn fn;
	void *arg;
};

static struct {
	struct ev *heap;
	size_t len, cap;
	uint64_t next_seq;
	simtime_t now;
	uint64_t max_events;		/* 0: no limit */
	enum ev_stop stopped;
	const volatile bool *stop;	/* the running ev_run()'s flag */
} loop;

void ev_init(void)
{
	ev_destroy();
}

void ev_destroy(void)
{
	g_free(loop.heap);
	loop.heap = NULL;
	loop.len = loop.cap = 0;
	loop.next_seq = 0;
	loop.now = 0;
	loop.max_events = 0;
	loop.stopped = EV_STOP_NONE;
	loop.stop = NULL;
}

simtime_t ev_now(void)
{
	return loop.now;
}

static bool ev_before(const struct ev *a, const struct ev *b)
{
	return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void heap_swap(size_t i, size_t j)
{
	struct ev t = loop.heap[i];

	loop.heap[i] = loop.heap[j];
	loop.heap[j] = t;
}

uint64_t ev_at(simtime_t when, ev_fn fn, void *arg)
{
	size_t i;

	/* past the limit, or wrapped: the run ends (ev_stopped) */
	if (when < loop.now || when > EV_TIME_LIMIT) {
		loop.stopped = EV_STOP_TIME;
		return 0;
	}
	if (loop.len == loop.cap) {
		loop.cap = loop.cap ? loop.cap * 2 : 64;
		loop.heap = g_renew(struct ev, loop.heap, loop.cap);
	}
	i = loop.len++;
	loop.heap[i] = (struct ev){ when, loop.next_seq++, fn, arg };
	while (i > 0 && ev_before(&loop.heap[i], &loop.heap[(i - 1) / 2])) {
		heap_swap(i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
	return loop.heap[i].seq;
}

uint64_t ev_after(simtime_t delay, ev_fn fn, void *arg)
{
	if (delay < 0 || delay > EV_TIME_LIMIT - loop.now) {
		loop.stopped = EV_STOP_TIME;
		return 0;
	}
	return ev_at(loop.now + delay, fn, arg);
}

static struct ev heap_pop(void)
{
	struct ev top = loop.heap[0];
	size_t i = 0;

	loop.heap[0] = loop.heap[--loop.len];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < loop.len && ev_before(&loop.heap[l], &loop.heap[m]))
			m = l;
		if (r < loop.len && ev_before(&loop.heap[r], &loop.heap[m]))
			m = r;
		if (m == i)
			break;
		heap_swap(i, m);
		i = m;
	}
	return top;
}

uint64_t ev_run(simtime_t until, const volatile bool *stop)
{
	uint64_t fired = 0;

	loop.stop = stop;
	while (loop.len && loop.heap[0].when <= until &&
	       loop.stopped == EV_STOP_NONE) {
		struct ev e;

		if (stop && *stop) {
			loop.stopped = EV_STOP_FLAG;
			break;
		}
		if (loop.max_events && fired >= loop.max_events) {
			loop.stopped = EV_STOP_EVENTS;
			break;
		}
		e = heap_pop();
		loop.now = e.when;
		e.fn(e.arg);
		fired++;
	}
	if (stop && *stop && loop.stopped == EV_STOP_NONE)
		loop.stopped = EV_STOP_FLAG;
	loop.stop = NULL;
	return fired;
}

void ev_set_max_events(uint64_t n)
{
	loop.max_events = n;
}

enum ev_stop ev_stopped(void)
{
	return loop.stopped;
}

bool ev_stop_requested(void)
{
	return loop.stop && *loop.stop;
}

uint64_t ev_pending(void)
{
	return loop.len;
}
