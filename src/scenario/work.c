/*
 * work.c - what a scenario may cost to run, estimated before it runs.
 *
 * Every op is bounded on its own (pages per op, calls per op), but a
 * scenario may hold many ops and tasks; their sum is estimated here, once
 * everything is loaded, and a scenario whose estimate passes its limit
 * is refused, naming [scenario] max_work, which raises the limit.  The
 * estimate is an upper bound in work units, each worth about a
 * microsecond of host time or less on the slowest path (measured with
 * bench/run and docs/robustness.md):
 *
 *   a page a call touches, a page looked up, a sleep     1
 *   a page that may be read or written: the page, plus
 *   WORK_PER_BLOCK for each of its blocks (a bio and a
 *   request each on the buffer-head path)                1 + 8 * blocks
 *   a task, an op                                        1
 *   drop_caches: every file, and every page of each      files + pages
 *
 * The same pass bounds each task's simulated time: its start, its sleeps
 * and its copy cost together must stay below SCENARIO_MAX_TIME_NS, so
 * that no sum of times a task asks for can overflow; the time the disk
 * adds is bounded per request by the disk's parameters and checked as the
 * run goes (src/sim/event.c).
 */
#include "scenario/loader.h"

#include <string.h>

#define WORK_PER_BLOCK 8

