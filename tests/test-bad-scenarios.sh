#!/bin/sh
# test-bad-scenarios.sh - every scenario in tests/bad/ is refused cleanly.
#
# Each file's first line is "# expect: FRAGMENT"; its lines "#set G.K=V"
# are passed as --set options.  For each file, `mpsim run` (under a 20 s
# hang guard) must exit with status 2, print exactly one line on standard
# error, naming the file and containing FRAGMENT, and write nothing: the
# --db file must not exist afterwards (load and build come before it is
# opened) or hold no run.  Prints TAP.
set -u
mpsim=${top_builddir:-.}/src/mpsim
bad=${top_srcdir:-.}/tests/bad
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

files=$(ls "$bad"/*.ini | sort)
n=$(echo "$files" | wc -l)
echo "1..$n"
i=0
for f in $files; do
	i=$((i + 1))
	name=$(basename "$f")
	expect=$(sed -n '1s/^# expect: //p' "$f")
	db="$tmp/$i.db"
	set --
	while IFS= read -r s; do
		set -- "$@" --set "$s"
	done <<-EOT
	$(sed -n 's/^#set //p' "$f")
	EOT
	[ "$#" -eq 2 ] && [ "$2" = "" ] && set --
	timeout 20 "$mpsim" run -q --db "$db" "$@" "$f" \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	why=""
	# (the sanitizer build's runtime warns about swapcontext on stderr)
	grep -v 'WARNING: ASan' "$tmp/err" >"$tmp/err1"
	mv "$tmp/err1" "$tmp/err"
	lines=$(wc -l <"$tmp/err")
	if [ -z "$expect" ]; then
		why="no '# expect:' first line"
	elif [ "$rc" -ne 2 ]; then
		why="exit status $rc, not 2"
	elif [ "$lines" -ne 1 ]; then
		why="$lines lines on stderr, not 1"
	elif ! grep -qF "$f" "$tmp/err"; then
		why="the message does not name the file"
	elif ! grep -qF -- "$expect" "$tmp/err"; then
		why="the message lacks '$expect'"
	elif [ -s "$tmp/out" ]; then
		why="something on stdout"
	elif [ -e "$db" ] && [ "$(sqlite3 "$db" \
		'SELECT count(*) FROM run' 2>/dev/null || echo 0)" != 0 ]; then
		why="a run was written"
	fi
	if [ -z "$why" ]; then
		echo "ok $i - $name"
	else
		echo "not ok $i - $name: $why"
		sed 's/^/# stderr: /' "$tmp/err"
	fi
done
