/*
 * disk-int.h - what the disk model files share and nothing else sees.
 *
 * struct disk_params is a flat value but for the seek table, a shared,
 * immutable, reference-counted array of any length: copy a parameter set
 * with disk_params_assign() (a memcpy and a reference) and let it go with
 * disk_params_release().  Each
 * device model embeds struct disk as its first member and fills in a
 * table of operations; disk.c dispatches the public calls through it.
 */
#ifndef MPSIM_DISK_INT_H
#define MPSIM_DISK_INT_H

#include "disk/disk.h"

#define DISK_MAX_ZONES 64
#define DISK_MAX_SEGMENTS 64
/*
 * All zones' cylinders together: fitting a seek curve holds a few sums
 * per cylinder (24 bytes each, 48 MiB at most), and describing the disk
 * walks them.
 */
#define DISK_MAX_CYLINDERS (1u << 21)

enum disk_kind {
	DISK_KIND_SIMPLE,	/* fixed latency + bandwidth (simple, ramdisk) */
	DISK_KIND_HDD,		/* rotating disk */
	DISK_KIND_SSD,		/* flash: channels, no positioning */
};

/* How far the drive reads on past a read request. */
enum disk_readahead {
	DISK_RA_OFF,		/* no read-ahead */
	DISK_RA_TRACK,		/* to the end of the track of the last sector */
	DISK_RA_SECTORS,	/* a fixed number of sectors, across tracks */
};

/* One zone: a band of cylinders with the same sectors per track. */
struct disk_zone {
	uint32_t cylinders;
	uint32_t spt;
};

/* One point of an explicit seek table. */
struct disk_seek_point {
	uint32_t distance;	/* cylinders */
	int64_t ns;
};

/*
 * An explicit two-piece seek curve (Ruemmler and Wilkes):
 * a + b*sqrt(d) for d < boundary, c + e*d from there on.  b and e are
 * kept as fixed point with 16 fractional bits (ns * 65536) so that the
 * evaluation is integer arithmetic.
 */
struct disk_seek_curve {
	int64_t a_ns;
	int64_t b_q16;		/* ns per sqrt(cylinder), * 65536 */
	int64_t c_ns;
	int64_t e_q16;		/* ns per cylinder, * 65536 */
	uint32_t boundary;	/* cylinders */
};

struct disk_params {
	char model[32];
	enum disk_kind kind;
	int queue_depth;

	/* simple / ramdisk; capacity and bandwidth also for the SSD */
	uint64_t capacity_sectors;
	int64_t latency_ns;
	uint64_t bandwidth_bps;	/* bytes per second */
	bool rw_page;
	bool bio_based;		/* make_request driver: no request queue */

	/* SSD */
	int64_t read_ns;	/* flash page read */
	int64_t program_ns;	/* flash page program */
	int channels;

	/* rotating disk: geometry */
	uint32_t rpm;
	uint32_t surfaces;
	int nzones;
	struct disk_zone zones[DISK_MAX_ZONES];
	/* skews in sectors: one value for every zone, or one per zone */
	int ntrack_skew, ncyl_skew;
	uint32_t track_skew[DISK_MAX_ZONES];
	uint32_t cyl_skew[DISK_MAX_ZONES];

	/* rotating disk: mechanics */
	int64_t seek_single_ns, seek_avg_ns, seek_full_ns;
	GArray *seek_table;	/* struct disk_seek_point, distances
				 * increasing; shared and never changed
				 * once set (a new value is a new array);
				 * NULL: no table */
	bool has_seek_curve;	/* explicit curve; else fitted */
	struct disk_seek_curve seek_curve;
	int64_t head_switch_ns;
	int64_t write_settle_ns;

	/* rotating disk: controller, bus, cache */
	int64_t overhead_miss_ns;
	int64_t overhead_hit_ns;
	int64_t bus_ns_per_sector;
	bool cache;
	int cache_segments;
	uint32_t segment_sectors;
	enum disk_readahead readahead;
	uint32_t readahead_sectors;	/* for DISK_RA_SECTORS */
	bool write_back;
};

struct disk_ops {
	void (*free)(struct disk *d);
	bool (*can_accept)(const struct disk *d);
	void (*submit)(struct disk *d, const struct disk_cmd *cmd, int64_t now);
	int64_t (*next_completion)(const struct disk *d);
	bool (*complete)(struct disk *d, int64_t now,
			 struct disk_completion *out);
};

struct disk {
	const struct disk_ops *ops;
	struct disk_params p;
	uint64_t capacity;
};

