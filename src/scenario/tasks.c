/*
 * tasks.c - [task.NAME] groups: who does what, when.  A task works on one
 * file; its ops run in order (src/task/task.c carries them out):
 * page-level calls into mpage (readpages, readpage, wait, sleep), read(2)s
 * (read, randread, strided, drop_caches) and the write path (write,
 * writeback, fsync).
 */
#include "scenario/loader.h"

#include <string.h>
#include "include/parse.h"


/*
 * ioprio = CLASS/LEVEL: rt/0..rt/7, be/0..be/7 or idle, as ionice sets
 * it; the value is IOPRIO_PRIO_VALUE(class, level) - include/linux/
 * ioprio.h (classes: 1 rt, 2 be, 3 idle).
 */
static bool parse_ioprio(const char *v, unsigned short *out)
{
	static const char *const classes[] = { "rt", "be" };

	if (!strcmp(v, "idle")) {
		*out = 3 << 13;
		return true;
	}
	for (unsigned c = 0; c < G_N_ELEMENTS(classes); c++) {
		size_t n = strlen(classes[c]);

		if (!strncmp(v, classes[c], n) && v[n] == '/' &&
		    v[n + 1] >= '0' && v[n + 1] <= '7' && !v[n + 2]) {
			*out = (unsigned short)(((c + 1) << 13) |
						(unsigned)(v[n + 1] - '0'));
			return true;
		}
	}
	return false;
}

static bool load_task_ioprio(struct loader *L, GError **err,
			     const char *group, struct scen_task *t)
{
	char *v = get_value(L, group, "ioprio");
	bool ok = true;

	t->ioprio = 2 << 13 | 4;	/* be/4: nice 0's (task_nice_ioprio) */
	if (v && !parse_ioprio(g_strstrip(v), &t->ioprio))
		ok = fail(L, err, group, "ioprio", "\"%s\" is not rt/0..rt/7, "
			  "be/0..be/7 or idle", v);
	g_free(v);
	return ok;
}

/* ---- page-level and write ops ---- */

/*
 * The write-side ops: "write OFFSET LEN", "writeback NR", "fsync",
 * "fdatasync".
 */
static bool parse_write_op(char *const *words, int n, struct scen_op *op)
{
	if (n == 3 && !strcmp(words[0], "write")) {
		op->type = OP_WRITE;
		return parse_size_bytes(words[1], &op->a) &&
		       parse_size_bytes(words[2], &op->b) && op->b > 0 &&
		       op->a <= (uint64_t)INT64_MAX / 4 &&
		       op->b <= (uint64_t)INT64_MAX / 4;
	}
	if (n == 2 && !strcmp(words[0], "writeback")) {
		op->type = OP_WRITEBACK;
		return parse_u64(words[1], &op->a) && op->a > 0 &&
		       op->a <= (uint64_t)INT64_MAX;
	}
	if (n == 1 && (!strcmp(words[0], "fsync") ||
		       !strcmp(words[0], "fdatasync"))) {
		op->type = OP_FSYNC;
		op->a = !strcmp(words[0], "fdatasync");	/* datasync */
		op->b = 0;
		return true;
	}
	return false;
}

static bool parse_op(const char *text, struct scen_op *op)
{
	char **w = g_strsplit_set(text, " \t", -1);
	char *words[4] = { NULL, NULL, NULL, NULL };
	int n = 0;
	bool ok = false;

	for (char **p = w; *p; p++)
		if (**p) {
			if (n == 3) {
				n = 4;
				break;
			}
			words[n++] = *p;
		}
	if (parse_write_op(words, n, op)) {
		ok = true;
	} else if (n == 2) {
		if (!strcmp(words[0], "readpages")) {
			op->type = OP_READPAGES;
			ok = parse_range(words[1], &op->a, &op->b);
		} else if (!strcmp(words[0], "readpage")) {
			op->type = OP_READPAGE;
			ok = parse_u64(words[1], &op->a);
			op->b = op->a;
		} else if (!strcmp(words[0], "wait")) {
			op->type = OP_WAIT;
			ok = parse_range(words[1], &op->a, &op->b);
		} else if (!strcmp(words[0], "sleep")) {
			int64_t ns = 0;

			op->type = OP_SLEEP;
			ok = parse_duration_ns(words[1], &ns);
			op->a = (uint64_t)ns;
		}
	}
	g_strfreev(w);
	return ok;
}

