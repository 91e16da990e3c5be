/*
 * scenario.c - loading and checking scenario files.
 *
 * The file is parsed with GKeyFile; --set overrides are applied to the key
 * file before anything is read from it, so an override is checked exactly
 * like a key written in the file.  Every group name is checked here, then
 * each group is handed to its loader (loader.h says which file holds
 * which); the first problem ends the load with a message of the form
 *
 *     FILE:LINE: [GROUP] KEY: what is wrong
 *
 * (LINE is left out when the key came from --set or is missing).  Once
 * everything is loaded, the effective options (every setting, defaults
 * included) are listed for the run's log.
 */
#include "scenario/loader.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <math.h>
#include "disk/disk.h"
#include "include/parse.h"
#include "scenario/keys.h"
#include "sim/rng.h"

/* The largest scenario file read (docs/robustness.md). */
#define MAX_SCENARIO_BYTES (16 << 20)

G_DEFINE_QUARK(mpsim-scenario-error-quark, scenario_error)

/* "group\037key": where scenario_key_line() finds a key's line. */
static char *line_key(const char *group, const char *key)
{
	return g_strconcat(group, "\037", key ? key : "", NULL);
}

int scenario_key_line(const struct scenario *s, const char *group,
		      const char *key)
{
	char *k;
	int line;

	if (!s->key_lines || !group)
		return 0;
	k = line_key(group, key);
	line = GPOINTER_TO_INT(g_hash_table_lookup(s->key_lines, k));
	g_free(k);
	return line;
}

char *scenario_where(const struct scenario *s, const char *group,
		     const char *key)
{
	int line = scenario_key_line(s, group, key);

	return line ? g_strdup_printf("%s:%d", s->path, line) :
		      g_strdup(s->path);
}

char *scenario_escape(const char *text)
{
	GString *o = g_string_sized_new(strlen(text));

	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			g_string_append_printf(o, "\\x%02x", *p);
		else
			g_string_append_c(o, (char)*p);
	return g_string_free(o, FALSE);
}

/* Set *err to `text` with control characters escaped. */
static void set_escaped(GError **err, const char *text)
{
	char *e = scenario_escape(text);

	g_set_error_literal(err, SCENARIO_ERROR, 0, e);
	g_free(e);
}

bool fail(struct loader *L, GError **err, const char *group, const char *key,
	  const char *fmt, ...)
{
	va_list ap;
	char *msg, *where, *full_key, *text;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	full_key = key ? g_strdup_printf("%s.%s", group, key) : NULL;
	where = scenario_where(L->s, group, key);
	if (group && key)
		text = g_strdup_printf("%s: [%s] %s: %s%s", where, group, key,
				       msg, full_key &&
				       g_hash_table_contains(L->overridden,
							     full_key) ?
				       " (from --set)" : "");
	else if (group)
		text = g_strdup_printf("%s: [%s]: %s", where, group, msg);
	else
		text = g_strdup_printf("%s: %s", where, msg);
	set_escaped(err, text);
	g_free(text);
	g_free(full_key);
	g_free(where);
	g_free(msg);
	return false;
}

/* ---- effective options ---- */

static void add_option(struct scenario *s, const char *key, const char *value)
{
	g_ptr_array_add(s->option_keys, g_strdup(key));
	g_ptr_array_add(s->option_values, g_strdup(value));
}

/* For the modules' foreach functions, which name keys without a group. */
struct group_options {
	struct scenario *s;
	const char *group;
};

static void add_group_option(const char *key, const char *value, void *arg)
{
	const struct group_options *g = arg;
	char *k = g_strdup_printf("%s.%s", g->group, key);

	add_option(g->s, k, value);
	g_free(k);
}

static char *list_text(const GArray *a)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; a && i < a->len; i++)
		g_string_append_printf(s, "%s%" G_GUINT64_FORMAT, i ? "," : "",
				       g_array_index(a, guint64, i));
	return g_string_free(s, FALSE);
}

