#!/bin/sh
# test-bvec.sh - the database's bvec table: each bio's vectors (page,
# offset, length), a partial last page included (the table added to a
# version-1 database: tests/test-schema-upgrade.sh).  Prints TAP.
top_builddir=${top_builddir:-.}
mpsim="$top_builddir/src/mpsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mpsim-bvec.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

echo "1..2"

if ! command -v sqlite3 >/dev/null 2>&1; then
	for i in 1 2; do echo "ok $i # SKIP sqlite3 not installed"; done
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

