#!/bin/sh
# test-flush.sh - a cache flush is logged as a flush: origin 'flush', no
# sector and no block, in the bio and request tables; shown as "flush" in
# compare's dispatch order, CSV and JSON; and a version-1 database's
# flushes (a metadata bio of block 0 there) are converted when it is
# upgraded.  Prints TAP.
#
# The scenario: 4 KiB blocks, file a's block 0 on disk block 100
# (sector 800); write 4 KiB, then fsync on hdd-7200, whose write cache is
# volatile (write_back on): ext2_fsync writes the page (bio 1, WS 800+8)
# and issues blkdev_issue_flush (bio 2, an empty REQ_OP_FLUSH with
# WRITE_SYNC: RWBS "FS", 0 sectors), which becomes request 2.  The block
# map is explicit, so no inode or bitmap is written.
. "${top_srcdir:-.}/tests/tap-db.sh"

cp "$top/tests/flush.ini" "$tmp/f.ini"

"$mpsim" run -q --db "$tmp/f.db" "$tmp/f.ini" 2>"$tmp/err"
rc=$?
check "the run succeeds" '[ $rc -eq 0 ]'
check "bios: the page, then the flush with no sector and no block" \
	'[ "$(q "$tmp/f.db" "SELECT seq, op, coalesce(sector, '\''-'\''),
	   sectors, origin, coalesce(block, '\''-'\'') FROM bio ORDER BY seq")" = "1|WS|800|8|mpage|-
2|FS|-|0|flush|-" ]'
check "requests: the flush has no sector" \
	'[ "$(q "$tmp/f.db" "SELECT seq, op, coalesce(sector, '\''-'\''),
	   sectors FROM request ORDER BY seq")" = "1|WS|800|8
2|FS|-|0" ]'
check "no flush counts as metadata" \
	'[ "$(q "$tmp/f.db" "SELECT count(*) FROM bio WHERE origin = '\''meta'\''")" = 0 ]'
"$mpsim" report "$tmp/f.db" >"$tmp/report" 2>"$tmp/err"
check "report shows the flush as flush in the dispatch order" \
	'grep -Eq "^  request 2 +flush$" "$tmp/report"'
"$mpsim" report "$tmp/f.db" --format csv >"$tmp/csv" 2>"$tmp/err"
check "CSV order: 800 then flush" '[ "$(tail -n 1 "$tmp/csv" | sed "s/.*,//")" = "800 flush" ]'
"$mpsim" report "$tmp/f.db" --format json >"$tmp/json" 2>"$tmp/err"
check "JSON order: 800 then \"flush\"" \
	'tr -d " \n" <"$tmp/json" | grep -q "\"order\":\[800,\"flush\"\]"'

# A device without a volatile cache (write_back off): the flush ends at
# submission (generic_make_request_checks), a bio with no request.
"$mpsim" run -q --db "$tmp/nc.db" "$tmp/f.ini" --set disk.write_back=off \
	2>"$tmp/err"
check "no write cache: the flush bio, no request, no sector" \
	'[ "$(q "$tmp/nc.db" "SELECT op, coalesce(sector, '\''-'\''), origin,
	   coalesce(request_seq, '\''-'\''), complete_ns = submit_ns FROM bio
	   WHERE seq = 2")" = "FS|-|flush|-|1" ]'

# ---- a version-1 database's flush, upgraded ----
sqlite3 "$tmp/v1.db" <"$top/tests/schema-v1.sql" && sqlite3 "$tmp/v1.db" "
INSERT INTO run VALUES(1, 's', 'x', '', '', 9000, 10);
INSERT INTO bio VALUES(1, 1, 'w', 0, 'WS', 800, 8, 'mpage', 'a', '0',
  NULL, 1, 1000, 0, NULL);
INSERT INTO bio VALUES(1, 2, 'w', 1000, 'FS', 0, 0, 'meta', NULL, NULL,
  0, 2, 2000, 0, NULL);
INSERT INTO bio VALUES(1, 3, 'w', 2000, 'WSM', 24, 2, 'meta', NULL, NULL,
  12, 3, 3000, 0, NULL);
INSERT INTO request VALUES(1, 2, 'FS', 0, 0, 1, 1000, 1000, 1000, 2000,
  0, 0, 0, 0, 0, 0, 1, 0, 0);
INSERT INTO request VALUES(1, 3, 'WSM', 24, 2, 1, 2000, 2000, 2000, 3000,
  0, 0, 0, 0, 0, 0, 1, 0, 0);"
"$mpsim" report "$tmp/v1.db" >/dev/null 2>"$tmp/err"
check "the upgrade makes the old flush a flush; the others stay" \
	'[ "$(q "$tmp/v1.db" "SELECT seq, coalesce(sector, '\''-'\''), origin,
	   coalesce(block, '\''-'\'') FROM bio ORDER BY seq")" = "1|800|mpage|-
2|-|flush|-
3|24|meta|12" ]'
check "the upgraded requests: the flush without a sector" \
	'[ "$(q "$tmp/v1.db" "SELECT seq, coalesce(sector, '\''-'\'') FROM
	   request ORDER BY seq")" = "2|-
3|24" ]'
check "the upgraded database passes integrity_check" \
	'[ "$(q "$tmp/v1.db" "PRAGMA integrity_check")" = ok ]'
echo "1..$n"
