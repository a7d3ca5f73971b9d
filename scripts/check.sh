#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# check.sh - what `make check` runs after setup: build everything warning-free, sparse on the
# kernel modules, lint (checkpatch and kernel-doc on driver/, shellcheck on the shell), the CUnit unit tests
# under ASan/UBSan, then the lab integration tests.
# Ends with one line "check: N passed, N failed, N skipped" adding all of them up.
set -uo pipefail

BUILD=${BUILD:-$(pwd)/build}
[ "${1:-}" = "--build" ] && BUILD=$2
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 2
LOG=$BUILD/check
mkdir -p "$LOG"

passed=0 failed=0 skipped=0
step() { printf '\n[check] === %s ===\n' "$*"; }
count() { # count NAME RC
	if [ "$2" = 0 ]; then
		passed=$((passed + 1))
		echo "ok - $1"
	else
		failed=$((failed + 1))
		echo "not ok - $1"
	fi
}
# add_counts LINE: add "X passed, Y failed[, Z skipped]" from a sub-runner's summary.
add_counts() {
	local p f s
	p=$(sed -n 's/.* \([0-9]*\) passed.*/\1/p' <<<"$1")
	f=$(sed -n 's/.* \([0-9]*\) failed.*/\1/p' <<<"$1")
	s=$(sed -n 's/.* \([0-9]*\) skipped.*/\1/p' <<<"$1")
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	skipped=$((skipped + ${s:-0}))
}

# run_step NAME LOG CMD...: a step that passes or fails as a whole.
run_step() {
	local name=$1 log=$2 rc
	shift 2
	"$@" >"$log" 2>&1
	rc=$?
	[ $rc = 0 ] || tail -n 30 "$log"
	count "$name" $rc
	return $rc
}

# run_counted NAME LOG SUMMARY_PREFIX CMD...: a sub-runner whose closing line
# "PREFIX N passed, N failed[, N skipped]" adds its own counts; a runner that dies before
# that line, or exits non-zero with nothing failed (a sanitizer report), counts as a failure.
run_counted() {
	local name=$1 log=$2 prefix=$3 summary rc
	shift 3
	"$@" >"$log" 2>&1
	rc=$?
	summary=$(grep -E "^$prefix [0-9]+ passed, [0-9]+ failed" "$log" | tail -n1)
	grep -E '^not ok|FAILED|ASSERT|runtime error|ERROR: AddressSanitizer' "$log" | head -n 40
	if [ -z "$summary" ]; then
		tail -n 30 "$log"
		count "$name runs to its summary" 1
		return
	fi
	echo "$summary"
	add_counts "$summary"
	[ $rc = 0 ] || [ "$(sed -n 's/.* \([0-9]*\) failed.*/\1/p' <<<"$summary")" != 0 ] ||
		count "$name exits cleanly" $rc
}

step "build: harness and agent (-Wall -Wextra -Werror)"
run_step "build harness" "$LOG/build-harness.log" make -s harness BUILD="$BUILD"

step "build: kernel modules (W=1, -Werror)"
run_step "build driver" "$LOG/build-driver.log" make -s driver BUILD="$BUILD"

step "sparse: kernel modules (C=2)"
# sparse reports as warnings; any line naming one of our sources is a finding.
if run_step "sparse runs" "$LOG/sparse.log" make -s sparse BUILD="$BUILD"; then
	! grep -E "^$TOP/driver/.*(warning|error):|^driver/.*(warning|error):" "$LOG/sparse.log"
	count "sparse clean" $?
fi

step "lint: checkpatch --strict and kernel-doc -Wall on driver/, shellcheck -x on the shell scripts"
# Three counted checks (checkpatch, kernel-doc, shellcheck clean); a lint that cannot run fails.
run_counted "lint" "$LOG/lint.log" "lint:" make -s lint BUILD="$BUILD"
grep -E '^[^ ]+:[0-9]+:([0-9]+:)? ' "$LOG/lint.log" | head -n 40

step "unit tests (CUnit, ASan + UBSan)"
run_counted "unit tests" "$LOG/unit.log" "unit:" make -s unit BUILD="$BUILD"

step "reports, comparison, history and gates on recorded results (headless Chromium)"
run_counted "check-report" "$LOG/check-report.log" "check-report:" bash scripts/check-report.sh --build "$BUILD"

step "lab image"
if run_step "lab image" "$LOG/lab.log" make -s lab BUILD="$BUILD"; then
	step "lab integration tests"
	# Shown as it goes (each test takes a while); a runner that dies early counts as a failure.
	bash scripts/run-lab-tests.sh --build "$BUILD" | tee "$LOG/labtest.log"
	summary=$(grep -E '^labtest: [0-9]+ passed' "$LOG/labtest.log" | tail -n1)
	if [ -n "$summary" ]; then add_counts "$summary"; else count "lab tests run to their summary" 1; fi
fi

echo
echo "check: $passed passed, $failed failed, $skipped skipped"
[ $failed = 0 ]
