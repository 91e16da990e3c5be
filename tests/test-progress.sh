#!/bin/sh
# test-progress.sh - what a terminal shows while mpsim works: sweep counts
# the runs done out of the total (here 2 variants x 3 replications = 6),
# with -j 1 and -j 2, and erases its line at the end; nothing of it when
# standard error is not a terminal.  Runs mpsim on a pseudo-terminal with
# script(1); skipped without it.  Prints TAP.
set -u
top=$(cd "${top_srcdir:-.}" && pwd)
mpsim=$(cd "${top_builddir:-.}/src" && pwd)/mpsim
. "$top/tests/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! command -v script >/dev/null 2>&1 ||
   ! script -qec true /dev/null >/dev/null 2>&1; then
	echo "1..0 # SKIP script(1) cannot run a pseudo-terminal here"
	exit 0
fi
for j in 1 2; do
	script -qec "'$mpsim' sweep '$top/scenarios/ext2-boundary.ini' \
		--vary fs.boundary=on,off --replications 3 -j $j \
		--db '$tmp/s$j.db'" /dev/null | tr '\r' '\n' >"$tmp/out$j"
	check "-j $j: the count reaches 6 of 6" \
		grep -q "^sweep: 6 of 6 runs done" "$tmp/out$j"
	check "-j $j: the line is erased before the summary" \
		grep -q "6 runs in $tmp/s$j.db" "$tmp/out$j"
done
"$mpsim" sweep "$top/scenarios/ext2-boundary.ini" --vary fs.boundary=on,off \
	-j 2 --db "$tmp/p.db" >"$tmp/plain" 2>&1
check "not a terminal: no progress" sh -c "! grep -q 'sweep:' '$tmp/plain'"
tap_done
