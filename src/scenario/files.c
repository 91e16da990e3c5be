/*
 * files.c - [file.NAME] and [page.FILE.INDEX] groups: the files a scenario
 * reads and writes, each with its block map (explicit extents and pointer
 * blocks, a layout src/run generates, or an ext2/ext3 image), and the
 * pages and buffers the page cache holds when the run starts.
 *
 * Only what one group says is checked here; whether the maps fit together
 * on the disk is checked when src/run builds them.
 */
#include "scenario/loader.h"

#include <string.h>
#include "fs/buffer.h"
#include "fs/ext2/ext2.h"
#include "mm/filemap.h"


/* Pointer blocks all files' indirect keys place (256 MiB of 4 KiB ones). */
#define MAX_POINTER_BLOCKS (1u << 16)

/* ---- [file.NAME] ---- */

static gint cmp_extent(gconstpointer a, gconstpointer b)
{
	const struct scen_extent *x = a, *y = b;

	return x->file_block < y->file_block ? -1 :
	       x->file_block > y->file_block;
}

/* "A-B:D, A:D": file blocks A..B on disk blocks D.. */
static bool parse_extents(struct loader *L, GError **err, const char *group,
			  const char *text, GArray *out)
{
	char **items = split_items(text, ',');
	bool ok = true;

	for (char **it = items; *it && ok; it++) {
		char *item = g_strstrip(*it);
		char **parts;
		struct scen_extent e;
		uint64_t a, b;

		if (!*item)
			continue;
		parts = g_strsplit(item, ":", 2);
		if (!parts[1] || !parse_range(g_strstrip(parts[0]), &a, &b) ||
		    !parse_u64(g_strstrip(parts[1]), &e.disk_block))
			ok = fail(L, err, group, "extents", "\"%s\" is not "
				  "FIRST-LAST:DISKBLOCK", item);
		g_strfreev(parts);
		if (!ok)
			break;
		e.file_block = a;
		e.len = b - a + 1;
		if (b >= max_file_blocks(L->s))
			ok = fail(L, err, group, "extents", "\"%s\": file block "
				  "%" G_GUINT64_FORMAT " is past the largest a "
				  "file can have (%" G_GUINT64_FORMAT " blocks "
				  "of %u bytes)", item, b, max_file_blocks(L->s),
				  L->s->block_size);
		else if (e.disk_block + e.len < e.disk_block)
			ok = fail(L, err, group, "extents", "\"%s\" overflows",
				  item);
		else
			g_array_append_val(out, e);
	}
	g_strfreev(items);
	if (!ok)
		return false;
	g_array_sort(out, cmp_extent);
	for (guint i = 1; i < out->len; i++) {
		const struct scen_extent *p = &g_array_index(out,
					struct scen_extent, i - 1);
		const struct scen_extent *q = &g_array_index(out,
					struct scen_extent, i);

		if (q->file_block < p->file_block + p->len)
			return fail(L, err, group, "extents", "extents overlap "
				    "at file block %" G_GUINT64_FORMAT,
				    q->file_block);
	}
	return true;
}

static gint cmp_indirect(gconstpointer a, gconstpointer b)
{
	const struct scen_indirect *x = a, *y = b;

	if (x->depth != y->depth)
		return x->depth - y->depth;
	for (int i = 0; i < x->depth; i++)
		if (x->path[i] != y->path[i])
			return x->path[i] < y->path[i] ? -1 : 1;
	return 0;
}

