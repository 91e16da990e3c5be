/*
 * case.c - cases of the differential test: their life, their text form
 * (what `diff-seed --replay FILE` reads), the ext2 model the reference
 * side's get_block answers from, and the event log both sides write.
 *
 * Case file, one directive a line, '#' starts a comment:
 *   blocksize 1024            512 .. 4096
 *   boundary on|off           get_block sets BH_Boundary
 *   memalloc on|off           the reader has PF_MEMALLOC
 *   rw_page on|off            the device has rw_page (bdev_read_page)
 *   aops on|off               enter through ext2's a_ops, not mpage's
 *                             entry points (get_block calls unlogged)
 *   isize 123456              file size in bytes
 *   op readpages 4-9 11 ...   the readahead list, in order (ranges a-b)
 *   op readpage 5
 *   map L P N                 file blocks L.. live on disk blocks P.., N long
 *   ptr ind|dind|tind[/n[/m]] P [cached]
 *   page I [uptodate] [bufs S ...]   a cached page; S: letters U M D,
 *                             ":block" when mapped, or "-" for none
 *   uptodate L ...            get_block returns these blocks up to date
 *   eio L ...                 get_block fails on these blocks
 *   metaeio P ...             reads of these (pointer) disk blocks fail
 *   cleancache I ...          these pages are found in cleancache
 *   allocfail K ...           the K-th bio_alloc() calls fail
 *   bioeio K ...              the K-th data bios complete with -EIO
 *
 * Writes (op writepages | op writepage I):
 *   sync all|none             the writeback_control's sync_mode
 *   tagged on|off             its tagged_writepages (absent: off)
 *   nr_to_write N             its budget (may be 0 or less)
 *   range S E                 range_start, range_end in bytes (inclusive)
 *   cyclic W                  range_cyclic, from mapping->writeback_index W
 *   free P ...                the disk blocks get_block(create=1) gives
 *                             holes, in order; -ENOSPC when none is left
 *   wperr I ...               ->writepage of these pages returns -EIO
 *   stale P ...               freed metadata still cached, dirty
 *   page I [uptodate] [dirty] [writeback] [bufs S ...]   S letters also
 *                             N (new) and B (boundary)
 *   ptr ... P [cached] [dirty]   a dirty cached pointer block
 */
#include "case.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static GArray *u64_array(void)
{
	return g_array_new(FALSE, FALSE, sizeof(uint64_t));
}

struct dcase *case_new(void)
{
	struct dcase *c = g_new0(struct dcase, 1);

	c->blocksize = 4096;
	c->boundary = true;
	c->pages = u64_array();
	c->map = g_array_new(FALSE, FALSE, sizeof(struct dextent));
	c->ptrs = g_array_new(FALSE, FALSE, sizeof(struct dptr));
	c->cached = g_array_new(FALSE, FALSE, sizeof(struct dpage));
	c->uptodate = u64_array();
	c->eio = u64_array();
	c->metaeio = u64_array();
	c->cleancache = u64_array();
	c->allocfail = u64_array();
	c->bioeio = u64_array();
	c->freeblk = u64_array();
	c->wperr = u64_array();
	c->stale = u64_array();
	c->nr_to_write = INT64_MAX;
	c->range_end = DRANGE_WHOLE_END;
	return c;
}

void case_free(struct dcase *c)
{
	if (!c)
		return;
	g_array_unref(c->pages);
	g_array_unref(c->map);
	g_array_unref(c->ptrs);
	g_array_unref(c->cached);
	g_array_unref(c->uptodate);
	g_array_unref(c->eio);
	g_array_unref(c->metaeio);
	g_array_unref(c->cleancache);
	g_array_unref(c->allocfail);
	g_array_unref(c->bioeio);
	g_array_unref(c->freeblk);
	g_array_unref(c->wperr);
	g_array_unref(c->stale);
	g_free(c);
}

static GArray *array_copy(const GArray *a)
{
	guint esz = g_array_get_element_size((GArray *)a);
	GArray *b = g_array_sized_new(FALSE, FALSE, esz, a->len);

	g_array_append_vals(b, a->data, a->len);
	return b;
}

