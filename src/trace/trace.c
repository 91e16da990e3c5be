/*
 * trace.c - tracepoint dispatch to the registered listeners.
 */
#include "trace/trace.h"

#include <glib.h>
#include "sim/event.h"
#include "sim/sched.h"

#define MAX_LISTENERS 8

static struct trace_listener listeners[MAX_LISTENERS];
static int nr_listeners;

void trace_add_listener(const struct trace_listener *l)
{
	g_assert(nr_listeners < MAX_LISTENERS);
	listeners[nr_listeners++] = *l;
}

void trace_clear_listeners(void)
{
	nr_listeners = 0;
}

bool trace_enabled(void)
{
	return nr_listeners > 0;
}

void trace_emit(const struct trace_event *ev)
{
	for (int i = 0; i < nr_listeners; i++)
		listeners[i].event(listeners[i].ctx, ev);
}

struct trace_note trace_note_init(void)
{
	return (struct trace_note){
		.task = current ? current->id : 0,
		.task_name = current ? current->name : NULL,
		.page = TRACE_NONE, .block = TRACE_NONE,
		.sector = TRACE_NONE, .sectors = TRACE_NONE,
		.offset = TRACE_NONE, .value = TRACE_NONE,
		.ra_start = TRACE_NONE, .ra_size = TRACE_NONE,
		.ra_async_size = TRACE_NONE, .ra_async = TRACE_NONE,
	};
}

void trace_note(const char *action, const struct trace_note *n)
{
	struct trace_event ev = {
		.kind = TRACE_NOTE, .action = action, .time_ns = ev_now(),
	};

	if (!nr_listeners)
		return;
	ev.note = *n;
	trace_emit(&ev);
}
