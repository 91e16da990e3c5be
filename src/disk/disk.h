/*
 * disk.h - the storage device models.
 *
 * A disk model turns commands (an operation on a run of 512-byte sectors,
 * handed over at a simulated time) into completions with their cost split
 * into overhead, seek, rotation and transfer.  It is a pure model: it keeps
 * its own mechanical and cache state, knows nothing of pages, files or the
 * block layer, and never schedules events.  The block layer's driver glue
 * (src/block/blk-driver.c) asks it when the next completion falls, arms one
 * event for that moment, and collects the completion then.
 *
 * Contract, for every model:
 *   - disk_submit() may be called only while disk_can_accept() is true
 *     (fewer than queue_depth commands inside the device).
 *   - disk_next_completion() is the earliest time at which disk_complete()
 *     will return a command, or DISK_NEVER when the device is idle.
 *   - disk_complete(d, now, out) returns, one at a time, each command whose
 *     completion time is <= now, in completion order (ties: submission
 *     order).
 *   - All times are integer nanoseconds of simulated time.  Same inputs,
 *     same outputs: no model may use the wall clock or unseeded randomness.
 *
 * Parameters are set by key (the scenario's [disk] group and --set
 * disk.KEY=VALUE); each model validates its own keys, so that an error can
 * name the key at fault.
 */
#ifndef MPSIM_DISK_H
#define MPSIM_DISK_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#define DISK_NEVER INT64_MAX
#define DISK_SECTOR_SIZE 512

enum disk_op {
	DISK_READ,
	DISK_WRITE,
	DISK_FLUSH,		/* write-back cache flush; sectors ignored */
};

struct disk_cmd {
	uint64_t id;		/* caller's tag, returned with the completion */
	enum disk_op op;
	uint64_t sector;
	uint32_t sectors;
};

/* What one command cost; all durations in ns. */
struct disk_completion {
	struct disk_cmd cmd;
	int64_t submit_ns;	/* handed to the device */
	int64_t start_ns;	/* the mechanism (or channel) began on it */
	int64_t complete_ns;	/* completion reported to the host */
	int64_t overhead_ns;	/* controller / command overhead */
	int64_t seek_ns;	/* positioning: seek or head switch, settle */
	int64_t rotation_ns;	/* rotational latency before the first sector */
	int64_t transfer_ns;	/* media transfer incl. skews crossed, bus tail */
	int64_t seek_cylinders;	/* |target cylinder - start cylinder|, or 0 */
	int cache_hit;		/* 0 miss, 1 full hit, 2 partial ("almost") hit */
	int queue_depth;	/* commands inside the device at submission,
				 * counting this one */
};

struct disk;			/* opaque: one device instance */
struct disk_params;		/* opaque: a set of parameter values */

/* Parameters. */
#define DISK_DEFAULT_PRESET "hdd-7200"

struct disk_params *disk_params_new(void);	/* the default device */
void disk_params_free(struct disk_params *p);
struct disk_params *disk_params_copy(const struct disk_params *p);
/*
 * Set one parameter from its text form.  "preset" (or "model") replaces
 * every value with the named preset's; set it first.  Returns false and
 * fills *err (message naming the key, not the file) on an unknown key or a
 * bad value.
 */
bool disk_params_set(struct disk_params *p, const char *key,
		     const char *value, GError **err);
/* Check values that only make sense together; false + *err if not. */
bool disk_params_validate(const struct disk_params *p, GError **err);
/*
 * A parameter set from (key, value) pairs, as a scenario's [disk] group
 * gives them: kv is NULL-terminated, "key", "value", "key", "value", ...;
 * "preset" (or "model") is applied first wherever it stands, then every
 * other key in order, then the set is validated.  NULL + *err (naming the
 * key) on an unknown key, a bad value or a failed validation.
 */
struct disk_params *disk_params_from_keys(const char *const *kv,
					  GError **err);
/* Every effective parameter as (key, value) text, in a fixed order. */
typedef void (*disk_param_visit_fn)(const char *key, const char *value,
				    void *arg);
void disk_params_foreach(const struct disk_params *p,
			 disk_param_visit_fn fn, void *arg);
/* Capacity in sectors. */
uint64_t disk_params_capacity(const struct disk_params *p);
/* Every key disk_params_set() takes (any model), NULL-terminated. */
const char *const *disk_params_key_names(void);
/* Names of the presets, NULL-terminated. */
const char *const *disk_preset_names(void);
/* Print a preset's (or a parameter set's) parameters and derived figures. */
void disk_params_describe(const struct disk_params *p, GString *out);

/* Instances. */
struct disk *disk_new(const struct disk_params *p);
void disk_free(struct disk *d);
uint64_t disk_capacity(const struct disk *d);
int disk_queue_depth(const struct disk *d);
/* No seek penalty (QUEUE_FLAG_NONROT): the flash model. */
bool disk_nonrot(const struct disk *d);
bool disk_can_accept(const struct disk *d);
void disk_submit(struct disk *d, const struct disk_cmd *cmd, int64_t now);
int64_t disk_next_completion(const struct disk *d);
bool disk_complete(struct disk *d, int64_t now, struct disk_completion *out);

/*
 * The rw_page fast path (bdev_read_page / bdev_write_page in 4.9): only for
 * devices that support it (a ramdisk, or rw_page=on).  The transfer is
 * synchronous: the caller is charged the returned duration and no command
 * enters the queue.  Returns false when the device has no rw_page.
 */
bool disk_supports_rw_page(const struct disk *d);
bool disk_rw_page(struct disk *d, enum disk_op op, uint64_t sector,
		  uint32_t sectors, int64_t now, struct disk_completion *out);

/*
 * A volatile write cache (4.9's QUEUE_FLAG_WC, blk_queue_write_cache):
 * exactly when write_back is on.  Without one a flush has nothing to do.
 */
bool disk_has_write_cache(const struct disk *d);

/*
 * Bio-based devices (a make_request driver such as brd: bio_based=on, the
 * ramdisk): no request queue; each bio is copied synchronously inside
 * submit_bio.  disk_make_request() gives the cost of one such transfer
 * (as disk_rw_page) and is false for other devices.
 */
bool disk_bio_based(const struct disk *d);
bool disk_make_request(struct disk *d, enum disk_op op, uint64_t sector,
		       uint32_t sectors, int64_t now,
		       struct disk_completion *out);

/*
 * Rotating-disk helpers, for tests and benchmarks that work out expected
 * costs: the seek time for a distance in cylinders (0 for other models),
 * and where a sector lies (false for other models or past the end).
 */
int64_t disk_seek_time_ns(const struct disk *d, uint64_t distance);
bool disk_lba_to_chs(const struct disk *d, uint64_t lba, uint32_t *cyl,
		     uint32_t *head, uint32_t *sector);

/*
 * The platter's phase.  A rotating disk's angle is zero at t = 0 unless a
 * phase is set: with phase_ns, the platter is where it would be at
 * t + phase_ns with phase 0 (every angle, the drive cache's read-ahead
 * included, follows it).  disk_rpm() is 0 for the models without a
 * platter (simple, ramdisk, ssd), on which disk_set_phase() does nothing:
 * their timing does not depend on any angle.  Set it before the first
 * command.
 */
uint32_t disk_rpm(const struct disk *d);
void disk_set_phase(struct disk *d, int64_t phase_ns);

#endif /* MPSIM_DISK_H */