struct dcase *case_copy(const struct dcase *c)
{
	struct dcase *d = g_new0(struct dcase, 1);

	*d = *c;
	d->pages = array_copy(c->pages);
	d->map = array_copy(c->map);
	d->ptrs = array_copy(c->ptrs);
	d->cached = array_copy(c->cached);
	d->uptodate = array_copy(c->uptodate);
	d->eio = array_copy(c->eio);
	d->metaeio = array_copy(c->metaeio);
	d->cleancache = array_copy(c->cleancache);
	d->allocfail = array_copy(c->allocfail);
	d->bioeio = array_copy(c->bioeio);
	d->freeblk = array_copy(c->freeblk);
	d->wperr = array_copy(c->wperr);
	d->stale = array_copy(c->stale);
	return d;
}

bool u64_in(const GArray *a, uint64_t v)
{
	for (guint i = 0; i < a->len; i++)
		if (g_array_index(a, uint64_t, i) == v)
			return true;
	return false;
}

/* ---- text form ---- */

static const char *const top_name[] = { "ind", "dind", "tind" };
static const char *const op_name[] = {
	[DOP_READPAGES] = "readpages", [DOP_READPAGE] = "readpage",
	[DOP_WRITEPAGES] = "writepages", [DOP_WRITEPAGE] = "writepage",
};

static void append_list(GString *s, const char *key, const GArray *a)
{
	if (!a->len)
		return;
	g_string_append(s, key);
	for (guint i = 0; i < a->len; i++)
		g_string_append_printf(s, " %" G_GUINT64_FORMAT,
				       g_array_index(a, uint64_t, i));
	g_string_append_c(s, '\n');
}

/* Pages as ranges of consecutive indexes: "4-9 11". */
static void append_ranges(GString *s, const GArray *a)
{
	for (guint i = 0; i < a->len;) {
		uint64_t lo = g_array_index(a, uint64_t, i);
		guint j = i + 1;

		while (j < a->len && g_array_index(a, uint64_t, j) ==
		       lo + (j - i))
			j++;
		if (j - i > 1)
			g_string_append_printf(s, " %" G_GUINT64_FORMAT "-%"
					       G_GUINT64_FORMAT, lo,
					       lo + (j - i) - 1);
		else
			g_string_append_printf(s, " %" G_GUINT64_FORMAT, lo);
		i = j;
	}
}