/*
 * The longest time a parameter may give (2^44 ns, about 4.9 hours), so
 * that a request's time, a few such terms, stays far from overflowing.
 */
#define DISK_MAX_NS (1ll << 44)

/*
 * a + b for times, saturating below DISK_NEVER: a device whose queued
 * requests would end past any representable time reports a completion
 * at DISK_NEVER - 1, which the event loop refuses to schedule (the run
 * then ends with an error) instead of a time that wrapped.
 */
static inline int64_t disk_add_ns(int64_t a, int64_t b)
{
	return b > 0 && a > DISK_NEVER - 1 - b ? DISK_NEVER - 1 : a + b;
}
/* params.c: copying and letting go of a parameter set's shared parts */
void disk_params_assign(struct disk_params *dst,
			const struct disk_params *src);
void disk_params_release(struct disk_params *p);
/* A new seek table of n points (a reference to free with the params). */
GArray *disk_seek_table_new(const struct disk_seek_point *pt, unsigned n);

/* presets.c */
bool disk_preset_load(struct disk_params *p, const char *name);

/*
 * geom.c: the rotating disk's layout and mechanics as pure functions of
 * the parameters and of simulated time.
 */
#define DISK_NS_PER_MIN 60000000000ull

struct hdd_zone {
	uint64_t first_lba;
	uint32_t first_cyl;
	uint32_t cylinders;
	uint32_t spt;
	uint32_t track_skew;
	uint32_t cyl_skew;
};

struct hdd_geom {
	uint32_t rpm;
	uint32_t surfaces;
	uint32_t cylinders;
	uint64_t capacity;
	int nzones;
	struct hdd_zone zone[DISK_MAX_ZONES];
	int nseek_table;
	const struct disk_seek_point *seek_table;	/* the parameters'
							 * table, borrowed */
	struct disk_seek_curve curve;	/* explicit, or fitted */
	int64_t head_switch_ns;
	int64_t write_settle_ns;
	/* the platter's angle at time t is angle 0's model at t + phase_ns */
	int64_t phase_ns;
};

/* Where a sector lies. */
struct hdd_chs {
	uint32_t cyl;
	uint32_t head;
	uint32_t sector;	/* index within its track */
	int zone;
};

uint64_t disk_params_hdd_capacity(const struct disk_params *p);
/* The geometry borrows p's seek table: p must outlive it. */
uint32_t disk_params_cylinders(const struct disk_params *p);
bool disk_seek_fit(const struct disk_params *p, struct disk_seek_curve *out);
/* The curve's times stay in [0, DISK_MAX_NS] up to cylinders - 1. */
bool disk_seek_curve_bounded(const struct disk_seek_curve *c,
			     uint32_t cylinders);
void hdd_geom_init(struct hdd_geom *g, const struct disk_params *p);
void hdd_locate(const struct hdd_geom *g, uint64_t lba, struct hdd_chs *out);
uint32_t hdd_slot(const struct hdd_geom *g, const struct hdd_chs *c);
int64_t hdd_seek_ns(const struct hdd_geom *g, uint64_t distance);
int64_t hdd_position_ns(const struct hdd_geom *g, uint32_t from_cyl,
			uint32_t from_head, const struct hdd_chs *to,
			bool write, uint64_t *distance);
int64_t hdd_slot_time(const struct hdd_geom *g, int64_t t, uint32_t spt,
		      uint32_t slot);
int64_t hdd_run_end(const struct hdd_geom *g, int64_t start, uint32_t spt,
		    uint32_t slot, uint64_t n);
uint64_t hdd_sectors_by(const struct hdd_geom *g, uint32_t spt,
			int64_t elapsed);
int64_t hdd_avg_seek_ns(const struct hdd_geom *g);

/* disk.c */
int64_t disk_simple_transfer_ns(const struct disk_params *p, uint32_t n);

/* Model constructors. */
struct disk *disk_simple_new(const struct disk_params *p);
struct disk *disk_hdd_new(const struct disk_params *p);
struct disk *disk_ssd_new(const struct disk_params *p);

/* Completion list shared by the models: ordered by (time, submission). */
struct disk_done {
	struct disk_completion *c;
	uint64_t *seq;
	int n, cap;
};

void disk_done_init(struct disk_done *q, int cap);
void disk_done_fini(struct disk_done *q);
void disk_done_push(struct disk_done *q, const struct disk_completion *c,
		    uint64_t seq);
int64_t disk_done_next(const struct disk_done *q);
bool disk_done_pop(struct disk_done *q, int64_t now,
		   struct disk_completion *out);

#endif /* MPSIM_DISK_INT_H */
