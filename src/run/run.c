/*
 * run.c - assembling the simulated world and running it.
 *
 * Order of construction follows the data's way: the disk model, the block
 * device and its queue, the filesystem with each file's block map (built
 * and checked by placement.c), the page cache's starting state, then the
 * tasks.
 */
#include "run/run.h"
#include "run/placement.h"

#include <string.h>
#include "block/blkdev.h"
#include "disk/disk.h"
#include "fs/block_dev.h"
#include "fs/buffer.h"
#include "fs/ext2/ext2.h"
#include "fs/fs-writeback.h"
#include "mm/page-writeback.h"
#include "fs/extfs/extfs.h"
#include "mm/vmscan.h"
#include "sim/jiffies.h"
#include "sim/sched.h"
#include "task/task.h"

struct world {
	const struct scenario *s;
	struct disk *disk;
	struct block_device *bdev;
	struct super_block *sb;
	GPtrArray *inodes;		/* struct inode*, as s->files */
	struct workload *workloads;	/* one per task */
	int64_t phase_ns;		/* the platter's phase offset */
};

/* Pages and buffers the scenario says are in the cache at time 0. */
static bool build_page_cache(struct world *w, GError **err)
{
	const struct scenario *s = w->s;

	for (guint i = 0; i < s->files->len; i++) {
		const struct scen_file *f = s->files->pdata[i];
		struct inode *inode = w->inodes->pdata[i];

		for (guint j = 0; j < f->cached->len; j++) {
			pgoff_t index = g_array_index(f->cached, guint64, j);
			struct page *page = page_alloc(index);

			add_to_page_cache_lru(page, inode->i_mapping, index, 0);
			SetPageUptodate(page);
			ClearPageLocked(page);
			put_page(page);
		}
		inode->cleancache_pages = (const pgoff_t *)f->cleancache->data;
		inode->nr_cleancache_pages = f->cleancache->len;
		if (!s->extent_fs)
			ext2_set_test_faults(inode, f->test_uptodate,
					     f->test_eio);
		if (!s->extent_fs)
			ext2_set_test_enospc(inode, f->test_enospc);
	}
	for (guint i = 0; i < s->pages->len; i++) {
		const struct scen_page *sp = &g_array_index(s->pages,
						struct scen_page, i);
		const struct scen_file *f = s->files->pdata[sp->file];
		struct inode *inode = w->inodes->pdata[sp->file];
		struct page *page = find_get_page(inode->i_mapping, sp->index);
		char *group = g_strdup_printf("page.%s.%" G_GUINT64_FORMAT,
					      f->name, (guint64)sp->index);

		if (page) {
			char *where = scenario_where(s, group, NULL);

			g_set_error(err, SCENARIO_ERROR, 0, "%s: [%s]: the page "
				    "is also listed in [file.%s] cached",
				    where, group, f->name);
			g_free(where);
			g_free(group);
			put_page(page);
			return false;
		}
		page = page_alloc(sp->index);
		add_to_page_cache_lru(page, inode->i_mapping, sp->index, 0);
		page->flags |= sp->flags;
		ClearPageLocked(page);
		if (sp->has_buffers) {
			struct buffer_head *bh;
			sector_t iblock = (sector_t)sp->index <<
					  (PAGE_SHIFT - inode->i_blkbits);

			create_empty_buffers(page, s->block_size, 0);
			bh = page_buffers(page);
			for (unsigned b = 0; b < sp->nr_buffers;
			     b++, bh = bh->b_this_page, iblock++) {
				const struct scen_buffer *sb = &sp->buffers[b];

				bh->b_state = sb->state;
				if (!buffer_mapped(bh))
					continue;
				bh->b_bdev = w->bdev;
				if (sb->blocknr >= 0) {
					bh->b_blocknr = (sector_t)sb->blocknr;
				} else {
					struct buffer_head tmp = {
						.b_size = s->block_size,
					};

					/* the file's own map, without I/O */
					if ((s->extent_fs ?
					     extfs_lookup_block_nocache :
					     ext2_lookup_block_nocache)(inode,
							iblock, &tmp)) {
						bh->b_blocknr = tmp.b_blocknr;
						continue;
					}
					char *where = scenario_where(s, group,
								     "buffers");

					g_set_error(err, SCENARIO_ERROR, 0,
						    "%s: [%s] buffers: buffer %u "
						    "is mapped but file block %"
						    G_GUINT64_FORMAT " is a hole;"
						    " give it a block (@N)",
						    where, group, b,
						    (guint64)iblock);
					g_free(where);
					g_free(group);
					put_page(page);
					return false;
				}
			}
		}
		g_free(group);
		put_page(page);
	}
	return true;
}

