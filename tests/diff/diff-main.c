/*
 * diff-main.c - the differential test of fs/mpage.c: the port (reads and
 * writes, with the ext2 mapping, buffer cache and write_cache_pages under
 * them) against the kernel's own fs/mpage.c compiled unmodified over a
 * shim (see docs/testing.md).
 *
 *   diff-mpage [--seed S] [--count N] [--first K] [--boundary on|off|both]
 *              [--reads|--writes|--both] [--out DIR] [--tap] [--show]
 *              [--replay FILE...]
 *
 * --reads (the default) runs N read cases, --writes N write cases, --both
 * N of each.  Generated cases alternate BH_Boundary on and off (--boundary
 * both).  A
 * case whose logs differ is shrunk (pages dropped, faults, cached pages,
 * map extents and pointer blocks removed, the file shortened, while the
 * difference remains) and written to DIR/diff-S-N.case, which --replay
 * runs again; --show prints a replayed or generated case's events (the reference's,
 * then the port's when they differ).  Exit status 0 when no case differs, 1 otherwise, 2 on bad
 * usage or input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "case.h"
#include "gen.h"
#include "sides.h"

static GPtrArray *run_side(const struct dcase *c, bool ref)
{
	GPtrArray *log = g_ptr_array_new_with_free_func(g_free);

	if (ref)
		ref_run_case(c, log);
	else
		port_run_case(c, log);
	return log;
}

/* Index of the first differing line, or -1 when the logs agree. */
static int first_difference(GPtrArray *a, GPtrArray *b)
{
	guint n = MIN(a->len, b->len);

	for (guint i = 0; i < n; i++)
		if (strcmp(g_ptr_array_index(a, i), g_ptr_array_index(b, i)))
			return (int)i;
	return a->len == b->len ? -1 : (int)n;
}

static bool differs(const struct dcase *c)
{
	GPtrArray *a = run_side(c, true), *b = run_side(c, false);
	bool d = first_difference(a, b) >= 0;

	g_ptr_array_unref(a);
	g_ptr_array_unref(b);
	return d;
}

/* ---- shrinking ---- */

/* Try c with array `a` less elements [i, i+n); keep it if it differs. */
static bool try_drop(struct dcase **c, size_t field, guint i, guint n)
{
	struct dcase *d = case_copy(*c);
	GArray *a = *(GArray **)((char *)d + field);

	g_array_remove_range(a, i, n);
	if ((a == d->pages && !a->len && d->op != DOP_WRITEPAGES) ||
	    case_invalid(d)) {
		case_free(d);
		return false;
	}
	if (differs(d)) {
		case_free(*c);
		*c = d;
		return true;
	}
	case_free(d);
	return false;
}

/* ddmin-like: drop chunks of halving size from one array. */
static bool shrink_array(struct dcase **c, size_t field)
{
	bool any = false;
	GArray *a = *(GArray **)((char *)*c + field);

	for (guint chunk = MAX(a->len / 2, 1); chunk >= 1; chunk /= 2) {
		for (guint i = 0;;) {
			a = *(GArray **)((char *)*c + field);
			if (i >= a->len)
				break;
			if (try_drop(c, field, i, MIN(chunk, a->len - i)))
				any = true;
			else
				i += chunk;
		}
		if (chunk == 1)
			break;
	}
	return any;
}

static bool try_case(struct dcase **c, struct dcase *d)
{
	if (!case_invalid(d) && differs(d)) {
		case_free(*c);
		*c = d;
		return true;
	}
	case_free(d);
	return false;
}

