#!/bin/bash
# test-sweep-cleanup.sh - an interrupted sweep stops its workers, removes
# its temporary folder and leaves the database as it was; --emit-jobs
# quotes every name.  Prints TAP.
#
# Each variant of slow.ini reads 4 GiB with read(2) calls through a
# 64 MiB page cache (a second or more of mpsim's time),
# so that a sweep of 6 variants with -j 2 is still running when the test,
# once both workers' databases exist in $TMPDIR, interrupts it: SIGTERM to
# the parent (status 143), SIGINT to the process group as a terminal's
# ^C sends it (130), timeout(1)'s SIGTERM (124 from timeout), and SIGTERM
# with -j 1 (the variants run in the parent); and SIGTERM to compare, with
# and without --db, once its first variant has run.  Each time: no process of
# the sweep left (pgrep on the scenario's unique path), $TMPDIR empty,
# and the database still holding just its one earlier run.
#
# --emit-jobs into a folder named with a space, $(...), a backquote and a
# quote: the script passes sh -n, running it as array task 1 and 2 (a
# fake SLURM environment: SLURM_ARRAY_TASK_ID) runs those variants into
# the folder, and no command in the name runs; task ids that are not a
# number or past the end fail with status 2.  A folder with a line break
# is refused.
set -u
# bash for PIPESTATUS and ulimit -f; make may run tests with sh
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
mpsim="$(cd "${top_builddir:-.}" && pwd)/src/mpsim"
top_srcdir=$(cd "${top_srcdir:-.}" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top_srcdir/tests/tap.sh"
TAP_ERR="$tmp/err"
for tool in setsid timeout pgrep sqlite3; do
	if ! command -v $tool > /dev/null; then
		echo "1..0 # SKIP no $tool"
		exit 0
	fi
done
cd "$tmp" || exit 1
mkdir t pwn
export TMPDIR="$tmp/t"
cat > slow.ini <<'EOT'
[fs]
block_size = 4096
[cache]
capacity = 64M
[file.big]
size = 4G
layout = ext2-sequential
first_block = 100
[task.reader]
file = big
ops = read 0 eof 1M
EOT
cp "${top_srcdir:-.}/scenarios/ext2-boundary.ini" S.ini
"$mpsim" run S.ini --db sweep.db -q
cp sweep.db sweep.copy
vary="--vary disk.rpm=5400,7200,10000,15000,20000,25000"

# no worker left (at most 5 s), no temporary folder, database unchanged
clean() {
	for i in $(seq 50); do
		pgrep -f "$tmp/slow.ini" > /dev/null || break
		sleep 0.1
	done
	! pgrep -f "$tmp/slow.ini" > /dev/null &&
	test -z "$(ls -A t)" && cmp -s sweep.db sweep.copy
}

# stop: once $1 files matching $2 (a glob: the temporary databases) exist,
# send signal $3 to $4 (a pid, or -pgid), and leave the status in $st
stop() {
	for i in $(seq 100); do
		[ "$(ls $2 2>/dev/null | wc -l)" -ge "$1" ] && break
		sleep 0.1
	done
	sleep "${5:-0}"
	kill -"$3" -- "$4"
	wait "$pid"
	st=$?
}

"$mpsim" sweep "$tmp/slow.ini" $vary -j 2 --db sweep.db > /dev/null 2> err &
pid=$!
stop 2 't/*/worker-*.db' TERM $pid
check "SIGTERM to sweep -j 2: status 143 (got $st)" test $st -eq 143
check "... saying nothing was saved" grep -q "interrupted; nothing was saved" err
check "... no worker left, no temporary folder, database unchanged" clean

setsid "$mpsim" sweep "$tmp/slow.ini" $vary -j 2 --db sweep.db > /dev/null 2> err &
pid=$!
stop 2 't/*/worker-*.db' INT -$pid
check "SIGINT to the group of sweep -j 2: status 130 (got $st)" test $st -eq 130
check "... no worker left, no temporary folder, database unchanged" clean

timeout 1.5 "$mpsim" sweep "$tmp/slow.ini" $vary -j 2 --db sweep.db > /dev/null 2> err
st=$?
check "timeout 1.5 sweep -j 2: timeout's status 124 (got $st)" test $st -eq 124
check "... no worker left, no temporary folder, database unchanged" clean

"$mpsim" sweep "$tmp/slow.ini" $vary -j 1 --db sweep.db > /dev/null 2> err &
pid=$!
stop 1 't/*/worker-*.db' TERM $pid
check "SIGTERM to sweep -j 1: status 143 (got $st)" test $st -eq 143
check "... no temporary folder, database unchanged" clean

# compare runs its variants one after another, all in one transaction on
# --db (its journal is there from the first write): SIGTERM during or
# between them saves nothing; without --db, its temporary database goes
"$mpsim" compare "$tmp/slow.ini" $vary --db sweep.db > /dev/null 2> err &
pid=$!
stop 1 sweep.db-journal TERM $pid 1.5
check "SIGTERM to compare --db: status 143 (got $st)" test $st -eq 143
check "... --db unchanged" clean
"$mpsim" compare "$tmp/slow.ini" $vary > /dev/null 2> err &
pid=$!
stop 1 't/*/compare.db' TERM $pid 1.5
check "SIGTERM to compare: status 143 (got $st)" test $st -eq 143
check "... its temporary database gone" clean
"$mpsim" compare S.ini --vary fs.boundary=on,off,sometimes --db sweep.db \
	> /dev/null 2> err
check "compare with a bad variant: status 2" test $? -eq 2
check "... and --db unchanged" cmp -s sweep.db sweep.copy

"$mpsim" sweep S.ini --vary fs.boundary=on,off -j 2 --db sweep.db > /dev/null
check "an uninterrupted sweep still lands" \
	test "$(sqlite3 sweep.db 'SELECT count(*) FROM run')" = 3

# --emit-jobs with a hostile folder name
dir="$tmp/a b \$(touch $tmp/pwn/dollar) \`touch $tmp/pwn/bq\` it's"
"$mpsim" sweep S.ini --vary fs.boundary=on,off --emit-jobs "$dir" > /dev/null 2> err
check "emit-jobs into a folder with a space, \$(...), \` and ' exits 0" test $? -eq 0
check "... slurm.sh passes sh -n" sh -n "$dir/slurm.sh"
check "... bash -n too" bash -n "$dir/slurm.sh"
check "... jobs.txt has one line per variant" test "$(wc -l < "$dir/jobs.txt")" -eq 2
(cd / && SLURM_ARRAY_TASK_ID=1 sh "$dir/slurm.sh") 2> err
check "array task 1 runs variant 1" test $? -eq 0 -a -s "$dir/run-0001.db"
(cd / && SLURM_ARRAY_TASK_ID=2 sh "$dir/slurm.sh") 2> err
check "array task 2 runs variant 2" test $? -eq 0 -a -s "$dir/run-0002.db"
check "... with fs.boundary=off" test "$(sqlite3 "$dir/run-0002.db" \
	"SELECT value FROM run_option WHERE key = 'fs.boundary'")" = off
check "... and no command in the folder's name ran" test -z "$(ls -A pwn)"
(SLURM_ARRAY_TASK_ID=3 sh "$dir/slurm.sh") 2> err
check "array task 3 (past the end) fails with status 2" test $? -eq 2
(SLURM_ARRAY_TASK_ID='1;touch pwn/x' sh "$dir/slurm.sh") 2> err
check "a task id that is not a number fails with status 2" test $? -eq 2
(unset SLURM_ARRAY_TASK_ID; sh "$dir/slurm.sh") 2> err
check "no task id fails with status 2" test $? -eq 2
"$mpsim" merge m.db "$dir"/run-*.db > /dev/null 2> err
check "merge of the array's databases gives 2 runs" \
	test "$(sqlite3 m.db 'SELECT count(*) FROM run')" = 2
nl='
'
"$mpsim" sweep S.ini --vary fs.boundary=on,off --emit-jobs "x${nl}y" > /dev/null 2> err
check "a folder name with a line break is refused with status 2" test $? -eq 2
check "... and nothing is written" test ! -e "x${nl}y"

echo "1..$n"
