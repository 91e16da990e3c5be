#!/bin/sh
# test-doc-examples.sh - every example in README.md and docs/*.md that
# shows what mpsim prints is run, and its output compared with the text;
# prints TAP, one point per example.
#
# An example is an indented block (four spaces; blank lines inside it
# belong to it) right after a line
#     <!-- checked example -->
# holding commands ("$ " lines, continued by a trailing backslash or
# pipe) each
# followed by the lines it prints on standard output (what it prints on
# standard error is not compared: write 2>&1 to show it).  A line "..."
# stands for any number of lines.  The commands of a block run in order in a fresh folder, where
# `mpsim` and `src/mpsim` are the program just built and `scenarios/` the
# bundled scenarios, so one command may use what an earlier one wrote.
set -u
mpsim="$(cd "$top_builddir" && pwd)/src/mpsim"
src="$(cd "$top_srcdir" && pwd)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$src/tests/tap.sh"

# One record a line: "B FILE:LINE" starts an example, "C command", "O line".
extract() {
	awk '
	FNR == 1 { state = 0 }
	/^<!-- checked example -->$/ { state = 1; start = FNR + 1; next }
	state == 1 && /^$/ { next }
	state == 1 && /^    / { print "B " FILENAME ":" start; state = 2 }
	state == 1 { state = 0; next }
	state == 2 && /^$/ { blanks++; next }
	state == 2 && !/^    / { state = 0; blanks = 0; next }
	state == 2 {
		for (; blanks > 0; blanks--) print "O "
		line = substr($0, 5)
		if (cont) { sub(/^ +/, "", line); cmd = cmd " " line }
		else if (line ~ /^\$ /) { cmd = substr(line, 3) }
		else { print "O " line; next }
		# a trailing backslash or pipe continues the command
		cont = cmd ~ /(\\|\|)$/
		if (cmd ~ /\\$/) sub(/ *\\$/, "", cmd)
		if (!cont) print "C " cmd
	}' "$@"
}

# Does the output $1 match the expected lines $2, "..." matching any run?
matches() {
	awk -v want="$2" '
	BEGIN { m = split(want, e, "\n") }
	{ sub(/[ \t]+$/, ""); a[++n] = $0 }
	END {
		i = 1; j = 1
		while (i <= m) {
			sub(/[ \t]+$/, "", e[i])
			if (e[i] == "...") {
				if (i == m) exit 0
				while (j <= n && a[j] != e[i + 1]) j++
				if (j > n) exit 1
				i++
				continue
			}
			if (j > n || a[j] != e[i]) exit 1
			i++; j++
		}
		exit j <= n
	}' "$1"
}

# Run the commands of the example in folder $1 from the records in $2.
run_example() {
	dir=$1
	mkdir -p "$dir/bin" "$dir/src"
	ln -s "$mpsim" "$dir/bin/mpsim"
	ln -s "$mpsim" "$dir/src/mpsim"
	ln -s "$src/scenarios" "$dir/scenarios"
	result=0
	cmd="" want=""
	while IFS= read -r line; do
		case "$line" in
		"C "*)
			[ -n "$cmd" ] && { check_one || result=1; }
			cmd=${line#C }
			want=""
			;;
		"O "*)
			want="$want${want:+
}${line#O }"
			;;
		esac
	done < "$2"
	[ -n "$cmd" ] && { check_one || result=1; }
	return $result
}

check_one() {
	(cd "$dir" && PATH="$dir/bin:$PATH" MPSIM_DATADIR= sh -c "$cmd") \
		> "$dir/out" 2> "$dir/err"
	if matches "$dir/out" "$want"; then
		return 0
	fi
	echo "# \$ $cmd"
	printf '%s\n' "$want" | sed 's/^/# expected: /'
	sed 's/^/# got:      /' "$dir/out"
	sed 's/^/# stderr:   /' "$dir/err"
	return 1
}

cd "$src" || exit 1
extract README.md docs/*.md > "$tmp/records"
k=0
while IFS= read -r rec; do
	case "$rec" in
	"B "*)
		next=${rec#B }
		[ $k -gt 0 ] && {
			run_example "$tmp/ex$k" "$tmp/ex$k.rec" &&
				ok "$where" || nok "$where"
		}
		k=$((k + 1))
		where=$next
		: > "$tmp/ex$k.rec"
		;;
	*) printf '%s\n' "$rec" >> "$tmp/ex$k.rec" ;;
	esac
done < "$tmp/records"
[ $k -gt 0 ] && {
	run_example "$tmp/ex$k" "$tmp/ex$k.rec" && ok "$where" || nok "$where"
}
check "at least one checked example in the docs" test $k -gt 0
tap_done
