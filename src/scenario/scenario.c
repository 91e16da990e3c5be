/*
 * scenario.c - loading and checking scenario files.
 *
 * The file is parsed with GKeyFile; --set overrides are applied to the key
 * file before anything is read from it, so an override is checked exactly
 * like a key written in the file.  Every group and key is checked against
 * the tables below; the first problem ends the load with a message of the
 * form
 *
 *     FILE:LINE: [GROUP] KEY: what is wrong
 *
 * (LINE is left out when the key came from --set or is missing).
 */
#include "scenario/scenario.h"

#include <string.h>
#include "disk/disk.h"
#include "fs/buffer.h"
#include "fs/ext2/ext2.h"
#include "mm/filemap.h"
#include "mm/readahead.h"

G_DEFINE_QUARK(mpsim-scenario-error-quark, scenario_error)

/* Loading context: where we are, for messages. */
struct loader {
	struct scenario *s;
	GKeyFile *kf;
	const char *text;	/* the file as read, for line numbers */
	GHashTable *overridden;	/* "group.key" given with --set */
};

/* The line of `key` in `group`, or 0 when it does not appear. */
static int find_key_line(const char *text, const char *group,
			 const char *key)
{
	const char *p = text;
	int line = 1;
	bool in_group = false;
	size_t glen = strlen(group), klen = key ? strlen(key) : 0;

	while (*p) {
		const char *eol = strchr(p, '\n');
		const char *q = p;

		if (!eol)
			eol = p + strlen(p);
		while (q < eol && (*q == ' ' || *q == '\t'))
			q++;
		if (*q == '[') {
			in_group = (size_t)(eol - q) >= glen + 2 &&
				   !strncmp(q + 1, group, glen) &&
				   q[glen + 1] == ']';
			if (in_group && !key)
				return line;
		} else if (in_group && key && !strncmp(q, key, klen)) {
			const char *r = q + klen;

			while (r < eol && (*r == ' ' || *r == '\t'))
				r++;
			if (r < eol && *r == '=')
				return line;
		}
		if (!*eol)
			break;
		p = eol + 1;
		line++;
	}
	return 0;
}

static bool fail(struct loader *L, GError **err, const char *group,
		 const char *key, const char *fmt, ...) G_GNUC_PRINTF(5, 6);

static bool fail(struct loader *L, GError **err, const char *group,
		 const char *key, const char *fmt, ...)
{
	va_list ap;
	char *msg, *where, *full_key;
	int line = 0;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	full_key = key ? g_strdup_printf("%s.%s", group, key) : NULL;
	if (!(full_key && g_hash_table_contains(L->overridden, full_key)) &&
	    group)
		line = find_key_line(L->text, group, key);
	if (line)
		where = g_strdup_printf("%s:%d", L->s->path, line);
	else
		where = g_strdup(L->s->path);
	if (group && key)
		g_set_error(err, SCENARIO_ERROR, 0, "%s: [%s] %s: %s%s", where,
			    group, key, msg,
			    full_key && g_hash_table_contains(L->overridden,
							       full_key) ?
			    " (from --set)" : "");
	else if (group)
		g_set_error(err, SCENARIO_ERROR, 0, "%s: [%s]: %s", where,
			    group, msg);
	else
		g_set_error(err, SCENARIO_ERROR, 0, "%s: %s", where, msg);
	g_free(full_key);
	g_free(where);
	g_free(msg);
	return false;
}

/* ---- value parsers ---- */

static bool parse_u64(const char *text, uint64_t *out)
{
	guint64 v;

	if (!text || !*text)
		return false;
	if (!g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT64, &v, NULL))
		return false;
	*out = v;
	return true;
}

