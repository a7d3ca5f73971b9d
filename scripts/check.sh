#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# check.sh - what `make check` runs after setup: build everything warning-free, the CUnit
# unit tests under ASan/UBSan, sparse on the kernel modules, then the lab integration tests.
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

step "build: harness and agent (-Wall -Wextra -Werror)"
make -s harness BUILD="$BUILD" >"$LOG/build-harness.log" 2>&1
rc=$?
[ $rc = 0 ] || tail -n 30 "$LOG/build-harness.log"
count "build harness" $rc

step "build: kernel modules (W=1, -Werror)"
make -s driver BUILD="$BUILD" >"$LOG/build-driver.log" 2>&1
rc=$?
[ $rc = 0 ] || tail -n 30 "$LOG/build-driver.log"
count "build driver" $rc

step "sparse: kernel modules (C=2)"
if make -s sparse BUILD="$BUILD" >"$LOG/sparse.log" 2>&1; then
	# sparse reports as warnings; any line naming one of our sources is a finding.
	if grep -E "^$TOP/driver/.*(warning|error):|^driver/.*(warning|error):" "$LOG/sparse.log"; then
		count "sparse clean" 1
	else
		count "sparse clean" 0
	fi
else
	tail -n 30 "$LOG/sparse.log"
	count "sparse clean" 1
fi

step "unit tests (CUnit, ASan + UBSan)"
make -s unit BUILD="$BUILD" >"$LOG/unit.log" 2>&1
rc=$?
summary=$(grep -E '^unit: [0-9]+ passed, [0-9]+ failed' "$LOG/unit.log" | tail -n1)
if [ -n "$summary" ]; then
	grep -E 'Suite|Test:|FAILED|ASSERT|ERROR|runtime error' "$LOG/unit.log" | head -n 40
	echo "$summary"
	add_counts "$summary"
	[ $rc = 0 ] || [ "$(sed -n 's/.* \([0-9]*\) failed.*/\1/p' <<<"$summary")" != 0 ] ||
		count "unit tests exit cleanly (sanitizers)" $rc
else
	tail -n 30 "$LOG/unit.log"
	count "unit tests build and run" 1
fi

step "reports, comparison, history and gates on recorded results (headless Chromium)"
bash scripts/check-report.sh --build "$BUILD" >"$LOG/check-report.log" 2>&1
grep -E '^(ok|not ok)' "$LOG/check-report.log" | grep -v '^ok' | head -n 20
summary=$(grep -E '^check-report: ' "$LOG/check-report.log" | tail -n1)
if [ -n "$summary" ]; then
	echo "$summary"
	add_counts "$summary"
else
	tail -n 20 "$LOG/check-report.log"
	count "check-report runs" 1
fi

step "lab image"
make -s lab BUILD="$BUILD" >"$LOG/lab.log" 2>&1
rc=$?
[ $rc = 0 ] || tail -n 30 "$LOG/lab.log"
count "lab image" $rc

if [ $rc = 0 ]; then
	step "lab integration tests"
	bash scripts/run-lab-tests.sh --build "$BUILD" | tee "$LOG/labtest.log"
	add_counts "$(grep -E '^labtest: ' "$LOG/labtest.log" | tail -n1)"
fi

echo
echo "check: $passed passed, $failed failed, $skipped skipped"
[ $failed = 0 ]