char *case_format(const struct dcase *c)
{
	GString *s = g_string_new("# mpage differential case\n");

	g_string_append_printf(s, "blocksize %u\n", c->blocksize);
	g_string_append_printf(s, "boundary %s\n", c->boundary ? "on" : "off");
	g_string_append_printf(s, "memalloc %s\n", c->memalloc ? "on" : "off");
	g_string_append_printf(s, "rw_page %s\n", c->rw_page ? "on" : "off");
	if (c->aops)
		g_string_append(s, "aops on\n");
	g_string_append_printf(s, "isize %" G_GUINT64_FORMAT "\n", c->isize);
	g_string_append_printf(s, "op %s", op_name[c->op]);
	append_ranges(s, c->pages);
	g_string_append_c(s, '\n');
	if (case_is_write(c)) {
		g_string_append_printf(s, "sync %s\n", c->sync_all ? "all" :
				       "none");
		if (c->tagged)
			g_string_append(s, "tagged on\n");
		if (c->nr_to_write != INT64_MAX)
			g_string_append_printf(s, "nr_to_write %" G_GINT64_FORMAT
					       "\n", c->nr_to_write);
		if (c->cyclic)
			g_string_append_printf(s, "cyclic %" G_GUINT64_FORMAT
					       "\n", c->wb_index);
		else if (c->range_start || c->range_end != DRANGE_WHOLE_END)
			g_string_append_printf(s, "range %" G_GINT64_FORMAT " %"
					       G_GINT64_FORMAT "\n",
					       c->range_start, c->range_end);
	}
	for (guint i = 0; i < c->ptrs->len; i++) {
		const struct dptr *p = &g_array_index(c->ptrs, struct dptr, i);

		g_string_append_printf(s, "ptr %s", top_name[p->path[0] - 12]);
		for (unsigned d = 1; d < p->depth; d++)
			g_string_append_printf(s, "/%u", p->path[d]);
		g_string_append_printf(s, " %" G_GUINT64_FORMAT "%s%s\n",
				       p->pblk, p->cached ? " cached" : "",
				       p->dirty ? " dirty" : "");
	}
	for (guint i = 0; i < c->map->len; i++) {
		const struct dextent *e = &g_array_index(c->map,
							 struct dextent, i);

		g_string_append_printf(s, "map %" G_GUINT64_FORMAT " %"
				       G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
				       "\n", e->lblk, e->pblk, e->len);
	}
	for (guint i = 0; i < c->cached->len; i++) {
		const struct dpage *p = &g_array_index(c->cached,
						       struct dpage, i);

		g_string_append_printf(s, "page %" G_GUINT64_FORMAT "%s%s%s",
				       p->index, p->uptodate ? " uptodate" : "",
				       p->dirty ? " dirty" : "",
				       p->writeback ? " writeback" : "");
		if (p->nbufs) {
			g_string_append(s, " bufs");
			for (int b = 0; b < p->nbufs; b++) {
				unsigned st = p->bstate[b];

				g_string_append_c(s, ' ');
				if (!st)
					g_string_append_c(s, '-');
				if (st & DB_UPTODATE)
					g_string_append_c(s, 'U');
				if (st & DB_DIRTY)
					g_string_append_c(s, 'D');
				if (st & DB_NEW)
					g_string_append_c(s, 'N');
				if (st & DB_BOUNDARY)
					g_string_append_c(s, 'B');
				if (st & DB_LOCKED)
					g_string_append_c(s, 'L');
				if (st & DB_MAPPED)
					g_string_append_printf(s, "M:%"
						G_GUINT64_FORMAT, p->bblock[b]);
			}
		}
		g_string_append_c(s, '\n');
	}
	append_list(s, "uptodate", c->uptodate);
	append_list(s, "eio", c->eio);
	append_list(s, "metaeio", c->metaeio);
	append_list(s, "cleancache", c->cleancache);
	append_list(s, "allocfail", c->allocfail);
	append_list(s, "bioeio", c->bioeio);
	append_list(s, "free", c->freeblk);
	append_list(s, "wperr", c->wperr);
	append_list(s, "stale", c->stale);
	return g_string_free(s, FALSE);
}

char *case_summary(const struct dcase *c)
{
	return g_strdup_printf("bs=%u boundary=%s isize=%" G_GUINT64_FORMAT
			       " %s of %u page(s) from %" G_GUINT64_FORMAT,
			       c->blocksize, c->boundary ? "on" : "off",
			       c->isize, op_name[c->op], c->pages->len,
			       c->pages->len ? g_array_index(c->pages,
							     uint64_t, 0) : 0);
}

static bool parse_u64(const char *t, uint64_t *v)
{
	char *end;

	if (!t || !*t || *t == '-')
		return false;
	*v = g_ascii_strtoull(t, &end, 10);
	return *end == '\0';
}

static bool parse_onoff(const char *t, bool *v)
{
	if (g_strcmp0(t, "on") == 0)
		*v = true;
	else if (g_strcmp0(t, "off") == 0)
		*v = false;
	else
		return false;
	return true;
}

