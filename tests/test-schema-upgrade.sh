#!/bin/sh
# test-schema-upgrade.sh - a database of schema version 1 is upgraded to
# version 2 in place, keeping its rows; anything else with version 1 is
# refused and left as it was.  Prints TAP.
#
# The version-1 database is made from tests/schema-v1.sql (the tables and
# views mpsim 1 wrote) with two runs written by hand:
#   run 1: end_ns 9000, tasks starting at 1000 and 2500 -> elapsed_ns =
#          9000 - min(1000, 2500) = 8000 (version 2's definition: from the
#          earliest task start); task 1 ends at 7000 -> its elapsed_ns =
#          7000 - 1000 = 6000, task 2 at 9000 -> 6500.
#   run 2: end_ns 500, no task -> elapsed_ns = 500 - 0 = 500.
. "${top_srcdir:-.}/tests/tap-db.sh"
schema="$top/tests/schema-v1.sql"

cat >"$tmp/s.ini" <<'EOT'
[disk]
preset = simple
[file.a]
size = 4K
extents = 0-0:100
[task.reader]
file = a
ops = readpages 0-0
EOT

make_v1() {
	sqlite3 "$1" <"$schema" && sqlite3 "$1" "
INSERT INTO run VALUES(1, 's', 'x', '', 'fs.boundary=on', 9000, 10);
INSERT INTO run VALUES(2, 't', 'y', '', '', 500, 1);
INSERT INTO run_option VALUES(1, 'fs.boundary', 'on');
INSERT INTO task VALUES(1, 1, 'r', 'a', 1000, 7000);
INSERT INTO task VALUES(1, 2, 'w', 'a', 2500, 9000);
INSERT INTO request VALUES(1, 1, 'R', 8, 8, 1, 1000, 1000, 1000, 3000,
  0, 0, 0, 2000, 0, 0, 1, 0, 0);
INSERT INTO bio VALUES(1, 1, 'r', 1000, 'R', 8, 8, 'mpage', 'a', '0',
  1, 1, 3000, 0, NULL);
INSERT INTO event VALUES(1, 1, 1000, 'task_start', 'r', 'a', NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);"
}

# ---- an mpsim version-1 database: upgraded by a run ----
make_v1 "$tmp/v1.db"
"$mpsim" run -q --db "$tmp/v1.db" "$tmp/s.ini" 2>"$tmp/err"
rc=$?
check "a run on a version-1 database succeeds" '[ $rc -eq 0 ]'
check "the database is now version 2" \
	'[ "$(q "$tmp/v1.db" "PRAGMA user_version")" = 2 ]'
check "the old runs keep their rows" \
	'[ "$(q "$tmp/v1.db" "SELECT count(*) FROM run WHERE id <= 2;
	   SELECT count(*) FROM task; SELECT count(*) FROM request
	   WHERE run_id = 1; SELECT count(*) FROM bio WHERE run_id = 1;
	   SELECT count(*) FROM event WHERE run_id = 1;
	   SELECT value FROM run_option WHERE run_id = 1")" = "2
3
1
1
1
on" ]'
check "old runs get elapsed_ns from their earliest task start" \
	'[ "$(q "$tmp/v1.db" "SELECT elapsed_ns FROM run WHERE id <= 2
	   ORDER BY id")" = "8000
500" ]'
check "old tasks get elapsed_ns = end - start" \
	'[ "$(q "$tmp/v1.db" "SELECT elapsed_ns FROM task WHERE run_id = 1
	   ORDER BY id")" = "6000
6500" ]'
check "old runs have no seed, the new run has seed 1" \
	'[ "$(q "$tmp/v1.db" "SELECT coalesce(seed, -1) FROM run
	   ORDER BY id")" = "-1
-1
1" ]'
check "run_summary reads the new column" \
	'[ "$(q "$tmp/v1.db" "SELECT elapsed_ns FROM run_summary
	   WHERE run_id = 1")" = 8000 ]'
# The version-2 tables of other features come with the upgrade: the new
# run (id 3) logs its block map (file a: file block 0 on disk block 100,
# one data row) and its bio's vector: page 0 has block 0 mapped and
# blocks 1-3 in a hole, so do_mpage_readpage zeroes from 1024 on and adds
# 1024 bytes of the page at offset 0.
check "the upgrade adds the extent table; the new run fills it" \
	'[ "$(q "$tmp/v1.db" "SELECT file, kind, logical, physical, length
	   FROM extent WHERE run_id = 3")" = "a|data|0|100|1" ]'
check "the upgrade adds the bvec table; the new run fills it" \
	'[ "$(q "$tmp/v1.db" "SELECT idx, page, offset, len FROM bvec
	   WHERE run_id = 3")" = "0|0|0|1024" ]'
# run 1's bio (pages '0', 8 sectors) looks like a whole page, but
# version 1 logged no vectors: the old runs have none in bvec_span.
check "the old runs have no vectors" \
	'[ "$(q "$tmp/v1.db" "SELECT count(*) FROM bvec_span
	   WHERE run_id < 3")" = 0 ]'
check "the upgraded database passes integrity_check" \
	'[ "$(q "$tmp/v1.db" "PRAGMA integrity_check")" = ok ]'

# ---- upgraded by report, which otherwise only reads ----
make_v1 "$tmp/r1.db"
"$mpsim" report "$tmp/r1.db" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "report upgrades a version-1 database and reads it" \
	'[ $rc -eq 0 ] && [ "$(q "$tmp/r1.db" "PRAGMA user_version")" = 2 ]'

# ---- version 1 but not mpsim's tables: refused, untouched ----
refused() {	# NAME SQL [bare]: a v1 database (or, bare, an empty file)
		# changed by SQL is refused as it is
	f="$tmp/$1.db"
	[ "${3:-}" = bare ] || make_v1 "$f"
	q "$f" "$2"
	sum=$(cksum <"$f")
	"$mpsim" run -q --db "$f" "$tmp/s.ini" 2>"$tmp/err"
	rc=$?
	check "version 1 with $1 is refused" \
		'[ $rc -eq 1 ] && grep -q "not an mpsim database" "$tmp/err"'
	check "the database with $1 is unchanged" \
		'[ "$(cksum <"$f")" = "$sum" ]'
}
refused "another-table" "CREATE TABLE notes(t TEXT);"
refused "a-column-less" "DROP TABLE event; CREATE TABLE event(run_id, seq);"
refused "a-trigger" "CREATE TRIGGER t AFTER INSERT ON run BEGIN
	DELETE FROM run; END;"
refused "another-program" "CREATE TABLE run(id); PRAGMA user_version = 1;" \
	bare
echo "1..$n"
