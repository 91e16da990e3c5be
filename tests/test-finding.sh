#!/bin/sh
# test-finding.sh - finding one's way: bundled scenarios by name from the
# build tree, `mpsim list`, `mpsim keys`, unit suffixes, `mpsim layout` and
# the extent table, disk.preset in run_option, --help texts; prints TAP.
set -u
mpsim="$(cd "$top_builddir" && pwd)/src/mpsim"
src="$(cd "$top_srcdir" && pwd)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$src/tests/tap.sh"
unset MPSIM_DATADIR

# ---- bundled scenarios by name, from the build tree ----
# From a folder with no scenarios in it, the built (not installed) program
# finds ext2-boundary in the source tree's scenarios/.
cd "$tmp" || exit 1
out=$("$mpsim" run ext2-boundary --no-db --set disk.phase=0 2>/dev/null)
check "run NAME from the build tree" \
	test "$out" = "ext2-boundary: 3 bios, 2 requests, finished at 8.563535 ms"
out=$("$mpsim" run ext2-boundary.ini --no-db --set disk.phase=0 2>/dev/null)
check "run NAME.ini from the build tree" \
	test "$out" = "ext2-boundary: 3 bios, 2 requests, finished at 8.563535 ms"
"$mpsim" run no-such-scenario --no-db >"$tmp/out" 2>"$tmp/err"
expect "unknown name exits 2" 2 $?
check "unknown name lists where it looked" \
	grep -q "no-such-scenario: no such file, and no bundled scenario of that name (looked in $src/scenarios, " "$tmp/err"
# a name never climbs out of the scenario folders
"$mpsim" run ../scenarios/ext2-boundary --no-db >/dev/null 2>"$tmp/err"
expect "a name with .. is not looked up" 2 $?
# MPSIM_DATADIR comes first
mkdir -p "$tmp/data/scenarios"
sed 's/^description = .*/description = my own/' \
	"$src/scenarios/ext2-boundary.ini" >"$tmp/data/scenarios/ext2-boundary.ini"
out=$(MPSIM_DATADIR="$tmp/data" "$mpsim" list)
expect "MPSIM_DATADIR comes first" "ext2-boundary  my own" "$out"

# ---- mpsim list ----
"$mpsim" list >"$tmp/list"
desc=$(sed -n 's/^description = //p' "$src/scenarios/ext2-boundary.ini")
check "list shows ext2-boundary with its description" \
	grep -q "^ext2-boundary  *$desc\$" "$tmp/list"
expect "list has one line per bundled scenario" \
	"$(find "$src/scenarios" -maxdepth 2 -name '*.ini' | wc -l | tr -d ' ')" \
	"$(wc -l <"$tmp/list" | tr -d ' ')"
check "list names a scenario of a subfolder as SUB/NAME" \
	grep -q '^lab/read-boundary ' "$tmp/list"
"$mpsim" list --paths | grep -q "^ext2-boundary  *$src/scenarios/ext2-boundary.ini\$"
check "list --paths names the file" test $? -eq 0

# ---- mpsim keys ----
"$mpsim" keys >"$tmp/keys"
for g in scenario disk fs block block.cfq fault readahead writeback kernel cache \
	file.NAME page.FILE.INDEX task.NAME; do
	grep -q "^\[$g\]\$" "$tmp/keys" || { nok "keys lists [$g]"; continue; }
	ok "keys lists [$g]"
done
check "keys: read_expire's bare unit is ms, marked" \
	grep -Eq '^  read_expire +duration +ms\* +500ms ' "$tmp/keys"
check "keys: sleep-like durations in ns are not marked" \
	grep -Eq '^  start +duration +ns +0 ' "$tmp/keys"
check "keys: the default preset's value, and the others" \
	grep -Eq '^  rpm +number +rev/min +7200 ' "$tmp/keys"
check "keys: per-preset defaults where they differ" \
	grep -Eq 'other presets: hdd-15k=15000, hp-c2247=5400, ssd=-, ramdisk=-, simple=-$' "$tmp/keys"
out=$("$mpsim" keys --names fs | tr '\n' ' ')
expect "keys --names fs" "fs.type fs.block_size fs.boundary fs.cached_blocks fs.free fs.fragment fs.nobh fs.metadata_writes " "$out"
check "keys file: the [file.NAME] group" \
	sh -c "'$mpsim' keys file | grep -q '^\[file.NAME\]'"
"$mpsim" keys writebak >/dev/null 2>"$tmp/err"
expect "keys: unknown group exits 2" 2 $?
check "keys: did you mean writeback" grep -q 'did you mean writeback?' "$tmp/err"

