/*
 * blk-options.c - the block layer's tunables, as a scenario's [block]
 * group sets them: the queue's sysfs attributes of a 4.9 system
 * (nr_requests, max_sectors_kb, nomerges), the elevator and its deadline
 * and cfq tunables (cfq's as "cfq.KEY", the [block.cfq] group), plugging,
 * and fault injection.  Defaults are 4.9's.
 */
#include "block/blkdev.h"

#include <string.h>
#include "include/parse.h"

#define NSEC_PER_MSEC ((int64_t)1000000)

void blk_options_init(struct blk_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->plug = true;
	opt->elevator = BLK_ELV_CFQ;	/* DEFAULT_IOSCHED "cfq" */
	opt->nr_requests = 128;		/* BLKDEV_MAX_RQ */
	opt->max_sectors_kb = 1280;	/* BLK_DEF_MAX_SECTORS 2560 */
	opt->max_segments = 128;	/* BLK_MAX_SEGMENTS */
	opt->nomerges = 0;
	opt->read_expire_ns = 500 * NSEC_PER_MSEC;	/* HZ / 2 */
	opt->write_expire_ns = 5000 * NSEC_PER_MSEC;	/* 5 * HZ */
	opt->fifo_batch = 16;
	opt->writes_starved = 2;
	opt->front_merges = true;
	/* the tunables at the top of block/cfq-iosched.c, and cfq_init() */
	opt->cfq.quantum = 8;
	opt->cfq.fifo_expire_ns[1] = 1000 * NSEC_PER_MSEC / 8;	/* sync */
	opt->cfq.fifo_expire_ns[0] = 1000 * NSEC_PER_MSEC / 4;
	opt->cfq.back_seek_max = 16 * 1024;
	opt->cfq.back_seek_penalty = 2;
	opt->cfq.slice_ns[1] = 1000 * NSEC_PER_MSEC / 10;
	opt->cfq.slice_ns[0] = 1000 * NSEC_PER_MSEC / 25;
	opt->cfq.slice_async_rq = 2;
	opt->cfq.slice_idle_ns = 1000 * NSEC_PER_MSEC / 125;
	opt->cfq.group_idle_ns = 0;	/* !CONFIG_CFQ_GROUP_IOSCHED */
	opt->cfq.low_latency = true;
	opt->cfq.target_latency_ns = 1000 * NSEC_PER_MSEC * 3 / 10;
}

void blk_options_clear(struct blk_options *opt)
{
	g_free(opt->fail_bio_alloc);
	opt->fail_bio_alloc = NULL;
	opt->nr_fail_bio_alloc = 0;
	blk_fault_clear(&opt->fault);
}

static bool set_onoff(const char *key, const char *value, bool *out,
		      GError **err)
{
	if (parse_onoff(value, out))
		return true;
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

static bool parse_uint(const char *value, guint64 min, guint64 max,
		       unsigned *out, GError **err)
{
	guint64 v;

	if (!g_ascii_string_to_unsigned(value, 10, min,
					max, &v, NULL)) {
		g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			    "\"%s\" is not a whole number from %" G_GUINT64_FORMAT
			    " to %" G_GUINT64_FORMAT, value, min, max);
		return false;
	}
	*out = (unsigned)v;
	return true;
}

/*
 * A duration: a number with ns, us, ms or s; a bare number is in
 * milliseconds, as the kernel's read_expire / write_expire files take it.
 */
static bool parse_expire(const char *value, int64_t *out, GError **err)
{
	static const struct {
		const char *suffix;
		int64_t factor;
	} units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", NSEC_PER_MSEC },
		{ "s", 1000 * NSEC_PER_MSEC }, { "", NSEC_PER_MSEC },
	};
	char *text = g_strstrip(g_strdup(value));
	bool ok = false;

	for (unsigned i = 0; i < G_N_ELEMENTS(units) && !ok; i++) {
		size_t n = strlen(text), k = strlen(units[i].suffix);
		char *num;
		guint64 v;

		if (n <= k || strcmp(text + n - k, units[i].suffix))
			continue;
		num = g_strndup(text, n - k);
		g_strchomp(num);
		if (g_ascii_string_to_unsigned(num, 10, 0,
					       G_MAXINT64 / 4 / units[i].factor,
					       &v, NULL)) {
			*out = (int64_t)v * units[i].factor;
			ok = true;
		}
		g_free(num);
		if (!ok)
			break;
	}
	g_free(text);
	if (!ok)
		g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			    "\"%s\" is not a duration (a number with ns, us, "
			    "ms or s; a bare number is in ms)", value);
	return ok;
}

