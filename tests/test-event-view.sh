#!/bin/sh
# test-event-view.sh - the database's event view: a bio's plug and merge
# events kept in the bio's row (plug_event, plug_count, merge_event,
# merge_reason, merge_rq_sector, merge_rq_sectors) and given back by the
# view with every other event (event_stored), in seq order, as the notes
# said; a note the bio row cannot say (a plug after a sleep for a
# request) stays stored.  Prints TAP.
. "${top_srcdir:-.}/tests/tap-db.sh"

if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "1..0 # SKIP sqlite3 not installed"
	exit 0
fi

# 4 KiB blocks, 16 pages laid out from block 1000 (ext2-sequential): the
# 12 direct blocks 1000-1011, the indirect block 1012, blocks 12-15 at
# 1013-1016.  readpages 0-15: mpage maps pages 0-11 (one get_block of 12
# blocks) and puts them in bio 1, sector 8000, 96 sectors; a request is
# made from it and joins the task's plug: event 2, plug at 8000, 96
# sectors, count 1.  Page 12 needs the indirect block: meta_read (event
# 3), bio 2 of 8 sectors at 8 * 1012 = 8096, which follows the plugged
# request: a plug back merge (event 4), the request at 8000 with 96 + 8 =
# 104 sectors.  The task sleeps on the buffer: unplug (event 5, count 1,
# sleep).  Once it is read (4558159 ns at phase 0), pages 12-15 go in
# bio 3, sector 8 * 1013 = 8104, 32 sectors: a new request, plugged
# (event 10: events 6-9 are CFQ's notes of the first request).
cat > "$tmp/ev.ini" <<'INI'
[disk]
preset = hdd-7200
phase = 0
[fs]
type = ext2
block_size = 4096
[file.data]
size = 64K
layout = ext2-sequential
first_block = 1000
[task.reader]
file = data
ops = readpages 0-15
INI
"$mpsim" run -q --db "$tmp/ev.db" "$tmp/ev.ini" 2>"$tmp/err"
st=$?
check "the run succeeds" '[ $st -eq 0 ]'
check "bio rows: plug of bios 1 and 3, plug-back merge of bio 2" \
	'[ "$(q "$tmp/ev.db" "SELECT group_concat(seq || \":\" ||
	   coalesce(plug_event, \"-\") || \":\" || coalesce(plug_count, \"-\")
	   || \":\" || coalesce(merge_event, \"-\") || \":\" ||
	   coalesce(merge_reason, \"-\") || \":\" ||
	   coalesce(merge_rq_sector, \"-\") || \":\" ||
	   coalesce(merge_rq_sectors, \"-\"), \" \") FROM (SELECT * FROM bio
	   ORDER BY seq)")" = "1:2:1:-:-:-:- 2:-:-:4:plug-back:8000:104 3:10:1:-:-:-:-" ]'
check "the event view gives them back in seq order" \
	'[ "$(q "$tmp/ev.db" "SELECT group_concat(seq || \":\" || time_ns ||
	   \":\" || action || \":\" || task || \":\" || sector || \":\" ||
	   sectors || \":\" || value || \":\" || coalesce(reason, \"-\"), \" \")
	   FROM event WHERE action IN (\"plug\", \"merge\")")" = "2:0:plug:reader:8000:96:1:- 4:0:merge:reader:8000:8:104:plug-back 10:4558159:plug:reader:8104:32:1:-" ]'
check "no plug or merge is stored twice" \
	'[ "$(q "$tmp/ev.db" "SELECT count(*) FROM event_stored
	   WHERE action IN (\"plug\", \"merge\")")" = 0 ]'
check "the view has every seq once, 1 .. run.events" \
	'[ "$(q "$tmp/ev.db" "SELECT count(*) = max(seq) AND
	   count(DISTINCT seq) = count(*) AND min(seq) = 1 FROM event")" = 1 ]'
check "the view is in key order without ORDER BY" \
	'[ "$(q "$tmp/ev.db" "SELECT group_concat(seq, \" \") FROM event")" = \
	   "$(q "$tmp/ev.db" "SELECT group_concat(seq, \" \") FROM
	   (SELECT seq FROM event ORDER BY seq)")" ]'

