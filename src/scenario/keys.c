/*
 * keys.c - the catalogue of scenario keys: every group and key a scenario
 * may hold, its type, the unit of a bare number, its default and one line
 * of meaning.
 *
 * The loader checks keys against this table (check_keys() in values.c),
 * so a key it accepts is a key `mpsim keys` lists.  Three groups are
 * checked by the module that owns their values instead: [disk]
 * (src/disk/params.c), [block] and [fault] (src/block); their rows here
 * say what the keys mean, and tests/test-keys.c checks that the rows and
 * the modules' own key lists are the same sets.
 */
#include "scenario/keys.h"

#include <string.h>
#include "include/parse.h"

/* The unit "ns" is left implicit below; D(...) marks a duration key. */
#define D "duration"

static const struct scen_key catalogue[] = {
	/* [scenario] */
	{ "scenario", "description", "text", NULL, "",
	  "one line describing the scenario, stored with each run" },
	{ "scenario", "seed", "number", NULL, "1",
	  "the run's seed: every random choice derives from it (--seed wins)" },
	{ "scenario", "max_work", "number", "units", "16777216",
	  "the limit of the work estimate (pages, blocks and read calls the "
	  "ops may cause): a scenario past it is refused (docs/robustness.md)" },

	/* [disk]: src/disk/params.c checks them; defaults per preset */
	{ "disk", "preset", "word", NULL, "hdd-7200",
	  "the device model and all its parameters (mpsim disk-info); set "
	  "first, every other key overrides one parameter" },
	{ "disk", "model", "word", NULL, "hdd-7200",
	  "the same as preset" },
	{ "disk", "phase", "text", NULL, "random",
	  "the platter's angle at t = 0: random (from the seed) or a fraction "
	  "of a revolution in [0, 1)" },
	{ "disk", "queue_depth", "number", NULL, NULL,
	  "commands the device holds at once (NCQ/TCQ depth)" },
	{ "disk", "capacity_sectors", "number", "sectors", NULL,
	  "size of a simple or ssd device" },
	{ "disk", "latency_ns", D, "ns", NULL,
	  "simple device: fixed cost of every command" },
	{ "disk", "bandwidth_bps", "number", "bytes/s", NULL,
	  "simple and ssd devices: transfer rate" },
	{ "disk", "rw_page", "on/off", NULL, NULL,
	  "simple device: offer the rw_page fast path (bdev_read_page)" },
	{ "disk", "bio_based", "on/off", NULL, NULL,
	  "simple device: bio-based, no request queue (the ramdisk, as brd)" },
	{ "disk", "read_ns", D, "ns", NULL,
	  "ssd: flash read time of one page" },
	{ "disk", "program_ns", D, "ns", NULL,
	  "ssd: flash program time of one page" },
	{ "disk", "channels", "number", NULL, NULL,
	  "ssd: channels working in parallel" },
	{ "disk", "rpm", "number", "rev/min", NULL,
	  "rotating disk: spindle speed" },
	{ "disk", "surfaces", "number", NULL, NULL,
	  "rotating disk: recording surfaces (heads)" },
	{ "disk", "zones", "list", NULL, NULL,
	  "rotating disk: CYLINDERS:SECTORS_PER_TRACK, ... from the outside in" },
	{ "disk", "track_skew", "list", "sectors", NULL,
	  "rotating disk: skew at a head switch, one value or one per zone" },
	{ "disk", "cyl_skew", "list", "sectors", NULL,
	  "rotating disk: skew at a cylinder switch, one value or one per "
	  "zone" },
	{ "disk", "seek_single_ns", D, "ns", NULL,
	  "rotating disk: one-cylinder seek" },
	{ "disk", "seek_avg_ns", D, "ns", NULL,
	  "rotating disk: average seek (a third of the stroke)" },
	{ "disk", "seek_full_ns", D, "ns", NULL,
	  "rotating disk: full-stroke seek" },
	{ "disk", "seek_table", "list", NULL, NULL,
	  "rotating disk: DISTANCE:NS, ... (any number) seek times to "
	  "interpolate, or none" },
	{ "disk", "seek_curve", "text", NULL, NULL,
	  "rotating disk: A:B:C:E:BOUNDARY seek curve, or fit (from the three "
	  "seek times)" },
	{ "disk", "head_switch_ns", D, "ns", NULL,
	  "rotating disk: time to switch heads" },
	{ "disk", "write_settle_ns", D, "ns", NULL,
	  "rotating disk: extra settle time before writing" },
	{ "disk", "overhead_miss_ns", D, "ns", NULL,
	  "rotating disk: controller overhead of a cache miss" },
	{ "disk", "overhead_hit_ns", D, "ns", NULL,
	  "rotating disk: controller overhead of a cache hit" },
	{ "disk", "bus_ns_per_sector", D, "ns", NULL,
	  "rotating disk: bus transfer time of one sector" },
	{ "disk", "cache", "on/off", NULL, NULL,
	  "rotating disk: the drive's cache" },
	{ "disk", "cache_segments", "number", NULL, NULL,
	  "rotating disk: cache segments" },
	{ "disk", "segment_sectors", "number", "sectors", NULL,
	  "rotating disk: size of one cache segment" },
	{ "disk", "readahead", "word", "sectors", NULL,
	  "rotating disk: read-ahead after a miss: off, track or SECTORS" },
	{ "disk", "write_back", "on/off", NULL, NULL,
	  "rotating disk: volatile write-back cache (writes complete when "
	  "cached)" },

	/* [fs] */
	{ "fs", "type", "word", NULL, "ext2",
	  "ext2 (indirect blocks, BH_Boundary) or extent" },
	{ "fs", "block_size", "number", "bytes", "1024",
	  "512, 1024, 2048 or 4096 (pages are 4096)" },
	{ "fs", "boundary", "on/off", NULL, "on",
	  "off: get_block never sets BH_Boundary" },
	{ "fs", "cached_blocks", "list", "blocks", "",
	  "disk blocks up to date in the buffer cache at the start" },
	{ "fs", "free", "list", "blocks", "",
	  "free space A-B, ... for generated layouts and the allocator" },
	{ "fs", "fragment", "text", NULL, "",
	  "SEED:EXTENT:GAP: fragment the free space before laying files out" },
	{ "fs", "nobh", "on/off", NULL, "off",
	  "mounted nobh: written pages keep no buffers" },
	{ "fs", "metadata_writes", "on/off", NULL, "on",
	  "write inodes, bitmaps, descriptors and pointer blocks as 4.9 does "
	  "(off: data and pointer blocks only)" },

	/* [block]: src/block/blk-options.c checks them */
	{ "block", "plug", "on/off", NULL, "on",
	  "per-task plugging as in 4.9" },
	{ "block", "elevator", "word", NULL, "cfq",
	  "the I/O scheduler: cfq (4.9's default), deadline or noop" },
	{ "block", "nr_requests", "number", "requests", "128",
	  "queue/nr_requests: requests per class (sync, async); congestion "
	  "and batching as 4.9" },
	{ "block", "max_sectors_kb", "number", "KiB", "1280",
	  "queue/max_sectors_kb: largest request" },
	{ "block", "max_segments", "number", "segments", "128",
	  "queue/max_segments: segments per request" },
	{ "block", "nomerges", "number", NULL, "0",
	  "queue/nomerges: 0 all merges, 1 the one-hit cache only, 2 none" },
	{ "block", "read_expire", D, "ms", "500ms",
	  "deadline: iosched/read_expire" },
	{ "block", "write_expire", D, "ms", "5s",
	  "deadline: iosched/write_expire" },
	{ "block", "fifo_batch", "number", "requests", "16",
	  "deadline: iosched/fifo_batch" },
	{ "block", "writes_starved", "number", NULL, "2",
	  "deadline: iosched/writes_starved" },
	{ "block", "front_merges", "on/off", NULL, "on",
	  "deadline: iosched/front_merges" },
	{ "block", "fail_bio_alloc", "list", NULL, "",
	  "fault injection: these bio_alloc() calls (1, 2, ...) return NULL" },

	/*
	 * [block.cfq] (or [block] cfq.KEY): cfq's iosched files, checked by
	 * src/block/blk-options.c; times in ms when bare, as sysfs takes them
	 */
	{ "block.cfq", "quantum", "number", "requests", "8",
	  "requests dispatched from a queue in one round" },
	{ "block.cfq", "fifo_expire_sync", D, "ms", "125ms",
	  "age at which a sync request is served next" },
	{ "block.cfq", "fifo_expire_async", D, "ms", "250ms",
	  "age at which an async request is served next" },
	{ "block.cfq", "back_seek_max", "number", "KiB", "16384",
	  "farthest backward seek preferred over a forward one" },
	{ "block.cfq", "back_seek_penalty", "number", NULL, "2",
	  "how much a backward seek counts against a forward one" },
	{ "block.cfq", "slice_sync", D, "ms", "100ms",
	  "a sync queue's time slice (scaled by priority)" },
	{ "block.cfq", "slice_async", D, "ms", "40ms",
	  "an async queue's time slice" },
	{ "block.cfq", "slice_async_rq", "number", "requests", "2",
	  "async requests per slice (scaled by priority)" },
	{ "block.cfq", "slice_idle", D, "ms", "8ms",
	  "how long to idle for a sync queue's next request (0 on ssd)" },
	{ "block.cfq", "group_idle", D, "ms", "0",
	  "idling for a group (0: one root group)" },
	{ "block.cfq", "low_latency", "on/off", NULL, "1",
	  "scale slices so every queue runs within target_latency" },
	{ "block.cfq", "target_latency", D, "ms", "300ms",
	  "low_latency's target" },

	/* [fault]: src/block/blk-fault.c checks them */
	{ "fault", "sectors", "list", "sectors", "",
	  "fail requests that touch these sectors (A-B, C, ...)" },
	{ "fault", "requests", "list", NULL, "",
	  "fail these requests (1, 2, ... in dispatch order)" },
	{ "fault", "op", "word", NULL, "any",
	  "fail only R (reads), W (writes) or any" },
	{ "fault", "count", "number", "requests", "",
	  "fail only the first N requests that match" },

	/* [readahead] */
	{ "readahead", "ra_pages", "number", "pages", "32",
	  "the file's readahead window (bdi ra_pages)" },
	{ "readahead", "read_ahead_kb", "number", "KiB", "128",
	  "the same in KiB, as queue/read_ahead_kb" },

	/* [writeback] */
	{ "writeback", "dirty_expire_centisecs", D, "cs", "3000",
	  "vm.dirty_expire_centisecs: age at which dirty data is written" },
	{ "writeback", "dirty_writeback_centisecs", D, "cs", "500",
	  "vm.dirty_writeback_centisecs: the flusher's period" },
	{ "writeback", "dirty_background_pages", "number", "pages", "0",
	  "dirty pages above which the flusher writes in the background "
	  "(0: from dirty_background_ratio)" },
	{ "writeback", "dirty_ratio", "number", "%", "20",
	  "vm.dirty_ratio of memory: the global dirty limit" },
	{ "writeback", "dirty_background_ratio", "number", "%", "10",
	  "vm.dirty_background_ratio of memory" },
	{ "writeback", "memory", "size", "bytes", "1G",
	  "the dirtyable memory the ratios apply to" },

	/* [kernel] */
	{ "kernel", "hz", "number", "Hz", "250",
	  "CONFIG_HZ: 100, 250, 300 or 1000, for 4.9's jiffy rules" },

	/* [cache] */
	{ "cache", "capacity", "size", "pages", "unlimited",
	  "most pages the page cache holds (a count, or a size)" },

	/* [file.NAME] */
	{ "file", "size", "size", "bytes", NULL,
	  "i_size (required, unless image is given)" },
	{ "file", "extents", "list", "blocks", "",
	  "block map FIRST-LAST:DISK, ...; unmapped blocks are holes" },
	{ "file", "layout", "word", NULL, "explicit",
	  "explicit (extents, indirect) or ext2-sequential" },
	{ "file", "first_block", "number", "blocks", "",
	  "ext2-sequential: the first disk block" },
	{ "file", "indirect", "list", "blocks", "",
	  "pointer blocks: ind:D, dind:D, dind/N:D, tind:D, ..." },
	{ "file", "cached", "list", "pages", "",
	  "pages up to date in the page cache at the start" },
	{ "file", "cleancache", "list", "pages", "",
	  "pages cleancache_get_page finds" },
	{ "file", "test_uptodate", "list", "blocks", "",
	  "file blocks get_block returns up to date (tests)" },
	{ "file", "test_eio", "list", "blocks", "",
	  "file blocks get_block fails with -EIO (tests)" },
	{ "file", "test_enospc", "list", "blocks", "",
	  "file blocks get_block fails with -ENOSPC (tests, the mpage lab)" },
	{ "file", "extents_past_eof", "on/off", NULL, "off",
	  "allow extents past i_size (a truncate race, a preallocation)" },
	{ "file", "size_past_max", "on/off", NULL, "off",
	  "allow an i_size past what ext2 can map (get_block fails -EIO)" },
	{ "file", "tree_blocks", "list", "blocks", "",
	  "extent fs: the tree blocks on the path to the extents" },
	{ "file", "image", "text", NULL, "",
	  "an ext2/ext3 image to read the file's block map from" },
	{ "file", "path", "text", NULL, "",
	  "with image: the file's path inside the image" },

	/* [page.FILE.INDEX] */
	{ "page", "flags", "list", NULL, "",
	  "page flags: uptodate, dirty, error, mappedtodisk, readahead" },
	{ "page", "buffers", "list", NULL, "",
	  "the page's buffers, one per block: - or states joined by +" },

	/* [task.NAME] */
	{ "task", "file", "word", NULL, NULL,
	  "the file the task works on (required)" },
	{ "task", "start", D, "ns", "0",
	  "when the task starts" },
	{ "task", "ops", "text", NULL, NULL,
	  "what it does, in order, separated by ; (docs/scenario-format.md)" },
	{ "task", "copy_cost", D, "ns", "0",
	  "CPU time of copying one page to user space" },
	{ "task", "ioprio", "word", NULL, "be/4",
	  "I/O priority for cfq: rt/0..rt/7, be/0..be/7 or idle" },
};

