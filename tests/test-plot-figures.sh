#!/bin/sh
# test-plot-figures.sh - what `mpsim plot` draws, checked in its scripts
# and data files: the formats (PNG, SVG, PDF, each whole), the rate
# plots' buckets, the order plot's metadata marks and block axis, the
# cache flushes left out of the position figures, and runs without
# requests (a bio-based ramdisk) said instead of failing.  Prints TAP.
#
# The runs: scenarios/ext2-boundary.ini at platter phase 0 (1 KiB
# blocks; file blocks 0-11 on disk blocks 0-11, the indirect block on
# disk block 12 = sectors 24-25, blocks 12-15 on disk blocks 13-16 =
# sectors 26-33).  Run 1, fs.boundary=on: the indirect block's read is
# merged into the data request (request 1: sectors 0-25, 26 sectors),
# then sectors 26+8.  Run 2, fs.boundary=off: the indirect block alone
# first (24+2), then 0+24, then 26+8: 3 requests, 2 seeks (0 is not
# 24 + 2; 26 is not 0 + 24), elapsed between 10 and 20 ms.
. "${top_srcdir:-.}/tests/tap-db.sh"

if ! command -v gnuplot > /dev/null; then
	echo "1..0 # SKIP gnuplot not installed"
	exit 0
fi

"$mpsim" compare "$top/scenarios/ext2-boundary.ini" --vary fs.boundary=on,off \
	--set disk.phase=0 --db "$tmp/r.db" > /dev/null 2> "$tmp/err"
rc=$?
check "two runs of ext2-boundary" '[ $rc -eq 0 ]'

# ---- formats: every figure in every format asked for, each whole
"$mpsim" plot "$tmp/r.db" --out "$tmp/all" --format png,svg,pdf 2> "$tmp/err"
rc=$?
check "plot --format png,svg,pdf exits 0" '[ $rc -eq 0 ]'
whole() {	# FILE: the format's signature first, its ending last
	case $1 in
	*.png) [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = \
		89504e470d0a1a0a ] &&
		[ "$(tail -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = \
		49454e44ae426082 ] ;;
	*.svg) grep -q '<svg' "$1" && tail -c 64 "$1" | grep -q '</svg>' ;;
	*.pdf) [ "$(head -c 5 "$1")" = "%PDF-" ] &&
		tail -c 64 "$1" | grep -q '%%EOF' ;;
	esac
}
bad=
for p in dispatch throughput seeks seek-distance latency-cdf cost order; do
	for e in png svg pdf; do
		whole "$tmp/all/$p.$e" || bad="$bad $p.$e"
	done
done
check "all 21 pictures exist and are whole (PNG, SVG, PDF)" '[ -z "$bad" ]'
check "... each script sets each terminal once" \
	'[ "$(grep -c "set terminal pdfcairo" "$tmp/all/order.gp")" -eq 1 ]'
"$mpsim" plot "$tmp/r.db" --out "$tmp/pdf" --format pdf 2> "$tmp/err"
check "--format pdf alone: 7 PDFs and no other picture" \
	'[ "$(ls "$tmp/pdf" | grep -c "\.pdf$")" -eq 7 ] &&
	 [ -z "$(ls "$tmp/pdf" | grep "\.png$\|\.svg$")" ]'
# a PDF cut short by the file size limit (8 blocks: 4 or 8 KiB, more than
# any script or data file, less than any PDF): gnuplot exits 0, the
# picture is not whole (no %%EOF), and nothing is published
(ulimit -f 8; "$mpsim" plot "$tmp/r.db" --out "$tmp/lim" --format pdf) \
	2> "$tmp/err"
rc=$?
check "ulimit -f: PDFs that cannot be written whole fail plot (exit 1)" \
	'[ $rc -eq 1 ] && grep -q "pdf: gnuplot could not write it whole" "$tmp/err"'
check "... and leave DIR empty" '[ -z "$(ls -A "$tmp/lim")" ]'
"$mpsim" plot "$tmp/r.db" --out "$tmp/x" --format png,gif 2> "$tmp/err"
rc=$?
check "--format png,gif exits 2" '[ $rc -eq 2 ] && [ ! -e "$tmp/x" ]'
"$mpsim" plot "$tmp/r.db" --out "$tmp/x" --format '' 2> "$tmp/err"
rc=$?
check "--format '' exits 2" '[ $rc -eq 2 ]'
"$mpsim" plot "$tmp/r.db" --out "$tmp/x" --axis cylinder 2> "$tmp/err"
rc=$?
check "--axis cylinder exits 2" '[ $rc -eq 2 ]'
# compare's plots, the experiment's among them, take the same options
"$mpsim" compare "$top/scenarios/ext2-boundary.ini" --vary fs.boundary=on,off \
	--replications 2 --plot "$tmp/cmp" --plot-format pdf --plot-axis block \
	> /dev/null 2> "$tmp/err"