# 1 KiB blocks, no two of the file's contiguous (fragment = 1:1:1), 4
# requests at most a class: readpages 0-3 falls back to buffer heads and
# submits a 1 KiB bio a block, each its own request; the fifth finds no
# free request and sleeps (sleeprq), so its request joins the plug later
# than the bio was submitted: that plug note is stored, the others are
# in their bios' rows.  Either way the event view's plugs and merges are
# the text trace's, line for line.
cat > "$tmp/sl.ini" <<'INI'
[disk]
preset = hdd-7200
phase = 0
[block]
nr_requests = 4
[fs]
type = ext2
block_size = 1024
free = 1000-1999
fragment = 1:1:1
[file.data]
size = 16K
layout = ext2-sequential
first_block = 1000
[task.reader]
file = data
ops = readpages 0-3
INI
"$mpsim" run -q --db "$tmp/sl.db" --trace "$tmp/sl.txt" "$tmp/sl.ini" \
	2>"$tmp/err"
grep -E '^[0-9]+ (plug|merge) ' "$tmp/sl.txt" |
	awk '{ print $1, $2, $4, $5, $6 }' >"$tmp/trace-notes"
q "$tmp/sl.db" "SELECT time_ns || ' ' || action || ' sector=' || sector ||
	' sectors=' || sectors || CASE action WHEN 'plug' THEN ' count='
	ELSE ' sectors_after=' END || value FROM event
	WHERE action IN ('plug', 'merge') ORDER BY seq" >"$tmp/view-notes"
check "sleeps for a request happen" \
	'[ "$(grep -c " sleeprq " "$tmp/sl.txt")" -gt 0 ]'
check "plugs after a sleep are stored, the others in bio rows" \
	'[ "$(q "$tmp/sl.db" "SELECT count(*) FROM event_stored
	   WHERE action = \"plug\"")" -gt 0 ] &&
	 [ "$(q "$tmp/sl.db" "SELECT count(*) FROM bio
	   WHERE plug_event IS NOT NULL")" -gt 0 ]'
check "the view's plugs and merges are the trace's" \
	'[ -s "$tmp/trace-notes" ] &&
	 cmp -s "$tmp/trace-notes" "$tmp/view-notes"'
check "the view has every seq once" \
	'[ "$(q "$tmp/sl.db" "SELECT count(*) = max(seq) AND
	   count(DISTINCT seq) = count(*) FROM event")" = 1 ]'

# A database whose event is a table (an older layout of version 2, every
# event stored, bios without the plug and merge columns): converted when
# a run is added (the table renamed event_stored, the columns added, NULL
# for the old bios), its events read back as they were; mpsim merge
# and mpsim report read such a database as it is.
cp "$tmp/ev.db" "$tmp/old.db"
q "$tmp/old.db" "CREATE TABLE e AS SELECT * FROM event;
	CREATE TABLE b AS SELECT run_id, seq, task, submit_ns, op, sector,
	 sectors, origin, file, pages, block, request_seq, complete_ns, error,
	 parent FROM bio;
	DROP VIEW run_summary; DROP VIEW bvec; DROP VIEW bvec_span;
	DROP VIEW event; DROP TABLE event_stored; DROP TABLE bio;
	CREATE TABLE event(run_id INTEGER NOT NULL, seq INTEGER NOT NULL,
	 time_ns INTEGER NOT NULL, action TEXT NOT NULL, task TEXT, file TEXT,
	 page INTEGER, block INTEGER, sector INTEGER, sectors INTEGER,
	 offset INTEGER, value INTEGER, reason TEXT, ra_start INTEGER,
	 ra_size INTEGER, ra_async_size INTEGER, ra_async INTEGER,
	 PRIMARY KEY(run_id, seq)) WITHOUT ROWID;
	INSERT INTO event SELECT * FROM e;
	CREATE TABLE bio(run_id INTEGER NOT NULL, seq INTEGER NOT NULL,
	 task TEXT, submit_ns INTEGER NOT NULL, op TEXT NOT NULL,
	 sector INTEGER, sectors INTEGER NOT NULL, origin TEXT NOT NULL,
	 file TEXT, pages TEXT, block INTEGER, request_seq INTEGER,
	 complete_ns INTEGER, error INTEGER, parent INTEGER,
	 PRIMARY KEY(run_id, seq)) WITHOUT ROWID;
	INSERT INTO bio SELECT * FROM b; DROP TABLE e; DROP TABLE b"