/* "ind:12, dind:300, dind/0:301, tind/2/5:900" */
static bool parse_indirect(struct loader *L, GError **err, const char *group,
			   const char *text, GArray *out)
{
	static const char *const tops[] = { "ind", "dind", "tind" };
	char **items = split_items(text, ',');
	bool ok = true;

	for (char **it = items; *it && ok; it++) {
		char *item = g_strstrip(*it);
		char **parts, **names;
		struct scen_indirect ind = { .depth = 0 };
		int top = -1;

		if (!*item)
			continue;
		parts = g_strsplit(item, ":", 2);
		names = g_strsplit(g_strstrip(parts[0]), "/", -1);
		for (int t = 0; t < 3 && names[0]; t++)
			if (!strcmp(names[0], tops[t]))
				top = t;
		ok = top >= 0 && parts[1] &&
		     parse_u64(g_strstrip(parts[1]), &ind.disk_block) &&
		     ind.disk_block < EXT2_HOLE_BLOCK;
		if (ok) {
			ind.path[0] = 12 + (unsigned)top;
			ind.depth = 1;
			for (int i = 1; names[i] && ok; i++) {
				uint64_t v = 0;

				ok = ind.depth <= top && parse_u64(names[i], &v) &&
				     v < 1024;
				ind.path[ind.depth++] = (unsigned)v;
			}
		}
		if (!ok)
			fail(L, err, group, "indirect", "\"%s\" is not "
			     "ind:D, dind[/N]:D or tind[/N[/M]]:D", item);
		else
			g_array_append_val(out, ind);
		g_strfreev(names);
		g_strfreev(parts);
	}
	g_strfreev(items);
	if (!ok)
		return false;
	/* each costs a block of memory when placed */
	L->pointer_blocks += out->len;
	if (L->pointer_blocks > MAX_POINTER_BLOCKS)
		return fail(L, err, group, "indirect", "the scenario places "
			    "more than %u pointer blocks in all",
			    MAX_POINTER_BLOCKS);
	/* parents first */
	g_array_sort(out, cmp_indirect);
	for (guint i = 1; i < out->len; i++)
		if (!cmp_indirect(&g_array_index(out, struct scen_indirect, i - 1),
				  &g_array_index(out, struct scen_indirect, i)))
			return fail(L, err, group, "indirect",
				    "a pointer block is placed twice");
	return true;
}

void scen_file_free(struct scen_file *f)
{
	if (!f)
		return;
	g_free(f->name);
	g_array_unref(f->extents);
	g_array_unref(f->indirect);
	if (f->cached)
		g_array_unref(f->cached);
	if (f->cleancache)
		g_array_unref(f->cleancache);
	if (f->test_uptodate)
		g_array_unref(f->test_uptodate);
	if (f->test_eio)
		g_array_unref(f->test_eio);
	if (f->test_enospc)
		g_array_unref(f->test_enospc);
	if (f->tree_blocks)
		g_array_unref(f->tree_blocks);
	g_free(f);
}

/* Keys that belong to one filesystem type only. */
static bool check_fs_keys(struct loader *L, GError **err, const char *group)
{
	static const char *const ext2_only[] = {
		"layout", "first_block", "indirect", "test_uptodate",
		"test_eio", "test_enospc", "size_past_max",
	};

	for (unsigned i = 0; i < G_N_ELEMENTS(ext2_only); i++)
		if (L->s->extent_fs &&
		    g_key_file_has_key(L->kf, group, ext2_only[i], NULL))
			return fail(L, err, group, ext2_only[i], "not with "
				    "[fs] type = extent (give extents and "
				    "tree_blocks)");
	if (!L->s->extent_fs &&
	    g_key_file_has_key(L->kf, group, "tree_blocks", NULL))
		return fail(L, err, group, "tree_blocks", "only with [fs] "
			    "type = extent");
	return true;
}

/*
 * [file.NAME] image = IMG, path = /file: the size and block map come from
 * the ext2/ext3 image (src/fs/ext2/image.c).
 */
