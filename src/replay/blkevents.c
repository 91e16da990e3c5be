/*
 * blkevents.c - block-layer events (blktrace's Q, D, C and R, from the
 * binary stream or blkparse's text) turned into replay records.
 *
 * A record is made at each Q event (each D event with --at dispatch), in
 * trace order.  Later events fill it in: the D that issued it (a D whose
 * range holds its first sector), the C that completed it (likewise; with
 * --at dispatch, the C at its own sector), giving the recorded service
 * time D to C.  A requeue (R) undoes a dispatch: the next D at that
 * sector re-issues the same record instead of making a new one.
 *
 * Records leave in trace order once complete.  Only records still in
 * flight are held, at most MAX_PENDING (a trace that never completes
 * anything lets the oldest go without its completion), so memory stays
 * flat in the trace's length.  Events without data (an empty flush) make
 * no record.
 */
#include "replay/reader.h"

#define MAX_PENDING 65536

struct pend {
	struct replay_rec rec;
	int64_t dispatch_ns;	/* the recorded D, or -1 */
	bool done, requeued;
};

struct blkevents {
	bool at_dispatch;
	GQueue q;		/* struct pend*, oldest first */
	uint64_t popped;
};

struct blkevents *blkevents_new(bool at_dispatch)
{
	struct blkevents *b = g_new0(struct blkevents, 1);

	b->at_dispatch = at_dispatch;
	g_queue_init(&b->q);
	return b;
}

void blkevents_free(struct blkevents *b)
{
	if (!b)
		return;
	g_queue_clear_full(&b->q, g_free);
	g_free(b);
}

static bool same_dir(const struct pend *p, const struct blk_ev *ev)
{
	return (p->rec.op == REQ_OP_WRITE) == ev->write;
}

/* The range of ev holds p's first sector (its own sector: `exact`). */
static bool covers(const struct pend *p, const struct blk_ev *ev, bool exact)
{
	if (exact)
		return p->rec.sector == ev->sector;
	return p->rec.sector >= ev->sector &&
	       p->rec.sector < ev->sector + ev->sectors;
}

static void add(struct blkevents *b, const struct blk_ev *ev)
{
	struct pend *p = g_new0(struct pend, 1);

	p->rec.where = ev->where;
	p->rec.time_ns = ev->time_ns;
	p->rec.think_ns = -1;
	p->rec.complete_ns = -1;
	p->rec.service_ns = -1;
	p->rec.op = ev->write ? REQ_OP_WRITE : REQ_OP_READ;
	p->rec.flags = (ev->sync ? REQ_SYNC : 0) | (ev->meta ? REQ_META : 0) |
		       (ev->fua ? REQ_FUA : 0) |
		       (ev->preflush ? REQ_PREFLUSH : 0) |
		       (ev->ahead ? REQ_RAHEAD : 0);
	p->rec.sector = ev->sector;
	p->rec.sectors = ev->sectors;
	p->dispatch_ns = b->at_dispatch ? ev->time_ns : -1;
	g_queue_push_tail(&b->q, p);
}

void blkevents_feed(struct blkevents *b, const struct blk_ev *ev)
{
	const bool exact = b->at_dispatch;

	if (!ev->sectors)
		return;
	if ((ev->kind == BLK_EV_QUEUE && !b->at_dispatch)) {
		add(b, ev);
		return;
	}
	for (GList *l = b->q.head; l; l = l->next) {
		struct pend *p = l->data;

		if (p->done || !same_dir(p, ev) || !covers(p, ev, exact))
			continue;
		switch (ev->kind) {
		case BLK_EV_ISSUE:
			if (b->at_dispatch && !p->requeued)
				continue;
			if (!b->at_dispatch && p->dispatch_ns >= 0)
				continue;
			p->requeued = false;
			p->dispatch_ns = ev->time_ns;
			if (b->at_dispatch)
				p->rec.time_ns = ev->time_ns;
			return;
		case BLK_EV_REQUEUE:
			if (p->requeued)
				continue;
			p->requeued = true;
			return;
		case BLK_EV_COMPLETE:
			if (p->requeued)
				continue;
			p->done = true;
			p->rec.complete_ns = ev->time_ns;
			if (p->dispatch_ns >= 0 && ev->time_ns >= p->dispatch_ns)
				p->rec.service_ns = ev->time_ns - p->dispatch_ns;
			if (exact)
				return;
			break;	/* every bio the request carried */
		case BLK_EV_QUEUE:
			return;
		}
	}
	if (ev->kind == BLK_EV_ISSUE && b->at_dispatch)
		add(b, ev);
}

bool blkevents_pop(struct blkevents *b, bool ended, struct replay_rec *rec)
{
	struct pend *p = g_queue_peek_head(&b->q);

	if (!p || (!p->done && !ended && b->q.length <= MAX_PENDING))
		return false;
	g_queue_pop_head(&b->q);
	*rec = p->rec;
	rec->n = ++b->popped;
	g_free(p);
	return true;
}
