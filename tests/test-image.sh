#!/bin/sh
# test-image.sh - importing block maps from a real ext2 image: build one
# with mke2fs -d, import each file through a scenario (test-image-map),
# and compare the map with what debugfs says (stat: BLOCKS and Size).
# Skipped when mke2fs/debugfs or libext2fs are missing.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
helper=$top_builddir/tests/test-image-map
mpsim=$top_builddir/src/mpsim
PATH=$PATH:/sbin:/usr/sbin
export PATH

echo "1..9"
skip_all() {
	for i in 1 2 3 4 5 6 7 8 9; do echo "ok $i # SKIP $1"; done
	exit 0
}
command -v mke2fs >/dev/null 2>&1 || skip_all "no mke2fs"
command -v debugfs >/dev/null 2>&1 || skip_all "no debugfs"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/root/dir"
# non-zero data: mke2fs -d leaves all-zero blocks as holes
yes 0123456789abcdef | head -c 614400 > "$tmp/root/big"     # 600 blocks
yes abc | head -c 5000 > "$tmp/root/dir/small"
yes xyz | head -c 2048 | dd of="$tmp/root/sparse" bs=1024 seek=20 \
	conv=notrunc 2>/dev/null                              # blocks 20-21
mke2fs -q -F -t ext2 -b 1024 -d "$tmp/root" "$tmp/disk.img" 4096 \
	>/dev/null 2>&1 || skip_all "mke2fs -d failed"

"$helper" "$tmp/disk.img" /big > /dev/null 2>&1
test $? -eq 77 && skip_all "built without libext2fs"

# debugfs's stat, one block a line like test-image-map's output
debugfs_map() {
	debugfs -R "stat $1" "$tmp/disk.img" 2>/dev/null | awk '
	# the first Size: is the file size (a later line has the fragment size)
	/Size: / && !sz { for (i = 1; i <= NF; i++) if ($i == "Size:") print "SIZE", $(i+1); sz = 1 }
	/^BLOCKS:/ { inb = 1; next }
	/^TOTAL:/ { inb = 0 }
	inb {
		n = split($0, items, ", ")
		for (k = 1; k <= n; k++) {
			it = items[k]; gsub(/^ +| +$/, "", it)
			if (it == "") continue
			split(it, lp, ":"); l = lp[1]; p = lp[2]
			gsub(/[()]/, "", l)
			if (l ~ /^[A-Z]+$/) { print l, p; continue }
			split(l, lr, "-"); split(p, pr, "-")
			lo = lr[1] + 0; hi = (2 in lr) ? lr[2] + 0 : lo
			for (b = lo; b <= hi; b++) print "DATA", b, pr[1] + b - lo
			delete lr; delete pr
		}
	}'
}

n=0
for f in /big /dir/small /sparse; do
	n=$((n + 1))
	debugfs_map "$f" | sort > "$tmp/want"
	if "$helper" "$tmp/disk.img" "$f" 2> "$tmp/err" | sort > "$tmp/got" &&
	   test -s "$tmp/want" && cmp -s "$tmp/want" "$tmp/got"; then
		echo "ok $n - $f: imported map matches debugfs"
	else
		echo "not ok $n - $f: imported map differs from debugfs"
		diff "$tmp/want" "$tmp/got" | head -20 | sed 's/^/# /'
		sed 's/^/# /' "$tmp/err"
	fi
done

# /big needs the double indirect block and two indirect blocks under it
# (12 + 256 + 256 < 600 blocks): three IND and one DIND in all
kinds=$("$helper" "$tmp/disk.img" /big | awk '$1 != "DATA" && $1 != "SIZE" { print $1 }' | sort | tr '\n' ' ')
if test "$kinds" = "DIND IND IND IND "; then
	echo "ok 4 - /big has one DIND and three IND blocks"
else
	echo "not ok 4 - /big pointer blocks: $kinds"
fi

# a run over the imported file reads its indirect blocks from the image
cat > "$tmp/run.ini" <<INI
[disk]
preset = simple
[fs]
block_size = 1024
[file.big]
image = disk.img
path = /big
[task.reader]
file = big
ops = read 0 eof 64K
INI
if "$mpsim" run "$tmp/run.ini" --no-db -q --trace="$tmp/trace" &&
   test "$(grep -c ' meta_read ' "$tmp/trace")" -eq 4; then
	echo "ok 5 - a scenario reads the imported file (4 pointer blocks)"
