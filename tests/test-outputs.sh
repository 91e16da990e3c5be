#!/bin/bash
# test-outputs.sh - what mpsim writes: never one of its inputs, whole or
# not at all, and an exit status that tells the truth.  Prints TAP.
#
# 1. An output that is an input (the same file by any name: itself, a
#    link, a hard link, ./x, standard output redirected to it) is refused
#    with status 2 and a message, for every command and output option, and
#    the input is left byte for byte as it was (cmp with a copy).
# 2. A write that fails (/dev/full, a closed pipe with SIGPIPE at its
#    default or ignored, the file size limit, ulimit -f) fails the
#    command with status 1 and a message; the run is not saved (the
#    database holds its one earlier run), the target keeps its old
#    content or is not created, and no temporary file is left.
# 3. Database names SQLite would not take as a file ('', :memory:, URIs,
#    a folder, /dev/null) are refused (status 2) and create nothing; a
#    database of mpsim's version that lacks a table or a column is
#    refused (status 1) with nothing written: no views, no journal mode.
set -u
# bash for PIPESTATUS and ulimit -f; make may run tests with sh
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
mpsim="$(cd "${top_builddir:-.}" && pwd)/src/mpsim"
top_srcdir=$(cd "${top_srcdir:-.}" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top_srcdir/tests/tap.sh"
TAP_ERR="$tmp/err"
# status $2 and a message holding $3, from the command after them
expect() {
	desc=$1 want=$2 msg=$3
	shift 3
	"$@" > "$tmp/out" 2> "$tmp/err"
	got=$?
	if [ "$got" -eq "$want" ] && grep -q -- "$msg" "$tmp/err"; then
		ok "$desc"
	else
		nok "$desc (status $got, want $want and \"$msg\")"
	fi
}
runs() { sqlite3 "$1" 'SELECT count(*) FROM run'; }
no_temp() { [ -z "$(ls -A "$1" | grep '^\.')" ]; }

if ! command -v sqlite3 > /dev/null; then
	echo "1..0 # SKIP no sqlite3"
	exit 0
fi
cd "$tmp" || exit 1
cp "${top_srcdir:-.}/scenarios/ext2-boundary.ini" S.ini
# 64 MiB in one readpages call: a trace of 1500 lines, 67 KiB
cat > big.ini <<'EOT'
[fs]
block_size = 4096
[file.big]
size = 64M
layout = ext2-sequential
first_block = 100
[task.reader]
file = big
ops = readpages 0-16383
EOT
# 1 GiB: a trace of 1.1 MB, far more than a pipe holds
sed 's/64M/1G/; s/0-16383/0-262143/' big.ini > huge.ini
"$mpsim" run S.ini --db runs.db -q
cp runs.db runs.copy
cp S.ini S.copy
same_db() { cmp -s runs.db runs.copy; }
same_s() { cmp -s S.ini S.copy; }

# --- 1. outputs that are inputs -----------------------------------------
expect "run --trace DB is refused" 2 "same file as --db" \
	"$mpsim" run S.ini --db runs.db --trace runs.db
check "... and the database is unchanged" same_db
expect "run --trace SCENARIO is refused" 2 "same file as the scenario" \
	"$mpsim" run S.ini --db runs.db --trace S.ini
check "... and the scenario is unchanged" same_s
ln -s runs.db link.db
ln runs.db hard.db
mkdir sub
expect "run --trace through a symbolic link to the database is refused" 2 \
	"same file" "$mpsim" run S.ini --db runs.db --trace link.db
expect "run --trace to a hard link of the database is refused" 2 \
	"same file" "$mpsim" run S.ini --db runs.db --trace hard.db
expect "run --trace sub/../runs.db is refused" 2 "same file" \
	"$mpsim" run S.ini --db runs.db --trace sub/../runs.db
expect "run --db SCENARIO is refused" 2 "same file as the scenario" \
	"$mpsim" run S.ini --db S.ini
check "... and the scenario is unchanged" same_s
expect "run --db X --trace ./X (neither there yet) is refused" 2 \
	"same file as --db" "$mpsim" run S.ini --db new.db --trace ./new.db
check "... and creates neither" test ! -e new.db
expect "run --trace - with standard output appended to the database" 2 \
	"standard output" sh -c "'$mpsim' run S.ini --db runs.db --trace - >> runs.db"
check "... leaves the database unchanged" same_db
check "... and holding one run" test "$(runs runs.db)" = 1
expect "run --trace DB-journal (SQLite's name beside the database) is refused" \
	2 "beside the database" "$mpsim" run S.ini --db runs.db --trace runs.db-journal
check "... and creates no journal" test ! -e runs.db-journal
expect "run --trace FOLDER is refused" 2 "is a folder" \
	"$mpsim" run S.ini --no-db --trace sub
expect "run --trace to a dangling link is refused" 2 "missing file" \
	sh -c "ln -s nowhere dangling && '$mpsim' run S.ini --no-db --trace dangling"
check "... and creates nothing" test ! -e nowhere

expect "export DB ... DB is refused" 2 "same file as the database" \
	"$mpsim" export runs.db --run 1 --format csv runs.db
check "... and the database is unchanged" same_db
expect "export to a link of the database is refused" 2 "same file" \
	"$mpsim" export runs.db --run 1 --format blktrace link.db
expect "export - appended to the database is refused" 2 "standard output" \
	sh -c "'$mpsim' export runs.db --run 1 --format csv - >> runs.db"
check "... and the database is unchanged" same_db
expect "report appended to the database is refused" 2 "standard output" \
	sh -c "'$mpsim' report runs.db >> runs.db"
check "... and the database is unchanged" same_db
expect "plot --out DB is refused" 2 "same file as the database" \
	"$mpsim" plot runs.db --out runs.db
mkdir pl
ln -s ../runs.db pl/dispatch.png
expect "plot --out DIR with DIR/dispatch.png a link to the database" 2 \
	"same file as the database" "$mpsim" plot runs.db --out pl
check "... writes nothing into DIR" test "$(ls -A pl)" = dispatch.png
check "... and the database is unchanged" same_db
expect "merge OUT IN with OUT a link to IN is refused" 2 "same file" \
	"$mpsim" merge link.db runs.db
check "... and the database is unchanged" same_db
expect "compare --db SCENARIO is refused" 2 "same file as the scenario" \
	"$mpsim" compare S.ini --vary fs.boundary=on,off --db S.ini
mkdir cmp
cp S.ini cmp/dispatch.gp
expect "compare --plot DIR with the scenario as DIR/dispatch.gp" 2 \
	"same file as the scenario" \
	"$mpsim" compare cmp/dispatch.gp --vary fs.boundary=on,off --plot cmp \
	--db cmp.db
check "... runs nothing" test ! -e cmp.db
check "... and leaves the scenario as it was" cmp -s S.ini cmp/dispatch.gp
expect "sweep --db SCENARIO is refused" 2 "same file as the scenario" \
	"$mpsim" sweep S.ini --vary fs.boundary=on,off --db S.ini
mkdir ej
cp S.ini ej/jobs.txt
expect "sweep --emit-jobs DIR with the scenario as DIR/jobs.txt" 2 \
	"same file as the scenario" \
	"$mpsim" sweep ej/jobs.txt --vary fs.boundary=on,off --emit-jobs ej
check "... leaves the scenario as it was" cmp -s S.ini ej/jobs.txt
check "... and writes no slurm.sh" test ! -e ej/slurm.sh

# an image the scenario reads (needs mke2fs and libext2fs)
PATH=$PATH:/sbin:/usr/sbin
mkdir -p root
yes 0123456789abcdef | head -c 20000 > root/f
if command -v mke2fs > /dev/null &&
   mke2fs -q -F -t ext2 -b 1024 -d root disk.img 1024 > /dev/null 2>&1; then
	cat > img.ini <<'EOT'
[disk]
preset = simple
[fs]
block_size = 1024
[file.f]
image = disk.img
path = /f
[task.reader]
file = f
ops = readpages 0-4
EOT
	cp disk.img disk.copy
	if "$mpsim" run img.ini --no-db -q 2> "$tmp/err"; then
		expect "run --trace IMAGE is refused" 2 "input of the scenario" \
			"$mpsim" run img.ini --no-db --trace disk.img
		expect "run --db IMAGE is refused" 2 "input of the scenario" \
			"$mpsim" run img.ini --db disk.img
		check "... and the image is unchanged" cmp -s disk.img disk.copy
	else
		for i in 1 2 3; do skip "built without libext2fs"; done
	fi
else
	for i in 1 2 3; do skip "no mke2fs -d"; done
fi

# replay and validate: the trace being read, and fio's latency log
cp "$top_srcdir/tests/replay/handwritten-v3.fiolog" f.log
cp "$top_srcdir/tests/replay/handwritten-v3.clat" f.clat
cp f.clat f.copy
expect "replay --trace onto its --latencies log is refused" 2 "same file" \
	"$mpsim" replay f.log --latencies f.clat --no-db --trace f.clat
check "... and the log is unchanged" cmp -s f.clat f.copy
cp "$top_srcdir/tests/replay/sample.csv" s.csv
if command -v gnuplot > /dev/null; then
	expect "ulimit -f: validate whose plots cannot be written fails" 1 \
		"could not write it whole" \
		bash -c "ulimit -f 8; '$mpsim' validate s.csv --plot vp"
	check "... and leaves its folder empty" test -z "$(ls -A vp)"
else
	for i in 1 2; do skip "gnuplot not installed"; done
fi

# --- 2. failed writes: status 1, nothing saved, nothing half-written -----
expect "run --trace /dev/full fails" 1 "disk is full" \
	"$mpsim" run S.ini --db runs.db --trace /dev/full
check "... and saves no run" test "$(runs runs.db)" = 1
expect "run --replications 3 --trace /dev/full fails" 1 "disk is full" \
	"$mpsim" run S.ini --db runs.db --replications 3 --trace /dev/full
check "... and saves none of the three" test "$(runs runs.db)" = 1
"$mpsim" run huge.ini --db runs.db --trace - 2> "$tmp/err" | head -n 1 > /dev/null
st=${PIPESTATUS[0]}
check "run --trace - | head -1 fails (status $st)" test "$st" -eq 1
check "... saying the reader went away" grep -q "pipe" "$tmp/err"
check "... and saves no run" test "$(runs runs.db)" = 1
st=$( (trap '' PIPE; "$mpsim" run huge.ini --db runs.db --trace - 2> "$tmp/err" |
	head -n 1 > /dev/null; echo "${PIPESTATUS[0]}") )
check "with SIGPIPE ignored, run --trace - | head -1 fails too" test "$st" -eq 1
check "... and saves no run" test "$(runs runs.db)" = 1
echo "old trace" > t.txt
head -c 4096 /dev/urandom > notdb
expect "a database refused (not SQLite)" 1 "not an SQLite database" \
	"$mpsim" run S.ini --db notdb --trace t.txt
check "... leaves an existing --trace file as it was" \
	test "$(cat t.txt)" = "old trace"
expect "a trace in a missing folder fails" 1 "No such file" \
	"$mpsim" run S.ini --db fresh.db --trace nowhere/t.txt
check "... before the database is created" test ! -e fresh.db
"$mpsim" run S.ini --no-db --trace closed.txt >&- 2> "$tmp/err"
check "with standard output closed, the summary does not land in the trace" \
	test $? -eq 0 -a -z "$(grep bios, closed.txt)" -a -s closed.txt
expect "ulimit -f: a trace past the limit fails" 1 "too large" \
	bash -c "ulimit -f 20; '$mpsim' run big.ini --no-db --trace t.txt"
check "... leaving the old trace as it was" test "$(cat t.txt)" = "old trace"
check "... and no temporary file" no_temp .
expect "ulimit -f: a run whose trace fails saves nothing" 1 "too large" \
	bash -c "ulimit -f 60; '$mpsim' run big.ini --db runs.db --trace t.txt"
check "... (the database still has one run)" test "$(runs runs.db)" = 1
expect "ulimit -f: a database past the limit fails like a full one" 1 \
	"database is too large" \
	bash -c "cp runs.db lim.db; ulimit -f 60; '$mpsim' run big.ini --db lim.db"
check "... and saves no run" test "$(runs lim.db)" = 1
"$mpsim" run big.ini --db big.db -q
expect "ulimit -f: export of a large run fails" 1 "too large" \
	bash -c "ulimit -f 4; '$mpsim' export big.db --run 1 --format csv e.csv"
check "... and leaves no file" test ! -e e.csv
check "... and no temporary file" no_temp .
expect "export to /dev/full fails" 1 "disk is full" \
	"$mpsim" export big.db --run 1 --format blktrace /dev/full
"$mpsim" export runs.db --run 1 --format csv e.csv
check "export writes the file" test "$(wc -l < e.csv)" -eq 3
# a database value is a text in the CSV, never a formula or a new row:
# op "=1+2<newline>," becomes the field "'=1+2<newline>," (quoted, a '
# before the =), so its row is its two lines and nothing else
cp runs.db csv.db
sqlite3 csv.db "UPDATE request SET op = '=1+2' || char(10) || ',' WHERE run_id = 1 AND seq = 1"
"$mpsim" export csv.db --run 1 --format csv c.csv 2> "$tmp/err"
check "export quotes a hostile op as one text field" \
	test "$(sed -n 2p c.csv)" = "1,1,1,\"'=1+2" -a \
	"$(sed -n 3p c.csv | cut -c1-3)" = ',",'
if command -v gnuplot > /dev/null; then
	expect "ulimit -f: plot whose pictures cannot be written fails" 1 \
		"could not write it whole" \
		bash -c "ulimit -f 8; '$mpsim' plot big.db --out full"
	check "... and leaves no picture, script or staging folder" \
		test -z "$(ls -A full)"
	# SIGTERM while gnuplot draws: nothing is left in DIR (or, if the
	# plot was quicker than the signal, every picture is there)
	"$mpsim" plot big.db --out killed 2> "$tmp/err" &
	pid=$!
	sleep 0.1
	kill -TERM $pid 2> /dev/null
	wait $pid
	st=$?
	if [ $st -eq 143 ]; then
		check "plot ended by SIGTERM (143) leaves DIR empty" \
			test -z "$(ls -A killed)"
	else
		check "plot quicker than SIGTERM drew everything" \
			test $st -eq 0 -a "$(ls killed/*.png killed/*.svg | wc -l)" -eq 14
	fi
	"$mpsim" plot runs.db --out okplots 2> "$tmp/err"
	check "plot draws 14 pictures when it can" \
		test "$(ls okplots/*.png okplots/*.svg | wc -l)" -eq 14
else
	for i in 1 2 3 4; do skip "gnuplot not installed"; done
fi

# a real full disk: a 64 KiB tmpfs, where mounting is allowed
mkdir mnt
if mount -t tmpfs -o size=64k tmpfs mnt 2> /dev/null; then
	trap 'umount "$tmp/mnt" 2>/dev/null; rm -rf "$tmp"' EXIT
	head -c 56k /dev/zero > mnt/fill	# what is left: 8 KiB
	expect "full disk: run --trace fails" 1 "disk is full" \
		"$mpsim" run big.ini --no-db --trace mnt/t.txt
	expect "full disk: export fails" 1 "disk is full" \
		"$mpsim" export big.db --run 1 --format csv mnt/e.csv
	if command -v gnuplot > /dev/null; then
		expect "full disk: plot fails" 1 "" "$mpsim" plot big.db --out mnt/p
	else
		skip "gnuplot not installed"
	fi
	check "... and none leaves a file" test -z "$(ls -A mnt/p 2>/dev/null)" -a \
		"$(ls -A mnt | grep -v '^p$')" = fill
	umount mnt
else
	for i in 1 2 3 4; do skip "cannot mount a tmpfs"; done
fi

# --- 3. database names and schemas ---------------------------------------
for name in '' ':memory:' 'file:x?mode=memory' 'file:y.db'; do
	expect "--db '$name' is refused" 2 "not a database file name" \
		"$mpsim" run S.ini --db "$name"
done
check "... and no file is created" test -z "$(ls | grep '^file:')"
expect "--db FOLDER is refused" 2 "a folder" "$mpsim" run S.ini --db sub
expect "--db /dev/null is refused" 2 "not a regular file" \
	"$mpsim" run S.ini --db /dev/null
expect "report '' is refused" 2 "not a database file name" \
	"$mpsim" report ''
sqlite3 foreign.db 'CREATE TABLE foo(x); PRAGMA user_version = 1;'
cp foreign.db foreign.copy
expect "a version-1 database without mpsim's tables is refused" 1 \
	"not mpsim's" "$mpsim" run S.ini --db foreign.db
check "... unchanged: no views added" cmp -s foreign.db foreign.copy
sqlite3 wal.db 'PRAGMA journal_mode = WAL; CREATE TABLE foo(x); PRAGMA user_version = 1;' > /dev/null
expect "a version-1 WAL database without them is refused" 1 "not mpsim's" \
	"$mpsim" run S.ini --db wal.db
check "... and left in WAL mode" \
	test "$(sqlite3 wal.db 'PRAGMA journal_mode')" = wal
sqlite3 v2.db 'CREATE TABLE foo(x); PRAGMA user_version = 2;'
cp v2.db v2.copy
expect "a version-2 database without mpsim's tables is refused" 1 \
	"no table" "$mpsim" run S.ini --db v2.db
check "... unchanged: no views added" cmp -s v2.db v2.copy
cp runs.db cols.db
sqlite3 cols.db 'ALTER TABLE bio DROP COLUMN parent' 2> /dev/null ||
	sqlite3 cols.db 'DROP VIEW IF EXISTS run_summary; DROP VIEW IF EXISTS request_order; DROP VIEW IF EXISTS run_seeks; DROP VIEW IF EXISTS run_latency; DROP VIEW IF EXISTS run_throughput_ms; CREATE TABLE b2 AS SELECT run_id, seq FROM bio; DROP TABLE bio; ALTER TABLE b2 RENAME TO bio'
cp cols.db cols.copy
expect "a database missing a column is refused" 1 "bio has no column" \
	"$mpsim" run S.ini --db cols.db
check "... unchanged" cmp -s cols.db cols.copy
expect "report on it is refused" 2 "has no column" "$mpsim" report cols.db
expect "merge from it is refused" 1 "has no column" \
	"$mpsim" merge merged.db cols.db
check "... and leaves no new OUT behind" test ! -e merged.db

# A name from the database printed to a terminal: a scenario whose file
# name holds an escape sequence (ESC [31m) is shown as \x1b[31m in the
# text table, never as the raw byte a terminal would act on.
esc=$(printf 'e\033[31mx')
cp S.ini "$esc.ini"
"$mpsim" run -q --replications 2 --db esc.db "$esc.ini" 2>"$tmp/err"
"$mpsim" report esc.db > esc.txt 2>"$tmp/err"
check "report shows a control character in a name as \\xNN" \
	grep -qF 'e\x1b[31mx (2 runs)' esc.txt
check "... and prints no escape byte" \
	sh -c "! LC_ALL=C grep -q \"\$(printf '\\033')\" esc.txt"

echo "1..$n"
