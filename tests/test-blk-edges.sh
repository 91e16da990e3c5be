#!/bin/sh
# test-blk-edges.sh - bios that end without a request land in the
# database whole: the bio-based ramdisk's bios and a flush on a drive with
# no write cache get complete_ns (their submission time plus the copy,
# or the submission time itself for the flush), no request_seq, no
# request row.  The scenario is the ramdisk example of test-blk-edges.c
# plus a write and an fsync; costs from the ramdisk's 1000 ns + size at
# 4 GB/s (1024 B: 1256 ns).  The blktrace export has a Q record for each
# bio with data and none for the flush (4.9 ends it before its
# tracepoint, and brd traces nothing but Q).  Prints TAP.
set -u
mpsim=$(cd "${top_builddir:-.}/src" && pwd)/mpsim
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
check() {
	n=$((n + 1))
	if [ "$2" = "$3" ]; then echo "ok $n - $1"
	else echo "not ok $n - $1"; echo "# got: $2"; echo "# expected: $3"; fi
}
if ! command -v sqlite3 >/dev/null; then
	echo "1..0 # SKIP no sqlite3"
	exit 0
fi
echo "1..4"
cat >"$tmp/r.ini" <<'EOT'
[disk]
preset = ramdisk
rw_page = off
[fs]
block_size = 1024
[file.a]
size = 8K
extents = 0-1:100, 2-3:300, 4-7:400
[task.r]
file = a
ops = readpages 0-1; write 0 1K; fsync
EOT
"$mpsim" run -q --db "$tmp/r.db" "$tmp/r.ini" >/dev/null 2>"$tmp/err"
q() { sqlite3 -separator ' ' "$tmp/r.db" "$1" | tr '\n' ';'; }
# readpages: page 0's four buffer reads, then (rw_page off) page 1 as one
# mpage bio of 8 sectors: 1000 + 4096 B / 4 GB/s = 2024 ns, 5024..7048.
# The write of block 0 (sector 200, through fsync's writeback: its time
# is the fsync's) ends 1256 ns after it starts; the flush ends at once.
check "bio rows: complete_ns, no request" \
	"$(q "SELECT seq, op, coalesce(sector, 'none'), complete_ns - submit_ns,
	      request_seq IS NULL FROM bio ORDER BY seq")" \
	"1 R 200 1256 1;2 R 202 1256 1;3 R 600 1256 1;4 R 602 1256 1;5 R 800 2024 1;6 WS 200 1256 1;7 FS none 0 1;"
check "no request rows" "$(q "SELECT count(*) FROM request")" "0;"
check "bios back to back" \
	"$(q "SELECT group_concat(submit_ns || '-' || complete_ns, ' ')
	      FROM (SELECT * FROM bio WHERE seq <= 5 ORDER BY seq)")" \
	"0-1256 1256-2512 2512-3768 3768-5024 5024-7048;"
# blktrace: Q for bios 1-6 (sectors 200 202 600 602 800 200), nothing else
"$mpsim" export "$tmp/r.db" --run 1 --format blktrace "$tmp/r.bin" \
	2>"$tmp/err"
if command -v blkparse >/dev/null; then
	check "blktrace: Q records only, no flush" \
		"$(blkparse -q -i - -f '%a %S\n' < "$tmp/r.bin" |
		   tr '\n' ';')" \
		"Q 200;Q 202;Q 600;Q 602;Q 800;Q 200;"
else
	n=$((n + 1)); echo "ok $n # SKIP no blkparse"
fi
