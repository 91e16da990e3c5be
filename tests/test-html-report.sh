#!/bin/sh
# test-html-report.sh - the HTML page of `mpsim report --format html` and
# `mpsim compare --html`: one file DIR/NAME.html that python3's
# html.parser reads, with the settings (the option that differs marked),
# the figures of the text report, the statistics with replications, and
# every plot inline as SVG (7 per-run plots; 9 with the experiment's);
# names from a scenario or a database escaped, the page valid UTF-8.
# Prints TAP.
#
# The runs: scenarios/ext2-boundary.ini, fs.boundary on and off at
# platter phase 0: requests 2 and 3, seeks 0 and 2 (docs/analysis.md).
. "${top_srcdir:-.}/tests/tap-db.sh"

if ! command -v gnuplot > /dev/null || ! command -v python3 > /dev/null; then
	echo "1..0 # SKIP gnuplot or python3 not installed"
	exit 0
fi

# parse FILE: python3's html.parser over the page (read as strict UTF-8);
# prints "svg=N script=N" then each table row as cells joined by |
cat > "$tmp/parse.py" <<'EOT'
import sys
from html.parser import HTMLParser

class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.count = {}
        self.rows = []
        self.row = None
        self.cell = None
        self.stack = []

    def handle_starttag(self, tag, attrs):
        self.count[tag] = self.count.get(tag, 0) + 1
        if tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append("|".join(self.row))
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data

with open(sys.argv[1], encoding="utf-8", errors="strict") as f:
    text = f.read()
p = Page()
p.feed(text)
p.close()
print("svg=%d script=%d figure=%d b=%d i=%d" % (p.count.get("svg", 0),
      p.count.get("script", 0), p.count.get("figure", 0),
      p.count.get("b", 0), p.count.get("i", 0)))
for r in p.rows:
    print(r)
EOT
parse() { python3 "$tmp/parse.py" "$1"; }
# the plots are drawn in a temporary folder, removed afterwards
mkdir "$tmp/tt"
TMPDIR="$tmp/tt"
export TMPDIR

"$mpsim" compare "$top/scenarios/ext2-boundary.ini" --vary fs.boundary=on,off \
	--set disk.phase=0 --db "$tmp/runs.db" > /dev/null 2> "$tmp/err"
"$mpsim" report "$tmp/runs.db" --format html --out "$tmp/page" 2> "$tmp/err"
rc=$?
check "report --format html exits 0" '[ $rc -eq 0 ]'
check "... writes DIR/NAME.html (NAME: the database without .db), alone" \
	'[ "$(ls -A "$tmp/page")" = runs.html ]'
parse "$tmp/page/runs.html" > "$tmp/parsed" 2> "$tmp/err"
rc=$?
check "python3's html.parser reads it as UTF-8" '[ $rc -eq 0 ]'
check "... 7 plots inline as SVG, no script" \
	'[ "$(head -1 "$tmp/parsed")" = "svg=7 script=0 figure=7 b=0 i=0" ]'
check "... the figures: requests 2 and 3, seeks 0 and 2" \
	'grep -qx "requests|2|3" "$tmp/parsed" && grep -qx "seeks|0|2" "$tmp/parsed"'
check "... the dispatch order, the divergence at request 1 (0 against 24)" \
	'grep -qx "request 1 (the runs diverge here)|0|24" "$tmp/parsed"'
check "... the settings: fs.boundary on and off, marked as differing" \
	'grep -q "<tr class=\"differs\"><td>fs.boundary</td><td>on</td><td>off</td></tr>" \
	 "$tmp/page/runs.html"'
check "... and fs.block_size the same in both" \
	'grep -qx "fs.block_size|1024|1024" "$tmp/parsed"'
check "no temporary folder is left" '[ -z "$(ls -A "$TMPDIR")" ]'
check "each picture's ids are its own (no id twice in the page)" \
	'[ -z "$(grep -o " id=[\"'\''][^\"'\'']*" "$tmp/page/runs.html" | sort | uniq -d)" ]'

"$mpsim" report "$tmp/runs.db" --format html 2> "$tmp/err"
rc=$?
check "--format html without --out exits 2" '[ $rc -eq 2 ]'
: > "$tmp/file"
"$mpsim" report "$tmp/runs.db" --format html --out "$tmp/file" 2> "$tmp/err"
rc=$?
check "--out FILE (not a folder) is refused (exit 2), FILE untouched" \
	'[ $rc -eq 2 ] && [ ! -s "$tmp/file" ]'
