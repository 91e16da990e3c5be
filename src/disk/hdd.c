/*
 * hdd.c - the rotating disk: command timing, drive cache, scheduling.
 *
 * The mechanism (arm and head) serves one media access at a time.  Its
 * timing comes from geom.c: positioning from where the head is, a wait
 * for the target sector's angle, sectors streaming at the zone's rate,
 * and at each track end a head switch or one-cylinder seek followed by a
 * wait for the next track's skewed first sector.
 *
 * Decisions are lazy.  The device keeps its mechanical state as of the
 * last decision; a decision (which queued command the mechanism takes
 * next, or which dirty extent it writes back when idle) is made only when
 * the caller's clock passes the moment it falls due, so every command
 * submitted by then is a candidate.  disk_next_completion() works out the
 * next decision without making it.  Cache hits and write-back writes need
 * no mechanism and are timed the moment they are submitted.
 *
 * Drive cache: a few segments, each a window of consecutive sectors.
 * After a read, the mechanism keeps reading ahead into the read's segment
 * (the "stream") until the read-ahead target, a newer command needs the
 * mechanism, or an idle write-back is due.  A read wholly inside a
 * segment is a hit; a read starting inside the stream's window, at or
 * below the sector being read, is an "almost hit" served as the stream
 * reaches its sectors; a read whose first sector is cached in a segment
 * whose read-ahead has stopped, and which runs past it, is a partial hit
 * (DiskSim 4.0): the mechanism reads only the rest, from the segment's
 * end, and the segment keeps its start; anything else is a miss, which
 * lets the sector under the head finish and then positions.  A write
 * drops the cached sectors it makes stale; with one segment it takes the
 * whole segment (DiskSim 4.0).
 */
#include "disk/disk-int.h"

#include <string.h>

/* Where the head is, and from what time it is free to move. */
struct hpos {
	int64_t t;
	uint32_t cyl;
	uint32_t head;
};

/* One track's worth of a media access. */
struct piece {
	int64_t start, end;	/* first sector starts, last one ends */
	uint32_t cyl, head, spt;
	uint32_t slot;		/* angular slot of the first sector */
	uint64_t n;
};

/* A media access in progress, one track at a time. */
struct pass {
	const struct hdd_geom *g;
	bool write;
	bool first;
	uint64_t lba, left;
	struct hpos at;
	int64_t seek_ns, rot_ns;	/* of the first track only */
	uint64_t seek_cyls;
};

/* A whole media access. */
struct access {
	int64_t seek_ns, rot_ns;
	uint64_t seek_cyls;
	int64_t first_end;	/* first sector off the platter */
	int64_t end;		/* last sector off the platter */
	struct hpos endpos;
};

struct segment {
	bool valid;
	uint64_t lo, hi;	/* cached sectors [lo, hi) */
	uint64_t lru;		/* last use; the smallest is replaced */
};

/* Read-ahead after a read: sectors [next, target) still to come. */
struct stream {
	bool on;
	int seg;
	struct hpos anchor;	/* head position when sector next is due */
	uint64_t next, target;
	int64_t hold_t;		/* almost hits need the stream until here */
};

struct qcmd {
	struct disk_cmd cmd;
	int64_t submit;
	uint64_t seq;
	int depth;
};

struct extent {
	uint64_t lo, hi;
};

struct hdd {
	struct disk base;
	struct hdd_geom g;
	struct qcmd *q;		/* waiting for the mechanism, in order */
	int nq;
	struct disk_done done;
	int inside;		/* submitted, not yet collected */
	uint64_t seq;
	int64_t mech_free;	/* mechanism's committed work ends */
	uint32_t cyl, head;	/* head position at mech_free */
	struct segment seg[DISK_MAX_SEGMENTS];
	uint64_t lru_clock;
	struct stream st;
	struct extent dirty[DISK_MAX_SEGMENTS];	/* sorted by lo */
	int ndirty;
	int64_t last_mech_done;	/* latest completion of a mechanism command */
	int64_t last_done;	/* latest completion of any command */
};