/* Option indexes by their keys (g_ptr_array_sort passes pointers). */
static gint cmp_option(gconstpointer a, gconstpointer b, gpointer keys)
{
	const GPtrArray *k = keys;

	return strcmp(k->pdata[GPOINTER_TO_UINT(*(void *const *)a)],
		      k->pdata[GPOINTER_TO_UINT(*(void *const *)b)]);
}

static void collect_options(struct loader *L)
{
	struct scenario *s = L->s;
	char **groups = g_key_file_get_groups(L->kf, NULL);
	char buf[32], *t;
	GPtrArray *order;

	disk_params_foreach(s->disk, add_group_option,
			    &(struct group_options){ s, "disk" });
	add_option(s, "fs.type", s->extent_fs ? "extent" : "ext2");
	g_snprintf(buf, sizeof(buf), "%u", s->block_size);
	add_option(s, "fs.block_size", buf);
	add_option(s, "fs.boundary", s->boundary ? "on" : "off");
	add_option(s, "fs.nobh", s->nobh ? "on" : "off");
	add_option(s, "fs.metadata_writes", s->metadata_writes ? "on" : "off");
	g_snprintf(buf, sizeof(buf), "%u", s->dirty_expire_centisecs);
	add_option(s, "writeback.dirty_expire_centisecs", buf);
	g_snprintf(buf, sizeof(buf), "%u", s->dirty_writeback_centisecs);
	add_option(s, "writeback.dirty_writeback_centisecs", buf);
	g_snprintf(buf, sizeof(buf), "%" G_GUINT64_FORMAT,
		   s->dirty_background_pages);
	add_option(s, "writeback.dirty_background_pages", buf);
	g_snprintf(buf, sizeof(buf), "%u", s->dirty_ratio);
	add_option(s, "writeback.dirty_ratio", buf);
	g_snprintf(buf, sizeof(buf), "%u", s->dirty_background_ratio);
	add_option(s, "writeback.dirty_background_ratio", buf);
	g_snprintf(buf, sizeof(buf), "%" G_GUINT64_FORMAT, s->dirty_memory);
	add_option(s, "writeback.memory", buf);
	g_snprintf(buf, sizeof(buf), "%u", s->hz);
	add_option(s, "kernel.hz", buf);
	if (s->phase_random)
		add_option(s, "disk.phase", "random");
	else
		add_option(s, "disk.phase", g_ascii_formatd(buf, sizeof(buf),
							    "%.9g", s->phase));
	t = list_text(s->cached_blocks);
	add_option(s, "fs.cached_blocks", t);
	g_free(t);
	blk_options_foreach(&s->blk, add_group_option,
			    &(struct group_options){ s, "block" });
	blk_fault_foreach(&s->blk.fault, add_group_option,
			  &(struct group_options){ s, "fault" });
	if (s->cache_capacity) {
		g_snprintf(buf, sizeof(buf), "%" G_GUINT64_FORMAT,
			   s->cache_capacity);
		add_option(s, "cache.capacity", buf);
	}
	g_snprintf(buf, sizeof(buf), "%u", s->ra_pages);
	add_option(s, "readahead.ra_pages", buf);
	for (const char *const *k = (const char *const[]){ "free", "fragment",
							  NULL }; *k; k++) {
		char *v = get_value(L, "fs", *k), *full = g_strconcat("fs.", *k, NULL);

		if (v)
			add_option(s, full, v);
		g_free(full);
		g_free(v);
	}
	for (char **g = groups; *g; g++) {
		char **keys;

		if (!g_str_has_prefix(*g, "file.") &&
		    !g_str_has_prefix(*g, "page.") &&
		    !g_str_has_prefix(*g, "task."))
			continue;
		keys = g_key_file_get_keys(L->kf, *g, NULL, NULL);
		for (char **k = keys; *k; k++) {
			char *full = g_strdup_printf("%s.%s", *g, *k);
			char *v = get_value(L, *g, *k);

			add_option(s, full, v);
			g_free(v);
			g_free(full);
		}
		g_strfreev(keys);
	}
	g_strfreev(groups);

	/* sort both arrays by key: the keys are unique */
	order = g_ptr_array_new();
	for (guint i = 0; i < s->option_keys->len; i++)
		g_ptr_array_add(order, GUINT_TO_POINTER(i));
	g_ptr_array_sort_with_data(order, cmp_option, s->option_keys);
	{
		GPtrArray *k = g_ptr_array_new_with_free_func(g_free);
		GPtrArray *v = g_ptr_array_new_with_free_func(g_free);

		for (guint i = 0; i < order->len; i++) {
			guint idx = GPOINTER_TO_UINT(order->pdata[i]);

			g_ptr_array_add(k, g_steal_pointer(
				&s->option_keys->pdata[idx]));
			g_ptr_array_add(v, g_steal_pointer(
				&s->option_values->pdata[idx]));
		}
		g_ptr_array_unref(s->option_keys);
		g_ptr_array_unref(s->option_values);
		s->option_keys = k;
		s->option_values = v;
	}
	g_ptr_array_unref(order);
}