static bool shrink_scalars(struct dcase **c)
{
	bool any = false;
	struct dcase *d;
	uint64_t last = 0;

	if ((*c)->memalloc) {
		d = case_copy(*c);
		d->memalloc = false;
		any |= try_case(c, d);
	}
	if ((*c)->aops) {
		d = case_copy(*c);
		d->aops = false;
		any |= try_case(c, d);
	}
	if ((*c)->rw_page) {
		d = case_copy(*c);
		d->rw_page = false;
		any |= try_case(c, d);
	}
	for (guint i = 0; i < (*c)->pages->len; i++)
		last = MAX(last, g_array_index((*c)->pages, uint64_t, i));
	/* a shorter file: to the end of the last page read, then less */
	if ((*c)->isize > (last + 1) * 4096) {
		d = case_copy(*c);
		d->isize = (last + 1) * 4096;
		any |= try_case(c, d);
	}
	for (uint64_t step = 4096; step >= 1; step /= 2) {
		while ((*c)->isize > step) {
			d = case_copy(*c);
			d->isize -= step;
			if (!try_case(c, d))
				break;
			any = true;
		}
	}
	/* map extents: shorter from either end */
	for (guint i = 0; i < (*c)->map->len; i++) {
		struct dextent *e;

		for (;;) {
			e = &g_array_index((*c)->map, struct dextent, i);
			if (e->len < 2)
				break;
			d = case_copy(*c);
			g_array_index(d->map, struct dextent, i).len--;
			if (!try_case(c, d)) {
				d = case_copy(*c);
				e = &g_array_index(d->map, struct dextent, i);
				e->len--;
				e->lblk++;
				e->pblk++;
				if (!try_case(c, d))
					break;
			}
			any = true;
		}
	}
	/* pointer blocks: clean, then cold rather than cached */
	for (guint i = 0; i < (*c)->ptrs->len; i++) {
		if (g_array_index((*c)->ptrs, struct dptr, i).dirty) {
			d = case_copy(*c);
			g_array_index(d->ptrs, struct dptr, i).dirty = false;
			any |= try_case(c, d);
		}
		if (!g_array_index((*c)->ptrs, struct dptr, i).cached ||
		    g_array_index((*c)->ptrs, struct dptr, i).dirty)
			continue;
		d = case_copy(*c);
		g_array_index(d->ptrs, struct dptr, i).cached = false;
		any |= try_case(c, d);
	}
	/* writes: the whole file, no budget, no writeback pages */
	if ((*c)->cyclic || (*c)->range_start ||
	    (*c)->range_end != DRANGE_WHOLE_END) {
		d = case_copy(*c);
		d->cyclic = false;
		d->wb_index = 0;
		d->range_start = 0;
		d->range_end = DRANGE_WHOLE_END;
		any |= try_case(c, d);
	}
	if ((*c)->tagged) {
		d = case_copy(*c);
		d->tagged = false;
		any |= try_case(c, d);
	}
	if ((*c)->nr_to_write != INT64_MAX) {
		d = case_copy(*c);
		d->nr_to_write = INT64_MAX;
		any |= try_case(c, d);
	}
	for (guint i = 0; i < (*c)->cached->len; i++) {
		if (!g_array_index((*c)->cached, struct dpage, i).writeback)
			continue;
		d = case_copy(*c);
		g_array_index(d->cached, struct dpage, i).writeback = false;
		any |= try_case(c, d);
	}
	return any;
}

static struct dcase *shrink(const struct dcase *c0)
{
	struct dcase *c = case_copy(c0);
	const size_t fields[] = {
		offsetof(struct dcase, pages),
		offsetof(struct dcase, cached),
		offsetof(struct dcase, uptodate),
		offsetof(struct dcase, eio),
		offsetof(struct dcase, metaeio),
		offsetof(struct dcase, cleancache),
		offsetof(struct dcase, allocfail),
		offsetof(struct dcase, bioeio),
		offsetof(struct dcase, map),
		offsetof(struct dcase, ptrs),
		offsetof(struct dcase, freeblk),
		offsetof(struct dcase, wperr),
		offsetof(struct dcase, stale),
	};
	bool any;

	do {
		any = false;
		for (size_t f = 0; f < G_N_ELEMENTS(fields); f++)
			any |= shrink_array(&c, fields[f]);
		any |= shrink_scalars(&c);
	} while (any);
	return c;
}

