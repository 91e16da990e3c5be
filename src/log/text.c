/*
 * text.c - the text trace listener.
 *
 * Keys appear in a fixed order per kind of event; absent fields are left
 * out.  Page lists are written as ranges ("0-2,5").
 */
#include <glib.h>
#include <inttypes.h>
#include "log/text.h"

/* The name under which a note's `value` is shown, by action. */
static const char *value_name(const char *action)
{
	static const char *const names[][2] = {
		{ "unplug", "count" }, { "plug", "count" }, { "zero", "len" },
		{ "rw_page", "ns" }, { "evict", "count" }, { "merge", "sectors_after" },
		{ "readahead", "nr_pages" }, { "read", "len" },
		{ "mpage_ret", "ret" }, { "clean_buffers", "count" },
	};

	for (unsigned i = 0; i < G_N_ELEMENTS(names); i++)
		if (!g_strcmp0(action, names[i][0]))
			return names[i][1];
	return "value";
}

void text_trace_ranges(GString *s, const int64_t *v, uint32_t n)
{
	for (uint32_t i = 0; i < n;) {
		uint32_t j = i;

		while (j + 1 < n && v[j + 1] == v[j] + 1)
			j++;
		if (i)
			g_string_append_c(s, ',');
		if (j > i)
			g_string_append_printf(s, "%" PRId64 "-%" PRId64, v[i],
					       v[j]);
		else
			g_string_append_printf(s, "%" PRId64, v[i]);
		i = j + 1;
	}
}

void text_trace_format(const struct trace_event *ev, GString *s)
{
	g_string_append_printf(s, "%" PRId64 " %s", ev->time_ns, ev->action);
	switch (ev->kind) {
	case TRACE_BIO: {
		const struct trace_bio *b = &ev->bio;

		g_string_append_printf(s, " op=%s sector=%" PRIu64
				       " sectors=%u origin=%s", b->op, b->sector,
				       b->sectors, b->origin);
		if (b->task_name)
			g_string_append_printf(s, " task=%s", b->task_name);
		if (b->file)
			g_string_append_printf(s, " file=%s", b->file);
		if (b->npages) {
			g_string_append(s, " pages=");
			text_trace_ranges(s, b->pages, b->npages);
		}
		if (b->block != TRACE_NONE)
			g_string_append_printf(s, " block=%" PRId64, b->block);
		g_string_append_printf(s, " bio=%" PRIu64, b->seq);
		if (b->parent)
			g_string_append_printf(s, " parent=%" PRIu64,
					       b->parent);
		if (b->error)
			g_string_append_printf(s, " error=%d", b->error);
		break;
	}
	case TRACE_REQUEST: {
		const struct trace_request *r = &ev->rq;

		g_string_append_printf(s, " op=%s sector=%" PRIu64
				       " sectors=%u rq=%" PRIu64, r->op,
				       r->sector, r->sectors, r->seq);
		if (r->nbios) {
			g_string_append(s, " bios=");
			for (uint32_t i = 0; i < r->nbios; i++)
				g_string_append_printf(s, "%s%" PRIu64,
						       i ? "," : "", r->bios[i]);
		}
		g_string_append_printf(s, " merges=%u", r->merges);
		if (r->complete_ns != TRACE_NONE)
			g_string_append_printf(s, " latency_ns=%" PRId64
					       " seek_ns=%" PRId64
					       " rotation_ns=%" PRId64
					       " transfer_ns=%" PRId64
					       " cache_hit=%d",
					       r->complete_ns - r->dispatch_ns,
					       r->seek_ns, r->rotation_ns,
					       r->transfer_ns, r->cache_hit);
		if (r->error)
			g_string_append_printf(s, " error=%d", r->error);
		break;
	}
	case TRACE_NOTE: {
		const struct trace_note *n = &ev->note;

		if (n->task_name)
			g_string_append_printf(s, " task=%s", n->task_name);
		if (n->file)
			g_string_append_printf(s, " file=%s", n->file);
		if (n->page != TRACE_NONE)
			g_string_append_printf(s, " page=%" PRId64, n->page);
		if (n->block != TRACE_NONE)
			g_string_append_printf(s, " block=%" PRId64, n->block);
		if (n->sector != TRACE_NONE)
			g_string_append_printf(s, " sector=%" PRId64, n->sector);
		if (n->sectors != TRACE_NONE)
			g_string_append_printf(s, " sectors=%" PRId64,
					       n->sectors);
		if (n->offset != TRACE_NONE)
			g_string_append_printf(s, " offset=%" PRId64, n->offset);
		if (n->value != TRACE_NONE)
			g_string_append_printf(s, " %s=%" PRId64,
					       value_name(ev->action), n->value);
		if (n->reason)
			g_string_append_printf(s, " reason=%s", n->reason);
		if (n->ra_start != TRACE_NONE)
			g_string_append_printf(s, " start=%" PRId64 " size=%"
					       PRId64 " async_size=%" PRId64
					       " async=%" PRId64, n->ra_start,
					       n->ra_size, n->ra_async_size,
					       n->ra_async);
		break;
	}
	}
}

static void text_event(void *ctx, const struct trace_event *ev)
{
	FILE *out = ctx;
	GString *line = g_string_sized_new(128);

	text_trace_format(ev, line);
	g_string_append_c(line, '\n');
	fwrite(line->str, 1, line->len, out);
	g_string_free(line, TRUE);
}

void text_trace_listener(FILE *out, struct trace_listener *l)
{
	l->event = text_event;
	l->ctx = out;
}
