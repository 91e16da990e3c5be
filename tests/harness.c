/*
 * harness.c - in-process scenario runs for the tests.
 */
#include "harness.h"

#include <string.h>
#include "log/text.h"
#include "scenario/scenario.h"
#include "trace/trace.h"

static void capture(void *ctx, const struct trace_event *ev)
{
	GPtrArray *lines = ctx;
	GString *s = g_string_new(NULL);

	text_trace_format(ev, s);
	g_ptr_array_add(lines, g_string_free(s, FALSE));
}

struct harness_run *harness_run_text(const char *ini,
				     const char *const *sets)
{
	struct harness_run *r = g_new0(struct harness_run, 1);
	GError *err = NULL;
	struct scenario *s;
	struct world *w = NULL;
	struct trace_listener l = { capture, NULL };

	r->lines = g_ptr_array_new_with_free_func(g_free);
	l.ctx = r->lines;
	s = scenario_load_data("test.ini", ini, strlen(ini), sets, &err);
	if (s)
		w = world_build(s, &err);
	if (!w) {
		r->status = 2;
		r->error = g_strdup(err->message);
		g_error_free(err);
		scenario_free(s);
		return r;
	}
	trace_clear_listeners();
	trace_add_listener(&l);
	if (!world_run(w, NULL, &r->res, &err)) {
		r->status = 1;
		r->error = g_strdup(err->message);
		g_error_free(err);
	}
	trace_clear_listeners();
	if (r->status) {
		/*
		 * A world whose tasks never finished is mid-I/O (pages held by
		 * sleeping tasks): kept, reachable, as mpsim itself keeps it,
		 * rather than half torn down.
		 */
		static GPtrArray *stuck;

		if (!stuck)
			stuck = g_ptr_array_new();
		g_ptr_array_add(stuck, w);
		g_ptr_array_add(stuck, s);
		return r;
	}
	world_free(w);
	scenario_free(s);
	return r;
}

struct harness_run *harness_run1(const char *ini, const char *set)
{
	const char *sets[] = { set, NULL };

	return harness_run_text(ini, set ? sets : NULL);
}

struct harness_run *harness_run1_ok(const char *ini, const char *set)
{
	struct harness_run *r = harness_run1(ini, set);

	if (r->status) {
		char *d = harness_dump(r);

		g_printerr("%s\n", d);
		g_free(d);
	}
	g_assert_cmpint(r->status, ==, 0);
	return r;
}

void harness_run_free(struct harness_run *r)
{
	if (!r)
		return;
	g_ptr_array_unref(r->lines);
	g_free(r->error);
	g_free(r);
}

void harness_assert_refused(const char *ini, const char *set,
			    const char *where)
{
	struct harness_run *r = harness_run1(ini, set);

	if (r->status != 2 || !r->error || !strstr(r->error, where))
		g_printerr("%s: %s\n", set, r->error ? r->error : "ran");
	g_assert_cmpint(r->status, ==, 2);
	g_assert_nonnull(strstr(r->error, where));
	harness_run_free(r);
}

char *harness_field(const char *line, const char *key)
{
	size_t klen = strlen(key);
	const char *p = line;

	while ((p = strstr(p, key))) {
		if ((p == line || p[-1] == ' ') && p[klen] == '=') {
			const char *v = p + klen + 1;
			const char *end = strchr(v, ' ');

			return end ? g_strndup(v, (gsize)(end - v)) : g_strdup(v);
		}
		p += klen;
	}
	return NULL;
}

static bool line_is(const char *line, const char *action)
{
	const char *sp = strchr(line, ' ');
	size_t alen = strlen(action);

	return sp && !strncmp(sp + 1, action, alen) &&
	       (sp[1 + alen] == ' ' || sp[1 + alen] == '\0');
}

char *harness_summary(const struct harness_run *r, const char *action,
		      const char *keys)
{
	GString *out = g_string_new(NULL);
	char **k = g_strsplit(keys, " ", -1);
	bool first = true;

	for (guint i = 0; i < r->lines->len; i++) {
		const char *line = r->lines->pdata[i];

		if (!line_is(line, action))
			continue;
		if (!first)
			g_string_append(out, "; ");
		first = false;
		for (char **key = k; *key; key++) {
			char *v = harness_field(line, *key);

			if (key != k)
				g_string_append_c(out, ' ');
			g_string_append(out, v ? v : "-");
			g_free(v);
		}
	}
	g_strfreev(k);
	return g_string_free(out, FALSE);
}

unsigned harness_count(const struct harness_run *r, const char *action)
{
	unsigned n = 0;

	for (guint i = 0; i < r->lines->len; i++)
		n += line_is(r->lines->pdata[i], action);
	return n;
}

char *harness_dump(const struct harness_run *r)
{
	GString *out = g_string_new(r->error ? r->error : "");

	for (guint i = 0; i < r->lines->len; i++) {
		if (out->len)
			g_string_append_c(out, '\n');
		g_string_append(out, r->lines->pdata[i]);
	}
	return g_string_free(out, FALSE);
}