# Every key the catalogue lists for a group the loader checks is read by
# the loader: given a value no key accepts, the load names that key.
"$mpsim" keys --names >"$tmp/names"
cat >"$tmp/base.ini" <<'INI'
[disk]
preset = simple
[file.f]
size = 4K
[task.t]
file = f
ops = readpage 0
INI
bad=""
while read -r full; do
	case "$full" in
	scenario.description|file.NAME.image|file.NAME.path|disk.*|block.*|fault.*|\
	task.NAME.file|page.*) continue ;;	# text, or checked elsewhere
	esac
	k=$(echo "$full" | sed 's/^file\.NAME/file.f/; s/^task\.NAME/task.t/')
	"$mpsim" run "$tmp/base.ini" --no-db --set "$k=@bad@" >/dev/null \
		2>"$tmp/err"
	key=${k##*.}
	grep -q "\] $key: " "$tmp/err" || bad="$bad $k"
done <"$tmp/names"
expect "the loader reads every listed key" "" "$bad"

# ---- unknown keys: did you mean ----
"$mpsim" run "$tmp/base.ini" --no-db --set fs.boundry=off >/dev/null 2>"$tmp/err"
check "unknown key: did you mean" \
	grep -q '\[fs\] boundry: unknown key (did you mean boundary?); known keys: type, ' "$tmp/err"
"$mpsim" run "$tmp/base.ini" --no-db --set writebak.x=1 >/dev/null 2>"$tmp/err"
check "unknown group: did you mean" \
	grep -q '\[writebak\]: unknown group (did you mean \[writeback\]?)' "$tmp/err"
"$mpsim" run "$tmp/base.ini" --no-db --set disk.preset=hdd7200 >/dev/null 2>"$tmp/err"
check "unknown preset: did you mean" \
	grep -q 'unknown preset "hdd7200" (did you mean hdd-7200?); known: hdd-7200, hdd-15k, ' "$tmp/err"

"$mpsim" run "$tmp/base.ini" --no-db --set block.elevator=dedline >/dev/null 2>"$tmp/err"
check "unknown elevator: did you mean" \
	grep -q '"dedline" is not an elevator mpsim models (did you mean deadline?); known: ' "$tmp/err"
"$mpsim" run "$tmp/base.ini" --no-db --set "task.t.ops=readpags 0-3" >/dev/null 2>"$tmp/err"
check "unknown op: did you mean" grep -q '\[cyclic\] (did you mean readpages?)' "$tmp/err"
"$mpsim" run "$tmp/base.ini" --no-db --set "task.t.ops=readpages x" >/dev/null 2>"$tmp/err"
check "a known op with bad arguments: no suggestion" \
	sh -c "! grep -q 'did you mean' '$tmp/err' && grep -q 'readpages x' '$tmp/err'"

# names echoed in messages: control characters shown as \xNN
esc=$(printf 'a\033[31mb')
"$mpsim" keys "$esc" >/dev/null 2>"$tmp/err"
check "keys: an unknown group's control character as \\x1b" \
	grep -qF 'no group "a\x1b[31mb"' "$tmp/err"
"$mpsim" layout ext2-boundary --file "$esc" >/dev/null 2>"$tmp/err"
check "layout: an unknown file's control character as \\x1b" \
	grep -qF 'no file "a\x1b[31mb"' "$tmp/err"
"$mpsim" run "$esc" --no-db >/dev/null 2>"$tmp/err"
check "run: an unknown scenario's control character as \\x1b" \
	grep -qF 'a\x1b[31mb: no such file' "$tmp/err"

# ---- units on every duration key ----
db="$tmp/u.db"
"$mpsim" run "$tmp/base.ini" --db "$db" -q \
	--set disk.latency_ns=2ms --set writeback.dirty_expire_centisecs=30s \
	--set block.read_expire=1s --set task.t.start=3us
opt() { sqlite3 "$db" "SELECT value FROM run_option WHERE run_id = 1 AND key = '$1'"; }
expect "disk.latency_ns = 2ms is 2000000 ns" 2000000 "$(opt disk.latency_ns)"
expect "dirty_expire_centisecs = 30s is 3000 cs" 3000 \
	"$(opt writeback.dirty_expire_centisecs)"
expect "read_expire = 1s" "1s" "$(opt block.read_expire)"
"$mpsim" run "$tmp/base.ini" --no-db \
	--set writeback.dirty_expire_centisecs=15ms >/dev/null 2>"$tmp/err"
expect "15ms is no whole number of centiseconds: exit 2" 2 $?
check "... and says so" grep -q 'dirty_expire_centisecs: "15ms" is not a number of centiseconds' "$tmp/err"
# a bare number keeps its meaning: centiseconds, and ns for the disk
"$mpsim" run "$tmp/base.ini" --db "$db" -q --set disk.latency_ns=7 \
	--set writeback.dirty_expire_centisecs=12
expect "bare disk.latency_ns is ns" 7 \
	"$(sqlite3 "$db" "SELECT value FROM run_option WHERE run_id = 2 AND key = 'disk.latency_ns'")"
expect "bare centisecs are centiseconds" 12 \
	"$(sqlite3 "$db" "SELECT value FROM run_option WHERE run_id = 2 AND key = 'writeback.dirty_expire_centisecs'")"

# ---- disk.preset in run_option ----
expect "run_option holds disk.preset" "simple" "$(opt disk.preset)"
expect "... and disk.model as before" "simple" "$(opt disk.model)"

# ---- mpsim layout and the extent table ----
# ext2-boundary (1 KiB blocks): file blocks 0-11 on disk blocks 0-11, the
# indirect block on 12, file blocks 12-15 on 13-16 (the scenario's own
# extents and indirect keys).
"$mpsim" layout ext2-boundary >"$tmp/layout"
expect "layout: header" \
	"File a: 16384 bytes, 1024-byte blocks, 16 data blocks in 2 extents, 1 pointer block" \
	"$(sed -n 1p "$tmp/layout")"
expect "layout: rows" \
	"0:0..11:0..11:12data|-12..12:1indirect(fromfileblock12)|1:12..15:13..16:4data|" \
	"$(sed -n '3,$p' "$tmp/layout" | tr -d ' ' | tr '\n' '|')"
"$mpsim" layout ext2-boundary --file b >/dev/null 2>"$tmp/err"
expect "layout: unknown file exits 2" 2 $?
check "layout: did you mean" grep -q 'no file "b" (did you mean a?)' "$tmp/err"
# a generated layout: ext2-sequential from block 100, 1 KiB blocks, 14
# blocks: data 0-11 on 100-111, the indirect block just before block 12's
# data (112), data 12-13 on 113-114.
cat >"$tmp/gen.ini" <<'INI'
[disk]
preset = simple
[file.g]
size = 14K
layout = ext2-sequential
first_block = 100
[task.t]
file = g
ops = readpage 0
INI
expect "layout: generated file" \
	"0:0..11:100..111:12data|-112..112:1indirect(fromfileblock12)|1:12..13:113..114:2data|" \
	"$("$mpsim" layout "$tmp/gen.ini" | sed -n '3,$p' | tr -d ' ' | tr '\n' '|')"
db="$tmp/x.db"
"$mpsim" run ext2-boundary --db "$db" -q --set disk.phase=0 2>/dev/null ||
	"$mpsim" run ext2-boundary --db "$db" -q
expect "extent table rows" \
	"a|0|data|0|0|12 a|1|indirect|12|12|1 a|2|data|12|13|4" \
	"$(sqlite3 "$db" 'SELECT file, seq, kind, logical, physical, length FROM extent ORDER BY file, seq' | tr '\n' ' ' | sed 's/ $//')"
# With the boundary on, request 1 is 0+26 (blocks 0-12: the data of file
# blocks 0-11 and the indirect block), request 2 is 26+8 (blocks 13-16).
expect "request_extent: which blocks each request touched" \
	"1|a|data|0|11|0 1|a|indirect|12|12|12 2|a|data|13|16|12" \
	"$(sqlite3 "$db" 'SELECT request_seq, file, kind, first_block, last_block, first_file_block FROM request_extent ORDER BY request_seq, first_block' | tr '\n' ' ' | sed 's/ $//')"

# ---- --help: usage line and example for every command ----
for c in run compare sweep report plot export merge disk-info list keys layout \
	replay validate; do
	"$mpsim" $c --help >"$tmp/help" 2>&1
	line=$(sed -n 2p "$tmp/help")
	case "$line" in
	"  mpsim $c [OPTION...]"*) ok "$c --help: usage line" ;;
	*) nok "$c --help: usage line"; echo "# got: $line" ;;
	esac
	check "$c --help has an example" grep -q "^  mpsim $c " "$tmp/help"
	# the manual page carries the same usage line
	syn=$(echo "$line" | sed 's/^  //; s/ - .*//; s/\.\.\./.../g')
	man=$(sed -n '/^\.SH SYNOPSIS/,/^\.SH /p' "$src/docs/mpsim.1" |
		grep '^\\fBmpsim' | sed 's/\\f[BIR]//g; s/\\-/-/g')
	if printf '%s\n' "$man" | grep -qxF "$syn"; then
		ok "$c: the man page has \"$syn\""
	else
		nok "$c: the man page has \"$syn\""
	fi
done

tap_done