static bool parse_elevator(const char *value, enum blk_elevator *out,
			   GError **err)
{
	static const char *const names[] = { "cfq", "deadline", "noop", NULL };
	const char *near;

	if (!strcmp(value, "deadline")) {
		*out = BLK_ELV_DEADLINE;
		return true;
	}
	if (!strcmp(value, "noop")) {
		*out = BLK_ELV_NOOP;
		return true;
	}
	if (!strcmp(value, "cfq")) {
		*out = BLK_ELV_CFQ;
		return true;
	}
	near = closest_word(value, names);
	g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		    "\"%s\" is not an elevator mpsim models%s%s%s; known: "
		    "cfq, deadline, noop", value, near ? " (did you mean " : "",
		    near ? near : "", near ? "?)" : "");
	return false;
}

static const char *elevator_name(enum blk_elevator e)
{
	switch (e) {
	case BLK_ELV_NOOP:
		return "noop";
	case BLK_ELV_DEADLINE:
		return "deadline";
	case BLK_ELV_CFQ:
		break;
	}
	return "cfq";
}

/* low_latency: 1/0 as sysfs shows it, or on/off */
static bool set_flag(const char *key, const char *value, bool *out,
		     GError **err)
{
	if (!strcmp(value, "1") || !strcmp(value, "0")) {
		*out = value[0] == '1';
		return true;
	}
	return set_onoff(key, value, out, err);
}

/*
 * A cfq tunable (block.cfq.KEY), with the lower bounds of cfq's
 * STORE_FUNCTIONs; times are durations (a bare number is in ms, as the
 * sysfs files take it).
 */
static bool cfq_options_set(struct blk_cfq_options *c, const char *key,
			    const char *value, GError **err)
{
	struct {
		const char *name;
		int64_t *ns;
		int64_t min_ns;
	} times[] = {
		{ "fifo_expire_sync", &c->fifo_expire_ns[1], 1 },
		{ "fifo_expire_async", &c->fifo_expire_ns[0], 1 },
		{ "slice_sync", &c->slice_ns[1], 1 },
		{ "slice_async", &c->slice_ns[0], 1 },
		{ "slice_idle", &c->slice_idle_ns, 0 },
		{ "group_idle", &c->group_idle_ns, 0 },
		{ "target_latency", &c->target_latency_ns, 1 },
	};

	for (unsigned i = 0; i < G_N_ELEMENTS(times); i++) {
		int64_t ns;

		if (strcmp(key, times[i].name))
			continue;
		if (!parse_expire(value, &ns, err))
			return false;
		if (ns < times[i].min_ns) {
			g_set_error(err, G_OPTION_ERROR,
				    G_OPTION_ERROR_BAD_VALUE, "\"%s\" must be "
				    "more than 0", value);
			return false;
		}
		*times[i].ns = ns;
		if (times[i].ns == &c->slice_idle_ns)
			c->slice_idle_set = true;
		return true;
	}
	if (!strcmp(key, "quantum"))
		return parse_uint(value, 1, 1000000, &c->quantum, err);
	if (!strcmp(key, "back_seek_max"))
		return parse_uint(value, 0, 1u << 30, &c->back_seek_max, err);
	if (!strcmp(key, "back_seek_penalty"))
		return parse_uint(value, 1, 1000000, &c->back_seek_penalty,
				  err);
	if (!strcmp(key, "slice_async_rq"))
		return parse_uint(value, 1, 1000000, &c->slice_async_rq, err);
	if (!strcmp(key, "low_latency"))
		return set_flag(key, value, &c->low_latency, err);
	g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
		    "unknown key");
	return false;
}

bool blk_options_set(struct blk_options *opt, const char *key,
		     const char *value, GError **err)
{
	if (!strcmp(key, "plug"))
		return set_onoff(key, value, &opt->plug, err);
	if (!strcmp(key, "elevator"))
		return parse_elevator(value, &opt->elevator, err);
	if (!strcmp(key, "nr_requests"))	/* BLKDEV_MIN_RQ is 4 */
		return parse_uint(value, 4, 1000000, &opt->nr_requests, err);
	if (!strcmp(key, "max_sectors_kb"))	/* at least a page */
		return parse_uint(value, 4, 32767, &opt->max_sectors_kb, err);
	if (!strcmp(key, "max_segments"))
		return parse_uint(value, 1, 65535, &opt->max_segments, err);
	if (!strcmp(key, "nomerges"))
		return parse_uint(value, 0, 2, &opt->nomerges, err);
	if (!strcmp(key, "read_expire"))
		return parse_expire(value, &opt->read_expire_ns, err);
	if (!strcmp(key, "write_expire"))
		return parse_expire(value, &opt->write_expire_ns, err);
	if (!strcmp(key, "fifo_batch"))
		return parse_uint(value, 0, 1000000, &opt->fifo_batch, err);
	if (!strcmp(key, "writes_starved"))
		return parse_uint(value, 0, 1000000, &opt->writes_starved,
				  err);
	if (!strcmp(key, "front_merges"))
		return set_onoff(key, value, &opt->front_merges, err);
	if (!strcmp(key, "fail_bio_alloc"))
		return parse_ordinals(value, opt, err);
	if (g_str_has_prefix(key, "cfq."))
		return cfq_options_set(&opt->cfq, key + 4, value, err);
	g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
		    "unknown key");
	return false;
}