/* ---- the whole file ---- */

/* A group or key name in --set: letters, digits, '-', '_' and `more`. */
static bool valid_set_name(const char *name, const char *more)
{
	if (!*name)
		return false;
	for (const char *p = name; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_' &&
		    !strchr(more, *p))
			return false;
	return true;
}

/* Apply "GROUP.KEY=VALUE" overrides; the key is after the last dot. */
static bool apply_sets(struct loader *L, const char *const *sets,
		       GError **err)
{
	for (; sets && *sets; sets++) {
		const char *eq = strchr(*sets, '=');
		char *lhs, *dot;

		if (!g_utf8_validate(*sets, -1, NULL))
			return fail(L, err, NULL, NULL, "--set: not UTF-8 text");
		if (!eq)
			return fail(L, err, NULL, NULL, "--set %s: expected "
				    "GROUP.KEY=VALUE", *sets);
		lhs = g_strndup(*sets, (gsize)(eq - *sets));
		dot = strrchr(lhs, '.');
		if (!dot || dot == lhs || !dot[1]) {
			fail(L, err, NULL, NULL, "--set %s: expected "
			     "GROUP.KEY=VALUE", *sets);
			g_free(lhs);
			return false;
		}
		*dot = '\0';
		if (!valid_set_name(lhs, ".") || !valid_set_name(dot + 1, "")) {
			*dot = '.';
			fail(L, err, NULL, NULL, "--set %s: expected "
			     "GROUP.KEY=VALUE, with letters, digits, '-' and "
			     "'_' in the names", *sets);
			g_free(lhs);
			return false;
		}
		g_key_file_set_value(L->kf, lhs, dot + 1, eq + 1);
		{
			char *lk = line_key(lhs, dot + 1);

			g_hash_table_remove(L->s->key_lines, lk);
			g_free(lk);
		}
		*dot = '.';
		g_hash_table_add(L->overridden, lhs);
	}
	return true;
}


/* "unknown group (did you mean X?; known: ...)" */
static bool unknown_group(struct loader *L, GError **err, const char *group)
{
	GPtrArray *groups = scen_key_groups(true);
	GString *msg = g_string_new("unknown group");
	const char *near;
	bool ok;

	g_ptr_array_add(groups, NULL);
	near = closest_word(group, (const char *const *)groups->pdata);
	if (near)
		g_string_append_printf(msg, " (did you mean [%s]?)", near);
	g_string_append(msg, "; known groups:");
	for (guint i = 0; groups->pdata[i]; i++)
		g_string_append_printf(msg, "%s %s", i ? "," : "",
				       (char *)groups->pdata[i]);
	ok = fail(L, err, group, NULL, "%s", msg->str);
	g_string_free(msg, TRUE);
	g_ptr_array_unref(groups);
	return ok;
}

