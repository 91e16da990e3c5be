/*
 * settings.c - the groups that set the simulated machine up, each at most
 * once in a scenario: [disk] (the device model's parameters, checked by
 * src/disk), [fs], [block] and [fault] (the block layer's options, checked
 * by src/block), [readahead], [writeback], [kernel] and [cache].  Every group is
 * optional, and so is every key: defaults are in docs/scenario-format.md.
 */
#include "scenario/loader.h"

#include <string.h>
#include "disk/disk.h"
#include "include/parse.h"
#include "mm/readahead.h"
#include "sim/jiffies.h"


/* ---- [disk] ---- */

/* The disk module's messages start with "KEY: "; ours name it already. */
static const char *without_key(const char *msg, const char *key)
{
	size_t n = strlen(key);

	if (!strncmp(msg, key, n) && msg[n] == ':' && msg[n + 1] == ' ')
		return msg + n + 2;
	return msg;
}

/*
 * The parameters do not fit together: the disk module's message starts
 * with the key it blames.  Name that key (and so its line); when the file
 * does not give it, say where its value came from.
 */
static bool disk_invalid(struct loader *L, GError **err, const char *msg)
{
	const char *colon = strstr(msg, ": ");
	char *key;
	bool given;

	if (!colon)
		return fail(L, err, "disk", NULL, "%s", msg);
	key = g_strndup(msg, (gsize)(colon - msg));
	given = g_key_file_has_key(L->kf, "disk", key, NULL);
	fail(L, err, "disk", key, "%s%s", colon + 2, given ? "" :
	     g_key_file_has_key(L->kf, "disk", "preset", NULL) ?
	     " (the preset's value)" : " (the default hdd-7200 value)");
	g_free(key);
	return false;
}

/* [disk] phase = random | a fraction of a revolution in [0, 1) */
static bool load_phase(struct loader *L, GError **err)
{
	char *v = get_value(L, "disk", "phase");
	char *end = NULL;
	bool ok = true;

	L->s->phase_random = true;
	L->s->phase = 0;
	if (v && strcmp(v, "random")) {
		double f = g_ascii_strtod(v, &end);

		if (end == v || *end || !(f >= 0 && f < 1))
			ok = fail(L, err, "disk", "phase", "\"%s\": expected "
				  "random or a fraction of a revolution in "
				  "[0, 1)", v);
		L->s->phase_random = false;
		L->s->phase = f;
	}
	g_free(v);
	return ok;
}

bool load_disk(struct loader *L, GError **err)
{
	gsize n = 0;
	char **keys;
	bool ok = true;
	char *preset;
	GError *e = NULL;

	L->s->disk = disk_params_new();
	if (!load_phase(L, err))
		return false;
	if (!g_key_file_has_group(L->kf, "disk"))
		return disk_params_validate(L->s->disk, &e) ||
		       disk_invalid(L, err, e->message);
	/* the preset first: it replaces every value */
	preset = get_value(L, "disk", "preset");
	if (preset && !disk_params_set(L->s->disk, "preset", preset, &e))
		ok = fail(L, err, "disk", "preset", "%s",
			  without_key(e->message, "preset"));
	g_free(preset);
	keys = g_key_file_get_keys(L->kf, "disk", &n, NULL);
	for (gsize i = 0; i < n && ok; i++) {
		char *v;

		if (!strcmp(keys[i], "preset") || !strcmp(keys[i], "phase"))
			continue;
		v = get_value(L, "disk", keys[i]);
		if (!disk_params_set(L->s->disk, keys[i], v, &e))
			ok = fail(L, err, "disk", keys[i], "%s",
				  without_key(e->message, keys[i]));
		g_free(v);
	}
	g_strfreev(keys);
	if (ok && !disk_params_validate(L->s->disk, &e))
		ok = disk_invalid(L, err, e->message);
	g_clear_error(&e);
	return ok;
}

/* ---- [fs] ---- */

/* [fs] free = A-B, C-D and fragment = SEED:EXTENT:GAP (generated files) */
static bool load_free_space(struct loader *L, GError **err)
{
	char *v = get_value(L, "fs", "free");
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
			if (b >= scenario_disk_blocks(L->s)) {
				ok = fail(L, err, "fs", "free", "\"%s\": block "
					  "%" G_GUINT64_FORMAT " is past the "
					  "disk's %" G_GUINT64_FORMAT " blocks",
					  g_strstrip(*it), b,
					  scenario_disk_blocks(L->s));
				break;
			}
			g_array_append_val(L->s->free_ranges, a);
			g_array_append_val(L->s->free_ranges, len);
		}
		g_strfreev(items);
		if (ok && !L->s->free_ranges->len)
			ok = fail(L, err, "fs", "free", "no free range");
	}
	g_free(v);
	v = get_value(L, "fs", "fragment");
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

