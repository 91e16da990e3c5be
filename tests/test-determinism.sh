#!/bin/sh
# test-determinism.sh - the same scenario run twice by `mpsim run --db`
# gives the same bio and request rows (every column but run_id), and the
# same text trace.  Prints TAP.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
mpsim="$top_builddir/src/mpsim"
scen="$top_srcdir/scenarios/ext2-boundary.ini"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mpsim-det.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

echo "1..4"

if ! command -v sqlite3 >/dev/null 2>&1; then
	for i in 1 2 3 4; do echo "ok $i # SKIP sqlite3 not installed"; done
	exit 0
fi

ok=true
for n in 1 2; do
	"$mpsim" run -q --db "$tmp/run.db" --trace "$tmp/trace$n" \
		--set disk.preset=simple "$scen" || ok=false
done
if $ok; then echo "ok 1 - two runs"; else echo "not ok 1 - two runs"; fi

# The rows of run N of a table, without run_id, in seq order.
rows() {
	cols=$(sqlite3 "$tmp/run.db" "SELECT group_concat(name, ',') FROM
		pragma_table_info('$1') WHERE name != 'run_id'")
	sqlite3 "$tmp/run.db" "SELECT $cols FROM $1 WHERE run_id = $2
		ORDER BY seq"
}

# The example sends 3 bios (meta 24+2, data 0+24 and 26+8): rows exist.
nbio=$(sqlite3 "$tmp/run.db" "SELECT count(*) FROM bio WHERE run_id = 1")
if [ "$nbio" = 3 ] && [ "$(rows bio 1)" = "$(rows bio 2)" ]; then
	echo "ok 2 - identical bio rows"
else
	echo "not ok 2 - identical bio rows ($nbio bios in run 1)"
fi
nrq=$(sqlite3 "$tmp/run.db" "SELECT count(*) FROM request WHERE run_id = 1")
if [ "$nrq" -gt 0 ] && [ "$(rows request 1)" = "$(rows request 2)" ]; then
	echo "ok 3 - identical request rows"
else
	echo "not ok 3 - identical request rows"
fi
if [ -s "$tmp/trace1" ] && cmp -s "$tmp/trace1" "$tmp/trace2"; then
	echo "ok 4 - identical trace"
else
	echo "not ok 4 - identical trace"
fi
