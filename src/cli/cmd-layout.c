/*
 * cmd-layout.c - `mpsim layout SCENARIO [--file NAME]`: each file's block
 * map as the run starts, whether written out in the scenario, generated
 * (layout, fragment) or imported from an image: extents as `filefrag -v`
 * shows them, and each pointer block (or extent tree block) where
 * `debugfs stat` lists it, with its level.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "include/parse.h"
#include "run/run.h"
#include "scenario/bundled.h"
#include "scenario/scenario.h"

struct layout_print {
	unsigned ext;		/* data extents printed */
	uint64_t blocks;	/* data blocks */
	unsigned meta;		/* metadata blocks */
	GString *out;
};

static void print_run(const struct fmap_run *r, void *arg)
{
	struct layout_print *p = arg;

	if (r->kind == FMAP_DATA) {
		g_string_append_printf(p->out, "%5u: %10" G_GUINT64_FORMAT
				       "..%10" G_GUINT64_FORMAT ": %10"
				       G_GUINT64_FORMAT "..%10"
				       G_GUINT64_FORMAT ": %8" G_GUINT64_FORMAT
				       "  data\n", p->ext++, r->logical,
				       r->logical + r->len - 1, r->physical,
				       r->physical + r->len - 1, r->len);
		p->blocks += r->len;
		return;
	}
	p->meta++;
	g_string_append_printf(p->out, "%5s  %22s  %10" G_GUINT64_FORMAT
			       "..%10" G_GUINT64_FORMAT ": %8d  %s", "-", "",
			       r->physical, r->physical, 1,
			       fmap_kind_name(r->kind));
	if (r->kind != FMAP_TREE)
		g_string_append_printf(p->out, " (from file block %"
				       G_GUINT64_FORMAT ")", r->logical);
	g_string_append_c(p->out, '\n');
}

static void print_file(struct world *w, const struct scenario *s,
		       unsigned i)
{
	const struct scen_file *f = s->files->pdata[i];
	struct layout_print p = { 0, 0, 0, g_string_new(NULL) };

	world_foreach_mapping(w, i, print_run, &p);
	printf("File %s: %" G_GINT64_FORMAT " bytes, %u-byte blocks, %"
	       G_GUINT64_FORMAT " data blocks in %u extent%s, %u %s block%s\n",
	       f->name, (gint64)f->size, s->block_size, p.blocks, p.ext,
	       p.ext == 1 ? "" : "s", p.meta,
	       s->extent_fs ? "tree" : "pointer", p.meta == 1 ? "" : "s");
	printf("%5s  %22s  %22s  %8s  %s\n", "ext", "logical", "physical",
	       "length", "kind");
	fputs(p.out->str, stdout);
	g_string_free(p.out, TRUE);
}

static int unknown_file(const struct scenario *s, const char *name)
{
	GPtrArray *names = g_ptr_array_new();
	const char *near;

	for (guint i = 0; i < s->files->len; i++)
		g_ptr_array_add(names,
				((struct scen_file *)s->files->pdata[i])->name);
	g_ptr_array_add(names, NULL);
	char *shown = scenario_escape(name);

	near = closest_word(name, (const char *const *)names->pdata);
	fprintf(stderr, "mpsim layout: %s has no file \"%s\"", s->path, shown);
	g_free(shown);
	if (near)
		fprintf(stderr, " (did you mean %s?)", near);
	fputs("; files:", stderr);
	for (guint i = 0; names->pdata[i]; i++)
		fprintf(stderr, "%s %s", i ? "," : "",
			(char *)names->pdata[i]);
	fputs("\n", stderr);
	g_ptr_array_unref(names);
	return EXIT_BAD_INPUT;
}

int cmd_layout(int argc, char **argv)
{
	char *file = NULL, **sets = NULL, *path = NULL;
	GOptionEntry entries[] = {
		{ "file", 0, 0, G_OPTION_ARG_STRING, &file,
		  "only this file's map", "NAME" },
		{ "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
		  "override a scenario key (repeatable)", "GROUP.KEY=VALUE" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GOptionContext *ctx = g_option_context_new("SCENARIO - print each "
						   "file's block map");
	GError *err = NULL;
	struct scenario *s = NULL;
	struct world *w = NULL;
	int status = 0;
	unsigned printed = 0;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!cli_parse_options(ctx, "layout", &argc, &argv, &err) ||
	    argc != 2) {
		fprintf(stderr, "mpsim layout: %s\n", err ? err->message :
			"expected one SCENARIO (see mpsim layout --help)");
		status = EXIT_BAD_INPUT;
		goto out;
	}
	path = bundled_find(argv[1], &err);
	if (path)
		s = scenario_load(path, (const char *const *)sets, &err);
	if (s)
		w = world_build(s, &err);
	if (!w) {
		fprintf(stderr, "mpsim: %s\n", err->message);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	for (guint i = 0; i < s->files->len; i++) {
		const struct scen_file *f = s->files->pdata[i];

		if (file && strcmp(file, f->name))
			continue;
		if (printed++)
			putchar('\n');
		print_file(w, s, i);
	}
	if (file && !printed)
		status = unknown_file(s, file);
	if (!status && (fflush(stdout) || ferror(stdout)))
		status = 1;
out:
	if (w)
		world_free(w);
	if (s)
		scenario_free(s);
	g_clear_error(&err);
	g_option_context_free(ctx);
	g_free(path);
	g_free(file);
	g_strfreev(sets);
	return status;
}
