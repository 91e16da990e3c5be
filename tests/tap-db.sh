# tests/tap-db.sh - sourced by the shell tests that run mpsim into
# databases and print TAP: $mpsim, $top, a temporary folder $tmp (removed
# at exit), check NAME CONDITION (an ok or not ok line; on failure, the
# lines of $tmp/err as comments) and q DB SQL (sqlite3's answer).
set -u
mpsim=$(cd "${top_builddir:-.}/src" && pwd)/mpsim
top=${top_srcdir:-.}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
check() {
	n=$((n + 1))
	if eval "$2"; then echo "ok $n - $1"; else
		echo "not ok $n - $1"; sed 's/^/# /' "$tmp/err" 2>/dev/null; fi
}
q() { sqlite3 "$1" "$2"; }