/* What the mechanism would do next, worked out without doing it. */
struct plan {
	int qi;			/* queued command, or -1: idle write-back */
	struct disk_completion c;
	int64_t first_ns;	/* first sector starts: the SPTF key */
	struct hpos end;	/* head when the mechanism is free again */
	bool stopped;		/* the read-ahead stream was cut */
	uint64_t stop_hi;	/* ... having read up to here */
	int partial_seg;	/* a read's cached head is in this segment
				 * (DiskSim's partial hit), or -1 */
};

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static void pass_init(struct pass *ps, const struct hdd_geom *g,
		      const struct hpos *from, bool write, uint64_t lba,
		      uint64_t n)
{
	*ps = (struct pass){
		.g = g, .write = write, .first = true,
		.lba = lba, .left = n, .at = *from,
	};
}

/*
 * The next track of the access: position from where the head is, wait
 * for the first sector's angle, stream to the track end or the last
 * sector.
 */
static bool pass_next(struct pass *ps, struct piece *pc)
{
	const struct hdd_geom *g = ps->g;
	struct hdd_chs c;
	uint64_t dist;
	int64_t pos, ready;
	uint32_t spt;

	if (!ps->left)
		return false;
	hdd_locate(g, ps->lba, &c);
	spt = g->zone[c.zone].spt;
	pos = hdd_position_ns(g, ps->at.cyl, ps->at.head, &c, ps->write,
			      &dist);
	ready = ps->at.t + pos;
	pc->slot = hdd_slot(g, &c);
	pc->start = hdd_slot_time(g, ready, spt, pc->slot);
	pc->n = spt - c.sector;
	if (pc->n > ps->left)
		pc->n = ps->left;
	pc->end = hdd_run_end(g, pc->start, spt, pc->slot, pc->n);
	pc->cyl = c.cyl;
	pc->head = c.head;
	pc->spt = spt;
	if (ps->first) {
		ps->first = false;
		ps->seek_ns = pos;
		ps->rot_ns = pc->start - ready;
		ps->seek_cyls = dist;
	}
	ps->lba += pc->n;
	ps->left -= pc->n;
	ps->at = (struct hpos){ pc->end, c.cyl, c.head };
	return true;
}

static void access_run(const struct hdd_geom *g, const struct hpos *from,
		       bool write, uint64_t lba, uint64_t n,
		       struct access *a)
{
	struct pass ps;
	struct piece pc;

	pass_init(&ps, g, from, write, lba, n);
	a->end = from->t;
	a->first_end = from->t;
	if (pass_next(&ps, &pc))
		a->first_end = hdd_run_end(g, pc.start, pc.spt, pc.slot, 1);
	while (ps.left)
		pass_next(&ps, &pc);
	a->seek_ns = ps.seek_ns;
	a->rot_ns = ps.rot_ns;
	a->seek_cyls = ps.seek_cyls;
	a->end = ps.at.t;
	a->endpos = ps.at;
}

/* ---- the read-ahead stream ---- */

/* How far the stream has got at time t. */
struct walk {
	uint64_t full;		/* sectors of tracks finished by t */
	struct hpos at;		/* head after those tracks */
	uint64_t part;		/* sectors of the current track done by t */
	bool in_sector;		/* a sector is passing under the head at t */
	int64_t sector_end;	/* ... and ends then */
	uint32_t cyl, head;	/* ... on this track */
	bool finished;		/* the target was reached by t */
};

static void stream_walk(const struct hdd *h, int64_t t, struct walk *w)
{
	struct pass ps;
	struct piece pc;

	*w = (struct walk){ .at = h->st.anchor };
	pass_init(&ps, &h->g, &h->st.anchor, false, h->st.next,
		  h->st.target - h->st.next);
	for (;;) {
		if (!pass_next(&ps, &pc)) {
			w->finished = true;
			return;
		}
		if (pc.end > t)
			break;
		w->full += pc.n;
		w->at = ps.at;
	}
	if (t >= pc.start) {
		w->part = hdd_sectors_by(&h->g, pc.spt, t - pc.start);
		w->in_sector = true;
		w->sector_end = hdd_run_end(&h->g, pc.start, pc.spt, pc.slot,
					    w->part + 1);
		w->cyl = pc.cyl;
		w->head = pc.head;
	}
}

static uint64_t walk_hi(const struct hdd *h, const struct walk *w)
{
	return h->st.next + w->full + w->part;
}

static int64_t stream_end(const struct hdd *h)
{
	struct access a;

	access_run(&h->g, &h->st.anchor, false, h->st.next,
		   h->st.target - h->st.next, &a);
	return a.end;
}

