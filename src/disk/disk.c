/*
 * disk.c - device instances: dispatch to the model, and the completion
 * list the models share.
 *
 * Each model (simple.c, hdd.c, ssd.c) embeds struct disk and supplies its
 * operations; the public calls here only forward.  The rw_page path is
 * common: it exists only for the fixed-cost models (the simple device and
 * the ramdisk), whose cost does not depend on any queue.
 */
#include "disk/disk-int.h"

#include <string.h>

struct disk *disk_new(const struct disk_params *p)
{
	struct disk *d = NULL;

	switch (p->kind) {
	case DISK_KIND_SIMPLE:
		d = disk_simple_new(p);
		break;
	case DISK_KIND_HDD:
		d = disk_hdd_new(p);
		break;
	case DISK_KIND_SSD:
		d = disk_ssd_new(p);
		break;
	}
	return d;
}

void disk_free(struct disk *d)
{
	if (d)
		d->ops->free(d);
}

uint64_t disk_capacity(const struct disk *d)
{
	return d->capacity;
}

int disk_queue_depth(const struct disk *d)
{
	return d->p.queue_depth;
}

bool disk_nonrot(const struct disk *d)
{
	return d->p.kind == DISK_KIND_SSD;
}

bool disk_can_accept(const struct disk *d)
{
	return d->ops->can_accept(d);
}

void disk_submit(struct disk *d, const struct disk_cmd *cmd, int64_t now)
{
	g_assert(disk_can_accept(d));
	d->ops->submit(d, cmd, now);
}

int64_t disk_next_completion(const struct disk *d)
{
	return d->ops->next_completion(d);
}

bool disk_complete(struct disk *d, int64_t now, struct disk_completion *out)
{
	return d->ops->complete(d, now, out);
}

bool disk_supports_rw_page(const struct disk *d)
{
	return d->p.kind == DISK_KIND_SIMPLE && d->p.rw_page;
}

/* Bytes over bandwidth, rounded up to whole ns. */
int64_t disk_simple_transfer_ns(const struct disk_params *p, uint32_t n)
{
	unsigned __int128 bytes = (unsigned __int128)n * DISK_SECTOR_SIZE;
	unsigned __int128 ns = (bytes * 1000000000ull + p->bandwidth_bps - 1) /
			       p->bandwidth_bps;

	return ns > (unsigned __int128)(DISK_NEVER - 1) ? DISK_NEVER - 1 :
	       (int64_t)ns;
}

bool disk_has_write_cache(const struct disk *d)
{
	return d->p.kind == DISK_KIND_HDD && d->p.write_back;
}

bool disk_bio_based(const struct disk *d)
{
	return d->p.kind == DISK_KIND_SIMPLE && d->p.bio_based;
}

/* A synchronous copy at the fixed-cost model's price. */
static void sync_transfer(const struct disk *d, enum disk_op op,
			  uint64_t sector, uint32_t sectors, int64_t now,
			  struct disk_completion *out)
{
	memset(out, 0, sizeof(*out));
	out->cmd.op = op;
	out->cmd.sector = sector;
	out->cmd.sectors = sectors;
	out->submit_ns = out->start_ns = now;
	out->overhead_ns = d->p.latency_ns;
	out->transfer_ns = disk_simple_transfer_ns(&d->p, sectors);
	out->complete_ns = disk_add_ns(disk_add_ns(now, out->overhead_ns),
				       out->transfer_ns);
}

bool disk_rw_page(struct disk *d, enum disk_op op, uint64_t sector,
		  uint32_t sectors, int64_t now, struct disk_completion *out)
{
	if (!disk_supports_rw_page(d))
		return false;
	sync_transfer(d, op, sector, sectors, now, out);
	return true;
}

bool disk_make_request(struct disk *d, enum disk_op op, uint64_t sector,
		       uint32_t sectors, int64_t now,
		       struct disk_completion *out)
{
	if (!disk_bio_based(d))
		return false;
	sync_transfer(d, op, sector, sectors, now, out);
	return true;
}

/*
 * The completion list: at most queue_depth entries, kept sorted by
 * (completion time, submission sequence) so that the head is the next to
 * report.  Insertion is O(depth) with no allocation.
 */
void disk_done_init(struct disk_done *q, int cap)
{
	q->c = g_new(struct disk_completion, cap);
	q->seq = g_new(uint64_t, cap);
	q->n = 0;
	q->cap = cap;
}

void disk_done_fini(struct disk_done *q)
{
	g_free(q->c);
	g_free(q->seq);
}

void disk_done_push(struct disk_done *q, const struct disk_completion *c,
		    uint64_t seq)
{
	int i = q->n;

	g_assert(q->n < q->cap);
	while (i > 0 && (q->c[i - 1].complete_ns > c->complete_ns ||
			 (q->c[i - 1].complete_ns == c->complete_ns &&
			  q->seq[i - 1] > seq))) {
		q->c[i] = q->c[i - 1];
		q->seq[i] = q->seq[i - 1];
		i--;
	}
	q->c[i] = *c;
	q->seq[i] = seq;
	q->n++;
}

int64_t disk_done_next(const struct disk_done *q)
{
	return q->n ? q->c[0].complete_ns : DISK_NEVER;
}

bool disk_done_pop(struct disk_done *q, int64_t now,
		   struct disk_completion *out)
{
	if (!q->n || q->c[0].complete_ns > now)
		return false;
	*out = q->c[0];
	q->n--;
	memmove(q->c, q->c + 1, sizeof(q->c[0]) * (size_t)q->n);
	memmove(q->seq, q->seq + 1, sizeof(q->seq[0]) * (size_t)q->n);
	return true;
}