/*
 * Dirty pages of the starting page cache count as dirtied at time 0, so
 * that the flusher finds them (after the workload tasks, whose ids stay
 * 1, 2, ...).
 */
static void account_initial_dirty(struct world *w)
{
	const struct scenario *s = w->s;

	for (guint i = 0; i < s->pages->len; i++) {
		const struct scen_page *sp = &g_array_index(s->pages,
						struct scen_page, i);
		struct inode *inode = w->inodes->pdata[sp->file];
		struct page *page;

		if (!(sp->flags & (1UL << PG_dirty)))
			continue;
		page = find_get_page(inode->i_mapping, sp->index);
		if (page) {
			account_page_dirtied(page);
			put_page(page);
		}
	}
}

struct world *world_build(const struct scenario *s, GError **err)
{
	struct world *w = g_new0(struct world, 1);
	struct ext2_options fopt = {
		.blocksize = s->block_size, .boundary = s->boundary,
	};
	struct wb_options wbo = {
		.dirty_expire_centisecs = s->dirty_expire_centisecs,
		.dirty_writeback_centisecs = s->dirty_writeback_centisecs,
		.dirty = {
			.dirty_ratio = s->dirty_ratio,
			.dirty_background_ratio = s->dirty_background_ratio,
			.dirty_background_pages = s->dirty_background_pages,
			.memory_pages = s->dirty_memory >> PAGE_SHIFT,
		},
	};
	bool ok;

	w->s = s;
	ev_init();
	jiffies_init(s->hz);
	sched_init();
	wb_init(&wbo);
	bio_reset();
	bio_set_alloc_faults(s->blk.fail_bio_alloc, s->blk.nr_fail_bio_alloc);
	page_cache_reset(s->cache_capacity);
	w->disk = disk_new(s->disk);
	w->phase_ns = scenario_phase_ns(s, s->seed, disk_rpm(w->disk));
	disk_set_phase(w->disk, w->phase_ns);
	w->bdev = blk_device_new(w->disk, &s->blk);
	w->sb = s->extent_fs ? extfs_fill_super(w->bdev, s->block_size)
			     : ext2_fill_super(w->bdev, &fopt);
	if (!s->extent_fs)
		ext2_set_nobh(w->sb, s->nobh);
	w->inodes = g_ptr_array_new();
	for (guint i = 0; i < s->files->len; i++) {
		const struct scen_file *f = s->files->pdata[i];

		/* extent inodes are made by place_files() */
		g_ptr_array_add(w->inodes, s->extent_fs ? NULL :
				ext2_new_inode(w->sb, i + 1, f->name, f->size));
	}
	ok = place_files(s, w->sb, w->inodes, err);
	for (guint i = 0; ok && i < s->cached_blocks->len; i++) {
		uint64_t b = g_array_index(s->cached_blocks, guint64, i);

		if (b >= scenario_disk_blocks(s)) {
			char *where = scenario_where(s, "fs", "cached_blocks");

			g_set_error(err, SCENARIO_ERROR, 0, "%s: [fs] "
				    "cached_blocks: block %" G_GUINT64_FORMAT
				    " is beyond the disk", where, b);
			g_free(where);
			ok = false;
		} else {
			buffer_cache_preload(w->bdev, b, s->block_size);
		}
	}
	if (ok)
		ok = build_page_cache(w, err);
	if (!ok) {
		world_free(w);
		return NULL;
	}
	w->workloads = g_new0(struct workload, s->tasks->len);
	for (guint i = 0; i < s->tasks->len; i++) {
		const struct scen_task *t = s->tasks->pdata[i];

		w->workloads[i].spec = t;
		w->workloads[i].inode = w->inodes->pdata[t->file];
		file_ra_state_init(&w->workloads[i].ra, s->ra_pages);
		w->workloads[i].all_inodes = (struct inode *const *)
					     w->inodes->pdata;
		w->workloads[i].nr_inodes = w->inodes->len;
		w->workloads[i].bdev = w->bdev;
		w->workloads[i].seed = s->seed;
		w->workloads[i].task = task_create(t->name, t->start_ns,
						   workload_main,
						   &w->workloads[i]);
		w->workloads[i].task->ioprio = t->ioprio;	/* ionice */
	}
	if (!s->extent_fs)
		account_initial_dirty(w);
	return w;
}

/*
 * Events a run may fire: a generous multiple of the work its scenario may
 * cause (src/scenario/work.c), so that no model's loop of events, such as
 * a timer that keeps re-arming, can run without end.  A run without tasks
 * (a replay: its trace drives the device) has no such limit.
 */
