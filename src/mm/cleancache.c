/*
 * cleancache.c - cleancache_get_page() (mm/cleancache.c): a scenario names
 * the pages of each file that are found in cleancache; none by default.
 */
#include "fs/fs.h"

/* cleancache_get_page() - mm/cleancache.c: 0 on a hit */
int cleancache_get_page(struct page *page)
{
	const struct inode *inode = page->mapping->host;
	unsigned lo = 0, hi = inode->nr_cleancache_pages;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		pgoff_t v = inode->cleancache_pages[mid];

		if (v == page->index)
			return 0;
		if (v < page->index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}
