#!/bin/sh
# test-replay.sh - `mpsim replay` and `mpsim validate` end to end; prints
# TAP.
#
# Round trip: a bundled scenario is run, exported as blktrace's binary
# stream and replayed at its dispatches, closed loop, on the same disk and
# block settings: each request reached the disk at its recorded dispatch
# (the think time is the recorded gap from the previous completion), so
# the disk sees the same requests in the same order at the same times and
# must give the same service times; validate reports a demerit of 0.  The
# same through blkparse's text, when blkparse is installed.  Then: each
# sample format through the command line, the replay's rows in the
# database, bad traces (exit 2, the line or byte offset named, nothing
# written), --plot, and a real trace of a loop device where the kernel
# lets this machine take one.
set -u
mpsim="$(cd "$top_builddir" && pwd)/src/mpsim"
samples="$(cd "$top_srcdir" && pwd)/tests/replay"
MPSIM_DATADIR="$(cd "$top_srcdir" && pwd)"
export MPSIM_DATADIR
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(cd "$top_srcdir" && pwd)/tests/tap.sh"
# requests of a run in dispatch order: op, sector, sectors, service time
requests() {
	sqlite3 "$1" "SELECT op, sector, sectors, complete_ns - dispatch_ns
		FROM request WHERE run_id = $2 ORDER BY dispatch_ns, seq"
}
demerit0='demerit                0.000000 ms (0.00% of the recorded mean)'

# --- round trips ---
for sc in ext2-boundary random-read two-readers fragmented; do
	db="$tmp/$sc.db"
	"$mpsim" run -q --db "$db" "$sc" &&
	"$mpsim" export "$db" --run 1 --format blktrace "$tmp/$sc.bin" &&
	"$mpsim" replay -q --at dispatch --mode closed --db "$db" \
		"$tmp/$sc.bin" "$sc"
	expect "$sc: run, export and replay exit 0" 0 $?
	check "$sc: the replay has requests" test -n "$(requests "$db" 2)"
	expect "$sc: same requests, same order, same service times" \
		"$(requests "$db" 1)" "$(requests "$db" 2)"
	"$mpsim" validate "$tmp/$sc.bin" "$sc" > "$tmp/$sc.val"
	expect "$sc: validate exits 0" 0 $?
	check "$sc: validate reports a demerit of 0" \
		grep -qxF "$demerit0" "$tmp/$sc.val"
	expect "$sc: validate matches every request" \
		"$(sqlite3 "$db" "SELECT count(*) FROM request WHERE run_id = 1")" \
		"$(sed -n 's/^requests matched *//p' "$tmp/$sc.val")"
done

# At the queue events with --plug, open loop: the bios queued at one time
# meet in the replay task's plug as they met in the reader's, so
# ext2-boundary's metadata read merges into the data request again: the
# same two requests at the same times (three without the plug).
db="$tmp/ext2-boundary.db"
"$mpsim" replay -q --plug --db "$db" "$tmp/ext2-boundary.bin" ext2-boundary
expect "--plug at the queue events exits 0" 0 $?
full() {
	sqlite3 "$1" "SELECT op, sector, sectors, queue_ns, dispatch_ns,
		complete_ns FROM request WHERE run_id = $2 ORDER BY seq"
}
expect "--plug at the queue events: the run's requests, to the nanosecond" \
	"$(full "$db" 1)" "$(full "$db" 3)"
"$mpsim" replay -q --db "$db" "$tmp/ext2-boundary.bin" ext2-boundary
expect "without --plug: three requests" 3 \
	"$(sqlite3 "$db" "SELECT count(*) FROM request WHERE run_id = 4")"

# the same replay twice: the same rows
dump() {
	for t in bio request event; do
		sqlite3 "$1" "SELECT * FROM $t WHERE run_id = $2 ORDER BY seq"
	done
}
"$mpsim" replay -q --db "$db" "$tmp/ext2-boundary.bin" ext2-boundary
expect "a replay is deterministic: the same rows again" \
	"$(dump "$db" 4)" "$(dump "$db" 5 | sed 's/^5|/4|/')"

db="$tmp/random-read.db"
expect "every bio of the replay has origin replay" "replay" \
	"$(sqlite3 "$db" "SELECT group_concat(DISTINCT origin) FROM bio
		WHERE run_id = 2")"
expect "the replay's options are in its run row" \
	"dispatch closed blktrace 1" \
	"$(sqlite3 "$db" "SELECT group_concat(value, ' ') FROM (SELECT value
		FROM run_option WHERE run_id = 2 AND key IN ('replay.at',
		'replay.mode', 'replay.format', 'replay.depth') ORDER BY
		key = 'replay.depth', key = 'replay.format', key = 'replay.mode')")"
"$mpsim" report "$db" --run 2 > /dev/null
expect "report reads the replay" 0 $?
"$mpsim" export "$db" --run 2 --format blktrace "$tmp/again.bin"
expect "export writes the replay" 0 $?