/* Groups written with a name after a dot, and how they are shown. */
static const struct {
	const char *prefix;
	const char *group;
	const char *shown;
} named_groups[] = {
	{ "file.", "file", "file.NAME" },
	{ "page.", "page", "page.FILE.INDEX" },
	{ "task.", "task", "task.NAME" },
};

const struct scen_key *scen_keys(size_t *n)
{
	*n = G_N_ELEMENTS(catalogue);
	return catalogue;
}

const char *scen_key_group_of(const char *group)
{
	for (size_t i = 0; i < G_N_ELEMENTS(named_groups); i++) {
		if (g_str_has_prefix(group, named_groups[i].prefix))
			return named_groups[i].group;
		if (!strcmp(group, named_groups[i].group))
			return NULL;	/* [file] without a name */
	}
	for (size_t i = 0; i < G_N_ELEMENTS(catalogue); i++)
		if (!strcmp(catalogue[i].group, group))
			return catalogue[i].group;
	return NULL;
}

const char *scen_key_group_shown(const char *group)
{
	for (size_t i = 0; i < G_N_ELEMENTS(named_groups); i++)
		if (!strcmp(named_groups[i].group, group))
			return named_groups[i].shown;
	return group;
}

const struct scen_key *scen_key_find(const char *group, const char *name)
{
	const char *g = scen_key_group_of(group);

	for (size_t i = 0; g && i < G_N_ELEMENTS(catalogue); i++)
		if (!strcmp(catalogue[i].group, g) &&
		    !strcmp(catalogue[i].name, name))
			return &catalogue[i];
	return NULL;
}

