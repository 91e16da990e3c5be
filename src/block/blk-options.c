/*
 * blk-options.c - the block layer's tunables, as a scenario's [block]
 * group sets them.
 */
#include "block/blkdev.h"

#include <string.h>

void blk_options_init(struct blk_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->plug = true;
}

void blk_options_clear(struct blk_options *opt)
{
	g_free(opt->fail_bio_alloc);
	opt->fail_bio_alloc = NULL;
	opt->nr_fail_bio_alloc = 0;
}

static bool parse_onoff(const char *key, const char *value, bool *out,
			GError **err)
{
	if (!g_ascii_strcasecmp(value, "on") || !strcmp(value, "1") ||
	    !g_ascii_strcasecmp(value, "true") ||
	    !g_ascii_strcasecmp(value, "yes")) {
		*out = true;
		return true;
	}
	if (!g_ascii_strcasecmp(value, "off") || !strcmp(value, "0") ||
	    !g_ascii_strcasecmp(value, "false") ||
	    !g_ascii_strcasecmp(value, "no")) {
		*out = false;
		return true;
	}
	g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		    "\"%s\" is not on or off", value);
	return false;
}

static gint cmp_u64(gconstpointer a, gconstpointer b)
{
	guint64 x = *(const guint64 *)a, y = *(const guint64 *)b;

	return x < y ? -1 : x > y;
}

/* "3, 5, 9": 1-based ordinals of bio_alloc() calls that fail */
static bool parse_ordinals(const char *value, struct blk_options *opt,
			   GError **err)
{
	char **items = g_strsplit(value, ",", -1);
	GArray *a = g_array_new(FALSE, FALSE, sizeof(guint64));
	bool ok = true;

	for (char **it = items; *it && ok; it++) {
		char *item = g_strstrip(*it);
		guint64 v;

		if (!*item)
			continue;
		if (!g_ascii_string_to_unsigned(item, 10, 1, G_MAXUINT32, &v,
						NULL)) {
			g_set_error(err, G_OPTION_ERROR,
				    G_OPTION_ERROR_BAD_VALUE,
				    "\"%s\" is not a call number (1, 2, ...)",
				    item);
			ok = false;
		} else {
			g_array_append_val(a, v);
		}
	}
	g_strfreev(items);
	if (ok) {
		g_array_sort(a, cmp_u64);
		blk_options_clear(opt);
		opt->nr_fail_bio_alloc = a->len;
		opt->fail_bio_alloc = (uint64_t *)g_array_free(a, FALSE);
	} else {
		g_array_unref(a);
	}
	return ok;
}

bool blk_options_set(struct blk_options *opt, const char *key,
		     const char *value, GError **err)
{
	if (!strcmp(key, "plug"))
		return parse_onoff(key, value, &opt->plug, err);
	if (!strcmp(key, "fail_bio_alloc"))
		return parse_ordinals(value, opt, err);
	g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
		    "unknown key");
	return false;
}

void blk_options_foreach(const struct blk_options *opt,
			 void (*fn)(const char *key, const char *value,
				    void *arg), void *arg)
{
	GString *s = g_string_new(NULL);

	for (unsigned i = 0; i < opt->nr_fail_bio_alloc; i++)
		g_string_append_printf(s, "%s%" G_GUINT64_FORMAT, i ? "," : "",
				       (guint64)opt->fail_bio_alloc[i]);
	fn("fail_bio_alloc", s->str, arg);
	fn("plug", opt->plug ? "on" : "off", arg);
	g_string_free(s, TRUE);
}