/*
 * Every group must be one the catalogue (keys.c) knows.  [scenario] and
 * [cache] have their keys checked here; every other group by its loader.
 */
static bool check_groups(struct loader *L, GError **err)
{
	char **groups = g_key_file_get_groups(L->kf, NULL);
	bool ok = true;
	unsigned tasks = 0, files = 0;

	for (char **g = groups; *g; g++) {
		tasks += g_str_has_prefix(*g, "task.");
		files += g_str_has_prefix(*g, "file.");
	}
	if (tasks > SCENARIO_MAX_TASKS)
		ok = fail(L, err, NULL, NULL, "%u [task.NAME] groups; at most "
			  "%u tasks (each reserves its own stack)", tasks,
			  SCENARIO_MAX_TASKS);
	else if (files > SCENARIO_MAX_FILES)
		ok = fail(L, err, NULL, NULL, "%u [file.NAME] groups; at most "
			  "%u files", files, SCENARIO_MAX_FILES);
	for (char **g = groups; *g && ok; g++) {
		if (!scen_key_group_of(*g))
			ok = unknown_group(L, err, *g);
		else if (!strcmp(*g, "scenario") || !strcmp(*g, "cache"))
			ok = check_keys(L, err, *g);
	}
	g_strfreev(groups);
	return ok;
}

static bool load_groups(struct loader *L, const char *prefix,
			bool (*load)(struct loader *, GError **,
				     const char *), GError **err)
{
	char **groups = g_key_file_get_groups(L->kf, NULL);
	bool ok = true;

	for (char **g = groups; *g && ok; g++)
		if (g_str_has_prefix(*g, prefix))
			ok = load(L, err, *g);
	g_strfreev(groups);
	return ok;
}

/*
 * GKeyFile refused the text; its message names no line.  Find the first
 * line that is not blank, a comment, a [group] or a key = value (or a key
 * before any group) and name it; otherwise pass GKeyFile's message on.
 */
static bool syntax_error(struct loader *L, GError **err, const char *why)
{
	const char *p = L->text;
	bool in_group = false;

	for (int line = 1; *p; line++) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		char *t = g_strstrip(g_strndup(p, n));
		const char *what = NULL;

		if (!*t || *t == '#')
			;
		else if (*t == '[' && t[strlen(t) - 1] != ']')
			what = "a group header needs its closing ']'";
		else if (*t == '[')
			in_group = true;
		else if (!strchr(t, '='))
			what = "a line is a [group], a key = value or a # comment";
		else if (!in_group)
			what = "a key before the first [group]";
		if (what) {
			char *cut = g_utf8_substring(t, 0,
				MIN(g_utf8_strlen(t, -1), 60));
			char *m = g_strdup_printf("%s:%d: syntax error: "
						  "\"%s\": %s", L->s->path,
						  line, cut, what);

			set_escaped(err, m);
			g_free(m);
			g_free(cut);
			g_free(t);
			return false;
		}
		g_free(t);
		if (!eol)
			break;
		p = eol + 1;
	}
	return fail(L, err, NULL, NULL, "syntax error: %s", why);
}

/* A line's text without leading and trailing blanks: [*b, *e). */
static void trim_line(const char **b, const char **e)
{
	while (*b < *e && g_ascii_isspace(**b))
		(*b)++;
	while (*e > *b && g_ascii_isspace((*e)[-1]))
		(*e)--;
}

/*
 * One pass over the text before GKeyFile reads it: the line of every
 * group and key (for messages, the last line of a key given twice, whose
 * value GKeyFile keeps), a group given twice (GKeyFile would merge them),
 * and keys with a locale suffix (key[de] = ...), which GKeyFile keeps
 * apart from the key and which the format does not have.
 */
