/*
 * internal.h (shim) - fs/internal.h's one declaration that fs/mpage.c
 * uses.  The reference is compiled from standard input, so that this file
 * is found instead of the fs/internal.h next to it.
 */
#ifndef DIFF_SHIM_FS_INTERNAL_H
#define DIFF_SHIM_FS_INTERNAL_H
struct bio;
#define guard_bio_eod ref_guard_bio_eod
void guard_bio_eod(int op, struct bio *bio);
#endif
