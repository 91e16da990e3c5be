/*
 * ssd.c - a flash device: no positioning, parallel channels, one link.
 *
 * A command occupies one flash channel (the one free soonest) for a fixed
 * read or program latency, and the host link for size / bandwidth.  A
 * read is read from flash, then sent; a write is received, then
 * programmed.  So with one command outstanding the device shows its full
 * latency, and with many the channels overlap until the link saturates:
 * request order stops mattering and queue depth starts to.  Everything is
 * decided at submission (channels and link are granted in submission
 * order), which keeps the model O(channels) per command.  No garbage
 * collection, mapping or wear is modelled.
 */
#include "disk/disk-int.h"

struct ssd {
	struct disk base;
	int64_t *ch_free;	/* each channel busy until */
	int64_t link_free;	/* host link busy until */
	struct disk_done done;
	uint64_t seq;
};

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static int free_channel(const struct ssd *s)
{
	int best = 0;

	for (int i = 1; i < s->base.p.channels; i++)
		if (s->ch_free[i] < s->ch_free[best])
			best = i;
	return best;
}

static void ssd_submit(struct disk *d, const struct disk_cmd *cmd,
		       int64_t now)
{
	struct ssd *s = (struct ssd *)d;
	struct disk_completion c = { .cmd = *cmd, .submit_ns = now };
	int64_t link = cmd->sectors ?
		disk_simple_transfer_ns(&d->p, cmd->sectors) : 0;
	int ch = free_channel(s);

	c.queue_depth = s->done.n + 1;
	switch (cmd->op) {
	case DISK_READ:
		c.start_ns = max64(now, s->ch_free[ch]);
		c.overhead_ns = d->p.read_ns;
		s->ch_free[ch] = disk_add_ns(c.start_ns, d->p.read_ns);
		s->link_free = disk_add_ns(max64(s->ch_free[ch], s->link_free),
					   link);
		c.complete_ns = s->link_free;
		break;
	case DISK_WRITE:
		c.start_ns = max64(now, s->link_free);
		s->link_free = disk_add_ns(c.start_ns, link);
		c.overhead_ns = d->p.program_ns;
		s->ch_free[ch] = disk_add_ns(max64(s->link_free,
						   s->ch_free[ch]),
					     d->p.program_ns);
		c.complete_ns = s->ch_free[ch];
		break;
	case DISK_FLUSH:
		/* done when every program already started has finished */
		c.start_ns = c.complete_ns = now;
		for (int i = 0; i < d->p.channels; i++)
			c.complete_ns = max64(c.complete_ns, s->ch_free[i]);
		break;
	}
	c.transfer_ns = c.complete_ns - c.start_ns - c.overhead_ns;
	disk_done_push(&s->done, &c, s->seq++);
}

static bool ssd_can_accept(const struct disk *d)
{
	return ((const struct ssd *)d)->done.n < d->p.queue_depth;
}

static int64_t ssd_next_completion(const struct disk *d)
{
	return disk_done_next(&((const struct ssd *)d)->done);
}

static bool ssd_complete(struct disk *d, int64_t now,
			 struct disk_completion *out)
{
	return disk_done_pop(&((struct ssd *)d)->done, now, out);
}

static void ssd_free(struct disk *d)
{
	struct ssd *s = (struct ssd *)d;

	disk_done_fini(&s->done);
	g_free(s->ch_free);
	disk_params_release(&d->p);
	g_free(s);
}

static const struct disk_ops ssd_ops = {
	.free = ssd_free,
	.can_accept = ssd_can_accept,
	.submit = ssd_submit,
	.next_completion = ssd_next_completion,
	.complete = ssd_complete,
};

struct disk *disk_ssd_new(const struct disk_params *p)
{
	struct ssd *s = g_new0(struct ssd, 1);

	s->base.ops = &ssd_ops;
	disk_params_assign(&s->base.p, p);
	s->base.capacity = p->capacity_sectors;
	s->ch_free = g_new0(int64_t, p->channels);
	disk_done_init(&s->done, p->queue_depth);
	return &s->base;
}
