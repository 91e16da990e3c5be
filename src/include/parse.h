/*
 * parse.h - small value parsers shared by modules that read options.
 *
 * Each module keeps its own messages; this only says what a word means,
 * so that "on", "yes" and "1" are accepted alike wherever a switch is set.
 */
#ifndef MPSIM_PARSE_H
#define MPSIM_PARSE_H

#include <stdbool.h>
#include <glib.h>

/* A switch: on, true, yes, 1 or off, false, no, 0, in any case. */
static inline bool parse_onoff(const char *text, bool *out)
{
	static const char *const on[] = { "on", "true", "yes", "1" };
	static const char *const off[] = { "off", "false", "no", "0" };

	for (unsigned i = 0; i < G_N_ELEMENTS(on); i++) {
		if (!g_ascii_strcasecmp(text, on[i])) {
			*out = true;
			return true;
		}
		if (!g_ascii_strcasecmp(text, off[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}

#endif /* MPSIM_PARSE_H */
