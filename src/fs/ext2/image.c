/*
 * image.c - importing a file's block map from a real ext2/ext3 image with
 * libext2fs, so that a scenario simulates the layout mke2fs and the
 * kernel actually produced.
 *
 * ext2fs_block_iterate3() visits every block of the inode: data blocks
 * with their file block number, and each indirect block (before the
 * blocks it maps) with the block that points to it and the offset of the
 * pointer there.  That is enough to name each indirect block by its path
 * as ext2_place_pointer_block() wants it: the inode's slot 12, 13 or 14
 * at the top, then the pointer's index in each parent.  Data blocks are
 * gathered into runs.  Image block numbers are disk block numbers: the
 * image is the simulated disk.
 *
 * Without libext2fs (configure found none) the import fails with a clear
 * message.
 */
#include "config.h"
#include "fs/ext2/ext2.h"

#ifdef HAVE_EXT2FS
#include <ext2fs/ext2fs.h>

struct import {
	struct ext2_image_map *map;
	GHashTable *paths;	/* meta block -> its ext2_image_indirect */
	char *why;
	ext2_ino_t ino;
	blk64_t blocks;		/* the filesystem's blocks */
};

static void add_data(struct ext2_image_map *map, uint64_t fblock,
		     uint64_t dblock)
{
	struct ext2_image_run *last = map->runs->len ?
		&g_array_index(map->runs, struct ext2_image_run,
			       map->runs->len - 1) : NULL;
	struct ext2_image_run r = { fblock, 1, dblock };

	if (last && last->file_block + last->len == fblock &&
	    last->disk_block + last->len == dblock)
		last->len++;
	else
		g_array_append_val(map->runs, r);
}

static int visit(ext2_filsys fs, blk64_t *blocknr, e2_blkcnt_t blockcnt,
		 blk64_t ref_blk, int ref_offset, void *priv)
{
	struct import *im = priv;
	struct ext2_image_indirect ind = { .disk_block = *blocknr };
	const struct ext2_image_indirect *parent;

	(void)fs;
	/* a corrupt image may point anywhere: only into the filesystem */
	if (*blocknr >= im->blocks || *blocknr >= EXT2_HOLE_BLOCK) {
		im->why = g_strdup_printf("inode %u: %s %lld points to block "
					  "%llu, past the filesystem's %llu "
					  "blocks", (unsigned)im->ino,
					  blockcnt >= 0 ? "file block" :
					  "indirect block of level",
					  blockcnt >= 0 ? (long long)blockcnt :
					  (long long)-blockcnt,
					  (unsigned long long)*blocknr,
					  (unsigned long long)im->blocks);
		return BLOCK_ABORT;
	}
	if (blockcnt >= 0) {
		add_data(im->map, (uint64_t)blockcnt, *blocknr);
		return 0;
	}
	if (ref_blk == 0) {
		/* in the inode: BLOCK_COUNT_IND/DIND/TIND are -1, -2, -3 */
		ind.path[0] = (unsigned)(EXT2_IND_BLOCK - 1 - blockcnt);
		ind.depth = 1;
	} else {
		gint64 key = (gint64)ref_blk;

		parent = g_hash_table_lookup(im->paths, &key);
		if (!parent || parent->depth >= 3) {
			im->why = g_strdup_printf("indirect block %llu: its "
						  "parent %llu was not seen "
						  "first", (unsigned long long)
						  *blocknr, (unsigned long long)
						  ref_blk);
			return BLOCK_ABORT;
		}
		ind = *parent;
		ind.disk_block = *blocknr;
		ind.path[ind.depth++] = (unsigned)ref_offset / 4;
	}
	g_array_append_val(im->map->indirect, ind);
	{
		struct ext2_image_indirect *copy = g_memdup2(&ind, sizeof(ind));
		gint64 *key = g_new(gint64, 1);

		*key = (gint64)*blocknr;
		g_hash_table_replace(im->paths, key, copy);
	}
	return 0;
}

bool ext2_image_read_file(const char *image, const char *path,
			  struct ext2_image_map *map, char **why)
{
	ext2_filsys fs = NULL;
	struct ext2_inode inode;
	ext2_ino_t ino;
	errcode_t e;
	struct import im = { map, NULL, NULL, 0, 0 };

	static gsize messages;

	/* error_message() knows libext2fs's codes once its table is added */
	if (g_once_init_enter(&messages)) {
		initialize_ext2_error_table();
		g_once_init_leave(&messages, 1);
	}
	map->runs = g_array_new(FALSE, FALSE, sizeof(struct ext2_image_run));
	map->indirect = g_array_new(FALSE, FALSE,
				    sizeof(struct ext2_image_indirect));
	e = ext2fs_open(image, 0, 0, 0, unix_io_manager, &fs);
	if (e) {
		*why = g_strdup_printf("cannot open %s as an ext2/ext3 image: "
				       "%s", image, error_message(e));
		return false;
	}
	map->block_size = fs->blocksize;
	e = ext2fs_namei(fs, EXT2_ROOT_INO, EXT2_ROOT_INO, path, &ino);
	if (!e)
		e = ext2fs_read_inode(fs, ino, &inode);
	if (e) {
		*why = g_strdup_printf("no file %s in %s", path, image);
		goto fail;
	}
	if (!LINUX_S_ISREG(inode.i_mode)) {
		*why = g_strdup_printf("%s in %s is not a regular file", path,
				       image);
		goto fail;
	}
	if (inode.i_flags & (EXT4_EXTENTS_FL | EXT4_INLINE_DATA_FL)) {
		*why = g_strdup_printf("%s in %s is mapped with extents or "
				       "inline data (ext4), not with ext2 "
				       "block pointers", path, image);
		goto fail;
	}
	map->size = EXT2_I_SIZE(&inode);
	im.ino = ino;
	im.blocks = ext2fs_blocks_count(fs->super);
	im.paths = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
					 g_free);
	e = ext2fs_block_iterate3(fs, ino, BLOCK_FLAG_READ_ONLY, NULL, visit,
				  &im);
	g_hash_table_destroy(im.paths);
	if (e || im.why) {
		*why = im.why ? im.why : g_strdup_printf("cannot read the "
					"block map of %s: %s", path,
					error_message(e));
		goto fail;
	}
	ext2fs_close_free(&fs);
	return true;
fail:
	ext2fs_close_free(&fs);
	return false;
}

#else /* !HAVE_EXT2FS */

bool ext2_image_read_file(const char *image, const char *path,
			  struct ext2_image_map *map, char **why)
{
	(void)image;
	(void)path;
	static gsize messages;

	/* error_message() knows libext2fs's codes once its table is added */
	if (g_once_init_enter(&messages)) {
		initialize_ext2_error_table();
		g_once_init_leave(&messages, 1);
	}
	map->runs = g_array_new(FALSE, FALSE, sizeof(struct ext2_image_run));
	map->indirect = g_array_new(FALSE, FALSE,
				    sizeof(struct ext2_image_indirect));
	*why = g_strdup("mpsim was built without libext2fs (install "
			"libext2fs-dev and run configure again)");
	return false;
}

#endif

void ext2_image_map_clear(struct ext2_image_map *map)
{
	if (map->runs)
		g_array_unref(map->runs);
	if (map->indirect)
		g_array_unref(map->indirect);
	map->runs = map->indirect = NULL;
}
