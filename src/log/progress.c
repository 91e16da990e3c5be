/*
 * progress.c - the progress line (see progress.h).
 *
 * Reading the clock on every event would cost more than the events
 * themselves, so the clock is read once every 4096 events.  The share of
 * the work done comes from the caller (world_progress(), src/run/run.h).  The line is
 * written with a carriage return and erased when the run ends, so that it
 * never mixes with what the command prints afterwards.
 */
#include "log/progress.h"

#include <glib.h>
#include <math.h>
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
	progress_share_fn share;
	void *share_arg;
};

struct progress *progress_new(FILE *out, const char *name)
{
	struct progress *p = g_new0(struct progress, 1);

	p->out = out;
	p->name = g_strdup(name);
	p->start_us = g_get_monotonic_time();
	return p;
}

void progress_set_share(struct progress *p, progress_share_fn fn, void *arg)
{
	p->share = fn;
	p->share_arg = arg;
}

/* "about 2 min 5 s left", from the host time so far and the share done. */
static void time_left(GString *s, double share, gint64 elapsed_us)
{
	double left = (double)elapsed_us / 1e6 * (1 - share) / share;

	if (left >= 3600)
		g_string_append_printf(s, ", about %.0f h %.0f min left",
				       left / 3600, fmod(left, 3600) / 60);
	else if (left >= 60)
		g_string_append_printf(s, ", about %.0f min %.0f s left",
				       floor(left / 60), fmod(left, 60));
	else
		g_string_append_printf(s, ", about %.0f s left", ceil(left));
}

static void show(struct progress *p)
{
	GString *s = g_string_new(NULL);
	double share = p->share ? p->share(p->share_arg) : -1;

	g_string_append_printf(s, "\r%s: ", p->name);
	if (share >= 0) {
		g_string_append_printf(s, "%.0f%% done", floor(share * 100));
		if (share >= 0.01 && share < 1)
			time_left(s, share, g_get_monotonic_time() -
				  p->start_us);
		g_string_append(s, "; ");
	}
	g_string_append_printf(s, "simulated %.3f ms, %" G_GUINT64_FORMAT
			       " requests done\033[K", p->now_ns / 1e6,
			       p->requests);
	fputs(s->str, p->out);
	fflush(p->out);
	g_string_free(s, TRUE);
	p->shown = true;
}

void progress_show(struct progress *p)
{
	show(p);
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
