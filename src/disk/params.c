/*
 * params.c - disk parameters by key: parsing, checking, listing.
 *
 * Every parameter is one row of keys[] below: its name, which device
 * kinds have it, how its text is parsed and printed, and its range.  The
 * table's order is the order disk_params_foreach() reports, so run logs
 * list parameters identically from run to run.  A key that the current
 * model does not have is an error rather than silently ignored, so a
 * misspelt or misplaced setting cannot go unnoticed.
 */
#include "disk/disk-int.h"

#include <inttypes.h>
#include <stddef.h>
#include <string.h>
#include "include/parse.h"

enum key_type {
	T_INT,		/* int */
	T_U32,		/* uint32_t */
	T_U64,		/* uint64_t */
	T_NS,		/* int64_t, nanoseconds */
	T_BOOL,		/* bool, on/off */
	T_ZONES,	/* CYLS:SPT, ... */
	T_TRACK_SKEW,	/* N, or N, N, ... one per zone */
	T_CYL_SKEW,
	T_SEEK_TABLE,	/* D:NS, ... or "none" */
	T_SEEK_CURVE,	/* A:B:C:E:BOUNDARY or "fit" */
	T_READAHEAD,	/* off | track | SECTORS */
};

#define K_SIMPLE (1u << DISK_KIND_SIMPLE)
#define K_HDD (1u << DISK_KIND_HDD)
#define K_SSD (1u << DISK_KIND_SSD)
#define K_ALL (K_SIMPLE | K_HDD | K_SSD)

struct key {
	const char *name;
	unsigned kinds;
	enum key_type type;
	size_t off;
	uint64_t min, max;
};

#define F(field) offsetof(struct disk_params, field)
#define NS_MAX ((uint64_t)DISK_MAX_NS)

static const struct key keys[] = {
	{ "queue_depth", K_ALL, T_INT, F(queue_depth), 1, 256 },
	{ "capacity_sectors", K_SIMPLE | K_SSD, T_U64, F(capacity_sectors),
	  1, UINT64_MAX / 2 },
	{ "latency_ns", K_SIMPLE, T_NS, F(latency_ns), 0, NS_MAX },
	{ "bandwidth_bps", K_SIMPLE | K_SSD, T_U64, F(bandwidth_bps),
	  1, UINT64_MAX / 2 },
	{ "rw_page", K_SIMPLE, T_BOOL, F(rw_page), 0, 1 },
	{ "bio_based", K_SIMPLE, T_BOOL, F(bio_based), 0, 1 },
	{ "read_ns", K_SSD, T_NS, F(read_ns), 0, NS_MAX },
	{ "program_ns", K_SSD, T_NS, F(program_ns), 0, NS_MAX },
	{ "channels", K_SSD, T_INT, F(channels), 1, 256 },
	{ "rpm", K_HDD, T_U32, F(rpm), 1, 100000 },
	{ "surfaces", K_HDD, T_U32, F(surfaces), 1, 64 },
	{ "zones", K_HDD, T_ZONES, F(zones), 0, 0 },
	{ "track_skew", K_HDD, T_TRACK_SKEW, F(track_skew), 0, 0 },
	{ "cyl_skew", K_HDD, T_CYL_SKEW, F(cyl_skew), 0, 0 },
	{ "seek_single_ns", K_HDD, T_NS, F(seek_single_ns), 0, NS_MAX },
	{ "seek_avg_ns", K_HDD, T_NS, F(seek_avg_ns), 0, NS_MAX },
	{ "seek_full_ns", K_HDD, T_NS, F(seek_full_ns), 0, NS_MAX },
	{ "seek_table", K_HDD, T_SEEK_TABLE, F(seek_table), 0, 0 },
	{ "seek_curve", K_HDD, T_SEEK_CURVE, F(seek_curve), 0, 0 },
	{ "head_switch_ns", K_HDD, T_NS, F(head_switch_ns), 0, NS_MAX },
	{ "write_settle_ns", K_HDD, T_NS, F(write_settle_ns), 0, NS_MAX },
	{ "overhead_miss_ns", K_HDD, T_NS, F(overhead_miss_ns), 0, NS_MAX },
	{ "overhead_hit_ns", K_HDD, T_NS, F(overhead_hit_ns), 0, NS_MAX },
	{ "bus_ns_per_sector", K_HDD, T_NS, F(bus_ns_per_sector), 0,
	  1000000000 },
	{ "cache", K_HDD, T_BOOL, F(cache), 0, 1 },
	{ "cache_segments", K_HDD, T_INT, F(cache_segments), 1,
	  DISK_MAX_SEGMENTS },
	{ "segment_sectors", K_HDD, T_U32, F(segment_sectors), 1, 1u << 24 },
	{ "readahead", K_HDD, T_READAHEAD, F(readahead), 0, 0 },
	{ "write_back", K_HDD, T_BOOL, F(write_back), 0, 1 },
};

