/*
 * case.h - one case of the differential test of fs/mpage.c: a world (an
 * ext2 block map, pointer blocks, a page cache, injected faults) and one
 * read or write operation on it.
 *
 * The same case is fed to the kernel's own fs/mpage.c (ref-side.c, over a
 * userspace shim of the kernel API) and to the port in src/libmpsim.a
 * (port-side.c); each side writes what happened, one event per line, and
 * the two logs must be equal.  This header holds no kernel type, so that
 * both sides can include it.
 *
 * A case is also a text file (case_parse / case_format), so that a case
 * that differs can be written out, shrunk, and replayed.
 */
#ifndef MPSIM_TESTS_DIFF_CASE_H
#define MPSIM_TESTS_DIFF_CASE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

enum dcase_op { DOP_READPAGES, DOP_READPAGE, DOP_WRITEPAGES, DOP_WRITEPAGE };

/* File blocks [lblk, lblk + len) live on disk blocks [pblk, pblk + len). */
struct dextent {
	uint64_t lblk, pblk, len;
};

/*
 * A pointer block of the inode, named by its path as ext2 names it:
 * {12} the indirect block, {13} the double, {13, n} its n-th child,
 * {14}, {14, n}, {14, n, m} under the triple.
 */
struct dptr {
	unsigned depth;
	unsigned path[3];
	uint64_t pblk;
	bool cached;		/* in the buffer cache already: no read */
	bool dirty;		/* cached and dirty (write_boundary_block) */
};

/* Buffer state letters: what a buffer head of a cached page starts with. */
#define DB_UPTODATE 1u
#define DB_MAPPED 2u
#define DB_DIRTY 4u
#define DB_NEW 8u
#define DB_BOUNDARY 16u
#define DB_LOCKED 32u		/* held by someone else (the mpage lab) */

/* A page in the page cache before the operation. */
struct dpage {
	uint64_t index;
	bool uptodate;
	bool dirty, writeback;	/* PG_dirty, PG_writeback */
	int nbufs;		/* 0: no buffers; else blocks per page */
	unsigned bstate[8];
	uint64_t bblock[8];
};

struct dcase {
	unsigned blocksize;
	bool boundary;		/* get_block sets BH_Boundary (fs.boundary) */
	bool memalloc;		/* the reader runs with PF_MEMALLOC */
	bool rw_page;		/* the device reads pages itself (brd) */
	bool aops;		/* enter through the inode's a_ops (ext2) */
	uint64_t isize;
	enum dcase_op op;
	GArray *pages;		/* uint64_t: the op's pages, in list order */
	GArray *map;		/* struct dextent */
	GArray *ptrs;		/* struct dptr, parents first */
	GArray *cached;		/* struct dpage */
	GArray *uptodate;	/* uint64_t file blocks: get_block says uptodate */
	GArray *eio;		/* uint64_t file blocks: get_block fails */
	GArray *metaeio;	/* uint64_t disk blocks whose reads fail */
	GArray *cleancache;	/* uint64_t page indexes found in cleancache */
	GArray *allocfail;	/* uint64_t ordinals of failing bio_alloc calls */
	GArray *bioeio;		/* uint64_t ordinals of data bios that fail */
	/* writes: the writeback_control and the allocator */
	bool sync_all;		/* WB_SYNC_ALL, else WB_SYNC_NONE */
	bool tagged;		/* tagged_writepages (tag-and-write) */
	int64_t nr_to_write;
	bool cyclic;		/* range_cyclic from writeback_index */
	uint64_t wb_index;	/* mapping->writeback_index before */
	int64_t range_start, range_end;	/* bytes, inclusive, !cyclic */
	GArray *freeblk;	/* uint64_t disk blocks get_block allocates */
	GArray *wperr;		/* uint64_t pages whose ->writepage fails */
	GArray *stale;		/* uint64_t disk blocks cached dirty in the
				   block device's buffer cache, of no file
				   (freed metadata): unmap_underlying_metadata */
};

static inline bool case_is_write(const struct dcase *c)
{
	return c->op == DOP_WRITEPAGES || c->op == DOP_WRITEPAGE;
}

/* The range of a whole-file writeback (LLONG_MAX). */
#define DRANGE_WHOLE_END INT64_MAX

struct dcase *case_new(void);
void case_free(struct dcase *c);
struct dcase *case_copy(const struct dcase *c);
/* Parse a case file's text; NULL and *err set on bad input. */
struct dcase *case_parse(const char *text, const char *name, GError **err);
char *case_format(const struct dcase *c);
/* A one-line summary for messages. */
char *case_summary(const struct dcase *c);

/* NULL when the case is one the kernel can be given; else why not. */
const char *case_invalid(const struct dcase *c);

/* Is u64 v in the array (unsorted, small)? */
bool u64_in(const GArray *a, uint64_t v);

/*
 * The ext2 model: where file block lblk lives (by the case's map, with the
 * pointer blocks that lead to it), as get_block would find it.  Shared by
 * the reference side's get_block; never by the port, which has its own.
 */
#define MODEL_NPATH 4
int model_block_to_path(unsigned blocksize, uint64_t lblk,
			unsigned offsets[MODEL_NPATH], int *boundary);
const struct dptr *model_find_ptr(const struct dcase *c, const unsigned *path,
				  unsigned depth);
/* The disk block of file block lblk in the map; false for a hole. */
bool model_map_lookup(const struct dcase *c, uint64_t lblk, uint64_t *pblk);

/* A page's state at the end, as both sides report it. */
#define DS_UPTODATE 1u
#define DS_DIRTY 2u
#define DS_LOCKED 4u
#define DS_MAPPED 8u
#define DS_NEW 16u
#define DS_BOUNDARY 32u
struct dstate {
	bool present;
	bool locked, error, uptodate, dirty, writeback, mappedtodisk;
	bool has_buffers;
	int nbufs;
	unsigned bstate[8];	/* DS_* */
	uint64_t bblock[8];
};
void dlog_state(uint64_t index, const struct dstate *s);
/* Every page a case names (its op's and its cached ones), sorted. */
GArray *case_page_indexes(const struct dcase *c);

/* The event log both sides write. */
void dlog(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void dlog_begin(GPtrArray *log);
void dlog_end(void);

#endif /* MPSIM_TESTS_DIFF_CASE_H */
