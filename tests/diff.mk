# tests: diff - the differential test of fs/mpage.c, reads and writes: the
# port against the kernel's own fs/mpage.c, compiled unmodified over a
# userspace shim (docs/testing.md).  Built when configure is given
# --with-reference-mpage=PATH; skipped otherwise.
DIFF_SHIM_FILES = \
	tests/diff/shim/include/internal.h \
	tests/diff/shim/include/linux/backing-dev.h \
	tests/diff/shim/include/linux/bio.h \
	tests/diff/shim/include/linux/blkdev.h \
	tests/diff/shim/include/linux/buffer_head.h \
	tests/diff/shim/include/linux/cleancache.h \
	tests/diff/shim/include/linux/export.h \
	tests/diff/shim/include/linux/fs.h \
	tests/diff/shim/include/linux/gfp.h \
	tests/diff/shim/include/linux/highmem.h \
	tests/diff/shim/include/linux/kdev_t.h \
	tests/diff/shim/include/linux/kernel.h \
	tests/diff/shim/include/linux/mm.h \
	tests/diff/shim/include/linux/mm_inline.h \
	tests/diff/shim/include/linux/mpage.h \
	tests/diff/shim/include/linux/pagevec.h \
	tests/diff/shim/include/linux/prefetch.h \
	tests/diff/shim/include/linux/writeback.h
DIFF_CASES = \
	tests/diff/cases/bio-full-after-256-pages.case \
	tests/diff/cases/memalloc-halving.case \
	tests/diff/cases/meta-read-once.case \
	tests/diff/cases/readpage-has-buffers.case \
	tests/diff/cases/readpage-uptodate-locked-buffers.case \
	tests/diff/cases/readpage-uptodate-no-buffers.case \
	tests/diff/cases/readpages-eio-past-ext2.case \
	tests/diff/cases/readpages-locked-buffer-skipped.case \
	tests/diff/cases/uptodate-buffer-mid-page.case \
	tests/diff/cases/write-allocate-enospc.case \
	tests/diff/cases/write-bio-full-after-256-pages.case \
	tests/diff/cases/write-boundary-dirty-indirect.case \
	tests/diff/cases/write-buffers-holes.case \
	tests/diff/cases/writepage-eagain.case \
	tests/diff/cases/writepage-ok.case

EXTRA_DIST += $(DIFF_SHIM_FILES) $(DIFF_CASES) tests/diff/test-diff.sh \
	tests/diff-seed tests/diff-coverage
TESTS += tests/diff/test-diff.sh

if HAVE_REFERENCE_MPAGE
# The reference side: the shim's kernel API and the driver, compiled with
# the shim's headers; the kernel file itself from standard input, so that
# its #include "internal.h" finds the shim's and not the one beside it.
check_LIBRARIES += tests/diff/libref.a
tests_diff_libref_a_SOURCES = tests/diff/ref-side.c tests/diff/ref-shim.c \
	tests/diff/ref-shim.h
tests_diff_libref_a_CPPFLAGS = -I$(top_srcdir)/tests/diff/shim/include \
	-I$(top_srcdir)/tests/diff

tests/diff/ref-mpage.o: $(REFERENCE_MPAGE) $(DIFF_SHIM_FILES)
	$(AM_V_CC)$(MKDIR_P) tests/diff && \
	$(CC) -std=gnu11 -w $(SAN_CFLAGS) $(CFLAGS) \
		-I$(top_srcdir)/tests/diff/shim/include \
		-x c -c - -o $@ < '$(REFERENCE_MPAGE)'
CLEANFILES += tests/diff/ref-mpage.o tests/diff/diff-*.case

# The port side links src/libmpsim.a; ld's --wrap replaces the calls where
# the test draws its line (tests/diff/port-side.c says which and why).
check_PROGRAMS += tests/diff/diff-mpage
tests_diff_diff_mpage_SOURCES = tests/diff/diff-main.c \
	tests/diff/case.c tests/diff/case.h tests/diff/gen.c tests/diff/gen.h \
	tests/diff/sides.h tests/diff/port-side.c
tests_diff_diff_mpage_LDADD = tests/diff/ref-mpage.o tests/diff/libref.a \
	src/libmpsim.a $(GLIB_LIBS) $(SQLITE_LIBS) -lm
tests_diff_diff_mpage_LDFLAGS = $(AM_LDFLAGS) \
	-Wl,--wrap=submit_bio -Wl,--wrap=block_read_full_page \
	-Wl,--wrap=bdev_read_page -Wl,--wrap=zero_user_segment \
	-Wl,--wrap=cleancache_get_page -Wl,--wrap=bdev_write_page \
	-Wl,--wrap=write_boundary_block \
	-Wl,--wrap=unmap_underlying_metadata
endif