/* ---- read(2) ops: read, randread, strided, drop_caches ---- */

#define MAX_READ_CALLS (1u << 24)

static bool is_read_op(const char *text)
{
	static const char *const names[] = {
		"read", "randread", "strided", "drop_caches",
	};
	size_t n = strcspn(text, " \t");

	for (unsigned i = 0; i < G_N_ELEMENTS(names); i++)
		if (n == strlen(names[i]) && !strncmp(text, names[i], n))
			return true;
	return false;
}

/* An op that parse_op() refused; a misspelt name gets a suggestion. */
static bool unknown_op(struct loader *L, GError **err, const char *group,
		       const char *text)
{
	static const char *const names[] = {
		"readpages", "readpage", "wait", "sleep", "read", "randread",
		"strided", "drop_caches", "write", "writeback", "fsync",
		"fdatasync", "mpage_readpage", "mpage_readpages", "mpage_writepage",
		"mpage_writepages", NULL,
	};
	char *word = g_strndup(text, strcspn(text, " \t"));
	const char *near = NULL;
	bool known = false;

	for (int i = 0; names[i]; i++)
		known = known || !strcmp(word, names[i]);
	if (!known)
		near = closest_word(word, names);
	g_free(word);
	return fail(L, err, group, "ops", "\"%s\" is not one of: "
		    "readpages A-B, readpage N, wait A-B, sleep TIME, read "
		    "OFFSET LEN REQSIZE, randread COUNT REQSIZE SEED, strided "
		    "OFFSET REQSIZE STRIDE COUNT, drop_caches, write OFFSET "
		    "LEN, writeback NR, fsync, fdatasync, mpage_readpage N, "
		    "mpage_readpages A-B, mpage_writepage N, mpage_writepages "
		    "[A-B] [all|none] [cyclic]%s%s%s", text,
		    near ? " (did you mean " : "", near ? near : "",
		    near ? "?)" : "");
}

/* One word of a read op: a size (K, M, G suffixes), or "eof" if allowed. */
static bool read_op_size(struct loader *L, GError **err, const char *group,
			 const char *op, const char *word, const char *what,
			 uint64_t min, uint64_t max, uint64_t *out)
{
	if (!parse_size_bytes(word, out))
		return fail(L, err, group, "ops", "\"%s\": %s \"%s\" is not a "
			    "size (suffixes K, M, G allowed)", op, what, word);
	if (*out < min || *out > max)
		return fail(L, err, group, "ops", "\"%s\": %s must be in [%"
			    G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT "]", op,
			    what, min, max);
	return true;
}

/*
 *   read OFFSET LEN REQSIZE          LEN bytes from OFFSET in read(2)s of
 *                                    REQSIZE (LEN "eof": to the end)
 *   randread COUNT REQSIZE [SEED]    COUNT reads at REQSIZE-aligned offsets
 *                                    (no SEED: from the run's seed)
 *   strided OFFSET REQSIZE STRIDE COUNT   COUNT reads, STRIDE bytes apart
 *   drop_caches
 */
