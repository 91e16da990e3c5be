/*
 * harness.h - running scenarios inside a test program and looking at what
 * they did.
 *
 * A test writes a scenario as text, runs it in-process with optional
 * --set overrides, and gets every trace line back (the same lines as
 * `mpsim run --trace -`, see docs/trace-format.md).  Summaries turn those
 * lines into short strings that a test compares with a sequence worked out
 * by hand.
 */
#ifndef MPSIM_TESTS_HARNESS_H
#define MPSIM_TESTS_HARNESS_H

#include <glib.h>
#include "run/run.h"

struct harness_run {
	int status;		/* 0 ran, 2 scenario error, 1 deadlock */
	char *error;		/* the message, when status != 0 */
	GPtrArray *lines;	/* char*: "<time> <action> key=value ..." */
	struct run_result res;
};

/* Run scenario text; sets is NULL or NULL-terminated "GROUP.KEY=VALUE". */
struct harness_run *harness_run_text(const char *ini,
				     const char *const *sets);
/* The same, with one override (or NULL). */
struct harness_run *harness_run1(const char *ini, const char *set);
/* harness_run1(), asserting that it ran (the trace printed if not). */
struct harness_run *harness_run1_ok(const char *ini, const char *set);
void harness_run_free(struct harness_run *r);
/* Assert that the override makes the scenario a bad one (status 2) whose
 * message contains `where` (e.g. "[block] elevator"). */
void harness_assert_refused(const char *ini, const char *set,
			    const char *where);

/* The value of key in a trace line, or NULL (a new string). */
char *harness_field(const char *line, const char *key);

/*
 * Lines of one action, summarised by the given keys, joined by "; ".
 * E.g. harness_summary(r, "queue", "sector sectors origin") gives
 * "24 2 meta; 0 24 mpage; 26 8 mpage".  A missing key shows as "-".
 */
char *harness_summary(const struct harness_run *r, const char *action,
		      const char *keys);
/* Number of lines of an action. */
unsigned harness_count(const struct harness_run *r, const char *action);
/* Every line, joined by newlines (for failure messages). */
char *harness_dump(const struct harness_run *r);

/* Assert a summary, printing the whole trace when it differs. */
#define harness_assert_summary(r, action, keys, expected)		\
	do {								\
		char *got_ = harness_summary((r), (action), (keys));	\
		if (g_strcmp0(got_, (expected))) {			\
			char *dump_ = harness_dump(r);			\
			g_printerr("trace:\n%s\n", dump_);		\
			g_free(dump_);					\
		}							\
		g_assert_cmpstr(got_, ==, (expected));			\
		g_free(got_);						\
	} while (0)

#endif /* MPSIM_TESTS_HARNESS_H */
