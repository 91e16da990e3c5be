/*
 * bundled.c - finding the bundled scenarios by name (see bundled.h).
 *
 * The build records two folders: the source tree's (MPSIM_SRCDIR) and the
 * build tree's (MPSIM_BUILDDIR).  The source tree's scenarios are offered
 * only to the program built in that build tree, found through
 * /proc/self/exe, so that an installed copy never reads a build folder
 * that happens to be left on the machine.
 */
#include "scenario/bundled.h"
#include "scenario/scenario.h"

#include <stdbool.h>
#include <string.h>

#ifndef MPSIM_SRCDIR
#define MPSIM_SRCDIR ""
#endif
#ifndef MPSIM_BUILDDIR
#define MPSIM_BUILDDIR ""
#endif

/* Whether the running program sits in this build tree's src/ folder. */
static bool running_from_build_tree(void)
{
	char *exe, *dir, *want, *real_dir, *real_want;
	bool same;

	if (!*MPSIM_BUILDDIR || !*MPSIM_SRCDIR)
		return false;
	exe = g_file_read_link("/proc/self/exe", NULL);
	if (!exe)
		return false;
	dir = g_path_get_dirname(exe);
	want = g_build_filename(MPSIM_BUILDDIR, "src", NULL);
	real_dir = g_canonicalize_filename(dir, NULL);
	real_want = g_canonicalize_filename(want, NULL);
	same = !strcmp(real_dir, real_want);
	g_free(exe);
	g_free(dir);
	g_free(want);
	g_free(real_dir);
	g_free(real_want);
	return same;
}

GPtrArray *bundled_dirs(void)
{
	GPtrArray *dirs = g_ptr_array_new_with_free_func(g_free);
	const char *env = g_getenv("MPSIM_DATADIR");

	if (env && *env)
		g_ptr_array_add(dirs, g_build_filename(env, "scenarios",
						       NULL));
	if (running_from_build_tree()) {
		/* abs_top_srcdir may hold "..": the folder as users see it */
		char *top = g_canonicalize_filename(MPSIM_SRCDIR, NULL);

		g_ptr_array_add(dirs, g_build_filename(top, "scenarios",
						       NULL));
		g_free(top);
	}
	g_ptr_array_add(dirs, g_build_filename(MPSIM_DATADIR, "scenarios",
					       NULL));
	return dirs;
}

/* A name may hold subfolders but never climb out of the folder. */
static bool safe_name(const char *name)
{
	char **parts = g_strsplit(name, "/", -1);
	bool ok = *name && name[0] != '/';

	for (char **p = parts; *p && ok; p++)
		ok = **p && strcmp(*p, ".") && strcmp(*p, "..");
	g_strfreev(parts);
	return ok;
}

/* NAME or NAME.ini in `dir`, or NULL. */
static char *find_in(const char *dir, const char *name)
{
	char *path = g_build_filename(dir, name, NULL);
	char *ini;

	if (!g_str_has_suffix(name, ".ini")) {
		ini = g_strconcat(path, ".ini", NULL);
		if (g_file_test(ini, G_FILE_TEST_IS_REGULAR)) {
			g_free(path);
			return ini;
		}
		g_free(ini);
	}
	if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
		return path;
	g_free(path);
	return NULL;
}

char *bundled_find(const char *arg, GError **err)
{
	GPtrArray *dirs;
	GString *looked;
	char *found = NULL, *shown;

	if (g_file_test(arg, G_FILE_TEST_EXISTS))
		return g_strdup(arg);
	dirs = bundled_dirs();
	if (safe_name(arg))
		for (guint i = 0; i < dirs->len && !found; i++)
			found = find_in(dirs->pdata[i], arg);
	if (found) {
		g_ptr_array_unref(dirs);
		return found;
	}
	looked = g_string_new(NULL);
	for (guint i = 0; i < dirs->len; i++)
		g_string_append_printf(looked, "%s%s", i ? ", " : "",
				       (char *)dirs->pdata[i]);
	shown = scenario_escape(arg);
	g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_NOENT,
		    "%s: no such file, and no bundled scenario of that name "
		    "(looked in %s; 'mpsim list' lists them)", shown,
		    looked->str);
	g_free(shown);
	g_string_free(looked, TRUE);
	g_ptr_array_unref(dirs);
	return NULL;
}

static void bundled_free(struct bundled_scenario *b)
{
	g_free(b->name);
	g_free(b->path);
	g_free(b->description);
	g_free(b);
}

static gint cmp_bundled(gconstpointer a, gconstpointer b)
{
	const struct bundled_scenario *x = *(void *const *)a;
	const struct bundled_scenario *y = *(void *const *)b;

	return strcmp(x->name, y->name);
}

/* The description of a scenario file, read without loading it. */
static char *describe(const char *path)
{
	GKeyFile *kf = g_key_file_new();
	char *d = NULL;

	if (g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, NULL))
		d = g_key_file_get_string(kf, "scenario", "description",
					  NULL);
	g_key_file_free(kf);
	if (!d)
		return g_strdup("");
	/* one line of text: no line breaks, no control characters */
	for (char *c = d; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	return g_strstrip(d);
}

/* Every NAME.ini in `dir`, and in its subfolders as SUB/NAME. */
static void scan(GPtrArray *out, const char *dir, const char *prefix)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *entry;

	if (!d)
		return;
	while ((entry = g_dir_read_name(d))) {
		char *path = g_build_filename(dir, entry, NULL);

		if (g_file_test(path, G_FILE_TEST_IS_DIR) && !*prefix) {
			char *sub = g_strconcat(entry, "/", NULL);

			scan(out, path, sub);
			g_free(sub);
		} else if (g_str_has_suffix(entry, ".ini") &&
			   g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
			struct bundled_scenario *b = g_new0(
				struct bundled_scenario, 1);
			char *base = g_strndup(entry, strlen(entry) - 4);

			b->name = g_strconcat(prefix, base, NULL);
			b->path = g_strdup(path);
			b->description = describe(path);
			g_ptr_array_add(out, b);
			g_free(base);
		}
		g_free(path);
	}
	g_dir_close(d);
}

GPtrArray *bundled_list(void)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(
		(GDestroyNotify)bundled_free);
	GPtrArray *dirs = bundled_dirs();

	for (guint i = 0; i < dirs->len && !out->len; i++)
		scan(out, dirs->pdata[i], "");
	g_ptr_array_sort(out, cmp_bundled);
	g_ptr_array_unref(dirs);
	return out;
}
