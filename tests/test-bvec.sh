#!/bin/sh
# test-bvec.sh - the database's bvec view: each bio's vectors (page,
# offset, length), a partial last page included, as spans of
# consecutive pages (the bvec_span view), stored (bvec_stored) only when
# the bio row does not imply them; databases of the older layouts (a
# bvec table of one row a vector, a bvec_span table) converted (the
# table added to a version-1 database: tests/test-schema-upgrade.sh).
# Prints TAP.
top_builddir=${top_builddir:-.}
mpsim="$top_builddir/src/mpsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mpsim-bvec.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

echo "1..7"

if ! command -v sqlite3 >/dev/null 2>&1; then
	for i in 1 2 3 4 5 6 7; do echo "ok $i # SKIP sqlite3 not installed"; done
	exit 0
fi

# 1 KiB blocks, file blocks 0-5 on disk 100-105, i_size 5220: readpages
# 0-1.  Page 0: get_block(0) asks for min(0 + 2 * 4, 6) = 6 blocks and
# maps 100-105; page 0 goes whole into a bio at sector 200.  Page 1
# reuses 104-105, then block 6 is not below last_block (6): a hole,
# first_hole = 2, the page tail zeroed; the page goes in with
# first_hole << 10 = 2048 bytes and the bio is sent at once: one bio of
# 12 sectors, vectors (page 0, 0, 4096) and (page 1, 0, 2048).
cat > "$tmp/eof.ini" <<'INI'
[fs]
block_size = 1024
[disk]
preset = simple
[file.a]
size = 5220
extents = 0-5:100
[task.t]
file = a
ops = readpages 0-1
INI

