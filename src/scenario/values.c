/*
 * values.c - the values a scenario's keys hold: whole numbers, sizes and
 * durations with units, switches, ranges and lists of numbers; and the
 * accessors the group loaders read keys with, which check a value and
 * name the key at fault when it is wrong.
 */
#include "scenario/loader.h"

#include <errno.h>
#include <string.h>
#include "include/parse.h"
#include "scenario/keys.h"

/* ---- numbers ---- */

bool parse_u64(const char *text, uint64_t *out)
{
	guint64 v;

	if (!text || !*text)
		return false;
	if (!g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT64, &v, NULL))
		return false;
	*out = v;
	return true;
}

bool parse_duration_ns(const char *text, int64_t *out)
{
	return parse_duration(text, 1, out);
}

bool parse_size_bytes(const char *text, uint64_t *out)
{
	static const struct parse_unit units[] = {
		{ "K", 1024 }, { "KiB", 1024 }, { "M", 1 << 20 },
		{ "MiB", 1 << 20 }, { "G", 1 << 30 }, { "GiB", 1 << 30 },
		{ "T", 1ull << 40 }, { "TiB", 1ull << 40 }, { NULL, 0 },
	};

	return parse_unit_number(text, units, out);
}

static gint cmp_u64(gconstpointer a, gconstpointer b)
{
	guint64 x = *(const guint64 *)a, y = *(const guint64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * Digits at *p (blanks around them skipped): a number of at most 18
 * digits without a leading zero, else false.  The common case of
 * parse_range(), without the allocations of the general path.
 */
static bool quick_number(const char **p, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	int n = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (s[0] == '0' && g_ascii_isdigit(s[1]))
		return false;
	for (; g_ascii_isdigit(*s) && n < 18; s++, n++)
		v = v * 10 + (uint64_t)(*s - '0');
	if (!n || g_ascii_isdigit(*s))
		return false;
	while (*s == ' ' || *s == '\t')
		s++;
	*p = s;
	*out = v;
	return true;
}

/* "A" or "A-B" of plain numbers, as parse_range() reads them, or false. */
static bool quick_range(const char *text, uint64_t *a, uint64_t *b,
			bool *ok)
{
	const char *p = text;

	if (!quick_number(&p, a))
		return false;
	if (!*p) {
		*b = *a;
		*ok = true;
		return true;
	}
	if (*p++ != '-' || !quick_number(&p, b) || *p)
		return false;
	*ok = *b >= *a;
	return true;
}

bool parse_range(const char *text, uint64_t *a, uint64_t *b)
{
	char **parts;
	bool ok;

	if (!*text)
		return false;
	if (quick_range(text, a, b, &ok))
		return ok;
	parts = g_strsplit(text, "-", 2);

	ok = parse_u64(g_strstrip(parts[0]), a);
	if (ok && parts[1])
		ok = parse_u64(g_strstrip(parts[1]), b) && *b >= *a;
	else if (ok)
		*b = *a;
	g_strfreev(parts);
	return ok;
}

char **split_items(const char *text, char sep)
{
	GPtrArray *a = g_ptr_array_new();
	const char *p = text;

	for (;;) {
		const char *q = strchr(p, sep);

		if (!q) {
			g_ptr_array_add(a, g_strdup(p));
			break;
		}
		g_ptr_array_add(a, g_strndup(p, (gsize)(q - p)));
		p = q + 1;
	}
	g_ptr_array_add(a, NULL);
	return (char **)g_ptr_array_free(a, FALSE);
}

/*
 * Bounds memory: a list of a million pages or blocks is plenty, and all
 * lists together hold at most four million numbers (a cached page costs
 * its number and, once the world is built, a page: 550 MiB in all).
 */
#define MAX_LIST_ITEMS (1ull << 20)
#define MAX_ALL_LIST_ITEMS (1ull << 22)

/* "1, 4-7, 9": sorted, unique numbers. */
static bool parse_number_list(struct loader *L, GError **err,
			      const char *group, const char *key,
			      const char *text, GArray **out)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(guint64));
	char **items = split_items(text, ',');
	bool ok = true;

	for (char **it = items; *it && ok; it++) {
		uint64_t lo, hi;
		char *item = g_strstrip(*it);

		if (!*item)
			continue;
		if (!parse_range(item, &lo, &hi)) {
			ok = fail(L, err, group, key, "\"%s\" is not a number "
				  "or a range A-B", item);
			break;
		}
		if (hi - lo >= MAX_LIST_ITEMS ||
		    a->len + (hi - lo) >= MAX_LIST_ITEMS) {
			ok = fail(L, err, group, key, "the list is too long "
				  "(at most %llu numbers)", MAX_LIST_ITEMS);
			break;
		}
		for (uint64_t v = lo;; v++) {
			g_array_append_val(a, v);
			if (v == hi)
				break;
		}
	}
	g_strfreev(items);
	if (!ok) {
		g_array_unref(a);
		return false;
	}
	g_array_sort(a, cmp_u64);
	/* drop repeats in one pass (removing each would be quadratic) */
	if (a->len) {
		guint n = 1;

		for (guint i = 1; i < a->len; i++)
			if (g_array_index(a, guint64, i) !=
			    g_array_index(a, guint64, n - 1))
				g_array_index(a, guint64, n++) =
					g_array_index(a, guint64, i);
		g_array_set_size(a, n);
	}
	*out = a;
	return true;
}