static bool scan_lines(struct loader *L, GError **err)
{
	const char *p = L->text;
	GHashTable *groups = g_hash_table_new_full(g_str_hash, g_str_equal,
						   g_free, NULL);
	char *group = NULL;
	bool ok = true;

	for (int line = 1; *p && ok; line++) {
		const char *eol = strchr(p, '\n');
		const char *b = p, *e = eol ? eol : p + strlen(p);

		trim_line(&b, &e);
		if (b < e && *b == '[' && e[-1] == ']') {
			int first;

			g_free(group);
			group = g_strndup(b + 1, (gsize)(e - b - 2));
			first = GPOINTER_TO_INT(g_hash_table_lookup(groups,
								    group));
			if (first) {
				char *m = g_strdup_printf("%s:%d: [%s]: the "
					"group is given twice (first at line "
					"%d); give each group once", L->s->path,
					line, group, first);

				set_escaped(err, m);
				g_free(m);
				ok = false;
				break;
			}
			g_hash_table_insert(groups, g_strdup(group),
					    GINT_TO_POINTER(line));
			g_hash_table_insert(L->s->key_lines,
					    line_key(group, NULL),
					    GINT_TO_POINTER(line));
		} else if (b < e && *b != '#' && group && memchr(b, '=', (gsize)(e - b))) {
			const char *q = memchr(b, '=', (gsize)(e - b));
			const char *ke = q;
			char *key;

			while (ke > b && g_ascii_isspace(ke[-1]))
				ke--;
			key = g_strndup(b, (gsize)(ke - b));
			if (strchr(key, '[')) {
				char *m = g_strdup_printf("%s:%d: [%s] %s: a "
					"key has no [locale] suffix", L->s->path,
					line, group, key);

				set_escaped(err, m);
				g_free(m);
				ok = false;
			} else {
				g_hash_table_insert(L->s->key_lines,
						    line_key(group, key),
						    GINT_TO_POINTER(line));
			}
			g_free(key);
		}
		if (!eol)
			break;
		p = eol + 1;
	}
	g_free(group);
	g_hash_table_destroy(groups);
	return ok;
}

/* Text that is not UTF-8: name the line of the first bad byte. */
static bool check_utf8(struct loader *L, const char *text, gsize len,
		       GError **err)
{
	const char *end;
	int line = 1;

	if (g_utf8_validate_len(text, len, &end))
		return true;
	for (const char *p = text; p < end; p++)
		line += *p == '\n';
	g_set_error(err, SCENARIO_ERROR, 0, "%s:%d: not UTF-8 text (byte "
		    "0x%02x); a scenario is UTF-8", L->s->path, line,
		    (unsigned char)*end);
	return false;
}

static char *base_name(const char *path)
{
	char *b = g_path_get_basename(path);

	if (g_str_has_suffix(b, ".ini"))
		b[strlen(b) - 4] = '\0';
	return b;
}