/* Lowest sector still held by a segment whose newest sector is hi - 1. */
static uint64_t seg_lo(const struct hdd *h, const struct segment *s,
		       uint64_t hi)
{
	uint64_t size = h->base.p.segment_sectors;

	return hi > s->lo + size ? hi - size : s->lo;
}

/*
 * Move the stream's anchor past the tracks it has finished by now, so
 * later walks stay short; a finished stream leaves the head where it
 * stopped.
 */
static void stream_advance(struct hdd *h, int64_t now)
{
	struct walk w;

	if (!h->st.on)
		return;
	stream_walk(h, now, &w);
	if (w.finished) {
		struct segment *s = &h->seg[h->st.seg];

		s->hi = h->st.target;
		s->lo = seg_lo(h, s, s->hi);
		h->st.on = false;
		h->mech_free = w.at.t;
		h->cyl = w.at.cyl;
		h->head = w.at.head;
		return;
	}
	h->st.anchor = w.at;
	h->st.next += w.full;
}

/*
 * Where the mechanism can start a new access wanted at time t: after the
 * committed work, and, if the stream is reading ahead, after the sector
 * under the head (and any sector an almost hit waits for).
 */
static void mech_from(const struct hdd *h, int64_t t, struct hpos *from,
		      struct plan *pl)
{
	struct walk w;

	if (!h->st.on) {
		*from = (struct hpos){ max64(t, h->mech_free), h->cyl,
				       h->head };
		return;
	}
	t = max64(t, h->st.hold_t);
	stream_walk(h, t, &w);
	pl->stopped = true;
	pl->stop_hi = walk_hi(h, &w);
	if (w.in_sector) {
		*from = (struct hpos){ w.sector_end, w.cyl, w.head };
		pl->stop_hi++;
	} else {
		*from = (struct hpos){ max64(t, w.at.t), w.at.cyl,
				       w.at.head };
	}
}

/* ---- planning the mechanism's next step ---- */

/* Write back every dirty extent, in sector order, from `from`. */
static void plan_destage_all(const struct hdd *h, const struct hpos *from,
			     struct plan *pl)
{
	struct hpos at = *from;
	struct disk_completion *c = &pl->c;

	for (int i = 0; i < h->ndirty; i++) {
		struct access a;

		access_run(&h->g, &at, true, h->dirty[i].lo,
			   h->dirty[i].hi - h->dirty[i].lo, &a);
		c->seek_ns += a.seek_ns;
		c->rotation_ns += a.rot_ns;
		at = a.endpos;
	}
	pl->end = at;
	pl->first_ns = from->t;
	c->complete_ns = at.t;
	c->transfer_ns = at.t - from->t - c->seek_ns - c->rotation_ns;
}

/*
 * DiskSim 4.0's partial hit: the read's first sector is cached in a
 * segment whose read-ahead has stopped (or stops now, for this command),
 * and the read runs past the segment's end.  Returns the segment, with
 * *hi its end (where the media access starts), or -1.
 */
static int partial_hit(const struct hdd *h, const struct plan *pl,
		       uint64_t a, uint64_t b, uint64_t *hi)
{
	if (!h->base.p.cache)
		return -1;
	for (int i = 0; i < h->base.p.cache_segments; i++) {
		const struct segment *s = &h->seg[i];
		uint64_t shi = s->hi;

		if (h->st.on && h->st.seg == i)
			shi = pl->stop_hi;	/* mech_from cut it */
		if (!s->valid || a < seg_lo(h, s, shi) || a >= shi ||
		    b <= shi)
			continue;
		*hi = shi;
		return i;
	}
	return -1;
}

static void plan_cmd(const struct hdd *h, int qi, int64_t when,
		     struct plan *pl)
{
	const struct disk_params *p = &h->base.p;
	const struct qcmd *q = &h->q[qi];
	struct disk_completion *c = &pl->c;
	bool flush = q->cmd.op == DISK_FLUSH;
	int64_t oh = flush ? p->overhead_hit_ns : p->overhead_miss_ns;
	struct hpos from;
	struct access a;
	int64_t done;
	uint64_t lo = q->cmd.sector, end = q->cmd.sector + q->cmd.sectors;

