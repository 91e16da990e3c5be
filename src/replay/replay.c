/*
 * replay.c - the replay driver: a trace's records issued as bios into a
 * world the run layer built (run.c, through the runner), in simulated
 * time.
 *
 * Open loop: each record is issued at its recorded time divided by
 * --speed, unshifted.  Closed loop: the first `depth` records are issued
 * at time 0; at each completion the next record is issued after a think
 * time: the previous record's think_ns when the trace gives one, else the
 * recorded gap between the previous record's completion and this one's
 * issue (0 when the trace has neither, or when the gap is negative).
 *
 * A record becomes one bio (origin "replay", no pages: one vector per
 * 4 KiB, larger vectors past 256 of them) submitted outside any task, so
 * nothing plugs it unless the block layer would; the block layer may
 * merge, split and reorder as for any bio.  The trace is read twice: once
 * at setup to check every record against the device (so a bad trace
 * fails before anything is simulated or written), once during the run,
 * one record ahead; memory holds only the requests in flight.
 */
#include "replay/replay.h"

#include <math.h>
#include <string.h>
#include "block/blkdev.h"
#include "disk/disk.h"
#include "run/run.h"
#include "scenario/scenario.h"
#include "sim/event.h"
#include "sim/sched.h"
#include "trace/trace.h"

/* largest request replayed: bi_size is 32 bits */
#define MAX_SECTORS (1u << 21)

struct slot {
	struct replay *r;
	struct slot *free_next;		/* on the free list */
	struct replay_rec rec;
	uint64_t bio_seq;
	int64_t dispatch_ns, complete_ns;	/* simulated */
};

struct replay {
	struct replay_options o;
	struct replay_source *src;
	struct block_device *bdev;
	bool closed;
	struct replay_rec next, prev;	/* the next to issue, the last issued */
	bool have_next;
	uint64_t issued, completed, records, with_service;
	GError *err;			/* a read error during the run */
	replay_done_fn done;
	void *done_arg;
	GHashTable *by_seq;		/* bio seq -> struct slot*, with done */
	struct slot *free_slots;	/* kept for reuse: one per request in
					 * flight at most */
	/* --plug: the submitting task, and the issues it has to make */
	struct wait_queue_head wq;
	unsigned due;
};

struct replay *replay_new(const struct replay_options *o)
{
	struct replay *r = g_new0(struct replay, 1);

	r->o = *o;
	if (!r->o.depth)
		r->o.depth = 1;
	if (!(r->o.speed > 0))
		r->o.speed = 1;
	return r;
}

void replay_set_done(struct replay *r, replay_done_fn fn, void *arg)
{
	r->done = fn;
	r->done_arg = arg;
}

uint64_t replay_issued(const struct replay *r)
{
	return r->issued;
}

uint64_t replay_completed(const struct replay *r)
{
	return r->completed;
}

uint64_t replay_records(const struct replay *r)
{
	return r->records;
}

uint64_t replay_recorded_services(const struct replay *r)
{
	return r->with_service;
}

void replay_free(struct replay *r)
{
	if (!r)
		return;
	replay_source_free(r->src);
	if (r->by_seq)
		g_hash_table_destroy(r->by_seq);
	while (r->free_slots) {
		struct slot *sl = r->free_slots;

		r->free_slots = sl->free_next;
		g_free(sl);
	}
	g_clear_error(&r->err);
	g_free(r);
}

static bool check_rec(struct replay *r, const struct replay_rec *rec,
		      const struct replay_rec *last, GError **err);

/* The next record, checked unless the whole trace was checked first. */
static void advance(struct replay *r)
{
	struct replay_rec last = r->next;

	if (r->err) {
		r->have_next = false;
		return;
	}
	r->have_next = replay_source_next(r->src, &r->next, &r->err);
	if (r->have_next && !r->o.precheck &&
	    !check_rec(r, &r->next, r->issued ? &last : NULL, &r->err))
		r->have_next = false;
}

/* Open loop: the recorded time, scaled. */
static int64_t open_time(const struct replay *r, const struct replay_rec *rec)
{
	if (r->o.speed == 1)
		return rec->time_ns;
	return (int64_t)llround((double)rec->time_ns / r->o.speed);
}

/* Closed loop: the think time between prev's completion and next. */
static int64_t think_time(const struct replay_rec *prev,
			  const struct replay_rec *next)
{
	if (prev->think_ns >= 0)
		return prev->think_ns;
	if (next->time_ns >= 0 && prev->complete_ns >= 0 &&
	    next->time_ns > prev->complete_ns)
		return next->time_ns - prev->complete_ns;
	return 0;
}

static void issue_event(void *arg);