static bool parse_bool(const char *text, bool *out)
{
	static const char *const yes[] = { "on", "true", "yes", "1" };
	static const char *const no[] = { "off", "false", "no", "0" };

	for (unsigned i = 0; i < G_N_ELEMENTS(yes); i++) {
		if (!g_ascii_strcasecmp(text, yes[i])) {
			*out = true;
			return true;
		}
		if (!g_ascii_strcasecmp(text, no[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}

/* A number with an optional unit suffix from `units`; overflow fails. */
struct unit {
	const char *name;
	uint64_t factor;
};

static bool parse_with_units(const char *text, const struct unit *units,
			     uint64_t *out)
{
	char *end;
	guint64 v;
	const char *p = text;

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
	for (const struct unit *u = units; u->name; u++)
		if (!strcmp(end, u->name)) {
			if (v > G_MAXUINT64 / u->factor)
				return false;
			*out = v * u->factor;
			return true;
		}
	return false;
}

bool parse_duration_ns(const char *text, int64_t *out)
{
	static const struct unit units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
		{ "s", 1000000000 }, { NULL, 0 },
	};
	uint64_t v;

	if (!parse_with_units(text, units, &v) || v > (uint64_t)INT64_MAX / 4)
		return false;
	*out = (int64_t)v;
	return true;
}

bool parse_size_bytes(const char *text, uint64_t *out)
{
	static const struct unit units[] = {
		{ "K", 1024 }, { "KiB", 1024 }, { "M", 1 << 20 },
		{ "MiB", 1 << 20 }, { "G", 1 << 30 }, { "GiB", 1 << 30 },
		{ "T", 1ull << 40 }, { "TiB", 1ull << 40 }, { NULL, 0 },
	};

	return parse_with_units(text, units, out);
}

static gint cmp_u64(gconstpointer a, gconstpointer b)
{
	guint64 x = *(const guint64 *)a, y = *(const guint64 *)b;

	return x < y ? -1 : x > y;
}

/* "A" or "A-B": a closed range. */
static bool parse_range(const char *text, uint64_t *a, uint64_t *b)
{
	char **parts;
	bool ok;

	if (!*text)
		return false;
	parts = g_strsplit(text, "-", 2);

	ok = parse_u64(g_strstrip(parts[0]), a);
	if (ok && parts[1])
		ok = parse_u64(g_strstrip(parts[1]), b) && *b >= *a;
	else if (ok)
		*b = *a;
	g_strfreev(parts);
	return ok;
}

/* Bounds memory: a list of a million pages or blocks is plenty. */
#define MAX_LIST_ITEMS (1ull << 20)

/* "1, 4-7, 9": sorted, unique numbers. */
static bool parse_number_list(struct loader *L, GError **err,
			      const char *group, const char *key,
			      const char *text, GArray **out)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(guint64));
	char **items = g_strsplit(text, ",", -1);
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
	for (guint i = 1; i < a->len;) {
		if (g_array_index(a, guint64, i) ==
		    g_array_index(a, guint64, i - 1))
			g_array_remove_index(a, i);
		else
			i++;
	}
	*out = a;
	return true;
}

/* ---- groups and keys ---- */

static const char *const scenario_keys[] = { "description", NULL };
static const char *const fs_keys[] = {
	"type", "block_size", "boundary", "cached_blocks", "free", "fragment",
	"nobh", NULL
};
static const char *const writeback_keys[] = {
	"dirty_expire_centisecs", "dirty_writeback_centisecs",
	"dirty_background_pages", NULL
};
static const char *const file_keys[] = {
	"size", "extents", "layout", "first_block", "indirect", "cached",
	"cleancache", "test_uptodate", "test_eio", "tree_blocks", "image",
	"path", NULL
};
static const char *const page_keys[] = { "flags", "buffers", NULL };
static const char *const task_keys[] = {
	"file", "start", "ops", "copy_cost", NULL
};
static const char *const readahead_keys[] = {
	"ra_pages", "read_ahead_kb", NULL
};
static const char *const cache_keys[] = { "capacity", NULL };

static bool key_known(const char *const *keys, const char *key)
{
	for (; *keys; keys++)
		if (!strcmp(*keys, key))
			return true;
	return false;
}

/* Names of files and tasks: letters, digits, '-' and '_'. */
static bool valid_name(const char *name)
{
	if (!*name)
		return false;
	for (const char *p = name; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_')
			return false;
	return true;
}

static bool check_keys(struct loader *L, GError **err, const char *group,
		       const char *const *known)
{
	gsize n = 0;
	char **keys = g_key_file_get_keys(L->kf, group, &n, NULL);
	bool ok = true;

	for (gsize i = 0; i < n && ok; i++)
		if (!key_known(known, keys[i]))
			ok = fail(L, err, group, keys[i], "unknown key");
	g_strfreev(keys);
	return ok;
}

/* The value of group.key, or NULL when absent. */
static char *get(struct loader *L, const char *group, const char *key)
{
	char *v = g_key_file_get_value(L->kf, group, key, NULL);

	if (v)
		g_strstrip(v);
	return v;
}

static bool get_u64(struct loader *L, GError **err, const char *group,
		    const char *key, uint64_t min, uint64_t max,
		    uint64_t *out)
{
	char *v = get(L, group, key);
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

static bool get_bool(struct loader *L, GError **err, const char *group,
		     const char *key, bool *out)
{
	char *v = get(L, group, key);
	bool ok = true;

	if (v && !parse_bool(v, out))
		ok = fail(L, err, group, key, "\"%s\" is not on or off", v);
	g_free(v);
	return ok;
}

static bool get_list(struct loader *L, GError **err, const char *group,
		     const char *key, GArray **out)
{
	char *v = get(L, group, key);
	bool ok = true;

	if (v)
		ok = parse_number_list(L, err, group, key, v, out);
	else
		*out = g_array_new(FALSE, FALSE, sizeof(guint64));
	g_free(v);
	return ok;
}

/* ---- [disk] ---- */

/* The disk module's messages start with "KEY: "; ours name it already. */
static const char *without_key(const char *msg, const char *key)
{
	size_t n = strlen(key);

	if (!strncmp(msg, key, n) && msg[n] == ':' && msg[n + 1] == ' ')
		return msg + n + 2;
	return msg;
}

static bool load_disk(struct loader *L, GError **err)
{
	gsize n = 0;
	char **keys;
	bool ok = true;
	char *preset;
	GError *e = NULL;

	L->s->disk = disk_params_new();
	if (!g_key_file_has_group(L->kf, "disk"))
		return disk_params_validate(L->s->disk, &e) ||
		       fail(L, err, "disk", NULL, "%s", e->message);
	/* the preset first: it replaces every value */
	preset = get(L, "disk", "preset");
	if (preset && !disk_params_set(L->s->disk, "preset", preset, &e))
		ok = fail(L, err, "disk", "preset", "%s",
			  without_key(e->message, "preset"));
	g_free(preset);
	keys = g_key_file_get_keys(L->kf, "disk", &n, NULL);
	for (gsize i = 0; i < n && ok; i++) {
		char *v;

		if (!strcmp(keys[i], "preset"))
			continue;
		v = get(L, "disk", keys[i]);
		if (!disk_params_set(L->s->disk, keys[i], v, &e))
			ok = fail(L, err, "disk", keys[i], "%s",
				  without_key(e->message, keys[i]));
		g_free(v);
	}
	g_strfreev(keys);
	if (ok && !disk_params_validate(L->s->disk, &e))
		ok = fail(L, err, "disk", NULL, "%s", e->message);
	g_clear_error(&e);
	return ok;
}

/* ---- [fs] and [block] ---- */

/* [fs] free = A-B, C-D and fragment = SEED:EXTENT:GAP (generated files) */
static bool load_free_space(struct loader *L, GError **err)
{
	char *v = get(L, "fs", "free");
	bool ok = true;

	L->s->free_ranges = g_array_new(FALSE, FALSE, sizeof(guint64));
	if (v) {
		char **items = g_strsplit(v, ",", -1);

		for (char **it = items; *it && ok; it++) {
			uint64_t a, b, len;

			if (!*g_strstrip(*it))
				continue;
			ok = parse_range(*it, &a, &b);
			if (!ok) {
				fail(L, err, "fs", "free", "\"%s\" is not a "
				     "block range A-B", *it);
				break;
			}
			len = b - a + 1;
			g_array_append_val(L->s->free_ranges, a);
			g_array_append_val(L->s->free_ranges, len);
		}
		g_strfreev(items);
		if (ok && !L->s->free_ranges->len)
			ok = fail(L, err, "fs", "free", "no free range");
	}
	g_free(v);
	v = get(L, "fs", "fragment");
	if (ok && v) {
		char **p = g_strsplit(v, ":", -1);
		uint64_t x[3];

		ok = g_strv_length(p) == 3;
		for (int i = 0; ok && i < 3; i++)
			ok = parse_u64(g_strstrip(p[i]), &x[i]) &&
			     x[i] <= (i ? (1u << 20) : G_MAXUINT32) &&
			     (i == 0 || x[i] >= 1);
		if (!ok)
			fail(L, err, "fs", "fragment", "\"%s\" is not "
			     "SEED:EXTENT_BLOCKS:GAP_BLOCKS (extent and gap 1 "
			     "to 2^20)", v);
		L->s->fragment = ok;
		L->s->frag_seed = (uint32_t)x[0];
		L->s->frag_extent = (uint32_t)x[1];
		L->s->frag_gap = (uint32_t)x[2];
		g_strfreev(p);
	}
	g_free(v);
	return ok;
}

static bool load_fs(struct loader *L, GError **err)
{
	uint64_t bs = 1024;
	char *type = get(L, "fs", "type");
	bool ok = true;

	L->s->boundary = true;
	L->s->extent_fs = type && !strcmp(type, "extent");
	if (type && strcmp(type, "ext2") && !L->s->extent_fs)
		ok = fail(L, err, "fs", "type", "\"%s\" is not a known "
			  "filesystem (known: ext2, extent)", type);
	g_free(type);
	if (!ok || !check_keys(L, err, "fs", fs_keys))
		return false;
	if (!get_u64(L, err, "fs", "block_size", 0, UINT64_MAX, &bs))
		return false;
	if (bs < 512 || bs > PAGE_SIZE || (bs & (bs - 1)))
		return fail(L, err, "fs", "block_size", "%" G_GUINT64_FORMAT
			    " is not a power of two from 512 (a sector) to "
			    "%lu (a page)", bs, (unsigned long)PAGE_SIZE);
	L->s->block_size = (unsigned)bs;
	if (!get_bool(L, err, "fs", "boundary", &L->s->boundary))
		return false;
	if (!get_bool(L, err, "fs", "nobh", &L->s->nobh))
		return false;
	return get_list(L, err, "fs", "cached_blocks", &L->s->cached_blocks) &&
	       load_free_space(L, err);
}

/* ---- [writeback] ---- */

static bool load_writeback(struct loader *L, GError **err)
{
	uint64_t expire = 3000, interval = 500, bg = 8192;

	if (g_key_file_has_group(L->kf, "writeback") &&
	    !check_keys(L, err, "writeback", writeback_keys))
		return false;
	if (!get_u64(L, err, "writeback", "dirty_expire_centisecs", 0,
		     360000, &expire) ||
	    !get_u64(L, err, "writeback", "dirty_writeback_centisecs", 1,
		     360000, &interval) ||
	    !get_u64(L, err, "writeback", "dirty_background_pages", 0,
		     1ull << 40, &bg))
		return false;
	L->s->dirty_expire_centisecs = (unsigned)expire;
	L->s->dirty_writeback_centisecs = (unsigned)interval;
	L->s->dirty_background_pages = bg;
	return true;
}

static bool load_block(struct loader *L, GError **err)
{
	gsize n = 0;	/* left unset when there is no [block] group */
	char **keys = g_key_file_get_keys(L->kf, "block", &n, NULL);
	bool ok = true;
	GError *e = NULL;

	blk_options_init(&L->s->blk);
	for (gsize i = 0; i < n && ok; i++) {
		char *v = get(L, "block", keys[i]);

		if (!blk_options_set(&L->s->blk, keys[i], v, &e))
			ok = fail(L, err, "block", keys[i], "%s", e->message);
		g_clear_error(&e);
		g_free(v);
	}
	g_strfreev(keys);
	return ok;
}

/* [fault]: requests the device fails (src/block/blk-fault.c) */
static bool load_fault(struct loader *L, GError **err)
{
	gsize n = 0;
	char **keys = g_key_file_get_keys(L->kf, "fault", &n, NULL);
	bool ok = true;
	GError *e = NULL;

	for (gsize i = 0; i < n && ok; i++) {
		char *v = get(L, "fault", keys[i]);

		if (!blk_fault_set(&L->s->blk.fault, keys[i], v, &e))
			ok = fail(L, err, "fault", keys[i], "%s", e->message);
		g_clear_error(&e);
		g_free(v);
	}
	g_strfreev(keys);
	return ok;
}

/* ---- [file.NAME] ---- */

static gint cmp_extent(gconstpointer a, gconstpointer b)
{
	const struct scen_extent *x = a, *y = b;

	return x->file_block < y->file_block ? -1 :
	       x->file_block > y->file_block;
}

/* "A-B:D, A:D": file blocks A..B on disk blocks D.. */
static bool parse_extents(struct loader *L, GError **err, const char *group,
			  const char *text, GArray *out)
{
	char **items = g_strsplit(text, ",", -1);
	bool ok = true;

	for (char **it = items; *it && ok; it++) {
		char *item = g_strstrip(*it);
		char **parts;
		struct scen_extent e;
		uint64_t a, b;

		if (!*item)
			continue;
		parts = g_strsplit(item, ":", 2);
		if (!parts[1] || !parse_range(g_strstrip(parts[0]), &a, &b) ||
		    !parse_u64(g_strstrip(parts[1]), &e.disk_block))
			ok = fail(L, err, group, "extents", "\"%s\" is not "
				  "FIRST-LAST:DISKBLOCK", item);
		g_strfreev(parts);
		if (!ok)
			break;
		e.file_block = a;
		e.len = b - a + 1;
		if (e.disk_block + e.len < e.disk_block)
			ok = fail(L, err, group, "extents", "\"%s\" overflows",
				  item);
		else
			g_array_append_val(out, e);
	}
	g_strfreev(items);
	if (!ok)
		return false;
	g_array_sort(out, cmp_extent);
	for (guint i = 1; i < out->len; i++) {
		const struct scen_extent *p = &g_array_index(out,
					struct scen_extent, i - 1);
		const struct scen_extent *q = &g_array_index(out,
					struct scen_extent, i);

		if (q->file_block < p->file_block + p->len)
			return fail(L, err, group, "extents", "extents overlap "
				    "at file block %" G_GUINT64_FORMAT,
				    q->file_block);
	}
	return true;
}

static gint cmp_indirect(gconstpointer a, gconstpointer b)
{
	const struct scen_indirect *x = a, *y = b;

	if (x->depth != y->depth)
		return x->depth - y->depth;
	for (int i = 0; i < x->depth; i++)
		if (x->path[i] != y->path[i])
			return x->path[i] < y->path[i] ? -1 : 1;
	return 0;
}

/* "ind:12, dind:300, dind/0:301, tind/2/5:900" */
static bool parse_indirect(struct loader *L, GError **err, const char *group,
			   const char *text, GArray *out)
{
	static const char *const tops[] = { "ind", "dind", "tind" };
	char **items = g_strsplit(text, ",", -1);
	bool ok = true;

	for (char **it = items; *it && ok; it++) {
		char *item = g_strstrip(*it);
		char **parts, **names;
		struct scen_indirect ind = { .depth = 0 };
		int top = -1;

		if (!*item)
			continue;
		parts = g_strsplit(item, ":", 2);
		names = g_strsplit(g_strstrip(parts[0]), "/", -1);
		for (int t = 0; t < 3 && names[0]; t++)
			if (!strcmp(names[0], tops[t]))
				top = t;
		ok = top >= 0 && parts[1] &&
		     parse_u64(g_strstrip(parts[1]), &ind.disk_block) &&
		     ind.disk_block < EXT2_HOLE_BLOCK;
		if (ok) {
			ind.path[0] = 12 + (unsigned)top;
			ind.depth = 1;
			for (int i = 1; names[i] && ok; i++) {
				uint64_t v = 0;

				ok = ind.depth <= top && parse_u64(names[i], &v) &&
				     v < 1024;
				ind.path[ind.depth++] = (unsigned)v;
			}
		}
		if (!ok)
			fail(L, err, group, "indirect", "\"%s\" is not "
			     "ind:D, dind[/N]:D or tind[/N[/M]]:D", item);
		else
			g_array_append_val(out, ind);
		g_strfreev(names);
		g_strfreev(parts);
	}
	g_strfreev(items);
	if (!ok)
		return false;
	/* parents first */
	g_array_sort(out, cmp_indirect);
	for (guint i = 1; i < out->len; i++)
		if (!cmp_indirect(&g_array_index(out, struct scen_indirect, i - 1),
				  &g_array_index(out, struct scen_indirect, i)))
			return fail(L, err, group, "indirect",
				    "a pointer block is placed twice");
	return true;
}

static void scen_file_free(struct scen_file *f)
{
	if (!f)
		return;
	g_free(f->name);
	g_array_unref(f->extents);
	g_array_unref(f->indirect);
	if (f->cached)
		g_array_unref(f->cached);
	if (f->cleancache)
		g_array_unref(f->cleancache);
	if (f->test_uptodate)
		g_array_unref(f->test_uptodate);
	if (f->test_eio)
		g_array_unref(f->test_eio);
	if (f->tree_blocks)
		g_array_unref(f->tree_blocks);
	g_free(f);
}

/* Keys that belong to one filesystem type only. */
static bool check_fs_keys(struct loader *L, GError **err, const char *group)
{
	static const char *const ext2_only[] = {
		"layout", "first_block", "indirect", "test_uptodate",
		"test_eio",
	};

	for (unsigned i = 0; i < G_N_ELEMENTS(ext2_only); i++)
		if (L->s->extent_fs &&
		    g_key_file_has_key(L->kf, group, ext2_only[i], NULL))
			return fail(L, err, group, ext2_only[i], "not with "
				    "[fs] type = extent (give extents and "
				    "tree_blocks)");
	if (!L->s->extent_fs &&
	    g_key_file_has_key(L->kf, group, "tree_blocks", NULL))
		return fail(L, err, group, "tree_blocks", "only with [fs] "
			    "type = extent");
	return true;
}

/*
 * [file.NAME] image = IMG, path = /file: the size and block map come from
 * the ext2/ext3 image (src/fs/ext2/image.c).
 */
static bool load_image_file(struct loader *L, GError **err,
			    const char *group, struct scen_file *f)
{
	static const char *const not_with[] = {
		"size", "extents", "indirect", "layout", "first_block",
	};
	char *image = get(L, group, "image"), *path = get(L, group, "path");
	char *full = NULL, *why = NULL;
	struct ext2_image_map map = { 0 };
	bool ok = true;

	for (unsigned i = 0; i < G_N_ELEMENTS(not_with) && ok; i++)
		if (g_key_file_has_key(L->kf, group, not_with[i], NULL))
			ok = fail(L, err, group, not_with[i], "not with image "
				  "(the image gives the file's size and map)");
	if (ok && L->s->extent_fs)
		ok = fail(L, err, group, "image", "an ext2/ext3 image needs "
			  "[fs] type = ext2");
	if (ok && !path)
		ok = fail(L, err, group, "path", "missing (the file's path "
			  "in the image, e.g. /dir/file)");
	if (ok) {
		full = scenario_resolve_path(L->s, image);
		if (!ext2_image_read_file(full, path, &map, &why))
			ok = fail(L, err, group, "image", "%s", why);
	}
	if (ok && map.block_size != L->s->block_size)
		ok = fail(L, err, group, "image", "the image has %u-byte "
			  "blocks; set [fs] block_size = %u", map.block_size,
			  map.block_size);
	if (ok) {
		f->size = (loff_t)map.size;
		for (guint i = 0; i < map.runs->len; i++) {
			const struct ext2_image_run *r = &g_array_index(
				map.runs, struct ext2_image_run, i);
			struct scen_extent e = { r->file_block, r->len,
						 r->disk_block };

			g_array_append_val(f->extents, e);
		}
		for (guint i = 0; i < map.indirect->len; i++) {
			const struct ext2_image_indirect *m = &g_array_index(
				map.indirect, struct ext2_image_indirect, i);
			struct scen_indirect ind = {
				{ m->path[0], m->path[1], m->path[2] },
				m->depth, m->disk_block,
			};

			g_array_append_val(f->indirect, ind);
		}
	}
	ext2_image_map_clear(&map);
	g_free(why);
	g_free(full);
	g_free(image);
	g_free(path);
	return ok;
}

static bool load_file(struct loader *L, GError **err, const char *group)
{
	struct scen_file *f = g_new0(struct scen_file, 1);
	uint64_t size = 0;
	char *v;
	bool ok;

	f->name = g_strdup(group + strlen("file."));
	f->extents = g_array_new(FALSE, FALSE, sizeof(struct scen_extent));
	f->indirect = g_array_new(FALSE, FALSE, sizeof(struct scen_indirect));
	g_ptr_array_add(L->s->files, f);
	if (!valid_name(f->name))
		return fail(L, err, group, NULL, "a file name is letters, "
			    "digits, '-' and '_'");
	if (!check_keys(L, err, group, file_keys))
		return false;
	if (g_key_file_has_key(L->kf, group, "image", NULL))
		return load_image_file(L, err, group, f) &&
		       get_list(L, err, group, "tree_blocks", &f->tree_blocks) &&
		       get_list(L, err, group, "cached", &f->cached) &&
		       get_list(L, err, group, "cleancache", &f->cleancache) &&
		       get_list(L, err, group, "test_uptodate",
				&f->test_uptodate) &&
		       get_list(L, err, group, "test_eio", &f->test_eio);
	if (g_key_file_has_key(L->kf, group, "path", NULL))
		return fail(L, err, group, "path", "only with image");
	v = get(L, group, "size");
	if (!v)
		return fail(L, err, group, "size", "missing");
	ok = parse_size_bytes(v, &size) && size <= (uint64_t)INT64_MAX / 2;
	if (!ok)
		fail(L, err, group, "size", "\"%s\" is not a size in bytes "
		     "(suffixes K, M, G, T allowed)", v);
	g_free(v);
	if (!ok)
		return false;
	f->size = (loff_t)size;

	v = get(L, group, "layout");
	if (v && strcmp(v, "ext2-sequential") && strcmp(v, "explicit")) {
		fail(L, err, group, "layout", "\"%s\" is not explicit or "
		     "ext2-sequential", v);
		g_free(v);
		return false;
	}
	f->layout_sequential = v && !strcmp(v, "ext2-sequential");
	g_free(v);
	if (!get_u64(L, err, group, "first_block", 0, UINT32_MAX - 1,
		     &f->first_block))
		return false;
	f->first_block_set = g_key_file_has_key(L->kf, group, "first_block",
						NULL);
	if (!f->layout_sequential && g_key_file_has_key(L->kf, group,
							"first_block", NULL))
		return fail(L, err, group, "first_block", "only for layout = "
			    "ext2-sequential");

	v = get(L, group, "extents");
	if (v && f->layout_sequential) {
		g_free(v);
		return fail(L, err, group, "extents", "not with layout = "
			    "ext2-sequential");
	}
	ok = !v || parse_extents(L, err, group, v, f->extents);
	g_free(v);
	if (!ok)
		return false;
	v = get(L, group, "indirect");
	if (v && f->layout_sequential) {
		g_free(v);
		return fail(L, err, group, "indirect", "not with layout = "
			    "ext2-sequential");
	}
	ok = !v || parse_indirect(L, err, group, v, f->indirect);
	g_free(v);
	if (!ok)
		return false;
	if (!check_fs_keys(L, err, group))
		return false;
	return get_list(L, err, group, "tree_blocks", &f->tree_blocks) &&
	       get_list(L, err, group, "cached", &f->cached) &&
	       get_list(L, err, group, "cleancache", &f->cleancache) &&
	       get_list(L, err, group, "test_uptodate", &f->test_uptodate) &&
	       get_list(L, err, group, "test_eio", &f->test_eio);
}

static int find_file(struct scenario *s, const char *name)
{
	for (guint i = 0; i < s->files->len; i++)
		if (!strcmp(((struct scen_file *)s->files->pdata[i])->name,
			    name))
			return (int)i;
	return -1;
}

/* ---- [page.FILE.INDEX] ---- */

static const struct {
	const char *name;
	int bit;
} page_flag_names[] = {
	{ "uptodate", PG_uptodate }, { "dirty", PG_dirty },
	{ "error", PG_error }, { "mappedtodisk", PG_mappedtodisk },
	{ "readahead", PG_readahead },
};

static const struct {
	const char *name;
	int bit;
} bh_flag_names[] = {
	{ "uptodate", BH_Uptodate }, { "dirty", BH_Dirty },
	{ "mapped", BH_Mapped }, { "new", BH_New },
	{ "boundary", BH_Boundary }, { "delay", BH_Delay },
	{ "unwritten", BH_Unwritten }, { "req", BH_Req },
};

static bool parse_page_flags(struct loader *L, GError **err,
			     const char *group, const char *text,
			     unsigned long *flags)
{
	char **items = g_strsplit(text, ",", -1);
	bool ok = true;

	for (char **it = items; *it && ok; it++) {
		char *item = g_strstrip(*it);
		bool found = false;

		if (!*item)
			continue;
		for (unsigned i = 0; i < G_N_ELEMENTS(page_flag_names); i++)
			if (!strcmp(item, page_flag_names[i].name)) {
				*flags |= 1UL << page_flag_names[i].bit;
				found = true;
			}
		if (!found)
			ok = fail(L, err, group, "flags", "\"%s\" is not a page "
				  "flag (uptodate, dirty, error, mappedtodisk, "
				  "readahead)", item);
	}
	g_strfreev(items);
	return ok;
}

/* "mapped+uptodate@77, mapped, -, -" */
static bool parse_buffers(struct loader *L, GError **err, const char *group,
			  const char *text, struct scen_page *pg,
			  unsigned per_page)
{
	char **items = g_strsplit(text, ",", -1);
	bool ok = true;
	unsigned n = 0;

	for (char **it = items; *it && ok; it++, n++) {
		char *item = g_strstrip(*it);
		char **at, **bits;
		struct scen_buffer b = { 0, -1 };

		if (n >= per_page) {
			ok = false;
			break;
		}
		if (!*item) {
			ok = fail(L, err, group, "buffers", "buffer %u is empty "
				  "(write - for a buffer with no state)", n);
			break;
		}
		at = g_strsplit(item, "@", 2);
		if (at[1]) {
			uint64_t blk = 0;

			if (!parse_u64(g_strstrip(at[1]), &blk) ||
			    blk >= EXT2_HOLE_BLOCK)
				ok = fail(L, err, group, "buffers", "\"%s\": bad "
					  "block number", item);
			b.blocknr = (int64_t)blk;
		}
		bits = g_strsplit(g_strstrip(at[0]), "+", -1);
		for (char **bit = bits; *bit && ok; bit++) {
			bool found = !strcmp(*bit, "-") || !**bit;

			for (unsigned i = 0; i < G_N_ELEMENTS(bh_flag_names); i++)
				if (!strcmp(*bit, bh_flag_names[i].name)) {
					b.state |= 1UL << bh_flag_names[i].bit;
					found = true;
				}
			if (!found)
				ok = fail(L, err, group, "buffers", "\"%s\" is "
					  "not a buffer state (mapped, uptodate, "
					  "dirty, new, boundary, delay, "
					  "unwritten, req, or -)", *bit);
		}
		if (ok && b.blocknr >= 0 && !(b.state & (1UL << BH_Mapped)))
			ok = fail(L, err, group, "buffers", "\"%s\": a block "
				  "number needs mapped", item);
		g_strfreev(bits);
		g_strfreev(at);
		if (ok)
			pg->buffers[n] = b;
	}
	g_strfreev(items);
	if (!ok && err && *err)
		return false;
	if (!ok || n != per_page)
		return fail(L, err, group, "buffers", "a page has %u buffers of "
			    "%u bytes; %u given", per_page, L->s->block_size,
			    n);
	pg->nr_buffers = n;
	return true;
}

static bool load_page(struct loader *L, GError **err, const char *group)
{
	struct scen_page pg = { 0 };
	const char *rest = group + strlen("page.");
	const char *dot = strrchr(rest, '.');
	char *fname, *v;
	uint64_t index;
	bool ok = true;

	if (!dot || !parse_u64(dot + 1, &index))
		return fail(L, err, group, NULL, "a page group is "
			    "[page.FILE.INDEX]");
	fname = g_strndup(rest, (gsize)(dot - rest));
	pg.file = find_file(L->s, fname);
	g_free(fname);
	if (pg.file < 0)
		return fail(L, err, group, NULL, "no such file");
	pg.index = index;
	if (!check_keys(L, err, group, page_keys))
		return false;
	v = get(L, group, "flags");
	if (v)
		ok = parse_page_flags(L, err, group, v, &pg.flags);
	g_free(v);
	if (!ok)
		return false;
	v = get(L, group, "buffers");
	if (v) {
		pg.has_buffers = true;
		ok = parse_buffers(L, err, group, v, &pg,
				   (unsigned)(PAGE_SIZE / L->s->block_size));
	}
	g_free(v);
	if (!ok)
		return false;
	/* writeback maps such a page whole: it must hold the whole page */
	if ((pg.flags & (1UL << PG_dirty)) && !pg.has_buffers &&
	    !(pg.flags & (1UL << PG_uptodate)))
		return fail(L, err, group, "flags", "a dirty page without "
			    "buffers must also be uptodate");
	for (guint i = 0; i < L->s->pages->len; i++) {
		const struct scen_page *o = &g_array_index(L->s->pages,
						struct scen_page, i);

		if (o->file == pg.file && o->index == pg.index)
			return fail(L, err, group, NULL, "page given twice");
	}
	g_array_append_val(L->s->pages, pg);
	return true;
}

/* ---- [task.NAME] ---- */

/* The write-side ops: "write OFFSET LEN", "writeback NR", "fsync". */
static bool parse_write_op(char *const *words, int n, struct scen_op *op)
{
	if (n == 3 && !strcmp(words[0], "write")) {
		op->type = OP_WRITE;
		return parse_size_bytes(words[1], &op->a) &&
		       parse_size_bytes(words[2], &op->b) && op->b > 0 &&
		       op->a <= (uint64_t)INT64_MAX / 4 &&
		       op->b <= (uint64_t)INT64_MAX / 4;
	}
	if (n == 2 && !strcmp(words[0], "writeback")) {
		op->type = OP_WRITEBACK;
		return parse_u64(words[1], &op->a) && op->a > 0 &&
		       op->a <= (uint64_t)INT64_MAX;
	}
	if (n == 1 && !strcmp(words[0], "fsync")) {
		op->type = OP_FSYNC;
		op->a = op->b = 0;
		return true;
	}
	return false;
}

static bool parse_op(const char *text, struct scen_op *op)
{
	char **w = g_strsplit_set(text, " \t", -1);
	char *words[4] = { NULL, NULL, NULL, NULL };
	int n = 0;
	bool ok = false;

	for (char **p = w; *p; p++)
		if (**p) {
			if (n == 3) {
				n = 4;
				break;
			}
			words[n++] = *p;
		}
	if (parse_write_op(words, n, op)) {
		ok = true;
	} else if (n == 2) {
		if (!strcmp(words[0], "readpages")) {
			op->type = OP_READPAGES;
			ok = parse_range(words[1], &op->a, &op->b);
		} else if (!strcmp(words[0], "readpage")) {
			op->type = OP_READPAGE;
			ok = parse_u64(words[1], &op->a);
			op->b = op->a;
		} else if (!strcmp(words[0], "wait")) {
			op->type = OP_WAIT;
			ok = parse_range(words[1], &op->a, &op->b);
		} else if (!strcmp(words[0], "sleep")) {
			int64_t ns = 0;

			op->type = OP_SLEEP;
			ok = parse_duration_ns(words[1], &ns);
			op->a = (uint64_t)ns;
		}
	}
	g_strfreev(w);
	return ok;
}

/* ---- read(2) ops: read, randread, strided, drop_caches ---- */

#define MAX_READ_CALLS (1u << 24)

static bool is_read_op(const char *text)
{
	static const char *const names[] = {
		"read", "randread", "strided", "drop_caches",
	};
	size_t n = strcspn(text, " \t");

	for (unsigned i = 0; i < G_N_ELEMENTS(names); i++)
		if (n == strlen(names[i]) && !strncmp(text, names[i], n))
			return true;
	return false;
}

/* One word of a read op: a size (K, M, G suffixes), or "eof" if allowed. */
static bool read_op_size(struct loader *L, GError **err, const char *group,
			 const char *op, const char *word, const char *what,
			 uint64_t min, uint64_t max, uint64_t *out)
{
	if (!parse_size_bytes(word, out))
		return fail(L, err, group, "ops", "\"%s\": %s \"%s\" is not a "
			    "size (suffixes K, M, G allowed)", op, what, word);
	if (*out < min || *out > max)
		return fail(L, err, group, "ops", "\"%s\": %s must be in [%"
			    G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT "]", op,
			    what, min, max);
	return true;
}

/*
 *   read OFFSET LEN REQSIZE          LEN bytes from OFFSET in read(2)s of
 *                                    REQSIZE (LEN "eof": to the end)
 *   randread COUNT REQSIZE SEED      COUNT reads at REQSIZE-aligned offsets
 *   strided OFFSET REQSIZE STRIDE COUNT   COUNT reads, STRIDE bytes apart
 *   drop_caches
 */
static bool parse_read_op(struct loader *L, GError **err, const char *group,
			  const char *text, GArray *ops)
{
	const struct scen_file *f = L->s->files->pdata[
		((struct scen_task *)L->s->tasks->pdata[L->s->tasks->len - 1])
		->file];
	uint64_t fsize = (uint64_t)f->size, big = (uint64_t)INT64_MAX / 4;
	char **w = g_strsplit_set(text, " \t", -1);
	const char *words[6] = { "", "", "", "", "", "" };
	struct scen_op op = { 0 };
	guint n = 0;
	bool ok = true;

	for (char **p = w; *p; p++)
		if (**p && n < G_N_ELEMENTS(words))
			words[n++] = *p;
		else if (**p)
			n = G_N_ELEMENTS(words);
	if (!strcmp(words[0], "drop_caches")) {
		op.type = OP_DROP_CACHES;
		ok = n == 1 || fail(L, err, group, "ops", "\"%s\": "
				       "drop_caches takes nothing", text);
	} else if (!strcmp(words[0], "read")) {
		op.type = OP_READ;
		ok = n == 4 || fail(L, err, group, "ops", "\"%s\": expected "
				       "read OFFSET LEN REQSIZE", text);
		ok = ok && read_op_size(L, err, group, text, words[1], "OFFSET",
					0, big, &op.a);
		if (ok && !strcmp(words[2], "eof"))
			op.b = fsize > op.a ? fsize - op.a : 0;
		else
			ok = ok && read_op_size(L, err, group, text, words[2],
						"LEN", 0, big, &op.b);
		ok = ok && read_op_size(L, err, group, text, words[3],
					"REQSIZE", 1, 1u << 30, &op.c);
		if (ok && op.b / op.c >= MAX_READ_CALLS)
			ok = fail(L, err, group, "ops", "\"%s\": at most %u "
				  "read calls", text, MAX_READ_CALLS);
	} else if (!strcmp(words[0], "randread")) {
		op.type = OP_RANDREAD;
		ok = n == 4 || fail(L, err, group, "ops", "\"%s\": expected "
				       "randread COUNT REQSIZE SEED", text);
		if (ok && (!parse_u64(words[1], &op.a) ||
			   op.a > MAX_READ_CALLS))
			ok = fail(L, err, group, "ops", "\"%s\": COUNT is a "
				  "number up to %u", text, MAX_READ_CALLS);
		ok = ok && read_op_size(L, err, group, text, words[2],
					"REQSIZE", 1, 1u << 30, &op.c);
		if (ok && op.c > fsize)
			ok = fail(L, err, group, "ops", "\"%s\": REQSIZE is "
				  "larger than file %s (%" G_GUINT64_FORMAT
				  " bytes)", text, f->name, fsize);
		if (ok && (!parse_u64(words[3], &op.d) || op.d > G_MAXUINT32))
			ok = fail(L, err, group, "ops", "\"%s\": SEED is a "
				  "number up to 2^32 - 1", text);
	} else {
		op.type = OP_STRIDED;
		ok = n == 5 || fail(L, err, group, "ops", "\"%s\": expected "
				       "strided OFFSET REQSIZE STRIDE COUNT",
				       text);
		ok = ok && read_op_size(L, err, group, text, words[1], "OFFSET",
					0, big, &op.a) &&
		     read_op_size(L, err, group, text, words[2], "REQSIZE", 1,
				  1u << 30, &op.c) &&
		     read_op_size(L, err, group, text, words[3], "STRIDE", 1,
				  big / MAX_READ_CALLS, &op.b);
		if (ok && (!parse_u64(words[4], &op.d) ||
			   op.d > MAX_READ_CALLS))
			ok = fail(L, err, group, "ops", "\"%s\": COUNT is a "
				  "number up to %u", text, MAX_READ_CALLS);
	}
	g_strfreev(w);
	if (ok)
		g_array_append_val(ops, op);
	return ok;
}

/* ---- [readahead] ---- */

static bool load_readahead(struct loader *L, GError **err)
{
	uint64_t pages = VM_MAX_READAHEAD_PAGES, kb = 0;

	L->s->ra_pages = VM_MAX_READAHEAD_PAGES;
	if (!g_key_file_has_group(L->kf, "readahead"))
		return true;
	if (!check_keys(L, err, "readahead", readahead_keys) ||
	    !get_u64(L, err, "readahead", "ra_pages", 0, 1u << 16, &pages))
		return false;
	if (g_key_file_has_key(L->kf, "readahead", "read_ahead_kb", NULL)) {
		if (g_key_file_has_key(L->kf, "readahead", "ra_pages", NULL))
			return fail(L, err, "readahead", "read_ahead_kb", "give "
				    "ra_pages or read_ahead_kb, not both");
		if (!get_u64(L, err, "readahead", "read_ahead_kb", 0,
			     (1u << 16) * (PAGE_SIZE / 1024), &kb))
			return false;
		pages = kb / (PAGE_SIZE / 1024);
	}
	L->s->ra_pages = (unsigned)pages;
	return true;
}

static void scen_task_free(struct scen_task *t)
{
	if (!t)
		return;
	g_free(t->name);
	if (t->ops)
		g_array_unref(t->ops);
	g_free(t);
}

#define MAX_OP_PAGES (1u << 20)
#define MAX_CACHE_PAGES (1ull << 32)

static bool load_task(struct loader *L, GError **err, const char *group)
{
	struct scen_task *t = g_new0(struct scen_task, 1);
	char *v;
	char **ops;
	gsize n = 0;
	bool ok = true;

	t->name = g_strdup(group + strlen("task."));
	t->ops = g_array_new(FALSE, FALSE, sizeof(struct scen_op));
	g_ptr_array_add(L->s->tasks, t);
	if (!valid_name(t->name))
		return fail(L, err, group, NULL, "a task name is letters, "
			    "digits, '-' and '_'");
	if (!check_keys(L, err, group, task_keys))
		return false;
	v = get(L, group, "file");
	if (!v)
		return fail(L, err, group, "file", "missing");
	t->file = find_file(L->s, v);
	if (t->file < 0)
		ok = fail(L, err, group, "file", "no file \"%s\" (a [file.%s] "
			  "group)", v, v);
	g_free(v);
	if (!ok)
		return false;
	v = get(L, group, "start");
	if (v && !parse_duration_ns(v, &t->start_ns))
		ok = fail(L, err, group, "start", "\"%s\" is not a time "
			  "(a number with ns, us, ms or s)", v);
	g_free(v);
	if (!ok)
		return false;
	v = get(L, group, "copy_cost");
	if (v && !parse_duration_ns(v, &t->copy_ns))
		ok = fail(L, err, group, "copy_cost", "\"%s\" is not a time "
			  "(a number with ns, us, ms or s)", v);
	g_free(v);
	if (!ok)
		return false;
	ops = g_key_file_get_string_list(L->kf, group, "ops", &n, NULL);
	for (gsize i = 0; i < n && ok; i++) {
		struct scen_op op;
		char *o = g_strstrip(ops[i]);

		if (!*o)
			continue;
		if (is_read_op(o))
			ok = parse_read_op(L, err, group, o, t->ops);
		else if (!parse_op(o, &op))
			ok = fail(L, err, group, "ops", "\"%s\" is not one of: "
				  "readpages A-B, readpage N, wait A-B, "
				  "sleep TIME, read OFFSET LEN REQSIZE, "
				  "randread COUNT REQSIZE SEED, strided OFFSET "
				  "REQSIZE STRIDE COUNT, drop_caches, "
				  "write OFFSET LEN, writeback NR, fsync", o);
		else if ((op.type == OP_WRITE || op.type == OP_WRITEBACK ||
			  op.type == OP_FSYNC) && L->s->extent_fs)
			ok = fail(L, err, group, "ops", "\"%s\": the write "
				  "path needs [fs] type = ext2", o);
		else if (op.type == OP_WRITE && op.b / PAGE_SIZE >= MAX_OP_PAGES)
			ok = fail(L, err, group, "ops", "\"%s\": at most %u "
				  "pages at once", o, MAX_OP_PAGES);
		else if (op.type != OP_SLEEP && op.type != OP_WRITE &&
			 op.type != OP_WRITEBACK && op.type != OP_FSYNC &&
			 op.b - op.a >= MAX_OP_PAGES)
			ok = fail(L, err, group, "ops", "\"%s\": at most %u "
				  "pages at once", o, MAX_OP_PAGES);
		else
			g_array_append_val(t->ops, op);
	}
	g_strfreev(ops);
	if (ok && t->ops->len == 0)
		ok = fail(L, err, group, "ops", "a task needs at least one op");
	return ok;
}

/* ---- [cache] ---- */

/*
 * capacity = N (pages), N with a size suffix (bytes, whole pages), or
 * unlimited (the default).  What the scenario caches at the start must
 * fit, and so must each op's pages, which are under I/O together.
 */
static bool load_cache(struct loader *L, GError **err)
{
	struct scenario *s = L->s;
	char *v = get(L, "cache", "capacity");
	uint64_t n = 0, start = s->pages->len;
	bool ok = true;

	if (!v || !strcmp(v, "unlimited")) {
		g_free(v);
		return true;
	}
	if (parse_u64(v, &n))
		;
	else if (parse_size_bytes(v, &n))
		n /= PAGE_SIZE;
	else
		ok = fail(L, err, "cache", "capacity", "\"%s\" is not a number "
			  "of pages, a size (K, M, G suffixes) or unlimited", v);
	if (ok && (n == 0 || n > MAX_CACHE_PAGES))
		ok = fail(L, err, "cache", "capacity", "\"%s\" is not from one "
			  "page (%lu bytes) to %llu pages", v,
			  (unsigned long)PAGE_SIZE, MAX_CACHE_PAGES);
	g_free(v);
	if (!ok)
		return false;
	for (guint i = 0; i < s->files->len; i++)
		start += ((struct scen_file *)s->files->pdata[i])->cached->len;
	if (start > n)
		return fail(L, err, "cache", "capacity", "%" G_GUINT64_FORMAT
			    " pages, but the scenario caches %" G_GUINT64_FORMAT
			    " at the start ([file.*] cached and [page.*] "
			    "groups)", n, start);
	for (guint i = 0; i < s->tasks->len; i++) {
		const struct scen_task *t = s->tasks->pdata[i];

		for (guint j = 0; j < t->ops->len; j++) {
			const struct scen_op *op = &g_array_index(t->ops,
							struct scen_op, j);

			if (op->type == OP_READPAGES && op->b - op->a >= n)
				return fail(L, err, "cache", "capacity", "%"
					    G_GUINT64_FORMAT " pages, but task "
					    "%s reads %" G_GUINT64_FORMAT
					    " in one readpages op", n, t->name,
					    op->b - op->a + 1);
		}
	}
	s->cache_capacity = n;
	return true;
}

/* ---- effective options ---- */

static void add_option(struct scenario *s, const char *key, const char *value)
{
	g_ptr_array_add(s->option_keys, g_strdup(key));
	g_ptr_array_add(s->option_values, g_strdup(value));
}

static void add_disk_option(const char *key, const char *value, void *arg)
{
	char *k = g_strdup_printf("disk.%s", key);

	add_option(arg, k, value);
	g_free(k);
}

static void add_block_option(const char *key, const char *value, void *arg)
{
	char *k = g_strdup_printf("block.%s", key);

	add_option(arg, k, value);
	g_free(k);
}

static void add_fault_option(const char *key, const char *value, void *arg)
{
	char *k = g_strdup_printf("fault.%s", key);

	add_option(arg, k, value);
	g_free(k);
}

static char *list_text(const GArray *a)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; a && i < a->len; i++)
		g_string_append_printf(s, "%s%" G_GUINT64_FORMAT, i ? "," : "",
				       g_array_index(a, guint64, i));
	return g_string_free(s, FALSE);
}

static void collect_options(struct loader *L)
{
	struct scenario *s = L->s;
	char **groups = g_key_file_get_groups(L->kf, NULL);
	char buf[32], *t;
	GPtrArray *order;

	disk_params_foreach(s->disk, add_disk_option, s);
	add_option(s, "fs.type", s->extent_fs ? "extent" : "ext2");
	g_snprintf(buf, sizeof(buf), "%u", s->block_size);
	add_option(s, "fs.block_size", buf);
	add_option(s, "fs.boundary", s->boundary ? "on" : "off");
	add_option(s, "fs.nobh", s->nobh ? "on" : "off");
	g_snprintf(buf, sizeof(buf), "%u", s->dirty_expire_centisecs);
	add_option(s, "writeback.dirty_expire_centisecs", buf);
	g_snprintf(buf, sizeof(buf), "%u", s->dirty_writeback_centisecs);
	add_option(s, "writeback.dirty_writeback_centisecs", buf);
	g_snprintf(buf, sizeof(buf), "%" G_GUINT64_FORMAT,
		   s->dirty_background_pages);
	add_option(s, "writeback.dirty_background_pages", buf);
	t = list_text(s->cached_blocks);
	add_option(s, "fs.cached_blocks", t);
	g_free(t);
	blk_options_foreach(&s->blk, add_block_option, s);
	blk_fault_foreach(&s->blk.fault, add_fault_option, s);
	if (s->cache_capacity) {
		g_snprintf(buf, sizeof(buf), "%" G_GUINT64_FORMAT,
			   s->cache_capacity);
		add_option(s, "cache.capacity", buf);
	}
	g_snprintf(buf, sizeof(buf), "%u", s->ra_pages);
	add_option(s, "readahead.ra_pages", buf);
	for (const char *const *k = (const char *const[]){ "free", "fragment",
							  NULL }; *k; k++) {
		char *v = get(L, "fs", *k), *full = g_strconcat("fs.", *k, NULL);

		if (v)
			add_option(s, full, v);
		g_free(full);
		g_free(v);
	}
	for (char **g = groups; *g; g++) {
		char **keys;

		if (!g_str_has_prefix(*g, "file.") &&
		    !g_str_has_prefix(*g, "page.") &&
		    !g_str_has_prefix(*g, "task."))
			continue;
		keys = g_key_file_get_keys(L->kf, *g, NULL, NULL);
		for (char **k = keys; *k; k++) {
			char *full = g_strdup_printf("%s.%s", *g, *k);
			char *v = get(L, *g, *k);

			add_option(s, full, v);
			g_free(v);
			g_free(full);
		}
		g_strfreev(keys);
	}
	g_strfreev(groups);

	/* sort both arrays by key */
	order = g_ptr_array_new();
	for (guint i = 0; i < s->option_keys->len; i++)
		g_ptr_array_add(order, GUINT_TO_POINTER(i));
	for (guint i = 1; i < order->len; i++)
		for (guint j = i; j > 0; j--) {
			guint a = GPOINTER_TO_UINT(order->pdata[j - 1]);
			guint b = GPOINTER_TO_UINT(order->pdata[j]);

			if (strcmp(s->option_keys->pdata[a],
				   s->option_keys->pdata[b]) <= 0)
				break;
			order->pdata[j - 1] = GUINT_TO_POINTER(b);
			order->pdata[j] = GUINT_TO_POINTER(a);
		}
	{
		GPtrArray *k = g_ptr_array_new_with_free_func(g_free);
		GPtrArray *v = g_ptr_array_new_with_free_func(g_free);

		for (guint i = 0; i < order->len; i++) {
			guint idx = GPOINTER_TO_UINT(order->pdata[i]);

			g_ptr_array_add(k, g_strdup(s->option_keys->pdata[idx]));
			g_ptr_array_add(v, g_strdup(s->option_values->pdata[idx]));
		}
		g_ptr_array_unref(s->option_keys);
		g_ptr_array_unref(s->option_values);
		s->option_keys = k;
		s->option_values = v;
	}
	g_ptr_array_unref(order);
}

/* ---- the whole file ---- */

/* A group or key name in --set: letters, digits, '-', '_' and `more`. */
static bool valid_set_name(const char *name, const char *more)
{
	if (!*name)
		return false;
	for (const char *p = name; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_' &&
		    !strchr(more, *p))
			return false;
	return true;
}

/* Apply "GROUP.KEY=VALUE" overrides; the key is after the last dot. */
static bool apply_sets(struct loader *L, const char *const *sets,
		       GError **err)
{
	for (; sets && *sets; sets++) {
		const char *eq = strchr(*sets, '=');
		char *lhs, *dot;

		if (!eq)
			return fail(L, err, NULL, NULL, "--set %s: expected "
				    "GROUP.KEY=VALUE", *sets);
		lhs = g_strndup(*sets, (gsize)(eq - *sets));
		dot = strrchr(lhs, '.');
		if (!dot || dot == lhs || !dot[1]) {
			fail(L, err, NULL, NULL, "--set %s: expected "
			     "GROUP.KEY=VALUE", *sets);
			g_free(lhs);
			return false;
		}
		*dot = '\0';
		if (!valid_set_name(lhs, ".") || !valid_set_name(dot + 1, "")) {
			*dot = '.';
			fail(L, err, NULL, NULL, "--set %s: expected "
			     "GROUP.KEY=VALUE, with letters, digits, '-' and "
			     "'_' in the names", *sets);
			g_free(lhs);
			return false;
		}
		g_key_file_set_value(L->kf, lhs, dot + 1, eq + 1);
		*dot = '.';
		g_hash_table_add(L->overridden, lhs);
	}
	return true;
}

static bool check_groups(struct loader *L, GError **err)
{
	char **groups = g_key_file_get_groups(L->kf, NULL);
	bool ok = true;

	for (char **g = groups; *g && ok; g++) {
		if (!strcmp(*g, "scenario"))
			ok = check_keys(L, err, *g, scenario_keys);
		else if (!strcmp(*g, "disk") || !strcmp(*g, "fs") ||
			 !strcmp(*g, "block") || !strcmp(*g, "readahead") ||
			 !strcmp(*g, "fault") ||
			 !strcmp(*g, "writeback"))
			continue;
		else if (!strcmp(*g, "cache"))
			ok = check_keys(L, err, *g, cache_keys);
		else if (!g_str_has_prefix(*g, "file.") &&
			 !g_str_has_prefix(*g, "page.") &&
			 !g_str_has_prefix(*g, "task."))
			ok = fail(L, err, *g, NULL, "unknown group (known: "
				  "scenario, disk, fs, block, fault, "
				  "readahead, cache, writeback, file.NAME, "
				  "page.FILE.INDEX, task.NAME)");
	}
	g_strfreev(groups);
	return ok;
}

static bool load_groups(struct loader *L, const char *prefix,
			bool (*load)(struct loader *, GError **,
				     const char *), GError **err)
{
	char **groups = g_key_file_get_groups(L->kf, NULL);
	bool ok = true;

	for (char **g = groups; *g && ok; g++)
		if (g_str_has_prefix(*g, prefix))
			ok = load(L, err, *g);
	g_strfreev(groups);
	return ok;
}

/*
 * GKeyFile refused the text; its message names no line.  Find the first
 * line that is not blank, a comment, a [group] or a key = value (or a key
 * before any group) and name it; otherwise pass GKeyFile's message on.
 */
static bool syntax_error(struct loader *L, GError **err, const char *why)
{
	const char *p = L->text;
	bool in_group = false;

	for (int line = 1; *p; line++) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		char *t = g_strstrip(g_strndup(p, n));
		const char *what = NULL;

		if (!*t || *t == '#')
			;
		else if (*t == '[' && t[strlen(t) - 1] != ']')
			what = "a group header needs its closing ']'";
		else if (*t == '[')
			in_group = true;
		else if (!strchr(t, '='))
			what = "a line is a [group], a key = value or a # comment";
		else if (!in_group)
			what = "a key before the first [group]";
		if (what) {
			g_set_error(err, SCENARIO_ERROR, 0, "%s:%d: syntax "
				    "error: \"%.60s\": %s", L->s->path, line, t,
				    what);
			g_free(t);
			return false;
		}
		g_free(t);
		if (!eol)
			break;
		p = eol + 1;
	}
	return fail(L, err, NULL, NULL, "syntax error: %s", why);
}