static bool parse_ptr(char **tok, int ntok, struct dptr *p)
{
	char **parts;
	bool ok = true;

	if (ntok < 3 || ntok > 5)
		return false;
	parts = g_strsplit(tok[1], "/", -1);
	p->depth = g_strv_length(parts);
	memset(p->path, 0, sizeof(p->path));
	if (p->depth < 1 || p->depth > 3)
		ok = false;
	for (unsigned i = 0; ok && i < 3; i++)
		if (g_strcmp0(parts[0], top_name[i]) == 0)
			p->path[0] = 12 + i;
	if (!p->path[0] || (ok && p->depth > p->path[0] - 12 + 1))
		ok = false;
	for (unsigned d = 1; ok && d < p->depth; d++) {
		uint64_t v = 0;

		ok = parse_u64(parts[d], &v) && v < 1024;
		p->path[d] = (unsigned)v;
	}
	g_strfreev(parts);
	p->cached = false;
	p->dirty = false;
	for (int i = 3; ok && i < ntok; i++) {
		if (!strcmp(tok[i], "cached") && !p->cached)
			p->cached = true;
		else if (!strcmp(tok[i], "dirty") && p->cached && !p->dirty)
			p->dirty = true;
		else
			return false;
	}
	return ok && parse_u64(tok[2], &p->pblk);
}

static bool parse_page(char **tok, int ntok, struct dpage *p)
{
	int i = 2;

	memset(p, 0, sizeof(*p));
	if (!parse_u64(tok[1], &p->index))
		return false;
	if (i < ntok && !strcmp(tok[i], "uptodate")) {
		p->uptodate = true;
		i++;
	}
	if (i < ntok && !strcmp(tok[i], "dirty")) {
		p->dirty = true;
		i++;
	}
	if (i < ntok && !strcmp(tok[i], "writeback")) {
		p->writeback = true;
		i++;
	}
	if (i < ntok) {
		if (strcmp(tok[i++], "bufs"))
			return false;
		for (; i < ntok; i++) {
			const char *t = tok[i];
			unsigned st = 0;

			if (p->nbufs == 8)
				return false;
			if (!strcmp(t, "-")) {
				p->nbufs++;
				continue;
			}
			for (; *t && *t != ':'; t++) {
				if (*t == 'U')
					st |= DB_UPTODATE;
				else if (*t == 'D')
					st |= DB_DIRTY;
				else if (*t == 'M')
					st |= DB_MAPPED;
				else if (*t == 'N')
					st |= DB_NEW;
				else if (*t == 'B')
					st |= DB_BOUNDARY;
				else if (*t == 'L')
					st |= DB_LOCKED;
				else
					return false;
			}
			if ((st & DB_MAPPED) != 0 &&
			    (*t != ':' ||
			     !parse_u64(t + 1, &p->bblock[p->nbufs])))
				return false;
			p->bstate[p->nbufs++] = st;
		}
	}
	return true;
}

static bool parse_ranges(char **tok, int ntok, GArray *a)
{
	for (int i = 2; i < ntok; i++) {
		char **r = g_strsplit(tok[i], "-", 2);
		uint64_t lo, hi;
		bool ok = parse_u64(r[0], &lo);

		hi = lo;
		if (ok && r[1])
			ok = parse_u64(r[1], &hi) && hi >= lo &&
			     hi - lo < 1000000;
		g_strfreev(r);
		if (!ok)
			return false;
		for (uint64_t v = lo; v <= hi; v++)
			g_array_append_val(a, v);
	}
	return true;
}

static bool parse_list(char **tok, int ntok, GArray *a)
{
	for (int i = 1; i < ntok; i++) {
		uint64_t v;

		if (!parse_u64(tok[i], &v))
			return false;
		g_array_append_val(a, v);
	}
	return true;
}

