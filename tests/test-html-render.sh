#!/bin/sh
# test-html-render.sh - a browser draws the HTML page of `mpsim report
# --format html`: where Chromium is installed, it renders the page
# headless (offline: the page loads nothing) to a PNG, which must be a
# whole picture of a page that is not blank.  Prints TAP; skips where
# chromium or gnuplot is missing.
. "${top_srcdir:-.}/tests/tap-db.sh"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ] || ! command -v gnuplot > /dev/null; then
	echo "1..0 # SKIP chromium or gnuplot not installed"
	exit 0
fi

"$mpsim" compare "$top/scenarios/ext2-boundary.ini" --vary fs.boundary=on,off \
	--set disk.phase=0 --db "$tmp/runs.db" > /dev/null 2> "$tmp/err" &&
	"$mpsim" report "$tmp/runs.db" --format html --out "$tmp/page" \
	2> "$tmp/err"
rc=$?
check "the page is written" '[ $rc -eq 0 ] && [ -s "$tmp/page/runs.html" ]'
HOME=$tmp timeout 120 "$browser" --headless --disable-gpu --no-sandbox \
	--no-first-run --window-size=1200,4000 \
	--screenshot="$tmp/page.png" "file://$tmp/page/runs.html" \
	> "$tmp/err" 2>&1
rc=$?
check "chromium renders it headless" '[ $rc -eq 0 ] && [ -s "$tmp/page.png" ]'
check "... to a whole PNG" \
	'[ "$(head -c 8 "$tmp/page.png" | od -An -tx1 | tr -d " \n")" = 89504e470d0a1a0a ] &&
	 [ "$(tail -c 8 "$tmp/page.png" | od -An -tx1 | tr -d " \n")" = 49454e44ae426082 ]'
# a blank 1200x4000 page compresses to a few KiB; tables and plots do not
check "... of a page that is not blank" \
	'[ "$(wc -c < "$tmp/page.png")" -gt 20000 ]'

echo "1..$n"
