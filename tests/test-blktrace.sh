#!/bin/sh
# test-blktrace.sh - the blktrace export as blkparse and btt read it: plug
# and unplug records, task names on every record, and btt's seek figures
# next to mpsim's; prints TAP.  Skips what needs a missing tool.
#
# The run: the BH_Boundary example with boundaries ignored, the plug on,
# on the simple disk (docs/analysis.md works it through).  The reader's
# metadata read 24+2 joins its empty plug (P) and is flushed when the task
# sleeps on it (UT, 1 request: blk_schedule_flush_plug, from_schedule);
# after it completes, 0+24 joins the empty plug again (P), 26+8 follows,
# and blk_finish_plug flushes both (U, 2 requests).  Dispatch order: 24+2,
# 0+24, 26+8.
#
# mpsim's seeks (docs/analysis.md): 0 starts 26 below the end of 24+2, 26
# starts 2 above the end of 0+24: 2 seeks, 28 sectors, mean 14.
# btt's D2D figures count every issued request as a "seek" and start from
# a previous request at sector 0 (end 0): with the default "closest"
# distance, min(|start - prev end|, |end - prev start|), the three
# distances are min(24, 26) = 24, min(26, 0) = 0 and min(2, 34) = 2: 3
# seeks, mean 26 / 3 = 8.7, median 2; with -a (start - previous end)
# they are 24, 26 and 2: mean 52 / 3 = 17.3, median 24.
set -u
mpsim="$(cd "$top_builddir" && pwd)/src/mpsim"
src="$(cd "$top_srcdir" && pwd)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$src/tests/tap.sh"

"$mpsim" run "$src/scenarios/ext2-boundary.ini" --db "$tmp/r.db" -q \
	--set fs.boundary=off --set disk.preset=simple --set block.plug=on
expect "mpsim counts 2 seeks over 28 sectors" "2|28" \
	"$(sqlite3 "$tmp/r.db" 'SELECT seeks, seek_distance FROM run_seeks')"
"$mpsim" export "$tmp/r.db" --run 1 --format blktrace "$tmp/r.blktrace.0"
expect "export exits 0" 0 $?

if command -v blkparse >/dev/null; then
	blkparse -i "$tmp/r.blktrace.0" >"$tmp/parse" 2>&1
	expect "blkparse: the records' actions in order" \
		"Q G P I UT D C Q G P I D Q G I U C D C" \
		"$(awk '$1 == "8,0" { printf "%s ", $6 }' "$tmp/parse" | sed 's/ $//')"
	expect "blkparse: the unplugs carry their counts" "UT 1|U 2|" \
		"$(awk '$6 == "U" || $6 == "UT" { printf "%s %s|", $6, $NF }' "$tmp/parse")"
	check "blkparse: IO unplugs 1, timer unplugs 1" \
		grep -Eq 'IO unplugs:[[:space:]]+1[[:space:]]+Timer unplugs:[[:space:]]+1' "$tmp/parse"
	check "blkparse: every record names the reader, none (null)" \
		sh -c "! grep -q '(null)' '$tmp/parse' &&
		       test \$(grep -c ' D   R .* \[reader\]' '$tmp/parse') -eq 3"
else
	skip "blkparse not installed"
	skip "blkparse not installed"
	skip "blkparse not installed"
	skip "blkparse not installed"
fi

if command -v btt >/dev/null; then
	(cd "$tmp" && btt -i r.blktrace.0 -o b >/dev/null 2>&1 &&
	 btt -a -i r.blktrace.0 -o a >/dev/null 2>&1)
	# the first device row of section $2 in btt's output $1.avg
	row() {
		awk -v h="$2" 'index($0, h) { on = 1; next }
			on && /^====/ { exit }
			on && /^ \(  8,  0\)/ { print; exit }' "$tmp/$1.avg" |
		tr -s ' '
	}
	expect "btt: one plug, one timer unplug" \
		" ( 8, 0) | 1( 1) | 0.000000000%" "$(row b 'Plug Information')"
	expect "btt: 2 IOs per unplug, 1 per timer unplug" \
		" ( 8, 0) | 2.0 1.0" "$(sed -n '/IOs\/Unp/,/^$/p' "$tmp/b.avg" | grep '^ (  8,  0)' | tr -s ' ')"
	expect "btt D2D: 3 seeks, mean 8.7, median 2" \
		" ( 8, 0) | 3 8.7 2 | 0(1)" "$(row b 'Device D2D Seek')"
	expect "btt -a D2D: mean 17.3, median 24" \
		" ( 8, 0) | 3 17.3 24 | 2(1)" "$(row a 'Device D2D Seek')"
else
	skip "btt not installed"
	skip "btt not installed"
	skip "btt not installed"
	skip "btt not installed"
fi
tap_done