#define EVENTS_PER_WORK 4
#define EVENTS_BASE (1ull << 20)

static uint64_t max_events(const struct scenario *s)
{
	if (!s->tasks->len ||
	    s->max_work > (UINT64_MAX - EVENTS_BASE) / EVENTS_PER_WORK)
		return 0;
	return s->max_work * EVENTS_PER_WORK + EVENTS_BASE;
}

bool world_run(struct world *w, const volatile bool *stop,
	       struct run_result *res, GError **err)
{
	struct blk_stats st;
	simtime_t first_start;

	memset(res, 0, sizeof(*res));
	ev_set_max_events(max_events(w->s));
	res->events = ev_run(SIMTIME_NEVER, stop);
	blk_get_stats(w->bdev, &st);
	res->end_ns = st.last_complete_ns;
	first_start = SIMTIME_NEVER;
	for (guint i = 0; i < w->s->tasks->len; i++) {
		const struct task *t = w->workloads[i].task;

		if (t->end_ns > res->end_ns)
			res->end_ns = t->end_ns;
		if (t->start_ns < first_start)
			first_start = t->start_ns;
	}
	res->elapsed_ns = res->end_ns > first_start ?
			  res->end_ns - first_start : 0;
	res->bios = st.bios;
	res->requests = st.requests;
	res->completed = st.completed;
	res->unfinished_tasks = sched_unfinished();
	if (ev_stopped() == EV_STOP_FLAG)
		return true;
	if (ev_stopped() == EV_STOP_TIME) {
		g_set_error(err, SCENARIO_ERROR, 1, "%s: the run stopped at %"
			    G_GINT64_FORMAT " ns: it asked for an event past "
			    "the simulated time limit of %" G_GINT64_FORMAT
			    " ns (sleeps, start times and device latencies "
			    "add up past it)", w->s->path, (gint64)ev_now(),
			    (gint64)EV_TIME_LIMIT);
		return false;
	}
	if (ev_stopped() == EV_STOP_EVENTS) {
		g_set_error(err, SCENARIO_ERROR, 1, "%s: the run stopped after %"
			    G_GUINT64_FORMAT " events, more than its [scenario] "
			    "max_work (%" G_GUINT64_FORMAT ") allows; raise "
			    "max_work to run it further", w->s->path,
			    res->events, w->s->max_work);
		return false;
	}
	if (res->unfinished_tasks) {
		int n;
		struct task *const *tasks = sched_tasks(&n);

		for (int i = 0; i < n; i++)
			if (!tasks[i]->finished) {
				g_set_error(err, SCENARIO_ERROR, 1,
					    "%s: task %s never woke up again "
					    "(it waits for something no one "
					    "will do)", w->s->path,
					    tasks[i]->name);
				break;
			}
		return false;
	}
	return true;
}

struct block_device *world_bdev(const struct world *w)
{
	return w->bdev;
}

void world_free(struct world *w)
{
	if (!w)
		return;
	wb_destroy();
	sched_destroy();
	bdev_writeback_destroy();
	if (w->inodes) {
		for (guint i = 0; i < w->inodes->len; i++)
			(w->s->extent_fs ? extfs_free_inode : ext2_free_inode)
				(w->inodes->pdata[i]);
		g_ptr_array_free(w->inodes, TRUE);
	}
	if (w->bdev)
		buffer_cache_destroy(w->bdev);
	if (w->s->extent_fs)
		extfs_put_super(w->sb);
	else
		ext2_put_super(w->sb);
	blk_device_free(w->bdev);
	disk_free(w->disk);
	g_free(w->workloads);
	ev_destroy();
	bio_reset();
	g_free(w);
}

void world_foreach_mapping(struct world *w, unsigned file, fmap_fn fn,
			   void *arg)
{
	struct inode *inode = w->inodes->pdata[file];

	if (w->s->extent_fs)
		extfs_foreach_mapping(inode, fn, arg);
	else
		ext2_foreach_mapping(inode, fn, arg);
}

double world_progress(const struct world *w)
{
	double done = 0, total = 0;

	for (guint i = 0; i < w->s->tasks->len; i++) {
		done += (double)w->workloads[i].units_done;
		total += (double)workload_units(w->s->tasks->pdata[i]);
	}
	return total > 0 ? done / total : 0;
}

bool world_has_tasks(const struct world *w)
{
	return w->s->tasks->len > 0;
}

int64_t world_phase_ns(const struct world *w)
{
	return w->phase_ns;
}