# --- through blkparse's text ---
if command -v blkparse > /dev/null; then
	# blkparse reads the file by name (NAME.blktrace.0), as users run it
	cp "$tmp/random-read.bin" "$tmp/rr.blktrace.0"
	blkparse -i "$tmp/rr" > "$tmp/rr.txt" 2> /dev/null
	"$mpsim" validate "$tmp/rr.txt" random-read > "$tmp/rr.val"
	expect "blkparse text: validate exits 0" 0 $?
	check "blkparse text: a demerit of 0" grep -qxF "$demerit0" "$tmp/rr.val"
	"$mpsim" replay -q --db "$tmp/bp.db" "$tmp/rr.txt" random-read
	expect "blkparse text: open-loop replay at the queue events exits 0" \
		0 $?
	expect "blkparse text: open loop at Q, the same requests in order" \
		"$(requests "$tmp/random-read.db" 1 | cut -d'|' -f1-3)" \
		"$(requests "$tmp/bp.db" 1 | cut -d'|' -f1-3)"
	# the replay's D and C events: the original's, to the nanosecond
	dc() {
		cp "$1" "$tmp/dc.blktrace.0"
		blkparse -i "$tmp/dc" 2> /dev/null |
			awk '$6 == "D" || $6 == "C" { print $4, $6, $7, $8, $10 }'
	}
	expect "blkparse: the replay's exported D and C are the original's" \
		"$(dc "$tmp/random-read.bin")" "$(dc "$tmp/again.bin")"
else
	skip "blkparse is not installed"
fi

# --- the samples through the command line ---
# (the blkparse sample at its queue events: three bios, 0+24, 24+2, 26+8)
simple="$tmp/simple.ini"
printf '[disk]\npreset = simple\n[block]\nelevator = noop\nplug = off\n' \
	> "$simple"
for s in handwritten-v2.fiolog:3 handwritten-v3.fiolog:3 sample.disksim:3 \
	sample.csv:4 ext2-boundary.blkparse:3; do
	f=${s%:*}
	"$mpsim" replay --no-db "$samples/$f" "$simple" > "$tmp/out" 2>&1
	expect "$f replays" 0 $?
	check "$f: ${s#*:} requests" grep -q "^$samples/$f: ${s#*:} requests" \
		"$tmp/out"
done
# a real fio iolog (version 3: fio 3 writes no other): 20 random 4 KiB
# reads of a 1 MiB file, replayed at their times
if command -v fio > /dev/null; then
	(cd "$tmp" && fio --name=r --filename=fio.dat --size=1m --rw=randread \
		--bs=4k --ioengine=sync --number_ios=20 \
		--write_iolog=real.fiolog --output=/dev/null) 2> /dev/null
	"$mpsim" replay --db "$tmp/fio.db" "$tmp/real.fiolog" "$simple" \
		> /dev/null
	expect "a fio iolog written by fio replays" 0 $?
	expect "... its 20 reads of 4 KiB, within the 1 MiB file" "20 R 8 1" \
		"$(sqlite3 -separator ' ' "$tmp/fio.db" "SELECT count(*),
			group_concat(DISTINCT op), group_concat(DISTINCT sectors),
			max(sector) < 2048 FROM request")"
	expect "... open loop, at fio's times" "open" \
		"$(sqlite3 "$tmp/fio.db" "SELECT value FROM run_option WHERE
			key = 'replay.mode'")"
	(cd "$tmp" && fio --name=l --filename=fio.dat --size=1m \
		--rw=randread --bs=4k --ioengine=sync --number_ios=20 \
		--write_iolog=lat.fiolog --write_lat_log=l --log_offset=1 \
		--output=/dev/null) 2> /dev/null
	"$mpsim" validate "$tmp/lat.fiolog" --latencies "$tmp/l_clat.1.log" \
		> "$tmp/fio.val"
	expect "fio's iolog with its completion latencies validates" 0 $?
	check "... all 20 requests matched" grep -qx \
		'requests matched       20' "$tmp/fio.val"
else
	skip "fio is not installed"
fi

# sample.csv: service times 140960, 150000, 100000, 200000 ns against the
# simple disk's 140960 for each 4 KiB read or write, closed loop, one at a
# time.  Relative errors 0, 9040/150000, 40960/100000, 59040/200000: mean
# (0 + 0.060267 + 0.4096 + 0.2952) / 4 = 19.13%; within 10%: 2 of 4.
# Sorted recorded 100000, 140960, 150000, 200000 against 140960 x 4:
# distances 40960, 0, 9040, 59040; demerit sqrt((40960^2 + 9040^2 +
# 59040^2) / 4) = sqrt(1311291200) = 36211.757 ns = 0.036212 ms, 24.51% of
# the recorded mean 147740 ns.
"$mpsim" validate "$samples/sample.csv" "$simple" > "$tmp/csv.val"
expect "validate sample.csv exits 0" 0 $?
expect "validate sample.csv: the figures worked by hand" \
"requests matched       4
recorded service       mean 0.147740 ms  median 0.145480 ms
simulated service      mean 0.140960 ms  median 0.140960 ms
mean |relative error|  19.13%
within 10%             50.00%
demerit                0.036212 ms (24.51% of the recorded mean)" \
	"$(tail -n +2 "$tmp/csv.val")"

