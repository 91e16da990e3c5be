/*
 * scenario.h - scenario files: what a run simulates.
 *
 * A scenario is an INI file (GLib key file) describing the disk, the
 * filesystem, the block layer's options, files with their block maps, the
 * page cache's starting state, and tasks.  Loading checks everything
 * before anything runs: a bad scenario yields one message naming the file,
 * the group and key at fault (and the line, when known) and nothing else
 * happens.  The format is documented in docs/scenario-format.md.
 *
 * This module only reads and checks; src/run builds the simulated world
 * from the result.
 */
#ifndef MPSIM_SCENARIO_H
#define MPSIM_SCENARIO_H

#include <glib.h>
#include "include/kernel.h"
#include "block/blkdev.h"

struct disk_params;

#define SCENARIO_ERROR (scenario_error_quark())

/*
 * Limits on a scenario's size (docs/robustness.md): each task reserves a
 * coroutine stack (src/sim/sched.c), each file an inode.
 */
#define SCENARIO_MAX_TASKS 4096
#define SCENARIO_MAX_FILES 65536
/* The work a scenario may cause unless [scenario] max_work says more. */
#define SCENARIO_DEFAULT_MAX_WORK (1ull << 24)
/* A task's start, sleeps and copy cost together (2^61 ns, 73 years). */
#define SCENARIO_MAX_TIME_NS (1ull << 61)
GQuark scenario_error_quark(void);

/* A run of file blocks mapped to consecutive disk blocks. */
struct scen_extent {
	uint64_t file_block;
	uint64_t len;
	uint64_t disk_block;
};

/* A pointer block's place: path as in ext2_place_pointer_block(). */
struct scen_indirect {
	unsigned path[3];
	int depth;
	uint64_t disk_block;
};

/* One buffer of a page that starts with buffers. */
struct scen_buffer {
	unsigned long state;	/* BH_* bits */
	int64_t blocknr;	/* -1: take it from the file's map */
};

struct scen_page {
	int file;		/* index into files */
	pgoff_t index;
	unsigned long flags;	/* PG_* bits */
	bool has_buffers;
	unsigned nr_buffers;
	struct scen_buffer buffers[8];
};

struct scen_file {
	char *name;
	loff_t size;
	GArray *extents;	/* struct scen_extent, sorted by file block */
	bool layout_sequential;
	uint64_t first_block;	/* for layout = ext2-sequential */
	bool first_block_set;	/* else: after the previous generated file */
	GArray *indirect;	/* struct scen_indirect, parents first */
	GArray *tree_blocks;	/* guint64: extent tree blocks (type extent) */
	GArray *cached;		/* guint64 page indexes, sorted */
	GArray *cleancache;	/* guint64 page indexes, sorted */
	GArray *test_uptodate;	/* guint64 file blocks */
	GArray *test_eio;	/* guint64 file blocks */
	/* the mpage lab (docs/mpage-lab.md) */
	GArray *test_enospc;	/* guint64 file blocks: get_block -ENOSPC */
	bool extents_past_eof;	/* extents may map blocks past i_size */
	bool size_past_max;	/* i_size may pass what ext2 maps */
};

enum scen_op_type {
	OP_READPAGES,		/* one ->readpages (mpage_readpages) call */
	OP_READPAGE,		/* one ->readpage (mpage_readpage) call */
	OP_WAIT,		/* wait until the pages are unlocked */
	OP_SLEEP,		/* sleep a while */
	OP_WRITE,		/* buffered write: a = offset, b = length */
	OP_WRITEBACK,		/* one ->writepages call, a = nr_to_write */
	OP_FSYNC,		/* fsync of the whole file; a = 1: fdatasync */
	OP_READ,		/* read(2)s: a offset, b length, c request */
	OP_RANDREAD,		/* a count, c request, d seed (b = 1: none,
				 * a stream of the run's seed instead) */
	OP_STRIDED,		/* a offset, c request, b stride, d count */
	OP_DROP_CACHES,		/* echo 1 > drop_caches (+ buffer cache) */
	/* the mpage lab: fs/mpage.c's entry points called directly */
	OP_MPAGE_READPAGE,	/* mpage_readpage of page a, whatever its state */
	OP_MPAGE_WRITEPAGE,	/* mpage_writepage of dirty page a */
	OP_MPAGE_WRITEPAGES,	/* write_cache_pages over pages [a, b];
				 * c: WB_SYNC_ALL, d: range_cyclic */
};

struct scen_op {
	enum scen_op_type type;
	uint64_t a, b;		/* page range [a, b], or a duration in a */
	uint64_t c, d;		/* read ops: see above */
};

