#!/bin/sh
# test-determinism-all.sh - every bundled scenario gives the same rows,
# run after run and build after build.
#
# Each scenarios/*.ini is run twice, into two fresh databases, and every
# table of each (whatever tables the schema has) is compared as the
# checksum of SELECT * ORDER BY every column: nothing is excluded, so a
# row holding anything host-dependent (a path, a clock, an address) fails.
# When $MPSIM_OTHER_BUILD names another build's mpsim (.ci/run builds one
# with CFLAGS=-O0 next to the normal -O2 build), a third run with it must
# give the same rows too; otherwise that point is skipped.  Prints TAP.
set -u
mpsim=${top_builddir:-.}/src/mpsim
other=${MPSIM_OTHER_BUILD:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# dump DB: one checksum line per table, in table order
dump() {
	for t in $(sqlite3 "$1" "SELECT name FROM sqlite_master WHERE
			type = 'table' ORDER BY name"); do
		ncol=$(sqlite3 "$1" "SELECT count(*) FROM pragma_table_info('$t')")
		order=$(seq -s, 1 "$ncol")
		rows=$(sqlite3 "$1" "SELECT count(*) FROM $t")
		sum=$(sqlite3 -separator '|' "$1" \
			"SELECT * FROM $t ORDER BY $order" | cksum)
		echo "$t $rows $sum"
	done
}

scen=$(ls "${top_srcdir:-.}"/scenarios/*.ini | sort)
echo "1..$(( $(echo "$scen" | wc -l) * 2 ))"
n=0
for f in $scen; do
	name=$(basename "$f" .ini)
	for k in 1 2; do
		"$mpsim" run -q --db "$tmp/$name-$k.db" "$f" >/dev/null \
			2>"$tmp/err-$k" </dev/null || echo "run $k failed" >>"$tmp/fail"
		dump "$tmp/$name-$k.db" >"$tmp/$name-$k.sums"
	done
	n=$((n + 1))
	if [ ! -s "$tmp/$name-1.sums" ] || [ -e "$tmp/fail" ]; then
		echo "not ok $n - $name: the run failed"
		cat "$tmp/err-1" "$tmp/err-2" | sed 's/^/# /'
		rm -f "$tmp/fail"
	elif cmp -s "$tmp/$name-1.sums" "$tmp/$name-2.sums"; then
		echo "ok $n - $name: two runs give identical rows ($(grep -c . \
			"$tmp/$name-1.sums") tables)"
	else
		echo "not ok $n - $name: two runs differ"
		diff "$tmp/$name-1.sums" "$tmp/$name-2.sums" | sed 's/^/# /'
	fi
	n=$((n + 1))
	if [ -z "$other" ]; then
		echo "ok $n # SKIP $name: no MPSIM_OTHER_BUILD to compare with"
		continue
	fi
	"$other" run -q --db "$tmp/$name-o.db" "$f" >/dev/null 2>&1 </dev/null
	dump "$tmp/$name-o.db" >"$tmp/$name-o.sums"
	if [ -s "$tmp/$name-o.sums" ] &&
	   cmp -s "$tmp/$name-1.sums" "$tmp/$name-o.sums"; then
		echo "ok $n - $name: the other build gives identical rows"
	else
		echo "not ok $n - $name: the other build differs"
		diff "$tmp/$name-1.sums" "$tmp/$name-o.sums" | sed 's/^/# /'
	fi
done
