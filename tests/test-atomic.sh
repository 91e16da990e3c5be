#!/bin/sh
# test-atomic.sh - a run lands in the database whole or not at all.
#
# A database first gets one complete run.  Then each failure below is
# provoked and must end with its exit status and a clear message, and
# leave the database passing PRAGMA integrity_check with still exactly
# one run, complete (end_ns set), and no row of any table belonging to a
# run that is not in the run table:
#   SIGINT / SIGTERM mid-run (the hidden --test-signal=SIG@N raises the
#     signal right after the N-th trace event, so the interruption falls
#     at a known point with rows already written): 130 / 143;
#   another process holding a write transaction (sqlite3 CLI), with
#     --db-timeout 300: waits about 300 ms, then status 1, "locked";
#   a read-only database file, a read-only folder (as root, run as nobody
#     with setpriv so that permissions apply): status 1, "read-only" /
#     "journal";
#   a database of another schema version, another program's SQLite file,
#     a file that is not SQLite: status 1, refused, file unchanged;
#   a full database (hidden --test-db-max-pages, SQLite's max_page_count)
#     and, where mounting is allowed, a full tmpfs: status 1,
#     "full".
# Prints TAP.
set -u
mpsim=$(cd "${top_builddir:-.}/src" && pwd)/mpsim
tmp=$(mktemp -d)
mnt=""
cleanup() {
	[ -n "$mnt" ] && umount "$mnt" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
chmod 755 "$tmp"
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; sed 's/^/# /' "$tmp/err" 2>/dev/null; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }

# 64 MiB read in one readpages call: 96 bios, hundreds of rows.
cat >"$tmp/big.ini" <<'EOT'
[fs]
block_size = 4096
[block]
plug = on
[file.big]
size = 64M
layout = ext2-sequential
first_block = 100
[task.reader]
file = big
ops = readpages 0-16383
EOT