	memset(pl, 0, sizeof(*pl));
	pl->qi = qi;
	pl->partial_seg = -1;
	c->cmd = q->cmd;
	c->submit_ns = q->submit;
	c->queue_depth = q->depth;
	c->overhead_ns = oh;
	/* the controller's overhead overlaps whatever the arm is doing */
	mech_from(h, max64(when, q->submit + oh), &from, pl);
	c->start_ns = from.t;
	if (flush) {
		/* and completes after everything submitted before it */
		plan_destage_all(h, &from, pl);
		c->complete_ns = max64(c->complete_ns, h->last_done);
		c->transfer_ns = c->complete_ns - from.t - c->seek_ns -
				 c->rotation_ns;
		return;
	}
	if (!q->cmd.sectors) {
		pl->end = from;
		pl->first_ns = from.t;
		c->complete_ns = max64(from.t, h->last_mech_done);
		c->transfer_ns = c->complete_ns - from.t;
		return;
	}
	if (q->cmd.op == DISK_READ)
		pl->partial_seg = partial_hit(h, pl, lo, end, &lo);
	access_run(&h->g, &from, q->cmd.op == DISK_WRITE, lo, end - lo, &a);
	c->seek_ns = a.seek_ns;
	c->rotation_ns = a.rot_ns;
	c->seek_cylinders = (int64_t)a.seek_cyls;
	done = a.end;
	if (q->cmd.op == DISK_READ) {
		/*
		 * Each sector crosses the bus once it is off the platter:
		 * when the bus keeps up, only the last one is still on it.
		 * A partial hit's cached sectors go first, from the end of
		 * the overhead on.
		 */
		int64_t bus = p->bus_ns_per_sector;

		done = max64(a.end + bus, a.first_end +
			     (int64_t)(end - lo) * bus);
		done = max64(done, q->submit + oh +
			     (int64_t)q->cmd.sectors * bus);
		c->cache_hit = pl->partial_seg >= 0 ? 2 : 0;
	}
	/* commands leave the mechanism in the order it served them */
	done = max64(done, h->last_mech_done);
	pl->first_ns = from.t + a.seek_ns + a.rot_ns;
	c->complete_ns = done;
	c->transfer_ns = done - pl->first_ns;
	pl->end = a.endpos;
}

/*
 * Pick the command the mechanism takes at time `when`: shortest
 * positioning time first (the earliest first sector, which counts seek
 * and rotation alike), ties to the oldest.  A flush is a barrier: only
 * commands queued before it compete, and it goes when it is the oldest.
 * With one command this is first come, first served.
 */
static void plan_choose(const struct hdd *h, int64_t when, struct plan *pl)
{
	int limit = h->nq;
	struct plan cand;

	for (int i = 0; i < h->nq; i++) {
		if (h->q[i].cmd.op == DISK_FLUSH) {
			limit = i ? i : 1;
			break;
		}
	}
	plan_cmd(h, 0, when, pl);
	for (int i = 1; i < limit; i++) {
		plan_cmd(h, i, when, &cand);
		if (cand.first_ns < pl->first_ns)
			*pl = cand;
	}
}

/* Idle: write back the lowest dirty extent. */
static void plan_idle_destage(const struct hdd *h, int64_t when,
			      struct plan *pl)
{
	struct hpos from;
	struct access a;

	memset(pl, 0, sizeof(*pl));
	pl->qi = -1;
	pl->partial_seg = -1;
	mech_from(h, when, &from, pl);
	access_run(&h->g, &from, true, h->dirty[0].lo,
		   h->dirty[0].hi - h->dirty[0].lo, &a);
	pl->end = a.endpos;
}

/* ---- committing a step ---- */

static int lru_victim(const struct hdd *h)
{
	int best = 0;

	for (int i = 0; i < h->base.p.cache_segments; i++) {
		if (!h->seg[i].valid)
			return i;
		if (h->seg[i].lru < h->seg[best].lru)
			best = i;
	}
	return best;
}

/* Where read-ahead after a read ending before sector b stops. */
static uint64_t ra_target(const struct hdd *h, uint64_t b)
{
	const struct disk_params *p = &h->base.p;
	struct hdd_chs c;
	uint64_t t;

	switch (p->readahead) {
	case DISK_RA_TRACK:
		hdd_locate(&h->g, b - 1, &c);
		return b - 1 - c.sector + h->g.zone[c.zone].spt;
	case DISK_RA_SECTORS:
		t = b + p->readahead_sectors;
		return t < h->g.capacity ? t : h->g.capacity;
	case DISK_RA_OFF:
		break;
	}
	return b;
}

