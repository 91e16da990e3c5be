#!/bin/sh
# test-analysis-results.sh - the committed tables in results/ are what a
# fresh run gives: each results/NAME.txt starts with the mpsim command
# that made it (run from the top of the source tree); run it again and
# compare every line.  Prints TAP.
set -u
mpsim="$(cd "$top_builddir" && pwd)/src/mpsim"
cd "$top_srcdir" || exit 1
n=0
for txt in results/*.txt; do
	[ -f "$txt" ] || continue
	cmd=$(sed -n '1s/^# mpsim //p' "$txt")
	n=$((n + 1))
	if [ -z "$cmd" ]; then
		echo "not ok $n - $txt: no command on its first line"
		continue
	fi
	# shellcheck disable=SC2086
	got=$("$mpsim" $cmd 2>/dev/null)
	want=$(sed 1d "$txt")
	if [ "$got" = "$want" ]; then
		echo "ok $n - $txt reproduced by: mpsim $cmd"
	else
		echo "not ok $n - $txt differs from: mpsim $cmd (run make results)"
		printf '%s\n' "$got" | sed 's/^/# got: /'
	fi
done
echo "1..$n"