want="1|0|0|0|4096
1|1|1|0|2048"
"$mpsim" run -q --db "$tmp/run.db" "$tmp/eof.ini"
got=$(sqlite3 "$tmp/run.db" "SELECT bio_seq, idx, page, offset, len
	FROM bvec WHERE run_id = 1 ORDER BY bio_seq, idx")
if [ "$got" = "$want" ]; then
	echo "ok 1 - vectors of a bio with a partial last page"
else
	echo "not ok 1 - vectors of a bio with a partial last page"
	printf '# got:\n%s\n' "$got" | sed 's/^/# /'
fi

# The bio row agrees: 12 sectors from 200, pages 0-1.
got=$(sqlite3 "$tmp/run.db" "SELECT sector, sectors, pages FROM bio
	WHERE run_id = 1")
if [ "$got" = "200|12|0-1" ]; then
	echo "ok 2 - the bio row"
else
	echo "not ok 2 - the bio row: $got"
fi

# The two vectors of that bio differ in length: two spans of one, both
# stored (a partial page is not what the bio row says).
got=$(sqlite3 "$tmp/run.db" "SELECT idx, page, offset, len, n FROM bvec_span
	WHERE run_id = 1 ORDER BY bio_seq, idx" | tr '\n' ' ')
got="$got$(sqlite3 "$tmp/run.db" "SELECT count(*) FROM bvec_stored")"
if [ "$got" = "0|0|0|4096|1 1|1|0|2048|1 2" ]; then
	echo "ok 3 - a span a run of like vectors"
else
	echo "not ok 3 - a span a run of like vectors: $got"
fi

# 4 KiB blocks, file blocks 0-3 on disk 100-103, 4 pages: readpages 0-3
# maps the four pages in one get_block call and builds one bio of
# 4 * 8 = 32 sectors from sector 800, vectors (page p, 0, 4096) for
# p = 0..3: one span (page 0, n 4), and four rows in the view, in order;
# the bio row says it all (pages 0-3, 32 = 4 * 8 sectors): no row stored.
cat > "$tmp/seq.ini" <<'INI'
[fs]
block_size = 4096
[disk]
preset = simple
[file.a]
size = 16K
extents = 0-3:100
[task.t]
file = a
ops = readpages 0-3
INI
"$mpsim" run -q --db "$tmp/seq.db" "$tmp/seq.ini"
got=$(sqlite3 "$tmp/seq.db" "SELECT (SELECT group_concat(idx || ':' ||
	page || ':' || offset || ':' || len, ' ') FROM bvec),
	(SELECT group_concat(idx || ':' || page || ':' || n, ' ')
	 FROM bvec_span), (SELECT sector || '+' || sectors FROM bio),
	(SELECT count(*) FROM bvec_stored)")
if [ "$got" = "0:0:0:4096 1:1:0:4096 2:2:0:4096 3:3:0:4096|0:0:4|800+32|0" ]; then
	echo "ok 4 - whole pages: one span, a row a vector in the view"
else
	echo "not ok 4 - whole pages: one span, a row a vector in the view: $got"
fi

# A database whose bvec is a table of one row a vector (as mpsim wrote
# before the spans) has its rows moved into bvec_stored as spans of one
# when opened; the view then gives them back as they were, and the next
# run's vectors are implied by its bio row (none stored).
sqlite3 "$tmp/seq.db" "CREATE TABLE old AS SELECT * FROM bvec;
	DROP VIEW bvec; DROP VIEW bvec_span; DROP TABLE bvec_stored;
	CREATE TABLE bvec(run_id INTEGER NOT NULL,
	 bio_seq INTEGER NOT NULL, idx INTEGER NOT NULL, page INTEGER,
	 offset INTEGER NOT NULL, len INTEGER NOT NULL,
	 PRIMARY KEY(run_id, bio_seq, idx)) WITHOUT ROWID;
	INSERT INTO bvec SELECT * FROM old; DROP TABLE old"
"$mpsim" run -q --db "$tmp/seq.db" "$tmp/seq.ini"
got=$(sqlite3 "$tmp/seq.db" "SELECT (SELECT type FROM sqlite_master
	WHERE name = 'bvec'), (SELECT count(*) FROM bvec_stored WHERE run_id = 1),
	(SELECT count(*) FROM bvec_stored WHERE run_id = 2),
	(SELECT group_concat(run_id || ':' || idx || ':' || page, ' ')
	 FROM bvec)")
if [ "$got" = "view|4|0|1:0:0 1:1:1 1:2:2 1:3:3 2:0:0 2:1:1 2:2:2 2:3:3" ]; then
	echo "ok 5 - a bvec table converted to spans"
else
	echo "not ok 5 - a bvec table converted to spans: $got"
fi

# A database whose bvec_span is a table holding every span (as mpsim
# wrote before bvec_stored): the eof run's two spans and the seq run's
# one span (page 0, n 4) are all kept in bvec_stored, bvec_span becomes
# the view, and both runs read back as they were; a new seq run stores
# nothing.
"$mpsim" run -q --db "$tmp/span.db" "$tmp/eof.ini"
"$mpsim" run -q --db "$tmp/span.db" "$tmp/seq.ini"
sqlite3 "$tmp/span.db" "CREATE TABLE old AS SELECT * FROM bvec_span;
	DROP VIEW bvec; DROP VIEW bvec_span; DROP TABLE bvec_stored;
	CREATE TABLE bvec_span(run_id INTEGER NOT NULL,
	 bio_seq INTEGER NOT NULL, idx INTEGER NOT NULL, page INTEGER,
	 offset INTEGER NOT NULL, len INTEGER NOT NULL, n INTEGER NOT NULL,
	 PRIMARY KEY(run_id, bio_seq, idx)) WITHOUT ROWID;
	INSERT INTO bvec_span SELECT * FROM old; DROP TABLE old"
cp "$tmp/span.db" "$tmp/old-span.db"
"$mpsim" run -q --db "$tmp/span.db" "$tmp/seq.ini"
got=$(sqlite3 "$tmp/span.db" "SELECT (SELECT type FROM sqlite_master
	WHERE name = 'bvec_span'),
	(SELECT group_concat(run_id || ':' || idx || ':' || page || ':' ||
	 len || ':' || n, ' ') FROM bvec_stored),
	(SELECT group_concat(run_id || ':' || idx || ':' || page || ':' ||
	 len || ':' || n, ' ') FROM bvec_span)")
if [ "$got" = "view|1:0:0:4096:1 1:1:1:2048:1 2:0:0:4096:4|1:0:0:4096:1 1:1:1:2048:1 2:0:0:4096:4 3:0:0:4096:4" ]; then
	echo "ok 6 - a bvec_span table converted"
else
	echo "not ok 6 - a bvec_span table converted: $got"
fi

# mpsim merge reads a source of that older layout as it is (opened
# read-only) and stores its spans: the merged database reads the same
# vectors as the converted one, runs 1 and 2.
"$mpsim" merge "$tmp/merged.db" "$tmp/old-span.db" >/dev/null
a=$(sqlite3 "$tmp/span.db" "SELECT group_concat(run_id || ':' || bio_seq ||
	':' || idx || ':' || page || ':' || offset || ':' || len, ' ') FROM bvec
	WHERE run_id < 3")
b=$(sqlite3 "$tmp/merged.db" "SELECT group_concat(run_id || ':' || bio_seq ||
	':' || idx || ':' || page || ':' || offset || ':' || len, ' ') FROM bvec")
if [ "$a" = "1:1:0:0:0:4096 1:1:1:1:0:2048 2:1:0:0:0:4096 2:1:1:1:0:4096 2:1:2:2:0:4096 2:1:3:3:0:4096" ] &&
   [ "$a" = "$b" ] &&
   [ "$(sqlite3 "$tmp/old-span.db" "SELECT type FROM sqlite_master
	WHERE name = 'bvec_span'")" = table ]; then
	echo "ok 7 - merge reads a bvec_span table"
else
	echo "not ok 7 - merge reads a bvec_span table: '$a' / '$b'"
fi