q "$tmp/ev.db" "SELECT * FROM event" >"$tmp/events-1"
cp "$tmp/old.db" "$tmp/old-kept.db"
"$mpsim" merge "$tmp/merged.db" "$tmp/old-kept.db" >/dev/null 2>"$tmp/err"
st=$?
check "merge reads an event table" \
	'[ $st -eq 0 ] && q "$tmp/merged.db" "SELECT * FROM event" |
	 cmp -s - "$tmp/events-1" &&
	 [ "$(q "$tmp/old-kept.db" "SELECT type FROM sqlite_master
	   WHERE name = \"event\"")" = table ]'
"$mpsim" report "$tmp/old-kept.db" >"$tmp/report-old" 2>"$tmp/err" &&
	"$mpsim" report "$tmp/ev.db" >"$tmp/report-new" 2>>"$tmp/err"
st=$?
check "report reads it as it is, and reads what it read from the new layout" \
	'[ $st -eq 0 ] && cmp -s "$tmp/report-old" "$tmp/report-new" &&
	 [ "$(q "$tmp/old-kept.db" "SELECT type FROM sqlite_master
	   WHERE name = \"event\"")" = table ]'
"$mpsim" run -q --db "$tmp/old.db" "$tmp/ev.ini" 2>"$tmp/err"
st=$?
check "a run on it succeeds" '[ $st -eq 0 ]'
check "its events read back as they were, the old bios' columns NULL" \
	'q "$tmp/old.db" "SELECT * FROM event WHERE run_id = 1" |
	 cmp -s - "$tmp/events-1" &&
	 [ "$(q "$tmp/old.db" "SELECT count(plug_event) + count(merge_event)
	   FROM bio WHERE run_id = 1")" = 0 ] &&
	 [ "$(q "$tmp/old.db" "SELECT type FROM sqlite_master
	   WHERE name = \"event\"")" = view ]'
check "the new run's events are the first run's" \
	'[ "$(q "$tmp/old.db" "SELECT group_concat(seq || action || time_ns,
	   \" \") FROM event WHERE run_id = 2")" = \
	   "$(q "$tmp/old.db" "SELECT group_concat(seq || action || time_ns,
	   \" \") FROM event WHERE run_id = 1")" ]'
check "the converted database passes integrity_check" \
	'[ "$(q "$tmp/old.db" "PRAGMA integrity_check")" = ok ]'

# An older layout that is not whole (a table missing), or a table of an
# older layout beside the one that holds its rows now: refused, naming
# what is wrong, before anything is converted; the file unchanged.
cp "$tmp/old-kept.db" "$tmp/part.db"
q "$tmp/part.db" "DROP VIEW request_extent; DROP TABLE extent"
cp "$tmp/part.db" "$tmp/part.copy"
"$mpsim" run -q --db "$tmp/part.db" "$tmp/ev.ini" 2>"$tmp/err"
st=$?
check "an older layout missing a table is refused, unchanged" \
	'[ $st -eq 1 ] && grep -q "no table extent" "$tmp/err" &&
	 cmp -s "$tmp/part.db" "$tmp/part.copy"'
cp "$tmp/old-kept.db" "$tmp/both.db"
q "$tmp/both.db" "CREATE TABLE event_stored AS SELECT * FROM event"
cp "$tmp/both.db" "$tmp/both.copy"
"$mpsim" run -q --db "$tmp/both.db" "$tmp/ev.ini" 2>"$tmp/err"
st=$?
"$mpsim" merge "$tmp/both-merged.db" "$tmp/both.db" 2>>"$tmp/err"
st2=$?
check "an event table beside event_stored is refused by run and merge" \
	'[ $st -eq 1 ] && [ $st2 -eq 1 ] &&
	 [ "$(grep -c "a table event beside event_stored" "$tmp/err")" = 2 ] &&
	 cmp -s "$tmp/both.db" "$tmp/both.copy" && [ ! -e "$tmp/both-merged.db" ]'
echo "1..$n"
