# tap.sh - TAP helpers for the shell tests; source it, call the helpers,
# end with `tap_done`.  When TAP_ERR names a file, a failed point shows
# its lines (what the command under test said on stderr).
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() {
	n=$((n + 1))
	echo "not ok $n - $1"
	[ -n "${TAP_ERR:-}" ] && sed 's/^/# /' "$TAP_ERR" 2>/dev/null
	return 0
}
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
# check DESC COMMAND...: ok when the command succeeds
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else nok "$desc"; fi
}
# expect DESC EXPECTED ACTUAL
expect() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		nok "$1"
		printf '# expected: %s\n# got:      %s\n' "$2" "$3"
	fi
}
tap_done() { echo "1..$n"; }