/* ---- reporting ---- */

static void print_logs(FILE *out, const struct dcase *c, const char *pfx)
{
	GPtrArray *a = run_side(c, true), *b = run_side(c, false);
	int at = first_difference(a, b);
	int from = MAX(at - 6, 0);

	fprintf(out, "%sfirst difference at event %d (reference | port):\n",
		pfx, at);
	for (int i = from; i < at + 4; i++) {
		const char *x = i < (int)a->len ? g_ptr_array_index(a, i) : "";
		const char *y = i < (int)b->len ? g_ptr_array_index(b, i) : "";

		if (i >= (int)a->len && i >= (int)b->len)
			break;
		fprintf(out, "%s %c %-44s | %s\n", pfx, i == at ? '>' : ' ',
			x, y);
	}
	g_ptr_array_unref(a);
	g_ptr_array_unref(b);
}

static void print_case(FILE *out, const struct dcase *c, const char *pfx)
{
	char *text = case_format(c);
	char **lines = g_strsplit(text, "\n", -1);

	for (int i = 0; lines[i] && *lines[i]; i++)
		fprintf(out, "%s   %s\n", pfx, lines[i]);
	g_strfreev(lines);
	g_free(text);
}

static void report(const struct dcase *c, const char *what, const char *dir,
		   const char *kind, uint64_t seed, uint64_t n, bool tap)
{
	const char *pfx = tap ? "#" : "";
	struct dcase *s = shrink(c);
	char *path = g_strdup_printf("%s/diff-%s%" G_GUINT64_FORMAT "-%"
				     G_GUINT64_FORMAT ".case", dir, kind, seed,
				     n);
	char *text = case_format(s);
	GError *err = NULL;

	fprintf(stdout, "%s%s differs; shrunk to:\n", pfx, what);
	print_case(stdout, s, pfx);
	print_logs(stdout, s, pfx);
	if (!g_file_set_contents(path, text, -1, &err)) {
		fprintf(stdout, "%scannot write %s: %s\n", pfx, path,
			err->message);
		g_error_free(err);
	} else {
		fprintf(stdout, "%sreplay: tests/diff-seed --replay %s\n",
			pfx, path);
	}
	g_free(text);
	g_free(path);
	case_free(s);
}

static void show_logs(const struct dcase *c)
{
	GPtrArray *a = run_side(c, true), *b = run_side(c, false);

	for (guint i = 0; i < a->len; i++)
		printf("  %s\n", (char *)g_ptr_array_index(a, i));
	if (first_difference(a, b) >= 0) {
		printf("port:\n");
		for (guint i = 0; i < b->len; i++)
			printf("  %s\n", (char *)g_ptr_array_index(b, i));
	}
	g_ptr_array_unref(a);
	g_ptr_array_unref(b);
}

