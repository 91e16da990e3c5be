/*
 * cmd-keys.c - `mpsim keys [GROUP]`: every scenario key with its type,
 * the unit of a bare number, its default and its meaning, from the same
 * catalogue the loader checks keys against (src/scenario/keys.c).  [disk]
 * defaults come from the presets themselves (src/disk/presets.c), one
 * value per preset where they differ.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "disk/disk.h"
#include "include/parse.h"
#include "scenario/keys.h"
#include "scenario/scenario.h"

/* ---- [disk] defaults, per preset ---- */

static void collect(const char *key, const char *value, void *arg)
{
	g_hash_table_insert(arg, g_strdup(key), g_strdup(value));
}

/* preset name -> (key -> value), for every preset. */
static GPtrArray *preset_values(void)
{
	const char *const *names = disk_preset_names();
	GPtrArray *all = g_ptr_array_new_with_free_func(
		(GDestroyNotify)g_hash_table_unref);

	for (int i = 0; names[i]; i++) {
		struct disk_params *p = disk_params_new();
		GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal,
						      g_free, g_free);

		disk_params_set(p, "preset", names[i], NULL);
		disk_params_foreach(p, collect, h);
		g_ptr_array_add(all, h);
		disk_params_free(p);
	}
	return all;
}

/*
 * The default of a [disk] key: the default preset's value, then
 * "preset=value" for each preset whose value differs ("-" where the
 * preset's model has no such key).
 */
static char *disk_default(const struct scen_key *k, GPtrArray *values,
			  char **per_preset)
{
	const char *const *names = disk_preset_names();
	const char *def = NULL;
	GString *others = g_string_new(NULL);

	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], DISK_DEFAULT_PRESET))
			def = g_hash_table_lookup(values->pdata[i], k->name);
	for (int i = 0; names[i]; i++) {
		const char *v = g_hash_table_lookup(values->pdata[i], k->name);

		if (!strcmp(names[i], DISK_DEFAULT_PRESET) ||
		    g_strcmp0(v, def) == 0)
			continue;
		g_string_append_printf(others, "%s%s=%s", others->len ? ", " :
				       "", names[i], v ? v : "-");
	}
	*per_preset = g_string_free(others, !others->len);
	return g_strdup(def ? def : "-");
}

/* ---- printing ---- */

/* A bare number that is not in ns, for a duration: marked with '*'. */
static bool bare_not_ns(const struct scen_key *k)
{
	return !strcmp(k->type, "duration") && k->unit &&
	       strcmp(k->unit, "ns");
}

static void print_group(const char *group, GPtrArray *values)
{
	size_t n;
	const struct scen_key *keys = scen_keys(&n);

	printf("[%s]\n", scen_key_group_shown(group));
	printf("  %-26s %-9s %-9s %-12s %s\n", "KEY", "TYPE", "UNIT",
	       "DEFAULT", "MEANING");
	for (size_t i = 0; i < n; i++) {
		const struct scen_key *k = &keys[i];
		char *def, *unit, *per_preset = NULL;

		if (strcmp(k->group, group))
			continue;
		if (!strcmp(group, "disk") && strcmp(k->name, "preset") &&
		    strcmp(k->name, "model") && strcmp(k->name, "phase"))
			def = disk_default(k, values, &per_preset);
		else
			def = g_strdup(!k->def ? "(required)" :
				       *k->def ? k->def : "(none)");
		unit = g_strdup_printf("%s%s", k->unit ? k->unit : "-",
				       bare_not_ns(k) ? "*" : "");
		printf("  %-26s %-9s %-9s %-12s %s\n", k->name, k->type, unit,
		       def, k->meaning);
		if (per_preset)
			printf("  %-26s %-9s %-9s other presets: %s\n", "",
			       "", "", per_preset);
		g_free(per_preset);
		g_free(unit);
		g_free(def);
	}
}

/* One GROUP.KEY a line (file.NAME.size, ...): for shell completion. */
static void print_names(const char *group)
{
	size_t n;
	const struct scen_key *keys = scen_keys(&n);

	for (size_t i = 0; i < n; i++)
		if (!group || !strcmp(keys[i].group, group))
			printf("%s.%s\n", scen_key_group_shown(keys[i].group),
			       keys[i].name);
}

static int unknown_group(const char *group)
{
	GPtrArray *groups = scen_key_groups(true);
	const char *near;

	g_ptr_array_add(groups, NULL);
	char *shown = scenario_escape(group);

	near = closest_word(group, (const char *const *)groups->pdata);
	fprintf(stderr, "mpsim keys: no group \"%s\"", shown);
	g_free(shown);
	if (near)
		fprintf(stderr, " (did you mean %s?)", near);
	fputs("; groups:", stderr);
	for (guint i = 0; groups->pdata[i]; i++)
		fprintf(stderr, "%s %s", i ? "," : "",
			(char *)groups->pdata[i]);
	fputs("\n", stderr);
	g_ptr_array_unref(groups);
	return EXIT_BAD_INPUT;
}

int cmd_keys(int argc, char **argv)
{
	gboolean names = FALSE;
	GOptionEntry entries[] = {
		{ "names", 0, 0, G_OPTION_ARG_NONE, &names,
		  "print only GROUP.KEY, one a line", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GOptionContext *ctx = g_option_context_new("[GROUP] - list every "
						   "scenario key (or a "
						   "group's)");
	GError *err = NULL;
	const char *group = NULL;
	GPtrArray *groups, *values;

	g_option_context_set_description(ctx,
		"A '*' after a unit marks a duration whose bare number is not "
		"in ns;\nany duration also takes a suffix: ns, us, ms or s.\n");
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!cli_parse_options(ctx, "keys", &argc, &argv, &err) || argc > 2) {
		fprintf(stderr, "mpsim keys: %s\n",
			err ? err->message : "at most one GROUP");
		g_clear_error(&err);
		g_option_context_free(ctx);
		return EXIT_BAD_INPUT;
	}
	g_option_context_free(ctx);
	if (argc == 2) {
		/* "file", "file.NAME" and "file.a" all name [file.NAME] */
		char *named = g_strconcat(argv[1], ".", NULL);

		group = scen_key_group_of(argv[1]);
		if (!group && !strchr(argv[1], '.'))
			group = scen_key_group_of(named);
		g_free(named);
		if (!group)
			return unknown_group(argv[1]);
	}
	if (names) {
		print_names(group);
		return fflush(stdout) || ferror(stdout) ? 1 : 0;
	}
	values = preset_values();
	groups = scen_key_groups(false);
	for (guint i = 0; i < groups->len; i++) {
		const char *g = groups->pdata[i];

		if (group && strcmp(group, g))
			continue;
		if (!group && i)
			putchar('\n');
		print_group(g, values);
	}
	g_ptr_array_unref(groups);
	g_ptr_array_unref(values);
	return fflush(stdout) || ferror(stdout) ? 1 : 0;
}