static bool load_image_file(struct loader *L, GError **err,
			    const char *group, struct scen_file *f)
{
	static const char *const not_with[] = {
		"size", "extents", "indirect", "layout", "first_block",
	};
	char *image = get_value(L, group, "image"), *path = get_value(L, group, "path");
	char *full = NULL, *why = NULL;
	struct ext2_image_map map = { 0 };
	bool ok = true;

	for (unsigned i = 0; i < G_N_ELEMENTS(not_with) && ok; i++)
		if (g_key_file_has_key(L->kf, group, not_with[i], NULL))
			ok = fail(L, err, group, not_with[i], "not with image "
				  "(the image gives the file's size and map)");
	if (ok && L->s->extent_fs)
		ok = fail(L, err, group, "image", "an ext2/ext3 image needs "
			  "[fs] type = ext2");
	if (ok && !path)
		ok = fail(L, err, group, "path", "missing (the file's path "
			  "in the image, e.g. /dir/file)");
	if (ok) {
		full = scenario_resolve_path(L->s, image);
		g_ptr_array_add(L->s->inputs, g_strdup(full));
		if (!ext2_image_read_file(full, path, &map, &why))
			ok = fail(L, err, group, "image", "%s", why);
	}
	if (ok && map.block_size != L->s->block_size)
		ok = fail(L, err, group, "image", "the image has %u-byte "
			  "blocks; set [fs] block_size = %u", map.block_size,
			  map.block_size);
	if (ok) {
		f->size = (loff_t)map.size;
		for (guint i = 0; i < map.runs->len; i++) {
			const struct ext2_image_run *r = &g_array_index(
				map.runs, struct ext2_image_run, i);
			struct scen_extent e = { r->file_block, r->len,
						 r->disk_block };

			g_array_append_val(f->extents, e);
		}
		for (guint i = 0; i < map.indirect->len; i++) {
			const struct ext2_image_indirect *m = &g_array_index(
				map.indirect, struct ext2_image_indirect, i);
			struct scen_indirect ind = {
				{ m->path[0], m->path[1], m->path[2] },
				m->depth, m->disk_block,
			};

			g_array_append_val(f->indirect, ind);
		}
	}
	ext2_image_map_clear(&map);
	g_free(why);
	g_free(full);
	g_free(image);
	g_free(path);
	return ok;
}

/* extents or indirect: an explicit map, which a generated layout has not. */
static bool load_map(struct loader *L, GError **err, const char *group,
		     const char *key, const struct scen_file *f,
		     bool (*parse)(struct loader *, GError **, const char *,
				   const char *, GArray *),
		     GArray *out)
{
	char *v = get_value(L, group, key);
	bool ok;

	if (v && f->layout_sequential)
		ok = fail(L, err, group, key, "not with layout = "
			  "ext2-sequential");
	else
		ok = !v || parse(L, err, group, v, out);
	g_free(v);
	return ok;
}

uint64_t max_file_blocks(const struct scenario *s)
{
	uint64_t p = s->block_size / 4;	/* pointers in a pointer block */

	if (s->extent_fs)
		return 1ull << 32;
	return 12 + p + p * p + p * p * p;
}

uint64_t max_page_index(const struct scenario *s)
{
	(void)s;
	return (uint64_t)INT64_MAX >> PAGE_SHIFT;	/* MAX_LFS_FILESIZE */
}

/*
 * A sorted list's numbers are all below `limit`, else fail with "WHAT N is
 * WHY", WHY a format of one number, given `shown`.
 */
static bool list_below(struct loader *L, GError **err, const char *group,
		       const char *key, const GArray *list, uint64_t limit,
		       const char *what, const char *why, uint64_t shown)
{
	uint64_t last;
	char *text;

	if (!list->len)
		return true;
	last = g_array_index(list, guint64, list->len - 1);
	if (last < limit)
		return true;
	text = g_strdup_printf(why, (guint64)shown);
	fail(L, err, group, key, "%s %" G_GUINT64_FORMAT " is %s", what, last,
	     text);
	g_free(text);
	return false;
}

/*
 * The mpage lab's states of a file (docs/mpage-lab.md): -ENOSPC from
 * get_block, extents past i_size, an i_size past what ext2 maps.
 */
static bool load_lab_keys(struct loader *L, GError **err, const char *group,
			  struct scen_file *f)
{
	if (!get_list(L, err, group, "test_enospc", &f->test_enospc) ||
	    !get_bool(L, err, group, "extents_past_eof",
		      &f->extents_past_eof) ||
	    !get_bool(L, err, group, "size_past_max", &f->size_past_max))
		return false;
	if (f->size_past_max && f->layout_sequential)
		return fail(L, err, group, "size_past_max", "not with layout = "
			    "ext2-sequential, which maps every block of the "
			    "file (give explicit extents)");
	return true;
}

