/* linux/export.h (shim) - what fs/mpage.c needs of it lives in the other shim headers. */
#ifndef DIFF_SHIM_LINUX_EXPORT_H
#define DIFF_SHIM_LINUX_EXPORT_H
#include <linux/kernel.h>
#include <linux/mm.h>
#define EXPORT_SYMBOL(sym) extern int ref_export_##sym##_unused
#endif