bool load_fs(struct loader *L, GError **err)
{
	uint64_t bs = 1024;
	char *type = get_value(L, "fs", "type");
	bool ok = true;

	L->s->boundary = true;
	L->s->metadata_writes = true;
	L->s->extent_fs = type && !strcmp(type, "extent");
	if (type && strcmp(type, "ext2") && !L->s->extent_fs)
		ok = fail(L, err, "fs", "type", "\"%s\" is not a known "
			  "filesystem (known: ext2, extent)", type);
	g_free(type);
	if (!ok || !check_keys(L, err, "fs"))
		return false;
	if (!get_u64(L, err, "fs", "block_size", 0, UINT64_MAX, &bs))
		return false;
	if (bs < 512 || bs > PAGE_SIZE || (bs & (bs - 1)))
		return fail(L, err, "fs", "block_size", "%" G_GUINT64_FORMAT
			    " is not a power of two from 512 (a sector) to "
			    "%lu (a page)", bs, (unsigned long)PAGE_SIZE);
	L->s->block_size = (unsigned)bs;
	if (!get_bool(L, err, "fs", "metadata_writes",
		      &L->s->metadata_writes))
		return false;
	if (!get_bool(L, err, "fs", "boundary", &L->s->boundary))
		return false;
	if (!get_bool(L, err, "fs", "nobh", &L->s->nobh))
		return false;
	return get_list(L, err, "fs", "cached_blocks", &L->s->cached_blocks) &&
	       load_free_space(L, err);
}

/* ---- [writeback] ---- */

/*
 * A *_centisecs key: a bare number of centiseconds, as the sysctl takes
 * it, or a duration with a unit (30s) that is a whole number of them.
 */
static bool get_centisecs(struct loader *L, GError **err, const char *key,
			  uint64_t min, uint64_t max, uint64_t *out)
{
	char *v = get_value(L, "writeback", key);
	int64_t ns;
	bool ok = true;

	if (!v)
		return true;
	if (!parse_duration(v, 10000000, &ns) || ns % 10000000)
		ok = fail(L, err, "writeback", key, "\"%s\" is not a number "
			  "of centiseconds (a bare number, or a duration with "
			  "ns, us, ms or s that is a whole number of them)", v);
	else if ((uint64_t)ns / 10000000 < min ||
		 (uint64_t)ns / 10000000 > max)
		ok = fail(L, err, "writeback", key, "%s is out of range [%"
			  G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT "] "
			  "centiseconds", v, min, max);
	else
		*out = (uint64_t)ns / 10000000;
	g_free(v);
	return ok;
}

/*
 * The memory the dirty ratios apply to: a size in bytes (K, M, G), whole
 * pages, from 1 MiB to 1 TiB.
 */
static bool get_memory(struct loader *L, GError **err, uint64_t *out)
{
	char *v = get_value(L, "writeback", "memory");
	bool ok = true;

	if (!v)
		return true;	/* keep the default */
	if (!parse_size_bytes(v, out))
		ok = fail(L, err, "writeback", "memory",
			  "\"%s\" is not a size (bytes, or with K, M, G)", v);
	else if (*out < (1ull << 20) || *out > (1ull << 40) ||
		 *out % 4096)
		ok = fail(L, err, "writeback", "memory", "%s is not a whole "
			  "number of 4 KiB pages from 1M to 1T", v);
	g_free(v);
	return ok;
}

bool load_writeback(struct loader *L, GError **err)
{
	uint64_t expire = 3000, interval = 500, bg = 0;
	uint64_t ratio = 20, bg_ratio = 10, memory = 1ull << 30;

	if (g_key_file_has_group(L->kf, "writeback") &&
	    !check_keys(L, err, "writeback"))
		return false;
	if (!get_centisecs(L, err, "dirty_expire_centisecs", 0, 360000,
			   &expire) ||
	    !get_centisecs(L, err, "dirty_writeback_centisecs", 1, 360000,
			   &interval) ||
	    !get_u64(L, err, "writeback", "dirty_background_pages", 0,
		     1ull << 28, &bg) ||
	    !get_u64(L, err, "writeback", "dirty_ratio", 1, 100, &ratio) ||
	    !get_u64(L, err, "writeback", "dirty_background_ratio", 0, 100,
		     &bg_ratio) ||
	    !get_memory(L, err, &memory))
		return false;
	L->s->dirty_ratio = (unsigned)ratio;
	L->s->dirty_background_ratio = (unsigned)bg_ratio;
	L->s->dirty_memory = memory;
	L->s->dirty_expire_centisecs = (unsigned)expire;
	L->s->dirty_writeback_centisecs = (unsigned)interval;
	L->s->dirty_background_pages = bg;
	return true;
}