#define FIELD(p, k, type) ((type *)((char *)(p) + (k)->off))
#define CFIELD(p, k, type) ((const type *)((const char *)(p) + (k)->off))

struct disk_params *disk_params_new(void)
{
	struct disk_params *p = g_new0(struct disk_params, 1);

	disk_preset_load(p, DISK_DEFAULT_PRESET);
	return p;
}

void disk_params_assign(struct disk_params *dst,
			const struct disk_params *src)
{
	*dst = *src;
	if (dst->seek_table)
		g_array_ref(dst->seek_table);
}

void disk_params_release(struct disk_params *p)
{
	if (p->seek_table)
		g_array_unref(p->seek_table);
	p->seek_table = NULL;
}

GArray *disk_seek_table_new(const struct disk_seek_point *pt, unsigned n)
{
	GArray *a = g_array_sized_new(FALSE, FALSE, sizeof(*pt), n);

	g_array_append_vals(a, pt, n);
	return a;
}

void disk_params_free(struct disk_params *p)
{
	if (!p)
		return;
	disk_params_release(p);
	g_free(p);
}

struct disk_params *disk_params_copy(const struct disk_params *p)
{
	struct disk_params *c = g_new(struct disk_params, 1);

	disk_params_assign(c, p);
	return c;
}

static bool bad(GError **err, const char *key, const char *fmt,
		const char *value)
{
	g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		    "%s: \"%s\" %s", key, value, fmt);
	return false;
}

static bool parse_u64(const char *key, const char *value, uint64_t min,
		      uint64_t max, uint64_t *out, GError **err)
{
	guint64 v;
	GError *e = NULL;
	char *s = g_strstrip(g_strdup(value));
	bool ok;

	/* Distinguish "not a number" from "out of range" in the message. */
	if (!*s || !g_ascii_isdigit(s[0])) {
		g_free(s);
		return bad(err, key, "is not a number", value);
	}
	ok = g_ascii_string_to_unsigned(s, 10, min, max, &v, &e);
	g_free(s);
	if (!ok) {
		if (e->code == G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS)
			g_set_error(err, G_OPTION_ERROR,
				    G_OPTION_ERROR_BAD_VALUE,
				    "%s: \"%s\" is out of range %" PRIu64
				    "..%" PRIu64, key, value, min, max);
		else
			bad(err, key, "is not a number", value);
		g_error_free(e);
		return false;
	}
	*out = v;
	return true;
}

static bool parse_bool(const char *key, const char *value, bool *out,
		       GError **err)
{
	if (parse_onoff(value, out))
		return true;
	return bad(err, key, "is not on or off", value);
}

/*
 * A decimal with up to 6 fractional digits, as fixed point with 16
 * fractional bits; parsed digit by digit so no rounding depends on the
 * machine's floating point.
 */
static bool parse_q16(const char *key, const char *s, int64_t *out,
		      GError **err)
{
	uint64_t ip = 0, frac = 0, scale = 1;
	const char *c = s;

	if (!g_ascii_isdigit(*c))
		return bad(err, key, "is not a number", s);
	for (; g_ascii_isdigit(*c); c++) {
		ip = ip * 10 + (uint64_t)(*c - '0');
		if (ip > (1ull << 40))
			return bad(err, key, "is too large", s);
	}
	if (*c == '.') {
		for (c++; g_ascii_isdigit(*c); c++) {
			if (scale >= 1000000)
				return bad(err, key, "has too many decimals", s);
			frac = frac * 10 + (uint64_t)(*c - '0');
			scale *= 10;
		}
	}
	if (*c)
		return bad(err, key, "is not a number", s);
	*out = (int64_t)((ip << 16) + (frac * 65536 + scale / 2) / scale);
	return true;
}