/*
 * A read left sectors [a, b) in segment s (the least recently used one,
 * or, after a partial hit, the segment that held its first sectors,
 * which keeps its start); read ahead from there.
 */
static void cache_fill(struct hdd *h, int s, uint64_t a, uint64_t b,
		       const struct hpos *end)
{
	uint64_t target = ra_target(h, b);

	h->seg[s] = (struct segment){ .valid = true, .lo = a, .hi = b,
				      .lru = ++h->lru_clock };
	h->seg[s].lo = seg_lo(h, &h->seg[s], b);
	if (target > b)
		h->st = (struct stream){ .on = true, .seg = s, .anchor = *end,
					 .next = b, .target = target };
}

static void queue_remove(struct hdd *h, int i)
{
	h->nq--;
	memmove(&h->q[i], &h->q[i + 1], sizeof(h->q[0]) * (size_t)(h->nq - i));
}

static void commit(struct hdd *h, const struct plan *pl)
{
	if (pl->stopped) {
		struct segment *s = &h->seg[h->st.seg];

		s->hi = pl->stop_hi;
		s->lo = seg_lo(h, s, s->hi);
		h->st.on = false;
	}
	h->mech_free = pl->end.t;
	h->cyl = pl->end.cyl;
	h->head = pl->end.head;
	if (pl->qi < 0) {
		h->ndirty--;
		memmove(&h->dirty[0], &h->dirty[1],
			sizeof(h->dirty[0]) * (size_t)h->ndirty);
		return;
	}
	disk_done_push(&h->done, &pl->c, h->q[pl->qi].seq);
	h->last_mech_done = max64(h->last_mech_done, pl->c.complete_ns);
	h->last_done = max64(h->last_done, pl->c.complete_ns);
	if (pl->c.cmd.op == DISK_FLUSH)
		h->ndirty = 0;
	else if (pl->c.cmd.op == DISK_READ && h->base.p.cache &&
		 pl->c.cmd.sectors && pl->partial_seg >= 0)
		cache_fill(h, pl->partial_seg, h->seg[pl->partial_seg].lo,
			   pl->c.cmd.sector + pl->c.cmd.sectors, &pl->end);
	else if (pl->c.cmd.op == DISK_READ && h->base.p.cache &&
		 pl->c.cmd.sectors)
		cache_fill(h, lru_victim(h), pl->c.cmd.sector,
			   pl->c.cmd.sector + pl->c.cmd.sectors, &pl->end);
	queue_remove(h, pl->qi);
}

/* When the mechanism's next step falls due, or DISK_NEVER. */
static int64_t next_decision(const struct hdd *h)
{
	if (h->nq)
		return max64(h->mech_free, h->q[0].submit);
	if (h->ndirty && h->base.p.write_back)
		return max64(h->mech_free, h->st.on ? stream_end(h) : 0);
	return DISK_NEVER;
}

/*
 * Make every decision due before `now` (strict: commands submitted at
 * `now` may still join the choice) or at `now`.
 */
static void hdd_advance(struct hdd *h, int64_t now, bool strict)
{
	for (;;) {
		int64_t when = next_decision(h);
		struct plan pl;

		if (when == DISK_NEVER || when > now ||
		    (strict && when == now))
			return;
		if (h->nq)
			plan_choose(h, when, &pl);
		else
			plan_idle_destage(h, when, &pl);
		commit(h, &pl);
	}
}

/* ---- submission: hits, write-back, or the queue ---- */

static void complete_now(struct hdd *h, const struct disk_cmd *cmd,
			 int64_t now, int depth, int hit, int64_t done)
{
	struct disk_completion c = {
		.cmd = *cmd, .submit_ns = now, .start_ns = now,
		.overhead_ns = h->base.p.overhead_hit_ns,
		.complete_ns = done, .cache_hit = hit, .queue_depth = depth,
	};

	c.transfer_ns = done - now - c.overhead_ns;
	h->last_done = max64(h->last_done, done);
	disk_done_push(&h->done, &c, h->seq++);
}

/*
 * A read wholly in a segment completes at bus speed.  A read that starts
 * inside the stream's window, at most at the sector being read, rides
 * the stream: its last sector arrives when the stream reaches it.
 */