static bool parse_read_op(struct loader *L, GError **err, const char *group,
			  const char *text, GArray *ops)
{
	const struct scen_file *f = L->s->files->pdata[
		((struct scen_task *)L->s->tasks->pdata[L->s->tasks->len - 1])
		->file];
	uint64_t fsize = (uint64_t)f->size, big = (uint64_t)INT64_MAX / 4;
	char **w = g_strsplit_set(text, " \t", -1);
	const char *words[6] = { "", "", "", "", "", "" };
	struct scen_op op = { 0 };
	guint n = 0;
	bool ok = true;

	for (char **p = w; *p; p++)
		if (**p && n < G_N_ELEMENTS(words))
			words[n++] = *p;
		else if (**p)
			n = G_N_ELEMENTS(words);
	if (!strcmp(words[0], "drop_caches")) {
		op.type = OP_DROP_CACHES;
		ok = n == 1 || fail(L, err, group, "ops", "\"%s\": "
				       "drop_caches takes nothing", text);
	} else if (!strcmp(words[0], "read")) {
		op.type = OP_READ;
		ok = n == 4 || fail(L, err, group, "ops", "\"%s\": expected "
				       "read OFFSET LEN REQSIZE", text);
		ok = ok && read_op_size(L, err, group, text, words[1], "OFFSET",
					0, big, &op.a);
		if (ok && !strcmp(words[2], "eof"))
			op.b = fsize > op.a ? fsize - op.a : 0;
		else
			ok = ok && read_op_size(L, err, group, text, words[2],
						"LEN", 0, big, &op.b);
		ok = ok && read_op_size(L, err, group, text, words[3],
					"REQSIZE", 1, 1u << 30, &op.c);
		if (ok && op.b / op.c >= MAX_READ_CALLS)
			ok = fail(L, err, group, "ops", "\"%s\": at most %u "
				  "read calls", text, MAX_READ_CALLS);
	} else if (!strcmp(words[0], "randread")) {
		op.type = OP_RANDREAD;
		ok = n == 3 || n == 4 ||
		     fail(L, err, group, "ops", "\"%s\": expected "
			  "randread COUNT REQSIZE [SEED]", text);
		if (ok && (!parse_u64(words[1], &op.a) ||
			   op.a > MAX_READ_CALLS))
			ok = fail(L, err, group, "ops", "\"%s\": COUNT is a "
				  "number up to %u", text, MAX_READ_CALLS);
		ok = ok && read_op_size(L, err, group, text, words[2],
					"REQSIZE", 1, 1u << 30, &op.c);
		if (ok && op.c > fsize)
			ok = fail(L, err, group, "ops", "\"%s\": REQSIZE is "
				  "larger than file %s (%" G_GUINT64_FORMAT
				  " bytes)", text, f->name, fsize);
		op.b = n == 3;	/* no seed of its own */
		if (ok && n == 4 &&
		    (!parse_u64(words[3], &op.d) || op.d > G_MAXUINT32))
			ok = fail(L, err, group, "ops", "\"%s\": SEED is a "
				  "number up to 2^32 - 1", text);
	} else {
		op.type = OP_STRIDED;
		ok = n == 5 || fail(L, err, group, "ops", "\"%s\": expected "
				       "strided OFFSET REQSIZE STRIDE COUNT",
				       text);
		ok = ok && read_op_size(L, err, group, text, words[1], "OFFSET",
					0, big, &op.a) &&
		     read_op_size(L, err, group, text, words[2], "REQSIZE", 1,
				  1u << 30, &op.c) &&
		     read_op_size(L, err, group, text, words[3], "STRIDE", 1,
				  big / MAX_READ_CALLS, &op.b);
		if (ok && (!parse_u64(words[4], &op.d) ||
			   op.d > MAX_READ_CALLS))
			ok = fail(L, err, group, "ops", "\"%s\": COUNT is a "
				  "number up to %u", text, MAX_READ_CALLS);
	}
	g_strfreev(w);
	if (ok)
		g_array_append_val(ops, op);
	return ok;
}


/* ---- the mpage lab: fs/mpage.c's entry points by name ---- */

static bool is_mpage_op(const char *text)
{
	return !strncmp(text, "mpage_", strlen("mpage_"));
}

#define MAX_OP_PAGES (1u << 20)

/* "[A-B] [all|none] [cyclic]" of mpage_writepages, in any order. */
static bool parse_writepages_args(struct loader *L, GError **err,
				  const char *group, const char *text,
				  char *const *words, guint n,
				  struct scen_op *op)
{
	bool range = false, sync = false;

	op->a = 0;
	op->b = G_MAXUINT64;	/* the whole file: range_end LLONG_MAX */
	for (guint i = 1; i < n; i++) {
		const char *w = words[i];

		if (!strcmp(w, "all") || !strcmp(w, "none")) {
			if (sync)
				return fail(L, err, group, "ops", "\"%s\": the "
					    "sync mode is given twice", text);
			sync = true;
			op->c = !strcmp(w, "all");
		} else if (!strcmp(w, "cyclic")) {
			if (op->d)
				return fail(L, err, group, "ops", "\"%s\": "
					    "cyclic is given twice", text);
			op->d = 1;
		} else if (!range && parse_range(w, &op->a, &op->b)) {
			range = true;
			if (op->b >= (uint64_t)(INT64_MAX >> PAGE_SHIFT))
				return fail(L, err, group, "ops", "\"%s\": "
					    "page %" G_GUINT64_FORMAT " is past "
					    "the largest file offset", text,
					    op->b);
		} else {
			return fail(L, err, group, "ops", "\"%s\": \"%s\" is "
				    "not a page range A-B, all, none or "
				    "cyclic", text, w);
		}
	}
	if (range && op->d)
		return fail(L, err, group, "ops", "\"%s\": a range and cyclic "
			    "exclude each other (range_cyclic walks from "
			    "writeback_index and ignores the range)", text);
	return true;
}