rc=$?
bad=
for p in dispatch order elapsed-cdf paired-diff; do
	whole "$tmp/cmp/$p.pdf" || bad="$bad $p"
done
check "compare --plot-format pdf: every plot as PDF, the experiment's too" \
	'[ $rc -eq 0 ] && [ -z "$bad" ] && [ -z "$(ls "$tmp/cmp" | grep "\.png$\|\.svg$")" ]'
check "... with --plot-axis block" \
	'grep -q "filesystem block (1024 B)" "$tmp/cmp/order.gp"'
check "every legend sits outside the data" \
	'[ "$(grep -l "set key outside" "$tmp/all"/*.gp | wc -l)" -eq 7 ]'

# ---- buckets: the busiest run has 3 requests: clamp(3 / 8, 1, 50) = 1
# bucket; its length, the longest run (16.9 ms) rounded up to 1-2-5:
# 20 ms.  Run 2's 2 seeks in it: 2 / 0.020 s = 100 seeks/s.
el=$(q "$tmp/r.db" "SELECT max(elapsed_ns) FROM run")
check "the longest run takes between 10 and 20 ms (the working above)" \
	'[ "$el" -gt 10000000 ] && [ "$el" -le 20000000 ]'
check "seeks: 1 bucket of 20 ms" \
	'grep -qx "set xlabel .time (ms), 1 bucket of 20 ms." "$tmp/all/seeks.gp"'
check "seeks: run 2 makes 100 seeks/s in it, run 1 none" \
	'[ "$(sed -n 2p "$tmp/all/seeks-run2.dat")" = "0.000 100.000" ] &&
	 [ "$(sed -n 2p "$tmp/all/seeks-run1.dat")" = "0.000 0.000" ]'
check "throughput: the same bucket" \
	'grep -q "1 bucket of 20 ms" "$tmp/all/throughput.gp"'

# a busier run: random-read, 81 requests: clamp(81 / 8, 1, 50) = 10
# buckets of its 471 ms / 10 = 47.1 ms, rounded up to 50 ms: 10 buckets
# again; the seeks counted in them add up to the report's seeks
"$mpsim" run -q --db "$tmp/rr.db" "$top/scenarios/random-read.ini" 2> "$tmp/err" &&
	"$mpsim" plot "$tmp/rr.db" --out "$tmp/rr" --format svg 2> "$tmp/err"
rc=$?
check "random-read: 81 requests in 450 to 500 ms (the working above)" \
	'[ $rc -eq 0 ] && [ "$(q "$tmp/rr.db" "SELECT count(*) FROM request")" -eq 81 ] &&
	 [ "$(q "$tmp/rr.db" "SELECT elapsed_ns > 450000000 AND elapsed_ns <= 500000000 FROM run")" -eq 1 ]'
check "... 10 buckets of 50 ms" \
	'grep -qx "set xlabel .time (ms), 10 buckets of 50 ms." "$tmp/rr/seeks.gp"'
seeks=$("$mpsim" report "$tmp/rr.db" --format csv | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "seeks") c = i } NR == 2 { print $c }')
check "... whose seeks/s times 0.05 s add up to the report's $seeks seeks" \
	'[ "$(awk "!/^#/ { s += \$2 * 0.05 } END { printf \"%d\", s + 0.5 }" "$tmp/rr/seeks-run1.dat")" = "$seeks" ]'

# ---- metadata marks (kind: 0 data, 1 metadata, 2 data + metadata)
check "boundary on: request 1 is data + metadata (the indirect block merged)" \
	'[ "$(sed -n 2p "$tmp/all/order-run1.dat")" = "1 0 26 2" ] &&
	 grep -q "title .run 1: data + metadata." "$tmp/all/order.gp"'
check "boundary off: request 1 is metadata alone, 2 and 3 data" \
	'[ "$(sed -n "2,4p" "$tmp/all/order-run2.dat" | tr "\n" ,)" = \
	   "1 24 2 1,2 0 24 0,3 26 8 0," ] &&
	 grep -q "title .run 2: metadata." "$tmp/all/order.gp"'
check "... and no data + metadata series for run 2" \
	'! grep -q "run 2: data + metadata" "$tmp/all/order.gp"'

