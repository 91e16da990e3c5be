/*
 * blk-fault.c - device faults.  A scenario's [fault] group says which
 * requests the device fails:
 *
 *   sectors  = A-B, C, ...   requests that touch any of these sectors
 *   requests = N, M-K, ...   requests by number (the request table's seq)
 *   op       = R | W | any   requests of this direction (default any)
 *   count    = N             only the first N requests that match
 *
 * Every criterion given must hold.  The driver glue (blk-driver.c) asks
 * at dispatch, in dispatch order; a failed request still costs the
 * device its full service time (the medium error is found at the end of
 * the transfer) and then completes with -EIO, which travels as in 4.9:
 * req_bio_endio() sets bio->bi_error and each bio's end_io sees it
 * (mpage_end_io -> page_endio; end_buffer_async_read; end_buffer_read_sync
 * for metadata, so that sb_bread() returns NULL).
 */
#include "block/blk-fault.h"

#include <errno.h>
#include <string.h>
#include "block/blk.h"

void blk_fault_init(struct blk_fault *f)
{
	memset(f, 0, sizeof(*f));
}

void blk_fault_clear(struct blk_fault *f)
{
	g_free(f->sectors);
	g_free(f->requests);
	blk_fault_init(f);
}

void blk_fault_copy(struct blk_fault *dst, const struct blk_fault *src)
{
	*dst = *src;
	dst->sectors = g_memdup2(src->sectors,
				 2 * src->nr_sectors * sizeof(uint64_t));
	dst->requests = g_memdup2(src->requests,
				  2 * src->nr_requests * sizeof(uint64_t));
}

static gint cmp_range(gconstpointer a, gconstpointer b)
{
	const uint64_t *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

static bool bad_value(GError **err, const char *value, const char *what)
{
	g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		    "\"%s\" is not %s", value, what);
	return false;
}

/* "A-B, C": closed ranges of numbers from min, sorted by start */
static bool parse_ranges(const char *value, uint64_t min, uint64_t **out,
			 unsigned *n, const char *what, GError **err)
{
	char **items = g_strsplit(value, ",", -1);
	GArray *a = g_array_new(FALSE, FALSE, 2 * sizeof(uint64_t));
	bool ok = true;

	for (char **it = items; *it && ok; it++) {
		char *item = g_strstrip(*it), *dash = strchr(item, '-');
		guint64 r[2];

		if (dash)
			*dash = '\0';
		ok = g_ascii_string_to_unsigned(g_strstrip(item), 10, min,
						G_MAXINT64, &r[0], NULL) &&
		     (!dash || g_ascii_string_to_unsigned(g_strstrip(dash + 1),
							  10, min, G_MAXINT64,
							  &r[1], NULL));
		if (!dash)
			r[1] = r[0];
		if (ok && r[1] < r[0])
			ok = false;
		if (ok)
			g_array_append_val(a, r);
	}
	g_strfreev(items);
	if (ok && !a->len)
		ok = false;
	if (!ok) {
		g_array_unref(a);
		return bad_value(err, value, what);
	}
	g_array_sort(a, cmp_range);
	/* overlapping ranges as one: disjoint, for meets()'s search */
	if (a->len) {
		uint64_t *r = (uint64_t *)(void *)a->data;
		guint k = 0;

		for (guint i = 1; i < a->len; i++) {
			if (r[2 * i] <= r[2 * k + 1]) {
				r[2 * k + 1] = MAX(r[2 * k + 1], r[2 * i + 1]);
			} else {
				k++;
				r[2 * k] = r[2 * i];
				r[2 * k + 1] = r[2 * i + 1];
			}
		}
		g_array_set_size(a, k + 1);
	}
	*n = a->len;
	g_free(*out);
	*out = (uint64_t *)(void *)g_array_free(a, FALSE);
	return true;
}

