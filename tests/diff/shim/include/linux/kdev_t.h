/* linux/kdev_t.h (shim) - what fs/mpage.c needs of it lives in the other shim headers. */
#ifndef DIFF_SHIM_LINUX_KDEV_T_H
#define DIFF_SHIM_LINUX_KDEV_T_H
#include <linux/kernel.h>
#include <linux/mm.h>
#endif