/* The lists of pages and blocks, the same with an image or without. */
static bool load_lists(struct loader *L, GError **err,
			     const char *group, struct scen_file *f)
{
	uint64_t pages = ((uint64_t)f->size + PAGE_SIZE - 1) / PAGE_SIZE;

	uint64_t max_index = max_page_index(L->s);
	uint64_t blocks = max_file_blocks(L->s);

	return get_list(L, err, group, "tree_blocks", &f->tree_blocks) &&
	       get_list(L, err, group, "cached", &f->cached) &&
	       list_below(L, err, group, "cached", f->cached, pages, "page",
			  "past the end of the file (%" G_GUINT64_FORMAT
			  " pages)", pages) &&
	       get_list(L, err, group, "cleancache", &f->cleancache) &&
	       list_below(L, err, group, "cleancache", f->cleancache,
			  max_index + 1, "page", "past the largest page index "
			  "a file can have (%" G_GUINT64_FORMAT ")", max_index) &&
	       get_list(L, err, group, "test_uptodate", &f->test_uptodate) &&
	       list_below(L, err, group, "test_uptodate", f->test_uptodate,
			  blocks, "file block", "past the largest a file can "
			  "have (%" G_GUINT64_FORMAT " blocks)", blocks) &&
	       get_list(L, err, group, "test_eio", &f->test_eio) &&
	       list_below(L, err, group, "test_eio", f->test_eio, blocks,
			  "file block", "past the largest a file can have (%"
			  G_GUINT64_FORMAT " blocks)", blocks) &&
	       load_lab_keys(L, err, group, f);
}

bool load_file(struct loader *L, GError **err, const char *group)
{
	struct scen_file *f = g_new0(struct scen_file, 1);
	uint64_t size = 0;
	char *v;
	bool ok;

	f->name = g_strdup(group + strlen("file."));
	f->extents = g_array_new(FALSE, FALSE, sizeof(struct scen_extent));
	f->indirect = g_array_new(FALSE, FALSE, sizeof(struct scen_indirect));
	g_ptr_array_add(L->s->files, f);
	g_hash_table_insert(L->file_index, g_strdup(f->name),
			    GINT_TO_POINTER((int)L->s->files->len));
	if (!valid_name(f->name))
		return fail(L, err, group, NULL, "a file name is letters, "
			    "digits, '-' and '_'");
	if (!check_keys(L, err, group))
		return false;
	if (g_key_file_has_key(L->kf, group, "image", NULL))
		return load_image_file(L, err, group, f) &&
		       load_lists(L, err, group, f);
	if (g_key_file_has_key(L->kf, group, "path", NULL))
		return fail(L, err, group, "path", "only with image");
	v = get_value(L, group, "size");
	if (!v)
		return fail(L, err, group, "size", "missing");
	ok = parse_size_bytes(v, &size) && size <= (uint64_t)INT64_MAX / 2;
	if (!ok)
		fail(L, err, group, "size", "\"%s\" is not a size in bytes "
		     "(suffixes K, M, G, T allowed)", v);
	g_free(v);
	if (!ok)
		return false;
	f->size = (loff_t)size;

	v = get_value(L, group, "layout");
	if (v && strcmp(v, "ext2-sequential") && strcmp(v, "explicit")) {
		fail(L, err, group, "layout", "\"%s\" is not explicit or "
		     "ext2-sequential", v);
		g_free(v);
		return false;
	}
	f->layout_sequential = v && !strcmp(v, "ext2-sequential");
	g_free(v);
	if (!get_u64(L, err, group, "first_block", 0, UINT32_MAX - 1,
		     &f->first_block))
		return false;
	f->first_block_set = g_key_file_has_key(L->kf, group, "first_block",
						NULL);
	if (f->first_block_set && f->first_block >= scenario_disk_blocks(L->s))
		return fail(L, err, group, "first_block", "block %"
			    G_GUINT64_FORMAT " is past the disk's %"
			    G_GUINT64_FORMAT " blocks", f->first_block,
			    scenario_disk_blocks(L->s));
	if (!f->layout_sequential && g_key_file_has_key(L->kf, group,
							"first_block", NULL))
		return fail(L, err, group, "first_block", "only for layout = "
			    "ext2-sequential");

	if (!load_map(L, err, group, "extents", f, parse_extents, f->extents) ||
	    !load_map(L, err, group, "indirect", f, parse_indirect,
		      f->indirect))
		return false;
	if (!check_fs_keys(L, err, group))
		return false;
	return load_lists(L, err, group, f);
}