static struct scenario *load_data(const char *path, const char *text,
				  gsize len, const char *const *sets,
				  bool need_task, GError **err)
{
	struct scenario *s = g_new0(struct scenario, 1);
	struct loader L = { .s = s };
	GError *e = NULL;
	char *copy;
	bool ok;

	s->path = g_strdup(path);
	s->name = base_name(path);
	s->dir = g_path_get_dirname(path);
	s->checksum = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
						  (const guchar *)text, len);
	s->files = g_ptr_array_new_with_free_func((GDestroyNotify)scen_file_free);
	s->tasks = g_ptr_array_new_with_free_func((GDestroyNotify)scen_task_free);
	s->pages = g_array_new(FALSE, FALSE, sizeof(struct scen_page));
	s->option_keys = g_ptr_array_new_with_free_func(g_free);
	s->option_values = g_ptr_array_new_with_free_func(g_free);
	s->key_lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					     NULL);
	/* a UTF-8 byte-order mark is allowed, and is not part of the text */
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
		text += 3;
		len -= 3;
	}
	s->inputs = g_ptr_array_new_with_free_func(g_free);
	/* line lookups need a terminated text; `text` need not be one */
	copy = g_malloc(len + 1);
	memcpy(copy, text, len);
	copy[len] = '\0';
	L.text = copy;
	L.kf = g_key_file_new();
	L.overridden = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					     NULL);
	L.file_index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					     NULL);
	L.page_groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					      NULL);

	if (memchr(text, '\0', len)) {
		ok = fail(&L, err, NULL, NULL, "not a text file");
	} else if (!check_utf8(&L, text, len, err) || !scan_lines(&L, err)) {
		ok = false;
	} else if (!g_key_file_load_from_data(L.kf, text, len,
					      G_KEY_FILE_NONE, &e)) {
		ok = syntax_error(&L, err, e->message);
		g_clear_error(&e);
	} else {
		ok = apply_sets(&L, sets, err) && check_groups(&L, err);
	}
	if (ok) {
		char *d = get_value(&L, "scenario", "description");

		s->description = d ? d : g_strdup("");
		s->max_work = SCENARIO_DEFAULT_MAX_WORK;
		s->seed = RNG_DEFAULT_SEED;
		ok = get_u64(&L, err, "scenario", "max_work", 1, 1ull << 62,
			     &s->max_work) &&
		     get_u64(&L, err, "scenario", "seed", 0, G_MAXINT64,
			     &s->seed) &&
		     load_disk(&L, err) && load_fs(&L, err) &&
		     load_block(&L, err) && load_fault(&L, err) &&
		     load_readahead(&L, err) &&
		     load_writeback(&L, err) &&
		     load_kernel(&L, err) &&
		     load_groups(&L, "file.", load_file, err) &&
		     load_groups(&L, "page.", load_page, err) &&
		     load_groups(&L, "task.", load_task, err) &&
		     load_cache(&L, err);
	}
	if (ok && need_task && s->tasks->len == 0)
		ok = fail(&L, err, NULL, NULL, "no task: a scenario needs at "
			  "least one [task.NAME] group");
	if (ok)
		ok = check_work(&L, err);
	if (ok)
		collect_options(&L);
	g_key_file_free(L.kf);
	g_hash_table_destroy(L.overridden);
	g_hash_table_destroy(L.file_index);
	g_hash_table_destroy(L.page_groups);
	g_free(copy);
	if (!ok) {
		scenario_free(s);
		return NULL;
	}
	return s;
}

struct scenario *scenario_load_data(const char *path, const char *text,
				    gsize len, const char *const *sets,
				    GError **err)
{
	return load_data(path, text, len, sets, true, err);
}

/*
 * Read at most MAX_SCENARIO_BYTES plus one byte, from a regular file only:
 * a FIFO, a device or a folder is refused before it is read (a FIFO is
 * opened without waiting for a writer), and a file that is larger, or
 * grows, is refused after one byte too many.  "-" is a file called "-":
 * a scenario is never read from standard input.
 */
static bool read_scenario(const char *path, char **text, gsize *len,
			  GError **err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	gsize n = 0, cap = 0;
	char *buf = NULL;
	bool ok = true;

	if (fd < 0) {
		g_set_error(err, SCENARIO_ERROR, 0, "%s: cannot open: %s", path,
			    g_strerror(errno));
		return false;
	}
	if (fstat(fd, &st)) {
		g_set_error(err, SCENARIO_ERROR, 0, "%s: %s", path,
			    g_strerror(errno));
		close(fd);
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		g_set_error(err, SCENARIO_ERROR, 0, "%s: is %s, not a scenario "
			    "file (a regular file)", path,
			    S_ISDIR(st.st_mode) ? "a folder" :
			    S_ISFIFO(st.st_mode) ? "a pipe (FIFO)" :
			    S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ?
			    "a device" : S_ISSOCK(st.st_mode) ? "a socket" :
			    "not a regular file");
		close(fd);
		return false;
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			cap = cap ? MIN(2 * cap, (gsize)MAX_SCENARIO_BYTES + 1) :
				    MIN((gsize)st.st_size + 1,
					(gsize)MAX_SCENARIO_BYTES + 1);
			if (cap < 4096)
				cap = 4096;
			buf = g_realloc(buf, cap);
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			g_set_error(err, SCENARIO_ERROR, 0, "%s: cannot read: "
				    "%s", path, g_strerror(errno));
			ok = false;
			break;
		}
		if (r == 0)
			break;
		n += (gsize)r;
		if (n > MAX_SCENARIO_BYTES) {
			g_set_error(err, SCENARIO_ERROR, 0, "%s: larger than "
				    "%d MiB", path, MAX_SCENARIO_BYTES >> 20);
			ok = false;
			break;
		}
	}
	close(fd);
	if (!ok) {
		g_free(buf);
		return false;
	}
	*text = buf;
	*len = n;
	return true;
}