/*
 *   mpage_readpage N       mpage_readpage of page N in any state
 *   mpage_readpages A-B    the same as readpages A-B
 *   mpage_writepage N      mpage_writepage of dirty page N, no fall back
 *   mpage_writepages [A-B] [all|none] [cyclic]
 *                          one write_cache_pages pass (mpage_writepages)
 */
static bool parse_mpage_op(struct loader *L, GError **err, const char *group,
			   const char *text, GArray *ops)
{
	char **w = g_strsplit_set(text, " \t", -1);
	char *words[5] = { NULL, NULL, NULL, NULL, NULL };
	struct scen_op op = { 0 };
	guint n = 0;
	bool ok = true, one_page;

	for (char **p = w; *p; p++)
		if (**p && n < G_N_ELEMENTS(words))
			words[n++] = *p;
		else if (**p)
			n = G_N_ELEMENTS(words);	/* too many */
	one_page = !strcmp(words[0], "mpage_readpage") ||
		   !strcmp(words[0], "mpage_writepage");
	if (!strcmp(words[0], "mpage_readpage"))
		op.type = OP_MPAGE_READPAGE;
	else if (!strcmp(words[0], "mpage_writepage"))
		op.type = OP_MPAGE_WRITEPAGE;
	else if (!strcmp(words[0], "mpage_readpages"))
		op.type = OP_READPAGES;
	else if (!strcmp(words[0], "mpage_writepages"))
		op.type = OP_MPAGE_WRITEPAGES;
	else
		ok = fail(L, err, group, "ops", "\"%s\" is not one of: "
			  "mpage_readpage N, mpage_readpages A-B, "
			  "mpage_writepage N, mpage_writepages [A-B] "
			  "[all|none] [cyclic]", text);
	if (ok && one_page && (n != 2 || !parse_u64(words[1], &op.a)))
		ok = fail(L, err, group, "ops", "\"%s\": expected %s N (a "
			  "page index)", text, words[0]);
	op.b = op.a;
	if (ok && op.type == OP_READPAGES &&
	    (n != 2 || !parse_range(words[1], &op.a, &op.b) ||
	     op.b - op.a >= MAX_OP_PAGES))
		ok = fail(L, err, group, "ops", "\"%s\": expected "
			  "mpage_readpages A-B, at most %u pages", text,
			  MAX_OP_PAGES);
	if (ok && op.type == OP_MPAGE_WRITEPAGES)
		ok = n <= 4 ? parse_writepages_args(L, err, group, text, words,
						    n, &op)
			    : fail(L, err, group, "ops", "\"%s\": expected "
				   "mpage_writepages [A-B] [all|none] "
				   "[cyclic]", text);
	if (ok && (op.type == OP_MPAGE_WRITEPAGE ||
		   op.type == OP_MPAGE_WRITEPAGES) && L->s->extent_fs)
		ok = fail(L, err, group, "ops", "\"%s\": the write path needs "
			  "[fs] type = ext2", text);
	g_strfreev(w);
	if (ok)
		g_array_append_val(ops, op);
	return ok;
}

/* ---- [task.NAME] ---- */

void scen_task_free(struct scen_task *t)
{
	if (!t)
		return;
	g_free(t->name);
	if (t->ops)
		g_array_unref(t->ops);
	g_free(t);
}

#define MAX_COPY_NS (1ll << 50)

/* Pages an op works on at once: a page range's, or a write's. */
static uint64_t op_pages(const struct scen_op *op)
{
	if (op->type == OP_WRITE)
		return (op->a % PAGE_SIZE + op->b + PAGE_SIZE - 1) / PAGE_SIZE;
	return op->b - op->a + 1;
}

