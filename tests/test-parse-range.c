/*
 * test-parse-range.c - parse_range() (src/scenario/values.c), which reads
 * every "A" and "A-B" of a scenario (ops, page lists, extents): plain
 * numbers take a quick path without allocations, anything else the
 * general one (split at the first '-', blanks stripped, each side a whole
 * number by g_ascii_string_to_unsigned); both must read alike.
 */
#include <glib.h>
#include "scenario/loader.h"

struct range_case {
	const char *text;
	bool ok;
	uint64_t a, b;
};

/*
 * Worked from the two paths: "5" is 5-5; blanks around either number are
 * dropped; B below A is refused; an empty side, a sign, letters and a
 * second '-' are refused.  20 digits (above the quick path's 18) go the
 * general way: 2^64 - 1 is read, 2^64 overflows.  A leading zero goes
 * the general way too, which reads 007 as 7.
 */
static const struct range_case cases[] = {
	{ "5", true, 5, 5 },
	{ "0", true, 0, 0 },
	{ "12-40", true, 12, 40 },
	{ " 12 - 40 ", true, 12, 40 },
	{ "\t3\t-\t3", true, 3, 3 },
	{ "40-12", false, 0, 0 },
	{ "5-", false, 0, 0 },
	{ "-5", false, 0, 0 },
	{ "+5", false, 0, 0 },
	{ "x", false, 0, 0 },
	{ "5x", false, 0, 0 },
	{ "1-2-3", false, 0, 0 },
	{ "007", true, 7, 7 },
	{ "18446744073709551615", true, G_MAXUINT64, G_MAXUINT64 },
	{ "18446744073709551616", false, 0, 0 },
	{ "999999999999999999-1000000000000000000", true,
	  999999999999999999ull, 1000000000000000000ull },
};

static void test_ranges(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		uint64_t a = 0, b = 0;
		bool ok = parse_range(cases[i].text, &a, &b);

		g_test_message("\"%s\"", cases[i].text);
		g_assert_cmpint(ok, ==, cases[i].ok);
		if (!ok)
			continue;
		g_assert_cmpuint(a, ==, cases[i].a);
		g_assert_cmpuint(b, ==, cases[i].b);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/scenario/parse-range", test_ranges);
	return g_test_run();
}
