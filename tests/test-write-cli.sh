#!/bin/sh
# test-write-cli.sh - `mpsim run scenarios/ext2-write-new-file.ini --trace -`
# as a user types it: the order in which the fsync's writes reach the
# queue, BH_Boundary on (the default) and off.
#
# Worked out in tests/test-write-scenarios.c: file blocks 0-11 on disk
# blocks 1000-1011 (sectors 2000-2023), the indirect block on 1012
# (sector 2024), file blocks 12-63 on 1013-1064 (sectors 2026-2129).
# Boundary on: 2000, 2024, 2026 - ascending disk order; off: 2000, 2026,
# then the indirect block 2024 (from sync_mapping_buffers); then, in both,
# the inode's table block 266 (sector 532, sync_inode_metadata) and the
# cache flush (sector 0, no data); at 30 s the flusher writes the group
# descriptor block 2 and the block bitmap 262 that the allocation dirtied
# (sectors 4 and 524).
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
mpsim=$top_builddir/src/mpsim
ini=$top_srcdir/scenarios/ext2-write-new-file.ini

n=0
check() { # description, expected, actual
	n=$((n + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		echo "# expected: $2"
		echo "# got:      $3"
	fi
}

# "op sector" of every queued bio, in queue order, on one line
queue_order() {
	"$mpsim" run "$ini" --no-db --trace - "$@" 2>/dev/null |
		awk '$2 == "queue" { op = ""; s = "";
			for (i = 3; i <= NF; i++) {
				if ($i ~ /^op=/) op = substr($i, 4);
				if ($i ~ /^sector=/) s = substr($i, 8);
			}
			printf "%s%s:%s", (n++ ? " " : ""), op, s }'
}

echo "1..2"
check "boundary on: data 0-11, indirect block, data 12-63" \
	"WS:2000 W:2024 WS:2026 WS:532 FS:0 W:4 W:524" "$(queue_order)"
check "boundary off: the indirect block after the data beyond it" \
	"WS:2000 WS:2026 WS:2024 WS:532 FS:0 W:4 W:524" \
	"$(queue_order --set fs.boundary=off)"