static bool parse_line(struct dcase *c, char **tok, int n)
{
	const char *k = tok[0];

	if (!strcmp(k, "blocksize")) {
		uint64_t v;

		if (n != 2 || !parse_u64(tok[1], &v) || v < 512 || v > 4096 ||
		    (v & (v - 1)))
			return false;
		c->blocksize = (unsigned)v;
		return true;
	}
	if (!strcmp(k, "boundary"))
		return n == 2 && parse_onoff(tok[1], &c->boundary);
	if (!strcmp(k, "memalloc"))
		return n == 2 && parse_onoff(tok[1], &c->memalloc);
	if (!strcmp(k, "rw_page"))
		return n == 2 && parse_onoff(tok[1], &c->rw_page);
	if (!strcmp(k, "aops"))
		return n == 2 && parse_onoff(tok[1], &c->aops);
	if (!strcmp(k, "isize"))
		return n == 2 && parse_u64(tok[1], &c->isize);
	if (!strcmp(k, "op")) {
		if (n < 2)
			return false;
		if (!strcmp(tok[1], "readpages") && n >= 3)
			c->op = DOP_READPAGES;
		else if (!strcmp(tok[1], "readpage") && n == 3)
			c->op = DOP_READPAGE;
		else if (!strcmp(tok[1], "writepages") && n == 2)
			c->op = DOP_WRITEPAGES;
		else if (!strcmp(tok[1], "writepage") && n == 3)
			c->op = DOP_WRITEPAGE;
		else
			return false;
		g_array_set_size(c->pages, 0);
		return parse_ranges(tok, n, c->pages);
	}
	if (!strcmp(k, "map")) {
		struct dextent e;

		if (n != 4 || !parse_u64(tok[1], &e.lblk) ||
		    !parse_u64(tok[2], &e.pblk) || !parse_u64(tok[3], &e.len) ||
		    e.len == 0 || e.pblk + e.len > UINT32_MAX)
			return false;
		g_array_append_val(c->map, e);
		return true;
	}
	if (!strcmp(k, "ptr")) {
		struct dptr p;

		if (!parse_ptr(tok, n, &p) || p.pblk >= UINT32_MAX)
			return false;
		g_array_append_val(c->ptrs, p);
		return true;
	}
	if (!strcmp(k, "page")) {
		struct dpage p;

		if (n < 2 || !parse_page(tok, n, &p))
			return false;
		g_array_append_val(c->cached, p);
		return true;
	}
	if (!strcmp(k, "uptodate"))
		return parse_list(tok, n, c->uptodate);
	if (!strcmp(k, "eio"))
		return parse_list(tok, n, c->eio);
	if (!strcmp(k, "metaeio"))
		return parse_list(tok, n, c->metaeio);
	if (!strcmp(k, "cleancache"))
		return parse_list(tok, n, c->cleancache);
	if (!strcmp(k, "allocfail"))
		return parse_list(tok, n, c->allocfail);
	if (!strcmp(k, "bioeio"))
		return parse_list(tok, n, c->bioeio);
	if (!strcmp(k, "free"))
		return parse_list(tok, n, c->freeblk);
	if (!strcmp(k, "wperr"))
		return parse_list(tok, n, c->wperr);
	if (!strcmp(k, "stale"))
		return parse_list(tok, n, c->stale);
	if (!strcmp(k, "sync")) {
		if (n != 2 || (strcmp(tok[1], "all") && strcmp(tok[1], "none")))
			return false;
		c->sync_all = !strcmp(tok[1], "all");
		return true;
	}
	if (!strcmp(k, "tagged"))
		return n == 2 && parse_onoff(tok[1], &c->tagged);
	if (!strcmp(k, "nr_to_write")) {
		char *end;

		if (n != 2)
			return false;
		c->nr_to_write = g_ascii_strtoll(tok[1], &end, 10);
		return *end == '\0';
	}
	if (!strcmp(k, "cyclic")) {
		c->cyclic = true;
		return n == 2 && parse_u64(tok[1], &c->wb_index);
	}
	if (!strcmp(k, "range")) {
		uint64_t a, b;

		if (n != 3 || !parse_u64(tok[1], &a) || !parse_u64(tok[2], &b) ||
		    a > INT64_MAX || b > INT64_MAX)
			return false;
		c->range_start = (int64_t)a;
		c->range_end = (int64_t)b;
		return true;
	}
	return false;
}

struct dcase *case_parse(const char *text, const char *name, GError **err)
{
	struct dcase *c = case_new();
	char **lines = g_strsplit(text, "\n", -1);
	bool have_op = false;