/* A duration in the largest unit that keeps it exact ("500ms", "5s"). */
static void format_expire(char *buf, size_t len, int64_t ns)
{
	if (ns && ns % (1000 * NSEC_PER_MSEC) == 0)
		g_snprintf(buf, len, "%" G_GINT64_FORMAT "s",
			   ns / (1000 * NSEC_PER_MSEC));
	else if (ns % NSEC_PER_MSEC == 0)
		g_snprintf(buf, len, "%" G_GINT64_FORMAT "ms",
			   ns / NSEC_PER_MSEC);
	else if (ns % 1000 == 0)
		g_snprintf(buf, len, "%" G_GINT64_FORMAT "us", ns / 1000);
	else
		g_snprintf(buf, len, "%" G_GINT64_FORMAT "ns", ns);
}

/* The cfq keys, sorted by name ("cfq." sorts before the others). */
static void cfq_options_foreach(const struct blk_cfq_options *c,
				void (*fn)(const char *key, const char *value,
					   void *arg), void *arg)
{
	char buf[48];

	g_snprintf(buf, sizeof(buf), "%u", c->back_seek_max);
	fn("cfq.back_seek_max", buf, arg);
	g_snprintf(buf, sizeof(buf), "%u", c->back_seek_penalty);
	fn("cfq.back_seek_penalty", buf, arg);
	format_expire(buf, sizeof(buf), c->fifo_expire_ns[0]);
	fn("cfq.fifo_expire_async", buf, arg);
	format_expire(buf, sizeof(buf), c->fifo_expire_ns[1]);
	fn("cfq.fifo_expire_sync", buf, arg);
	format_expire(buf, sizeof(buf), c->group_idle_ns);
	fn("cfq.group_idle", buf, arg);
	fn("cfq.low_latency", c->low_latency ? "1" : "0", arg);
	g_snprintf(buf, sizeof(buf), "%u", c->quantum);
	fn("cfq.quantum", buf, arg);
	format_expire(buf, sizeof(buf), c->slice_ns[0]);
	fn("cfq.slice_async", buf, arg);
	g_snprintf(buf, sizeof(buf), "%u", c->slice_async_rq);
	fn("cfq.slice_async_rq", buf, arg);
	format_expire(buf, sizeof(buf), c->slice_idle_ns);
	fn("cfq.slice_idle", buf, arg);
	format_expire(buf, sizeof(buf), c->slice_ns[1]);
	fn("cfq.slice_sync", buf, arg);
	format_expire(buf, sizeof(buf), c->target_latency_ns);
	fn("cfq.target_latency", buf, arg);
}

void blk_options_foreach(const struct blk_options *opt,
			 void (*fn)(const char *key, const char *value,
				    void *arg), void *arg)
{
	GString *s = g_string_new(NULL);
	char buf[48];

	cfq_options_foreach(&opt->cfq, fn, arg);
	fn("elevator", elevator_name(opt->elevator), arg);
	for (unsigned i = 0; i < opt->nr_fail_bio_alloc; i++)
		g_string_append_printf(s, "%s%" G_GUINT64_FORMAT, i ? "," : "",
				       (guint64)opt->fail_bio_alloc[i]);
	fn("fail_bio_alloc", s->str, arg);
	g_snprintf(buf, sizeof(buf), "%u", opt->fifo_batch);
	fn("fifo_batch", buf, arg);
	fn("front_merges", opt->front_merges ? "on" : "off", arg);
	g_snprintf(buf, sizeof(buf), "%u", opt->max_sectors_kb);
	fn("max_sectors_kb", buf, arg);
	g_snprintf(buf, sizeof(buf), "%u", opt->max_segments);
	fn("max_segments", buf, arg);
	g_snprintf(buf, sizeof(buf), "%u", opt->nomerges);
	fn("nomerges", buf, arg);
	g_snprintf(buf, sizeof(buf), "%u", opt->nr_requests);
	fn("nr_requests", buf, arg);
	fn("plug", opt->plug ? "on" : "off", arg);
	format_expire(buf, sizeof(buf), opt->read_expire_ns);
	fn("read_expire", buf, arg);
	format_expire(buf, sizeof(buf), opt->write_expire_ns);
	fn("write_expire", buf, arg);
	g_snprintf(buf, sizeof(buf), "%u", opt->writes_starved);
	fn("writes_starved", buf, arg);
	g_string_free(s, TRUE);
}
