/* linux/pagevec.h (shim) - what fs/mpage.c needs of it lives in the other shim headers. */
#ifndef DIFF_SHIM_LINUX_PAGEVEC_H
#define DIFF_SHIM_LINUX_PAGEVEC_H
#include <linux/kernel.h>
#include <linux/mm.h>
#endif