static struct scenario *load_scenario_file(const char *path,
					   const char *const *sets,
					   bool need_task, GError **err)
{
	char *text = NULL;
	gsize len = 0;
	struct scenario *s;

	if (!read_scenario(path, &text, &len, err)) {
		char *e = scenario_escape((*err)->message);

		g_free((*err)->message);
		(*err)->message = e;
		return NULL;
	}
	s = load_data(path, text, len, sets, need_task, err);
	g_free(text);
	return s;
}

struct scenario *scenario_load(const char *path, const char *const *sets,
			       GError **err)
{
	return load_scenario_file(path, sets, true, err);
}

struct scenario *scenario_load_device(const char *path,
				      const char *const *sets, GError **err)
{
	struct scenario *s = path ? load_scenario_file(path, sets, false, err) :
			     load_data("default", "", 0, sets, false, err);

	if (!s)
		return NULL;
	/* the device only: no task runs, no file is placed or cached */
	g_ptr_array_set_size(s->tasks, 0);
	g_ptr_array_set_size(s->files, 0);
	g_array_set_size(s->pages, 0);
	if (s->cached_blocks)
		g_array_set_size(s->cached_blocks, 0);
	/* and their options, which no longer say what runs */
	for (guint i = s->option_keys->len; i-- > 0; ) {
		const char *k = s->option_keys->pdata[i];

		if (g_str_has_prefix(k, "task.") ||
		    g_str_has_prefix(k, "file.") ||
		    g_str_has_prefix(k, "page.")) {
			g_ptr_array_remove_index(s->option_keys, i);
			g_ptr_array_remove_index(s->option_values, i);
		}
	}
	return s;
}

void scenario_free(struct scenario *s)
{
	if (!s)
		return;
	g_free(s->path);
	g_free(s->name);
	g_free(s->dir);
	if (s->inputs)
		g_ptr_array_unref(s->inputs);
	g_free(s->checksum);
	g_free(s->description);
	if (s->disk)
		disk_params_free(s->disk);
	if (s->cached_blocks)
		g_array_unref(s->cached_blocks);
	if (s->free_ranges)
		g_array_unref(s->free_ranges);
	blk_options_clear(&s->blk);
	g_ptr_array_unref(s->files);
	g_ptr_array_unref(s->tasks);
	g_array_unref(s->pages);
	g_ptr_array_unref(s->option_keys);
	g_ptr_array_unref(s->option_values);
	if (s->key_lines)
		g_hash_table_destroy(s->key_lines);
	g_free(s);
}

char *scenario_resolve_path(const struct scenario *s, const char *path)
{
	if (g_path_is_absolute(path))
		return g_strdup(path);
	return g_build_filename(s->dir, path, NULL);
}

uint64_t scenario_disk_blocks(const struct scenario *s)
{
	return disk_params_capacity(s->disk) / (s->block_size / 512);
}

int64_t scenario_phase_ns(const struct scenario *s, uint64_t seed,
			  uint32_t rpm)
{
	/* T_rev = 60e9 / rpm ns; the integers below it number ceil(T_rev) */
	uint64_t per_min = 60000000000ull;

	if (!rpm)
		return 0;
	if (s->phase_random)
		return (int64_t)rng_uniform(seed, "disk.phase",
					    (per_min + rpm - 1) / rpm);
	return (int64_t)llround(s->phase * (double)per_min / rpm);
}
