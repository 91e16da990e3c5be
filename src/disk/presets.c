/*
 * presets.c - the named devices a scenario can pick with "preset".
 *
 * Each preset fills a whole parameter set; keys set afterwards override
 * single values.  Where a figure comes from is said in docs/disk-model.md;
 * the comments here only mark what is an estimate rather than a published
 * figure.
 */
#include "disk/disk-int.h"

#include <string.h>

#define MS(x) ((int64_t)((x) * 1000000.0 + 0.5))
#define US(x) ((int64_t)((x) * 1000.0 + 0.5))

static const char *const preset_names[] = {
	"hdd-7200", "hdd-15k", "hp-c2247", "ssd", "ramdisk", "simple", NULL,
};

const char *const *disk_preset_names(void)
{
	return preset_names;
}

/* Values every rotating preset starts from before its own. */
static void hdd_common(struct disk_params *p)
{
	p->kind = DISK_KIND_HDD;
	p->cache = true;
	p->readahead = DISK_RA_SECTORS;
	/* the block layer's default maximum request is 512 KiB */
	p->readahead_sectors = 1024;
	p->ntrack_skew = p->ncyl_skew = 1;
}

static void set_zones(struct disk_params *p, uint32_t cyls_each,
		      const uint32_t *spt, const uint32_t *tskew,
		      const uint32_t *cskew, int n)
{
	p->nzones = p->ntrack_skew = p->ncyl_skew = n;
	for (int i = 0; i < n; i++) {
		p->zones[i].cylinders = cyls_each;
		p->zones[i].spt = spt[i];
		p->track_skew[i] = tskew[i];
		p->cyl_skew[i] = cskew[i];
	}
}

/*
 * Hitachi Deskstar 7K500-class 500 GB desktop drive.  30 zones of equal
 * width from 1240 down to 595 sectors per track (derived from the sheet's
 * zone 0 and zone 29 media rates); skews are the sheet's head switch
 * (1.4 ms) and cylinder switch (1.8 ms) rounded up to whole sectors.
 */
static void preset_hdd_7200(struct disk_params *p)
{
	static const uint32_t spt[30] = {
		1240, 1218, 1196, 1173, 1151, 1129, 1107, 1084, 1062, 1040,
		1018, 995, 973, 951, 929, 906, 884, 862, 840, 817,
		795, 773, 751, 728, 706, 684, 662, 639, 617, 595,
	};
	static const uint32_t tskew[30] = {
		209, 205, 201, 198, 194, 190, 186, 183, 179, 175,
		172, 168, 164, 160, 157, 153, 149, 145, 142, 138,
		134, 130, 127, 123, 119, 115, 112, 108, 104, 100,
	};
	static const uint32_t cskew[30] = {
		268, 264, 259, 254, 249, 244, 240, 235, 230, 225,
		220, 215, 211, 206, 201, 196, 191, 187, 182, 177,
		172, 167, 163, 158, 153, 148, 143, 139, 134, 129,
	};

	hdd_common(p);
	p->queue_depth = 1;			/* 4.9 default here; NCQ: 32 */
	p->rpm = 7200;
	p->surfaces = 10;			/* estimate: 5 platters */
	set_zones(p, 3549, spt, tskew, cskew, 30);
	p->seek_single_ns = MS(0.9);		/* estimate */
	p->seek_avg_ns = MS(8.5);
	p->seek_full_ns = MS(16.0);		/* estimate */
	p->head_switch_ns = MS(1.4);
	p->write_settle_ns = MS(0.15);		/* estimate */
	p->overhead_miss_ns = MS(0.3);		/* estimate */
	p->overhead_hit_ns = MS(0.02);		/* estimate */
	p->bus_ns_per_sector = 1707;		/* SATA 3 Gb/s: 300 MB/s */
	p->cache_segments = 16;			/* 16 MiB */
	p->segment_sectors = 2048;
	p->write_back = true;
}

/*
 * Hitachi Ultrastar 15K450-class 15k rpm SAS drive.  24 zones of equal
 * width from 1600 down to 950 sectors per track (estimates); skews cover
 * a 0.3 ms head switch and a 0.4 ms cylinder switch (estimates).
 */
static void preset_hdd_15k(struct disk_params *p)
{
	static const uint32_t spt[24] = {
		1600, 1572, 1543, 1515, 1487, 1459, 1430, 1402, 1374, 1346,
		1317, 1289, 1261, 1233, 1204, 1176, 1148, 1120, 1091, 1063,
		1035, 1007, 978, 950,
	};
	static const uint32_t tskew[24] = {
		120, 118, 116, 114, 112, 110, 108, 106, 104, 101,
		99, 97, 95, 93, 91, 89, 87, 84, 82, 80,
		78, 76, 74, 72,
	};
	static const uint32_t cskew[24] = {
		160, 158, 155, 152, 149, 146, 143, 141, 138, 135,
		132, 129, 127, 124, 121, 118, 115, 112, 110, 107,
		104, 101, 98, 96,
	};

	hdd_common(p);
	p->queue_depth = 1;			/* NCQ/TCQ: set 32-64 */
	p->rpm = 15000;
	p->surfaces = 8;			/* estimate */
	set_zones(p, 4788, spt, tskew, cskew, 24);
	p->seek_single_ns = MS(0.2);		/* estimate */
	p->seek_avg_ns = MS(3.3);
	p->seek_full_ns = MS(7.0);		/* estimate */
	p->head_switch_ns = MS(0.3);		/* estimate */
	p->write_settle_ns = MS(0.2);		/* estimate */
	p->overhead_miss_ns = MS(0.075);	/* estimate */
	p->overhead_hit_ns = MS(0.02);		/* estimate */
	p->bus_ns_per_sector = 1707;		/* SAS 3 Gb/s */
	p->cache_segments = 16;			/* 16 MiB */
	p->segment_sectors = 2048;
	p->write_back = true;
}