/* Split "a, b, c" into stripped fields; NULL-terminated, g_strfreev. */
static char **split_list(const char *value, const char *sep)
{
	char **v = g_strsplit(value, sep, -1);

	for (int i = 0; v[i]; i++)
		g_strstrip(v[i]);
	return v;
}

static bool parse_zones(const char *key, const char *value,
			struct disk_params *p, GError **err)
{
	char **items = split_list(value, ",");
	int n = (int)g_strv_length(items);
	struct disk_zone z[DISK_MAX_ZONES];
	bool ok = n > 0 && n <= DISK_MAX_ZONES;

	if (!ok)
		bad(err, key, "needs 1 to 64 CYLS:SPT entries", value);
	for (int i = 0; ok && i < n; i++) {
		char **f = split_list(items[i], ":");
		uint64_t cyl, spt;

		ok = g_strv_length(f) == 2 &&
		     parse_u64(key, f[0], 1, 1u << 24, &cyl, err) &&
		     parse_u64(key, f[1], 1, 1u << 20, &spt, err);
		if (ok) {
			z[i].cylinders = (uint32_t)cyl;
			z[i].spt = (uint32_t)spt;
		} else if (err && !*err) {
			bad(err, key, "is not CYLS:SPT", items[i]);
		}
		g_strfreev(f);
	}
	if (ok) {
		p->nzones = n;
		memcpy(p->zones, z, sizeof(z[0]) * (size_t)n);
	}
	g_strfreev(items);
	return ok;
}

static bool parse_skews(const char *key, const char *value, uint32_t *dst,
			int *count, GError **err)
{
	char **items = split_list(value, ",");
	int n = (int)g_strv_length(items);
	uint32_t v[DISK_MAX_ZONES];
	bool ok = n > 0 && n <= DISK_MAX_ZONES;

	if (!ok)
		bad(err, key, "needs 1 to 64 values", value);
	for (int i = 0; ok && i < n; i++) {
		uint64_t x;

		ok = parse_u64(key, items[i], 0, 1u << 20, &x, err);
		v[i] = (uint32_t)x;
	}
	if (ok) {
		*count = n;
		memcpy(dst, v, sizeof(v[0]) * (size_t)n);
	}
	g_strfreev(items);
	return ok;
}

static bool parse_seek_table(const char *key, const char *value,
			     struct disk_params *p, GError **err)
{
	char **items;
	unsigned n;
	struct disk_seek_point *t;
	bool ok;

	if (!strcmp(value, "none")) {
		disk_params_release(p);
		return true;
	}
	items = split_list(value, ",");
	n = g_strv_length(items);
	/* any length: distances increase within 1 .. 2^24 */
	ok = n > 0 && n <= (1u << 24);
	if (!ok)
		bad(err, key, "needs D:NS entries", value);
	t = g_new(struct disk_seek_point, ok ? n : 1);
	for (unsigned i = 0; ok && i < n; i++) {
		char **f = split_list(items[i], ":");
		uint64_t dist, ns;

		ok = g_strv_length(f) == 2 &&
		     parse_u64(key, f[0], 1, 1u << 24, &dist, err) &&
		     parse_u64(key, f[1], 0, NS_MAX, &ns, err);
		if (ok) {
			t[i].distance = (uint32_t)dist;
			t[i].ns = (int64_t)ns;
			if (i > 0 && t[i].distance <= t[i - 1].distance) {
				bad(err, key, "distances must increase",
				    items[i]);
				ok = false;
			}
		} else if (err && !*err) {
			bad(err, key, "is not D:NS", items[i]);
		}
		g_strfreev(f);
	}
	if (ok) {
		disk_params_release(p);
		p->seek_table = disk_seek_table_new(t, n);
	}
	g_free(t);
	g_strfreev(items);
	return ok;
}

static bool parse_seek_curve(const char *key, const char *value,
			     struct disk_params *p, GError **err)
{
	char **f;
	struct disk_seek_curve c;
	uint64_t a, cc, boundary;
	bool ok;

