/*
 * test-image-map.c - a helper of test-image.sh: imports one file of an
 * ext2 image through a scenario ([file.f] image = IMG, path = PATH),
 * builds the simulated world from it (which places every indirect block
 * and maps every data block, or fails), and prints the imported map one
 * block a line, as test-image.sh prints debugfs's:
 *
 *     SIZE bytes
 *     DATA file_block disk_block
 *     IND|DIND|TIND disk_block
 *
 * Exit 0, 2 on a scenario error (message on stderr), 77 when mpsim was
 * built without libext2fs.
 */
#include <stdio.h>
#include <string.h>
#include "config.h"
#include "fs/ext2/ext2.h"
#include "run/run.h"
#include "scenario/scenario.h"

static const char *kind(const struct scen_indirect *ind)
{
	/* levels above the data: IND maps data, DIND INDs, TIND DINDs */
	int above = (int)ind->path[0] - EXT2_IND_BLOCK + 1 - (ind->depth - 1);

	return above == 1 ? "IND" : above == 2 ? "DIND" : "TIND";
}

int main(int argc, char **argv)
{
	struct ext2_image_map map = { 0 };
	char *why = NULL, *ini;
	struct scenario *s;
	struct world *w;
	GError *err = NULL;
	const struct scen_file *f;

	if (argc != 3) {
		fprintf(stderr, "usage: test-image-map IMAGE PATH\n");
		return 2;
	}
#ifndef HAVE_EXT2FS
	return 77;
#endif
	/* the block size first, for [fs] block_size */
	if (!ext2_image_read_file(argv[1], argv[2], &map, &why)) {
		fprintf(stderr, "%s\n", why);
		return 2;
	}
	ini = g_strdup_printf("[disk]\npreset = simple\n[fs]\nblock_size = %u\n"
			      "[file.f]\nimage = %s\npath = %s\n"
			      "[task.t]\nfile = f\nops = sleep 1ns\n",
			      map.block_size, argv[1], argv[2]);
	ext2_image_map_clear(&map);
	s = scenario_load_data("image.ini", ini, strlen(ini), NULL, &err);
	w = s ? world_build(s, &err) : NULL;
	if (!w) {
		fprintf(stderr, "%s\n", err->message);
		return 2;
	}
	f = s->files->pdata[0];
	printf("SIZE %" G_GINT64_FORMAT "\n", (gint64)f->size);
	for (guint i = 0; i < f->extents->len; i++) {
		const struct scen_extent *e = &g_array_index(f->extents,
						struct scen_extent, i);

		for (uint64_t b = 0; b < e->len; b++)
			printf("DATA %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
			       "\n", e->file_block + b, e->disk_block + b);
	}
	for (guint i = 0; i < f->indirect->len; i++) {
		const struct scen_indirect *ind = &g_array_index(f->indirect,
						struct scen_indirect, i);

		printf("%s %" G_GUINT64_FORMAT "\n", kind(ind),
		       ind->disk_block);
	}
	world_free(w);
	scenario_free(s);
	g_free(ini);
	return 0;
}
