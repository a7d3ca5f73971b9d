#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# lint.sh - what `make lint` runs (and `make check` counts): the kernel's checkpatch on every
# file under driver/ (but driver/tests/, user-space tests), shellcheck on every shell script of
# the repository. Any finding fails.
#
#   1. checkpatch.pl --strict --no-tree -f, from the linux-source package of the guest kernel's
#      version (scripts/setup.sh unpacks it into $BUILD/checkpatch; never copied into the repo).
#      --no-tree: the modules build out of tree, there is no kernel tree around them.
#      --strict: the drivers are written to upstream style and every CHECK-level finding had a
#      fix that keeps the code identical, so the strictest level is the one kept. One exemption:
#      driver/common/iov_compat.h, the only file allowed to test LINUX_VERSION_CODE, is checked
#      without LINUX_VERSION_CODE, CONSTANT_COMPARISON, MACRO_ARG_UNUSED and PREFER_ETHTOOL_PUTS
#      (exactly what a compatibility shim consists of); everything else in it is still checked.
#   2. kernel-doc -none -Wall (the kernel headers' scripts/kernel-doc, $BUILD/kernel.env) on the
#      same driver files: every /** comment must describe each parameter, member and return value
#      of what it documents (the exports are documented this way).
#   3. shellcheck -x, with .shellcheckrc (lab tests source lib.sh from their own directory), on
#      every *.sh and every file whose first line is a shell #! (scripts/, harness/lab/,
#      harness/tests/lab/, driver/tests/lab/, .ci/run). A finding that must stay is disabled above its line with
#      a "disable=SCxxxx" directive followed by "# reason".
#
# Usage: scripts/lint.sh [--build DIR]      (default DIR: ./build)
# Prints every finding as FILE:LINE: ..., then "lint: N passed, N failed" over its three checks.
# Exits 0 when all are clean, 1 on findings, 2 when a tool is missing (run make setup).
set -uo pipefail

BUILD=${BUILD:-$(pwd)/build}
[ "${1:-}" = "--build" ] && BUILD=$2
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 2
CHECKPATCH=$BUILD/checkpatch/checkpatch.pl
COMPAT=driver/common/iov_compat.h
COMPAT_IGNORE=LINUX_VERSION_CODE,CONSTANT_COMPARISON,MACRO_ARG_UNUSED,PREFER_ETHTOOL_PUTS

die() { printf '[lint] ERROR: %s\n' "$*" >&2; exit 2; }
[ -f "$CHECKPATCH" ] || die "no $CHECKPATCH: run 'make setup' (it unpacks checkpatch from linux-source)"
command -v perl >/dev/null || die "no perl: run 'make setup'"
command -v shellcheck >/dev/null || die "no shellcheck: run 'make setup'"

# repo_files DIR...: the files of the work tree under DIR (tracked or new, not ignored).
repo_files() {
	local f
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files --cached --others --exclude-standard -- "$@" |
			while IFS= read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done
	else
		find "$@" -type f ! -name '*.o' ! -name '*.ko' ! -name '*.mod*' ! -name '.*' \
			! -name '*.order' ! -name '*.symvers' ! -name '*.d' ! -name '*.a' | sort
	fi
}

# checkpatch keeps a cache of the kernel's CamelCase names in the directory it runs in: not ours.
trap 'rm -f "$TOP"/.checkpatch-camelcase.*' EXIT

passed=0 failed=0
result() { # result NAME FINDINGS RC
	if [ "$2" = 0 ] && [ "$3" = 0 ]; then
		passed=$((passed + 1))
		echo "ok - $1 clean"
	else
		failed=$((failed + 1))
		echo "not ok - $1: $2 findings (exit $3)"
	fi
}

echo "[lint] checkpatch --strict on driver/ ($(cat "$BUILD/checkpatch/VERSION" 2>/dev/null || echo unknown version))"
# driver/tests/ is user-space test code and shell (the unit shim, lab tests): not kernel code.
mapfile -t kfiles < <(repo_files driver | grep -vxF "$COMPAT" | grep -v '^driver/tests/')
[ ${#kfiles[@]} -gt 0 ] || die "no files under driver/"
CP_OPTS=(--strict --no-tree -f --terse --show-types --no-summary --color=never)
out=$(perl "$CHECKPATCH" "${CP_OPTS[@]}" "${kfiles[@]}" 2>&1)
rc=$?
if [ -f "$COMPAT" ]; then
	out+=$'\n'$(perl "$CHECKPATCH" "${CP_OPTS[@]}" --ignore "$COMPAT_IGNORE" "$COMPAT" 2>&1)
	rc2=$?
	[ "$rc" != 0 ] || rc=$rc2
fi
out=$(printf '%s\n' "$out" | sed '/^$/d')
[ -z "$out" ] || printf '%s\n' "$out"
n_cp=$(printf '%s\n' "$out" | grep -cE '^[^ ]+:[0-9]+: (ERROR|WARNING|CHECK):')
result checkpatch "$n_cp" "$rc"

# shellcheck disable=SC1091 # reason: kernel.env is written by setup into the build directory
KERNELDOC=$( . "$BUILD/kernel.env" 2>/dev/null && echo "$KHEADERS/scripts/kernel-doc")
[ -f "$KERNELDOC" ] || die "no kernel-doc in the kernel headers ($BUILD/kernel.env): run 'make setup'"
echo "[lint] kernel-doc -Wall on driver/"
mapfile -t dfiles < <(printf '%s\n' "${kfiles[@]}" "$COMPAT" | grep -E '\.(c|h)$')
# kernel-doc exits 0 with warnings: the findings are its "warning:" lines
out=$(perl "$KERNELDOC" -none -Wall "${dfiles[@]}" 2>&1)
rc=$?
[ -z "$out" ] || printf '%s\n' "$out"
n_kd=$(printf '%s\n' "$out" | grep -c 'warning:')
result "kernel-doc (${#dfiles[@]} files)" "$n_kd" "$rc"

echo "[lint] shellcheck -x on the shell scripts"
mapfile -t sfiles < <(repo_files . | while IFS= read -r f; do
	case $f in
	*.sh) printf '%s\n' "$f" ;;
	*) head -n1 "$f" 2>/dev/null | grep -qE '^#!.*([/ ](ba|da)?sh)([[:space:]]|$)' && printf '%s\n' "$f" ;;
	esac
done)
[ ${#sfiles[@]} -gt 0 ] || die "no shell scripts found"
out=$(shellcheck -x -f gcc "${sfiles[@]}" 2>&1)
rc=$?
[ -z "$out" ] || printf '%s\n' "$out"
n_sc=$(printf '%s\n' "$out" | grep -cE '^[^ ]+:[0-9]+:[0-9]+: ')
result "shellcheck (${#sfiles[@]} scripts)" "$n_sc" "$rc"

echo "lint: $passed passed, $failed failed"
[ "$failed" = 0 ]