static char *base_name(const char *path)
{
	char *b = g_path_get_basename(path);

	if (g_str_has_suffix(b, ".ini"))
		b[strlen(b) - 4] = '\0';
	return b;
}

struct scenario *scenario_load_data(const char *path, const char *text,
				    gsize len, const char *const *sets,
				    GError **err)
{
	struct scenario *s = g_new0(struct scenario, 1);
	struct loader L = { .s = s };
	GError *e = NULL;
	char *copy;
	bool ok;

	s->path = g_strdup(path);
	s->name = base_name(path);
	s->dir = g_path_get_dirname(path);
	s->checksum = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
						  (const guchar *)text, len);
	s->files = g_ptr_array_new_with_free_func((GDestroyNotify)scen_file_free);
	s->tasks = g_ptr_array_new_with_free_func((GDestroyNotify)scen_task_free);
	s->pages = g_array_new(FALSE, FALSE, sizeof(struct scen_page));
	s->option_keys = g_ptr_array_new_with_free_func(g_free);
	s->option_values = g_ptr_array_new_with_free_func(g_free);
	/* line lookups need a terminated text; `text` need not be one */
	copy = g_malloc(len + 1);
	memcpy(copy, text, len);
	copy[len] = '\0';
	L.text = copy;
	L.kf = g_key_file_new();
	L.overridden = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					     NULL);

	if (memchr(text, '\0', len)) {
		ok = fail(&L, err, NULL, NULL, "not a text file");
	} else if (!g_key_file_load_from_data(L.kf, text, len,
					      G_KEY_FILE_NONE, &e)) {
		ok = syntax_error(&L, err, e->message);
		g_clear_error(&e);
	} else {
		ok = apply_sets(&L, sets, err) && check_groups(&L, err);
	}
	if (ok) {
		char *d = get(&L, "scenario", "description");

		s->description = d ? d : g_strdup("");
		ok = load_disk(&L, err) && load_fs(&L, err) &&
		     load_block(&L, err) && load_fault(&L, err) &&
		     load_readahead(&L, err) &&
		     load_writeback(&L, err) &&
		     load_groups(&L, "file.", load_file, err) &&
		     load_groups(&L, "page.", load_page, err) &&
		     load_groups(&L, "task.", load_task, err) &&
		     load_cache(&L, err);
	}
	if (ok && s->tasks->len == 0)
		ok = fail(&L, err, NULL, NULL, "no task: a scenario needs at "
			  "least one [task.NAME] group");
	if (ok)
		collect_options(&L);
	g_key_file_free(L.kf);
	g_hash_table_destroy(L.overridden);
	g_free(copy);
	if (!ok) {
		scenario_free(s);
		return NULL;
	}
	return s;
}