# the database is sound and holds exactly $2 complete runs and no orphans
sound() {
	[ "$(sqlite3 "$1" 'PRAGMA integrity_check')" = ok ] || return 1
	[ "$(sqlite3 "$1" 'SELECT count(*) FROM run WHERE end_ns IS NOT NULL
		AND events IS NOT NULL')" = "$2" ] || return 1
	[ "$(sqlite3 "$1" 'SELECT count(*) FROM run')" = "$2" ] || return 1
	for t in run_option task bio request event; do
		[ "$(sqlite3 "$1" "SELECT count(*) FROM $t WHERE run_id NOT IN
			(SELECT id FROM run)")" = 0 ] || return 1
	done
}

run() {	# run ARGS...: status in $rc, stderr in $tmp/err
	"$mpsim" run -q "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
}

echo "1..21"
db="$tmp/runs.db"
run --db "$db" "$tmp/big.ini"
check "a first run lands" '[ $rc -eq 0 ] && sound "$db" 1'
rows=$(sqlite3 "$db" 'SELECT count(*) FROM event')

# ---- signals ----
for sig in 2 15; do
	run --db "$db" --test-signal="$sig@$((rows / 2))" "$tmp/big.ini"
	check "signal $sig mid-run exits $((128 + sig))" \
		'[ $rc -eq $((128 + sig)) ] && grep -q "not saved" "$tmp/err"'
	check "signal $sig leaves one complete run" 'sound "$db" 1'
done

# ---- a locked database ----
{ echo "BEGIN IMMEDIATE; INSERT INTO run_option VALUES(0, 'x', 'y');"
  sleep 5; echo "ROLLBACK;"; } | sqlite3 "$db" &
holder=$!
i=0	# wait until the lock is held
while sqlite3 "$db" 'BEGIN IMMEDIATE; ROLLBACK;' 2>/dev/null && [ $i -lt 50 ]
do sleep 0.1; i=$((i + 1)); done
t0=$(date +%s%N)
run --db "$db" --db-timeout 300 "$tmp/big.ini"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "a locked database fails after --db-timeout (${ms} ms)" \
	'[ $rc -eq 1 ] && grep -q "locked" "$tmp/err" && [ $ms -ge 300 ] &&
	 [ $ms -lt 4000 ]'
wait $holder
check "the locked database is untouched" 'sound "$db" 1'

# ---- read-only file and folder ----
as_user=""
if [ "$(id -u)" = 0 ]; then
	if setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null
	then as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
	fi
fi
if [ "$(id -u)" = 0 ] && [ -z "$as_user" ]; then
	skip "read-only file: running as root without setpriv"
	skip "read-only file leaves the run"
	skip "read-only folder: running as root without setpriv"
	skip "read-only folder leaves the run"
else
	mkdir "$tmp/ro"
	cp "$db" "$tmp/ro/runs.db"
	[ -n "$as_user" ] && chown -R 65534:65534 "$tmp/ro"
	chmod 444 "$tmp/ro/runs.db"
	$as_user "$mpsim" run -q --db "$tmp/ro/runs.db" "$tmp/big.ini" \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	check "a read-only database file is refused" \
		'[ $rc -eq 1 ] && grep -q "read-only" "$tmp/err"'
	check "the read-only file keeps its run" 'sound "$tmp/ro/runs.db" 1'
	chmod 644 "$tmp/ro/runs.db"
	chmod 555 "$tmp/ro"
	$as_user "$mpsim" run -q --db "$tmp/ro/runs.db" "$tmp/big.ini" \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	check "a database in a read-only folder fails clearly" \
		'[ $rc -eq 1 ] && grep -q "journal" "$tmp/err" &&
		 grep -q "nothing was saved" "$tmp/err"'
	check "the read-only folder's database keeps its run" \
		'sound "$tmp/ro/runs.db" 1 && [ ! -e "$tmp/ro/runs.db-journal" ]'
	chmod 755 "$tmp/ro"
fi

# ---- not our schema ----
sqlite3 "$tmp/v7.db" 'CREATE TABLE run(id); PRAGMA user_version = 7;'
sum=$(cksum <"$tmp/v7.db")
run --db "$tmp/v7.db" "$tmp/big.ini"
check "another schema version is refused" \
	'[ $rc -eq 1 ] && grep -q "schema version 2 (it has version 7)" "$tmp/err"'
check "the other version's file is unchanged" '[ "$(cksum <"$tmp/v7.db")" = "$sum" ]'
sqlite3 "$tmp/other.db" 'CREATE TABLE notes(t TEXT); INSERT INTO notes VALUES(1);'
sum=$(cksum <"$tmp/other.db")
run --db "$tmp/other.db" "$tmp/big.ini"
check "another program's SQLite file is refused" \
	'[ $rc -eq 1 ] && grep -q "not an mpsim database" "$tmp/err"'
check "the other program's file is unchanged" \
	'[ "$(cksum <"$tmp/other.db")" = "$sum" ]'
printf 'just some text, not a database\n%.0s' $(seq 100) >"$tmp/text.db"
sum=$(cksum <"$tmp/text.db")
run --db "$tmp/text.db" "$tmp/big.ini"
check "a file that is not SQLite is refused" \
	'[ $rc -eq 1 ] && grep -q "not an SQLite database" "$tmp/err" &&
	 [ "$(cksum <"$tmp/text.db")" = "$sum" ]'

# ---- a full database ----
pages=$(sqlite3 "$db" 'PRAGMA page_count')
run --db "$db" --test-db-max-pages "$pages" "$tmp/big.ini"
# (the run's options or its rows, whichever no longer fit: "nothing was
# saved" or "the run was not saved")
check "a full database fails clearly" \
	'[ $rc -eq 1 ] && grep -q "full" "$tmp/err" &&
	 grep -Eq "not saved|nothing was saved" "$tmp/err"'
check "the full database keeps one complete run" 'sound "$db" 1'

mkdir "$tmp/mnt"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=1m tmpfs "$tmp/mnt" 2>/dev/null
then
	# the database with its first run, then a file filling the disk but
	# for 12 KiB: room for the journal's start, not for the run
	mnt="$tmp/mnt"
	"$mpsim" run -q --db "$tmp/small.db" "$tmp/big.ini" --set \
		task.reader.ops="readpages 0-3" >/dev/null 2>&1
	cp "$tmp/small.db" "$mnt/runs.db"
	dd if=/dev/zero of="$mnt/fill" bs=4k 2>/dev/null
	truncate -s -12K "$mnt/fill"
	run --db "$mnt/runs.db" "$tmp/big.ini"
	check "a full disk fails clearly" \
		'[ $rc -eq 1 ] && grep -q "full" "$tmp/err"'
	check "the full disk's database keeps one complete run" \
		'sound "$mnt/runs.db" 1 && [ ! -e "$mnt/runs.db-journal" ]'
else
	skip "a full disk: cannot mount a tmpfs here"
	skip "the full disk's database: cannot mount a tmpfs here"
fi

# ---- and after all that, runs still land ----
run --db "$db" "$tmp/big.ini"
check "a run after the failures lands" '[ $rc -eq 0 ] && sound "$db" 2'
