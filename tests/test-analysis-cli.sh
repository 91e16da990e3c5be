#!/bin/sh
# test-analysis-cli.sh - the analysis commands end to end on the
# BH_Boundary example with the simple disk, whose figures can be worked out
# by hand; prints TAP.
#
# The scenario: 1 KiB blocks; file blocks 0-11 on disk blocks 0-11
# (sectors 0-23), the indirect block on disk block 12 (sectors 24-25),
# file blocks 12-15 on disk blocks 13-16 (sectors 26-33); one readpages
# over pages 0-3.  The simple disk serves one request at a time in 100000
# ns + bytes / 10^8 B/s, i.e. 100000 + 5120 ns per sector:
#   0+24: 222880 ns, 24+2: 110240 ns, 26+8: 140960 ns.
#
# boundary=on: the data bio 0+24 and the metadata read 24+2 meet in the
# task's plug, where the read back-merges into the data request (its end,
# 24, is the read's start): one request 0+26, flushed when the task sleeps
# on the indirect block, queued 0, dispatched 0, done 100000 + 26 * 5120 =
# 233120.  Then page 3's bio 26+8 (queued 233120 in the now empty plug,
# dispatched at blk_finish_plug, done 233120 + 140960 = 374080).  No seek.
# Latencies 233120, 140960: mean 187040, p50 (rank 1 of 2) 140960, p90 and
# p99 (rank 2) 233120.  Requests 2, bios 3, merges 1.  34 sectors = 17408
# bytes in 374080 ns = 46.536 MB/s (17408 * 1000 / 374080 = 46.5355...).
#
# boundary=off: the metadata read goes first, 24+2 (0 to 110240); then
# 0+24 (queued 110240, done 333120), 26+8 (queued 110240, dispatched
# 333120, done 474080).  0 follows end 26: a backward seek of 26; 26
# follows end 24: a forward seek of 2.  Seeks 2, backward 1, distance 28,
# mean 14.  Latencies 110240, 222880, 363840: p50 222880, p99 363840.
#
# 34 sectors = 17408 bytes in 474080 ns = 36.720 MB/s (17408 * 1000 /
# 474080 = 36.7195...).
set -u
mpsim="$(cd "$top_builddir" && pwd)/src/mpsim"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(cd "$top_srcdir" && pwd)/tests/tap.sh"
# expect DESC EXPECTED ACTUAL

cat > "$tmp/b.ini" <<'INI'
[fs]
block_size = 1024
[disk]
preset = simple
latency_ns = 100000
bandwidth_bps = 100000000
[block]
plug = on
[file.a]
size = 16K
extents = 0-11:0, 12-15:13
indirect = ind:12
[task.reader]
file = a
ops = readpages 0-3
INI

# compare: the table, and the divergence at the first request
mkdir "$tmp/t"
TMPDIR="$tmp/t" "$mpsim" compare "$tmp/b.ini" --vary fs.boundary=on,off > "$tmp/cmp.txt" 2> "$tmp/cmp.err"
expect "compare exits 0" 0 $?
check "compare marks the divergence at request 1 (0 against 24)" \
	grep -Eq '^  request 1 +0 +24  <- the runs diverge here$' "$tmp/cmp.txt"
check "compare labels the variants" \
	grep -Eq '^variant +fs.boundary=on +fs.boundary=off$' "$tmp/cmp.txt"
check "compare prints seeks 0 and 2" grep -Eq '^seeks +0 +2$' "$tmp/cmp.txt"
# (the sanitizer build's runtime warns about swapcontext on stderr)
check "nothing on stderr when it is not a terminal" \
	test -z "$(grep -v 'WARNING: ASan' "$tmp/cmp.err")"
check "no temporary database is left" test -z "$(ls -A "$tmp/t")"

# report: the figures worked out above, as CSV
"$mpsim" compare "$tmp/b.ini" --vary fs.boundary=on,off --db "$tmp/r.db" > /dev/null
"$mpsim" report "$tmp/r.db" --format csv > "$tmp/r.csv"
expect "report exits 0" 0 $?
# requests bios merges fallbacks meta_reads seeks back_seeks seek_distance
# mean_seek_distance seek_cylinders elapsed_ns bytes mb_per_s lat_mean
# lat_p50 lat_p99 task_switches cfq_slices cfq_expiries cfq_idles
# cfq_idle_fired cfq_preempts cfq_workloads order
# cfq (the default) with one task: one sync queue made active once (one
# workload choice, be-sync), idle armed once when its first request
# completes with nothing queued, the slice expired when the task ends
# (before slice_idle, 8 ms, elapses); one task, no switches.
fields() { sed -n "$1p" "$tmp/r.csv" | cut -d, -f4-; }
expect "boundary on: figures" \
	"2,3,1,0,1,0,0,0,0.000,0,374080,17408,46.536,187040.000,140960,233120,0,1,1,1,0,0,1,0 26" \
	"$(fields 2)"