/* ---- keys ---- */

bool valid_name(const char *name)
{
	if (!*name)
		return false;
	for (const char *p = name; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_')
			return false;
	return true;
}

bool check_keys(struct loader *L, GError **err, const char *group)
{
	gsize n = 0;
	char **keys = g_key_file_get_keys(L->kf, group, &n, NULL);
	bool ok = true;

	for (gsize i = 0; i < n && ok; i++)
		if (!scen_key_find(group, keys[i])) {
			char *msg = scen_key_unknown_message(group, keys[i]);

			ok = fail(L, err, group, keys[i], "%s", msg);
			g_free(msg);
		}
	g_strfreev(keys);
	return ok;
}

char *get_value(struct loader *L, const char *group, const char *key)
{
	char *v = g_key_file_get_value(L->kf, group, key, NULL);

	if (v)
		g_strstrip(v);
	return v;
}

bool get_u64(struct loader *L, GError **err, const char *group,
		    const char *key, uint64_t min, uint64_t max,
		    uint64_t *out)
{
	char *v = get_value(L, group, key);
	bool ok = true;

	if (!v)
		return true;	/* keep the default */
	if (!parse_u64(v, out))
		ok = fail(L, err, group, key, "\"%s\" is not a whole number",
			  v);
	else if (*out < min || *out > max)
		ok = fail(L, err, group, key, "%s is out of range [%" G_GUINT64_FORMAT
			  ", %" G_GUINT64_FORMAT "]", v, min, max);
	g_free(v);
	return ok;
}

bool get_bool(struct loader *L, GError **err, const char *group,
		     const char *key, bool *out)
{
	char *v = get_value(L, group, key);
	bool ok = true;

	if (v && !parse_onoff(v, out))
		ok = fail(L, err, group, key, "\"%s\" is not on or off", v);
	g_free(v);
	return ok;
}

bool get_duration(struct loader *L, GError **err, const char *group,
		  const char *key, int64_t *out)
{
	char *v = get_value(L, group, key);
	bool ok = true;

	if (v && !parse_duration_ns(v, out))
		ok = fail(L, err, group, key, "\"%s\" is not a time "
			  "(a number with ns, us, ms or s)", v);
	g_free(v);
	return ok;
}

bool get_list(struct loader *L, GError **err, const char *group,
		     const char *key, GArray **out)
{
	char *v = get_value(L, group, key);
	bool ok = true;

	if (v)
		ok = parse_number_list(L, err, group, key, v, out);
	else
		*out = g_array_new(FALSE, FALSE, sizeof(guint64));
	if (ok) {
		L->list_numbers += (*out)->len;
		if (L->list_numbers > MAX_ALL_LIST_ITEMS)
			ok = fail(L, err, group, key, "the scenario's lists "
				  "hold more than %llu numbers in all",
				  MAX_ALL_LIST_ITEMS);
	}
	g_free(v);
	return ok;
}