/*
 * HP C2247A, after DiskSim's validated model.  Zone widths are estimates
 * (equal bands), no spare tracks or slip lists; intermediate zones' skews
 * are interpolated between the published outer and inner values.
 */
static void preset_hp_c2247(struct disk_params *p)
{
	static const uint32_t spt[8] = { 96, 92, 88, 84, 80, 72, 64, 56 };
	static const uint32_t tskew[8] = { 14, 13, 13, 12, 12, 11, 10, 9 };
	static const uint32_t cskew[8] = { 32, 31, 29, 28, 27, 24, 21, 19 };
	static const struct disk_seek_point table[10] = {
		{ 1, US(2890) }, { 2, US(3680) }, { 3, US(3810) },
		{ 4, US(3980) }, { 5, US(4270) }, { 6, US(4650) },
		{ 7, US(4520) }, { 8, US(4650) }, { 9, US(4820) },
		{ 10, US(4990) },
	};

	hdd_common(p);
	p->queue_depth = 1;
	p->rpm = 5400;
	p->surfaces = 13;
	set_zones(p, 256, spt, tskew, cskew, 8);
	p->zones[7].cylinders = 259;		/* 2051 cylinders in all */
	p->seek_single_ns = MS(2.89);
	p->seek_avg_ns = MS(11.5);
	p->seek_full_ns = MS(19.8);
	p->seek_table = disk_seek_table_new(table, G_N_ELEMENTS(table));
	p->has_seek_curve = true;
	p->seek_curve.a_ns = MS(3.81);
	p->seek_curve.b_q16 = MS(0.33) * 65536;
	p->seek_curve.c_ns = MS(7.75);
	p->seek_curve.e_q16 = MS(0.0059) * 65536;
	p->seek_curve.boundary = 300;
	p->head_switch_ns = MS(0.89);
	p->write_settle_ns = MS(0.65);
	p->overhead_miss_ns = 558210;
	p->overhead_hit_ns = 953430;
	/* SCSI-2 fast, 10 MB/s (DiskSim's file is tuned slower; see docs) */
	p->bus_ns_per_sector = 51200;
	p->cache_segments = 2;
	p->segment_sectors = 256;
	p->readahead_sectors = 128;
	p->write_back = false;
}

/* A SATA flash drive; every figure is a typical-of-class estimate. */
static void preset_ssd(struct disk_params *p)
{
	p->kind = DISK_KIND_SSD;
	p->queue_depth = 32;
	p->capacity_sectors = 976773168;	/* 500 GB */
	p->read_ns = US(50);
	p->program_ns = US(200);
	p->channels = 8;
	p->bandwidth_bps = 500000000;		/* SATA 6 Gb/s payload */
}

static void preset_ramdisk(struct disk_params *p)
{
	p->kind = DISK_KIND_SIMPLE;
	p->queue_depth = 1;
	p->capacity_sectors = 2097152;		/* 1 GiB */
	p->latency_ns = 1000;
	p->bandwidth_bps = 4000000000ull;	/* memcpy speed */
	p->rw_page = true;
	p->bio_based = true;	/* brd: blk_queue_make_request */
}

/* The original fixed-cost device; its values must not change. */
static void preset_simple(struct disk_params *p)
{
	p->kind = DISK_KIND_SIMPLE;
	p->capacity_sectors = 2097152;		/* 1 GiB */
	p->latency_ns = 100000;			/* 0.1 ms */
	p->bandwidth_bps = 100000000;		/* 100 MB/s */
	p->queue_depth = 1;
	p->rw_page = false;
}

static const struct {
	const char *name;
	void (*fill)(struct disk_params *p);
} presets[] = {
	{ "hdd-7200", preset_hdd_7200 },
	{ "hdd-15k", preset_hdd_15k },
	{ "hp-c2247", preset_hp_c2247 },
	{ "ssd", preset_ssd },
	{ "ramdisk", preset_ramdisk },
	{ "simple", preset_simple },
};

bool disk_preset_load(struct disk_params *p, const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(presets); i++) {
		if (strcmp(name, presets[i].name))
			continue;
		memset(p, 0, sizeof(*p));
		g_strlcpy(p->model, name, sizeof(p->model));
		presets[i].fill(p);
		return true;
	}
	return false;
}