expect "boundary off: figures" \
	"3,3,0,0,1,2,1,28,14.000,0,474080,17408,36.720,232320.000,222880,363840,0,1,1,1,0,0,1,24 0 26" \
	"$(fields 3)"
"$mpsim" report "$tmp/r.db" --run 2 --format json > "$tmp/r.json"
check "report --run 2 --format json" python3 -c 'import json, sys
f = json.load(open(sys.argv[1]))["runs"][0]["figures"]
sys.exit(not (f["seeks"] == 2 and f["back_seeks"] == 1))' "$tmp/r.json"
"$mpsim" report "$tmp/r.db" --run 9 > /dev/null 2>&1
expect "report of a missing run exits 2" 2 $?

# the views give the same figures
if command -v sqlite3 > /dev/null; then
	expect "view run_summary" \
		"1|0|0|0|17408|140960|233120
2|2|1|28|17408|222880|363840" \
		"$(sqlite3 "$tmp/r.db" 'SELECT run_id, seeks, back_seeks, seek_distance, bytes, latency_p50_ns, latency_p99_ns FROM run_summary ORDER BY run_id')"
	expect "view run_latency p90 (rank ceil(1.8) = 2 of 2; ceil(2.7) = 3 of 3)" "233120|363840" \
		"$(sqlite3 "$tmp/r.db" 'SELECT group_concat(p90_ns, "|") FROM (SELECT p90_ns FROM run_latency ORDER BY run_id)')"
	expect "view request_order seek deltas" "|-26|2" \
		"$(sqlite3 "$tmp/r.db" 'SELECT group_concat(coalesce(seek_delta, ""), "|") FROM (SELECT seek_delta FROM request_order WHERE run_id = 2 ORDER BY n)')"
else
	skip "sqlite3 not installed (views)"
	skip "sqlite3 not installed (views)"
	skip "sqlite3 not installed (views)"
fi

# bad input: exit 2, no database
"$mpsim" compare "$tmp/b.ini" --vary fs.boundary --db "$tmp/bad.db" > /dev/null 2>&1
expect "--vary without values exits 2" 2 $?
"$mpsim" compare "$tmp/b.ini" --vary fs.nosuchkey=1,2 --db "$tmp/bad.db" > /dev/null 2> "$tmp/bad.err"
expect "an unknown key exits 2" 2 $?
check "... and names it" grep -q nosuchkey "$tmp/bad.err"
check "... and writes no database" test ! -e "$tmp/bad.db"

# sweep: the same rows whatever -j; emit-jobs + merge the same again
dump() {
	if command -v sqlite3 > /dev/null; then
		for t in run run_option task bio request event; do
			sqlite3 "$1" "SELECT * FROM $t ORDER BY 1, 2"
		done
	else
		"$mpsim" report "$1" --format csv
	fi
}
vary="--vary fs.boundary=on,off --vary block.plug=on,off"
"$mpsim" sweep "$tmp/b.ini" $vary -j 1 --db "$tmp/s1.db" > /dev/null
expect "sweep -j 1 exits 0" 0 $?
"$mpsim" sweep "$tmp/b.ini" $vary -j 2 --db "$tmp/s2.db" > /dev/null
expect "sweep -j 2 exits 0" 0 $?
check "sweep -j 1 and -j 2 give the same rows" \
	test "$(dump "$tmp/s1.db")" = "$(dump "$tmp/s2.db")"
"$mpsim" sweep "$tmp/b.ini" $vary -j 3 --db "$tmp/s3.db" > /dev/null
check "sweep -j 3 (an uneven share of 4 variants) too" \
	test "$(dump "$tmp/s1.db")" = "$(dump "$tmp/s3.db")"
expect "runs in grid order, first --vary slowest" \
	"1|on|on 2|on|off 3|off|on 4|off|off" \
	"$(sqlite3 "$tmp/s2.db" "SELECT r.id, a.value, b.value FROM run r JOIN run_option a ON a.run_id = r.id AND a.key = 'fs.boundary' JOIN run_option b ON b.run_id = r.id AND b.key = 'block.plug' ORDER BY r.id" 2>/dev/null | tr '\n' ' ' | sed 's/ $//')"