struct scen_task {
	char *name;
	int file;
	int64_t start_ns;
	int64_t copy_ns;	/* copy cost of one page read (copy_cost) */
	unsigned short ioprio;	/* ioprio: IOPRIO_PRIO_VALUE (be/4) */
	GArray *ops;		/* struct scen_op */
};

struct scenario {
	char *path;		/* as given */
	char *name;		/* file name without folder and .ini */
	char *dir;		/* folder, for resolving relative paths */
	char *checksum;		/* SHA-256 of the file's text */
	char *description;
	uint64_t max_work;	/* [scenario] max_work */
	uint64_t work;		/* the estimate of src/scenario/work.c */

	struct disk_params *disk;
	unsigned block_size;
	bool extent_fs;		/* [fs] type = extent (src/fs/extfs) */
	bool boundary;
	GArray *cached_blocks;	/* guint64 disk blocks in the buffer cache */
	GArray *free_ranges;	/* [fs] free: guint64 (start, len) pairs */
	bool fragment;		/* [fs] fragment = SEED:EXTENT:GAP */
	uint32_t frag_seed, frag_extent, frag_gap;
	struct blk_options blk;	/* [block] */
	bool nobh;		/* [fs] nobh */
	bool metadata_writes;	/* [fs] metadata_writes: mke2fs's metadata
				   placed, inodes written */
	/* [writeback] */
	unsigned dirty_expire_centisecs;
	unsigned dirty_writeback_centisecs;
	uint64_t dirty_background_pages;	/* 0: from the ratio */
	unsigned dirty_ratio, dirty_background_ratio;
	uint64_t dirty_memory;		/* dirtyable memory, bytes */
	unsigned ra_pages;	/* [readahead] ra_pages (read_ahead_kb / 4) */
	uint64_t cache_capacity; /* [cache] capacity in pages; 0: unlimited */
	unsigned hz;		/* [kernel] hz: the tick (src/sim/jiffies.h) */
	uint64_t seed;		/* [scenario] seed: the run's random streams */
	/* [disk] phase: random (drawn from the seed), or a fraction */
	bool phase_random;
	double phase;		/* of a revolution, in [0, 1) */

	GPtrArray *files;	/* struct scen_file* */
	GArray *pages;		/* struct scen_page */
	GPtrArray *tasks;	/* struct scen_task* */

	/* Lines of the file's groups and keys, see scenario_key_line(). */
	GHashTable *key_lines;

	/* Every effective option, "group.key" -> value, sorted by key. */
	GPtrArray *option_keys;
	GPtrArray *option_values;

	/* Files read besides the scenario (images), as opened: no output
	 * may be one of them (src/log/output.h). */
	GPtrArray *inputs;
};

/*
 * Load and check a scenario.  `sets` are "GROUP.KEY=VALUE" overrides
 * (NULL-terminated, may be NULL), applied before checking.  Returns NULL
 * and fills *err (SCENARIO_ERROR) on any problem.
 */
struct scenario *scenario_load(const char *path, const char *const *sets,
			       GError **err);
/* The same from text in memory; `path` only names it in messages. */
struct scenario *scenario_load_data(const char *path, const char *text,
				    gsize len, const char *const *sets,
				    GError **err);
/*
 * A scenario for trace replay: its [scenario], [disk], [block], [fault]
 * and [kernel] groups count; tasks are not required, and tasks, files and
 * cached pages, when present, are dropped after checking (with their
 * options).  path NULL: the
 * default device (an empty scenario named "default").
 */
struct scenario *scenario_load_device(const char *path,
				      const char *const *sets, GError **err);
void scenario_free(struct scenario *s);

/* Resolve a path written in the scenario against its folder. */
char *scenario_resolve_path(const struct scenario *s, const char *path);

/*
 * The line of `key` in `group` in the scenario's file (key NULL: the
 * group's header), or 0 when it is not in the file or came from --set.
 */
int scenario_key_line(const struct scenario *s, const char *group,
		      const char *key);
/* "PATH:LINE" for a message about group.key, or "PATH" with no line. */
char *scenario_where(const struct scenario *s, const char *group,
		     const char *key);
/* `text` with control characters written as \xNN, for messages. */
char *scenario_escape(const char *text);

/*
 * The platter's phase offset in ns for this scenario and seed on a disk of
 * `rpm` (0: no platter, offset 0): round(phase x T_rev), or for "random"
 * an integer uniform in [0, T_rev) from the seed's stream "disk.phase",
 * T_rev = 60e9 / rpm ns.
 */
int64_t scenario_phase_ns(const struct scenario *s, uint64_t seed,
			  uint32_t rpm);

/* Number of disk blocks: capacity / block size. */
uint64_t scenario_disk_blocks(const struct scenario *s);

#endif /* MPSIM_SCENARIO_H */