static void replay_end_io(struct bio *bio)
{
	struct slot *sl = bio->bi_private;
	struct replay *r = sl->r;

	r->completed++;
	if (r->done) {
		if (sl->complete_ns < 0)
			sl->complete_ns = ev_now();
		r->done(r->done_arg, &sl->rec, sl->dispatch_ns,
			sl->complete_ns);
		g_hash_table_remove(r->by_seq, &sl->bio_seq);
	}
	sl->free_next = r->free_slots;
	r->free_slots = sl;
	bio_put(bio);
	if (r->closed && r->have_next)
		ev_at(ev_now() + think_time(&r->prev, &r->next), issue_event,
		      r);
}

static void submit_rec(struct replay *r, const struct replay_rec *rec)
{
	uint64_t bytes = (uint64_t)rec->sectors << 9;
	uint64_t pages = (bytes + 4095) / 4096;
	uint64_t per = (pages + BIO_MAX_PAGES - 1) / BIO_MAX_PAGES;
	unsigned vec = (unsigned)(per * 4096);
	struct slot *sl = r->free_slots;
	struct bio *bio = bio_alloc(GFP_NOIO,
				    (unsigned)((bytes + vec - 1) / vec));

	if (sl)
		r->free_slots = sl->free_next;
	else
		sl = g_new(struct slot, 1);
	sl->r = r;
	sl->rec = *rec;
	sl->dispatch_ns = sl->complete_ns = -1;
	for (uint64_t left = bytes; left; ) {
		unsigned len = left < vec ? (unsigned)left : vec;

		bio_add_page(bio, NULL, len, 0);
		left -= len;
	}
	bio->bi_bdev = r->bdev;
	bio->bi_iter.bi_sector = rec->sector;
	bio_set_op_attrs(bio, rec->op, rec->flags);
	bio->origin = BIO_ORIGIN_REPLAY;
	bio->bi_end_io = replay_end_io;
	bio->bi_private = sl;
	r->issued++;
	submit_bio(bio);
	/* the bio is in flight: its completion is an event to come */
	sl->bio_seq = bio->seq;
	if (r->by_seq)
		g_hash_table_insert(r->by_seq, &sl->bio_seq, sl);
}

/* Issue the next record; open loop, schedule the one after. */
static void issue_one(struct replay *r)
{
	r->prev = r->next;
	submit_rec(r, &r->prev);
	advance(r);
	if (!r->closed && r->have_next && (!r->o.plug ||
	    open_time(r, &r->next) > ev_now()))
		ev_at(open_time(r, &r->next), issue_event, r);
}

static void issue_event(void *arg)
{
	struct replay *r = arg;

	if (!r->have_next)
		return;
	if (r->o.plug) {	/* the task issues it */
		r->due++;
		wake_up_all(&r->wq);
		return;
	}
	issue_one(r);
}

/*
 * --plug: the task that submits, holding a plug around everything due at
 * one time (open loop: every record of that time; closed loop: one per
 * completion of that time), as a task that queues several bios before it
 * sleeps (blk_start_plug / blk_finish_plug).
 */
static void replay_task(void *arg)
{
	struct replay *r = arg;

	while (r->have_next) {
		struct blk_plug plug;

		while (!r->due)
			sched_wait(&r->wq);
		blk_start_plug(&plug);
		for (; r->due && r->have_next; r->due--) {
			issue_one(r);
			/* open loop: the records of this same time too */
			while (!r->closed && r->have_next &&
			       open_time(r, &r->next) == ev_now())
				issue_one(r);
		}
		r->due = 0;
		blk_finish_plug(&plug);
	}
}

/* The request listener of validate: the simulated times of each bio. */
static void on_trace(void *ctx, const struct trace_event *ev)
{
	struct replay *r = ctx;

	if (ev->kind != TRACE_REQUEST || strcmp(ev->action, "complete"))
		return;
	for (uint32_t i = 0; i < ev->rq.nbios; i++) {
		uint64_t seq = ev->rq.bios[i];
		struct slot *sl = g_hash_table_lookup(r->by_seq, &seq);

		if (sl) {
			sl->dispatch_ns = ev->rq.dispatch_ns;
			sl->complete_ns = ev->rq.complete_ns;
		}
	}
}

void replay_listener(struct replay *r, struct trace_listener *l)
{
	if (!r->by_seq)
		r->by_seq = g_hash_table_new(g_int64_hash, g_int64_equal);
	l->event = on_trace;
	l->ctx = r;
}

static bool rec_fail(struct replay *r, const struct replay_rec *rec,
		     GError **err, const char *what)
{
	g_set_error(err, REPLAY_ERROR, 0, "%s: %s %" G_GUINT64_FORMAT ": %s",
		    r->o.trace, replay_source_where(r->src), rec->where, what);
	return false;
}

/*
 * A record fits the device and, open loop, has a time not before the
 * record above it (last, NULL for the first).  The mode is settled by the
 * first record: open when it has a time.
 */
