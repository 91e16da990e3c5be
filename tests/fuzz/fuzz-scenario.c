/*
 * fuzz-scenario.c - the scenario fuzz target: load, check and build.
 *
 * One input is a scenario file.  Its comment lines of the form
 * "#set GROUP.KEY=VALUE" are also passed as --set overrides (at most 8), as
 * tests/test-bad-scenarios.sh does, so the fuzzer reaches that path too.  The input is loaded and checked
 * (scenario_load_data) and, when it passes, the world is built
 * (world_build, where the layout checks live) and torn down; nothing runs.
 * Any outcome is fine except a crash, a hang, a leak or a huge allocation.
 *
 * Built two ways: with libFuzzer by tests/fuzz/run-fuzz, and without it
 * (MPSIM_FUZZ_REPLAY) into tests/test-fuzz-replay, which feeds every file
 * of tests/fuzz/corpus/ through fuzz_scenario_input() as a normal test.
 */
#include <glib.h>
#include <stdint.h>
#include <string.h>
#include "fuzz-scenario.h"
#include "run/run.h"
#include "scenario/scenario.h"

#define MAX_SETS 8

int fuzz_scenario_input(const uint8_t *data, size_t size)
{
	char *text = g_malloc(size + 1);
	char *sets[MAX_SETS + 1] = { NULL };
	int nsets = 0;
	GError *err = NULL;
	struct scenario *s;
	struct world *w = NULL;

	/* the overrides are read from a terminated copy; the loader gets
	 * the bytes as they are (not terminated, maybe with NULs inside) */
	memcpy(text, data, size);
	text[size] = '\0';
	for (const char *p = text; p && nsets < MAX_SETS;) {
		const char *eol = strchr(p, '\n');

		if (eol && !strncmp(p, "#set ", 5))
			sets[nsets++] = g_strndup(p + 5, (gsize)(eol - p - 5));
		p = eol ? eol + 1 : NULL;
	}
	s = scenario_load_data("fuzz.ini", (const char *)data, size,
			       (const char *const *)sets, &err);
	if (s)
		w = world_build(s, &err);
	if (!w) {
		/* every failure is a SCENARIO_ERROR naming the input */
		g_assert(err && err->domain == SCENARIO_ERROR);
		g_assert(g_str_has_prefix(err->message, "fuzz.ini"));
	}
	world_free(w);
	scenario_free(s);
	g_clear_error(&err);
	for (int i = 0; i < nsets; i++)
		g_free(sets[i]);
	g_free(text);
	return 0;
}

#ifndef MPSIM_FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_scenario_input(data, size);
}
#endif
