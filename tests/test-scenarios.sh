#!/bin/sh
# test-scenarios.sh - every bundled scenario runs, and shows the one thing
# scenarios/README.md says it is there for.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
mpsim=$top_builddir/src/mpsim
dir=$top_srcdir/scenarios
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { # description, command...
	d=$1; shift
	if "$@" >/dev/null 2>&1; then ok "$d"; else not_ok "$d"; fi
}

set -- "$dir"/*.ini
echo "1..$(($# + 6))"
for f in "$@"; do
	b=$(basename "$f" .ini)
	check "$b runs" "$mpsim" run "$f" --no-db -q --trace="$tmp/$b.txt"
done
# big-batch: one bio of exactly BIO_MAX_PAGES = 256 pages (2048 sectors)
check "big-batch splits at 256 pages" \
	grep -q "sectors=2048 origin=mpage .*pages=12-267 " "$tmp/big-batch.txt"
# fragmented: pages straddling fragments fall back to buffer heads
check "fragmented falls back" \
	grep -q "fallback .*reason=discontiguous" "$tmp/fragmented.txt"
# sparse: a hole before data in page 3
check "sparse hole-then-data" \
	grep -q "fallback .*page=3 reason=hole-then-data" "$tmp/sparse.txt"
# random-read: every window is the single page asked for
check "random-read reads single pages" sh -c \
	"test \$(grep ' readahead ' '$tmp/random-read.txt' | grep -vc 'size=1 async_size=0') -eq 0"
# page-buffers: the cached page is left out of readahead, then falls back
check "page-buffers has-buffers fallback" \
	grep -q "fallback .*page=1 reason=has-buffers" "$tmp/page-buffers.txt"
# strided: drop_caches makes the second pass read the indirect block again
check "strided rereads metadata after drop_caches" sh -c \
	"test \$(grep -c ' meta_read .*block=1012 ' '$tmp/strided.txt') -eq 2"
