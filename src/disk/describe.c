/*
 * describe.c - a readable account of a parameter set ("disk-info").
 *
 * Lists every parameter as disk_params_foreach() reports it, then the
 * figures a reader would otherwise work out by hand: for a rotating disk
 * the revolution time, each zone's media rate and sustained rate across
 * tracks and cylinders, the seek curve in use at a few distances and its
 * random average, and the capacity; for every device whether it has a
 * volatile write cache and a request queue.
 */
#include "disk/disk-int.h"

#include <inttypes.h>

static void describe_one(const char *key, const char *value, void *arg)
{
	g_string_append_printf(arg, "  %-18s %s\n", key, value);
}

/* ns as milliseconds with three decimals, without floating point. */
static void append_ms(GString *s, int64_t ns)
{
	g_string_append_printf(s, "%" PRId64 ".%03" PRId64 " ms",
			       ns / 1000000, (ns % 1000000 + 500) / 1000);
}

/* sectors / ns as MB/s (10^6 bytes) with two decimals, in integers. */
static void append_rate(GString *s, unsigned __int128 sectors,
			unsigned __int128 ns)
{
	uint64_t c = (uint64_t)(sectors * DISK_SECTOR_SIZE * 100000 / ns);

	g_string_append_printf(s, "%4" PRIu64 ".%02" PRIu64 " MB/s",
			       c / 100, c % 100);
}

static void describe_hdd(const struct disk_params *p, GString *out)
{
	struct hdd_geom g;
	int64_t rev_ns = (int64_t)(DISK_NS_PER_MIN / p->rpm);
	const struct disk_seek_curve *c;

	hdd_geom_init(&g, p);
	c = &g.curve;
	g_string_append(out, "derived:\n  revolution         ");
	append_ms(out, rev_ns);
	g_string_append_printf(out, " (%" PRIu32 " rpm)\n", p->rpm);
	g_string_append_printf(out, "  cylinders          %" PRIu32 "\n",
			       g.cylinders);
	g_string_append_printf(out, "  capacity           %" PRIu64
			       " sectors (%" PRIu64 " MB)\n", g.capacity,
			       g.capacity * DISK_SECTOR_SIZE / 1000000);
	g_string_append(out, "  zone  cylinders      spt  skew t/c        media"
			     "    sustained\n");
	for (int i = 0; i < g.nzones; i++) {
		const struct hdd_zone *z = &g.zone[i];
		uint64_t s = g.surfaces;
		uint64_t sectors = s * z->spt;
		/* a cylinder: S tracks, S-1 track skews and a cylinder skew */
		uint64_t slots = sectors + (s - 1) * z->track_skew +
				 z->cyl_skew;

		g_string_append_printf(out, "  %4d  %6" PRIu32 "-%-6" PRIu32
				       " %5" PRIu32 "  %4" PRIu32 "/%-4" PRIu32
				       " ", i, z->first_cyl,
				       z->first_cyl + z->cylinders - 1,
				       z->spt, z->track_skew, z->cyl_skew);
		/* spt sectors per revolution of 60e9 / rpm ns */
		append_rate(out, (unsigned __int128)z->spt * p->rpm,
			    DISK_NS_PER_MIN);
		g_string_append(out, "  ");
		/* S * spt sectors in slots sector times */
		append_rate(out, (unsigned __int128)sectors * p->rpm * z->spt,
			    (unsigned __int128)slots * DISK_NS_PER_MIN);
		g_string_append(out, "\n");
	}
	if (p->has_seek_curve)
		g_string_append(out, "  seek curve         (given) ");
	else
		g_string_append(out, "  seek curve         (fitted) ");
	g_string_append_printf(out, "%" PRId64 " + %.4f*sqrt(d) ns below %"
			       PRIu32 " cylinders, %" PRId64
			       " + %.4f*d ns from there\n", c->a_ns,
			       c->b_q16 / 65536.0, c->boundary, c->c_ns,
			       c->e_q16 / 65536.0);
	if (g.nseek_table)
		g_string_append_printf(out, "  seek table         up to %"
				       PRIu32 " cylinders\n",
				       g.seek_table[g.nseek_table - 1].distance);
	g_string_append(out, "  seek 1 cylinder    ");
	append_ms(out, hdd_seek_ns(&g, 1));
	g_string_append(out, "\n  seek 1/3 stroke    ");
	append_ms(out, hdd_seek_ns(&g, g.cylinders / 3));
	g_string_append(out, "\n  seek full stroke   ");
	append_ms(out, hdd_seek_ns(&g, g.cylinders - 1));
	g_string_append(out, "\n  seek random avg    ");
	append_ms(out, hdd_avg_seek_ns(&g));
	g_string_append(out, "\n");
}

/*
 * What the block layer sees: a volatile write cache (write_back on, as
 * disk_has_write_cache) or none, in which case a flush ends at
 * submission; and whether the device is bio-based.
 */
static void describe_block_side(const struct disk_params *p, GString *out)
{
	bool wc = p->kind == DISK_KIND_HDD && p->write_back;
	bool bio_based = p->kind == DISK_KIND_SIMPLE && p->bio_based;

	g_string_append_printf(out, "  write cache        %s\n",
			       wc ? "volatile (write_back on): a flush is a "
				    "request to the drive"
				  : "none: a flush ends at submission, with "
				    "no request");
	g_string_append_printf(out, "  request queue      %s\n",
			       bio_based ? "none (bio-based: each bio is "
					   "served inside submit_bio)"
					 : "yes (plug, elevator, requests)");
}

void disk_params_describe(const struct disk_params *p, GString *out)
{
	g_string_append_printf(out, "%s:\n", p->model);
	disk_params_foreach(p, describe_one, out);
	switch (p->kind) {
	case DISK_KIND_HDD:
		describe_hdd(p, out);
		break;
	case DISK_KIND_SIMPLE:
	case DISK_KIND_SSD:
		g_string_append_printf(out, "derived:\n  capacity           %"
				       PRIu64 " sectors (%" PRIu64 " MB)\n",
				       p->capacity_sectors,
				       p->capacity_sectors *
				       DISK_SECTOR_SIZE / 1000000);
		break;
	}
	describe_block_side(p, out);
}
