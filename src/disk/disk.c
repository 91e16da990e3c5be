/*
 * disk.c - device parameters and the "simple" device.
 *
 * The simple device serves one command at a time, in the order it was
 * handed them, at a fixed per-command latency plus size / bandwidth.  It
 * exists so that request order and counts can be studied apart from any
 * mechanical effect; the rotating-disk models are in their own files.
 */
#include "disk/disk.h"

#include <inttypes.h>
#include <string.h>

struct disk_params {
	char model[32];
	uint64_t capacity_sectors;
	int64_t latency_ns;
	uint64_t bandwidth_bps;	/* bytes per second */
	int queue_depth;
	bool rw_page;
};

struct disk {
	struct disk_params p;
	GQueue pending;		/* struct pending_cmd*, FIFO */
	int64_t busy_until;	/* mechanism free from this time */
	GQueue done;		/* computed completions, in completion order */
	int inside;		/* commands submitted and not yet collected */
};

struct pending_cmd {
	struct disk_completion c;
};

static const char *const preset_names[] = { "simple", NULL };

struct disk_params *disk_params_new(void)
{
	struct disk_params *p = g_new0(struct disk_params, 1);

	g_strlcpy(p->model, "simple", sizeof(p->model));
	p->capacity_sectors = 2097152;	/* 1 GiB */
	p->latency_ns = 100000;		/* 0.1 ms */
	p->bandwidth_bps = 100000000;	/* 100 MB/s */
	p->queue_depth = 1;
	p->rw_page = false;
	return p;
}

void disk_params_free(struct disk_params *p)
{
	g_free(p);
}

struct disk_params *disk_params_copy(const struct disk_params *p)
{
	return g_memdup2(p, sizeof(*p));
}

const char *const *disk_preset_names(void)
{
	return preset_names;
}

static bool parse_u64(const char *key, const char *value, uint64_t min,
		      uint64_t max, uint64_t *out, GError **err)
{
	guint64 v;
	GError *e = NULL;

	if (!g_ascii_string_to_unsigned(value, 10, min, max, &v, &e)) {
		g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			    "%s: %s", key, e->message);
		g_error_free(e);
		return false;
	}
	*out = v;
	return true;
}

static bool parse_bool(const char *key, const char *value, bool *out,
		       GError **err)
{
	if (!strcmp(value, "on") || !strcmp(value, "true") ||
	    !strcmp(value, "1") || !strcmp(value, "yes")) {
		*out = true;
		return true;
	}
	if (!strcmp(value, "off") || !strcmp(value, "false") ||
	    !strcmp(value, "0") || !strcmp(value, "no")) {
		*out = false;
		return true;
	}
	g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		    "%s: \"%s\" is not on or off", key, value);
	return false;
}

bool disk_params_set(struct disk_params *p, const char *key,
		     const char *value, GError **err)
{
	uint64_t v;

	if (!strcmp(key, "preset") || !strcmp(key, "model")) {
		for (int i = 0; preset_names[i]; i++)
			if (!strcmp(value, preset_names[i])) {
				struct disk_params *d = disk_params_new();
				*p = *d;
				disk_params_free(d);
				g_strlcpy(p->model, value, sizeof(p->model));
				return true;
			}
		g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			    "%s: unknown preset \"%s\"", key, value);
		return false;
	}
	if (!strcmp(key, "capacity_sectors")) {
		if (!parse_u64(key, value, 1, UINT64_MAX / 2, &v, err))
			return false;
		p->capacity_sectors = v;
		return true;
	}
	if (!strcmp(key, "latency_ns")) {
		if (!parse_u64(key, value, 0, INT64_MAX / 4, &v, err))
			return false;
		p->latency_ns = (int64_t)v;
		return true;
	}
	if (!strcmp(key, "bandwidth_bps")) {
		if (!parse_u64(key, value, 1, UINT64_MAX / 2, &v, err))
			return false;
		p->bandwidth_bps = v;
		return true;
	}
	if (!strcmp(key, "queue_depth")) {
		if (!parse_u64(key, value, 1, 256, &v, err))
			return false;
		p->queue_depth = (int)v;
		return true;
	}
	if (!strcmp(key, "rw_page"))
		return parse_bool(key, value, &p->rw_page, err);
	g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
		    "%s: unknown disk parameter", key);
	return false;
}

bool disk_params_validate(const struct disk_params *p, GError **err)
{
	(void)p;
	(void)err;
	return true;
}