else
	echo "not ok 5 - a scenario reads the imported file"
fi

# a path that is not in the image: exit 2, the group and key named
sed 's|^path = /big|path = /nope|' "$tmp/run.ini" > "$tmp/bad.ini"
"$mpsim" run "$tmp/bad.ini" --no-db -q 2> "$tmp/bad.err"
st=$?
if test $st -eq 2 && grep -q '\[file.big\] image: no file /nope' "$tmp/bad.err"; then
	echo "ok 6 - a missing path is a scenario error"
else
	echo "not ok 6 - a missing path: status $st, $(cat "$tmp/bad.err")"
fi

# mpsim layout prints the same map as debugfs stat: expand its rows to one
# block a line (DATA logical physical, or IND/DIND/TIND physical)
"$mpsim" layout "$tmp/run.ini" 2> "$tmp/err" | awk '
	{ line = $0; gsub(/\.\. */, "..", line); gsub(/:/, "", line)
	  n = split(line, f, " ") }
	f[1] ~ /^[0-9]+$/ && f[5] == "data" {
		split(f[2], l, "\\.\\."); split(f[3], p, "\\.\\.")
		for (b = l[1] + 0; b <= l[2] + 0; b++)
			print "DATA", b, p[1] + b - l[1] }
	f[1] == "-" { split(f[2], p, "\\.\\.")
		k = f[4] == "indirect" ? "IND" : f[4] == "dindirect" ? "DIND" : "TIND"
		print k, p[1] + 0 }' | sort > "$tmp/layout"
debugfs_map /big | grep -v '^SIZE' | sort > "$tmp/want"
if test -s "$tmp/want" && cmp -s "$tmp/want" "$tmp/layout"; then
	echo "ok 7 - mpsim layout of the imported file matches debugfs stat"
else
	echo "not ok 7 - mpsim layout differs from debugfs stat"
	diff "$tmp/want" "$tmp/layout" | head -20 | sed 's/^/# /'
	sed 's/^/# /' "$tmp/err"
fi

# a file that is no image: libext2fs's own words, not its error number
echo "not an image" > "$tmp/text.img"
sed 's|^image = disk.img|image = text.img|' "$tmp/run.ini" > "$tmp/text.ini"
"$mpsim" run "$tmp/text.ini" --no-db -q 2> "$tmp/text.err"
st=$?
if test $st -eq 2 &&
   grep -q 'image: cannot open .*text.img as an ext2/ext3 image: [A-Z][a-z]' \
	"$tmp/text.err" && ! grep -q 'error [0-9]' "$tmp/text.err"; then
	echo "ok 8 - a file that is no image: libext2fs's message"
else
	echo "not ok 8 - no image: status $st, $(cat "$tmp/text.err")"
fi

# a corrupt image whose pointer leads past the filesystem (4096 blocks):
# refused, naming the inode and the block
cp "$tmp/disk.img" "$tmp/corrupt.img"
ino=$(debugfs -R "stat /dir/small" "$tmp/disk.img" 2>/dev/null |
      sed -n 's/^Inode: \([0-9]*\).*/\1/p')
debugfs -w -R "sif /dir/small block[2] 999999" "$tmp/corrupt.img" \
	>/dev/null 2>&1
sed 's|^image = disk.img|image = corrupt.img|; s|^path = /big|path = /dir/small|' \
	"$tmp/run.ini" > "$tmp/corrupt.ini"
"$mpsim" run "$tmp/corrupt.ini" --no-db -q 2> "$tmp/corrupt.err"
st=$?
if test $st -eq 2 && grep -q "image: inode $ino: file block 2 points to block 999999, past the filesystem's 4096 blocks" \
	"$tmp/corrupt.err"; then
	echo "ok 9 - a pointer past the filesystem is refused"
else
	echo "not ok 9 - corrupt image: status $st, $(cat "$tmp/corrupt.err")"
fi