	if (!strcmp(value, "fit")) {
		p->has_seek_curve = false;
		return true;
	}
	f = split_list(value, ":");
	ok = g_strv_length(f) == 5;
	if (!ok)
		bad(err, key, "is not A_NS:B_NS:C_NS:E_NS:BOUNDARY or fit",
		    value);
	ok = ok && parse_u64(key, f[0], 0, NS_MAX, &a, err) &&
	     parse_q16(key, f[1], &c.b_q16, err) &&
	     parse_u64(key, f[2], 0, NS_MAX, &cc, err) &&
	     parse_q16(key, f[3], &c.e_q16, err) &&
	     parse_u64(key, f[4], 0, 1u << 24, &boundary, err);
	if (ok) {
		c.a_ns = (int64_t)a;
		c.c_ns = (int64_t)cc;
		c.boundary = (uint32_t)boundary;
		p->seek_curve = c;
		p->has_seek_curve = true;
	}
	g_strfreev(f);
	return ok;
}

static bool parse_readahead(const char *key, const char *value,
			    struct disk_params *p, GError **err)
{
	uint64_t n;

	if (!strcmp(value, "off") || !strcmp(value, "none")) {
		p->readahead = DISK_RA_OFF;
		return true;
	}
	if (!strcmp(value, "track")) {
		p->readahead = DISK_RA_TRACK;
		return true;
	}
	if (!g_ascii_isdigit(value[0]))
		return bad(err, key, "is not off, track or a sector count",
			   value);
	if (!parse_u64(key, value, 1, 1u << 24, &n, err))
		return false;
	p->readahead = DISK_RA_SECTORS;
	p->readahead_sectors = (uint32_t)n;
	return true;
}

/* A T_NS key given with a unit suffix (ns, us, ms, s). */
static bool parse_ns(struct disk_params *p, const struct key *k,
		     const char *value, GError **err)
{
	int64_t ns;

	if (!parse_duration(value, 1, &ns))
		return bad(err, k->name, "is not a duration (a number with ns, "
			   "us, ms or s; a bare number is in ns)", value);
	if ((uint64_t)ns < k->min || (uint64_t)ns > k->max) {
		g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			    "%s: \"%s\" is out of range %" PRIu64 "..%" PRIu64
			    " ns", k->name, value, k->min, k->max);
		return false;
	}
	*FIELD(p, k, int64_t) = ns;
	return true;
}

static bool set_key(struct disk_params *p, const struct key *k,
		    const char *value, GError **err)
{
	uint64_t v;
	bool b;

	switch (k->type) {
	case T_INT:
	case T_U32:
	case T_U64:
	case T_NS:
		if (k->type == T_NS && parse_has_suffix(value))
			return parse_ns(p, k, value, err);
		if (!parse_u64(k->name, value, k->min, k->max, &v, err))
			return false;
		if (k->type == T_INT)
			*FIELD(p, k, int) = (int)v;
		else if (k->type == T_U32)
			*FIELD(p, k, uint32_t) = (uint32_t)v;
		else if (k->type == T_U64)
			*FIELD(p, k, uint64_t) = v;
		else
			*FIELD(p, k, int64_t) = (int64_t)v;
		return true;
	case T_BOOL:
		if (!parse_bool(k->name, value, &b, err))
			return false;
		*FIELD(p, k, bool) = b;
		return true;
	case T_ZONES:
		return parse_zones(k->name, value, p, err);
	case T_TRACK_SKEW:
		return parse_skews(k->name, value, p->track_skew,
				   &p->ntrack_skew, err);
	case T_CYL_SKEW:
		return parse_skews(k->name, value, p->cyl_skew,
				   &p->ncyl_skew, err);
	case T_SEEK_TABLE:
		return parse_seek_table(k->name, value, p, err);
	case T_SEEK_CURVE:
		return parse_seek_curve(k->name, value, p, err);
	case T_READAHEAD:
		return parse_readahead(k->name, value, p, err);
	}
	return false;
}

const char *const *disk_params_key_names(void)
{
	static const char *names[G_N_ELEMENTS(keys) + 3];

	if (!names[0]) {
		names[0] = "preset";
		names[1] = "model";
		for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
			names[i + 2] = keys[i].name;
	}
	return names;
}

/*
 * "KEY: unknown WHAT "VALUE" (did you mean X?); known: A, B, ..."; the
 * value is left out when it is the key itself (an unknown parameter).
 */