/* Saturating sums and products: an estimate never wraps. */
static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t mul_sat(uint64_t a, uint64_t b)
{
	return b && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

/* Pages of the file, a partial last page included. */
static uint64_t file_pages(const struct scen_file *f)
{
	return ((uint64_t)f->size + PAGE_SIZE - 1) / PAGE_SIZE;
}

/* The most pages `bytes` bytes can touch, at any offset: at least one. */
static uint64_t pages_spanned(uint64_t bytes)
{
	if (!bytes)
		return 1;
	return (bytes + PAGE_SIZE - 2) / PAGE_SIZE + 1;
}

struct estimate {
	const struct scenario *s;
	uint64_t io_page;	/* units of a page that may do I/O */
	uint64_t all_pages;	/* pages of every file together */
	uint64_t *reach;	/* per file: its size, or past it by writes */
};

/* read(2) calls: `calls` calls of `req` bytes over at most `span` bytes. */
static uint64_t read_calls(const struct estimate *E,
			   const struct scen_file *f, uint64_t calls,
			   uint64_t req, uint64_t span, uint64_t *pages)
{
	uint64_t touched = mul_sat(calls, pages_spanned(req));
	uint64_t io = add_sat(pages_spanned(span), E->s->ra_pages);

	*pages = touched;
	io = MIN(MIN(io, touched + E->s->ra_pages), file_pages(f) + 1);
	return add_sat(touched, mul_sat(io, E->io_page));
}

/* Units of one op; *copied: pages it may copy to user space. */
static uint64_t op_work(const struct estimate *E, int file,
			const struct scen_op *op, uint64_t *copied)
{
	const struct scen_file *f = E->s->files->pdata[file];
	uint64_t end, span, reach = E->reach[file];

	*copied = 0;
	switch (op->type) {
	case OP_READPAGES:
		return mul_sat(op->b - op->a + 1, E->io_page);
	case OP_READPAGE:
	case OP_MPAGE_READPAGE:
	case OP_MPAGE_WRITEPAGE:
		return E->io_page;
	case OP_WAIT:
		return op->b - op->a + 1;
	case OP_SLEEP:
	case OP_WRITEBACK:
	case OP_FSYNC:
	case OP_MPAGE_WRITEPAGES:	/* dirty pages: counted where dirtied */
		return 1;
	case OP_WRITE:
		return mul_sat(pages_spanned(op->b), E->io_page);
	case OP_READ:
		end = reach > op->a ? reach - op->a : 0;
		span = MIN(op->b, end);
		return read_calls(E, f, span / op->c + 2, op->c, span, copied);
	case OP_RANDREAD:
		return read_calls(E, f, op->a, op->c, mul_sat(op->a, op->c),
				  copied);
	case OP_STRIDED:
		return read_calls(E, f, op->d, op->c, mul_sat(op->d, op->c),
				  copied);
	case OP_DROP_CACHES:	/* every file, every cached page */
		return add_sat(1 + E->s->files->len, E->all_pages);
	}
	return 1;
}

/* Fail naming the task's key that takes its time past the limit. */
static bool time_error(struct loader *L, GError **err,
		       const struct scen_task *t, const char *key)
{
	char *group = g_strconcat("task.", t->name, NULL);

	fail(L, err, group, key, "the task's start, sleeps and copy cost "
	     "add up to more than %" G_GINT64_FORMAT " ns (%" G_GINT64_FORMAT
	     " years) of simulated time", (gint64)SCENARIO_MAX_TIME_NS,
	     (gint64)(SCENARIO_MAX_TIME_NS / 31557600000000000ll));
	g_free(group);
	return false;
}

/* One task: its work into *work, its time checked. */
static bool task_work(struct loader *L, GError **err,
		      const struct estimate *E, const struct scen_task *t,
		      uint64_t *work)
{
	uint64_t time = (uint64_t)t->start_ns, w = 1;

	for (guint i = 0; i < t->ops->len; i++) {
		const struct scen_op *op = &g_array_index(t->ops,
						struct scen_op, i);
		uint64_t copied;

		w = add_sat(w, add_sat(1, op_work(E, t->file, op, &copied)));
		if (op->type == OP_SLEEP)
			time = add_sat(time, op->a);
		time = add_sat(time, mul_sat(copied, (uint64_t)t->copy_ns));
		if (time > SCENARIO_MAX_TIME_NS)
			return time_error(L, err, t, op->type == OP_SLEEP ?
					  "ops" : t->copy_ns ? "copy_cost" :
					  "ops");
	}
	*work = add_sat(*work, w);
	return true;
}

bool check_work(struct loader *L, GError **err)
{
	const struct scenario *s = L->s;
	struct estimate E = {
		.s = s,
		.io_page = 1 + WORK_PER_BLOCK * (PAGE_SIZE / s->block_size),
	};
	uint64_t work = 0;
	bool ok = true;

	E.reach = g_new0(uint64_t, s->files->len);
	for (guint i = 0; i < s->files->len; i++) {
		const struct scen_file *f = s->files->pdata[i];

		E.reach[i] = (uint64_t)f->size;
		E.all_pages = add_sat(E.all_pages, file_pages(f));
		work = add_sat(work, add_sat(1, f->cached->len));
	}
	/* writes may make a file longer, and reads go as far */
	for (guint i = 0; i < s->tasks->len; i++) {
		const struct scen_task *t = s->tasks->pdata[i];

		for (guint j = 0; j < t->ops->len; j++) {
			const struct scen_op *op = &g_array_index(t->ops,
							struct scen_op, j);

			if (op->type == OP_WRITE)
				E.reach[t->file] = MAX(E.reach[t->file],
						       add_sat(op->a, op->b));
		}
	}
	work = add_sat(work, mul_sat(s->pages->len, E.io_page));
	for (guint i = 0; i < s->tasks->len && ok; i++)
		ok = task_work(L, err, &E, s->tasks->pdata[i], &work);
	g_free(E.reach);
	if (!ok)
		return false;
	L->s->work = work;
	if (work > s->max_work)
		return fail(L, err, "scenario", "max_work", "the scenario's "
			    "work is estimated at %" G_GUINT64_FORMAT " units "
			    "(pages, blocks and calls its ops may cause), more "
			    "than the limit of %" G_GUINT64_FORMAT "; set "
			    "[scenario] max_work = %" G_GUINT64_FORMAT " (or "
			    "--set scenario.max_work=%" G_GUINT64_FORMAT ") "
			    "to run it anyway", work, s->max_work, work, work);
	return true;
}