int find_file(struct loader *L, const char *name)
{
	return GPOINTER_TO_INT(g_hash_table_lookup(L->file_index, name)) - 1;
}

/* ---- [page.FILE.INDEX] ---- */

static const struct {
	const char *name;
	int bit;
} page_flag_names[] = {
	{ "uptodate", PG_uptodate }, { "dirty", PG_dirty },
	{ "error", PG_error }, { "mappedtodisk", PG_mappedtodisk },
	{ "readahead", PG_readahead },
};

static const struct {
	const char *name;
	int bit;
} bh_flag_names[] = {
	{ "uptodate", BH_Uptodate }, { "dirty", BH_Dirty },
	{ "mapped", BH_Mapped }, { "new", BH_New },
	{ "boundary", BH_Boundary }, { "delay", BH_Delay },
	{ "unwritten", BH_Unwritten }, { "req", BH_Req },
	{ "locked", BH_Lock },
};

static bool parse_page_flags(struct loader *L, GError **err,
			     const char *group, const char *text,
			     unsigned long *flags)
{
	char **items = g_strsplit(text, ",", -1);
	bool ok = true;

	for (char **it = items; *it && ok; it++) {
		char *item = g_strstrip(*it);
		bool found = false;

		if (!*item)
			continue;
		for (unsigned i = 0; i < G_N_ELEMENTS(page_flag_names); i++)
			if (!strcmp(item, page_flag_names[i].name)) {
				*flags |= 1UL << page_flag_names[i].bit;
				found = true;
			}
		if (!found)
			ok = fail(L, err, group, "flags", "\"%s\" is not a page "
				  "flag (uptodate, dirty, error, mappedtodisk, "
				  "readahead)", item);
	}
	g_strfreev(items);
	return ok;
}

/* "mapped+uptodate@77, mapped, -, -" */
static bool parse_buffers(struct loader *L, GError **err, const char *group,
			  const char *text, struct scen_page *pg,
			  unsigned per_page)
{
	char **items = g_strsplit(text, ",", -1);
	unsigned given = g_strv_length(items);
	bool ok = true;
	unsigned n = 0;

	for (char **it = items; *it && ok; it++, n++) {
		char *item = g_strstrip(*it);
		char **at, **bits;
		struct scen_buffer b = { 0, -1 };

		if (n >= per_page) {
			ok = false;
			break;
		}
		if (!*item) {
			ok = fail(L, err, group, "buffers", "buffer %u is empty "
				  "(write - for a buffer with no state)", n);
			break;
		}
		at = g_strsplit(item, "@", 2);
		if (at[1]) {
			uint64_t blk = 0;

			if (!parse_u64(g_strstrip(at[1]), &blk) ||
			    blk >= EXT2_HOLE_BLOCK)
				ok = fail(L, err, group, "buffers", "\"%s\": bad "
					  "block number", item);
			else if (blk >= scenario_disk_blocks(L->s))
				ok = fail(L, err, group, "buffers", "\"%s\": "
					  "block %" G_GUINT64_FORMAT " is past "
					  "the disk's %" G_GUINT64_FORMAT
					  " blocks", item, blk,
					  scenario_disk_blocks(L->s));
			b.blocknr = (int64_t)blk;
		}
		bits = g_strsplit(g_strstrip(at[0]), "+", -1);
		for (char **bit = bits; *bit && ok; bit++) {
			bool found = !strcmp(*bit, "-") || !**bit;

			for (unsigned i = 0; i < G_N_ELEMENTS(bh_flag_names); i++)
				if (!strcmp(*bit, bh_flag_names[i].name)) {
					b.state |= 1UL << bh_flag_names[i].bit;
					found = true;
				}
			if (!found)
				ok = fail(L, err, group, "buffers", "\"%s\" is "
					  "not a buffer state (mapped, uptodate, "
					  "dirty, new, boundary, delay, "
					  "unwritten, req, locked, or -)",
					  *bit);
		}
		if (ok && b.blocknr >= 0 && !(b.state & (1UL << BH_Mapped)))
			ok = fail(L, err, group, "buffers", "\"%s\": a block "
				  "number needs mapped", item);
		g_strfreev(bits);
		g_strfreev(at);
		if (ok)
			pg->buffers[n] = b;
	}
	g_strfreev(items);
	if (!ok && err && *err)
		return false;
	if (!ok || n != per_page)
		return fail(L, err, group, "buffers", "a page has %u buffers of "
			    "%u bytes; %u given", per_page, L->s->block_size,
			    given);
	pg->nr_buffers = n;
	return true;
}

