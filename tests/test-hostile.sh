#!/bin/sh
# test-hostile.sh - hostile inputs that tests/bad/ cannot hold as files:
# special files as the scenario, scenarios too large for the catalogue,
# the address-space limit, and signals to a run that never sleeps
# (docs/robustness.md).  Each case runs under a hang guard; prints TAP.
set -u
mpsim=$(cd "${top_builddir:-.}" && pwd)/src/mpsim
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1: $2"; sed 's/^/# /' "$tmp/err"; }

# expect_refused NAME STDERR-FRAGMENT mpsim-args...: exit 2, one line
expect_refused() {
	name=$1 want=$2
	shift 2
	timeout 20 "$mpsim" run -q --no-db "$@" >"$tmp/out" 2>"$tmp/err" \
		</dev/null
	rc=$?
	# (the sanitizer build's runtime warns about swapcontext on stderr)
	grep -v 'WARNING: ASan' "$tmp/err" >"$tmp/err1"
	mv "$tmp/err1" "$tmp/err"
	if [ "$rc" -ne 2 ]; then
		notok "$name" "exit status $rc, not 2"
	elif [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
		notok "$name" "not one line on stderr"
	elif ! grep -qF -- "$want" "$tmp/err"; then
		notok "$name" "the message lacks '$want'"
	else
		ok "$name"
	fi
}

echo "1..16"

# --- special files: refused before they are read ---
mkfifo "$tmp/fifo"
expect_refused "a FIFO is refused without blocking" "a pipe (FIFO)" \
	"$tmp/fifo"
expect_refused "a device is refused" "/dev/zero: is a device" /dev/zero
mkdir "$tmp/dir.ini"
expect_refused "a folder is refused" "is a folder" "$tmp/dir.ini"
truncate -s 2G "$tmp/sparse.ini"
# An address-space limit: not for a sanitizer build, whose runtime
# reserves terabytes of shadow memory at start.
limited() {
	sh -c 'ulimit -v "$1" && "$2" --version' sh "$1" "$mpsim" \
		>/dev/null 2>&1
}
if limited 262144; then
	(ulimit -v 262144; expect_refused \
		"a sparse 2 GiB file: read to 16 MiB only" \
		"larger than 16 MiB" "$tmp/sparse.ini")
else
	echo "ok $((n + 1)) # SKIP no address-space limit under sanitizers"
fi
n=$((n + 1))
(cd "$tmp" && expect_refused "- is a file name, not standard input" \
	"-: no such file" -)
n=$((n + 1))

# --- a byte-order mark is accepted ---
scen='[disk]
preset = simple
[file.a]
size = 16K
extents = 0-11:100, 12-15:113
indirect = ind:112
'
printf '\357\273\277%s[task.r]\nfile = a\nops = readpages 0-3\n' "$scen" \
	>"$tmp/bom.ini"
if timeout 20 "$mpsim" run -q --no-db "$tmp/bom.ini" 2>"$tmp/err"; then
	ok "a UTF-8 byte-order mark is accepted"
else
	notok "a UTF-8 byte-order mark is accepted" "refused"
fi

# --- tasks: 4096 run under a 4 GiB address space, 4097 are refused ---
tasks() {
	printf '%s' "$scen"
	i=0
	while [ "$i" -lt "$1" ]; do
		printf '[task.t%d]\nfile = a\nops = readpage %d\n' "$i" \
			$((i % 4))
		i=$((i + 1))
	done
}
tasks 4096 >"$tmp/t4096.ini"
tasks 4097 >"$tmp/t4097.ini"
if ! limited 4194304; then
	n=$((n + 1))
	echo "ok $n # SKIP no address-space limit under sanitizers"
elif (ulimit -v 4194304; timeout 20 "$mpsim" run -q --no-db \
	"$tmp/t4096.ini") 2>"$tmp/err"; then
	ok "4096 tasks run under ulimit -v 4194304"
else
	notok "4096 tasks run under ulimit -v 4194304" "failed"
fi
if limited 4194304; then
	(ulimit -v 4194304; expect_refused "4097 tasks are refused" \
		"at most 4096 tasks" "$tmp/t4097.ini")
	n=$((n + 1))
else
	expect_refused "4097 tasks are refused" "at most 4096 tasks" \
		"$tmp/t4097.ini"
fi

# --- loading is O(n log n): a million repeats in a list, 60,000 pages ---
awk 'BEGIN { printf "[disk]\npreset = simple\n[fs]\nblock_size = 4096\n"
	printf "[file.a]\nsize = 256M\nlayout = ext2-sequential\ncached = 0"
	for (i = 0; i < 1000000; i++) printf ",0"
	printf "\n[task.r]\nfile = a\nops = readpage 0\n" }' >"$tmp/repeats.ini"