	for (int ln = 0; lines[ln]; ln++) {
		char *hash = strchr(lines[ln], '#');
		char **tok;
		int n;

		if (hash)
			*hash = '\0';
		tok = g_strsplit_set(g_strstrip(lines[ln]), " \t", -1);
		n = 0;
		for (int i = 0; tok[i]; i++)
			if (*tok[i])
				tok[n++] = tok[i];
			else
				g_free(tok[i]);
		tok[n] = NULL;
		if (n && !strcmp(tok[0], "op"))
			have_op = true;
		if (n && !parse_line(c, tok, n)) {
			g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL,
				    "%s:%d: bad line for key '%s'", name,
				    ln + 1, tok[0]);
			g_strfreev(tok);
			g_strfreev(lines);
			case_free(c);
			return NULL;
		}
		g_strfreev(tok);
	}
	g_strfreev(lines);
	if (!have_op || (!c->pages->len && c->op != DOP_WRITEPAGES)) {
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			    "%s: no 'op' line with pages", name);
		case_free(c);
		return NULL;
	}
	if (case_invalid(c)) {
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			    "%s: %s", name, case_invalid(c));
		case_free(c);
		return NULL;
	}
	return c;
}

static const struct dpage *find_cached(const struct dcase *c, uint64_t index)
{
	for (guint i = 0; i < c->cached->len; i++)
		if (g_array_index(c->cached, struct dpage, i).index == index)
			return &g_array_index(c->cached, struct dpage, i);
	return NULL;
}

/* __mpage_writepage's BUG_ON(buffer_locked(bh)) would stop on it. */
static bool page_has_locked_buffer(const struct dpage *p)
{
	for (int b = 0; b < p->nbufs; b++)
		if (p->bstate[b] & DB_LOCKED)
			return true;
	return false;
}

/*
 * What the kernel's callers never do, so that both sides would stop on a
 * BUG_ON: a page without buffers written while not up to date
 * (__mpage_writepage), a locked buffer, a WB_SYNC_ALL walk that would have
 * to sleep on a page under writeback, a writepage of a page that is not
 * cached or is under writeback.
 */
const char *case_invalid(const struct dcase *c)
{
	if (!case_is_write(c))
		return NULL;
	for (guint i = 0; i < c->cached->len; i++) {
		const struct dpage *p = &g_array_index(c->cached,
						       struct dpage, i);

		if (find_cached(c, p->index) != p)
			continue;	/* named twice: the first one stands */
		if (p->dirty && !p->nbufs && !p->uptodate)
			return "a dirty page without buffers must be uptodate";
		if (p->writeback && c->sync_all && p->dirty)
			return "sync all would wait on a page under writeback";
		if (p->dirty && page_has_locked_buffer(p))
			return "a dirty page with a locked buffer";
	}
	if (c->op == DOP_WRITEPAGE) {
		const struct dpage *p = find_cached(c, g_array_index(c->pages,
							uint64_t, 0));

		if (!p || p->writeback)
			return "writepage of a page not cached, or under writeback";
		if (!p->nbufs && !p->uptodate)
			return "writepage of a page without buffers must be uptodate";
		if (page_has_locked_buffer(p))
			return "writepage of a page with a locked buffer";
	}
	return NULL;
}

/* ---- the ext2 model (fs/ext2/inode.c's addressing, restated) ---- */

int model_block_to_path(unsigned blocksize, uint64_t lblk,
			unsigned offsets[MODEL_NPATH], int *boundary)
{
	uint64_t ptrs = blocksize / 4;
	uint64_t i = lblk;
	int n = 0;
	uint64_t final = 0;

	if (i < 12) {
		offsets[n++] = (unsigned)i;
		final = 12;
	} else if ((i -= 12) < ptrs) {
		offsets[n++] = 12;
		offsets[n++] = (unsigned)i;
		final = ptrs;
	} else if ((i -= ptrs) < ptrs * ptrs) {
		offsets[n++] = 13;
		offsets[n++] = (unsigned)(i / ptrs);
		offsets[n++] = (unsigned)(i % ptrs);
		final = ptrs;
	} else if ((i -= ptrs * ptrs) < ptrs * ptrs * ptrs) {
		offsets[n++] = 14;
		offsets[n++] = (unsigned)(i / (ptrs * ptrs));
		offsets[n++] = (unsigned)((i / ptrs) % ptrs);
		offsets[n++] = (unsigned)(i % ptrs);
		final = ptrs;
	}
	/* slots left in the container after this one */
	if (boundary)
		*boundary = (int)(final - 1 - (i % ptrs));
	return n;
}