mkdir "$tmp/in"
ln -s "$tmp/runs.db" "$tmp/in/runs.html"
"$mpsim" report "$tmp/runs.db" --format html --out "$tmp/in" 2> "$tmp/err"
rc=$?
check "a page that would replace the database is refused (exit 2)" \
	'[ $rc -eq 2 ] && [ -L "$tmp/in/runs.html" ] &&
	 [ "$(q "$tmp/runs.db" "SELECT count(*) FROM run")" -eq 2 ]'

# hostile names: a database file name, a variant label and a scenario
# name with markup, & and quotes; a label that is not UTF-8
hostile='h<b>x&amp;"'"'"'<script>alert(1)<script>'	# no / in a file name
cp "$tmp/runs.db" "$tmp/$hostile.db"
sqlite3 "$tmp/$hostile.db" "UPDATE run SET variant = '<b>v</b>&<script>x()</script>\"''' WHERE id = 1;
	UPDATE run SET scenario = '<i>s</i>&' WHERE id = 2;
	UPDATE run SET variant = CAST(X'ff3cb3' AS TEXT) WHERE id = 2"
"$mpsim" report "$tmp/$hostile.db" --format html --out "$tmp/h" 2> "$tmp/err"
rc=$?
check "report of a database with hostile names exits 0" '[ $rc -eq 0 ]'
parse "$tmp/h/$hostile.html" > "$tmp/parsed" 2> "$tmp/err"
rc=$?
check "... its page is valid UTF-8 and parses" '[ $rc -eq 0 ]'
check "... with no markup from the names: no <b>, <i> or <script>" \
	'[ "$(head -1 "$tmp/parsed")" = "svg=7 script=0 figure=7 b=0 i=0" ]'
check "... the names shown escaped, as text" \
	'grep -qF "<p>Scenario <code>&lt;i&gt;s&lt;/i&gt;&amp;</code>" "$tmp/h/$hostile.html" &&
	 grep -qF "<h1>h&lt;b&gt;x&amp;amp;&quot;&#39;&lt;script&gt;alert(1)&lt;script&gt;</h1>" "$tmp/h/$hostile.html" &&
	 grep -qF "<th>run 1: &lt;b&gt;v&lt;/b&gt;&amp;&lt;script&gt;x()&lt;/script&gt;&quot;&#39;</th>" "$tmp/h/$hostile.html"'

# compare --html with replications: the statistics and the experiment's plots
"$mpsim" compare "$top/scenarios/ext2-boundary.ini" --vary fs.boundary=on,off \
	--replications 3 --html "$tmp/c" > "$tmp/out" 2> "$tmp/err"
rc=$?
check "compare --html exits 0 and writes DIR/ext2-boundary.html" \
	'[ $rc -eq 0 ] && [ "$(ls -A "$tmp/c")" = ext2-boundary.html ]'
parse "$tmp/c/ext2-boundary.html" > "$tmp/parsed" 2> "$tmp/err"
check "... 9 plots inline (elapsed-cdf and paired-diff among them)" \
	'[ "$(head -1 "$tmp/parsed")" = "svg=9 script=0 figure=9 b=0 i=0" ] &&
	 grep -q "<figure id=\"paired-diff\">" "$tmp/c/ext2-boundary.html"'
check "... the statistics: 3 runs a variant, the paired difference" \
	'grep -q "fs.boundary=off (3 runs)</h3>" "$tmp/c/ext2-boundary.html" &&
	 grep -q "^fs.boundary=off|.*|3 of 3$" "$tmp/parsed"'
"$mpsim" compare "$top/scenarios/ext2-boundary.ini" --vary fs.boundary=on,off \
	--db "$tmp/c2.db" --html "$tmp/c2" > /dev/null 2> "$tmp/err"
ln -sf "$tmp/c2.db" "$tmp/c2/ext2-boundary.html"
"$mpsim" compare "$top/scenarios/ext2-boundary.ini" --vary fs.boundary=on,off \
	--db "$tmp/c2.db" --html "$tmp/c2" > /dev/null 2> "$tmp/err"
rc=$?
check "compare --html onto its --db is refused before running (exit 2)" \
	'[ $rc -eq 2 ] && [ -L "$tmp/c2/ext2-boundary.html" ]'

echo "1..$n"
