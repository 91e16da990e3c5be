/* linux/cleancache.h (shim) - cleancache_get_page(): 0 on a hit. */
#ifndef DIFF_SHIM_LINUX_CLEANCACHE_H
#define DIFF_SHIM_LINUX_CLEANCACHE_H
#include <linux/mm.h>
int cleancache_get_page(struct page *page);
#endif
