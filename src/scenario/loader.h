/*
 * loader.h - what the files of the scenario loader share; not for use
 * outside src/scenario.
 *
 * scenario.c reads the key file, applies --set and hands each group to its
 * loader: settings.c for the groups that set the machine up ([disk], [fs],
 * [block], [fault], [readahead], [writeback], [kernel], [cache]), files.c for
 * [file.*] and [page.*], tasks.c for [task.*].  values.c parses the values
 * they all read.  Every loader reports its first problem with fail() and
 * returns false; the load stops there.
 */
#ifndef MPSIM_SCENARIO_LOADER_H
#define MPSIM_SCENARIO_LOADER_H

#include "scenario/scenario.h"

/* Loading context: where we are, for messages. */
struct loader {
	struct scenario *s;
	GKeyFile *kf;
	const char *text;	/* the file as read, for line numbers */
	GHashTable *overridden;	/* "group.key" given with --set */
	GHashTable *file_index;	/* file name -> index in s->files, plus 1 */
	GHashTable *page_groups; /* "FILE\037INDEX" of each [page.*] */
	uint64_t list_numbers;	/* numbers in all lists so far */
	unsigned pointer_blocks; /* placed by indirect keys so far */
};

/*
 * Set *err to "FILE:LINE: [GROUP] KEY: message" (LINE left out when the key
 * came from --set or does not appear; "[GROUP]: " alone when key is NULL,
 * nothing but the file when group is NULL too).  Returns false.
 */
bool fail(struct loader *L, GError **err, const char *group, const char *key,
	  const char *fmt, ...) G_GNUC_PRINTF(5, 6);

/* ---- values.c: words and numbers ---- */

bool parse_u64(const char *text, uint64_t *out);
/*
 * g_strsplit(text, sep, -1) in time linear in the text (g_strsplit's
 * strstr is, under AddressSanitizer, linear in the rest of the text at
 * every item).
 */
char **split_items(const char *text, char sep);
/* "A" or "A-B": a closed range. */
bool parse_range(const char *text, uint64_t *a, uint64_t *b);
/* A number with ns, us, ms or s; at most INT64_MAX / 4. */
bool parse_duration_ns(const char *text, int64_t *out);
/* A number of bytes, with K, M, G, T (or KiB ...) for powers of 1024. */
bool parse_size_bytes(const char *text, uint64_t *out);

/* Names of files and tasks: letters, digits, '-' and '_'. */
bool valid_name(const char *name);

/* ---- values.c: keys of the key file ---- */

/* Fail on the first key of `group` that the catalogue (keys.c) lacks. */
bool check_keys(struct loader *L, GError **err, const char *group);
/* The value of group.key, stripped, or NULL when absent (g_free it). */
char *get_value(struct loader *L, const char *group, const char *key);
/* These keep *out as it is when the key is absent. */
bool get_u64(struct loader *L, GError **err, const char *group,
	     const char *key, uint64_t min, uint64_t max, uint64_t *out);
bool get_bool(struct loader *L, GError **err, const char *group,
	      const char *key, bool *out);
bool get_duration(struct loader *L, GError **err, const char *group,
		  const char *key, int64_t *out);
/* "1, 4-7, 9" as sorted, unique guint64s; an empty array when absent. */
bool get_list(struct loader *L, GError **err, const char *group,
	      const char *key, GArray **out);

/* ---- settings.c: groups that occur once ---- */

bool load_disk(struct loader *L, GError **err);
bool load_fs(struct loader *L, GError **err);
bool load_block(struct loader *L, GError **err);
bool load_fault(struct loader *L, GError **err);
bool load_readahead(struct loader *L, GError **err);
bool load_writeback(struct loader *L, GError **err);
bool load_kernel(struct loader *L, GError **err);
/* After the files, pages and tasks: it checks that they fit. */
bool load_cache(struct loader *L, GError **err);

/* ---- files.c: [file.NAME] and [page.FILE.INDEX] ---- */

bool load_file(struct loader *L, GError **err, const char *group);
bool load_page(struct loader *L, GError **err, const char *group);
/*
 * The most blocks a file can have: what ext2's triple-indirect map
 * addresses at the block size (ext2_max_blocks()), or 2^32 with [fs]
 * type = extent; and the largest page index of any file, that of
 * MAX_LFS_FILESIZE (2^51 - 1: a read past what ext2 maps is the kernel's
 * to refuse, and the mpage lab makes it).
 */
uint64_t max_file_blocks(const struct scenario *s);
uint64_t max_page_index(const struct scenario *s);
/* Index of the file called `name` in s->files, or -1. */
int find_file(struct loader *L, const char *name);
/* True when a [page.FILE.N] of the file has a locked buffer. */
bool file_has_locked_buffer(const struct scenario *s, int file);
void scen_file_free(struct scen_file *f);

/* ---- work.c: what a run may cost ---- */

/* After everything is loaded: the work estimate and each task's time. */
bool check_work(struct loader *L, GError **err);

/* ---- tasks.c: [task.NAME] ---- */

bool load_task(struct loader *L, GError **err, const char *group);
void scen_task_free(struct scen_task *t);

#endif /* MPSIM_SCENARIO_LOADER_H */