static bool unknown_word(GError **err, const char *key, const char *what,
			 const char *value, const char *const *known)
{
	const char *near = closest_word(value, known);
	GString *msg = g_string_new(NULL);

	g_string_printf(msg, "%s: unknown %s", key, what);
	if (strcmp(key, value))
		g_string_append_printf(msg, " \"%s\"", value);
	if (near)
		g_string_append_printf(msg, " (did you mean %s?)", near);
	g_string_append(msg, "; known:");
	for (int i = 0; known[i]; i++)
		g_string_append_printf(msg, "%s %s", i ? "," : "", known[i]);
	g_set_error_literal(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			    msg->str);
	g_string_free(msg, TRUE);
	return false;
}

bool disk_params_set(struct disk_params *p, const char *key,
		     const char *value, GError **err)
{
	if (!strcmp(key, "preset") || !strcmp(key, "model")) {
		struct disk_params tmp;

		if (!disk_preset_load(&tmp, value))
			return unknown_word(err, key, "preset", value,
					    disk_preset_names());
		disk_params_release(p);
		*p = tmp;
		return true;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
		const struct key *k = &keys[i];

		if (strcmp(key, k->name))
			continue;
		if (!(k->kinds & (1u << p->kind))) {
			g_set_error(err, G_OPTION_ERROR,
				    G_OPTION_ERROR_UNKNOWN_OPTION,
				    "%s: not a parameter of model %s", key,
				    p->model);
			return false;
		}
		return set_key(p, k, value, err);
	}
	return unknown_word(err, key, "disk parameter", key,
			    disk_params_key_names());
}

static bool invalid(GError **err, const char *key, const char *msg)
{
	g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s: %s",
		    key, msg);
	return false;
}

static bool validate_hdd(const struct disk_params *p, GError **err)
{
	uint32_t cyls = disk_params_cylinders(p);

	if (p->nzones < 1)
		return invalid(err, "zones", "no zones");
	if (cyls > DISK_MAX_CYLINDERS)
		return invalid(err, "zones", "more than 2097152 (2^21) "
			       "cylinders in all zones together");

	if (p->ntrack_skew != 1 && p->ntrack_skew != p->nzones)
		return invalid(err, "track_skew",
			       "needs one value or one per zone");
	if (p->ncyl_skew != 1 && p->ncyl_skew != p->nzones)
		return invalid(err, "cyl_skew",
			       "needs one value or one per zone");
	if (cyls < 2)
		return invalid(err, "zones", "needs at least 2 cylinders");
	if (p->has_seek_curve && !disk_seek_curve_bounded(&p->seek_curve, cyls))
		return invalid(err, "seek_curve", "its seek times overflow or "
			       "pass 2^44 ns at the disk's longest seek");
	if (!p->has_seek_curve && cyls < 3)
		return invalid(err, "zones", "fitting a seek curve needs at "
			       "least 3 cylinders (or give seek_curve)");
	if (!p->has_seek_curve) {
		struct disk_seek_curve c;

		if (!(p->seek_single_ns > 0 &&
		      p->seek_single_ns < p->seek_avg_ns &&
		      p->seek_avg_ns < p->seek_full_ns))
			return invalid(err, "seek_avg_ns",
				       "fitting needs seek_single_ns < "
				       "seek_avg_ns < seek_full_ns");
		if (!disk_seek_fit(p, &c))
			return invalid(err, "seek_avg_ns",
				       "no sqrt+linear curve through "
				       "seek_single_ns and seek_full_ns "
				       "has this average");
	}
	if (p->write_back && !p->cache)
		return invalid(err, "write_back", "needs cache=on");
	if (p->cache && p->readahead == DISK_RA_SECTORS &&
	    p->readahead_sectors > p->segment_sectors)
		return invalid(err, "readahead",
			       "more sectors than a cache segment holds");
	return true;
}

static bool is_preset_key(const char *key)
{
	return !strcmp(key, "preset") || !strcmp(key, "model");
}

struct disk_params *disk_params_from_keys(const char *const *kv,
					  GError **err)
{
	struct disk_params *p = disk_params_new();
	bool ok = true;

	/* the preset first: it replaces every value */
	for (const char *const *k = kv; ok && k[0] && k[1]; k += 2)
		if (is_preset_key(k[0]))
			ok = disk_params_set(p, k[0], k[1], err);
	for (const char *const *k = kv; ok && k[0] && k[1]; k += 2)
		if (!is_preset_key(k[0]))
			ok = disk_params_set(p, k[0], k[1], err);
	if (ok)
		ok = disk_params_validate(p, err);
	if (!ok) {
		disk_params_free(p);
		return NULL;
	}
	return p;
}

