#!/bin/bash
# test-gnuplot-quoting.sh - no string from a scenario or a database runs a
# command through gnuplot.  Prints TAP.
#
# gnuplot runs `text` inside double-quoted strings as a shell command, and
# a line break ends a command, so that what follows is read as one.  Each
# hostile string below would run `touch` (through a backquote, a
# system() call on a line of its own after a line break, or a macro) if
# it reached a script unquoted; each command names a file of its own in
# $pwn, and the test checks that none of them exists after `plot` and
# `compare --plot`, and that the plots were still drawn (21 pictures:
# 7 plots as PNG and SVG, each script run to the end) with the title as
# a single-quoted string.
#
# The strings come in through the scenario's file name (the run's
# `scenario`, in every title), a run's variant label (in every legend) and
# the scenario column of the database; they hold backquotes, $(...),
# both quotes, a line break, @ and \.
set -u
# bash for PIPESTATUS and ulimit -f; make may run tests with sh
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
mpsim="$(cd "${top_builddir:-.}" && pwd)/src/mpsim"
top_srcdir=$(cd "${top_srcdir:-.}" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pwn="$tmp/pwn"
mkdir "$pwn"
export PWN="$pwn"	# the commands name $PWN/...: file names hold no /
. "$top_srcdir/tests/tap.sh"
TAP_ERR="$tmp/err"
none_run() { [ -z "$(ls -A "$pwn")" ]; }
pictures() { [ "$(ls "$1"/*.png "$1"/*.svg 2>/dev/null | wc -l)" -eq 14 ]; }

if ! command -v gnuplot > /dev/null || ! command -v sqlite3 > /dev/null; then
	echo "1..0 # SKIP gnuplot not installed"
	exit 0
fi
echo "1..12"

cp "${top_srcdir:-.}/scenarios/ext2-boundary.ini" "$tmp/base.ini"
# a scenario whose file name carries every kind of hostile text
nl='
'
name='x`cd $PWN; touch name-bq`$(cd $PWN; touch name-dollar)'"'"'"@ARG0\'"${nl}"'system("cd $PWN; touch name-nl").ini'
cp "$tmp/base.ini" "$tmp/$name"
cd "$tmp" || exit 1

"$mpsim" run "$name" --db h.db -q --set fs.boundary=off 2> "$tmp/err" &&
	"$mpsim" run "$name" --db h.db -q 2>> "$tmp/err"
check "runs of a scenario with a hostile file name are saved" test $? -eq 0
# a hostile variant label, and a hostile scenario name, in the database
sqlite3 h.db "UPDATE run SET variant = 'fs.boundary=on\`touch $pwn/opt-bq\`\$(touch $pwn/opt-dollar)''\"@x\\${nl}system(\"touch $pwn/opt-nl\")${nl}' WHERE id = 2; UPDATE run SET scenario = 'y\`touch $pwn/scen-bq\`' || char(10) || 'system(\"touch $pwn/scen-nl\")' WHERE id = 1"

"$mpsim" plot h.db --out plots 2> "$tmp/err"
check "plot exits 0" test $? -eq 0
check "... and runs no command from the names or the database" none_run
check "... and draws all 14 pictures" pictures plots
# what the scripts must hold, worked out from the quoting rule: the
# string between single quotes, each ' doubled, each line break a space
title="set title 'y\`touch $pwn/scen-bq\` system(\"touch $pwn/scen-nl\"), x\`cd \$PWN; touch name-bq\`\$(cd \$PWN; touch name-dollar)''\"@ARG0\\ system(\"cd \$PWN; touch name-nl\"): dispatch sector against time'"
legend="title 'run 2: fs.boundary=on\`touch $pwn/opt-bq\`\$(touch $pwn/opt-dollar)''\"@x\\ system(\"touch $pwn/opt-nl\") '"
check "... with the title single-quoted, ' doubled, the line break blanked" \
	grep -qF "$title" plots/dispatch.gp
check "... and the legend too" grep -qF "$legend" plots/dispatch.gp
# data files: numbers, and comment lines written by mpsim
check "... and data files hold only numbers and comments" \
	test -e plots/dispatch-run1.dat -a -z "$(grep -hv '^#' plots/*.dat | grep '[^-0-9. e+]')"
check "... and no staging folder is left" \
	test -d plots -a -z "$(ls -A plots | grep '^\.')"

"$mpsim" compare "$name" --vary 'fs.boundary=on,off' --db c.db \
	--plot cplots > /dev/null 2> "$tmp/err"
check "compare --plot exits 0" test $? -eq 0
check "... and runs no command from the scenario's name" none_run
check "... and draws all 14 pictures" pictures cplots
# the same database, plotted by whoever receives it
sqlite3 c.db "UPDATE run SET variant = '\`touch $pwn/c-bq\`' WHERE id = 1"
"$mpsim" plot c.db --out cplots2 2> "$tmp/err" && none_run
check "a database from compare with a hostile value plots safely" test $? -eq 0