/* An op's pages: not too many at once, none past the largest file. */
static bool check_op(struct loader *L, GError **err, const char *group,
		     const char *text, const struct scen_op *op)
{
	uint64_t max_bytes = max_file_blocks(L->s) * L->s->block_size;
	bool ranged = op->type == OP_READPAGES || op->type == OP_READPAGE ||
		      op->type == OP_WAIT || op->type == OP_MPAGE_READPAGE ||
		      op->type == OP_MPAGE_WRITEPAGE;

	if ((ranged || op->type == OP_WRITE) && op_pages(op) > MAX_OP_PAGES)
		return fail(L, err, group, "ops", "\"%s\": %" G_GUINT64_FORMAT
			    " pages; at most %u at once", text, op_pages(op),
			    MAX_OP_PAGES);
	if (ranged && op->b > max_page_index(L->s))
		return fail(L, err, group, "ops", "\"%s\": page %"
			    G_GUINT64_FORMAT " is past the largest page index "
			    "a file can have (%" G_GUINT64_FORMAT ")", text,
			    op->b, max_page_index(L->s));
	if (op->type == OP_WRITE && op->a + op->b > max_bytes)
		return fail(L, err, group, "ops", "\"%s\": ends past ext2's "
			    "largest file (%" G_GUINT64_FORMAT " bytes with %u-"
			    "byte blocks)", text, max_bytes, L->s->block_size);
	return true;
}

bool load_task(struct loader *L, GError **err, const char *group)
{
	struct scen_task *t = g_new0(struct scen_task, 1);
	char *v;
	char **ops;
	gsize n = 0;
	bool ok = true;

	t->name = g_strdup(group + strlen("task."));
	t->ops = g_array_new(FALSE, FALSE, sizeof(struct scen_op));
	g_ptr_array_add(L->s->tasks, t);
	if (!valid_name(t->name))
		return fail(L, err, group, NULL, "a task name is letters, "
			    "digits, '-' and '_'");
	if (!check_keys(L, err, group))
		return false;
	v = get_value(L, group, "file");
	if (!v)
		return fail(L, err, group, "file", "missing");
	t->file = find_file(L, v);
	if (t->file < 0)
		ok = fail(L, err, group, "file", "no file \"%s\" (a [file.%s] "
			  "group)", v, v);
	g_free(v);
	if (!ok)
		return false;
	if (!get_duration(L, err, group, "start", &t->start_ns) ||
	    !get_duration(L, err, group, "copy_cost", &t->copy_ns) ||
	    !load_task_ioprio(L, err, group, t))
		return false;
	/* it is scaled by the bytes of a page copied: keep that in 64 bits */
	if (t->copy_ns > MAX_COPY_NS)
		return fail(L, err, group, "copy_cost", "at most %lld ns (about "
			    "13 days) a page", MAX_COPY_NS);
	ops = g_key_file_get_string_list(L->kf, group, "ops", &n, NULL);
	for (gsize i = 0; i < n && ok; i++) {
		struct scen_op op;
		char *o = g_strstrip(ops[i]);

		if (!*o)
			continue;
		if (is_read_op(o))
			ok = parse_read_op(L, err, group, o, t->ops);
		else if (is_mpage_op(o))
			ok = parse_mpage_op(L, err, group, o, t->ops) &&
			     check_op(L, err, group, o, &g_array_index(t->ops,
					struct scen_op, t->ops->len - 1));
		else if (!parse_op(o, &op))
			ok = unknown_op(L, err, group, o);
		else if ((op.type == OP_WRITE || op.type == OP_WRITEBACK ||
			  op.type == OP_FSYNC) && L->s->extent_fs)
			ok = fail(L, err, group, "ops", "\"%s\": the write "
				  "path needs [fs] type = ext2", o);
		else if (op.type == OP_WRITE &&
			 file_has_locked_buffer(L->s, t->file))
			ok = fail(L, err, group, "ops", "\"%s\": the file has "
				  "a page with a locked buffer, which writeback "
				  "must never meet (__mpage_writepage: "
				  "BUG_ON(buffer_locked(bh)))", o);
		else if (!check_op(L, err, group, o, &op))
			ok = false;
		else
			g_array_append_val(t->ops, op);
	}
	g_strfreev(ops);
	if (ok && t->ops->len == 0)
		ok = fail(L, err, group, "ops", "a task needs at least one op");
	return ok;
}
