/*
 * simple.c - the "simple" device (also the ramdisk preset).
 *
 * It serves one command at a time, in the order it was handed them, at a
 * fixed per-command latency plus size / bandwidth.  It exists so that
 * request order and counts can be studied apart from any mechanical
 * effect.  Because service is strictly in arrival order, each command's
 * whole schedule is known when it is submitted.
 */
#include "disk/disk-int.h"

struct simple {
	struct disk base;
	int64_t busy_until;	/* mechanism free from this time */
	struct disk_done done;	/* computed completions */
	uint64_t seq;
};

static void simple_free(struct disk *d)
{
	struct simple *s = (struct simple *)d;

	disk_done_fini(&s->done);
	disk_params_release(&d->p);
	g_free(s);
}

static bool simple_can_accept(const struct disk *d)
{
	const struct simple *s = (const struct simple *)d;

	return s->done.n < d->p.queue_depth;
}

static void simple_submit(struct disk *d, const struct disk_cmd *cmd,
			  int64_t now)
{
	struct simple *s = (struct simple *)d;
	struct disk_completion c = { .cmd = *cmd, .submit_ns = now };
	int64_t start = now > s->busy_until ? now : s->busy_until;

	c.queue_depth = s->done.n + 1;
	c.start_ns = start;
	c.overhead_ns = d->p.latency_ns;
	c.transfer_ns = cmd->op == DISK_FLUSH ? 0 :
		disk_simple_transfer_ns(&d->p, cmd->sectors);
	c.complete_ns = disk_add_ns(disk_add_ns(start, c.overhead_ns),
				    c.transfer_ns);
	s->busy_until = c.complete_ns;
	disk_done_push(&s->done, &c, s->seq++);
}

static int64_t simple_next_completion(const struct disk *d)
{
	return disk_done_next(&((const struct simple *)d)->done);
}

static bool simple_complete(struct disk *d, int64_t now,
			    struct disk_completion *out)
{
	return disk_done_pop(&((struct simple *)d)->done, now, out);
}

static const struct disk_ops simple_ops = {
	.free = simple_free,
	.can_accept = simple_can_accept,
	.submit = simple_submit,
	.next_completion = simple_next_completion,
	.complete = simple_complete,
};

struct disk *disk_simple_new(const struct disk_params *p)
{
	struct simple *s = g_new0(struct simple, 1);

	s->base.ops = &simple_ops;
	disk_params_assign(&s->base.p, p);
	s->base.capacity = p->capacity_sectors;
	disk_done_init(&s->done, p->queue_depth);
	return &s->base;
}