static bool page_has_locked_buffer(const struct scen_page *pg)
{
	for (unsigned i = 0; i < pg->nr_buffers; i++)
		if (pg->buffers[i].state & (1UL << BH_Lock))
			return true;
	return false;
}

bool file_has_locked_buffer(const struct scenario *s, int file)
{
	for (guint i = 0; i < s->pages->len; i++) {
		const struct scen_page *pg = &g_array_index(s->pages,
						struct scen_page, i);

		if (pg->file == file && page_has_locked_buffer(pg))
			return true;
	}
	return false;
}

bool load_page(struct loader *L, GError **err, const char *group)
{
	struct scen_page pg = { 0 };
	const char *rest = group + strlen("page.");
	const char *dot = strrchr(rest, '.');
	char *fname, *v;
	uint64_t index;
	bool ok = true;

	if (!dot || !parse_u64(dot + 1, &index))
		return fail(L, err, group, NULL, "a page group is "
			    "[page.FILE.INDEX]");
	fname = g_strndup(rest, (gsize)(dot - rest));
	pg.file = find_file(L, fname);
	g_free(fname);
	if (pg.file < 0)
		return fail(L, err, group, NULL, "no such file");
	if (index > max_page_index(L->s))
		return fail(L, err, group, NULL, "page %" G_GUINT64_FORMAT " is "
			    "past the largest page index a file can have (%"
			    G_GUINT64_FORMAT ")", index, max_page_index(L->s));
	pg.index = index;
	if (!check_keys(L, err, group))
		return false;
	v = get_value(L, group, "flags");
	if (v)
		ok = parse_page_flags(L, err, group, v, &pg.flags);
	g_free(v);
	if (!ok)
		return false;
	v = get_value(L, group, "buffers");
	if (v) {
		pg.has_buffers = true;
		ok = parse_buffers(L, err, group, v, &pg,
				   (unsigned)(PAGE_SIZE / L->s->block_size));
	}
	g_free(v);
	if (!ok)
		return false;
	/*
	 * __mpage_writepage BUG_ONs on a locked buffer: the kernel never
	 * writes such a page back, so a scenario cannot make one dirty.
	 */
	if ((pg.flags & (1UL << PG_dirty)) && page_has_locked_buffer(&pg))
		return fail(L, err, group, "buffers", "a dirty page cannot have "
			    "a locked buffer (__mpage_writepage: "
			    "BUG_ON(buffer_locked(bh)))");
	/* writeback maps such a page whole: it must hold the whole page */
	if ((pg.flags & (1UL << PG_dirty)) && !pg.has_buffers &&
	    !(pg.flags & (1UL << PG_uptodate)))
		return fail(L, err, group, "flags", "a dirty page without "
			    "buffers must also be uptodate");
	{
		char *k = g_strdup_printf("%d\037%" G_GUINT64_FORMAT, pg.file,
					  (guint64)pg.index);

		if (!g_hash_table_add(L->page_groups, k))
			return fail(L, err, group, NULL, "page given twice "
				    "(as another [page.%s.N] group with the same "
				    "index)", ((struct scen_file *)
				    L->s->files->pdata[pg.file])->name);
	}
	g_array_append_val(L->s->pages, pg);
	return true;
}
