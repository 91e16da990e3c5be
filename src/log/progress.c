/*
 * progress.c - the progress line (see progress.h).
 *
 * Reading the clock on every event would cost more than the events
 * themselves, so the clock is read once every 4096 events.  The line is
 * written with a carriage return and erased when the run ends, so that it
 * never mixes with what the command prints afterwards.
 */
#include "log/progress.h"

#include <glib.h>
#include <string.h>

#define SHOW_AFTER_US	1000000		/* runs shorter than this: nothing */
#define REFRESH_US	200000
#define CLOCK_EVERY	4096		/* events between clock reads */

struct progress {
	FILE *out;
	char *name;
	gint64 start_us, last_us;
	uint64_t events, requests;
	int64_t now_ns;
	bool shown;
};

struct progress *progress_new(FILE *out, const char *name)
{
	struct progress *p = g_new0(struct progress, 1);

	p->out = out;
	p->name = g_strdup(name);
	p->start_us = g_get_monotonic_time();
	return p;
}

static void show(struct progress *p)
{
	fprintf(p->out, "\r%s: simulated %.3f ms, %" G_GUINT64_FORMAT
		" requests done\033[K", p->name, p->now_ns / 1e6, p->requests);
	fflush(p->out);
	p->shown = true;
}

static void progress_event(void *ctx, const struct trace_event *ev)
{
	struct progress *p = ctx;
	gint64 now;

	p->now_ns = ev->time_ns;
	if (ev->kind == TRACE_REQUEST && !strcmp(ev->action, "complete"))
		p->requests++;
	if (++p->events % CLOCK_EVERY)
		return;
	now = g_get_monotonic_time();
	if (now - p->start_us < SHOW_AFTER_US ||
	    (p->shown && now - p->last_us < REFRESH_US))
		return;
	p->last_us = now;
	show(p);
}

void progress_listener(struct progress *p, struct trace_listener *l)
{
	l->event = progress_event;
	l->ctx = p;
}

void progress_free(struct progress *p)
{
	if (!p)
		return;
	if (p->shown) {
		fputs("\r\033[K", p->out);
		fflush(p->out);
	}
	g_free(p->name);
	g_free(p);
}