static bool try_read_hit(struct hdd *h, const struct disk_cmd *cmd,
			 int64_t now, int depth)
{
	const struct disk_params *p = &h->base.p;
	uint64_t a = cmd->sector, b = a + cmd->sectors;
	int64_t bus_done = now + p->overhead_hit_ns +
			   (int64_t)cmd->sectors * p->bus_ns_per_sector;
	struct walk w = { 0 };
	uint64_t shi = 0;
	struct access x;

	if (h->st.on) {
		stream_walk(h, now, &w);
		shi = walk_hi(h, &w);
	}
	for (int i = 0; i < p->cache_segments; i++) {
		struct segment *s = &h->seg[i];
		uint64_t hi = h->st.on && h->st.seg == i ? shi : s->hi;

		if (!s->valid || a < seg_lo(h, s, hi) || b > hi)
			continue;
		s->lru = ++h->lru_clock;
		complete_now(h, cmd, now, depth, 1, bus_done);
		return true;
	}
	if (!h->st.on || w.finished || h->nq ||
	    a < seg_lo(h, &h->seg[h->st.seg], shi) || a > shi)
		return false;
	/* almost hit */
	if (ra_target(h, b) > h->st.target)
		h->st.target = ra_target(h, b);
	access_run(&h->g, &h->st.anchor, false, h->st.next, b - h->st.next,
		   &x);
	h->st.hold_t = max64(h->st.hold_t, x.end);
	h->seg[h->st.seg].lru = ++h->lru_clock;
	complete_now(h, cmd, now, depth, 2,
		     max64(bus_done, x.end + p->bus_ns_per_sector));
	return true;
}

/* Cached data that a write makes stale is dropped. */
static void cache_invalidate(struct hdd *h, uint64_t a, uint64_t b)
{
	for (int i = 0; i < h->base.p.cache_segments; i++) {
		struct segment *s = &h->seg[i];
		bool streaming = h->st.on && h->st.seg == i;

		if (!s->valid || b <= s->lo || (!streaming && a >= s->hi))
			continue;
		if (a <= s->lo || streaming)
			s->lo = b > s->lo ? b : s->lo;
		else
			s->hi = a;
		if (!streaming && s->lo >= s->hi)
			s->valid = false;
	}
}

/*
 * A write into a one-segment cache takes the segment (DiskSim 4.0's
 * convention): the read-ahead stream stops now (after any sector an
 * almost hit still waits for), the read data is dropped, and the segment
 * holds the written sectors, if they fit.
 */
static void cache_take_for_write(struct hdd *h, uint64_t a, uint64_t b,
				 int64_t now)
{
	struct segment *s = &h->seg[0];

	if (h->st.on) {
		struct plan pl = { .partial_seg = -1 };
		struct hpos from;

		mech_from(h, now, &from, &pl);
		h->mech_free = from.t;
		h->cyl = from.cyl;
		h->head = from.head;
		h->st.on = false;
	}
	*s = (struct segment){ .valid = b - a <= h->base.p.segment_sectors,
			       .lo = a, .hi = b, .lru = ++h->lru_clock };
}

/*
 * Take a write into the write-back cache: merged into a dirty extent it
 * touches, if the result fits a segment, else into a free extent slot.
 */
static bool write_back_absorb(struct hdd *h, uint64_t a, uint64_t b)
{
	const struct disk_params *p = &h->base.p;
	int i;

	for (i = 0; i < h->ndirty; i++) {
		struct extent *e = &h->dirty[i];
		uint64_t lo = a < e->lo ? a : e->lo;
		uint64_t hi = b > e->hi ? b : e->hi;

		if (a > e->hi || b < e->lo)
			continue;
		if (hi - lo > p->segment_sectors)
			return false;
		e->lo = lo;
		e->hi = hi;
		/* the grown extent may now reach the next ones */
		while (i + 1 < h->ndirty && h->dirty[i + 1].lo <= e->hi) {
			if (h->dirty[i + 1].hi > e->hi)
				e->hi = h->dirty[i + 1].hi;
			h->ndirty--;
			memmove(&h->dirty[i + 1], &h->dirty[i + 2],
				sizeof(*e) * (size_t)(h->ndirty - i - 1));
		}
		return true;
	}
	if (h->ndirty >= p->cache_segments || b - a > p->segment_sectors)
		return false;
	for (i = h->ndirty; i > 0 && h->dirty[i - 1].lo > a; i--)
		h->dirty[i] = h->dirty[i - 1];
	h->dirty[i] = (struct extent){ a, b };
	h->ndirty++;
	return true;
}