# --- bad traces: exit 2, named, nothing written ---
head -c 100 "$tmp/random-read.bin" > "$tmp/cut.bin"
"$mpsim" replay --db "$tmp/new.db" "$tmp/cut.bin" random-read 2> "$tmp/err"
expect "a truncated blktrace exits 2" 2 $?
# the first record, a process note, is 48 bytes and a 16-byte name: the
# second starts at byte 64 and is cut at 100
check "... naming the byte offset" grep -q 'cut.bin: byte offset 64: truncated record' "$tmp/err"
check "... and writes no database" test ! -e "$tmp/new.db"
printf 'op,sector,sectors,time_ns\nR,0,8,0\nR,8,8,5\nR,8,eight,9\n' \
	> "$tmp/bad.csv"
"$mpsim" replay --db "$tmp/new.db" --trace "$tmp/t.txt" "$tmp/bad.csv" \
	"$simple" 2> "$tmp/err"
expect "a bad CSV line exits 2" 2 $?
check "... naming line 4" grep -q 'bad.csv: line 4: sector and sectors' "$tmp/err"
check "... and writes neither database nor trace" \
	test ! -e "$tmp/new.db" -a ! -e "$tmp/t.txt"
printf 'op,sector,sectors,think_ns\nR,0,8,0\nR,2097150,8,0\n' > "$tmp/far.csv"
"$mpsim" replay --no-db "$tmp/far.csv" "$simple" 2> "$tmp/err"
expect "a request beyond the disk exits 2 (without a database too)" 2 $?
check "... naming line 3 and the disk's end" grep -q \
	"far.csv: line 3: sectors 2097150-2097157 lie beyond the disk's end (2097152 sectors)" \
	"$tmp/err"
"$mpsim" validate "$samples/handwritten-v3.fiolog" "$simple" 2> "$tmp/err"
expect "validate on a trace without completions exits 2" 2 $?
check "... saying why" grep -q 'no request with a recorded service time' "$tmp/err"
"$mpsim" replay --no-db --format csv "$samples/sample.disksim" "$simple" \
	2> "$tmp/err"
expect "--format forces the reader" 2 $?

cp "$samples/sample.csv" "$tmp/in.csv"
"$mpsim" replay --no-db --trace "$tmp/in.csv" "$tmp/in.csv" "$simple" \
	2> "$tmp/err"
expect "a text trace over the trace being read exits 2" 2 $?
check "... and leaves the trace as it was" cmp -s "$samples/sample.csv" \
	"$tmp/in.csv"
"$mpsim" validate --db "$tmp/in.csv" "$tmp/in.csv" "$simple" 2> "$tmp/err"
expect "a database over the trace being read exits 2" 2 $?
check "... saying so" grep -q 'is the trace being read' "$tmp/err"

# --- plots ---
if command -v gnuplot > /dev/null; then
	"$mpsim" validate --plot "$tmp/it's plots" "$tmp/random-read.bin" \
		random-read > /dev/null
	expect "validate --plot exits 0 (a quote in the folder's name)" 0 $?
	check "... draws both CDFs and the error plot" \
		test -s "$tmp/it's plots/validate-cdf.svg" -a \
		-s "$tmp/it's plots/validate-error.svg"
else
	skip "gnuplot is not installed"
fi

# --- a real trace of a loop device ---
why=
if [ "$(id -u)" != 0 ]; then
	why="not root"
elif ! command -v blktrace > /dev/null || ! command -v losetup > /dev/null
then
	why="blktrace or losetup missing"
elif [ ! -d /sys/kernel/debug/block ]; then
	why="debugfs is not mounted at /sys/kernel/debug (kernel block tracing unavailable)"
fi
if [ -z "$why" ]; then
	dd if=/dev/zero of="$tmp/disk.img" bs=1M count=16 2> /dev/null
	loop=$(losetup -f --show "$tmp/disk.img" 2> /dev/null) ||
		why="no loop device can be set up"
fi
if [ -z "$why" ]; then
	(cd "$tmp" && exec blktrace -d "$loop" -o real) > /dev/null 2>&1 &
	bt=$!
	sleep 1
	dd if="$loop" of=/dev/null bs=4k count=512 iflag=direct 2> /dev/null
	sleep 1
	kill -INT "$bt" 2> /dev/null
	wait "$bt" 2> /dev/null
	losetup -d "$loop"
	[ -s "$tmp/real.blktrace.0" ] || why="blktrace recorded nothing"
fi
if [ -z "$why" ]; then
	"$mpsim" replay --no-db -q "$tmp/real" hdd-7200 2> "$tmp/err" ||
		"$mpsim" replay --no-db -q "$tmp/real" 2>> "$tmp/err"
	expect "a real dd trace replays" 0 $?
	"$mpsim" validate "$tmp/real" > "$tmp/real.val" 2>&1
	expect "a real dd trace validates" 0 $?
	sed 's/^/# /' "$tmp/real.val"
else
	skip "real loop-device trace: $why"
fi

echo "1..$n"
