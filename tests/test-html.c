/*
 * test-html.c - the pure parts of the HTML report and the plots' options:
 * html_escape() (markup, quotes, bytes that are not UTF-8, control
 * characters), html_path() (the page's name from a database or scenario
 * path), plot_parse_formats() and plot_parse_axis().
 */
#include "config.h"

#include <glib.h>
#include "analysis/html.h"
#include "analysis/plot.h"

static void test_escape(void)
{
	char *e = html_escape("<a href='x'>&\"</a>");

	g_assert_cmpstr(e, ==, "&lt;a href=&#39;x&#39;&gt;&amp;&quot;"
			"&lt;/a&gt;");
	g_free(e);
	/* an entity stays text: its & is escaped again */
	e = html_escape("&amp;");
	g_assert_cmpstr(e, ==, "&amp;amp;");
	g_free(e);
	/* 0xff is no UTF-8 byte: U+FFFD (EF BF BD); so is the control
	 * character 0x01; a tab and é (C3 A9) stay */
	e = html_escape("a\xff" "b\x01" "c\t\xc3\xa9");
	g_assert_cmpstr(e, ==, "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\t\xc3\xa9");
	g_assert_true(g_utf8_validate(e, -1, NULL));
	g_free(e);
}

static void test_path(void)
{
	static const struct {
		const char *dir, *source, *path;
	} cases[] = {
		{ "out", "results/runs.db", "out/runs.html" },
		{ "out", "scenarios/ext2-boundary.ini", "out/ext2-boundary.html" },
		{ "out", "ext2-boundary", "out/ext2-boundary.html" },
		{ "out", "a.b.db", "out/a.b.html" },
		{ "out", "runs.sqlite", "out/runs.sqlite.html" },
		{ "out", "..", "out/report.html" },
		{ "out", ".db", "out/report.html" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *p = html_path(cases[i].dir, cases[i].source);

		g_assert_cmpstr(p, ==, cases[i].path);
		g_free(p);
	}
}

static void test_formats(void)
{
	unsigned f = 0;
	bool block = false;

	g_assert_true(plot_parse_formats("png,svg,pdf", &f));
	g_assert_cmpuint(f, ==, PLOT_PNG | PLOT_SVG | PLOT_PDF);
	g_assert_true(plot_parse_formats("pdf", &f));
	g_assert_cmpuint(f, ==, PLOT_PDF);
	g_assert_true(plot_parse_formats("svg,svg", &f));
	g_assert_cmpuint(f, ==, PLOT_SVG);
	g_assert_false(plot_parse_formats("", &f));
	g_assert_false(plot_parse_formats("png,", &f));
	g_assert_false(plot_parse_formats("png,gif", &f));
	g_assert_false(plot_parse_formats("PNG", &f));
	g_assert_true(plot_parse_axis("block", &block));
	g_assert_true(block);
	g_assert_true(plot_parse_axis("sector", &block));
	g_assert_false(block);
	g_assert_false(plot_parse_axis("blocks", &block));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/html/escape", test_escape);
	g_test_add_func("/html/path", test_path);
	g_test_add_func("/plot/formats", test_formats);
	return g_test_run();
}