static void hdd_submit(struct disk *d, const struct disk_cmd *cmd,
		       int64_t now)
{
	struct hdd *h = (struct hdd *)d;
	const struct disk_params *p = &d->p;
	int depth;

	g_assert(cmd->op == DISK_FLUSH ||
		 cmd->sector + cmd->sectors <= h->g.capacity);
	hdd_advance(h, now, true);
	stream_advance(h, now);
	depth = ++h->inside;
	if (p->cache && cmd->sectors && cmd->op == DISK_READ &&
	    try_read_hit(h, cmd, now, depth))
		return;
	if (p->cache && cmd->sectors && cmd->op == DISK_WRITE) {
		if (p->cache_segments == 1)
			cache_take_for_write(h, cmd->sector,
					     cmd->sector + cmd->sectors, now);
		else
			cache_invalidate(h, cmd->sector,
					 cmd->sector + cmd->sectors);
		if (p->write_back &&
		    write_back_absorb(h, cmd->sector,
				      cmd->sector + cmd->sectors)) {
			complete_now(h, cmd, now, depth, 1,
				     now + p->overhead_hit_ns +
				     (int64_t)cmd->sectors *
				     p->bus_ns_per_sector);
			return;
		}
	}
	h->q[h->nq++] = (struct qcmd){ .cmd = *cmd, .submit = now,
				       .seq = h->seq++, .depth = depth };
}

static int64_t hdd_next_completion(const struct disk *d)
{
	const struct hdd *h = (const struct hdd *)d;
	int64_t best = disk_done_next(&h->done);
	struct plan pl;

	if (h->nq) {
		plan_choose(h, next_decision(h), &pl);
		if (pl.c.complete_ns < best)
			best = pl.c.complete_ns;
	}
	return best;
}

static bool hdd_complete(struct disk *d, int64_t now,
			 struct disk_completion *out)
{
	struct hdd *h = (struct hdd *)d;

	hdd_advance(h, now, false);
	if (!disk_done_pop(&h->done, now, out))
		return false;
	h->inside--;
	return true;
}

static bool hdd_can_accept(const struct disk *d)
{
	return ((const struct hdd *)d)->inside < d->p.queue_depth;
}

static void hdd_free(struct disk *d)
{
	struct hdd *h = (struct hdd *)d;

	disk_done_fini(&h->done);
	g_free(h->q);
	disk_params_release(&d->p);
	g_free(h);
}

static const struct disk_ops hdd_ops = {
	.free = hdd_free,
	.can_accept = hdd_can_accept,
	.submit = hdd_submit,
	.next_completion = hdd_next_completion,
	.complete = hdd_complete,
};

struct disk *disk_hdd_new(const struct disk_params *p)
{
	struct hdd *h = g_new0(struct hdd, 1);

	h->base.ops = &hdd_ops;
	disk_params_assign(&h->base.p, p);
	hdd_geom_init(&h->g, &h->base.p);
	h->base.capacity = h->g.capacity;
	h->q = g_new(struct qcmd, p->queue_depth);
	disk_done_init(&h->done, p->queue_depth);
	return &h->base;
}

/* ---- helpers for tests and benchmarks ---- */

static const struct hdd_geom *geom_of(const struct disk *d)
{
	return d->p.kind == DISK_KIND_HDD ? &((const struct hdd *)d)->g :
	       NULL;
}

uint32_t disk_rpm(const struct disk *d)
{
	const struct hdd_geom *g = geom_of(d);

	return g ? g->rpm : 0;
}

void disk_set_phase(struct disk *d, int64_t phase_ns)
{
	if (d->p.kind == DISK_KIND_HDD)
		((struct hdd *)d)->g.phase_ns = phase_ns;
}

int64_t disk_seek_time_ns(const struct disk *d, uint64_t distance)
{
	const struct hdd_geom *g = geom_of(d);

	return g ? hdd_seek_ns(g, distance) : 0;
}

bool disk_lba_to_chs(const struct disk *d, uint64_t lba, uint32_t *cyl,
		     uint32_t *head, uint32_t *sector)
{
	const struct hdd_geom *g = geom_of(d);
	struct hdd_chs c;

	if (!g || lba >= g->capacity)
		return false;
	hdd_locate(g, lba, &c);
	*cyl = c.cyl;
	*head = c.head;
	*sector = c.sector;
	return true;
}