#define MAX_SCENARIO_BYTES (16 << 20)

struct scenario *scenario_load(const char *path, const char *const *sets,
			       GError **err)
{
	char *text = NULL;
	gsize len = 0;
	GError *e = NULL;
	struct scenario *s;

	if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
		g_set_error(err, SCENARIO_ERROR, 0, "%s: is a folder, not a "
			    "scenario file", path);
		return NULL;
	}
	if (!g_file_get_contents(path, &text, &len, &e)) {
		g_set_error(err, SCENARIO_ERROR, 0, "%s: %s", path, e->message);
		g_error_free(e);
		return NULL;
	}
	if (len > MAX_SCENARIO_BYTES) {
		g_set_error(err, SCENARIO_ERROR, 0, "%s: larger than %d MiB",
			    path, MAX_SCENARIO_BYTES >> 20);
		g_free(text);
		return NULL;
	}
	s = scenario_load_data(path, text, len, sets, err);
	g_free(text);
	return s;
}

void scenario_free(struct scenario *s)
{
	if (!s)
		return;
	g_free(s->path);
	g_free(s->name);
	g_free(s->dir);
	g_free(s->checksum);
	g_free(s->description);
	if (s->disk)
		disk_params_free(s->disk);
	if (s->cached_blocks)
		g_array_unref(s->cached_blocks);
	if (s->free_ranges)
		g_array_unref(s->free_ranges);
	blk_options_clear(&s->blk);
	g_ptr_array_unref(s->files);
	g_ptr_array_unref(s->tasks);
	g_array_unref(s->pages);
	g_ptr_array_unref(s->option_keys);
	g_ptr_array_unref(s->option_values);
	g_free(s);
}

char *scenario_resolve_path(const struct scenario *s, const char *path)
{
	if (g_path_is_absolute(path))
		return g_strdup(path);
	return g_build_filename(s->dir, path, NULL);
}

uint64_t scenario_disk_blocks(const struct scenario *s)
{
	return disk_params_capacity(s->disk) / (s->block_size / 512);
}
