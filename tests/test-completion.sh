#!/bin/sh
# test-completion.sh - the bash completion script (completions/mpsim):
# it registers itself for mpsim, and completes commands, options,
# bundled scenario names, --set keys, presets and groups; prints TAP.
set -u
if ! command -v bash >/dev/null 2>&1; then
	echo "1..0 # SKIP bash is not installed"
	exit 0
fi
bin="$(cd "$top_builddir" && pwd)/src"
script="$(cd "$top_srcdir" && pwd)/completions/mpsim"
unset MPSIM_DATADIR
exec bash -c '
set -u
PATH="$1:$PATH"
. "$2"
n=0
# complete DESC WANT WORD...: the last word is the one being completed
complete_is() {
	local desc=$1 want=$2
	shift 2
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_mpsim
	n=$((n + 1))
	local got="${COMPREPLY[*]}"
	if [ "$got" = "$want" ]; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		echo "# expected: $want"
		echo "# got:      $got"
	fi
}
n=$((n + 1))
if [ "$(complete -p mpsim)" = "complete -F _mpsim mpsim" ]; then
	echo "ok $n - complete -p mpsim"
else
	echo "not ok $n - complete -p mpsim"
fi
complete_is "a command" "run" mpsim ru
complete_is "commands starting with l" "list layout" mpsim l
complete_is "a bundled scenario" "ext2-boundary" mpsim run ext2-bou
complete_is "an option of run" "--no-db" mpsim run --no-
complete_is "a --set key" "fs.boundary=" mpsim run x --set fs.bou
complete_is "a --vary key" "writeback.dirty_expire_centisecs=" mpsim compare x --vary writeback.dirty_exp
complete_is "a preset after disk.preset=" "disk.preset=hdd-7200 disk.preset=hdd-15k" mpsim run x --set disk.preset=hdd
complete_is "a key group" "writeback" mpsim keys wri
complete_is "a preset for disk-info" "hp-c2247" mpsim disk-info hp
echo "1..$n"
' mpsim-completion-test "$bin" "$script"