/* count generated cases; 1 if any differs, else 0. */
static unsigned run_generated(bool writes, uint64_t seed, uint64_t first,
			      uint64_t count, const char *boundary,
			      const char *out, bool tap, bool show,
			      unsigned *tapno)
{
	const char *kind = writes ? "write" : "read";
	uint64_t ndiff = 0;

	for (uint64_t n = first; n < first + count; n++) {
		bool b = !strcmp(boundary, "both") ? (n % 2 == 0) :
			 !strcmp(boundary, "on");
		struct dcase *c = writes ? gen_write_case(seed, n, b) :
			gen_case(seed, n, b);

		if (show) {
			print_case(stdout, c, "");
			show_logs(c);
		}
		if (differs(c)) {
			char *what = g_strdup_printf("%s case %" G_GUINT64_FORMAT
						     " of seed %"
						     G_GUINT64_FORMAT, kind, n,
						     seed);
			if (ndiff++ < 3)
				report(c, what, out, writes ? "w" : "", seed,
				       n, tap);
			g_free(what);
		}
		case_free(c);
	}
	if (!count)
		return 0;
	if (tap)
		printf("%s %u - %" G_GUINT64_FORMAT " %s cases of seed %"
		       G_GUINT64_FORMAT " (boundary %s): %" G_GUINT64_FORMAT
		       " differ\n", ndiff ? "not ok" : "ok", ++*tapno, count,
		       kind, seed, boundary, ndiff);
	else
		printf("%" G_GUINT64_FORMAT " %s cases of seed %"
		       G_GUINT64_FORMAT " from %" G_GUINT64_FORMAT
		       " (boundary %s): %" G_GUINT64_FORMAT " differ\n",
		       count, kind, seed, first, boundary, ndiff);
	return ndiff ? 1 : 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: diff-mpage [--seed S] [--count N] "
		"[--first K] [--boundary on|off|both] [--reads|--writes|--both] "
		"[--out DIR] [--tap] [--show] [--replay FILE...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t seed = 1, count = 0, first = 0;
	const char *boundary = "both", *out = ".";
	bool tap = false, have_count = false, show = false;
	GPtrArray *replays = g_ptr_array_new();
	unsigned failed = 0, tapno = 0, kinds = 1;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--tap")) {
			tap = true;
			continue;
		}
		if (!strcmp(a, "--show")) {
			show = true;
			continue;
		}
		if (!strcmp(a, "--reads") || !strcmp(a, "--writes") ||
		    !strcmp(a, "--both")) {
			kinds = a[2] == 'r' ? 1 : a[2] == 'w' ? 2 : 3;
			continue;
		}
		if (!v)
			usage();
		i++;
		if (!strcmp(a, "--seed"))
			seed = g_ascii_strtoull(v, NULL, 10);
		else if (!strcmp(a, "--count")) {
			count = g_ascii_strtoull(v, NULL, 10);
			have_count = true;
		} else if (!strcmp(a, "--first"))
			first = g_ascii_strtoull(v, NULL, 10);
		else if (!strcmp(a, "--boundary"))
			boundary = v;
		else if (!strcmp(a, "--out"))
			out = v;
		else if (!strcmp(a, "--replay")) {
			g_ptr_array_add(replays, (gpointer)v);
			/* and every file after it, up to the next option */
			while (i + 1 < argc && strncmp(argv[i + 1], "--", 2))
				g_ptr_array_add(replays, argv[++i]);
		}
		else
			usage();
	}
	if (strcmp(boundary, "on") && strcmp(boundary, "off") &&
	    strcmp(boundary, "both"))
		usage();
	if (!have_count && !replays->len)
		count = 1000;
	if (tap)
		printf("1..%u\n", (count ? (kinds == 3 ? 2 : 1) : 0) +
		       replays->len);

	for (guint i = 0; i < replays->len; i++) {
		const char *file = g_ptr_array_index(replays, i);
		char *text = NULL;
		GError *err = NULL;
		struct dcase *c;

		if (!g_file_get_contents(file, &text, NULL, &err)) {
			fprintf(stderr, "diff-mpage: %s\n", err->message);
			return 2;
		}
		c = case_parse(text, file, &err);
		g_free(text);
		if (!c) {
			fprintf(stderr, "diff-mpage: %s\n", err->message);
			return 2;
		}
		if (show)
			show_logs(c);
		if (differs(c)) {
			failed++;
			if (tap)
				printf("not ok %u - replay %s\n", ++tapno, file);
			else
				printf("%s: differs\n", file);
			print_case(stdout, c, tap ? "#" : "");
			print_logs(stdout, c, tap ? "#" : "");
		} else if (tap) {
			printf("ok %u - replay %s\n", ++tapno, file);
		} else {
			printf("%s: same\n", file);
		}
		case_free(c);
	}

	for (unsigned k = 1; k <= 2; k++) {
		if (kinds & k)
			failed += run_generated(k == 2, seed, first, count,
						boundary, out, tap, show,
						&tapno);
	}
	g_ptr_array_unref(replays);
	return failed ? 1 : 0;
}