# ---- --axis block: 1 KiB blocks, 2 sectors each: sector 24 -> block 12
# (1 block long), 0 -> 0 (24 sectors: 12 blocks), 26 -> 13 (8: 4)
"$mpsim" plot "$tmp/r.db" --run 2 --out "$tmp/blk" --axis block \
	--format svg 2> "$tmp/err"
rc=$?
check "--axis block exits 0" '[ $rc -eq 0 ]'
check "order in blocks: 12+1, 0+12, 13+4" \
	'[ "$(sed -n "2,4p" "$tmp/blk/order-run2.dat" | tr "\n" ,)" = \
	   "1 12 1 1,2 0 12 0,3 13 4 0," ]'
check "dispatch in blocks too, and the axis says so" \
	'[ "$(sed -n 4p "$tmp/blk/dispatch-run2.dat" | cut -d" " -f2,4)" = "13 4" ] &&
	 grep -q "filesystem block (1024 B)" "$tmp/blk/order.gp"'

# ---- a cache flush has no position: the write then fsync of
# test-flush.sh (request 1 WS 800+8, request 2 the flush FS)
cp "$top/tests/flush.ini" "$tmp/f.ini"
"$mpsim" run -q --db "$tmp/f.db" "$tmp/f.ini" 2> "$tmp/err" &&
	"$mpsim" plot "$tmp/f.db" --out "$tmp/fl" --format svg 2> "$tmp/err"
rc=$?
check "plot of a run with a flush exits 0" '[ $rc -eq 0 ]'
check "order and dispatch hold the write only" \
	'[ "$(grep -v "^#" "$tmp/fl/order-run1.dat")" = "1 800 8 0" ] &&
	 [ "$(grep -vc "^#" "$tmp/fl/dispatch-run1.dat")" -eq 1 ]'
check "... and their titles say the flush is left out" \
	'grep -q "1 cache flush left out (no position)" "$tmp/fl/order.gp" &&
	 grep -q "1 cache flush left out" "$tmp/fl/dispatch.gp"'
check "the latency CDF still counts both requests" \
	'[ "$(grep -vc "^#" "$tmp/fl/latency-cdf-run1.dat")" -eq 3 ]'

# ---- no requests: a ramdisk is bio-based
"$mpsim" run -q --db "$tmp/ram.db" --set disk.preset=ramdisk \
	"$top/scenarios/ext2-boundary.ini" 2> "$tmp/err"
check "a ramdisk run makes no requests" \
	'[ "$(q "$tmp/ram.db" "SELECT count(*) FROM request")" -eq 0 ]'
"$mpsim" plot "$tmp/ram.db" --out "$tmp/empty" 2> "$tmp/err"
rc=$?
check "plot of it exits 0" '[ $rc -eq 0 ]'
check "... says each figure is not drawn, and why" \
	'[ "$(grep -c "not drawn: no run shown has" "$tmp/err")" -eq 7 ] &&
	 grep -q "bio-based" "$tmp/err"'
check "... and passes on no gnuplot error, drawing nothing" \
	'! grep -qi "gnuplot\|line [0-9]" "$tmp/err" &&
	 [ -z "$(ls -A "$tmp/empty")" ]'
"$mpsim" run -q --db "$tmp/ram.db" "$top/scenarios/ext2-boundary.ini" \
	2> "$tmp/err" &&
	"$mpsim" plot "$tmp/ram.db" --out "$tmp/half" 2> "$tmp/err"
rc=$?
check "with a run that has requests: exit 0, every figure drawn" \
	'[ $rc -eq 0 ] && [ "$(ls "$tmp/half"/*.png | wc -l)" -eq 7 ]'
check "... the empty run left out, said on stderr and in the key" \
	'grep -q "order: run 1 left out: it has no request with a position" "$tmp/err" &&
	 grep -q "title .run 1 (no requests)." "$tmp/half/latency-cdf.gp"'

# Past LEGIBLE_MAX (100) bars the cost plot drops the bars' borders:
# random-read under two elevators is 2 runs x 64 requests (COST_MAX) = 128
# bars; gnuplot must take the script and draw every figure.
"$mpsim" compare "$top/scenarios/random-read.ini" \
	--vary block.elevator=cfq,deadline --db "$tmp/busy.db" \
	--plot "$tmp/busy" > /dev/null 2> "$tmp/err"
rc=$?
check "128 cost bars: compare --plot exits 0, every figure drawn" \
	'[ $rc -eq 0 ] && [ "$(ls "$tmp/busy"/*.png | wc -l)" -eq 7 ]'
check "... the bars drawn without borders" \
	'grep -q "^set style fill solid 0.9 noborder$" "$tmp/busy/cost.gp"'

echo "1..$n"
