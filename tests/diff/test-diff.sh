#!/bin/sh
# test-diff.sh - make check's run of the differential test: 1,000 generated
# read cases and 1,000 write cases of a fixed seed, BH_Boundary on and off,
# and every committed regression case.  Skipped unless configure was given a reference
# fs/mpage.c.
b=${top_builddir:-.}
s=${top_srcdir:-.}
prog=$b/tests/diff/diff-mpage
if [ ! -x "$prog" ]; then
	echo "1..0 # SKIP no reference fs/mpage.c: ./configure --with-reference-mpage=/path/to/linux/fs/mpage.c"
	exit 0
fi
exec "$prog" --tap --both --seed 49 --count 1000 --out "$b/tests/diff" \
	--replay "$s"/tests/diff/cases/*.case