const struct dptr *model_find_ptr(const struct dcase *c, const unsigned *path,
				  unsigned depth)
{
	for (guint i = 0; i < c->ptrs->len; i++) {
		const struct dptr *p = &g_array_index(c->ptrs, struct dptr, i);

		if (p->depth == depth &&
		    !memcmp(p->path, path, depth * sizeof(unsigned)))
			return p;
	}
	return NULL;
}

bool model_map_lookup(const struct dcase *c, uint64_t lblk, uint64_t *pblk)
{
	/* later lines win, as later ext2_map_data_block calls do */
	for (guint i = c->map->len; i-- > 0;) {
		const struct dextent *e = &g_array_index(c->map,
							 struct dextent, i);

		if (lblk >= e->lblk && lblk < e->lblk + e->len) {
			*pblk = e->pblk + (lblk - e->lblk);
			return true;
		}
	}
	return false;
}

/* ---- the event log ---- */

static GPtrArray *cur_log;

void dlog_begin(GPtrArray *log)
{
	cur_log = log;
}

void dlog_end(void)
{
	cur_log = NULL;
}

void dlog(const char *fmt, ...)
{
	va_list ap;

	if (!cur_log)
		return;
	va_start(ap, fmt);
	g_ptr_array_add(cur_log, g_strdup_vprintf(fmt, ap));
	va_end(ap);
}

void dlog_state(uint64_t index, const struct dstate *s)
{
	GString *g = g_string_new(NULL);

	g_string_append_printf(g, "page %" G_GUINT64_FORMAT, index);
	if (!s->present) {
		g_string_append(g, " not cached");
	} else {
		g_string_append_printf(g, " %s%s%s%s%s%s%s",
				       s->locked ? "L" : "-",
				       s->error ? "E" : "-",
				       s->uptodate ? "U" : "-",
				       s->dirty ? "D" : "-",
				       s->writeback ? "W" : "-",
				       s->mappedtodisk ? "M" : "-",
				       s->has_buffers ? "P" : "-");
		for (int b = 0; s->has_buffers && b < s->nbufs; b++) {
			unsigned st = s->bstate[b];

			g_string_append_printf(g, " [%s%s%s%s%s%s",
					       st & DS_UPTODATE ? "U" : "",
					       st & DS_DIRTY ? "D" : "",
					       st & DS_LOCKED ? "L" : "",
					       st & DS_NEW ? "N" : "",
					       st & DS_BOUNDARY ? "B" : "",
					       st & DS_MAPPED ? "M" : "");
			if (st & DS_MAPPED)
				g_string_append_printf(g, ":%" G_GUINT64_FORMAT,
						       s->bblock[b]);
			g_string_append_c(g, ']');
		}
	}
	dlog("%s", g->str);
	g_string_free(g, TRUE);
}

static gint cmp_u64(gconstpointer a, gconstpointer b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

GArray *case_page_indexes(const struct dcase *c)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	GArray *u = g_array_new(FALSE, FALSE, sizeof(uint64_t));

	g_array_append_vals(a, c->pages->data, c->pages->len);
	for (guint i = 0; i < c->cached->len; i++)
		g_array_append_val(a, g_array_index(c->cached, struct dpage,
						    i).index);
	g_array_sort(a, cmp_u64);
	for (guint i = 0; i < a->len; i++)
		if (!u->len || g_array_index(u, uint64_t, u->len - 1) !=
		    g_array_index(a, uint64_t, i))
			g_array_append_val(u, g_array_index(a, uint64_t, i));
	g_array_unref(a);
	return u;
}