bool disk_params_validate(const struct disk_params *p, GError **err)
{
	switch (p->kind) {
	case DISK_KIND_SIMPLE:
		return true;
	case DISK_KIND_SSD:
		return true;
	case DISK_KIND_HDD:
		return validate_hdd(p, err);
	}
	return true;
}

static void format_q16(GString *s, int64_t q)
{
	/* six decimals round-trip through parse_q16 exactly */
	g_string_append_printf(s, "%" PRId64 ".%06" PRId64, q >> 16,
			       ((q & 0xffff) * 1000000 + 32768) >> 16);
}

static void format_list(GString *s, const uint32_t *v, int n)
{
	for (int i = 0; i < n; i++)
		g_string_append_printf(s, "%s%" PRIu32, i ? ", " : "", v[i]);
}

static void format_key(const struct disk_params *p, const struct key *k,
		       GString *s)
{
	switch (k->type) {
	case T_INT:
		g_string_append_printf(s, "%d", *CFIELD(p, k, int));
		break;
	case T_U32:
		g_string_append_printf(s, "%" PRIu32, *CFIELD(p, k, uint32_t));
		break;
	case T_U64:
		g_string_append_printf(s, "%" PRIu64, *CFIELD(p, k, uint64_t));
		break;
	case T_NS:
		g_string_append_printf(s, "%" PRId64, *CFIELD(p, k, int64_t));
		break;
	case T_BOOL:
		g_string_append(s, *CFIELD(p, k, bool) ? "on" : "off");
		break;
	case T_ZONES:
		for (int i = 0; i < p->nzones; i++)
			g_string_append_printf(s, "%s%" PRIu32 ":%" PRIu32,
					       i ? ", " : "",
					       p->zones[i].cylinders,
					       p->zones[i].spt);
		break;
	case T_TRACK_SKEW:
		format_list(s, p->track_skew, p->ntrack_skew);
		break;
	case T_CYL_SKEW:
		format_list(s, p->cyl_skew, p->ncyl_skew);
		break;
	case T_SEEK_TABLE:
		if (!p->seek_table)
			g_string_append(s, "none");
		for (guint i = 0; p->seek_table && i < p->seek_table->len;
		     i++) {
			const struct disk_seek_point *pt =
				&g_array_index(p->seek_table,
					       struct disk_seek_point, i);

			g_string_append_printf(s, "%s%" PRIu32 ":%" PRId64,
					       i ? ", " : "", pt->distance,
					       pt->ns);
		}
		break;
	case T_SEEK_CURVE:
		if (!p->has_seek_curve) {
			g_string_append(s, "fit");
			break;
		}
		g_string_append_printf(s, "%" PRId64 ":", p->seek_curve.a_ns);
		format_q16(s, p->seek_curve.b_q16);
		g_string_append_printf(s, ":%" PRId64 ":", p->seek_curve.c_ns);
		format_q16(s, p->seek_curve.e_q16);
		g_string_append_printf(s, ":%" PRIu32,
				       p->seek_curve.boundary);
		break;
	case T_READAHEAD:
		if (p->readahead == DISK_RA_OFF)
			g_string_append(s, "off");
		else if (p->readahead == DISK_RA_TRACK)
			g_string_append(s, "track");
		else
			g_string_append_printf(s, "%" PRIu32,
					       p->readahead_sectors);
		break;
	}
}

void disk_params_foreach(const struct disk_params *p,
			 disk_param_visit_fn fn, void *arg)
{
	GString *s = g_string_new(NULL);

	fn("model", p->model, arg);
	fn("preset", p->model, arg);
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
		if (!(keys[i].kinds & (1u << p->kind)))
			continue;
		g_string_truncate(s, 0);
		format_key(p, &keys[i], s);
		fn(keys[i].name, s->str, arg);
	}
	g_string_free(s, TRUE);
}

uint64_t disk_params_capacity(const struct disk_params *p)
{
	if (p->kind == DISK_KIND_HDD)
		return disk_params_hdd_capacity(p);
	return p->capacity_sectors;
}
