/*
 * grid.c - the variants of a comparison or sweep (see grid.h).
 */
#include "analysis/grid.h"

#include <string.h>

#define GRID_ERROR (g_quark_from_static_string("mpsim-grid-error"))

struct grid {
	GPtrArray *keys;	/* char* */
	GPtrArray *values;	/* char** per key */
};

void grid_free(struct grid *g)
{
	if (!g)
		return;
	g_ptr_array_unref(g->keys);
	g_ptr_array_unref(g->values);
	g_free(g);
}

struct grid *grid_parse(const char *const *vary, GError **err)
{
	struct grid *g = g_new0(struct grid, 1);

	g->keys = g_ptr_array_new_with_free_func(g_free);
	g->values = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	for (; vary && *vary; vary++) {
		const char *eq = strchr(*vary, '=');
		char **vals;
		char *key;

		if (!eq || eq == *vary || !eq[1]) {
			g_set_error(err, GRID_ERROR, 0, "--vary %s: expected "
				    "GROUP.KEY=VALUE1,VALUE2,...", *vary);
			grid_free(g);
			return NULL;
		}
		key = g_strndup(*vary, (gsize)(eq - *vary));
		for (guint i = 0; i < g->keys->len; i++)
			if (!strcmp(g->keys->pdata[i], key)) {
				g_set_error(err, GRID_ERROR, 0, "--vary %s: "
					    "%s is varied twice", *vary, key);
				g_free(key);
				grid_free(g);
				return NULL;
			}
		vals = g_strsplit(eq + 1, ",", -1);
		for (char **v = vals; *v; v++)
			g_strstrip(*v);
		g_ptr_array_add(g->keys, key);
		g_ptr_array_add(g->values, vals);
	}
	return g;
}

guint grid_count(const struct grid *g)
{
	guint n = 1;

	for (guint k = 0; k < g->values->len; k++)
		n *= g_strv_length(g->values->pdata[k]);
	return n;
}

/* The value index of key k in variant i: the last key varies fastest. */
static guint digit(const struct grid *g, guint i, guint k)
{
	for (guint j = g->keys->len; j-- > k + 1;)
		i /= g_strv_length(g->values->pdata[j]);
	return i % g_strv_length(g->values->pdata[k]);
}

char **grid_sets(const struct grid *g, guint i, const char *const *base)
{
	GPtrArray *a = g_ptr_array_new();

	for (; base && *base; base++)
		g_ptr_array_add(a, g_strdup(*base));
	for (guint k = 0; k < g->keys->len; k++) {
		char **vals = g->values->pdata[k];

		g_ptr_array_add(a, g_strdup_printf("%s=%s",
			(char *)g->keys->pdata[k], vals[digit(g, i, k)]));
	}
	g_ptr_array_add(a, NULL);
	return (char **)g_ptr_array_free(a, FALSE);
}

char *grid_label(const struct grid *g, guint i)
{
	GString *s = g_string_new(NULL);

	for (guint k = 0; k < g->keys->len; k++) {
		char **vals = g->values->pdata[k];

		g_string_append_printf(s, "%s%s=%s", k ? " " : "",
				       (char *)g->keys->pdata[k],
				       vals[digit(g, i, k)]);
	}
	return g_string_free(s, FALSE);
}