GPtrArray *scen_key_names(const char *group)
{
	const char *g = scen_key_group_of(group);
	GPtrArray *names = g_ptr_array_new();

	for (size_t i = 0; g && i < G_N_ELEMENTS(catalogue); i++)
		if (!strcmp(catalogue[i].group, g))
			g_ptr_array_add(names, (char *)catalogue[i].name);
	g_ptr_array_add(names, NULL);
	return names;
}

GPtrArray *scen_key_groups(bool shown)
{
	GPtrArray *groups = g_ptr_array_new();

	for (size_t i = 0; i < G_N_ELEMENTS(catalogue); i++) {
		const char *g = catalogue[i].group;

		if (shown)
			g = scen_key_group_shown(g);
		if (!groups->len || strcmp(groups->pdata[groups->len - 1], g))
			g_ptr_array_add(groups, (char *)g);
	}
	return groups;
}

char *scen_key_unknown_message(const char *group, const char *name)
{
	GPtrArray *names = scen_key_names(group);
	const char *near = closest_word(name,
					(const char *const *)names->pdata);
	GString *msg = g_string_new("unknown key");

	if (near)
		g_string_append_printf(msg, " (did you mean %s?)", near);
	g_string_append(msg, "; known keys:");
	for (guint i = 0; names->pdata[i]; i++)
		g_string_append_printf(msg, "%s %s", i ? "," : "",
				       (char *)names->pdata[i]);
	g_ptr_array_unref(names);
	return g_string_free(msg, FALSE);
}