"$mpsim" sweep "$tmp/b.ini" $vary --emit-jobs "$tmp/jobs" > /dev/null
expect "emit-jobs writes one command per variant" 4 "$(wc -l < "$tmp/jobs/jobs.txt" | tr -d ' ')"
sh "$tmp/jobs/jobs.txt"
"$mpsim" merge "$tmp/m.db" "$tmp"/jobs/run-*.db > /dev/null
expect "merge exits 0" 0 $?
check "emit-jobs + merge give the rows of the local sweep" \
	test "$(dump "$tmp/s1.db")" = "$(dump "$tmp/m.db")"
"$mpsim" merge "$tmp/m.db" "$tmp/s1.db" > /dev/null
expect "merge appends after the runs already there" "8" \
	"$("$mpsim" report "$tmp/m.db" --format csv | tail -n 1 | cut -d, -f1)"

# export: blkparse reads the stream, one C per request, in the database's order
"$mpsim" export "$tmp/r.db" --run 2 --format blktrace "$tmp/r2.blktrace"
expect "export exits 0" 0 $?
# 48 bytes a record: Q G I D C for 3 requests (720), a process note with
# its 16-byte name (64); the plug's records: P when the metadata read
# joins the empty plug, UT (plus an 8-byte count) when the task sleeps on
# it, P when 0+24 starts the plug again, U (+8) at blk_finish_plug: 208.
expect "the export's size, record by record" 992 "$(wc -c < "$tmp/r2.blktrace" | tr -d ' ')"
if command -v blkparse > /dev/null; then
	got=$(blkparse -i - -f '%a %S %n\n' < "$tmp/r2.blktrace" | awk '$1 == "C" { print $2 "+" $3 }' | tr '\n' ' ')
	if command -v sqlite3 > /dev/null; then
		want=$(sqlite3 "$tmp/r.db" "SELECT sector || '+' || sectors FROM request WHERE run_id = 2 ORDER BY complete_ns, seq" | tr '\n' ' ')
	else
		want="24+2 0+24 26+8 "
	fi
	expect "blkparse: completions, sectors and order as in the database" "$want" "$got"
	check "blkparse: the task's name from the process note" \
		sh -c "blkparse -i - < '$tmp/r2.blktrace' | grep -q ' Q   R 0 + 24 \\[reader\\]'"
	expect "blkparse: 3 reads completed" 3 \
		"$(blkparse -i - < "$tmp/r2.blktrace" | sed -n 's/^ *Reads Completed: *\([0-9]*\),.*/\1/p' | head -n 1)"
else
	skip "blkparse not installed"
	skip "blkparse not installed"
	skip "blkparse not installed"
fi
if command -v btt > /dev/null; then
	check "btt reads the export" sh -c "cd '$tmp' && btt -i r2.blktrace > btt.out 2>&1 && grep -q Q2C btt.out"
else
	skip "btt not installed"
fi
"$mpsim" export "$tmp/r.db" --run 2 --format csv - > "$tmp/r2.csv"
expect "export csv: header and 3 requests" 4 "$(wc -l < "$tmp/r2.csv" | tr -d ' ')"
expect "export csv: second request, backward seek of 26" "0,24,-26" \
	"$(sed -n 3p "$tmp/r2.csv" | awk -F, '{ print $5 "," $6 "," $18 }')"

# plot: every picture, with its script and data
if command -v gnuplot > /dev/null; then
	"$mpsim" plot "$tmp/r.db" --run 1,2 --out "$tmp/plots" > /dev/null
	expect "plot exits 0" 0 $?
	missing=
	for p in dispatch throughput seeks seek-distance latency-cdf cost order; do
		for e in png svg gp; do
			test -s "$tmp/plots/$p.$e" || missing="$missing $p.$e"
		done
	done
	expect "plot writes every png, svg and script" "" "$missing"
else
	skip "gnuplot not installed"
	skip "gnuplot not installed"
fi

# a bundled scenario is found by name
mkdir -p "$tmp/data/scenarios" "$tmp/elsewhere"
cp "$tmp/b.ini" "$tmp/data/scenarios/by-name.ini"
(cd "$tmp/elsewhere" && MPSIM_DATADIR="$tmp/data" "$mpsim" run by-name --no-db > out.txt)
expect "run by name from the data folder" 0 $?
check "... and it is that scenario" grep -q '^by-name: 3 bios, 2 requests' "$tmp/elsewhere/out.txt"

# help for every command
for c in run compare report plot export sweep merge disk-info; do
	"$mpsim" "$c" --help > "$tmp/help.txt" 2>&1
	check "mpsim $c --help" sh -c "grep -q Usage: '$tmp/help.txt'"
done

echo "1..$n"