if timeout 20 "$mpsim" run -q --no-db "$tmp/repeats.ini" 2>"$tmp/err"; then
	ok "a list of a million repeats loads"
else
	notok "a list of a million repeats loads" "failed or hung"
fi
awk 'BEGIN { printf "[disk]\npreset = simple\n[fs]\nblock_size = 4096\n"
	printf "[file.a]\nsize = 256M\nlayout = ext2-sequential\n"
	for (i = 0; i < 60000; i++) printf "[page.a.%d]\nflags = uptodate\n", i
	printf "[task.r]\nfile = a\nops = readpage 0\n" }' >"$tmp/pages.ini"
if timeout 20 "$mpsim" run -q --no-db "$tmp/pages.ini" 2>"$tmp/err"; then
	ok "60,000 [page.*] groups load"
else
	notok "60,000 [page.*] groups load" "failed or hung"
fi

# --- pointer blocks cost a block each: at most 65536 placed ---
awk 'BEGIN { printf "[disk]\npreset = simple\n[fs]\nblock_size = 4096\n"
	printf "[file.a]\nsize = 4K\nindirect = tind:5"
	for (n = 0; n < 1024; n++) printf ", tind/%d:%d", n, 900000 + n
	for (n = 0; n < 1024; n++) for (m = 0; m < 70; m++)
		printf ", tind/%d/%d:%d", n, m, 1000 + n * 100 + m
	printf "\n[task.r]\nfile = a\nops = readpage 0\n" }' >"$tmp/ind.ini"
expect_refused "72,705 pointer blocks are refused" \
	"[file.a] indirect: the scenario places more than 65536 pointer blocks" \
	"$tmp/ind.ini"

# --- the work limit: refused by default, run when raised ---
printf '[disk]\npreset = simple\n[file.a]\nsize = 16M\nlayout = ext2-sequential\n[task.r]\nfile = a\nops = read 0 16777215 1; read 0 16777215 1\n' \
	>"$tmp/work.ini"
expect_refused "work past the default limit is refused" \
	"[scenario] max_work: the scenario's work is estimated at" \
	"$tmp/work.ini"
# drop_caches visits every file: 2000 of them over 60,000 empty files are
# 2000 * (1 + 60000) + 60000 files + 1 task + 2000 ops = 120,064,001 units
awk 'BEGIN { printf "[disk]\npreset = simple\n"
	for (i = 0; i < 60000; i++) printf "[file.f%d]\nsize = 0\n", i
	printf "[task.r]\nfile = f1\nops = drop_caches"
	for (i = 1; i < 2000; i++) printf "; drop_caches"
	printf "\n" }' >"$tmp/drop.ini"
expect_refused "drop_caches over many files counts every file" \
	"estimated at 120064001 units" "$tmp/drop.ini"
if timeout 20 "$mpsim" run -q --no-db --set scenario.max_work=40000000 \
	"$tmp/work.ini" 2>"$tmp/err"; then
	ok "--set scenario.max_work raises the limit"
else
	notok "--set scenario.max_work raises the limit" "refused"
fi

# --- signals reach a task that never sleeps (every page cached) ---
# SIGTERM and SIGINT: the run stops within a second, status 128 + signal,
# nothing saved.
printf '[disk]\npreset = simple\n[file.a]\nsize = 16M\nlayout = ext2-sequential\ncached = 0-4095\n[task.r]\nfile = a\nops = read 0 16777215 1; read 0 16777215 1; read 0 16777215 1; read 0 16777215 1\n[scenario]\nmax_work = 100000000\n' \
	>"$tmp/cached.ini"
for sig in TERM INT; do
	want=143
	[ "$sig" = INT ] && want=130
	rm -f "$tmp/sig.db"
	timeout 60 "$mpsim" run -q --db "$tmp/sig.db" "$tmp/cached.ini" \
		2>"$tmp/err" &
	pid=$!
	# the run is under way once its database has a journal or rows
	sleep 1
	kill -"$sig" "$pid"
	start=$(date +%s%N)
	wait "$pid"
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	runs=$(sqlite3 "$tmp/sig.db" 'SELECT count(*) FROM run' 2>/dev/null ||
	       echo 0)
	if [ "$rc" -ne "$want" ]; then
		notok "SIG$sig stops a run that never sleeps" "status $rc"
	elif [ "$ms" -gt 1000 ]; then
		notok "SIG$sig stops a run that never sleeps" "took $ms ms"
	elif [ "$runs" != 0 ]; then
		notok "SIG$sig stops a run that never sleeps" "a run was saved"
	else
		ok "SIG$sig stops a run that never sleeps ($ms ms)"
	fi
done
