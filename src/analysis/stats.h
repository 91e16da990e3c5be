/*
 * stats.h - the figures of a run, read from an mpsim database: what
 * `mpsim compare` and `mpsim report` print and `mpsim plot` draws.
 *
 * Definitions (docs/analysis.md):
 *  - requests are taken in dispatch order (dispatch_ns, then seq);
 *  - a seek is a request whose first sector differs from the end (sector +
 *    sectors) of the request dispatched before it; the first request has
 *    no predecessor and is never a seek; a backward seek starts below that
 *    end; the distance is |sector - previous end| in sectors;
 *  - merges = bios - requests, not counting the bios that ended without
 *    a request (a flush with no write cache, a bio-based device's bios);
 *  - elapsed = the run's elapsed_ns: from the earliest task start to its
 *    end (the last completion or task end);
 *  - throughput = bytes of all requests / elapsed, in MB/s (10^6 B/s);
 *  - a task switch is a request, in dispatch order after the first,
 *    whose task (that of its first bio) is not the previous request's;
 *  - the cfq counts are trace events of the elevator (cfq_set_active,
 *    cfq_slice_expired, cfq_arm_idle, cfq_idle_timer_fired, cfq_preempt,
 *    cfq_workload_slice); 0 with the other elevators;
 *  - latency of a request = complete_ns - queue_ns; percentiles are
 *    nearest-rank: the p-th is the value at rank ceil(p/100 * n) of the
 *    n latencies sorted ascending (rank 1 is the smallest).
 */
#ifndef MPSIM_ANALYSIS_STATS_H
#define MPSIM_ANALYSIS_STATS_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#define STATS_TASK_RUNS 8

/* One request row, as logged. */
struct rq_row {
	int64_t seq;
	char op[8];
	int64_t sector, sectors, nbios;
	int64_t queue_ns, insert_ns, dispatch_ns, complete_ns;
	int64_t overhead_ns, seek_ns, rotation_ns, transfer_ns;
	int64_t seek_cylinders;
};

/* A cache flush in run_stats.order: it has no sector. */
#define STATS_ORDER_FLUSH (-1)

/* Whether a request is an empty cache flush (RWBS "F...", no sectors). */
static inline bool rq_is_flush(const char *op, int64_t sectors)
{
	return sectors == 0 && op[0] == 'F';
}

struct run_stats {
	int64_t run_id;
	char *scenario;
	char *label;		/* what tells it from the other runs shown */
	char *variant;		/* run.variant ("" for a plain run) */
	char *options;		/* run.options: every effective option */
	int64_t seed;		/* run.seed (-1 when unknown) */
	int64_t replication;	/* run.replication (0 when unknown) */
	int64_t requests, bios, merges, fallbacks, meta_reads;
	int64_t bios_without_request;	/* ended with no request */
	int64_t seeks, back_seeks, seek_distance, seek_cylinders;
	double mean_seek_distance;	/* per seek; 0 without seeks */
	int64_t elapsed_ns, bytes;
	double mb_per_s;
	double lat_mean_ns;
	int64_t lat_p50_ns, lat_p99_ns;
	int64_t task_switches;
	char *task_runs;	/* "ra 33, rb 34, ...": requests of one task in
				 * a row, dispatch order, the first
				 * STATS_TASK_RUNS runs */
	int64_t cfq_slices, cfq_expiries, cfq_idles, cfq_idle_fired;
	int64_t cfq_preempts, cfq_workloads;
	GArray *order;		/* int64_t first sectors, dispatch order;
				 * STATS_ORDER_FLUSH for a cache flush */
};

/* A database opened read-only for analysis. */
struct adb;

struct adb *adb_open(const char *path, GError **err);
void adb_close(struct adb *a);
const char *adb_path(const struct adb *a);
/* The SQLite handle, for modules of src/analysis with their own queries. */
struct sqlite3 *adb_handle(struct adb *a);

/* Every run id in the database, ascending (GArray of int64_t). */
GArray *adb_run_ids(struct adb *a, GError **err);
/* Parse "1,3,4" into run ids that must exist; NULL + *err if not. */
GArray *adb_parse_runs(struct adb *a, const char *list, GError **err);
/* The requests of a run in dispatch order (GArray of struct rq_row). */
GArray *adb_requests(struct adb *a, int64_t run_id, GError **err);

/*
 * The figures of each run; labels are the runs' variants (the --vary keys
 * and values they were run with), or "run N" for a run without one.  A GPtrArray of
 * struct run_stats*, freed with g_ptr_array_unref.
 */
GPtrArray *stats_for_runs(struct adb *a, const GArray *run_ids,
			  GError **err);

/* The figures that only need requests (pure; for the tests). */
void stats_from_requests(const struct rq_row *rq, size_t n,
			 struct run_stats *st);
/*
 * Nearest-rank percentile of n sorted values (n > 0, 1 <= p <= 100): the
 * value at rank percentile_rank(n, p) (1-based), ceil(p * n / 100).  The
 * one definition of a percentile (and of the median, p = 50) in mpsim.
 */
size_t percentile_rank(size_t n, unsigned p);
int64_t percentile_nearest_rank(const int64_t *sorted, size_t n, unsigned p);

void run_stats_free(struct run_stats *st);

#endif /* MPSIM_ANALYSIS_STATS_H */
