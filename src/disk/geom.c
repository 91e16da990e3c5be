/*
 * geom.c - the rotating disk's layout and mechanics.
 *
 * Pure functions of the parameters and of simulated time: where a logical
 * sector lies (zone, cylinder, head, sector), the angle at which it
 * starts, how long a seek of d cylinders takes, and when a given angle
 * next passes under the head.  hdd.c builds its request timing from these
 * alone, and the tests and the benchmark call them to work out expected
 * values.
 *
 * The platter's angle is a pure function of time, zero at t = -phase_ns
 * (the phase is 0 unless disk_set_phase() says otherwise).  Angles
 * are never stored as fractions: a time t (ns) on a track of spt sectors is
 * converted to units of 1/(rpm * spt) ns, in which one revolution is
 * 60e9 * spt units and one sector exactly 60e9, so every comparison of
 * angles is exact integer arithmetic (128 bits wide, since t * rpm * spt
 * overflows 64 bits after a few hours of simulated time).
 */
#include "disk/disk-int.h"

#include <math.h>
#include <string.h>

typedef unsigned __int128 u128;

uint32_t disk_params_cylinders(const struct disk_params *p)
{
	uint64_t n = 0;

	for (int i = 0; i < p->nzones; i++)
		n += p->zones[i].cylinders;
	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

uint64_t disk_params_hdd_capacity(const struct disk_params *p)
{
	uint64_t n = 0;

	for (int i = 0; i < p->nzones; i++)
		n += (uint64_t)p->zones[i].cylinders * p->surfaces *
		     p->zones[i].spt;
	return n;
}

/* floor(sqrt(x)), digit by digit: exact, no floating point. */
static uint64_t isqrt64(uint64_t x)
{
	uint64_t r = 0, bit = 1ull << 62;

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

static int64_t curve_eval(const struct disk_seek_curve *c, uint64_t d)
{
	if (d < c->boundary) {
		/* isqrt(d << 32) is sqrt(d) with 16 fractional bits */
		u128 t = (u128)(uint64_t)c->b_q16 * isqrt64(d << 32);

		return c->a_ns + (int64_t)((t + (1ull << 31)) >> 32);
	}
	return c->c_ns +
	       (int64_t)(((u128)(uint64_t)c->e_q16 * d + (1u << 15)) >> 16);
}

/*
 * Each piece grows with the distance, so its largest value is at its
 * end: d = boundary - 1 for the root, the longest seek for the line.
 */
bool disk_seek_curve_bounded(const struct disk_seek_curve *c,
			     uint32_t cylinders)
{
	uint64_t last = cylinders - 1;
	uint64_t root_end = MIN((uint64_t)c->boundary, cylinders) - 1;
	u128 root = (u128)(uint64_t)c->b_q16 * isqrt64(root_end << 32);
	u128 line = ((u128)(uint64_t)c->e_q16 * last + (1u << 15)) >> 16;

	if (c->a_ns < 0 || c->c_ns < 0 || c->b_q16 < 0 || c->e_q16 < 0)
		return false;
	if (c->boundary && (u128)c->a_ns + ((root + (1ull << 31)) >> 32) >
	    (u128)DISK_MAX_NS)
		return false;
	return last < c->boundary || (u128)c->c_ns + line <=
	       (u128)DISK_MAX_NS;
}

/*
 * Linear interpolation in the table; below its first point, its value.
 * d is at most the last distance; the segment is found by bisection, so
 * a table of any length costs O(log n).
 */
static int64_t table_eval(const struct hdd_geom *g, uint64_t d)
{
	const struct disk_seek_point *t = g->seek_table;
	int i, lo = 1, hi = g->nseek_table - 1;

	if (d <= t[0].distance)
		return t[0].ns;
	/* the first point at or past d */
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (t[mid].distance < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	i = lo;
	int64_t dd = t[i].distance - t[i - 1].distance;
	/* 128 bits: a time difference times a distance */
	__int128 num = (__int128)(t[i].ns - t[i - 1].ns) *
		       (int64_t)(d - t[i - 1].distance);

	return t[i - 1].ns + (int64_t)((num >= 0 ? num + dd / 2 :
					 num - dd / 2) / dd);
}

int64_t hdd_seek_ns(const struct hdd_geom *g, uint64_t distance)
{
	if (distance == 0)
		return 0;
	if (g->nseek_table &&
	    distance <= g->seek_table[g->nseek_table - 1].distance)
		return table_eval(g, distance);
	return curve_eval(&g->curve, distance);
}

/*
 * The two-piece curve with its boundary at cylinder k, value and slope
 * continuous there, through (1, single) and (N-1, full):
 *   a + b = S,  e = b / (2 sqrt k),  c = a + b sqrt(k) / 2,
 *   c + e (N-1) = F  =>  b = (F - S) / (sqrt(k)/2 + (N-1)/(2 sqrt k) - 1).
 */
struct fit {
	double a, b, c, e;
};

static void fit_at(double s, double f, double n, double k, struct fit *o)
{
	double rk = sqrt(k);

	o->b = (f - s) / (rk / 2 + (n - 1) / (2 * rk) - 1);
	o->a = s - o->b;
	o->e = o->b / (2 * rk);
	o->c = o->a + o->b * rk / 2;
}

/* Prefix sums over distances 1..k-1 of w, w*sqrt(d), w*d; w = N - d. */
struct prefix {
	double w, wsq, wd;
};

static double fit_avg(const struct prefix *pre, uint32_t n, uint32_t k,
		      const struct fit *f)
{
	const struct prefix *lo = &pre[k], *all = &pre[n];

	return (f->a * lo->w + f->b * lo->wsq + f->c * (all->w - lo->w) +
		f->e * (all->wd - lo->wd)) / all->w;
}

static int64_t round_ns(double x)
{
	return (int64_t)floor(x + 0.5);
}

/*
 * Fit the curve to the published single-track, average and full-stroke
 * times.  The average is the expectation over uniformly random start and
 * end cylinders, zero-length seeks excluded, i.e. distance d weighted by
 * N - d.  The boundary is searched among whole cylinders (the average
 * grows with it: a later boundary means a more concave curve).  Floating
 * point is used only here, once per device, and the result is rounded to
 * the integer form the simulation evaluates.  Returns false (and a
 * straight line from single to full) when no boundary meets the average.
 */
bool disk_seek_fit(const struct disk_params *p, struct disk_seek_curve *out)
{
	uint32_t n = disk_params_cylinders(p);
	double s = (double)p->seek_single_ns, f = (double)p->seek_full_ns;
	double avg = (double)p->seek_avg_ns;
	struct prefix *pre;
	struct fit fk;
	uint32_t lo = 1, hi, k;
	bool ok;

	if (n < 3) {
		*out = (struct disk_seek_curve){ .c_ns = p->seek_single_ns };
		return false;
	}
	pre = g_new0(struct prefix, (size_t)n + 1);
	for (uint32_t d = 1; d < n; d++) {
		double w = (double)(n - d);

		pre[d + 1].w = pre[d].w + w;
		pre[d + 1].wsq = pre[d].wsq + w * sqrt((double)d);
		pre[d + 1].wd = pre[d].wd + w * d;
	}
	hi = n - 1;
	fit_at(s, f, n, lo, &fk);
	ok = fit_avg(pre, n, lo, &fk) <= avg;
	fit_at(s, f, n, hi, &fk);
	ok = ok && fit_avg(pre, n, hi, &fk) >= avg;
	if (ok) {
		/* smallest boundary whose average reaches the target */
		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;

			fit_at(s, f, n, mid, &fk);
			if (fit_avg(pre, n, mid, &fk) >= avg)
				hi = mid;
			else
				lo = mid + 1;
		}
		k = lo;
	} else {
		k = 1;
	}
	g_free(pre);
	fit_at(s, f, n, k, &fk);
	out->a_ns = round_ns(fk.a);
	out->b_q16 = round_ns(fk.b * 65536.0);
	out->c_ns = round_ns(fk.c);
	out->e_q16 = round_ns(fk.e * 65536.0);
	out->boundary = k;
	return ok;
}

/*
 * disk_seek_fit(), remembering the last parameters it was given: the
 * replications of a run build the same disk again and again, and the fit
 * (a pass over every cylinder distance) is most of the cost of building
 * one.  The parameters are compared whole, so a hit gives exactly what
 * the fit would (a copy of the same values compares equal byte for byte).
 */
static void seek_fit_memo(const struct disk_params *p,
			  struct disk_seek_curve *out)
{
	static struct disk_params last;
	static struct disk_seek_curve last_curve;
	static bool have;

	if (!have || memcmp(&last, p, sizeof(last))) {
		disk_seek_fit(p, &last_curve);
		memcpy(&last, p, sizeof(last));
		have = true;
	}
	*out = last_curve;
}

void hdd_geom_init(struct hdd_geom *g, const struct disk_params *p)
{
	uint64_t lba = 0;
	uint32_t cyl = 0;

	*g = (struct hdd_geom){
		.rpm = p->rpm,
		.surfaces = p->surfaces,
		.nzones = p->nzones,
		.nseek_table = p->seek_table ? (int)p->seek_table->len : 0,
		.seek_table = p->seek_table ?
			(const struct disk_seek_point *)(void *)
			p->seek_table->data : NULL,
		.head_switch_ns = p->head_switch_ns,
		.write_settle_ns = p->write_settle_ns,
	};
	for (int i = 0; i < p->nzones; i++) {
		struct hdd_zone *z = &g->zone[i];

		z->first_lba = lba;
		z->first_cyl = cyl;
		z->cylinders = p->zones[i].cylinders;
		z->spt = p->zones[i].spt;
		z->track_skew = p->track_skew[p->ntrack_skew > 1 ? i : 0];
		z->cyl_skew = p->cyl_skew[p->ncyl_skew > 1 ? i : 0];
		lba += (uint64_t)z->cylinders * p->surfaces * z->spt;
		cyl += z->cylinders;
	}
	g->capacity = lba;
	g->cylinders = cyl;
	if (p->has_seek_curve)
		g->curve = p->seek_curve;
	else
		seek_fit_memo(p, &g->curve);
}

/* Conventional mapping: every head of a cylinder, then the next one. */
void hdd_locate(const struct hdd_geom *g, uint64_t lba, struct hdd_chs *out)
{
	int lo = 0, hi = g->nzones - 1;
	const struct hdd_zone *z;
	uint64_t rel, track;

	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;

		if (g->zone[mid].first_lba <= lba)
			lo = mid;
		else
			hi = mid - 1;
	}
	z = &g->zone[lo];
	rel = lba - z->first_lba;
	track = rel / z->spt;
	out->zone = lo;
	out->sector = (uint32_t)(rel % z->spt);
	out->head = (uint32_t)(track % g->surfaces);
	out->cyl = z->first_cyl + (uint32_t)(track / g->surfaces);
}

/*
 * Angular position of a sector's start, in sectors from angle 0:
 * (h + (S-1) c) * track_skew + c * cyl_skew + s, c counted from the
 * zone's first cylinder.  Each head switch adds a track skew; a crossing
 * from the last head to the next cylinder's head 0 adds a cylinder skew
 * and no track skew.  Every zone starts at angle 0.
 */
uint32_t hdd_slot(const struct hdd_geom *g, const struct hdd_chs *c)
{
	const struct hdd_zone *z = &g->zone[c->zone];
	uint64_t crel = c->cyl - z->first_cyl;
	uint64_t v = (c->head + (uint64_t)(g->surfaces - 1) * crel) *
		     z->track_skew + crel * z->cyl_skew + c->sector;

	return (uint32_t)(v % z->spt);
}

/*
 * Positioning time from (cylinder, head) to a sector: the seek, or the
 * head switch if that is longer, plus the write settle when a write had
 * to move the head at all.
 */
int64_t hdd_position_ns(const struct hdd_geom *g, uint32_t from_cyl,
			uint32_t from_head, const struct hdd_chs *to,
			bool write, uint64_t *distance)
{
	uint64_t d = to->cyl > from_cyl ? to->cyl - from_cyl :
		     from_cyl - to->cyl;
	int64_t t = hdd_seek_ns(g, d);

	if (to->head != from_head && t < g->head_switch_ns)
		t = g->head_switch_ns;
	if (write && t > 0)
		t += g->write_settle_ns;
	if (distance)
		*distance = d;
	return t;
}

/*
 * The earliest time >= t at which the start of angular slot `slot` of a
 * track of spt sectors is under the head.  A slot that passed less than
 * 1 ns ago counts as under the head: the times handed in are rounded up
 * to whole nanoseconds, so a sector that follows its predecessor directly
 * must not be missed by that rounding.
 */
int64_t hdd_slot_time(const struct hdd_geom *g, int64_t t, uint32_t spt,
		      uint32_t slot)
{
	u128 per_ns = (u128)g->rpm * spt;
	u128 rev = (u128)DISK_NS_PER_MIN * spt;
	u128 phase = ((u128)(uint64_t)(t + g->phase_ns) * per_ns) % rev;
	u128 wait = ((u128)slot * DISK_NS_PER_MIN + rev - phase) % rev;

	if (rev - wait < per_ns)
		wait = 0;
	return t + (int64_t)((wait + per_ns - 1) / per_ns);
}

/*
 * When n sectors from slot `slot` end, given the time `start` that
 * hdd_slot_time() returned for that slot.  Counted from the slot's exact
 * angle rather than from the rounded start, so that rounding never
 * accumulates from one run of sectors to the next.
 */
int64_t hdd_run_end(const struct hdd_geom *g, int64_t start, uint32_t spt,
		    uint32_t slot, uint64_t n)
{
	u128 per_ns = (u128)g->rpm * spt;
	u128 rev = (u128)DISK_NS_PER_MIN * spt;
	u128 now = (u128)(uint64_t)(start + g->phase_ns) * per_ns;
	u128 back = (now % rev + rev - (u128)slot * DISK_NS_PER_MIN) % rev;
	u128 end = now - back + (u128)n * DISK_NS_PER_MIN;

	return (int64_t)((end + per_ns - 1) / per_ns) - g->phase_ns;
}

/* Whole sectors of a track of spt that pass under the head in elapsed ns. */
uint64_t hdd_sectors_by(const struct hdd_geom *g, uint32_t spt,
			int64_t elapsed)
{
	if (elapsed <= 0)
		return 0;
	return (uint64_t)((u128)(uint64_t)elapsed * g->rpm * spt /
			  DISK_NS_PER_MIN);
}

/*
 * Mean seek over uniformly random start and end cylinders, zero-length
 * seeks excluded (distance d has weight N - d): the spec-sheet average.
 */
int64_t hdd_avg_seek_ns(const struct hdd_geom *g)
{
	u128 sum = 0, w = 0;
	uint64_t n = g->cylinders;

	for (uint64_t d = 1; d < n; d++) {
		sum += (u128)(n - d) * (uint64_t)hdd_seek_ns(g, d);
		w += n - d;
	}
	return w ? (int64_t)((sum + w / 2) / w) : 0;
}