bool blk_fault_set(struct blk_fault *f, const char *key, const char *value,
		   GError **err)
{
	bool ok;

	if (!strcmp(key, "sectors")) {
		ok = parse_ranges(value, 0, &f->sectors, &f->nr_sectors,
				  "a list of sectors and ranges (A-B, C)",
				  err);
	} else if (!strcmp(key, "requests")) {
		ok = parse_ranges(value, 1, &f->requests, &f->nr_requests,
				  "a list of request numbers and ranges "
				  "(1, 2, ...; A-B)", err);
	} else if (!strcmp(key, "op")) {
		ok = true;
		if (!g_ascii_strcasecmp(value, "R") ||
		    !g_ascii_strcasecmp(value, "read"))
			f->op = BLK_FAULT_READ;
		else if (!g_ascii_strcasecmp(value, "W") ||
			 !g_ascii_strcasecmp(value, "write"))
			f->op = BLK_FAULT_WRITE;
		else if (!g_ascii_strcasecmp(value, "any"))
			f->op = BLK_FAULT_ANY;
		else
			ok = bad_value(err, value, "R, W or any");
	} else if (!strcmp(key, "count")) {
		guint64 v;

		ok = g_ascii_string_to_unsigned(value, 10, 1, G_MAXINT64, &v,
						NULL);
		if (ok)
			f->count = v;
		else
			bad_value(err, value, "a whole number from 1");
	} else {
		g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
			    "unknown key (known: sectors, requests, op, "
			    "count)");
		return false;
	}
	if (ok)
		f->set = true;
	return ok;
}

static void ranges_text(GString *s, const uint64_t *r, unsigned n)
{
	g_string_truncate(s, 0);
	for (unsigned i = 0; i < n; i++) {
		g_string_append_printf(s, "%s%" G_GUINT64_FORMAT, i ? "," : "",
				       (guint64)r[2 * i]);
		if (r[2 * i + 1] != r[2 * i])
			g_string_append_printf(s, "-%" G_GUINT64_FORMAT,
					       (guint64)r[2 * i + 1]);
	}
}

void blk_fault_foreach(const struct blk_fault *f,
		       void (*fn)(const char *key, const char *value,
				  void *arg), void *arg)
{
	static const char *const ops[] = { "any", "R", "W" };
	GString *s;
	char buf[24];

	if (!f->set)
		return;
	s = g_string_new(NULL);
	g_snprintf(buf, sizeof(buf), "%" G_GUINT64_FORMAT, (guint64)f->count);
	fn("count", f->count ? buf : "", arg);
	fn("op", ops[f->op], arg);
	ranges_text(s, f->requests, f->nr_requests);
	fn("requests", s->str, arg);
	ranges_text(s, f->sectors, f->nr_sectors);
	fn("sectors", s->str, arg);
	g_string_free(s, TRUE);
}

/* Does [lo, hi] meet one of the n sorted closed ranges r? */
/*
 * Does [lo, hi] meet one of the n sorted, disjoint ranges r?  The last
 * range that starts at or before hi has the largest end of those that do:
 * a binary search, so that a long list costs little per request.
 */
static bool meets(const uint64_t *r, unsigned n, uint64_t lo, uint64_t hi)
{
	unsigned a = 0, b = n;	/* ranges [0, a) start <= hi, [b, n) > hi */

	while (a < b) {
		unsigned m = a + (b - a) / 2;

		if (r[2 * m] <= hi)
			a = m + 1;
		else
			b = m;
	}
	return a > 0 && r[2 * (a - 1) + 1] >= lo;
}

int blk_fault_check(const struct blk_fault *f, const struct request *rq,
		    uint64_t *failed)
{
	uint64_t first = blk_rq_pos(rq);
	uint64_t last = first + MAX(blk_rq_sectors(rq), 1u) - 1;

	if (!f->set)
		return 0;
	if (f->count && *failed >= f->count)
		return 0;
	if (f->op == BLK_FAULT_READ && rq->op != REQ_OP_READ)
		return 0;
	if (f->op == BLK_FAULT_WRITE && rq->op != REQ_OP_WRITE)
		return 0;
	if (f->nr_sectors && !meets(f->sectors, f->nr_sectors, first, last))
		return 0;
	if (f->nr_requests &&
	    !meets(f->requests, f->nr_requests, rq->seq, rq->seq))
		return 0;
	(*failed)++;
	return -EIO;
}