/* ---- [kernel] ---- */


/* hz: the tick rate 4.9's jiffy rules count in (src/sim/jiffies.h). */
bool load_kernel(struct loader *L, GError **err)
{
	uint64_t hz = JIFFIES_DEFAULT_HZ;

	if (g_key_file_has_group(L->kf, "kernel") &&
	    !check_keys(L, err, "kernel"))
		return false;
	if (!get_u64(L, err, "kernel", "hz", 1, 1000, &hz))
		return false;
	if (!jiffies_valid_hz(hz))
		return fail(L, err, "kernel", "hz", "%" G_GUINT64_FORMAT
			    " is not a tick rate 4.9 can be built with "
			    "(100, 250, 300 or 1000)", hz);
	L->s->hz = (unsigned)hz;
	return true;
}

/* ---- [block] and [fault]: src/block checks them ---- */

bool load_block(struct loader *L, GError **err)
{
	gsize n = 0;	/* left unset when there is no [block] group */
	char **keys = g_key_file_get_keys(L->kf, "block", &n, NULL);
	bool ok = true;
	GError *e = NULL;

	blk_options_init(&L->s->blk);
	for (gsize i = 0; i < n && ok; i++) {
		char *v = get_value(L, "block", keys[i]);

		if (!blk_options_set(&L->s->blk, keys[i], v, &e))
			ok = fail(L, err, "block", keys[i], "%s", e->message);
		g_clear_error(&e);
		g_free(v);
	}
	g_strfreev(keys);
	/* [block.cfq]: cfq's tunables, as "cfq.KEY" */
	keys = g_key_file_get_keys(L->kf, "block.cfq", &n, NULL);
	for (gsize i = 0; keys && i < n && ok; i++) {
		char *v = get_value(L, "block.cfq", keys[i]);
		char *k = g_strconcat("cfq.", keys[i], NULL);

		if (!blk_options_set(&L->s->blk, k, v, &e))
			ok = fail(L, err, "block.cfq", keys[i], "%s",
				  e->message);
		g_clear_error(&e);
		g_free(k);
		g_free(v);
	}
	g_strfreev(keys);
	return ok;
}

/* [fault]: requests the device fails (src/block/blk-fault.c) */
bool load_fault(struct loader *L, GError **err)
{
	gsize n = 0;
	char **keys = g_key_file_get_keys(L->kf, "fault", &n, NULL);
	bool ok = true;
	GError *e = NULL;

	for (gsize i = 0; i < n && ok; i++) {
		char *v = get_value(L, "fault", keys[i]);

		if (!blk_fault_set(&L->s->blk.fault, keys[i], v, &e))
			ok = fail(L, err, "fault", keys[i], "%s", e->message);
		g_clear_error(&e);
		g_free(v);
	}
	g_strfreev(keys);
	/* a range past the disk would never fail a request */
	for (unsigned i = 0; ok && i < L->s->blk.fault.nr_sectors; i++) {
		uint64_t hi = L->s->blk.fault.sectors[2 * i + 1];

		if (hi >= disk_params_capacity(L->s->disk))
			ok = fail(L, err, "fault", "sectors", "sector %"
				  G_GUINT64_FORMAT " is past the disk's %"
				  G_GUINT64_FORMAT " sectors", hi,
				  disk_params_capacity(L->s->disk));
	}
	return ok;
}

/* ---- [readahead] ---- */

bool load_readahead(struct loader *L, GError **err)
{
	uint64_t pages = VM_MAX_READAHEAD_PAGES, kb = 0;

	L->s->ra_pages = VM_MAX_READAHEAD_PAGES;
	if (!g_key_file_has_group(L->kf, "readahead"))
		return true;
	if (!check_keys(L, err, "readahead") ||
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

/* ---- [cache] ---- */

/*
 * capacity = N (pages), N with a size suffix (bytes, whole pages), or
 * unlimited (the default).  What the scenario caches at the start must
 * fit, and so must each op's pages, which are under I/O together.
 */
#define MAX_CACHE_PAGES (1ull << 32)

bool load_cache(struct loader *L, GError **err)
{
	struct scenario *s = L->s;
	char *v = get_value(L, "cache", "capacity");
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
