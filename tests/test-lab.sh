#!/bin/sh
# test-lab.sh - every scenario of scenarios/lab/ runs and shows the branch
# of fs/mpage.c it is there for (docs/mpage-lab.md).  Each scenario lists,
# in comments, the trace lines worked out by hand from the kernel code:
#
#   # expect: ACTION key=value ...        a line of ACTION with these
#                                         fields, after the line the
#                                         previous expect matched
#   # expect-none: ACTION key=value ...   no such line anywhere
#   # expect-count: N ACTION key=value ... exactly N such lines
#
# Prints TAP: one test per scenario run, one per expect line.  LAB_DIR
# runs the scenarios of another folder instead.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
mpsim=$top_builddir/src/mpsim
dir=${LAB_DIR:-$top_srcdir/scenarios/lab}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mpsim-lab.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

n=0
result() { # status, description
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

# The numbered trace lines (N<TAB>line ) that have ACTION and each field.
matching() { # trace, action, fields...
	t=$1; a=$2; shift 2
	sed 's/$/ /' "$t" | grep -nF " $a " | sed 's/:/\t/' > "$tmp/m"
	for f in "$@"; do
		grep -F " $f " "$tmp/m" > "$tmp/m2"
		mv "$tmp/m2" "$tmp/m"
	done
	cat "$tmp/m"
}

total=0
for f in "$dir"/*.ini; do
	total=$((total + 1 + $(grep -c '^# expect' "$f")))
done
echo "1..$total"

for f in "$dir"/*.ini; do
	b=$(basename "$f" .ini)
	trace=$tmp/$b.txt
	"$mpsim" run "$f" --no-db -q --trace="$trace" >/dev/null 2>&1
	result $? "$b runs"
	after=0
	grep '^# expect' "$f" | while read -r hash kind rest; do
		case $kind in
		expect:)
			line=$(matching "$trace" $rest |
			       awk -F'\t' -v a="$after" '$1 > a { print $1; exit }')
			if [ -n "$line" ]; then after=$line; s=0; else s=1; fi
			result $s "$b: $rest" ;;
		expect-none:)
			[ -z "$(matching "$trace" $rest)" ]
			result $? "$b: no $rest" ;;
		expect-count:)
			want=${rest%% *}
			got=$(matching "$trace" ${rest#* } | wc -l)
			[ "$got" -eq "$want" ]
			result $? "$b: $want x ${rest#* } (got $got)" ;;
		*)
			result 1 "$b: unknown $kind" ;;
		esac
	done
	n=$((n + $(grep -c '^# expect' "$f")))
done