static bool check_rec(struct replay *r, const struct replay_rec *rec,
		      const struct replay_rec *last, GError **err)
{
	const uint64_t capacity = r->bdev->bd_nr_sectors;

	if (!last && r->o.mode == REPLAY_MODE_DEFAULT)
		r->o.mode = rec->time_ns >= 0 ? REPLAY_MODE_OPEN :
			    REPLAY_MODE_CLOSED;
	if (rec->sectors > MAX_SECTORS)
		return rec_fail(r, rec, err, "a request larger than 1 GiB");
	if (rec->sector > capacity || rec->sectors > capacity - rec->sector) {
		char *m = g_strdup_printf("sectors %" G_GUINT64_FORMAT "-%"
			G_GUINT64_FORMAT " lie beyond the disk's end (%"
			G_GUINT64_FORMAT " sectors)", rec->sector,
			rec->sector + rec->sectors - 1, capacity);

		rec_fail(r, rec, err, m);
		g_free(m);
		return false;
	}
	if (r->o.mode == REPLAY_MODE_OPEN && rec->time_ns < 0)
		return rec_fail(r, rec, err, "no issue time: replay it with "
				"--mode closed");
	if (r->o.mode == REPLAY_MODE_OPEN && last &&
	    rec->time_ns < last->time_ns)
		return rec_fail(r, rec, err, "issued before the request above "
				"it: open-loop replay needs ascending times");
	return true;
}

/* Open the trace (again), with its latency log when there is one. */
static bool open_source(struct replay *r, GError **err)
{
	replay_source_free(r->src);
	r->src = replay_source_open(r->o.trace, r->o.format, r->o.at_dispatch,
				    err);
	return r->src && (!r->o.latencies ||
			  replay_source_set_latencies(r->src, r->o.latencies,
						      err));
}

/* Read and check the whole trace once, counting its records. */
static bool check_trace(struct replay *r, GError **err)
{
	struct replay_rec rec, last;
	GError *e = NULL;

	r->records = r->with_service = 0;
	while (replay_source_next(r->src, &rec, &e)) {
		if (!check_rec(r, &rec, r->records ? &last : NULL, err))
			return false;
		r->records++;
		r->with_service += rec.service_ns >= 0;
		last = rec;
	}
	if (e) {
		g_propagate_error(err, e);
		return false;
	}
	return true;
}

/* Add one effective option, keeping the list sorted by key. */
static void add_option(struct scenario *s, const char *key, char *value)
{
	guint i = 0;

	while (i < s->option_keys->len &&
	       strcmp(s->option_keys->pdata[i], key) < 0)
		i++;
	g_ptr_array_insert(s->option_keys, (gint)i, g_strdup(key));
	g_ptr_array_insert(s->option_values, (gint)i, value);
}

static void note_options(struct replay *r, struct scenario *s)
{
	const char *fmt = replay_source_format(r->src);
	const bool closed = r->o.mode == REPLAY_MODE_CLOSED;

	add_option(s, "replay.at", g_strdup(r->o.at_dispatch ? "dispatch" :
					    "queue"));
	add_option(s, "replay.depth", closed ? g_strdup_printf("%u",
		   r->o.depth) : g_strdup("-"));
	add_option(s, "replay.format", g_strdup(fmt));
	if (r->o.latencies)
		add_option(s, "replay.latencies", g_strdup(r->o.latencies));
	add_option(s, "replay.mode", g_strdup(closed ? "closed" : "open"));
	add_option(s, "replay.plug", g_strdup(r->o.plug ? "on" : "off"));
	add_option(s, "replay.speed", closed ? g_strdup("-") :
		   g_strdup_printf("%g", r->o.speed));
	add_option(s, "replay.trace", g_strdup(r->o.trace));
	g_free(s->description);
	s->description = g_strdup_printf("replay of %s (%s, %s loop)",
					  r->o.trace, fmt,
					  closed ? "closed" : "open");
}

bool replay_setup(void *ctx, struct world *w, struct scenario *s,
		  GError **err)
{
	struct replay *r = ctx;

	r->bdev = world_bdev(w);
	if (!open_source(r, err))
		return false;
	/* with precheck: again from the start, for the run */
	if (r->o.precheck && (!check_trace(r, err) || !open_source(r, err)))
		return false;
	advance(r);
	if (r->err) {
		g_propagate_error(err, r->err);
		r->err = NULL;
		return false;
	}
	if (r->o.mode == REPLAY_MODE_DEFAULT)	/* an empty trace */
		r->o.mode = REPLAY_MODE_CLOSED;
	note_options(r, s);
	r->closed = r->o.mode == REPLAY_MODE_CLOSED;
	if (!r->have_next)
		return true;
	if (r->o.plug)
		task_create("replay", 0, replay_task, r);
	if (r->closed) {
		for (unsigned i = 0; i < r->o.depth; i++)
			ev_at(0, issue_event, r);
	} else {
		ev_at(open_time(r, &r->next), issue_event, r);
	}
	return true;
}

bool replay_finish(void *ctx, GError **err)
{
	struct replay *r = ctx;

	if (r->err) {
		g_propagate_error(err, r->err);
		r->err = NULL;
		return false;
	}
	return true;
}