void disk_params_foreach(const struct disk_params *p,
			 disk_param_visit_fn fn, void *arg)
{
	char buf[32];

	fn("model", p->model, arg);
	g_snprintf(buf, sizeof(buf), "%" PRIu64, p->capacity_sectors);
	fn("capacity_sectors", buf, arg);
	g_snprintf(buf, sizeof(buf), "%" PRId64, p->latency_ns);
	fn("latency_ns", buf, arg);
	g_snprintf(buf, sizeof(buf), "%" PRIu64, p->bandwidth_bps);
	fn("bandwidth_bps", buf, arg);
	g_snprintf(buf, sizeof(buf), "%d", p->queue_depth);
	fn("queue_depth", buf, arg);
	fn("rw_page", p->rw_page ? "on" : "off", arg);
}

uint64_t disk_params_capacity(const struct disk_params *p)
{
	return p->capacity_sectors;
}

static void describe_one(const char *key, const char *value, void *arg)
{
	g_string_append_printf(arg, "  %-20s %s\n", key, value);
}

void disk_params_describe(const struct disk_params *p, GString *out)
{
	g_string_append_printf(out, "%s:\n", p->model);
	disk_params_foreach(p, describe_one, out);
}

struct disk *disk_new(const struct disk_params *p)
{
	struct disk *d = g_new0(struct disk, 1);

	d->p = *p;
	g_queue_init(&d->pending);
	g_queue_init(&d->done);
	return d;
}

void disk_free(struct disk *d)
{
	if (!d)
		return;
	g_queue_clear_full(&d->pending, g_free);
	g_queue_clear_full(&d->done, g_free);
	g_free(d);
}

uint64_t disk_capacity(const struct disk *d)
{
	return d->p.capacity_sectors;
}

int disk_queue_depth(const struct disk *d)
{
	return d->p.queue_depth;
}

bool disk_can_accept(const struct disk *d)
{
	return d->inside < d->p.queue_depth;
}

/* Service time of a transfer of n sectors: latency + bytes / bandwidth. */
static int64_t simple_transfer_ns(const struct disk_params *p, uint32_t n)
{
	uint64_t bytes = (uint64_t)n * DISK_SECTOR_SIZE;

	return (int64_t)((bytes * 1000000000ull + p->bandwidth_bps - 1) /
			 p->bandwidth_bps);
}

void disk_submit(struct disk *d, const struct disk_cmd *cmd, int64_t now)
{
	struct pending_cmd *pc = g_new0(struct pending_cmd, 1);
	int64_t start = now > d->busy_until ? now : d->busy_until;

	g_assert(disk_can_accept(d));
	d->inside++;
	pc->c.cmd = *cmd;
	pc->c.submit_ns = now;
	pc->c.queue_depth = d->inside;
	/*
	 * The simple device serves strictly in arrival order, so the whole
	 * schedule is known at submission.
	 */
	pc->c.start_ns = start;
	pc->c.overhead_ns = d->p.latency_ns;
	pc->c.transfer_ns = cmd->op == DISK_FLUSH ? 0 :
		simple_transfer_ns(&d->p, cmd->sectors);
	pc->c.complete_ns = start + pc->c.overhead_ns + pc->c.transfer_ns;
	d->busy_until = pc->c.complete_ns;
	g_queue_push_tail(&d->done, pc);
}

int64_t disk_next_completion(const struct disk *d)
{
	const struct pending_cmd *pc = g_queue_peek_head((GQueue *)&d->done);

	return pc ? pc->c.complete_ns : DISK_NEVER;
}

bool disk_complete(struct disk *d, int64_t now, struct disk_completion *out)
{
	struct pending_cmd *pc = g_queue_peek_head(&d->done);

	if (!pc || pc->c.complete_ns > now)
		return false;
	g_queue_pop_head(&d->done);
	*out = pc->c;
	g_free(pc);
	d->inside--;
	return true;
}

bool disk_supports_rw_page(const struct disk *d)
{
	return d->p.rw_page;
}

bool disk_rw_page(struct disk *d, enum disk_op op, uint64_t sector,
		  uint32_t sectors, int64_t now, struct disk_completion *out)
{
	if (!d->p.rw_page)
		return false;
	memset(out, 0, sizeof(*out));
	out->cmd.op = op;
	out->cmd.sector = sector;
	out->cmd.sectors = sectors;
	out->submit_ns = out->start_ns = now;
	out->overhead_ns = d->p.latency_ns;
	out->transfer_ns = simple_transfer_ns(&d->p, sectors);
	out->complete_ns = now + out->overhead_ns + out->transfer_ns;
	return true;
}
