/*
 * parse.h - small value parsers shared by modules that read options.
 *
 * Each module keeps its own messages; this only says what a word means,
 * so that "on", "yes" and "1" are accepted alike wherever a switch is set,
 * and which known word a misspelt one was probably meant to be.
 */
#ifndef MPSIM_PARSE_H
#define MPSIM_PARSE_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
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

/* A unit suffix and what it multiplies by; a list ends with a NULL name. */
struct parse_unit {
	const char *name;
	uint64_t factor;
};

/*
 * A whole number, spaces around it allowed, with an optional suffix from
 * `units` (NULL: none); false on anything else or on overflow.
 */
static inline bool parse_unit_number(const char *text,
				     const struct parse_unit *units,
				     uint64_t *out)
{
	const char *p = text;
	char *end;
	guint64 v;

	while (*p == ' ')
		p++;
	if (!g_ascii_isdigit(*p))
		return false;
	errno = 0;
	v = g_ascii_strtoull(p, &end, 10);
	if (errno)
		return false;
	while (*end == ' ')
		end++;
	if (!*end) {
		*out = v;
		return true;
	}
	for (const struct parse_unit *u = units; u && u->name; u++)
		if (!strcmp(end, u->name)) {
			if (v > G_MAXUINT64 / u->factor)
				return false;
			*out = v * u->factor;
			return true;
		}
	return false;
}

/* Whether the text ends in a letter: a unit suffix was given. */
static inline bool parse_has_suffix(const char *text)
{
	size_t n = strlen(text);

	while (n && text[n - 1] == ' ')
		n--;
	return n && g_ascii_isalpha(text[n - 1]);
}

/*
 * A duration in ns: a number with ns, us, ms or s, or a bare number of
 * `bare_ns` nanoseconds each (1 where bare numbers are ns, 1000000 where
 * they are ms, as the kernel's iosched files take them).  At most
 * INT64_MAX / 4, so that sums of a few durations cannot overflow.
 */
static inline bool parse_duration(const char *text, uint64_t bare_ns,
				  int64_t *out)
{
	const struct parse_unit units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
		{ "s", 1000000000 }, { NULL, 0 },
	};
	uint64_t v;

	if (!parse_unit_number(text, units, &v))
		return false;
	if (!parse_has_suffix(text)) {
		if (v > G_MAXUINT64 / bare_ns)
			return false;
		v *= bare_ns;
	}
	if (v > (uint64_t)INT64_MAX / 4)
		return false;
	*out = (int64_t)v;
	return true;
}

/*
 * The word of `candidates` (NULL-terminated) nearest to `word` by edit
 * distance, when near enough to be a likely slip (at most a third of the
 * word's letters, and at least one); NULL otherwise.  For "did you mean".
 */
static inline const char *closest_word(const char *word,
				       const char *const *candidates)
{
	size_t n = strlen(word), limit = n / 3 > 1 ? n / 3 : 1;
	size_t best = limit + 1;
	const char *found = NULL;

	if (n > 64)
		return NULL;
	for (const char *const *c = candidates; *c; c++) {
		size_t m = strlen(*c), row[65], prev, d;

		if (m > 64 || (m > n ? m - n : n - m) > limit)
			continue;
		/* Levenshtein distance, one row at a time */
		for (size_t j = 0; j <= m; j++)
			row[j] = j;
		for (size_t i = 1; i <= n; i++) {
			prev = row[0];
			row[0] = i;
			for (size_t j = 1; j <= m; j++) {
				size_t del = row[j] + 1, ins = row[j - 1] + 1;
				size_t sub = prev + (word[i - 1] != (*c)[j - 1]);

				prev = row[j];
				d = del < ins ? del : ins;
				row[j] = d < sub ? d : sub;
			}
		}
		if (row[m] < best) {
			best = row[m];
			found = *c;
		}
	}
	return found;
}

#endif /* MPSIM_PARSE_H */
